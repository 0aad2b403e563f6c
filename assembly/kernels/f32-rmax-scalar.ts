// f32-rmax, scalar reference: max over x[0..n) with pmax semantics (a NaN element is skipped, an
// all-NaN row gives −∞; the caller detects NaN rows later, from the sum).

/** Row maximum, scalar twin of `f32_rmax__wasmsimd_pmax_u16`. n ≥ 1. */
export function f32_rmax__scalar(x: usize, n: i32): f32 {
  let m = -Infinity as f32;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    m = m < v ? v : m;
  }
  return m;
}
