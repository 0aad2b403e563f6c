// f32-rthresh-p4, scalar: one search pass of γ = 4 (α-entmax α = 1.25: Halley's method), scalar
// twin of f32-rthresh-p4-wasmsimd-u16. Over x[0..n), d = (x − m)·c − t: out.count = count(d > 0),
// out.min = the smallest such d (+∞ if none), out.s1 = Σ d⁴, out.s2 = Σ d³, out.s3 = Σ d² over them
// (powers by multiplication, f64 sums element by element). Template and contract:
// templates/f32-rthresh-scalar.ts.
import { rthresh_scalar } from "../templates/f32-rthresh-scalar";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

export function f32_rthresh_p4__scalar(x: usize, n: i32, m: f32, c: f32, t: f32, out: RThreshResult): void {
  rthresh_scalar(x, 0, n, m, c, t, 4, Pow.Four, out);
}
