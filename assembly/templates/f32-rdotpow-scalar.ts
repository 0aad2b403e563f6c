// Template of the f32-rdotpow scalar kernels (kernels/f32-rdotpow-{eh,e34,e14,eg}-scalar.ts, one
// per power kind E, a compile-time constant: binaryen keeps only its branch), and the power kinds.
// f32-rdotpow, scalar: the reduction pass of the α-entmax backward (the `entmax` package's
// EntmaxBisectFunction.backward), from y alone. On the kept support (y[i] > 0, and mask = 0 or
// mask[i] ≠ 0) the gradient weight is g = y^e, e = 2 − α; elsewhere g = +0:
//   (e = 0, sparsemax, has its own passes: f32-rsumpos, f32-vsubpos);  E = Half (e = ½, 1.5-entmax): g = √y;
//   E = Quarter (e = ¼, α = 1.75): g = √√y;  E = ThreeQuarters (e = ¾, α = 1.25): g = √y·√√y
//   (square roots are correctly rounded: within 1.5 ulp of y^e, and much faster than the power);
//   E = General (any other e): g = exp(e·ln y) (math/pow.ts powf_pos).
// Stores g[i] (the output pass f32-vsubmul reads it back), returns Σ dy·g (each product rounded
// to float32, summed in float64); out.sum = Σ g (records.ts RDotPowResult). Entries off the kept
// support add nothing, whatever dy holds there. g may equal y; dy is disjoint from both.
import { powf_pos } from "../math/pow";
import { RDotPowResult } from "../records";

/** The power kind of the gradient weight g = y^e. */
export const enum GPow {
  /** e = ½: g = √y (1.5-entmax). */
  Half = 1,
  /** Any other e: exp(e·ln y). */
  General = 2,
  /** e = ¾: g = √y·√√y (α-entmax α = 1.25). */
  ThreeQuarters = 3,
  /** e = ¼: g = √√y (α-entmax α = 1.75). */
  Quarter = 4,
}

/** g = y^e, y > 0, for the square-root kinds (E = Half, ThreeQuarters, Quarter). */
// @ts-ignore: decorator
@inline export function sqrtpow(y: f32, E: GPow): f32 {
  const r = sqrt<f32>(y);
  return E == GPow.Half ? r : E == GPow.Quarter ? sqrt<f32>(r) : r * sqrt<f32>(r);
}

/** The pass for power kind E (constant at every call site): returns Σ dy·g, out.sum = Σ g. */
// @ts-ignore: decorator
@inline export function rdotpow_scalar(y: usize, dy: usize, g: usize, mask: usize, n: i32, e: f32, E: GPow, out: RDotPowResult): f64 {
  let s = 0.0, sg = 0.0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const yi = load<f32>(y + o);
    let gi: f32 = 0;
    if (yi > 0 && (mask == 0 || load<u8>(mask + <usize>i) != 0)) {
      gi = E == GPow.General ? powf_pos(yi, e) : sqrtpow(yi, E);
      const d = load<f32>(dy + o);
      s += E == GPow.General ? <f64>d * <f64>gi : <f64>(d * gi); // (General: exact, see f32-rdotpow-wasmsimd-u8)
      sg += <f64>gi;
    }
    store<f32>(g + o, gi);
  }
  out.sum = sg;
  return s;
}
