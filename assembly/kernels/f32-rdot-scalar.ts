// f32-rdot, scalar reference: Σ x[i]·y[i] over the kept entries (mask = 0: all; else
// mask[i] ≠ 0), each product in float32, summed in float64. Masked entries add nothing, whatever
// x and y hold there. The softmax-family backward's Σ dy·y.
export function f32_rdot__scalar(x: usize, y: usize, mask: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    if (mask != 0 && load<u8>(mask + <usize>i) == 0) continue;
    const o = <usize>i << 2;
    s += <f64>(load<f32>(x + o) * load<f32>(y + o));
  }
  return s;
}
