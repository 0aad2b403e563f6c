// f32-vsubsub, scalar reference: y[i] = (x[i] − a) − b (log-softmax: a = max, b = log Σ exp).
export function f32_vsubsub__scalar(x: usize, y: usize, n: i32, a: f32, b: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, (load<f32>(x + o) - a) - b); }
}
