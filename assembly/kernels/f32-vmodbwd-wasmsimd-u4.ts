// f32-vmodbwd, wasm SIMD, 4 elements per iteration, the last vector partial (tail.ts; lanes past
// the end are loaded as x = −∞, dropped like masked ones): the contract of f32-vmodbwd-scalar for
// any order ≥ 0, the records re-read from memory for each vector (order 0: dx = g, no sums; orders
// ≥ 3, and cross-entropy's softmax). dx lanes equal the scalar twin's bit for bit; each vector's
// terms are added to the f64x2 pairs at `sums` (math/acc.ts addPromoted): equal up to summation
// order. Orders 1 and 2 have the faster f32-vmodbwd-o12-wasmsimd-u4.
// FMA variant: in the relaxed-SIMD build dx's multiply-adds are f32x4.relaxed_madd (addmul).
import { vjpv, keepv } from "../math/vjp";
import { addPromoted } from "../math/acc";
import { loadPart, storePart } from "../math/tail";
import { addmul } from "../math/madd";

export function f32_vmodbwd__wasmsimd_u4(x: usize, dy: usize, y: usize, dx: usize, mask: usize, n: i32, params: usize, order: i32, mode: i32, s: f32, t: f32, sums: usize): void {
  const zero = f32x4.splat(0), ninf = f32x4.splat(-Infinity);
  const sv = f32x4.splat(s);
  memory.fill(sums, 0, <usize>order << 6);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const x0 = loadPart(x + o, r, ninf);
    const k = keepv(x0, mask, i, r, ninf, zero);
    const g = v128.and(vjpv(mode, dy, y, o, r, sv, t, zero), k);
    const xv = v128.and(x0, k);
    let d = g;
    for (let j = 0; j < order; j++) {
      const p = params + (<usize>j << 4), q = sums + (<usize>j << 6), nf = <f32>(j + 1);
      d = side(f32x4.sub(v128.load32_splat(p + 4), xv), f32x4.splat(-(load<f32>(p) * nf)), g, j, d, q, zero);
      d = side(f32x4.sub(xv, v128.load32_splat(p + 12)), f32x4.splat(load<f32>(p, 8) * nf), g, j, d, q + 32, zero);
    }
    storePart(dx + o, d, r);
  }
}

/** One side of order j + 1 (as the scalar twin's `side`), on four lanes. */
// @ts-ignore: decorator
@inline function side(v: v128, coef: v128, g: v128, j: i32, d: v128, q: usize, zero: v128): v128 {
  const l = f32x4.pmax(v, zero);
  let tb = v128.and(g, f32x4.gt(l, zero));
  if (j > 0) {
    tb = f32x4.mul(g, l);
    for (let k = 1; k < j; k++) tb = f32x4.mul(tb, l);
  }
  v128.store(q, addPromoted(v128.load(q), f32x4.mul(tb, l)));
  v128.store(q, addPromoted(v128.load(q, 16), tb), 16);
  return addmul(d, coef, tb);
}
