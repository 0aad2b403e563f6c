// f32-raddstoreexpminusmax-k1, wasm SIMD, b2-p5 exp, 16 elements per iteration, then a 4-lane loop
// whose last vector may be partial: the k = 1 case of f32-raddstoreexpminusmax (softmax at T = 1,
// MultiMax), without the multiply (6% faster softmax): y[i] = exp(x[i] − max), returns Σ y[i]
// (pairwise in f32 per group of 16, then two f64x2 accumulators; lanes bit-identical to the scalar
// twin f32-raddstoreexpminusmax-scalar-b2-p5 at k = 1). ystep = 64: y is the row (y may equal x);
// ystep = 0: every group of 16 is stored to y[0..16), 64 bytes of scratch, which makes this kernel
// the sum alone (f32-raddexpminusmax, config.ts expsum: one copy of the exp loop fewer in the
// module). Template: templates/f32-raddstoreexpminusmax-wasmsimd-b2-p5-u16.ts.
// FMA variant: in the relaxed-SIMD build the exp's multiply-adds are f32x4.relaxed_madd (math/madd.ts).
import { raddstoreexpminusmax_wasmsimd_b2_p5_u16 } from "../templates/f32-raddstoreexpminusmax-wasmsimd-b2-p5-u16";

export function f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16(x: usize, y: usize, n: i32, max: f32, ystep: usize): f64 {
  return raddstoreexpminusmax_wasmsimd_b2_p5_u16(x, y, n, max, 1, true, ystep);
}
