// f32-raddstoreexpminusmax, scalar reference: y[i] = exp((x[i] − max)·k), returns Σ y[i] in f64.
// Scalar twin of f32-raddstoreexpminusmax-k1-wasmsimd-b2-p5-u16 (k = 1) and
// f32-raddstoreexpminusmax-k-wasmsimd-b2-p5-u16 (any k): the same lanes, bit for bit.
import { expf_b2_p5 } from "../math/exp";

/** y[i] = exp((x[i] − max)·k) for i < n (y may equal x); returns the f64 sum of the stored values. */
export function f32_raddstoreexpminusmax__scalar_b2_p5(x: usize, y: usize, n: i32, max: f32, k: f32): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const e = expf_b2_p5((load<f32>(x + off) - max) * k);
    store<f32>(y + off, e);
    sum += <f64>e;
  }
  return sum;
}
