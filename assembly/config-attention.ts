// The attention drivers' operations, each bound to its kernels (the one place that picks the wasm
// SIMD or the scalar variant for them; config.ts does it for the row drivers). ASC_FEATURE_SIMD is
// a compile-time constant, so each build keeps one side of every choice.
import { f32_gemm__scalar } from "./kernels/f32-gemm-scalar";
import { f32_gemm__wasmsimd_4x8_splat } from "./kernels/f32-gemm-4x8-wasmsimd-splat";
import { f32_gemm__wasmsimd_1x64_splat } from "./kernels/f32-gemm-1x64-wasmsimd-splat";
import { f32_vdotrows__scalar } from "./kernels/f32-vdotrows-scalar";
import { f32_vdotrows__wasmsimd_4x } from "./kernels/f32-vdotrows-4x-wasmsimd";
import { f32_gathergemv__scalar } from "./kernels/f32-gathergemv-scalar";
import { f32_gathergemv__wasmsimd_16 } from "./kernels/f32-gathergemv-wasmsimd-16";
import { x32_vcompactnz__scalar } from "./kernels/x32-vcompactnz-scalar";
import { x32_vcompactnz__wasmsimd_u8 } from "./kernels/x32-vcompactnz-wasmsimd-u8";
import { x32_transpose__scalar } from "./kernels/x32-transpose-scalar";
import { x32_transpose__wasmsimd_4x4 } from "./kernels/x32-transpose-wasmsimd-4x4";

/** C = α·A·B (acc = 0) or C += α·A·B for mr ≤ 4 rows of C (f32-gemm: A[m][k] at a + 4(m·am + k·ak)). */
// @ts-ignore: decorator
@inline export function gemm(mr: i32, nc: i32, kc: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, acc: i32): void {
  if (ASC_FEATURE_SIMD) {
    if (mr == 1) f32_gemm__wasmsimd_1x64_splat(nc, kc, a, ak, b, ldb, c, alpha, acc);
    else f32_gemm__wasmsimd_4x8_splat(mr, nc, kc, a, am, ak, b, ldb, c, ldc, alpha, acc);
  } else f32_gemm__scalar(mr, nc, kc, a, am, ak, b, ldb, c, ldc, alpha, acc);
}

/** y[j] = α·x·M[j] for j < n (f32-vdotrows): one vector against n rows in their own layout. */
// @ts-ignore: decorator
@inline export function dotrows(n: i32, kc: i32, x: usize, m: usize, ldm: i32, y: usize, alpha: f32): void {
  if (ASC_FEATURE_SIMD) f32_vdotrows__wasmsimd_4x(n, kc, x, m, ldm, y, alpha);
  else f32_vdotrows__scalar(n, kc, x, m, ldm, y, alpha);
}

/** T = Mᵀ for a rows × cols block (x32-transpose). */
// @ts-ignore: decorator
@inline export function transpose(rows: i32, cols: i32, m: usize, ldm: i32, t: usize, ldt: i32): void {
  if (ASC_FEATURE_SIMD) x32_transpose__wasmsimd_4x4(rows, cols, m, ldm, t, ldt);
  else x32_transpose__scalar(rows, cols, m, ldm, t, ldt);
}

/** The nonzero entries of x[0, n) as indices and values (x32-vcompactnz); returns their number. */
// @ts-ignore: decorator
@inline export function compact(x: usize, n: i32, idx: usize, val: usize): i32 {
  return ASC_FEATURE_SIMD ? x32_vcompactnz__wasmsimd_u8(x, n, idx, val) : x32_vcompactnz__scalar(x, n, idx, val);
}

/** c[0, nc) = Σ_t val[t]·B[idx[t]] for t < m (f32-gathergemv). */
// @ts-ignore: decorator
@inline export function gathergemv(m: i32, nc: i32, idx: usize, val: usize, b: usize, ldb: i32, c: usize): void {
  if (ASC_FEATURE_SIMD) f32_gathergemv__wasmsimd_16(m, nc, idx, val, b, ldb, c);
  else f32_gathergemv__scalar(m, nc, idx, val, b, ldb, c);
}
