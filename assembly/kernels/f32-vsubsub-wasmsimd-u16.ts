// f32-vsubsub, wasm SIMD, 16 elements per iteration: y[i] = (x[i] − a) − b. Subtracting the max
// first keeps (x − max) exact near the max (Sterbenz), so the log-probability of the largest
// entries is accurate to the rounding of b alone.
export function f32_vsubsub__wasmsimd_u16(x: usize, y: usize, n: i32, a: f32, b: f32): void {
  const va = f32x4.splat(a), vb = f32x4.splat(b);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const px = x + o, py = y + o;
    const v0 = f32x4.sub(f32x4.sub(v128.load(px), va), vb);
    const v1 = f32x4.sub(f32x4.sub(v128.load(px, 16), va), vb);
    const v2 = f32x4.sub(f32x4.sub(v128.load(px, 32), va), vb);
    const v3 = f32x4.sub(f32x4.sub(v128.load(px, 48), va), vb);
    v128.store(py, v0); v128.store(py, v1, 16); v128.store(py, v2, 32); v128.store(py, v3, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.sub(f32x4.sub(v128.load(x + o), va), vb)); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, (load<f32>(x + o) - a) - b); }
}
