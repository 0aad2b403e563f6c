// x32-vcompactnz, wasm SIMD, 8 entries per test: the contract of x32-vcompactnz-scalar (the
// nonzero entries of x in order, as indices and values). Two vectors are tested at once and
// skipped when all eight are 0 (most of a sparsemax or entmax row); otherwise their lanes are
// kept one by one. The last n mod 8 entries one by one.
export function x32_vcompactnz__wasmsimd_u8(x: usize, n: i32, idx: usize, val: usize): i32 {
  const zero = f32x4.splat(0);
  let k = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    if (!v128.any_true(v128.or(f32x4.ne(v128.load(p), zero), f32x4.ne(v128.load(p, 16), zero)))) continue;
    for (let l = 0; l < 8; l++) {
      const v = load<f32>(p + (<usize>l << 2));
      if (v != 0) { store<i32>(idx + (<usize>k << 2), i + l); store<f32>(val + (<usize>k << 2), v); k++; }
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != 0) { store<i32>(idx + (<usize>k << 2), i); store<f32>(val + (<usize>k << 2), v); k++; }
  }
  return k;
}
