// Partial vectors for the last 1..3 elements of a row, so that a kernel's 4-lane loop can also run
// its tail (one copy of the loop body instead of a scalar copy of it): the lanes past the end are
// filled with a value the kernel ignores (−∞ inputs: exp gives 0, no threshold keeps them; or the
// row's last element again, for a max), and only the lanes inside the row are stored. Lanes are computed by the same vector operations as
// in the loop, which equal the scalar twins' operations lane for lane.

/** The r (1..3) floats at p in lanes 0..r−1, the other lanes from `pad`. */
// @ts-ignore: decorator
@inline export function loadTail(p: usize, r: i32, pad: v128): v128 {
  let v = f32x4.replace_lane(pad, 0, load<f32>(p));
  if (r > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (r > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Four floats at p, or the r < 4 floats left (loadTail). */
// @ts-ignore: decorator
@inline export function loadPart(p: usize, r: i32, pad: v128): v128 {
  return r >= 4 ? v128.load(p) : loadTail(p, r, pad);
}

/** Stores lanes 0..min(r, 4)−1 of v at p. */
// @ts-ignore: decorator
@inline export function storePart(p: usize, v: v128, r: i32): void {
  if (r >= 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (r > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (r > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** The r (1..3) floats at p in lanes 0..r−1, the last of them repeated in the other lanes (for
 *  kernels that only take a max or a min, or flag a lane: a repeated element changes nothing). */
// @ts-ignore: decorator
@inline export function loadPartRepeat(p: usize, r: i32): v128 {
  return r >= 4 ? v128.load(p) : loadTail(p, r, f32x4.splat(load<f32>(p + (<usize>(r - 1) << 2))));
}

/** Four mask bytes at p as i32 lanes, or the r < 4 bytes left, the last repeated. */
// @ts-ignore: decorator
@inline export function loadMaskPartRepeat(p: usize, r: i32): v128 {
  if (r >= 4) return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p)));
  let k = i32x4.splat(load<u8>(p + <usize>(r - 1)));
  k = i32x4.replace_lane(k, 0, load<u8>(p));
  if (r > 1) k = i32x4.replace_lane(k, 1, load<u8>(p, 1));
  return k;
}
