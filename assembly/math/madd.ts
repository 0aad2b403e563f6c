// a·b + c on four f32 lanes: `f32x4.relaxed_madd` in the relaxed-SIMD build
// (build/multimax-relaxed.wasm, asc --enable relaxed-simd), where the engine may fuse it into one
// FMA instruction (a single rounding) or not (two roundings, as below), at its choice and per CPU;
// `f32x4.add(f32x4.mul(a, b), c)` in the plain SIMD build, which therefore stays bit for bit what
// it was, and bit-identical to its scalar twins (`x * y + z` in AssemblyScript is never fused).
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant: each build keeps only its own branch.
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, c) : f32x4.add(f32x4.mul(a, b), c);
}

/** c + a·b: `madd` with the addend first, as in `f32x4.add(c, f32x4.mul(a, b))` (the same value;
 *  the plain SIMD build keeps that operand order, so its code is unchanged). */
// @ts-ignore: decorator
@inline export function addmul(c: v128, a: v128, b: v128): v128 {
  return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(a, b, c) : f32x4.add(c, f32x4.mul(a, b));
}
