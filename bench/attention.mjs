// Attention section of the benchmark (a report, not a test): multimax-wasm's fused attention
// (mm.attention, mm.attentionBackward) against onnxruntime-web and tfjs-wasm, one thread each, all
// in one Node.js process. Run by bench/bench.mjs (default, or --attention-only), or on its own:
//
//   node bench/attention.mjs [--quick] [--rounds N] [--target-ms M] [--shapes 128,512,1024,d1024,d4096] [--json FILE]
//
// Shapes (B, H, Lq, Lk, D), Dv = D: prefill (1,8,128,128,64), (1,8,512,512,64), (1,8,1024,1024,64);
// decode (1,8,1,1024,64), (1,8,1,4096,64). q, k, v, dOut ~ N(0, 1) float32 (fixed seeds), scale
// 1/sqrt(D). Times are reported in ns per (query, key) score per head: time / (B·H·Lq·Lk); GFLOP/s
// counts 2·B·H·Lq·Lk·(D + Dv) flops per call (the two matrix products).
//
// Candidates (every one returns its output to JavaScript):
//   ours      mm.attention with q, k, v and out as mm.alloc views (zero-copy): softmax, MultiMax
//             (params prepared once with mm.multimaxParams), sparsemax, entmax15; softmax with plain
//             Float32Array inputs and no `out` (copies in, returns a new array); mm.attentionBackward
//             (zero-copy inputs, dOut ~ N(0, 1)) for softmax and MultiMax: dq, dk, dv (+ dParams).
//   ORT       onnxruntime-web, wasm EP, numThreads 1, models built by bench/onnx-attention.mjs:
//             MatMul/Softmax/MatMul graphs (K pre-transposed as an input, scale on Q or on the scores;
//             or K as is with a Transpose node), com.microsoft MultiHeadAttention (inputs in its
//             [B, L, H·D] layout, prepared untimed; output left in [B, Lq, H·Dv]), opset-23
//             Attention; session.run from Float32Arrays, output read as .data (ORT copies the inputs
//             into its memory on every run: its API has no zero-copy path).
//   tfjs      @tensorflow/tfjs-backend-wasm (XNNPACK; its non-threaded SIMD binary only: one
//             thread); q, k, v uploaded once as tensors (K also pre-transposed per head); the
//             output read with dataSync(): softmax attention per head (8 matMul/softmax/matMul
//             chains on Kᵀ) and batched ([B·H, L, D] matMul with transposeB); MultiMax composed from
//             tfjs ops, per head and batched; tf.grads of the composed softmax and MultiMax
//             attention w.r.t. q, k (Kᵀ per head), v, per head and batched, with dataSync of the
//             gradients. For information: softmax per head with Kᵀ and V uploaded as new tensors
//             on every call (XNNPACK caches a matMul's packed right-hand side per tensor, so the
//             persistent tensors above are packed once; a KV cache that grows every step is not).
//   Each competitor's fastest alternative (lowest median) is the one the targets use. Pre-selection:
//   an alternative more than 1.5x slower, timed alone, than the best of its group is not timed in
//   the rounds (its alone time is printed); in a group whose calls take over 300 ms (tf.grads at
//   L >= 512) only the best is kept; a candidate whose calls take over a second (tf.grads at
//   L = 1024) runs in 3 rounds only (--quick: 1), one call each. An alternative 1.25x or more
//   slower than the fastest of its group at a prefill shape, where its call took 50 ms or more, is
//   not run at the next (larger) prefill shape (printed as "not run", with the reason): the
//   batched tfjs variants take 1-9 s a call at L = 1024.
// Method: first a pre-warm (1.5 s, --quick 0.7 s: every library's paths on a small shape, so that
// V8's background tier-up of their wasm is done). Then, per shape, every candidate's first call is
// checked (untimed) against a float64 reference (forward: 32 sampled query rows of every head;
// backward: all of head (0, 0)) and, for the competitors, element by element against ours (when
// ours passed): max |y − ref| / max |ref| <= 1e-4. A competitor that fails is reported (MISMATCH)
// and not timed; ours is reported and still timed (and a second call is checked too, to tell a
// state-dependent bug). Then each candidate is warmed up, its repetitions calibrated to ~target-ms
// per sample (at least one call), and R rounds (more, up to 3R, for shapes whose round is short)
// run every candidate once, interleaved, each round starting one candidate later (bench/
// harness.mjs's scheme); ratios are computed within each round and summarised as median [p10 -
// p90]. The peak: the best tfjs-wasm 2-D matMul 1024×1024×1024 (kernel time, no readback) of 8
// calls before the shapes and 8 after, in this run (onnxruntime-web's MatMul of that size, with
// its copies, printed beside it for information). Ours can exceed it: it is tfjs's best, not the
// hardware's.
// Run time on the 2-core dev machine: default about 2 minutes, --quick about 70 s (most of it
// tf.grads at L >= 512: 0.6 s a call at 512, 4-5 s at 1024).
import os from "node:os";
import { writeFileSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { eachArg, normals, summary, pad, lpad, fmtX, grp, sink, now, pickIndex } from "./harness.mjs";
import { matmulModel, mhaModel, attentionModel, matmul2dModel } from "./onnx-attention.mjs";
import { sparsemaxRef, entmax15Ref } from "../tests/reference.mjs";

const require = createRequire(import.meta.url);

export const ATTENTION_SHAPES = [
  { key: "128", kind: "prefill", B: 1, H: 8, Lq: 128, Lk: 128, D: 64 },
  { key: "512", kind: "prefill", B: 1, H: 8, Lq: 512, Lk: 512, D: 64 },
  { key: "1024", kind: "prefill", B: 1, H: 8, Lq: 1024, Lk: 1024, D: 64 },
  { key: "d1024", kind: "decode", B: 1, H: 8, Lq: 1, Lk: 1024, D: 64 },
  { key: "d4096", kind: "decode", B: 1, H: 8, Lq: 1, Lk: 4096, D: 64 },
];
const shapeName = (s) => (s.kind === "decode" ? `decode 1x${s.Lk}` : `prefill ${s.Lq}`);
const SEED = 0xa77e2024;
// MultiMax parameters (second order): z = s + 0.1·relu(−1 − s) + 0.1·relu(s − 1) + 0.05·relu(−2 − s)² + 0.05·relu(s − 2)²
export const ATTENTION_PARAMS = { ranges: [-1, 1, -2, 2], ts: [0.1, 0.1, 0.05, 0.05] };
const TOL = 1e-4; // max |y − ref| / max |ref|
const PRESELECT = 1.5; // alternatives slower than this factor times the best of their group are not timed in the rounds
const CARRY = 1.25, CARRY_MS = 50; // ... and those this factor slower than the fastest, at this many ms a call or more, are not run at the next prefill shape
const SOLO_MS = 300; // in a group of alternatives whose calls take this long, only the best of the pre-selection is timed in the rounds
const SLOW_MS = 1000, SLOW_ROUNDS = 3; // candidates whose one call takes over a second: 3 rounds (--quick: 1) (tf.grads at L = 1024)

// Targets per shape. `min`: a ratio theirs / ours (>=); `max`: a ratio of two of ours (<=).
const prefillOr = (s, l128, lBig, decode) => (s.kind === "decode" ? decode : s.Lq <= 128 ? l128 : lBig);
export const ATTENTION_TARGETS = [
  { key: "ortSoftmax", label: "ORT fastest / ours softmax", text: ">= 1.25x; decode >= 3x", min: (s) => prefillOr(s, 1.25, 1.25, 3) },
  { key: "tfSoftmax", label: "tfjs fastest / ours softmax", text: ">= 1.5x at 128, 1x; dec. 5x", min: (s) => prefillOr(s, 1.5, 1.0, 5) },
  { key: "tfMultimax", label: "tfjs MultiMax ops / ours MultiMax", text: ">= 1.5x at 128, 1.25x; dec. 5x", min: (s) => prefillOr(s, 1.5, 1.25, 5) },
  { key: "mmOverSm", label: "ours MultiMax / ours softmax", text: "<= 1.15x", max: () => 1.15 },
  { key: "spOverSm", label: "ours sparsemax / ours softmax", text: "<= 1.5x", max: () => 1.5 },
  { key: "e15OverSm", label: "ours entmax15 / ours softmax", text: "<= 1.5x", max: () => 1.5 },
  { key: "bwdSm", label: "ours backward / forward, softmax", text: "<= 3x", max: () => 3 },
  { key: "bwdMm", label: "ours backward / forward, MultiMax", text: "<= 3x", max: () => 3 },
];
/** "met" or "missed by X%", X = how much faster ours would have to be (the time factor still needed). */
export function verdict(t, v) {
  if (!Number.isFinite(v)) return "n/a";
  const pct = (x) => `missed by ${x < 9.95 ? x.toFixed(1) : x.toFixed(0)}%`;
  if (t.min !== undefined) return v >= t.min ? "met" : pct((t.min / v - 1) * 100);
  return v <= t.max ? "met" : pct((v / t.max - 1) * 100);
}

// ------------------------------------------------------------------ small helpers
const fmtNs = (v) => (!Number.isFinite(v) ? "-" : v >= 100 ? v.toFixed(1) : v >= 10 ? v.toFixed(2) : v.toFixed(3));
const fmtMs = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const fmtErr = (v) => (v === null || v === undefined ? "-" : Number.isNaN(v) ? "NaN" : v.toExponential(1));
/** max |a − ref| / max |ref| over the entries idx(i) of a flat array (all when idx is null); NaN
 *  when a has a non-finite entry there (or a has the wrong length). */
function relErr(a, ref, idx = null) {
  let m = 0, r = 0;
  const n = idx ? idx.length : ref.length;
  if (!idx && a.length !== ref.length) return NaN;
  for (let t = 0; t < n; t++) {
    const i = idx ? idx[t] : t;
    const d = Math.abs(a[i] - ref[t]);
    if (!Number.isFinite(d)) return NaN;
    if (d > m) m = d;
    const ar = Math.abs(ref[t]);
    if (ar > r) r = ar;
  }
  return m / (r || 1);
}
/** Where the non-finite entries of a are: "name: count (first at index i = value)". */
function nonFinite(name, a) {
  let n = 0, first = -1;
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) { n++; if (first < 0) first = i; }
  return n ? `${name}: ${n} non-finite (first at [${first}] = ${a[first]})` : null;
}
/** [B, H, L, E] ↔ [B, L, H·E] (the layout com.microsoft MultiHeadAttention takes): toBLHE, or
 *  back from it when `back`. */
function toBLHE(x, B, H, L, E, back = false) {
  const y = new Float32Array(x.length);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let l = 0; l < L; l++) {
    const bhle = ((b * H + h) * L + l) * E, blhe = ((b * L + l) * H + h) * E;
    const [src, dst] = back ? [blhe, bhle] : [bhle, blhe];
    for (let e = 0; e < E; e++) y[dst + e] = x[src + e];
  }
  return y;
}
/** x [B·H, R, C] → its per-head transpose [B·H, C, R] (K → Kᵀ with R = Lk, C = D; Kᵀ → K with
 *  R = D, C = Lk). */
function transposeHeads(x, BH, R, C) {
  const t = new Float32Array(x.length);
  for (let bh = 0; bh < BH; bh++) {
    const o = bh * R * C;
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) t[o + c * R + r] = x[o + r * C + c];
  }
  return t;
}
const phiOf = ({ ranges: r, ts: t }) => (x) => x + t[0] * Math.max(r[0] - x, 0) + t[1] * Math.max(x - r[1], 0) + t[2] * Math.max(r[2] - x, 0) ** 2 + t[3] * Math.max(x - r[3], 0) ** 2;
const dphiOf = ({ ranges: r, ts: t }) => (x) => 1 - (r[0] - x > 0 ? t[0] : 0) + (x - r[1] > 0 ? t[1] : 0) - 2 * t[2] * Math.max(r[2] - x, 0) + 2 * t[3] * Math.max(x - r[3], 0);
function softmax64(z) {
  let m = -Infinity;
  for (const v of z) if (v > m) m = v;
  const p = new Float64Array(z.length);
  let s = 0;
  for (let j = 0; j < z.length; j++) { p[j] = Math.exp(z[j] - m); s += p[j]; }
  for (let j = 0; j < z.length; j++) p[j] /= s;
  return p;
}
const NORMALIZERS64 = {
  softmax: (s) => softmax64(s),
  multimax: (s) => softmax64(s.map(phiOf(ATTENTION_PARAMS))),
  sparsemax: (s) => sparsemaxRef(s),
  entmax15: (s) => entmax15Ref(s),
};
/** float64 forward reference on query rows `rows` of every (b, h): { idx (flat output indices), y }. */
function forwardRef64(sh, q, k, v, rows, kind) {
  const { B, H, Lq, Lk, D } = sh, Dv = D, scale = 1 / Math.sqrt(D), norm = NORMALIZERS64[kind];
  const idx = [], y = [];
  const s = new Float64Array(Lk);
  for (let bh = 0; bh < B * H; bh++)
    for (const i of rows) {
      const qo = (bh * Lq + i) * D;
      for (let j = 0; j < Lk; j++) {
        const ko = (bh * Lk + j) * D;
        let a = 0;
        for (let d = 0; d < D; d++) a += q[qo + d] * k[ko + d];
        s[j] = scale * a;
      }
      const p = norm(s);
      for (let e = 0; e < Dv; e++) {
        let a = 0;
        for (let j = 0; j < Lk; j++) if (p[j] !== 0) a += p[j] * v[(bh * Lk + j) * Dv + e];
        idx.push((bh * Lq + i) * Dv + e);
        y.push(a);
      }
    }
  return { idx: Int32Array.from(idx), y: Float64Array.from(y) };
}
/** float64 backward reference of head (b, h) = (0, 0): dq, dk, dv of <dOut, out>, flat per head. */
function backwardRef64(sh, q, k, v, dO, kind) {
  const { Lq, Lk, D } = sh, Dv = D, scale = 1 / Math.sqrt(D);
  const phi = kind === "multimax" ? phiOf(ATTENTION_PARAMS) : (x) => x, dphi = kind === "multimax" ? dphiOf(ATTENTION_PARAMS) : () => 1;
  const dq = new Float64Array(Lq * D), dk = new Float64Array(Lk * D), dv = new Float64Array(Lk * Dv);
  const s = new Float64Array(Lk), dp = new Float64Array(Lk);
  for (let i = 0; i < Lq; i++) {
    for (let j = 0; j < Lk; j++) {
      let a = 0, b = 0;
      for (let d = 0; d < D; d++) a += q[i * D + d] * k[j * D + d];
      for (let e = 0; e < Dv; e++) b += dO[i * Dv + e] * v[j * Dv + e];
      s[j] = scale * a;
      dp[j] = b;
    }
    const p = softmax64(s.map(phi));
    let c = 0;
    for (let j = 0; j < Lk; j++) c += p[j] * dp[j];
    for (let j = 0; j < Lk; j++) {
      const ds = p[j] * (dp[j] - c) * dphi(s[j]) * scale;
      for (let d = 0; d < D; d++) { dq[i * D + d] += ds * k[j * D + d]; dk[j * D + d] += ds * q[i * D + d]; }
      for (let e = 0; e < Dv; e++) dv[j * Dv + e] += p[j] * dO[i * Dv + e];
    }
  }
  return { dq, dk, dv };
}

// ------------------------------------------------------------------ the competitors' libraries
async function loadCompetitors(log) {
  const tf = await import("@tensorflow/tfjs-core");
  const tfwasm = await import("@tensorflow/tfjs-backend-wasm");
  const tfDir = require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm").replace(/[^/\\]+$/, "");
  // Only the non-threaded SIMD binary exists under these paths (as in bench/compare.mjs): one thread.
  tfwasm.setWasmPaths({
    "tfjs-backend-wasm-simd.wasm": `${tfDir}tfjs-backend-wasm-simd.wasm`,
    "tfjs-backend-wasm.wasm": `${tfDir}no-such-file/tfjs-backend-wasm.wasm`,
    "tfjs-backend-wasm-threaded-simd.wasm": `${tfDir}no-such-file/tfjs-backend-wasm-threaded-simd.wasm`,
  });
  tfwasm.setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend did not initialise");
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) throw new Error("tfjs: WASM_HAS_SIMD_SUPPORT is false");
  // tf.grads needs the gradient functions, which tfjs-core's Node.js bundle leaves out: bundled
  // with esbuild and imported once (as bench/compare.mjs does).
  if (!globalThis.__mmxTfGradsRegistered) {
    const esbuild = await import("esbuild");
    const built = await esbuild.build({ entryPoints: [require.resolve("@tensorflow/tfjs-core/dist/register_all_gradients.js")], bundle: true, format: "esm", platform: "neutral", minify: true, write: false, logLevel: "silent" });
    await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString("base64")}`);
    globalThis.__mmxTfGradsRegistered = true;
  }
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
  const version = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
  const env = {
    tfjs: { core: tf.version_core, backendWasm: tfwasm.version_wasm, threads: tfwasm.getThreadsCount(), binary: "tfjs-backend-wasm-simd.wasm" },
    ort: { version: ort.env.versions?.web ?? version("onnxruntime-web"), numThreads: ort.env.wasm.numThreads, ep: "wasm" },
  };
  log(`  tfjs    : @tensorflow/tfjs-core ${env.tfjs.core} + tfjs-backend-wasm ${env.tfjs.backendWasm} (${env.tfjs.binary}, threads ${env.tfjs.threads})`);
  log(`  ort     : onnxruntime-web ${env.ort.version}, wasm EP, numThreads ${env.ort.numThreads}`);
  return { tf, tfwasm, ort, env };
}

// ------------------------------------------------------------------ measurement
/** Warm-up, calibration and `rounds` interleaved rounds (bench/harness.mjs's scheme, with fewer
 *  minimum warm-up calls: one call of the slowest candidates takes seconds). A "slow" candidate
 *  (its first call took over SLOW_MS) is neither warmed up further nor calibrated (one call per
 *  sample) and runs in the first slowRounds rounds only (null in the others). Returns ns per
 *  score per candidate and round, and the number of rounds run (more than `rounds`, up to 3x, when
 *  the first round took less than roundBudgetMs / rounds). */
async function measureRounds({ make, refresh, scores, rounds, slowRounds, targetMs, warmupMs, roundBudgetMs }) {
  let cands = make();
  const timeRun = async (c, reps) => {
    const t0 = now();
    sink.value += await c.run(reps);
    return Number(now() - t0);
  };
  // (every candidate has made one call already, the check, and those of a pre-selection at least
  // one more: c.warm; c.estMs: the shortest of those calls)
  for (const c of cands) {
    if (c.slow) continue;
    const t0 = performance.now();
    let calls = 0;
    while (calls < (c.warm ? 0 : 1) || (c.estMs < warmupMs && performance.now() - t0 < warmupMs)) { sink.value += await c.run(1); calls++; }
  }
  if (refresh()) cands = make();
  const reps = {};
  for (const c of cands) {
    if (c.slow || c.estMs > 3 * targetMs) { reps[c.key] = 1; continue; }
    let one = await timeRun(c, 1);
    if (one < 50e6) for (let i = 0; i < 2; i++) one = Math.min(one, await timeRun(c, 1));
    let r = Math.max(1, Math.round((targetMs * 1e6) / one));
    if (r > 1) {
      const t = await timeRun(c, r);
      r = Math.max(1, Math.round((r * targetMs * 1e6) / t));
    }
    reps[c.key] = r;
  }
  const ns = Object.fromEntries(cands.map((c) => [c.key, []]));
  let total = rounds;
  for (let round = 0; round < total; round++) {
    if (refresh()) cands = make();
    let roundNs = 0;
    for (let j = 0; j < cands.length; j++) {
      const c = cands[(round + j) % cands.length];
      if (c.slow && round >= slowRounds) { ns[c.key].push(null); continue; }
      const t = await timeRun(c, reps[c.key]);
      if (!c.slow) roundNs += t;
      ns[c.key].push(t / (reps[c.key] * scores));
    }
    // cheap shapes (a round well under the budget) get more rounds: up to 3x, within the budget
    if (round === 0) total = Math.max(rounds, Math.min(3 * rounds, Math.floor((roundBudgetMs * 1e6) / roundNs)));
  }
  return { reps, ns, rounds: total };
}

/** Pre-warm (untimed): V8 compiles wasm in tiers, optimising hot functions on background threads;
 *  every library's paths run on a small shape (1, 2, 64, 64, 64) for `ms` first, so that the peak
 *  measurement and the first shape find them optimised. */
async function prewarm({ mm, tf, ort, params, haveOurs }, ms) {
  const H = 2, L = 64, D = 64, n = H * L * D, dims = [1, H, L, D], scale = 1 / Math.sqrt(D);
  const q = normals(n, SEED - 1, 1), k = normals(n, SEED - 2, 1), v = normals(n, SEED - 3, 1);
  const cfg = { B: 1, H, Lq: L, Lk: L, D, Dv: D, scale };
  const T = (d, shape) => new ort.Tensor("float32", d, shape);
  const bhld = { q: T(q, dims), k: T(k, dims), v: T(v, dims) }, blhd = [1, L, H * D];
  const sessions = [];
  for (const [model, feeds] of [
    [matmulModel({ ...cfg, kTransposed: false }), bhld],
    [matmulModel({ ...cfg, kTransposed: true }), { q: bhld.q, kt: T(k, [1, H, D, L]), v: bhld.v }],
    [attentionModel(cfg), bhld],
    [mhaModel(cfg), { q: T(q, blhd), k: T(k, blhd), v: T(v, blhd) }],
  ]) {
    try { sessions.push({ s: await ort.InferenceSession.create(model, { executionProviders: ["wasm"] }), feeds }); } catch { /* reported by the shapes */ }
  }
  const qt = tf.tensor2d(q.subarray(0, L * D), [L, D]), kt = tf.tensor2d(k.subarray(0, L * D), [D, L]), vt = tf.tensor2d(v.subarray(0, L * D), [L, D]);
  const att = (a, b, c) => tf.matMul(tf.softmax(tf.relu(tf.matMul(tf.mul(a, tf.scalar(scale)), b))), c);
  const g = tf.grads(att);
  const big = [tf.randomNormal([256, 256]), tf.randomNormal([256, 256])];
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (haveOurs) {
      const tq = { data: q, dims }, tk = { data: k, dims }, tv = { data: v, dims };
      try {
        for (const o of [{}, { normalizer: "multimax", params }, { normalizer: "sparsemax" }, { normalizer: "entmax15" }]) sink.value += mm.attention(tq, tk, tv, o).data[0] ?? 0;
        for (const o of [{}, { normalizer: "multimax", params }]) sink.value += mm.attentionBackward(tq, tk, tv, tq, o).dq.data[0] ?? 0;
      } catch { /* reported by the shapes */ }
    }
    for (const { s: session, feeds } of sessions) sink.value += (await session.run(feeds)).y.data[0];
    tf.tidy(() => {
      sink.value += att(qt, kt, vt).dataSync()[0];
      for (const x of g([qt, kt, vt], tf.onesLike(qt))) sink.value += x.dataSync()[0];
      sink.value += tf.matMul(big[0], big[1]).dataSync()[0];
    });
  }
  for (const { s: session } of sessions) await session.release();
  for (const t of [qt, kt, vt, ...big]) t.dispose();
}

/** GFLOP/s of one 2-D matMul M = K = N = 1024, best of `runs` timed calls (after 2 untimed):
 *  tfjs-wasm's kernel alone (synchronous: the call returns when the product is computed; no
 *  dataSync, so the copy out is not charged; this is the stated peak) and onnxruntime-web's
 *  session.run (inputs copied in, output out: information). */
async function measurePeak({ tf, ort }, runs) {
  const n = 1024, flops = 2 * n * n * n;
  const a = normals(n * n, SEED ^ 0x1111, 1), b = normals(n * n, SEED ^ 0x2222, 1);
  const at = tf.tensor2d(a, [n, n]), bt = tf.tensor2d(b, [n, n]);
  let best = Infinity;
  for (let i = 0; i < runs + 2; i++) {
    const t0 = now();
    const y = tf.matMul(at, bt);
    const t = Number(now() - t0);
    y.dispose();
    if (i >= 2 && t < best) best = t;
  }
  at.dispose(); bt.dispose();
  let ortBest = Infinity;
  try {
    const session = await ort.InferenceSession.create(matmul2dModel(n, n, n), { executionProviders: ["wasm"] });
    const feeds = { a: new ort.Tensor("float32", a, [n, n]), b: new ort.Tensor("float32", b, [n, n]) };
    for (let i = 0; i < runs + 2; i++) {
      const t0 = now();
      sink.value += (await session.run(feeds)).y.data[i];
      const t = Number(now() - t0);
      if (i >= 2 && t < ortBest) ortBest = t;
    }
    await session.release();
  } catch { /* information only */ }
  return { tfjsGflops: flops / best, ortGflops: Number.isFinite(ortBest) ? flops / ortBest : null, runs };
}

// ------------------------------------------------------------------ one shape
async function benchShape(sh, ctx) {
  const { mm, tf, ort, params, haveOurs, rounds, targetMs, warmupMs, quick, log } = ctx;
  const { B, H, Lq, Lk, D } = sh, Dv = D, BH = B * H, scale = 1 / Math.sqrt(D);
  const scores = B * H * Lq * Lk;
  const nq = BH * Lq * D, nk = BH * Lk * D, nv = BH * Lk * Dv, no = BH * Lq * Dv;
  const base = SEED + Lq * 7919 + Lk;
  const q = normals(nq, base + 1, 1), k = normals(nk, base + 2, 1), v = normals(nv, base + 3, 1), dO = normals(no, base + 4, 1);
  const qd = [B, H, Lq, D], kd = [B, H, Lk, D], vd = [B, H, Lk, Dv], od = [B, H, Lq, Dv];
  const pick = pickIndex(no);
  const res = { shape: { ...sh, Dv, scores }, name: shapeName(sh), rounds, stats: {}, checks: {}, ratios: {}, verdicts: {}, targets: {}, errors: [], mismatches: [] };

  // ---- references (float64): forward on sampled query rows of every head, backward of head (0, 0)
  const sampleRows = Lq <= 32 ? Array.from({ length: Lq }, (_, i) => i) : Array.from({ length: 32 }, (_, i) => Math.round((i * (Lq - 1)) / 31));
  const ref = {};
  for (const kind of ["softmax", "multimax", "sparsemax", "entmax15"]) ref[kind] = forwardRef64(sh, q, k, v, sampleRows, kind);
  const h0 = (x, L, E) => x.subarray(0, L * E);
  const refB = {
    softmax: backwardRef64(sh, h0(q, Lq, D), h0(k, Lk, D), h0(v, Lk, Dv), h0(dO, Lq, Dv), "softmax"),
    multimax: backwardRef64(sh, h0(q, Lq, D), h0(k, Lk, D), h0(v, Lk, Dv), h0(dO, Lq, Dv), "multimax"),
  };

  // ---- candidates. Each: key, label, group, check: "fwd:<normalizer>" | "bwd:<normalizer>",
  //      value() (untimed: the output in [B, H, Lq, Dv], or { dq, dk, dv }), run(reps).
  const cands = [];
  const cleanup = [];
  // ours: zero-copy views
  const zc = { keys: ["q", "k", "v", "dO", "oSm", "oMm", "oSp", "oE15"], v: null };
  if (haveOurs) {
    zc.v = {};
    for (const key of zc.keys) zc.v[key] = mm.alloc(key === "q" ? nq : key === "k" ? nk : key === "v" ? nv : no);
    const refreshViews = () => {
      if (Object.values(zc.v).every((x) => x.buffer === mm.memory.buffer)) return false;
      for (const key of zc.keys) zc.v[key] = mm.refresh(zc.v[key]);
      return true;
    };
    zc.refresh = refreshViews;
    refreshViews();
    zc.v.q.set(q); zc.v.k.set(k); zc.v.v.set(v); zc.v.dO.set(dO);
    cleanup.push(() => { for (const key of zc.keys) mm.free(zc.v[key]); });
    const tl = (data, dims) => ({ data, dims });
    // Every sample (run) and check (value) starts by re-acquiring the views if the memory grew
    // since (a copying call may grow it): the loops below then use live views only.
    const fwd = (key, label, normalizer, outKey, extra = {}) => cands.push({
      key, label, group: "ours", check: `fwd:${normalizer}`,
      make: () => (reps) => {
        zc.refresh();
        const qv = tl(zc.v.q, qd), kv = tl(zc.v.k, kd), vv = tl(zc.v.v, vd), out = zc.v[outKey], o = { normalizer, ...extra, out };
        let s = 0;
        for (let r = 0; r < reps; r++) { mm.attention(qv, kv, vv, o); s += out[pick(r)]; }
        return s;
      },
      value: () => { zc.refresh(); mm.attention(tl(zc.v.q, qd), tl(zc.v.k, kd), tl(zc.v.v, vd), { normalizer, ...extra, out: zc.v[outKey] }); zc.refresh(); return zc.v[outKey].slice(); },
    });
    fwd("smZc", "ours softmax, zero-copy", "softmax", "oSm");
    cands.push({
      key: "smPlain", label: "ours softmax, Float32Array in, new array", group: "ours", check: "fwd:softmax",
      make: () => {
        const qv = tl(q, qd), kv = tl(k, kd), vv = tl(v, vd), o = { normalizer: "softmax" };
        return (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += mm.attention(qv, kv, vv, o).data[pick(r)]; return s; };
      },
      value: () => mm.attention(tl(q, qd), tl(k, kd), tl(v, vd), { normalizer: "softmax" }).data.slice(),
    });
    fwd("mmZc", "ours MultiMax, zero-copy", "multimax", "oMm", { params });
    fwd("spZc", "ours sparsemax, zero-copy", "sparsemax", "oSp");
    fwd("e15Zc", "ours entmax15, zero-copy", "entmax15", "oE15");
    const bwd = (key, label, normalizer, extra = {}) => cands.push({
      key, label, group: "ours", check: `bwd:${normalizer}`,
      make: () => (reps) => {
        zc.refresh();
        const qv = tl(zc.v.q, qd), kv = tl(zc.v.k, kd), vv = tl(zc.v.v, vd), dv = tl(zc.v.dO, od), o = { normalizer, ...extra };
        let s = 0;
        for (let r = 0; r < reps; r++) { const g = mm.attentionBackward(qv, kv, vv, dv, o); s += g.dq.data[pick(r) % nq] + g.dv.data[pick(r) % nv]; }
        return s;
      },
      value: () => {
        zc.refresh();
        const g = mm.attentionBackward(tl(zc.v.q, qd), tl(zc.v.k, kd), tl(zc.v.v, vd), tl(zc.v.dO, od), { normalizer, ...extra });
        return { dq: g.dq.data.slice(), dk: g.dk.data.slice(), dv: g.dv.data.slice() };
      },
    });
    bwd("bwdSm", "ours attentionBackward softmax", "softmax");
    bwd("bwdMm", "ours attentionBackward MultiMax", "multimax", { params });
  }

  // ORT
  const kt = transposeHeads(k, BH, Lk, D);
  const T = (data, dims) => new ort.Tensor("float32", data, dims);
  const cfg = { B, H, Lq, Lk, D, Dv, scale };
  const ortVariants = [
    { key: "ortKt", label: "ORT MatMul/Softmax/MatMul, K^T input", model: () => matmulModel({ ...cfg, kTransposed: true }), feeds: () => ({ q: T(q, qd), kt: T(kt, [B, H, D, Lk]), v: T(v, vd) }) },
    { key: "ortKtS", label: "ORT MatMul/Softmax/MatMul, K^T, scaled scores", model: () => matmulModel({ ...cfg, kTransposed: true, scaleScores: true }), feeds: () => ({ q: T(q, qd), kt: T(kt, [B, H, D, Lk]), v: T(v, vd) }) },
    { key: "ortTr", label: "ORT MatMul/Softmax/MatMul, Transpose node", model: () => matmulModel({ ...cfg, kTransposed: false }), feeds: () => ({ q: T(q, qd), k: T(k, kd), v: T(v, vd) }) },
    { key: "ortMha", label: "ORT com.microsoft MultiHeadAttention", model: () => mhaModel(cfg), feeds: () => ({ q: T(toBLHE(q, B, H, Lq, D), [B, Lq, H * D]), k: T(toBLHE(k, B, H, Lk, D), [B, Lk, H * D]), v: T(toBLHE(v, B, H, Lk, Dv), [B, Lk, H * Dv]) }), blhe: true },
    { key: "ortAtt23", label: "ORT Attention (opset 23)", model: () => attentionModel(cfg), feeds: () => ({ q: T(q, qd), k: T(k, kd), v: T(v, vd) }) },
  ];
  for (const ov of ortVariants) {
    let session;
    try {
      session = await ort.InferenceSession.create(ov.model(), { executionProviders: ["wasm"] });
    } catch (e) {
      res.errors.push({ key: ov.key, label: ov.label, error: `unsupported by this onnxruntime-web build: ${String(e?.message ?? e).split("\n")[0].slice(0, 200)}` });
      continue;
    }
    cleanup.push(() => session.release());
    const feeds = ov.feeds();
    cands.push({
      key: ov.key, label: ov.label, group: "ort", alt: "ort", check: "fwd:softmax",
      make: () => async (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += (await session.run(feeds)).y.data[pick(r)]; return s; },
      value: async () => { const y = (await session.run(feeds)).y.data; return ov.blhe ? toBLHE(y, B, H, Lq, Dv, true) : y; },
    });
  }

  // tfjs
  const tt = { head: [], q3: null, k3: null, v3: null, dO3: null };
  for (let h = 0; h < BH; h++)
    tt.head.push({
      q: tf.tensor2d(q.subarray(h * Lq * D, (h + 1) * Lq * D), [Lq, D]),
      kt: tf.tensor2d(kt.subarray(h * Lk * D, (h + 1) * Lk * D), [D, Lk]),
      v: tf.tensor2d(v.subarray(h * Lk * Dv, (h + 1) * Lk * Dv), [Lk, Dv]),
    });
  tt.dOh = Array.from({ length: BH }, (_, h) => tf.tensor2d(dO.subarray(h * Lq * Dv, (h + 1) * Lq * Dv), [Lq, Dv]));
  tt.q3 = tf.tensor3d(q, [BH, Lq, D]); tt.k3 = tf.tensor3d(k, [BH, Lk, D]); tt.v3 = tf.tensor3d(v, [BH, Lk, Dv]); tt.dO3 = tf.tensor3d(dO, [BH, Lq, Dv]);
  const sc = tf.scalar(scale), P = { r: ATTENTION_PARAMS.ranges.map((x) => tf.scalar(x)), t: ATTENTION_PARAMS.ts.map((x) => tf.scalar(x)) };
  cleanup.push(() => { for (const t of [...tt.head.flatMap((o) => [o.q, o.kt, o.v]), ...tt.dOh, tt.q3, tt.k3, tt.v3, tt.dO3, sc, ...P.r, ...P.t]) t.dispose(); });
  const phiTf = (s) => {
    let z = tf.add(s, tf.mul(P.t[0], tf.relu(tf.sub(P.r[0], s))));
    z = tf.add(z, tf.mul(P.t[1], tf.relu(tf.sub(s, P.r[1]))));
    z = tf.add(z, tf.mul(P.t[2], tf.square(tf.relu(tf.sub(P.r[2], s)))));
    return tf.add(z, tf.mul(P.t[3], tf.square(tf.relu(tf.sub(s, P.r[3])))));
  };
  const attHead = (o, mmx) => { const s = tf.matMul(tf.mul(o.q, sc), o.kt); return tf.matMul(tf.softmax(mmx ? phiTf(s) : s), o.v); };
  const attBatch = (q3, k3, v3, mmx) => { const s = tf.matMul(tf.mul(q3, sc), k3, false, true); return tf.matMul(tf.softmax(mmx ? phiTf(s) : s), v3); };
  const perHead = (mmx) => ({
    make: () => (reps) => {
      let s = 0;
      for (let r = 0; r < reps; r++) for (const o of tt.head) { const y = tf.tidy(() => attHead(o, mmx)); s += y.dataSync()[pick(r) % (Lq * Dv)]; y.dispose(); }
      return s;
    },
    value: () => { const out = new Float32Array(no); tt.head.forEach((o, h) => { const y = tf.tidy(() => attHead(o, mmx)); out.set(y.dataSync(), h * Lq * Dv); y.dispose(); }); return out; },
  });
  const batched = (mmx) => ({
    make: () => (reps) => { let s = 0; for (let r = 0; r < reps; r++) { const y = tf.tidy(() => attBatch(tt.q3, tt.k3, tt.v3, mmx)); s += y.dataSync()[pick(r)]; y.dispose(); } return s; },
    value: () => { const y = tf.tidy(() => attBatch(tt.q3, tt.k3, tt.v3, mmx)); const d = y.dataSync().slice(); y.dispose(); return d; },
  });
  cands.push({ key: "tfSmHead", label: "tfjs softmax attention, per head", group: "tfjs", alt: "tfSm", check: "fwd:softmax", ...perHead(false) });
  // (information) per head with Kᵀ and V uploaded as new tensors on every call, as a growing KV
  // cache would need: XNNPACK (inside tfjs-wasm) caches the packed right-hand matrix of a matMul per
  // tensor, so the persistent tensors above pay that packing once, not per call
  cands.push({
    key: "tfSmHeadFresh", label: "tfjs softmax per head, K^T/V uploaded per call", group: "tfjs", info: true, check: "fwd:softmax",
    make: () => (reps) => {
      let s = 0;
      for (let r = 0; r < reps; r++)
        for (let h = 0; h < BH; h++) {
          const ktT = tf.tensor2d(kt.subarray(h * Lk * D, (h + 1) * Lk * D), [D, Lk]), vT = tf.tensor2d(v.subarray(h * Lk * Dv, (h + 1) * Lk * Dv), [Lk, Dv]);
          const y = tf.tidy(() => attHead({ q: tt.head[h].q, kt: ktT, v: vT }, false));
          s += y.dataSync()[pick(r) % (Lq * Dv)];
          y.dispose(); ktT.dispose(); vT.dispose();
        }
      return s;
    },
    value: () => {
      const out = new Float32Array(no);
      for (let h = 0; h < BH; h++) {
        const ktT = tf.tensor2d(kt.subarray(h * Lk * D, (h + 1) * Lk * D), [D, Lk]), vT = tf.tensor2d(v.subarray(h * Lk * Dv, (h + 1) * Lk * Dv), [Lk, Dv]);
        const y = tf.tidy(() => attHead({ q: tt.head[h].q, kt: ktT, v: vT }, false));
        out.set(y.dataSync(), h * Lq * Dv);
        y.dispose(); ktT.dispose(); vT.dispose();
      }
      return out;
    },
  });
  cands.push({ key: "tfSmBatch", label: "tfjs softmax attention, batched", group: "tfjs", alt: "tfSm", check: "fwd:softmax", ...batched(false) });
  cands.push({ key: "tfMmHead", label: "tfjs MultiMax ops, per head", group: "tfjs", alt: "tfMm", check: "fwd:multimax", ...perHead(true) });
  cands.push({ key: "tfMmBatch", label: "tfjs MultiMax ops, batched", group: "tfjs", alt: "tfMm", check: "fwd:multimax", ...batched(true) });
  // tf.grads of the same compositions: batched (w.r.t. q3, k3, v3) and per head (w.r.t. q, Kᵀ, v of
  // each head; dKᵀ is transposed back, untimed, for the check only)
  const tfGradsBatched = (mmx) => {
    const g = tf.grads((a, b, c) => attBatch(a, b, c, mmx));
    return {
      make: () => (reps) => {
        let s = 0;
        for (let r = 0; r < reps; r++) { const gs = g([tt.q3, tt.k3, tt.v3], tt.dO3); s += gs[0].dataSync()[pick(r) % nq] + gs[1].dataSync()[0] + gs[2].dataSync()[pick(r) % nv]; for (const x of gs) x.dispose(); }
        return s;
      },
      value: () => { const gs = g([tt.q3, tt.k3, tt.v3], tt.dO3); const [dq, dk, dv] = gs.map((x) => x.dataSync().slice()); for (const x of gs) x.dispose(); return { dq, dk, dv }; },
    };
  };
  const tfGradsHead = (mmx) => {
    const g = tf.grads((a, b, c) => attHead({ q: a, kt: b, v: c }, mmx));
    return {
      make: () => (reps) => {
        let s = 0;
        for (let r = 0; r < reps; r++)
          tt.head.forEach((o, h) => { const gs = g([o.q, o.kt, o.v], tt.dOh[h]); s += gs[0].dataSync()[pick(r) % (Lq * D)] + gs[1].dataSync()[0] + gs[2].dataSync()[pick(r) % (Lk * Dv)]; for (const x of gs) x.dispose(); });
        return s;
      },
      value: () => {
        const dq = new Float32Array(nq), dkt = new Float32Array(nk), dv = new Float32Array(nv);
        tt.head.forEach((o, h) => {
          const gs = g([o.q, o.kt, o.v], tt.dOh[h]);
          dq.set(gs[0].dataSync(), h * Lq * D); dkt.set(gs[1].dataSync(), h * Lk * D); dv.set(gs[2].dataSync(), h * Lk * Dv);
          for (const x of gs) x.dispose();
        });
        return { dq, dk: transposeHeads(dkt, BH, D, Lk), dv };
      },
    };
  };
  cands.push({ key: "tfGradSmHead", label: "tfjs tf.grads softmax attention, per head", group: "tfjs", alt: "tfGradSm", check: "bwd:softmax", ...tfGradsHead(false) });
  cands.push({ key: "tfGradSmBatch", label: "tfjs tf.grads softmax attention, batched", group: "tfjs", alt: "tfGradSm", check: "bwd:softmax", ...tfGradsBatched(false) });
  cands.push({ key: "tfGradMmHead", label: "tfjs tf.grads MultiMax attention, per head", group: "tfjs", alt: "tfGradMm", check: "bwd:multimax", ...tfGradsHead(true) });
  cands.push({ key: "tfGradMmBatch", label: "tfjs tf.grads MultiMax attention, batched", group: "tfjs", alt: "tfGradMm", check: "bwd:multimax", ...tfGradsBatched(true) });

  // ---- check every candidate once (untimed); ours against float64, competitors also against ours
  const oursOut = {};
  const fwdRefCheck = (y, kind) => relErr(y, ref[kind].y, ref[kind].idx);
  const bwdRefCheck = (g, kind) => {
    const r = refB[kind];
    return Math.max(relErr(g.dq.subarray(0, Lq * D), r.dq), relErr(g.dk.subarray(0, Lk * D), r.dk), relErr(g.dv.subarray(0, Lk * Dv), r.dv));
  };
  // alternatives that pre-selection dropped at the previous (smaller) prefill shape are not run at
  // this one (tfjs batched: 4-9 s a call at L = 1024)
  const skip = sh.kind === "prefill" ? ctx.droppedAtPrefill : null;
  res.skipped = [];
  const passed = [];
  for (const c of cands) {
    if (skip?.has(c.key)) { res.skipped.push({ key: c.key, label: c.label, because: skip.get(c.key) }); continue; }
    const [dir, kind] = c.check.split(":");
    let out;
    const t0 = now();
    try {
      out = await c.value();
    } catch (e) {
      res.errors.push({ key: c.key, label: c.label, error: `${e?.name}: ${String(e?.message ?? e).split("\n")[0].slice(0, 200)}` });
      continue;
    }
    c.firstMs = Number(now() - t0) / 1e6; // (the first call: decides whether the candidate is "slow", below)
    const refCheck = (o) => (dir === "fwd" ? fwdRefCheck(o, kind) : bwdRefCheck(o, kind));
    const chk = { label: c.label, vsF64: refCheck(out), vsOurs: null };
    if (c.group === "ours" && !(chk.vsF64 <= TOL)) {
      // (ours wrong: is a second call right? tells a state-dependent bug from a wrong computation)
      try { chk.secondCall = refCheck(await c.value()); } catch (e) { chk.secondCall = `${e?.name}: ${e?.message}`; }
    }
    // competitors: also element by element against ours, when ours passed its own check
    if (c.group === "ours" && !oursOut[c.check] && chk.vsF64 <= TOL) oursOut[c.check] = out;
    else if (c.group !== "ours" && oursOut[c.check])
      chk.vsOurs = dir === "fwd" ? relErr(out, oursOut[c.check]) : Math.max(relErr(out.dq, oursOut[c.check].dq), relErr(out.dk, oursOut[c.check].dk), relErr(out.dv, oursOut[c.check].dv));
    chk.ok = chk.vsF64 <= TOL && (chk.vsOurs === null || chk.vsOurs <= TOL);
    res.checks[c.key] = chk;
    if (!chk.ok) {
      const arrays = dir === "fwd" ? { y: out } : out, expect = dir === "fwd" ? { y: no } : { dq: nq, dk: nk, dv: nv };
      const where = Object.entries(arrays).map(([g, a]) => (a.length !== expect[g] ? `${g}: length ${a.length}, expected ${expect[g]}` : nonFinite(g, a))).filter(Boolean);
      if (chk.secondCall !== undefined) where.push(`a second call: ${typeof chk.secondCall === "number" ? `${fmtErr(chk.secondCall)}${chk.secondCall <= TOL ? " (ok)" : ""}` : chk.secondCall}`);
      const msg = `${c.label}: max |y - ref| / max |ref| = ${fmtErr(chk.vsF64)} against float64${chk.vsOurs !== null ? `, ${fmtErr(chk.vsOurs)} against ours` : ""} (tolerance ${fmtErr(TOL)})${where.length ? `; ${where.join(", ")}` : ""}`;
      res.mismatches.push(msg);
      log(`  !!!!! MISMATCH ${shapeName(sh)}: ${msg}${c.group === "ours" ? " (ours: still timed)" : " (not timed)"}`);
      if (c.group !== "ours") continue;
    }
    passed.push(c);
  }
  if (haveOurs) zc.refresh();

  // ---- pre-selection among a competitor's alternatives (ORT variants, tfjs per head / batched):
  // each timed alone (best of a few calls, at least one besides the checked one); those more than
  // PRESELECT x slower than the best of their group leave the interleaved rounds (reported with
  // this time, marked "pre-selection"); the rest are all timed and the lowest median is taken.
  res.preselect = {};
  for (const alt of new Set(passed.map((c) => c.alt).filter(Boolean))) {
    const group = passed.filter((c) => c.alt === alt);
    if (group.length < 2) continue;
    for (const c of group) {
      const run = c.make();
      let best = c.firstMs * 1e6, calls = 0;
      const t0 = performance.now();
      // at least one call besides the checked one (the first call in the process of a code path can
      // carry one-time costs) unless that took over 2 s; more while calls are short
      while ((calls < 1 && best < 2e9) || (calls < 5 && best < 200e6 && performance.now() - t0 < 50)) {
        const t1 = now();
        sink.value += await run(1);
        best = Math.min(best, Number(now() - t1));
        calls++;
      }
      c.preNs = best;
    }
    const min = Math.min(...group.map((c) => c.preNs));
    // (only the best stays when the group's calls take over SOLO_MS)
    const factor = min > SOLO_MS * 1e6 ? 1 : PRESELECT;
    for (const c of group) {
      c.dropped = c.preNs > factor * min;
      res.preselect[c.key] = { nsPerScore: c.preNs / scores, kept: !c.dropped };
    }
  }
  const timed = passed.filter((c) => !c.dropped);

  // ---- time
  const make = () => timed.map((c) => ({ key: c.key, label: c.label, slow: Math.min(c.firstMs, (c.preNs ?? Infinity) / 1e6) > SLOW_MS, warm: c.preNs !== undefined, estMs: Math.min(c.firstMs, (c.preNs ?? Infinity) / 1e6), run: c.make() }));
  const { reps, ns, rounds: roundsRun } = await measureRounds({ make, refresh: haveOurs ? zc.refresh : () => false, scores, rounds, slowRounds: quick ? 1 : SLOW_ROUNDS, targetMs, warmupMs, roundBudgetMs: quick ? 3000 : 8000 });
  res.rounds = roundsRun;
  for (const c of timed) {
    const st = summary(ns[c.key].filter((x) => x !== null));
    res.stats[c.key] = { label: c.label, group: c.group, reps: reps[c.key], rounds: st.n, ...st, msPerCall: (st.median * scores) / 1e6, gflops: c.check.startsWith("fwd") ? (2 * (D + Dv)) / st.median : null };
  }
  res.samples = ns;
  for (const f of cleanup) await f();

  // ---- ratios and verdicts
  const has = (key) => key in ns;
  const fastest = (alt) => timed.filter((c) => c.alt === alt).map((c) => c.key).sort((a, b) => res.stats[a].median - res.stats[b].median)[0] ?? null;
  const ratio = (a, b) => {
    if (!(a && b && has(a) && has(b))) return null;
    const r = ns[a].map((x, i) => (x === null || ns[b][i] === null ? null : x / ns[b][i])).filter((x) => x !== null);
    return r.length ? summary(r) : null;
  };
  res.fastest = { ort: fastest("ort"), tfSoftmax: fastest("tfSm"), tfMultimax: fastest("tfMm"), tfGradSm: fastest("tfGradSm"), tfGradMm: fastest("tfGradMm") };
  if (sh.kind === "prefill") {
    // the alternatives at least CARRY x slower than the fastest of their group (median, or the
    // pre-selection time of those left out of the rounds) whose call took CARRY_MS or more, and those
    // skipped here, are not run at the next prefill shape
    const next = new Map();
    for (const e of res.skipped) next.set(e.key, e.because);
    const time = (c) => res.stats[c.key]?.median ?? (c.preNs !== undefined ? c.preNs / scores : null);
    for (const c of passed) {
      if (!c.alt || time(c) === null) continue;
      const best = Math.min(...passed.filter((d) => d.alt === c.alt && time(d) !== null).map(time));
      if (time(c) >= CARRY * best && (time(c) * scores) / 1e6 >= CARRY_MS) next.set(c.key, `${(time(c) / best).toFixed(1)}x slower than the fastest of its alternatives at ${shapeName(sh)}`);
    }
    ctx.droppedAtPrefill = next;
  }
  res.ratios = {
    ortSoftmax: ratio(res.fastest.ort, "smZc"),
    tfSoftmax: ratio(res.fastest.tfSoftmax, "smZc"),
    tfMultimax: ratio(res.fastest.tfMultimax, "mmZc"),
    mmOverSm: ratio("mmZc", "smZc"),
    spOverSm: ratio("spZc", "smZc"),
    e15OverSm: ratio("e15Zc", "smZc"),
    bwdSm: ratio("bwdSm", "smZc"),
    bwdMm: ratio("bwdMm", "mmZc"),
    // (information)
    ortOverPlain: ratio(res.fastest.ort, "smPlain"),
    tfOverPlain: ratio(res.fastest.tfSoftmax, "smPlain"),
    plainOverZc: ratio("smPlain", "smZc"),
    tfFreshOverZc: ratio("tfSmHeadFresh", "smZc"),
    tfGradSm: ratio(res.fastest.tfGradSm, "bwdSm"),
    tfGradMm: ratio(res.fastest.tfGradMm, "bwdMm"),
  };
  for (const t of ATTENTION_TARGETS) {
    const lim = t.min !== undefined ? { min: t.min(sh) } : { max: t.max(sh) };
    res.targets[t.key] = lim.min !== undefined ? `>= ${lim.min}x` : `<= ${lim.max}x`;
    res.verdicts[t.key] = res.ratios[t.key] ? verdict(lim, res.ratios[t.key].median) : "n/a";
  }
  return res;
}

function printShape(r, log) {
  const { B, H, Lq, Lk, D, Dv, scores } = r.shape;
  const title = `attention ${r.name}: B=${B} H=${H} Lq=${Lq} Lk=${Lk} D=Dv=${D} (${grp(scores)} scores per call), ${r.rounds} rounds`;
  log(`\n== ${title} ${"=".repeat(Math.max(0, 96 - title.length))}`);
  log(`  ${pad("candidate", 46)}${lpad("ns/score", 9)}   ${pad("p10 - p90", 17)}${lpad("ms/call", 9)}${lpad("GFLOP/s", 9)}${lpad("reps", 6)}   check: err vs f64 / vs ours`);
  for (const [key, c] of Object.entries(r.checks)) {
    const s = r.stats[key];
    const chk = `${fmtErr(c.vsF64)} / ${fmtErr(c.vsOurs)}${c.ok ? " ok" : " MISMATCH"}`;
    const pre = r.preselect[key];
    if (!s) {
      if (pre && !pre.kept) log(`  ${pad(c.label, 46)}${lpad(fmtNs(pre.nsPerScore), 9)}   ${pad("(pre-selection)", 17)}${lpad(fmtMs((pre.nsPerScore * scores) / 1e6), 9)}${lpad("", 15)}   ${chk}`);
      else log(`  ${pad(c.label, 46)}${lpad("-", 9)}   ${pad("(not timed)", 17)}${lpad("", 24)}   ${chk}`);
      continue;
    }
    const mark = Object.values(r.fastest).includes(key) ? " *" : "";
    const reps = s.rounds < r.rounds ? `1 x${s.rounds}` : s.reps;
    log(`  ${pad(s.label + mark, 46)}${lpad(fmtNs(s.median), 9)}   ${pad(`${fmtNs(s.p10)} - ${fmtNs(s.p90)}`, 17)}${lpad(fmtMs(s.msPerCall), 9)}${lpad(s.gflops ? s.gflops.toFixed(1) : "", 9)}${lpad(reps, 6)}   ${chk}`);
  }
  const rl = ATTENTION_TARGETS.filter((t) => r.ratios[t.key]).map((t) => { const q = r.ratios[t.key]; return `${pad(t.label, 40)}${lpad(fmtX(q.median), 7)} [${q.p10.toFixed(2)} - ${q.p90.toFixed(2)}]  ${r.targets[t.key]}: ${r.verdicts[t.key]}`; });
  for (const e of r.errors) log(`  ${pad(e.label, 46)}${lpad("-", 9)}   not run: ${e.error}`);
  for (const e of r.skipped) log(`  ${pad(e.label, 46)}${lpad("-", 9)}   not run: ${e.because}`);
  log("  * the fastest (lowest median) of a competitor's alternatives, which the ratios use; (pre-selection): one call timed alone,");
  log(`    more than ${PRESELECT}x slower than the best of its alternatives (or not the best, when a call takes over ${SOLO_MS} ms),`);
  log(`    so left out of the rounds; "1 xN": a call over ${SLOW_MS / 1000} s, timed in N rounds only`);
  if (rl.length) log(`  targets: median [p10 - p90] of the per-round ratios\n    ${rl.join("\n    ")}`);
}

/** The summary over the shapes: every target with its verdict, then information rows. */
function printSummary(results, peak, log) {
  const names = results.map((r) => r.name);
  const colW = Math.max(22, ...names.map((s) => s.length + 2)), labW = 78;
  const row = (label, f) => log(`  ${pad(label, labW)}${results.map((r) => lpad(f(r), colW)).join("")}`);
  log(`\n== attention summary: ratios are medians of per-round ratios ${"=".repeat(40)}`);
  row(`${pad("target", 46)}${pad("(the ratio it bounds)", 32)}`, (r) => r.name);
  let met = 0, total = 0;
  for (const t of ATTENTION_TARGETS) {
    row(`${pad(t.label, 46)}${t.text}`, (r) => {
      const q = r.ratios[t.key];
      if (!q) return "n/a";
      total++;
      if (r.verdicts[t.key] === "met") met++;
      return `${fmtX(q.median)} ${r.verdicts[t.key]}`;
    });
  }
  log("  information:");
  row("  ours softmax zero-copy, ns/score", (r) => fmtNs(r.stats.smZc?.median));
  row("  ours softmax zero-copy, GFLOP/s (% of peak)", (r) => (r.stats.smZc ? `${r.stats.smZc.gflops.toFixed(1)} (${((100 * r.stats.smZc.gflops) / peak.tfjsGflops).toFixed(0)}%)` : "-"));
  row("  ours MultiMax zero-copy, GFLOP/s (% of peak)", (r) => (r.stats.mmZc ? `${r.stats.mmZc.gflops.toFixed(1)} (${((100 * r.stats.mmZc.gflops) / peak.tfjsGflops).toFixed(0)}%)` : "-"));
  row("  ORT fastest variant", (r) => (r.fastest.ort ? r.fastest.ort.replace(/^ort/, "") : "-"));
  row("  ORT fastest, ns/score", (r) => fmtNs(r.stats[r.fastest.ort]?.median));
  row("  tfjs fastest softmax (per head / batched)", (r) => (r.fastest.tfSoftmax ? `${r.fastest.tfSoftmax.replace(/^tfSm/, "")} ${fmtNs(r.stats[r.fastest.tfSoftmax].median)}` : "-"));
  row("  tfjs fastest MultiMax ops, ns/score", (r) => (r.fastest.tfMultimax ? `${r.fastest.tfMultimax.replace(/^tfMm/, "")} ${fmtNs(r.stats[r.fastest.tfMultimax].median)}` : "-"));
  row("  tfjs per head, K^T/V uploaded per call / ours", (r) => (r.ratios.tfFreshOverZc ? fmtX(r.ratios.tfFreshOverZc.median) : "-"));
  row("  ORT fastest / ours softmax Float32Array in", (r) => (r.ratios.ortOverPlain ? fmtX(r.ratios.ortOverPlain.median) : "-"));
  row("  tfjs fastest / ours softmax Float32Array in", (r) => (r.ratios.tfOverPlain ? fmtX(r.ratios.tfOverPlain.median) : "-"));
  row("  ours softmax Float32Array in / zero-copy", (r) => (r.ratios.plainOverZc ? fmtX(r.ratios.plainOverZc.median) : "-"));
  row("  tf.grads softmax / ours attentionBackward", (r) => (r.ratios.tfGradSm ? fmtX(r.ratios.tfGradSm.median) : "-"));
  row("  tf.grads MultiMax / ours attentionBackward", (r) => (r.ratios.tfGradMm ? fmtX(r.ratios.tfGradMm.median) : "-"));
  row("  ours backward ns/score: softmax / MultiMax", (r) => `${fmtNs(r.stats.bwdSm?.median)} / ${fmtNs(r.stats.bwdMm?.median)}`);
  row("  tf.grads fastest ns/score: softmax / MultiMax", (r) => `${fmtNs(r.stats[r.fastest.tfGradSm]?.median)} / ${fmtNs(r.stats[r.fastest.tfGradMm]?.median)}`);
  log(`  peak (the % above): tfjs-wasm 2-D matMul 1024x1024x1024, kernel, best of ${peak.runs} calls before and after the shapes: ${peak.tfjsGflops.toFixed(1)} GFLOP/s`);
  log(`    (before ${peak.before.tfjsGflops.toFixed(1)}, after ${peak.after.tfjsGflops.toFixed(1)}; one thread, this run; onnxruntime-web MatMul of the same size, session.run: ${peak.ortGflops ? peak.ortGflops.toFixed(1) : "-"} GFLOP/s, information)`);
  const mism = results.flatMap((r) => r.mismatches.map((m) => `${r.name}: ${m}`));
  const errs = results.flatMap((r) => r.errors.map((e) => `${r.name}: ${e.label}: ${e.error}`));
  log(`  checks (untimed, max |y - ref| / max |ref| <= ${fmtErr(TOL)}): ${mism.length ? `${mism.length} MISMATCH` : "all ok"}`);
  for (const m of mism) log(`    MISMATCH ${m}`);
  for (const e of errs) log(`    not run: ${e}`);
  log(`  attention targets: ${met}/${total} met${total - met ? `, ${total - met} missed` : ""}`);
  return { met, total, mismatches: mism, errors: errs };
}

// ------------------------------------------------------------------ the section
/** Runs the attention section on engine `mm`; prints as it goes; returns the results (for JSON). */
export async function runAttention({ mm, quick = false, rounds = null, targetMs = null, shapes = null, log = console.log }) {
  const started = performance.now();
  const R = rounds ?? (quick ? 5 : 9), TMS = targetMs ?? (quick ? 8 : 20), WMS = quick ? 60 : 150;
  const haveOurs = typeof mm?.attention === "function" && typeof mm?.attentionBackward === "function";
  log(`\n== attention section ${"=".repeat(80)}`);
  const comp = await loadCompetitors(log);
  const params = haveOurs ? mm.multimaxParams(ATTENTION_PARAMS) : null;
  log(`  ours    : ${haveOurs ? `mm.attention / mm.attentionBackward, wasm ${mm.relaxed ? "relaxed SIMD (FMA)" : mm.simd ? "SIMD (simd128)" : "scalar"}` : "NOT AVAILABLE (mm.attention is not a function): competitors only"}`);
  log(`  multimax: { ranges: [${ATTENTION_PARAMS.ranges.join(", ")}], ts: [${ATTENTION_PARAMS.ts.join(", ")}] } (prepared once with mm.multimaxParams)`);
  log(`  method  : q, k, v, dOut ~ N(0, 1) float32, scale 1/sqrt(D); ${R} interleaved rounds, ~${TMS} ms per sample (at least one call);`);
  log(`            ns/score = time / (B·H·Lq·Lk), median over rounds [p10 - p90]; ratios = median of per-round ratios; GFLOP/s = 2·(D+Dv) flops per score`);
  await prewarm({ mm, tf: comp.tf, ort: comp.ort, params, haveOurs }, quick ? 700 : 1500);
  // the peak: measured before the shapes and again after them (the best of both stands)
  const peakRuns = quick ? 4 : 8;
  const peak0 = await measurePeak(comp, peakRuns);
  log(`  peak    : tfjs-wasm matMul 1024x1024x1024 (kernel): ${peak0.tfjsGflops.toFixed(1)} GFLOP/s (best of ${peakRuns}; measured again after the shapes); onnxruntime-web MatMul (run): ${peak0.ortGflops ? peak0.ortGflops.toFixed(1) : "-"} GFLOP/s`);
  const tensorsAtStart = comp.tf.memory().numTensors;
  const ctx = { mm, tf: comp.tf, ort: comp.ort, params, haveOurs, rounds: R, targetMs: TMS, warmupMs: WMS, quick, log };
  const list = shapes ? ATTENTION_SHAPES.filter((s) => shapes.includes(s.key)) : ATTENTION_SHAPES;
  const results = [];
  for (const sh of list) {
    const t0 = performance.now();
    const r = await benchShape(sh, ctx);
    r.seconds = (performance.now() - t0) / 1000;
    printShape(r, log);
    results.push(r);
  }
  const peak1 = await measurePeak(comp, peakRuns);
  const peak = {
    tfjsGflops: Math.max(peak0.tfjsGflops, peak1.tfjsGflops), ortGflops: Math.max(peak0.ortGflops ?? 0, peak1.ortGflops ?? 0) || null,
    runs: 2 * peakRuns, before: peak0, after: peak1,
  };
  const sum = printSummary(results, peak, log);
  const leaked = comp.tf.memory().numTensors - tensorsAtStart;
  if (leaked !== 0) sum.errors.push(`tfjs: ${leaked} tensors not disposed`);
  const seconds = (performance.now() - started) / 1000;
  log(`  attention section: ${seconds.toFixed(1)} s (${results.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ")})`);
  return {
    haveOurs, rounds: R, targetMs: TMS, seed: SEED, params: ATTENTION_PARAMS, tolerance: TOL, env: comp.env, peak,
    targetsMet: sum.met, targetsTotal: sum.total, mismatches: sum.mismatches, errors: sum.errors, seconds,
    shapes: results.map(({ samples, ...r }) => ({ ...r, samplesNsPerScore: samples })),
  };
}

// ------------------------------------------------------------------ standalone
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const o = { quick: false, rounds: null, targetMs: null, shapes: null, json: null };
  try {
    eachArg(process.argv.slice(2), (a, val, is) => {
      if (a === "--quick") o.quick = true;
      else if (is("--rounds")) o.rounds = Number(val());
      else if (is("--target-ms")) o.targetMs = Number(val());
      else if (is("--shapes")) o.shapes = val().split(",").map((s) => s.trim());
      else if (is("--json")) o.json = val();
      else if (a === "--help" || a === "-h") {
        console.log("usage: node bench/attention.mjs [--quick] [--rounds N] [--target-ms M] [--shapes 128,512,1024,d1024,d4096] [--json FILE]");
        process.exit(0);
      } else throw new Error(`unknown argument ${JSON.stringify(a)} (try --help)`);
    });
    if (o.rounds !== null && !(Number.isInteger(o.rounds) && o.rounds >= 3)) throw new Error("--rounds: expected an integer >= 3");
    if (o.targetMs !== null && !(o.targetMs > 0)) throw new Error("--target-ms: expected a number > 0");
    for (const s of o.shapes ?? []) if (!ATTENTION_SHAPES.some((x) => x.key === s)) throw new Error(`--shapes: unknown shape ${JSON.stringify(s)}`);
  } catch (e) {
    console.error(`bench/attention: ${e.message}`);
    process.exit(2);
  }
  const lib = await import("../dist/index.js");
  const mm = await lib.init();
  console.log(`multimax-wasm attention benchmark\n  node    : ${process.version} (${process.platform}-${process.arch}), V8 ${process.versions.v8}\n  cpu     : ${os.cpus()[0]?.model?.trim()} (${os.cpus().length} logical cpus)`);
  const r = await runAttention({ mm, ...o });
  console.log(`  checksum ${sink.value.toPrecision(6)}`);
  if (o.json) { writeFileSync(o.json, JSON.stringify(r, null, 1) + "\n"); console.log(`  wrote ${o.json}`); }
  if (r.mismatches.length || r.errors.some((e) => e.startsWith("tfjs:"))) process.exitCode = 1;
}
