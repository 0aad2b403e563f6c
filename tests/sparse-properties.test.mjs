// Properties and API contract of the sparse normalisers of issue 3 (spec: sparsemax, entmax15,
// entmax(alpha), normmax(alpha), evSoftmax(training)), against the built package (dist/ + build/).
//
// A. fast-check properties on random float32 batches (rows 1..4, cols 1..5000, values
//    logistic(0,1)-ish × {1e-5 … 1e4}, sometimes around an offset of 100 or −1e4; row kinds: plain,
//    ties (values from a pool of 1..3), a huge gap (one or two entries 1e3·max(1, scale) above the
//    rest), constant), random masks with fully masked rows. Each run checks every VARIANT:
//    sparsemax, entmax15, entmax at alpha 1.1 1.25 1.5 1.75 2 2.5 3, normmax at alpha 1.5 2 3,
//    evSoftmax eval and training.
//    A1 distributions: finite, in [0, 1], rows sum to 1 within 1e-5, masked entries exactly 0,
//       fully masked rows all 0 with support 0, support[r] = count(y > 0) ≥ 1 otherwise;
//    A2 permutation equivariance (within 1e-6 + 1e-5·|y|);
//    A3 shift invariance for x + c exact in float32 (evSoftmax bitwise, the others within a few
//       float32 ulps; the reasoning is at the test);
//    A4 masking = deleting the masked entries (within 1e-6 + 1e-5·|y|); −∞ inputs = masked (bitwise);
//    A5 optimality (KKT) conditions, in float64 on the float32 output: entmax family (sparsemax =
//       alpha 2, entmax15 = alpha 1.5) and normmax;
//    A6 evSoftmax against its definition (float64 mean threshold decided exactly, softmax of the
//       kept entries), and constant rows (incl. the float32 mean-rounding hazard row) uniform.
// B. API contract: argument errors (class + message naming the argument) and recovery after each,
//    in place / zero-copy views / tensors with any axis (support in row-major order of the other
//    dims), the numerical conventions (all-masked, NaN, ±∞), cols, per-row alpha, the
//    alpha = 1 / 1.5 / 2 aliases, the top-level functions, and rows of 1 to 1,000,000 columns.
//
// Row sums (A1, B): the spec promises 1 within float32 rounding (about 1e-6). Each output is a
// float32 with a relative rounding error ≤ 2^-24, so rounding the outputs moves the float64 sum of
// a row by at most 2^-24·Σy ≈ 6e-8 whatever the row length; the rest is the normaliser's own error
// (float32 arithmetic, bisection residual), which the spec bounds at ~1e-6. 1e-5 leaves 10× headroom
// over that and still catches every real normalisation bug (a wrong threshold, a lost support entry
// or a missed renormalisation all cost far more than 1e-5).
//
// Every property has a fixed seed (deterministic in CI). Explore with FC_SEED=<int> and/or
// FC_RUNS_FACTOR=<number>. A failure prints the spec of the batch: `buildCase(spec)` (or
// `buildGridCase(spec)`) rebuilds it.
//
// Run: node scripts/build.mjs && node --test tests/sparse-properties.test.mjs
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { mulberry32 } from '../tools/prng.mjs';

const DIST_ESM = new URL('../dist/index.js', import.meta.url);
if (!existsSync(DIST_ESM)) throw new Error(`${DIST_ESM.pathname} is missing: run \`node scripts/build.mjs\` first`);
const api = await import(DIST_ESM.href);
const { init } = api;
const mm = await init();

const FNS = ['sparsemax', 'entmax15', 'entmax', 'normmax', 'evSoftmax'];
for (const name of FNS) if (typeof mm[name] !== 'function') throw new Error(`engine.${name} is not a function: the sparse normalisers are not built yet`);

const SEED = Number(process.env.FC_SEED ?? 20250311);
const RUNS = Number(process.env.FC_RUNS_FACTOR ?? 1);
const runs = (n) => Math.max(1, Math.round(n * RUNS));
// A failure in long rows can take long to shrink: stop after 60 s and report what was found.
const fcOpts = (n, salt) => ({
  seed: SEED + salt, numRuns: runs(n), includeErrorInReport: true,
  interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true,
});

const f = Math.fround;
const U = 2 ** -24; // unit roundoff of float32
const MIN_NORMAL32 = 2 ** -126;

// ------------------------------------------------------------------------------------------------
// the normalisers under test

const ENTMAX_ALPHAS = [1.1, 1.25, 1.5, 1.75, 2, 2.5, 3];
const NORMMAX_ALPHAS = [1.5, 2, 3];
/** family 'entmax': y_i = [(α−1)x_i − τ]_+^{1/(α−1)}; 'normmax': (y_i/‖y‖_α)^{α−1} = [x_i − τ]_+;
 *  'ev': evSoftmax. */
const VARIANTS = [
  { name: 'sparsemax', fn: 'sparsemax', opts: {}, family: 'entmax', alpha: 2 },
  { name: 'entmax15', fn: 'entmax15', opts: {}, family: 'entmax', alpha: 1.5 },
  ...ENTMAX_ALPHAS.map((a) => ({ name: `entmax(alpha=${a})`, fn: 'entmax', opts: { alpha: a }, family: 'entmax', alpha: a })),
  ...NORMMAX_ALPHAS.map((a) => ({ name: `normmax(alpha=${a})`, fn: 'normmax', opts: { alpha: a }, family: 'normmax', alpha: a })),
  { name: 'evSoftmax', fn: 'evSoftmax', opts: {}, family: 'ev', training: false },
  { name: 'evSoftmax(training)', fn: 'evSoftmax', opts: { training: true }, family: 'ev', training: true },
];
const V = Object.fromEntries(VARIANTS.map((v) => [v.name, v]));

/** Calls a variant on a flat batch with a fresh support array; returns { y, support }. */
function call(v, x, cols, mask, engine = mm, extra = {}) {
  const rows = cols > 0 ? x.length / cols : 0;
  const support = new Int32Array(rows).fill(-7);
  const opts = { ...v.opts, cols, support, ...extra };
  if (mask) opts.mask = mask;
  const y = engine[v.fn](x, opts);
  if (!(y instanceof Float32Array) || y.length !== x.length) throw new Error(`${v.name}: expected a Float32Array of length ${x.length}, got ${y?.constructor?.name} of length ${y?.length}`);
  return { y, support };
}

// ------------------------------------------------------------------------------------------------
// helpers

const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(9) : String(v));
const f32buf = new Float32Array(1), u32buf = new Uint32Array(f32buf.buffer);
const bits = (v) => { f32buf[0] = v; return u32buf[0].toString(16).padStart(8, '0'); };
/** Value of the last mantissa bit of the float32 v. */
const lsb32 = (v) => { f32buf[0] = v; const e = (u32buf[0] >>> 23) & 0xff; return 2 ** ((e === 0 ? 1 : e) - 150); };
const isKept = (mask, i) => !mask || !!mask[i];
const rowOf = (a, cols, r) => a.subarray(r * cols, (r + 1) * cols);

function sameBits(a, b, label) {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i])))
      throw new Error(`${label}: differs at ${i}: ${fmt(a[i])} (0x${bits(a[i])}) vs ${fmt(b[i])} (0x${bits(b[i])})`);
}
function sameInts(a, b, label) {
  assert.equal(a.length, b.length, `${label}: support length`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) throw new Error(`${label}: support[${i}] ${a[i]} vs ${b[i]}`);
}
/** |a − b| ≤ 1e-6 + 1e-5·|b| elementwise (b: the reference side); NaN must match NaN. */
function closeTo(a, b, label, idx = null) {
  assert.equal(a.length, b.length, `${label}: length`);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i]) || Number.isNaN(a[i])) {
      if (!(Number.isNaN(a[i]) && Number.isNaN(b[i]))) throw new Error(`${label} at ${idx ? idx[i] : i}: ${fmt(a[i])} vs ${fmt(b[i])}`);
      continue;
    }
    const tol = 1e-6 + 1e-5 * Math.abs(b[i]);
    if (!(Math.abs(a[i] - b[i]) <= tol))
      throw new Error(`${label} at ${idx ? idx[i] : i}: ${fmt(a[i])} vs ${fmt(b[i])}, |Δ| = ${Math.abs(a[i] - b[i]).toExponential(3)} > ${tol.toExponential(3)}`);
  }
}

function randF32(n, seed, scale = 4) {
  const r = mulberry32(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (2 * r() - 1) * scale;
  return a;
}
function randMask(n, seed, keep = 0.7) {
  const r = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => (r() < keep ? 1 : 0));
}

// Largest error / tolerance seen per check (printed at the end: how tight the bounds are).
const stats = {};
const note = (k, ratio) => { if (!(ratio <= (stats[k] ?? -1))) stats[k] = ratio; };
let evTrainingSkipped = 0;
const started = performance.now();
after(() => {
  const worst = Object.entries(stats).map(([k, v]) => `${k}: ${v.toPrecision(3)}`).join(', ');
  console.log(`sparse-properties.test.mjs: seed ${SEED}, ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `largest error/tolerance: ${worst}; evSoftmax training rows skipped as ambiguous: ${evTrainingSkipped}`);
});

// ------------------------------------------------------------------------------------------------
// generators

// A batch is a small spec that fast-check generates and shrinks (rows, cols, per-row kinds, a PRNG
// seed for the values and the mask bits, scale, offset, mask layout); buildCase turns it into
// Float32Arrays. A counterexample prints as its spec, not as up to 20,000 floats.

const HALF = 2 ** 22;
/** An N(0,1)-ish value (logistic quantile, variance 1) from an integer k in (−2²², 2²²). */
const logisticOf = (k) => { const t = k / HALF; return Math.log((1 + t) / (1 - t)) * (Math.sqrt(3) / Math.PI); };
const drawK = (rng) => Math.floor(rng() * (2 * HALF - 1)) - (HALF - 1);
const SCALES = [1e-5, 1e-3, 1, 10, 1e3, 1e4];
const ROW_KINDS = ['normal', 'ties', 'gap', 'const'];
/** Constant-row values: float32(3.3043709) is the evSoftmax float32 mean-rounding hazard. */
const CONSTS = [0, 1, -5, f(0.1), f(3.3043709), 1e4, -1e4, f(-0.7)];

const rowKindArb = fc.oneof({ weight: 4, arbitrary: fc.constant('normal') }, { weight: 2, arbitrary: fc.constant('ties') },
  { weight: 2, arbitrary: fc.constant('gap') }, { weight: 1, arbitrary: fc.constant('const') });
const rowsArb = fc.integer({ min: 1, max: 4 });
const colsArb = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 300 }) }, { weight: 2, arbitrary: fc.integer({ min: 301, max: 5000 }) });
/** No mask (2 in 5) or random bits (keep 3/4 or 1/4) with row r fully masked where full[r] === 0. */
const maskSpecArb = (required) => {
  const m = fc.record({ full: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 4 }), dense: fc.boolean() });
  return required ? m : fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: m });
};

function buildMask(spec, n, cols) {
  if (!spec.mask) return undefined;
  const mrng = mulberry32(spec.seed ^ 0x5bd1e995);
  const keep = spec.mask.dense ? 0.75 : 0.25;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = spec.mask.full[Math.floor(i / cols)] === 0 ? 0 : mrng() < keep ? 1 : 0;
  return mask;
}

/** Fills one row of the given kind; value() draws one base value. */
function fillRow(row, kind, rng, value, gap, constOf) {
  const n = row.length;
  switch (kind) {
    case 'ties': {
      const k = 1 + Math.floor(rng() * 3);
      const pool = Array.from({ length: k }, () => f(value()));
      for (let j = 0; j < n; j++) row[j] = pool[Math.floor(rng() * k)];
      break;
    }
    case 'const':
      row.fill(constOf());
      break;
    default:
      for (let j = 0; j < n; j++) row[j] = value();
  }
  if (kind === 'gap') {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, row[j]);
    const top = f(m + gap);
    const count = rng() < 0.7 ? 1 : 2; // two: a tie at the top
    for (let t = 0; t < count; t++) row[Math.floor(rng() * n)] = top;
  }
}

/** The batch { rows, cols, x, mask } of a spec (kinds[r % kinds.length] is the kind of row r). */
function buildCase(spec) {
  const { rows, cols, kinds, seed, scale, offset } = spec;
  const rng = mulberry32(seed);
  const x = new Float32Array(rows * cols);
  const value = () => offset + logisticOf(drawK(rng)) * scale;
  const constOf = () => (rng() < 0.5 ? CONSTS[Math.floor(rng() * CONSTS.length)] : value());
  for (let r = 0; r < rows; r++) fillRow(rowOf(x, cols, r), kinds[r % kinds.length], rng, value, 1e3 * Math.max(1, scale), constOf);
  return { rows, cols, x, mask: buildMask(spec, x.length, cols), [fc.toStringMethod]: () => `buildCase(${fc.stringify(spec)})` };
}
function caseArb({ masked = false } = {}) {
  return fc.record({
    rows: rowsArb, cols: colsArb,
    kinds: fc.array(rowKindArb, { minLength: 1, maxLength: 4 }),
    seed: fc.nat(),
    scale: fc.constantFrom(...SCALES),
    offset: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(100, -1e4) }),
    mask: maskSpecArb(masked),
  }).map(buildCase);
}

/** Grid batches for A3: every value a multiple of 1/64 with |x| < 64 (gap rows: max + 1000), so
 *  x + c is exact in float32 for any integer |c| ≤ 100 (|64·(x + c)| < 2^17). */
function buildGridCase(spec) {
  const { rows, cols, kinds, seed } = spec;
  const rng = mulberry32(seed);
  const x = new Float32Array(rows * cols);
  const value = () => (Math.floor(rng() * 8191) - 4095) / 64;
  for (let r = 0; r < rows; r++) fillRow(rowOf(x, cols, r), kinds[r % kinds.length], rng, value, 1000, value);
  return { rows, cols, x, mask: buildMask(spec, x.length, cols), [fc.toStringMethod]: () => `buildGridCase(${fc.stringify(spec)})` };
}
const gridCaseArb = fc.record({
  rows: rowsArb, cols: colsArb, kinds: fc.array(rowKindArb, { minLength: 1, maxLength: 4 }), seed: fc.nat(), mask: maskSpecArb(false),
}).map(buildGridCase);

// ------------------------------------------------------------------------------------------------
// checks

const where = (v, c, r, j) => `${v.name}: row ${r}, col ${j} (cols ${c.cols})`;

/** A1: probability rows, support. */
function checkDistribution(v, c, { y, support }) {
  for (let r = 0; r < c.rows; r++) {
    const yr = rowOf(y, c.cols, r), mr = c.mask ? rowOf(c.mask, c.cols, r) : undefined;
    let kept = 0, sum = 0, nnz = 0;
    for (let j = 0; j < c.cols; j++) {
      const val = yr[j];
      if (!isKept(mr, j)) {
        if (val !== 0) throw new Error(`${where(v, c, r, j)}: masked entry is ${fmt(val)}, expected exactly 0`);
        continue;
      }
      kept++;
      if (!Number.isFinite(val) || !(val >= 0 && val <= 1)) throw new Error(`${where(v, c, r, j)}: y = ${fmt(val)} is not a probability (x = ${fmt(c.x[r * c.cols + j])})`);
      sum += val;
      if (val > 0) nnz++;
    }
    if (support[r] !== nnz) throw new Error(`${v.name}: row ${r}: support ${support[r]}, but count(y > 0) = ${nnz}`);
    if (kept === 0) continue; // fully masked: every entry was checked to be exactly 0, and nnz = 0
    note('A1 row sum', Math.abs(sum - 1) / 1e-5);
    if (!(Math.abs(sum - 1) <= 1e-5)) throw new Error(`${v.name}: row ${r} (${kept} kept of ${c.cols}) sums to ${sum.toPrecision(12)}, |Σ − 1| = ${Math.abs(sum - 1).toExponential(3)} > 1e-5`);
    if (nnz < 1) throw new Error(`${v.name}: row ${r} has ${kept} kept entries but support 0`);
  }
}

/**
 * A5: optimality conditions, in float64 on the float32 output, for the kept entries of each row.
 *  - entmax family: y = argmax <x, p> + H^T_α(p) over the simplex, i.e. there is a τ with
 *    y_i = [(α−1)x_i − τ]_+^{1/(α−1)}. So t_i = (α−1)x_i − y_i^{α−1} is the same τ for every i in
 *    the support (y_i > 0), and (α−1)x_i ≤ τ for every kept i outside it. α = 2 is the Euclidean
 *    projection onto the simplex (sparsemax: x_i − y_i = τ), α = 1.5 gives x_i/2 − √y_i = τ.
 *  - normmax: y = argmax <x, p> − ‖p‖_α over the simplex; ∂‖p‖_α/∂p_i = (p_i/‖p‖_α)^{α−1}, so
 *    t_i = x_i − (y_i/N)^{α−1} (N = ‖y‖_α) is constant on the support and x_i ≤ τ outside it.
 *  With the sum (A1) this pins y down uniquely. Tolerance: tol = 1e-5·(1 + s·max|x|) (s = α−1
 *  for entmax, 1 for normmax: the scale of the quantities compared; a float64 threshold gets
 *  ~1e-16 of it, float32 rounding of y moves y^{α−1} ∈ [0, 1] by ≤ 2^-23), plus the float32
 *  underflow margin: an output below the smallest normal float32 (1.2e-38) may come out as 0 or
 *  as an imprecise subnormal, which moves t_i by up to (2^-126)^{α−1} (normmax: (2^-126/N)^{α−1});
 *  that is 1.6e-4 at α = 1.1, 7e-11 at α = 1.25, ≤ 1e-19 from α = 1.5 on.
 */
function checkKKT(v, c, y, tag = 'A5') {
  const a = v.alpha, s = v.family === 'normmax' ? 1 : a - 1;
  for (let r = 0; r < c.rows; r++) {
    const xr = rowOf(c.x, c.cols, r), yr = rowOf(y, c.cols, r), mr = c.mask ? rowOf(c.mask, c.cols, r) : undefined;
    let M = 0, N = 0, kept = 0;
    for (let j = 0; j < c.cols; j++) if (isKept(mr, j)) { kept++; M = Math.max(M, Math.abs(xr[j])); N += yr[j] ** a; }
    if (kept === 0) continue;
    N **= 1 / a;
    const under = v.family === 'normmax' ? (MIN_NORMAL32 / N) ** (a - 1) : MIN_NORMAL32 ** (a - 1);
    const tol = 1e-5 * (1 + s * M) + under;
    const t = (j) => (v.family === 'normmax' ? xr[j] - (yr[j] / N) ** (a - 1) : (a - 1) * xr[j] - yr[j] ** (a - 1));
    let lo = Infinity, hi = -Infinity, jlo = -1, jhi = -1;
    for (let j = 0; j < c.cols; j++) {
      if (!isKept(mr, j) || !(yr[j] > 0)) continue;
      const tj = t(j);
      if (tj < lo) { lo = tj; jlo = j; }
      if (tj > hi) { hi = tj; jhi = j; }
    }
    if (jlo < 0) continue; // no support: A1 reports it
    note(`${tag} KKT spread`, (hi - lo) / tol);
    if (!(hi - lo <= tol)) {
      throw new Error(`${v.name}: row ${r}: KKT violated on the support: t = ${s === 1 && v.family === 'entmax' ? 'x − y' : v.family === 'normmax' ? 'x − (y/‖y‖)^(α−1)' : '(α−1)x − y^(α−1)'} ` +
        `ranges from ${fmt(lo)} (col ${jlo}: x = ${fmt(xr[jlo])}, y = ${fmt(yr[jlo])}) to ${fmt(hi)} (col ${jhi}: x = ${fmt(xr[jhi])}, y = ${fmt(yr[jhi])}), ` +
        `spread ${(hi - lo).toExponential(3)} > tol ${tol.toExponential(3)} (max|x| ${fmt(M)})`);
    }
    const tau = (lo + hi) / 2;
    for (let j = 0; j < c.cols; j++) {
      if (!isKept(mr, j) || yr[j] > 0) continue;
      const lhs = (v.family === 'normmax' ? 1 : a - 1) * xr[j];
      note(`${tag} KKT outside`, (lhs - tau) / tol);
      if (!(lhs <= tau + tol)) {
        throw new Error(`${v.name}: row ${r}, col ${j}: y = 0 but ${v.family === 'normmax' ? 'x' : '(α−1)x'} = ${fmt(lhs)} > τ + tol = ${fmt(tau)} + ${tol.toExponential(3)} ` +
          `(x = ${fmt(xr[j])}; an entry above the threshold must get mass; support ${yr.filter((q) => q > 0).length})`);
      }
    }
  }
}

const TWO149 = 2 ** 149;
/** A finite float32 as the exact integer v·2^149. */
const big = (v) => BigInt(v * TWO149);

/**
 * The evSoftmax threshold decision for the kept values of a row: the spec's mean is the float64
 * mean of the kept entries. The exact mean m = S/n is computed with BigInts; each value is
 * 'below' (x < m), 'above' (x > m), 'eq' (x = m exactly: kept) or 'amb' (ambiguous) when x lies so
 * close to m that the float64 rounding of the library's mean could decide either way:
 *  - if every partial sum of the row is exact in float64 (Σ|x| < 2^52·min lsb(x)), in any order,
 *    the library's mean is fl(S/n), and only x ≠ m within 2^-51·|m| is ambiguous;
 *  - otherwise any summation order is off by ≤ (n−1)·2^-53·Σ|x|, plus the division.
 */
function evDecisions(vals) {
  const n = vals.length;
  let S = 0n, sumAbs = 0, g = Infinity;
  for (const v of vals) { S += big(v); sumAbs += Math.abs(v); if (v !== 0) g = Math.min(g, lsb32(v)); }
  const exact = g === Infinity || sumAbs < 2 ** 52 * g;
  const m = Number(S) / TWO149 / n;
  const band = exact ? 2 ** -51 * Math.abs(m) : (n + 1) * 2 ** -53 * sumAbs + 2 ** -51 * Math.abs(m);
  const N = BigInt(n);
  return vals.map((v) => {
    const d = N * big(v) - S;
    if (d === 0n) return 'eq';
    if (Math.abs(Number(d)) / TWO149 / n <= band) return 'amb';
    return d > 0n ? 'above' : 'below';
  });
}

/**
 * A6: evSoftmax against its definition, row by row (kept entries only; masked ones are A1's).
 * Eval: an entry below the mean gets exactly 0; the others are softmax over the entries at or
 * above the mean, within 1e-6 + 1e-5·|ref| (the golden tolerance), and > 0 unless that
 * probability is below the smallest normal float32 (underflow). Ambiguous entries (see
 * evDecisions) count as kept iff the library gave them mass. Training: y = softmax(x)·m /
 * Σ softmax(x)·m with m = 1e-6 below the mean and 1 elsewhere (rows with an ambiguous entry are
 * skipped: the decision changes the normaliser; counted in the final console line).
 */
function checkEv(v, c, y) {
  for (let r = 0; r < c.rows; r++) {
    const xr = rowOf(c.x, c.cols, r), yr = rowOf(y, c.cols, r), mr = c.mask ? rowOf(c.mask, c.cols, r) : undefined;
    const idx = [];
    for (let j = 0; j < c.cols; j++) if (isKept(mr, j)) idx.push(j);
    if (idx.length === 0) continue;
    const vals = idx.map((j) => xr[j]);
    const dec = evDecisions(vals);
    if (v.training && dec.includes('amb')) { evTrainingSkipped++; continue; }
    let xmax = -Infinity;
    for (const q of vals) xmax = Math.max(xmax, q);
    const w = new Float64Array(idx.length);
    let sum = 0;
    idx.forEach((j, k) => {
      const d = dec[k];
      if (!v.training && d === 'below' && yr[j] !== 0)
        throw new Error(`${where(v, c, r, j)}: x = ${fmt(xr[j])} is below the row mean ${fmt(Number(vals.reduce((s, q) => s + big(q), 0n)) / TWO149 / vals.length)} but y = ${fmt(yr[j])}, expected exactly 0`);
      const keep = d === 'above' || d === 'eq' || (d === 'amb' && yr[j] > 0);
      w[k] = Math.exp(xr[j] - xmax) * (keep ? 1 : v.training ? 1e-6 : 0);
      sum += w[k];
    });
    idx.forEach((j, k) => {
      const ref = w[k] / sum, got = yr[j];
      const tol = 1e-6 + 1e-5 * ref;
      note(`A6 ${v.name}`, Math.abs(got - ref) / tol);
      if (!(Math.abs(got - ref) <= tol))
        throw new Error(`${where(v, c, r, j)}: y = ${fmt(got)}, reference ${fmt(ref)} (x = ${fmt(xr[j])}, ${dec[k]} the mean; |Δ| = ${Math.abs(got - ref).toExponential(3)} > ${tol.toExponential(3)})`);
      if (ref >= MIN_NORMAL32 && !(got > 0))
        throw new Error(`${where(v, c, r, j)}: y = ${fmt(got)} but the entry is kept (x = ${fmt(xr[j])}, ${dec[k]} the mean) with probability ${fmt(ref)}`);
    });
  }
}

// ================================================================================================
// A. properties

describe('A. properties', () => {
  test('A1. rows are distributions: finite, in [0, 1], sum 1 ± 1e-5; masked exactly 0; support = count(y > 0)', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      for (const v of VARIANTS) checkDistribution(v, c, call(v, c.x, c.cols, c.mask));
    }), fcOpts(1200, 1));
  });

  test('A2. permuting a row (and its mask) permutes the output, within 1e-6 + 1e-5·|y|', () => {
    fc.assert(fc.property(caseArb(), fc.nat(), (c, permSeed) => {
      // per row a Fisher–Yates permutation: entry i of the permuted batch is entry perm[i] of the original
      const rng = mulberry32(permSeed);
      const perm = new Int32Array(c.x.length);
      for (let r = 0; r < c.rows; r++) {
        const ids = Array.from({ length: c.cols }, (_, j) => r * c.cols + j);
        for (let j = c.cols - 1; j > 0; j--) { const k = Math.floor(rng() * (j + 1)); [ids[j], ids[k]] = [ids[k], ids[j]]; }
        ids.forEach((src, j) => { perm[r * c.cols + j] = src; });
      }
      const xp = Float32Array.from(perm, (src) => c.x[src]);
      const mp = c.mask ? Uint8Array.from(perm, (src) => c.mask[src]) : undefined;
      for (const v of VARIANTS) {
        const { y } = call(v, c.x, c.cols, c.mask);
        const { y: yp } = call(v, xp, c.cols, mp);
        for (let i = 0; i < y.length; i++) {
          const a = yp[i], b = y[perm[i]], tol = 1e-6 + 1e-5 * Math.abs(b);
          note('A2 permutation', Math.abs(a - b) / tol);
          if (!(Math.abs(a - b) <= tol))
            throw new Error(`${v.name}: permuted row ${Math.floor(i / c.cols)}, col ${i % c.cols} = ${fmt(a)}, original col ${perm[i] % c.cols} = ${fmt(b)} ` +
              `(x = ${fmt(c.x[perm[i]])}; |Δ| = ${Math.abs(a - b).toExponential(3)} > ${tol.toExponential(3)})`);
        }
      }
    }), fcOpts(600, 2));
  });

  // x on the grid k/64 (|x| < 64, gap rows up to 1064) and an integer |c| ≤ 100: x + c is exact in
  // float32, so the exact outputs of x and x + c are equal, and only rounding can separate them.
  //  - evSoftmax: BITWISE. On the grid every float64 partial sum of a row is exact (multiples of
  //    1/64 below 2^23), so the float64 mean of x + c is fl(S/n + c) and the decision x_i < mean is
  //    the same exact comparison for both (a grid value that is not the mean is ≥ 1/(64·n) ≥ 3e-6
  //    away from it, far beyond one float64 rounding). The kept entries then go through
  //    exp(x − max), and x − max is the same exact float32 number for both.
  //  - the others: within 4·2^-24·|y| + 1e-8, i.e. the float32 rounding of y on each side plus
  //    float64-level noise: a threshold computed in float64 from values ≤ 1164 in magnitude moves by
  //    rounding (≲ n·2^-53·1164 ≈ 6e-10 even for n = 5000 and naive summation), and y moves by at
  //    most dy/dτ ≤ 1/(α−1) ≤ 10 times that for α ≤ 2. For α > 2, dy/dτ is unbounded at the
  //    threshold (y = z^{1/(α−1)}), and grid rows do put entries exactly on it (α = 3: x_i = max − 0.5
  //    when the support is {max}), so there the check is on the threshold scale: either the y check
  //    above or |y_a^{α−1} − y_b^{α−1}| ≤ 1e-8 (+ the float32 rounding of y^{α−1}).
  //    (An implementation that subtracts the row max first is bitwise shift invariant here.)
  test('A3. shift invariance for x + c exact in float32: evSoftmax bitwise, the others within float32 rounding', () => {
    fc.assert(fc.property(gridCaseArb, fc.integer({ min: -100, max: 100 }), (c, shift) => {
      const xs = Float32Array.from(c.x, (q) => q + shift);
      for (let i = 0; i < xs.length; i++) assert.equal(xs[i], c.x[i] + shift, 'the grid should make x + c exact');
      for (const v of VARIANTS) {
        const A = call(v, c.x, c.cols, c.mask), B = call(v, xs, c.cols, c.mask);
        if (v.family === 'ev') {
          sameBits(B.y, A.y, `${v.name}: x + ${shift} vs x`);
          sameInts(B.support, A.support, `${v.name}: x + ${shift} vs x`);
          continue;
        }
        for (let i = 0; i < A.y.length; i++) {
          const a = A.y[i], b = B.y[i];
          if (Object.is(a, b)) continue;
          const tol = 4 * U * Math.max(Math.abs(a), Math.abs(b)) + 1e-8;
          let ratio = Math.abs(a - b) / tol;
          if (!(ratio <= 1) && v.alpha > 2) {
            const za = a ** (v.alpha - 1), zb = b ** (v.alpha - 1);
            ratio = Math.abs(za - zb) / (1e-8 + 4 * U * Math.max(za, zb));
          }
          note('A3 shift', ratio);
          const ok = ratio <= 1;
          if (!ok)
            throw new Error(`${v.name}: row ${Math.floor(i / c.cols)}, col ${i % c.cols} (x = ${fmt(c.x[i])}): ${fmt(a)} for x, ${fmt(b)} for x + ${shift} ` +
              `(|Δ| = ${Math.abs(a - b).toExponential(3)} > ${tol.toExponential(3)})`);
        }
      }
    }), fcOpts(600, 3));
  });

  test('A4. masking = deleting the masked entries (within 1e-6 + 1e-5·|y|); −∞ inputs behave exactly as masked (bitwise)', () => {
    fc.assert(fc.property(caseArb({ masked: true }), (c) => {
      const xinf = Float32Array.from(c.x, (q, i) => (c.mask[i] ? q : -Infinity));
      for (const v of VARIANTS) {
        const A = call(v, c.x, c.cols, c.mask);
        const B1 = call(v, xinf, c.cols), B2 = call(v, xinf, c.cols, c.mask);
        sameBits(B1.y, A.y, `${v.name}: −∞ inputs (no mask) vs masked`);
        sameInts(B1.support, A.support, `${v.name}: −∞ inputs (no mask) vs masked`);
        sameBits(B2.y, A.y, `${v.name}: −∞ inputs with the mask vs masked`);
        sameInts(B2.support, A.support, `${v.name}: −∞ inputs with the mask vs masked`);
        for (let r = 0; r < c.rows; r++) {
          const idx = [];
          for (let j = 0; j < c.cols; j++) if (c.mask[r * c.cols + j]) idx.push(j);
          if (idx.length === 0) continue; // fully masked: A1 checks the zeros
          const xd = Float32Array.from(idx, (j) => c.x[r * c.cols + j]);
          const D = call(v, xd, xd.length);
          const got = Float32Array.from(idx, (j) => A.y[r * c.cols + j]);
          closeTo(got, D.y, `${v.name}: row ${r}: masked row vs the row with its ${c.cols - idx.length} masked entries deleted, kept col`, idx);
          for (let j = 0; j < c.cols; j++)
            if (!c.mask[r * c.cols + j] && A.y[r * c.cols + j] !== 0) throw new Error(`${v.name}: row ${r}, col ${j}: masked entry is ${fmt(A.y[r * c.cols + j])}`);
        }
      }
    }), fcOpts(500, 4));
  });

  test('A5. KKT: sparsemax / entmax15 / entmax(α) / normmax(α) outputs are the exact optima (float64 check of the float32 output)', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      for (const v of VARIANTS) if (v.family !== 'ev') checkKKT(v, c, call(v, c.x, c.cols, c.mask).y);
    }), fcOpts(1200, 5));
  });

  test('A6. evSoftmax: exactly 0 below the float64 row mean, softmax of the rest (eval); 1e-6 weights below the mean (training)', () => {
    fc.assert(fc.property(caseArb(), (c) => {
      for (const v of [V.evSoftmax, V['evSoftmax(training)']]) checkEv(v, c, call(v, c.x, c.cols, c.mask).y);
    }), fcOpts(1200, 6));
  });

  test('A7. constant rows are uniform for every normaliser (incl. 190 × float32(3.3043709), the float32 mean-rounding hazard of evSoftmax)', () => {
    // Every entry of a constant row is treated alike, so each output is 1/n up to a few roundings
    // (≤ 1e-6 relative); 1e-5 relative leaves headroom. evSoftmax: the float64 mean of n copies of a
    // float32 is exact, every entry is "not below the mean", nothing is dropped (in float32, the
    // mean of 190 × 3.3043709 rounds above the value and upstream gives NaN).
    const rows = [[190, f(3.3043709)], [1, 5], [2, f(0.1)], [3, -1e4], [7, 0], [64, f(-2.5)], [199, f(3.3043709)], [300, 1e4], [4097, f(0.3)], [33, 3.3e38], [5, -3.3e38]];
    for (const [n, val] of rows) {
      const x = new Float32Array(n).fill(val);
      for (const v of VARIANTS) {
        const { y, support } = call(v, x, n);
        assert.equal(support[0], n, `${v.name}: constant row of ${n} × ${val}: support`);
        for (let j = 0; j < n; j++)
          if (!(Math.abs(y[j] * n - 1) <= 1e-5)) assert.fail(`${v.name}: constant row of ${n} × ${val}: y[${j}] = ${fmt(y[j])}, expected 1/${n} = ${fmt(1 / n)}`);
      }
    }
  });
});

// ================================================================================================
// B. API contract

/** The engine still gives the results it gave before any error (bitwise, support included). */
const HX = randF32(3 * 19, 99), HM = randMask(3 * 19, 98);
const healthOf = () => VARIANTS.map((v) => call(v, HX, 19, HM));
const HEALTH = healthOf().map(({ y, support }) => ({ y: y.slice(), support: support.slice() }));
function assertHealthy(label) {
  healthOf().forEach(({ y, support }, k) => {
    sameBits(y, HEALTH[k].y, `${label}: ${VARIANTS[k].name}`);
    sameInts(support, HEALTH[k].support, `${label}: ${VARIANTS[k].name}`);
  });
}
/** fn throws an instance of Cls whose message matches re; then the engine still works. */
function assertThrowsArg(fn, Cls, re, label) {
  let err = null;
  try { fn(); } catch (e) { err = e; }
  if (err === null) assert.fail(`${label}: expected a ${Cls.name} matching ${re}, nothing was thrown`);
  if (!(err instanceof Cls) || !re.test(String(err.message)))
    assert.fail(`${label}: expected a ${Cls.name} matching ${re}, got ${err?.constructor?.name}: ${err?.message}`);
  assertHealthy(`the next call after ${label}`);
}

/** Normalises `data` (dims) along axis by hand: moves the axis last (the other dims keep their
 *  row-major order), runs the flat call with cols = dims[axis], and moves it back. */
function byHand(v, data, dims, axis, mask, extra = {}) {
  const rank = dims.length, a = axis < 0 ? axis + rank : axis;
  const outer = dims.slice(0, a).reduce((p, d) => p * d, 1), C = dims[a], inner = dims.slice(a + 1).reduce((p, d) => p * d, 1);
  const src = (o, j, k) => o * C * inner + k * inner + j; // (outer o, inner j, along-axis k)
  const xt = new Float32Array(data.length), mt = mask ? new Uint8Array(data.length) : undefined;
  let w = 0;
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) for (let k = 0; k < C; k++, w++) {
    xt[w] = data[src(o, j, k)];
    if (mask) mt[w] = mask[src(o, j, k)] ? 1 : 0;
  }
  const { y, support } = call(v, xt, C, mt, mm, extra);
  const back = new Float32Array(data.length);
  w = 0;
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) for (let k = 0; k < C; k++, w++) back[src(o, j, k)] = y[w];
  return { y: back, support };
}

describe('A8. extreme inputs', () => {
  // Deterministic fuzz (both builds): rows mixing ±3.4e38, huge and tiny magnitudes, subnormals,
  // zeros and ordinary values, through every map including extreme alphas (entmax 1.001, 50,
  // 1000, 1e6; normmax 1.001 and 1000, where the threshold is about −n^(1−α) and underflows).
  // Finite inputs of any magnitude must give finite probabilities in [0, 1] summing to 1 (within
  // 1e-5), and support = count(y > 0).
  test('finite, in [0, 1], sums 1 ± 1e-5, support = count(y > 0), for |x| up to 3.4e38 and alpha up to 1e6 (SIMD and scalar builds)', async () => {
    const scalar = await init({ url: new URL('../build/multimax-scalar.wasm', import.meta.url) });
    for (const e of [mm, scalar]) {
      const r = mulberry32(99);
      const pick = [() => (r() - 0.5) * 6.8e38, () => (r() - 0.5) * 1e-40, () => 3.4e38, () => -3.4e38, () => 0,
        () => (r() - 0.5) * 20, () => 1e30 * (r() - 0.5), () => 1.4e-45];
      const fns = {
        sparsemax: (x, o) => e.sparsemax(x, o), entmax15: (x, o) => e.entmax15(x, o),
        ...Object.fromEntries([1.001, 1.25, 3, 50, 1000, 1e6].map((a) => [`entmax ${a}`, (x, o) => e.entmax(x, { ...o, alpha: a })])),
        ...Object.fromEntries([1.001, 1.5, 2, 5, 1000].map((a) => [`normmax ${a}`, (x, o) => e.normmax(x, { ...o, alpha: a })])),
        evSoftmax: (x, o) => e.evSoftmax(x, o), 'evSoftmax training': (x, o) => e.evSoftmax(x, { ...o, training: true }),
      };
      const bad = [];
      for (let trial = 0; trial < 600; trial++) {
        const n = 1 + Math.floor(r() * (r() < 0.1 ? 2000 : 40));
        const x = new Float32Array(n);
        const k1 = Math.floor(r() * pick.length), k2 = Math.floor(r() * pick.length);
        for (let i = 0; i < n; i++) x[i] = (r() < 0.5 ? pick[k1] : pick[k2])();
        const sup = new Int32Array(1);
        for (const [name, f] of Object.entries(fns)) {
          const y = f(x, { support: sup });
          let s = 0, ok = true, cnt = 0;
          for (const v of y) { if (!(v >= 0 && v <= 1)) ok = false; s += v; cnt += v > 0 ? 1 : 0; }
          if (!ok || Math.abs(s - 1) > 1e-5 || cnt !== sup[0]) bad.push(`${e.simd ? 'SIMD' : 'scalar'} ${name} n=${n} sum=${s} inRange=${ok} support=${sup[0]} count=${cnt} x[0..4]=${Array.from(x.subarray(0, 4))}`);
        }
      }
      assert.deepEqual(bad.slice(0, 10), [], `${bad.length} bad rows`);
    }
    await init(); // init() makes its engine the default one: give the top-level functions a SIMD engine back
  });
});

describe('B. API contract', () => {
  const x12 = randF32(12, 7); // 3 rows × 4

  describe('B1. argument errors name the argument, and the engine keeps working', () => {
    const badAlpha = {
      entmax: [
        ['0.5', 0.5, RangeError], ['0.999', 0.999, RangeError], ['-2', -2, RangeError], ['0', 0, RangeError],
        ['NaN', NaN, RangeError], ['Infinity', Infinity, RangeError], ['-Infinity', -Infinity, RangeError],
        ['"2" (a string)', '2', TypeError], ['true', true, TypeError], ['{} (not array-like)', {}, TypeError],
        ['a per-row array of length 2 (3 rows)', [1.5, 2], RangeError], ['a per-row array of length 4 (3 rows)', [1.5, 2, 2, 2], RangeError],
        ['an empty per-row array', [], RangeError], ['a per-row Float64Array of length 1', Float64Array.of(1.5), RangeError],
        ['a per-row array with 0.5', [1.5, 0.5, 2], RangeError], ['a per-row array with NaN', [1.5, NaN, 2], RangeError],
        ['a per-row Float64Array with Infinity', Float64Array.of(1.5, 2, Infinity), RangeError], ['a per-row array with a string', [1.5, '2', 2], TypeError],
      ],
      normmax: [
        ['1', 1, RangeError], ['0.5', 0.5, RangeError], ['-3', -3, RangeError], ['NaN', NaN, RangeError], ['Infinity', Infinity, RangeError],
        ['"2" (a string)', '2', TypeError], ['{} (not array-like)', {}, TypeError],
        ['a per-row array of length 2 (3 rows)', [2, 2], RangeError], ['a per-row array of length 4 (3 rows)', [2, 2, 2, 2], RangeError],
        ['a per-row array with 1', [2, 1, 3], RangeError], ['a per-row array with NaN', [2, 3, NaN], RangeError],
        ['a per-row array with a string', [2, '3', 2], TypeError],
      ],
    };
    for (const [fn, cases] of Object.entries(badAlpha)) {
      for (const [what, alpha, Cls] of cases) {
        test(`${fn}: alpha ${what} -> ${Cls.name} naming alpha`, () => {
          assertThrowsArg(() => mm[fn](x12, { cols: 4, alpha }), Cls, /\balpha\b/, `engine.${fn}(alpha ${what})`);
          assertThrowsArg(() => api[fn](x12, { cols: 4, alpha }), Cls, /\balpha\b/, `top-level ${fn}(alpha ${what})`);
          // the same on a tensor (3 rows along axis 0 of dims [4, 3])
          assertThrowsArg(() => mm[fn]({ data: x12, dims: [4, 3] }, { axis: 0, alpha }), Cls, /\balpha\b/, `engine.${fn}(tensor, alpha ${what})`);
        });
      }
    }

    for (const fn of FNS) {
      test(`${fn}: support of the wrong type -> TypeError, wrong length -> RangeError (both name support)`, () => {
        for (const [what, support] of [['a Float32Array', new Float32Array(3)], ['a plain array', [0, 0, 0]], ['a Uint32Array', new Uint32Array(3)], ['a number', 3], ['a string', 'abc']])
          assertThrowsArg(() => mm[fn](x12, { cols: 4, support }), TypeError, /^support: /, `${fn}(support ${what})`);
        for (const len of [0, 2, 4, 12])
          assertThrowsArg(() => mm[fn](x12, { cols: 4, support: new Int32Array(len) }), RangeError, /^support: /, `${fn}(support Int32Array(${len}), 3 rows)`);
        const t = { data: randF32(24, 5), dims: [2, 3, 4] };
        for (const [axis, bad] of [[1, 24], [1, 3], [0, 8], [-1, 4]])
          assertThrowsArg(() => mm[fn](t, { axis, support: new Int32Array(bad) }), RangeError, /^support: /, `${fn}(tensor [2, 3, 4], axis ${axis}, support Int32Array(${bad}))`);
        assertThrowsArg(() => api[fn](x12, { cols: 4, support: new Float32Array(3) }), TypeError, /^support: /, `top-level ${fn}(support Float32Array)`);
      });

      test(`${fn}: temperature -> TypeError naming temperature`, () => {
        for (const temperature of [1, 2, 0.5])
          assertThrowsArg(() => mm[fn](x12, { cols: 4, temperature }), TypeError, /temperature/, `${fn}(temperature ${temperature})`);
      });
    }

    test('evSoftmax: training that is not a boolean -> TypeError naming training', () => {
      for (const training of [1, 0, 'true', 'false', {}, [true]])
        assertThrowsArg(() => mm.evSoftmax(x12, { cols: 4, training }), TypeError, /\btraining\b/, `evSoftmax(training ${JSON.stringify(training)})`);
      assertThrowsArg(() => api.evSoftmax(x12, { cols: 4, training: 1 }), TypeError, /\btraining\b/, 'top-level evSoftmax(training 1)');
    });

    test('a valid call right after a failing one works (mixed sequence on one engine)', () => {
      const ref = call(V['entmax(alpha=1.25)'], x12, 4);
      for (let k = 0; k < 3; k++) {
        assert.throws(() => mm.entmax(x12, { cols: 4, alpha: 0.5 }), RangeError);
        sameBits(call(V['entmax(alpha=1.25)'], x12, 4).y, ref.y, `after error #${k}`);
        assert.throws(() => mm.sparsemax(x12, { cols: 4, support: new Int32Array(2) }), RangeError);
        assert.throws(() => mm.evSoftmax(x12, { cols: 4, training: 'yes' }), TypeError);
        assert.throws(() => mm.normmax(x12, { cols: 4, alpha: 1 }), RangeError);
      }
      assertHealthy('after the mixed sequence');
    });
  });

  describe('B2. ways of calling give the same numbers', () => {
    const x = randF32(4 * 33, 21, 3), mask = randMask(4 * 33, 22);

    test('out === x (in place) gives the same result and support as a fresh output; out is returned', () => {
      for (const v of VARIANTS) {
        const ref = call(v, x, 33, mask);
        const xc = x.slice(), support = new Int32Array(4);
        const r = mm[v.fn](xc, { ...v.opts, cols: 33, mask, out: xc, support });
        assert.equal(r, xc, `${v.name}: in place returns x`);
        sameBits(xc, ref.y, `${v.name}: in place vs fresh`);
        sameInts(support, ref.support, `${v.name}: in place vs fresh`);
        const out = new Float32Array(x.length).fill(NaN);
        assert.equal(mm[v.fn](x, { ...v.opts, cols: 33, mask, out }), out, `${v.name}: returns out`);
        sameBits(out, ref.y, `${v.name}: out vs fresh`);
        const t = { data: x.slice(), dims: [4, 33] };
        const rt = mm[v.fn](t, { ...v.opts, mask, out: t });
        assert.equal(rt, t, `${v.name}: a tensor out is returned as given`);
        sameBits(t.data, ref.y, `${v.name}: tensor in place vs fresh`);
      }
    });

    test('zero-copy views (mm.alloc) as x, as out, and both (also in place) give the same results as copies', () => {
      const n = x.length;
      for (const v of VARIANTS) {
        const ref = call(v, x, 33, mask);
        const xv0 = mm.alloc(n), yv0 = mm.alloc(n);
        try {
          for (const what of ['view x, view out', 'view x, no out', 'JS x, view out', 'view in place']) {
            // views are detached when the memory grows: take live ones for every call
            const xv = mm.refresh(xv0), yv = mm.refresh(yv0);
            xv.set(x);
            const xin = what.startsWith('JS') ? x : xv;
            const out = what === 'view x, no out' ? undefined : what === 'view in place' ? xv : yv;
            const support = new Int32Array(4);
            const opts = { ...v.opts, cols: 33, mask, support };
            if (out) opts.out = out;
            const r = mm[v.fn](xin, opts);
            sameBits(r, ref.y, `${v.name}: ${what}`);
            sameInts(support, ref.support, `${v.name}: ${what}`);
            if (out) {
              assert.equal(r.buffer, mm.memory.buffer, `${v.name}: ${what}: the result is a live view`);
              assert.equal(r.byteOffset, out === xv ? xv.byteOffset : yv.byteOffset, `${v.name}: ${what}: the result is the out view`);
            }
            if (what !== 'view in place') sameBits(mm.refresh(xv0), x, `${v.name}: ${what}: x view untouched`);
          }
        } finally {
          mm.free(xv0); mm.free(yv0);
        }
      }
    });

    test('tensor input, axis 0, 1, 2, -1, -2, -3 of a 3-D tensor (with mask and support) = transposing by hand; support in row-major order of the other dims', () => {
      const dims = [3, 4, 5], data = randF32(60, 31, 2), tmask = randMask(60, 32, 0.8);
      for (const v of VARIANTS) {
        for (const axis of [0, 1, 2, -1, -2, -3]) {
          const a = axis < 0 ? axis + 3 : axis, rows = 60 / dims[a];
          const support = new Int32Array(rows).fill(-7);
          const r = mm[v.fn]({ data, dims }, { ...v.opts, axis, mask: tmask, support });
          assert.deepEqual(r.dims, dims, `${v.name} axis ${axis}: dims`);
          const ref = byHand(v, data, dims, axis, tmask);
          sameBits(r.data, ref.y, `${v.name} axis ${axis} vs by hand`);
          sameInts(support, ref.support, `${v.name} axis ${axis} vs by hand`);
        }
      }
      // per-row alpha follows the same row order as support
      for (const [fn, alphas] of [['entmax', [1.1, 1.5, 2, 3, 1.25, 1.75, 2.5, 1, 1.3, 4, 1.6, 2.2, 1.9, 1.05, 3.5]], ['normmax', [1.5, 2, 3, 2.5, 1.2, 4, 1.8, 2.2, 1.4, 3.3, 1.6, 2.7, 1.9, 1.1, 5]]]) {
        const rows = 15; // axis 1: dims 3 × 5 = 15 rows
        const support = new Int32Array(rows);
        const r = mm[fn]({ data, dims }, { axis: 1, mask: tmask, alpha: alphas, support });
        const ref = byHand({ name: fn, fn, opts: {} }, data, dims, 1, tmask, { alpha: alphas });
        sameBits(r.data, ref.y, `${fn} per-row alpha, axis 1 vs by hand`);
        sameInts(support, ref.support, `${fn} per-row alpha, axis 1 vs by hand`);
      }
    });

    test('a flat Float32Array with axis 0 normalises columns (support: one slot per column)', () => {
      const xf = randF32(6 * 7, 41, 2);
      for (const v of VARIANTS) {
        const support = new Int32Array(7);
        const r = mm[v.fn](xf, { ...v.opts, cols: 7, axis: 0, support });
        const ref = byHand(v, xf, [6, 7], 0);
        sameBits(r, ref.y, `${v.name}: axis 0 vs by hand`);
        sameInts(support, ref.support, `${v.name}: axis 0 vs by hand`);
      }
    });

    test('cols with several rows: each row as if alone (within 1e-6 + 1e-5·|y|, same support)', () => {
      const xb = randF32(6 * 9, 51, 3);
      xb.fill(1.5, 9, 18); // a constant row
      xb[30] = 40; // a gap
      for (const v of VARIANTS) {
        const all = call(v, xb, 9);
        for (let r = 0; r < 6; r++) {
          const one = call(v, xb.slice(r * 9, r * 9 + 9), 9);
          closeTo(all.y.subarray(r * 9, r * 9 + 9), one.y, `${v.name}: row ${r} in a batch of 6 vs alone`);
          assert.equal(all.support[r], one.support[0], `${v.name}: row ${r}: support in the batch vs alone`);
        }
      }
    });

    test('per-row alpha (array, Float64Array, Float32Array) = the scalar alpha of each row', () => {
      const xb = randF32(5 * 40, 61, 3);
      const mb = randMask(5 * 40, 62, 0.8);
      for (const [fn, list] of [['entmax', [1.1, 1.5, 2, 3, 1]], ['normmax', [1.5, 2, 3, 2.5, 1.01]]]) {
        for (const alphas of [list, Float64Array.from(list), Float32Array.from(list)]) {
          const support = new Int32Array(5);
          const y = mm[fn](xb, { cols: 40, mask: mb, alpha: alphas, support });
          for (let r = 0; r < 5; r++) {
            const s = call({ name: fn, fn, opts: { alpha: alphas[r] } }, xb, 40, mb);
            sameBits(y.subarray(r * 40, r * 40 + 40), s.y.subarray(r * 40, r * 40 + 40), `${fn}: row ${r} with per-row alpha ${alphas[r]} (${alphas.constructor.name}) vs scalar alpha`);
            assert.equal(support[r], s.support[r], `${fn}: row ${r}: support`);
          }
        }
      }
    });

    test('aliases: entmax alpha 1.5 = entmax15 = entmax default, alpha 2 = sparsemax (bitwise), alpha 1 = softmax; normmax default = alpha 2; evSoftmax default = eval', () => {
      const xb = randF32(3 * 50, 71, 3), mb = randMask(3 * 50, 72, 0.8);
      const o = { cols: 50, mask: mb };
      sameBits(mm.entmax(xb, { ...o, alpha: 1.5 }), mm.entmax15(xb, o), 'entmax(alpha 1.5) vs entmax15');
      sameBits(mm.entmax(xb, o), mm.entmax15(xb, o), 'entmax() vs entmax15');
      sameBits(mm.entmax(xb, { ...o, alpha: 2 }), mm.sparsemax(xb, o), 'entmax(alpha 2) vs sparsemax');
      closeTo(mm.entmax(xb, { ...o, alpha: 1 }), mm.softmax(xb, o), 'entmax(alpha 1) vs softmax');
      sameBits(mm.normmax(xb, o), mm.normmax(xb, { ...o, alpha: 2 }), 'normmax() vs normmax(alpha 2)');
      sameBits(mm.evSoftmax(xb, o), mm.evSoftmax(xb, { ...o, training: false }), 'evSoftmax() vs training false');
    });

    test('top-level sparsemax / entmax15 / entmax / normmax / evSoftmax equal the engine methods', () => {
      for (const name of FNS) assert.equal(typeof api[name], 'function', `export ${name}`);
      const xb = randF32(4 * 21, 81, 3), mb = randMask(4 * 21, 82);
      for (const v of VARIANTS) {
        const s1 = new Int32Array(4), s2 = new Int32Array(4);
        sameBits(api[v.fn](xb, { ...v.opts, cols: 21, mask: mb, support: s1 }), mm[v.fn](xb, { ...v.opts, cols: 21, mask: mb, support: s2 }), `top-level ${v.name}`);
        sameInts(s1, s2, `top-level ${v.name}`);
        const t = api[v.fn]({ data: xb, dims: [4, 21] }, { ...v.opts, axis: 0 });
        assert.deepEqual(t.dims, [4, 21]);
        sameBits(t.data, mm[v.fn]({ data: xb, dims: [4, 21] }, { ...v.opts, axis: 0 }).data, `top-level ${v.name} tensor axis 0`);
      }
      sameBits(api.entmax(xb, { cols: 21, alpha: [1.2, 2, 3, 1.5] }), mm.entmax(xb, { cols: 21, alpha: [1.2, 2, 3, 1.5] }), 'top-level entmax per-row alpha');
    });
  });

  describe('B3. conventions', () => {
    test('fully masked rows (and rows of −∞) give zeros with support 0; the other rows are unaffected', () => {
      const xb = randF32(3 * 5, 91);
      const m = new Uint8Array(15).fill(1);
      const mAll = m.slice(); mAll.fill(0, 5, 10);
      const xInf = xb.slice(); xInf.fill(-Infinity, 5, 10);
      for (const v of VARIANTS) {
        const free = call(v, xb, 5, m);
        for (const [what, got] of [['mask', call(v, xb, 5, mAll)], ['−∞ row', call(v, xInf, 5)], ['−∞ row and mask', call(v, xInf, 5, mAll)]]) {
          for (let j = 5; j < 10; j++) assert.ok(got.y[j] === 0, `${v.name} (${what}): fully masked row: y[${j}] = ${fmt(got.y[j])}, expected 0`);
          assert.equal(got.support[1], 0, `${v.name} (${what}): support of the fully masked row`);
          for (const r of [0, 2]) sameBits(got.y.subarray(r * 5, r * 5 + 5), free.y.subarray(r * 5, r * 5 + 5), `${v.name} (${what}): row ${r}`);
          assert.deepEqual([got.support[0], got.support[2]], [free.support[0], free.support[2]], `${v.name} (${what}): support of the other rows`);
        }
        const one = call(v, Float32Array.of(3), 1, Uint8Array.of(0));
        assert.ok(one.y[0] === 0 && one.support[0] === 0, `${v.name}: a single masked entry`);
      }
    });

    test('a NaN in an unmasked entry makes its row all NaN (support 0); a NaN in a masked entry changes nothing', () => {
      const xb = randF32(3 * 6, 101);
      const xn = xb.slice(); xn[8] = NaN;
      const mOff = new Uint8Array(18).fill(1); mOff[8] = 0;
      for (const v of VARIANTS) {
        const ref = call(v, xb, 6);
        const got = call(v, xn, 6);
        for (let j = 6; j < 12; j++) assert.ok(Number.isNaN(got.y[j]), `${v.name}: NaN row: y[${j}] = ${fmt(got.y[j])}`);
        assert.equal(got.support[1], 0, `${v.name}: support of the NaN row`);
        for (const r of [0, 2]) sameBits(got.y.subarray(r * 6, r * 6 + 6), ref.y.subarray(r * 6, r * 6 + 6), `${v.name}: row ${r} next to a NaN row`);
        const masked = call(v, xn, 6, mOff), masked0 = call(v, xb, 6, mOff);
        sameBits(masked.y, masked0.y, `${v.name}: NaN in a masked entry`);
        sameInts(masked.support, masked0.support, `${v.name}: NaN in a masked entry`);
        const withInf = call(v, Float32Array.of(1, NaN, Infinity, -Infinity), 4);
        assert.ok(withInf.y.every(Number.isNaN), `${v.name}: NaN with ±∞: ${Array.from(withInf.y).map(fmt)}`);
      }
    });

    test('+∞ entries share the mass equally, every other entry gets exactly 0', () => {
      const I = Infinity;
      const cases = [
        ['two +∞', [1, I, 3, I, -2], undefined, [0, 0.5, 0, 0.5, 0]],
        ['one +∞', [1e30, -5, I, 3e38], undefined, [0, 0, 1, 0]],
        ['all +∞', [I, I, I], undefined, [1 / 3, 1 / 3, 1 / 3]],
        ['+∞, −∞ and a masked +∞', [I, -I, I, 2], [1, 1, 0, 1], [1, 0, 0, 0]],
        ['+∞ among −∞', [-I, I, -I, -I], undefined, [0, 1, 0, 0]],
      ];
      for (const v of VARIANTS) {
        for (const [what, xs, mk, want] of cases) {
          const { y, support } = call(v, Float32Array.from(xs), xs.length, mk && Uint8Array.from(mk));
          const k = want.filter((q) => q > 0).length;
          for (let j = 0; j < xs.length; j++) {
            if (want[j] === 0) assert.ok(y[j] === 0, `${v.name} (${what}): y[${j}] = ${fmt(y[j])}, expected exactly 0`);
            else assert.ok(Math.abs(y[j] - want[j]) <= 1e-7 * want[j], `${v.name} (${what}): y[${j}] = ${fmt(y[j])}, expected 1/${k}`);
          }
          assert.equal(support[0], k, `${v.name} (${what}): support`);
        }
      }
    });

    test('−∞ entries behave exactly as masked entries (bitwise, with and without the mask)', () => {
      const xb = randF32(5 * 17, 111, 3), mb = randMask(5 * 17, 112, 0.6);
      mb.fill(1, 0, 17); // row 0: nothing masked
      mb.fill(0, 17, 34); mb[20] = 1; // row 1: one survivor
      const xinf = Float32Array.from(xb, (q, i) => (mb[i] ? q : -Infinity));
      for (const v of VARIANTS) {
        const a = call(v, xb, 17, mb);
        for (const [what, b] of [['no mask', call(v, xinf, 17)], ['mask', call(v, xinf, 17, mb)]]) {
          sameBits(b.y, a.y, `${v.name}: −∞ (${what}) vs masked`);
          sameInts(b.support, a.support, `${v.name}: −∞ (${what}) vs masked`);
        }
        assert.equal(a.y[20], 1, `${v.name}: a single survivor gets 1`);
        assert.equal(a.support[1], 1, `${v.name}: a single survivor: support 1`);
      }
    });

    test('evSoftmax: entries equal to the mean are kept; training gives 1e-6 weights below the mean', () => {
      // [0, 1, 2]: mean 1 (exact), 0 is below
      const x3 = Float32Array.of(0, 1, 2);
      const e = Math.exp(1);
      closeTo(mm.evSoftmax(x3), [0, 1 / (1 + e), e / (1 + e)], 'eval [0, 1, 2]');
      assert.equal(mm.evSoftmax(x3)[0], 0, 'eval: 0 < mean gets exactly 0');
      const w = [1e-6, e, e * e], s = w[0] + w[1] + w[2];
      closeTo(mm.evSoftmax(x3, { training: true }), w.map((q) => q / s), 'training [0, 1, 2]');
      // masked and −∞ entries are left out of the mean: [5, masked 100, −∞, 3, 4] -> mean 4
      const got = mm.evSoftmax(Float32Array.of(5, 100, -Infinity, 3, 4), { mask: Uint8Array.of(1, 0, 1, 1, 1) });
      closeTo(got, [e / (1 + e), 0, 0, 0, 1 / (1 + e)], 'eval with a masked and a −∞ entry');
    });
  });

  describe('B4. row lengths from 1 to 1,000,000', () => {
    /** Sum, range, support and the KKT / definition checks of one long batch. */
    function checkLong(v, x, cols) {
      const c = { rows: x.length / cols, cols, x, mask: undefined };
      const res = call(v, x, cols);
      checkDistribution(v, c, res);
      for (let r = 0; r < c.rows; r++) assert.ok(res.support[r] >= 1 && res.support[r] <= cols, `${v.name} n=${cols}: support ${res.support[r]}`);
      if (v.family === 'ev') checkEv(v, c, res.y); else checkKKT(v, c, res.y, 'B4');
      return res;
    }
    test('lengths 1, 2, 3, 5, 7, 33, 1000, 32000 (every variant): sums 1 ± 1e-5, support sane, KKT / definition', () => {
      for (const n of [1, 2, 3, 5, 7, 33, 1000, 32000]) {
        const x = randF32(n, n + 1, 8);
        for (const v of VARIANTS) {
          const { y, support } = checkLong(v, x, n);
          if (n === 1) assert.ok(Math.abs(y[0] - 1) <= 2 ** -23 && support[0] === 1, `${v.name}: a single entry gets 1, got ${fmt(y[0])}`);
        }
      }
    });
    test('one row of 1,000,000 columns per normaliser: sums 1 ± 1e-5, support sane, KKT / definition', () => {
      const n = 1_000_000;
      const x = randF32(n, 4242, 8);
      for (const name of ['sparsemax', 'entmax15', 'entmax(alpha=1.25)', 'normmax(alpha=2)', 'evSoftmax']) {
        const { support } = checkLong(V[name], x, n);
        if (name === 'evSoftmax') {
          // U(−8, 8): every entry at or above the mean keeps exp(x − max) ≥ e^-16 > 0
          let mean = 0; for (const q of x) mean += q; mean /= n;
          let above = 0; for (const q of x) if (q >= mean) above++;
          assert.equal(support[0], above, 'evSoftmax n=1e6: support = count(x ≥ mean)');
        }
      }
      const { support } = checkLong(V['evSoftmax(training)'], x, n);
      assert.equal(support[0], n, 'evSoftmax training n=1e6: every entry gets mass');
    });
  });
});
