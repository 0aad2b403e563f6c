// f32-vthreshpow-e4, scalar: the output pass of e = 4 (α-entmax α = 1.25), scalar twin of
// f32-vthreshpow-e124-wasmsimd-u16 (E = 4): y[i] = (d·d)·(d·d) for d > 0, else 0, with
// d = ((x[i] − m)·c − τhi) − τlo; returns Σ y (f64, element by element), out.count = count(y > 0).
// x may equal y. Template and contract: templates/f32-vthreshpow-scalar.ts.
import { vthreshpow_scalar } from "../templates/f32-vthreshpow-scalar";
import { Pow } from "../kinds";
import { VThreshPowResult } from "../records";

export function f32_vthreshpow_e4__scalar(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, out: VThreshPowResult): f64 {
  return vthreshpow_scalar(x, y, n, m, c, hi, lo, 4, Pow.Four, out);
}
