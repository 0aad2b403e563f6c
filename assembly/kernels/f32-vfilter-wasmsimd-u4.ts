// f32-vfilter, wasm SIMD (contract: f32-vfilter-scalar.ts): a vector with no lane above the
// running bound costs a compare and a branch; otherwise its lanes are appended branch-free (each
// lane is stored at list[len] and len advances by its bit of the compare mask). The list is
// tightened and compacted whenever it reaches its capacity, which doubles while compaction keeps
// more than half, so the list stays near the support of the prefix seen so far.
import { setMin } from "./acc";
import { compact, tighten } from "./list";
import { FILTER_CAP0 } from "./f32-vfilter-scalar";

export function f32_vfilter__wasmsimd_u4(x: usize, n: i32, list: usize, m: f32, c: f32, t0: f32, eb: f32, limit: i32): i32 {
  const vm = f32x4.splat(m), vc = f32x4.splat(c);
  let t = t0, vt = f32x4.splat(t0), len = 0, cap = FILTER_CAP0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const gt = f32x4.gt(f32x4.mul(f32x4.sub(v, vm), vc), vt);
    if (!v128.any_true(gt)) continue;
    const bits = i32x4.bitmask(gt);
    store<f32>(list + (<usize>len << 2), f32x4.extract_lane(v, 0)); len += bits & 1;
    store<f32>(list + (<usize>len << 2), f32x4.extract_lane(v, 1)); len += (bits >> 1) & 1;
    store<f32>(list + (<usize>len << 2), f32x4.extract_lane(v, 2)); len += (bits >> 2) & 1;
    store<f32>(list + (<usize>len << 2), f32x4.extract_lane(v, 3)); len += bits >> 3;
    if (len >= cap) {
      t = tighten(list, len, m, c, t, eb);
      vt = f32x4.splat(t);
      len = compact(list, len, m, c, t);
      if (len > cap >> 1) cap <<= 1;
      if (cap > limit) { setMin(t); return -1; }
    }
  }
  for (; i < n; i++) {
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
