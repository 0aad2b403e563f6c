// f32-vdotrows, scalar reference: y[j] = α·Σ_d x[d]·M[j][d] for j < n, M row-major with row
// stride ldm floats, x of length kc: one vector against n rows (a decode step's scores q·kⱼ, the
// cache read once, in its own layout). Products float32, summed in float32 in d order per lane of
// four: s_l = Σ_{d ≡ l mod 4} (d ascending), then (s0 + s2) + (s1 + s3), then the d ≥ 4⌊kc/4⌋ tail
// added in order; the SIMD twin sums exactly so (equal, but where the relaxed build fuses).
export function f32_vdotrows__scalar(n: i32, kc: i32, x: usize, m: usize, ldm: i32, y: usize, alpha: f32): void {
  const k4 = kc & ~3;
  for (let j = 0; j < n; j++) {
    const mj = m + (<usize>(j * ldm) << 2);
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    for (let d = 0; d < k4; d += 4) {
      const o = <usize>d << 2;
      s0 += load<f32>(x + o) * load<f32>(mj + o);
      s1 += load<f32>(x + o, 4) * load<f32>(mj + o, 4);
      s2 += load<f32>(x + o, 8) * load<f32>(mj + o, 8);
      s3 += load<f32>(x + o, 12) * load<f32>(mj + o, 12);
    }
    let s = (s0 + s2) + (s1 + s3);
    for (let d = k4; d < kc; d++) s += load<f32>(x + (<usize>d << 2)) * load<f32>(mj + (<usize>d << 2));
    store<f32>(y + (<usize>j << 2), alpha * s);
  }
}
