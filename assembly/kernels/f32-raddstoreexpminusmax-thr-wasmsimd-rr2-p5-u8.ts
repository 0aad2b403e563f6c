// f32-raddstoreexpminusmax-thr, wasm SIMD rr2-p5, 8 elements per iteration, then a 4-lane loop
// whose last vector may be partial (tail.ts) (contract: f32-raddstoreexpminusmax-thr-scalar-rr2-p5.ts), any eps: the weight is
// one select and one multiply per vector (for eps = 0 the product is the +0 of the mask: exp is
// never negative). Used for ev-softmax's training mode (eps = 1e-6), a rare path kept small: the
// inference mode (eps = 0) runs the 16-wide kernel f32-raddstoreexpminusmax-thr-wasmsimd-rr2-p5-u16.
// Lanes equal the scalar twin's. Sums: the two vectors of an iteration are added in f32, their
// lanes 0, 1 and 2, 3 accumulate in two f64x2 registers (two short dependency chains; 4 lanes per
// iteration with one chain measured 45% slower than the 16-wide kernel, these 8 about 14%).
import { EXP_TABLE, expv_rr2_p5 } from "./exp";
import { loadPart, storePart } from "./tail";
import { hsum64 } from "./acc";

export function f32_raddstoreexpminusmax_thr__wasmsimd_rr2_p5_u8(x: usize, y: usize, n: i32, max: f32, thr: f32, eps: f32): f64 {
  const log2e = v128.load(EXP_TABLE), magic = v128.load(EXP_TABLE, 16);
  const nln2hi = v128.load(EXP_TABLE, 32), nln2lo = v128.load(EXP_TABLE, 48);
  const c5 = v128.load(EXP_TABLE, 64), c4 = v128.load(EXP_TABLE, 80), c3 = v128.load(EXP_TABLE, 96);
  const c2 = v128.load(EXP_TABLE, 112), c1 = v128.load(EXP_TABLE, 128), cutoff = v128.load(EXP_TABLE, 144);
  const vmax = f32x4.splat(max), vthr = f32x4.splat(thr), veps = f32x4.splat(eps), one = f32x4.splat(1), ninf = f32x4.splat(-Infinity);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const off = <usize>i << 2;
    const x0 = v128.load(x + off), x1 = v128.load(x + off, 16);
    const e0 = expv_rr2_p5(f32x4.sub(x0, vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const e1 = expv_rr2_p5(f32x4.sub(x1, vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const w0 = f32x4.mul(e0, v128.bitselect(veps, one, f32x4.lt(x0, vthr)));
    const w1 = f32x4.mul(e1, v128.bitselect(veps, one, f32x4.lt(x1, vthr)));
    v128.store(y + off, w0); v128.store(y + off, w1, 16);
    const w = f32x4.add(w0, w1);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(w));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
  }
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, whose exp is 0)
    const off = <usize>i << 2;
    const xv = loadPart(x + off, n - i, ninf);
    const e = expv_rr2_p5(f32x4.sub(xv, vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const w = f32x4.mul(e, v128.bitselect(veps, one, f32x4.lt(xv, vthr)));
    storePart(y + off, w, n - i);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(w));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(w, w, 2, 3, 0, 1)));
  }
  return hsum64(f64x2.add(acc0, acc1));
}
