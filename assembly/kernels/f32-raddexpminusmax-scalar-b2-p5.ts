// f32-raddexpminusmax, scalar reference: returns Σ exp(x[i] − max) in f64 (nothing stored; the
// log-sum-exp pass of the log variants). Its SIMD counterpart is no kernel of its own: the SIMD
// build runs f32-raddstoreexpminusmax-k1-wasmsimd-b2-p5-u16 with its stores sent to 64 bytes of
// scratch (config.ts expsum), whose sum it equals up to summation order.
import { expf_b2_p5 } from "../math/exp";

export function f32_raddexpminusmax__scalar_b2_p5(x: usize, n: i32, max: f32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += <f64>expf_b2_p5(load<f32>(x + (<usize>i << 2)) - max);
  return sum;
}
