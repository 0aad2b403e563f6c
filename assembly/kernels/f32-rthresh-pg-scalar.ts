// f32-rthresh-pg, scalar: one search pass for any power γ > 0 (Halley's method), scalar twin of
// f32-rthresh-pg-wasmsimd-u4 (near1 = false). Over x[0..n), d = (x − m)·c − t:
// out.count = count(d > 0), out.min = the smallest such d (+∞ if none), out.s1 = Σ d^γ,
// out.s2 = Σ d^(γ−1), out.s3 = Σ d^(γ−2) over them, d^γ = exp(γ·ln d) (math/pow.ts powf_pos), the
// others by division; f64 sums element by element. Template and contract:
// templates/f32-rthresh-scalar.ts.
import { rthresh_scalar } from "../templates/f32-rthresh-scalar";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

export function f32_rthresh_pg__scalar(x: usize, n: i32, m: f32, c: f32, t: f32, g: f32, out: RThreshResult): void {
  rthresh_scalar(x, 0, n, m, c, t, g, Pow.General, out);
}
