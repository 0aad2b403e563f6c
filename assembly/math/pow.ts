// d^e for d > 0 as exp(e·ln d): the sparse normalisers' power (α-entmax, normmax). A scalar
// function and a vector function with the same float32 operations in the same order, so that the
// scalar build and the SIMD build agree lane for lane.
//
//   ln d:  d = 2^k·m with m in [√½, √2) (k from the exponent bits, offset by √½'s bits),
//          s = (m − 1)/(m + 1),  ln m = 2·atanh(s) = s·(2 + s²·(2/3 + s²·(2/5 + s²·(2/7 + s²·2/9)))),
//          ln d = k·ln2_hi + (ln m + k·ln2_lo)   (|s| ≤ 0.1716: the series' next term is < 3e-9
//          relative; m − 1 is exact, so the error is that of the division and the sums, a few ulp)
//   d^e:   exp(e·ln d) with the b2-p5 exp of exp.ts (e·ln d ≤ 0 here: callers have 0 < d ≤ 1).
// Callers only use lanes with d > 0 (others are masked away); subnormal d give a finite, tiny
// result, never NaN. Relative error of d^e: about (1.5·|e·ln d| + 3)·1.2e-7 (the b2-p5 exp
// adds up to about |y|·7e-8 relative for an argument y, tools/exp-ulp.mjs).
// FMA variant: in the relaxed-SIMD build the vector exp's multiply-adds are f32x4.relaxed_madd
// (exp.ts); the ln polynomial stays plain mul + add (not measured faster).
import {
  expf_b2_p5, expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic,
} from "./exp";

// @ts-ignore: decorator
@inline const SQRTHALF_BITS: i32 = 0x3F3504F3; // √½
// @ts-ignore: decorator
@inline const LN2_HI: f32 = reinterpret<f32>(0x3F317180); // 6.9313812256e-1 (exact k·LN2_HI for |k| < 2^11)
// @ts-ignore: decorator
@inline const LN2_LO: f32 = reinterpret<f32>(0x3717F7D1); // 9.0580006145e-6
// @ts-ignore: decorator
@inline const L9: f32 = 0.22222222; // 2/9
// @ts-ignore: decorator
@inline const L7: f32 = 0.2857142857; // 2/7
// @ts-ignore: decorator
@inline const L5: f32 = 0.4; // 2/5
// @ts-ignore: decorator
@inline const L3: f32 = 0.6666666667; // 2/3

/** ln d, d > 0 (scalar twin of lnv). */
// @ts-ignore: decorator
@inline export function lnf(d: f32): f32 {
  const b = reinterpret<i32>(d);
  const k = (b - SQRTHALF_BITS) >> 23;
  const m = reinterpret<f32>(b - (k << 23));
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let p = L9 * s2 + L7;
  p = p * s2 + L5;
  p = p * s2 + L3;
  const lnm = s * (p * s2 + 2);
  const kf = <f32>k;
  return kf * LN2_HI + (lnm + kf * LN2_LO);
}

/** d^e, d > 0, e > 0, d ≤ 1 (scalar twin of powv). */
// @ts-ignore: decorator
@inline export function powf_pos(d: f32, e: f32): f32 {
  return expf_b2_p5(e * lnf(d));
}

/** The constants of lnv as four-lane vectors (loaded from memory: V8 rematerialises v128
 *  immediates inside loops, three instructions each). */
const LN_TABLE: usize = !ASC_FEATURE_SIMD ? 0 : memory.data<u32>([
  0x3F3504F3, 0x3F3504F3, 0x3F3504F3, 0x3F3504F3, // √½ (bits)
  0x3F800000, 0x3F800000, 0x3F800000, 0x3F800000, // 1
  0x3E638E39, 0x3E638E39, 0x3E638E39, 0x3E638E39, // 2/9
  0x3E924925, 0x3E924925, 0x3E924925, 0x3E924925, // 2/7
  0x3ECCCCCD, 0x3ECCCCCD, 0x3ECCCCCD, 0x3ECCCCCD, // 2/5
  0x3F2AAAAB, 0x3F2AAAAB, 0x3F2AAAAB, 0x3F2AAAAB, // 2/3
  0x40000000, 0x40000000, 0x40000000, 0x40000000, // 2
  0x3F317180, 0x3F317180, 0x3F317180, 0x3F317180, // ln2_hi
  0x3717F7D1, 0x3717F7D1, 0x3717F7D1, 0x3717F7D1, // ln2_lo
], 16);

/** ln d on four lanes (lanes with d ≤ 0 give garbage that callers mask). */
// @ts-ignore: decorator
@inline export function lnv(d: v128): v128 {
  const k = i32x4.shr_s(i32x4.sub(d, v128.load(LN_TABLE)), 23);
  const m = i32x4.sub(d, i32x4.shl(k, 23));
  const one = v128.load(LN_TABLE, 16);
  const s = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const s2 = f32x4.mul(s, s);
  let p = f32x4.add(f32x4.mul(v128.load(LN_TABLE, 32), s2), v128.load(LN_TABLE, 48));
  p = f32x4.add(f32x4.mul(p, s2), v128.load(LN_TABLE, 64));
  p = f32x4.add(f32x4.mul(p, s2), v128.load(LN_TABLE, 80));
  const lnm = f32x4.mul(s, f32x4.add(f32x4.mul(p, s2), v128.load(LN_TABLE, 96)));
  const kf = f32x4.convert_i32x4_s(k);
  return f32x4.add(f32x4.mul(kf, v128.load(LN_TABLE, 112)), f32x4.add(lnm, f32x4.mul(kf, v128.load(LN_TABLE, 128))));
}

/** d^e on four lanes, d in (0, 1], e > 0 splatted. */
// @ts-ignore: decorator
@inline export function powv(d: v128, e: v128): v128 {
  return expv_b2_p5(f32x4.mul(e, lnv(d)),
    expv_log2e(), expv_magic(), expv_clamp(), expv_c5(), expv_c4(), expv_c3(), expv_c2(), expv_c1());
}

/** ln(1 + u), u > −1, accurate to a few ulp relative also where 1 + u rounds (Goldberg's trick:
 *  with w = 1 + u rounded, ln(1 + u) ≈ ln(w)·u/(w − 1), exact when w = 1). The near-1 α-maps
 *  (α − 1 < 1/64) raise 1 + u to powers above 64: computing ln(1 + u) from u, not from the rounded
 *  1 + u, keeps p = exp(e·ln(1 + u)) accurate: about 3 ulp for ln(1 + u), so p within about
 *  (3·|e·ln(1 + u)| + 3)·1.2e-7 relative (tests/assembly/sparse.spec.ts). Scalar twin of log1pv. */
// @ts-ignore: decorator
@inline export function log1pf(u: f32): f32 {
  const w: f32 = 1 + u;
  return w == 1 ? u : lnf(w) * (u / (w - 1));
}

/** ln(1 + u) on four lanes (lanes with u ≤ −1 give garbage that callers mask). */
// @ts-ignore: decorator
@inline export function log1pv(u: v128): v128 {
  const one = v128.load(LN_TABLE, 16);
  const w = f32x4.add(one, u);
  const r = f32x4.mul(lnv(w), f32x4.div(u, f32x4.sub(w, one)));
  return v128.bitselect(u, r, f32x4.eq(w, one));
}

/** (1 + u)^e for u > −1 as exp(e·ln(1 + u)) (scalar twin of pow1pv). */
// @ts-ignore: decorator
@inline export function pow1pf(u: f32, e: f32): f32 {
  return expf_b2_p5(e * log1pf(u));
}

/** (1 + u)^e on four lanes, e splatted; e·ln(1 + u) ≤ 0 for u ≤ 0. */
// @ts-ignore: decorator
@inline export function pow1pv(u: v128, e: v128): v128 {
  return expv_b2_p5(f32x4.mul(e, log1pv(u)),
    expv_log2e(), expv_magic(), expv_clamp(), expv_c5(), expv_c4(), expv_c3(), expv_c2(), expv_c1());
}
