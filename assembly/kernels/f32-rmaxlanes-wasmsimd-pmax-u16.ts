// f32-rmaxlanes, wasm SIMD (contract: f32-rmaxlanes-scalar.ts): the row max with f32x4.pmax in
// four accumulators (one x86 instruction each, NaN-blind) plus a NaN tracker (x ≠ x, or-ed), so
// that NaN rows are known before any threshold search starts (a NaN compares false with every
// threshold and would silently get probability 0). The four accumulators — the maxima of the 16
// residue classes mod 16 — are stored to lanes[0..16) before they are reduced: a starting bound
// for the threshold search at the price of four stores.
import { f32x4_hmax } from "../math/hmax";

export function f32_rmaxlanes__wasmsimd_pmax_u16(x: usize, n: i32, lanes: usize): f32 {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf, m1 = ninf, m2 = ninf, m3 = ninf, bad = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
    m0 = f32x4.pmax(m0, v0); m1 = f32x4.pmax(m1, v1); m2 = f32x4.pmax(m2, v2); m3 = f32x4.pmax(m3, v3);
    bad = v128.or(bad, v128.or(v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)), v128.or(f32x4.ne(v2, v2), f32x4.ne(v3, v3))));
  }
  v128.store(lanes, m0); v128.store(lanes, m1, 16); v128.store(lanes, m2, 32); v128.store(lanes, m3, 48);
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    m0 = f32x4.pmax(m0, v);
    bad = v128.or(bad, f32x4.ne(v, v));
  }
  if (v128.any_true(bad)) return NaN;
  m0 = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
  let m = f32x4_hmax(m0);
  let v: f32;
  for (; i < n; i++) {
    v = load<f32>(x + (<usize>i << 2));
    if (v != v) return NaN;
    m = m < v ? v : m;
  }
  return m;
}
