// Conformance of the forward passes against the float64 golden reference data
// (tests/golden/*.json.gz, see tests/golden/README.md): softmax (every T), log_softmax,
// multimax (every parameter set) and log_multimax, with and without masks.
//
// Run: npm run build && node --test tests/conformance.test.mjs
// The plain SIMD build by default; MULTIMAX_BUILD=relaxed tests the relaxed-SIMD build instead
// (init({ relaxed: true }): needs a runtime with relaxed SIMD, e.g. node
// --experimental-wasm-relaxed-simd on Node 20; tests/relaxed.test.mjs runs it so).
//
// Only the forward `output` field is checked here. Conventions (README + library):
//  - golden mask true = excluded; library mask 1 = keep (converted by toLibMask);
//  - masked positions must be exactly 0 (log variants: -Infinity);
//  - fully masked rows (`all_masked_rows`): upstream gives NaN, the library gives all 0
//    (log: all -Infinity). Those rows are not compared with the reference;
//  - non-finite reference entries must match by kind, finite ones within the tolerance.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { init } from '../dist/index.js';
import { loadGolden, decodeArray, toLibMask, kindOf } from './golden.mjs';

const RELAXED = process.env.MULTIMAX_BUILD === 'relaxed';
const mm = await init({ relaxed: RELAXED }); // (throws where relaxed SIMD is missing: no silent fallback)
assert.equal(mm.relaxed, RELAXED);
assert.equal(mm.simd, true);

// ---- tolerances (README "Tolerances a float32 implementation should meet") -------------------
const probBound = (ref) => 1e-6 + 1e-5 * Math.abs(ref);
const logBound = (ref, tolScale) => 1e-5 * (1 + Math.abs(ref)) + 1e-6 * tolScale;
const ROW_SUM_TOL = 1e-6;
const ILL_CONDITIONED_FACTOR = 10; // f32_ill_conditioned: max(bound, 10 * torch_f32 error)
const MAX_LISTED = 20;

// ---- the four functions under test -----------------------------------------------------------
const SUITES = [
  {
    name: 'softmax', log: false,
    run: (x, cols, c, mask) => mm.softmax(x, withMask({ cols, temperature: c.params.T }, mask)),
  },
  {
    name: 'log_softmax', log: true,
    run: (x, cols, c, mask) => mm.logSoftmax(x, withMask({ cols }, mask)),
  },
  {
    name: 'multimax', log: false,
    run: (x, cols, c, mask) => mm.multimax(x, withMask({ cols, params: mmParams(c) }, mask)),
    // zero parameters must be bitwise identical to softmax (T = 1)
    zeroTwin: (x, cols, mask) => mm.softmax(x, withMask({ cols, temperature: 1 }, mask)),
    zeroTwinName: 'softmax',
  },
  {
    name: 'log_multimax', log: true,
    run: (x, cols, c, mask) => mm.logMultimax(x, withMask({ cols, params: mmParams(c) }, mask)),
    zeroTwin: (x, cols, mask) => mm.logSoftmax(x, withMask({ cols }, mask)),
    zeroTwinName: 'logSoftmax',
  },
];

function withMask(opts, mask) {
  if (mask) opts.mask = mask;
  return opts;
}

function mmParams(c) {
  return { ranges: c.params.ranges.slice(), ts: c.params.ts.slice() };
}

// ---- per-case preparation and checking -------------------------------------------------------
function prepare(c) {
  const [rows, cols] = c.shape;
  const x = Float32Array.from(c.x); // inputs are float32-exact (README "Inputs")
  return {
    id: c.id, rows, cols, x,
    ref: decodeArray(c.output),
    mask: c.mask ? toLibMask(c.mask) : undefined,
    allMasked: new Set(c.all_masked_rows ?? []),
    tolScale: c.tol_scale ? decodeArray(c.tol_scale) : undefined,
    illFloor: c.f32_ill_conditioned ? ILL_CONDITIONED_FACTOR * c.torch_f32.output_max_abs_err : 0,
  };
}

const fmt = (v) => (Number.isFinite(v) ? v.toPrecision(9) : String(v));
const where = (p, i) => `i=${i} (row ${Math.floor(i / p.cols)}, col ${i % p.cols})`;

/** Run one case; returns a list of miss descriptions (empty = pass). */
function checkCase(suite, c) {
  const p = prepare(c);
  const xCopy = p.x.slice();
  let y;
  try {
    y = suite.run(p.x, p.cols, c, p.mask);
  } catch (err) {
    return [`${p.id}: threw ${err?.stack ?? err}`];
  }
  if (!(y instanceof Float32Array) || y.length !== p.x.length) {
    return [`${p.id}: expected a Float32Array of length ${p.x.length}, got ${y?.constructor?.name} of length ${y?.length}`];
  }
  const misses = [];
  if (!p.x.every((v, i) => Object.is(v, xCopy[i]))) misses.push(`${p.id}: the input x was modified`);

  const exact = suite.log ? -Infinity : 0; // value of masked positions / fully masked rows
  let conv = null; // first violation of the masked-position / fully-masked-row convention
  let kind = null; // first non-finite kind mismatch
  let worst = null; // worst tolerance miss (largest err/bound)
  let nOver = 0;
  for (let i = 0; i < y.length; i++) {
    const row = Math.floor(i / p.cols);
    const v = y[i];
    const r = p.ref[i];
    if (p.allMasked.has(row) || (p.mask && p.mask[i] === 0)) {
      if (v !== exact && !conv) {
        conv = `${p.id}: ${p.allMasked.has(row) ? 'fully masked row' : 'masked position'} ${where(p, i)} y=${fmt(v)}, expected exactly ${exact}`;
      }
      continue;
    }
    if (!Number.isFinite(r)) {
      if (kindOf(v) !== kindOf(r) && !kind) kind = `${p.id}: non-finite kind mismatch at ${where(p, i)} y=${fmt(v)} ref=${fmt(r)}`;
      continue;
    }
    let bound = suite.log ? logBound(r, p.tolScale[row]) : probBound(r);
    bound = Math.max(bound, p.illFloor);
    const err = Math.abs(v - r);
    if (!(err <= bound)) { // also catches NaN / infinite y
      nOver++;
      const ratio = Number.isFinite(err) ? err / bound : Infinity;
      if (!worst || ratio > worst.ratio) worst = { i, v, r, err, bound, ratio };
    }
  }
  if (conv) misses.push(conv);
  if (kind) misses.push(kind);
  if (worst) {
    misses.push(`${p.id}: ${nOver} element(s) over tolerance; worst ${where(p, worst.i)} y=${fmt(worst.v)} ` +
      `ref=${fmt(worst.r)} |err|=${worst.err.toExponential(3)} bound=${worst.bound.toExponential(3)} ` +
      `(${worst.ratio.toFixed(2)}x)${p.illFloor ? ' [f32_ill_conditioned]' : ''}`);
  }

  if (!suite.log) { // every non-fully-masked probability row sums to 1 (summed in float64)
    for (let row = 0; row < p.rows; row++) {
      if (p.allMasked.has(row)) continue;
      let s = 0;
      for (let j = 0; j < p.cols; j++) s += y[row * p.cols + j];
      if (!(Math.abs(s - 1) <= ROW_SUM_TOL)) {
        misses.push(`${p.id}: row ${row} sums to ${s.toPrecision(12)} (|sum-1|=${Math.abs(s - 1).toExponential(3)} > ${ROW_SUM_TOL})`);
        break;
      }
    }
  }
  return misses;
}

/** Zero-parameter MultiMax must be bitwise identical to its softmax twin on the same x and mask. */
function checkZeroTwin(suite, c) {
  const p = prepare(c);
  let a, b;
  try {
    a = suite.run(p.x, p.cols, c, p.mask);
    b = suite.zeroTwin(p.x, p.cols, p.mask);
  } catch (err) {
    return [`${p.id}: threw ${err?.stack ?? err}`];
  }
  if (a.length !== b.length) return [`${p.id}: lengths differ (${a.length} vs ${b.length})`];
  const ab = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const bb = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let first = -1, n = 0;
  for (let i = 0; i < ab.length; i++) if (ab[i] !== bb[i]) { n++; if (first < 0) first = i; }
  if (n === 0) return [];
  return [`${p.id}: ${n} element(s) not bitwise equal to ${suite.zeroTwinName}; first ${where(p, first)} ` +
    `${suite.name}=${fmt(a[first])} (0x${ab[first].toString(16)}) ${suite.zeroTwinName}=${fmt(b[first])} (0x${bb[first].toString(16)})`];
}

function assertNoMisses(misses, what) {
  if (misses.length === 0) return;
  const listed = misses.slice(0, MAX_LISTED).join('\n  ');
  const more = misses.length > MAX_LISTED ? `\n  ... and ${misses.length - MAX_LISTED} more` : '';
  assert.fail(`${what}: ${misses.length} miss(es)\n  ${listed}${more}`);
}

// ---- tests -----------------------------------------------------------------------------------
const checked = {}; // function -> number of cases checked
const zeroChecked = {}; // function -> number of zero-parameter cases checked bitwise
let totalMisses = 0;

for (const suite of SUITES) {
  describe(suite.name, () => {
    const golden = loadGolden(suite.name); // parsed once per file

    test(`${suite.name}.json: forward output matches the float64 reference`, () => {
      assert.equal(golden.function, suite.name);
      assert.ok(golden.cases.length > 0, `${suite.name}.json yielded no cases`);
      const misses = [];
      let n = 0;
      for (const c of golden.cases) {
        misses.push(...checkCase(suite, c));
        n++;
      }
      checked[suite.name] = n;
      totalMisses += misses.length;
      assert.equal(n, golden.num_cases, `${suite.name}: checked ${n} cases, file declares num_cases=${golden.num_cases}`);
      assertNoMisses(misses, suite.name);
    });

    if (suite.zeroTwin) {
      test(`${suite.name}.json: zero parameters are bitwise equal to ${suite.zeroTwinName}`, () => {
        const zeros = golden.cases.filter((c) => c.params.param_set === 'zeros');
        assert.ok(zeros.length > 0, `${suite.name}.json has no "zeros" cases`);
        const misses = zeros.flatMap((c) => checkZeroTwin(suite, c));
        zeroChecked[suite.name] = zeros.length;
        totalMisses += misses.length;
        assertNoMisses(misses, `${suite.name} zeros vs ${suite.zeroTwinName}`);
      });
    }
  });
}

after(() => {
  const parts = SUITES.map((s) => `${s.name} ${checked[s.name] ?? 0} cases`);
  const total = Object.values(checked).reduce((a, b) => a + b, 0);
  const zeros = Object.entries(zeroChecked).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`conformance (${RELAXED ? 'relaxed-SIMD' : 'SIMD'} build): ${parts.join(', ')}, total ${total} cases, ${totalMisses} misses` +
    ` (zero-parameter bitwise checks: ${zeros || 'none'})`);
});
