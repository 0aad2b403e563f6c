// f32-raddexpminusmax, wasm SIMD, b2-p5 exp, 16 elements per iteration: returns Σ exp(x[i] − max)
// and stores nothing in the row (x may be the output of a later pass). It is the k = 1 loop of
// f32-raddstoreexpminusmax-wasmsimd-b2-p5-u16 with its stores sent to 64 bytes of scratch (one
// copy of the exp loop fewer in the module): the same lanes and the same summation (pairwise per
// group of 16 in f32, then two f64x2 accumulators).
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) the exp's five multiply-adds
// are f32x4.relaxed_madd (exp.ts, madd.ts: fused where the CPU has FMA); plain mul + add elsewhere.
import { f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16 } from "./f32-raddstoreexpminusmax-wasmsimd-b2-p5-u16";

/** Where the discarded exp values go: one group of 16 floats. */
const SCRATCH: usize = memory.data(64, 16);

export function f32_raddexpminusmax__wasmsimd_b2_p5_u16(x: usize, n: i32, max: f32): f64 {
  return f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16(x, SCRATCH, n, max, 0);
}
