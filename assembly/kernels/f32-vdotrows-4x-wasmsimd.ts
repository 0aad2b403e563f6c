// f32-vdotrows, wasm SIMD, four rows per iteration: the contract of f32-vdotrows-scalar (one
// vector against n rows, y[j] = α·x·M[j]). Four accumulators (one per row) over d in steps of 4,
// folded into one vector of four sums by two shuffle-add stages ((s0 + s2) + (s1 + s3) per row,
// as the scalar twin adds), then the d tail in order, lane by lane. A decode step reads the cache
// once: 5 loads per 4 multiply-adds, so it is bound by the memory traffic of K, not by arithmetic.
import { madd } from "../math/madd";

export function f32_vdotrows__wasmsimd_4x(n: i32, kc: i32, x: usize, m: usize, ldm: i32, y: usize, alpha: f32): void {
  const k4 = kc & ~3, row = <usize>ldm << 2, zero = f32x4.splat(0), va = f32x4.splat(alpha);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const m0 = m + <usize>j * row, m1 = m0 + row, m2 = m1 + row, m3 = m2 + row;
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (let d = 0; d < k4; d += 4) {
      const o = <usize>d << 2, v = v128.load(x + o);
      a0 = madd(v, v128.load(m0 + o), a0); a1 = madd(v, v128.load(m1 + o), a1);
      a2 = madd(v, v128.load(m2 + o), a2); a3 = madd(v, v128.load(m3 + o), a3);
    }
    // lanes l of a_r hold s_l of row r: (s0 + s2) then + (s1 + s3), four rows at once
    const t01 = f32x4.add(v128.shuffle<f32>(a0, a1, 0, 1, 4, 5), v128.shuffle<f32>(a0, a1, 2, 3, 6, 7)); // r0: s0+s2, s1+s3; r1: …
    const t23 = f32x4.add(v128.shuffle<f32>(a2, a3, 0, 1, 4, 5), v128.shuffle<f32>(a2, a3, 2, 3, 6, 7));
    let s = f32x4.add(v128.shuffle<f32>(t01, t23, 0, 2, 4, 6), v128.shuffle<f32>(t01, t23, 1, 3, 5, 7));
    for (let d = k4; d < kc; d++) {
      const o = <usize>d << 2, v = load<f32>(x + o);
      let t = f32x4.replace_lane(zero, 0, v * load<f32>(m0 + o));
      t = f32x4.replace_lane(t, 1, v * load<f32>(m1 + o));
      t = f32x4.replace_lane(t, 2, v * load<f32>(m2 + o));
      s = f32x4.add(s, f32x4.replace_lane(t, 3, v * load<f32>(m3 + o)));
    }
    v128.store(y + (<usize>j << 2), f32x4.mul(va, s));
  }
  for (; j < n; j++) {
    const mj = m + <usize>j * row;
    let a0 = zero;
    for (let d = 0; d < k4; d += 4) a0 = madd(v128.load(x + (<usize>d << 2)), v128.load(mj + (<usize>d << 2)), a0);
    const t = f32x4.add(a0, v128.shuffle<f32>(a0, a0, 2, 3, 0, 1));
    let s = f32x4.extract_lane(t, 0) + f32x4.extract_lane(t, 1);
    for (let d = k4; d < kc; d++) s += load<f32>(x + (<usize>d << 2)) * load<f32>(mj + (<usize>d << 2));
    store<f32>(y + (<usize>j << 2), alpha * s);
  }
}
