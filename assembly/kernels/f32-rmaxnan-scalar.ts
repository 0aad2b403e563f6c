// f32-rmaxnan, scalar: row maximum that reports NaN. Reference for the wasm SIMD kernel.

/** max x[0..n), n ≥ 1, or NaN if some x[i] is NaN. */
export function f32_rmaxnan__scalar(x: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != v) return NaN;
    m = m < v ? v : m;
  }
  return m;
}
