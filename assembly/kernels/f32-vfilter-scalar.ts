// f32-vfilter, scalar: one streaming pass that keeps the candidates of a threshold search.
// Reference for the wasm SIMD kernel, which tightens at vector granularity: its list and bound
// can differ, with the same guarantee.
//   in:  x[0..n), m (row max), c (scale: X = (x − m)·c), t0 (a lower bound of the threshold,
//        in X units), eb (bound exponent, see list.ts), limit (give up above this many)
//   out: list = the raw x[i] with X > t, in order, where t is a running lower bound raised each
//        time the list doubles; returns its length, or −1 when it would exceed `limit` (the
//        caller then searches the whole row). R_MIN (as an f32 bound) = the final t, valid in
//        both cases. Entries left out have X ≤ t ≤ threshold: they are outside the support.
import { setMin } from "./acc";
import { compact, tighten } from "./list";

// @ts-ignore: decorator
@inline export const FILTER_CAP0: i32 = 64;

export function f32_vfilter__scalar(x: usize, n: i32, list: usize, m: f32, c: f32, t0: f32, eb: f32, limit: i32): i32 {
  let t = t0, len = 0, cap = FILTER_CAP0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (!((v - m) * c > t)) continue;
    store<f32>(list + (<usize>len << 2), v);
    len++;
    if (len >= cap) {
      t = tighten(list, len, m, c, t, eb);
      len = compact(list, len, m, c, t);
      if (len > cap >> 1) cap <<= 1;
      if (cap > limit) { setMin(t); return -1; }
    }
  }
  setMin(t);
  return len;
}
