// f32-rdotpow, wasm SIMD: the reduction pass of the α-entmax backward for every power kind
// (contracts: f32-rdotpow-{eh,e34,e14,eg}-scalar, template templates/f32-rdotpow-scalar.ts:
// g = y^e on the kept support y > 0 (and mask[i] ≠ 0), +0 elsewhere, stored; returns Σ dy·g,
// out.sum = Σ g), one function for all (E a run-time value, as f32-vthreshpow-e124: this pass
// runs once per row); vectors with no lane in the support store zeros and skip the rest (sparse
// rows: most of them). E = Half (√y), ThreeQuarters (√y·√√y), Quarter (√√y):
// 8 elements per iteration, products and g added in pairs in float32, then promoted to float64
// (so the sums differ from the twins' by the order and one float32 rounding per pair: 2^−24 of
// Σ|dy·g| and of Σ g); then, and for E = General (exp(e·ln y) per lane, math/pow.ts powv,
// dominates), a 4-lane loop whose last vector may be partial (tail.ts: missing lanes 0, off the
// support), every term promoted; for E = General the products dy·g are formed in float64 (exact:
// with e < 0, α > 2, g spans orders of magnitude and q must not carry a float32 product's error). Lanes of g equal the twins' (relaxed-SIMD build: powv's exp
// multiply-adds may be fused, last bits).
import { addPromoted, hsum64 } from "../math/acc";
import { powv } from "../math/pow";
import { loadMaskPartRepeat, loadPart, storePart } from "../math/tail";
import { RDotPowResult } from "../records";
import { GPow } from "../templates/f32-rdotpow-scalar";

/** g = y^e for the square-root kinds (lanes equal sqrtpow's). */
// @ts-ignore: decorator
@inline function sqrtpowv(y: v128, E: GPow): v128 {
  const r = f32x4.sqrt(y);
  return E == GPow.Half ? r : E == GPow.Quarter ? f32x4.sqrt(r) : f32x4.mul(r, f32x4.sqrt(r));
}

export function f32_rdotpow__wasmsimd_u8(y: usize, dy: usize, g: usize, mask: usize, n: i32, e: f32, E: GPow, out: RDotPowResult): f64 {
  const zero = f32x4.splat(0), ve = f32x4.splat(e);
  let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
  let i = 0;
  if (E != GPow.General) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const y0 = v128.load(y + o), y1 = v128.load(y + o, 16);
      let k0 = f32x4.gt(y0, zero), k1 = f32x4.gt(y1, zero);
      if (mask != 0) {
        const m = i16x8.ne(v128.load8x8_u(mask + <usize>i), zero);
        k0 = v128.and(k0, i32x4.extend_low_i16x8_s(m));
        k1 = v128.and(k1, i32x4.extend_high_i16x8_s(m));
      }
      if (!v128.any_true(v128.or(k0, k1))) { v128.store(g + o, zero); v128.store(g + o, zero, 16); continue; } // (off the support)
      const g0 = v128.and(sqrtpowv(y0, E), k0), g1 = v128.and(sqrtpowv(y1, E), k1);
      v128.store(g + o, g0);
      v128.store(g + o, g1, 16);
      const p = f32x4.add(v128.and(f32x4.mul(v128.load(dy + o), g0), k0), v128.and(f32x4.mul(v128.load(dy + o, 16), g1), k1));
      const s = f32x4.add(g0, g1);
      a0 = f64x2.add(a0, f64x2.promote_low_f32x4(p));
      a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(p, p, 2, 3, 0, 1)));
      a2 = f64x2.add(a2, f64x2.promote_low_f32x4(s));
      a3 = f64x2.add(a3, f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
    }
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const yv = loadPart(y + o, r, zero);
    let k = f32x4.gt(yv, zero);
    if (mask != 0) k = v128.and(k, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero));
    if (!v128.any_true(k)) { storePart(g + o, zero, r); continue; }
    const gv = v128.and(E == GPow.General ? powv(yv, ve) : sqrtpowv(yv, E), k);
    storePart(g + o, gv, r);
    if (E == GPow.General) {
      // products formed in float64 (exact): with e < 0 (α > 2), g spans many orders of magnitude,
      // and a float32 product's rounding, multiplied back by the largest g, would swamp dx
      const d = v128.and(loadPart(dy + o, r, zero), k);
      a0 = f64x2.add(a0, f64x2.mul(f64x2.promote_low_f32x4(d), f64x2.promote_low_f32x4(gv)));
      a1 = f64x2.add(a1, f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(d, d, 2, 3, 0, 1)), f64x2.promote_low_f32x4(v128.shuffle<f32>(gv, gv, 2, 3, 0, 1))));
    } else a0 = addPromoted(a0, v128.and(f32x4.mul(loadPart(dy + o, r, zero), gv), k));
    a2 = addPromoted(a2, gv);
  }
  out.sum = hsum64(f64x2.add(a2, a3));
  return hsum64(f64x2.add(a0, a1));
}
