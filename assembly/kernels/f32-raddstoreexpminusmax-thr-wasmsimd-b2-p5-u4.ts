// f32-raddstoreexpminusmax-thr, wasm SIMD b2-p5, 4 elements per iteration, the last vector
// partial (tail.ts) (contract: f32-raddstoreexpminusmax-thr-scalar-b2-p5.ts), any eps: the weight
// is one select and one multiply per vector (for eps = 0 the product is the +0 of the mask: exp is
// never negative). Used for ev-softmax's training mode (eps = 1e-6), a rare path kept small (one
// loop body): about 1.4x the time of the 16-wide kernel's loop, which runs the inference mode
// (eps = 0, f32-raddstoreexpminusmax-thr-wasmsimd-b2-p5-u16; config.ts expstore_thr chooses). Lanes
// equal the scalar twin's; the vectors' lanes are promoted to f64 and summed in one f64x2
// accumulator.
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) the exp's five multiply-adds
// are f32x4.relaxed_madd (exp.ts, madd.ts: fused where the CPU has FMA); plain mul + add elsewhere.
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { loadPart, storePart } from "../math/tail";
import { addPromoted, hsum64 } from "../math/acc";

export function f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u4(x: usize, y: usize, n: i32, max: f32, thr: f32, eps: f32): f64 {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const vmax = f32x4.splat(max), vthr = f32x4.splat(thr), veps = f32x4.splat(eps), one = f32x4.splat(1), ninf = f32x4.splat(-Infinity);
  let acc = f64x2.splat(0);
  for (let i = 0; i < n; i += 4) { // (the last vector may be partial: missing lanes −∞, whose exp is 0)
    const off = <usize>i << 2;
    const xv = loadPart(x + off, n - i, ninf);
    const e = expv_b2_p5(f32x4.sub(xv, vmax), log2e, magic, clamp, c5, c4, c3, c2, c1);
    const w = f32x4.mul(e, v128.bitselect(veps, one, f32x4.lt(xv, vthr)));
    storePart(y + off, w, n - i);
    acc = addPromoted(acc, w);
  }
  return hsum64(acc);
}
