// The call contract of the backward passes and losses (src/ops-train.ts, docs/training.md), as
// calls.test.mjs walks it for the forwards:
//   A. array forms: number[] / Float64Array / tensor data give bitwise the Float32Array result;
//   B. staging: a batch equals its rows computed one by one (bitwise: dx, losses, grads; the
//      parameter gradients as the float64 sum of the rows'), flat and strided (axis 0), with masks
//      and per-row α, across chunk boundaries; in place (out = the first argument) equals out of
//      place; zero-copy views give the same bits;
//   C. MultiMax's optional y: absent (recomputed) gives bitwise what the forward's y gives;
//      dParams in the form of the params given (checkpoint, paper, MultimaxParams);
//   D. memory: rows of up to 16,384 values never grow it;
//   E. argument errors name the argument (targets[r], dy, y, dLoss, ...) and leave the engine usable.
// Run: node scripts/build.mjs && node --test tests/train-calls.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../tools/prng.mjs';

const api = await import(new URL('../dist/index.js', import.meta.url).href);
const mm = await api.init();

function randF32(n, seed, scale = 3) {
  const r = mulberry32(seed), a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * r() - 1) * scale;
  return a;
}
function randMask(n, seed, keep = 0.7) {
  const r = mulberry32(seed), m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = r() < keep ? 1 : 0;
  return m;
}
function sameBits(a, b, what) {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}: element ${i}: ${a[i]} vs ${b[i]}`);
}
/** Targets for rows of `cols` values: a kept column of each row (mask in row-major rows). */
function targetsFor(rows, cols, seed, mask = null) {
  const r = mulberry32(seed), t = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let c = Math.floor(r() * cols);
    if (mask) { let k = 0; while (!mask[i * cols + c] && k++ < cols) c = (c + 1) % cols; if (!mask[i * cols + c]) c = -100; }
    t[i] = c;
  }
  return t;
}

const P = { ranges: [-0.5, 0.5, -1, 1], ts: [0.7, 0.4, 0.2, 0.1] };
const PAPER = { orders: [{ tb: 0.5, b: -0.3, td: 1.6, d: 0.4 }, { tb: 0.8, b: -1, td: 1.1, d: 1 }, { tb: 1, b: 0, td: 1, d: 0 }] };

/** The backward passes: the forward that makes their first argument, and their options. */
const BACKWARDS = {
  softmaxBackward: { fwd: 'softmax', opts: { temperature: 0.7 } },
  logSoftmaxBackward: { fwd: 'logSoftmax', opts: {} },
  sparsemaxBackward: { fwd: 'sparsemax', opts: {} },
  entmax15Backward: { fwd: 'entmax15', opts: {} },
  entmaxBackward: { fwd: 'entmax', opts: { alpha: 1.25 }, perRowAlpha: [1, 1.25, 1.5, 2, 3] },
  normmaxBackward: { fwd: 'normmax', opts: { alpha: 1.5 }, perRowAlpha: [1.5, 2, 3] },
  evSoftmaxBackward: { fwd: 'evSoftmax', opts: { training: true } },
};
const LOSSES = {
  sparsemaxLoss: {}, entmax15Loss: {}, entmaxLoss: { alpha: 1.25 },
  crossEntropy: { labelSmoothing: 0.1, temperature: 0.8 },
  'crossEntropy multimax': { normalizer: 'multimax', params: P },
};
const lossFn = (name) => name.split(' ')[0];

/** The first argument of a backward: the forward's output on x. */
function forwardOf(name, x, o) {
  const b = BACKWARDS[name], fo = { ...o };
  delete fo.dy;
  if (b.fwd === 'softmax' || b.fwd === 'evSoftmax' || b.fwd === 'entmax' || b.fwd === 'normmax' || b.fwd === 'logSoftmax' || b.fwd === 'sparsemax' || b.fwd === 'entmax15') return mm[b.fwd](x, fo);
  throw new Error(name);
}

test('every backward and loss is an engine method and a bound top-level function', () => {
  for (const name of [...Object.keys(BACKWARDS), 'multimaxBackward', 'logMultimaxBackward', ...Object.keys(LOSSES).map(lossFn)]) {
    assert.equal(typeof mm[name], 'function', `engine.${name}`);
    assert.equal(typeof api[name], 'function', `top-level ${name}`);
  }
  const C = 9, x = randF32(2 * C, 1), dy = randF32(2 * C, 2);
  const y = mm.softmax(x, { cols: C });
  sameBits(api.softmaxBackward(y, dy, { cols: C }), mm.softmaxBackward(y, dy, { cols: C }), 'top-level = engine');
});

describe('A/B. array forms, batches against rows, layouts, in place', () => {
  const R = 700, C = 61; // 700 rows of 61: three staged arrays of 61 floats cross several 128 KiB chunks
  const x = randF32(R * C, 3), dy = randF32(R * C, 4), mask = randMask(R * C, 5);
  for (let r = 0; r < R; r += 97) mask.fill(0, r * C, (r + 1) * C); // fully masked rows
  for (const [name, b] of Object.entries(BACKWARDS)) {
    test(`${name}: forms, rows one by one, mask, per-row α, in place`, () => {
      for (const withMask of [false, true]) {
        const o = { ...b.opts, cols: C, ...(withMask ? { mask } : {}) };
        const y = forwardOf(name, x, o);
        const dx = mm[name](y, dy, o);
        assert.ok(dx instanceof Float32Array && dx.length === R * C);
        sameBits(mm[name](Array.from(y), Float64Array.from(dy), o), dx, `${name}: number[] / Float64Array`);
        for (let r = 0; r < R; r += 37) {
          const s = r * C, e = s + C;
          const one = mm[name](y.subarray(s, e), dy.subarray(s, e), { ...b.opts, ...(withMask ? { mask: mask.subarray(s, e) } : {}) });
          sameBits(one, dx.subarray(s, e), `${name}${withMask ? ' masked' : ''}: row ${r}`);
        }
        if (withMask) for (let i = 0; i < R * C; i++) if (!mask[i] && dx[i] !== 0) assert.fail(`${name}: masked entry ${i} has dx ${dx[i]}`);
        for (const v of dx) if (Number.isNaN(v)) assert.fail(`${name}: NaN`);
        // in place over y, and zero-copy views
        const yy = y.slice();
        const inPlace = mm[name](yy, dy, { ...o, out: yy });
        assert.equal(inPlace, yy);
        sameBits(inPlace, dx, `${name}: in place`);
        mm.reserve(3 * R * C); // (then the three views need no growth, which would detach the first ones)
        const vy = mm.alloc(R * C), vdy = mm.alloc(R * C), vout = mm.alloc(R * C);
        vy.set(y); vdy.set(dy);
        const z = mm[name](vy, vdy, { ...o, out: vout });
        assert.equal(z, vout);
        sameBits(z, dx, `${name}: zero-copy`);
        mm.free(vy); mm.free(vdy); mm.free(vout);
      }
      if (b.perRowAlpha) {
        const rows = 40, a = Array.from({ length: rows }, (_, i) => b.perRowAlpha[i % b.perRowAlpha.length]);
        const xs = x.subarray(0, rows * C), dys = dy.subarray(0, rows * C);
        const y = mm[b.fwd](xs, { cols: C, alpha: a }), dx = mm[name](y, dys, { cols: C, alpha: a });
        for (let r = 0; r < rows; r++) {
          const s = r * C, e = s + C;
          sameBits(mm[name](y.subarray(s, e), dys.subarray(s, e), { alpha: a[r] }), dx.subarray(s, e), `${name}: α ${a[r]} row ${r}`);
        }
      }
    });
  }
  test('axis 0 (strided rows) equals the transposed call, for a backward and a loss', () => {
    const A = 37, B = 23, xt = randF32(A * B, 8), dyt = randF32(A * B, 9);
    const T = (a, rows, cols) => { const t = new Float32Array(a.length); for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]; return t; };
    const y = mm.entmax15({ data: xt, dims: [A, B] }, { axis: 0 });
    const dx = mm.entmax15Backward(y, { data: dyt, dims: [A, B] }, { axis: 0 });
    assert.deepEqual(dx.dims, [A, B]);
    const yT = mm.entmax15(T(xt, A, B), { cols: A }), dxT = mm.entmax15Backward(yT, T(dyt, A, B), { cols: A });
    sameBits(T(dxT, B, A), dx.data, 'entmax15Backward axis 0');
    const t = targetsFor(B, A, 10);
    const l = mm.sparsemaxLoss({ data: xt, dims: [A, B] }, t, { axis: 0, grad: true });
    const lT = mm.sparsemaxLoss(T(xt, A, B), t, { cols: A, grad: true });
    sameBits(l.loss, lT.loss, 'sparsemaxLoss axis 0: loss');
    sameBits(T(lT.grad, B, A), l.grad.data, 'sparsemaxLoss axis 0: grad');
  });
  for (const [label, lo] of Object.entries(LOSSES)) {
    const name = lossFn(label);
    test(`${label}: losses and gradients row by row, masks, dLoss, ignoreIndex`, () => {
      const t = targetsFor(R, C, 11, mask);
      t[3] = -100; t[500] = 7; // an ignored row, and one with ignoreIndex 7 below
      const dLoss = randF32(R, 12);
      const o = { ...lo, cols: C, mask, grad: true, dLoss };
      const res = mm[name](x, t, o);
      assert.ok(res.loss instanceof Float32Array && res.loss.length === R);
      assert.ok(res.grad instanceof Float32Array && res.grad.length === R * C);
      assert.equal(res.loss[3], 0);
      for (let j = 3 * C; j < 4 * C; j++) assert.equal(res.grad[j], 0, 'an ignored row has gradient 0');
      for (let r = 0; r < R; r += 41) {
        const s = r * C, e = s + C;
        const one = mm[name](x.subarray(s, e), [t[r]], { ...lo, mask: mask.subarray(s, e), grad: true, dLoss: [dLoss[r]] });
        sameBits(one.loss, res.loss.subarray(r, r + 1), `${label}: loss of row ${r}`);
        sameBits(one.grad, res.grad.subarray(s, e), `${label}: grad of row ${r}`);
      }
      for (const v of res.grad) if (Number.isNaN(v)) assert.fail(`${label}: NaN in grad`);
      for (let i = 0; i < R * C; i++) if (!mask[i] && res.grad[i] !== 0) assert.fail(`${label}: masked entry ${i}: ${res.grad[i]}`);
      // without grad: the same losses, no gradient; loss written to a caller's array
      const into = new Float32Array(R);
      const plain = mm[name](x, t, { ...lo, cols: C, mask, dLoss, loss: into });
      assert.equal(plain.loss, into);
      assert.equal(plain.grad, undefined);
      sameBits(plain.loss, res.loss, `${label}: loss without grad`);
      // a number[] of targets and a Float64Array x give the same bits
      sameBits(mm[name](Float64Array.from(x), Array.from(t), o).grad, res.grad, `${label}: array forms`);
      // ignoreIndex 7: row 500 is ignored
      const ig = mm[name](x, t.map((c) => (c === -100 ? 7 : c)), { ...o, ignoreIndex: 7 });
      assert.equal(ig.loss[500], 0);
      // dLoss as one number scales every row's gradient
      const two = mm[name](x.subarray(0, 4 * C), t.subarray(0, 4), { ...lo, cols: C, grad: true, dLoss: 2 });
      const one = mm[name](x.subarray(0, 4 * C), t.subarray(0, 4), { ...lo, cols: C, grad: true });
      for (let i = 0; i < 4 * C; i++) assert.ok(Math.abs(two.grad[i] - 2 * one.grad[i]) <= 1e-6 * Math.abs(one.grad[i]) + 1e-30, `${label}: dLoss 2 at ${i}`);
      if (name === 'crossEntropy' && lo.normalizer === 'multimax') {
        assert.ok(Array.isArray(res.dParams.ranges) && Array.isArray(res.dParams.ts));
        const sum = [0, 0, 0, 0];
        for (let r = 0; r < R; r++) {
          const s = r * C, e = s + C;
          const d = mm[name](x.subarray(s, e), [t[r]], { ...lo, mask: mask.subarray(s, e), grad: true, dLoss: [dLoss[r]] }).dParams;
          for (let k = 0; k < 4; k++) sum[k] += d.ts[k];
        }
        for (let k = 0; k < 4; k++) assert.ok(Math.abs(sum[k] - res.dParams.ts[k]) <= 1e-9 * (1 + Math.abs(sum[k])), `dParams.ts[${k}]: ${res.dParams.ts[k]} vs rows ${sum[k]}`);
      } else assert.equal(res.dParams, undefined);
    });
  }
});

test('losses whose out overlaps x in the engine heap (out = x, out one row further) equal the copying call', () => {
  const R = 50, C = 7, n = R * C, x = randF32(n, 40), t = targetsFor(R, C, 41);
  for (const [label, lo] of Object.entries(LOSSES)) {
    const name = lossFn(label), want = mm[name](x, t, { ...lo, cols: C, grad: true });
    const big = mm.alloc(n + C);
    for (const [how, xs, outs] of [['out = x', () => big.subarray(0, n), () => big.subarray(0, n)], ['out one row after x', () => big.subarray(0, n), () => big.subarray(C, C + n)]]) {
      const xv = xs(); xv.set(x);
      const got = mm[name](xv, t, { ...lo, cols: C, grad: true, out: outs() });
      sameBits(got.loss, want.loss, `${label}, ${how}: loss`);
      sameBits(got.grad, want.grad, `${label}, ${how}: grad`);
    }
    mm.free(big);
  }
});

describe('C. MultiMax backward: optional y, dParams forms', () => {
  const R = 300, C = 97, x = randF32(R * C, 20), dy = randF32(R * C, 21), mask = randMask(R * C, 22);
  for (const name of ['multimaxBackward', 'logMultimaxBackward']) {
    const fwd = name === 'multimaxBackward' ? 'multimax' : 'logMultimax';
    test(`${name}: y absent = y given, rows one by one, in place, forms of params`, () => {
      for (const [params, form] of [[P, 'checkpoint'], [PAPER, 'paper'], [mm.multimaxParams(P), 'checkpoint'], [mm.multimaxParams(PAPER), 'paper']]) {
        const o = { params, cols: C, mask };
        const y = mm[fwd](x, o);
        const given = mm[name](x, dy, { ...o, y }), absent = mm[name](x, dy, o);
        sameBits(absent.dx, given.dx, `${name}: dx with y recomputed`);
        assert.deepEqual(absent.dParams, given.dParams, `${name}: dParams with y recomputed`);
        if (form === 'paper') {
          assert.deepEqual(Object.keys(given.dParams), ['orders']);
          assert.equal(given.dParams.orders.length, 3, 'one gradient per order, zero orders included');
          for (const k of ['tb', 'b', 'td', 'd']) assert.equal(typeof given.dParams.orders[0][k], 'number');
          assert.ok(given.dParams.orders[2].tb !== 0 || given.dParams.orders[2].td !== 0, 'an order of zero coefficients has a gradient');
        } else {
          assert.deepEqual(Object.keys(given.dParams).sort(), ['ranges', 'ts']);
          assert.equal(given.dParams.ranges.length, 4); assert.equal(given.dParams.ts.length, 4);
        }
        const sum = new Float64Array(12);
        for (let r = 0; r < R; r += 1) {
          const s = r * C, e = s + C;
          const one = mm[name](x.subarray(s, e), dy.subarray(s, e), { params, mask: mask.subarray(s, e), y: y.subarray(s, e) });
          if (r % 29 === 0) sameBits(one.dx, given.dx.subarray(s, e), `${name}: row ${r}`);
          const flat = 'orders' in one.dParams ? one.dParams.orders.flatMap((q) => [q.tb, q.b, q.td, q.d]) : [...one.dParams.ranges, ...one.dParams.ts];
          flat.forEach((v, k) => { sum[k] += v; });
        }
        const all = 'orders' in given.dParams ? given.dParams.orders.flatMap((q) => [q.tb, q.b, q.td, q.d]) : [...given.dParams.ranges, ...given.dParams.ts];
        all.forEach((v, k) => assert.ok(Math.abs(v - sum[k]) <= 1e-9 * (1 + Math.abs(sum[k])), `${name}: dParams[${k}] ${v} vs the rows' sum ${sum[k]}`));
        const xx = x.slice(), inPlace = mm[name](xx, dy, { ...o, y, out: xx });
        assert.equal(inPlace.dx, xx);
        sameBits(inPlace.dx, given.dx, `${name}: in place over x`);
        for (let i = 0; i < R * C; i++) if (!mask[i] && given.dx[i] !== 0) assert.fail(`${name}: masked entry ${i}`);
      }
    });
  }
  test('tensor inputs give tensor results inside the records', () => {
    const t = { data: x.subarray(0, 6 * C), dims: [2, 3, C] };
    const r = mm.multimaxBackward(t, dy.subarray(0, 6 * C), { params: P });
    assert.deepEqual(r.dx.dims, [2, 3, C]);
    const l = mm.crossEntropy(t, [1, 2, 3, 4, 5, 6], { grad: true });
    assert.deepEqual(l.grad.dims, [2, 3, C]);
    assert.equal(l.loss.length, 6);
  });
});

describe('D. memory', () => {
  test('rows of up to 16,384 values never grow the memory', () => {
    const C = 16384, R = 3, x = randF32(R * C, 30), dy = randF32(R * C, 31), mask = randMask(R * C, 32, 0.9), t = targetsFor(R, C, 33, mask);
    const y = mm.softmax(x, { cols: C });
    const before = mm.memory.buffer.byteLength;
    mm.softmaxBackward(y, dy, { cols: C, mask });
    mm.multimaxBackward(x, dy, { cols: C, params: PAPER, mask });
    mm.logMultimaxBackward(x, dy, { cols: C, params: P, y });
    mm.entmaxBackward(y, dy, { cols: C, alpha: [1.25, 1.5, 3] });
    mm.sparsemaxLoss(x, t, { cols: C, mask, grad: true, dLoss: [1, 2, 3] });
    mm.entmaxLoss(x, t, { cols: C, mask, grad: true, alpha: [1.1, 1.5, 2] });
    mm.crossEntropy(x, t, { cols: C, mask, grad: true, normalizer: 'multimax', params: PAPER, labelSmoothing: 0.2 });
    assert.equal(mm.memory.buffer.byteLength, before, 'the memory grew');
  });
});

describe('E. argument errors', () => {
  const C = 5, x = [0.1, 2, -1, 0.5, 3, 1, 1, 1, 1, 1], dy = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0];
  const cases = [
    ['dy of another length', () => mm.softmaxBackward(x, dy.slice(1), { cols: C }), RangeError, /^dy: /],
    ['dy not numbers', () => mm.softmaxBackward(x, 'abc', { cols: C }), TypeError, /^dy: /],
    ['y of another length', () => mm.multimaxBackward(x, dy, { cols: C, params: P, y: [1, 2] }), RangeError, /^y: /],
    ['dy a tensor of other dims', () => mm.softmaxBackward({ data: x, dims: [2, 5] }, { data: dy, dims: [5, 2] }), RangeError, /^dy: expected dims \[2, 5\]/],
    ['y a tensor of other dims', () => mm.multimaxBackward({ data: x, dims: [2, 5] }, dy, { params: P, y: { data: x, dims: [10] } }), RangeError, /^y: expected dims/],
    ['params missing', () => mm.multimaxBackward(x, dy, { cols: C }), TypeError, /params is required/],
    ['targets not an array', () => mm.sparsemaxLoss(x, 3, { cols: C }), TypeError, /^targets: /],
    ['targets of another length', () => mm.sparsemaxLoss(x, [1], { cols: C }), RangeError, /^targets: /],
    ['target out of range', () => mm.sparsemaxLoss(x, [1, 5], { cols: C }), RangeError, /^targets\[1\]: /],
    ['negative target', () => mm.entmax15Loss(x, [-1, 0], { cols: C }), RangeError, /^targets\[0\]: /],
    ['target not an integer', () => mm.crossEntropy(x, [0.5, 1], { cols: C }), RangeError, /^targets\[0\]: /],
    ['target at a masked entry', () => mm.crossEntropy(x, [0, 1], { cols: C, mask: [1, 1, 1, 1, 1, 1, 0, 1, 1, 1] }), RangeError, /^targets\[1\]: /],
    ['targets as an option', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, targets: [0, 1] }), TypeError, /^targets: /],
    ['dLoss of another length', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, dLoss: [1] }), RangeError, /^dLoss: /],
    ['dLoss not finite', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, dLoss: [1, NaN] }), RangeError, /^dLoss\[1\]: /],
    ['grad not a boolean', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, grad: 1 }), TypeError, /^grad: /],
    ['out without grad', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, out: new Float32Array(10) }), TypeError, /^out: /],
    ['loss of another length', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, loss: new Float32Array(3) }), RangeError, /^loss: /],
    ['loss not a Float32Array', () => mm.sparsemaxLoss(x, [0, 1], { cols: C, loss: [0, 0] }), TypeError, /^loss: /],
    ['labelSmoothing out of range', () => mm.crossEntropy(x, [0, 1], { cols: C, labelSmoothing: 2 }), RangeError, /^labelSmoothing: /],
    ['normalizer unknown', () => mm.crossEntropy(x, [0, 1], { cols: C, normalizer: 'sparsemax' }), RangeError, /^normalizer: /],
    ['multimax without params', () => mm.crossEntropy(x, [0, 1], { cols: C, normalizer: 'multimax' }), TypeError, /params is required/],
    ['params with softmax', () => mm.crossEntropy(x, [0, 1], { cols: C, params: P }), TypeError, /^params: /],
    ['ignoreIndex not an integer', () => mm.crossEntropy(x, [0, 1], { cols: C, ignoreIndex: 0.5 }), RangeError, /^ignoreIndex: /],
    ['alpha below 1', () => mm.entmaxBackward(x, dy, { cols: C, alpha: 0.5 }), RangeError, /^alpha: /],
    ['an option of another operation', () => mm.sparsemaxBackward(x, dy, { cols: C, temperature: 2 }), TypeError, /^temperature: /],
  ];
  for (const [what, call, Kind, msg] of cases)
    test(`${what}: ${Kind.name} naming it, engine usable after`, () => {
      assert.throws(call, (e) => e instanceof Kind && msg.test(e.message), what);
      const y = mm.softmax(x, { cols: C });
      assert.ok(mm.softmaxBackward(y, dy, { cols: C }).every(Number.isFinite));
    });
});
