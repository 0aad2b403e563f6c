// f32-raddstoreexpminusmax-k, wasm SIMD, b2-p5 exp, 16 elements per iteration, then a 4-lane loop
// whose last vector may be partial: y[i] = exp((x[i] − max)·k) for any k (softmax at a temperature
// T, k = 1/T), returns Σ y[i] (pairwise in f32 per group of 16, then two f64x2 accumulators). Lanes
// bit-identical to the scalar twin f32-raddstoreexpminusmax-scalar-b2-p5; only the summation order
// differs. y may equal x. Template: templates/f32-raddstoreexpminusmax-wasmsimd-b2-p5-u16.ts.
// FMA variant: in the relaxed-SIMD build the exp's multiply-adds are f32x4.relaxed_madd (math/madd.ts).
import { raddstoreexpminusmax_wasmsimd_b2_p5_u16 } from "../templates/f32-raddstoreexpminusmax-wasmsimd-b2-p5-u16";

export function f32_raddstoreexpminusmax_k__wasmsimd_b2_p5_u16(x: usize, y: usize, n: i32, max: f32, k: f32): f64 {
  return raddstoreexpminusmax_wasmsimd_b2_p5_u16(x, y, n, max, k, false, 64);
}
