// f32-vscale, wasm SIMD, 16 elements per iteration: y[i] *= s (the normalisation pass).
export function f32_vscale__wasmsimd_u16(y: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = y + (<usize>i << 2);
    v128.store(p, f32x4.mul(v128.load(p), vs));
    v128.store(p, f32x4.mul(v128.load(p, 16), vs), 16);
    v128.store(p, f32x4.mul(v128.load(p, 32), vs), 32);
    v128.store(p, f32x4.mul(v128.load(p, 48), vs), 48);
  }
  for (; i + 4 <= n; i += 4) { const p = y + (<usize>i << 2); v128.store(p, f32x4.mul(v128.load(p), vs)); }
  for (; i < n; i++) { const p = y + (<usize>i << 2); store<f32>(p, load<f32>(p) * s); }
}
