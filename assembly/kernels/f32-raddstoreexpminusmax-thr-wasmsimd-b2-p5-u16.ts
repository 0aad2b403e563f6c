// f32-raddstoreexpminusmax-thr, wasm SIMD b2-p5, 16 elements per iteration (contract:
// f32-raddstoreexpminusmax-thr-scalar-b2-p5.ts at eps = 0): the softmax exp pass plus one compare
// and one mask per vector, for ev-softmax's inference mode (eps = 0: entries below thr get +0):
// y[i] = x[i] < thr ? +0 : exp(x[i] − max), returns Σ y[i]. Other eps (training, rare) run the
// smaller 4-lane kernel f32-raddstoreexpminusmax-thr-wasmsimd-b2-p5-u4 (config.ts expstore_thr).
// Lanes equal the scalar twin's; sums as in f32-raddstoreexpminusmax (pairwise per group of 16
// in f32, then f64x2).
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) the exp's five multiply-adds
// are f32x4.relaxed_madd (exp.ts, madd.ts: fused where the CPU has FMA); plain mul + add elsewhere.
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { loadPart, storePart } from "../math/tail";
import { addPromoted, hsum64 } from "../math/acc";

export function f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u16(x: usize, y: usize, n: i32, max: f32, thr: f32): f64 {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const vmax = f32x4.splat(max), vthr = f32x4.splat(thr), ninf = f32x4.splat(-Infinity);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const off = <usize>i << 2;
    const px = x + off, py = y + off;
    const x0 = v128.load(px), x1 = v128.load(px, 16), x2 = v128.load(px, 32), x3 = v128.load(px, 48);
    const e0 = wt(expv_b2_p5(f32x4.sub(x0, vmax), log2e, magic, clamp, c5, c4, c3, c2, c1), x0, vthr);
    const e1 = wt(expv_b2_p5(f32x4.sub(x1, vmax), log2e, magic, clamp, c5, c4, c3, c2, c1), x1, vthr);
    const e2 = wt(expv_b2_p5(f32x4.sub(x2, vmax), log2e, magic, clamp, c5, c4, c3, c2, c1), x2, vthr);
    const e3 = wt(expv_b2_p5(f32x4.sub(x3, vmax), log2e, magic, clamp, c5, c4, c3, c2, c1), x3, vthr);
    v128.store(py, e0); v128.store(py, e1, 16); v128.store(py, e2, 32); v128.store(py, e3, 48);
    acc = addPromoted(acc, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
  }
  for (; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, whose exp is 0)
    const off = <usize>i << 2;
    const xv = loadPart(x + off, n - i, ninf);
    const e = wt(expv_b2_p5(f32x4.sub(xv, vmax), log2e, magic, clamp, c5, c4, c3, c2, c1), xv, vthr);
    storePart(y + off, e, n - i);
    acc = addPromoted(acc, e);
  }
  return hsum64(acc);
}

/** The weight of eps = 0, a mask: exp(x − max) where x ≥ thr, else +0. */
// @ts-ignore: decorator
@inline function wt(e: v128, xv: v128, vthr: v128): v128 {
  return v128.andnot(e, f32x4.lt(xv, vthr));
}
