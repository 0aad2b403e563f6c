// The float64 finish of the threshold maps whose output exponent is below 1 (α-entmax and
// α-normmax with α > 2, threshold/rows.ts), and the scatter of a candidate list's outputs.
import { exp64, log64 } from "../math/math64";
import { f32down } from "../math/acc";
import { filter } from "../config";
import { Eval64, VFilterResult } from "../records";

/** The records owned here (records.ts): the float64 evaluation of F, the candidate filter's bound. */
const EVAL = changetype<Eval64>(memory.data(offsetof<Eval64>(), 16));
const LIST = changetype<VFilterResult>(memory.data(offsetof<VFilterResult>(), 16));

/** x^g for x > 0 in float64 (√ for g = ½, the α = 3 case). */
// @ts-ignore: decorator
@inline function pow64(x: f64, g: f64): f64 {
  return g == 0.5 ? Math.sqrt(x) : exp64(g * log64(x));
}

/** out.f = F(τ) − 1 and out.df = F′(τ) = −γ·Σ d^(γ−1) in float64 over a[0..len), d = (x − m)·c − τ. */
function eval64(a: usize, len: i32, m: f64, c: f64, tau: f64, g: f64, out: Eval64): void {
  let F = 0.0, F1 = 0.0;
  for (let j = 0; j < len; j++) {
    const d = (<f64>load<f32>(a + (<usize>j << 2)) - m) * c - tau;
    if (d > 0) { const q = pow64(d, g); F += q; F1 += q / d; }
  }
  out.f = F - 1; out.df = -g * F1;
}

/** Outputs whose exponent e is below 1 (α-entmax and α-normmax with α > 2): dp/dτ is infinite at
 *  the threshold, so an entry a few float32 ulps above it has a probability of order ulp^e, and
 *  X − τ must be exact there, which the float32 X = (x − m)·c is not (x − m rounds unless x and m
 *  are within a factor of 2), nor is the float32 search's τ. So, from the float32 τ (tau32):
 *  1. candidates: every entry with float32 X > tau32 − Δ, Δ = 1e-5·(1 + |tau32|), far more than
 *     the float32 errors (the filter pass, never giving up, into vals/idx);
 *  2. τ in float64 over them, from the exact X = (x − m)·c: Newton from the side where it is
 *     monotone (F concave, γ < 1: from the right; convex, γ > 1: from the left), inside a bracket,
 *     bisecting when a step leaves it; it stops when a step is below 1e-15 relative (or after 100);
 *  3. p_i = max(X_i − τ, 0)^e in float64, normalised by the sum of the stored float32 values and
 *     scattered into a zero row (y may be z). If τ underflows (α so large that −τ ≈ n^(1−α) is
 *     below float64's range), the limit: equal shares among the entries equal to the max.
 *  Returns count(y > 0). */
export function finish64(z: usize, y: usize, n: i32, vals: usize, idx: usize, m: f32, c: f64, tau32: f64, g: f64, e: f64, eb: f32): i32 {
  const delta = 1e-5 * (1 + Math.abs(tau32));
  const t0 = f32down(tau32 - delta);
  const len = filter(z, n, vals, idx, m, <f32>c, t0, eb, <f32>g, 0x7FFFFFFF, 0x7FFFFFFF, LIST);
  const m64 = <f64>m;
  // a bracket [lo, hi] with F(lo) ≥ 1 > F(hi) (F(0) = 0: 0 is always an upper end)
  let lo = tau32 - delta, hi = tau32 + delta;
  if (hi > 0) hi = 0;
  for (let k = 0; k < 60; k++) { eval64(vals, len, m64, c, lo, g, EVAL); if (EVAL.f >= 0) break; lo -= delta * <f64>(1 << (k < 30 ? k : 30)); }
  for (let k = 0; k < 60; k++) { eval64(vals, len, m64, c, hi, g, EVAL); if (EVAL.f < 0 || hi == 0) break; hi += delta * <f64>(1 << (k < 30 ? k : 30)); if (hi > 0) hi = 0; }
  let tau = g < 1 ? hi : lo;
  for (let it = 0; it < 100; it++) {
    eval64(vals, len, m64, c, tau, g, EVAL);
    const v = EVAL.f, f1 = EVAL.df;
    if (v > 0) lo = tau; else if (v < 0) hi = tau; else break;
    let next = tau - v / f1;
    if (!(next > lo && next < hi)) next = hi < 0 && lo < 4 * hi ? -Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    if (Math.abs(next - tau) <= 1e-15 * Math.abs(tau) || next == tau) { tau = next; break; }
    tau = next;
  }
  // outputs of the candidates, in place in vals
  let sum = 0.0;
  for (let j = 0; j < len; j++) {
    const o = <usize>j << 2;
    const d = (<f64>load<f32>(vals + o) - m64) * c - tau;
    const p = <f32>(d > 0 ? pow64(d, e) : 0);
    store<f32>(vals + o, p);
    sum += <f64>p; // (the sum of the stored values, so that the scale below keeps y ≤ 1)
  }
  if (!(sum > 0 && sum < Infinity)) {
    // τ underflowed: the limit (the candidates still hold the max entries: X = 0 > t0)
    sum = 0;
    for (let j = 0; j < len; j++) {
      const o = <usize>j << 2;
      const p: f32 = load<f32>(z + (<usize>load<i32>(idx + o) << 2)) == m ? 1 : 0;
      store<f32>(vals + o, p);
      sum += <f64>p;
    }
  }
  const s = f32down(1 / sum); // rounded down: p·s ≤ p/sum ≤ 1
  let k = 0;
  for (let j = 0; j < len; j++) k += i32(load<f32>(vals + (<usize>j << 2)) * s > 0);
  scatter(y, n, vals, idx, len, s);
  return k;
}

/** y = 0, then y[idx[j]] = vals[j]·s for the candidates. */
export function scatter(y: usize, n: i32, vals: usize, idx: usize, len: i32, s: f32): void {
  memory.fill(y, 0, <usize>n << 2);
  for (let j = 0; j < len; j++) {
    const o = <usize>j << 2;
    store<f32>(y + (<usize>load<i32>(idx + o) << 2), load<f32>(vals + o) * s);
  }
}
