// Helpers for sparse.spec.ts (not a spec itself): row lengths, input distributions for the sparse
// normalisers, and an f64 reference of the threshold of the float32 problem.
import { getf, nextU32, setf, uniform, unit } from "./helpers";

/** XNNPACK-style lengths: every n in 1..40 (covers 15, 16, 17, 31, 32, 33), then around the
 *  tiles of 16 and a long row. */
export function sparseLengths(): i32[] {
  const a = new Array<i32>();
  for (let n = 1; n <= 40; n++) a.push(n);
  a.push(63); a.push(64); a.push(65); a.push(100); a.push(129); a.push(1000);
  return a;
}

// ---------------------------------------------------------------------------------------------
// Input distributions. Every row gets at least one finite entry (a finite maximum).

export const SD_UNIFORM: i32 = 0; // uniform [−3, 3]
export const SD_TIES: i32 = 1;    // multiples of 1/8 in [−2, 0]: many ties, often several at the max
export const SD_GAP: i32 = 2;     // one to three entries in [−0.5, 0.5], the rest −1e4…−1e30 or −3e38
export const SD_MASKED: i32 = 3;  // uniform [−2, 2] with ~35% −∞ (masked entries)
export const SD_OFFSET: i32 = 4;  // 1e4 + uniform [−2, 0] (coarse float32 grid there: ties)
export const SD_NEGOFF: i32 = 5;  // −1e4 + uniform [−0.5, 0.5]
export const SD_DENSE: i32 = 6;   // uniform [−0.02, 0]: everything in the support
export const SD_COUNT: i32 = 7;

export function distName(d: i32): string {
  return d == SD_UNIFORM ? "uniform" : d == SD_TIES ? "ties" : d == SD_GAP ? "gap" : d == SD_MASKED ? "masked"
    : d == SD_OFFSET ? "offset+1e4" : d == SD_NEGOFF ? "offset-1e4" : d == SD_DENSE ? "dense" : "specials";
}

export function fillSparse(p: usize, n: i32, dist: i32): void {
  if (dist == SD_UNIFORM) {
    for (let i = 0; i < n; i++) setf(p, i, uniform(-3, 3));
  } else if (dist == SD_TIES) {
    for (let i = 0; i < n; i++) setf(p, i, -<f32>(nextU32() % 17) * 0.125);
  } else if (dist == SD_GAP) {
    for (let i = 0; i < n; i++) {
      const r = nextU32() % 3;
      setf(p, i, r == 0 ? -1e4 - uniform(0, 100) : r == 1 ? -1e30 * (1 + unit()) : -3e38);
    }
    const k = 1 + <i32>(nextU32() % 3);
    for (let j = 0; j < k; j++) setf(p, <i32>(nextU32() % <u32>n), uniform(-0.5, 0.5));
  } else if (dist == SD_MASKED) {
    for (let i = 0; i < n; i++) setf(p, i, (nextU32() % 100) < 35 ? -Infinity : uniform(-2, 2));
    setf(p, <i32>(nextU32() % <u32>n), uniform(-2, 2));
  } else if (dist == SD_OFFSET) {
    for (let i = 0; i < n; i++) setf(p, i, <f32>1e4 + uniform(-2, 0));
  } else if (dist == SD_NEGOFF) {
    for (let i = 0; i < n; i++) setf(p, i, <f32>-1e4 + uniform(-0.5, 0.5));
  } else {
    for (let i = 0; i < n; i++) setf(p, i, uniform(-0.02, 0));
  }
}

/** max x[0..n) (NaN-free rows), in test code. */
export function rowMax(p: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) { const v = getf(p, i); if (v > m) m = v; }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Map configurations (assembly/threshold/params.ts): c, γ, and the bound exponent eb = 1/γ (γ ≥ 1) or 1 (γ < 1).

export class MapCfg {
  constructor(public name: string, public c: f32, public g: f32, public eb: f32) {}
}

export function mapConfigs(): MapCfg[] {
  const a = new Array<MapCfg>();
  a.push(new MapCfg("sparsemax", 1, 1, 1));
  a.push(new MapCfg("entmax15", 0.5, 2, 0.5));
  a.push(new MapCfg("normmax2", 1, 2, 0.5));
  a.push(new MapCfg("entmax a=4/3", <f32>(1.0 / 3.0), 3, <f32>(1.0 / 3.0)));
  a.push(new MapCfg("entmax a=1.25", 0.25, 4, 0.25));
  a.push(new MapCfg("entmax a=1.6", 0.6, <f32>(1.0 / 0.6), 0.6));
  a.push(new MapCfg("normmax a=4", 1, <f32>(4.0 / 3.0), 0.75));
  a.push(new MapCfg("entmax a=1.1", <f32>0.1, <f32>10, <f32>0.1));
  a.push(new MapCfg("entmax a=3", 2, 0.5, 1));
  return a;
}

// ---------------------------------------------------------------------------------------------
// The threshold of the float32 problem, in f64: X_i = (x_i − m)·c rounded as the kernels round
// it (float32), τ solves F(τ) = Σ max(X_i − τ, 0)^γ = 1 on [−1, 0]. A bracket down to float64
// resolution (bisection, then safeguarded Newton) with F summed by Neumaier's compensated sum:
// TAU_LO has F ≥ 1, TAU_HI has F < 1.
// The evaluation error of F (a few 1e-16 relative) moves the computed τ by at most ~1e-15·|τ|
// (F' ≤ −γ/|τ| at τ), far below the float32 resolution that a bound can be wrong by; the checks
// use TAU_HI + tauTol().

export let TAU_LO: f64 = 0;
export let TAU_HI: f64 = 0;

const tauX = new Array<f64>();

// @ts-ignore: decorator
@inline function powg(d: f64, g: f64): f64 {
  return g == 1 ? d : g == 2 ? d * d : g == 3 ? d * d * d : g == 4 ? (d * d) * (d * d) : Math.pow(d, g);
}

let F1ref: f64 = 0; // Σ d^(γ−1), set by Fref

function Fref(t: f64, g: f64): f64 {
  let s = 0.0, comp = 0.0, s1 = 0.0;
  for (let i = 0, k = tauX.length; i < k; i++) {
    const d = tauX[i] - t;
    if (!(d > 0)) continue;
    const q = powg(d, g);
    s1 += q / d;
    const u = s + q;
    comp += Math.abs(s) >= Math.abs(q) ? (s - u) + q : (q - u) + s;
    s = u;
  }
  F1ref = s1;
  return s + comp;
}

/** Bracket [lo, hi] of τ with F(lo) ≥ 1 > F(hi) down to float64 resolution: bisection to a
 *  width of 2^-10, then Newton steps inside the bracket (bisection when a step leaves it), and
 *  probes just beside the Newton limit to close the bracket. */
function bisect(g: f64): void {
  let lo = -1.0, hi = 0.0;
  for (let it = 0; it < 10; it++) {
    const mid = 0.5 * (lo + hi);
    if (Fref(mid, g) >= 1) lo = mid; else hi = mid;
  }
  let t = 0.5 * (lo + hi);
  for (let it = 0; it < 300; it++) {
    if (!(t > lo && t < hi)) { t = 0.5 * (lo + hi); if (!(t > lo && t < hi)) break; }
    const F = Fref(t, g);
    if (F >= 1) lo = t; else hi = t;
    if (F == 1) { // exactly on the root (in f64): close the bracket from above
      const up = t + Math.max(Math.abs(t) * 4.440892098500626e-16, 1e-300);
      if (up < hi) { t = up; continue; }
      break;
    }
    const step = (F - 1) / (g * F1ref);
    let tn = t + step;
    const eps = Math.max(Math.abs(t) * 4.440892098500626e-16, 1e-300);
    if (Math.abs(step) <= eps) tn = F > 1 ? t + eps : t - eps; // converged: probe the other side
    t = tn;
    if (hi - lo <= Math.max(Math.abs(lo) * 8.881784197001252e-16, 1e-300)) break;
  }
  TAU_LO = lo; TAU_HI = hi;
}

/** τ of the row x[0..n) with max m (plus the entry m itself when addMax: the smallest row that
 *  contains x[0..n) and has maximum m). Sets TAU_LO, TAU_HI. */
export function tauRow(x: usize, n: i32, m: f32, c: f32, g: f32, addMax: bool = false): void {
  tauX.length = 0;
  for (let i = 0; i < n; i++) {
    const X: f32 = (getf(x, i) - m) * c;
    if (X > -1) tauX.push(<f64>X);
  }
  if (addMax) tauX.push(0);
  bisect(<f64>g);
}

/** Allowance for the f64 evaluation of τ (see above); a float32 ulp of τ is ≥ 6e-8·|τ|. */
export function tauTol(): f64 {
  return 1e-13 * Math.abs(TAU_HI) + 1e-300;
}

/** The bracket is down to float64 resolution (else a check against TAU_HI would be too lax). */
export function tauConverged(): bool {
  return TAU_HI - TAU_LO <= 1e-14 * Math.abs(TAU_HI) + 1e-300;
}

/** Order key of a float32 (monotone: −x < … < −0 = +0 < … < x), for bisection over floats. */
export function f32key(v: f32): i32 {
  const b = reinterpret<i32>(v);
  return b >= 0 ? b : -(b & 0x7FFFFFFF);
}
export function f32fromKey(k: i32): f32 {
  return k >= 0 ? reinterpret<f32>(k) : reinterpret<f32>(<i32>0x80000000 | (-k));
}

/** Neumaier-compensated f64 sum of float32s (a near-exact reference for the f64 row sums). */
export function sumExact(p: usize, n: i32, skipNinf: bool): f64 {
  let s = 0.0, comp = 0.0;
  for (let i = 0; i < n; i++) {
    const q = <f64>getf(p, i);
    if (skipNinf && q == -Infinity) continue;
    const u = s + q;
    comp += Math.abs(s) >= Math.abs(q) ? (s - u) + q : (q - u) + s;
    s = u;
  }
  return s + comp;
}

/** |a − b| / max(|a|, |b|); 0 when equal (also ±∞ of one sign), ∞ when exactly one is NaN. */
export function relDiff(a: f64, b: f64): f64 {
  if (a == b) return 0;
  if (isNaN(a) && isNaN(b)) return 0;
  const d = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  return isNaN(d) ? Infinity : d;
}
