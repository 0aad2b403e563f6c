// f32-rmaxsum-fast, wasm SIMD, 8 elements per iteration: f32-rmaxsum without the −∞ test, for rows
// without a mask: returns max x (pmax, NaN-blind); out.sum = Σ x[i] over every entry (f64),
// out.count = n. A −∞ or NaN anywhere makes out.sum non-finite; the caller then redoes the row
// with the careful kernel (f32-rmaxsum-wasmsimd-u8), whose result it equals otherwise. Six
// instructions fewer per 8 entries. Template: templates/f32-rmaxsum-wasmsimd-u8.ts (not CAREFUL).
import { rmaxsum_wasmsimd_u8 } from "../templates/f32-rmaxsum-wasmsimd-u8";
import { RMaxSumResult } from "../records";

export function f32_rmaxsum_fast__wasmsimd_u8(x: usize, n: i32, out: RMaxSumResult): f32 {
  return rmaxsum_wasmsimd_u8(x, n, false, out);
}
