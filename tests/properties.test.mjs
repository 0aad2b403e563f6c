// Property-based tests (fast-check) of the four normalisers against the README's contract:
//   1. agreement with a float64 reference written here, within the golden tolerances, for every
//      way of calling (plain, out, in place, zero-copy views, transposed tensor) and mask form;
//   2. probability rows: range, row sums, masked entries and fully masked rows;
//      2b. −∞ inputs behave exactly as masked entries;
//   3. shift invariance of softmax / logSoftmax (bitwise, where x + c is exact in float32);
//   4. permutation equivariance (within a float32 summation-order error model);
//   5. logSoftmax ≈ log(softmax), logMultimax ≈ log(multimax);
//   6. zero MultiMax parameters are bitwise softmax; paper and checkpoint forms are bitwise equal;
//   7. the scalar build agrees with the SIMD build;
//   8. MultiMax with finite but huge inputs (|x| up to 3e38) stays finite and normalised.
// Batches: rows 1..6, cols 1..300 and sometimes up to 5000, values N(0,1)-ish × {1e-5 … 1e4}
// (sometimes around an offset of 100 or ±1e4), random masks with fully masked rows, T from 1e-30
// to 1e30, MultiMax params in both forms (ranges in [−3, 3], ts in [−1, 1], orders 1..3).
//
// Every property runs with a fixed seed, so a CI run is deterministic (about 6 s on 2 cores). To
// explore further, set FC_SEED=<int> and/or FC_RUNS_FACTOR=<number> in the environment. The
// console line at the end gives, per property, the largest error / bound seen.
//
// Run: node scripts/build.mjs && node --test tests/properties.test.mjs
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { mulberry32 } from '../tools/prng.mjs';

const DIST_ESM = new URL('../dist/index.js', import.meta.url);
const SCALAR_URL = new URL('../build/multimax-scalar.wasm', import.meta.url);
for (const u of [DIST_ESM, SCALAR_URL, new URL('../build/multimax.wasm', import.meta.url)])
  if (!existsSync(u)) throw new Error(`${u.pathname} is missing: run \`node scripts/build.mjs\` first`);
const { init, initSync } = await import(DIST_ESM.href);

// The plain SIMD build, asked for by name: refRow's float32 φ (phi32) rounds after every multiply and
// add, as the plain SIMD and scalar builds do, while the relaxed-SIMD build that init() loads by
// default where relaxed SIMD exists (Node.js 22+, not Node.js 20) fuses them (relaxed_madd), which
// moves φ by an ulp and, on rows whose spread is below ulp(φ), p by far more than the bounds here
// (e.g. 1.2e-4 at φ ≈ 5483). tests/relaxed.test.mjs checks the relaxed build.
const mm = await init({ relaxed: false });
const mmScalar = initSync(readFileSync(SCALAR_URL)); // scalar build
assert.equal(mm.simd, true, 'init({ relaxed: false }) should load the SIMD build');
assert.equal(mm.relaxed, false, 'init({ relaxed: false }) should load the plain SIMD build');
assert.equal(mmScalar.simd, false, 'the scalar wasm should report simd = false');

const SEED = Number(process.env.FC_SEED ?? 20240711);
const RUNS = Number(process.env.FC_RUNS_FACTOR ?? 1);
const runs = (n) => Math.max(1, Math.round(n * RUNS));
// includeErrorInReport: the report shows the assertion message next to the counterexample.
// A failure in long rows can take long to shrink: stop after 120 s (about 50× the normal run
// time of a property) and report what was found, as a failure.
const fcOpts = (n, salt) => ({
  seed: SEED + salt, numRuns: runs(n), includeErrorInReport: true,
  interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true,
});

const f = Math.fround;
const U = 2 ** -24; // unit roundoff of float32 (round to nearest)
// docs/design.md "exp accuracy": the kernels' exp errs by at most 3 ulp + |d|·7.1e-8 relative to exp(d), i.e.
// relative error ≤ EXP_REL_ERR + EXP_REL_ERR_D·|d| (3 ulp ≤ 3·2^−23 relative; 7.1e-8 ≈ 1.19u)
const EXP_REL_ERR = 3.6e-7, EXP_REL_ERR_D = 7.1e-8;

// ------------------------------------------------------------------------------------------------
// float64 reference

/** The kernels' parameter records [a, b, c, d] per order n (README API, "params"):
 *  φ(x) = x + Σ a_n·max(b_n − x, 0)^n + c_n·max(x − d_n, 0)^n, every value rounded to float32
 *  (paper form: 1 − tb and td − 1 in float64, then rounded once). Written here from the README,
 *  not taken from the library. Trailing orders whose two coefficients are 0 add nothing and are
 *  dropped (in float32, 0·∞ would be NaN at huge |x|; the library drops them too). */
function packParams(p) {
  let recs;
  if (p.orders) recs = p.orders.map((o) => [f(1 - o.tb), f(o.b), f(o.td - 1), f(o.d)]);
  else recs = [[f(p.ts[0]), f(p.ranges[0]), f(p.ts[1]), f(p.ranges[1])], [f(p.ts[2]), f(p.ranges[2]), f(p.ts[3]), f(p.ranges[3])]];
  while (recs.length > 0 && recs[recs.length - 1][0] === 0 && recs[recs.length - 1][2] === 0) recs.pop();
  return recs;
}

/** φ in float32, left to right, powers as repeated products, relu as `v < 0 ? 0 : v` (README
 *  "Rounding"). Math.fround after each +, −, × is exact float32 arithmetic (double rounding is
 *  innocuous for these operations since 53 ≥ 2·24 + 2). */
function phi32(x, recs) {
  let z = x;
  for (let j = 0; j < recs.length; j++) {
    const [a, b, c, d] = recs[j];
    let l = f(b - x); if (l < 0) l = 0;
    let u = f(x - d); if (u < 0) u = 0;
    let lp = l, up = u;
    for (let k = 0; k < j; k++) { lp = f(lp * l); up = f(up * u); }
    z = f(z + f(a * lp));
    z = f(z + f(c * up));
  }
  return z;
}

/** φ in float64 (README "Conventions": the recomputation of a row whose float32 modulation
 *  overflowed), terms with a zero coefficient skipped. For orders ≤ 3 and |x| ≤ 3.4e38 it cannot
 *  overflow float64 (≤ (6.8e38)³ ≈ 3e116). */
function phi64(x, recs) {
  let z = x;
  for (let j = 0; j < recs.length; j++) {
    const [a, b, c, d] = recs[j];
    if (a !== 0) z += a * Math.max(b - x, 0) ** (j + 1);
    if (c !== 0) z += c * Math.max(x - d, 0) ** (j + 1);
  }
  if (!Number.isFinite(z)) throw new Error(`reference: float64 φ(${x}) is not finite (order ${recs.length})`);
  return z;
}

const isKept = (mask, i) => !mask || mask[i] !== 0;

/**
 * Reference for one row. kind: 'softmax' | 'logSoftmax' | 'multimax' | 'logMultimax'.
 * Logits: softmax: x (README: `x − max` then times k = float32(1/T)); MultiMax: φ evaluated in
 * float32 exactly as the library must (README "Rounding"); if any kept φ is not finite, the whole
 * row uses float64 φ (README "Conventions"). The rest (max, exp, sum, log) is float64.
 * Why float32 φ: φ(x) is formed in float32 by definition, and where ulp(φ) is large next to the
 * spread of the row, float64 φ is a different function. E.g. the row [100.0000076, 100] with
 * ts = [0, 0, 0, 0.078369140625], ranges 0: φ ≈ 883.7 (ulp 6e-5); the library gives
 * [0.50004578, 0.49995422], float32 φ + float64 softmax [0.50004578, 0.49995422] (to 1e-12),
 * float64 φ [0.50003180, 0.49996820]: off by 1.4e-5, over the bound 6e-6. Softmax needs no such
 * care: its inputs are exact and x − max is formed exactly near the max.
 * Returns { y: Float64Array (0 / −∞ at masked entries), scale: max |finite kept logit| (the golden
 * `tol_scale`), allMasked, path: 'f32' | 'f64' }.
 */
function refRow(kind, x, mask, recs, T) {
  const n = x.length;
  const log = kind === 'logSoftmax' || kind === 'logMultimax';
  const isMM = kind === 'multimax' || kind === 'logMultimax';
  const z = new Float64Array(n).fill(-Infinity);
  let path = 'f32';
  for (let i = 0; i < n; i++) if (isKept(mask, i)) z[i] = isMM ? phi32(x[i], recs) : x[i];
  if (isMM && z.some((v, i) => isKept(mask, i) && !Number.isFinite(v))) {
    path = 'f64';
    for (let i = 0; i < n; i++) if (isKept(mask, i)) z[i] = phi64(x[i], recs);
  }
  let m = -Infinity, scale = 0;
  for (let i = 0; i < n; i++) if (isKept(mask, i)) { m = Math.max(m, z[i]); scale = Math.max(scale, Math.abs(z[i])); }
  const y = new Float64Array(n);
  if (m === -Infinity) { y.fill(log ? -Infinity : 0); return { y, scale, allMasked: true, path }; }
  const k = kind === 'softmax' ? f(1 / T) : 1;
  const d = z.map((v) => (v - m) * k); // −∞ at masked entries
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(d[i]);
  const lse = Math.log(s);
  for (let i = 0; i < n; i++) y[i] = log ? d[i] - lse : Math.exp(d[i]) / s;
  return { y, scale, allMasked: false, path };
}

// ------------------------------------------------------------------------------------------------
// generators

// A batch is described by a small spec that fast-check generates and shrinks: rows, cols, up to
// 24 explicit leading values (`head`, shrinkable one by one), a PRNG `seed` for every other value
// and for the mask bits, the scale and offset, the mask layout, T and the MultiMax params.
// buildCase turns a spec into Float32Arrays. A counterexample prints as its spec (a few hundred
// characters instead of up to 30,000 floats); `buildCase(spec, FAMILIES[spec.family])` rebuilds it.

const SCALES = [1e-5, 1e-2, 1, 10, 1e3, 1e4];
const HALF = 2 ** 22;
const TIES = [0, 1, -1, 0.5];
/** An N(0,1)-ish value from an integer k in (−2²², 2²²): the logistic quantile (variance 1) of
 *  u = (1 + k/2²²)/2, so that fast-check shrinks it towards 0 through k. Range about ±8.8. */
const logisticOf = (k) => { const t = k / HALF; return Math.log((1 + t) / (1 - t)) * (Math.sqrt(3) / Math.PI); };
const drawK = (rng) => Math.floor(rng() * (2 * HALF - 1)) - (HALF - 1);
const normalish = fc.integer({ min: -(HALF - 1), max: HALF - 1 }).map(logisticOf);
const HUGE_SCALES = [1e20, 1e30, 1e36, 1e37, 1e38, 3e38];
const HUGE_EDGES = [3e38, -3e38, 1e38, -1e38];
const clampHuge = (v) => Math.max(-3e38, Math.min(3e38, v));

/** Value families: `head` is the fast-check arbitrary of an explicit value, `draw` samples the
 *  same distribution from a uniform PRNG; `scaled` families get x = float32(offset + v·scale). */
const FAMILIES = {
  // mostly N(0,1)-ish, 1 in 16 a small integer (ties)
  normal: {
    scaled: true,
    head: fc.oneof({ weight: 15, arbitrary: normalish }, { weight: 1, arbitrary: fc.constantFrom(...TIES) }),
    draw: (rng) => (rng() < 1 / 16 ? TIES[Math.floor(rng() * TIES.length)] : logisticOf(drawK(rng))),
  },
  // multiples of 1/64 with |x| < 64 (property 3: x + c stays exact in float32)
  grid: {
    scaled: false,
    head: fc.integer({ min: -4095, max: 4095 }).map((k) => k / 64),
    draw: (rng) => (Math.floor(rng() * 8191) - 4095) / 64,
  },
  // magnitudes up to 3e38 (float32 max 3.4e38) with some ordinary values (property 8)
  huge: {
    scaled: false,
    head: fc.oneof(
      { weight: 4, arbitrary: fc.tuple(normalish, fc.constantFrom(...HUGE_SCALES)).map(([v, sc]) => clampHuge(v * sc)) },
      { weight: 1, arbitrary: fc.constantFrom(...HUGE_EDGES) },
      { weight: 1, arbitrary: normalish },
    ),
    draw: (rng) => {
      const w = rng() * 6;
      if (w < 4) return clampHuge(logisticOf(drawK(rng)) * HUGE_SCALES[Math.floor(rng() * HUGE_SCALES.length)]);
      if (w < 5) return HUGE_EDGES[Math.floor(rng() * HUGE_EDGES.length)];
      return logisticOf(drawK(rng));
    },
  },
};

const float32 = (min, max) => fc.float({ noNaN: true, noDefaultInfinity: true, min, max });
// fc.float favours tiny and extreme values; a uniform grid (k/2²⁰, float32-exact) gives typical ones.
const uniform32 = (lim) => fc.integer({ min: -lim * 2 ** 20, max: lim * 2 ** 20 }).map((k) => k / 2 ** 20);
const coefArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: float32(-1, 1) }, { weight: 3, arbitrary: uniform32(1) });
const rangeArb = fc.oneof({ weight: 1, arbitrary: float32(-3, 3) }, { weight: 2, arbitrary: uniform32(3) });
const checkpointArb = fc.record({
  ranges: fc.tuple(rangeArb, rangeArb, rangeArb, rangeArb),
  ts: fc.tuple(coefArb, coefArb, coefArb, coefArb),
});
/** Paper form, orders 1..3; 1 − tb and td − 1 are the ts-like coefficients in [−1, 1]. */
const paperArb = fc.record({
  orders: fc.array(fc.record({ a: coefArb, b: rangeArb, c: coefArb, d: rangeArb }), { minLength: 1, maxLength: 3 })
    .map((os) => os.map(({ a, b, c, d }) => ({ tb: 1 - a, b, td: 1 + c, d }))),
});
const paramsArb = fc.oneof(checkpointArb, paperArb);
/** T = 1, T in [0.05, 20], or log-uniform in [1e-30, 1e30] (1/T stays inside the float32 normal
 *  range, so the library's clamping of 1/T never applies). */
const temperatureArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(1) },
  { weight: 4, arbitrary: fc.double({ min: 0.05, max: 20, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -300, max: 300 }).map((k) => 10 ** (k / 10)) },
);
/** No mask (2 in 5), or random bits (keep probability 3/4 or 1/4) with row r fully masked where
 *  full[r] === 0 (about 1 row in 10). */
const maskSpecArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.record({ full: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 6 }), dense: fc.boolean() }) },
);
/** rows 1..6, cols 1..300, occasionally 301..5000. */
const rowsArb = fc.integer({ min: 1, max: 6 });
const colsArb = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 301, max: 5000 }) });

/** The batch { rows, cols, x: Float32Array, mask: Uint8Array | undefined, T, params } of a spec. */
function buildCase(spec, family) {
  const { rows, cols, head, seed, scale, offset } = spec;
  const n = rows * cols;
  const rng = mulberry32(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = offset + (i < head.length ? head[i] : family.draw(rng)) * scale;
  let mask;
  if (spec.mask) {
    const mrng = mulberry32(seed ^ 0x5bd1e995);
    const keep = spec.mask.dense ? 0.75 : 0.25;
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = spec.mask.full[Math.floor(i / cols)] === 0 ? 0 : mrng() < keep ? 1 : 0;
  }
  return { rows, cols, x, mask, T: spec.T, params: spec.params, [fc.toStringMethod]: () => `buildCase(${fc.stringify(spec)})` };
}

/** Batches of a value family (see FAMILIES). */
function caseArb(familyName = 'normal') {
  const family = FAMILIES[familyName];
  return fc.record({
    family: fc.constant(familyName),
    rows: rowsArb, cols: colsArb,
    head: fc.array(family.head, { maxLength: 24 }),
    seed: fc.nat(),
    scale: family.scaled ? fc.constantFrom(...SCALES) : fc.constant(1),
    // sometimes a large offset: a spread far below ulp(x) is where float32 conditioning bites
    offset: family.scaled ? fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(100, 1e4, -1e4) }) : fc.constant(0),
    mask: maskSpecArb, T: temperatureArb, params: paramsArb,
  }).map((spec) => buildCase(spec, family));
}

// ------------------------------------------------------------------------------------------------
// helpers

const KINDS = ['softmax', 'logSoftmax', 'multimax', 'logMultimax'];
const isLog = (kind) => kind.startsWith('log');
const isMM = (kind) => kind.endsWith('ultimax');

/** Calls `kind` on `engine` with the case's options (temperature for softmax, params for MultiMax). */
function run(engine, kind, c, x = c.x, mask = c.mask) {
  const opts = { cols: c.cols };
  if (mask) opts.mask = mask;
  if (kind === 'softmax' && c.T !== 1) opts.temperature = c.T;
  if (isMM(kind)) opts.params = c.params;
  const y = engine[kind](x, opts);
  assert.ok(y instanceof Float32Array && y.length === x.length, `${kind}: expected a Float32Array of length ${x.length}`);
  return y;
}

const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(9) : String(v));
const at = (c, i) => `row ${Math.floor(i / c.cols)}, col ${i % c.cols}`;
const rowOf = (a, c, r) => a.subarray(r * c.cols, (r + 1) * c.cols);
const bits = (v) => new Uint32Array(Float32Array.of(v).buffer)[0].toString(16);

/** Golden tolerances (tests/golden/README.md; "suggested_f32_tolerance" in each golden file). */
const probBound = (ref) => 1e-6 + 1e-5 * Math.abs(ref);
const logBound = (ref, scale) => 1e-5 * (1 + Math.abs(ref)) + 1e-6 * scale;

/**
 * Summation-order error model, shared by properties 4 and 7: both results use bit-identical exp
 * values e_i (and the same max); only Σ e_i is summed in another order. The SIMD kernel adds each
 * group of 16 pairwise in float32 (≤ 2 roundings on non-negative terms, so |Σ̂/Σ − 1| ≤ 2u) and
 * accumulates in float64 (error ~n·2⁻⁵³, negligible); the scalar kernel sums in float64. Hence
 *  - probabilities y = fl(e·fl(1/Σ̂)): the two Σ̂ differ by ≤ 4u relative, fl(1/Σ̂) adds u on
 *    each side and the product u on each side: |a − b| ≤ 8u·max(|a|, |b|) (+ 2⁻¹⁴⁸ when the
 *    result is subnormal);
 *  - log-probabilities y = fl(d − L), L = fl(log Σ̂): |Δ log Σ̂| ≤ 4u, fl(L) adds u·L on each side,
 *    the final rounding u·|y| on each side: |a − b| ≤ 4u + 2u·L + u·(|a| + |b|); L is read off
 *    the output itself (the argmax entry has d = 0, so its y is exactly −L).
 * (+1e-9 relative slack for the float64 parts.)
 */
function orderRatio(a, b, log, L) {
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const tol = log ? 4 * U + 2 * U * L + U * (Math.abs(a) + Math.abs(b)) : 8 * U * Math.max(Math.abs(a), Math.abs(b)) + 2 ** -148;
  return Math.abs(a - b) / (tol * (1 + 1e-9)); // ≤ 1 passes
}
/** −max(row): log Σ̂ of a log-normalised row (see orderRatio). */
const lseOf = (row) => { let m = -Infinity; for (const v of row) if (v > m) m = v; return m === -Infinity ? 0 : -m; };

/**
 * Property 1 (and 8) check of one result against refRow, row by row. Masked entries and fully
 * masked rows must be exactly 0 (log: −∞). Elsewhere the golden tolerance. One float32 error
 * model only: a log-probability whose reference lies beyond the float32 range (|ref| > 3.4e38,
 * only with huge inputs) must be the float32 value of the reference, −∞.
 */
function checkAgainstReference(kind, c, y, recs, prop = 1) {
  const log = isLog(kind);
  const exact = log ? -Infinity : 0;
  for (let r = 0; r < c.rows; r++) {
    const xr = rowOf(c.x, c, r), mr = c.mask ? rowOf(c.mask, c, r) : undefined, yr = rowOf(y, c, r);
    const ref = refRow(kind, xr, mr, recs, c.T);
    for (let j = 0; j < c.cols; j++) {
      const i = r * c.cols + j, v = yr[j], rv = ref.y[j];
      if (ref.allMasked || !isKept(mr, j)) {
        if (v !== exact) throw new Error(`${kind}: ${ref.allMasked ? 'fully masked row' : 'masked entry'} at ${at(c, i)}: y = ${fmt(v)}, expected exactly ${exact}`);
        continue;
      }
      if (log && !Number.isFinite(f(rv))) {
        if (v !== f(rv)) throw new Error(`${kind} at ${at(c, i)}: y = ${fmt(v)}, reference ${fmt(rv)} is beyond float32, expected ${f(rv)}`);
        continue;
      }
      const bound = log ? logBound(rv, ref.scale) : probBound(rv);
      const err = Math.abs(v - rv);
      note(prop, err / bound);
      if (!(err <= bound)) {
        throw new Error(`${kind} (${ref.path} path) at ${at(c, i)}: y = ${fmt(v)}, reference ${fmt(rv)}, ` +
          `|err| = ${err.toExponential(3)} > ${bound.toExponential(3)} (x = ${fmt(xr[j])}, row max |logit| = ${fmt(ref.scale)})`);
      }
    }
  }
}

/** Property 2 (and 8): structural checks of one result. */
function checkRows(kind, c, y) {
  const log = isLog(kind);
  const exact = log ? -Infinity : 0;
  for (let r = 0; r < c.rows; r++) {
    const mr = c.mask ? rowOf(c.mask, c, r) : undefined, yr = rowOf(y, c, r);
    let kept = 0;
    for (let j = 0; j < c.cols; j++) if (isKept(mr, j)) kept++;
    let sum = 0, entropy = 0;
    for (let j = 0; j < c.cols; j++) {
      const v = yr[j], i = r * c.cols + j;
      if (Number.isNaN(v)) throw new Error(`${kind}: NaN at ${at(c, i)}`);
      if (!isKept(mr, j)) {
        if (v !== exact) throw new Error(`${kind}: masked entry at ${at(c, i)} is ${fmt(v)}, expected exactly ${exact}`);
        continue;
      }
      if (log) {
        if (!(v <= 0)) throw new Error(`${kind}: log-probability ${fmt(v)} > 0 at ${at(c, i)}`);
        const p = Math.exp(v);
        sum += p;
        if (p > 0) entropy -= p * v;
      } else {
        if (!(v >= 0 && v <= 1)) throw new Error(`${kind}: probability ${fmt(v)} outside [0, 1] at ${at(c, i)}`);
        sum += v;
      }
    }
    if (kept === 0) continue; // all entries checked to be exactly 0 / −∞ above
    // Probabilities: README "Sums", within 1e-6. Log-probabilities: Σ exp(y) is not what the
    // library normalises, so its error model: y_i = fl(fl(d_i) − fl(L)) errs by u·(|d_i| + L + |y_i|)
    // ≤ 2u·(|d_i| + L) plus |Δ log Σ̂| ≤ EXP_REL_ERR + EXP_REL_ERR_D·|d| + 2u; weighted by p_i that is
    // 2u·(L + Σ p_i|d_i|) = 2u·H (H = −Σ p log p, the row entropy, ≤ log(kept)) + 3e-7.
    const tol = log ? 1e-6 + 2 * U * entropy * 1.01 : 1e-6;
    if (!(Math.abs(sum - 1) <= tol))
      throw new Error(`${kind}: row ${r} (${kept} kept of ${c.cols}) ${log ? 'Σ exp(y)' : 'sums to'} ${sum.toPrecision(12)}, |Σ − 1| = ${Math.abs(sum - 1).toExponential(3)} > ${tol.toExponential(3)}`);
  }
}

// Largest error / bound seen per property (printed at the end: how tight the bounds are).
const stats = { 1: 0, 4: 0, 5: 0, 7: 0, '7 (brief bound)': 0, 8: 0 };
const note = (k, ratio) => { if (ratio > stats[k]) stats[k] = ratio; };
const started = performance.now();
after(() => {
  const worst = Object.entries(stats).map(([k, v]) => `${k}: ${v.toFixed(3)}`).join(', ');
  console.log(`properties.test.mjs: seed ${SEED}, ${((performance.now() - started) / 1000).toFixed(1)} s; largest error/bound per property: ${worst}`);
});

// ------------------------------------------------------------------------------------------------
// 1. agreement with the float64 reference

// How a call is made: every way in changes only the memory layout (README "API", "Zero-copy
// views"), never the numbers, so each is checked against the same reference. Masks are given as
// 0/1 bytes, as any nonzero byte for "keep", or as an array of booleans (README "Conventions").
// 'tensor-axis0' passes the transpose as a tensor { data, dims: [cols, rows] } normalised along
// axis 0 (the loader's gather/scatter path) and transposes the result back.
const CALL_MODES = ['plain', 'out', 'inplace', 'view', 'view-inplace', 'tensor-axis0'];
const MASK_FORMS = ['u8', 'u8-nonzero', 'boolean'];

function maskIn(mask, form, salt) {
  if (!mask || form === 'u8') return mask;
  if (form === 'boolean') return Array.from(mask, (v) => v !== 0);
  return Uint8Array.from(mask, (v, i) => (v ? 1 + ((i * 37 + salt) % 255) : 0));
}

/** Calls `kind` in the given mode; returns a fresh Float32Array copy of the result. Checks that
 *  the result is the `out` array (when one is given) and that x is untouched (when not in place). */
function runMode(engine, kind, c, mode, maskForm, salt) {
  const n = c.x.length;
  const opts = { cols: c.cols };
  const mask = maskIn(c.mask, maskForm, salt);
  if (mask) opts.mask = mask;
  if (kind === 'softmax' && c.T !== 1) opts.temperature = c.T;
  if (isMM(kind)) opts.params = c.params;
  const untouched = (x, what) => {
    for (let i = 0; i < n; i++) if (!Object.is(x[i], c.x[i])) throw new Error(`${kind} (${mode}): ${what} x was modified at ${at(c, i)}`);
  };
  if (mode === 'tensor-axis0') {
    const { rows, cols } = c;
    const tr = (a, ctor) => { const t = new ctor(a.length); for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) t[j * rows + r] = a[r * cols + j]; return t; };
    const data = tr(c.x, Float32Array);
    if (mask) opts.mask = tr(mask, Array.isArray(mask) ? Array : mask.constructor);
    delete opts.cols;
    opts.axis = 0;
    const res = engine[kind]({ data, dims: [cols, rows] }, opts);
    if (!(res.data instanceof Float32Array) || res.dims.join() !== `${cols},${rows}`) throw new Error(`${kind} (${mode}): expected a tensor with dims [${cols}, ${rows}]`);
    for (let i = 0; i < c.x.length; i++) if (!Object.is(data[i], c.x[(i % rows) * cols + Math.floor(i / rows)])) throw new Error(`${kind} (${mode}): the input tensor was modified`);
    const y = new Float32Array(c.x.length);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) y[r * cols + j] = res.data[j * rows + r];
    return y;
  }
  if (mode === 'plain' || mode === 'out' || mode === 'inplace') {
    const x = c.x.slice();
    const out = mode === 'out' ? new Float32Array(n).fill(NaN) : mode === 'inplace' ? x : undefined;
    if (out) opts.out = out;
    const y = engine[kind](x, opts);
    if (out && y !== out) throw new Error(`${kind} (${mode}): did not return its out array`);
    if (mode !== 'inplace') untouched(x, 'the input');
    return y.slice();
  }
  // zero-copy views over the engine's memory
  const xv0 = engine.alloc(n);
  const yv0 = mode === 'view' ? engine.alloc(n) : null;
  const xv = engine.refresh(xv0); // the second alloc may have grown the memory, detaching the first view
  const yv = yv0 ?? xv;
  xv.set(c.x);
  try {
    opts.out = yv;
    const y = engine[kind](xv, opts);
    if (y.length !== n || y.buffer !== engine.memory.buffer) throw new Error(`${kind} (${mode}): the result is not a live view of the engine's memory`);
    const copy = y.slice();
    if (mode === 'view') untouched(engine.refresh(xv0), 'the view');
    return copy;
  } finally {
    engine.free(xv0);
    if (yv0) engine.free(yv0);
  }
}

test('1. every normaliser agrees with the float64 reference within the golden tolerances (every call mode)', () => {
  const arb = fc.tuple(caseArb(), fc.constantFrom(...CALL_MODES), fc.constantFrom(...MASK_FORMS), fc.nat(254));
  fc.assert(fc.property(arb, ([c, mode, maskForm, salt]) => {
    const recs = packParams(c.params);
    for (const kind of KINDS) checkAgainstReference(kind, c, runMode(mm, kind, c, mode, maskForm, salt), recs);
  }), fcOpts(4000, 1));
});

// ------------------------------------------------------------------------------------------------
// 2. probability rows

test('2. rows are distributions: [0, 1], no NaN, sums 1 ± 1e-6, masked entries and fully masked rows exact', () => {
  fc.assert(fc.property(caseArb(), (c) => {
    for (const kind of KINDS) checkRows(kind, c, run(mm, kind, c));
  }), fcOpts(2000, 2));
});

// README "Conventions": −∞ inputs behave as masked (also in MultiMax, where −∞ is not modulated).
// Both ways give the same logits (−∞) and the same exp values in the same order, so the results
// must be bitwise equal.
test('2b. −∞ inputs behave exactly as masked entries (bitwise, all four normalisers)', () => {
  fc.assert(fc.property(caseArb(), fc.boolean(), (c, keepMask) => {
    fc.pre(c.mask !== undefined);
    const xi = Float32Array.from(c.x, (v, i) => (c.mask[i] ? v : -Infinity));
    for (const kind of KINDS) {
      const a = run(mm, kind, c), b = run(mm, kind, c, xi, keepMask ? c.mask : undefined);
      for (let i = 0; i < a.length; i++)
        if (!Object.is(a[i], b[i])) throw new Error(`${kind}: masked ${fmt(a[i])} (0x${bits(a[i])}) but −∞ input ${fmt(b[i])} (0x${bits(b[i])}) at ${at(c, i)}`);
    }
  }), fcOpts(1000, 21));
});

// ------------------------------------------------------------------------------------------------
// 3. shift invariance

// x on the grid k/64, |x| < 64, and an integer c with |c| ≤ 100: x + c is exact in float32
// (|64·(x + c)| < 2^14), and so is x − max; the library forms x − max in float32 before anything
// else (README "Temperature", "Sums"), so both calls see identical bits from then on and the
// results must be BITWISE equal (a tolerance would hide a loader or kernel that does not).
test('3. softmax and logSoftmax are shift invariant (bitwise, x + c exact in float32)', () => {
  fc.assert(fc.property(caseArb('grid'), fc.integer({ min: -100, max: 100 }), (c, shift) => {
    const xs = Float32Array.from(c.x, (v) => v + shift);
    for (let i = 0; i < xs.length; i++) assert.equal(xs[i], c.x[i] + shift, 'the test grid should make x + c exact');
    for (const kind of ['softmax', 'logSoftmax']) {
      const a = run(mm, kind, c), b = run(mm, kind, c, xs);
      for (let i = 0; i < a.length; i++)
        if (!Object.is(a[i], b[i])) throw new Error(`${kind}: x + ${shift} changes ${at(c, i)}: ${fmt(a[i])} (0x${bits(a[i])}) -> ${fmt(b[i])} (0x${bits(b[i])})`);
    }
  }), fcOpts(2000, 3));
});

// ------------------------------------------------------------------------------------------------
// 4. permutation equivariance

test('4. permuting a row (and its mask) permutes the output, up to summation order', () => {
  fc.assert(fc.property(caseArb(), fc.nat(), (c, permSeed) => {
    // per row a random permutation p (Fisher–Yates from permSeed); entry j of the permuted row is
    // entry p[j] of the original
    const rng = mulberry32(permSeed);
    const perm = new Int32Array(c.x.length);
    for (let r = 0; r < c.rows; r++) {
      const idx = Array.from({ length: c.cols }, (_, j) => r * c.cols + j);
      for (let j = c.cols - 1; j > 0; j--) { const k = Math.floor(rng() * (j + 1)); [idx[j], idx[k]] = [idx[k], idx[j]]; }
      idx.forEach((src, j) => { perm[r * c.cols + j] = src; });
    }
    const xp = Float32Array.from(perm, (src) => c.x[src]);
    const mp = c.mask ? Uint8Array.from(perm, (src) => c.mask[src]) : undefined;
    for (const kind of KINDS) {
      const log = isLog(kind);
      const y = run(mm, kind, c), yp = run(mm, kind, c, xp, mp);
      for (let r = 0; r < c.rows; r++) {
        const L = Math.max(lseOf(rowOf(y, c, r)), lseOf(rowOf(yp, c, r)));
        for (let j = 0; j < c.cols; j++) {
          const i = r * c.cols + j, a = yp[i], b = y[perm[i]];
          const ratio = orderRatio(a, b, log, L);
          note(4, ratio);
          if (!(ratio <= 1))
            throw new Error(`${kind}: permuted ${at(c, i)} = ${fmt(a)}, original ${at(c, perm[i])} = ${fmt(b)} (|Δ| = ${Math.abs(a - b).toExponential(3)})`);
        }
      }
    }
  }), fcOpts(2000, 4));
});

// ------------------------------------------------------------------------------------------------
// 5. log variants against the log of the probabilities

// Error model (k = 1, both calls form the same float32 d = fl(z − max), the same exp lanes e_i):
//   softmax: y = fl(e·fl(1/Σ̂₁)), e = exp(d)(1 + ε), |ε| ≤ EXP_REL_ERR + EXP_REL_ERR_D·|d|
//            (y > 1e-30: e is normal);
//   log:     y' = fl(d − fl(log Σ̂₂));  |log Σ̂₁ − log Σ̂₂| ≤ 4u (two summation kernels).
// |y' − log y| ≤ EXP_REL_ERR + EXP_REL_ERR_D·|d| + 4u + 2u (1/Σ and product) + u·L + u·|y'|,
// and L, |d| ≤ |y'| (d ≤ 0): ≤ 7.2e-7 + 3.2u·|y'|; we allow 7.5e-7 + 4u·|y'|. (6e-7 + 4u·|y'|
// before the b2-p5 exp, whose |d| term is the rounding of d·log2e.)
test('5. logSoftmax ≈ log(softmax) and logMultimax ≈ log(multimax) where the probability > 1e-30', () => {
  fc.assert(fc.property(caseArb(), (c) => {
    for (const [pk, lk] of [['softmax', 'logSoftmax'], ['multimax', 'logMultimax']]) {
      const cc = { ...c, T: 1 };
      const p = run(mm, pk, cc), l = run(mm, lk, cc);
      for (let i = 0; i < p.length; i++) {
        if (!(p[i] > 1e-30)) continue;
        const err = Math.abs(l[i] - Math.log(p[i]));
        const tol = 7.5e-7 + 4 * U * Math.abs(l[i]);
        note(5, err / tol);
        if (!(err <= tol))
          throw new Error(`${lk} at ${at(c, i)} = ${fmt(l[i])}, log(${pk}) = ${fmt(Math.log(p[i]))} (p = ${fmt(p[i])}), |Δ| = ${err.toExponential(3)} > ${tol.toExponential(3)}`);
      }
    }
  }), fcOpts(2000, 5));
});

// ------------------------------------------------------------------------------------------------
// 6. bitwise identities of the parameter forms

const sameBits = (a, b, what) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) throw new Error(`${what}: differs at ${i}: ${fmt(a[i])} (0x${bits(a[i])}) vs ${fmt(b[i])} (0x${bits(b[i])})`);
};

test('6a. zero MultiMax parameters (checkpoint and paper form) are bitwise softmax / logSoftmax, with and without mask', () => {
  const zeroParams = fc.oneof(
    fc.record({ ranges: fc.oneof(fc.constant([0, 0, 0, 0]), fc.tuple(rangeArb, rangeArb, rangeArb, rangeArb)), ts: fc.constant([0, 0, 0, 0]) }),
    fc.record({ orders: fc.array(fc.record({ tb: fc.constant(1), b: rangeArb, td: fc.constant(1), d: rangeArb }), { minLength: 1, maxLength: 3 }) }),
  );
  fc.assert(fc.property(caseArb(), zeroParams, (c0, params) => {
    const c = { ...c0, params, T: 1 };
    for (const mask of [undefined, c.mask]) {
      sameBits(run(mm, 'multimax', c, c.x, mask), run(mm, 'softmax', c, c.x, mask), `multimax(${JSON.stringify(params)}) vs softmax${mask ? ' (masked)' : ''}`);
      sameBits(run(mm, 'logMultimax', c, c.x, mask), run(mm, 'logSoftmax', c, c.x, mask), `logMultimax(${JSON.stringify(params)}) vs logSoftmax${mask ? ' (masked)' : ''}`);
    }
  }), fcOpts(1000, 61));
});

test('6b. paper form and checkpoint form of the same parameters are bitwise equal', () => {
  // Paper orders 1..2 (plus, sometimes, a third order with zero coefficients, which adds nothing);
  // the checkpoint twin by the README's rule ts0 = 1 − tb₁, r0 = b₁, ts1 = td₁ − 1, r1 = d₁ (and
  // likewise for order 2), with 1 − tb, td − 1 rounded to float32 as the library packs them.
  const pair = fc.record({
    orders: fc.array(fc.record({ a: coefArb, b: rangeArb, c: coefArb, d: rangeArb }), { minLength: 1, maxLength: 2 }),
    zeroThird: fc.option(fc.record({ b: rangeArb, d: rangeArb }), { freq: 3 }),
  }).map(({ orders, zeroThird }) => {
    const paper = orders.map(({ a, b, c, d }) => ({ tb: 1 - a, b, td: 1 + c, d }));
    const rec = paper.map((o) => ({ ts: [f(1 - o.tb), f(o.td - 1)], r: [o.b, o.d] }));
    while (rec.length < 2) rec.push({ ts: [0, 0], r: [0, 0] });
    if (zeroThird) paper.push({ tb: 1, b: zeroThird.b, td: 1, d: zeroThird.d });
    return {
      paper: { orders: paper },
      checkpoint: { ranges: [rec[0].r[0], rec[0].r[1], rec[1].r[0], rec[1].r[1]], ts: [rec[0].ts[0], rec[0].ts[1], rec[1].ts[0], rec[1].ts[1]] },
    };
  });
  fc.assert(fc.property(caseArb(), pair, (c, { paper, checkpoint }) => {
    for (const kind of ['multimax', 'logMultimax'])
      sameBits(run(mm, kind, { ...c, params: paper }), run(mm, kind, { ...c, params: checkpoint }), `${kind}: paper ${JSON.stringify(paper)} vs checkpoint ${JSON.stringify(checkpoint)}`);
  }), fcOpts(1000, 62));
});

// ------------------------------------------------------------------------------------------------
// 7. scalar build against SIMD build

test('7. the scalar build agrees with the SIMD build (2e-6 + 1e-5·|y|, and the summation-order model)', () => {
  fc.assert(fc.property(caseArb(), (c) => {
    for (const kind of KINDS) {
      const log = isLog(kind);
      const a = run(mm, kind, c), b = run(mmScalar, kind, c);
      for (let r = 0; r < c.rows; r++) {
        const L = Math.max(lseOf(rowOf(a, c, r)), lseOf(rowOf(b, c, r)));
        for (let j = 0; j < c.cols; j++) {
          const i = r * c.cols + j;
          if (Object.is(a[i], b[i])) continue;
          const d = Math.abs(a[i] - b[i]);
          const brief = d / (2e-6 + 1e-5 * Math.abs(b[i])), ratio = orderRatio(a[i], b[i], log, L);
          note('7 (brief bound)', brief);
          note(7, ratio);
          if (!(brief <= 1) || !(ratio <= 1))
            throw new Error(`${kind} at ${at(c, i)}: SIMD ${fmt(a[i])} vs scalar ${fmt(b[i])} (|Δ| = ${d.toExponential(3)})`);
        }
      }
    }
  }), fcOpts(2000, 7));
});

// ------------------------------------------------------------------------------------------------
// 8. MultiMax with finite but huge inputs

test('8. MultiMax with huge finite inputs (|x| ≤ 3e38): finite, in [0, 1], rows sum to 1, and the reference holds', () => {
  fc.assert(fc.property(caseArb('huge'), (c) => {
    for (let i = 0; i < c.x.length; i++) assert.ok(Number.isFinite(c.x[i]) && Math.abs(c.x[i]) <= 3e38 * (1 + 1e-7));
    const recs = packParams(c.params);
    const y = run(mm, 'multimax', c);
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new Error(`multimax: ${fmt(y[i])} at ${at(c, i)}`);
    checkRows('multimax', c, y);
    checkAgainstReference('multimax', c, y, recs, 8);
    const l = run(mm, 'logMultimax', c);
    for (let i = 0; i < l.length; i++) if (Number.isNaN(l[i]) || l[i] === Infinity) throw new Error(`logMultimax: ${fmt(l[i])} at ${at(c, i)}`);
    checkAgainstReference('logMultimax', c, l, recs, 8);
  }), fcOpts(2000, 8));
});
