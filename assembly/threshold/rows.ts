// Row driver of the threshold maps: sparsemax, 1.5-entmax, α-entmax, α-normmax. Same memory
// contract as rows.ts, plus: tmp is room for two rows of cols floats (candidate values and their
// indices; at least 16 floats), support is 0 or one i32 per row (receives count(y > 0)), alpha is
// one f64 per row at stride alphaStride (0: one value).
//
// Threshold maps. With w = x − max(x) (≤ 0, max entry 0) and X = c·w, each map is
//     y_i = max(X_i − τ, 0)^e   (then divided by Σ y for α-entmax and normmax)
// where τ solves  F(τ) = Σ_i max(X_i − τ, 0)^γ = 1,  τ in [−1, 0):
//   sparsemax (Martins & Astudillo 2016)          c = 1,      γ = 1,          e = 1
//   1.5-entmax (Peters, Niculae & Martins 2019)   c = ½,      γ = 2,          e = 2
//   α-entmax (ibid.; entmax.entmax_bisect)        c = α − 1,  γ = 1/(α − 1),  e = γ
//   α-normmax (entmax.normmax_bisect)             c = 1,      γ = α/(α − 1),  e = 1/(α − 1)
// F is decreasing; τ = −1 is a lower bound (the max entry alone gives F ≥ 1) and 0 an upper one,
// and the threshold of any subset S of the row is a lower bound of the row's (F_row ≥ F_S).
// No sort. Per row (threshold_row):
//   1. the max pass keeps its 16 lane maxima (f32-rmaxlanes), a subset of the row: their own
//      threshold, bounded from below in four vector registers (math/list.ts bound16), starts the
//      search.
//   2. candidates (rows of FILTER_MIN or more, and every row for powers other than 1, 2 and 4):
//      one streaming pass (f32-vfilter) lists the entries above the bound, raising it from the
//      list when it fills up; on long rows it gives up past cols/8 candidates (dense rows).
//   3. the search, over the list or the row (threshold/search.ts; f32-rthresh, one vector pass
//      per step): Michelot's method (γ = 1), Newton and the exact quadratic root (γ = 2),
//      Halley's method in a bracket (other γ).
//   4. outputs: ((x − m)·c − τhi) − τlo with τ carried as two floats, never x − (m + τ), which
//      loses the low bits of τ when |m| is large (f32-vthreshpow; on short rows with γ = 1, 2 the
//      last search pass stores max(X − t, 0) and f32-vrelusub finishes it). Exponents below 1
//      (α > 2) are finished in float64 (threshold/finish64.ts); α within 1/64 of 1 searches
//      s = τ + 1 and computes (1 + u)^e from ln(1 + u) (K = E = Pow.Near1).
// The map's constants (c, γ, e, their power kinds) come from threshold/params.ts.
//
// Exceptional rows (special.ts conventions): a NaN in a kept position → all NaN; all entries
// masked or −∞ → all 0; +∞ entries → equal shares among them. The return value counts them.
import { f32down } from "../math/acc";
import { bound16, tighten } from "../math/list";
import { countpos, filter, rmaxlanes, scale, vrelusub, vthreshpow } from "../config";
import { rowInput, softmax_row } from "../rows";
import { special_row_from_z } from "../special";
import { Pow, ThresholdMap } from "../kinds";
import { LastPass, MapConstants, VFilterResult, VThreshPowResult } from "../records";
import { setup } from "./params";
import { halley, search } from "./search";
import { finish64, scatter } from "./finish64";

/** Rows at least this long search the whole row when the filter finds them dense. */
// @ts-ignore: decorator
@inline const FILTER_MIN: i32 = 512;

/** The records this driver owns (records.ts): the search's last pass, the output pass's count, the
 *  filter's bound, and the map's constants (whose static data starts with alpha = NaN, so that
 *  the first row runs setup; 48 bytes, checked by setup against MAP_CONSTANTS_BYTES). */
const LAST = changetype<LastPass>(memory.data(offsetof<LastPass>(), 16));
const OUT = changetype<VThreshPowResult>(memory.data(offsetof<VThreshPowResult>(), 16));
const FILTER = changetype<VFilterResult>(memory.data(offsetof<VFilterResult>(), 16));
const MAP = changetype<MapConstants>(memory.data<f64>([NaN, 0, 0, 0, 0, 0], 16));

/** The outputs of a whole row from τ (as τhi + τlo), normalised when norm (scale rounded down:
 *  y ≤ 1); returns count(y > 0). */
function outputRow(E: Pow, z: usize, y: usize, n: i32, m: f32, c: f32, tau: f64, e: f32, norm: bool): i32 {
  const hi = <f32>tau, lo = <f32>(tau - <f64>hi);
  const sum = vthreshpow(E, z, y, n, m, c, hi, lo, e, OUT);
  const k = OUT.count;
  if (norm) scale(y, y, n, f32down(1 / sum));
  return k;
}

/** One threshold-map row z (no NaN known yet) into y, vals/idx: room for n candidates each.
 *  normmax: α-normmax, else α-entmax (α = 2: sparsemax, 1.5: entmax-1.5). Returns count(y > 0),
 *  or −1 for an exceptional row (y then holds its special.ts result). */
function threshold_row(z: usize, y: usize, vals: usize, idx: usize, n: i32, normmax: bool, alpha: f64): i32 {
  // the row max (a NaN or ±∞ makes the row exceptional), and its 16 lane maxima in vals
  const m = rmaxlanes(z, n, vals);
  if (m - m != 0) { special_row_from_z(z, y, n, m, false); return -1; }
  if (!normmax && alpha == 1) {
    softmax_row(z, y, n, m);
    return countpos(y, n);
  }
  if (alpha != MAP.alpha || normmax != MAP.normmax) setup(MAP, normmax, alpha);
  const c = MAP.c, gamma = MAP.gamma, e = MAP.e, norm = MAP.norm, K = MAP.K, E = MAP.E, eb = MAP.eb, c32 = <f32>c;
  if (e > 64) {
    // α within 1/64 of 1: p = d^e with d = X − τ ≈ 1 would turn float32's spacing of d into a
    // relative error of 6e-8·e; instead the unknown is s = τ + 1 and p = (1 + u)^e with
    // u = X − s and ln(1 + u) from u (f32-rthresh p1p, f32-vthreshpow e1p). Dense rows: no list.
    const s = halley(z, n, m, c32, 0, Pow.Near1, gamma); // (s = 0, τ = −1, is a lower bound)
    return outputRow(Pow.Near1, z, y, n, m, c32, s, <f32>e, true);
  }
  // a starting bound from the 16 lane maxima of the max pass (a subset of the row)
  let t = bound16(vals, m, c32, eb, <f32>gamma);
  // Candidates: short rows with integer powers (1, 2, 4) are searched directly (a few cheap passes
  // cost less than building a list); the general power, exp(γ·ln d) per entry and pass, is worth
  // a list on any row. Short rows: the list never gives up (at worst it is the row); long ones:
  // past n/8 entries.
  let len = -1;
  if (n >= FILTER_MIN || K == Pow.General) {
    // short rows: no giving up; and no tightening for the cheap integer powers (the bound after
    // the filter is enough), but for the general power, whose passes cost a power per entry
    const limit = n < FILTER_MIN ? 0x7FFFFFFF : n >> 3;
    const cap0 = n < FILTER_MIN && K != Pow.General ? 0x7FFFFFFF : 64;
    len = filter(z, n, vals, idx, m, c32, t, eb, <f32>gamma, limit, cap0, FILTER);
    t = FILTER.bound;
  }
  const a = len >= 0 ? vals : z, na = len >= 0 ? len : n;
  if (len >= 0 && K != Pow.One) t = tighten(vals, len, m, c32, t, eb, <f32>gamma); // (Michelot's first step is this bound)
  if (len < 0 && (K == Pow.One || K == Pow.Two) && (E == Pow.One || E == Pow.Two)) {
    // the whole row, K = 1 or 2: the passes store max(X − t, 0) (into y, or into the scratch when
    // y is the input), and the outputs come from the last pass's: y = s·max(d − δ, 0)^E, δ = τ − t;
    // normmax's s from that pass's sums: Σ_S (d − δ) = S1 − k·δ
    const ys = z != y ? y : vals;
    const tau = search(z, n, m, c32, t, K, gamma, ys, LAST);
    const delta = tau - <f64>LAST.t;
    const hi = <f32>delta, lo = <f32>(delta - <f64>hi);
    const s: f32 = norm ? f32down(1 / (LAST.s1 - <f64>LAST.count * delta)) : 1;
    return vrelusub(E, ys, y, n, hi, lo, s);
  }
  let tau = search(a, na, m, c32, t, K, gamma, 0, LAST);
  // sensitive outputs: exponent below 1 (α > 2): finished in float64
  if (e < 1) return finish64(z, y, n, vals, idx, m, c, tau, gamma, e, eb);
  // no list, or many candidates: one vector pass over the row
  if (len < 0 || len > n >> 2) return outputRow(E, z, y, n, m, c32, tau, <f32>e, norm);
  const hi = <f32>tau, lo = <f32>(tau - <f64>hi);
  const sum = vthreshpow(E, vals, vals, len, m, c32, hi, lo, <f32>e, OUT); // p of each candidate, in place
  const k = OUT.count;
  scatter(y, n, vals, idx, len, norm ? f32down(1 / sum) : 1); // (z may be y: the candidates are in vals)
  return k;
}

/** Threshold maps row by row (kind: kinds.ts ThresholdMap).
 *  tmp: room for 2·cols values (candidate values, then their indices). */
export function threshold_rows(x: usize, y: usize, tmp: usize, mask: usize, rows: i32, cols: i32, kind: ThresholdMap, alpha: usize, alphaStride: i32, support: usize): i32 {
  let special = 0;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const yr = y + <usize>r * rowBytes, z = rowInput(x + <usize>r * rowBytes, yr, mask, r, cols);
    const a: f64 = kind == ThresholdMap.Sparsemax ? 2 : kind == ThresholdMap.Entmax15 ? 1.5 : load<f64>(alpha + <usize>r * <usize>alphaStride);
    let k = threshold_row(z, yr, tmp, tmp + rowBytes, cols, kind == ThresholdMap.Normmax, a);
    if (k < 0) { k = countpos(yr, cols); special++; }
    if (support != 0) store<i32>(support + (<usize>r << 2), k);
  }
  return special;
}
