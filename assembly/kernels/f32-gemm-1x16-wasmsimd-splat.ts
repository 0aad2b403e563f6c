// f32-gemm, wasm SIMD, one row × 16 columns per tile: the contract of f32-gemm-scalar for mr = 1
// (a decode step's P·V: one query against the whole cache). Four accumulators, four B vectors and
// one splat per k step; then 4-column tiles, the last one partial. Each lane sums in k order as
// the scalar twin does (the relaxed build may fuse: madd.ts).
import { madd } from "../math/madd";
import { loadPart, storePart } from "../math/tail";

// @ts-ignore: decorator
@inline function put(c: usize, v: v128, alpha: v128, acc: i32, r: i32): void {
  const w = f32x4.mul(alpha, v);
  storePart(c, acc != 0 ? f32x4.add(loadPart(c, r, f32x4.splat(0)), w) : w, r);
}

export function f32_gemm__wasmsimd_1x16_splat(nc: i32, kc: i32, a: usize, ak: i32, b: usize, ldb: i32, c: usize, alpha: f32, acc: i32): void {
  const sa = <usize>ak << 2, sb = <usize>ldb << 2, va = f32x4.splat(alpha), zero = f32x4.splat(0);
  let n = 0;
  for (; n + 16 <= nc; n += 16) {
    let x0 = zero, x1 = zero, x2 = zero, x3 = zero;
    let pa = a, pb = b + (<usize>n << 2);
    for (let k = 0; k < kc; k++) {
      const s = v128.load32_splat(pa);
      x0 = madd(s, v128.load(pb), x0); x1 = madd(s, v128.load(pb, 16), x1);
      x2 = madd(s, v128.load(pb, 32), x2); x3 = madd(s, v128.load(pb, 48), x3);
      pa += sa; pb += sb;
    }
    const o = c + (<usize>n << 2);
    put(o, x0, va, acc, 4); put(o + 16, x1, va, acc, 4); put(o + 32, x2, va, acc, 4); put(o + 48, x3, va, acc, 4);
  }
  for (; n < nc; n += 4) {
    const r = nc - n;
    let x0 = zero;
    let pa = a, pb = b + (<usize>n << 2);
    for (let k = 0; k < kc; k++) {
      x0 = madd(v128.load32_splat(pa), loadPart(pb, r, zero), x0);
      pa += sa; pb += sb;
    }
    put(c + (<usize>n << 2), x0, va, acc, r);
  }
}
