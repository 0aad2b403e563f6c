// x32-transpose, scalar: T[c][r] = M[r][c] for an r × c block of 32-bit values, M with row stride
// ldm, T with row stride ldt (in elements). The attention drivers lay Kᵀ (and Vᵀ) out once per
// (batch, kv head), so that the score products read B row-major (f32-gemm). Pure data movement:
// the SIMD build's 4 × 4 twin (x32-transpose-wasmsimd-4x4) moves the same bits.
export function x32_transpose__scalar(rows: i32, cols: i32, m: usize, ldm: i32, t: usize, ldt: i32): void {
  for (let r = 0; r < rows; r++) {
    const mr = m + (<usize>(r * ldm) << 2);
    for (let c = 0; c < cols; c++) store<u32>(t + (<usize>(c * ldt + r) << 2), load<u32>(mr + (<usize>c << 2)));
  }
}
