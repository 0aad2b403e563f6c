// f32-rfyscale, wasm SIMD, 16 elements per iteration, then a 4-lane loop whose last vector may be
// partial (tail.ts: missing lanes 0, off the support): the sparsemax and 1.5-entmax losses' pass
// after the forward (contract: f32-rfyscale-scalar): dx = p·dl for every entry, returns Σ p·x over
// p > 0, out.sum = Σ p² or Σ p·√p (pow15) there. The terms are the twin's float32 lanes (off
// the support cleared bitwise after the product, so neither −∞ x nor NaN p reaches a sum),
// promoted to float64 and added to f64x2 pairs in the record (not in locals: V8 ran this loop
// 2.5× slower with loop-carried accumulators): the sums equal the twin's up to summation order,
// dx bit for bit (in place with dl = 1 nothing is stored: dx is p already). Blocks of 16 whose p
// bits are all zero (+0: off the support) skip the rest (sparse rows: most of them).
// dx may equal p; x is disjoint from both.
import { hsum64 } from "../math/acc";
import { loadPart, storePart } from "../math/tail";
import { RFyScaleResult } from "../records";

/** Adds 4 lanes' terms (p > 0 only) to the record's pairs: p·x at acc, p² or p·√p at acc + 16. */
// @ts-ignore: decorator
@inline function terms(pv: v128, xv: v128, pow15: bool, acc: usize): void {
  const k = f32x4.gt(pv, f32x4.splat(0));
  const a = v128.and(f32x4.mul(pv, xv), k), h = v128.and(f32x4.mul(pv, pow15 ? f32x4.sqrt(pv) : pv), k);
  v128.store(acc, f64x2.add(f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(a)), f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1))));
  v128.store(acc, f64x2.add(f64x2.add(v128.load(acc, 16), f64x2.promote_low_f32x4(h)), f64x2.promote_low_f32x4(v128.shuffle<f32>(h, h, 2, 3, 0, 1))), 16);
}

export function f32_rfyscale__wasmsimd_u16(p: usize, x: usize, dx: usize, n: i32, dl: f32, pow15: bool, out: RFyScaleResult): f64 {
  const zero = f32x4.splat(0), vdl = f32x4.splat(dl), acc = changetype<usize>(out);
  const put = dx != p || dl != 1;
  v128.store(acc, zero); v128.store(acc, zero, 16);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const p0 = v128.load(p + o), p1 = v128.load(p + o, 16), p2 = v128.load(p + o, 32), p3 = v128.load(p + o, 48);
    if (put) {
      v128.store(dx + o, f32x4.mul(p0, vdl)); v128.store(dx + o, f32x4.mul(p1, vdl), 16);
      v128.store(dx + o, f32x4.mul(p2, vdl), 32); v128.store(dx + o, f32x4.mul(p3, vdl), 48);
    }
    if (!v128.any_true(v128.or(v128.or(p0, p1), v128.or(p2, p3)))) continue; // (all +0: off the support)
    terms(p0, v128.load(x + o), pow15, acc); terms(p1, v128.load(x + o, 16), pow15, acc);
    terms(p2, v128.load(x + o, 32), pow15, acc); terms(p3, v128.load(x + o, 48), pow15, acc);
  }
  for (; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const pv = loadPart(p + o, r, zero);
    if (put) storePart(dx + o, f32x4.mul(pv, vdl), r);
    if (v128.any_true(pv)) terms(pv, loadPart(x + o, r, zero), pow15, acc);
  }
  out.sum = hsum64(v128.load(acc, 16));
  return hsum64(v128.load(acc));
}
