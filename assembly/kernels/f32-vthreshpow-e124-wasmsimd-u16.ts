// f32-vthreshpow-e124, wasm SIMD: the output pass of the threshold normalisers for the integer
// exponents e = 1, 2, 4 (contracts: f32-vthreshpow-{e1,e2,e4}-scalar, template
// templates/f32-vthreshpow-scalar.ts; the other exponents: f32-vthreshpow-eg-wasmsimd-u4), one
// function for the three (E, a run-time value, tested per group with candidates: this pass runs
// once per row), 16 elements per iteration, then a 4-lane loop whose
// last vector may be partial (tail.ts). A group of 16 outside the support is stored as zeros
// without computing the power. Sums as in f32-rthresh (pairwise in f32 per group, f64x2 across groups);
// lanes equal the scalar twin's.
import { addPromoted, hcount, hsum64 } from "../math/acc";
import { loadPart, storePart } from "../math/tail";
import { Pow } from "../kinds";
import { VThreshPowResult } from "../records";

/** d^E for E = 1, 2, 4 (run time): d, d·d, (d·d)·(d·d). */
// @ts-ignore: decorator
@inline function powr(d: v128, E: Pow): v128 {
  let v = d;
  if (E != Pow.One) {
    v = f32x4.mul(v, v);
    if (E == Pow.Four) v = f32x4.mul(v, v);
  }
  return v;
}

/** E = 1, 2 or 4. Returns Σ y; out.count = count(y > 0). */
export function f32_vthreshpow_e124__wasmsimd_u16(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, E: Pow, out: VThreshPowResult): f64 {
  const vm = f32x4.splat(m), vc = f32x4.splat(c), vhi = f32x4.splat(hi), vlo = f32x4.splat(lo);
  const zero = f32x4.splat(0), ninf = f32x4.splat(-Infinity);
  let acc = zero, cnt = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const px = x + (<usize>i << 2), py = y + (<usize>i << 2);
    const d0 = f32x4.sub(f32x4.sub(f32x4.mul(f32x4.sub(v128.load(px), vm), vc), vhi), vlo);
    const d1 = f32x4.sub(f32x4.sub(f32x4.mul(f32x4.sub(v128.load(px, 16), vm), vc), vhi), vlo);
    const d2 = f32x4.sub(f32x4.sub(f32x4.mul(f32x4.sub(v128.load(px, 32), vm), vc), vhi), vlo);
    const d3 = f32x4.sub(f32x4.sub(f32x4.mul(f32x4.sub(v128.load(px, 48), vm), vc), vhi), vlo);
    const g0 = f32x4.gt(d0, zero), g1 = f32x4.gt(d1, zero), g2 = f32x4.gt(d2, zero), g3 = f32x4.gt(d3, zero);
    if (!v128.any_true(v128.or(v128.or(g0, g1), v128.or(g2, g3)))) {
      v128.store(py, zero); v128.store(py, zero, 16); v128.store(py, zero, 32); v128.store(py, zero, 48);
      continue;
    }
    // max(d, 0), then its power (0^E = +0 where d ≤ 0: the same bits as masking after the power)
    let y0 = v128.and(d0, g0), y1 = v128.and(d1, g1), y2 = v128.and(d2, g2), y3 = v128.and(d3, g3);
    if (E != Pow.One) {
      y0 = f32x4.mul(y0, y0); y1 = f32x4.mul(y1, y1); y2 = f32x4.mul(y2, y2); y3 = f32x4.mul(y3, y3);
      if (E == Pow.Four) { y0 = f32x4.mul(y0, y0); y1 = f32x4.mul(y1, y1); y2 = f32x4.mul(y2, y2); y3 = f32x4.mul(y3, y3); }
    }
    v128.store(py, y0); v128.store(py, y1, 16); v128.store(py, y2, 32); v128.store(py, y3, 48);
    acc = addPromoted(acc, f32x4.add(f32x4.add(y0, y1), f32x4.add(y2, y3)));
    // (y > 0, not d > 0: d^E can underflow to 0)
    cnt = i32x4.add(cnt, i32x4.add(i32x4.add(f32x4.gt(y0, zero), f32x4.gt(y1, zero)), i32x4.add(f32x4.gt(y2, zero), f32x4.gt(y3, zero))));
  }
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, out of the support)
    const o = <usize>i << 2;
    const d = f32x4.sub(f32x4.sub(f32x4.mul(f32x4.sub(loadPart(x + o, n - i, ninf), vm), vc), vhi), vlo);
    const v = powr(v128.and(d, f32x4.gt(d, zero)), E);
    storePart(y + o, v, n - i);
    acc = addPromoted(acc, v);
    cnt = i32x4.add(cnt, f32x4.gt(v, zero));
  }
  out.count = hcount(cnt);
  return hsum64(acc);
}
