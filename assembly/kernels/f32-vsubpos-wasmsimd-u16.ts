// f32-vsubpos, wasm SIMD, 16 elements per iteration, then a 4-lane loop whose last vector may be
// partial (tail.ts): dx[i] = (dy[i] − s) − lo where y[i] > 0 and kept (mask = 0, or mask[i] ≠ 0),
// +0 elsewhere, cleared bitwise (NaN or ±∞ in dy there never reach dx). Lanes equal the scalar
// twin f32-vsubpos-scalar's. dx may equal y (each vector of y is read before its dx is stored);
// dx and dy are disjoint.
import { loadMaskPartRepeat, loadPart, storePart } from "../math/tail";

/** The 4 lanes at o: (dy − s) − lo where y > 0, +0 elsewhere (k: the mask lanes, or all set). */
// @ts-ignore: decorator
@inline function lane4(y: v128, dy: v128, k: v128, vs: v128, vlo: v128, zero: v128): v128 {
  return v128.and(f32x4.sub(f32x4.sub(dy, vs), vlo), v128.and(f32x4.gt(y, zero), k));
}

export function f32_vsubpos__wasmsimd_u16(y: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32, lo: f32): void {
  const zero = f32x4.splat(0), ones = i32x4.splat(-1), vs = f32x4.splat(s), vlo = f32x4.splat(lo);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    let k0 = ones, k1 = ones, k2 = ones, k3 = ones;
    if (mask != 0) {
      const m = i8x16.ne(v128.load(mask + <usize>i), zero);
      const lo8 = i16x8.extend_low_i8x16_s(m), hi8 = i16x8.extend_high_i8x16_s(m);
      k0 = i32x4.extend_low_i16x8_s(lo8); k1 = i32x4.extend_high_i16x8_s(lo8);
      k2 = i32x4.extend_low_i16x8_s(hi8); k3 = i32x4.extend_high_i16x8_s(hi8);
    }
    const v0 = lane4(v128.load(y + o), v128.load(dy + o), k0, vs, vlo, zero);
    const v1 = lane4(v128.load(y + o, 16), v128.load(dy + o, 16), k1, vs, vlo, zero);
    const v2 = lane4(v128.load(y + o, 32), v128.load(dy + o, 32), k2, vs, vlo, zero);
    const v3 = lane4(v128.load(y + o, 48), v128.load(dy + o, 48), k3, vs, vlo, zero);
    v128.store(dx + o, v0); v128.store(dx + o, v1, 16); v128.store(dx + o, v2, 32); v128.store(dx + o, v3, 48);
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const k = mask != 0 ? i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero) : ones;
    storePart(dx + o, lane4(loadPart(y + o, r, zero), loadPart(dy + o, r, zero), k, vs, vlo, zero), r);
  }
}
