// API contract of multimax-wasm, against the built package (dist/ + build/):
//   1. the export surface (ESM and CJS builds);
//   2. every init form, the wasm module itself (zero imports, SIMD and scalar builds);
//   3. every input form of the four normalisers against a float64 reference written here;
//   4. MultiMax parameter forms (checkpoint, paper, prepared, order 3, all zero);
//   5. the numerical conventions (masks, ±∞, NaN, huge finite inputs, temperature extremes);
//   6. every argument error (class + message naming the argument), and recovery after each.
//
// Run: node scripts/build.mjs && node --test tests/api.test.mjs
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mulberry32 } from '../tools/prng.mjs';

const DIST_ESM = new URL('../dist/index.js', import.meta.url);
const WASM_URL = new URL('../build/multimax.wasm', import.meta.url);
const SCALAR_URL = new URL('../build/multimax-scalar.wasm', import.meta.url);
for (const u of [DIST_ESM, WASM_URL, SCALAR_URL, new URL('../dist/index.cjs', import.meta.url)])
  if (!existsSync(u)) throw new Error(`${u.pathname} is missing: run \`node scripts/build.mjs\` first`);

const api = await import(DIST_ESM.href);
const { init, initSync, Engine, MultimaxParams, softmax, logSoftmax, multimax, logMultimax } = api;

// ------------------------------------------------------------------------------------------------
// fixtures

const wasmBuf = readFileSync(WASM_URL);
const scalarBuf = readFileSync(SCALAR_URL);
/** A fresh ArrayBuffer holding exactly the wasm bytes. */
const wasmAB = () => wasmBuf.buffer.slice(wasmBuf.byteOffset, wasmBuf.byteOffset + wasmBuf.byteLength);
/** A fresh Uint8Array over the wasm bytes (offset 0). */
const wasmU8 = () => new Uint8Array(wasmAB());
/** A Uint8Array of the wasm bytes that starts at a non-zero offset of a larger buffer. */
const wasmU8Offset = () => {
  const big = new Uint8Array(wasmBuf.byteLength + 24);
  big.set(wasmBuf, 8);
  return big.subarray(8, 8 + wasmBuf.byteLength);
};
const wasmModule = new WebAssembly.Module(wasmAB());
const scalarModule = new WebAssembly.Module(scalarBuf.buffer.slice(scalarBuf.byteOffset, scalarBuf.byteOffset + scalarBuf.byteLength));

// The main engine used by most tests, and the top level's engine: the plain SIMD build, which many
// tests compare bitwise with engines made from build/multimax.wasm. (Where relaxed SIMD is on, as in
// Node.js 22 and 24, init() alone loads the relaxed build, whose last bits may differ.)
const initPlain = () => init({ relaxed: false });
const mm = await initPlain();

const F32_MAX = 3.4028234663852886e38;

const rng = mulberry32; // deterministic PRNG
function randF32(n, seed, scale = 4) {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * r() - 1) * scale;
  return a;
}
function randMask(n, seed, keepProb = 0.7) {
  const r = rng(seed);
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = r() < keepProb ? 1 : 0;
  return m;
}
const prod = (a) => a.reduce((p, v) => p * v, 1);

// ------------------------------------------------------------------------------------------------
// float64 reference

const relu = (v) => (v > 0 ? v : 0);
/** Checkpoint-form φ: x + t0·relu(r0−x) + t1·relu(x−r1) + t2·relu(r2−x)² + t3·relu(x−r3)². */
function phiCheckpoint(x, { ranges: r, ts: t }) {
  if (x === -Infinity) return x;
  return x + t[0] * relu(r[0] - x) + t[1] * relu(x - r[1]) + t[2] * relu(r[2] - x) ** 2 + t[3] * relu(x - r[3]) ** 2;
}
/** Paper-form φ: order n adds (1 − tb)·max(b − x, 0)^n + (td − 1)·max(x − d, 0)^n. */
function phiPaper(x, { orders }) {
  if (x === -Infinity) return x;
  let z = x;
  orders.forEach((o, j) => {
    const n = j + 1;
    z += (1 - o.tb) * Math.max(o.b - x, 0) ** n + (o.td - 1) * Math.max(x - o.d, 0) ** n;
  });
  return z;
}
function refSoftmax(z) {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  if (m === -Infinity) return z.map(() => 0);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
function refLogSoftmax(z) {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  if (m === -Infinity) return z.map(() => -Infinity);
  const lse = Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
  return z.map((v) => v - m - lse);
}
/** Reference for one line (the values along the normalised axis) of a kind. */
function refLine(kind, vals, keep, opts) {
  let z;
  if (kind.params) {
    const phi = opts.params.orders ? phiPaper : phiCheckpoint;
    z = vals.map((v) => phi(v, opts.params));
  } else {
    const T = opts.temperature ?? 1;
    z = vals.map((v) => v / T);
  }
  if (keep) z = z.map((v, i) => (keep[i] ? v : -Infinity));
  return kind.log ? refLogSoftmax(z) : refSoftmax(z);
}
/** Reference over a whole array, normalising along `axis` of `dims`. */
function refAlong(kind, data, dims, axis, mask, opts) {
  const rank = dims.length;
  const a = axis < 0 ? axis + rank : axis;
  const outer = prod(dims.slice(0, a)), C = dims[a], inner = prod(dims.slice(a + 1));
  const out = new Float64Array(data.length);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < inner; j++) {
      const idx = [];
      for (let c = 0; c < C; c++) idx.push(o * C * inner + c * inner + j);
      const r = refLine(kind, idx.map((i) => data[i]), mask ? idx.map((i) => !!mask[i]) : null, opts);
      idx.forEach((i, c) => { out[i] = r[c]; });
    }
  return out;
}

const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(9) : String(v));
/** got within 1e-6 + 1e-5·|ref| (log: 1e-5·(1 + |ref|)); non-finite refs must match exactly. */
function assertClose(got, ref, log, label = '') {
  assert.equal(got.length, ref.length, `${label}: length`);
  const bad = [];
  for (let i = 0; i < ref.length; i++) {
    const g = got[i], r = ref[i];
    if (!Number.isFinite(r)) {
      if (!Object.is(g, r)) bad.push(`i=${i} got ${fmt(g)} ref ${fmt(r)}`);
      continue;
    }
    const tol = log ? 1e-5 * (1 + Math.abs(r)) : 1e-6 + 1e-5 * Math.abs(r);
    if (!(Math.abs(g - r) <= tol)) bad.push(`i=${i} got ${fmt(g)} ref ${fmt(r)} (|err| ${Math.abs(g - r).toExponential(2)} > ${tol.toExponential(2)})`);
  }
  assert.ok(bad.length === 0, `${label}: ${bad.length} element(s) off the float64 reference: ${bad.slice(0, 5).join('; ')}`);
}
/** Bitwise equality of two Float32Arrays (NaN equals NaN, −0 differs from +0). */
function assertBitwise(a, b, label = '') {
  assert.equal(a.length, b.length, `${label}: length`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++)
    if (ua[i] !== ub[i]) assert.fail(`${label}: differs at ${i}: ${fmt(a[i])} vs ${fmt(b[i])}`);
}
/** Masked positions are exactly 0 (log: −∞). */
function assertMaskedExact(got, mask, log, label = '') {
  for (let i = 0; i < got.length; i++)
    if (!mask[i]) assert.ok(log ? got[i] === -Infinity : got[i] === 0, `${label}: masked position ${i} is ${fmt(got[i])}, expected exactly ${log ? '-Infinity' : '0'}`);
}
function rowSums(y, cols, log = false) {
  const s = [];
  for (let r = 0; r < y.length / cols; r++) {
    let t = 0;
    for (let c = 0; c < cols; c++) t += log ? Math.exp(y[r * cols + c]) : y[r * cols + c];
    s.push(t);
  }
  return s;
}

// ------------------------------------------------------------------------------------------------
// the four normalisers

/** MultiMax parameters used throughout (float32-exact, so the float64 reference uses the same φ). */
const P = { ranges: [-0.5, 0.5, -1, 1], ts: [0.25, 0.375, 0.125, 0.0625] };
const LARGE_TS = { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] };

const KINDS = [
  { name: 'softmax', log: false, params: false, opts: {}, call: (e, x, o) => e.softmax(x, o), top: (x, o) => softmax(x, o) },
  { name: 'logSoftmax', log: true, params: false, opts: {}, call: (e, x, o) => e.logSoftmax(x, o), top: (x, o) => logSoftmax(x, o) },
  { name: 'multimax', log: false, params: true, opts: { params: P }, call: (e, x, o) => e.multimax(x, o), top: (x, o) => multimax(x, o) },
  { name: 'logMultimax', log: true, params: true, opts: { params: P }, call: (e, x, o) => e.logMultimax(x, o), top: (x, o) => logMultimax(x, o) },
];
const K = Object.fromEntries(KINDS.map((k) => [k.name, k]));
const run = (kind, x, extra = {}, engine = mm) => kind.call(engine, x, { ...kind.opts, ...extra });

/** A battery of results that must be identical on every engine built from the SIMD wasm. */
function battery(engine) {
  const x = randF32(5 * 37, 11);
  const mask = randMask(5 * 37, 12);
  const t = { data: randF32(3 * 4 * 5, 13), dims: [3, 4, 5] };
  const out = [];
  for (const k of KINDS) {
    out.push(run(k, x, { cols: 37 }, engine));
    out.push(run(k, x, { cols: 37, mask }, engine));
    out.push(run(k, t, { axis: 1 }, engine).data);
  }
  out.push(engine.softmax(x, { cols: 37, temperature: 0.7 }));
  return out;
}
const BASELINE = battery(mm);

/** The engine still gives correct results (used after every error). */
const HEALTH_X = randF32(3 * 19, 99);
const HEALTH_MASK = randMask(3 * 19, 98);
const HEALTH = KINDS.map((k) => run(k, HEALTH_X, { cols: 19, mask: HEALTH_MASK }));
function assertHealthy(engine = mm, label = 'engine after the error') {
  KINDS.forEach((k, i) => {
    const y = run(k, HEALTH_X, { cols: 19, mask: HEALTH_MASK }, engine);
    assertClose(y, refAlong(k, HEALTH_X, [3, 19], -1, HEALTH_MASK, k.opts), k.log, `${label}: ${k.name}`);
    if (engine === mm) assertBitwise(y, HEALTH[i], `${label}: ${k.name} vs before`);
  });
}

/** Asserts that fn throws an instance of Cls whose message matches re, then that the engine still works. */
function assertThrowsArg(fn, Cls, re, engine = mm) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Cls, `expected a ${Cls.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.match(e.message, re);
    return true;
  });
  assertHealthy(engine);
}
async function assertRejectsArg(promiseFn, Cls, re) {
  await assert.rejects(promiseFn, (e) => {
    assert.ok(e instanceof Cls, `expected a ${Cls.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.match(e.message, re);
    return true;
  });
  assertHealthy(mm);
}

/** Top-level functions are bound to `engine`: a NaN row through the top level shows in its lastSpecialRows. */
function assertTopLevelBoundTo(engine, label) {
  engine.softmax(Float32Array.of(1, 2)); // lastSpecialRows = 0
  const y = softmax(Float32Array.of(NaN, 1, 2, 3), { cols: 2 });
  assert.ok(Number.isNaN(y[0]) && Number.isNaN(y[1]), `${label}: NaN row`);
  assert.equal(engine.lastSpecialRows, 1, `${label}: top-level softmax did not run on this engine`);
}

// ================================================================================================
// 1. exports

const EXPECTED_EXPORTS = ['Engine', 'MultimaxParams', 'entmax', 'entmax15', 'evSoftmax', 'init', 'initSync', 'logMultimax', 'logSoftmax', 'multimax', 'normmax', 'softmax', 'sparsemax',
  // the backward passes and losses (issue 11, docs/training.md)
  'softmaxBackward', 'logSoftmaxBackward', 'multimaxBackward', 'logMultimaxBackward', 'sparsemaxBackward', 'entmax15Backward', 'entmaxBackward',
  'normmaxBackward', 'evSoftmaxBackward', 'sparsemaxLoss', 'entmax15Loss', 'entmaxLoss', 'crossEntropy',
  // fused attention (issue 12, docs/attention.md)
  'attention', 'attentionBackward'];

describe('1. exports', () => {
  test('ESM: every export is known to this test (add new exports here)', () => {
    const keys = Object.keys(api).sort();
    for (const k of keys) assert.ok(EXPECTED_EXPORTS.includes(k), `unknown export '${k}': add it to tests/api.test.mjs`);
    for (const k of EXPECTED_EXPORTS) assert.equal(typeof api[k], 'function', `export ${k}`);
    assert.deepEqual(keys, [...EXPECTED_EXPORTS].sort());
    assert.equal('default' in api, false, 'no default export');
  });

  test('init() returns an Engine; Engine and MultimaxParams are the classes of the returned objects', () => {
    assert.ok(mm instanceof Engine);
    assert.equal(mm.simd, true);
    assert.ok(mm.memory instanceof WebAssembly.Memory);
    assert.equal(mm.lastSpecialRows, 0);
    const p = mm.multimaxParams(P);
    assert.ok(p instanceof MultimaxParams);
    assert.ok(Object.isFrozen(p));
    assert.equal(p.order, 2);
    assert.ok(p.records instanceof Float32Array);
    assert.deepEqual(Array.from(p.records), [0.25, -0.5, 0.375, 0.5, 0.125, -1, 0.0625, 1]);
  });

  test('top-level softmax / logSoftmax / multimax / logMultimax equal the engine methods (bound to the last init)', async () => {
    const e = await initPlain();
    assertTopLevelBoundTo(e, 'after init()');
    const x = randF32(4 * 21, 5);
    const mask = randMask(4 * 21, 6);
    for (const k of KINDS) {
      assertBitwise(k.top(x, { ...k.opts, cols: 21 }), run(k, x, { cols: 21 }, e), `${k.name}`);
      assertBitwise(k.top(x, { ...k.opts, cols: 21, mask }), run(k, x, { cols: 21, mask }, e), `${k.name} masked`);
      const t = k.top({ data: x, dims: [4, 21] }, { ...k.opts, axis: 0 });
      assert.deepEqual(t.dims, [4, 21]);
      assertBitwise(t.data, run(k, { data: x, dims: [4, 21] }, { axis: 0 }, e).data, `${k.name} tensor`);
    }
    // a second init rebinds the top level; the first engine keeps working on its own
    const e2 = initSync(wasmModule);
    assertTopLevelBoundTo(e2, 'after initSync()');
    e.softmax(Float32Array.of(1, 2));
    softmax(Float32Array.of(NaN, 1));
    assert.equal(e.lastSpecialRows, 0, 'the older engine is no longer the top-level one');
    assertHealthy(e, 'older engine');
  });

  test('top-level functions throw a TypeError mentioning init before any init (fresh module instance)', async () => {
    const fresh = await import(`${DIST_ESM.href}?fresh=${Date.now()}`);
    assert.notEqual(fresh.softmax, softmax);
    for (const name of ['softmax', 'logSoftmax', 'multimax', 'logMultimax'])
      assert.throws(() => fresh[name](Float32Array.of(1, 2), { params: P }), (e) => e instanceof TypeError && /init/.test(e.message) && e.message.includes(name));
    const e = await fresh.init();
    assertClose(fresh.softmax(Float32Array.of(1, 2, 3)), refSoftmax([1, 2, 3]), false, 'fresh after init');
    assertHealthy(e, 'fresh engine');
  });

  test('CJS build: loads with require, same exports, init() with no argument finds the wasm', async () => {
    const cjs = createRequire(import.meta.url)('../dist/index.cjs');
    const keys = Object.keys(cjs).sort();
    for (const k of keys) assert.ok(EXPECTED_EXPORTS.includes(k), `unknown CJS export '${k}': add it to tests/api.test.mjs`);
    assert.deepEqual(keys, [...EXPECTED_EXPORTS].sort());
    for (const k of EXPECTED_EXPORTS) assert.equal(typeof cjs[k], 'function', `CJS export ${k}`);
    assert.throws(() => cjs.softmax(Float32Array.of(1)), (e) => e instanceof TypeError && /init/.test(e.message), 'CJS top level before its init');
    assert.equal((await cjs.init()).simd, true, 'init() with no argument finds a SIMD build');
    const e = await cjs.init({ relaxed: false }); // (the plain SIMD build, for the bitwise comparisons)
    assert.ok(e instanceof cjs.Engine);
    assert.equal(e.simd, true);
    const got = battery(e);
    got.forEach((y, i) => assertBitwise(y, BASELINE[i], `CJS battery #${i}`));
    const x = randF32(3 * 8, 3);
    assertBitwise(cjs.softmax(x, { cols: 8 }), mm.softmax(x, { cols: 8 }), 'CJS top-level softmax');
    assertBitwise(cjs.logMultimax(x, { cols: 8, params: P }), mm.logMultimax(x, { cols: 8, params: P }), 'CJS top-level logMultimax');
    assert.ok(cjs.initSync(wasmU8()) instanceof cjs.Engine);
    assert.ok(e.multimaxParams(P) instanceof cjs.MultimaxParams);
  });
});

// ================================================================================================
// 2. init forms and the wasm module

describe('2. init forms and the wasm module', () => {
  test('the module has zero imports and exports memory + the kernel functions (SIMD, relaxed-SIMD and scalar builds)', () => {
    // (the relaxed build is only validated where this Node.js has relaxed SIMD; its exports are read from its .wat)
    const relaxedWat = readFileSync(new URL('../build/multimax-relaxed.wat', import.meta.url), 'utf8');
    assert.ok(!/\(import /.test(relaxedWat), 'multimax-relaxed.wasm imports');
    for (const f of ['memory', 'heap_base', 'simd', 'softmax', 'log_softmax', 'multimax', 'log_multimax', 'sparsemax', 'entmax15', 'entmax', 'normmax', 'ev_softmax'])
      assert.ok(relaxedWat.includes(`(export "${f}"`), `multimax-relaxed.wasm: ${f}`);
    for (const [name, m] of [['multimax.wasm', wasmModule], ['multimax-scalar.wasm', scalarModule]]) {
      assert.equal(WebAssembly.Module.imports(m).length, 0, `${name} imports`);
      const ex = Object.fromEntries(WebAssembly.Module.exports(m).map((e) => [e.name, e.kind]));
      assert.equal(ex.memory, 'memory', `${name}: memory export`);
      for (const f of ['heap_base', 'simd', 'softmax', 'log_softmax', 'multimax', 'log_multimax', 'sparsemax', 'entmax15', 'entmax', 'normmax', 'ev_softmax']) assert.equal(ex[f], 'function', `${name}: ${f}`);
    }
    assert.ok(WebAssembly.validate(wasmAB()));
  });

  test('the SIMD build really contains v128 code in its hot kernels, the scalar build none', () => {
    // the .wat files are written by the same asc run as the .wasm files (scripts/build.mjs)
    const wat = readFileSync(new URL('../build/multimax.wat', import.meta.url), 'utf8');
    const scalarWat = readFileSync(new URL('../build/multimax-scalar.wat', import.meta.url), 'utf8');
    const body = (text, fn) => { const i = text.indexOf(`(func $${fn}`); assert.ok(i >= 0, `function ${fn} in the .wat`); return text.slice(i, text.indexOf('\n (func', i + 1)); };
    // (one kernel per file: assembly/kernels/<its name in kebab case>.ts, so the .wat names it <file>/<name>)
    const K = (name) => `assembly/kernels/${name.replace('__', '-').replace(/_/g, '-')}/${name}`;
    const EXP1 = K('f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16'), EXPK = K('f32_raddstoreexpminusmax_k__wasmsimd_b2_p5_u16');
    for (const fn of [EXP1, EXPK, K('f32_vmodmax_o2__wasmsimd_u8')]) {
      const b = body(wat, fn);
      for (const op of ['v128.load', 'v128.store', 'f32x4.mul', 'f32x4.add']) assert.ok(b.includes(op), `${fn} uses ${op}`);
    }
    assert.ok(body(wat, EXP1).includes('f64x2.promote_low_f32x4'), 'sums in f64x2 lanes');
    // the sparse normalisers' passes (search, output, candidate filter, ev-softmax's mean and exp)
    for (const fn of ['f32_rthresh_p2__wasmsimd_u16', 'f32_rthresh_pg__wasmsimd_u4', 'f32_vthreshpow_eg__wasmsimd_u4', 'f32_vrelusub_e2__wasmsimd_u16',
      'f32_vfilter__wasmsimd_u16', 'f32_rmaxsum__wasmsimd_u8', 'f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u16'].map(K)) {
      const b = body(wat, fn);
      assert.ok(b.includes('v128.load') && /f32x4\.(gt|lt|pmax|sub)/.test(b), `${fn} is vectorised`);
    }
    assert.ok(!/v128|f32x4|i32x4|f64x2/.test(scalarWat), 'the scalar build has no SIMD instruction');
    // the plain SIMD build has no relaxed instruction (it must run, bit-reproducibly, wherever SIMD
    // does); the relaxed build's exp loops use f32x4.relaxed_madd (its exp polynomial)
    assert.ok(!/relaxed/.test(wat), 'the SIMD build has no relaxed-SIMD instruction');
    const relaxedWat = readFileSync(new URL('../build/multimax-relaxed.wat', import.meta.url), 'utf8');
    for (const fn of [EXP1, EXPK]) {
      const b = body(relaxedWat, fn);
      assert.ok(/f32x4\.relaxed_(madd|fma)/.test(b), `relaxed build: ${fn} uses f32x4.relaxed_madd (binaryen prints it as relaxed_fma)`);
    }
  });

  test('SIMD build reports simd === true, the scalar build simd === false, and they agree numerically', async () => {
    assert.equal(mm.simd, true);
    const sc = await init(scalarModule);
    assert.equal(sc.simd, false);
    const sc2 = initSync(scalarBuf);
    assert.equal(sc2.simd, false);
    const x = randF32(6 * 45, 21);
    const mask = randMask(6 * 45, 22);
    for (const k of KINDS) {
      const ref = refAlong(k, x, [6, 45], -1, mask, k.opts);
      assertClose(run(k, x, { cols: 45, mask }, sc), ref, k.log, `scalar ${k.name}`);
      assertClose(run(k, x, { cols: 45, mask }, mm), ref, k.log, `simd ${k.name}`);
    }
    await initPlain(); // rebind the top level to a plain SIMD engine
  });

  const FORMS = [
    ['init({ relaxed: false })', () => init({ relaxed: false })],
    ['init(module)', () => init(wasmModule)],
    ['init({ module })', () => init({ module: wasmModule })],
    ['init(ArrayBuffer)', () => init(wasmAB())],
    ['init(Uint8Array)', () => init(wasmU8())],
    ['init(Uint8Array at a non-zero byteOffset)', () => init(wasmU8Offset())],
    ['init({ bytes: ArrayBuffer })', () => init({ bytes: wasmAB() })],
    ['init({ bytes: Uint8Array })', () => init({ bytes: wasmU8() })],
    ['init({ url: file: URL })', () => init({ url: WASM_URL })],
    ['init({ url: string })', () => init({ url: WASM_URL.href })],
    ['init(URL)', () => init(WASM_URL)],
    ['init(string)', () => init(WASM_URL.href)],
    ['initSync(module)', () => initSync(wasmModule)],
    ['initSync(ArrayBuffer)', () => initSync(wasmAB())],
    ['initSync(Uint8Array)', () => initSync(wasmU8Offset())],
    ['initSync({ module })', () => initSync({ module: wasmModule })],
    ['initSync({ bytes })', () => initSync({ bytes: wasmU8() })],
  ];
  for (const [name, make] of FORMS) {
    test(`${name}: an Engine with identical results, bound to the top level`, async () => {
      const r = make();
      if (name.startsWith('initSync')) assert.ok(r instanceof Engine, 'initSync returns the Engine synchronously');
      else assert.ok(r instanceof Promise, 'init returns a Promise');
      const e = await r;
      assert.ok(e instanceof Engine);
      assert.equal(e.simd, true);
      assert.notEqual(e.memory, mm.memory, 'each init makes its own instance');
      battery(e).forEach((y, i) => assertBitwise(y, BASELINE[i], `${name}: battery #${i}`));
      assertTopLevelBoundTo(e, name);
    });
  }
});

// ================================================================================================
// 3. input forms

describe('3. input forms', () => {
  for (const k of KINDS) {
    describe(k.name, () => {
      test('Float32Array, default cols (one row)', () => {
        for (const n of [1, 3, 4, 16, 17, 100]) {
          const x = randF32(n, n);
          const xc = x.slice();
          const y = run(k, x);
          assert.ok(y instanceof Float32Array && y !== x);
          assertClose(y, refAlong(k, x, [1, n], -1, null, k.opts), k.log, `n=${n}`);
          assertBitwise(x, xc, 'x untouched');
        }
      });

      test('Float32Array, explicit cols', () => {
        for (const [rows, cols] of [[1, 5], [3, 7], [8, 16], [4, 33], [7, 1]]) {
          const x = randF32(rows * cols, rows * 100 + cols);
          assertClose(run(k, x, { cols }), refAlong(k, x, [rows, cols], -1, null, k.opts), k.log, `${rows}x${cols}`);
        }
      });

      test('Float32Array, axis -1 / 1 equals the default', () => {
        const x = randF32(4 * 9, 31);
        const y = run(k, x, { cols: 9 });
        assertBitwise(run(k, x, { cols: 9, axis: -1 }), y, 'axis -1');
        assertBitwise(run(k, x, { cols: 9, axis: 1 }), y, 'axis 1');
      });

      test('Float32Array with cols, axis 0 / -2: normalises the columns (as the tensor [rows, cols] does)', () => {
        const rows = 2, cols = 3;
        const x = Float32Array.of(1, 2, 3, 4, 5, 7);
        const ref = refAlong(k, x, [rows, cols], 0, null, k.opts);
        assertClose(run(k, { data: x, dims: [rows, cols] }, { axis: 0 }).data, ref, k.log, 'tensor [2, 3] axis 0');
        assertClose(run(k, x, { cols, axis: 0 }), ref, k.log, 'Float32Array cols 3 axis 0');
        assertClose(run(k, x, { cols, axis: -2 }), ref, k.log, 'Float32Array cols 3 axis -2');
        const x1 = Float32Array.of(1, 2, 3);
        assertClose(run(k, x1, { axis: 0 }), refAlong(k, x1, [1, 3], 0, null, k.opts), k.log, 'one row [1, 3], axis 0');
      });

      const dims = [3, 5, 6];
      const T = { data: randF32(prod(dims), 41), dims };
      for (const axis of [undefined, -1, 2, 0, 1, -2, -3]) {
        test(`tensor [3, 5, 6], axis ${axis === undefined ? 'default' : axis}: tensor-like out with the same dims`, () => {
          const xc = T.data.slice();
          const y = run(k, T, axis === undefined ? {} : { axis });
          assert.ok(y && y.data instanceof Float32Array && y.data !== T.data);
          assert.deepEqual(Array.from(y.dims), dims);
          assertClose(y.data, refAlong(k, T.data, dims, axis ?? -1, null, k.opts), k.log, `axis ${axis}`);
          assertBitwise(T.data, xc, 'x.data untouched');
        });
      }

      test('tensor [2, 37] (SIMD body + tail) and 1-D tensor', () => {
        const t = { data: randF32(74, 42), dims: [2, 37] };
        assertClose(run(k, t).data, refAlong(k, t.data, [2, 37], -1, null, k.opts), k.log, '[2, 37]');
        assertClose(run(k, t, { axis: 0 }).data, refAlong(k, t.data, [2, 37], 0, null, k.opts), k.log, '[2, 37] axis 0');
        const t1 = { data: randF32(10, 43), dims: [10] };
        const y = run(k, t1);
        assert.deepEqual(Array.from(y.dims), [10]);
        assertClose(y.data, refAlong(k, t1.data, [10], 0, null, k.opts), k.log, '[10]');
      });

      test('out Float32Array: the same object is returned and filled', () => {
        const x = randF32(3 * 10, 51);
        const out = new Float32Array(30).fill(123);
        const y = run(k, x, { cols: 10, out });
        assert.equal(y, out);
        assertBitwise(out, run(k, x, { cols: 10 }), 'out contents');
        // tensor input with a Float32Array out along a non-last axis
        const out2 = new Float32Array(30);
        const t = run(k, { data: x, dims: [3, 10] }, { axis: 0, out: out2 });
        assert.equal(t.data, out2);
        assertBitwise(out2, run(k, { data: x, dims: [3, 10] }, { axis: 0 }).data, 'tensor out contents');
        // tensor-like out
        const outT = { data: new Float32Array(30), dims: [3, 10] };
        const t2 = run(k, { data: x, dims: [3, 10] }, { out: outT });
        assert.equal(t2.data, outT.data);
        assertBitwise(outT.data, run(k, x, { cols: 10 }), 'tensor-like out contents');
      });

      test('in place (out: x), last and non-last axis', () => {
        const x = randF32(4 * 12, 61);
        const expect = run(k, x, { cols: 12 });
        const expectAx0 = run(k, { data: x, dims: [4, 12] }, { axis: 0 }).data;
        const a = x.slice();
        assert.equal(run(k, a, { cols: 12, out: a }), a);
        assertBitwise(a, expect, 'in place, rows');
        const b = x.slice();
        const tb = { data: b, dims: [4, 12] };
        assert.equal(run(k, tb, { axis: 0, out: b }).data, b);
        assertBitwise(b, expectAx0, 'in place, axis 0');
        const c = x.slice();
        const tc = { data: c, dims: [4, 12] };
        assert.equal(run(k, tc, { out: tc }).data, c);
        assertBitwise(c, expect, 'in place, tensor out');
      });

      test('mask as Uint8Array and as boolean[]: 1/true = keep, masked entries exactly ' + (k.log ? '-Infinity' : '0'), () => {
        const rows = 4, cols = 21, n = rows * cols;
        const x = randF32(n, 71);
        const m = randMask(n, 72);
        const ref = refAlong(k, x, [rows, cols], -1, m, k.opts);
        const y1 = run(k, x, { cols, mask: m });
        assertClose(y1, ref, k.log, 'Uint8Array mask');
        assertMaskedExact(y1, m, k.log, 'Uint8Array mask');
        const y2 = run(k, x, { cols, mask: Array.from(m, (v) => v === 1) });
        assertBitwise(y2, y1, 'boolean[] mask');
        const y3 = run(k, x, { cols, mask: Array.from(m) });
        assertBitwise(y3, y1, 'number[] mask');
        const yt = run(k, { data: x, dims: [rows, cols] }, { mask: m });
        assertBitwise(yt.data, y1, 'tensor + mask');
        assertClose(run(k, x, { cols, mask: new Uint8Array(n).fill(1) }), refAlong(k, x, [rows, cols], -1, null, k.opts), k.log, 'all-ones mask');
      });

      test('mask combined with a non-last axis (0, 1, -2 of a 3-D tensor)', () => {
        const dims3 = [4, 6, 5], n = prod(dims3);
        const x = randF32(n, 81);
        const m = randMask(n, 82, 0.6);
        const mb = Array.from(m, Boolean);
        for (const axis of [0, 1, -2]) {
          const ref = refAlong(k, x, dims3, axis, m, k.opts);
          const y = run(k, { data: x, dims: dims3 }, { axis, mask: m });
          assertClose(y.data, ref, k.log, `axis ${axis}, Uint8Array mask`);
          assertMaskedExact(y.data, m, k.log, `axis ${axis}`);
          assertBitwise(run(k, { data: x, dims: dims3 }, { axis, mask: mb }).data, y.data, `axis ${axis}, boolean[] mask`);
          const io = x.slice();
          run(k, { data: io, dims: dims3 }, { axis, mask: m, out: io });
          assertBitwise(io, y.data, `axis ${axis}, mask, in place`);
        }
      });

      test('zero-copy: alloc views as x and/or out give the copying-path results', () => {
        const rows = 5, cols = 23, n = rows * cols;
        const x = randF32(n, 91);
        const m = randMask(n, 92);
        for (const mask of [undefined, m]) {
          const label = mask ? 'masked' : 'unmasked';
          const expect = run(k, x, { cols, mask });
          const vx = mm.alloc(n), vo = mm.alloc(n);
          assert.ok(vx instanceof Float32Array && vx.buffer === mm.memory.buffer && vx.length === n);
          // view x, JS result
          vx.set(x);
          const y1 = run(k, vx, { cols, mask });
          assert.ok(y1.buffer !== mm.memory.buffer, 'a fresh JS array when no out is given');
          assertBitwise(y1, expect, `${label}: view x, no out`);
          assertBitwise(vx, x, `${label}: view x untouched`);
          // view x, view out
          vo.fill(7);
          assert.equal(run(k, vx, { cols, mask, out: vo }), vo);
          assertBitwise(vo, expect, `${label}: view x, view out`);
          assertBitwise(vx, x, `${label}: view x untouched (view out)`);
          // JS x, view out
          vo.fill(7);
          assert.equal(run(k, x, { cols, mask, out: vo }), vo);
          assertBitwise(vo, expect, `${label}: JS x, view out`);
          // view x, JS out
          const jo = new Float32Array(n);
          assert.equal(run(k, vx, { cols, mask, out: jo }), jo);
          assertBitwise(jo, expect, `${label}: view x, JS out`);
          // in place on one view
          assert.equal(run(k, vx, { cols, mask, out: vx }), vx);
          assertBitwise(vx, expect, `${label}: in place on a view`);
          // non-last axis through views
          vx.set(x);
          const expectAx0 = run(k, { data: x, dims: [rows, cols] }, { axis: 0, mask }).data;
          const t = run(k, { data: vx, dims: [rows, cols] }, { axis: 0, mask, out: vo });
          assert.equal(t.data, vo);
          assertBitwise(vo, expectAx0, `${label}: views, axis 0`);
          // overlapping (shifted) views of one block
          const big = mm.alloc(n + 8);
          big.set(x, 0);
          const xs = big.subarray(0, n), os = big.subarray(4, 4 + n);
          assert.equal(run(k, xs, { cols, mask, out: os }), os);
          assertBitwise(os, expect, `${label}: overlapping views`);
          mm.free(big);
          mm.free(vx);
          mm.free(vo);
        }
      });

      test('top-level function gives the engine result', async () => {
        const e = await initPlain();
        const x = randF32(2 * 13, 101);
        assertBitwise(k.top(x, { ...k.opts, cols: 13 }), run(k, x, { cols: 13 }, e));
      });
    });
  }

  test('softmax temperature against the reference softmax(x / T)', () => {
    const x = randF32(3 * 29, 111);
    for (const temperature of [0.25, 0.7, 1, 3, 1000]) {
      const opts = { temperature };
      assertClose(mm.softmax(x, { cols: 29, temperature }), refAlong(K.softmax, x, [3, 29], -1, null, opts), false, `T=${temperature}`);
      const m = randMask(87, 112);
      assertClose(mm.softmax({ data: x, dims: [3, 29] }, { axis: 0, temperature, mask: m }).data, refAlong(K.softmax, x, [3, 29], 0, m, opts), false, `T=${temperature} axis 0 masked`);
    }
    assertBitwise(mm.softmax(x, { cols: 29, temperature: 1 }), mm.softmax(x, { cols: 29 }), 'T = 1 is the default');
  });

  test('other mask kinds: Uint8ClampedArray, Int8Array, and any nonzero byte keeps', () => {
    const x = randF32(24, 121);
    const m = randMask(24, 122);
    const expect = mm.softmax(x, { cols: 8, mask: m });
    assertBitwise(mm.softmax(x, { cols: 8, mask: Uint8ClampedArray.from(m) }), expect, 'Uint8ClampedArray');
    assertBitwise(mm.softmax(x, { cols: 8, mask: Int8Array.from(m, (v) => -v) }), expect, 'Int8Array with -1');
    assertBitwise(mm.multimax(x, { cols: 8, params: P, mask: m.map((v) => v * 255) }), mm.multimax(x, { cols: 8, params: P, mask: m }), 'Uint8Array 255');
  });

  test('empty inputs: a zero-length batch with cols and an empty tensor', () => {
    for (const k of KINDS) {
      const y = run(k, new Float32Array(0), { cols: 4 });
      assert.ok(y instanceof Float32Array && y.length === 0);
      const t = run(k, { data: new Float32Array(0), dims: [0, 4] });
      assert.deepEqual(Array.from(t.dims), [0, 4]);
      assert.equal(t.data.length, 0);
    }
  });

  test('zero-copy: refresh() after memory growth, detached views, free()', () => {
    const n = 40;
    const x = randF32(n, 131);
    const expect = mm.softmax(x, { cols: 8 });
    const v = mm.alloc(n);
    v.set(x);
    assert.equal(mm.refresh(v), v, 'refresh of a live view returns it');
    const before = mm.memory.buffer.byteLength;
    const big = mm.alloc(before / 4 + 1024); // cannot fit: the memory must grow
    assert.ok(mm.memory.buffer.byteLength > before, 'memory grew');
    assert.equal(big.length, before / 4 + 1024);
    assert.equal(v.length, 0, 'the old view is detached');
    assert.throws(() => mm.softmax(v, { cols: 8 }), (e) => e instanceof TypeError && /^x:/.test(e.message) && /refresh/.test(e.message));
    assertHealthy();
    assert.throws(() => mm.multimax({ data: v, dims: [5, 8] }, { params: P }), (e) => e instanceof TypeError && /refresh/.test(e.message), 'detached tensor data');
    const v2 = mm.refresh(v);
    assert.ok(v2.buffer === mm.memory.buffer && v2.length === n);
    assertBitwise(v2, x, 'contents survive growth');
    assert.equal(mm.refresh(v2), v2);
    assertBitwise(mm.softmax(v2, { cols: 8 }), expect, 'refreshed view as x');
    assert.equal(mm.softmax(v2, { cols: 8, out: v2 }), v2);
    assertBitwise(v2, expect, 'refreshed view in place');
    mm.free(big);
    mm.free(v2);
    assert.throws(() => mm.free(v2), (e) => e instanceof TypeError && /view/.test(e.message), 'double free');
    assert.throws(() => mm.refresh(v), (e) => e instanceof TypeError && /view/.test(e.message), 'refresh after free');
    assert.throws(() => mm.free(new Float32Array(4)), (e) => e instanceof TypeError && /view/.test(e.message), 'free of a foreign array');
    assert.throws(() => mm.refresh(new Float32Array(4)), (e) => e instanceof TypeError && /view/.test(e.message), 'refresh of a foreign array');
    assertHealthy();
  });

  test('zero-copy: a detached view passed as out throws a TypeError naming out and pointing to refresh', () => {
    const v = mm.alloc(8);
    const big = mm.alloc(mm.memory.buffer.byteLength / 4 + 1024);
    assert.equal(v.length, 0);
    assert.throws(() => mm.softmax(randF32(8, 1), { out: v }), (e) => e instanceof TypeError && /^out:/.test(e.message) && /refresh/.test(e.message));
    assertHealthy();
    mm.free(big);
    mm.free(mm.refresh(v));
  });

  test('zero-copy: an out view detached by growth during the call comes back as a live view', () => {
    // Staging is chunked (src/stage.ts): only a row longer than the initial arena plans for
    // (16,384 values) can make a call grow the memory. Here: axis 0 of [100000, 2], rows of 100,000.
    const e = initSync(wasmModule);
    const dims = [100000, 2];
    const x = randF32(prod(dims), 141);
    const vo = e.alloc(prod(dims));
    const before = e.memory.buffer.byteLength;
    const y = e.softmax({ data: x, dims }, { axis: 0, out: { data: vo, dims } });
    assert.ok(e.memory.buffer.byteLength > before, 'the call grew the memory');
    assert.ok(y.data.buffer === e.memory.buffer && y.data.length === x.length, 'live view returned');
    assertBitwise(y.data, mm.softmax({ data: x, dims }, { axis: 0 }).data, 'contents');
    assertBitwise(e.refresh(vo), y.data, 'refresh(out) sees the result');
    assertHealthy(e, 'engine after growth');
  });

  test('zero-copy: views whose rows have at most 16,384 values never grow the memory (the out view comes back itself)', () => {
    const e = initSync(wasmModule);
    const n = 2 ** 20;
    let xv = e.alloc(n);
    const yv = e.alloc(n);
    xv = e.refresh(xv); // (the second alloc grew the memory)
    const x = randF32(n, 142), mask = randMask(n, 143);
    xv.set(x);
    const bytes = e.memory.buffer.byteLength;
    const sup = new Int32Array(n / 64);
    const calls = [
      ['softmax', () => e.softmax(xv, { cols: 64, out: yv, mask }), () => mm.softmax(x, { cols: 64, mask })],
      ['multimax', () => e.multimax(xv, { cols: 1024, out: yv, mask, params: P }), () => mm.multimax(x, { cols: 1024, mask, params: P })],
      ['entmax', () => e.entmax(xv, { cols: 64, out: yv, mask, alpha: new Float64Array(n / 64).fill(1.25), support: sup }), () => mm.entmax(x, { cols: 64, mask, alpha: 1.25 })],
      ['sparsemax in place', () => { yv.set(x); return e.sparsemax(yv, { cols: 16384, out: yv, mask }); }, () => mm.sparsemax(x, { cols: 16384, mask })],
      ['evSoftmax axis 0', () => e.evSoftmax({ data: xv, dims: [64, n / 64] }, { axis: 0, out: { data: yv, dims: [64, n / 64] }, mask }).data, () => mm.evSoftmax({ data: x, dims: [64, n / 64] }, { axis: 0, mask }).data],
    ];
    for (const [what, call, ref] of calls) {
      const y = call();
      assert.equal(e.memory.buffer.byteLength, bytes, `${what}: the call grew the memory`);
      assert.equal(y, yv, `${what}: out itself is returned`);
      assert.ok(xv.length === n && yv.length === n, `${what}: views stay attached`);
      assertBitwise(y, ref(), what);
    }
  });

  test('reserve(n): afterwards views totalling n floats and copying calls on n values need no growth', () => {
    const e = initSync(wasmModule);
    const N = 200_000, cols = 1000, dims = [N / cols, cols];
    e.reserve(N);
    const bytes = e.memory.buffer.byteLength;
    assert.ok(bytes >= 4 * N, 'memory grew to hold n floats');
    const a = e.alloc(N / 2), b = e.alloc(N / 2);
    const x = randF32(N, 251);
    const m = randMask(N, 252);
    const y1 = e.softmax(x, { cols, mask: m });
    const y2 = e.logMultimax({ data: x, dims }, { axis: 0, params: P, mask: m });
    const y3 = e.multimax(x, { cols, params: P });
    // the sparse normalisers: two rows of scratch, per-row alpha and support (also with cols = 1,
    // where alpha and support take 12 bytes per value)
    const sup = new Int32Array(N / cols), alphas = new Float64Array(N / cols).fill(1.25);
    const y4 = e.entmax(x, { cols, alpha: alphas, support: sup, mask: m });
    const y5 = e.sparsemax({ data: x, dims }, { axis: 0, support: new Int32Array(cols) });
    const y6 = e.normmax(x, { cols: 1, alpha: new Float64Array(N).fill(2), support: new Int32Array(N) });
    assert.equal(e.memory.buffer.byteLength, bytes, 'a call after reserve grew the memory');
    assertBitwise(y4, mm.entmax(x, { cols, alpha: 1.25, mask: m }), 'entmax, per-row alpha');
    assertBitwise(y5.data, mm.sparsemax({ data: x, dims }, { axis: 0 }).data, 'sparsemax axis 0');
    assert.ok(y6.every((v) => v === 1), 'normmax of single-column rows');
    assert.ok(a.length === N / 2 && b.length === N / 2 && a.buffer === e.memory.buffer, 'views stay attached');
    assertBitwise(y1, mm.softmax(x, { cols, mask: m }), 'softmax');
    assertBitwise(y2.data, mm.logMultimax({ data: x, dims }, { axis: 0, params: P, mask: m }).data, 'logMultimax axis 0');
    assertBitwise(y3, mm.multimax(x, { cols, params: P }), 'multimax');
    a.set(x.subarray(0, N / 2));
    assert.equal(e.softmax(a, { cols, out: b }), b);
    assertBitwise(b, mm.softmax(x.subarray(0, N / 2), { cols }), 'views');
    e.reserve(10); // smaller than before: no-op
    assert.equal(e.memory.buffer.byteLength, bytes);
    for (const len of [0, -1, 1.5]) assertThrowsArg(() => e.reserve(len), RangeError, /^length: /, e);
    assertThrowsArg(() => e.reserve('10'), TypeError, /^length: /, e);
  });

  test('repeated calls of several shapes and alloc/free cycles do not grow the memory', () => {
    const e = initSync(wasmU8());
    const shapes = [];
    for (const k of KINDS) {
      const a = randF32(10, 1), b = randF32(7 * 33, 2), c = randF32(64 * 129, 3), d = randF32(4 * 16 * 9, 4);
      const mc = randMask(64 * 129, 5), md = randMask(4 * 16 * 9, 6);
      const prepared = k.params ? { params: e.multimaxParams(P) } : {};
      shapes.push(() => run(k, a, {}, e));
      shapes.push(() => run(k, b, { cols: 33 }, e));
      shapes.push(() => run(k, c, { cols: 129, mask: mc, ...prepared }, e));
      shapes.push(() => run(k, { data: d, dims: [4, 16, 9] }, { axis: 0, mask: md }, e));
      shapes.push(() => run(k, { data: d, dims: [4, 16, 9] }, { axis: 1, out: d.slice() }, e));
    }
    const v = e.alloc(7 * 33);
    v.set(randF32(7 * 33, 8));
    shapes.push(() => e.softmax(v, { cols: 33, out: v }));
    shapes.push(() => e.logMultimax(v, { cols: 33, params: P }));
    for (let w = 0; w < 2; w++) for (const s of shapes) s(); // warm-up
    const bytes = e.memory.buffer.byteLength;
    for (let i = 0; i < 1000; i++) shapes[i % shapes.length]();
    assert.equal(e.memory.buffer.byteLength, bytes, 'memory grew during repeated calls');
    for (let i = 0; i < 1000; i++) e.free(e.alloc(1 + (i % 50) * 100));
    assert.equal(e.memory.buffer.byteLength, bytes, 'memory grew during alloc/free cycles');
    assertHealthy(e);
  });
});

// ================================================================================================
// 4. params

describe('4. MultiMax params', () => {
  const CK = { ranges: [-0.3, 0.7, -1.2, 1.1], ts: [0.1, 0.3, 0.05, 0.07] };
  const toPaper = ({ ranges: r, ts: t }) => ({
    orders: [
      { tb: 1 - t[0], b: r[0], td: t[1] + 1, d: r[1] },
      { tb: 1 - t[2], b: r[2], td: t[3] + 1, d: r[3] },
    ],
  });

  test('checkpoint form and paper form (tb = 1 − ts, td = ts + 1) give bitwise identical results', () => {
    for (const ck of [CK, P, LARGE_TS]) {
      const paper = toPaper(ck);
      assertBitwise(mm.multimaxParams(paper).records, mm.multimaxParams(ck).records, 'packed records');
      const x = randF32(6 * 35, 151, 6);
      const m = randMask(6 * 35, 152);
      for (const k of [K.multimax, K.logMultimax]) {
        assertBitwise(run(k, x, { cols: 35, params: paper }), run(k, x, { cols: 35, params: ck }), `${k.name}`);
        assertBitwise(run(k, x, { cols: 35, params: paper, mask: m }), run(k, x, { cols: 35, params: ck, mask: m }), `${k.name} masked`);
        assertBitwise(run(k, { data: x, dims: [6, 35] }, { axis: 0, params: paper }).data, run(k, { data: x, dims: [6, 35] }, { axis: 0, params: ck }).data, `${k.name} axis 0`);
      }
    }
  });

  test('checkpoint params against the float64 reference (non-dyadic values)', () => {
    const x = randF32(4 * 30, 153, 3);
    for (const k of [K.multimax, K.logMultimax]) assertClose(run(k, x, { cols: 30, params: CK }), refAlong(k, x, [4, 30], -1, null, { params: CK }), k.log, k.name);
  });

  test('multimaxParams(p) returns a MultimaxParams accepted as params with identical results', () => {
    for (const raw of [CK, toPaper(CK), P]) {
      const prepared = mm.multimaxParams(raw);
      assert.ok(prepared instanceof MultimaxParams);
      assert.equal(mm.multimaxParams(prepared), prepared, 'prepared params pass through');
      const x = randF32(3 * 40, 161);
      for (const k of [K.multimax, K.logMultimax]) {
        assertBitwise(run(k, x, { cols: 40, params: prepared }), run(k, x, { cols: 40, params: raw }), k.name);
        // usable on another engine too
        const other = initSync(wasmModule);
        assertBitwise(run(k, x, { cols: 40, params: prepared }, other), run(k, x, { cols: 40, params: raw }), `${k.name} other engine`);
      }
      assertBitwise(multimax(randF32(9, 3), { params: prepared }), mm.multimax(randF32(9, 3), { params: raw }), 'top-level with prepared params');
    }
  });

  test('order-3 paper-form parameters against the float64 reference', () => {
    const p3 = {
      orders: [
        { tb: 0.75, b: -0.5, td: 1.25, d: 0.5 },
        { tb: 0.875, b: -1, td: 1.125, d: 1 },
        { tb: 0.9375, b: -1.5, td: 1.03125, d: 1.5 },
      ],
    };
    const prepared = mm.multimaxParams(p3);
    assert.equal(prepared.order, 3);
    for (const k of [K.multimax, K.logMultimax]) {
      for (const [rows, cols] of [[1, 3], [4, 8], [5, 37]]) {
        const x = randF32(rows * cols, rows * 7 + cols, 3);
        const ref = refAlong(k, x, [rows, cols], -1, null, { params: p3 });
        assertClose(run(k, x, { cols, params: p3 }), ref, k.log, `${k.name} ${rows}x${cols}`);
        const m = randMask(rows * cols, 5);
        const y = run(k, x, { cols, params: p3, mask: m });
        assertClose(y, refAlong(k, x, [rows, cols], -1, m, { params: p3 }), k.log, `${k.name} ${rows}x${cols} masked`);
        assertMaskedExact(y, m, k.log, `${k.name} masked`);
      }
      const t = { data: randF32(3 * 4 * 5, 171, 3), dims: [3, 4, 5] };
      assertClose(run(k, t, { axis: 1, params: p3 }).data, refAlong(k, t.data, [3, 4, 5], 1, null, { params: p3 }), k.log, `${k.name} axis 1`);
    }
  });

  test('all-zero parameters give results bitwise equal to softmax / logSoftmax', () => {
    const zeros = [
      { ranges: [-0.5, 0.5, -1, 1], ts: [0, 0, 0, 0] },
      { ranges: [0, 0, 0, 0], ts: [0, 0, 0, 0] },
      { orders: [{ tb: 1, b: 2, td: 1, d: -2 }] },
      { orders: [{ tb: 1, b: 0, td: 1, d: 0 }, { tb: 1, b: 0, td: 1, d: 0 }, { tb: 1, b: 0, td: 1, d: 0 }] },
    ];
    const x = randF32(5 * 27, 181, 10);
    const m = randMask(5 * 27, 182);
    for (const z of zeros) {
      assert.equal(mm.multimaxParams(z).order, 0);
      for (const mask of [undefined, m]) {
        assertBitwise(mm.multimax(x, { cols: 27, params: z, mask }), mm.softmax(x, { cols: 27, mask }), 'multimax = softmax');
        assertBitwise(mm.logMultimax(x, { cols: 27, params: z, mask }), mm.logSoftmax(x, { cols: 27, mask }), 'logMultimax = logSoftmax');
      }
      const t = { data: x, dims: [5, 27] };
      assertBitwise(mm.multimax(t, { axis: 0, params: z }).data, mm.softmax(t, { axis: 0 }).data, 'axis 0');
    }
  });

  test('trailing all-zero orders are dropped without changing the result', () => {
    const p1 = { orders: [{ tb: 0.75, b: -0.5, td: 1.25, d: 0.5 }] };
    const p1z = { orders: [...p1.orders, { tb: 1, b: 3, td: 1, d: -3 }] };
    assert.equal(mm.multimaxParams(p1z).order, 1);
    const x = randF32(2 * 20, 191, 3);
    assertBitwise(mm.multimax(x, { cols: 20, params: p1z }), mm.multimax(x, { cols: 20, params: p1 }));
    assertClose(mm.multimax(x, { cols: 20, params: p1 }), refAlong(K.multimax, x, [2, 20], -1, null, { params: p1 }), false, 'order 1');
  });
});

// ================================================================================================
// 5. conventions

describe('5. conventions', () => {
  const LINE_KINDS = KINDS;

  for (const k of LINE_KINDS) {
    describe(k.name, () => {
      const zero = k.log ? -Infinity : 0;

      test('an all-masked row gives ' + (k.log ? '-Infinity' : 'zeros') + '; the other rows are unaffected', () => {
        const rows = 3, cols = 18, n = rows * cols;
        const x = randF32(n, 201);
        const m = randMask(n, 202);
        m.fill(0, cols, 2 * cols);
        const y = run(k, x, { cols, mask: m });
        assert.equal(mm.lastSpecialRows, 1, 'lastSpecialRows');
        for (let i = cols; i < 2 * cols; i++) assert.ok(Object.is(y[i], zero) || (zero === 0 && y[i] === 0), `masked row entry ${i} = ${y[i]}`);
        for (const r of [0, 2]) {
          const alone = run(k, x.subarray(r * cols, (r + 1) * cols), { mask: m.subarray(r * cols, (r + 1) * cols) });
          assertBitwise(y.subarray(r * cols, (r + 1) * cols), alone, `row ${r}`);
        }
        assertClose(y, refAlong(k, x, [rows, cols], -1, m, k.opts), k.log, 'reference');
      });

      test('-Infinity inputs behave as masked (and an all -Infinity row as all masked)', () => {
        const rows = 3, cols = 21, n = rows * cols;
        const x = randF32(n, 211);
        const m = randMask(n, 212);
        m.fill(0, 2 * cols, 3 * cols);
        const xi = x.map((v, i) => (m[i] ? v : -Infinity));
        assertBitwise(run(k, xi, { cols }), run(k, x, { cols, mask: m }), '-Infinity vs mask');
        assertBitwise(run(k, { data: xi, dims: [rows, cols] }, { axis: 0 }).data, run(k, { data: x, dims: [rows, cols] }, { axis: 0, mask: m }).data, 'axis 0');
      });

      test('NaN in a row makes that row all NaN; the other rows are exact', () => {
        const rows = 4, cols = 19, n = rows * cols;
        const x = randF32(n, 221);
        x[cols + 5] = NaN; // row 1: NaN among finite values
        x[3 * cols] = NaN; x[3 * cols + 1] = Infinity; // row 3: NaN and +Infinity
        const y = run(k, x, { cols });
        assert.equal(mm.lastSpecialRows, 2, 'lastSpecialRows');
        for (const r of [1, 3]) for (let c = 0; c < cols; c++) assert.ok(Number.isNaN(y[r * cols + c]), `row ${r} col ${c} = ${y[r * cols + c]}`);
        for (const r of [0, 2]) assertBitwise(y.subarray(r * cols, (r + 1) * cols), run(k, x.slice(r * cols, (r + 1) * cols)), `row ${r}`);
        // a NaN at a masked position is ignored
        const m = new Uint8Array(n).fill(1);
        m[cols + 5] = 0; m[3 * cols] = 0;
        const ym = run(k, x, { cols, mask: m });
        assert.ok(!Number.isNaN(ym[cols]) && ym[cols + 5] === zero, 'masked NaN does not poison its row');
        // NaN along a non-last axis
        const yt = run(k, { data: x, dims: [rows, cols] }, { axis: 0 });
        for (let r = 0; r < rows; r++) assert.ok(Number.isNaN(yt.data[r * cols + 5]), 'column 5 is NaN');
        assert.ok(!Number.isNaN(yt.data[2 * cols + 6]), 'column 6 is not');
      });

      test('+Infinity entries share the mass equally (others 0; log: -log(count) and -Infinity)', () => {
        const cases = [
          { x: [Infinity, 1, Infinity, -Infinity, 5], count: 2 },
          { x: [Infinity, Infinity, Infinity, 0, -3, 2, 1, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9], count: 3 },
          { x: [1e30, Infinity, -3.4e38], count: 1 },
        ];
        for (const { x, count } of cases) {
          const y = run(k, Float32Array.from(x));
          const p = k.log ? Math.fround(-Math.log(count)) : Math.fround(1 / count);
          x.forEach((v, i) => assert.ok(Object.is(y[i], v === Infinity ? p : zero) || (!k.log && v !== Infinity && y[i] === 0), `x=${x} i=${i}: ${y[i]}`));
        }
        // a masked +Infinity takes no mass
        const y = run(k, Float32Array.of(Infinity, Infinity, Infinity, 1), { mask: [1, 0, 1, 1] });
        const p = k.log ? Math.fround(-Math.log(2)) : 0.5;
        assert.deepEqual(Array.from(y), [p, zero, p, zero]);
      });

      const extremeRows = [
        [3.4e38, -3.4e38, 0, 1],
        [-3.4e38, -3.4e38, -3.4e38, -3.4e38],
        [3.4e38, 3.4e38, 3.4e38, 3.4e38],
        [1e30, -1e30, 1e-30, -1e-45],
        [3.4e38, 1, 2, 3],
        [-3.4e38, 1, 2, 3],
        [1e20, -1e20, 1e10, -1e10],
        [F32_MAX, -F32_MAX, F32_MAX, -1],
        [-F32_MAX, -1e38, -2e38, 1e-40],
      ];
      const longRow = (() => {
        const r = rng(231), a = new Float32Array(3 * 37);
        const pool = [3.4e38, -3.4e38, 1e38, -1e38, 1e20, -1e20, 1, -1, 0, 1e-30];
        for (let i = 0; i < a.length; i++) a[i] = pool[Math.floor(r() * pool.length)] * (0.5 + 0.5 * r()); // stays finite
        return a;
      })();
      const paramSets = k.params ? [['P', P], ['large_ts', LARGE_TS]] : [['-', undefined]];
      for (const [pname, params] of paramSets) {
        test(`finite inputs of any magnitude never give NaN or +-Infinity; rows sum to 1 (params ${pname})`, () => {
          const batches = [[Float32Array.from(extremeRows.flat()), 4], [longRow, 37]];
          for (const [x, cols] of batches) {
            const opts = params ? { cols, params } : { cols };
            const y = k.call(mm, x, opts);
            const ref = refAlong(k, x, [x.length / cols, cols], -1, null, params ? { params } : {});
            for (let i = 0; i < y.length; i++) {
              assert.ok(!Number.isNaN(y[i]) && y[i] !== Infinity, `i=${i} x=${x[i]}: ${y[i]}`);
              // log: -Infinity only where the true value is below -FLT_MAX
              if (y[i] === -Infinity) assert.ok(k.log && ref[i] < -F32_MAX, `i=${i} x=${x[i]}: -Infinity (ref ${ref[i]})`);
            }
            rowSums(y, cols, k.log).forEach((s, r) => assert.ok(Math.abs(s - 1) <= 1e-6, `row ${r} sums to ${s}`));
            // softmax / logSoftmax: also against the reference (entries whose true log value is
            // below -FLT_MAX were checked above)
            if (!params) assertClose(y, ref.map((v, i) => (v < -F32_MAX ? y[i] : v)), k.log, 'reference');
          }
        });
      }
    });
  }

  test('temperature extremes (1e-30, 1e30) give finite rows summing to 1', () => {
    const batches = [[randF32(5 * 37, 241), 37], [Float32Array.from([3.4e38, -3.4e38, 0, 1, 1e-30, 0, -1e-30, 2e-30, 1e30, -1e30, 1e-30, -1e-45, 1, 1, 0, 0]), 4]];
    for (const temperature of [1e-30, 1e30]) {
      for (const [x, cols] of batches) {
        const y = mm.softmax(x, { cols, temperature });
        y.forEach((v, i) => assert.ok(Number.isFinite(v), `T=${temperature} i=${i}: ${v}`));
        rowSums(y, cols).forEach((s, r) => assert.ok(Math.abs(s - 1) <= 1e-6, `T=${temperature} row ${r} sums to ${s}`));
        assertClose(y, refAlong(K.softmax, x, [x.length / cols, cols], -1, null, { temperature }), false, `T=${temperature} reference`);
      }
    }
    // T = 1e30 on ordinary inputs is uniform, T = 1e-30 is one-hot (ties shared)
    const u = mm.softmax(Float32Array.of(1, 2, 3, 4), { temperature: 1e30 });
    assertClose(u, [0.25, 0.25, 0.25, 0.25], false, 'uniform');
    assert.deepEqual(Array.from(mm.softmax(Float32Array.of(1, 3, 2, 3), { temperature: 1e-30 })), [0, 0.5, 0, 0.5]);
    // T beyond float32 (1/T rounds below the smallest subnormal): uniform over the kept entries,
    // and masked or −∞ entries still get exactly 0 (not NaN from −∞·0)
    for (const temperature of [1e50, Number.MAX_VALUE]) {
      const w = mm.softmax(Float32Array.of(1, -Infinity, 5, 2), { temperature, mask: [1, 1, 1, 0] });
      assertClose(w, [0.5, 0, 0.5, 0], false, `T=${temperature}`);
      assert.equal(w[1], 0); assert.equal(w[3], 0);
    }
  });

  test('documented limit: x − max is formed in float32 before 1/T, so a row spanning more than 3.4e38 gives 0 to the far entries (still finite, sums to 1)', () => {
    // softmax([2e38, -2e38] / 1e38) would be softmax([2, -2]), but -2e38 - 2e38 overflows to -Infinity first.
    const y = mm.softmax(Float32Array.of(2e38, -2e38), { temperature: 1e38 });
    assert.deepEqual(Array.from(y), [1, 0]);
    // a span below 3.4e38 is exact at the same temperature
    assertClose(mm.softmax(Float32Array.of(1.5e38, -1.5e38), { temperature: 1e38 }), refSoftmax([Math.fround(1.5e38) / 1e38, Math.fround(-1.5e38) / 1e38]), false, 'span 3e38');
  });

  test('MultiMax +Infinity follows the limit of φ: sign of the top upper coefficient, or d1 when 1 + c1 = 0', () => {
    // c2 < 0: φ(+∞) = −∞, the +∞ entry gets 0 and the others the softmax of their φ
    const neg = { ranges: [0, 0, 0, 0.5], ts: [0, 0, 0, -0.5] };
    const x = Float32Array.of(Infinity, 0.25, -1, 2);
    const y = mm.multimax(x, { params: neg });
    assert.equal(y[0], 0);
    assertClose(y, refSoftmax([-Infinity, ...[0.25, -1, 2].map((v) => phiCheckpoint(v, neg))]), false, 'c2 < 0');
    // 1 + c1 = 0 (order 1 only): φ(x) = d1 for x ≥ d1, so φ(+∞) = d1
    const flat = { ranges: [0, 0.5, 0, 0], ts: [0, -1, 0, 0] };
    const z = Float32Array.of(Infinity, 0, 0.25);
    assertClose(mm.multimax(z, { params: flat }), refSoftmax([0.5, 0, 0.25]), false, '1 + c1 = 0');
    assertClose(mm.logMultimax(z, { params: flat }), refLogSoftmax([0.5, 0, 0.25]), true, '1 + c1 = 0, log');
  });

  test('MultiMax with mixed-sign coefficients whose float32 φ overflows to ∞ − ∞ stays finite (float64 path)', () => {
    const mixed = { ranges: [0, 0, 0, 0], ts: [2, 0, -1, 0] };
    const x = Float32Array.of(-3e38, 1, 2, 3, 4, 5, 6, 7, 8);
    const y = mm.multimax(x, { params: mixed });
    assertClose(y, refSoftmax(Array.from(x, (v) => phiCheckpoint(v, mixed))), false, 'reference');
    const yl = mm.logMultimax(x, { params: mixed });
    assert.ok(yl.every((v) => !Number.isNaN(v)));
  });

  test('lastSpecialRows counts the rows that took the exceptional path', () => {
    const cols = 4;
    const x = Float32Array.of(1, 2, 3, 4, NaN, 1, 1, 1, 5, 6, 7, 8, Infinity, 0, 0, 0);
    const m = Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1);
    mm.softmax(x, { cols, mask: m });
    assert.equal(mm.lastSpecialRows, 3);
    mm.softmax(Float32Array.of(1, 2, 3, 4), { cols });
    assert.equal(mm.lastSpecialRows, 0);
  });
});

// ================================================================================================
// 6. errors

describe('6. errors (class + message naming the argument; the engine keeps working)', () => {
  const x12 = randF32(12, 301);

  describe('x', () => {
    const bad = [
      ['null', null],
      ['undefined', undefined],
      ['a number', 42],
      ['a string', 'abc'],
      ['a plain object', { length: 'x' }],
      ['a DataView', new DataView(new ArrayBuffer(8))],
      ['a tensor whose data is a string', { data: 'ab', dims: [2] }],
    ];
    for (const [what, v] of bad) {
      for (const k of KINDS) {
        test(`${k.name}: x is ${what} -> TypeError /x:/`, () => {
          assertThrowsArg(() => run(k, v), TypeError, /^x(\.data)?: /);
        });
      }
    }
    test('an array holding a non-number -> TypeError naming x[i] (x.data[i] for a tensor)', () => {
      for (const k of KINDS) {
        assertThrowsArg(() => run(k, [1, 2, '3']), TypeError, /^x\[2\]: expected a number, got "3"/);
        assertThrowsArg(() => run(k, [1, , 3]), TypeError, /^x\[1\]: /); // (a hole)
        assertThrowsArg(() => run(k, [1, null]), TypeError, /^x\[1\]: /);
        assertThrowsArg(() => run(k, BigInt64Array.of(1n, 2n)), TypeError, /^x\[0\]: /);
        assertThrowsArg(() => run(k, { data: [0.5, {}], dims: [2] }), TypeError, /^x\.data\[1\]: /);
      }
    });
    test('empty Float32Array without cols -> RangeError /x:/', () => {
      assertThrowsArg(() => mm.softmax(new Float32Array(0)), RangeError, /^x: /);
    });
    test('a view of the engine memory below its heap -> RangeError /x:.*heap/', () => {
      assertThrowsArg(() => mm.softmax(new Float32Array(mm.memory.buffer, 0, 4)), RangeError, /^x: .*heap/);
    });
  });

  describe('cols', () => {
    test('x.length not a multiple of cols -> RangeError naming x.length and cols', () => {
      for (const k of KINDS) assertThrowsArg(() => run(k, randF32(7, 1), { cols: 3 }), RangeError, /x\.length.*cols/);
    });
    for (const [cols, Cls] of [[0, RangeError], [-1, RangeError], [2.5, RangeError], [NaN, RangeError], ['3', TypeError], [null, TypeError]]) {
      test(`cols ${JSON.stringify(cols)} -> ${Cls.name} /cols/`, () => {
        for (const k of KINDS) assertThrowsArg(() => run(k, x12, { cols }), Cls, /^cols: /);
      });
    }
    test('cols that disagree with a tensor axis -> RangeError /cols/', () => {
      assertThrowsArg(() => mm.softmax({ data: x12, dims: [3, 4] }, { cols: 3 }), RangeError, /^cols: /);
    });
  });

  describe('mask', () => {
    test('mask of the wrong length -> RangeError /mask/', () => {
      for (const k of KINDS) {
        assertThrowsArg(() => run(k, x12, { cols: 4, mask: new Uint8Array(11) }), RangeError, /^mask: .*12.*11/);
        assertThrowsArg(() => run(k, x12, { cols: 4, mask: new Array(13).fill(true) }), RangeError, /^mask: /);
        assertThrowsArg(() => run(k, { data: x12, dims: [3, 4] }, { axis: 0, mask: new Uint8Array(4) }), RangeError, /^mask: /);
      }
    });
    for (const [what, m] of [['a number', 5], ['a plain object', {}], ['a string', '111111111111'], ['true', true]]) {
      test(`mask is ${what} (not array-like) -> TypeError /mask/`, () => {
        for (const k of KINDS) assertThrowsArg(() => run(k, x12, { cols: 4, mask: m }), TypeError, /^mask: /);
      });
    }
  });

  describe('out', () => {
    test('out of the wrong length -> RangeError /out/', () => {
      for (const k of KINDS) {
        assertThrowsArg(() => run(k, x12, { cols: 4, out: new Float32Array(11) }), RangeError, /^out: .*12.*11/);
        assertThrowsArg(() => run(k, { data: x12, dims: [3, 4] }, { out: { data: new Float32Array(13), dims: [13] } }), RangeError, /^out: /);
      }
    });
    for (const [what, o] of [['an Array', new Array(12).fill(0)], ['a Float64Array', new Float64Array(12)], ['a number', 1], ['a tensor with Array data', { data: new Array(12).fill(0), dims: [12] }]]) {
      test(`out is ${what} -> TypeError /out/`, () => {
        for (const k of KINDS) assertThrowsArg(() => run(k, x12, { cols: 4, out: o }), TypeError, /^out: /);
      });
    }
    test('a failed call leaves out untouched', () => {
      const out = new Float32Array(12).fill(5);
      assertThrowsArg(() => mm.softmax(x12, { cols: 4, out, mask: new Uint8Array(3) }), RangeError, /^mask: /);
      assert.ok(out.every((v) => v === 5));
    });
  });

  describe('temperature', () => {
    for (const [t, Cls] of [[0, RangeError], [-0, RangeError], [-1, RangeError], [NaN, RangeError], [Infinity, RangeError], [-Infinity, RangeError], ['1', TypeError], [null, TypeError]]) {
      test(`temperature ${String(t)}${typeof t === 'string' ? ' (string)' : ''} -> ${Cls.name} /temperature/`, () => {
        assertThrowsArg(() => mm.softmax(x12, { temperature: t }), Cls, /^temperature: /);
        assertThrowsArg(() => softmax(x12, { temperature: t }), Cls, /^temperature: /);
      });
    }
  });

  describe('params', () => {
    const malformed = [
      ['missing (no options)', undefined, TypeError, /params/, true],
      ['missing (options without params)', undefined, TypeError, /params/],
      ['null', null, TypeError, /^params: /],
      ['a number', 3, TypeError, /^params: /],
      ['a string', 'P', TypeError, /^params: /],
      ['an object without ranges/ts/orders', { foo: 1 }, TypeError, /^params: .*foo/],
      ['ranges of length 3', { ranges: [0, 0, 0], ts: [0, 0, 0, 0] }, RangeError, /^params\.ranges: /],
      ['ts of length 5', { ranges: [0, 0, 0, 0], ts: [0, 0, 0, 0, 0] }, RangeError, /^params\.ts: /],
      ['ranges missing', { ts: [0, 0, 0, 0] }, TypeError, /^params\.ranges: /],
      ['ts not array-like', { ranges: [0, 0, 0, 0], ts: 5 }, TypeError, /^params\.ts: /],
      ['ts with NaN', { ranges: [0, 0, 0, 0], ts: [0, NaN, 0, 0] }, RangeError, /^params\.ts\[1\]: /],
      ['ranges with Infinity', { ranges: [0, 0, Infinity, 0], ts: [0, 0, 0, 0] }, RangeError, /^params\.ranges\[2\]: /],
      ['non-number entries', { ranges: [0, 0, 0, 0], ts: [0, '1', 0, 0] }, TypeError, /^params\.ts\[1\]: /],
      ['orders empty', { orders: [] }, RangeError, /^params\.orders: /],
      ['orders not an array', { orders: 3 }, TypeError, /^params\.orders: /],
      ['orders too many (33)', { orders: Array.from({ length: 33 }, () => ({ tb: 1, b: 0, td: 1, d: 0 })) }, RangeError, /^params\.orders: /],
      ['an order with a missing field', { orders: [{ tb: 0.9, b: 0, d: 0 }] }, TypeError, /^params\.orders\[0\]\.td: /],
      ['an order that is not an object', { orders: [{ tb: 0.9, b: 0, td: 1, d: 0 }, 5] }, TypeError, /^params\.orders\[1\]: /],
      ['an order with NaN', { orders: [{ tb: NaN, b: 0, td: 1, d: 0 }] }, RangeError, /^params\.orders\[0\]\.tb: /],
      ['an order with a string', { orders: [{ tb: 1, b: '0', td: 1, d: 0 }] }, TypeError, /^params\.orders\[0\]\.b: /],
    ];
    for (const [what, params, Cls, re, noOptions] of malformed) {
      test(`params ${what} -> ${Cls.name} ${re}`, () => {
        for (const k of [K.multimax, K.logMultimax]) {
          if (noOptions) {
            assertThrowsArg(() => k.call(mm, x12), Cls, re);
            assertThrowsArg(() => k.top(x12), Cls, re);
          } else {
            const opts = what.startsWith('missing') ? { cols: 4 } : { cols: 4, params };
            assertThrowsArg(() => k.call(mm, x12, opts), Cls, re);
            assertThrowsArg(() => k.top(x12, opts), Cls, re);
          }
        }
        if (!what.startsWith('missing')) assertThrowsArg(() => mm.multimaxParams(params), Cls, re);
      });
    }
  });

  describe('axis and dims', () => {
    const t = { data: randF32(24, 311), dims: [2, 3, 4] };
    for (const axis of [3, -4, 1.5, 100, NaN]) {
      test(`axis ${JSON.stringify(axis)} on a 3-D tensor -> RangeError /axis/`, () => {
        for (const k of KINDS) assertThrowsArg(() => run(k, t, { axis }), RangeError, /^axis: /);
      });
    }
    for (const axis of ['1', null, [1]]) {
      test(`axis ${JSON.stringify(axis)} (not a number) -> TypeError /axis/`, () => {
        for (const k of KINDS) {
          assertThrowsArg(() => run(k, t, { axis }), TypeError, /^axis: /);
          assertThrowsArg(() => run(k, x12, { cols: 4, axis }), TypeError, /^axis: /);
        }
      });
    }
    test('axis 2 / -3 on a Float32Array (rank 2) -> RangeError /axis/', () => {
      assertThrowsArg(() => mm.softmax(x12, { cols: 4, axis: 2 }), RangeError, /^axis: /);
      assertThrowsArg(() => mm.softmax(x12, { cols: 4, axis: -3 }), RangeError, /^axis: /);
    });
    test('tensor dims whose product != data.length -> RangeError /dims/', () => {
      for (const k of KINDS) {
        assertThrowsArg(() => run(k, { data: t.data, dims: [2, 3, 5] }), RangeError, /^x\.dims .*30.*24/);
        assertThrowsArg(() => run(k, { data: t.data, dims: [] }), RangeError, /^x\.dims /);
      }
    });
    test('tensor dims with a bad entry or not an array -> error naming x.dims', () => {
      assertThrowsArg(() => mm.softmax({ data: t.data, dims: [2, -3, -4] }), RangeError, /^x\.dims\[1\]: /);
      assertThrowsArg(() => mm.softmax({ data: t.data, dims: [2, 3, 4.5] }), RangeError, /^x\.dims\[2\]: /);
      assertThrowsArg(() => mm.softmax({ data: t.data, dims: 24 }), TypeError, /^x\.dims: /);
      assertThrowsArg(() => mm.softmax({ data: t.data }), TypeError, /^x\.dims: /);
    });
  });

  describe('options and alloc', () => {
    test('options not an object -> TypeError /options/', () => {
      assertThrowsArg(() => mm.softmax(x12, 5), TypeError, /^options: /);
      assertThrowsArg(() => mm.logSoftmax(x12, 'cols'), TypeError, /^options: /);
    });
    for (const len of [0, -1, 2.5, NaN, 2 ** 31]) {
      test(`alloc(${JSON.stringify(len)}) -> RangeError /length/`, () => {
        assertThrowsArg(() => mm.alloc(len), RangeError, /^length: /);
      });
    }
    for (const len of ['3', null, undefined, [4]]) {
      test(`alloc(${JSON.stringify(len)}) and reserve(${JSON.stringify(len)}) (not a number) -> TypeError /length/`, () => {
        assertThrowsArg(() => mm.alloc(len), TypeError, /^length: /);
        assertThrowsArg(() => mm.reserve(len), TypeError, /^length: /);
      });
    }
  });

  describe('init / initSync', () => {
    const badInit = [
      ['a number', 5, /^init: /],
      ['a plain object', {}, /^init: /],
      ['null', null, /^init: /],
      ['{ module: "x" }', { module: 'x' }, /^init: module: /],
      ['{ bytes: 5 }', { bytes: 5 }, /^init: bytes: /],
      ['{ url: 5 }', { url: 5 }, /^init: url: /],
    ];
    for (const [what, src, re] of badInit) {
      test(`init(${what}) rejects with a TypeError ${re}; top level unusable until the next init`, async () => {
        await assertRejectsArg(() => init(src), TypeError, re);
        assert.throws(() => softmax(x12), (e) => e instanceof TypeError && /init/.test(e.message) && /^softmax: /.test(e.message));
        assert.throws(() => multimax(x12, { params: P }), (e) => e instanceof TypeError && /init/.test(e.message));
        await initPlain();
        assertClose(softmax(x12, { cols: 4 }), refAlong(K.softmax, x12, [3, 4], -1, null, {}), false, 'top level after re-init');
      });
    }
    for (const [what, src] of [['a string', 'build/multimax.wasm'], ['a number', 5], ['a plain object', {}], ['{ module: "x" }', { module: 'x' }], ['a URL', WASM_URL]]) {
      test(`initSync(${what}) throws a TypeError /initSync/`, () => {
        assertThrowsArg(() => initSync(src), TypeError, /^initSync: /);
        assert.throws(() => logSoftmax(x12), (e) => e instanceof TypeError && /init/.test(e.message));
        initSync(wasmModule);
        assertHealthy();
      });
    }
    test('init(bytes that are not wasm) rejects; then the top-level softmax throws a TypeError mentioning init', async () => {
      await assert.rejects(() => init(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), (e) => e instanceof WebAssembly.CompileError);
      assertHealthy();
      assert.throws(() => softmax(x12), (e) => e instanceof TypeError && /init/.test(e.message));
      assert.throws(() => initSync(new Uint8Array([0, 1, 2])), (e) => e instanceof WebAssembly.CompileError);
      assertHealthy();
      await initPlain();
      assertBitwise(softmax(x12, { cols: 4 }), mm.softmax(x12, { cols: 4 }), 'top level after re-init');
    });
    test('init of a valid wasm module that is not multimax-wasm -> TypeError /init/', async () => {
      const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
      await assertRejectsArg(() => init(empty), TypeError, /^init: .*not multimax-wasm/);
      assertThrowsArg(() => initSync(empty), TypeError, /^init: .*not multimax-wasm/);
      assert.throws(() => softmax(x12), (e) => e instanceof TypeError && /init/.test(e.message));
      await initPlain();
    });
    test('init({ url }) of a missing file rejects', async () => {
      await assert.rejects(() => init({ url: new URL('../build/does-not-exist.wasm', import.meta.url) }), { name: 'TypeError', message: /^init: cannot read / });
      assertHealthy();
      await initPlain();
    });
  });
});

// ================================================================================================
// 7. regressions: bugs found by review, each with its reproducer

describe('7b. sparse normalisers and the engine memory (review findings)', () => {
  test('support may not be a view of the engine memory (TypeError naming support); alpha may be, even when the call grows memory', () => {
    const e = initSync(wasmModule);
    const sv = new Int32Array(e.memory.buffer, e.alloc(16).byteOffset, 1);
    assert.throws(() => e.sparsemax(Float32Array.of(1, 2, 3), { support: sv }), (err) => err instanceof TypeError && /^support: /.test(err.message));
    const av = new Float64Array(e.memory.buffer, e.alloc(16).byteOffset, 1);
    av[0] = 1.25;
    const x = randF32(1 << 20, 7);
    const y = e.entmax(x, { alpha: av }); // grows the memory: av is detached during the call
    assertBitwise(y, mm.entmax(x, { alpha: 1.25 }), 'per-row alpha read before the memory grew');
  });
  test('a mask that is a view of the engine memory still masks when the call grows memory', () => {
    const e = initSync(wasmModule);
    const n = 1 << 20;
    const block = e.alloc(n / 4); // n bytes of heap, used as a Uint8Array mask
    const mv = new Uint8Array(e.memory.buffer, block.byteOffset, n);
    for (let i = 0; i < n; i++) mv[i] = i % 3 === 0 ? 0 : 1;
    const x = randF32(n, 8);
    const want = mm.softmax(x, { cols: 1024, mask: Uint8Array.from(mv) });
    const y = e.softmax(x, { cols: 1024, mask: mv }); // grows the memory: mv is detached during the call
    assertBitwise(y, want, 'mask read before the memory grew');
    for (let i = 0; i < n; i += 3) assert.equal(y[i], 0, `masked entry ${i}`);
  });
});

describe('7. regressions', () => {
  test('sizes beyond a wasm32 memory throw a RangeError naming length, and the engine keeps working', () => {
    const e = initSync(wasmModule);
    assert.throws(() => e.reserve(2 ** 40), (err) => err instanceof RangeError && /length/.test(err.message));
    assert.throws(() => e.reserve(477_218_589), (err) => err instanceof RangeError && /length/.test(err.message)); // 9n bytes wrap 2^32
    assert.throws(() => e.alloc(2 ** 31), (err) => err instanceof RangeError && /length/.test(err.message));
    const v = e.alloc(4096); v.fill(42);
    e.softmax(new Float32Array(2048).fill(1));
    assert.ok(v.every((a) => a === 42), 'a view is not overwritten by later calls');
    assertClose(e.softmax(Float32Array.of(1, 2)), refSoftmax([1, 2]), false);
  });

  test('views above 2 GiB (byte offsets >= 2^31) work as x and out', () => {
    const e = initSync(wasmModule);
    const big = e.alloc(2 ** 29); // 2 GiB: lazily zeroed pages, cheap
    const v = e.alloc(4096);
    assert.ok(v.byteOffset >= 2 ** 31, `offset ${v.byteOffset}`);
    big.fill(7, big.length - 1000);
    const x = Float32Array.from({ length: 32 }, (_, i) => i / 8), ref = refSoftmax(Array.from(x));
    const xv = v.subarray(0, 32); xv.set(x);
    assertClose(e.softmax(xv, { out: v.subarray(64, 96) }), ref, false, 'both views');
    assertClose(e.softmax(x, { out: v.subarray(200, 232) }), ref, false, 'JS x, view out, n <= 64');
    const x100 = Float32Array.from({ length: 100 }, (_, i) => i / 50);
    assertClose(e.softmax(x100, { out: v.subarray(300, 400) }), refSoftmax(Array.from(x100)), false, 'n > 64');
    // axis 0 (columns of a 4 x 8 view): the gather/scatter path with offsets above 2^31
    const cols = e.softmax(xv, { cols: 8, axis: 0 });
    const refCols = new Array(32);
    for (let c = 0; c < 8; c++) refSoftmax([0, 1, 2, 3].map((r) => x[8 * r + c])).forEach((p, r) => { refCols[8 * r + c] = p; });
    assertClose(cols, refCols, false, 'axis 0');
    assert.ok(big.subarray(big.length - 1000).every((a) => a === 7), 'the 2 GiB view is untouched');
  });

  test('free() of a stale twin view throws instead of freeing a new owner\'s block', () => {
    const e = initSync(wasmModule);
    const v = e.alloc(1000);
    e.reserve(1 << 20); // grows memory: v is detached
    const v2 = e.refresh(v);
    e.free(v2);
    e.alloc(65536);
    const w = e.alloc(1000);
    assert.throws(() => e.free(v), TypeError);
    assert.throws(() => e.refresh(v), TypeError);
    const u = e.alloc(1000);
    assert.notEqual(u.byteOffset, w.byteOffset, 'w keeps its block');
  });

  test('params outside the float32 range are rejected, naming the field', () => {
    const x = Float32Array.of(1, 2, 3);
    assert.throws(() => mm.multimax(x, { params: { ranges: [0, 0, 0, 0], ts: [1e39, 0, 0, 0] } }), (err) => err instanceof RangeError && /params\.ts\[0\]/.test(err.message));
    assert.throws(() => mm.multimax(x, { params: { ranges: [0, -1e39, 0, 0], ts: [0, 0, 0, 0] } }), (err) => err instanceof RangeError && /params\.ranges\[1\]/.test(err.message));
    assert.throws(() => mm.multimax(x, { params: { orders: [{ tb: 1, b: 0, td: 1e39, d: 0 }] } }), (err) => err instanceof RangeError && /params\.orders\[0\]\.td/.test(err.message));
    assertClose(mm.multimax(x, { params: { ranges: [0, 0, 0, 0], ts: [3e38, 0, 0, 0] } }), refSoftmax([1, 2, 3]), false, 'in range, inactive terms');
  });

  test('a detached subarray of a zero-copy view throws the refresh TypeError (as x and as out)', () => {
    const e = initSync(wasmModule);
    const v = e.alloc(16), sub = v.subarray(0, 8);
    e.reserve(1 << 22);
    assert.throws(() => e.softmax(sub, { cols: 8 }), (err) => err instanceof TypeError && /refresh/.test(err.message));
    assert.throws(() => e.softmax(new Float32Array(8), { out: sub }), (err) => err instanceof TypeError && /refresh/.test(err.message));
    assertClose(e.softmax(e.refresh(v).subarray(0, 8).fill(1)), new Array(8).fill(0.125), false);
  });

  test('float64 φ that overflows with opposite signs (order 8, huge coefficients) gives no NaN', () => {
    const orders = Array.from({ length: 8 }, () => ({ tb: 1, b: 0, td: 1, d: 0 }));
    orders[7] = { tb: -1, b: 3.4e38, td: -1, d: -3.4e38 }; // +2·(b − x)^8 and −2·(x − d)^8 tie in float64
    const y = mm.multimax(Float32Array.of(0, 1, 2), { params: { orders } });
    assertClose(y, refSoftmax([0, 1, 2]), false, 'the tied infinite terms cancel; the rest is x');
    orders[7] = { tb: -1, b: 3.4e38, td: 1, d: 0 }; // only +2·(b − x)^8: +∞ for every entry
    assertClose(mm.multimax(Float32Array.of(0, 1, 2), { params: { orders } }), [1 / 3, 1 / 3, 1 / 3], false, 'all +∞ share equally');
  });

  test('lastSpecialRows is reset by an empty call; temperature is refused by the other normalisers', () => {
    mm.softmax(Float32Array.of(Infinity, 1));
    assert.equal(mm.lastSpecialRows, 1);
    mm.softmax(new Float32Array(0), { cols: 4 });
    assert.equal(mm.lastSpecialRows, 0);
    for (const f of ['logSoftmax', 'multimax', 'logMultimax'])
      assert.throws(() => mm[f](Float32Array.of(1, 2), { temperature: 2, params: { ranges: [0, 0, 0, 0], ts: [0, 0, 0, 0] } }), (err) => err instanceof TypeError && /temperature/.test(err.message));
  });

  test('init resolves relative paths against the working directory in Node.js; a missing file names init', async () => {
    const prev = process.cwd();
    process.chdir(new URL('..', import.meta.url).pathname);
    try {
      assert.equal((await init('./build/multimax.wasm')).simd, true);
      assert.equal((await init({ url: 'build/multimax-scalar.wasm' })).simd, false);
      await assert.rejects(() => init({ url: 'no-such.wasm' }), /init: cannot read/);
    } finally {
      process.chdir(prev);
      await initPlain();
    }
  });

  test('a tensor out is returned as given', () => {
    const x = { data: Float32Array.of(1, 2, 3, 4), dims: [2, 2] };
    const out = { data: new Float32Array(4), dims: [2, 2] };
    assert.equal(mm.softmax(x, { out }), out);
    assertClose(out.data, [...refSoftmax([1, 2]), ...refSoftmax([3, 4])], false);
  });
});

describe('8. row lengths from 1 to 1,000,000', () => {
  test('lengths 1, 2, 3, 5, 7, 33, 32000 and 1,000,000: every normaliser matches float64, rows sum to 1 within 1e-6', () => {
    for (const n of [1, 2, 3, 5, 7, 33, 32000, 1_000_000]) {
      const x = randF32(n, n, 8); // U(-8, 8)
      const xs = Array.from(x);
      const z = xs.map((v) => phiCheckpoint(v, LARGE_TS));
      const cases = [
        ['softmax', mm.softmax(x), refSoftmax(xs), false],
        ['logSoftmax', mm.logSoftmax(x), refLogSoftmax(xs), true],
        ['multimax', mm.multimax(x, { params: LARGE_TS }), refSoftmax(z), false],
        ['logMultimax', mm.logMultimax(x, { params: LARGE_TS }), refLogSoftmax(z), true],
      ];
      for (const [name, y, ref, log] of cases) {
        assertClose(y, ref, log, `${name} n=${n}`);
        const s = rowSums(y, n, log)[0];
        assert.ok(Math.abs(s - 1) <= 1e-6, `${name} n=${n}: row sum ${s}`);
      }
    }
  });
});
