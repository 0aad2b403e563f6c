// f32 exp, "rr2-p5": range reduction by ln2 split into two constants, a degree-5 polynomial,
// and 2^n built directly in the exponent bits. Used by every exp-based kernel, as a scalar function
// (`expf_rr2_p5`) and as a vector function on f32x4 (`expv_rr2_p5`) that computes bit-identical
// lanes (the same f32 operations in the same order; wasm has no implicit fused multiply-add).
//
//   n = round(d·log2(e))              (a "magic bias" add: 1.5·2^23 + 127 rounds and biases at once)
//   s = 2^n                           (the biased integer shifted into the exponent field)
//   r = d − n·ln2_hi − n·ln2_lo       (ln2_hi has 9 significant bits, so n·ln2_hi is exact)
//   p = c1 + r·(c2 + r·(c3 + r·(c4 + r·c5)))
//   exp(d) ≈ s + (s·r)·p
//   d < −87.3365479 (just below ln 2^−126) returns +0 (denormal results are flushed), d = −∞
//   returns +0, d = NaN returns NaN.
//
// Domain: d ≤ 0 (every caller passes x − max). Coefficients: minimax for the relative error of
// 1 + r·p(r) on [−ln2/2, ln2/2], fitted by tools/fit-exp.mjs (Lawson's algorithm); the fit alone
// errs by 9.5e-8 with the float32-rounded coefficients.
// Measured error over every float32 in [−87.3, 0] (tests/assembly/exp.spec.ts sweeps it, and
// tools/exp-ulp.mjs checks it exhaustively): see the README ("exp accuracy").

// @ts-ignore: decorator
@inline export const EXP_LOG2E: f32 = reinterpret<f32>(0x3FB8AA3B);   // 1.44269502
// @ts-ignore: decorator
@inline export const EXP_MAGIC: f32 = reinterpret<f32>(0x4B40007F);   // 12583039 = 1.5·2^23 + 127
// @ts-ignore: decorator
@inline export const EXP_NLN2HI: f32 = reinterpret<f32>(0xBF318000);  // −0.693359375
// @ts-ignore: decorator
@inline export const EXP_NLN2LO: f32 = reinterpret<f32>(0x395E8083);  // 2.12194440e-4 (ln2_hi − ln2)
// @ts-ignore: decorator
@inline export const EXP_C5: f32 = reinterpret<f32>(0x3C07D41A);      // 8.29031505e-3
// @ts-ignore: decorator
@inline export const EXP_C4: f32 = reinterpret<f32>(0x3D2B9D2A);      // 4.18979302e-2
// @ts-ignore: decorator
@inline export const EXP_C3: f32 = reinterpret<f32>(0x3E2AAD35);      // 1.66676357e-1
// @ts-ignore: decorator
@inline export const EXP_C2: f32 = reinterpret<f32>(0x3EFFFEE3);      // 4.99991506e-1
// @ts-ignore: decorator
@inline export const EXP_C1: f32 = reinterpret<f32>(0x3F7FFFFB);      // 9.99999702e-1
// @ts-ignore: decorator
@inline export const EXP_CUTOFF: f32 = reinterpret<f32>(0xC2AEAC50);  // −87.3365479, just below ln(2^−126)

/** The same constants as four-lane vectors, 16-byte aligned, in the order of EXP_V_* below.
 *  Hot loops load them once from memory: V8 rematerialises v128 constants inside loop bodies. */
export const EXP_TABLE: usize = memory.data<u32>([
  0x3FB8AA3B, 0x3FB8AA3B, 0x3FB8AA3B, 0x3FB8AA3B,
  0x4B40007F, 0x4B40007F, 0x4B40007F, 0x4B40007F,
  0xBF318000, 0xBF318000, 0xBF318000, 0xBF318000,
  0x395E8083, 0x395E8083, 0x395E8083, 0x395E8083,
  0x3C07D41A, 0x3C07D41A, 0x3C07D41A, 0x3C07D41A,
  0x3D2B9D2A, 0x3D2B9D2A, 0x3D2B9D2A, 0x3D2B9D2A,
  0x3E2AAD35, 0x3E2AAD35, 0x3E2AAD35, 0x3E2AAD35,
  0x3EFFFEE3, 0x3EFFFEE3, 0x3EFFFEE3, 0x3EFFFEE3,
  0x3F7FFFFB, 0x3F7FFFFB, 0x3F7FFFFB, 0x3F7FFFFB,
  0xC2AEAC50, 0xC2AEAC50, 0xC2AEAC50, 0xC2AEAC50,
], 16);

/** Scalar exp(d), bit-identical to one lane of `expv_rr2_p5`. */
// @ts-ignore: decorator
@inline export function expf_rr2_p5(d: f32): f32 {
  let t = d * EXP_LOG2E + EXP_MAGIC;
  const s = reinterpret<f32>(reinterpret<i32>(t) << 23);
  const n = t - EXP_MAGIC;
  let r = n * EXP_NLN2HI + d;
  r = n * EXP_NLN2LO + r;
  let p = EXP_C5 * r + EXP_C4;
  p = p * r + EXP_C3;
  p = p * r + EXP_C2;
  p = p * r + EXP_C1;
  const sr = s * r;
  const e = sr * p + s;
  return d < EXP_CUTOFF ? 0 : e;
}

/** Vector exp on four lanes; the constants come from EXP_TABLE (loaded once by the caller). */
// @ts-ignore: decorator
@inline export function expv_rr2_p5(
  d: v128, log2e: v128, magic: v128, nln2hi: v128, nln2lo: v128,
  c5: v128, c4: v128, c3: v128, c2: v128, c1: v128, cutoff: v128,
): v128 {
  const t = f32x4.add(f32x4.mul(d, log2e), magic);
  const s = i32x4.shl(t, 23);
  const n = f32x4.sub(t, magic);
  let r = f32x4.add(f32x4.mul(n, nln2hi), d);
  r = f32x4.add(f32x4.mul(n, nln2lo), r);
  let p = f32x4.add(f32x4.mul(c5, r), c4);
  p = f32x4.add(f32x4.mul(p, r), c3);
  p = f32x4.add(f32x4.mul(p, r), c2);
  p = f32x4.add(f32x4.mul(p, r), c1);
  const sr = f32x4.mul(s, r);
  const e = f32x4.add(f32x4.mul(sr, p), s);
  return v128.andnot(e, f32x4.lt(d, cutoff));
}
