// Candidate lists of the threshold maps (f32-vfilter-*, threshold/rows.ts): the row values that
// may be in the support (vals) and their column indices (idx). Scalar: lists are short, and the
// list helpers only run when a list has filled up, so their cost is amortised over the appends.
//
// Bounds. The threshold of any subset S of a row is a lower bound of the row's threshold (each
// term of F is ≥ 0, so F_row ≥ F_S), and by the power-mean inequality the threshold of S is at
// least  mean_S X − |S|^(−eb)  with eb = 1/γ for γ ≥ 1, and eb = 1 for γ < 1 (where d^γ ≥ d on
// (0, 1]). In input units (X = (x − m)·c): mean_S x − |S|^(−eb)/c.
import { addPromoted, f32down, hcount, hsum64 } from "./acc";
import { powf_pos } from "./pow";
import { loadPart } from "./tail";
import { ListSums } from "../records";

/** Relative slack that keeps an input-unit bound valid for the float32 search (X is rounded). */
// @ts-ignore: decorator
@inline const SLACK: f64 = 1.9073486328125e-6; // 2^-19

/** |S|^(−eb): exact for eb = 1 (sparsemax) and ½ (γ = 2), else the float32 power made larger by
 *  1e-5 (its error is below 1e-6), which keeps the bound valid. */
function invpow(k: f64, eb: f32): f64 {
  return eb == 1 ? 1 / k : eb == 0.5 ? 1 / Math.sqrt(k) : <f64>powf_pos(<f32>(1 / k), eb) * (1 + 1e-5);
}

/** The input-unit value below which an entry cannot have X = (x − m)·c > t (for a compare on the
 *  raw input): m + t/c, lowered by a relative slack of 2^-19 that covers the rounding of X. */
export function raw_bound(m: f32, c: f32, t: f32): f32 {
  const b = <f64>m + <f64>t / <f64>c;
  return f32down(b - SLACK * (Math.abs(<f64>m) + Math.abs(<f64>t / <f64>c)));
}

/** Keeps the entries with X > t (vals and idx), in order; returns the new length. Branch-free:
 *  every entry is copied to the end of the kept ones, which advances only past the kept. */
export function compact(vals: usize, idx: usize, len: i32, m: f32, c: f32, t: f32): i32 {
  let k = 0;
  for (let j = 0; j < len; j++) {
    const o = <usize>j << 2;
    const v = load<f32>(vals + o);
    store<f32>(vals + (<usize>k << 2), v);
    store<i32>(idx + (<usize>k << 2), load<i32>(idx + o));
    k += i32((v - m) * c > t);
  }
  return k;
}

/** tighten's sums (sums0, sums1). */
const SUMS = changetype<ListSums>(memory.data(offsetof<ListSums>(), 16));

/** A lower bound of the threshold in X units (the float32 problem) from the entries of
 *  vals[0..len) with X > t: the power-mean bound, then for γ = 1, 2, 3, 4 (F convex) two Newton
 *  steps on the list's own F, which stay below the list's threshold and so below the row's.
 *  Never below t. Vector loops where the build has SIMD (a scalar loop over random data costs
 *  about 3 ns per entry and round, more than a vector pass over a whole short row); sums in f64. */
export function tighten(vals: usize, len: i32, m: f32, c: f32, t: f32, eb: f32, g: f32): f32 {
  sums0(vals, len, m, c, t, SUMS);
  const cnt = SUMS.count, s = SUMS.sum;
  if (cnt == 0) return t;
  const b = f32down(s / <f64>cnt - invpow(<f64>cnt, eb));
  if (b > t) t = b;
  if (g != 1 && g != 2 && g != 3 && g != 4) return t; // (γ < 1: F concave; other γ: a float32 power per entry costs more than it saves)
  for (let r = 0; r < 2; r++) {
    sums1(vals, len, m, c, t, g, SUMS);
    const F = SUMS.f, F1 = SUMS.f1;
    if (!(F > 1)) break;
    // Newton: F(t + δ) ≥ F(t) − g·F1·δ (convexity), so δ = (F − 1)/(g·F1) keeps F ≥ 1. F is a sum
    // of float32 d^g (d = X − t and its powers rounded, < 4 roundings each): it is taken 1e-6
    // smaller, or near τ, where F − 1 is tiny, the rounding could carry t one float past τ
    const tn = f32down(<f64>t + (F * (1 - 1e-6) - 1) / (<f64>g * F1));
    if (tn > t) t = tn; else break;
  }
  return t;
}

// @ts-ignore: decorator
@inline function hsumf(v: v128): f32 {
  const h = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(h, 0) + f32x4.extract_lane(h, 1);
}
/** A bound computed with float32 sums of at most 16 terms (relative error < 1e-6), lowered so
 *  that it stays a bound: by 1e-5·(1 + |b|), which also covers the float32 arithmetic here. */
// @ts-ignore: decorator
@inline function lowered(b: f32): f32 {
  return b - <f32>1e-5 * (1 + Mathf.abs(b));
}

/** The starting bound of a row (X units) from the 16 lane maxima of the max pass (lanes[0..16),
 *  −∞ where a lane saw nothing): as tighten(lanes, 16, m, c, −1, eb, g), but in four vector
 *  registers with float32 sums (no loop, no float64 lanes): about a fifth of tighten's time. */
export function bound16(lanes: usize, m: f32, c: f32, eb: f32, g: f32): f32 {
  if (!ASC_FEATURE_SIMD) return tighten(lanes, 16, m, c, -1, eb, g);
  const vm = f32x4.splat(m), vc = f32x4.splat(c), zero = f32x4.splat(0);
  const X0 = f32x4.mul(f32x4.sub(v128.load(lanes), vm), vc), X1 = f32x4.mul(f32x4.sub(v128.load(lanes, 16), vm), vc);
  const X2 = f32x4.mul(f32x4.sub(v128.load(lanes, 32), vm), vc), X3 = f32x4.mul(f32x4.sub(v128.load(lanes, 48), vm), vc);
  let t: f32 = -1, vt = f32x4.splat(t);
  const g0 = f32x4.gt(X0, vt), g1 = f32x4.gt(X1, vt), g2 = f32x4.gt(X2, vt), g3 = f32x4.gt(X3, vt);
  const cnt = hcount(i32x4.add(i32x4.add(g0, g1), i32x4.add(g2, g3)));
  if (cnt == 0) return t;
  const s = hsumf(f32x4.add(f32x4.add(v128.and(X0, g0), v128.and(X1, g1)), f32x4.add(v128.and(X2, g2), v128.and(X3, g3))));
  // (float32 scalar math: this runs once per row on a latency-bound chain)
  const k = <f32>cnt;
  const b = lowered(s / k - (eb == 1 ? 1 / k : eb == 0.5 ? 1 / Mathf.sqrt(k) : <f32>invpow(<f64>cnt, eb)));
  if (b > t) t = b;
  // Newton rounds for γ = 2, 3, 4 (for γ = 1 they are Michelot steps, which the first search
  // pass does at a lower price)
  if (g != 2 && g != 3 && g != 4) return t;
  for (let r = 0; r < 2; r++) {
    vt = f32x4.splat(t);
    const d0 = f32x4.sub(X0, vt), d1 = f32x4.sub(X1, vt), d2 = f32x4.sub(X2, vt), d3 = f32x4.sub(X3, vt);
    const e0 = v128.and(d0, f32x4.gt(d0, zero)), e1 = v128.and(d1, f32x4.gt(d1, zero));
    const e2 = v128.and(d2, f32x4.gt(d2, zero)), e3 = v128.and(d3, f32x4.gt(d3, zero));
    let q0 = e0, q1 = e1, q2 = e2, q3 = e3; // d^(g−1): d, d·d, (d·d)·d
    if (g >= 3) { q0 = f32x4.mul(q0, e0); q1 = f32x4.mul(q1, e1); q2 = f32x4.mul(q2, e2); q3 = f32x4.mul(q3, e3); }
    if (g == 4) { q0 = f32x4.mul(q0, e0); q1 = f32x4.mul(q1, e1); q2 = f32x4.mul(q2, e2); q3 = f32x4.mul(q3, e3); }
    const F = hsumf(f32x4.add(f32x4.add(f32x4.mul(q0, e0), f32x4.mul(q1, e1)), f32x4.add(f32x4.mul(q2, e2), f32x4.mul(q3, e3))));
    const F1 = hsumf(f32x4.add(f32x4.add(q0, q1), f32x4.add(q2, q3)));
    if (!(F > 1)) break;
    const tn = lowered(t + (F - 1) / (g * F1));
    if (tn > t) t = tn; else break;
  }
  return t;
}

/** out.count, out.sum = count and Σ X over the entries with X > t. */
function sums0(vals: usize, len: i32, m: f32, c: f32, t: f32, out: ListSums): void {
  let cnt = 0, s = 0.0, j = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m), vc = f32x4.splat(c), vt = f32x4.splat(t), ninf = f32x4.splat(-Infinity);
    let k = i32x4.splat(0), a = f64x2.splat(0);
    for (; j < len; j += 4) { // (the last vector may be partial: missing lanes −∞, not above t)
      const X = f32x4.mul(f32x4.sub(loadPart(vals + (<usize>j << 2), len - j, ninf), vm), vc);
      const gt = f32x4.gt(X, vt);
      k = i32x4.add(k, gt);
      a = addPromoted(a, v128.and(X, gt));
    }
    cnt = hcount(k);
    s = hsum64(a);
  }
  if (!ASC_FEATURE_SIMD) for (; j < len; j++) {
    const X = (load<f32>(vals + (<usize>j << 2)) - m) * c;
    const in_ = X > t;
    cnt += i32(in_);
    s += select<f64>(<f64>X, 0, in_);
  }
  out.count = cnt; out.sum = s;
}

/** out.f = Σ d^g, out.f1 = Σ d^(g−1) over d = X − t > 0, g = 1, 2, 3 or 4. */
function sums1(vals: usize, len: i32, m: f32, c: f32, t: f32, g: f32, out: ListSums): void {
  let F = 0.0, F1 = 0.0, j = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m), vc = f32x4.splat(c), vt = f32x4.splat(t), zero = f32x4.splat(0), one = f32x4.splat(1), ninf = f32x4.splat(-Infinity);
    let a = f64x2.splat(0), a1 = f64x2.splat(0);
    for (; j < len; j += 4) { // (the last vector may be partial: missing lanes −∞, d ≤ 0)
      const d = f32x4.sub(f32x4.mul(f32x4.sub(loadPart(vals + (<usize>j << 2), len - j, ninf), vm), vc), vt);
      const dd = v128.and(d, f32x4.gt(d, zero));
      const q1 = g == 1 ? v128.and(one, f32x4.gt(d, zero)) : g == 2 ? dd : g == 3 ? f32x4.mul(dd, dd) : f32x4.mul(f32x4.mul(dd, dd), dd);
      const q = f32x4.mul(q1, dd);
      a = addPromoted(a, q);
      a1 = addPromoted(a1, q1);
    }
    F = hsum64(a);
    F1 = hsum64(a1);
  }
  if (!ASC_FEATURE_SIMD) for (; j < len; j++) {
    const d = (load<f32>(vals + (<usize>j << 2)) - m) * c - t;
    const dd: f32 = d > 0 ? d : 0;
    const q1: f32 = g == 1 ? (d > 0 ? <f32>1 : 0) : g == 2 ? dd : g == 3 ? dd * dd : dd * dd * dd;
    F += <f64>(q1 * dd); F1 += <f64>q1;
  }
  out.f = F; out.f1 = F1;
}
