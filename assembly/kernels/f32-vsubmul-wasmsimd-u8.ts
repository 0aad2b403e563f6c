// f32-vsubmul, wasm SIMD, 8 elements per iteration, then a 4-lane loop whose last vector may be
// partial (tail.ts): dx[i] = (((dy[i] − s) − lo)·g[i])·k where g[i] ≠ 0 and the entry is kept (mask = 0,
// or mask[i] ≠ 0), +0 elsewhere (cleared bitwise: NaN or ±∞ in dy there never reach dx). Lanes
// equal the scalar twin f32-vsubmul-scalar's. dx may equal g; dx and dy are disjoint.
import { loadMaskPartRepeat, loadPart, storePart } from "../math/tail";

export function f32_vsubmul__wasmsimd_u8(g: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32, lo: f32, k: f32): void {
  const zero = f32x4.splat(0), vs = f32x4.splat(s), vlo = f32x4.splat(lo), vk = f32x4.splat(k);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const g0 = v128.load(g + o), g1 = v128.load(g + o, 16);
    let k0 = f32x4.ne(g0, zero), k1 = f32x4.ne(g1, zero);
    if (mask != 0) {
      const m = i16x8.ne(v128.load8x8_u(mask + <usize>i), zero);
      k0 = v128.and(k0, i32x4.extend_low_i16x8_s(m));
      k1 = v128.and(k1, i32x4.extend_high_i16x8_s(m));
    }
    const v0 = f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(v128.load(dy + o), vs), vlo), g0), vk);
    const v1 = f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(v128.load(dy + o, 16), vs), vlo), g1), vk);
    v128.store(dx + o, v128.and(v0, k0));
    v128.store(dx + o, v128.and(v1, k1), 16);
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const gv = loadPart(g + o, r, zero);
    let kv = f32x4.ne(gv, zero);
    if (mask != 0) kv = v128.and(kv, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero));
    storePart(dx + o, v128.and(f32x4.mul(f32x4.mul(f32x4.sub(f32x4.sub(loadPart(dy + o, r, zero), vs), vlo), gv), vk), kv), r);
  }
}
