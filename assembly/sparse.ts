// Row drivers of the sparse baselines: sparsemax, 1.5-entmax, α-entmax, α-normmax (threshold
// maps) and ev-softmax. Same memory contract as rows.ts, plus: tmp is room for two rows of cols
// floats (candidate values and their indices; at least 16 floats), support is 0 or one i32 per
// row (receives count(y > 0)), alpha is one f64 per row at stride alphaStride (0: one value).
//
// Threshold maps. With w = x − max(x) (≤ 0, max entry 0) and X = c·w, each map is
//     y_i = max(X_i − τ, 0)^e   (then divided by Σ y for α-entmax and normmax)
// where τ solves  F(τ) = Σ_i max(X_i − τ, 0)^γ = 1,  τ in [−1, 0):
//   sparsemax (Martins & Astudillo 2016)          c = 1,      γ = 1,          e = 1
//   1.5-entmax (Peters, Niculae & Martins 2019)   c = ½,      γ = 2,          e = 2
//   α-entmax (ibid.; entmax.entmax_bisect)        c = α − 1,  γ = 1/(α − 1),  e = γ
//   α-normmax (entmax.normmax_bisect)             c = 1,      γ = α/(α − 1),  e = 1/(α − 1)
// F is decreasing; τ = −1 is a lower bound (the max entry alone gives F ≥ 1) and 0 an upper one,
// and the threshold of any subset S of the row is a lower bound of the row's (F_row ≥ F_S).
// No sort. Per row (threshold_row):
//   1. the max pass keeps its 16 lane maxima (f32-rmaxlanes), a subset of the row: their own
//      threshold, bounded from below in four vector registers (list.ts bound16), starts the search.
//   2. candidates (rows of FILTER_MIN or more, and every row for powers other than 1, 2 and 4):
//      one streaming pass (f32-vfilter) lists the entries above the bound, raising it from the
//      list when it fills up; on long rows it gives up past cols/8 candidates (dense rows).
//   3. the search, over the list or the row (f32-rthresh, one vector pass per step):
//      γ = 1: Michelot's fixed point (Michelot 1986; Condat 2016, §2): τ ← (Σ_{X_i > τ} X_i − 1)/k,
//      Newton from below, exact as soon as the support stops changing. Stopping rule: the step
//      is no larger than the smallest surviving X_i − τ (the support cannot change: exact), or
//      the count is unchanged, or the step is below float32 resolution.
//      γ = 2: Newton from below (F convex), raised to the power-mean bound mean_S X − |S|^(−½)
//      when that is larger; on each support the exact root of the quadratic, in the stable
//      form δ = (S2 − 1)/(S1 + √(S1² − k(S2 − 1))) with sums centred at the current τ, is
//      accepted only when it lies below the smallest surviving X_i (then the support is the
//      right one and the root is exact). The exact root is not a lower bound: it can overshoot
//      when the support is still too large, so it is never iterated from.
//      For both: an accepted step whose sums were far from 1 is redone once from there.
//      other γ: Halley's method on F − 1 inside a bracket [lo, hi] (see halley for its
//      safeguards); it stops when the next float32 iterate equals the current one and returns
//      the float64 Halley point, or after 64 evaluations.
//   4. outputs: ((x − m)·c − τhi) − τlo with τ carried as two floats, never x − (m + τ), which
//      loses the low bits of τ when |m| is large (f32-vthreshpow; on short rows with γ = 1, 2 the
//      last search pass stores max(X − t, 0) and f32-vrelusub finishes it). Exponents below 1
//      (α > 2) are finished in float64 (finish64); α within 1/64 of 1 searches s = τ + 1 and
//      computes (1 + u)^e from ln(1 + u) (K = E = 5).
// Passes are centred at the current threshold (sums of X − τ), so the last step's sums are
// small numbers with small rounding errors; they accumulate in float64.
//
// Exceptional rows (special.ts conventions): a NaN in a kept position → all NaN; all entries
// masked or −∞ → all 0; +∞ entries → equal shares among them. The return value counts them.
import { exp64, log64 } from "./math/math64";
import { f32down, f32up } from "./math/acc";
import {
  countpos, expstore_thr, filter, maskcopy, maxsum, maxsum_fast, rmaxlanes, rthresh, scale, vrelusub, vthreshpow,
} from "./config";
import { softmax_row } from "./rows";
import { bound16, tighten } from "./math/list";
import { special_row_from_z } from "./special";
import { Pow, ThresholdMap } from "./kinds";
import {
  Eval64, LastPass, MAP_CONSTANTS_BYTES, MapConstants, RMaxSumResult, RThreshResult, VFilterResult, VThreshPowResult,
} from "./records";

/** Rows at least this long search the whole row when the filter finds them dense. */
// @ts-ignore: decorator
@inline const FILTER_MIN: i32 = 512;
/** Evaluation caps: never reached on the golden data or in the property tests (the loops stop on
 *  their own rules first); they only bound the time of a pathological row. */
// @ts-ignore: decorator
@inline const MAX_STEPS: i32 = 100;
// @ts-ignore: decorator
@inline const MAX_HALLEY: i32 = 64;

/** The records this driver owns (records.ts): the search passes' sums, the search's last pass, the
 *  output pass's count, the filter's bound, finish64's float64 evaluation, the map's constants (whose
 *  static data starts with alpha = NaN: the first row runs setup), ev-softmax's max-pass sums. */
const SUMS = changetype<RThreshResult>(memory.data(offsetof<RThreshResult>(), 16));
const LAST = changetype<LastPass>(memory.data(offsetof<LastPass>(), 16));
const OUT = changetype<VThreshPowResult>(memory.data(offsetof<VThreshPowResult>(), 16));
const FILTER = changetype<VFilterResult>(memory.data(offsetof<VFilterResult>(), 16));
const EVAL = changetype<Eval64>(memory.data(offsetof<Eval64>(), 16));
const MAP = changetype<MapConstants>(memory.data<f64>([NaN, 0, 0, 0, 0, 0], 16));
const MAXSUM = changetype<RMaxSumResult>(memory.data(offsetof<RMaxSumResult>(), 16));

/** The outputs of a whole row from τ (as τhi + τlo), normalised when norm (scale rounded down:
 *  y ≤ 1); returns count(y > 0). */
function outputRow(E: Pow, z: usize, y: usize, n: i32, m: f32, c: f32, tau: f64, e: f32, norm: bool): i32 {
  const hi = <f32>tau, lo = <f32>(tau - <f64>hi);
  const sum = vthreshpow(E, z, y, n, m, c, hi, lo, e, OUT);
  const k = OUT.count;
  if (norm) scale(y, y, n, f32down(1 / sum));
  return k;
}

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
function halley(x: usize, n: i32, m: f32, c: f32, t: f32, K: Pow, g: f64): f64 {
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

// @ts-ignore: decorator
@inline function intKind(v: f64): Pow {
  return v == 1 ? Pow.One : v == 2 ? Pow.Two : v == 4 ? Pow.Four : Pow.General; // (γ = 3 takes the general power: rare, and it saves code)
}

/** The search for power kind K over x[0..n) from the lower bound t (X units). Returns τ.
 *  ys ≠ 0 (K = 1, 2): each pass also stores max(X − t, 0) there (see f32-vrelusub), and `last`
 *  receives the last pass's centre and sums. */
function search(x: usize, n: i32, m: f32, c: f32, t: f32, K: Pow, g: f64, ys: usize, last: LastPass): f64 {
  if (K == Pow.One) return michelot(x, n, m, c, t, ys, last);
  if (K == Pow.Two) return quadratic(x, n, m, c, t, ys, last);
  return halley(x, n, m, c, t, K, g);
}

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
function finish64(z: usize, y: usize, n: i32, vals: usize, idx: usize, m: f32, c: f64, tau32: f64, g: f64, e: f64, eb: f32): i32 {
  const delta = 1e-5 * (1 + Math.abs(tau32));
  const t0 = f32down(tau32 - delta);
  const len = filter(z, n, vals, idx, m, <f32>c, t0, eb, <f32>g, 0x7FFFFFFF, 0x7FFFFFFF, FILTER);
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
function scatter(y: usize, n: i32, vals: usize, idx: usize, len: i32, s: f32): void {
  memory.fill(y, 0, <usize>n << 2);
  for (let j = 0; j < len; j++) {
    const o = <usize>j << 2;
    store<f32>(y + (<usize>load<i32>(idx + o) << 2), load<f32>(vals + o) * s);
  }
}

/** The map's constants for α into P (records.ts MapConstants): kept across rows, recomputed only
 *  when α or the map changes (their float64 divisions would otherwise sit on every row's critical
 *  path). */
function setup(P: MapConstants, normmax: bool, alpha: f64): void {
  if (offsetof<MapConstants>() > MAP_CONSTANTS_BYTES) ERROR("MapConstants outgrew its static data");
  let c: f64, gamma: f64, e: f64, norm = true;
  if (normmax) {
    c = 1; gamma = alpha / (alpha - 1); e = 1 / (alpha - 1);
  } else if (alpha == 2) {
    c = 1; gamma = 1; e = 1; norm = false;
  } else if (alpha == 1.5) {
    c = 0.5; gamma = 2; e = 2; norm = false;
  } else {
    c = alpha - 1; gamma = 1 / c; e = gamma;
    // (α − 1 beyond float32's range would make X = (x − m)·c NaN at the max: the limit is the
    // same, the max entries' equal shares)
    if (c > 3.4028234663852886e38) c = 3.4028234663852886e38;
  }
  P.alpha = alpha; P.normmax = normmax; P.norm = norm;
  P.c = c; P.gamma = gamma; P.e = e;
  P.K = intKind(gamma); P.E = intKind(e);
  P.eb = gamma >= 1 ? <f32>(1 / gamma) : 1;
}

/** One threshold-map row z (no NaN known yet) into y, vals/idx: room for n candidates each.
 *  normmax: α-normmax, else α-entmax (α = 2: sparsemax, 1.5: entmax-1.5). Returns count(y > 0),
 *  or −1 for an exceptional row (y then holds its special.ts result). */
function threshold_row(z: usize, y: usize, vals: usize, idx: usize, n: i32, normmax: bool, alpha: f64): i32 {
  // the row max (a NaN or ±∞ makes the row exceptional), and its 16 lane maxima in vals
  const m = rmaxlanes(z, n, vals);
  if (m - m != 0) { special_row_from_z(z, y, n, m, false); return -1; }
  if (!normmax && alpha == 1) {
    softmax_row(z, y, n, m);
    return countpos(y, n);
  }
  if (alpha != MAP.alpha || normmax != MAP.normmax) setup(MAP, normmax, alpha);
  const c = MAP.c, gamma = MAP.gamma, e = MAP.e, norm = MAP.norm, K = MAP.K, E = MAP.E, eb = MAP.eb, c32 = <f32>c;
  if (e > 64) {
    // α within 1/64 of 1: p = d^e with d = X − τ ≈ 1 would turn float32's spacing of d into a
    // relative error of 6e-8·e; instead the unknown is s = τ + 1 and p = (1 + u)^e with
    // u = X − s and ln(1 + u) from u (f32-rthresh p1p, f32-vthreshpow e1p). Dense rows: no list.
    const s = halley(z, n, m, c32, 0, Pow.Near1, gamma); // (s = 0, τ = −1, is a lower bound)
    return outputRow(Pow.Near1, z, y, n, m, c32, s, <f32>e, true);
  }
  // a starting bound from the 16 lane maxima of the max pass (a subset of the row)
  let t = bound16(vals, m, c32, eb, <f32>gamma);
  // Candidates: short rows with integer powers (1, 2, 4) are searched directly (a few cheap passes
  // cost less than building a list); the general power, exp(γ·ln d) per entry and pass, is worth
  // a list on any row. Short rows: the list never gives up (at worst it is the row); long ones:
  // past n/8 entries.
  let len = -1;
  if (n >= FILTER_MIN || K == Pow.General) {
    // short rows: no giving up; and no tightening for the cheap integer powers (the bound after
    // the filter is enough), but for the general power, whose passes cost a power per entry
    const limit = n < FILTER_MIN ? 0x7FFFFFFF : n >> 3;
    const cap0 = n < FILTER_MIN && K != Pow.General ? 0x7FFFFFFF : 64;
    len = filter(z, n, vals, idx, m, c32, t, eb, <f32>gamma, limit, cap0, FILTER);
    t = FILTER.bound;
  }
  const a = len >= 0 ? vals : z, na = len >= 0 ? len : n;
  if (len >= 0 && K != Pow.One) t = tighten(vals, len, m, c32, t, eb, <f32>gamma); // (Michelot's first step is this bound)
  if (len < 0 && (K == Pow.One || K == Pow.Two) && (E == Pow.One || E == Pow.Two)) {
    // the whole row, K = 1 or 2: the passes store max(X − t, 0) (into y, or into the scratch when
    // y is the input), and the outputs come from the last pass's: y = s·max(d − δ, 0)^E, δ = τ − t;
    // normmax's s from that pass's sums: Σ_S (d − δ) = S1 − k·δ
    const ys = z != y ? y : vals;
    const tau = search(z, n, m, c32, t, K, gamma, ys, LAST);
    const delta = tau - <f64>LAST.t;
    const hi = <f32>delta, lo = <f32>(delta - <f64>hi);
    const s: f32 = norm ? f32down(1 / (LAST.s1 - <f64>LAST.count * delta)) : 1;
    return vrelusub(E, ys, y, n, hi, lo, s);
  }
  let tau = search(a, na, m, c32, t, K, gamma, 0, LAST);
  // sensitive outputs: exponent below 1 (α > 2): finished in float64
  if (e < 1) return finish64(z, y, n, vals, idx, m, c, tau, gamma, e, eb);
  // no list, or many candidates: one vector pass over the row
  if (len < 0 || len > n >> 2) return outputRow(E, z, y, n, m, c32, tau, <f32>e, norm);
  const hi = <f32>tau, lo = <f32>(tau - <f64>hi);
  const sum = vthreshpow(E, vals, vals, len, m, c32, hi, lo, <f32>e, OUT); // p of each candidate, in place
  const k = OUT.count;
  scatter(y, n, vals, idx, len, norm ? f32down(1 / sum) : 1); // (z may be y: the candidates are in vals)
  return k;
}

/** Row r's input for the threshold and ev-softmax drivers: x's row, or (with a mask) its masked
 *  copy in y's row (masked entries −∞). */
// @ts-ignore: decorator
@inline function rowInput(xr: usize, yr: usize, mask: usize, r: i32, cols: i32): usize {
  if (mask == 0) return xr;
  maskcopy(xr, yr, mask + <usize>r * <usize>cols, cols);
  return yr;
}

/** Threshold maps row by row (kind: kinds.ts ThresholdMap).
 *  tmp: room for 2·cols values (candidate values, then their indices). */
export function threshold_rows(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, kind: ThresholdMap, alpha: usize, alphaStride: i32, support: usize): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rowBytes, z = rowInput(x + <usize>r * rowBytes, yr, mask, r, cols);
    const a: f64 = kind == ThresholdMap.Sparsemax ? 2 : kind == ThresholdMap.Entmax15 ? 1.5 : load<f64>(alpha + <usize>r * <usize>alphaStride);
    let k = threshold_row(z, yr, tmp, tmp + rowBytes, cols, kind == ThresholdMap.Normmax, a);
    if (k < 0) { k = countpos(yr, cols); special++; }
    if (support != 0) store<i32>(support + (<usize>r << 2), k);
  }
  return special;
}

/** ev-softmax row by row (official MultiMax repository, multihead_attention.py):
 *    y_i = exp(x_i − max)·w_i / Σ_j exp(x_j − max)·w_j,  w_i = eps if x_i < mean else 1,
 *  eps = 0 (eval) or 1e-6 (training). The mean is over the entries that are not −∞ (masked
 *  entries are −∞), summed in float64: exact for a constant row (n·v needs at most 24 + log2 n
 *  bits), which therefore stays uniform; upstream's float32 mean can round above v and zero the
 *  whole row. x < mean is decided exactly: x < mean ⟺ x < the smallest float32 ≥ mean. */
export function evsoftmax_rows(x: usize, y: usize, mask: usize, rows: i32, cols: i32, eps: f32, support: usize): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rowBytes, z = rowInput(x + <usize>r * rowBytes, yr, mask, r, cols);
    // unmasked rows: the fast sum (no −∞ test), redone carefully if it is not finite
    let m: f32 = mask == 0 ? maxsum_fast(z, cols, MAXSUM) : NaN;
    if (!(MAXSUM.sum - MAXSUM.sum == 0 && m - m == 0)) m = maxsum(z, cols, MAXSUM);
    const s = MAXSUM.sum;
    if (m - m != 0 || s - s != 0) {
      special_row_from_z(z, yr, cols, s - s != 0 && m - m == 0 ? NaN : m, false);
      special++;
    } else {
      const thr = f32up(s / <f64>MAXSUM.count);
      const sum = expstore_thr(z, yr, cols, m, thr, eps);
      scale(yr, yr, cols, <f32>(1 / sum));
    }
    if (support != 0) store<i32>(support + (<usize>r << 2), countpos(yr, cols));
  }
  return special;
}
