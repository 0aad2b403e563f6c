// The MultiMax modulator φ, scalar and four-lane, shared by the f32-vmodmax kernels.
//
// Prepared parameters: `order` records of four f32 at `params` (16-byte aligned),
// record j (1-based order n = j + 1) = [a, b, c, d]:
//   φ(x) = x + Σ_{n=1..N} a_n·max(b_n − x, 0)^n + c_n·max(x − d_n, 0)^n,
// summed left to right (a_1 term, c_1 term, a_2 term, …) exactly as the official
// `SeLU` of vision_transformer.py; checkpoint form: a_1 = ts[0], b_1 = ranges[0], c_1 = ts[1],
// d_1 = ranges[1], a_2 = ts[2], b_2 = ranges[2], c_2 = ts[3], d_2 = ranges[3]; paper form:
// a_n = 1 − t_b,n, b_n = b_n, c_n = t_d,n − 1, d_n = d_n. Powers are repeated products
// ((l·l)·l…), relu is pmax(v, 0) (NaN stays NaN).
// FMA variant: the vector steps add each term with `addmul` (madd.ts): z + a·t as plain mul + add
// in the SIMD build (bit-identical to phi_scalar_raw), f32x4.relaxed_madd in the relaxed-SIMD
// build (fused where the CPU has FMA: one rounding instead of two per term when a·t is inexact;
// MultiMax measured about 10% faster on top of the fused exp).

/** φ(x) in f32 for any order ≥ 0, exactly as the vector kernels compute each lane (the kernels,
 *  not φ, map −∞ inputs to −∞); the reference for the vector kernels. */
// @ts-ignore: decorator
@inline export function phi_scalar_raw(x: f32, params: usize, order: i32): f32 {
  let z = x;
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    let l = load<f32>(p, 4) - x; l = l < 0 ? 0 : l;
    let u = x - load<f32>(p, 12); u = u < 0 ? 0 : u;
    let lp = l, up = u;
    for (let k = 0; k < j; k++) { lp *= l; up *= u; }
    z = z + load<f32>(p) * lp;
    z = z + load<f32>(p, 8) * up;
  }
  return z;
}

import { addmul } from "./madd";

/** relu with pmax semantics: v < 0 ? 0 : v. */
// @ts-ignore: decorator
@inline export function reluv(v: v128, zero: v128): v128 {
  return f32x4.pmax(v, zero);
}

/** One order-1 step on four lanes: z + a·relu(b − x) + c·relu(x − d). */
// @ts-ignore: decorator
@inline export function phiv_o1(z: v128, x: v128, a: v128, b: v128, c: v128, d: v128, zero: v128): v128 {
  z = addmul(z, a, reluv(f32x4.sub(b, x), zero));
  return addmul(z, c, reluv(f32x4.sub(x, d), zero));
}

/** One order-2 step on four lanes: z + a·relu(b − x)² + c·relu(x − d)². */
// @ts-ignore: decorator
@inline export function phiv_o2(z: v128, x: v128, a: v128, b: v128, c: v128, d: v128, zero: v128): v128 {
  const l = reluv(f32x4.sub(b, x), zero);
  const u = reluv(f32x4.sub(x, d), zero);
  z = addmul(z, a, f32x4.mul(l, l));
  return addmul(z, c, f32x4.mul(u, u));
}

/** φ on four lanes for any order, parameters read from memory (the general, slower kernel). */
// @ts-ignore: decorator
@inline export function phiv_n(x: v128, params: usize, order: i32, zero: v128): v128 {
  let z = x;
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    const l = reluv(f32x4.sub(f32x4.splat(load<f32>(p, 4)), x), zero);
    const u = reluv(f32x4.sub(x, f32x4.splat(load<f32>(p, 12))), zero);
    let lp = l, up = u;
    for (let k = 0; k < j; k++) { lp = f32x4.mul(lp, l); up = f32x4.mul(up, u); }
    z = addmul(z, f32x4.splat(load<f32>(p)), lp);
    z = addmul(z, f32x4.splat(load<f32>(p, 8)), up);
  }
  return z;
}
