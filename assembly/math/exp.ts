// f32 exp, "b2-p5": base-2 range reduction with a clamp, a degree-5 polynomial for 2^r, and 2^n
// built directly in the exponent bits. Used by every exp-based kernel, as a scalar function
// (`expf_b2_p5`) and as a vector function on f32x4 (`expv_b2_p5`) that computes bit-identical
// lanes (the same f32 operations in the same order; wasm has no implicit fused multiply-add) in the
// SIMD build; the relaxed-SIMD build uses f32x4.relaxed_madd for the five multiply-adds (madd.ts).
//
//   d2 = max(d·log2(e), −127)         (f32x4.pmax: a NaN d·log2e stays NaN)
//   t  = d2 + magic                   (magic = 1.5·2^23 + 127 rounds d2 to n and biases it at once)
//   s  = 2^n                          (t shifted left by 23: the biased n lands in the exponent field;
//                                      for n = −127 the biased exponent is 0 and s = +0 exactly)
//   n  = t − magic
//   r  = d2 − n                       (exact, |r| ≤ 1/2)
//   p  = c1 + r·(c2 + r·(c3 + r·(c4 + r·c5)))
//   exp(d) ≈ s + (s·r)·p              (2^r ≈ 1 + r·p)
//
// Domain: d ≤ 0 (every caller passes x − max, or e·ln u ≤ 0). Special values: d = −0 and +0 give 1
// exactly; d = −∞ gives +0; d = NaN gives NaN; every d with fl(d·log2e) ≤ −126.5 (d ≲ −87.68) gives
// +0 exactly (n rounds to −127, so s = +0). Results between that and 2^−126 (d in about
// [−87.68, −87.34]) are computed from s = 2^−126 and may be subnormal (not flushed to 0).
//
// Coefficients: minimax for the relative error of 1 + r·p(r) against 2^r on [−1/2, 1/2], fitted by
// tools/fit-exp.mjs (Lawson's algorithm, then the best float32 set among the nearest ±2 ulps); the
// fit alone errs by 1.02e-7 with these float32 coefficients.
// Accuracy: d2 = fl(d·log2e) is rounded once, which adds a relative error of up to about
// |d|·2^−24 to exp(d) (the same order as the rounding of d = x − max before every call), so the
// ulp error grows with |d| while the relative error stays small. Measured over every float32 in
// [−87.3, 0] (tools/exp-ulp.mjs, exhaustively; tests/assembly/exp.spec.ts sweeps it): see the
// docs/design.md ("exp accuracy").

import { madd } from "./madd";

// @ts-ignore: decorator
@inline export const EXP_LOG2E: f32 = reinterpret<f32>(0x3FB8AA3B);   // 1.44269502
// @ts-ignore: decorator
@inline export const EXP_MAGIC: f32 = reinterpret<f32>(0x4B40007F);   // 12583039 = 1.5·2^23 + 127
// @ts-ignore: decorator
@inline export const EXP_CLAMP: f32 = reinterpret<f32>(0xC2FE0000);   // −127: n = −127 gives s = +0
// @ts-ignore: decorator
@inline export const EXP_C5: f32 = reinterpret<f32>(0x3AADDD08);      // 1.32647250e-3
// @ts-ignore: decorator
@inline export const EXP_C4: f32 = reinterpret<f32>(0x3C1E7546);      // 9.67151485e-3
// @ts-ignore: decorator
@inline export const EXP_C3: f32 = reinterpret<f32>(0x3D635BA7);      // 5.55073284e-2
// @ts-ignore: decorator
@inline export const EXP_C2: f32 = reinterpret<f32>(0x3E75FCDF);      // 2.40222439e-1
// @ts-ignore: decorator
@inline export const EXP_C1: f32 = reinterpret<f32>(0x3F317215);      // 6.93147004e-1

/** The same constants as four-lane vectors, 16-byte aligned, in the order of the `expv_b2_p5`
 *  arguments: log2e (offset 0), magic (16), clamp (32), c5 (48), c4 (64), c3 (80), c2 (96),
 *  c1 (112), read through the helpers below. Hot loops load them once from memory, before the
 *  loop: V8 rematerialises a v128 constant inside a loop body (three instructions each time). (SIMD
 *  builds only.) */
export const EXP_TABLE: usize = !ASC_FEATURE_SIMD ? 0 : memory.data<u32>([
  0x3FB8AA3B, 0x3FB8AA3B, 0x3FB8AA3B, 0x3FB8AA3B,
  0x4B40007F, 0x4B40007F, 0x4B40007F, 0x4B40007F,
  0xC2FE0000, 0xC2FE0000, 0xC2FE0000, 0xC2FE0000,
  0x3AADDD08, 0x3AADDD08, 0x3AADDD08, 0x3AADDD08,
  0x3C1E7546, 0x3C1E7546, 0x3C1E7546, 0x3C1E7546,
  0x3D635BA7, 0x3D635BA7, 0x3D635BA7, 0x3D635BA7,
  0x3E75FCDF, 0x3E75FCDF, 0x3E75FCDF, 0x3E75FCDF,
  0x3F317215, 0x3F317215, 0x3F317215, 0x3F317215,
], 16);

// The vector constants, one load each from EXP_TABLE (its layout is known only here). A kernel
// calls them once, before its loops, and passes the registers to every `expv_b2_p5`:
//   const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
//   const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
// (Letting expv_b2_p5 load them itself, one load per constant and call, measured 2.3% slower
// softmax on 1 x 32000 and 1% on 4096 x 128: V8 does not hoist the loads out of the loop.)
// @ts-ignore: decorator
@inline export function expv_log2e(): v128 { return v128.load(EXP_TABLE); }
// @ts-ignore: decorator
@inline export function expv_magic(): v128 { return v128.load(EXP_TABLE, 16); }
// @ts-ignore: decorator
@inline export function expv_clamp(): v128 { return v128.load(EXP_TABLE, 32); }
// @ts-ignore: decorator
@inline export function expv_c5(): v128 { return v128.load(EXP_TABLE, 48); }
// @ts-ignore: decorator
@inline export function expv_c4(): v128 { return v128.load(EXP_TABLE, 64); }
// @ts-ignore: decorator
@inline export function expv_c3(): v128 { return v128.load(EXP_TABLE, 80); }
// @ts-ignore: decorator
@inline export function expv_c2(): v128 { return v128.load(EXP_TABLE, 96); }
// @ts-ignore: decorator
@inline export function expv_c1(): v128 { return v128.load(EXP_TABLE, 112); }

/** Scalar exp(d), bit-identical to one lane of `expv_b2_p5`. */
// @ts-ignore: decorator
@inline export function expf_b2_p5(d: f32): f32 {
  let d2 = d * EXP_LOG2E;
  d2 = d2 < EXP_CLAMP ? EXP_CLAMP : d2; // f32x4.pmax(d2, clamp): NaN stays NaN, −∞ becomes −127
  const t = d2 + EXP_MAGIC;
  const s = reinterpret<f32>(reinterpret<i32>(t) << 23);
  const n = t - EXP_MAGIC;
  const r = d2 - n;
  let p = EXP_C5 * r + EXP_C4;
  p = p * r + EXP_C3;
  p = p * r + EXP_C2;
  p = p * r + EXP_C1;
  const sr = s * r;
  return sr * p + s;
}

/** Vector exp on four lanes; the constants come from EXP_TABLE (expv_log2e … expv_c1, loaded
 *  once by the caller). The
 *  five multiply-adds are `madd` (madd.ts): plain mul + add in the SIMD build (bit-identical to
 *  `expf_b2_p5`), `f32x4.relaxed_madd` in the relaxed-SIMD build (fused where the CPU has FMA:
 *  15–20% faster softmax; the lanes may then differ from `expf_b2_p5` in the last bits). */
// @ts-ignore: decorator
@inline export function expv_b2_p5(
  d: v128, log2e: v128, magic: v128, clamp: v128,
  c5: v128, c4: v128, c3: v128, c2: v128, c1: v128,
): v128 {
  const d2 = f32x4.pmax(f32x4.mul(d, log2e), clamp);
  const t = f32x4.add(d2, magic);
  const s = i32x4.shl(t, 23);
  const n = f32x4.sub(t, magic);
  const r = f32x4.sub(d2, n);
  let p = madd(c5, r, c4);
  p = madd(p, r, c3);
  p = madd(p, r, c2);
  p = madd(p, r, c1);
  const sr = f32x4.mul(s, r);
  return madd(sr, p, s);
}
