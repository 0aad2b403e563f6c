// f32-rmaxlanes, scalar: row maximum (NaN if the row has a NaN), plus 16 entries of the row for a
// starting bound: lanes[j] = max of x[i] over i ≡ j (mod 16), i < n rounded down to 16, else −∞.
// Any subset of a row gives a lower bound of its threshold (list.ts), and these 16 are the
// largest of their residue classes: on a sparse row they usually hold the whole support.
// Reference for the wasm SIMD kernel, whose 16 lanes are the same classes.

export function f32_rmaxlanes__scalar(x: usize, n: i32, lanes: usize): f32 {
  for (let j = 0; j < 16; j++) store<f32>(lanes + (<usize>j << 2), -Infinity);
  const n16 = n & ~15;
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != v) return NaN;
    m = m < v ? v : m;
    if (i < n16) {
      const p = lanes + (<usize>(i & 15) << 2);
      const l = load<f32>(p);
      store<f32>(p, l < v ? v : l);
    }
  }
  return m;
}
