// Row drivers of softmax and MultiMax: normalise `rows` rows of `cols` floats, row-major, calling
// one operation per pass (config.ts, which picks the wasm SIMD or the scalar kernel of each). A
// row goes through three passes (max; exp, store and sum; scale or shift); rows that cannot be
// finished on the fast path go to special.ts. Each driver returns the number of rows that took
// that exceptional path.
//
// Memory contract (the loader guarantees it): x and y are either equal (in place) or disjoint;
// mask is 0 or rows·cols bytes (0 = masked out); params holds `order` 16-byte records; tmp is 0 or
// room for one row of cols floats, required when MultiMax runs in place (x == y), so that x
// survives until the row is known to be finished.
import { lnsum } from "./math/math64";
import { expstore, expsum, maskcopy, modmax, modmax_fast, rmax, scale, subsub } from "./config";
import { fill, special_multimax_row, special_row_from_z } from "./special";

/** Finish a row from its logits z (max m finite) into y. softmax: mid = exp((z − m)·k), then
 *  y = mid / Σ (mid is y when z may be overwritten early, else z itself, so that a row that must
 *  be redone still has its inputs); log-softmax (k = 1): y = (z − m) − log Σ exp(z − m).
 *  Returns false, with y untouched, if z held a NaN. */
function finish(z: usize, mid: usize, y: usize, n: i32, m: f32, k: f32, log: bool): bool {
  if (log) {
    const sum = expsum(z, n, m);
    if (!(sum >= 1)) return false; // the max element contributes exp(0) = 1: only a NaN gets here
    subsub(z, y, n, m, <f32>lnsum(sum));
  } else {
    const sum = expstore(z, mid, n, m, k);
    if (!(sum >= 1)) return false;
    scale(mid, y, n, <f32>(1.0 / sum));
  }
  return true;
}

/** Row r's input for the threshold and ev-softmax drivers: x's row, or (with a mask) its masked
 *  copy in y's row (masked entries −∞). */
// @ts-ignore: decorator
@inline export function rowInput(xr: usize, yr: usize, mask: usize, r: i32, cols: i32): usize {
  if (mask == 0) return xr;
  maskcopy(xr, yr, mask + <usize>r * <usize>cols, cols);
  return yr;
}

/** softmax of one row z (max m finite, no NaN) into y: the α = 1 case of α-entmax. */
export function softmax_row(z: usize, y: usize, n: i32, m: f32): void {
  finish(z, y, y, n, m, 1, false);
}

/** The logits' max of row r: x's row, or with a mask its masked copy written to y's row. */
// @ts-ignore: decorator
@inline function rowmax(x: usize, y: usize, mask: usize, r: i32, cols: i32): f32 {
  const o = <usize>r * (<usize>cols << 2);
  return mask != 0 ? maskcopy(x + o, y + o, mask + <usize>r * <usize>cols, cols) : rmax(x + o, cols);
}

/** softmax (log = false, temperature applied as k = 1/T) or log-softmax (log = true, k = 1).
 *  Software-pipelined by one row: the max pass of row r + 1 runs between row r's sum and its
 *  normalisation pass, so that the sum's reduction and division (a dependency chain of some 40
 *  cycles) overlap independent work (3–5% faster at 128 columns, measured in interleaved A/B runs).
 *  Rows are independent, so the order of the passes changes nothing in the results. */
export function softmax_rows(x: usize, y: usize, mask: usize, rows: i32, cols: i32, k: f32, log: bool): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  let next = rows > 0 ? rowmax(x, y, mask, 0, cols) : 0;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes, yr = y + <usize>r * rowBytes;
    // logits: x itself, or with a mask its masked copy in y
    const z = mask != 0 ? yr : xr;
    const m = next;
    const more = r + 1 < rows;
    if (m - m != 0) {
      special_row_from_z(z, yr, cols, m, log);
      special++;
      if (more) next = rowmax(x, y, mask, r + 1, cols);
      continue;
    }
    // exp from z straight into y (a NaN row needs no inputs: it is all NaN), then normalise y
    const sum = log ? expsum(z, cols, m) : expstore(z, yr, cols, m, k);
    if (more) next = rowmax(x, y, mask, r + 1, cols);
    if (!(sum >= 1)) { fill(yr, cols, NaN); special++; continue; } // the max contributes exp(0) = 1: only a NaN gets here
    if (log) subsub(z, yr, cols, m, <f32>lnsum(sum));
    else scale(yr, yr, cols, <f32>(1.0 / sum));
  }
  return special;
}

/** MultiMax (log = false) or log-MultiMax (log = true): softmax of φ(x), mask applied after φ.
 *  The logits z go to tmp when given (in place, x == y), else to y; x is not written before the
 *  last pass, so a row whose fast pass saw a NaN (a −∞ input, an overflow, a NaN input) is redone
 *  from x with the careful kernel, then, if its max is not finite, in float64 (special.ts). */
export function multimax_rows(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, params: usize, order: i32, log: bool): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes, yr = y + <usize>r * rowBytes;
    const mr = mask != 0 ? mask + <usize>r * <usize>cols : 0;
    const z = tmp != 0 ? tmp : yr;
    let m = modmax_fast(xr, z, mr, cols, params, order);
    if (m - m == 0 && finish(z, z, yr, cols, m, 1, log)) continue;
    special++;
    m = modmax(xr, z, mr, cols, params, order);
    if (m - m != 0) { special_multimax_row(xr, yr, mr, cols, params, order, log); continue; }
    finish(z, z, yr, cols, m, 1, log); // no NaN in z and a finite max: cannot fail
  }
  return special;
}
