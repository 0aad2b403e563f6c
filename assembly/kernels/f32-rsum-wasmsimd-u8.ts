// f32-rsum, wasm SIMD, 8 elements per iteration, then a 4-lane loop whose last vector may be
// partial (tail.ts, missing lanes 0): Σ x[i] over the kept entries (mask = 0: all; else
// mask[i] ≠ 0; masked lanes are cleared bitwise). Every element promoted to float64 (exact) and
// summed in four f64x2 accumulators: equal to the scalar twin f32-rsum-scalar up to summation order.
import { addPromoted, hsum64 } from "../math/acc";
import { loadMaskPartRepeat, loadPart } from "../math/tail";

export function f32_rsum__wasmsimd_u8(x: usize, mask: usize, n: i32): f64 {
  const zero = f32x4.splat(0);
  let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    let v0 = v128.load(p), v1 = v128.load(p, 16);
    if (mask != 0) {
      const k = i16x8.ne(v128.load8x8_u(mask + <usize>i), zero);
      v0 = v128.and(v0, i32x4.extend_low_i16x8_s(k));
      v1 = v128.and(v1, i32x4.extend_high_i16x8_s(k));
    }
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(v0));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v0, v0, 2, 3, 0, 1)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v1));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.shuffle<f32>(v1, v1, 2, 3, 0, 1)));
  }
  for (; i < n; i += 4) {
    const r = n - i;
    let v = loadPart(x + (<usize>i << 2), r, zero);
    if (mask != 0) v = v128.and(v, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero));
    a0 = addPromoted(a0, v);
  }
  return hsum64(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)));
}
