// The call contract of every operation of the table (src/ops.ts), walked from the table itself:
//   A. inputs: any array of numbers (number[], typed arrays, array-likes; tensor data too) is
//      copied into float32 and gives bitwise the Float32Array result; a non-number names x[i];
//   B. options: unknown or misspelt keys, options of other operations and a non-object are
//      TypeErrors naming the option (and listing what the operation takes); keys given as
//      undefined count as absent;
//   C. staging in chunks: a batch equals its rows computed one by one (bitwise, support too), for
//      every layout (flat, tensor axes, masks, per-row α), across chunk boundaries;
//   D. memory: calls on rows of up to 16,384 values never grow it (copying or zero-copy, any
//      number of rows); after reserve(n), calls on n values never do, for every operation and
//      every option;
//   E. wrong type vs wrong value: TypeError vs RangeError for axis, lengths, init sources.
// Run: node scripts/build.mjs && node --test tests/calls.test.mjs
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../tools/prng.mjs';

const api = await import(new URL('../dist/index.js', import.meta.url).href);
const { init, initSync } = api;
const wasm = readFileSync(new URL('../build/multimax.wasm', import.meta.url));
const wasmModule = new WebAssembly.Module(wasm);
const mm = await init();

function randF32(n, seed, scale = 4) {
  const r = mulberry32(seed), a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * r() - 1) * scale;
  return a;
}
function randMask(n, seed) {
  const r = mulberry32(seed), m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = r() < 0.7 ? 1 : 0;
  return m;
}
function sameBits(a, b, what) {
  assert.equal(a.length, b.length, `${what}: length`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i]) assert.fail(`${what}: element ${i}: ${a[i]} vs ${b[i]}`);
}

const P = { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] };
/** Every operation, with the options it needs and one per-row option to exercise. */
const OPS = {
  softmax: { need: {}, extra: { temperature: 0.7 } },
  logSoftmax: { need: {}, extra: {} },
  multimax: { need: { params: P }, extra: {} },
  logMultimax: { need: { params: P }, extra: {} },
  sparsemax: { need: {}, extra: {}, support: true },
  entmax15: { need: {}, extra: {}, support: true },
  entmax: { need: {}, extra: {}, support: true, alpha: [1.25, 1.5, 2, 3] },
  normmax: { need: {}, extra: {}, support: true, alpha: [1.5, 2, 4] },
  evSoftmax: { need: {}, extra: { training: true }, support: true },
};
/** The backward passes and losses (tests/train-calls.test.mjs walks them). */
const TRAIN_OPS = ['softmaxBackward', 'logSoftmaxBackward', 'multimaxBackward', 'logMultimaxBackward', 'sparsemaxBackward', 'entmax15Backward',
  'entmaxBackward', 'normmaxBackward', 'evSoftmaxBackward', 'sparsemaxLoss', 'entmax15Loss', 'entmaxLoss', 'crossEntropy'];
/** The layout options every operation takes, and each operation's own (from the README's table). */
const OWN = {
  softmax: ['temperature', 'mask'], logSoftmax: ['mask'], multimax: ['params', 'mask'], logMultimax: ['params', 'mask'],
  sparsemax: ['mask', 'support'], entmax15: ['mask', 'support'], entmax: ['mask', 'support', 'alpha'], normmax: ['mask', 'support', 'alpha'],
  evSoftmax: ['mask', 'support', 'training'],
};

test('the table, the engine methods and the top-level functions name the same operations', () => {
  for (const name of Object.keys(OPS)) {
    assert.equal(typeof mm[name], 'function', `engine.${name}`);
    assert.equal(typeof api[name], 'function', `top-level ${name}`);
  }
  // the table's operations are the engine's enumerable prototype methods (src/engine.ts)
  const table = Object.keys(api.Engine.prototype).sort();
  const fns = Object.keys(api).filter((k) => typeof api[k] === 'function' && !['init', 'initSync', 'Engine', 'MultimaxParams'].includes(k));
  assert.deepEqual(fns.sort(), table, 'the top-level functions (src/api.ts export list) are the table\'s operations');
  // (the backward passes and losses, which take two arrays, have their call contract in train-calls.test.mjs)
  // fused attention is not a row operation of the table: its methods come from src/attention.ts
  // (its call contract: attention.test.mjs)
  const ATTENTION = ['attention', 'attentionBackward'];
  assert.deepEqual([...Object.keys(OPS), ...TRAIN_OPS, ...ATTENTION].sort(), table, 'this file\'s OPS, TRAIN_OPS and ATTENTION list every method');
});

describe('A. inputs: any array of numbers', () => {
  const x32 = randF32(3 * 7, 11);
  const forms = [
    ['number[]', Array.from(x32)],
    ['Float64Array', Float64Array.from(x32)],
    ['an array-like object', Object.assign({ length: x32.length }, Array.from(x32))],
  ];
  for (const [name, o] of Object.entries(OPS)) {
    test(`${name}: number[], Float64Array and array-likes give the Float32Array result bitwise; tensor data too`, () => {
      const opts = { ...o.need, ...o.extra, cols: 7 };
      const ref = mm[name](x32, opts);
      for (const [what, x] of forms) {
        const y = mm[name](x, opts);
        assert.ok(y instanceof Float32Array, `${what}: a Float32Array`);
        sameBits(y, ref, `${name}(${what})`);
        sameBits(api[name](x, opts), ref, `top-level ${name}(${what})`);
      }
      const ints = Int16Array.of(3, -2, 0, 7, 1, 1);
      sameBits(mm[name](ints, { ...o.need, cols: 3 }), mm[name](Float32Array.from(ints), { ...o.need, cols: 3 }), `${name}(Int16Array)`);
      const t = mm[name]({ data: Array.from(x32), dims: [7, 3] }, { ...o.need, ...o.extra, axis: 0 });
      assert.ok(t.data instanceof Float32Array && t.dims.join() === '7,3');
      sameBits(t.data, mm[name]({ data: x32, dims: [7, 3] }, { ...o.need, ...o.extra, axis: 0 }).data, `${name}(tensor of number[], axis 0)`);
      const out = new Float32Array(x32.length), mask = randMask(x32.length, 12);
      assert.equal(mm[name](Array.from(x32), { ...opts, out, mask }), out, 'out is returned');
      sameBits(out, mm[name](x32, { ...opts, mask }), `${name}(number[], mask, out)`);
    });
  }
  test('values are rounded to float32: beyond its range they are ±∞ (with the ±∞ conventions)', () => {
    sameBits(mm.softmax([1e39, 0, 2]), Float32Array.of(1, 0, 0), 'softmax of [1e39, 0, 2]');
    sameBits(mm.softmax([0.1, 0.2]), mm.softmax(Float32Array.of(0.1, 0.2)), 'rounding');
  });
  test('a non-number is a TypeError naming x[i] (x.data[i] in a tensor); the engine stays usable', () => {
    for (const name of Object.keys(OPS)) {
      const o = OPS[name].need;
      assert.throws(() => mm[name]([0, 1, 'a'], o), { name: 'TypeError', message: /^x\[2\]: expected a number, got "a"/ });
      assert.throws(() => mm[name]([0, undefined], o), { name: 'TypeError', message: /^x\[1\]: / });
      assert.throws(() => mm[name]({ data: [0, 1n], dims: [2] }, o), { name: 'TypeError', message: /^x\.data\[1\]: / });
      assert.throws(() => mm[name](new BigUint64Array(2), o), { name: 'TypeError', message: /^x\[0\]: / });
      assert.throws(() => mm[name]('abc', o), { name: 'TypeError', message: /^x: expected an array of numbers/ });
      sameBits(mm[name]([1, 2], o), mm[name](Float32Array.of(1, 2), o), `${name} after the errors`);
    }
  });
  test('out must still be a Float32Array (or a tensor with Float32Array data)', () => {
    assert.throws(() => mm.softmax([1, 2], { out: [0, 0] }), { name: 'TypeError', message: /^out: / });
    assert.throws(() => mm.softmax({ data: [1, 2], dims: [2] }, { out: { data: [0, 0], dims: [2] } }), { name: 'TypeError', message: /^out: / });
  });
});

describe('B. options are checked against the operation', () => {
  const x = randF32(12, 21);
  for (const [name, o] of Object.entries(OPS)) {
    const takes = ['cols', 'axis', 'out', ...OWN[name]];
    test(`${name}: unknown and misspelt options are TypeErrors naming the option and listing ${name}'s options`, () => {
      for (const key of ['colz', 'masks', 'alpah', 'temprature', 'suport', 'trainig', 'param', 'rows', 'dims']) {
        assert.throws(() => mm[name](x, { ...o.need, cols: 4, [key]: 3 }), (e) => {
          assert.ok(e instanceof TypeError, `${key}: ${e}`);
          assert.match(e.message, new RegExp(`^${key}: ${name} has no option "${key}"`));
          for (const t of takes) assert.ok(e.message.includes(t), `${key}: the message lists ${t}: ${e.message}`);
          return true;
        });
        assert.throws(() => api[name](x, { ...o.need, [key]: 1 }), TypeError, `top-level ${name} ${key}`);
      }
      // the example: cols misspelt used to normalise one row of 6 instead of two rows of 3
      assert.throws(() => mm[name](x.subarray(0, 6), { ...o.need, colz: 3 }), { name: 'TypeError', message: /^colz: / });
    });
    test(`${name}: options of other operations are TypeErrors naming the option and who takes it`, () => {
      const others = { temperature: 2, params: P, alpha: 1.5, support: new Int32Array(3), training: true };
      for (const [key, v] of Object.entries(others)) {
        if (OWN[name].includes(key)) continue;
        assert.throws(() => mm[name](x, { ...o.need, cols: 4, [key]: v }), (e) => e instanceof TypeError && new RegExp(`^${key}: ${name} does not take ${key} \\(.* only\\)`).test(e.message), `${name} ${key}`);
      }
    });
    test(`${name}: a key given as undefined counts as absent (null too for mask and support, as before); the options must be an object, not an array`, () => {
      const ref = mm[name](x, { ...o.need, cols: 4 });
      sameBits(mm[name](x, { ...o.need, cols: 4, colz: undefined, temperature: undefined, mask: undefined }), ref, 'undefined keys');
      sameBits(mm[name](x, { ...o.need, cols: 4, mask: null, support: null }), ref, 'null mask and support');
      sameBits(mm[name]({ data: x, dims: null }, { ...o.need, cols: 4 }), ref, 'a tensor-like with dims null is a flat array (as before)');
      for (const bad of [[4], [], 'cols', 5, true]) assert.throws(() => mm[name](x, bad), { name: 'TypeError', message: /^options: expected an object/ });
    });
  }
});

/** Row r of a [rows, C] batch alone, with its slice of every per-row option. */
function rowByRow(name, x, rows, C, opts) {
  const y = new Float32Array(rows * C), support = opts.support ? new Int32Array(rows) : null;
  for (let r = 0; r < rows; r++) {
    const o = { ...opts, out: y.subarray(r * C, (r + 1) * C) };
    if (opts.mask) o.mask = opts.mask.subarray(r * C, (r + 1) * C);
    if (Array.isArray(opts.alpha)) o.alpha = opts.alpha[r];
    if (support) o.support = support.subarray(r, r + 1);
    mm[name](x.subarray(r * C, (r + 1) * C), o);
  }
  return { y, support };
}

describe('C. a batch staged in chunks equals its rows one by one', () => {
  // chunks hold 128 KiB of staged data: rows of 1,000 values give chunks of 25–32 rows, so that
  // 70 rows cross two boundaries; 40,000 rows of 3 values cross several with C = 3
  for (const [rows, C] of [[70, 1000], [40000, 3], [3, 20000]]) {
    for (const [name, o] of Object.entries(OPS)) {
      test(`${name}: ${rows}x${C}, copying and zero-copy, with mask, support and per-row alpha`, () => {
        const n = rows * C, x = randF32(n, rows + C), mask = randMask(n, 7 * rows + C);
        const opts = { ...o.need, ...o.extra, cols: C, mask };
        if (o.alpha) opts.alpha = Array.from({ length: rows }, (_, r) => o.alpha[r % o.alpha.length]);
        if (o.support) opts.support = new Int32Array(rows);
        const ref = rowByRow(name, x, rows, C, opts);
        sameBits(mm[name](x, opts), ref.y, `${name} copying`);
        if (o.support) assert.deepEqual(Array.from(opts.support), Array.from(ref.support), 'support');
        const xv = mm.alloc(n);
        xv.set(x);
        const yv = mm.alloc(n);
        const live = mm.refresh(xv);
        sameBits(mm[name](live, { ...opts, out: yv }), ref.y, `${name} zero-copy`);
        sameBits(mm[name](live, { ...opts, out: live }), ref.y, `${name} zero-copy in place`);
        mm.free(live); mm.free(yv);
      });
    }
  }
  for (const [name, o] of Object.entries(OPS)) {
    test(`${name}: axes that are not the last (gathered and scattered by chunk) equal the transposed batch`, () => {
      const dims = [5, 3000, 4], n = 5 * 3000 * 4, x = randF32(n, 31), mask = randMask(n, 32);
      const y = mm[name]({ data: x, dims }, { ...o.need, ...o.extra, axis: 1, mask });
      // the same rows, transposed by hand to the last axis
      const xt = new Float32Array(n), mt = new Uint8Array(n);
      for (let a = 0; a < 5; a++) for (let b = 0; b < 3000; b++) for (let c = 0; c < 4; c++) {
        xt[(a * 4 + c) * 3000 + b] = x[(a * 3000 + b) * 4 + c];
        mt[(a * 4 + c) * 3000 + b] = mask[(a * 3000 + b) * 4 + c];
      }
      const yt = mm[name](xt, { ...o.need, ...o.extra, cols: 3000, mask: mt });
      for (let a = 0; a < 5; a++) for (let b = 0; b < 3000; b++) for (let c = 0; c < 4; c++)
        if (!Object.is(y.data[(a * 3000 + b) * 4 + c], yt[(a * 4 + c) * 3000 + b])) assert.fail(`${name}: element [${a}, ${b}, ${c}] differs`);
    });
  }
});

describe('D. memory', () => {
  test('calls on rows of up to 16,384 values never grow the memory, however many rows (copying, zero-copy, any axis)', () => {
    const e = initSync(wasmModule), most = 100_000 * 8;
    let xv = e.alloc(most);
    const yv = e.alloc(most);
    xv = e.refresh(xv); // (the views first: alloc grows the memory)
    const bytes = e.memory.buffer.byteLength;
    for (const [name, o] of Object.entries(OPS)) {
      for (const [rows, C] of [[1, 16384], [100_000, 8], [300, 1024]]) {
        const n = rows * C, x = randF32(n, rows + C), flat = { cols: C }, tensor = { axis: 0 };
        const side = { ...o.need, ...o.extra, mask: randMask(n, 3) };
        if (o.alpha) side.alpha = new Float64Array(rows).fill(o.alpha[0]);
        if (o.support) side.support = new Int32Array(rows);
        const xz = xv.subarray(0, n), yz = yv.subarray(0, n);
        xz.set(x);
        e[name](x, { ...side, ...flat }); // copying
        assert.equal(e[name](xz, { ...side, ...flat, out: yz }), yz, `${name} ${rows}x${C}: zero-copy out returned`); // zero-copy
        e[name]({ data: x, dims: [C, rows] }, { ...side, ...tensor }); // copying, axis 0 (rows = the columns)
        e[name]({ data: xz, dims: [C, rows] }, { ...side, ...tensor, out: { data: yz, dims: [C, rows] } }); // zero-copy, axis 0
        assert.equal(e.memory.buffer.byteLength, bytes, `${name} ${rows}x${C} grew the memory`);
      }
    }
    assert.ok(xv.length === most && yv.length === most, 'the views stayed attached');
  });
  test('after reserve(n), every operation with every option on n values (one row, or n rows of 1) needs no growth', () => {
    const e = initSync(wasmModule), n = 100_000;
    e.reserve(n);
    const bytes = e.memory.buffer.byteLength, v = e.alloc(n);
    assert.equal(e.memory.buffer.byteLength, bytes, 'alloc(n) after reserve(n)');
    for (const [name, o] of Object.entries(OPS)) {
      for (const [rows, C] of [[1, n], [n, 1], [n / 100, 100]]) {
        const opts = { ...o.need, cols: C, mask: randMask(n, 5) };
        if (o.alpha) opts.alpha = new Float64Array(rows).fill(o.alpha[o.alpha.length - 1]);
        if (o.support) opts.support = new Int32Array(rows);
        e[name](randF32(n, 6), opts);
        e[name]({ data: randF32(n, 7), dims: [C, rows] }, { ...o.need, axis: 0, mask: opts.mask });
        v.set(randF32(n, 8));
        e[name](v, { ...opts, out: v });
        assert.equal(e.memory.buffer.byteLength, bytes, `${name} ${rows}x${C} grew the memory after reserve`);
      }
    }
  });
});

describe('E. a wrong type is a TypeError, a wrong value a RangeError', () => {
  test('axis', () => {
    assert.throws(() => mm.softmax({ data: new Float32Array(6), dims: [2, 3] }, { axis: '1' }), { name: 'TypeError', message: /^axis: / });
    assert.throws(() => mm.softmax(new Float32Array(6), { cols: 3, axis: '0' }), { name: 'TypeError', message: /^axis: / });
    assert.throws(() => mm.softmax(new Float32Array(6), { cols: 3, axis: 2 }), { name: 'RangeError', message: /^axis: / });
  });
  test('alloc and reserve lengths', () => {
    for (const f of ['alloc', 'reserve']) {
      assert.throws(() => mm[f]('4'), { name: 'TypeError', message: /^length: / });
      assert.throws(() => mm[f](0), { name: 'RangeError', message: /^length: / });
    }
  });
  test('x.dims entries', () => {
    assert.throws(() => mm.softmax({ data: new Float32Array(6), dims: [2, '3'] }), { name: 'TypeError', message: /^x\.dims\[1\]: / });
    assert.throws(() => mm.softmax({ data: new Float32Array(6), dims: [2, 3.5] }), { name: 'RangeError', message: /^x\.dims\[1\]: / });
  });
  test('init: an empty URL is a RangeError (it would name the working directory); a missing file a TypeError, like HTTP 404', async () => {
    await assert.rejects(() => init(''), { name: 'RangeError', message: /^init: url: expected a non-empty URL/ });
    await assert.rejects(() => init({ url: '' }), { name: 'RangeError', message: /^init: url: / });
    await assert.rejects(() => init(new URL('no-such-file.wasm', import.meta.url)), { name: 'TypeError', message: /^init: cannot read .*no-such-file\.wasm/ });
    await init(); // (the default engine again, for the files that run after this one)
  });
});

describe('F. arrays that share memory, empty batches, calls from inside a call', () => {
  const rows = 20000, C = 3, N = rows * C;
  const x0 = randF32(N, 61), mask0 = randMask(N, 62);
  for (const [name, o] of Object.entries(OPS)) {
    test(`${name}: x and out overlapping in one JS buffer, in the heap along axis 0, a mask inside out, support over x: the results of independent arrays`, () => {
      const opts = { ...o.need, ...o.extra, cols: C };
      const ref = mm[name](x0, { ...opts, mask: mask0 });
      // (a) x and out views of one JS buffer, one float apart, across many chunks
      for (const shift of [1, -1, 5]) {
        const buf = new Float32Array(N + 5), at = shift > 0 ? 0 : 5;
        const x = buf.subarray(at, at + N), out = buf.subarray(at + shift, at + shift + N);
        x.set(x0);
        sameBits(mm[name](x, { ...opts, mask: mask0, out }), ref, `${name}: out = x shifted by ${shift}`);
      }
      // (b) views of one alloc(), one float apart, normalised along axis 0 (strided rows)
      const v = mm.alloc(N + 1), xt = v.subarray(0, N), ot = v.subarray(1, N + 1);
      const t0 = mm[name]({ data: x0, dims: [C, rows] }, { ...o.need, ...o.extra, axis: 0 }).data;
      xt.set(x0);
      sameBits(mm[name]({ data: xt, dims: [C, rows] }, { ...o.need, ...o.extra, axis: 0, out: { data: ot, dims: [C, rows] } }).data, t0, `${name}: heap views overlapping, axis 0`);
      mm.free(v);
      // (c) the mask's bytes inside out's
      const out = new Float32Array(N), mask = new Uint8Array(out.buffer, 8, N);
      mask.set(mask0);
      sameBits(mm[name](x0, { ...opts, mask, out }), ref, `${name}: mask inside out`);
      // (d) support over the end of x's buffer (the sparse maps)
      if (o.support) {
        const buf = new ArrayBuffer(4 * N), x = new Float32Array(buf), support = new Int32Array(buf, 4 * (N - rows), rows);
        x.set(x0);
        const refSupport = new Int32Array(rows);
        const want = mm[name](x0, { ...opts, mask: mask0, support: refSupport });
        const got = mm[name](x, { ...opts, mask: mask0, support });
        sameBits(got, want, `${name}: support over x`);
        assert.deepEqual(Array.from(support), Array.from(refSupport), `${name}: support over x: support`);
      }
    });
  }
  test('an empty batch whose rows have no values (cols with axis 0 on 0 values) zeroes support', () => {
    for (const name of ['sparsemax', 'entmax15', 'entmax', 'normmax', 'evSoftmax']) {
      const support = new Int32Array(4).fill(7);
      const y = mm[name](new Float32Array(0), { cols: 4, axis: 0, support });
      assert.equal(y.length, 0);
      assert.deepEqual(Array.from(support), [0, 0, 0, 0], name);
    }
  });
  test('a getter of the options that calls the library gets its result, and so does the call (as before)', () => {
    const x = randF32(4 * 8, 71), other = randF32(3, 72), m = randMask(4 * 8, 73);
    const ref = mm.softmax(x, { cols: 8, temperature: 2, mask: m }), refOther = mm.sparsemax(other);
    let inner = null;
    const y = mm.softmax(x, { cols: 8, temperature: 2, get mask() { inner = mm.sparsemax(other); return m; } });
    sameBits(y, ref, 'outer call');
    sameBits(inner, refOther, 'the call made by the getter');
    const y2 = mm.entmax(x, { cols: 8, get alpha() { mm.softmax(other); return [1.25, 1.5, 2, 3]; } });
    sameBits(y2, mm.entmax(x, { cols: 8, alpha: [1.25, 1.5, 2, 3] }), 'entmax with an alpha getter');
  });
  test('a call from inside another call\'s staging (a getter of a mask element) is a TypeError; the engine stays usable', () => {
    const x = randF32(2 * 8, 74), m = randMask(2 * 8, 75);
    const mask = new Proxy(Array.from(m), { get: (t, k) => (k === '5' ? (mm.softmax(Float32Array.of(1, 2)), t[k]) : t[k]) });
    assert.throws(() => mm.softmax(x, { cols: 8, mask }), { name: 'TypeError', message: /^softmax: called while another call stages its arrays/ });
    sameBits(mm.softmax(x, { cols: 8, mask: m }), mm.softmax(x, { cols: 8, mask: Array.from(m) }), 'after the error');
  });
});
