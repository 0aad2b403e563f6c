// f32-rmax, wasm SIMD: row maximum with f32x4.pmax (one x86 instruction under V8, against about
// eight for the NaN-propagating f32x4.max), 16 elements per iteration in 4 accumulators, then a
// 4-lane loop and a scalar tail. pmax skips NaN; NaN rows are detected from the exp sum.
import { f32x4_hmax } from "../math/hmax";

/** Row maximum of x[0..n), n ≥ 1; equals `f32_rmax__scalar` in value for every input without
 *  NaN (with both +0 and −0 in a row, either zero may come back). */
export function f32_rmax__wasmsimd_pmax_u16(x: usize, n: i32): f32 {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf, m1 = ninf, m2 = ninf, m3 = ninf;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    m0 = f32x4.pmax(m0, v128.load(p));
    m1 = f32x4.pmax(m1, v128.load(p, 16));
    m2 = f32x4.pmax(m2, v128.load(p, 32));
    m3 = f32x4.pmax(m3, v128.load(p, 48));
  }
  for (; i + 4 <= n; i += 4) m0 = f32x4.pmax(m0, v128.load(x + (<usize>i << 2)));
  m0 = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
  let m = f32x4_hmax(m0);
  let v: f32;
  for (; i < n; i++) {
    v = load<f32>(x + (<usize>i << 2));
    m = m < v ? v : m;
  }
  return m;
}
