// Template of the f32-rthresh scalar kernels (kernels/f32-rthresh-{p1,p2,p4,pg,p1p}-scalar.ts,
// one per power kind K, a compile-time constant: binaryen keeps only its branches).
// f32-rthresh, scalar: one pass of a threshold search, the reference for the wasm SIMD kernels:
// the sums behind a step of Michelot's method (Michelot 1986; Condat 2016) for sparsemax, of
// Newton and the exact quadratic root for 1.5-entmax (Peters, Niculae & Martins 2019), and of
// Halley's method for the other powers (the searches themselves are in threshold/search.ts).
// Over x[0..n) with X = (x − m)·c and d = X − t, for the entries with d > 0 (the support at t),
// into the caller's record `out` (records.ts RThreshResult):
//   count = their number,  min = their smallest d (+∞ if none), and by power kind K (kinds.ts Pow):
//   K = 1 (sparsemax):  s1 = Σ d
//   K = 2 (quadratic):  s1 = Σ d,    s2 = Σ d²
//   K = 4 (γ = 4), 0 (any γ > 0, d^γ = exp(γ·ln d)):
//                       s1 = Σ d^γ,  s2 = Σ d^(γ−1),  s3 = Σ d^(γ−2)
//   K = 5 (near-1 maps): t is s = τ + 1, and the same three sums of (1 + u)^γ over u = X − s > −1,
//                       with ln(1 + u) from u (pow.ts); min not computed (+∞).
// Masked entries are −∞ in x and never count. Sums in f64, element by element.
// p1 and p2 can also store max(d, 0) for every entry into y (y ≠ 0; y may not be x): when the
// search ends on this pass, f32-vrelusub turns those into the outputs, which saves the output
// pass its compares and its X = (x − m)·c.
import { pow1pf, powf_pos } from "../math/pow";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

/** The pass over x[0..n) for power kind K (constant at every call site). */
// @ts-ignore: decorator
@inline export function rthresh_scalar(x: usize, y: usize, n: i32, m: f32, c: f32, t: f32, g: f32, K: Pow, out: RThreshResult): void {
  let cnt = 0, mn: f32 = Infinity;
  let s1 = 0.0, s2 = 0.0, s3 = 0.0;
  for (let i = 0; i < n; i++) {
    if (K == Pow.Near1) {
      const u = (load<f32>(x + (<usize>i << 2)) - m) * c - t;
      if (!(u > -1)) continue;
      cnt++;
      const q = pow1pf(u, g), inv: f32 = 1 / (1 + u), q1 = q * inv;
      s1 += <f64>q; s2 += <f64>q1; s3 += <f64>(q1 * inv);
      continue;
    }
    const d = (load<f32>(x + (<usize>i << 2)) - m) * c - t;
    if (y != 0) store<f32>(y + (<usize>i << 2), d > 0 ? d : 0);
    if (!(d > 0)) continue;
    cnt++;
    mn = mn < d ? mn : d;
    if (K == Pow.One) { s1 += <f64>d; }
    else if (K == Pow.Two) { s1 += <f64>d; s2 += <f64>(d * d); }
    else {
      let q: f32, q1: f32, q2: f32;
      if (K == Pow.Four) { q2 = d * d; q1 = q2 * d; q = q2 * q2; }
      else { q = powf_pos(d, g); const inv: f32 = 1 / d; q1 = q * inv; q2 = q1 * inv; }
      s1 += <f64>q; s2 += <f64>q1; s3 += <f64>q2;
    }
  }
  out.count = cnt; out.min = mn; out.s1 = s1; out.s2 = s2; out.s3 = s3;
}
