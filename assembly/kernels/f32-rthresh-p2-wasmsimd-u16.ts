// f32-rthresh-p2, wasm SIMD, 16 elements per iteration: one search pass of γ = 2, the contract of
// f32-rthresh-p2-scalar (out.count, out.min, out.s1 = Σ d, out.s2 = Σ d²; y ≠ 0: max(d, 0) stored
// for every entry); count and min equal the scalar twin's, the stored values too, bit for bit; the
// sums differ by their order (pairwise in f32 per group of 16, then f64x2). Template:
// templates/f32-rthresh-wasmsimd-u16.ts (groups without support skipped with one branch).
import { rthresh_wasmsimd_u16 } from "../templates/f32-rthresh-wasmsimd-u16";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

export function f32_rthresh_p2__wasmsimd_u16(x: usize, y: usize, n: i32, m: f32, c: f32, t: f32, out: RThreshResult): void {
  rthresh_wasmsimd_u16(x, y, n, m, c, t, Pow.Two, out);
}
