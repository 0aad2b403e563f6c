// Benchmark (a report, not a test): multimax-wasm's softmax / logSoftmax / multimax, zero-copy and
// copying, against a tight plain-JS softmax; then the sparse normalisers (sparsemax, entmax15,
// alpha-entmax, normmax, evSoftmax) against our zero-copy softmax; then the backward passes and
// sparsemaxLoss against our own forwards; then fused attention (mm.attention, attentionBackward)
// against onnxruntime-web and tfjs-wasm; all in one process.
//
//   npm run bench                      (builds if needed, then runs this file: all four sections)
//   node bench/bench.mjs [--quick] [--json results.json] [--params checkpoint|random]
//                        [--rounds N] [--target-ms M]
//                        [--sparse-only | --backward-only | --attention-only | --no-sparse]
//                        [--no-backward] [--no-attention]
//
//   --quick           fewer rounds (11 instead of 31; attention: 5 instead of 9), shorter samples
//                     and warm-ups, every section
//   --sparse-only     only the sparse section (skips softmax/multimax, per-call overhead, cold start)
//   --backward-only   only the backward section
//   --attention-only  only the attention section (bench/attention.mjs: its method is described there)
//   --no-sparse       only the softmax/multimax section (the benchmark as it was before the sparse one)
//   --no-backward     every section but the backward one
//   --no-attention    every section but the attention one
//   (--rounds and --target-ms apply to the attention section too when given)
//   Run time on the 2-core dev machine: default about 100 s (of which the sparse section about
//   75 s; --no-sparse about 25 s), --quick about 25 s (--quick --sparse-only about 17 s), plus the
//   backward section's about 20 s (--quick: 4 s), plus the attention section's about 2 minutes
//   (--quick: about 70 s).
//
// Attention section (bench/attention.mjs): shapes (B, H, Lq, Lk, D) = (1, 8, 128|512|1024, same, 64)
// and decode (1, 8, 1, 1024|4096, 64), Dv = D; ns per (query, key) score per head; ours (zero-copy
// views, and softmax also from plain Float32Arrays) against the fastest of onnxruntime-web's
// MatMul/Softmax/MatMul graphs, com.microsoft MultiHeadAttention and opset-23 Attention (wasm, one
// thread), and against tfjs-wasm (one thread) softmax attention and MultiMax composed from its ops,
// per head and batched, and tf.grads of both; every competitor's output checked against a float64
// reference and against ours (max |y - ref| / max |ref| <= 1e-4) before it is timed.
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
// Backward section (BACKWARD_SHAPES, all zero-copy): each backward pass timed beside the forward it
// differentiates, ratios per round against this library's own zero-copy forward: softmaxBackward,
// logSoftmaxBackward, sparsemaxBackward, entmax15Backward, entmaxBackward (α = 1.25) against
// softmax; multimaxBackward (given y, so the forward is not recomputed; dParams summed) against
// multimax; sparsemaxLoss with { grad: true } (loss and gradient) against sparsemax. x ~ N(0, 2²)
// as above, dy ~ N(0, 1), targets uniform class indices; every y is the forward's output for x,
// computed once before timing. Outside timing each dx is checked: finite, 0 where y = 0 (the sparse
// maps), and rows summing to 0 (every map here but MultiMax: its dx is the softmax VJP times φ');
// each loss finite and ≥ 0; dParams finite.
// Exit code: 0 whenever the run completes (missed targets are reported, not failures); 1 on errors
// (a normaliser or backward pass that throws, or a failed sparse or backward sanity check: all are
// reported precisely).
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
  const o = { quick: false, json: null, params: "checkpoint", rounds: null, targetMs: null, softmax: true, sparse: true, backward: true, attention: true };
  let only = 0;
  eachArg(argv, (a, val, is) => {
    if (a === "--quick") o.quick = true;
    else if (a === "--sparse-only") { o.softmax = false; o.backward = false; o.attention = false; only++; }
    else if (a === "--backward-only") { o.softmax = false; o.sparse = false; o.attention = false; only++; }
    else if (a === "--attention-only") { o.softmax = false; o.sparse = false; o.backward = false; only++; }
    else if (a === "--no-sparse") { o.sparse = false; o.backward = false; o.attention = false; only++; }
    else if (a === "--no-backward") o.backward = false;
    else if (a === "--no-attention") o.attention = false;
    else if (is("--json")) o.json = val();
    else if (is("--params")) o.params = val();
    else if (is("--rounds")) o.rounds = Number(val());
    else if (is("--target-ms")) o.targetMs = Number(val());
    else if (a === "--help" || a === "-h") {
      console.log("usage: node bench/bench.mjs [--quick] [--json FILE] [--params checkpoint|random] [--rounds N] [--target-ms M] [--sparse-only | --backward-only | --attention-only | --no-sparse] [--no-backward] [--no-attention]");
      process.exit(0);
    } else throw new Error(`unknown argument ${JSON.stringify(a)} (try --help)`);
  });
  if (only > 1) throw new Error("--sparse-only, --backward-only, --attention-only and --no-sparse exclude each other");
  if (!o.softmax && !o.sparse && !o.backward && !o.attention) throw new Error("--backward-only and --no-backward (or --attention-only and --no-attention) exclude each other");
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
// Backward section: each candidate's ratio is taken against the forward named by `base` (a
// candidate itself), in the same round. `y`: which forward's output the backward reads.
const BACKWARD_SHAPES = [[64, 1000], [256, 128], [16, 4096]];
const BACKWARD_FUNCS = [
  { key: "softmax", label: "softmax (forward)", forward: true },
  { key: "multimax", label: "multimax (forward)", forward: true },
  { key: "sparsemax", label: "sparsemax (forward)", forward: true },
  { key: "softmaxBackward", label: "softmaxBackward", y: "softmax", base: "softmax", target: { max: 0.6, target: "<= 0.6x" } },
  { key: "logSoftmaxBackward", label: "logSoftmaxBackward", y: "logSoftmax", base: "softmax", target: { max: 0.6, target: "<= 0.6x" } },
  { key: "sparsemaxBackward", label: "sparsemaxBackward", y: "sparsemax", base: "softmax", target: { max: 0.6, target: "<= 0.6x" } },
  { key: "entmax15Backward", label: "entmax15Backward", y: "entmax15", base: "softmax", target: { max: 0.75, target: "<= 0.75x" } },
  { key: "entmaxBackward1.25", label: "entmaxBackward a=1.25", y: "entmax1.25", base: "softmax", target: { max: 2, target: "<= 2x" } },
  { key: "multimaxBackward", label: "multimaxBackward (y given)", y: "multimax", base: "multimax", target: { max: 1.25, target: "<= 1.25x" } },
  { key: "sparsemaxLoss", label: "sparsemaxLoss {grad: true}", base: "sparsemax", target: { max: 1.5, target: "<= 1.5x" } },
];
// the forwards whose outputs the backward passes read (computed once per shape, untimed)
const BACKWARD_Y = {
  softmax: (x, o) => mm.softmax(x, o),
  logSoftmax: (x, o) => mm.logSoftmax(x, o),
  sparsemax: (x, o) => mm.sparsemax(x, o),
  entmax15: (x, o) => mm.entmax15(x, o),
  "entmax1.25": (x, o) => mm.entmax(x, { ...o, alpha: 1.25 }),
  multimax: (x, o) => mm.multimax(x, { ...o, params }),
};

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
console.log(`  sections: ${[opts.softmax && "softmax/multimax", opts.sparse && "sparse", opts.backward && "backward", opts.attention && "attention"].filter(Boolean).join(", ")}`);
console.log(`  method  : x ~ N(0, 2^2) float32 (seed 0x${SEED.toString(16)}), ${ROUNDS} interleaved rounds, ~${TARGET_MS} ms per timed sample;`);
console.log(`            ns/el = median over rounds [p10 - p90]; ratios = median [p10 - p90] of per-round ratios`);
if (opts.sparse)
  console.log(`  sparse  : zero-copy, x = s * z for s = ${SPARSE_DISTS.map((d) => d.sigma).join(", ")} (${SPARSE_DISTS.map((d) => d.label).join(", ")}), same z; ratios to zero-copy softmax per round`);
if (opts.backward)
  console.log(`  backward: zero-copy on ${BACKWARD_SHAPES.map(([r, c]) => `${r}x${c}`).join(", ")}, x ~ N(0, 2^2), dy ~ N(0, 1); each backward's time / its forward's (softmax, multimax or sparsemax) in the same round`);

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

// ------------------------------------------------------------------ backward section
/** One call of a backward-section candidate, over the current views of st (rebuilt when memory
 *  growth detaches them); returns the array it wrote (its output, read by the timed loop). */
function backwardCall(key, st) {
  const { cols, xv, views } = st, out = views[`out:${key}`], dy = views.dy, y = (k) => views[`y:${k}`];
  const keep = (r) => { st.last[key] = r; return out; }; // (the returned object stays reachable: nothing is optimised away)
  switch (key) {
    case "softmax": { const o = { cols, out }; return () => keep(mm.softmax(xv, o)); }
    case "multimax": { const o = { cols, params, out }; return () => keep(mm.multimax(xv, o)); }
    case "sparsemax": { const o = { cols, out }; return () => keep(mm.sparsemax(xv, o)); }
    case "softmaxBackward": { const o = { cols, out }, yv = y("softmax"); return () => keep(mm.softmaxBackward(yv, dy, o)); }
    case "logSoftmaxBackward": { const o = { cols, out }, yv = y("logSoftmax"); return () => keep(mm.logSoftmaxBackward(yv, dy, o)); }
    case "sparsemaxBackward": { const o = { cols, out }, yv = y("sparsemax"); return () => keep(mm.sparsemaxBackward(yv, dy, o)); }
    case "entmax15Backward": { const o = { cols, out }, yv = y("entmax15"); return () => keep(mm.entmax15Backward(yv, dy, o)); }
    case "entmaxBackward1.25": { const o = { cols, alpha: 1.25, out }, yv = y("entmax1.25"); return () => keep(mm.entmaxBackward(yv, dy, o)); }
    case "multimaxBackward": { const o = { cols, params, y: y("multimax"), out }; return () => keep(mm.multimaxBackward(xv, dy, o)); }
    case "sparsemaxLoss": { const o = { cols, grad: true, out, loss: st.loss }; return () => keep(mm.sparsemaxLoss(xv, st.targets, o)); }
    default: throw new Error(`backward section: no call for ${key}`);
  }
}
/** The call as a user would write it, for error reports. */
const backwardCallText = (key) => ({
  softmax: "mm.softmax(x, { cols, out })", multimax: "mm.multimax(x, { cols, params, out })", sparsemax: "mm.sparsemax(x, { cols, out })",
  softmaxBackward: "mm.softmaxBackward(y, dy, { cols, out })", logSoftmaxBackward: "mm.logSoftmaxBackward(y, dy, { cols, out })",
  sparsemaxBackward: "mm.sparsemaxBackward(y, dy, { cols, out })", entmax15Backward: "mm.entmax15Backward(y, dy, { cols, out })",
  "entmaxBackward1.25": "mm.entmaxBackward(y, dy, { cols, alpha: 1.25, out })", multimaxBackward: "mm.multimaxBackward(x, dy, { cols, params, y, out })",
  sparsemaxLoss: "mm.sparsemaxLoss(x, targets, { cols, grad: true, out, loss })",
})[key];

function makeBackwardCandidates(st) {
  const pick = pickIndex(st.n);
  return st.funcs.map((f) => {
    const call = backwardCall(f.key, st);
    return { key: f.key, label: f.label, run: (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += call()[pick(r)]; return s; } };
  });
}

/** Untimed checks of one backward candidate's output (see the header). */
function checkBackward(f, st) {
  const { rows, cols, views } = st, dx = views[`out:${f.key}`], problems = [];
  if (f.forward) return { ok: true, problems };
  const y = f.y ? views[`y:${f.y}`] : null;
  let nonFinite = 0, leaks = 0, badRows = 0, maxRel = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0, a = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) {
      const v = dx[i];
      if (!Number.isFinite(v)) nonFinite++;
      if (y && f.y !== "softmax" && f.y !== "logSoftmax" && f.y !== "multimax" && y[i] === 0 && v !== 0) leaks++;
      s += v; a += Math.abs(v);
    }
    const rel = Math.abs(s) / (1 + a);
    if (!(rel <= maxRel)) maxRel = rel;
    if (f.key !== "multimaxBackward" && !(rel <= 1e-5)) badRows++;
  }
  if (nonFinite) problems.push(`${nonFinite} non-finite dx entries`);
  if (leaks) problems.push(`${leaks} entries with y = 0 but dx != 0`);
  if (badRows) problems.push(`${badRows} rows whose dx does not sum to 0 (max |sum| / (1 + sum |dx|) = ${fmtE(maxRel)})`);
  const last = st.last[f.key];
  if (f.key === "multimaxBackward") {
    const d = last?.dParams;
    const vals = d ? [...(d.ranges ?? []), ...(d.ts ?? [])] : [];
    if (vals.length !== 8 || !vals.every(Number.isFinite)) problems.push(`dParams is not { ranges: 4 finite numbers, ts: 4 finite numbers }: ${JSON.stringify(d)}`);
    if (last?.dx !== dx) problems.push("the result's dx is not the `out` view");
  }
  if (f.key === "sparsemaxLoss") {
    const loss = last?.loss;
    if (!loss || loss.length !== rows) problems.push(`loss has ${loss?.length} entries, expected ${rows}`);
    else if (!Array.from(loss).every((v) => Number.isFinite(v) && v >= -1e-6)) problems.push("a loss is not finite or is negative");
    if (last?.grad !== dx) problems.push("the result's grad is not the `out` view");
  }
  return { ok: problems.length === 0, problems, maxRowSumRel: maxRel };
}

async function benchBackwardShape(rows, cols, errors) {
  const n = rows * cols, shape = `${rows}x${cols}`;
  const x = normals(n, SEED + n), dyv = normals(n, SEED + n + 1, 1);
  const rand = prng(SEED ^ n);
  const st = { n, rows, cols, xv: mm.alloc(n), views: {}, last: {}, loss: new Float32Array(rows), targets: new Int32Array(rows), funcs: [] };
  for (let r = 0; r < rows; r++) st.targets[r] = Math.floor(rand() * cols);
  st.views.dy = mm.alloc(n);
  for (const k of Object.keys(BACKWARD_Y)) st.views[`y:${k}`] = mm.alloc(n);
  for (const f of BACKWARD_FUNCS) st.views[`out:${f.key}`] = mm.alloc(n);
  refreshViews(st);
  st.xv.set(x);
  st.views.dy.set(dyv);
  for (const [k, fwd] of Object.entries(BACKWARD_Y)) {
    try { fwd(st.xv, { cols, out: st.views[`y:${k}`] }); } catch (e) { errors.push({ shape, fn: `${k} (forward, for y)`, call: `mm.${k}(x, ...)`, error: `${e?.name}: ${e?.message}` }); }
    refreshViews(st);
  }
  // one untimed call each: grows the scratch for this size, and leaves out (and reports) a function that throws
  for (const f of BACKWARD_FUNCS) {
    try {
      backwardCall(f.key, st)();
      st.funcs.push(f);
    } catch (e) {
      errors.push({ shape, fn: f.label, call: backwardCallText(f.key), error: `${e?.name}: ${e?.message}` });
    }
    refreshViews(st);
  }
  const have = new Set(st.funcs.map((f) => f.key));
  const res = { rows, cols, n, stats: {}, ratios: {}, verdicts: {}, checks: {}, samples: null };
  if (st.funcs.length > 0) {
    const { cands, reps, ns } = await measure(st, makeBackwardCandidates);
    for (const f of st.funcs) {
      if (f.forward || !have.has(f.base)) continue;
      res.ratios[f.key] = summary(ns[f.key].map((v, i) => v / ns[f.base][i]));
      res.verdicts[f.key] = passes(f.target, res.ratios[f.key].median) ? "PASS" : "MISS";
    }
    res.stats = Object.fromEntries(cands.map((c) => [c.key, { label: c.label, reps: reps[c.key], ...summary(ns[c.key]) }]));
    res.samples = ns;
    refreshViews(st);
    for (const f of st.funcs) { backwardCall(f.key, st)(); res.checks[f.key] = checkBackward(f, st); } // (the last call's result, then checked)
    res.inputUntouched = bitEqual(st.xv, x) && bitEqual(st.views.dy, dyv);
  }
  mm.free(st.xv);
  for (const k of Object.keys(st.views)) mm.free(st.views[k]);
  return res;
}

function printBackwardShape(r) {
  const { rows, cols, n } = r;
  const title = `backward: ${rows} x ${cols}  (${grp(n)} elements, all zero-copy)`;
  console.log(`\n== ${title} ${"=".repeat(Math.max(0, 60 - title.length))}`);
  console.log(`  ${pad("candidate", 28)}${lpad("ns/el", 8)}   ${pad("p10 - p90", 16)}${lpad("reps", 6)}   ${pad("ratio to forward", 26)}${pad("p10 - p90", 14)}${pad("target", 15)}check`);
  for (const f of BACKWARD_FUNCS) {
    const s = r.stats[f.key];
    if (!s) { console.log(`  ${pad(f.label, 28)}${lpad("threw", 8)}   (see the ERROR lines of the backward summary)`); continue; }
    const q = r.ratios[f.key], c = r.checks[f.key];
    const ratio = f.forward ? pad("(forward)", 40) : q ? `${pad(`${fmtX(q.median)} of ${f.base}`, 26)}${pad(`${q.p10.toFixed(2)} - ${q.p90.toFixed(2)}`, 14)}` : pad(`(${f.base} threw)`, 40);
    const tgt = f.target ? pad(`${f.target.target} ${r.verdicts[f.key] ?? "-"}`, 15) : pad("", 15);
    console.log(`  ${pad(f.label, 28)}${lpad(fmtNs(s.median), 8)}   ${pad(`${fmtNs(s.p10)} - ${fmtNs(s.p90)}`, 16)}${lpad(s.reps, 6)}   ${ratio}${tgt}${f.forward ? "" : c?.ok ? "ok" : "FAIL"}`);
  }
  for (const f of BACKWARD_FUNCS) for (const p of r.checks[f.key]?.problems ?? []) console.log(`    FAIL ${f.label}: ${p}`);
  if (r.inputUntouched === false) console.log("    FAIL a call modified x or dy");
}

/** The summary table of the backward section; returns its verdict counts and failures. */
function printBackwardSummary(results, errors) {
  const names = results.map((r) => `${r.rows}x${r.cols}`);
  const colW = Math.max(...names.map((s) => s.length)) + 8, labW = 52;
  console.log(`\n== backward summary: time / the forward's time (median of per-round ratios) ${"=".repeat(2)}`);
  console.log(`  ${pad("target", labW)}${names.map((s) => lpad(s, colW)).join("")}`);
  let passed = 0, total = 0;
  for (const f of BACKWARD_FUNCS) {
    if (f.forward) continue;
    const cells = results.map((r) => {
      const q = r.ratios[f.key];
      if (!q) return lpad("-", colW);
      total++;
      if (r.verdicts[f.key] === "PASS") passed++;
      return lpad(`${fmtX(q.median)} ${r.verdicts[f.key]}`, colW);
    });
    console.log(`  ${pad(`${f.label} / ${f.base} ${f.target.target}`, labW)}${cells.join("")}`);
  }
  for (const f of BACKWARD_FUNCS.filter((g) => g.forward))
    console.log(`  ${pad(`${f.label} ns/el (info)`, labW)}${results.map((r) => lpad(r.stats[f.key] ? fmtNs(r.stats[f.key].median) : "-", colW)).join("")}`);
  const failures = [];
  for (const r of results) {
    if (r.inputUntouched === false) failures.push(`${r.rows}x${r.cols}: a call modified x or dy`);
    for (const [k, c] of Object.entries(r.checks)) for (const p of c.problems) failures.push(`${BACKWARD_FUNCS.find((f) => f.key === k).label}, ${r.rows}x${r.cols}: ${p}`);
  }
  const expected = results.length * BACKWARD_FUNCS.filter((f) => !f.forward).length;
  console.log(`\n  sanity (untimed; dx finite, 0 where y = 0, rows of dx summing to 0 but MultiMax's; losses finite and >= 0; dParams finite): ${failures.length ? `${failures.length} FAIL` : "all ok"}`);
  for (const f of failures) console.log(`    FAIL ${f}`);
  for (const e of errors) console.log(`    ERROR ${e.fn}, ${e.shape}: ${e.call} threw ${e.error}`);
  console.log(`  backward targets: ${passed}/${total} PASS${passed < total ? `, ${total - passed} MISS` : ""}${total < expected ? ` (${expected - total} not measured: a call threw)` : ""}`);
  return { passed, total, failures };
}

// ------------------------------------------------------------------ run
const started = performance.now();
{
  // global pre-warm: V8 optimises wasm and JS on background threads; give it time before shape 1
  const rows = 64, cols = 1024, n = rows * cols, x = new Float32Array(n), out = new Float32Array(n);
  const g = gauss(prng(SEED - 1));
  for (let i = 0; i < n; i++) x[i] = 2 * g();
  const sparseCalls = opts.sparse ? SPARSE_FUNCS.filter((f) => !f.baseline).map((f) => [mm[f.fn].bind(mm), { ...f.extra, cols, out }]) : [];
  // backward section: its calls on y = each forward's output for x, dy = x / 2
  const backwardCalls = [];
  if (opts.backward) {
    const ys = {}, dy = x.map((v) => v / 2), dx = new Float32Array(n), targets = new Int32Array(rows).map((_, r) => (r * 37) % cols);
    for (const [k, f] of Object.entries(BACKWARD_Y)) { ys[k] = new Float32Array(n); try { f(x, { cols, out: ys[k] }); } catch { /* reported by the backward section */ } }
    backwardCalls.push(
      () => mm.softmaxBackward(ys.softmax, dy, { cols, out: dx }), () => mm.logSoftmaxBackward(ys.logSoftmax, dy, { cols, out: dx }),
      () => mm.sparsemaxBackward(ys.sparsemax, dy, { cols, out: dx }), () => mm.entmax15Backward(ys.entmax15, dy, { cols, out: dx }),
      () => mm.entmaxBackward(ys["entmax1.25"], dy, { cols, alpha: 1.25, out: dx }), () => mm.multimaxBackward(x, dy, { cols, params, y: ys.multimax, out: dx }),
      () => mm.sparsemaxLoss(x, targets, { cols, grad: true, out: dx }), () => mm.multimax(x, { cols, params, out: dx }), () => mm.sparsemax(x, { cols, out: dx }));
  }
  const t0 = performance.now();
  while (performance.now() - t0 < (opts.quick ? 150 : 300)) {
    if (opts.softmax) jsSoftmax(x, out, rows, cols);
    mm.softmax(x, { cols, out });
    if (opts.softmax) { mm.logSoftmax(x, { cols, out }); mm.multimax(x, { cols, out, params }); }
    for (const [f, o] of sparseCalls) {
      try { f(x, o); } catch { /* reported with its shape and distribution by the sparse section */ }
    }
    for (const f of backwardCalls) {
      try { f(); } catch { /* reported with its shape by the backward section */ }
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

// ------------------------------------------------------------------ backward section: run
const backward = [];
let backwardSummary = null;
const backwardErrors = [];
if (opts.backward) {
  const t0 = performance.now();
  for (const [rows, cols] of BACKWARD_SHAPES) {
    const r = await benchBackwardShape(rows, cols, backwardErrors);
    printBackwardShape(r);
    backward.push(r);
  }
  backwardSummary = printBackwardSummary(backward, backwardErrors);
  backwardSummary.seconds = (performance.now() - t0) / 1000;
}

// ------------------------------------------------------------------ attention section: run
let attention = null;
if (opts.attention) {
  const { runAttention } = await import("./attention.mjs");
  attention = await runAttention({ mm, quick: opts.quick, rounds: opts.rounds, targetMs: opts.targetMs });
}

const elapsed = (performance.now() - started) / 1000;
const sectionTimes = [sparseSummary && `sparse ${sparseSummary.seconds.toFixed(1)} s`, backwardSummary && `backward ${backwardSummary.seconds.toFixed(1)} s`,
  attention && `attention ${attention.seconds.toFixed(1)} s`].filter(Boolean);
console.log(`${opts.sparse || opts.backward || opts.attention ? "\n" : ""}  reproduce: ${command}   (node ${process.version}, ${cpu}, build ${mm.relaxed ? "relaxed SIMD" : mm.simd ? "SIMD" : "scalar"}, ${elapsed.toFixed(1)} s` +
  `${sectionTimes.length ? ` of which ${sectionTimes.join(", ")}` : ""}, checksum ${sink.value.toPrecision(6)})`);
const threw = sparseErrors.length + backwardErrors.length, insane = (sparseSummary?.failures.length ?? 0) + (backwardSummary?.failures.length ?? 0);
const attentionWrong = attention ? attention.mismatches.length + attention.errors.filter((e) => !e.includes("unsupported by this onnxruntime-web build")).length : 0;
const failed = threw > 0 || insane > 0 || attentionWrong > 0;
if (failed) console.log(`  ERRORS: ${threw} calls threw, ${insane} sanity checks failed${attention ? `, ${attentionWrong} attention mismatches or errors` : ""} (listed above); exit code 1`);

if (opts.json) {
  const doc = {
    command, node: process.version, v8: process.versions.v8, platform: `${process.platform}-${process.arch}`, cpu, cpus: os.cpus().length,
    sections: { softmax: opts.softmax, sparse: opts.sparse, backward: opts.backward, attention: opts.attention },
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
    backward: opts.backward ? {
      method: "zero-copy; x ~ N(0, 2^2) with the seed of the shape (seed + rows * cols), dy ~ N(0, 1) (seed + rows * cols + 1); ratios = per-round time / the time of the forward named by `base` in the same round",
      functions: BACKWARD_FUNCS.map(({ key, label, y, base, forward, target }) => ({ key, label, call: backwardCallText(key), y: y ?? null, base: base ?? null, forward: !!forward, target: target?.target ?? null })),
      targetsPassed: backwardSummary.passed, targetsTotal: backwardSummary.total,
      sanityFailures: backwardSummary.failures,
      errors: backwardErrors,
      seconds: backwardSummary.seconds,
      shapes: backward.map((r) => ({
        rows: r.rows, cols: r.cols, elements: r.n,
        nsPerElement: r.stats, ratiosToForward: r.ratios, verdicts: r.verdicts, sanity: r.checks, inputUntouched: r.inputUntouched ?? null,
        samplesNsPerElement: r.samples,
      })),
    } : null,
    attention,
  };
  writeFileSync(opts.json, JSON.stringify(doc, null, 2) + "\n");
  console.log(`  wrote ${opts.json}`);
}
if (failed) process.exitCode = 1;
