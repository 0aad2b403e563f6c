// f32-rsumpos, wasm SIMD, 8 elements per iteration, then a 4-lane loop whose last vector may be
// partial (tail.ts: missing lanes 0, off the support): Σ dy over the kept support S = {y > 0, and
// mask = 0 or mask[i] ≠ 0}, out.count = |S| (contract: f32-rsumpos-scalar). Lanes off S are
// cleared bitwise before the sum; vectors with no lane in S skip the rest (sparse rows: most of
// them). Every dy promoted to float64 (exact) and summed in f64x2 accumulators, the count in i32
// lanes: equal to the scalar twin up to summation order (the count exactly).
import { addPromoted, hcount, hsum64 } from "../math/acc";
import { loadMaskPartRepeat, loadPart } from "../math/tail";
import { RSumPosResult } from "../records";

export function f32_rsumpos__wasmsimd_u8(y: usize, dy: usize, mask: usize, n: i32, out: RSumPosResult): f64 {
  const zero = f32x4.splat(0);
  let a0 = zero, a1 = zero, c = zero;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    let k0 = f32x4.gt(v128.load(y + o), zero), k1 = f32x4.gt(v128.load(y + o, 16), zero);
    if (mask != 0) {
      const m = i16x8.ne(v128.load8x8_u(mask + <usize>i), zero);
      k0 = v128.and(k0, i32x4.extend_low_i16x8_s(m));
      k1 = v128.and(k1, i32x4.extend_high_i16x8_s(m));
    }
    if (!v128.any_true(v128.or(k0, k1))) continue; // (off the support)
    a0 = addPromoted(a0, v128.and(v128.load(dy + o), k0));
    a1 = addPromoted(a1, v128.and(v128.load(dy + o, 16), k1));
    c = i32x4.add(c, i32x4.add(k0, k1));
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    let k = f32x4.gt(loadPart(y + o, r, zero), zero);
    if (mask != 0) k = v128.and(k, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero));
    if (!v128.any_true(k)) continue;
    a0 = addPromoted(a0, v128.and(loadPart(dy + o, r, zero), k));
    c = i32x4.add(c, k);
  }
  out.count = hcount(c);
  return hsum64(f64x2.add(a0, a1));
}
