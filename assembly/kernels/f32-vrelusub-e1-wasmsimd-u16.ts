// f32-vrelusub-e1, wasm SIMD, 16 elements per iteration, a 4-lane loop and a scalar tail: the
// contract of f32-vrelusub-e1-scalar (sparsemax-type outputs y = min(s·(d − δ), 1) from the stored
// d = max(X − t, 0)), lanes equal to the scalar twin's, no branch in the loops. Returns
// count(y > 0). d may be y. Template: templates/f32-vrelusub-wasmsimd-u16.ts.
import { vrelusub_wasmsimd_u16 } from "../templates/f32-vrelusub-wasmsimd-u16";
import { Pow } from "../kinds";

export function f32_vrelusub_e1__wasmsimd_u16(d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32): i32 {
  return vrelusub_wasmsimd_u16(d, y, n, hi, lo, s, Pow.One);
}
