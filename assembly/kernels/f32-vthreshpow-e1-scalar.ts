// f32-vthreshpow-e1, scalar: the output pass of e = 1 (sparsemax-type outputs), scalar twin of
// f32-vthreshpow-e124-wasmsimd-u16 (E = 1): y[i] = max(d, 0) with d = ((x[i] − m)·c − τhi) − τlo;
// returns Σ y (f64, element by element), out.count = count(y > 0). x may equal y. Template and
// contract: templates/f32-vthreshpow-scalar.ts.
import { vthreshpow_scalar } from "../templates/f32-vthreshpow-scalar";
import { Pow } from "../kinds";
import { VThreshPowResult } from "../records";

export function f32_vthreshpow_e1__scalar(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, out: VThreshPowResult): f64 {
  return vthreshpow_scalar(x, y, n, m, c, hi, lo, 1, Pow.One, out);
}
