// f32-rmaxsum, scalar: row maximum, and the float64 sum and count of the entries that are not −∞
// (masked entries are −∞). Reference for the wasm SIMD kernel. Each float32 is exact in float64,
// so the sum is exact while it needs ≤ 53 bits (a constant row: n·v exactly), and otherwise
// within the usual float64 summation bound (about n·1.1e-16 of Σ|x|). A NaN makes the sum NaN.
import { setCount, setSums } from "../math/acc";

/** Returns max x (NaN-blind); R_S1 = Σ x[i] ≠ −∞ (f64), R_COUNT = their number. */
export function f32_rmaxsum__scalar(x: usize, n: i32): f32 {
  let m: f32 = -Infinity, s = 0.0, k = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    m = m < v ? v : m;
    if (v != -Infinity) { s += <f64>v; k++; }
  }
  setSums(s, 0, 0); setCount(k);
  return m;
}
