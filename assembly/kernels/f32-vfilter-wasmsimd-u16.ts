// f32-vfilter, wasm SIMD, 16 elements per iteration (contract: f32-vfilter-scalar.ts). The loop
// compares the raw input with the bound in input units (m + t/c, lowered by a slack: list.ts), one
// compare per vector: a group of 16 without candidates costs four compares, three ors and one
// branch. A vector with candidates appends its lanes branch-free: each lane is stored at the end
// of the list, which advances by that lane's bit of the compare mask; the exact test X > t is
// applied when the list is compacted and by every search pass. A group with candidates is loaded
// again vector by vector (one copy of the append code); the last 1..15 entries of the row are
// appended one by one. The list is tightened after a group that filled it.
import { VFilterResult } from "../records";
import { compact, raw_bound, tighten } from "../math/list";

// @ts-ignore: decorator
@inline function append(vals: usize, idx: usize, len: i32, v: v128, g: v128, at: i32): i32 {
  const bits = i32x4.bitmask(g);
  if (bits == 0) return len;
  store<f32>(vals + (<usize>len << 2), f32x4.extract_lane(v, 0)); store<i32>(idx + (<usize>len << 2), at); len += bits & 1;
  store<f32>(vals + (<usize>len << 2), f32x4.extract_lane(v, 1)); store<i32>(idx + (<usize>len << 2), at + 1); len += (bits >> 1) & 1;
  store<f32>(vals + (<usize>len << 2), f32x4.extract_lane(v, 2)); store<i32>(idx + (<usize>len << 2), at + 2); len += (bits >> 2) & 1;
  store<f32>(vals + (<usize>len << 2), f32x4.extract_lane(v, 3)); store<i32>(idx + (<usize>len << 2), at + 3); len += bits >> 3;
  return len;
}

export function f32_vfilter__wasmsimd_u16(x: usize, n: i32, vals: usize, idx: usize, m: f32, c: f32, t0: f32, eb: f32, g: f32, limit: i32, cap0: i32, out: VFilterResult): i32 {
  let t = t0, B = raw_bound(m, c, t), vB = f32x4.splat(B);
  let len = 0, cap = cap0;
  for (let i = 0; i < n; i += 16) {
    const p = x + (<usize>i << 2);
    if (i + 16 <= n) {
      const g0 = f32x4.gt(v128.load(p), vB), g1 = f32x4.gt(v128.load(p, 16), vB);
      const g2 = f32x4.gt(v128.load(p, 32), vB), g3 = f32x4.gt(v128.load(p, 48), vB);
      if (!v128.any_true(v128.or(v128.or(g0, g1), v128.or(g2, g3)))) continue;
      // a group with candidates: its vectors again, appended
      for (let j = i; j < i + 16; j += 4) {
        const v = v128.load(x + (<usize>j << 2));
        len = append(vals, idx, len, v, f32x4.gt(v, vB), j);
      }
    } else {
      // the last 1..15 entries one by one (branch-free: no store at or past the list's room)
      for (let k = i; k < n; k++) {
        const v = load<f32>(x + (<usize>k << 2));
        store<f32>(vals + (<usize>len << 2), v); store<i32>(idx + (<usize>len << 2), k); len += i32(v > B);
      }
    }
    if (len >= cap) {
      t = tighten(vals, len, m, c, t, eb, g);
      len = compact(vals, idx, len, m, c, t);
      B = raw_bound(m, c, t); vB = f32x4.splat(B);
      if (len > cap >> 1) cap <<= 1;
      if (cap > limit) { out.bound = t; return -1; }
    }
  }
  out.bound = t;
  return len;
}
