// Conformance of the sparse / entmax-family normalisers (spec "sparse baselines", issue 3):
// mm.sparsemax, mm.entmax15, mm.entmax, mm.normmax and mm.evSoftmax.
//
// Run: node scripts/build.mjs --if-needed && node --test tests/sparse-conformance.test.mjs
//
// 1. Golden data (tests/golden/*.json.gz, see tests/golden/README.md), forward `output` only, on the
//    SIMD build and on the scalar build:
//    sparsemax.json, entmax15.json (both with mask cases), entmax_bisect.json (every alpha),
//    sparsemax_bisect.json (through mm.sparsemax), normmax_bisect.json (every alpha) and
//    evsoftmax.json (both training modes). Conventions:
//    - golden mask true = excluded; library mask 1 = keep (converted by toLibMask);
//    - masked positions must be exactly 0; fully masked rows (`all_masked_rows`) all 0, support 0;
//    - `output: null` (upstream raised on an all-masked row): the other rows are compared with
//      `output_rowwise` (upstream run on each row alone);
//    - bound |y - ref| <= 1e-6 + 1e-5|ref|; f32_ill_conditioned cases: max(bound, 10 ×
//      torch_f32.output_max_abs_err) (a NaN torch error, evsoftmax ties_f32_mean_rounding where
//      torch's float32 mean rounds above the constant value, gives no extra allowance);
//    - every non-masked row sums to 1 within 1e-6;
//    - `support` (Int32Array, one slot per row) must equal count(y > 0) of the output and the
//      golden `nnz` (counted from `output_rowwise` where the case has no `nnz`). The golden nnz is
//      counted in float64: entries with 0 < ref < 2^-126 (evsoftmax huge_magnitude holds values
//      down to 1e-126, far below float32's smallest subnormal 2^-149) cannot all be represented by
//      a float32 result, so each such entry may be 0 (support between nnz - #tiny and nnz).
// 2. Cross-checks on random inputs (fixed seeds, tools/prng.mjs mulberry32):
//    entmax alpha = 2 vs sparsemax and alpha = 1.5 vs entmax15 (same kernels: within 1e-6, the
//    summary says whether bitwise); alpha = 1 + 1e-3 vs softmax within a first-order bound;
//    alpha = 1 bitwise softmax; a per-row alpha array equal (bitwise) to row-by-row calls.
// 3. The five functions on random rows (lengths 1..2000, scales 1e-3..1e3) against the float64
//    references of tests/reference.mjs within 1e-6 + 1e-5|ref|, and support = count(y > 0);
//    also short rows at moderate scales (partial supports), rows with -Infinity entries, and the
//    same rows with a mask instead of -Infinity.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../dist/index.js';
import { loadGolden, decodeArray, decodeNumber, toLibMask, kindOf } from './golden.mjs';
import { mulberry32 } from '../tools/prng.mjs';
import { softmaxRef, sparsemaxRef, entmax15Ref, entmaxRef, normmaxRef, evSoftmaxRef } from './reference.mjs';

// The golden section runs on both builds (SIMD and scalar: the same conformance); the other
// sections on the SIMD build. `mm` is the engine under test. MULTIMAX_BUILD=relaxed makes the
// "SIMD" engine the relaxed-SIMD build (init({ relaxed: true }), which throws where relaxed SIMD is
// missing; tests/relaxed.test.mjs runs this file so under node --experimental-wasm-relaxed-simd).
const RELAXED = process.env.MULTIMAX_BUILD === 'relaxed';
const simdEngine = await init({ relaxed: RELAXED });
assert.equal(simdEngine.relaxed, RELAXED);
const scalarEngine = await init({ url: new URL('../build/multimax-scalar.wasm', import.meta.url) });
let mm = simdEngine;

// ---- tolerances ------------------------------------------------------------------------------
const probBound = (ref) => 1e-6 + 1e-5 * Math.abs(ref); // README: probabilities
const ROW_SUM_TOL = 1e-6;
const ILL_CONDITIONED_FACTOR = 10; // f32_ill_conditioned: max(bound, 10 * torch_f32 error)
const FLT_MIN_NORMAL = 2 ** -126;
const MAX_LISTED = 20;

const fmt = (v) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toPrecision(9));
const fmtRatio = (r) => (Number.isFinite(r) ? r.toFixed(3) : String(r));

/** One miss: { id, row, col, got, ref, bound, what }. */
function fmtMiss(m) {
  const col = m.col ?? '-';
  return `${m.id} row ${m.row} col ${col}: got ${fmt(m.got)} ref ${fmt(m.ref)} bound ${
    typeof m.bound === 'number' ? m.bound.toExponential(3) : m.bound} (${m.what})`;
}

function assertNoMisses(misses, what) {
  if (misses.length === 0) return;
  const listed = misses.slice(0, MAX_LISTED).map(fmtMiss).join('\n  ');
  const more = misses.length > MAX_LISTED ? `\n  ... and ${misses.length - MAX_LISTED} more` : '';
  assert.fail(`${what}: ${misses.length} miss(es)\n  ${listed}${more}`);
}

/** Runs fn; a throw becomes a miss (so one broken case does not hide the others). */
function guarded(id, misses, fn) {
  try {
    return fn();
  } catch (err) {
    misses.push({ id, row: '-', got: NaN, ref: NaN, bound: '-', what: `threw ${err?.stack ?? err}` });
    return undefined;
  }
}

function isF32(y, n) {
  return y instanceof Float32Array && y.length === n;
}

// ---- 1. golden files -------------------------------------------------------------------------
const GOLDEN_SUITES = [
  {
    file: 'sparsemax', api: 'sparsemax',
    run: (x, o) => mm.sparsemax(x, o),
  },
  {
    file: 'entmax15', api: 'entmax15',
    run: (x, o) => mm.entmax15(x, o),
  },
  {
    file: 'entmax_bisect', api: 'entmax',
    run: (x, o, c) => mm.entmax(x, { ...o, alpha: c.params.alpha }),
  },
  {
    file: 'sparsemax_bisect', api: 'sparsemax',
    run: (x, o) => mm.sparsemax(x, o),
  },
  {
    file: 'normmax_bisect', api: 'normmax',
    run: (x, o, c) => mm.normmax(x, { ...o, alpha: c.params.alpha }),
  },
  {
    file: 'evsoftmax', api: 'evSoftmax',
    run: (x, o, c) => mm.evSoftmax(x, { ...o, training: c.params.training }),
  },
];

/** Param key of a case id (`alpha=1.5,n_iter=50,.../5x128/normal` -> `alpha=1.5,n_iter=50,...`). */
const paramKey = (c) => c.id.split('/')[0];

function newStats() {
  return {
    cases: 0, elements: 0, misses: 0, ill: 0, relaxedSupportRows: 0,
    worst: { ratio: 0 }, worstIllPlain: { ratio: 0 },
  };
}

function noteWorst(slot, ratio, info) {
  if (ratio > slot.ratio || (Number.isNaN(ratio) && !Number.isNaN(slot.ratio))) Object.assign(slot, { ratio }, info);
}

/** Checks one golden case; pushes misses, updates stats. */
function checkGoldenCase(suite, c, misses, stats) {
  const [rows, cols] = c.shape;
  const id = `${suite.file}:${c.id}`;
  const x = Float32Array.from(decodeArray(c.x)); // inputs are float32-exact (README "Inputs")
  const xCopy = x.slice();
  const mask = c.mask ? toLibMask(c.mask) : undefined;
  const refAll = decodeArray(c.output ?? c.output_rowwise);
  const allMasked = new Set(c.all_masked_rows ?? []);
  const torchErr = c.f32_ill_conditioned ? decodeNumber(c.torch_f32.output_max_abs_err) : 0;
  const illFloor = Number.isFinite(torchErr) ? ILL_CONDITIONED_FACTOR * torchErr : 0;
  if (c.f32_ill_conditioned) stats.ill++;
  stats.cases++;

  const support = new Int32Array(rows).fill(-1); // -1: slot never written
  const opts = { cols, support };
  if (mask) opts.mask = mask;
  const y = guarded(id, misses, () => suite.run(x, opts, c));
  if (y === undefined) return;
  if (!isF32(y, x.length)) {
    misses.push({ id, row: '-', got: NaN, ref: NaN, bound: '-', what: `expected a Float32Array of length ${x.length}, got ${y?.constructor?.name} of length ${y?.length}` });
    return;
  }
  if (!x.every((v, i) => Object.is(v, xCopy[i]))) misses.push({ id, row: '-', got: NaN, ref: NaN, bound: '-', what: 'the input x was modified' });

  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let nPos = 0;
    for (let j = 0; j < cols; j++) if (y[base + j] > 0) nPos++;
    if (support[r] !== nPos) {
      misses.push({ id, row: r, got: support[r], ref: nPos, bound: 'exact', what: 'support[row] != count(y > 0) of the output' });
    }
    if (allMasked.has(r)) {
      for (let j = 0; j < cols; j++) {
        if (y[base + j] !== 0) misses.push({ id, row: r, col: j, got: y[base + j], ref: 0, bound: 'exact', what: 'fully masked row must be exactly 0' });
      }
      if (support[r] !== 0) misses.push({ id, row: r, got: support[r], ref: 0, bound: 'exact', what: 'support of a fully masked row' });
      continue;
    }
    let refNaN = false;
    let nnzRef = 0;
    let nTiny = 0; // 0 < ref < 2^-126: not representable (or subnormal) in float32
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const i = base + j;
      const v = y[i];
      const ref = refAll[i];
      sum += v;
      if (ref > 0) nnzRef++;
      if (ref > 0 && ref < FLT_MIN_NORMAL) nTiny++;
      if (mask && mask[i] === 0) {
        if (v !== 0) misses.push({ id, row: r, col: j, got: v, ref: 0, bound: 'exact', what: 'masked position must be exactly 0' });
        continue;
      }
      if (!Number.isFinite(ref)) {
        refNaN ||= Number.isNaN(ref);
        if (kindOf(v) !== kindOf(ref)) misses.push({ id, row: r, col: j, got: v, ref, bound: 'kind', what: 'non-finite kind mismatch' });
        continue;
      }
      const plain = probBound(ref);
      const bound = Math.max(plain, illFloor);
      const err = Math.abs(v - ref);
      const ratio = Number.isFinite(err) ? err / bound : Infinity;
      stats.elements++;
      noteWorst(stats.worst, ratio, { id, row: r, col: j, got: v, ref, bound });
      if (c.f32_ill_conditioned) noteWorst(stats.worstIllPlain, err / plain, { id, row: r, col: j });
      if (!(err <= bound)) {
        misses.push({ id, row: r, col: j, got: v, ref, bound, what: `|err| ${err.toExponential(3)} = ${fmtRatio(ratio)}x bound${c.f32_ill_conditioned ? ' [f32_ill_conditioned]' : ''}` });
      }
    }
    if (refNaN) continue; // no NaN rows in the data; no support / sum requirement for them
    if (!(Math.abs(sum - 1) <= ROW_SUM_TOL)) {
      misses.push({ id, row: r, got: sum, ref: 1, bound: ROW_SUM_TOL, what: 'row sum' });
    }
    const nnz = c.nnz ? c.nnz[r] : nnzRef;
    const okSupport = nTiny === 0 ? support[r] === nnz : support[r] <= nnz && support[r] >= nnz - nTiny;
    if (nTiny > 0 && okSupport) stats.relaxedSupportRows++;
    if (!okSupport) {
      // list the columns where y > 0 and ref > 0 disagree, to tell a threshold flip from a bug
      const flips = [];
      for (let j = 0; j < cols && flips.length < 4; j++) {
        const i = base + j;
        if ((y[i] > 0) !== (refAll[i] > 0)) flips.push(`col ${j} y=${fmt(y[i])} ref=${fmt(refAll[i])}`);
      }
      misses.push({
        id, row: r, got: support[r], ref: nnz, bound: nTiny ? `[${nnz - nTiny}, ${nnz}]` : 'exact',
        what: `support vs golden nnz; differing entries: ${flips.join(', ') || 'none'}`,
      });
    }
  }
}

const goldenSummaries = [];

for (const [build, engine] of [[RELAXED ? 'relaxed SIMD' : 'SIMD', simdEngine], ['scalar', scalarEngine]]) for (const suite of GOLDEN_SUITES) {
  describe(`golden ${suite.file}.json via mm.${suite.api} (${build} build)`, () => {
    const golden = loadGolden(suite.file); // parsed once per file
    const fileStats = newStats();
    const groups = new Map(); // param key -> cases, in file order
    for (const c of golden.cases) {
      const k = paramKey(c);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(c);
    }

    for (const [key, cases] of groups) {
      test(`${suite.file} ${key}: ${cases.length} cases`, () => {
        const misses = [];
        const stats = newStats();
        mm = engine;
        try {
          assert.equal(mm.simd, build !== 'scalar');
          for (const c of cases) checkGoldenCase(suite, c, misses, stats);
        } finally {
          mm = simdEngine;
        }
        stats.misses = misses.length;
        mergeStats(fileStats, stats);
        console.log(`  [${build}] ${suite.file} ${key}: ${summaryText(stats)}`);
        assertNoMisses(misses, `${suite.file} ${key}`);
      });
    }

    test(`${suite.file}: every case was checked`, () => {
      assert.equal(golden.function, suite.file);
      assert.ok(golden.cases.length > 0, `${suite.file}.json yielded no cases`);
      assert.equal(fileStats.cases, golden.num_cases, `${suite.file}: checked ${fileStats.cases} cases, file declares num_cases=${golden.num_cases}`);
    });

    after(() => {
      goldenSummaries.push(`[${build}] ${suite.file}.json (mm.${suite.api}): ${summaryText(fileStats)}`);
    });
  });
}

function mergeStats(into, s) {
  for (const k of ['cases', 'elements', 'misses', 'ill', 'relaxedSupportRows']) into[k] += s[k];
  noteWorst(into.worst, s.worst.ratio, s.worst);
  noteWorst(into.worstIllPlain, s.worstIllPlain.ratio, s.worstIllPlain);
}

function summaryText(s) {
  const w = s.worst;
  const where = w.id ? ` at ${w.id} row ${w.row} col ${w.col} (got ${fmt(w.got)}, ref ${fmt(w.ref)})` : '';
  const ill = s.ill ? ` (their worst err / plain bound ${fmtRatio(s.worstIllPlain.ratio)})` : '';
  const relaxed = s.relaxedSupportRows ? `, ${s.relaxedSupportRows} row(s) with golden entries below 2^-126 in nnz` : '';
  return `${s.cases} cases, ${s.elements} elements, ${s.misses} misses, worst err/bound ${fmtRatio(w.ratio)}${where}, ` +
    `${s.ill} f32_ill_conditioned${ill}${relaxed}`;
}

// ---- random inputs ---------------------------------------------------------------------------
/** Standard normal from a [0, 1) generator (Box-Muller). */
function normal(rng) {
  const u = 1 - rng(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * Random batches: { rows, cols, x: Float32Array, scales }. The first lengths are `fixed` (edge
 * sizes), the others uniform in 1..maxCols; each row has its own scale, log-uniform in
 * [10^minLog, 10^maxLog], and draws N(0,1) or U[-1,1] values times the scale (sometimes around
 * an offset of 10*scale). negInf: probability of a -Infinity entry.
 */
const FIXED_COLS = [1, 2, 3, 4, 7, 8, 16, 33, 100, 128, 257, 1000, 2000];
function randomBatches(seed, count, { maxRows = 3, negInf = 0, maxCols = 2000, minLog = -3, maxLog = 3, fixed = FIXED_COLS } = {}) {
  const rng = mulberry32(seed);
  const batches = [];
  for (let b = 0; b < count; b++) {
    const cols = b < fixed.length ? fixed[b] : 1 + Math.floor(rng() * maxCols);
    const rows = 1 + Math.floor(rng() * maxRows);
    const x = new Float32Array(rows * cols);
    const scales = [];
    for (let r = 0; r < rows; r++) {
      const scale = 10 ** (minLog + (maxLog - minLog) * rng());
      const uniform = rng() < 0.5;
      const offset = rng() < 0.2 ? 10 * scale : 0;
      scales.push(scale);
      for (let j = 0; j < cols; j++) {
        const v = uniform ? 2 * rng() - 1 : normal(rng);
        x[r * cols + j] = offset + scale * v;
      }
      if (negInf > 0) {
        for (let j = 0; j < cols; j++) if (rng() < negInf) x[r * cols + j] = -Infinity;
      }
    }
    if (negInf > 0 && rows > 1 && b % 3 === 0) x.fill(-Infinity, 0, cols); // a fully excluded row
    batches.push({ rows, cols, x, scales });
  }
  return batches;
}

const row = (x, cols, r) => x.subarray(r * cols, (r + 1) * cols);

function bitwiseDiff(a, b) {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0, first = -1, maxAbs = 0;
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) {
      n++;
      if (first < 0) first = i;
      const d = Math.abs(a[i] - b[i]);
      if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
    }
  }
  return { n, first, maxAbs };
}

// ---- 2. cross-checks -------------------------------------------------------------------------
describe('cross-checks on random inputs', () => {
  const batches = randomBatches(0x5eed01, 40);

  for (const [alpha, name, twin] of [
    [2, 'sparsemax', (x, o) => mm.sparsemax(x, o)],
    [1.5, 'entmax15', (x, o) => mm.entmax15(x, o)],
  ]) {
    test(`entmax alpha=${alpha} agrees with ${name} (same kernel)`, () => {
      const misses = [];
      let nDiff = 0, maxAbs = 0, n = 0;
      for (const [b, { rows, cols, x }] of batches.entries()) {
        const id = `random batch ${b} (${rows}x${cols})`;
        const sa = new Int32Array(rows), sb = new Int32Array(rows);
        const ya = guarded(id, misses, () => mm.entmax(x, { cols, alpha, support: sa }));
        const yb = guarded(id, misses, () => twin(x, { cols, support: sb }));
        if (!ya || !yb) continue;
        n += ya.length;
        const d = bitwiseDiff(ya, yb);
        nDiff += d.n;
        maxAbs = Math.max(maxAbs, d.maxAbs);
        for (let i = 0; i < ya.length; i++) {
          if (!(Math.abs(ya[i] - yb[i]) <= 1e-6)) {
            misses.push({ id, row: Math.floor(i / cols), col: i % cols, got: ya[i], ref: yb[i], bound: 1e-6, what: `entmax(alpha=${alpha}) vs ${name}` });
          }
        }
        for (let r = 0; r < rows; r++) {
          if (sa[r] !== sb[r]) misses.push({ id, row: r, got: sa[r], ref: sb[r], bound: 'exact', what: `support of entmax(alpha=${alpha}) vs ${name}` });
        }
      }
      console.log(`  entmax(alpha=${alpha}) vs ${name}: ${n} elements, ${nDiff === 0 ? 'bitwise equal' : `${nDiff} not bitwise equal, max |diff| ${maxAbs.toExponential(3)}`}`);
      assertNoMisses(misses, `entmax alpha=${alpha} vs ${name}`);
    });
  }

  test('entmax alpha=1 is bitwise softmax', () => {
    const misses = [];
    for (const [b, { rows, cols, x }] of batches.entries()) {
      const id = `random batch ${b} (${rows}x${cols})`;
      const ya = guarded(id, misses, () => mm.entmax(x, { cols, alpha: 1 }));
      const yb = guarded(id, misses, () => mm.softmax(x, { cols }));
      if (!ya || !yb) continue;
      const d = bitwiseDiff(ya, yb);
      if (d.n) {
        misses.push({ id, row: Math.floor(d.first / cols), col: d.first % cols, got: ya[d.first], ref: yb[d.first], bound: 'bitwise', what: `${d.n} element(s) differ from softmax, max |diff| ${d.maxAbs.toExponential(3)}` });
      }
    }
    assertNoMisses(misses, 'entmax alpha=1 vs softmax');
  });

  // alpha -> 1: with eps = alpha - 1, p_i = [1 + eps*(x_i - c)]_+^(1/eps) for the c that makes
  // sum p = 1. log p_i = u_i - eps*u_i^2/2 + O(eps^2 u_i^3) with u_i = x_i - c = log q_i + O(eps)
  // (q = softmax(x)), so to first order p_i = q_i*(1 + (eps/2)*(S - ln^2 q_i)), S = sum_j q_j ln^2 q_j:
  //   |p_i - q_i| <= (eps/2) * max(q_i*S, q_i*ln^2 q_i)   (q ln^2 q <= 4/e^2 ~ 0.54), i.e. O(eps).
  // The test allows twice that (the O(eps^2) terms: the correction factor is 1 + O(eps*|ln q_i|),
  // small wherever q_i is not negligible) plus the float32 bound 1e-6 + 1e-5*q_i. The float64
  // references must meet the same bound, which checks the bound itself.
  test('entmax alpha=1+1e-3 is within a first-order O(alpha-1) bound of softmax', () => {
    const eps = 1e-3;
    const alpha = 1 + eps;
    const rng = mulberry32(0x5eed02);
    const misses = [];
    let worstLib = 0, worstRef = 0, maxDiff = 0;
    for (let b = 0; b < 30; b++) {
      const cols = [1, 2, 3, 17, 128, 1000][b % 6];
      const rows = 2;
      const x = new Float32Array(rows * cols);
      for (let i = 0; i < x.length; i++) x[i] = 10 ** (-1 + 2.5 * (b / 30)) * (b % 2 ? 2 * rng() - 1 : normal(rng)); // spreads 0.1 .. ~30
      const id = `alpha-to-1 batch ${b} (${rows}x${cols})`;
      const y = guarded(id, misses, () => mm.entmax(x, { cols, alpha }));
      if (!y) continue;
      for (let r = 0; r < rows; r++) {
        const xr = row(x, cols, r);
        const q = softmaxRef(xr);
        const p = entmaxRef(xr, alpha);
        let S = 0;
        for (const v of q) if (v > 0) S += v * Math.log(v) ** 2;
        for (let j = 0; j < cols; j++) {
          const l2 = q[j] > 0 ? q[j] * Math.log(q[j]) ** 2 : 0;
          const order1 = (eps / 2) * Math.max(q[j] * S, l2);
          const bRef = 2 * order1 + 1e-12;
          const bLib = 2 * order1 + probBound(q[j]);
          const dRef = Math.abs(p[j] - q[j]);
          const dLib = Math.abs(y[r * cols + j] - q[j]);
          maxDiff = Math.max(maxDiff, dLib);
          worstRef = Math.max(worstRef, dRef / bRef);
          worstLib = Math.max(worstLib, Number.isFinite(dLib) ? dLib / bLib : Infinity);
          if (!(dRef <= bRef)) misses.push({ id, row: r, col: j, got: p[j], ref: q[j], bound: bRef, what: 'the float64 reference itself misses the first-order bound' });
          if (!(dLib <= bLib)) misses.push({ id, row: r, col: j, got: y[r * cols + j], ref: q[j], bound: bLib, what: `entmax(alpha=${alpha}) vs softmaxRef` });
        }
      }
    }
    console.log(`  entmax(alpha=1+1e-3) vs softmax: max |diff| ${maxDiff.toExponential(3)}, worst diff/bound: library ${fmtRatio(worstLib)}, float64 reference ${fmtRatio(worstRef)}`);
    assertNoMisses(misses, 'entmax alpha=1+1e-3 vs softmax');
  });

  for (const [fn, alphas] of [
    ['entmax', [1, 1.25, 1.5, 2, 3, 1.001, 4.5, 1.75]],
    ['normmax', [1.5, 2, 3, 1.1, 5, 2.5, 1.25, 4]],
  ]) {
    test(`${fn}: a per-row alpha array equals row-by-row calls (bitwise)`, () => {
      const misses = [];
      const rng = mulberry32(fn === 'entmax' ? 0x5eed03 : 0x5eed04);
      for (const cols of [1, 5, 64, 333]) {
        const rows = alphas.length;
        const x = new Float32Array(rows * cols);
        for (let i = 0; i < x.length; i++) x[i] = 3 * normal(rng);
        for (const alphaArg of [alphas, Float64Array.from(alphas), Float32Array.from(alphas)]) {
          const kind = alphaArg.constructor.name;
          const id = `${fn} ${rows}x${cols}, alpha ${kind}`;
          const support = new Int32Array(rows);
          const y = guarded(id, misses, () => mm[fn](x, { cols, alpha: alphaArg, support }));
          if (!y) continue;
          for (let r = 0; r < rows; r++) {
            const a = alphaArg[r]; // the value the array holds (Float32Array rounds 1.001, 1.1)
            const s1 = new Int32Array(1);
            const y1 = guarded(id, misses, () => mm[fn](x.slice(r * cols, (r + 1) * cols), { cols, alpha: a, support: s1 }));
            if (!y1) continue;
            const d = bitwiseDiff(row(y, cols, r), y1);
            if (d.n) misses.push({ id, row: r, col: d.first, got: y[r * cols + d.first], ref: y1[d.first], bound: 'bitwise', what: `alpha=${a}: ${d.n} element(s) differ from the row-by-row call, max |diff| ${d.maxAbs.toExponential(3)}` });
            if (support[r] !== s1[0]) misses.push({ id, row: r, got: support[r], ref: s1[0], bound: 'exact', what: `alpha=${a}: support differs from the row-by-row call` });
          }
        }
      }
      assertNoMisses(misses, `${fn} per-row alpha`);
    });
  }
});

// ---- 3. the five functions vs the float64 references on random rows -------------------------
const RANDOM_SUITES = [
  { name: 'sparsemax', lib: (x, o) => mm.sparsemax(x, o), ref: (r) => sparsemaxRef(r) },
  { name: 'entmax15', lib: (x, o) => mm.entmax15(x, o), ref: (r) => entmax15Ref(r) },
  ...[1.25, 1.75, 3].map((alpha) => ({
    name: `entmax alpha=${alpha}`, lib: (x, o) => mm.entmax(x, { ...o, alpha }), ref: (r) => entmaxRef(r, alpha),
  })),
  ...[1.5, 2, 3].map((alpha) => ({
    name: `normmax alpha=${alpha}`, lib: (x, o) => mm.normmax(x, { ...o, alpha }), ref: (r) => normmaxRef(r, alpha),
  })),
  ...[false, true].map((training) => ({
    name: `evSoftmax training=${training}`, lib: (x, o) => mm.evSoftmax(x, { ...o, training }), ref: (r) => evSoftmaxRef(r, training),
  })),
];

/**
 * Compares the library with the reference on each batch: |y - ref| <= 1e-6 + 1e-5|ref|, support =
 * count(y > 0), excluded (-Infinity or masked) entries exactly 0, rows sum to 1 (or are all 0 when
 * nothing is kept). With useMask, -Infinity entries are passed as finite values plus mask 0.
 */
function checkRandom(suite, batches, label, { useMask = false } = {}) {
  const misses = [];
  let worst = { ratio: 0 }, n = 0;
  for (const [b, { rows, cols, x: x0, scales }] of batches.entries()) {
    const id = `${label} batch ${b} (${rows}x${cols})`;
    let x = x0, mask;
    if (useMask) {
      x = x0.map((v, i) => (v === -Infinity ? 1e3 * Math.sin(i) : v)); // raw values under the mask
      mask = Uint8Array.from(x0, (v) => (v === -Infinity ? 0 : 1));
    }
    const support = new Int32Array(rows).fill(-1);
    const opts = { cols, support };
    if (mask) opts.mask = mask;
    const y = guarded(id, misses, () => suite.lib(x, opts));
    if (!y) continue;
    if (!isF32(y, x.length)) {
      misses.push({ id, row: '-', got: NaN, ref: NaN, bound: '-', what: `expected a Float32Array of length ${x.length}` });
      continue;
    }
    for (let r = 0; r < rows; r++) {
      const ref = suite.ref(row(x0, cols, r));
      const rid = `${id} scale ${scales[r].toExponential(2)}`;
      let nPos = 0, sum = 0, kept = 0;
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        const v = y[i];
        if (v > 0) nPos++;
        sum += v;
        if (x0[i] === -Infinity) {
          if (v !== 0) misses.push({ id: rid, row: r, col: j, got: v, ref: 0, bound: 'exact', what: 'excluded entry must be exactly 0' });
          continue;
        }
        kept++;
        const bound = probBound(ref[j]);
        const err = Math.abs(v - ref[j]);
        const ratio = Number.isFinite(err) ? err / bound : Infinity;
        n++;
        noteWorst(worst, ratio, { id: rid, row: r, col: j, got: v, ref: ref[j] });
        if (!(err <= bound)) misses.push({ id: rid, row: r, col: j, got: v, ref: ref[j], bound, what: `|err| ${err.toExponential(3)} = ${fmtRatio(ratio)}x bound` });
      }
      if (support[r] !== nPos) misses.push({ id: rid, row: r, got: support[r], ref: nPos, bound: 'exact', what: 'support[row] != count(y > 0)' });
      const wantSum = kept ? 1 : 0;
      if (!(Math.abs(sum - wantSum) <= ROW_SUM_TOL)) misses.push({ id: rid, row: r, got: sum, ref: wantSum, bound: ROW_SUM_TOL, what: 'row sum' });
    }
  }
  const where = worst.id ? ` at ${worst.id} row ${worst.row} col ${worst.col} (got ${fmt(worst.got)}, ref ${fmt(worst.ref)})` : '';
  console.log(`  ${suite.name} ${label}: ${batches.length} batches, ${n} elements, ${misses.length} misses, worst err/bound ${fmtRatio(worst.ratio)}${where}`);
  return misses;
}

describe('random rows vs the float64 references (tests/reference.mjs)', () => {
  const plain = randomBatches(0x5eed10, 36);
  // short rows at moderate scales: partial supports with entries near the threshold, where the
  // threshold search is hardest (at 1e-3 the maps are nearly uniform, at 1e3 nearly one-hot)
  const moderate = randomBatches(0x5eed12, 150, { maxRows: 4, maxCols: 100, minLog: -1.5, maxLog: 0.5, fixed: [] });
  const withNegInf = randomBatches(0x5eed11, 15, { negInf: 0.2 });
  for (const suite of RANDOM_SUITES) {
    test(`${suite.name}: lengths 1..2000, scales 1e-3..1e3`, () => {
      assertNoMisses(checkRandom(suite, plain, 'random'), `${suite.name} random`);
    });
    test(`${suite.name}: lengths 1..100, scales 0.03..3 (partial supports)`, () => {
      assertNoMisses(checkRandom(suite, moderate, 'moderate'), `${suite.name} moderate`);
    });
    test(`${suite.name}: rows with -Infinity entries, and the same rows masked`, () => {
      const misses = [
        ...checkRandom(suite, withNegInf, '-inf'),
        ...checkRandom(suite, withNegInf, 'masked', { useMask: true }),
      ];
      assertNoMisses(misses, `${suite.name} -inf / masked`);
    });
  }
});

after(() => {
  if (goldenSummaries.length) console.log(`sparse conformance, golden files:\n  ${goldenSummaries.join('\n  ')}`);
});

// ---- 4. regressions from review (each with its reproducer) -----------------------------------
describe('regressions', () => {
  const near = (got, ref, what) => {
    for (let i = 0; i < ref.length; i++)
      assert.ok(Math.abs(got[i] - ref[i]) <= probBound(ref[i]), `${what}[${i}]: got ${got[i]}, ref ${ref[i]}`);
  };
  test('alpha > 2: entries just above the threshold keep their probability (float64 finish)', () => {
    const rows = [
      [[0.011030490510165691, 0.006321755703538656, -0.0032212825026363134, -0.00866927020251751, -0.017273811623454094], 4],
      [[0.005752606317400932, -0.013082834891974926, -0.008627865463495255, 0.00803197268396616, -0.010455379262566566], 5],
      [[-0.01768527552485466, 0.014221379533410072], 10],
      [[-0.08476100116968155, 0.12468552589416504], 5],
    ];
    for (const [x, alpha] of rows) {
      for (const e of [simdEngine, scalarEngine]) {
        const y = e.entmax(Float32Array.from(x), { alpha });
        near(y, entmaxRef(Float32Array.from(x), alpha), `${e.simd ? 'SIMD' : 'scalar'} entmax alpha=${alpha}`);
      }
    }
    const x = new Float32Array(4096); x[0] = 0.01;
    near(simdEngine.entmax(x, { alpha: 4 }).subarray(0, 2), entmaxRef(x, 4).slice(0, 2), 'entmax alpha=4, 4096 columns');
  });
  test('normmax alpha > 2: an entry 1e-6 above the threshold (float64 finish)', () => {
    for (const [x, alpha] of [
      [[0.4156220853328705, -0.2452690452337265, -0.04454774037003517, 0.26281243562698364, -0.014712550677359104, 0.5734468102455139, 0.0070158373564481735], 5],
      [[0.3260892629623413, -0.46239665150642395, -0.13113589584827423, 0.7490899562835693, -0.4767259657382965, 0.006490320898592472], 10],
    ]) near(simdEngine.normmax(Float32Array.from(x), { alpha }), normmaxRef(Float32Array.from(x), alpha), `normmax alpha=${alpha}`);
  });
  test('alpha = 1.75 on long dense rows: tau below float32 resolution (Halley returns its float64 point)', () => {
    for (const n of [4096, 8192]) {
      const x = new Float32Array(n); x[0] = 1;
      near(simdEngine.entmax(x, { alpha: 1.75 }).subarray(0, 2), entmaxRef(x, 1.75).slice(0, 2), `entmax alpha=1.75, ${n} columns`);
    }
  });
  test('alpha within 1/64 of 1 tends to softmax (float64 finish), for entmax and normmax', () => {
    const x = Float32Array.of(0.5, 1, -1);
    for (const a of [1 + 1e-9, 1 + 1e-7]) near(simdEngine.entmax(x, { alpha: a }), softmaxRef(x), `entmax alpha=${a}`);
    for (const a of [1.0001, 1.001]) near(simdEngine.entmax(x, { alpha: a }), entmaxRef(x, a), `entmax alpha=${a}`);
    const z = Float32Array.from({ length: 3000 }, (_, i) => 3 * Math.sin(i));
    near(simdEngine.normmax(z, { alpha: 1.0001 }), normmaxRef(z, 1.0001), 'normmax alpha=1.0001');
  });
  test('alpha - 1 beyond float32 (1e39): the max gets 1 on both builds', () => {
    for (const e of [simdEngine, scalarEngine]) assert.deepEqual(Array.from(e.entmax(Float32Array.of(0.5, 1, -1), { alpha: 1e39 })), [0, 1, 0]);
  });
});
