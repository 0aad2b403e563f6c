// f32-vsubpos, scalar reference: the output pass of the sparsemax backward,
//   dx[i] = (dy[i] − s) − lo   where y[i] > 0 and the entry is kept (mask = 0, or mask[i] ≠ 0),
//   dx[i] = +0                 elsewhere (whatever dy holds there: NaN, ±∞; a NaN y is off).
// The subtrahend is the float64 mean q = Σ_S dy / |S| carried as two floats, s + lo (q rounded,
// then its remainder), as in f32-vsubmul (which this equals with g = 1 on the support, k = 1).
// dx may equal y (in place); dx and dy are disjoint.
export function f32_vsubpos__scalar(y: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32, lo: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let v: f32 = 0;
    if (load<f32>(y + o) > 0 && (mask == 0 || load<u8>(mask + <usize>i) != 0)) v = (load<f32>(dy + o) - s) - lo;
    store<f32>(dx + o, v);
  }
}
