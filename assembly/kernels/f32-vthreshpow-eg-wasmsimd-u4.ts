// f32-vthreshpow-eg, wasm SIMD, 4 elements per iteration (the last vector partial): the output pass
// of the non-integer powers (contracts: f32-vthreshpow-eg-scalar and f32-vthreshpow-e1p-scalar,
// template templates/f32-vthreshpow-scalar.ts, E = 0 and E = 5), where the power,
// exp(e·ln w) per entry, dominates (more elements per iteration measured no faster):
//   near1 = false (eg):  w = d = ((x − m)·c − τhi) − τlo,  y = d^e over d > 0, else 0;
//   near1 = true (e1p):  τhi + τlo is s = τ + 1, w = 1 + u with u = d,  y = w^e over u > −1
//                        (⟺ w > 0), ln w from u (pow.ts log1pv).
// One loop serves both (ln w, then the near-1 correction, then one exp; near1 is a run-time flag:
// one wasm function for the two): lanes equal the scalar
// twins' (f32_vthreshpow_eg__scalar, f32_vthreshpow_e1p__scalar). Returns Σ y (f64x2 lanes),
// out.count = count(y > 0). x may equal y.
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) the exp's five multiply-adds
// are f32x4.relaxed_madd (exp.ts, madd.ts: fused where the CPU has FMA); plain mul + add elsewhere.
import { addPromoted, hcount, hsum64 } from "../math/acc";
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { lnv } from "../math/pow";
import { loadPart, storePart } from "../math/tail";
import { VThreshPowResult } from "../records";

export function f32_vthreshpow_eg__wasmsimd_u4(x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, e: f32, near1: bool, out: VThreshPowResult): f64 {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const vm = f32x4.splat(m), vc = f32x4.splat(c), vhi = f32x4.splat(hi), vlo = f32x4.splat(lo), ve = f32x4.splat(e);
  const zero = f32x4.splat(0), one = f32x4.splat(1), ninf = f32x4.splat(-Infinity);
  const shift: f32 = near1 ? 1 : 0, vshift = f32x4.splat(shift);
  let acc = zero, cnt = i32x4.splat(0);
  let i = 0;
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, out of the support)
    const o = <usize>i << 2;
    const d = f32x4.sub(f32x4.sub(f32x4.mul(f32x4.sub(loadPart(x + o, n - i, ninf), vm), vc), vhi), vlo);
    const w = f32x4.add(vshift, d); // d (+0 for d = −0, out of the support either way) or 1 + u
    let l = lnv(w);
    if (near1) l = v128.bitselect(d, f32x4.mul(l, f32x4.div(d, f32x4.sub(w, one))), f32x4.eq(w, one));
    const v = v128.and(expv_b2_p5(f32x4.mul(ve, l), log2e, magic, clamp, c5, c4, c3, c2, c1), f32x4.gt(w, zero));
    storePart(y + o, v, n - i);
    acc = addPromoted(acc, v);
    cnt = i32x4.add(cnt, f32x4.gt(v, zero));
  }
  out.count = hcount(cnt);
  return hsum64(acc);
}
