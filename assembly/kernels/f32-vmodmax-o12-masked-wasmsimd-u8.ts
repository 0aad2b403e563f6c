// f32-vmodmax-o12-masked, wasm SIMD, 8 elements per iteration: MultiMax's first pass at order 1 or
// 2 (`order`, read at run time) with a mask (mask ≠ 0; the fast contract,
// templates/f32-vmodmax-wasmsimd-u8.ts): z[i] = φ(x[i]), −∞ where mask[i] == 0; returns max z, or
// NaN when φ reached −∞ (then, or when a z is NaN, the caller redoes the row with the careful
// f32-vmodmax-wasmsimd-u4). The order-1 parameters are splatted once, the order-2 ones re-read per
// vector (kept out of registers for order 1). Lanes equal the careful kernel's and the scalar
// twin's (f32-vmodmax-scalar) on rows it accepts.
// FMA variant: in the relaxed-SIMD build φ's multiply-adds are f32x4.relaxed_madd (math/phi.ts).
import { vmodmax_wasmsimd_u8 } from "../templates/f32-vmodmax-wasmsimd-u8";
import { ModOrder } from "../kinds";

export function f32_vmodmax_o12_masked__wasmsimd_u8(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32): f32 {
  return vmodmax_wasmsimd_u8(x, z, mask, n, params, order, ModOrder.OneOrTwo, true);
}
