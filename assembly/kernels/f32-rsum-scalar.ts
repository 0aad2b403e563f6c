// f32-rsum, scalar reference: Σ x[i] in float64 over the kept entries (mask = 0: all; else
// mask[i] ≠ 0). Masked entries add nothing, whatever x holds there. The log-softmax backward's Σ dy.
export function f32_rsum__scalar(x: usize, mask: usize, n: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    if (mask != 0 && load<u8>(mask + <usize>i) == 0) continue;
    s += <f64>load<f32>(x + (<usize>i << 2));
  }
  return s;
}
