// Backward passes of the normalisers computed from their output y alone (as the `entmax` package
// computes them): softmax (and ev-softmax), log-softmax, and the threshold maps (sparsemax,
// 1.5-entmax, α-entmax, α-normmax). Memory contract (index.ts): y, dy, dx are rows·cols floats,
// dx may equal y and is disjoint from dy; mask is 0 or rows·cols bytes (0 = masked). Masked
// entries get dx = +0 whatever dy and y hold there and add to no sum; a fully masked row is all 0.
// Each row is two passes (config.ts operations): a reduction in float64, then the output pass.
// Each driver returns the number of rows whose reduction came out NaN or ±∞ (a statistic: such
// rows have NaN or ±∞ in a kept dy or y, and their dx shows it).
import { exp64, log64 } from "../math/math64";
import { rdot, rdotpow, rnormmax, rsum, rsumpos, vnormmax, vsubexp, vsubmul, vsubpos } from "../config-backward";
import { ThresholdMap } from "../kinds";
import { RDotPowResult, RNormmaxResult, RSumPosResult } from "../records";

/** The records this driver owns (records.ts). */
const DOTPOW = changetype<RDotPowResult>(memory.data(offsetof<RDotPowResult>(), 16));
const NORMMAX = changetype<RNormmaxResult>(memory.data(offsetof<RNormmaxResult>(), 16));
const SUMPOS = changetype<RSumPosResult>(memory.data(offsetof<RSumPosResult>(), 16));

// @ts-ignore: decorator
@inline function bad(v: f64): i32 {
  return i32(v - v != 0);
}

/** dx = k·g ⊙ (dy − s) where g ≠ 0 and kept (f32-vsubmul), s passed as two floats. */
// @ts-ignore: decorator
@inline function subScaled(g: usize, dy: usize, dx: usize, mask: usize, n: i32, s: f64, k: f32): void {
  const hi = <f32>s;
  vsubmul(g, dy, dx, mask, n, hi, <f32>(s - <f64>hi), k);
}

/** dx = k·y ⊙ (dy − Σ dy·y) per row (softmax with k = 1/T; ev-softmax with k = 1). */
export function softmax_backward_rows(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32, k: f32): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes, mr = mask != 0 ? mask + <usize>r * <usize>cols : 0;
    const s = rdot(dy + o, y + o, mr, cols);
    special += bad(s);
    subScaled(y + o, dy + o, dx + o, mr, cols, s, k);
  }
  return special;
}

/** dx = dy − exp(y)·Σ dy per row (y = log_softmax(x)). */
export function log_softmax_backward_rows(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes, mr = mask != 0 ? mask + <usize>r * <usize>cols : 0;
    const s = rsum(dy + o, mr, cols);
    special += bad(s);
    vsubexp(y + o, dy + o, dx + o, mr, cols, <f32>s);
  }
  return special;
}

/** One α-entmax row: g = y^(2−α) on the support S = {y > 0} (α = 2: 1; α = 1: y), q = Σ dy·g / Σ g,
 *  dx = g ⊙ (dy − q) on S, 0 elsewhere. Returns 1 if the sums are not finite. */
function entmax_row(y: usize, dy: usize, dx: usize, mask: usize, n: i32, alpha: f64): i32 {
  let s: f64, sg: f64, g = dx;
  if (alpha == 2) {
    // sparsemax, g = 1 on S: q = Σ_S dy / |S|, dx = dy − q on S; y's sign is all that is read
    s = rsumpos(y, dy, mask, n, SUMPOS);
    const k = SUMPOS.count, q = k > 0 ? s / <f64>k : 0, hi = <f32>q;
    vsubpos(y, dy, dx, mask, n, hi, <f32>(q - <f64>hi));
    return bad(q);
  }
  if (alpha == 1) {
    // g = y: the softmax passes, with Σ y (≈ 1) as the entmax package divides by it
    s = rdot(dy, y, mask, n);
    sg = rsum(y, mask, n);
    g = y;
  } else {
    // the weights g go to dx (dx may be y: y is read before its g is written)
    s = rdotpow(y, dy, dx, mask, n, <f32>(2 - alpha), DOTPOW);
    sg = DOTPOW.sum;
  }
  const q = sg > 0 ? s / sg : 0;
  subScaled(g, dy, dx, mask, n, q, 1);
  return bad(q);
}

/** One α-normmax row: a = y, b = y^(2−α) on S; dx = (dy·b − Sb·a − Sa·(b − B·a))·P^((α−1)/α)/(α − 1)
 *  with Sb = Σ dy·b, Sa = Σ dy·a, B = Σ b, P = Σ a^α. Returns 1 if the sums are not finite. */
function normmax_row(y: usize, dy: usize, dx: usize, mask: usize, n: i32, alpha: f64): i32 {
  const e = <f32>(2 - alpha);
  const sdb = rnormmax(y, dy, mask, n, e, <f32>alpha, NORMMAX);
  const sda = NORMMAX.sa, w = sdb - sda * NORMMAX.sb;
  const c = NORMMAX.sp > 0 ? exp64(log64(NORMMAX.sp) * ((alpha - 1) / alpha)) / (alpha - 1) : 0;
  vnormmax(y, dy, dx, mask, n, e, <f32>sda, <f32>w, <f32>c, NORMMAX);
  return bad(w * c);
}

/** The threshold maps' backward from y alone, row by row (kind: kinds.ts ThresholdMap; alpha: one
 *  f64 per row at alphaStride bytes, 0: one value, read for Entmax and Normmax). */
export function sparse_backward_rows(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32, kind: i32, alpha: usize, alphaStride: i32): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes, mr = mask != 0 ? mask + <usize>r * <usize>cols : 0;
    const a: f64 = kind == ThresholdMap.Sparsemax ? 2 : kind == ThresholdMap.Entmax15 ? 1.5 : load<f64>(alpha + <usize>r * <usize>alphaStride);
    special += kind == ThresholdMap.Normmax ? normmax_row(y + o, dy + o, dx + o, mr, cols, a) : entmax_row(y + o, dy + o, dx + o, mr, cols, a);
  }
  return special;
}
