// f32-rdotpow-e0, scalar: the α-entmax backward's reduction pass for e = 0 (sparsemax): g = 1 on
// the kept support; stores g, returns Σ dy·g, out.sum = Σ g. Template and contract:
// templates/f32-rdotpow-scalar.ts.
import { GPow, rdotpow_scalar } from "../templates/f32-rdotpow-scalar";
import { RDotPowResult } from "../records";

export function f32_rdotpow_e0__scalar(y: usize, dy: usize, g: usize, mask: usize, n: i32, e: f32, out: RDotPowResult): f64 {
  return rdotpow_scalar(y, dy, g, mask, n, e, GPow.Zero, out);
}
