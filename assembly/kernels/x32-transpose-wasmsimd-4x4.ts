// x32-transpose, wasm SIMD, 4 × 4 blocks transposed in registers (two shuffle stages), the edges
// element by element: the contract of x32-transpose-scalar (T[c][r] = M[r][c]).
// @ts-ignore: decorator
@inline function edge(rows: i32, cols: i32, m: usize, ldm: i32, t: usize, ldt: i32): void {
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) store<u32>(t + (<usize>(c * ldt + r) << 2), load<u32>(m + (<usize>(r * ldm + c) << 2)));
}

export function x32_transpose__wasmsimd_4x4(rows: i32, cols: i32, m: usize, ldm: i32, t: usize, ldt: i32): void {
  const r4 = rows & ~3, c4 = cols & ~3, sm = <usize>ldm << 2, st = <usize>ldt << 2;
  for (let r = 0; r < r4; r += 4) {
    const m0 = m + <usize>r * sm;
    for (let c = 0; c < c4; c += 4) {
      const p = m0 + (<usize>c << 2);
      const x0 = v128.load(p), x1 = v128.load(p + sm), x2 = v128.load(p + 2 * sm), x3 = v128.load(p + 3 * sm);
      const u0 = v128.shuffle<u32>(x0, x1, 0, 4, 1, 5), u1 = v128.shuffle<u32>(x0, x1, 2, 6, 3, 7);
      const u2 = v128.shuffle<u32>(x2, x3, 0, 4, 1, 5), u3 = v128.shuffle<u32>(x2, x3, 2, 6, 3, 7);
      const q = t + <usize>c * st + (<usize>r << 2);
      v128.store(q, v128.shuffle<u32>(u0, u2, 0, 1, 4, 5));
      v128.store(q + st, v128.shuffle<u32>(u0, u2, 2, 3, 6, 7));
      v128.store(q + 2 * st, v128.shuffle<u32>(u1, u3, 0, 1, 4, 5));
      v128.store(q + 3 * st, v128.shuffle<u32>(u1, u3, 2, 3, 6, 7));
    }
  }
  // the right edge (columns c4..cols of the first r4 rows) and the bottom rows
  if (c4 < cols) edge(r4, cols - c4, m + (<usize>c4 << 2), ldm, t + <usize>c4 * st, ldt);
  if (r4 < rows) edge(rows - r4, cols, m + <usize>r4 * sm, ldm, t + (<usize>r4 << 2), ldt);
}
