// Row driver of ev-softmax. Memory contract as rows.ts, plus: support is 0 or one i32 per row
// (receives count(y > 0)). Exceptional rows (special.ts conventions): a NaN in a kept position →
// all NaN; all entries masked or −∞ → all 0; +∞ entries → equal shares among them. The return
// value counts them.
import { f32up } from "./math/acc";
import { countpos, expstore_thr, maxsum, maxsum_fast, scale } from "./config";
import { rowInput } from "./rows";
import { special_row_from_z } from "./special";
import { RMaxSumResult } from "./records";

/** The max pass's sum and count (records.ts), owned here. */
const MAXSUM = changetype<RMaxSumResult>(memory.data(offsetof<RMaxSumResult>(), 16));

/** ev-softmax row by row (official MultiMax repository, multihead_attention.py):
 *    y_i = exp(x_i − max)·w_i / Σ_j exp(x_j − max)·w_j,  w_i = eps if x_i < mean else 1,
 *  eps = 0 (eval) or 1e-6 (training). The mean is over the entries that are not −∞ (masked
 *  entries are −∞), summed in float64: exact for a constant row (n·v needs at most 24 + log2 n
 *  bits), which therefore stays uniform; upstream's float32 mean can round above v and zero the
 *  whole row. x < mean is decided exactly: x < mean ⟺ x < the smallest float32 ≥ mean. */
export function evsoftmax_rows(x: usize, y: usize, mask: usize, rows: i32, cols: i32, eps: f32, support: usize): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rowBytes, z = rowInput(x + <usize>r * rowBytes, yr, mask, r, cols);
    // unmasked rows: the fast sum (no −∞ test) where the build has one, redone carefully if it is
    // not finite
    let m: f32 = mask == 0 ? maxsum_fast(z, cols, MAXSUM) : NaN;
    if (!(MAXSUM.sum - MAXSUM.sum == 0 && m - m == 0)) m = maxsum(z, cols, MAXSUM);
    const s = MAXSUM.sum;
    if (m - m != 0 || s - s != 0) {
      special_row_from_z(z, yr, cols, s - s != 0 && m - m == 0 ? NaN : m, false);
      special++;
    } else {
      const thr = f32up(s / <f64>MAXSUM.count);
      const sum = expstore_thr(z, yr, cols, m, thr, eps);
      scale(yr, yr, cols, <f32>(1 / sum));
    }
    if (support != 0) store<i32>(support + (<usize>r << 2), countpos(yr, cols));
  }
  return special;
}
