// Conformance of the backward passes, MultiMax parameter gradients and losses (issue 11,
// docs/training.md) against the float64 golden reference data (tests/golden/*.json.gz, see
// tests/golden/README.md): the gradient fields the forward conformance tests leave aside.
//
// Run: node scripts/build.mjs && node --test tests/grad-conformance.test.mjs
// The build init() picks by default; MULTIMAX_BUILD=relaxed asks for the relaxed-SIMD build
// (init({ relaxed: true }), no silent fallback) and MULTIMAX_BUILD=simd for the plain SIMD build.
//
// Every case is called as a user would: the forward first (its output y from the library, not
// from the golden file), then the backward on that y with the case's cotangent `g`:
//   softmax         softmaxBackward(y, g, { temperature: params.T, mask })      vs x_grad
//   log_softmax     logSoftmaxBackward(y, g, { mask })                          vs x_grad
//   multimax        multimaxBackward(x, g, { params: { ranges, ts }, y, mask }) vs x_grad,
//                   dParams.ranges vs ranges_grad, dParams.ts vs ts_grad
//   log_multimax    logMultimaxBackward(x, g, ...)                              (as multimax)
//   sparsemax, sparsemax_bisect   sparsemaxBackward(y, g, { mask })             vs x_grad
//   entmax15        entmax15Backward(y, g, { mask })                            vs x_grad
//   entmax_bisect   entmaxBackward(y, g, { alpha: params.alpha })               vs x_grad
//   normmax_bisect  normmaxBackward(y, g, { alpha: params.alpha })              vs x_grad
//   evsoftmax       evSoftmaxBackward(y, g, { training: params.training })      vs x_grad
//   (mask cases whose `output` is null, upstream having raised on the batch: vs x_grad_rowwise)
// Once per MultiMax file, the same case without `y` (the forward recomputed inside) must give
// the same dx and dParams within the same tolerances.
// The loss files: sparsemaxLoss / entmax15Loss / entmaxLoss(x, targets, { grad: true, dLoss: g })
// -> `loss` vs `output`, `grad` vs `x_grad`; without dLoss `grad` vs `x_grad_of_sum`; the
// projection (sparsemax / entmax15 / entmax forward) vs `proba`.
//
// Tolerances, exactly those of tests/golden/README.md "Tolerances":
//   x_grad, x_grad_rowwise, x_grad_of_sum: per row 1e-6·max|g[row]| + 1e-5·max|ref[row]|
//     (g = 1 for x_grad_of_sum; in the loss files g holds one number per row);
//   ranges_grad, ts_grad: per component 1e-4·grad_scale_k + 1e-12;
//   per-row losses: 1e-5·(1 + |ref|) + 1e-6·tol_scale[row];  proba: 1e-6 + 1e-5·|ref|;
//   f32_ill_conditioned cases: max(bound, 10 × the matching torch_f32.<field>_max_abs_err); where
//   that error is missing (no proba / x_grad_of_sum errors are recorded), null or NaN, no extra
//   allowance.
// Conventions:
//   - golden mask true = EXCLUDED, library mask 1 = keep (toLibMask); masked entries must get
//     dx = 0 exactly (docs/training.md "Masks and bad input");
//   - fully masked rows (`all_masked_rows`): upstream gives NaN (or raised); the library must give
//     dx = 0 exactly there, and they add nothing to dParams;
//   - other rows listed in `nan_rows` (none in the data today): the library must be finite there,
//     and they are not compared;
//   - MultiMax cases with NaN rows: the summed ranges_grad / ts_grad are NaN upstream; the fields
//     *_grad_finite_rows hold the sums over the rows NOT in nan_rows. The comparison restricts the
//     library to those rows: the batch without the nan_rows is run through multimaxBackward (when
//     any row remains), and the full batch's dParams is compared as well when every NaN row is a
//     fully masked row (which adds nothing by the contract). Where every row is NaN upstream
//     (masked_all_single) the case has no *_finite_rows: the sum over no rows is 0, which the
//     library must give (bound 1e-12, the scales being 0);
//   - non-finite reference entries must match by kind (there are none outside NaN rows).
// Cases without x_grad (the 1×32000 forward-only cases) are skipped and counted with the reason.
// Each file prints its counts (cases, compared rows, misses, worst error/bound) and fails with one
// assertion listing the first misses.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadGolden, decodeArray, decodeNumber, toLibMask, kindOf } from './golden.mjs';

const api = await import('../dist/index.js');
const BUILD = process.env.MULTIMAX_BUILD;
const mm = await api.init(BUILD === 'relaxed' ? { relaxed: true } : BUILD === 'simd' ? { relaxed: false } : undefined);
const buildName = mm.relaxed ? 'relaxed SIMD' : mm.simd ? 'SIMD' : 'scalar';

// ---- tolerances (tests/golden/README.md "Tolerances") ----------------------------------------
const probBound = (ref) => 1e-6 + 1e-5 * Math.abs(ref);
const lossBound = (ref, tolScale) => 1e-5 * (1 + Math.abs(ref)) + 1e-6 * tolScale;
const gradRowBound = (maxG, maxRef) => 1e-6 * maxG + 1e-5 * maxRef;
const paramBound = (scale) => 1e-4 * scale + 1e-12;
const ILL_CONDITIONED_FACTOR = 10;
const MAX_LISTED = 25;

/** 10 × torch's float32 error of `field` for an f32_ill_conditioned case, else 0 (also 0 where
 *  the error is not recorded, null or NaN: no extra allowance). */
function illFloor(c, field) {
  if (!c.f32_ill_conditioned) return 0;
  const e = c.torch_f32?.[`${field}_max_abs_err`];
  if (e === undefined || e === null) return 0;
  const v = decodeNumber(e);
  return Number.isFinite(v) ? ILL_CONDITIONED_FACTOR * v : 0;
}

const fmt = (v) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toPrecision(9));
const fmtRatio = (r) => (Number.isFinite(r) ? r.toFixed(3) : String(r));

function assertNoMisses(misses, what) {
  if (misses.length === 0) return;
  const listed = misses.slice(0, MAX_LISTED).join('\n  ');
  const more = misses.length > MAX_LISTED ? `\n  ... and ${misses.length - MAX_LISTED} more` : '';
  assert.fail(`${what}: ${misses.length} miss(es)\n  ${listed}${more}`);
}

function newStats() {
  return { cases: 0, compared: 0, skipped: 0, skipReasons: new Map(), rows: 0, rowsZero: 0, rowsNan: 0, params: 0, losses: 0, ill: 0, misses: 0, worst: { ratio: 0 } };
}
function noteWorst(stats, ratio, where) {
  if (ratio > stats.worst.ratio || (Number.isNaN(ratio) && !Number.isNaN(stats.worst.ratio))) stats.worst = { ratio, where };
}
function skip(stats, reason) {
  stats.skipped++;
  stats.skipReasons.set(reason, (stats.skipReasons.get(reason) ?? 0) + 1);
}
function summary(name, s) {
  const skips = [...s.skipReasons].map(([r, n]) => `${n} skipped: ${r}`).join('; ');
  const w = s.worst.where ? ` at ${s.worst.where}` : '';
  return `${name}: ${s.cases} cases, ${s.compared} compared${skips ? ` (${skips})` : ''}, ${s.rows} rows compared, ` +
    `${s.rowsZero} fully masked rows checked for 0, ${s.rowsNan} other NaN rows checked finite, ` +
    `${s.params} parameter components, ${s.losses} losses, ${s.ill} f32_ill_conditioned cases, ${s.misses} misses, worst err/bound ${fmtRatio(s.worst.ratio)}${w}`;
}

/** Runs fn; a throw becomes a miss so that one broken case does not hide the others. */
function guarded(id, misses, fn) {
  try {
    return fn();
  } catch (err) {
    misses.push(`${id}: threw ${err?.constructor?.name ?? 'value'}: ${err?.message ?? err}${firstFrame(err)}`);
    return undefined;
  }
}

/** The first stack line of an error (where a wasm trap happened). */
const firstFrame = (err) => { const l = String(err?.stack ?? '').split('\n').find((s) => /^\s+at /.test(s)); return l ? ` (${l.trim()})` : ''; };

function isF32(a, n) {
  return a instanceof Float32Array && a.length === n;
}

/**
 * Compares a gradient `got` with the reference `ref` row by row (README bound, per row).
 * gScale(r) = max|g[row r]| (1 for x_grad_of_sum); allMasked / nanRows: Sets of row indices;
 * mask: library mask (1 = keep) or undefined; floor: the f32_ill_conditioned allowance.
 */
function compareGrad({ id, what, got, ref, rows, cols, gScale, mask, allMasked, nanRows, floor, stats, misses }) {
  if (!isF32(got, rows * cols)) {
    misses.push(`${id} ${what}: expected a Float32Array of length ${rows * cols}, got ${got?.constructor?.name} of length ${got?.length}`);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    if (allMasked.has(r)) { // library: exactly 0 (upstream NaN / raised)
      stats.rowsZero++;
      for (let j = 0; j < cols; j++) {
        if (got[base + j] !== 0) { misses.push(`${id} ${what} row ${r} col ${j}: fully masked row must give dx = 0 exactly, got ${fmt(got[base + j])}`); break; }
      }
      continue;
    }
    if (nanRows.has(r)) { // NaN upstream but not fully masked: the library must stay finite
      stats.rowsNan++;
      for (let j = 0; j < cols; j++) {
        if (!Number.isFinite(got[base + j])) { misses.push(`${id} ${what} row ${r} col ${j}: row is NaN upstream; the library must be finite, got ${fmt(got[base + j])}`); break; }
      }
      continue;
    }
    let maxRef = 0;
    for (let j = 0; j < cols; j++) { const v = ref[base + j]; if (Number.isFinite(v)) maxRef = Math.max(maxRef, Math.abs(v)); }
    const plain = gradRowBound(gScale(r), maxRef);
    const bound = Math.max(plain, floor);
    stats.rows++;
    let worst = null, nOver = 0;
    for (let j = 0; j < cols; j++) {
      const i = base + j, v = got[i], rv = ref[i];
      if (mask && mask[i] === 0) {
        if (v !== 0) misses.push(`${id} ${what} row ${r} col ${j}: masked entry must give dx = 0 exactly, got ${fmt(v)}`);
        continue;
      }
      if (!Number.isFinite(rv)) {
        if (kindOf(v) !== kindOf(rv)) misses.push(`${id} ${what} row ${r} col ${j}: non-finite kind mismatch, got ${fmt(v)}, ref ${fmt(rv)}`);
        continue;
      }
      const err = Math.abs(v - rv);
      const ratio = Number.isFinite(err) ? err / bound : Infinity;
      noteWorst(stats, ratio, `${id} ${what} row ${r} col ${j}`);
      if (!(err <= bound)) {
        nOver++;
        if (!worst || ratio > worst.ratio) worst = { j, v, rv, err, ratio };
      }
    }
    if (worst) {
      misses.push(`${id} ${what} row ${r}: ${nOver} of ${cols} over the row bound ${bound.toExponential(3)}` +
        `${floor > plain ? ' (f32_ill_conditioned floor)' : ''}; worst col ${worst.j}: got ${fmt(worst.v)}, ref ${fmt(worst.rv)}, ` +
        `|err| ${worst.err.toExponential(3)} (${fmtRatio(worst.ratio)}x)`);
    }
  }
}

/** Compares dParams.ranges / dParams.ts with reference vectors, per component. */
function compareParams({ id, what, got, refRanges, refTs, c, floors, stats, misses }) {
  if (!got || !Array.isArray(got.ranges) && !ArrayBuffer.isView(got.ranges) || !got.ts) {
    misses.push(`${id} ${what}: dParams should be { ranges, ts }, got ${JSON.stringify(got)}`);
    return;
  }
  for (const [key, ref, scale, floor] of [['ranges', refRanges, c.ranges_grad_scale, floors.ranges], ['ts', refTs, c.ts_grad_scale, floors.ts]]) {
    if (got[key].length !== 4) { misses.push(`${id} ${what}: dParams.${key} has ${got[key].length} components, expected 4`); continue; }
    for (let k = 0; k < 4; k++) {
      const v = got[key][k], rv = decodeNumber(ref[k]);
      const plain = paramBound(decodeNumber(scale[k]));
      const bound = Math.max(plain, floor);
      stats.params++;
      if (!Number.isFinite(rv)) {
        misses.push(`${id} ${what}: reference ${key}_grad[${k}] is ${fmt(rv)} (use the *_finite_rows fields)`);
        continue;
      }
      const err = Math.abs(v - rv);
      const ratio = Number.isFinite(err) ? err / bound : Infinity;
      noteWorst(stats, ratio, `${id} ${what} ${key}[${k}]`);
      if (!(err <= bound)) {
        misses.push(`${id} ${what}: dParams.${key}[${k}] = ${fmt(v)}, ref ${fmt(rv)}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)} ` +
          `(${fmtRatio(ratio)}x; 1e-4·${key}_grad_scale[${k}] = ${(1e-4 * decodeNumber(scale[k])).toExponential(3)})${floor > plain ? ' [f32_ill_conditioned]' : ''}`);
      }
    }
  }
}

/** Rows of a flat array (each `cols` long), keeping those listed in `keep`. */
function takeRows(a, cols, keep, Ctor = a.constructor) {
  const out = new Ctor(keep.length * cols);
  keep.forEach((r, k) => out.set(a.subarray(r * cols, (r + 1) * cols), k * cols));
  return out;
}

// ---- the row-wise backward files ---------------------------------------------------------------
const withMask = (o, mask) => (mask ? { ...o, mask } : o);

const GRAD_SUITES = [
  {
    file: 'softmax',
    forward: (x, o, c) => mm.softmax(x, { ...o, temperature: c.params.T }),
    backward: (y, g, o, c) => mm.softmaxBackward(y, g, { ...o, temperature: c.params.T }),
  },
  {
    file: 'log_softmax',
    forward: (x, o) => mm.logSoftmax(x, o),
    backward: (y, g, o) => mm.logSoftmaxBackward(y, g, o),
  },
  { file: 'multimax', multimax: true, log: false },
  { file: 'log_multimax', multimax: true, log: true },
  {
    file: 'sparsemax',
    forward: (x, o) => mm.sparsemax(x, o),
    backward: (y, g, o) => mm.sparsemaxBackward(y, g, o),
  },
  {
    file: 'sparsemax_bisect', // against the exact sparsemax (README "Conventions")
    forward: (x, o) => mm.sparsemax(x, o),
    backward: (y, g, o) => mm.sparsemaxBackward(y, g, o),
  },
  {
    file: 'entmax15',
    forward: (x, o) => mm.entmax15(x, o),
    backward: (y, g, o) => mm.entmax15Backward(y, g, o),
  },
  {
    file: 'entmax_bisect',
    forward: (x, o, c) => mm.entmax(x, { ...o, alpha: c.params.alpha }),
    backward: (y, g, o, c) => mm.entmaxBackward(y, g, { ...o, alpha: c.params.alpha }),
  },
  {
    file: 'normmax_bisect',
    forward: (x, o, c) => mm.normmax(x, { ...o, alpha: c.params.alpha }),
    backward: (y, g, o, c) => mm.normmaxBackward(y, g, { ...o, alpha: c.params.alpha }),
  },
  {
    file: 'evsoftmax',
    forward: (x, o, c) => mm.evSoftmax(x, { ...o, training: c.params.training }),
    backward: (y, g, o, c) => mm.evSoftmaxBackward(y, g, { ...o, training: c.params.training }),
  },
];

function prepare(c) {
  const [rows, cols] = c.shape;
  return {
    id: c.id, rows, cols,
    x: Float32Array.from(decodeArray(c.x)), // float32-exact inputs (README "Inputs")
    g: Float32Array.from(decodeArray(c.g)),
    mask: c.mask ? toLibMask(c.mask) : undefined,
    allMasked: new Set(c.all_masked_rows ?? []),
    nanRows: new Set(c.nan_rows ?? []),
  };
}

function maxAbsRow(a, cols, r) {
  let m = 0;
  for (let j = 0; j < cols; j++) { const v = Math.abs(a[r * cols + j]); if (v > m) m = v; }
  return m;
}

/** MultiMax backward of a (sub-)batch: the engine method of the file. */
function mmBackward(suite, x, g, o) {
  return suite.log ? mm.logMultimaxBackward(x, g, o) : mm.multimaxBackward(x, g, o);
}
function mmForward(suite, x, o) {
  return suite.log ? mm.logMultimax(x, o) : mm.multimax(x, o);
}
const mmParamsOf = (c) => ({ ranges: c.params.ranges.slice(), ts: c.params.ts.slice() });

/** One row-wise gradient case. */
function checkGradCase(suite, c, stats, misses, { omitY = false } = {}) {
  stats.cases++;
  const refField = c.x_grad ? 'x_grad' : c.output === null && c.x_grad_rowwise ? 'x_grad_rowwise' : null;
  if (!refField) {
    skip(stats, `no x_grad in the golden case (forward only, shape ${c.shape.join('x')})`);
    return;
  }
  stats.compared++;
  if (c.f32_ill_conditioned) stats.ill++;
  const p = prepare(c);
  const id = `${suite.file}:${c.id}${omitY ? ' (y omitted)' : ''}`;
  const ref = decodeArray(c[refField]);
  const base = withMask({ cols: p.cols }, p.mask);
  const xCopy = p.x.slice(), gCopy = p.g.slice();
  const floor = illFloor(c, 'x_grad');
  const gScale = (r) => maxAbsRow(p.g, p.cols, r);

  if (!suite.multimax) {
    const y = guarded(id, misses, () => suite.forward(p.x, base, c));
    if (!y) return;
    if (!isF32(y, p.x.length)) { misses.push(`${id}: forward did not return a Float32Array of length ${p.x.length}`); return; }
    const yCopy = y.slice();
    const dx = guarded(id, misses, () => suite.backward(y, p.g, base, c));
    if (dx === undefined) return;
    if (!y.every((v, i) => Object.is(v, yCopy[i]))) misses.push(`${id}: the backward modified y (no out was given)`);
    if (!p.g.every((v, i) => Object.is(v, gCopy[i]))) misses.push(`${id}: the backward modified dy`);
    compareGrad({ id, what: refField, got: dx, ref, rows: p.rows, cols: p.cols, gScale, mask: p.mask, allMasked: p.allMasked, nanRows: p.nanRows, floor, stats, misses });
    return;
  }

  // MultiMax: dx and dParams
  const params = mmParamsOf(c);
  const y = guarded(id, misses, () => mmForward(suite, p.x, { ...base, params }));
  if (!y) return;
  const r = guarded(id, misses, () => mmBackward(suite, p.x, p.g, omitY ? { ...base, params } : { ...base, params, y }));
  if (!r) return;
  if (!p.x.every((v, i) => Object.is(v, xCopy[i]))) misses.push(`${id}: the backward modified x (no out was given)`);
  if (!p.g.every((v, i) => Object.is(v, gCopy[i]))) misses.push(`${id}: the backward modified dy`);
  compareGrad({ id, what: refField, got: r.dx, ref, rows: p.rows, cols: p.cols, gScale, mask: p.mask, allMasked: p.allMasked, nanRows: p.nanRows, floor, stats, misses });
  const floors = { ranges: illFloor(c, 'ranges_grad'), ts: illFloor(c, 'ts_grad') };
  const refNaN = [...c.ranges_grad, ...c.ts_grad].some((v) => !Number.isFinite(decodeNumber(v)));
  if (!refNaN) {
    compareParams({ id, what: 'dParams', got: r.dParams, refRanges: c.ranges_grad, refTs: c.ts_grad, c, floors, stats, misses });
    return r;
  }
  // NaN upstream: compare with the sums over the rows not in nan_rows
  let finite;
  if (c.ranges_grad_finite_rows && c.ts_grad_finite_rows) finite = { refRanges: c.ranges_grad_finite_rows, refTs: c.ts_grad_finite_rows };
  else if (p.nanRows.size === p.rows) finite = { refRanges: [0, 0, 0, 0], refTs: [0, 0, 0, 0] }; // every row NaN (masked_all_single): the sum over no rows
  else {
    misses.push(`${id}: ranges_grad / ts_grad are NaN and the case has no *_finite_rows fields`);
    return r;
  }
  for (const k of ['ranges', 'ts']) for (const v of r.dParams?.[k] ?? []) {
    if (!Number.isFinite(v)) misses.push(`${id}: dParams.${k} holds ${v} (fully masked rows must add nothing)`);
  }
  const keep = [];
  for (let row = 0; row < p.rows; row++) if (!p.nanRows.has(row)) keep.push(row);
  if (keep.length > 0) {
    const xs = takeRows(p.x, p.cols, keep), gs = takeRows(p.g, p.cols, keep);
    const ms = p.mask ? takeRows(p.mask, p.cols, keep) : undefined;
    const o = withMask({ cols: p.cols, params }, ms);
    const rs = guarded(`${id} (rows ${keep.join(',')})`, misses, () => mmBackward(suite, xs, gs, o));
    if (rs) compareParams({ id, what: `dParams over rows [${keep.join(',')}] (not in nan_rows) vs *_grad_finite_rows`, got: rs.dParams, ...finite, c, floors, stats, misses });
  }
  if ([...p.nanRows].every((row) => p.allMasked.has(row))) {
    compareParams({ id, what: 'dParams of the full batch (its NaN rows are fully masked: add nothing) vs *_grad_finite_rows', got: r.dParams, ...finite, c, floors, stats, misses });
  }
  return r;
}

/** MultiMax: the case picked for the "y omitted" check (a masked case with nonzero parameters). */
function pickOmitYCase(cases) {
  return cases.find((c) => c.params.param_set === 'random_small_1' && c.input_kind === 'masked_random') ??
    cases.find((c) => c.x_grad && c.params.param_set !== 'zeros');
}

const summaries = [];

for (const suite of GRAD_SUITES) {
  describe(`golden ${suite.file}.json: gradients`, () => {
    const golden = loadGolden(suite.file);
    test(`${suite.file}: x_grad${suite.multimax ? ', ranges_grad, ts_grad' : ''} of every case`, () => {
      assert.equal(golden.function, suite.file);
      const stats = newStats();
      const misses = [];
      for (const c of golden.cases) checkGradCase(suite, c, stats, misses);
      stats.misses = misses.length;
      const line = summary(`[${buildName}] ${suite.file}`, stats);
      console.log(`  ${line}`);
      summaries.push(line);
      assert.equal(stats.cases, golden.num_cases, `${suite.file}: walked ${stats.cases} cases, file declares ${golden.num_cases}`);
      assert.ok(stats.compared > 0, `${suite.file}: no case compared`);
      assertNoMisses(misses, suite.file);
    });

    if (suite.multimax) {
      test(`${suite.file}: omitting y gives the same dx and dParams`, () => {
        const c = pickOmitYCase(golden.cases);
        assert.ok(c, `${suite.file}: no case for the y-omitted check`);
        const stats = newStats();
        const misses = [];
        const withY = checkGradCase(suite, c, newStats(), []);
        const withoutY = checkGradCase(suite, c, stats, misses, { omitY: true });
        // and the two calls against each other, within the same per-row / per-component bounds
        if (withY && withoutY) {
          const p = prepare(c);
          compareGrad({
            id: `${suite.file}:${c.id}`, what: 'dx without y vs dx with y', got: withoutY.dx, ref: Float64Array.from(withY.dx), rows: p.rows, cols: p.cols,
            gScale: (r) => maxAbsRow(p.g, p.cols, r), mask: p.mask, allMasked: p.allMasked, nanRows: p.nanRows, floor: 0, stats, misses,
          });
          compareParams({ id: `${suite.file}:${c.id}`, what: 'dParams without y vs with y', got: withoutY.dParams, refRanges: withY.dParams.ranges, refTs: withY.dParams.ts, c, floors: { ranges: 0, ts: 0 }, stats, misses });
        } else if (!misses.length) misses.push(`${suite.file}:${c.id}: a call returned nothing`);
        console.log(`  [${buildName}] ${suite.file} y omitted (${c.id}): ${stats.rows} rows, ${stats.params} parameter components, ${misses.length} misses`);
        assertNoMisses(misses, `${suite.file} y omitted`);
      });
    }
  });
}

// ---- the loss files ------------------------------------------------------------------------------
const LOSS_SUITES = [
  {
    file: 'sparsemax_loss',
    loss: (x, t, o) => mm.sparsemaxLoss(x, t, o),
    proba: (x, o) => mm.sparsemax(x, o),
  },
  {
    file: 'entmax15_loss',
    loss: (x, t, o) => mm.entmax15Loss(x, t, o),
    proba: (x, o) => mm.entmax15(x, o),
  },
  {
    file: 'entmax_bisect_loss',
    loss: (x, t, o, c) => mm.entmaxLoss(x, t, { ...o, alpha: c.params.alpha }),
    proba: (x, o, c) => mm.entmax(x, { ...o, alpha: c.params.alpha }),
  },
];

function checkLossCase(suite, c, stats, misses) {
  stats.cases++;
  stats.compared++;
  if (c.f32_ill_conditioned) stats.ill++;
  const [rows, cols] = c.shape;
  const id = `${suite.file}:${c.id}`;
  const x = Float32Array.from(decodeArray(c.x));
  const xCopy = x.slice();
  const targets = Int32Array.from(c.targets);
  const g = Float32Array.from(decodeArray(c.g)); // one per row
  const refLoss = decodeArray(c.output), tolScale = decodeArray(c.tol_scale);
  const none = new Set();

  const checkLoss = (loss, what) => {
    if (!isF32(loss, rows)) { misses.push(`${id} ${what}: loss should be a Float32Array of length ${rows}, got ${loss?.constructor?.name} of length ${loss?.length}`); return; }
    const floor = illFloor(c, 'output');
    for (let r = 0; r < rows; r++) {
      const plain = lossBound(refLoss[r], tolScale[r]);
      const bound = Math.max(plain, floor);
      const err = Math.abs(loss[r] - refLoss[r]);
      const ratio = Number.isFinite(err) ? err / bound : Infinity;
      stats.losses++;
      noteWorst(stats, ratio, `${id} ${what} row ${r}`);
      if (!(err <= bound)) misses.push(`${id} ${what} row ${r}: loss ${fmt(loss[r])}, ref ${fmt(refLoss[r])}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)} (${fmtRatio(ratio)}x)`);
    }
  };

  // with dLoss = g: loss vs output, grad vs x_grad
  const a = guarded(id, misses, () => suite.loss(x, targets, { cols, grad: true, dLoss: g }, c));
  if (a) {
    checkLoss(a.loss, 'loss (dLoss = g)');
    compareGrad({ id, what: 'grad (dLoss = g) vs x_grad', got: a.grad, ref: decodeArray(c.x_grad), rows, cols, gScale: (r) => Math.abs(g[r]), allMasked: none, nanRows: none, floor: illFloor(c, 'x_grad'), stats, misses });
  }
  // without dLoss (1 per row): grad vs x_grad_of_sum
  const b = guarded(id, misses, () => suite.loss(x, targets, { cols, grad: true }, c));
  if (b) {
    checkLoss(b.loss, 'loss (no dLoss)');
    compareGrad({ id, what: 'grad (no dLoss) vs x_grad_of_sum', got: b.grad, ref: decodeArray(c.x_grad_of_sum), rows, cols, gScale: () => 1, allMasked: none, nanRows: none, floor: illFloor(c, 'x_grad_of_sum'), stats, misses });
  }
  // without grad: no gradient returned, same loss
  const d = guarded(id, misses, () => suite.loss(x, targets, { cols }, c));
  if (d) {
    checkLoss(d.loss, 'loss (grad not asked)');
    if (d.grad !== undefined) misses.push(`${id}: grad should be absent without { grad: true }, got ${d.grad?.constructor?.name}`);
  }
  if (!x.every((v, i) => Object.is(v, xCopy[i]))) misses.push(`${id}: the loss modified x`);
  // the projection via the forward: proba
  const p = guarded(id, misses, () => suite.proba(x, { cols }, c));
  if (p) {
    const ref = decodeArray(c.proba);
    const floor = illFloor(c, 'proba');
    for (let i = 0; i < ref.length; i++) {
      const plain = probBound(ref[i]);
      const bound = Math.max(plain, floor);
      const err = Math.abs(p[i] - ref[i]);
      const ratio = Number.isFinite(err) ? err / bound : Infinity;
      noteWorst(stats, ratio, `${id} proba i=${i}`);
      if (!(err <= bound)) misses.push(`${id} proba row ${Math.floor(i / cols)} col ${i % cols}: got ${fmt(p[i])}, ref ${fmt(ref[i])}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)} (${fmtRatio(ratio)}x)${c.f32_ill_conditioned ? ' [f32_ill_conditioned; no torch proba error recorded]' : ''}`);
    }
  }
}

for (const suite of LOSS_SUITES) {
  describe(`golden ${suite.file}.json: losses`, () => {
    const golden = loadGolden(suite.file);
    test(`${suite.file}: loss, grad (dLoss = g and 1), proba of every case`, () => {
      assert.equal(golden.function, suite.file);
      const stats = newStats();
      const misses = [];
      for (const c of golden.cases) checkLossCase(suite, c, stats, misses);
      stats.misses = misses.length;
      const line = summary(`[${buildName}] ${suite.file}`, stats);
      console.log(`  ${line}`);
      summaries.push(line);
      assert.equal(stats.cases, golden.num_cases, `${suite.file}: walked ${stats.cases} cases, file declares ${golden.num_cases}`);
      assertNoMisses(misses, suite.file);
    });
  });
}

after(() => {
  if (summaries.length) console.log(`gradient conformance (${buildName} build):\n  ${summaries.join('\n  ')}`);
});
