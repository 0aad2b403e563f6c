// f32-vsubexp, scalar reference (exp: b2-p5, math/exp.ts): the output pass of the log-softmax
// backward,  dx[i] = dy[i] − exp(y[i])·s  on the kept entries (mask = 0, or mask[i] ≠ 0), +0 on the
// masked ones (whatever dy and y hold there). y = −∞ gives exp = +0. dx may equal y; dx and dy
// are disjoint.
import { expf_b2_p5 } from "../math/exp";

export function f32_vsubexp__scalar_b2_p5(y: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let v: f32 = 0;
    if (mask == 0 || load<u8>(mask + <usize>i) != 0) v = load<f32>(dy + o) - expf_b2_p5(load<f32>(y + o)) * s;
    store<f32>(dx + o, v);
  }
}
