// f32-vnormmax, scalar reference: the output pass of the α-normmax backward. On the kept support
// (y[i] > 0, and mask = 0 or mask[i] ≠ 0), with b = exp(e·ln y) (e = 2 − α, as f32-rnormmax):
//   dx[i] = (b·(dy[i] − u) − y[i]·w)·c,
// +0 elsewhere (whatever dy holds there). The driver passes u = Σ dy·a, w = Σ dy·b − u·Σ b and
// c = (Σ a^α)^((α−1)/α)/(α − 1): dx = (dy·b − (Σ dy·b)·a − (Σ dy·a)·(b − (Σ b)·a))·c.
// dx may equal y; dx and dy are disjoint.
import { expf_b2_p5 } from "../math/exp";
import { lnf } from "../math/pow";

export function f32_vnormmax__scalar(y: usize, dy: usize, dx: usize, mask: usize, n: i32, e: f32, u: f32, w: f32, c: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const yi = load<f32>(y + o);
    let v: f32 = 0;
    if (yi > 0 && (mask == 0 || load<u8>(mask + <usize>i) != 0)) {
      const b = expf_b2_p5(e * lnf(yi));
      v = (b * (load<f32>(dy + o) - u) - yi * w) * c;
    }
    store<f32>(dx + o, v);
  }
}
