// f32-rthresh-p4, wasm SIMD, 16 elements per iteration: one search pass of γ = 4, the contract of
// f32-rthresh-p4-scalar (out.count, out.min, out.s1 = Σ d⁴, out.s2 = Σ d³, out.s3 = Σ d²); count
// and min equal the scalar twin's; the sums differ by their order (pairwise in f32 per group of 16,
// then f64x2). Template: templates/f32-rthresh-wasmsimd-u16.ts (groups without support skipped
// with one branch).
import { rthresh_wasmsimd_u16 } from "../templates/f32-rthresh-wasmsimd-u16";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

export function f32_rthresh_p4__wasmsimd_u16(x: usize, n: i32, m: f32, c: f32, t: f32, out: RThreshResult): void {
  rthresh_wasmsimd_u16(x, 0, n, m, c, t, Pow.Four, out);
}
