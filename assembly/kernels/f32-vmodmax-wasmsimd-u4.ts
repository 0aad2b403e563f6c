// f32-vmodmax, wasm SIMD, 4 elements per iteration, the last vector partial (tail.ts: the row's
// last element repeated, which changes no max and no flag): the careful contract of
// f32-vmodmax-scalar.ts for any order and an optional mask (mask = 0: none):
//   z[i] = φ(x[i]), −∞ where mask[i] == 0 or x[i] == −∞;  returns max z, or NaN when some z[i] is
//   NaN or φ overflowed float32 to −∞ at a kept, finite x[i] (the row then needs float64).
// Lanes and result equal `f32_vmodmax__scalar` bit for bit (a ±0 maximum may differ in sign).
// The parameters are re-read from memory for each vector (φ for any order, phi.ts `phiv_n`).
// Rare paths only: orders ≥ 3, and the redo of a row on which a fast kernel
// (f32-vmodmax-*-wasmsimd-u8) saw a −∞ or a NaN; one vector per iteration keeps it small.
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) φ's multiply-adds
// (z + a·relu(…)ⁿ) are f32x4.relaxed_madd (phi.ts, madd.ts: fused where the CPU has FMA).
import { phiv_n } from "../math/phi";
import { loadMaskPartRepeat, loadPartRepeat, storePart } from "../math/tail";
import { f32x4_hmax } from "../math/hmax";

export function f32_vmodmax__wasmsimd_u4(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32): f32 {
  const zero = f32x4.splat(0), ninf = f32x4.splat(-Infinity);
  let bad = zero, m0 = ninf;
  let i = 0;
  for (; i < n; i += 4) { // (the last vector may be partial: the row's last element repeated)
    const o = <usize>i << 2;
    const v = loadPartRepeat(x + o, n - i);
    const p = phiv_n(v, params, order, zero);
    // dropped lanes: −∞ inputs, and masked-out ones
    let drop = f32x4.eq(v, ninf);
    if (mask != 0) drop = v128.or(drop, i32x4.eq(loadMaskPartRepeat(mask + <usize>i, n - i), zero));
    const zv = v128.bitselect(ninf, p, drop);
    // bad lanes: NaN, or φ overflowed to −∞ at a kept, finite input
    bad = v128.or(bad, v128.or(f32x4.ne(zv, zv), v128.andnot(f32x4.eq(p, ninf), drop)));
    storePart(z + o, zv, n - i);
    m0 = f32x4.pmax(m0, zv);
  }
  let m = f32x4_hmax(m0);
  const flag = v128.any_true(bad);
  return flag ? NaN : m;
}
