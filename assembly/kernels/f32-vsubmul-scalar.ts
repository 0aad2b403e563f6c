// f32-vsubmul, scalar reference: the output pass of the softmax-family backward passes,
//   dx[i] = (((dy[i] − s) − lo)·g[i])·k   where g[i] ≠ 0 and the entry is kept (mask = 0, or
//                                           mask[i] ≠ 0),
//   dx[i] = +0                     elsewhere (whatever dy holds there: NaN, ±∞).
// g is y (softmax: dx = k·y ⊙ (dy − ⟨dy, y⟩)) or the gradient weights of α-entmax (f32-rdotpow).
// The subtrahend carried as two floats, s + lo (float64 s rounded, then its remainder): where
// dy ≈ s the difference keeps its low bits, which a large g (α > 2: g = y^(2−α)) would magnify.
// dx may equal g (in place); dx and dy are disjoint.
export function f32_vsubmul__scalar(g: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32, lo: f32, k: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    let v: f32 = 0;
    if (gi != 0 && (mask == 0 || load<u8>(mask + <usize>i) != 0)) v = (((load<f32>(dy + o) - s) - lo) * gi) * k;
    store<f32>(dx + o, v);
  }
}
