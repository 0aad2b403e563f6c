// f32-vmodbwd-o12, wasm SIMD, 4 elements per iteration: the contract of f32-vmodbwd-scalar for
// order 1 or 2 (the checkpoint form, MultiMax's hot case), the records splatted once before the
// loop; the loop runs on whole vectors only (no per-vector tail test: measured 5–10% faster), and
// the last partial vector runs it once more from a padded copy (TAIL: x padded with −∞, dropped
// like masked lanes). dx lanes equal the scalar twin's bit for bit; the sums are accumulated in
// f32 lanes over blocks of 512 elements, each block's lanes added to the f64x2 pairs at `sums`
// (math/acc.ts addPromoted): equal up to summation order.
// FMA variant: in the relaxed-SIMD build the multiply-adds of dx and of the sums are
// f32x4.relaxed_madd (math/madd.ts addmul), so its dx may differ from the twin's in the last bits.
import { VjpMode, vjpv, keepv } from "../math/vjp";
import { addPromoted } from "../math/acc";
import { addmul } from "../math/madd";

// @ts-ignore: decorator
@inline const BLOCK = 512;

// @ts-ignore: decorator
@inline function flush(q: usize, acc: v128): void {
  v128.store(q, addPromoted(v128.load(q), acc));
}

/** The last partial vector: x, dy, y (16 bytes each, x padded with −∞, the others with 0), dx,
 *  and the mask bytes (padded with 0). */
const TAIL: usize = memory.data(68, 16);

// @ts-ignore: decorator
@inline function tailCopy(src: usize, dst: usize, r: i32, pad: f32): void {
  v128.store(dst, f32x4.splat(pad));
  if (src != 0) memory.copy(dst, src, <usize>r << 2);
}

export function f32_vmodbwd_o12__wasmsimd_u4(x: usize, dy: usize, y: usize, dx: usize, mask: usize, n: i32, params: usize, order: i32, mode: i32, s: f32, t: f32, sums: usize): void {
  memory.fill(sums, 0, <usize>order << 6);
  const r = n & 3, n4 = n - r;
  run(x, dy, y, dx, mask, n4, params, order, mode, s, t, sums);
  if (r != 0) { // the last, partial vector from TAIL, padded (x with −∞: dropped lanes)
    const o = <usize>n4 << 2;
    tailCopy(x + o, TAIL, r, -Infinity); tailCopy(mode != VjpMode.Affine ? dy + o : 0, TAIL + 16, r, 0); tailCopy(y + o, TAIL + 32, r, 0);
    store<u32>(TAIL + 64, 0);
    if (mask != 0) memory.copy(TAIL + 64, mask + <usize>n4, r);
    run(TAIL, TAIL + 16, TAIL + 32, TAIL + 48, mask != 0 ? TAIL + 64 : 0, 4, params, order, mode, s, t, sums);
    memory.copy(dx + o, TAIL + 48, <usize>r << 2);
  }
}

/** The kernel on n = 4k elements, its sums added to `sums`; the softmax VJP (mode Soft, the hot
 *  case) has its own copy of the loop, with no per-vector mode test (measured 2% faster). */
function run(x: usize, dy: usize, y: usize, dx: usize, mask: usize, n: i32, params: usize, order: i32, mode: i32, s: f32, t: f32, sums: usize): void {
  if (mode == VjpMode.Soft) loop(x, dy, y, dx, mask, n, params, order, VjpMode.Soft, s, t, sums);
  else loop(x, dy, y, dx, mask, n, params, order, mode, s, t, sums);
}

// @ts-ignore: decorator
@inline function loop(x: usize, dy: usize, y: usize, dx: usize, mask: usize, n: i32, params: usize, order: i32, mode: i32, s: f32, t: f32, sums: usize): void {
  const zero = f32x4.splat(0), ninf = f32x4.splat(-Infinity);
  const sv = f32x4.splat(s);
  const b1 = v128.load32_splat(params + 4), d1 = v128.load32_splat(params + 12);
  const ca1 = f32x4.splat(-load<f32>(params)), cc1 = v128.load32_splat(params + 8);
  const two = order == 2;
  let b2 = zero, d2 = zero, ca2 = zero, cc2 = zero;
  if (two) {
    b2 = v128.load32_splat(params + 20); d2 = v128.load32_splat(params + 28);
    ca2 = f32x4.splat(-(load<f32>(params, 16) * 2)); cc2 = f32x4.splat(load<f32>(params, 24) * 2);
  }
  let i = 0;
  while (i < n) {
    const end = n - i > BLOCK ? i + BLOCK : n;
    let A1 = zero, B1 = zero, C1 = zero, D1 = zero, A2 = zero, B2 = zero, C2 = zero, D2 = zero;
    for (; i < end; i += 4) {
      const o = <usize>i << 2;
      const x0 = v128.load(x + o);
      const k = keepv(x0, mask, i, 4, ninf, zero);
      const g = v128.and(vjpv(mode, dy, y, o, 4, sv, t, zero), k);
      const xv = v128.and(x0, k);
      const l1 = f32x4.pmax(f32x4.sub(b1, xv), zero), u1 = f32x4.pmax(f32x4.sub(xv, d1), zero);
      const tl = v128.and(g, f32x4.gt(l1, zero)), tu = v128.and(g, f32x4.gt(u1, zero));
      A1 = addmul(A1, tl, l1); B1 = f32x4.add(B1, tl);
      C1 = addmul(C1, tu, u1); D1 = f32x4.add(D1, tu);
      let d = addmul(addmul(g, ca1, tl), cc1, tu);
      if (two) {
        const l2 = f32x4.pmax(f32x4.sub(b2, xv), zero), u2 = f32x4.pmax(f32x4.sub(xv, d2), zero);
        const tl2 = f32x4.mul(g, l2), tu2 = f32x4.mul(g, u2);
        A2 = addmul(A2, tl2, l2); B2 = f32x4.add(B2, tl2);
        C2 = addmul(C2, tu2, u2); D2 = f32x4.add(D2, tu2);
        d = addmul(addmul(d, ca2, tl2), cc2, tu2);
      }
      v128.store(dx + o, d);
    }
    flush(sums, A1); flush(sums + 16, B1); flush(sums + 32, C1); flush(sums + 48, D1);
    if (two) { flush(sums + 64, A2); flush(sums + 80, B2); flush(sums + 96, C2); flush(sums + 112, D2); }
  }
}
