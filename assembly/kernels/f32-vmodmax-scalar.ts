// f32-vmodmax, scalar reference: z[i] = φ(x[i]) (−∞ where mask[i] == 0 or x[i] == −∞), returns
// max z, or NaN when some z[i] is NaN. mask = 0 means no mask (u8 per element, 0 = masked out).
// order = 0 gives the masked copy used by masked softmax.
import { phi_scalar } from "./phi";

export function f32_vmodmax__scalar(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32): f32 {
  let m = -Infinity as f32;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let v = phi_scalar(load<f32>(x + o), params, order);
    if (mask != 0 && load<u8>(mask + <usize>i) == 0) v = -Infinity;
    store<f32>(z + o, v);
    nan = nan || v != v;
    m = m < v ? v : m;
  }
  return nan ? NaN : m;
}
