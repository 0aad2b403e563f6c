// multimax-wasm: the wasm module's exports. The loader (src/) knows only these names and the
// memory contract written in rows.ts; it knows nothing of the math.
import { multimax_rows, softmax_rows } from "./rows";
import { threshold_rows } from "./threshold/rows";
import { evsoftmax_rows } from "./evsoftmax";
import { ThresholdMap } from "./kinds";

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
