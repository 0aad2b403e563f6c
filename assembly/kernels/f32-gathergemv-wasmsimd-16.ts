// f32-gathergemv, wasm SIMD, 16 columns per pass: the contract of f32-gathergemv-scalar
// (c = Σ_t val[t]·B[idx[t]], each lane summed in t order as the scalar twin does; the relaxed
// build may fuse: madd.ts). Four accumulators, one splat and four loads of a gathered row of B
// per kept key; then 4-column passes, the last one partial.
import { madd } from "../math/madd";
import { loadPart, storePart } from "../math/tail";

export function f32_gathergemv__wasmsimd_16(m: i32, nc: i32, idx: usize, val: usize, b: usize, ldb: i32, c: usize): void {
  const zero = f32x4.splat(0), row = <usize>ldb << 2;
  let n = 0;
  for (; n + 16 <= nc; n += 16) {
    let x0 = zero, x1 = zero, x2 = zero, x3 = zero;
    const bn = b + (<usize>n << 2);
    for (let t = 0; t < m; t++) {
      const o = <usize>t << 2, s = v128.load32_splat(val + o), p = bn + <usize>load<i32>(idx + o) * row;
      x0 = madd(s, v128.load(p), x0); x1 = madd(s, v128.load(p, 16), x1);
      x2 = madd(s, v128.load(p, 32), x2); x3 = madd(s, v128.load(p, 48), x3);
    }
    const q = c + (<usize>n << 2);
    v128.store(q, x0); v128.store(q, x1, 16); v128.store(q, x2, 32); v128.store(q, x3, 48);
  }
  for (; n < nc; n += 4) {
    const r = nc - n, bn = b + (<usize>n << 2);
    let x0 = zero;
    for (let t = 0; t < m; t++) {
      const o = <usize>t << 2;
      x0 = madd(v128.load32_splat(val + o), loadPart(bn + <usize>load<i32>(idx + o) * row, r, zero), x0);
    }
    storePart(c + (<usize>n << 2), x0, r);
  }
}
