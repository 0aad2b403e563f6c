// f32-vmodmax, scalar reference (the careful contract, f32-vmodmax-wasmsimd-u4; the fast kernels
// f32-vmodmax-{o0-masked,o1,o2,o12-masked}-wasmsimd-u8 agree with it on rows without −∞ or overflow):
//   z[i] = φ(x[i]), −∞ where mask[i] == 0 or x[i] == −∞;  returns max z, or NaN when some z[i] is
//   NaN or φ overflowed float32 to −∞ at a kept, finite x[i].
// mask = 0 means no mask (u8 per element, 0 = masked out); order = 0 gives the masked copy.
import { phi_scalar_raw } from "../math/phi";

export function f32_vmodmax__scalar(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32): f32 {
  let m = -Infinity as f32;
  let flag = false;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o);
    const p = phi_scalar_raw(xi, params, order);
    const kept = (mask == 0 || load<u8>(mask + <usize>i) != 0) && xi != -Infinity;
    const v: f32 = kept ? p : -Infinity;
    store<f32>(z + o, v);
    flag = flag || v != v || (kept && p == -Infinity);
    m = m < v ? v : m;
  }
  return flag ? NaN : m;
}
