// What the attention drivers share: the normaliser codes, which keys a query sees, the scratch
// plan, and one row's normaliser (forward) and its VJP (backward), run by the row drivers of the
// row-wise operations on a row of scores, so that attention's p is exactly what the row
// normalisers give on the same scores (rows.ts, threshold/rows.ts, evsoftmax.ts, backward/).
import { multimax_rows, softmax_rows } from "../rows";
import { threshold_rows } from "../threshold/rows";
import { evsoftmax_rows } from "../evsoftmax";
import { softmax_backward_rows, sparse_backward_rows } from "../backward/normalisers";
import { multimax_backward_rows } from "../backward/multimax";
import { effectiveOrder } from "../backward/phigrad";
import { gemm } from "../config-attention";
import { Norm } from "../kinds";


/** Queries per block: 16 (the products run on 4 rows at a time, f32-gemm 4x8, tile by tile of
 *  keys, so that each tile of Kᵀ and V is read from memory once per 16 queries; in the backward
 *  pass each block's updates of dK and dV, read, added to and written back, serve 16 queries). */
export const QB: i32 = 16;
/** Keys per tile: 128 keys of Kᵀ (D = 64: 32 KiB, a level-1 cache) or of V. */
export const KT: i32 = 128;

/** The α of the threshold maps (float64; every row reads it: stride 0). */
export const ALPHA: usize = memory.data(8, 8);

/** Keys query i sees: all Lk, or with `causal` (aligned bottom-right, the KV-cache convention)
 *  those j ≤ i + Lk − Lq. */
// @ts-ignore: decorator
@inline export function visible(i: i32, Lq: i32, Lk: i32, causal: i32): i32 {
  if (causal == 0) return Lk;
  const n = i + Lk - Lq + 1;
  return n < 0 ? 0 : n > Lk ? Lk : n;
}

/** n rounded up to a multiple of 16 bytes (the scratch buffers' alignment). */
// @ts-ignore: decorator
@inline export function up16(n: usize): usize { return (n + 15) & ~(<usize>15); }

/** Scores by products with Kᵀ laid out once per (batch, kv head) (f32-gemm), or row by row
 *  against K as it lies (f32-vdotrows) when there are too few queries to pay for the copy. */
// @ts-ignore: decorator
@inline export function transposed(Lq: i32): bool { return Lq >= 4; }

/** The row stride (floats) of the scratch rows of Lk keys (Kᵀ, Vᵀ, scores): Lk rounded up to a
 *  multiple of 4, ≡ 4 mod 8, so never a multiple of 64 bytes: at a power-of-two stride (Lk = 1,024:
 *  4 KiB) the rows a product reads at one column all fall in the same level-1 cache set. */
// @ts-ignore: decorator
@inline export function lead(Lk: i32): i32 { return ((Lk + 3) & ~3) | 4; }

/** Scratch bytes of a call: Kᵀ (and Vᵀ in the backward pass), the blocks of score rows, two rows
 *  for the normalisers (the threshold maps' candidates and indices; at least 64 bytes, the 16
 *  lanes their first pass writes), then one i32 per query of a block (the supports). In float64:
 *  sizes past 4 GiB are reported, not wrapped. */
export function scratchBytes(Lq: i32, Lk: i32, D: i32, Dv: i32, backward: bool): f64 {
  const l4 = Math.ceil(<f64>Lk / 4) * 4, row = (l4 % 8 == 0 ? l4 + 4 : l4) * 4; // (lead(Lk), without i32 overflow)
  const t = transposed(Lq), up = (n: f64): f64 => Math.ceil(n / 16) * 16;
  let n = up((t ? <f64>D : 0) * row) + Math.max(2 * up(row), 64) + 4 * QB;
  if (backward) n += up((t ? <f64>Dv : 0) * row) + 4 * up(<f64>QB * row);
  else n += up(<f64>QB * row);
  return n;
}

/** p = normaliser(s) on one row of n scores (in place allowed), masked by mask (0: none); the
 *  threshold maps write their support size (kept entries) to `support` (0: not asked). */
export function normalise(kind: i32, s: usize, p: usize, tmp: usize, mask: usize, n: i32, params: usize, order: i32, eps: f32, support: usize = 0): i32 {
  if (kind == Norm.Multimax) {
    const o = effectiveOrder(params, order);
    return o == 0 ? softmax_rows(s, p, mask, 1, n, 1, false) : multimax_rows(s, p, tmp, mask, 1, n, params, o, false);
  }
  if (kind == Norm.Softmax) return softmax_rows(s, p, mask, 1, n, 1, false);
  if (kind == Norm.EvSoftmax) return evsoftmax_rows(s, p, mask, 1, n, eps, 0);
  return threshold_rows(s, p, tmp, mask, 1, n, kind - 2, ALPHA, 0, support);
}

/** ds = the VJP of the normaliser at s (p its output, dp the cotangent); MultiMax adds its
 *  parameter gradients to grads (float64 [da, db, dc, dd] per order). ds is disjoint from the rest. */
export function normaliseBackward(kind: i32, s: usize, p: usize, dp: usize, ds: usize, tmp: usize, mask: usize, n: i32, params: usize, order: i32, grads: usize): i32 {
  if (kind == Norm.Multimax) return multimax_backward_rows(s, dp, p, ds, tmp, mask, 1, n, params, order, grads, false);
  if (kind == Norm.Softmax || kind == Norm.EvSoftmax) return softmax_backward_rows(p, dp, ds, mask, 1, n, 1);
  return sparse_backward_rows(p, dp, ds, mask, 1, n, kind - 2, ALPHA, 0);
}

/** C = α·A·B for mr rows (any number; A[m][k] at a + 4(m·am + k·ak)), tiled by KT columns: 4 rows
 *  per product, every block of rows against one tile of B before the next tile. */
export function gemmCols(mr: i32, nc: i32, kc: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32): void {
  for (let n0 = 0; n0 < nc; n0 += KT) {
    const nt = min(KT, nc - n0);
    for (let r0 = 0; r0 < mr; r0 += 4)
      gemm(min(4, mr - r0), nt, kc, a + (<usize>(r0 * am) << 2), am, ak, b + (<usize>n0 << 2), ldb, c + (<usize>(r0 * ldc + n0) << 2), ldc, alpha, 0);
  }
}

/** C = α·A·B for mr rows, tiled by KT along the depth k (B's rows): each tile of B is read once
 *  per mr rows, the partial products added to C. */
export function gemmDepth(mr: i32, nc: i32, kc: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32): void {
  for (let k0 = 0; k0 < kc; k0 += KT) {
    const kt = min(KT, kc - k0);
    for (let r0 = 0; r0 < mr; r0 += 4)
      gemm(min(4, mr - r0), nc, kt, a + (<usize>(r0 * am + k0 * ak) << 2), am, ak, b + (<usize>(k0 * ldb) << 2), ldb, c + (<usize>(r0 * ldc) << 2), ldc, alpha, k0 > 0 ? 1 : 0);
  }
}
