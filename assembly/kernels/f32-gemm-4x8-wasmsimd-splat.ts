// f32-gemm, wasm SIMD, 4 rows × 8 columns per tile, A broadcast lane by lane ("splat", as
// XNNPACK's wasmsimd f32 GEMMs): the contract of f32-gemm-scalar (C = α·A·B, or C += α·A·B),
// for mr = 1..4 (rows past mr alias the last row: computed again, never stored) and any
// nc (a 4-column tile, then a partial one). Eight accumulators, two B vectors and one splat per
// k step: 8 multiply-adds for 6 loads, within the 16 vector registers of x86-64. Sums in k order,
// each lane as in the scalar twin (the relaxed build may fuse: madd.ts).
import { madd } from "../math/madd";
import { loadPart, storePart } from "../math/tail";

// @ts-ignore: decorator
@inline function put(c: usize, v: v128, alpha: v128, acc: i32, r: i32): void {
  const w = f32x4.mul(alpha, v);
  storePart(c, acc != 0 ? f32x4.add(loadPart(c, r, f32x4.splat(0)), w) : w, r);
}

export function f32_gemm__wasmsimd_4x8_splat(mr: i32, nc: i32, kc: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, acc: i32): void {
  const sa = <usize>ak << 2, sb = <usize>ldb << 2, va = f32x4.splat(alpha), zero = f32x4.splat(0);
  const a0 = a, a1 = mr > 1 ? a0 + (<usize>am << 2) : a0, a2 = mr > 2 ? a1 + (<usize>am << 2) : a1, a3 = mr > 3 ? a2 + (<usize>am << 2) : a2;
  const c0 = c, c1 = mr > 1 ? c0 + (<usize>ldc << 2) : c0, c2 = mr > 2 ? c1 + (<usize>ldc << 2) : c1, c3 = mr > 3 ? c2 + (<usize>ldc << 2) : c2;
  let n = 0;
  for (; n + 8 <= nc; n += 8) {
    let x0 = zero, y0 = zero, x1 = zero, y1 = zero, x2 = zero, y2 = zero, x3 = zero, y3 = zero;
    let pa: usize = 0, pb = b + (<usize>n << 2);
    for (let k = 0; k < kc; k++) {
      const b0 = v128.load(pb), b1 = v128.load(pb, 16);
      let s = v128.load32_splat(a0 + pa); x0 = madd(s, b0, x0); y0 = madd(s, b1, y0);
      s = v128.load32_splat(a1 + pa); x1 = madd(s, b0, x1); y1 = madd(s, b1, y1);
      s = v128.load32_splat(a2 + pa); x2 = madd(s, b0, x2); y2 = madd(s, b1, y2);
      s = v128.load32_splat(a3 + pa); x3 = madd(s, b0, x3); y3 = madd(s, b1, y3);
      pa += sa; pb += sb;
    }
    const o = <usize>n << 2;
    put(c0 + o, x0, va, acc, 4); put(c0 + o + 16, y0, va, acc, 4);
    if (mr > 1) { put(c1 + o, x1, va, acc, 4); put(c1 + o + 16, y1, va, acc, 4); }
    if (mr > 2) { put(c2 + o, x2, va, acc, 4); put(c2 + o + 16, y2, va, acc, 4); }
    if (mr > 3) { put(c3 + o, x3, va, acc, 4); put(c3 + o + 16, y3, va, acc, 4); }
  }
  for (; n < nc; n += 4) {
    const r = nc - n;
    let x0 = zero, x1 = zero, x2 = zero, x3 = zero;
    let pa: usize = 0, pb = b + (<usize>n << 2);
    for (let k = 0; k < kc; k++) {
      const b0 = loadPart(pb, r, zero);
      x0 = madd(v128.load32_splat(a0 + pa), b0, x0);
      x1 = madd(v128.load32_splat(a1 + pa), b0, x1);
      x2 = madd(v128.load32_splat(a2 + pa), b0, x2);
      x3 = madd(v128.load32_splat(a3 + pa), b0, x3);
      pa += sa; pb += sb;
    }
    const o = <usize>n << 2;
    put(c0 + o, x0, va, acc, r);
    if (mr > 1) put(c1 + o, x1, va, acc, r);
    if (mr > 2) put(c2 + o, x2, va, acc, r);
    if (mr > 3) put(c3 + o, x3, va, acc, r);
  }
}
