// f32-rmaxsum, wasm SIMD, 8 elements per iteration, then a 4-lane loop and a scalar tail (contract:
// f32-rmaxsum-scalar.ts): returns max x (pmax, NaN-blind); out.sum = Σ x[i] over x[i] ≠ −∞, every
// lane promoted to f64 before it is added (exact while the sum needs ≤ 53 bits, as the scalar
// twin's), out.count = their number. Template: templates/f32-rmaxsum-wasmsimd-u8.ts (CAREFUL).
import { rmaxsum_wasmsimd_u8 } from "../templates/f32-rmaxsum-wasmsimd-u8";
import { RMaxSumResult } from "../records";

export function f32_rmaxsum__wasmsimd_u8(x: usize, n: i32, out: RMaxSumResult): f32 {
  return rmaxsum_wasmsimd_u8(x, n, true, out);
}
