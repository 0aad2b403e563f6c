// The horizontal maximum of four float32 lanes, shared by the max-pass kernels (rmax, rmaxlanes,
// rmaxsum, vmodmax): lane 0, then m = m < v ? v : m for lanes 1..3 in order, the same compare
// sequence as their scalar twins' loops (so a NaN lane is skipped exactly as there).

/** max of the four lanes of v, in lane order. */
// @ts-ignore: decorator
@inline export function f32x4_hmax(v: v128): f32 {
  let m = f32x4.extract_lane(v, 0);
  let w = f32x4.extract_lane(v, 1); m = m < w ? w : m;
  w = f32x4.extract_lane(v, 2); m = m < w ? w : m;
  w = f32x4.extract_lane(v, 3); m = m < w ? w : m;
  return m;
}
