// multimax-wasm: the wasm module's exports. The loader (src/) knows only these names and the
// memory contract written in rows.ts; it knows nothing of the math.
import { multimax_rows, softmax_rows } from "./rows";
import { threshold_rows } from "./threshold/rows";
import { evsoftmax_rows } from "./evsoftmax";
import { ThresholdMap } from "./kinds";
import { log_softmax_backward_rows, softmax_backward_rows, sparse_backward_rows } from "./backward/normalisers";
import { multimax_backward_rows } from "./backward/multimax";
import { fy_loss_rows } from "./backward/loss";
import { cross_entropy_rows } from "./backward/crossentropy";
import { attention_forward } from "./attention/forward";
import { attention_backward } from "./attention/backward";
import { scratchBytes } from "./attention/rows";

/** First free byte after the static data, 16-byte aligned: the loader manages memory from here. */
export function heap_base(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** 1 when this build uses wasm SIMD, 2 for the relaxed-SIMD build (SIMD with f32x4.relaxed_madd),
 *  0 for the scalar build. */
export function simd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 2 : ASC_FEATURE_SIMD ? 1 : 0;
}

/** y = softmax(x / T) row by row (k = 1/T); mask 0 = none. Returns the number of exceptional rows. */
export function softmax(x: usize, y: usize, mask: usize, rows: i32, cols: i32, k: f32): i32 {
  return softmax_rows(x, y, mask, rows, cols, k, false);
}

/** y = log_softmax(x) row by row. */
export function log_softmax(x: usize, y: usize, mask: usize, rows: i32, cols: i32): i32 {
  return softmax_rows(x, y, mask, rows, cols, 1, true);
}

/** y = softmax(φ(x) + M) row by row; params: `order` records [a, b, c, d] (see math/phi.ts). */
export function multimax(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, params: usize, order: i32): i32 {
  return multimax_rows(x, y, tmp, mask, rows, cols, params, order, false);
}

/** y = log_softmax(φ(x) + M) row by row. */
export function log_multimax(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, params: usize, order: i32): i32 {
  return multimax_rows(x, y, tmp, mask, rows, cols, params, order, true);
}

/** sparsemax row by row (threshold/rows.ts); tmp: one row of scratch; support: 0 or one i32 per row. */
export function sparsemax(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, support: usize): i32 {
  return threshold_rows(x, y, tmp, mask, rows, cols, ThresholdMap.Sparsemax, 0, 0, support);
}

/** 1.5-entmax row by row. */
export function entmax15(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, support: usize): i32 {
  return threshold_rows(x, y, tmp, mask, rows, cols, ThresholdMap.Entmax15, 0, 0, support);
}

/** α-entmax row by row; alpha: f64 per row at stride alphaStride bytes (0: shared). */
export function entmax(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, alpha: usize, alphaStride: i32, support: usize): i32 {
  return threshold_rows(x, y, tmp, mask, rows, cols, ThresholdMap.Entmax, alpha, alphaStride, support);
}

/** α-normmax row by row; alpha as for entmax (every α > 1). */
export function normmax(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, alpha: usize, alphaStride: i32, support: usize): i32 {
  return threshold_rows(x, y, tmp, mask, rows, cols, ThresholdMap.Normmax, alpha, alphaStride, support);
}

/** ev-softmax row by row (evsoftmax.ts); eps: 0 (eval) or 1e-6 (training). */
export function ev_softmax(x: usize, y: usize, mask: usize, rows: i32, cols: i32, eps: f32, support: usize): i32 {
  return evsoftmax_rows(x, y, mask, rows, cols, eps, support);
}

// ---- backward passes and losses (backward/). Memory contract as for the forwards, plus: dx may
// equal the first input (y, or x for MultiMax) and is disjoint from every other array; dy, y, x
// are rows·cols floats; per-row arrays (targets i32, dloss f32, loss f32) hold `rows` entries;
// dloss 0 means 1 for every row. Masked entries (mask byte 0) get dx = 0 and add to no sum.

/** dx = k·y ⊙ (dy − ⟨dy, y⟩) row by row: softmax(x·k)'s VJP (k = 1/T), and ev-softmax's (k = 1). */
export function softmax_backward(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32, k: f32): i32 {
  return softmax_backward_rows(y, dy, dx, mask, rows, cols, k);
}

/** dx = dy − exp(y)·Σ dy row by row (y = log_softmax(x)). */
export function log_softmax_backward(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32): i32 {
  return log_softmax_backward_rows(y, dy, dx, mask, rows, cols);
}

/** The threshold maps' VJP from y alone (kind: ThresholdMap; alpha as for entmax / normmax). */
export function sparse_backward(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32, kind: i32, alpha: usize, alphaStride: i32): i32 {
  return sparse_backward_rows(y, dy, dx, mask, rows, cols, kind, alpha, alphaStride);
}

/** MultiMax (log = 0) or log-MultiMax (log = 1) backward: dx = φ'(x) ⊙ (the softmax VJP at y);
 *  y = 0: recomputed into tmp (one row); grads: f64 [da, db, dc, dd] per order, added to. */
export function multimax_backward(x: usize, dy: usize, y: usize, dx: usize, tmp: usize, mask: usize, rows: i32, cols: i32, params: usize, order: i32, grads: usize, log: i32): i32 {
  return multimax_backward_rows(x, dy, y, dx, tmp, mask, rows, cols, params, order, grads, log != 0);
}

/** Fenchel–Young loss of a threshold map per row into loss; dx = dloss·(p − e_target); rows whose
 *  target is `ignore` get loss 0 and dx 0. tmp: two rows (the map's scratch). */
export function fy_loss(x: usize, dx: usize, tmp: usize, mask: usize, rows: i32, cols: i32, kind: i32, alpha: usize, alphaStride: i32, targets: usize, dloss: usize, loss: usize, ignore: i32): i32 {
  return fy_loss_rows(x, dx, tmp, mask, rows, cols, kind, alpha, alphaStride, targets, dloss, loss, ignore);
}

/** Cross-entropy −log p_target of p = softmax(k·z), z = x (order 0) or φ(x), label smoothing ε;
 *  dx its gradient times dloss; grads as for multimax_backward (order > 0). */
export function cross_entropy(x: usize, dx: usize, mask: usize, rows: i32, cols: i32, k: f32, params: usize, order: i32, grads: usize, targets: usize, dloss: usize, loss: usize, ignore: i32, smoothing: f32): i32 {
  return cross_entropy_rows(x, dx, mask, rows, cols, k, params, order, grads, targets, dloss, loss, ignore, smoothing);
}

// ---- attention (attention/): q [B,H,Lq,D], k [B,Hkv,Lk,D], v [B,Hkv,Lk,Dv] (Hkv divides H),
// out and dOut [B,H,Lq,Dv], weights [B,H,Lq,Lk] (0: none), mask [B,Lk] bytes (0: none), kind:
// attention/rows.ts Norm; params: per head `order` records at paramStride bytes (0: shared).

/** Scratch bytes attention (backward = 0) or attention_backward (1) needs for these sizes. */
export function attention_scratch(Lq: i32, Lk: i32, D: i32, Dv: i32, backward: i32): f64 {
  return scratchBytes(Lq, Lk, D, Dv, backward != 0);
}

/** out = normaliser(scale·q·kᵀ, masked after any modulation)·v; returns the exceptional rows. */
export function attention(q: usize, k: usize, v: usize, out: usize, weights: usize, mask: usize, params: usize, scratch: usize,
  B: i32, H: i32, Hkv: i32, Lq: i32, Lk: i32, D: i32, Dv: i32, kind: i32, causal: i32, order: i32, paramStride: i32, scale: f32, alpha: f64, eps: f32): i32 {
  return attention_forward(q, k, v, out, weights, mask, params, scratch, B, H, Hkv, Lq, Lk, D, Dv, kind, causal, order, paramStride, scale, alpha, eps);
}

/** dq, dk, dv (and MultiMax's parameter gradients into grads, float64, added to) of ⟨dOut, out⟩. */
export function attention_grad(q: usize, k: usize, v: usize, dOut: usize, dq: usize, dk: usize, dv: usize, mask: usize, params: usize, grads: usize, scratch: usize,
  B: i32, H: i32, Hkv: i32, Lq: i32, Lk: i32, D: i32, Dv: i32, kind: i32, causal: i32, order: i32, paramStride: i32, gradStride: i32, scale: f32, alpha: f64, eps: f32): i32 {
  return attention_backward(q, k, v, dOut, dq, dk, dv, mask, params, grads, scratch, B, H, Hkv, Lq, Lk, D, Dv, kind, causal, order, paramStride, gradStride, scale, alpha, eps);
}
