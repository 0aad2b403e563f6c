// f32-vthreshpow-eg, scalar: the output pass of any exponent e > 0, scalar twin of
// f32-vthreshpow-eg-wasmsimd-u4 (near1 = false): y[i] = d^e = exp(e·ln d) (math/pow.ts powf_pos)
// for d = ((x[i] − m)·c − τhi) − τlo > 0, else 0; returns Σ y (f64, element by element),
// out.count = count(y > 0). x may equal y. Template and contract: templates/f32-vthreshpow-scalar.ts.
import { vthreshpow_scalar } from "../templates/f32-vthreshpow-scalar";
import { Pow } from "../kinds";
import { VThreshPowResult } from "../records";

export function f32_vthreshpow_eg__scalar(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, e: f32, out: VThreshPowResult): f64 {
  return vthreshpow_scalar(x, y, n, m, c, hi, lo, e, Pow.General, out);
}
