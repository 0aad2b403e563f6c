// Exceptional rows, taken off the fast path by the row drivers (rows.ts). They are rare (an
// all-masked row, a +∞ entry, a NaN, or a MultiMax modulation that overflows float32), so they are
// written for clarity, not speed. Conventions (README, "Conventions"):
//   - a row with a NaN in an unmasked position: all NaN;
//   - a row whose unmasked entries are all −∞ (or that is fully masked): all 0 (log: all −∞);
//   - a row with +∞ entries: the mass is shared equally by the +∞ entries (the limit of softmax
//     as those entries grow), every other entry gets 0 (log: −log(count) and −∞).
import { exp64, log64 } from "./math/math64";

/** Fill y[0..n) with v. */
export function fill(y: usize, n: i32, v: f32): void {
  for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), v);
}

/** Softmax-family row from its (masked) logits z, when the fast path cannot finish it: m, the
 *  pmax of z, is ±∞ or NaN. z may equal y. */
export function special_row_from_z(z: usize, y: usize, n: i32, m: f32, log: bool): void {
  let nan = m != m, inf = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(z + (<usize>i << 2));
    if (v != v) nan = true;
    else if (v == Infinity) inf++;
  }
  if (nan) { fill(y, n, NaN); return; }
  if (inf == 0) { fill(y, n, log ? -Infinity : 0); return; }
  const p: f32 = log ? <f32>(-log64(<f64>inf)) : <f32>(1.0 / <f64>inf);
  const q: f32 = log ? -Infinity : 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(z + o) == Infinity ? p : q);
  }
}

/** φ(x) in float64, skipping terms whose coefficient is 0 (so that 0·∞ cannot arise), with
 *  φ(−∞) = −∞ and φ(+∞) = its limit: the sign of the highest-order nonzero upper coefficient c_n
 *  (n ≥ 2), else of 1 + c_1 (if 1 + c_1 = 0, φ tends to d_1). */
function phi64(x: f64, params: usize, order: i32): f64 {
  if (x == -Infinity) return x;
  if (x == Infinity) {
    for (let j = order - 1; j >= 1; j--) {
      const c = <f64>load<f32>(params + (<usize>j << 4), 8);
      if (c != 0) return c > 0 ? Infinity : -Infinity;
    }
    if (order == 0) return x;
    const slope = 1.0 + <f64>load<f32>(params, 8);
    return slope > 0 ? Infinity : slope < 0 ? -Infinity : <f64>load<f32>(params, 12);
  }
  let z = x;
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    const a = <f64>load<f32>(p), b = <f64>load<f32>(p, 4), c = <f64>load<f32>(p, 8), d = <f64>load<f32>(p, 12);
    if (a != 0) z += a * pow_n(b - x > 0 ? b - x : 0, j + 1);
    if (c != 0) z += c * pow_n(x - d > 0 ? x - d : 0, j + 1);
  }
  // Orders ≥ 8, or coefficients near the float32 limit, can overflow even float64; terms of
  // opposite infinite sign then meet (∞ − ∞).
  if (z != z) z = phi64_overflow(x, params, order);
  return z;
}

function pow_n(l: f64, n: i32): f64 {
  let r = l;
  for (let k = 1; k < n; k++) r *= l;
  return r;
}

/** φ(x) for finite x when float64 terms overflowed with opposite signs: the infinite terms are
 *  compared by log-magnitude (log|coef| + n·log l). If they do not cancel to float64 precision,
 *  their sum decides the sign of ±∞; if they do, what they leave is below the resolution of
 *  float64 at their size and is taken as 0, so φ is x plus the finite terms. Never NaN. */
function phi64_overflow(x: f64, params: usize, order: i32): f64 {
  let top: f64 = -Infinity;
  for (let pass = 0; pass < 2; pass++) {
    let big: f64 = 0, rest = x;
    for (let j = 0; j < order; j++) {
      const p = params + (<usize>j << 4);
      for (let side = 0; side < 2; side++) {
        const coef = <f64>load<f32>(p + (<usize>side << 3));
        const l = side == 0 ? <f64>load<f32>(p, 4) - x : x - <f64>load<f32>(p, 12);
        if (coef == 0 || !(l > 0)) continue;
        const v = coef * pow_n(l, j + 1);
        if (v - v == 0) { rest += v; continue; }
        const mag = log64(Math.abs(coef)) + <f64>(j + 1) * log64(l);
        if (pass == 0) top = Math.max(top, mag);
        else big += (coef > 0 ? 1.0 : -1.0) * exp64(mag - top);
      }
    }
    if (pass == 1) return Math.abs(big) > 1e-12 ? (big > 0 ? Infinity : -Infinity) : rest;
  }
  return x; // not reached
}

// @ts-ignore: decorator
@inline function logit64(x: usize, mask: usize, i: i32, params: usize, order: i32): f64 {
  if (mask != 0 && load<u8>(mask + <usize>i) == 0) return -Infinity;
  return phi64(<f64>load<f32>(x + (<usize>i << 2)), params, order);
}

/** A whole MultiMax (or log-MultiMax) row in float64 from the original inputs x: used when the
 *  float32 fast path saw a non-finite logit. In float64 the modulation of any finite float32 input
 *  stays finite for orders up to 7. y may equal x: the passes before the last only read x, and the
 *  last writes y[i] after reading x[i]. */
export function special_multimax_row(x: usize, y: usize, mask: usize, n: i32, params: usize, order: i32, log: bool): void {
  let m: f64 = -Infinity, nan = false;
  for (let i = 0; i < n; i++) {
    const z = logit64(x, mask, i, params, order);
    if (z != z) nan = true;
    else if (z > m) m = z;
  }
  if (nan) { fill(y, n, NaN); return; }
  if (m == Infinity || m == -Infinity) {
    // Reuse the float32 rule on the signs: count the +∞ logits.
    let inf = 0;
    for (let i = 0; i < n; i++) if (logit64(x, mask, i, params, order) == Infinity) inf++;
    const p: f32 = inf == 0 ? (log ? -Infinity : 0) : log ? <f32>(-log64(<f64>inf)) : <f32>(1.0 / <f64>inf);
    const q: f32 = log ? -Infinity : 0;
    for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), logit64(x, mask, i, params, order) == Infinity ? p : q);
    return;
  }
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += exp64(logit64(x, mask, i, params, order) - m);
  const lse = log64(sum);
  for (let i = 0; i < n; i++) {
    const d = logit64(x, mask, i, params, order) - m;
    store<f32>(y + (<usize>i << 2), <f32>(log ? d - lse : exp64(d) / sum));
  }
}
