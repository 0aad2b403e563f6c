// The kernel choices of the backward passes and losses (assembly/backward/): the second half of
// the one config place, beside config.ts (the forwards), with the same rules: ASC_FEATURE_SIMD
// picks the SIMD or the scalar kernel at compile time, run-time choices between kernels are made
// here, and drivers call kernels only through these operations.

// ---- backward: softmax family and threshold maps
import { RDotPowResult, RFyLossResult, RFyScaleResult, RNormmaxResult, RSumPosResult } from "./records";
import { f32_rdot__scalar } from "./kernels/f32-rdot-scalar";
import { f32_rdot__wasmsimd_u8 } from "./kernels/f32-rdot-wasmsimd-u8";
import { f32_rsum__scalar } from "./kernels/f32-rsum-scalar";
import { f32_rsum__wasmsimd_u8 } from "./kernels/f32-rsum-wasmsimd-u8";
import { f32_vsubmul__scalar } from "./kernels/f32-vsubmul-scalar";
import { f32_vsubmul__wasmsimd_u8 } from "./kernels/f32-vsubmul-wasmsimd-u8";
import { f32_vsubexp__scalar_b2_p5 } from "./kernels/f32-vsubexp-scalar-b2-p5";
import { f32_vsubexp__wasmsimd_b2_p5_u16 } from "./kernels/f32-vsubexp-wasmsimd-b2-p5-u16";
import { f32_rdotpow_eh__scalar } from "./kernels/f32-rdotpow-eh-scalar";
import { f32_rdotpow_eg__scalar } from "./kernels/f32-rdotpow-eg-scalar";
import { f32_rdotpow_e34__scalar } from "./kernels/f32-rdotpow-e34-scalar";
import { f32_rdotpow_e14__scalar } from "./kernels/f32-rdotpow-e14-scalar";
import { f32_rdotpow__wasmsimd_u8 } from "./kernels/f32-rdotpow-wasmsimd-u8";
import { GPow } from "./templates/f32-rdotpow-scalar";
import { f32_rnormmax__scalar } from "./kernels/f32-rnormmax-scalar";
import { f32_vnormmax__scalar } from "./kernels/f32-vnormmax-scalar";
import { f32_rvnormmax__wasmsimd_u4 } from "./kernels/f32-rvnormmax-wasmsimd-u4";
import { FyTerm, f32_rfyloss__scalar } from "./kernels/f32-rfyloss-scalar";
import { f32_rfyscale__scalar } from "./kernels/f32-rfyscale-scalar";
import { f32_rfyscale__wasmsimd_u16 } from "./kernels/f32-rfyscale-wasmsimd-u16";
import { f32_rsumpos__scalar } from "./kernels/f32-rsumpos-scalar";
import { f32_rsumpos__wasmsimd_u8 } from "./kernels/f32-rsumpos-wasmsimd-u8";
import { f32_vsubpos__scalar } from "./kernels/f32-vsubpos-scalar";
import { f32_vsubpos__wasmsimd_u16 } from "./kernels/f32-vsubpos-wasmsimd-u16";

/** Σ x·y over the kept entries (mask 0: all), products in float32, summed in float64 (f32-rdot). */
// @ts-ignore: decorator
@inline export function rdot(x: usize, y: usize, mask: usize, n: i32): f64 {
  return ASC_FEATURE_SIMD ? f32_rdot__wasmsimd_u8(x, y, mask, n) : f32_rdot__scalar(x, y, mask, n);
}

/** Σ x over the kept entries, in float64 (f32-rsum). */
// @ts-ignore: decorator
@inline export function rsum(x: usize, mask: usize, n: i32): f64 {
  return ASC_FEATURE_SIMD ? f32_rsum__wasmsimd_u8(x, mask, n) : f32_rsum__scalar(x, mask, n);
}

/** dx = (((dy − s) − lo)·g)·k where g ≠ 0 and kept, +0 elsewhere (f32-vsubmul; dx may equal g;
 *  s + lo: a float64 split in two floats). */
// @ts-ignore: decorator
@inline export function vsubmul(g: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32, lo: f32, k: f32): void {
  if (ASC_FEATURE_SIMD) f32_vsubmul__wasmsimd_u8(g, dy, dx, mask, n, s, lo, k); else f32_vsubmul__scalar(g, dy, dx, mask, n, s, lo, k);
}

/** dx = dy − exp(y)·s where kept, +0 elsewhere (f32-vsubexp; dx may equal y). */
// @ts-ignore: decorator
@inline export function vsubexp(y: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32): void {
  if (ASC_FEATURE_SIMD) f32_vsubexp__wasmsimd_b2_p5_u16(y, dy, dx, mask, n, s); else f32_vsubexp__scalar_b2_p5(y, dy, dx, mask, n, s);
}

/** Σ dy over the kept support y > 0, out.count = its size (f32-rsumpos: sparsemax's reduction). */
// @ts-ignore: decorator
@inline export function rsumpos(y: usize, dy: usize, mask: usize, n: i32, out: RSumPosResult): f64 {
  return ASC_FEATURE_SIMD ? f32_rsumpos__wasmsimd_u8(y, dy, mask, n, out) : f32_rsumpos__scalar(y, dy, mask, n, out);
}

/** dx = (dy − s) − lo where y > 0 and kept, +0 elsewhere (f32-vsubpos: sparsemax's output pass;
 *  dx may equal y). */
// @ts-ignore: decorator
@inline export function vsubpos(y: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f32, lo: f32): void {
  if (ASC_FEATURE_SIMD) f32_vsubpos__wasmsimd_u16(y, dy, dx, mask, n, s, lo); else f32_vsubpos__scalar(y, dy, dx, mask, n, s, lo);
}

/** g = y^e on the kept support (y > 0), +0 elsewhere, stored (g may equal y); returns Σ dy·g,
 *  out.sum = Σ g (f32-rdotpow; e = ½, ¾, ¼ by square roots, other e the general power; e = 0,
 *  sparsemax, has f32-rsumpos and f32-vsubpos). */
export function rdotpow(y: usize, dy: usize, g: usize, mask: usize, n: i32, e: f32, out: RDotPowResult): f64 {
  const E = e == 0.5 ? GPow.Half : e == 0.75 ? GPow.ThreeQuarters : e == 0.25 ? GPow.Quarter : GPow.General;
  if (ASC_FEATURE_SIMD) return f32_rdotpow__wasmsimd_u8(y, dy, g, mask, n, e, E, out);
  if (E == GPow.Half) return f32_rdotpow_eh__scalar(y, dy, g, mask, n, e, out);
  if (E == GPow.ThreeQuarters) return f32_rdotpow_e34__scalar(y, dy, g, mask, n, e, out);
  if (E == GPow.Quarter) return f32_rdotpow_e14__scalar(y, dy, g, mask, n, e, out);
  return f32_rdotpow_eg__scalar(y, dy, g, mask, n, e, out);
}

/** The α-normmax backward's sums (f32-rnormmax, e = 2 − α; SIMD: f32-rvnormmax with dx = 0):
 *  returns Σ dy·b; out.sa, sb, sp. */
// @ts-ignore: decorator
@inline export function rnormmax(y: usize, dy: usize, mask: usize, n: i32, e: f32, alpha: f32, out: RNormmaxResult): f64 {
  return ASC_FEATURE_SIMD ? f32_rvnormmax__wasmsimd_u4(y, dy, 0, mask, n, e, alpha, 0, 0, 0, out) : f32_rnormmax__scalar(y, dy, mask, n, e, alpha, out);
}

/** The α-normmax backward's output pass: dx = (b·(dy − u) − y·w)·c on the kept support
 *  (f32-vnormmax; SIMD: f32-rvnormmax with dx ≠ 0, which leaves `out` alone). */
export function vnormmax(y: usize, dy: usize, dx: usize, mask: usize, n: i32, e: f32, u: f32, w: f32, c: f32, out: RNormmaxResult): void {
  if (ASC_FEATURE_SIMD) f32_rvnormmax__wasmsimd_u4(y, dy, dx, mask, n, e, 0, u, w, c, out); else f32_vnormmax__scalar(y, dy, dx, mask, n, e, u, w, c);
}

/** A Fenchel–Young loss's sums over p > 0 for α-entmax, α ∉ {2, 1.5} (f32-rfyloss, scalar in
 *  both builds; the term by α: 1.25, 1.75 by square roots, 1 and the general power in float64):
 *  returns Σ p·x, out.sum = Σ h(p). */
export function fysums(p: usize, x: usize, n: i32, alpha: f64, out: RFyLossResult): f64 {
  const T = alpha == 1.25 ? FyTerm.Pow125 : alpha == 1.75 ? FyTerm.Pow175 : alpha == 1 ? FyTerm.Entropy : FyTerm.General;
  return f32_rfyloss__scalar(p, x, n, T, alpha - 1, out);
}

/** The sparsemax (α = 2) and 1.5-entmax (pow15) losses' one pass after the forward: dx = p·dl,
 *  returns Σ p·x over p > 0, out.sum = Σ p² or Σ p^1.5 there (f32-rfyscale; dx may equal p). */
// @ts-ignore: decorator
@inline export function fyscale(p: usize, x: usize, dx: usize, n: i32, dl: f32, pow15: bool, out: RFyScaleResult): f64 {
  return ASC_FEATURE_SIMD ? f32_rfyscale__wasmsimd_u16(p, x, dx, n, dl, pow15, out) : f32_rfyscale__scalar(p, x, dx, n, dl, pow15, out);
}

// ---- backward: MultiMax and cross-entropy
import { f32_vmodbwd__scalar } from "./kernels/f32-vmodbwd-scalar";
import { f32_vmodbwd__wasmsimd_u4 } from "./kernels/f32-vmodbwd-wasmsimd-u4";
import { f32_vmodbwd_o12__wasmsimd_u4 } from "./kernels/f32-vmodbwd-o12-wasmsimd-u4";
import { u8_rcountnz__scalar } from "./kernels/u8-rcountnz-scalar";
import { u8_rcountnz__wasmsimd_u16 } from "./kernels/u8-rcountnz-wasmsimd-u16";

/** MultiMax's fused backward pass (f32-vmodbwd; orders 1 and 2 have their own SIMD kernel):
 *  dx = g·φ'(x), g by mode (math/vjp.ts), and the row's 4·order partial sums as f64x2 pairs at
 *  sums (64·order bytes, 16-aligned). */
export function modbwd(x: usize, dy: usize, y: usize, dx: usize, mask: usize, n: i32, params: usize, order: i32, mode: i32, s: f32, t: f32, sums: usize): void {
  if (ASC_FEATURE_SIMD) {
    if (order == 1 || order == 2) f32_vmodbwd_o12__wasmsimd_u4(x, dy, y, dx, mask, n, params, order, mode, s, t, sums);
    else f32_vmodbwd__wasmsimd_u4(x, dy, y, dx, mask, n, params, order, mode, s, t, sums);
  } else f32_vmodbwd__scalar(x, dy, y, dx, mask, n, params, order, mode, s, t, sums);
}

/** The number of nonzero bytes of a mask row (u8-rcountnz). */
// @ts-ignore: decorator
@inline export function countnz(p: usize, n: i32): i32 {
  return ASC_FEATURE_SIMD ? u8_rcountnz__wasmsimd_u16(p, n) : u8_rcountnz__scalar(p, n);
}
