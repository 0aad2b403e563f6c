// f32-rthresh-pg, wasm SIMD, 4 elements per iteration (the last vector partial): the search passes
// of the non-integer powers (contracts: f32-rthresh-pg-scalar and f32-rthresh-p1p-scalar, template
// templates/f32-rthresh-scalar.ts, K = 0 and K = 5), where the power,
// exp(γ·ln w) per entry, dominates (more elements per iteration measured no faster):
//   near1 = false (pg):  w = d = X − t, over d > 0: s1 = Σ d^γ, s2 = Σ d^(γ−1),
//                        s3 = Σ d^(γ−2), count, min = min d;
//   near1 = true (p1p):  t is s = τ + 1, w = 1 + u with u = X − s, over u > −1 (⟺ w > 0: 1 + u
//                        is exact for u in [−2, −½]): the same sums of w^γ with ln w from u
//                        (pow.ts log1pv), min not computed (+∞).
// One loop serves both (ln w, then the near-1 correction, then one exp; near1 is a run-time flag:
// one wasm function for the two): lanes, count and min equal the scalar twins'
// (f32_rthresh_pg__scalar, f32_rthresh_p1p__scalar); the sums differ only by their order. A vector
// with no entry in the support costs a compare and a branch. Sums in f64x2 lanes, counts in i32
// lanes.
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) the exp's five multiply-adds
// are f32x4.relaxed_madd (exp.ts, madd.ts: fused where the CPU has FMA); plain mul + add elsewhere.
import { addPromoted, hcount, hsum64, minpos } from "../math/acc";
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { lnv } from "../math/pow";
import { loadPart } from "../math/tail";
import { RThreshResult } from "../records";

export function f32_rthresh_pg__wasmsimd_u4(x: usize, n: i32, m: f32, c: f32, t: f32, g: f32, near1: bool, out: RThreshResult): void {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const vm = f32x4.splat(m), vc = f32x4.splat(c), vt = f32x4.splat(t), vg = f32x4.splat(g);
  const zero = f32x4.splat(0), one = f32x4.splat(1), one_i = i32x4.splat(1), ninf = f32x4.splat(-Infinity);
  const shift: f32 = near1 ? 1 : 0, vshift = f32x4.splat(shift);
  let a1 = zero, a2 = zero, a3 = zero, cnt = i32x4.splat(0), mn = i32x4.splat(-1);
  let i = 0;
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, out of the support)
    const d = f32x4.sub(f32x4.mul(f32x4.sub(loadPart(x + (<usize>i << 2), n - i, ninf), vm), vc), vt);
    const w = f32x4.add(vshift, d); // d (+0 for d = −0, out of the support either way) or 1 + u
    const gt = f32x4.gt(w, zero);
    if (!v128.any_true(gt)) continue;
    cnt = i32x4.add(cnt, gt);
    // the smallest positive d as an unsigned-integer min of (bits − 1) (math/acc.ts minpos)
    mn = i32x4.min_u(mn, i32x4.sub(d, one_i));
    let l = lnv(w);
    if (near1) l = v128.bitselect(d, f32x4.mul(l, f32x4.div(d, f32x4.sub(w, one))), f32x4.eq(w, one));
    const q = expv_b2_p5(f32x4.mul(vg, l), log2e, magic, clamp, c5, c4, c3, c2, c1);
    const iv = f32x4.div(one, w), r = f32x4.mul(q, iv);
    a1 = addPromoted(a1, v128.and(q, gt));
    a2 = addPromoted(a2, v128.and(r, gt));
    a3 = addPromoted(a3, v128.and(f32x4.mul(r, iv), gt));
  }
  const count = hcount(cnt);
  const lo: f32 = near1 ? Infinity : minpos(mn); // (no positive d: +∞)
  out.count = count; out.min = lo; out.s1 = hsum64(a1); out.s2 = hsum64(a2); out.s3 = hsum64(a3);
}
