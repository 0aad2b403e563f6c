// log64 and exp64: float64 logarithm and exponential without tables, for the rare paths that
// need float64 (log-softmax's per-row log Σ, the exceptional rows of special.ts, the float64
// finish of α-maps with α > 2). AssemblyScript's Math.log and Math.exp would bring 6 KB of lookup
// tables into the module; these bring none, at about twice their latency (once per row, or on
// slow paths only). Accuracy: within 2 ulp of the exact value (tested against Math.log/Math.exp
// in tests/assembly/math64.spec.ts).

import { lnf } from "./pow";

// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3FE62E42FEE00000: 32 significant bits, k·LN2_HI exact
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10; // ln 2 − LN2_HI
// @ts-ignore: decorator
@inline const INV_LN2: f64 = 1.44269504088896338700e+00;

/** ln x: −∞ at 0, NaN below 0 or for NaN, +∞ at +∞. x = 2^k·m with m in [√½, √2),
 *  s = (m − 1)/(m + 1), ln m = 2·atanh(s) = 2s·Σ s^(2j)/(2j + 1), j ≤ 11 (|s| ≤ 0.1716: the next
 *  term is below 2^-60 relative). */
export function log64(x: f64): f64 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let b = reinterpret<u64>(x), k = 0;
  if (b < 0x0010000000000000) { x *= 18014398509481984.0; b = reinterpret<u64>(x); k = -54; } // subnormal: scale by 2^54
  k += <i32>(b >> 52) - 1023;
  let m = reinterpret<f64>((b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000); // [1, 2)
  if (m > 1.4142135623730951) { m *= 0.5; k++; }
  const s = (m - 1) / (m + 1), s2 = s * s;
  let p = 1.0 / 23;
  p = p * s2 + 1.0 / 21; p = p * s2 + 1.0 / 19; p = p * s2 + 1.0 / 17; p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13; p = p * s2 + 1.0 / 11; p = p * s2 + 1.0 / 9; p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5; p = p * s2 + 1.0 / 3;
  const lnm = 2 * s + 2 * s * s2 * p;
  const kf = <f64>k;
  return kf * LN2_HI + (lnm + kf * LN2_LO);
}

/** e^x: 0 below −745.2, +∞ above 709.8, NaN for NaN. k = round(x/ln 2), r = x − k·ln 2 in two
 *  parts (|r| ≤ 0.35), e^r by its Taylor series to r^14/14! (the rest is below 2^-60), times 2^k
 *  in two steps (so that subnormal results come out right). */
export function exp64(x: f64): f64 {
  if (x != x) return x;
  if (x > 709.782712893384) return Infinity;
  if (x < -745.2) return 0;
  const kf = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - kf * LN2_HI) - kf * LN2_LO;
  let p = 1.0 / 87178291200; // 1/14!
  p = p * r + 1.0 / 6227020800; p = p * r + 1.0 / 479001600; p = p * r + 1.0 / 39916800;
  p = p * r + 1.0 / 3628800; p = p * r + 1.0 / 362880; p = p * r + 1.0 / 40320; p = p * r + 1.0 / 5040;
  p = p * r + 1.0 / 720; p = p * r + 1.0 / 120; p = p * r + 1.0 / 24; p = p * r + 1.0 / 6;
  p = p * r + 0.5; p = p * r + 1; p = p * r + 1;
  const k = <i32>kf, k1 = k >> 1, k2 = k - k1;
  return p * reinterpret<f64>(<u64>(k1 + 1023) << 52) * reinterpret<f64>(<u64>(k2 + 1023) << 52);
}

/** ln x for x ≥ 1 (a softmax row's Σ exp(z − max)), to about 1e-7 absolute: x = 2^k·m with m in
 *  [√½, √2), k·ln 2 in float64 plus the float32 ln m (pow.ts lnf, a few ulp of a value below 0.35,
 *  and m rounded to float32). For log-softmax's log Σ, whose result is rounded to float32: as fast
 *  as a table lookup, without the table. */
export function lnsum(x: f64): f64 {
  const b = reinterpret<u64>(x);
  let k = <i32>(b >> 52) - 1023;
  let m = reinterpret<f64>((b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
  if (m > 1.4142135623730951) { m *= 0.5; k++; }
  return <f64>k * 0.6931471805599453 + <f64>lnf(<f32>m);
}
