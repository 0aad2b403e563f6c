// f32-vscale, scalar reference: y[i] = x[i]·s (y may equal x).
export function f32_vscale__scalar(x: usize, y: usize, n: i32, s: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(x + o) * s); }
}
