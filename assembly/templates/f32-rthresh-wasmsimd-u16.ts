// Template of the f32-rthresh wasm SIMD kernels for the integer powers (kernels/f32-rthresh-{p1,p2,
// p4}-wasmsimd-u16.ts, one per power kind K, a compile-time constant).
// f32-rthresh, wasm SIMD: one pass of a threshold search for the integer powers γ = 1, 2, 4
// (contract: templates/f32-rthresh-scalar.ts; the other powers: f32-rthresh-pg-wasmsimd-u4), 16 elements per
// iteration, then a 4-lane loop whose last vector may be partial (tail.ts). A group of 16 with no
// entry above the threshold costs a compare and one branch (`any_true`): on sparse rows most
// groups are skipped. Sums: the vectors of a group are added pairwise in f32, and the group sums accumulate
// in f64x2 lanes; passes are centred at the current threshold (d = X − t, not X), so the sums
// that decide the final step are small and their rounding error is too. Counts in i32 lanes.
import { addPromoted, hcount, hsum64, minpos } from "../math/acc";
import { loadPart, storePart } from "../math/tail";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

// @ts-ignore: decorator
@inline function lane(d: v128, gt: v128, K: Pow, which: i32): v128 {
  // which: 1 → d (K = 1, 2) or d^4 (K = 4); 2 → d² (K = 2) or d³ (K = 4); 3 → d² (K = 4)
  if (K == Pow.Two) return which == 1 ? v128.and(d, gt) : v128.and(f32x4.mul(d, d), gt);
  if (K == Pow.Four) {
    const d2 = f32x4.mul(d, d);
    return v128.and(which == 1 ? f32x4.mul(d2, d2) : which == 2 ? f32x4.mul(d2, d) : d2, gt);
  }
  return v128.and(d, gt);
}

/** The pass over x[0..n) for power kind K = One, Two or Four (constant at every call site) into out;
 *  y ≠ 0 (K = One, Two): max(d, 0) stored there for every entry. */
// @ts-ignore: decorator
@inline export function rthresh_wasmsimd_u16(x: usize, y: usize, n: i32, m: f32, c: f32, t: f32, K: Pow, out: RThreshResult): void {
  const vm = f32x4.splat(m), vc = f32x4.splat(c), vt = f32x4.splat(t);
  const zero = f32x4.splat(0), one_i = i32x4.splat(1), ninf = f32x4.splat(-Infinity);
  let a1 = zero, a2 = zero, a3 = zero, cnt = i32x4.splat(0), mn = i32x4.splat(-1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const d0 = f32x4.sub(f32x4.mul(f32x4.sub(v128.load(p), vm), vc), vt);
    const d1 = f32x4.sub(f32x4.mul(f32x4.sub(v128.load(p, 16), vm), vc), vt);
    const d2 = f32x4.sub(f32x4.mul(f32x4.sub(v128.load(p, 32), vm), vc), vt);
    const d3 = f32x4.sub(f32x4.mul(f32x4.sub(v128.load(p, 48), vm), vc), vt);
    const g0 = f32x4.gt(d0, zero), g1 = f32x4.gt(d1, zero), g2 = f32x4.gt(d2, zero), g3 = f32x4.gt(d3, zero);
    if (!v128.any_true(v128.or(v128.or(g0, g1), v128.or(g2, g3)))) {
      if (y != 0) { const q = y + (<usize>i << 2); v128.store(q, zero); v128.store(q, zero, 16); v128.store(q, zero, 32); v128.store(q, zero, 48); }
      continue;
    }
    if (y != 0) {
      const q = y + (<usize>i << 2);
      v128.store(q, v128.and(d0, g0)); v128.store(q, v128.and(d1, g1), 16); v128.store(q, v128.and(d2, g2), 32); v128.store(q, v128.and(d3, g3), 48);
    }
    cnt = i32x4.add(i32x4.add(cnt, i32x4.add(g0, g1)), i32x4.add(g2, g3)); // lanes are −1 per hit
    // the smallest positive d as an unsigned-integer min of (bits − 1), no mask needed (math/acc.ts
    // minpos: two integer instructions instead of a select and a float min)
    mn = i32x4.min_u(i32x4.min_u(mn, i32x4.sub(d0, one_i)), i32x4.min_u(i32x4.sub(d1, one_i), i32x4.min_u(i32x4.sub(d2, one_i), i32x4.sub(d3, one_i))));
    a1 = addPromoted(a1, f32x4.add(f32x4.add(lane(d0, g0, K, 1), lane(d1, g1, K, 1)), f32x4.add(lane(d2, g2, K, 1), lane(d3, g3, K, 1))));
    if (K != Pow.One) a2 = addPromoted(a2, f32x4.add(f32x4.add(lane(d0, g0, K, 2), lane(d1, g1, K, 2)), f32x4.add(lane(d2, g2, K, 2), lane(d3, g3, K, 2))));
    if (K == Pow.Four) a3 = addPromoted(a3, f32x4.add(f32x4.add(lane(d0, g0, K, 3), lane(d1, g1, K, 3)), f32x4.add(lane(d2, g2, K, 3), lane(d3, g3, K, 3))));
  }
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, out of the support)
    const d = f32x4.sub(f32x4.mul(f32x4.sub(loadPart(x + (<usize>i << 2), n - i, ninf), vm), vc), vt);
    const gt = f32x4.gt(d, zero);
    if (y != 0) storePart(y + (<usize>i << 2), v128.and(d, gt), n - i);
    if (!v128.any_true(gt)) continue;
    cnt = i32x4.add(cnt, gt);
    mn = i32x4.min_u(mn, i32x4.sub(d, one_i));
    a1 = addPromoted(a1, lane(d, gt, K, 1));
    if (K != Pow.One) a2 = addPromoted(a2, lane(d, gt, K, 2));
    if (K == Pow.Four) a3 = addPromoted(a3, lane(d, gt, K, 3));
  }
  const count = hcount(cnt);
  const lo = minpos(mn); // (no positive d: +∞)
  out.count = count; out.min = lo; out.s1 = hsum64(a1); out.s2 = hsum64(a2); out.s3 = hsum64(a3);
}

