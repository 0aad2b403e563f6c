// Template of the f32-raddstoreexpminusmax wasm SIMD kernels (kernels/f32-raddstoreexpminusmax-
// {k1,k}-wasmsimd-b2-p5-u16.ts).
// f32-raddstoreexpminusmax, wasm SIMD, b2-p5 exp, 16 elements per iteration:
//   y[i] = exp((x[i] − max)·k),  returns Σ y[i].
// The sum is accurate to about 1.2e-7 relative: each group of 16 values is added pairwise in f32
// (two roundings per value at most), and the group sums are accumulated in two f64x2 lanes. A single f32
// accumulator drifts by 2e-5 at 32000 columns; this keeps |Σ − 1| of the normalised row near 1e-7
// at 1,000,000 columns. The lanes equal the scalar twin's bit for bit; only the summation order differs.
// k = 1 (softmax at T = 1, MultiMax) has its own loop without the multiply: 6% faster softmax.
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) the exp's five multiply-adds
// are f32x4.relaxed_madd (exp.ts, madd.ts: fused where the CPU has FMA); plain mul + add elsewhere.
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { loadPart, storePart } from "../math/tail";
import { hsum64 } from "../math/acc";

/** y[i] = exp((x[i] − max)·k) (ONE, a compile-time constant: k = 1, no multiply); returns Σ y.
 *  y advances by ystep bytes per group of 16 (64; 0: every group stored to y[0..16)). */
// @ts-ignore: decorator
@inline export function raddstoreexpminusmax_wasmsimd_b2_p5_u16(x: usize, y: usize, n: i32, max: f32, k: f32, ONE: bool, ystep: usize): f64 {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const vmax = f32x4.splat(max), vk = f32x4.splat(k), ninf = f32x4.splat(-Infinity);
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0, py = y; // (py advances by ystep: 64 bytes per group, or 0 into a scratch group)
  for (; i + 16 <= n; i += 16, py += ystep) {
    const px = x + (<usize>i << 2);
    const e0 = expv_b2_p5((ONE ? f32x4.sub(v128.load(px), vmax) : f32x4.mul(f32x4.sub(v128.load(px), vmax), vk)), log2e, magic, clamp, c5, c4, c3, c2, c1);
    const e1 = expv_b2_p5((ONE ? f32x4.sub(v128.load(px, 16), vmax) : f32x4.mul(f32x4.sub(v128.load(px, 16), vmax), vk)), log2e, magic, clamp, c5, c4, c3, c2, c1);
    const e2 = expv_b2_p5((ONE ? f32x4.sub(v128.load(px, 32), vmax) : f32x4.mul(f32x4.sub(v128.load(px, 32), vmax), vk)), log2e, magic, clamp, c5, c4, c3, c2, c1);
    const e3 = expv_b2_p5((ONE ? f32x4.sub(v128.load(px, 48), vmax) : f32x4.mul(f32x4.sub(v128.load(px, 48), vmax), vk)), log2e, magic, clamp, c5, c4, c3, c2, c1);
    v128.store(py, e0);
    v128.store(py, e1, 16);
    v128.store(py, e2, 32);
    v128.store(py, e3, 48);
    const s = f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3));
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(s));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1)));
  }
  for (; i < n; i += 4, py += ystep >> 2) { // (the last vector may be partial: missing lanes −∞, whose exp is 0)
    const xv = loadPart(x + (<usize>i << 2), n - i, ninf);
    const e = expv_b2_p5((ONE ? f32x4.sub(xv, vmax) : f32x4.mul(f32x4.sub(xv, vmax), vk)), log2e, magic, clamp, c5, c4, c3, c2, c1);
    storePart(py, e, n - i);
    acc0 = f64x2.add(acc0, f64x2.promote_low_f32x4(e));
    acc1 = f64x2.add(acc1, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
  }
  return hsum64(f64x2.add(acc0, acc1));
}
