// f32-rfyloss, scalar (both builds: the general α-entmax loss, not hot; sparsemax and 1.5-entmax
// have f32-rfyscale): the sums of a Fenchel–Young loss
// over the support of p (p[i] > 0; other entries add nothing, whatever x holds there: −∞, NaN),
// in float64 from the float32 p and x: returns Σ p·x; out.sum = Σ h(p) (records.ts RFyLossResult)
// with h by T (run time): Pow125 p − p·√√p, Pow175 p − p·√p·√√p, Entropy −p·ln p,
// General p − p·p^(α−1) = p·(1 − exp((α−1)·ln p)) (a1 = α − 1; math/math64.ts log64, exp64:
// float64 accurate). Each term is p − p^α, not 1 − Σ p^α at the end: the float32 p sums to 1
// only within about 1e-7, which Ω = Σ (p − p^α)/(α(α − 1)) would otherwise divide by α − 1.
import { exp64, log64 } from "../math/math64";
import { RFyLossResult } from "../records";

/** The term h(p) of the loss's regulariser. */
export const enum FyTerm {
  /** p·ln p (α = 1). */
  Entropy = 2,
  /** p^α, any other α. */
  General = 3,
  /** p^1.25 = p·√√p. */
  Pow125 = 4,
  /** p^1.75 = p·√p·√√p. */
  Pow175 = 5,
}

export function f32_rfyloss__scalar(p: usize, x: usize, n: i32, T: FyTerm, a1: f64, out: RFyLossResult): f64 {
  // two loops: the calls of the second (log64, exp64) would slow down the first, the hot one
  let dot = 0.0, h = 0.0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    if (pi > 0) dot += <f64>pi * <f64>load<f32>(x + o);
  }
  for (let i = 0; i < n; i++) {
    const pi = load<f32>(p + (<usize>i << 2));
    if (!(pi > 0)) continue;
    const pd = <f64>pi;
    const r = Math.sqrt(pd);
    h += T == FyTerm.Entropy ? -pd * log64(pd)
      : pd * (1 - (T == FyTerm.Pow125 ? Math.sqrt(r) : T == FyTerm.Pow175 ? r * Math.sqrt(r) : exp64(a1 * log64(pd))));
  }
  out.sum = h;
  return dot;
}
