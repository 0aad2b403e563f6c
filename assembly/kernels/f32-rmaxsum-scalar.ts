// f32-rmaxsum, scalar: row maximum, and the float64 sum and count of the entries that are not −∞
// (masked entries are −∞). Reference for the wasm SIMD kernel. Each float32 is exact in float64,
// so the sum is exact while it needs ≤ 53 bits (a constant row: n·v exactly), and otherwise
// within the usual float64 summation bound (about n·1.1e-16 of Σ|x|). A NaN makes the sum NaN.
import { RMaxSumResult } from "../records";

/** Returns max x (NaN-blind); out.sum = Σ x[i] ≠ −∞ (f64), out.count = their number. */
export function f32_rmaxsum__scalar(x: usize, n: i32, out: RMaxSumResult): f32 {
  let m: f32 = -Infinity, s = 0.0, k = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    m = m < v ? v : m;
    if (v != -Infinity) { s += <f64>v; k++; }
  }
  out.sum = s; out.count = k;
  return m;
}
