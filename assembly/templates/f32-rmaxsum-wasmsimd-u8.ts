// Template of the f32-rmaxsum wasm SIMD kernels (kernels/f32-rmaxsum-wasmsimd-u8.ts, CAREFUL, and
// kernels/f32-rmaxsum-fast-wasmsimd-u8.ts, not; a compile-time constant).
// f32-rmaxsum, wasm SIMD (contract: f32-rmaxsum-scalar.ts), 8 elements per iteration: pmax for
// the maximum, and every lane promoted to f64 before it is added (f32 partial sums would round,
// and the ev-softmax decision x < mean must match the float64 reference). Four f64x2 accumulators.
// CAREFUL: entries equal to −∞ are left out of the sum and the count (the contract); fast: every
// entry is summed and counted, six instructions fewer per 8 entries.
import { RMaxSumResult } from "../records";
import { f32x4_hmax } from "../math/hmax";
import { hcount, hsum64 } from "../math/acc";

// @ts-ignore: decorator
@inline export function rmaxsum_wasmsimd_u8(x: usize, n: i32, CAREFUL: bool, out: RMaxSumResult): f32 {
  const ninf = f32x4.splat(-Infinity);
  let m0 = ninf, m1 = ninf, cnt = i32x4.splat(0);
  let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    const v0 = v128.load(p), v1 = v128.load(p, 16);
    m0 = f32x4.pmax(m0, v0); m1 = f32x4.pmax(m1, v1);
    let a0 = v0, a1 = v1;
    if (CAREFUL) {
      const k0 = f32x4.ne(v0, ninf), k1 = f32x4.ne(v1, ninf);
      cnt = i32x4.add(cnt, i32x4.add(k0, k1));
      a0 = v128.and(v0, k0); a1 = v128.and(v1, k1);
    }
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(a0));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(a0, a0, 2, 3, 0, 1)));
    s2 = f64x2.add(s2, f64x2.promote_low_f32x4(a1));
    s3 = f64x2.add(s3, f64x2.promote_low_f32x4(v128.shuffle<f32>(a1, a1, 2, 3, 0, 1)));
  }
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    m0 = f32x4.pmax(m0, v);
    let a = v;
    if (CAREFUL) {
      const k = f32x4.ne(v, ninf);
      cnt = i32x4.add(cnt, k);
      a = v128.and(v, k);
    }
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(a));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1)));
  }
  m0 = f32x4.pmax(m0, m1);
  let m = f32x4_hmax(m0);
  let v: f32;
  const acc = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let s = hsum64(acc);
  let k = CAREFUL ? hcount(cnt) : i;
  for (; i < n; i++) {
    v = load<f32>(x + (<usize>i << 2));
    m = m < v ? v : m;
    if (!CAREFUL || v != -Infinity) { s += <f64>v; k++; }
  }
  out.sum = s; out.count = k;
  return m;
}
