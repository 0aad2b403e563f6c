// f32-vthreshpow-e1p, scalar: the output pass of the near-1 maps (α within 1/64 of 1), scalar twin
// of f32-vthreshpow-eg-wasmsimd-u4 (near1 = true): hi + lo is s = τ + 1, and y[i] = (1 + u)^e for
// u = ((x[i] − m)·c − hi) − lo > −1, else 0, with ln(1 + u) from u (math/pow.ts pow1pf); returns
// Σ y (f64, element by element), out.count = count(y > 0). x may equal y. Template and contract:
// templates/f32-vthreshpow-scalar.ts.
import { vthreshpow_scalar } from "../templates/f32-vthreshpow-scalar";
import { Pow } from "../kinds";
import { VThreshPowResult } from "../records";

export function f32_vthreshpow_e1p__scalar(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, e: f32, out: VThreshPowResult): f64 {
  return vthreshpow_scalar(x, y, n, m, c, hi, lo, e, Pow.Near1, out);
}
