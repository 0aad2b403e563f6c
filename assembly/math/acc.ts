// Accumulators of the reduction kernels: float32 lanes summed in float64, counts and minima in
// i32 lanes, and float32 rounding in a chosen direction. (Results beyond a kernel's return value go to its record, records.ts.)

/** f64 sum of the four lanes of an f32x4, low pair and high pair promoted separately. */
// @ts-ignore: decorator
@inline export function hsum64(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}
/** acc (f64x2) += the four lanes of s (f32x4), promoted to f64: two lanes per f64x2 add. */
// @ts-ignore: decorator
@inline export function addPromoted(acc: v128, s: v128): v128 {
  return f64x2.add(f64x2.add(acc, f64x2.promote_low_f32x4(s)), f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
}
/** The number of hits counted in i32 lanes by adding compare masks (−1 per hit): minus the sum of
 *  the four lanes. */
// @ts-ignore: decorator
@inline export function hcount(cnt: v128): i32 {
  return -(i32x4.extract_lane(cnt, 0) + i32x4.extract_lane(cnt, 1) + i32x4.extract_lane(cnt, 2) + i32x4.extract_lane(cnt, 3));
}
/** The smallest positive float32 seen by an accumulator of `i32x4.min_u(mn, i32x4.sub(d, 1))`
 *  started at −1 (all bits set): positive floats keep their order as unsigned integers, +0 wraps to
 *  0xFFFFFFFF and negative floats (sign bit) exceed every positive one, so the unsigned minimum of
 *  the bits − 1 is the smallest positive d minus one ulp, with no mask. +∞ when there was none. */
// @ts-ignore: decorator
@inline export function minpos(mn: v128): f32 {
  let b = i32x4.extract_lane(mn, 0), b2 = i32x4.extract_lane(mn, 1);
  b = <u32>b < <u32>b2 ? b : b2; b2 = i32x4.extract_lane(mn, 2); b = <u32>b < <u32>b2 ? b : b2; b2 = i32x4.extract_lane(mn, 3); b = <u32>b < <u32>b2 ? b : b2;
  return <u32>b >= 0x7F800000 ? Infinity : reinterpret<f32>(b + 1);
}
/** Largest f32 ≤ v (v finite). */
// @ts-ignore: decorator
@inline export function f32down(v: f64): f32 {
  let r = <f32>v;
  if (<f64>r > v) {
    const b = reinterpret<u32>(r);
    r = r > 0 ? reinterpret<f32>(b - 1) : r == 0 ? reinterpret<f32>(<u32>0x80000001) : reinterpret<f32>(b + 1);
  }
  return r;
}
/** Smallest f32 ≥ v (v finite). */
// @ts-ignore: decorator
@inline export function f32up(v: f64): f32 {
  return -f32down(-v);
}
