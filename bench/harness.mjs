// Shared by the benchmarks (bench/bench.mjs, bench/compare.mjs): seeded inputs, the interleaved
// measurement loop, summaries, formatting and float64 references for the accuracy columns (the
// plain-JS competitors are in plain-js.mjs). Nothing here is timed itself.
import { mulberry32 } from "../tools/prng.mjs";

export const prng = mulberry32;

/** Walks command-line arguments: on(arg, value, is) for each, where value() reads the value of
 *  "--name=v" or "--name v" and is(name) tells whether arg is --name in either form. */
export function eachArg(argv, on) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
      if (i + 1 >= argv.length) throw new Error(`${a}: missing value`);
      return argv[++i];
    };
    on(a, value, (name) => a === name || a.startsWith(`${name}=`));
  }
}

/** Box-Muller normal sampler on top of a uniform source. */
export function gauss(rand) {
  let spare = null;
  return () => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = rand();
    const r = Math.sqrt(-2 * Math.log(u)), th = 2 * Math.PI * rand();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
}
/** n float32 values sigma·N(0, 1) from a fixed seed. */
export function normals(n, seed, sigma = 2) {
  const g = gauss(prng(seed)), x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = sigma * g();
  return x;
}

export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const p = (sorted.length - 1) * q, lo = Math.floor(p), hi = Math.ceil(p);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (p - lo);
}
export function summary(values) {
  const s = Float64Array.from(values).sort();
  return { median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9), min: s[0], max: s[s.length - 1], n: s.length };
}
/** Per-round ratios a[i] / b[i], summarised. */
export const ratioSummary = (a, b) => summary(a.map((v, i) => v / b[i]));

export const now = () => process.hrtime.bigint();
export const pad = (s, w) => String(s).padEnd(w);
export const lpad = (s, w) => String(s).padStart(w);
export const fmtNs = (v) => (v >= 100 ? v.toFixed(1) : v >= 10 ? v.toFixed(2) : v.toFixed(3));
export const fmtX = (v) => `${v.toFixed(2)}x`;
export const fmtE = (v) => v.toExponential(1);
export const grp = (n) => n.toLocaleString("en-US");

/** Everything the candidates return is added here, so no call can be optimised away. */
export const sink = { value: 0 };

async function timeRun(c, reps) {
  const t0 = now();
  const s = await c.run(reps);
  const t1 = now();
  sink.value += s;
  return Number(t1 - t0);
}

/** The interleaved measurement. make() builds the candidates ({ key, label, run(reps) → number or
 *  a promise of one }); refresh() re-acquires detached zero-copy views and returns true when it did
 *  (make() is then called again); beforeRound(round), if given, runs untimed before each round (to
 *  re-create inputs, so that no single memory placement decides a result). Every candidate is
 *  warmed up (warmupMs and at least 5 calls), its repetitions are calibrated once so that a sample
 *  takes ~targetMs, then `rounds` rounds run every candidate once, interleaved; round r starts at
 *  candidate r mod k (A B C, B C A, C A B, …) so that the garbage one candidate leaves, or the cache
 *  state, does not always fall on the same next one. Returns per-candidate ns per element
 *  (elements = the elements one call processes), one entry per round. */
export async function measure({ make, refresh = () => false, beforeRound = null, elements, rounds, targetMs, warmupMs }) {
  let cands = make();
  for (const c of cands) {
    const t0 = performance.now();
    let calls = 0;
    while (calls < 5 || performance.now() - t0 < warmupMs) { sink.value += await c.run(1); calls++; }
  }
  if (refresh()) cands = make();
  const reps = {};
  for (const c of cands) {
    let one = Infinity;
    for (let i = 0; i < 3; i++) one = Math.min(one, await timeRun(c, 1));
    let r = Math.max(1, Math.round((targetMs * 1e6) / one));
    const t = await timeRun(c, r);
    r = Math.max(1, Math.round((r * targetMs * 1e6) / t));
    reps[c.key] = r;
  }
  const ns = Object.fromEntries(cands.map((c) => [c.key, []]));
  for (let round = 0; round < rounds; round++) {
    if (beforeRound) beforeRound(round);
    if (refresh()) cands = make();
    for (let j = 0; j < cands.length; j++) {
      const c = cands[(round + j) % cands.length];
      ns[c.key].push((await timeRun(c, reps[c.key])) / (reps[c.key] * elements));
    }
  }
  return { cands, reps, ns };
}

/** A fixed pseudo-random element index per repetition (which output element a timed loop reads). */
export const pickIndex = (n) => (r) => (r * 7919) % n;

// float64 references (for the accuracy checks only)
export function refSoftmax64(x, rows, cols, phi) {
  const y = new Float64Array(x.length), z = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let i = 0; i < cols; i++) { z[i] = phi ? phi(x[o + i]) : x[o + i]; if (z[i] > m) m = z[i]; }
    let s = 0;
    for (let i = 0; i < cols; i++) { const v = Math.exp(z[i] - m); y[o + i] = v; s += v; }
    for (let i = 0; i < cols; i++) y[o + i] /= s;
  }
  return y;
}
export function refLogSoftmax64(x, rows, cols) {
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let i = 0; i < cols; i++) if (x[o + i] > m) m = x[o + i];
    let s = 0;
    for (let i = 0; i < cols; i++) s += Math.exp(x[o + i] - m);
    const l = m + Math.log(s);
    for (let i = 0; i < cols; i++) y[o + i] = x[o + i] - l;
  }
  return y;
}
/** φ in float64 from the packed float32 records [a, b, c, d] per order. */
export function phi64(records) {
  const N = records.length >> 2;
  return (x) => {
    let z = x;
    for (let j = 0; j < N; j++) {
      const [a, b, c, d] = records.subarray(4 * j, 4 * j + 4);
      z += a * Math.max(b - x, 0) ** (j + 1) + c * Math.max(x - d, 0) ** (j + 1);
    }
    return z;
  };
}
export function maxAbsDiff(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) { const d = Math.abs(a[i] - b[i]); if (!(d <= m)) m = d; }
  return m;
}
export function maxRowSumErr(y, rows, cols) {
  let m = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * cols, e = i + cols; i < e; i++) s += y[i];
    const d = Math.abs(s - 1);
    if (!(d <= m)) m = d;
  }
  return m;
}
export function bitEqual(a, b) {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}
