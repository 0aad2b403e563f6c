// f32-vmodmax-o2, wasm SIMD, 8 elements per iteration: MultiMax's first pass at order 2 without a
// mask (the official checkpoints; the fast contract, templates/f32-vmodmax-wasmsimd-u8.ts):
// z[i] = φ(x[i]) with the two records at params splatted once; returns max z, or NaN when φ
// reached −∞ (then, or when a z is NaN, the caller redoes the row with the careful
// f32-vmodmax-wasmsimd-u4). Lanes equal the careful kernel's and the scalar twin's
// (f32-vmodmax-scalar) on rows it accepts.
// FMA variant: in the relaxed-SIMD build φ's multiply-adds are f32x4.relaxed_madd (math/phi.ts).
import { vmodmax_wasmsimd_u8 } from "../templates/f32-vmodmax-wasmsimd-u8";
import { ModOrder } from "../kinds";

export function f32_vmodmax_o2__wasmsimd_u8(x: usize, z: usize, n: i32, params: usize): f32 {
  return vmodmax_wasmsimd_u8(x, z, 0, n, params, 2, ModOrder.Two, false);
}
