// f32-vsubexp, wasm SIMD (exp: b2-p5, math/exp.ts), 16 elements per iteration without a mask (four
// independent exp chains: 9% faster log-softmax backward than 8), 8 with one, then a 4-lane loop
// whose last vector may be partial (tail.ts): dx[i] = dy[i] − exp(y[i])·s on the kept entries
// (mask = 0, or mask[i] ≠ 0), +0 on the masked ones (cleared bitwise). Lanes equal the scalar twin
// f32-vsubexp-scalar-b2-p5's (in the relaxed-SIMD build the exp's multiply-adds may be fused: last
// bits). dx may equal y; dx and dy are disjoint.
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { loadMaskPartRepeat, loadPart, storePart } from "../math/tail";

export function f32_vsubexp__wasmsimd_b2_p5_u16(y: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32): void {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const zero = f32x4.splat(0), vs = f32x4.splat(s);
  let i = 0;
  if (mask == 0) {
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const e0 = expv_b2_p5(v128.load(y + o), log2e, magic, clamp, c5, c4, c3, c2, c1);
      const e1 = expv_b2_p5(v128.load(y + o, 16), log2e, magic, clamp, c5, c4, c3, c2, c1);
      const e2 = expv_b2_p5(v128.load(y + o, 32), log2e, magic, clamp, c5, c4, c3, c2, c1);
      const e3 = expv_b2_p5(v128.load(y + o, 48), log2e, magic, clamp, c5, c4, c3, c2, c1);
      v128.store(dx + o, f32x4.sub(v128.load(dy + o), f32x4.mul(e0, vs)));
      v128.store(dx + o, f32x4.sub(v128.load(dy + o, 16), f32x4.mul(e1, vs)), 16);
      v128.store(dx + o, f32x4.sub(v128.load(dy + o, 32), f32x4.mul(e2, vs)), 32);
      v128.store(dx + o, f32x4.sub(v128.load(dy + o, 48), f32x4.mul(e3, vs)), 48);
    }
  }
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const e0 = expv_b2_p5(v128.load(y + o), log2e, magic, clamp, c5, c4, c3, c2, c1);
    const e1 = expv_b2_p5(v128.load(y + o, 16), log2e, magic, clamp, c5, c4, c3, c2, c1);
    let v0 = f32x4.sub(v128.load(dy + o), f32x4.mul(e0, vs));
    let v1 = f32x4.sub(v128.load(dy + o, 16), f32x4.mul(e1, vs));
    if (mask != 0) {
      const m = i16x8.ne(v128.load8x8_u(mask + <usize>i), zero);
      v0 = v128.and(v0, i32x4.extend_low_i16x8_s(m));
      v1 = v128.and(v1, i32x4.extend_high_i16x8_s(m));
    }
    v128.store(dx + o, v0);
    v128.store(dx + o, v1, 16);
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const e = expv_b2_p5(loadPart(y + o, r, zero), log2e, magic, clamp, c5, c4, c3, c2, c1);
    let v = f32x4.sub(loadPart(dy + o, r, zero), f32x4.mul(e, vs));
    if (mask != 0) v = v128.and(v, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero));
    storePart(dx + o, v, r);
  }
}
