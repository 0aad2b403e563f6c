// f32-vmodmax-o0-masked, wasm SIMD, 8 elements per iteration: the masked copy of masked softmax and
// of every driver that takes a mask as an additive −∞ (config.ts maskcopy), the order-0 fast
// kernel: z[i] = x[i], −∞ where mask[i] == 0 (mask ≠ 0: one u8 per element); returns max z
// (pmax, NaN-blind; a NaN row shows in the caller's exp sum or NaN check). Lanes equal those of
// the careful kernel f32-vmodmax-wasmsimd-u4 and of the scalar twin f32-vmodmax-scalar at order 0;
// the max too, except on rows with a NaN (where those return NaN); nothing to overflow, nothing
// tracked. x may equal z. Template: templates/f32-vmodmax-wasmsimd-u8.ts.
import { vmodmax_wasmsimd_u8 } from "../templates/f32-vmodmax-wasmsimd-u8";
import { ModOrder } from "../kinds";

export function f32_vmodmax_o0_masked__wasmsimd_u8(x: usize, z: usize, mask: usize, n: i32): f32 {
  return vmodmax_wasmsimd_u8(x, z, mask, n, 0, 0, ModOrder.Copy, true);
}
