// f32-raddexpminusmax, wasm SIMD, rr2-p5 exp, 16 elements per iteration: returns Σ exp(x[i] − max)
// with the same pairwise-f32-then-f64 summation as f32-raddstoreexpminusmax. Stores nothing.
import { EXP_TABLE, expv_rr2_p5 } from "./exp";
import { loadPart } from "./tail";

export function f32_raddexpminusmax__wasmsimd_rr2_p5_u16(x: usize, n: i32, max: f32): f64 {
  const log2e = v128.load(EXP_TABLE), magic = v128.load(EXP_TABLE, 16);
  const nln2hi = v128.load(EXP_TABLE, 32), nln2lo = v128.load(EXP_TABLE, 48);
  const c5 = v128.load(EXP_TABLE, 64), c4 = v128.load(EXP_TABLE, 80), c3 = v128.load(EXP_TABLE, 96);
  const c2 = v128.load(EXP_TABLE, 112), c1 = v128.load(EXP_TABLE, 128), cutoff = v128.load(EXP_TABLE, 144);
  const vmax = f32x4.splat(max), ninf = f32x4.splat(-Infinity);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const px = x + (<usize>i << 2);
    const e0 = expv_rr2_p5(f32x4.sub(v128.load(px), vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const e1 = expv_rr2_p5(f32x4.sub(v128.load(px, 16), vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const e2 = expv_rr2_p5(f32x4.sub(v128.load(px, 32), vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const e3 = expv_rr2_p5(f32x4.sub(v128.load(px, 48), vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    const s = f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3));
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(s));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
  }
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, whose exp is 0)
    const e = expv_rr2_p5(f32x4.sub(loadPart(x + (<usize>i << 2), n - i, ninf), vmax), log2e, magic, nln2hi, nln2lo, c5, c4, c3, c2, c1, cutoff);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(e));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  acc0 = f64x2.add(acc0, acc1);
  return f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
}
