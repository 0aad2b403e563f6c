// Template of the f32-vthreshpow scalar kernels (kernels/f32-vthreshpow-{e1,e2,e4,eg,e1p}-scalar.ts,
// one per power kind E, a compile-time constant: binaryen keeps only its branch).
// f32-vthreshpow, scalar: the output pass of the threshold normalisers, reference for the SIMD
// kernels.  y[i] = max(d, 0)^e  with  d = ((x[i] − m)·c − τhi) − τlo,
// the threshold τ = τhi + τlo carried as two floats, so that d keeps float32 relative precision
// near the threshold (x[i] − m is exact there: Sterbenz). Power kind E: 1, 2, 4 (integer e,
// multiplications), 0 (any e > 0: exp(e·ln d)), 5 (near-1 maps: τhi + τlo is s = τ + 1 and
// y = (1 + u)^e for u = X − s > −1, ln(1 + u) from u).
// Returns Σ y (f64); out.count = count(y > 0) (records.ts VThreshPowResult). x may equal y.
import { pow1pf, powf_pos } from "../math/pow";
import { Pow } from "../kinds";
import { VThreshPowResult } from "../records";

/** The pass over x[0..n) for power kind E (constant at every call site): returns Σ y, out.count. */
// @ts-ignore: decorator
@inline export function vthreshpow_scalar(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, e: f32, E: Pow, out: VThreshPowResult): f64 {
  let sum = 0.0, cnt = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = ((load<f32>(x + o) - m) * c - hi) - lo;
    let v: f32 = 0;
    if (E == Pow.Near1) { if (d > -1) v = pow1pf(d, e); }
    else if (d > 0) {
      if (E == Pow.One) v = d;
      else if (E == Pow.Two) v = d * d;
      else if (E == Pow.Four) { const d2 = d * d; v = d2 * d2; }
      else v = powf_pos(d, e);
    }
    store<f32>(y + o, v);
    sum += <f64>v;
    cnt += i32(v > 0);
  }
  out.count = cnt;
  return sum;
}

