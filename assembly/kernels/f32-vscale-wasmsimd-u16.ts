// f32-vscale, wasm SIMD, 16 elements per iteration: y[i] = x[i]·s (the normalisation pass; y may
// equal x).
export function f32_vscale__wasmsimd_u16(x: usize, y: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const px = x + o, py = y + o;
    const v0 = f32x4.mul(v128.load(px), vs);
    const v1 = f32x4.mul(v128.load(px, 16), vs);
    const v2 = f32x4.mul(v128.load(px, 32), vs);
    const v3 = f32x4.mul(v128.load(px, 48), vs);
    v128.store(py, v0); v128.store(py, v1, 16); v128.store(py, v2, 32); v128.store(py, v3, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.mul(v128.load(x + o), vs)); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(x + o) * s); }
}
