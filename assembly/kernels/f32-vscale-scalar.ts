// f32-vscale, scalar reference: y[i] *= s.
export function f32_vscale__scalar(y: usize, n: i32, s: f32): void {
  for (let i = 0; i < n; i++) { const p = y + (<usize>i << 2); store<f32>(p, load<f32>(p) * s); }
}
