// Benchmark (a report, not a test): multimax-wasm's softmax / logSoftmax / multimax, zero-copy and
// copying, against a tight plain-JS softmax; then the sparse normalisers (sparsemax, entmax15,
// alpha-entmax, normmax, evSoftmax) against our zero-copy softmax; all in one process.
//
//   npm run bench                      (builds if needed, then runs this file: both sections)
//   node bench/bench.mjs [--quick] [--json results.json] [--params checkpoint|random]
//                        [--rounds N] [--target-ms M] [--sparse-only | --no-sparse]
//
//   --quick        fewer rounds (11 instead of 31), shorter samples and warm-ups, both sections
//   --sparse-only  only the sparse section (skips softmax/multimax, per-call overhead, cold start)
//   --no-sparse    only the softmax/multimax section (the benchmark as it was before the sparse one)
//   Run time on the 2-core dev machine: default about 100 s (of which the sparse section about
//   75 s; --no-sparse about 25 s), --quick about 25 s (--quick --sparse-only about 17 s).
//
// Method, per shape (1x32000, 4096x128, 256x1024, 64x4096, 1x1000000): one input shared by every
// candidate (float32, fixed seed; copied once into a zero-copy view for the zero-copy candidates);
// each candidate is warmed up, its repetitions are calibrated once so that a timed sample takes
// ~target-ms, then R rounds run every candidate once in a fixed interleaved order (A B C … A B C …).
// Only the calls are timed: inputs, outputs and options objects are allocated before the timed
// loops, and every call's output is consumed (one element accumulated into a checksum) so nothing
// can be optimised away. Ratios are computed pair by pair inside each round and then summarised
// (median, p10-p90), so a slow round (GC, a noisy neighbour) hits both sides of a ratio alike.
// softmax/multimax section: x ~ N(0, 2^2). Sparse section: all candidates zero-copy (mm.alloc
// views for x and for each candidate's out), each function's ratio taken against the zero-copy
// softmax of the same round, on x = s * z for the same standard-normal draws z (the softmax
// section's seed, so s = 2 is the same input) with s = 2 (the targets' distribution), 0.1 (dense
// outputs) and 10 (very sparse outputs). Outside timing, each sparse output is checked (finite,
// in [0, 1], rows sum to 1 within 1e-5) and one more call with the `support` option gives the
// mean support size (nonzeros per row), checked against count(y > 0) of the output (and that call's
// output must equal the timed one bitwise). Sparse targets apply to x ~ N(0, 2^2) only.
// Exit code: 0 whenever the run completes (missed targets are reported, not failures); 1 on errors
// (a normaliser that throws, or a failed sparse sanity check: both are reported precisely).
import os from "node:os";
import { writeFileSync } from "node:fs";
import {
  eachArg, prng, gauss, normals, pickIndex, summary, now, pad, lpad, fmtNs, fmtX, fmtE, grp, sink, measure as measureRounds,
  refSoftmax64, refLogSoftmax64, phi64, maxAbsDiff, maxRowSumErr, bitEqual,
} from "./harness.mjs";
import { jsSoftmax } from "./plain-js.mjs";

let lib;
try {
  lib = await import("../dist/index.js");
} catch (e) {
  console.error(`bench: cannot load ../dist/index.js (${e.message}); build first: node scripts/build.mjs`);
  process.exit(1);
}

// ------------------------------------------------------------------ options
function parseArgs(argv) {
  const o = { quick: false, json: null, params: "checkpoint", rounds: null, targetMs: null, softmax: true, sparse: true };
  eachArg(argv, (a, val, is) => {
    if (a === "--quick") o.quick = true;
    else if (a === "--sparse-only") o.softmax = false;
    else if (a === "--no-sparse") o.sparse = false;
    else if (is("--json")) o.json = val();
    else if (is("--params")) o.params = val();
    else if (is("--rounds")) o.rounds = Number(val());
    else if (is("--target-ms")) o.targetMs = Number(val());
    else if (a === "--help" || a === "-h") {
      console.log("usage: node bench/bench.mjs [--quick] [--json FILE] [--params checkpoint|random] [--rounds N] [--target-ms M] [--sparse-only | --no-sparse]");
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(a)} (try --help)`);
  });
  if (!o.softmax && !o.sparse) throw new Error("--sparse-only and --no-sparse exclude each other");
  if (o.params !== "checkpoint" && o.params !== "random") throw new Error(`--params: expected checkpoint or random, got ${JSON.stringify(o.params)}`);
  if (o.rounds !== null && !(Number.isInteger(o.rounds) && o.rounds >= 3)) throw new Error("--rounds: expected an integer >= 3");
  if (o.targetMs !== null && !(o.targetMs > 0)) throw new Error("--target-ms: expected a number > 0");
  return o;
}

// ------------------------------------------------------------------ setup
let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`bench: ${e.message}`);
  process.exit(2);
}
const ROUNDS = opts.rounds ?? (opts.quick ? 11 : 31);
const TARGET_MS = opts.targetMs ?? (opts.quick ? 6 : 15);
const WARMUP_MS = opts.quick ? 40 : 80;
const SHAPES = [[1, 32000], [4096, 128], [256, 1024], [64, 4096], [1, 1000000]];
const SEED = 0x5eed2024;
const TARGETS = {
  jsOverSoftmax: { min: 12, label: "JS softmax / softmax (zero-copy)", target: ">= 12x" },
  multimaxOverSoftmax: { max: 1.2, label: "multimax / softmax (zero-copy)", target: "<= 1.2x" },
  softmaxCopy: { max: 1.35, label: "softmax copying / zero-copy", target: "<= 1.35x" },
  multimaxCopy: { max: 1.35, label: "multimax copying / zero-copy", target: "<= 1.35x" },
  rowSum: { max: 1e-6, label: "max |row sum - 1| (softmax)", target: "<= 1e-6" },
};
const passes = (t, v) => (t.min !== undefined ? v >= t.min : v <= t.max);
// Sparse section: input distributions (x = sigma * z, z ~ N(0, 1) with the seed of the shape) and
// candidates (all zero-copy). Targets are ratios to the zero-copy softmax, on the first distribution.
const SPARSE_DISTS = [
  { key: "sd2", sigma: 2, label: "N(0, 2^2)", targets: true },
  { key: "sd0.1", sigma: 0.1, label: "N(0, 0.1^2)", targets: false },
  { key: "sd10", sigma: 10, label: "N(0, 10^2)", targets: false },
];
const SPARSE_FUNCS = [
  { key: "softmax", fn: "softmax", extra: {}, label: "softmax zero-copy", baseline: true },
  { key: "sparsemax", fn: "sparsemax", extra: {}, label: "sparsemax", target: { max: 1.5, target: "<= 1.5x" } },
  { key: "entmax15", fn: "entmax15", extra: {}, label: "entmax15", target: { max: 2, target: "<= 2x" } },
  { key: "entmax1.25", fn: "entmax", extra: { alpha: 1.25 }, label: "entmax alpha=1.25", target: { max: 5, target: "<= 5x" } },
  { key: "entmax1.5", fn: "entmax", extra: { alpha: 1.5 }, label: "entmax alpha=1.5", note: "entmax15 kernel" },
  { key: "entmax1.75", fn: "entmax", extra: { alpha: 1.75 }, label: "entmax alpha=1.75", target: { max: 5, target: "<= 5x" } },
  { key: "normmax2", fn: "normmax", extra: { alpha: 2 }, label: "normmax alpha=2", target: { max: 5, target: "<= 5x" } },
  { key: "evSoftmax", fn: "evSoftmax", extra: {}, label: "evSoftmax (eval)", target: { max: 1.3, target: "<= 1.3x" } },
];
const SPARSE_SUM_TOL = 1e-5;

const mm = await lib.init();
const rawParams = (() => {
  if (opts.params === "checkpoint") return { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] };
  const g = gauss(prng(SEED ^ 0x9e3779b9));
  const f = (sd) => Math.fround(sd * g());
  return { ranges: [f(1), f(1), f(1), f(1)], ts: [f(0.5), f(0.5), f(0.5), f(0.5)] };
})();
const params = mm.multimaxParams(rawParams); // validated and packed once, as the API recommends for hot loops
const paramText = `{ ranges: [${Array.from(rawParams.ranges, (v) => +v.toFixed(4)).join(", ")}], ts: [${Array.from(rawParams.ts, (v) => +v.toFixed(4)).join(", ")}] }`;
const argText = process.argv.slice(2).join(" ");
const command = argText ? `npm run bench -- ${argText}` : "npm run bench";
const cpu = os.cpus()[0]?.model?.trim() ?? "unknown";


console.log("multimax-wasm benchmark");
console.log(`  command : ${command}`);
console.log(`  node    : ${process.version} (${process.platform}-${process.arch}), V8 ${process.versions.v8}`);
console.log(`  cpu     : ${cpu} (${os.cpus().length} logical cpus)`);
console.log(`  engine  : wasm ${mm.relaxed ? "relaxed SIMD (FMA)" : mm.simd ? "SIMD (simd128)" : "scalar (no SIMD)"}`);
console.log(`  multimax: order ${params.order}, ${opts.params} params ${paramText} (prepared once with mm.multimaxParams)`);
console.log(`  sections: ${[opts.softmax && "softmax/multimax", opts.sparse && "sparse"].filter(Boolean).join(", ")}${opts.softmax ? "" : " (--sparse-only)"}${opts.sparse ? "" : " (--no-sparse)"}`);
console.log(`  method  : x ~ N(0, 2^2) float32 (seed 0x${SEED.toString(16)}), ${ROUNDS} interleaved rounds, ~${TARGET_MS} ms per timed sample;`);
console.log(`            ns/el = median over rounds [p10 - p90]; ratios = median [p10 - p90] of per-round ratios`);
if (opts.sparse)
  console.log(`  sparse  : zero-copy, x = s * z for s = ${SPARSE_DISTS.map((d) => d.sigma).join(", ")} (${SPARSE_DISTS.map((d) => d.label).join(", ")}), same z; ratios to zero-copy softmax per round`);

/** Builds the candidates for one shape; every candidate reads the same x (or its zero-copy copy). */
function makeCandidates(st) {
  const { x, n, rows, cols } = st;
  const pick = pickIndex(n);
  const list = [];
  const add = (key, label, fn) => list.push({ key, label, run: fn });
  {
    const out = st.outJs;
    add("js", "JS softmax (Math.exp)", (reps) => {
      let s = 0;
      for (let r = 0; r < reps; r++) { jsSoftmax(x, out, rows, cols); s += out[pick(r)]; }
      return s;
    });
  }
  for (const [kind, name, extra] of [["softmax", "softmax", {}], ["logSoftmax", "logSoftmax", {}], ["multimax", "multimax", { params }]]) {
    const fn = mm[kind].bind(mm);
    const ov = st.views[kind], xv = st.xv, oz = { ...extra, cols, out: ov };
    add(`${kind}_zc`, `${name} zero-copy`, (reps) => {
      let s = 0;
      for (let r = 0; r < reps; r++) { fn(xv, oz); s += ov[pick(r)]; }
      return s;
    });
    const out = st.outs[kind], oc = { ...extra, cols, out };
    add(`${kind}_copy`, `${name} copying`, (reps) => {
      let s = 0;
      for (let r = 0; r < reps; r++) { fn(x, oc); s += out[pick(r)]; }
      return s;
    });
  }
  return list;
}

/** Re-acquires zero-copy views after the engine's memory grew (which detaches them). */
function refreshViews(st) {
  if (st.xv.buffer === mm.memory.buffer && st.xv.length === st.n) return false;
  st.xv = mm.refresh(st.xv);
  for (const k of Object.keys(st.views)) st.views[k] = mm.refresh(st.views[k]);
  return true;
}

/** Warm-up, calibration and R interleaved rounds for the candidates make(st) builds (rebuilt
 *  whenever memory growth detached st's views). Returns ns per element, per candidate and round. */
function measure(st, make) {
  return measureRounds({ make: () => make(st), refresh: () => refreshViews(st), elements: st.n, rounds: ROUNDS, targetMs: TARGET_MS, warmupMs: WARMUP_MS });
}

async function benchShape(rows, cols) {
  const n = rows * cols;
  const x = normals(n, SEED + n);
  const st = {
    x, n, rows, cols,
    outJs: new Float32Array(n),
    outs: { softmax: new Float32Array(n), logSoftmax: new Float32Array(n), multimax: new Float32Array(n) },
    xv: mm.alloc(n),
    views: { softmax: null, logSoftmax: null, multimax: null },
  };
  for (const k of Object.keys(st.views)) st.views[k] = mm.alloc(n);
  refreshViews(st);
  st.xv.set(x);
  // grow the engine's scratch arena for this size before anything is timed (copying mode needs it)
  mm.multimax(x, { cols, params, out: st.outs.multimax });
  refreshViews(st);

  const { cands, reps, ns } = await measure(st, makeCandidates);
  const perRound = (a, b) => ns[a].map((v, i) => v / ns[b][i]);
  const ratios = {
    jsOverSoftmax: summary(perRound("js", "softmax_zc")),
    multimaxOverSoftmax: summary(perRound("multimax_zc", "softmax_zc")),
    softmaxCopy: summary(perRound("softmax_copy", "softmax_zc")),
    multimaxCopy: summary(perRound("multimax_copy", "multimax_zc")),
    logSoftmaxOverSoftmax: summary(perRound("logSoftmax_zc", "softmax_zc")),
    logSoftmaxCopy: summary(perRound("logSoftmax_copy", "logSoftmax_zc")),
    jsOverMultimax: summary(perRound("js", "multimax_zc")),
  };
  // accuracy (once, on the outputs of the last timed calls: every output holds f(x) for this x)
  refreshViews(st);
  const smZc = st.views.softmax, lsZc = st.views.logSoftmax, mmZc = st.views.multimax;
  const ref = refSoftmax64(x, rows, cols, null);
  const acc = {
    rowSumErr: maxRowSumErr(smZc, rows, cols),
    softmaxVsF64: maxAbsDiff(smZc, ref),
    jsSoftmaxVsF64: maxAbsDiff(st.outJs, ref),
    logSoftmaxVsF64: maxAbsDiff(lsZc, refLogSoftmax64(x, rows, cols)),
    multimaxVsF64: maxAbsDiff(mmZc, refSoftmax64(x, rows, cols, phi64(params.records))),
    multimaxRowSumErr: maxRowSumErr(mmZc, rows, cols),
    copyEqualsZeroCopy: bitEqual(smZc, st.outs.softmax) && bitEqual(lsZc, st.outs.logSoftmax) && bitEqual(mmZc, st.outs.multimax),
    inputUntouched: bitEqual(st.xv, x),
  };
  const stats = Object.fromEntries(cands.map((c) => [c.key, { label: c.label, reps: reps[c.key], ...summary(ns[c.key]) }]));
  mm.free(st.xv);
  for (const k of Object.keys(st.views)) mm.free(st.views[k]);
  return { rows, cols, n, stats, ratios, acc, samples: ns };
}

function printShape(r) {
  const { rows, cols, n, stats, ratios, acc } = r;
  console.log(`\n== ${rows} x ${cols}  (${grp(n)} elements) ${"=".repeat(Math.max(0, 60 - `${rows} x ${cols}  (${grp(n)} elements)`.length))}`);
  console.log(`  ${pad("candidate", 24)}${lpad("ns/el", 9)}   ${pad("p10 - p90", 17)}${lpad("Melem/s", 9)}${lpad("reps", 7)}`);
  for (const s of Object.values(stats))
    console.log(`  ${pad(s.label, 24)}${lpad(fmtNs(s.median), 9)}   ${pad(`${fmtNs(s.p10)} - ${fmtNs(s.p90)}`, 17)}${lpad((1e3 / s.median).toFixed(0), 9)}${lpad(s.reps, 7)}`);
  console.log(`  ${pad("ratio (per round)", 32)}${lpad("median", 8)}   ${pad("p10 - p90", 15)}${pad("target", 11)}`);
  const line = (label, s, t) =>
    console.log(`  ${pad(label, 32)}${lpad(fmtX(s.median), 8)}   ${pad(`${s.p10.toFixed(2)} - ${s.p90.toFixed(2)}`, 15)}${t ? pad(t.target, 11) + (passes(t, s.median) ? "PASS" : "MISS") : "(info)"}`);
  line(TARGETS.jsOverSoftmax.label, ratios.jsOverSoftmax, TARGETS.jsOverSoftmax);
  line(TARGETS.multimaxOverSoftmax.label, ratios.multimaxOverSoftmax, TARGETS.multimaxOverSoftmax);
  line(TARGETS.softmaxCopy.label, ratios.softmaxCopy, TARGETS.softmaxCopy);
  line(TARGETS.multimaxCopy.label, ratios.multimaxCopy, TARGETS.multimaxCopy);
  line("logSoftmax / softmax (zero-copy)", ratios.logSoftmaxOverSoftmax, null);
  line("logSoftmax copying / zero-copy", ratios.logSoftmaxCopy, null);
  line("JS softmax / multimax (zero-c.)", ratios.jsOverMultimax, null);
  const t = TARGETS.rowSum;
  console.log(`  accuracy: max |row sum - 1| = ${fmtE(acc.rowSumErr)} (${t.target}: ${passes(t, acc.rowSumErr) ? "PASS" : "MISS"}); max |softmax - f64| = ${fmtE(acc.softmaxVsF64)} (JS: ${fmtE(acc.jsSoftmaxVsF64)})`);
  console.log(`            max |logSoftmax - f64| = ${fmtE(acc.logSoftmaxVsF64)}; max |multimax - f64| = ${fmtE(acc.multimaxVsF64)}, row sums ${fmtE(acc.multimaxRowSumErr)}`);
  console.log(`            copying == zero-copy (bitwise): ${acc.copyEqualsZeroCopy ? "yes" : "NO"}; zero-copy input untouched: ${acc.inputUntouched ? "yes" : "NO"}`);
}

// ------------------------------------------------------------------ sparse section
/** The sparse section's candidates: all zero-copy, one out view per function, all reading st.xv. */
function makeSparseCandidates(st) {
  const { n, cols } = st;
  const pick = pickIndex(n);
  return st.funcs.map((f) => {
    const fn = mm[f.fn].bind(mm);
    const ov = st.views[f.key], xv = st.xv, o = { ...f.extra, cols, out: ov };
    return {
      key: f.key, label: f.label, run: (reps) => {
        let s = 0;
        for (let r = 0; r < reps; r++) { fn(xv, o); s += ov[pick(r)]; }
        return s;
      },
    };
  });
}

/** Untimed checks of one output: finite, in [0, 1], |row sum - 1| <= SPARSE_SUM_TOL (float64
 *  sums); nnz[r] = count(y > 0) in row r. */
function checkSparseOutput(y, rows, cols) {
  let nonFinite = 0, outOfRange = 0, badRows = 0, maxRowSumErr = 0, worstRow = -1, firstNonFinite = null;
  const nnz = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0, k = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = y[i];
      if (!Number.isFinite(v)) { nonFinite++; firstNonFinite ??= { row: r, col: i - r * cols, value: String(v) }; }
      else if (v < 0 || v > 1) outOfRange++;
      if (v > 0) k++;
      s += v;
    }
    nnz[r] = k;
    const d = Math.abs(s - 1);
    if (!(d <= maxRowSumErr) && !Number.isNaN(maxRowSumErr)) { maxRowSumErr = d; worstRow = r; } // NaN sticks
    if (!(d <= SPARSE_SUM_TOL)) badRows++;
  }
  return { nonFinite, firstNonFinite, outOfRange, badRows, maxRowSumErr, worstRow, nnz };
}

async function benchSparseShape(rows, cols, errors) {
  const n = rows * cols, shape = `${rows}x${cols}`;
  const g = gauss(prng(SEED + n)); // the softmax section's seed: s = 2 gives its input exactly
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = g();
  const x = new Float32Array(n);
  const st = { n, rows, cols, funcs: SPARSE_FUNCS, xv: mm.alloc(n), views: {} };
  for (const f of SPARSE_FUNCS) st.views[f.key] = mm.alloc(n);
  refreshViews(st);
  const dists = {};
  for (const d of SPARSE_DISTS) {
    for (let i = 0; i < n; i++) x[i] = d.sigma * z[i];
    refreshViews(st);
    st.xv.set(x);
    // one untimed call each: grows the engine's scratch for this size before anything is timed,
    // and leaves out (and reports) a function that throws
    st.funcs = [];
    for (const f of SPARSE_FUNCS) {
      try {
        mm[f.fn](st.xv, { ...f.extra, cols, out: st.views[f.key] });
        st.funcs.push(f);
      } catch (e) {
        errors.push({ shape, dist: d.label, fn: f.label, call: `mm.${f.fn}(x, ${JSON.stringify({ ...f.extra, cols })} + out)`, error: `${e?.name}: ${e?.message}` });
      }
      refreshViews(st);
    }
    if (!st.funcs.some((f) => f.baseline)) { dists[d.key] = { label: d.label, sigma: d.sigma, skipped: "softmax threw" }; continue; }

    const { cands, reps, ns } = await measure(st, makeSparseCandidates);
    const ratios = {}, verdicts = {};
    for (const f of st.funcs) {
      if (f.baseline) continue;
      ratios[f.key] = summary(ns[f.key].map((v, i) => v / ns.softmax[i]));
      if (d.targets && f.target) verdicts[f.key] = passes(f.target, ratios[f.key].median) ? "PASS" : "MISS";
    }
    const stats = Object.fromEntries(cands.map((c) => [c.key, { label: c.label, reps: reps[c.key], ...summary(ns[c.key]) }]));

    // untimed: check the output of the last timed call, then one call with `support`
    refreshViews(st);
    const checks = {}, support = {};
    for (const f of st.funcs) {
      const y = st.views[f.key];
      const c = checkSparseOutput(y, rows, cols);
      let sup = c.nnz, supportMismatchRows = 0, firstSupportMismatch = null, outputChanged = false, supportError = null;
      if (!f.baseline) { // softmax takes no `support`: its support is count(y > 0)
        const before = y.slice();
        sup = new Int32Array(rows);
        try {
          mm[f.fn](st.xv, { ...f.extra, cols, out: y, support: sup });
          refreshViews(st);
          outputChanged = !bitEqual(st.views[f.key], before);
          for (let r = 0; r < rows; r++)
            if (sup[r] !== c.nnz[r]) { supportMismatchRows++; firstSupportMismatch ??= { row: r, support: sup[r], nnz: c.nnz[r] }; }
        } catch (e) {
          supportError = `${e?.name}: ${e?.message}`;
          errors.push({ shape, dist: d.label, fn: f.label, call: `mm.${f.fn}(x, ${JSON.stringify({ ...f.extra, cols })} + out + support)`, error: supportError });
        }
      }
      let sum = 0, min = Infinity, max = -Infinity;
      for (let r = 0; r < rows; r++) { sum += sup[r]; if (sup[r] < min) min = sup[r]; if (sup[r] > max) max = sup[r]; }
      support[f.key] = { mean: sum / rows, min, max, fraction: sum / rows / cols };
      const { nnz, ...rest } = c;
      const ok = c.nonFinite === 0 && c.outOfRange === 0 && c.badRows === 0 && supportMismatchRows === 0 && !outputChanged && supportError === null;
      checks[f.key] = { ok, ...rest, supportMismatchRows, firstSupportMismatch, outputChangedBySupportCall: outputChanged, supportError };
    }
    const inputUntouched = bitEqual(st.xv, x);
    dists[d.key] = { label: d.label, sigma: d.sigma, stats, ratios, verdicts, support, checks, inputUntouched, samples: ns };
  }
  mm.free(st.xv);
  for (const k of Object.keys(st.views)) mm.free(st.views[k]);
  return { rows, cols, n, dists };
}

const fmtSupport = (mean, cols) => {
  const p = (100 * mean) / cols;
  const pct = mean < cols && p >= 99.5 ? ">99" : p >= 10 ? p.toFixed(0) : p >= 1 ? p.toFixed(1) : p.toPrecision(1);
  return `${mean >= 100 ? grp(Math.round(mean)) : mean.toFixed(1)} (${pct}%)`;
};
/** One line per failed check of a function's output, precise enough to reproduce. */
function sanityProblems(c) {
  const p = [];
  if (c.nonFinite) p.push(`${c.nonFinite} non-finite outputs (first: row ${c.firstNonFinite.row}, col ${c.firstNonFinite.col}: ${c.firstNonFinite.value})`);
  if (c.outOfRange) p.push(`${c.outOfRange} outputs outside [0, 1]`);
  if (c.badRows) p.push(`${c.badRows} rows with |row sum - 1| > ${fmtE(SPARSE_SUM_TOL)} (max ${fmtE(c.maxRowSumErr)} at row ${c.worstRow})`);
  if (c.supportMismatchRows) p.push(`support != count(y > 0) in ${c.supportMismatchRows} rows (first: row ${c.firstSupportMismatch.row}, support ${c.firstSupportMismatch.support}, count ${c.firstSupportMismatch.nnz})`);
  if (c.outputChangedBySupportCall) p.push("the call with `support` gave a different output (bitwise) than the timed call");
  if (c.supportError) p.push(`the call with \`support\` threw ${c.supportError}`);
  return p;
}

function printSparseShape(r) {
  const { rows, cols, n, dists } = r;
  const title = `sparse: ${rows} x ${cols}  (${grp(n)} elements, all zero-copy)`;
  console.log(`\n== ${title} ${"=".repeat(Math.max(0, 60 - title.length))}`);
  for (const [key, d] of Object.entries(dists)) {
    if (d.skipped) { console.log(`  x ~ ${d.label}: skipped (${d.skipped})`); continue; }
    const targets = SPARSE_DISTS.find((e) => e.key === key).targets;
    console.log(`  ${pad(`x ~ ${d.label}`, 20)}${lpad("ns/el", 8)}   ${pad("p10 - p90", 16)}${lpad("reps", 6)}${lpad("/softmax", 10)}   ${pad("p10 - p90", 15)}${pad(targets ? "target" : "", 18)}${lpad("support/row", 17)}${lpad("|sum-1|", 10)}  check`);
    for (const f of SPARSE_FUNCS) {
      const s = d.stats[f.key];
      if (!s) { console.log(`  ${pad(f.label, 20)}${lpad("threw", 8)}   (see the ERROR lines of the sparse summary)`); continue; }
      const q = d.ratios[f.key], c = d.checks[f.key];
      const ratio = q ? `${lpad(fmtX(q.median), 10)}   ${pad(`${q.p10.toFixed(2)} - ${q.p90.toFixed(2)}`, 15)}` : `${lpad("(base)", 10)}   ${pad("", 15)}`;
      const tgt = d.verdicts[f.key] ? `${pad(f.target.target, 9)}${d.verdicts[f.key]}` : f.note ? `(${f.note})` : q ? "(info)" : "";
      console.log(`  ${pad(f.label, 20)}${lpad(fmtNs(s.median), 8)}   ${pad(`${fmtNs(s.p10)} - ${fmtNs(s.p90)}`, 16)}${lpad(s.reps, 6)}${ratio}${pad(tgt, 18)}` +
        `${lpad(fmtSupport(d.support[f.key].mean, cols), 17)}${lpad(fmtE(c.maxRowSumErr), 10)}  ${c.ok ? "ok" : "FAIL"}`);
    }
    for (const f of SPARSE_FUNCS) {
      const c = d.checks[f.key];
      if (c && !c.ok) for (const p of sanityProblems(c)) console.log(`    FAIL ${f.label}: ${p}`);
    }
    if (!d.inputUntouched) console.log("    FAIL zero-copy input was modified by a call");
  }
}

/** Summary tables of the sparse section; returns [passed, total] target verdicts. */
function printSparseSummary(sparse, errors) {
  const names = sparse.map((r) => `${r.rows}x${r.cols}`);
  const colW = Math.max(...names.map((s) => s.length)) + 8, labW = 40;
  const row = (label, f) => console.log(`  ${pad(label, labW)}${sparse.map((r) => lpad(f(r), colW)).join("")}`);
  const cell = (r, d, f, fmt) => { const v = r.dists[d.key]?.[f.key === "softmax" ? "stats" : "ratios"]?.[f.key]; return v ? fmt(v.median) : "-"; };
  const verdicts = [];
  console.log(`\n== sparse summary: ratio to zero-copy softmax (median of per-round ratios) ${"=".repeat(2)}`);
  for (const d of SPARSE_DISTS) {
    console.log(`  ${pad(`x ~ ${d.label}${d.targets ? " (targets)" : " (info)"}`, labW)}${names.map((s) => lpad(s, colW)).join("")}`);
    for (const f of SPARSE_FUNCS) {
      if (f.baseline) continue;
      const t = d.targets && f.target;
      row(`  ${f.label}${t ? ` ${f.target.target}` : f.note && d.targets ? ` (${f.note})` : ""}`, (r) => {
        const q = r.dists[d.key]?.ratios?.[f.key];
        if (!q) return "-";
        if (!t) return fmtX(q.median);
        const v = r.dists[d.key].verdicts[f.key];
        verdicts.push(v === "PASS");
        return `${fmtX(q.median)} ${v}`;
      });
    }
    row("  softmax zero-copy ns/el (info)", (r) => cell(r, d, SPARSE_FUNCS[0], fmtNs));
  }
  console.log(`\n== sparse summary: mean support per row (nonzero outputs; % of cols) ${"=".repeat(2)}`);
  for (const d of SPARSE_DISTS) {
    console.log(`  ${pad(`x ~ ${d.label}`, labW)}${names.map((s) => lpad(s, colW)).join("")}`);
    for (const f of SPARSE_FUNCS) row(`  ${f.label}`, (r) => { const s = r.dists[d.key]?.support?.[f.key]; return s ? fmtSupport(s.mean, r.cols) : "-"; });
  }
  // sanity over everything
  let checked = 0, maxErr = 0;
  const failures = [];
  for (const r of sparse)
    for (const d of Object.values(r.dists)) {
      if (d.skipped) continue;
      if (!d.inputUntouched) failures.push(`${r.rows}x${r.cols} ${d.label}: zero-copy input modified`);
      for (const [k, c] of Object.entries(d.checks)) {
        checked++;
        if (!(c.maxRowSumErr <= maxErr)) maxErr = c.maxRowSumErr;
        if (!c.ok) failures.push(...sanityProblems(c).map((p) => `${SPARSE_FUNCS.find((f) => f.key === k).label}, ${r.rows}x${r.cols}, ${d.label}: ${p}`));
      }
    }
  console.log(`\n  sanity (untimed; finite, in [0, 1], |row sum - 1| <= ${fmtE(SPARSE_SUM_TOL)}, support == count(y > 0), input untouched): ` +
    `${failures.length ? `${failures.length} FAIL` : "all ok"} over ${checked} outputs; max |row sum - 1| = ${fmtE(maxErr)}`);
  for (const f of failures) console.log(`    FAIL ${f}`);
  for (const e of errors) console.log(`    ERROR ${e.fn}, ${e.shape}, ${e.dist}: ${e.call} threw ${e.error}`);
  const passed = verdicts.filter(Boolean).length;
  console.log(`  sparse targets: ${passed}/${verdicts.length} PASS${passed < verdicts.length ? `, ${verdicts.length - passed} MISS` : ""} (on x ~ ${SPARSE_DISTS[0].label}; the other distributions are for information)`);
  return { passed, total: verdicts.length, failures };
}

// ------------------------------------------------------------------ run
const started = performance.now();
{
  // global pre-warm: V8 optimises wasm and JS on background threads; give it time before shape 1
  const rows = 64, cols = 1024, n = rows * cols, x = new Float32Array(n), out = new Float32Array(n);
  const g = gauss(prng(SEED - 1));
  for (let i = 0; i < n; i++) x[i] = 2 * g();
  const sparseCalls = opts.sparse ? SPARSE_FUNCS.filter((f) => !f.baseline).map((f) => [mm[f.fn].bind(mm), { ...f.extra, cols, out }]) : [];
  const t0 = performance.now();
  while (performance.now() - t0 < (opts.quick ? 150 : 300)) {
    if (opts.softmax) jsSoftmax(x, out, rows, cols);
    mm.softmax(x, { cols, out });
    if (opts.softmax) { mm.logSoftmax(x, { cols, out }); mm.multimax(x, { cols, out, params }); }
    for (const [f, o] of sparseCalls) {
      try { f(x, o); } catch { /* reported with its shape and distribution by the sparse section */ }
    }
    sink.value += out[0];
  }
}
const results = [];
let overhead = null, cold = null, softmaxVerdicts = null;
if (opts.softmax) {
  for (const [rows, cols] of SHAPES) {
    const r = await benchShape(rows, cols);
    printShape(r);
    results.push(r);
  }

  // ------------------------------------------------------------------ per-call overhead, cold start
  // Small rows (decode-step sampling): µs per call with a preallocated out, interleaved like above.
  console.log(`\n== per-call overhead (µs per call, preallocated out; median [p10 - p90]) ${"=".repeat(6)}`);
  overhead = [];
  for (const [rows, cols] of [[1, 16], [1, 256], [8, 64]]) {
    const n = rows * cols;
    const x = normals(n, SEED + n), out = new Float32Array(n);
    const so = { cols, out }, mo = { cols, params, out };
    const cands = [
      ["JS softmax", () => jsSoftmax(x, out, rows, cols)],
      ["softmax", () => mm.softmax(x, so)],
      ["multimax", () => mm.multimax(x, mo)],
    ];
    const reps = opts.quick ? 2000 : 5000, samples = cands.map(() => []);
    for (const [, f] of cands) for (let i = 0; i < reps; i++) f();
    for (let r = 0; r < ROUNDS; r++)
      cands.forEach(([, f], k) => {
        const t0 = now();
        for (let i = 0; i < reps; i++) f();
        samples[k].push(Number(now() - t0) / 1e3 / reps);
        sink.value += out[0];
      });
    const row = { shape: `${rows}x${cols}` };
    console.log(`  ${pad(row.shape, 10)}${cands.map(([label], k) => {
      const st = summary(samples[k]);
      row[label] = st;
      return `${label} ${st.median.toFixed(3)} [${st.p10.toFixed(3)} - ${st.p90.toFixed(3)}]`;
    }).join("   ")}`);
    overhead.push(row);
  }
  // Cold start: import to first result in fresh processes (median of 5).
  const coldScript = `const t0 = performance.now(); const { init } = await import(${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)});` +
    ` const mm = await init(); mm.softmax(Float32Array.of(1, 2, 3)); console.log(performance.now() - t0);`;
  const { execFileSync } = await import("node:child_process");
  const colds = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ["--input-type=module", "-e", coldScript], { encoding: "utf8" })));
  cold = summary(colds);
  console.log(`  cold start, import to first result in a fresh process: ${cold.median.toFixed(1)} ms (median of 5, ${cold.p10.toFixed(1)} - ${cold.p90.toFixed(1)})`);

  console.log(`\n== summary ${"=".repeat(56)}`);
  const shapeNames = results.map((r) => `${r.rows}x${r.cols}`);
  const colW = Math.max(...shapeNames.map((s) => s.length)) + 8;
  console.log(`  ${pad("target", 40)}${shapeNames.map((s) => lpad(s, colW)).join("")}`);
  const verdicts = [];
  for (const [key, t] of Object.entries(TARGETS)) {
    const cells = results.map((r) => {
      const v = key === "rowSum" ? r.acc.rowSumErr : r.ratios[key].median;
      const ok = passes(t, v);
      verdicts.push(ok);
      return lpad(`${key === "rowSum" ? fmtE(v) : fmtX(v)} ${ok ? "PASS" : "MISS"}`, colW);
    });
    console.log(`  ${pad(`${t.label} ${t.target}`, 40)}${cells.join("")}`);
  }
  const info = (label, f) => console.log(`  ${pad(label, 40)}${results.map((r) => lpad(f(r), colW)).join("")}`);
  info("logSoftmax / softmax (info)", (r) => fmtX(r.ratios.logSoftmaxOverSoftmax.median));
  info("softmax zero-copy ns/el (info)", (r) => fmtNs(r.stats.softmax_zc.median));
  info("multimax zero-copy ns/el (info)", (r) => fmtNs(r.stats.multimax_zc.median));
  info("JS softmax ns/el (info)", (r) => fmtNs(r.stats.js.median));
  const passed = verdicts.filter(Boolean).length;
  console.log(`  ${passed}/${verdicts.length} checks PASS${passed < verdicts.length ? `, ${verdicts.length - passed} MISS` : ""}; all copying outputs bitwise equal to zero-copy: ${results.every((r) => r.acc.copyEqualsZeroCopy) ? "yes" : "NO"}`);
  softmaxVerdicts = { passed, total: verdicts.length };
}

// ------------------------------------------------------------------ sparse section: run
const sparse = [];
let sparseSummary = null;
const sparseErrors = [];
if (opts.sparse) {
  const t0 = performance.now();
  for (const [rows, cols] of SHAPES) {
    const r = await benchSparseShape(rows, cols, sparseErrors);
    printSparseShape(r);
    sparse.push(r);
  }
  sparseSummary = printSparseSummary(sparse, sparseErrors);
  sparseSummary.seconds = (performance.now() - t0) / 1000;
}

const elapsed = (performance.now() - started) / 1000;
console.log(`${opts.sparse ? "\n" : ""}  reproduce: ${command}   (node ${process.version}, ${cpu}, build ${mm.relaxed ? "relaxed SIMD" : mm.simd ? "SIMD" : "scalar"}, ${elapsed.toFixed(1)} s` +
  `${sparseSummary ? ` of which sparse ${sparseSummary.seconds.toFixed(1)} s` : ""}, checksum ${sink.value.toPrecision(6)})`);
const failed = sparseErrors.length > 0 || (sparseSummary?.failures.length ?? 0) > 0;
if (failed) console.log(`  ERRORS: ${sparseErrors.length} calls threw, ${sparseSummary?.failures.length ?? 0} sanity checks failed (listed above); exit code 1`);

if (opts.json) {
  const doc = {
    command, node: process.version, v8: process.versions.v8, platform: `${process.platform}-${process.arch}`, cpu, cpus: os.cpus().length,
    sections: { softmax: opts.softmax, sparse: opts.sparse },
    simd: mm.simd, rounds: ROUNDS, targetMs: TARGET_MS, seed: SEED, params: { kind: opts.params, raw: { ranges: Array.from(rawParams.ranges), ts: Array.from(rawParams.ts) }, order: params.order },
    targets: Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, t.target])),
    elapsedSeconds: elapsed,
    perCallOverheadMicroseconds: overhead,
    coldStartMs: cold,
    shapes: results.map((r) => ({
      rows: r.rows, cols: r.cols, elements: r.n,
      nsPerElement: r.stats,
      ratios: r.ratios,
      verdicts: Object.fromEntries(Object.entries(TARGETS).map(([k, t]) => [k, passes(t, k === "rowSum" ? r.acc.rowSumErr : r.ratios[k].median) ? "PASS" : "MISS"])),
      accuracy: r.acc,
      samplesNsPerElement: r.samples,
    })),
    sparse: opts.sparse ? {
      method: "zero-copy; x = sigma * z, z ~ N(0, 1) with the seed of the shape (seed + rows * cols); ratios = per-round time / zero-copy softmax time in the same round",
      distributions: SPARSE_DISTS.map(({ key, sigma, label, targets }) => ({ key, sigma, label, targets })),
      functions: SPARSE_FUNCS.map(({ key, fn, extra, label, target, note, baseline }) => ({ key, call: `mm.${fn}`, options: extra, label, target: target?.target ?? null, note: note ?? null, baseline: !!baseline })),
      sumTolerance: SPARSE_SUM_TOL,
      targetsPassed: sparseSummary.passed, targetsTotal: sparseSummary.total,
      sanityFailures: sparseSummary.failures,
      errors: sparseErrors,
      seconds: sparseSummary.seconds,
      shapes: sparse.map((r) => ({
        rows: r.rows, cols: r.cols, elements: r.n,
        distributions: Object.fromEntries(Object.entries(r.dists).map(([k, d]) => [k, d.skipped ? d : {
          label: d.label, sigma: d.sigma,
          nsPerElement: d.stats, ratiosToSoftmax: d.ratios, verdicts: d.verdicts,
          supportPerRow: d.support, sanity: d.checks, inputUntouched: d.inputUntouched,
          samplesNsPerElement: d.samples,
        }])),
      })),
    } : null,
  };
  writeFileSync(opts.json, JSON.stringify(doc, null, 2) + "\n");
  console.log(`  wrote ${opts.json}`);
}
if (failed) process.exitCode = 1;
