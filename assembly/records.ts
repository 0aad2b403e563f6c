// Records: the results that a kernel cannot return as its one return value, and the state that a
// driver keeps between calls, each in a named record instead of module globals. A record class is
// `@unmanaged` (no header, never allocated at run time); its instances live in static memory,
// zero-filled, and are owned by the code that calls the kernel (a driver, or a math helper), which
// passes its instance to the kernel as the last argument and reads the fields right after:
//
//   const SUMS = changetype<RThreshResult>(memory.data(offsetof<RThreshResult>(), 16));
//   f32_rthresh_p1__wasmsimd_u16(x, ys, n, m, c, t, SUMS); const k = SUMS.count;
//
// One record class per kernel family (both twins fill the same fields); fields are named for what
// they hold. A field is a plain load or store at a constant address (binaryen folds a store and
// the load that follows it when both end up in one function).
import { Pow } from "./kinds";

// ---- kernel results

/** One pass of a threshold search (f32-rthresh-*, contract in their scalar kernels): over the
 *  entries with d = X − t > 0 (for near-1 passes, u = X − s > −1). */
@unmanaged export class RThreshResult {
  /** Their number. */
  count: i32 = 0;
  /** Their smallest d (+∞ when there is none; +∞ as well for near-1 passes, which do not compute it). */
  min: f32 = 0;
  /** Their sums by power kind: Σ d (K = 1, 2) or Σ d^γ (other K). */
  s1: f64 = 0;
  /** Σ d² (K = 2) or Σ d^(γ−1) (K = 0, 4, 5); 0 for K = 1. */
  s2: f64 = 0;
  /** Σ d^(γ−2) (K = 0, 4, 5); 0 for K = 1, 2. */
  s3: f64 = 0;
}

/** The output pass of the threshold maps (f32-vthreshpow-*; the kernels return Σ y). */
@unmanaged export class VThreshPowResult {
  /** count(y > 0). */
  count: i32 = 0;
}

/** Row max and mean (f32-rmaxsum-*; the kernels return the max). */
@unmanaged export class RMaxSumResult {
  /** The number of entries ≠ −∞ (the fast kernel counts every entry). */
  count: i32 = 0;
  /** Their sum in float64. */
  sum: f64 = 0;
}

/** The candidate filter (f32-vfilter-*; the kernels return the list's length, or −1). */
@unmanaged export class VFilterResult {
  /** The final lower bound t of the threshold (X units): every entry left out has X ≤ t. Valid
   *  also when the filter gave up. */
  bound: f32 = 0;
}

/** The sums over a candidate list (math/list.ts sums0, sums1), owned by `tighten`. */
@unmanaged export class ListSums {
  /** sums0: the number of entries with X > t. */
  count: i32 = 0;
  /** sums0: Σ X over them. */
  sum: f64 = 0;
  /** sums1: F = Σ d^g over d = X − t > 0. */
  f: f64 = 0;
  /** sums1: Σ d^(g−1) over the same entries (F′ = −g times it). */
  f1: f64 = 0;
}

// ---- driver state (threshold maps)

/** The last pass of a threshold search on K = 1, 2 (threshold/search.ts michelot, quadratic): the
 *  outputs come from the max(X − t, 0) it stored (f32-vrelusub). */
@unmanaged export class LastPass {
  /** Its centre t (X units). */
  t: f32 = 0;
  /** count(d > 0). */
  count: i32 = 0;
  /** Σ d over d > 0. */
  s1: f64 = 0;
}

/** F at τ in float64 over the candidates (threshold/finish64.ts eval64). */
@unmanaged export class Eval64 {
  /** F(τ) − 1. */
  f: f64 = 0;
  /** F′(τ) = −γ·Σ d^(γ−1). */
  df: f64 = 0;
}

/** A threshold map's constants for one α (threshold/params.ts setup), kept across rows and
 *  recomputed only when α or the map changes. The owner's static data must start with alpha = NaN
 *  (so that the first row runs setup) and span at least MAP_CONSTANTS_BYTES. */
@unmanaged export class MapConstants {
  /** The α these constants are for (NaN: none yet). */
  alpha: f64 = NaN;
  /** X = (x − m)·c. */
  c: f64 = 0;
  /** γ: F(τ) = Σ max(X − τ, 0)^γ. */
  gamma: f64 = 0;
  /** e: y = max(X − τ, 0)^e. */
  e: f64 = 0;
  /** The search's power kind (of γ). */
  K: Pow = Pow.General;
  /** The output pass's power kind (of e). */
  E: Pow = Pow.General;
  /** The power-mean bound's exponent (math/list.ts): 1/γ for γ ≥ 1, else 1. */
  eb: f32 = 0;
  /** α-normmax (else α-entmax). */
  normmax: bool = false;
  /** Outputs divided by their sum (all but sparsemax and 1.5-entmax). */
  norm: bool = true;
}

/** Static bytes reserved for a MapConstants (checked in threshold/params.ts). */
// @ts-ignore: decorator
@inline export const MAP_CONSTANTS_BYTES: usize = 48;

// ---- backward passes and losses (backward/normalisers.ts, backward/loss.ts)

/** The gradient weights of the α-entmax backward (f32-rdotpow-*; the kernels return Σ dy·g). */
@unmanaged export class RDotPowResult {
  /** Σ g over the kept support (for e = 0: its size). */
  sum: f64 = 0;
}

/** The sparsemax backward's reduction (f32-rsumpos-*; the kernels return Σ dy over the support). */
@unmanaged export class RSumPosResult {
  /** The size of the kept support, count(y > 0). */
  count: i32 = 0;
}

/** The normmax backward's reduction (f32-rnormmax-*; the kernels return Σ dy·b). */
@unmanaged export class RNormmaxResult {
  /** Σ dy·a (a = y on the support). */
  sa: f64 = 0;
  /** Σ b (b = y^(2−α) on the support). */
  sb: f64 = 0;
  /** Σ a^α. */
  sp: f64 = 0;
}

/** The sparsemax and 1.5-entmax loss sums over p > 0 (f32-rfyscale-*; the kernels return Σ p·x).
 *  The SIMD kernel accumulates f64x2 pairs here (Σ p·x at 0, Σ h at 16: 16-aligned) instead of in
 *  locals: V8 ran its loop 2.5× slower with loop-carried accumulators beside the skip branch. */
@unmanaged export class RFyScaleResult {
  d0: f64 = 0;
  d1: f64 = 0;
  h0: f64 = 0;
  h1: f64 = 0;
  /** Σ h(p): p² or p^1.5. */
  sum: f64 = 0;
}

/** The Fenchel–Young loss sums over p > 0 (f32-rfyloss-scalar; the kernel returns Σ p·x). */
@unmanaged export class RFyLossResult {
  /** Σ h(p): p − p^α (any α ≠ 1), or −p·ln p (α = 1). */
  sum: f64 = 0;
}
