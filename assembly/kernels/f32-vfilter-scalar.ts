// f32-vfilter, scalar: the candidates for the support of a threshold map (see threshold/rows.ts),
// in one streaming pass after the max: a filter with a running lower bound in the manner of
// Condat's (2016) online variant of Michelot's method, the bound being the threshold of the list
// so far. Reference for the wasm SIMD kernel (which tightens at other points, so its list can
// differ; the guarantee is the same).
//   in:  x[0..n) with max m (finite), c (X = (x − m)·c), eb and g (bound exponent and γ, list.ts),
//        limit, cap0 (the list's first capacity: tightening starts when it fills up)
//   out: vals/idx = the x[i] with X > t and their indices, in order, where t is a lower bound of
//        the threshold that starts at t0 (a lower bound) and is raised from the list each time it
//        fills up (then the list is compacted; its capacity doubles while compaction keeps more
//        than half); returns their number, or −1 once the list would exceed `limit` (the caller
//        then searches the whole row). out.bound = the final t, valid in both cases.
// Entries left out have X ≤ t ≤ τ: they are outside the support.
import { VFilterResult } from "../records";
import { compact, tighten } from "../math/list";

export function f32_vfilter__scalar(x: usize, n: i32, vals: usize, idx: usize, m: f32, c: f32, t0: f32, eb: f32, g: f32, limit: i32, cap0: i32, out: VFilterResult): i32 {
  let t = t0, len = 0, cap = cap0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (!((v - m) * c > t)) continue;
    store<f32>(vals + (<usize>len << 2), v);
    store<i32>(idx + (<usize>len << 2), i);
    len++;
    if (len >= cap) {
      t = tighten(vals, len, m, c, t, eb, g);
      len = compact(vals, idx, len, m, c, t);
      if (len > cap >> 1) cap <<= 1;
      if (cap > limit) { out.bound = t; return -1; }
    }
  }
  out.bound = t;
  return len;
}
