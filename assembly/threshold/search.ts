// The threshold search of the threshold maps (threshold/rows.ts): τ solves F(τ) = Σ max(X − τ, 0)^γ = 1
// from a lower bound t, one vector pass per step (config.ts rthresh, f32-rthresh):
//   γ = 1: Michelot's fixed point (Michelot 1986; Condat 2016, §2): τ ← (Σ_{X_i > τ} X_i − 1)/k,
//      Newton from below, exact as soon as the support stops changing. Stopping rule: the step
//      is no larger than the smallest surviving X_i − τ (the support cannot change: exact), or
//      the count is unchanged, or the step is below float32 resolution.
//   γ = 2: Newton from below (F convex), raised to the power-mean bound mean_S X − |S|^(−½)
//      when that is larger; on each support the exact root of the quadratic, in the stable
//      form δ = (S2 − 1)/(S1 + √(S1² − k(S2 − 1))) with sums centred at the current τ, is
//      accepted only when it lies below the smallest surviving X_i (then the support is the
//      right one and the root is exact). The exact root is not a lower bound: it can overshoot
//      when the support is still too large, so it is never iterated from.
//   For both: an accepted step whose sums were far from 1 is redone once from there.
//   other γ: Halley's method on F − 1 inside a bracket [lo, hi] (see halley for its
//      safeguards); it stops when the next float32 iterate equals the current one and returns
//      the float64 Halley point, or after 64 evaluations.
// Passes are centred at the current threshold (sums of X − τ), so the last step's sums are
// small numbers with small rounding errors; they accumulate in float64.
import { exp64, log64 } from "../math/math64";
import { f32down } from "../math/acc";
import { rthresh } from "../config";
import { Pow } from "../kinds";
import { LastPass, RThreshResult } from "../records";

/** Evaluation caps: never reached on the golden data or in the property tests (the loops stop on
 *  their own rules first); they only bound the time of a pathological row. */
// @ts-ignore: decorator
@inline const MAX_STEPS: i32 = 100;
// @ts-ignore: decorator
@inline const MAX_HALLEY: i32 = 64;

/** The search passes' sums (records.ts), owned here. */
const SUMS = changetype<RThreshResult>(memory.data(offsetof<RThreshResult>(), 16));

/** Michelot (γ = 1) from the lower bound t over x[0..n). Returns τ.
 *  The final step is exact on its support, but its sums carry float32 rounding relative to their
 *  size: when they are far from 1 (S1 > 2: t was far below τ), the step is redone once from
 *  t = τ rounded down, where the sums are near 1 (row sums then stay within ~1e-7 of 1). */
function michelot(x: usize, n: i32, m: f32, c: f32, t: f32, ys: usize, last: LastPass): f64 {
  let prev = -1, tau: f64 = t, again = true;
  for (let it = 0; it < MAX_STEPS; it++) {
    rthresh(Pow.One, x, ys, n, m, c, t, 1, SUMS);
    const k = SUMS.count, s1 = SUMS.s1;
    last.t = t; last.s1 = s1; last.count = k;
    const step = (s1 - 1) / <f64>k;
    tau = <f64>t + step;
    const done = step <= <f64>SUMS.min || k == prev;
    if (done && !(again && s1 > 2)) break;
    if (done) { again = false; prev = -1; } else prev = k;
    const tn = f32down(tau);
    if (!(tn > t)) break;
    t = tn;
  }
  return tau;
}

/** Newton / exact quadratic (γ = 2) from the lower bound t over x[0..n). Returns τ. As in
 *  michelot, an accepted root whose sums were far from 1 (S2 > 2) is recomputed once from there. */
function quadratic(x: usize, n: i32, m: f32, c: f32, t: f32, ys: usize, last: LastPass): f64 {
  let tau: f64 = t, again = true;
  for (let it = 0; it < MAX_STEPS; it++) {
    rthresh(Pow.Two, x, ys, n, m, c, t, 2, SUMS);
    const k = <f64>SUMS.count, s1 = SUMS.s1, s2 = SUMS.s2, g = s2 - 1;
    last.t = t; last.s1 = s1; last.count = SUMS.count;
    const disc = s1 * s1 - k * g;
    const newton = g / (2 * s1);
    let step = newton;
    if (disc >= 0) {
      step = g / (s1 + Math.sqrt(disc)); // the exact root on this support
      if (step <= <f64>SUMS.min) {
        tau = <f64>t + step;
        if (!(again && s2 > 2)) return tau;
        again = false;
        const tn = f32down(tau);
        if (!(tn > t)) return tau;
        t = tn;
        continue;
      }
    }
    tau = <f64>t + step;
    const power = s1 / k - 1 / Math.sqrt(k); // mean_S (X − t) − |S|^(−½)
    const tn = f32down(<f64>t + (newton > power ? newton : power));
    if (!(tn > t)) break;
    t = tn;
  }
  return tau;
}

/** Halley in a bracket (γ ≠ 1, 2; K: Four, General, or Near1) from the lower bound t. Returns τ.
 *  Safeguards (F is smooth between kinks, the X_i; for γ > 1 F' is continuous there, but for
 *  γ < 1 its slope is infinite at each):
 *  - γ < 1, from below (F > 1): a step never goes past the smallest X_i of the current support:
 *    F is evaluated at that kink instead, which either brackets the root inside one smooth piece
 *    or moves past the kink (Halley overshooting across a kink and back can cycle);
 *  - a step that leaves the bracket, or a residual |F − 1| that did not halve over two
 *    evaluations, gives way to bisection;
 *  - the search ends when the next float32 point equals the current one and F is within 2.5e-7 of
 *    1 or the bracket is a few ulp wide; the last Halley step, in float64, is still applied.
 *  At most MAX_HALLEY evaluations. */
export function halley(x: usize, n: i32, m: f32, c: f32, t: f32, K: Pow, g: f64): f64 {
  // upper bound: at τ = −n^(−1/γ) every term is at most 1/n (for large α it is tiny: τ → 0⁻)
  // (K = Near1, near-1 maps: the unknown is s = τ + 1, in [0, 1], and the bound is 1 − n^(−1/γ))
  let lo: f64 = t, hi: f64 = -exp64(-log64(<f64>n) / g), tau: f64 = t, r1 = Infinity, r2 = Infinity;
  if (K == Pow.Near1) { hi = 1 + hi; if (!(hi > lo)) hi = 1; }
  else if (!(hi < 0) || hi <= lo) hi = 0;
  const g32 = <f32>g;
  for (let it = 0; it < MAX_HALLEY; it++) {
    rthresh(K, x, 0, n, m, c, t, g32, SUMS);
    const v = SUMS.s1 - 1;
    if (v > 0) lo = t; else if (v < 0) hi = t; else { tau = t; break; } // (F = 1 in float32 sums)
    const w = hi - lo, r = Math.abs(v), slow = r > 0.5 * r2;
    r2 = r1; r1 = r;
    const f1 = -g * SUMS.s2, f2 = g * (g - 1) * SUMS.s3; // F' and F'' at t
    const th = <f64>t - 2 * v * f1 / (2 * f1 * f1 - v * f2); // the Halley point, in float64
    // the estimate to return if the search stops here: the Halley point when it lies in the
    // bracket (its float64 step resolves τ below float32's spacing), else the midpoint
    tau = th > lo && th < hi ? th : mid(lo, hi);
    let next = th;
    if (v > 0 && g < 1) { const kink = <f64>t + <f64>SUMS.min; if (next > kink) next = kink; }
    if (slow || !(next > lo && next < hi)) next = mid(lo, hi);
    let tn = <f32>next;
    if (tn == t) {
      if (Math.abs(v) <= 2.5e-7 || w <= 4 * ulp(t)) break;
      tn = <f32>mid(lo, hi);
      if (tn == t) break;
    }
    if (<f64>tn <= lo || <f64>tn >= hi) { // rounded onto an end: the midpoint, or stop at resolution
      tn = <f32>mid(lo, hi);
      if (<f64>tn <= lo || <f64>tn >= hi) break;
    }
    t = tn;
  }
  return tau;
}

/** Bisection point of [lo, hi] (lo < hi ≤ 0): geometric when the bracket spans more than a factor
 *  of 4 below zero, since for large α the threshold is tiny (about −n^(1−α)) and arithmetic
 *  halving from −1 would need over a hundred steps to reach it. */
// @ts-ignore: decorator
@inline function mid(lo: f64, hi: f64): f64 {
  return hi < 0 && lo < 4 * hi ? -Math.sqrt(lo * hi) : 0.5 * (lo + hi);
}

/** The spacing of float32 numbers at t. */
// @ts-ignore: decorator
@inline function ulp(t: f32): f64 {
  return <f64>reinterpret<f32>((reinterpret<u32>(t) & 0x7F800000) | 1) - <f64>reinterpret<f32>(reinterpret<u32>(t) & 0x7F800000);
}

/** The search for power kind K over x[0..n) from the lower bound t (X units). Returns τ.
 *  ys ≠ 0 (K = 1, 2): each pass also stores max(X − t, 0) there (see f32-vrelusub), and `last`
 *  receives the last pass's centre and sums. */
export function search(x: usize, n: i32, m: f32, c: f32, t: f32, K: Pow, g: f64, ys: usize, last: LastPass): f64 {
  if (K == Pow.One) return michelot(x, n, m, c, t, ys, last);
  if (K == Pow.Two) return quadratic(x, n, m, c, t, ys, last);
  return halley(x, n, m, c, t, K, g);
}
