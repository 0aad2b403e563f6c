// f32-raddstoreexpminusmax-thr, scalar b2-p5 (reference for the SIMD kernel): ev-softmax's exp
// pass.  y[i] = exp(x[i] − max)·(x[i] < thr ? eps : 1),  returns Σ y[i] (f64).
// eps = 0 (eval: entries below the mean get exactly 0) or 1e-6 (training).
import { expf_b2_p5 } from "../math/exp";

export function f32_raddstoreexpminusmax_thr__scalar_b2_p5(x: usize, y: usize, n: i32, max: f32, thr: f32, eps: f32): f64 {
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const e = expf_b2_p5(v - max) * (v < thr ? eps : 1);
    store<f32>(y + o, e);
    sum += <f64>e;
  }
  return sum;
}
