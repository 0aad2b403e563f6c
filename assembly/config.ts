// The operations of the row drivers, each bound to its kernels: the one place (with
// config-backward.ts, the backward passes' half) that picks the wasm
// SIMD or the scalar variant (XNNPACK's src/configs). ASC_FEATURE_SIMD is a compile-time constant,
// so each build keeps one side of every choice; a choice made at run time (the power kind, the
// MultiMax order, k = 1, eps = 0) is made here too, never inside a kernel. Drivers call kernels
// only through these operations. Contracts: each kernel's header; the scalar kernel is the
// reference, and every SIMD kernel's lanes equal its scalar twin's (sums: up to summation order).
import { Pow } from "./kinds";
import { RMaxSumResult, RThreshResult, VFilterResult, VThreshPowResult } from "./records";
import { f32_rmax__scalar } from "./kernels/f32-rmax-scalar";
import { f32_rmax__wasmsimd_pmax_u16 } from "./kernels/f32-rmax-wasmsimd-pmax-u16";
import { f32_vmodmax__scalar } from "./kernels/f32-vmodmax-scalar";
import { f32_vmodmax__wasmsimd_u4 } from "./kernels/f32-vmodmax-wasmsimd-u4";
import { f32_vmodmax_o0_masked__wasmsimd_u8 } from "./kernels/f32-vmodmax-o0-masked-wasmsimd-u8";
import { f32_vmodmax_o1__wasmsimd_u8 } from "./kernels/f32-vmodmax-o1-wasmsimd-u8";
import { f32_vmodmax_o2__wasmsimd_u8 } from "./kernels/f32-vmodmax-o2-wasmsimd-u8";
import { f32_vmodmax_o12_masked__wasmsimd_u8 } from "./kernels/f32-vmodmax-o12-masked-wasmsimd-u8";
import { f32_raddstoreexpminusmax__scalar_b2_p5 } from "./kernels/f32-raddstoreexpminusmax-scalar-b2-p5";
import { f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16 } from "./kernels/f32-raddstoreexpminusmax-k1-wasmsimd-b2-p5-u16";
import { f32_raddstoreexpminusmax_k__wasmsimd_b2_p5_u16 } from "./kernels/f32-raddstoreexpminusmax-k-wasmsimd-b2-p5-u16";
import { f32_raddexpminusmax__scalar_b2_p5 } from "./kernels/f32-raddexpminusmax-scalar-b2-p5";
import { f32_vscale__scalar } from "./kernels/f32-vscale-scalar";
import { f32_vscale__wasmsimd_u16 } from "./kernels/f32-vscale-wasmsimd-u16";
import { f32_vsubsub__scalar } from "./kernels/f32-vsubsub-scalar";
import { f32_vsubsub__wasmsimd_u16 } from "./kernels/f32-vsubsub-wasmsimd-u16";
import { f32_rmaxlanes__scalar } from "./kernels/f32-rmaxlanes-scalar";
import { f32_rmaxlanes__wasmsimd_pmax_u16 } from "./kernels/f32-rmaxlanes-wasmsimd-pmax-u16";
import { f32_rcountpos__scalar } from "./kernels/f32-rcountpos-scalar";
import { f32_rcountpos__wasmsimd_u8 } from "./kernels/f32-rcountpos-wasmsimd-u8";
import { f32_vfilter__scalar } from "./kernels/f32-vfilter-scalar";
import { f32_vfilter__wasmsimd_u16 } from "./kernels/f32-vfilter-wasmsimd-u16";
import { f32_rthresh_p1__scalar } from "./kernels/f32-rthresh-p1-scalar";
import { f32_rthresh_p2__scalar } from "./kernels/f32-rthresh-p2-scalar";
import { f32_rthresh_p4__scalar } from "./kernels/f32-rthresh-p4-scalar";
import { f32_rthresh_pg__scalar } from "./kernels/f32-rthresh-pg-scalar";
import { f32_rthresh_p1p__scalar } from "./kernels/f32-rthresh-p1p-scalar";
import { f32_rthresh_p1__wasmsimd_u16 } from "./kernels/f32-rthresh-p1-wasmsimd-u16";
import { f32_rthresh_p2__wasmsimd_u16 } from "./kernels/f32-rthresh-p2-wasmsimd-u16";
import { f32_rthresh_p4__wasmsimd_u16 } from "./kernels/f32-rthresh-p4-wasmsimd-u16";
import { f32_rthresh_pg__wasmsimd_u4 } from "./kernels/f32-rthresh-pg-wasmsimd-u4";
import { f32_vthreshpow_e1__scalar } from "./kernels/f32-vthreshpow-e1-scalar";
import { f32_vthreshpow_e2__scalar } from "./kernels/f32-vthreshpow-e2-scalar";
import { f32_vthreshpow_e4__scalar } from "./kernels/f32-vthreshpow-e4-scalar";
import { f32_vthreshpow_eg__scalar } from "./kernels/f32-vthreshpow-eg-scalar";
import { f32_vthreshpow_e1p__scalar } from "./kernels/f32-vthreshpow-e1p-scalar";
import { f32_vthreshpow_e124__wasmsimd_u16 } from "./kernels/f32-vthreshpow-e124-wasmsimd-u16";
import { f32_vthreshpow_eg__wasmsimd_u4 } from "./kernels/f32-vthreshpow-eg-wasmsimd-u4";
import { f32_vrelusub_e1__scalar } from "./kernels/f32-vrelusub-e1-scalar";
import { f32_vrelusub_e2__scalar } from "./kernels/f32-vrelusub-e2-scalar";
import { f32_vrelusub_e1__wasmsimd_u16 } from "./kernels/f32-vrelusub-e1-wasmsimd-u16";
import { f32_vrelusub_e2__wasmsimd_u16 } from "./kernels/f32-vrelusub-e2-wasmsimd-u16";
import { f32_rmaxsum__scalar } from "./kernels/f32-rmaxsum-scalar";
import { f32_rmaxsum__wasmsimd_u8 } from "./kernels/f32-rmaxsum-wasmsimd-u8";
import { f32_rmaxsum_fast__wasmsimd_u8 } from "./kernels/f32-rmaxsum-fast-wasmsimd-u8";
import { f32_raddstoreexpminusmax_thr__scalar_b2_p5 } from "./kernels/f32-raddstoreexpminusmax-thr-scalar-b2-p5";
import { f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u16 } from "./kernels/f32-raddstoreexpminusmax-thr-wasmsimd-b2-p5-u16";
import { f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u4 } from "./kernels/f32-raddstoreexpminusmax-thr-wasmsimd-b2-p5-u4";

// ---- max, masked copy, MultiMax's modulation

/** Row max of x[0..n), n ≥ 1, NaN-blind (f32-rmax). */
// @ts-ignore: decorator
@inline export function rmax(x: usize, n: i32): f32 {
  return ASC_FEATURE_SIMD ? f32_rmax__wasmsimd_pmax_u16(x, n) : f32_rmax__scalar(x, n);
}

/** The masked copy (mask ≠ 0): y = x with −∞ where mask[i] == 0; returns max y, NaN-blind. The
 *  order-0 modulation: how every driver applies a mask (an additive −∞). */
// @ts-ignore: decorator
@inline export function maskcopy(x: usize, y: usize, mask: usize, n: i32): f32 {
  return ASC_FEATURE_SIMD ? f32_vmodmax_o0_masked__wasmsimd_u8(x, y, mask, n) : f32_vmodmax__scalar(x, y, mask, n, 0, 0);
}

/** MultiMax's first pass, z = φ(x) masked, under the fast contract: returns max z, or NaN for
 *  "redo this row with modmax" (f32-vmodmax-*-wasmsimd-u8 by order and mask; orders ≥ 3 and
 *  order 0 without a mask run the careful kernel). */
export function modmax_fast(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    if (mask != 0) {
      if (order == 0) return f32_vmodmax_o0_masked__wasmsimd_u8(x, z, mask, n);
      if (order <= 2) return f32_vmodmax_o12_masked__wasmsimd_u8(x, z, mask, n, params, order);
    } else {
      if (order == 1) return f32_vmodmax_o1__wasmsimd_u8(x, z, n, params);
      if (order == 2) return f32_vmodmax_o2__wasmsimd_u8(x, z, n, params);
    }
    return f32_vmodmax__wasmsimd_u4(x, z, mask, n, params, order);
  }
  return f32_vmodmax__scalar(x, z, mask, n, params, order);
}

/** The careful contract (f32-vmodmax-scalar): z = φ(x), −∞ where masked or x = −∞; returns max z,
 *  or NaN when a z is NaN or φ overflowed to −∞ at a kept, finite x. */
// @ts-ignore: decorator
@inline export function modmax(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32): f32 {
  return ASC_FEATURE_SIMD ? f32_vmodmax__wasmsimd_u4(x, z, mask, n, params, order) : f32_vmodmax__scalar(x, z, mask, n, params, order);
}

// ---- softmax passes

/** y = exp((x − m)·k), returns Σ y (f32-raddstoreexpminusmax; k = 1 has its own SIMD kernel). */
export function expstore(x: usize, y: usize, n: i32, m: f32, k: f32): f64 {
  if (ASC_FEATURE_SIMD) {
    return k == 1 ? f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16(x, y, n, m, 64) : f32_raddstoreexpminusmax_k__wasmsimd_b2_p5_u16(x, y, n, m, k);
  }
  return f32_raddstoreexpminusmax__scalar_b2_p5(x, y, n, m, k);
}

/** Where the SIMD expsum sends its exp values: one group of 16 floats (SIMD build only). */
const EXPSUM_SCRATCH: usize = !ASC_FEATURE_SIMD ? 0 : memory.data(64, 16);

/** Σ exp(x − m), nothing stored in the row (f32-raddexpminusmax). SIMD: the k = 1 kernel with its
 *  stores sent to 64 bytes of scratch (ystep 0): the same lanes and summation as expstore at k = 1,
 *  and one copy of the exp loop fewer in the module. */
// @ts-ignore: decorator
@inline export function expsum(x: usize, n: i32, m: f32): f64 {
  return ASC_FEATURE_SIMD ? f32_raddstoreexpminusmax_k1__wasmsimd_b2_p5_u16(x, EXPSUM_SCRATCH, n, m, 0) : f32_raddexpminusmax__scalar_b2_p5(x, n, m);
}

/** y = x·s (f32-vscale; y may equal x). */
// @ts-ignore: decorator
@inline export function scale(x: usize, y: usize, n: i32, s: f32): void {
  if (ASC_FEATURE_SIMD) f32_vscale__wasmsimd_u16(x, y, n, s); else f32_vscale__scalar(x, y, n, s);
}

/** y = (x − a) − b (f32-vsubsub; y may equal x). */
// @ts-ignore: decorator
@inline export function subsub(x: usize, y: usize, n: i32, a: f32, b: f32): void {
  if (ASC_FEATURE_SIMD) f32_vsubsub__wasmsimd_u16(x, y, n, a, b); else f32_vsubsub__scalar(x, y, n, a, b);
}

/** count(x > 0) (f32-rcountpos: the support of a probability row). */
// @ts-ignore: decorator
@inline export function countpos(x: usize, n: i32): i32 {
  return ASC_FEATURE_SIMD ? f32_rcountpos__wasmsimd_u8(x, n) : f32_rcountpos__scalar(x, n);
}

// ---- threshold maps

/** Row max, NaN if the row has a NaN; the 16 lane maxima to lanes (f32-rmaxlanes). */
// @ts-ignore: decorator
@inline export function rmaxlanes(x: usize, n: i32, lanes: usize): f32 {
  return ASC_FEATURE_SIMD ? f32_rmaxlanes__wasmsimd_pmax_u16(x, n, lanes) : f32_rmaxlanes__scalar(x, n, lanes);
}

/** The candidate list (f32-vfilter): returns its length or −1; out.bound. */
// @ts-ignore: decorator
@inline export function filter(x: usize, n: i32, vals: usize, idx: usize, m: f32, c: f32, t0: f32, eb: f32, g: f32, limit: i32, cap0: i32, out: VFilterResult): i32 {
  return ASC_FEATURE_SIMD
    ? f32_vfilter__wasmsimd_u16(x, n, vals, idx, m, c, t0, eb, g, limit, cap0, out)
    : f32_vfilter__scalar(x, n, vals, idx, m, c, t0, eb, g, limit, cap0, out);
}

/** One search pass at t for power kind K (f32-rthresh) into out; ys ≠ 0 (K = One, Two): max(d, 0)
 *  also stored there. */
export function rthresh(K: Pow, x: usize, ys: usize, n: i32, m: f32, c: f32, t: f32, g: f32, out: RThreshResult): void {
  if (ASC_FEATURE_SIMD) {
    if (K == Pow.One) f32_rthresh_p1__wasmsimd_u16(x, ys, n, m, c, t, out);
    else if (K == Pow.Two) f32_rthresh_p2__wasmsimd_u16(x, ys, n, m, c, t, out);
    else if (K == Pow.Four) f32_rthresh_p4__wasmsimd_u16(x, n, m, c, t, out);
    else f32_rthresh_pg__wasmsimd_u4(x, n, m, c, t, g, K == Pow.Near1, out);
  } else {
    if (K == Pow.One) f32_rthresh_p1__scalar(x, ys, n, m, c, t, out);
    else if (K == Pow.Two) f32_rthresh_p2__scalar(x, ys, n, m, c, t, out);
    else if (K == Pow.Four) f32_rthresh_p4__scalar(x, n, m, c, t, out);
    else if (K == Pow.Near1) f32_rthresh_p1p__scalar(x, n, m, c, t, g, out);
    else f32_rthresh_pg__scalar(x, n, m, c, t, g, out);
  }
}

/** The output pass for power kind E (f32-vthreshpow): y = max(X − τ, 0)^e, returns Σ y;
 *  out.count = count(y > 0). */
export function vthreshpow(E: Pow, x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, e: f32, out: VThreshPowResult): f64 {
  if (ASC_FEATURE_SIMD) {
    if (E == Pow.One || E == Pow.Two || E == Pow.Four) return f32_vthreshpow_e124__wasmsimd_u16(x, y, n, m, c, hi, lo, E, out);
    return f32_vthreshpow_eg__wasmsimd_u4(x, y, n, m, c, hi, lo, e, E == Pow.Near1, out);
  }
  if (E == Pow.One) return f32_vthreshpow_e1__scalar(x, y, n, m, c, hi, lo, out);
  if (E == Pow.Two) return f32_vthreshpow_e2__scalar(x, y, n, m, c, hi, lo, out);
  if (E == Pow.Four) return f32_vthreshpow_e4__scalar(x, y, n, m, c, hi, lo, out);
  if (E == Pow.Near1) return f32_vthreshpow_e1p__scalar(x, y, n, m, c, hi, lo, e, out);
  return f32_vthreshpow_eg__scalar(x, y, n, m, c, hi, lo, e, out);
}

/** Outputs from the stored d = max(X − t, 0) for E = One (scaled by s) or Two (f32-vrelusub);
 *  returns count(y > 0). */
// @ts-ignore: decorator
@inline export function vrelusub(E: Pow, d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32): i32 {
  if (ASC_FEATURE_SIMD) return E == Pow.One ? f32_vrelusub_e1__wasmsimd_u16(d, y, n, hi, lo, s) : f32_vrelusub_e2__wasmsimd_u16(d, y, n, hi, lo);
  return E == Pow.One ? f32_vrelusub_e1__scalar(d, y, n, hi, lo, s) : f32_vrelusub_e2__scalar(d, y, n, hi, lo);
}

// ---- ev-softmax

/** Row max and the sum and count of the entries ≠ −∞ (f32-rmaxsum) into out. */
// @ts-ignore: decorator
@inline export function maxsum(x: usize, n: i32, out: RMaxSumResult): f32 {
  return ASC_FEATURE_SIMD ? f32_rmaxsum__wasmsimd_u8(x, n, out) : f32_rmaxsum__scalar(x, n, out);
}

/** maxsum for rows without −∞, where the build has a faster kernel (f32-rmaxsum-fast: out.sum is
 *  not finite when the row has a −∞ or a NaN); NaN ("run maxsum") where it has none. */
// @ts-ignore: decorator
@inline export function maxsum_fast(x: usize, n: i32, out: RMaxSumResult): f32 {
  return ASC_FEATURE_SIMD ? f32_rmaxsum_fast__wasmsimd_u8(x, n, out) : NaN;
}

/** y = exp(x − m)·(x < thr ? eps : 1), returns Σ y (f32-raddstoreexpminusmax-thr; eps = 0 has its
 *  own 16-wide SIMD kernel, other eps the 4-lane one). */
// @ts-ignore: decorator
@inline export function expstore_thr(x: usize, y: usize, n: i32, m: f32, thr: f32, eps: f32): f64 {
  if (ASC_FEATURE_SIMD) {
    return eps != 0 ? f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u4(x, y, n, m, thr, eps) : f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u16(x, y, n, m, thr);
  }
  return f32_raddstoreexpminusmax_thr__scalar_b2_p5(x, y, n, m, thr, eps);
}
