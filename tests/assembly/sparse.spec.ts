// The sparse-normaliser kernels (assembly/kernels/, used by assembly/sparse.ts): every wasm SIMD
// kernel against its scalar twin, and the candidate-list kernels (f32-vfilter, list.ts) and the
// power (pow.ts) against the contracts in their header comments, with an f64 reference of the
// threshold of the float32 problem (sparse-helpers.ts). XNNPACK habits: every length 1..40 and
// around the tiles (63, 64, 65, 100, 129, 1000), misaligned rows, ties, huge gaps, −∞ (masked)
// entries, offsets of ±1e4, deterministic pseudo-random data (xorshift32, seeded per test).
import { R_COUNT, R_MIN, R_S1, R_S2, R_S3, f32down, f32up } from "../../assembly/kernels/acc";
import { f32_rmaxnan__scalar } from "../../assembly/kernels/f32-rmaxnan-scalar";
import { f32_rmaxnan__wasmsimd_pmax_u16 } from "../../assembly/kernels/f32-rmaxnan-wasmsimd-pmax-u16";
import { f32_rmaxlanes__scalar } from "../../assembly/kernels/f32-rmaxlanes-scalar";
import { f32_rmaxlanes__wasmsimd_pmax_u16 } from "../../assembly/kernels/f32-rmaxlanes-wasmsimd-pmax-u16";
import { f32_rmaxsum__scalar } from "../../assembly/kernels/f32-rmaxsum-scalar";
import { f32_rmaxsum__wasmsimd_u8, f32_rmaxsum_fast__wasmsimd_u8 } from "../../assembly/kernels/f32-rmaxsum-wasmsimd-u8";
import { f32_rcountpos__scalar } from "../../assembly/kernels/f32-rcountpos-scalar";
import { f32_rcountpos__wasmsimd_u8 } from "../../assembly/kernels/f32-rcountpos-wasmsimd-u8";
import { FILTER_CAP0, f32_vfilter__scalar } from "../../assembly/kernels/f32-vfilter-scalar";
import { f32_vfilter__wasmsimd_u16 } from "../../assembly/kernels/f32-vfilter-wasmsimd-u16";
import { bound16, compact, raw_bound, tighten } from "../../assembly/kernels/list";
import {
  f32_rthresh_p1__scalar, f32_rthresh_p2__scalar, f32_rthresh_p4__scalar, f32_rthresh_pg__scalar,
} from "../../assembly/kernels/f32-rthresh-scalar";
import {
  f32_rthresh_p1__wasmsimd_u16, f32_rthresh_p2__wasmsimd_u16, f32_rthresh_p4__wasmsimd_u16, f32_rthresh_pg__wasmsimd_u16,
} from "../../assembly/kernels/f32-rthresh-wasmsimd-u16";
import {
  f32_vthreshpow_e1__scalar, f32_vthreshpow_e2__scalar, f32_vthreshpow_e4__scalar, f32_vthreshpow_eg__scalar,
} from "../../assembly/kernels/f32-vthreshpow-scalar";
import {
  f32_vthreshpow_e1__wasmsimd_u16, f32_vthreshpow_e2__wasmsimd_u16, f32_vthreshpow_e4__wasmsimd_u16, f32_vthreshpow_eg__wasmsimd_u16,
} from "../../assembly/kernels/f32-vthreshpow-wasmsimd-u16";
import { f32_vrelusub_e1__scalar, f32_vrelusub_e2__scalar } from "../../assembly/kernels/f32-vrelusub-scalar";
import { f32_vrelusub_e1__wasmsimd_u16, f32_vrelusub_e2__wasmsimd_u16 } from "../../assembly/kernels/f32-vrelusub-wasmsimd-u16";
import { f32_raddstoreexpminusmax_thr__scalar_rr2_p5 } from "../../assembly/kernels/f32-raddstoreexpminusmax-thr-scalar-rr2-p5";
import { f32_raddstoreexpminusmax_thr__wasmsimd_rr2_p5_u16 } from "../../assembly/kernels/f32-raddstoreexpminusmax-thr-wasmsimd-rr2-p5-u16";
import { f32_raddstoreexpminusmax__scalar_rr2_p5 } from "../../assembly/kernels/f32-raddstoreexpminusmax-scalar-rr2-p5";
import { lnf, lnv, powf_pos, powv } from "../../assembly/kernels/pow";
import {
  alloc, allocF32, bitsf, copyF32, describeF32, firstBitMismatch, getf, guardsIntact, nextU32,
  releaseAll, sameF32, seed, setf, uniform, unit,
} from "./helpers";
import {
  MapCfg, SD_COUNT, SD_DENSE, SD_GAP, SD_MASKED, SD_TIES, SD_UNIFORM, TAU_HI, TAU_LO, distName,
  f32fromKey, f32key, fillSparse, mapConfigs, relDiff, rowMax, sparseLengths, sumExact, tauConverged, tauRow, tauTol,
} from "./sparse-helpers";

// ---------------------------------------------------------------------------------------------
// Small shared pieces.

function ctx(name: string, n: i32, dist: i32, off: i32): string {
  return name + ": n=" + n.toString() + " dist=" + distName(dist) + " offset=" + off.toString();
}

/** The row as float32 bit patterns (failure messages: the exact failing input). */
function dumpRow(x: usize, n: i32): string {
  let s = "[";
  const k = n < 80 ? n : 80;
  for (let i = 0; i < k; i++) s += (i > 0 ? ", " : "") + "0x" + bitsf(x, i).toString(16);
  return s + (n > k ? ", …]" : "]");
}

/** The same maximum: both NaN, or equal, and bit-identical unless it is ±0 (pmax keeps the first
 *  of equal values per lane, so the sign of a zero maximum depends on the order). */
function sameMax(a: f32, b: f32): bool {
  if (isNaN(a) || isNaN(b)) return isNaN(a) && isNaN(b);
  return a == b && (a == 0 || reinterpret<u32>(a) == reinterpret<u32>(b));
}

// ---------------------------------------------------------------------------------------------
// f32-rmaxnan

describe("f32_rmaxnan__wasmsimd_pmax_u16 vs f32_rmaxnan__scalar", () => {
  it("same maximum for every length, distribution and misalignment, equal to the row maximum", () => {
    const lengths = sparseLengths();
    seed(101);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          fillSparse(x, n, dist);
          const a = f32_rmaxnan__wasmsimd_pmax_u16(x, n), b = f32_rmaxnan__scalar(x, n);
          const ok = sameMax(a, b) && a == rowMax(x, n);
          expect<bool>(ok).toBe(true, ok ? "" : ctx("rmaxnan", n, dist, off) + " simd " + describeF32(a) + " scalar " + describeF32(b) + " x=" + dumpRow(x, n));
        }
      }
      releaseAll();
    }
  });

  it("a NaN at any position (among −∞, huge and ordinary values) gives NaN in both", () => {
    const lengths = sparseLengths();
    seed(102);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n, 1);
      const step = n <= 129 ? 1 : 37;
      for (let at = 0; at < n; at += step) {
        fillSparse(x, n, li % SD_COUNT);
        setf(x, at, NaN);
        const a = f32_rmaxnan__wasmsimd_pmax_u16(x, n), b = f32_rmaxnan__scalar(x, n);
        const ok = isNaN(a) && isNaN(b);
        expect<bool>(ok).toBe(true, ok ? "" : "rmaxnan NaN n=" + n.toString() + " at=" + at.toString() + " simd " + describeF32(a) + " scalar " + describeF32(b));
      }
      // NaN as the last element (scalar tail) and a row of NaN only
      setf(x, n - 1, NaN);
      expect<f32>(f32_rmaxnan__wasmsimd_pmax_u16(x, n)).toBeNaN("last n=" + n.toString());
      for (let i = 0; i < n; i++) setf(x, i, NaN);
      expect<f32>(f32_rmaxnan__wasmsimd_pmax_u16(x, n)).toBeNaN("all NaN n=" + n.toString());
      releaseAll();
    }
  });

  it("maximum at every position; an all −∞ row gives −∞", () => {
    for (let n = 1; n <= 40; n++) {
      const x = allocF32(n);
      for (let at = 0; at < n; at++) {
        for (let i = 0; i < n; i++) setf(x, i, -<f32>(i + 1) * 1e3);
        setf(x, at, 7.25);
        expect<f32>(f32_rmaxnan__wasmsimd_pmax_u16(x, n)).toBe(7.25, "n=" + n.toString() + " at=" + at.toString());
      }
      for (let i = 0; i < n; i++) setf(x, i, -Infinity);
      expect<f32>(f32_rmaxnan__wasmsimd_pmax_u16(x, n)).toBe(-Infinity, "all -inf n=" + n.toString());
      expect<f32>(f32_rmaxnan__scalar(x, n)).toBe(-Infinity, "all -inf scalar n=" + n.toString());
    }
    releaseAll();
  });
});

// ---------------------------------------------------------------------------------------------
// f32-rmaxlanes

/** lanes[j] = max x[i], i ≡ j (mod 16), i < n rounded down to 16, else −∞ (first of equals kept). */
function lanesRef(x: usize, n: i32, lanes: usize): void {
  for (let j = 0; j < 16; j++) setf(lanes, j, -Infinity);
  const n16 = n & ~15;
  for (let i = 0; i < n16; i++) {
    const l = getf(lanes, i & 15), v = getf(x, i);
    setf(lanes, i & 15, l < v ? v : l);
  }
}

describe("f32_rmaxlanes__wasmsimd_pmax_u16 vs f32_rmaxlanes__scalar", () => {
  it("same maximum as rmaxnan; the 16 lane maxima bit for bit equal to the twin and the reference", () => {
    const lengths = sparseLengths();
    seed(111);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const l1 = allocF32(16), l2 = allocF32(16), l3 = allocF32(16);
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          fillSparse(x, n, dist);
          if (dist == SD_TIES && n > 3) { setf(x, 1, -0.0); setf(x, 17 % n, 0); } // ±0 ties in a lane
          for (let j = 0; j < 16; j++) { setf(l1, j, 12345); setf(l2, j, 54321); } // the kernels must write all 16
          const a = f32_rmaxlanes__wasmsimd_pmax_u16(x, n, l1), b = f32_rmaxlanes__scalar(x, n, l2);
          lanesRef(x, n, l3);
          const label = ctx("rmaxlanes", n, dist, off);
          const ok = sameMax(a, b) && sameMax(a, f32_rmaxnan__scalar(x, n));
          expect<bool>(ok).toBe(true, ok ? "" : label + " simd " + describeF32(a) + " scalar " + describeF32(b));
          const bad = firstBitMismatch(l1, l2, 16), bad3 = firstBitMismatch(l2, l3, 16);
          expect<i32>(bad).toBe(-1, bad < 0 ? "" : label + " lane " + bad.toString() + " simd " + describeF32(getf(l1, bad)) + " scalar " + describeF32(getf(l2, bad)) + " x=" + dumpRow(x, n));
          expect<i32>(bad3).toBe(-1, bad3 < 0 ? "" : label + " lane " + bad3.toString() + " scalar " + describeF32(getf(l2, bad3)) + " reference " + describeF32(getf(l3, bad3)));
          expect<bool>(guardsIntact(l1, 16)).toBe(true, label + " lanes guards");
        }
      }
      releaseAll();
    }
  });

  it("a NaN anywhere gives NaN in both", () => {
    const lanes = allocF32(16);
    seed(112);
    for (let n = 1; n <= 65; n++) {
      const x = allocF32(n);
      for (let at = 0; at < n; at++) {
        fillSparse(x, n, SD_UNIFORM);
        setf(x, at, NaN);
        const a = f32_rmaxlanes__wasmsimd_pmax_u16(x, n, lanes), b = f32_rmaxlanes__scalar(x, n, lanes);
        const ok = isNaN(a) && isNaN(b);
        expect<bool>(ok).toBe(true, ok ? "" : "rmaxlanes NaN n=" + n.toString() + " at=" + at.toString());
      }
    }
    releaseAll();
  });
});

// ---------------------------------------------------------------------------------------------
// f32-rmaxsum

const SD_NAN: i32 = SD_COUNT; // an extra distribution: uniform with NaN sprinkled in

function fillWithNaN(x: usize, n: i32, dist: i32): void {
  if (dist < SD_COUNT) { fillSparse(x, n, dist); return; }
  fillSparse(x, n, SD_MASKED);
  for (let i = 0; i < n; i++) if (nextU32() % 11 == 0) setf(x, i, NaN);
}

function hasNaN(x: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (isNaN(getf(x, i))) return true;
  return false;
}

/** NaN-blind maximum (NaN skipped, −∞ for a row without numbers). */
function maxSkipNaN(x: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  for (let i = 0; i < n; i++) { const v = getf(x, i); if (v > m) m = v; }
  return m;
}

function countNotNinf(x: usize, n: i32): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) k += i32(getf(x, i) != -Infinity);
  return k;
}

/** Worst |Σ − exact| / |exact| of the rmaxsum sums on rows without cancellation to 0 (logged). */
let worstRmaxsumRel: f64 = 0;
let worstRmaxsumWhere = "";

describe("f32_rmaxsum__wasmsimd_u8 / f32_rmaxsum_fast__wasmsimd_u8 vs f32_rmaxsum__scalar", () => {
  it("same max (NaN-blind), R_COUNT = number of entries ≠ −∞, R_S1 = their sum within the f64 summation bound", () => {
    const lengths = sparseLengths();
    lengths.push(4099);
    seed(121);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist <= SD_NAN; dist++) {
        for (let off = 0; off < 2; off++) {
          const x = allocF32(n, off);
          fillWithNaN(x, n, dist);
          const a = f32_rmaxsum__wasmsimd_u8(x, n);
          const ca = R_COUNT, sa = R_S1;
          const b = f32_rmaxsum__scalar(x, n);
          const cb = R_COUNT, sb = R_S1;
          const label = ctx("rmaxsum", n, dist, off);
          const mref = maxSkipNaN(x, n);
          const okm = sameMax(a, b) && a == mref;
          expect<bool>(okm).toBe(true, okm ? "" : label + " max simd " + describeF32(a) + " scalar " + describeF32(b) + " ref " + describeF32(mref));
          const k = countNotNinf(x, n);
          expect<i32>(ca).toBe(k, label + " simd count");
          expect<i32>(cb).toBe(k, label + " scalar count");
          if (hasNaN(x, n)) {
            expect<f64>(sa).toBeNaN(label + " simd sum of a row with NaN");
            expect<f64>(sb).toBeNaN(label + " scalar sum of a row with NaN");
          } else {
            // any summation order: |Σ − exact| ≤ (n − 1)·2^−53·Σ|x| (each float32 is exact in f64)
            let abs = 0.0;
            for (let i = 0; i < n; i++) { const v = getf(x, i); if (v != -Infinity) abs += Math.abs(<f64>v); }
            const exact = sumExact(x, n, true);
            const bound = <f64>n * 1.1102230246251565e-16 * abs;
            const ea = Math.abs(sa - exact), eb = Math.abs(sb - exact);
            expect<bool>(ea <= bound).toBe(true, label + " simd sum " + sa.toString() + " exact " + exact.toString() + " bound " + bound.toString());
            expect<bool>(eb <= bound).toBe(true, label + " scalar sum " + sb.toString() + " exact " + exact.toString());
            if (exact != 0 && abs <= 4 * Math.abs(exact)) {
              const rel = Math.max(ea, eb) / Math.abs(exact);
              if (rel > worstRmaxsumRel) { worstRmaxsumRel = rel; worstRmaxsumWhere = label; }
            }
          }
          // the fast kernel: identical to the careful one on rows without −∞ and NaN
          const f = f32_rmaxsum_fast__wasmsimd_u8(x, n);
          const sf = R_S1;
          if (k == n && !hasNaN(x, n)) {
            expect<bool>(sameF32(f, a)).toBe(true, label + " fast max " + describeF32(f) + " careful " + describeF32(a));
            expect<u64>(reinterpret<u64>(sf)).toBe(reinterpret<u64>(sa), label + " fast sum " + sf.toString() + " careful " + sa.toString());
            expect<i32>(R_COUNT).toBe(n, label + " fast count");
          } else {
            expect<bool>(isFinite(sf)).toBe(false, label + " fast sum of a row with −∞/NaN must be non-finite, got " + sf.toString());
          }
        }
      }
      releaseAll();
    }
    log<string>("rmaxsum: worst relative |sum − exact| (rows with Σ|x| ≤ 4|Σx|) = " + worstRmaxsumRel.toString() + " (" + worstRmaxsumWhere + ")");
  });

  it("sums exact whenever the exact sum fits in 53 bits: constant rows give k·v, integer and [1, 2) rows", () => {
    const lengths = sparseLengths();
    lengths.push(4099); lengths.push(32000);
    seed(122);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let kind = 0; kind < 3; kind++) {
        for (let masked = 0; masked < 2; masked++) {
          const x = allocF32(n, masked);
          const v0: f32 = li % 3 == 0 ? uniform(-5, 5) : li % 3 == 1 ? <f32>1e4 + uniform(0, 1) : uniform(0, 1) * 3.3e-5;
          for (let i = 0; i < n; i++) {
            setf(x, i, kind == 0 ? v0 : kind == 1 ? <f32>(<i32>(nextU32() % 2001) - 1000) : 1 + unit());
            if (masked && nextU32() % 5 == 0) setf(x, i, -Infinity);
          }
          if (masked) setf(x, n >> 1, kind == 0 ? v0 : 1);
          let exact = 0.0, k = 0;
          for (let i = 0; i < n; i++) { const v = getf(x, i); if (v != -Infinity) { exact += <f64>v; k++; } }
          if (kind == 0) expect<f64>(exact).toBe(<f64>k * <f64>v0, "test data: k·v exact");
          const label = "rmaxsum exact kind=" + kind.toString() + " masked=" + masked.toString() + " n=" + n.toString() + " v0=" + describeF32(v0);
          f32_rmaxsum__wasmsimd_u8(x, n);
          expect<u64>(reinterpret<u64>(R_S1)).toBe(reinterpret<u64>(exact), label + " simd " + R_S1.toString() + " exact " + exact.toString());
          expect<i32>(R_COUNT).toBe(k, label + " simd count");
          f32_rmaxsum__scalar(x, n);
          expect<u64>(reinterpret<u64>(R_S1)).toBe(reinterpret<u64>(exact), label + " scalar " + R_S1.toString() + " exact " + exact.toString());
          if (!masked) {
            f32_rmaxsum_fast__wasmsimd_u8(x, n);
            expect<u64>(reinterpret<u64>(R_S1)).toBe(reinterpret<u64>(exact), label + " fast " + R_S1.toString() + " exact " + exact.toString());
          }
        }
        releaseAll();
      }
    }
  });

  it("fast kernel: one −∞ or NaN at any position makes R_S1 non-finite", () => {
    seed(123);
    const lengths = sparseLengths();
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n, 2);
      const step = n <= 65 ? 1 : 13;
      for (let at = 0; at < n; at += step) {
        for (let which = 0; which < 2; which++) {
          fillSparse(x, n, SD_UNIFORM);
          setf(x, at, which == 0 ? -Infinity : NaN);
          f32_rmaxsum_fast__wasmsimd_u8(x, n);
          const s = R_S1;
          expect<bool>(isFinite(s)).toBe(false, "fast n=" + n.toString() + " at=" + at.toString() + (which == 0 ? " -inf" : " NaN") + " sum " + s.toString());
          if (which == 1) {
            f32_rmaxsum__wasmsimd_u8(x, n);
            expect<f64>(R_S1).toBeNaN("careful NaN n=" + n.toString() + " at=" + at.toString());
          }
        }
      }
      releaseAll();
    }
  });

  it("an all −∞ row: max −∞, count 0, sum 0", () => {
    const lengths = sparseLengths();
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n);
      for (let i = 0; i < n; i++) setf(x, i, -Infinity);
      expect<f32>(f32_rmaxsum__wasmsimd_u8(x, n)).toBe(-Infinity);
      expect<i32>(R_COUNT).toBe(0, "simd count n=" + n.toString());
      expect<f64>(R_S1).toBe(0, "simd sum n=" + n.toString());
      expect<f32>(f32_rmaxsum__scalar(x, n)).toBe(-Infinity);
      expect<i32>(R_COUNT).toBe(0, "scalar count n=" + n.toString());
      expect<f64>(R_S1).toBe(0, "scalar sum n=" + n.toString());
      releaseAll();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// f32-rcountpos

describe("f32_rcountpos__wasmsimd_u8 vs f32_rcountpos__scalar", () => {
  it("both equal count(x > 0), with ±0, NaN, ±∞ and subnormals", () => {
    const lengths = sparseLengths();
    lengths.push(4099);
    seed(131);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist <= SD_COUNT; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          if (dist < SD_COUNT) fillSparse(x, n, dist);
          else {
            for (let i = 0; i < n; i++) {
              const r = nextU32() % 10;
              setf(x, i, r == 0 ? NaN : r == 1 ? 0 : r == 2 ? -0.0 : r == 3 ? Infinity : r == 4 ? -Infinity
                : r == 5 ? reinterpret<f32>(<u32>1 + (nextU32() & 0x7FFFFF)) : r == 6 ? reinterpret<f32>(0x80000001)
                : r == 7 ? uniform(0, 1) : -uniform(0, 1));
            }
          }
          let k = 0;
          for (let i = 0; i < n; i++) k += i32(getf(x, i) > 0);
          const label = ctx("rcountpos", n, dist, off);
          expect<i32>(f32_rcountpos__wasmsimd_u8(x, n)).toBe(k, label + " simd");
          expect<i32>(f32_rcountpos__scalar(x, n)).toBe(k, label + " scalar");
        }
      }
      releaseAll();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// list.ts: raw_bound, compact, tighten, bound16. Every bound must be ≤ the exact threshold of the
// float32 problem (sparse-helpers.ts: tauRow; TAU_HI is above τ, up to tauTol()).

/** X = (x − m)·c > t, in float32 as the kernels compute it. */
// @ts-ignore: decorator
@inline function above(v: f32, m: f32, c: f32, t: f32): bool {
  return (v - m) * c > t;
}

/** b ≤ τ (and the reference bracket converged). */
function boundOk(b: f32): bool {
  return tauConverged() && <f64>b <= TAU_HI + tauTol();
}

function tauStr(): string {
  return " τ in [" + TAU_LO.toString() + ", " + TAU_HI.toString() + "]";
}

describe("list.ts: raw_bound, compact, tighten, bound16", () => {
  it("raw_bound: every float32 x with (x − m)·c > t lies above it; it is m + t/c lowered by at most 2^-18 relative (+ a subnormal ulp)", () => {
    seed(141);
    const ms: f32[] = [0, 1, -1, 3.7, -2.5, 1e4, -1e4, 10000.37, 12345.678, -3e5, 1e-3, 7654321, 0.3];
    const cs: f32[] = [1, 0.5, 0.25, 2, <f32>(1.0 / 3.0), 0.6, 0.1, 10];
    let cases = 0;
    for (let mi = 0; mi < ms.length + 8; mi++) {
      const m: f32 = mi < ms.length ? ms[mi] : uniform(-100, 100) * (mi % 2 ? 1 : 100);
      for (let ci = 0; ci < cs.length; ci++) {
        const c = cs[ci];
        for (let ti = 0; ti < 12; ti++) {
          const t: f32 = ti == 0 ? -1 : ti == 1 ? -0.5 : ti == 2 ? <f32>-0.99999994 : ti == 3 ? <f32>-9.5367431640625e-7
            : ti == 4 ? <f32>-1e-7 : ti == 5 ? reinterpret<f32>(0x80000001) : -uniform(0, 1);
          const B = raw_bound(m, c, t);
          // the smallest float32 x with X > t, by bisection over the float32 order (X is monotone in x)
          const b64 = <f64>m + <f64>t / <f64>c;
          const lo0 = <f32>(b64 - 1 - 1e-3 * Math.abs(b64) - 2 * Math.abs(<f64>t / <f64>c));
          expect<bool>(above(lo0, m, c, t)).toBe(false, "test setup: start below the boundary");
          expect<bool>(above(m, m, c, t)).toBe(true, "test setup: m is above");
          let lo: i64 = f32key(lo0), hi: i64 = f32key(m);
          while (hi - lo > 1) {
            const mid = lo + ((hi - lo) >> 1);
            if (above(f32fromKey(<i32>mid), m, c, t)) hi = mid; else lo = mid;
          }
          const xs = f32fromKey(<i32>hi);
          const label = "raw_bound m=" + describeF32(m) + " c=" + describeF32(c) + " t=" + describeF32(t) + " -> " + describeF32(B) + ", smallest x with X > t: " + describeF32(xs);
          expect<bool>(xs > B).toBe(true, label);
          const S = Math.abs(<f64>m) + Math.abs(<f64>t / <f64>c);
          expect<bool>(<f64>B <= b64 && <f64>B >= b64 - 3.814697265625e-6 * S - 5.6e-45).toBe(true, label + " (slack)");
          cases++;
        }
      }
    }
    expect<i32>(cases).toBeGreaterThan(1000);
  });

  it("compact keeps exactly the entries with X > t, in order, with their indices (ties at t dropped)", () => {
    seed(142);
    const cfgs = mapConfigs();
    const lens = sparseLengths();
    lens.unshift(0);
    for (let li = 0; li < lens.length; li++) {
      const len = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        const cap = len > 0 ? len : 1;
        const vals = allocF32(cap), idx = alloc(cap << 2), v0 = allocF32(cap), i0 = alloc(cap << 2);
        if (len > 0) fillSparse(vals, len, dist);
        let at = <i32>(nextU32() % 5);
        for (let j = 0; j < len; j++) { store<i32>(idx + (<usize>j << 2), at); at += 1 + <i32>(nextU32() % 4); }
        const cfg = cfgs[(li + dist) % cfgs.length];
        const m: f32 = len > 0 ? rowMax(vals, len) : 0;
        // t: −1, a random bound, or exactly the X of some entry (a tie: X > t is strict)
        const r = nextU32() % 3;
        let t: f32 = r == 0 ? -1 : r == 1 ? -uniform(0, 1) : -0.25;
        if (r == 2 && len > 0) { const X: f32 = (getf(vals, <i32>(nextU32() % <u32>len)) - m) * cfg.c; if (X > -1e30) t = X; }
        copyF32(v0, vals, len); memory.copy(i0, idx, <usize>len << 2);
        const k = compact(vals, idx, len, m, cfg.c, t);
        let e = 0, bad = -1;
        for (let j = 0; j < len; j++) {
          const v = getf(v0, j);
          if (!above(v, m, cfg.c, t)) continue;
          if (e >= k || bitsf(vals, e) != bitsf(v0, j) || load<i32>(idx + (<usize>e << 2)) != load<i32>(i0 + (<usize>j << 2))) { bad = j; break; }
          e++;
        }
        const label = "compact len=" + len.toString() + " dist=" + distName(dist) + " t=" + describeF32(t) + " m=" + describeF32(m) + " c=" + describeF32(cfg.c);
        expect<i32>(bad).toBe(-1, bad < 0 ? "" : label + " entry " + bad.toString() + " missing or wrong; vals=" + dumpRow(v0, len));
        expect<i32>(k).toBe(e, label);
        expect<bool>(guardsIntact(vals, cap) && guardsIntact(idx, cap)).toBe(true, label + " guards");
      }
      releaseAll();
    }
  });

  it("tighten: never below t, never above the threshold of vals ∪ {m}, for every map", () => {
    seed(143);
    const cfgs = mapConfigs();
    const lens = sparseLengths();
    let raised = 0, total = 0;
    for (let ci = 0; ci < cfgs.length; ci++) {
      const cfg = cfgs[ci];
      for (let li = 0; li < lens.length; li++) {
        const len = lens[li];
        for (let dist = 0; dist < SD_COUNT; dist++) {
          const vals = allocF32(len), v0 = allocF32(len);
          fillSparse(vals, len, dist);
          let m = rowMax(vals, len);
          if (nextU32() % 3 == 0) m = m + <f32>Math.abs(<f64>m) * <f32>1e-6 + uniform(0, 0.3); // the list need not hold the max
          copyF32(v0, vals, len);
          tauRow(vals, len, m, cfg.c, cfg.g, true);
          for (let ti = 0; ti < 3; ti++) {
            const t: f32 = ti == 0 ? -1 : ti == 1 ? f32down(TAU_LO - (TAU_LO + 1) * <f64>unit()) : f32down(TAU_LO);
            const r = tighten(vals, len, m, cfg.c, t, cfg.eb, cfg.g);
            total++;
            if (r > t) raised++;
            const ok = r >= t && boundOk(r);
            expect<bool>(ok).toBe(true, ok ? "" : "tighten " + cfg.name + " len=" + len.toString() + " dist=" + distName(dist) + " m=" + describeF32(m) + " t=" + describeF32(t) + " -> " + describeF32(r) + tauStr() + " vals=" + dumpRow(vals, len));
          }
          expect<i32>(firstBitMismatch(vals, v0, len)).toBe(-1, "tighten modified vals");
        }
        releaseAll();
      }
    }
    log<string>("tighten raised the bound in " + raised.toString() + " of " + total.toString() + " calls");
    expect<i32>(raised).toBeGreaterThan(total / 4);
  });

  it("bound16 (SIMD path): ≥ −1, and ≤ the threshold of lanes ∪ {m}, on random lanes and on rmaxlanes of real rows", () => {
    seed(144);
    const cfgs = mapConfigs();
    let raised = 0, total = 0;
    for (let ci = 0; ci < cfgs.length; ci++) {
      const cfg = cfgs[ci];
      const lanes = allocF32(16), l0 = allocF32(16);
      for (let trial = 0; trial < 300; trial++) {
        const dist = trial % SD_COUNT;
        fillSparse(lanes, 16, dist);
        if (trial % 5 == 1) for (let j = 0; j < 16; j++) if (nextU32() % 2 == 0) setf(lanes, j, -Infinity);
        if (trial % 50 == 7) for (let j = 0; j < 16; j++) setf(lanes, j, -Infinity); // a lane set that saw nothing
        let m = rowMax(lanes, 16);
        if (m == -Infinity) m = 0;
        if (trial % 3 == 2) m = m + <f32>Math.abs(<f64>m) * <f32>1e-6 + uniform(0, 0.5); // lanes without the max (it was in the tail)
        copyF32(l0, lanes, 16);
        tauRow(lanes, 16, m, cfg.c, cfg.g, true);
        const b = bound16(lanes, m, cfg.c, cfg.eb, cfg.g);
        total++;
        if (b > -1) raised++;
        const ok = b >= -1 && boundOk(b);
        expect<bool>(ok).toBe(true, ok ? "" : "bound16 " + cfg.name + " trial=" + trial.toString() + " m=" + describeF32(m) + " -> " + describeF32(b) + tauStr() + " lanes=" + dumpRow(lanes, 16));
        expect<i32>(firstBitMismatch(lanes, l0, 16)).toBe(-1, "bound16 modified lanes");
      }
      releaseAll();
      // from real rows, as threshold_row uses it
      const lens = sparseLengths();
      for (let li = 0; li < lens.length; li++) {
        const n = lens[li];
        const rl = allocF32(16);
        for (let dist = 0; dist < SD_COUNT; dist++) {
          const x = allocF32(n, li & 1);
          fillSparse(x, n, dist);
          const m = f32_rmaxlanes__wasmsimd_pmax_u16(x, n, rl);
          tauRow(x, n, m, cfg.c, cfg.g);
          const b = bound16(rl, m, cfg.c, cfg.eb, cfg.g);
          const ok = b >= -1 && boundOk(b);
          expect<bool>(ok).toBe(true, ok ? "" : "bound16 row " + cfg.name + " " + ctx("", n, dist, li & 1) + " -> " + describeF32(b) + tauStr() + " x=" + dumpRow(x, n));
        }
        releaseAll();
      }
      releaseAll();
    }
    log<string>("bound16 raised the bound above -1 in " + raised.toString() + " of " + total.toString() + " random lane sets");
    expect<i32>(raised).toBeGreaterThan(total / 4);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-vfilter: the candidate list. Contract (f32-vfilter-scalar.ts, the same for the SIMD kernel,
// whose list may differ): R_MIN = the final bound t, t0 ≤ t ≤ τ; every entry with X > t is in the
// list with its index; the list holds real entries (vals[j] = x[idx[j]]), indices increasing; the
// return is the list length, or −1 once the list would exceed `limit` (capacity doubles from 64
// while compaction keeps more than half, so a −1 means more than limit/4 entries have X > t).

type FilterFn = (x: usize, n: i32, vals: usize, idx: usize, m: f32, c: f32, t0: f32, eb: f32, g: f32, limit: i32) => i32;

const NO_LIMIT: i32 = 0x7FFFFFFF;
let filterGaveUp = 0;

/** Runs one filter kernel on x and checks its contract against TAU_HI (set by tauRow for x). */
function checkFilter(fn: FilterFn, name: string, x: usize, n: i32, m: f32, cfg: MapCfg, t0: f32, limit: i32, label: string): i32 {
  const vals = allocF32(n), idx = alloc(n << 2), xc = allocF32(n);
  copyF32(xc, x, n);
  for (let j = 0; j < n; j++) { setf(vals, j, NaN); store<i32>(idx + (<usize>j << 2), -7); }
  const r = fn(x, n, vals, idx, m, cfg.c, t0, cfg.eb, cfg.g, limit);
  const B = R_MIN;
  const c = cfg.c;
  let nAbove = 0;
  for (let i = 0; i < n; i++) nAbove += i32(above(getf(x, i), m, c, B));
  const ok1 = B >= t0 && boundOk(B);
  if (!ok1 || r < -1 || r > n) {
    const msg = label + " " + name + " " + cfg.name + " t0=" + describeF32(t0) + " limit=" + limit.toString() + " -> " + r.toString() + " R_MIN=" + describeF32(B) + tauStr() + " m=" + describeF32(m) + " x=" + dumpRow(x, n);
    expect<bool>(ok1).toBe(true, msg + " (need t0 <= R_MIN <= τ)");
    expect<bool>(r >= -1 && r <= n).toBe(true, msg + " (return out of range)");
  }
  expect<i32>(firstBitMismatch(x, xc, n)).toBe(-1, label + " " + name + " modified x");
  expect<bool>(guardsIntact(vals, n) && guardsIntact(idx, n)).toBe(true, label + " " + name + " wrote outside vals/idx[0, n)");
  if (r >= 0) {
    if (limit >= FILTER_CAP0) expect<bool>(r <= limit).toBe(true, label + " " + name + " returned " + r.toString() + " > limit " + limit.toString());
    // real entries, increasing indices
    let prev = -1, bad = -1;
    for (let j = 0; j < r; j++) {
      const i = load<i32>(idx + (<usize>j << 2));
      if (i <= prev || i >= n || bitsf(vals, j) != bitsf(x, i)) { bad = j; break; }
      prev = i;
    }
    expect<i32>(bad).toBe(-1, bad < 0 ? "" : label + " " + name + " " + cfg.name + " list entry " + bad.toString() + ": idx " + load<i32>(idx + (<usize>bad << 2)).toString() + " val " + describeF32(getf(vals, bad)) + " (previous idx " + prev.toString() + ")");
    // complete: every X > R_MIN is listed
    let j = 0, missing = -1;
    for (let i = 0; i < n; i++) {
      if (!above(getf(x, i), m, c, B)) continue;
      while (j < r && load<i32>(idx + (<usize>j << 2)) < i) j++;
      if (j >= r || load<i32>(idx + (<usize>j << 2)) != i) { missing = i; break; }
    }
    expect<i32>(missing).toBe(-1, missing < 0 ? "" : label + " " + name + " " + cfg.name + " t0=" + describeF32(t0) + " limit=" + limit.toString() + ": x[" + missing.toString() + "] = " + describeF32(getf(x, missing)) + " has X = " + describeF32((getf(x, missing) - m) * c) + " > R_MIN = " + describeF32(B) + " but is not listed (len " + r.toString() + ") m=" + describeF32(m) + " x=" + dumpRow(x, n));
  } else {
    filterGaveUp++;
    expect<i32>(r).toBe(-1, label + " " + name);
    expect<bool>(limit != NO_LIMIT).toBe(true, label + " " + name + " gave up without a limit");
    if (limit >= FILTER_CAP0) expect<bool>(4 * <i64>nAbove > <i64>limit).toBe(true, label + " " + name + " " + cfg.name + " gave up (limit " + limit.toString() + ") with only " + nAbove.toString() + " entries above R_MIN=" + describeF32(B));
  }
  return r;
}

describe("f32_vfilter__wasmsimd_u16 and f32_vfilter__scalar", () => {
  it("reference τ (test self-check): sparsemax by sort, and F(τ) = 1 for every map", () => {
    seed(150);
    const cfgs = mapConfigs();
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + <i32>(nextU32() % 100);
      const x = allocF32(n);
      fillSparse(x, n, trial % SD_COUNT);
      const m = rowMax(x, n);
      // sparsemax: X sorted descending, k = max{k: 1 + k·X_k > Σ_{j≤k} X_j}, τ = (Σ_{j≤k} X_j − 1)/k
      const xs = new Array<f64>();
      for (let i = 0; i < n; i++) xs.push(<f64>((getf(x, i) - m) * <f32>1));
      xs.sort((a: f64, b: f64): i32 => (a < b ? 1 : a > b ? -1 : 0));
      let s = 0.0, tau = 0.0;
      for (let k = 1; k <= n; k++) {
        if (xs[k - 1] == -Infinity) break;
        s += xs[k - 1];
        if (1 + <f64>k * xs[k - 1] > s) tau = (s - 1) / <f64>k;
      }
      tauRow(x, n, m, 1, 1);
      expect<bool>(TAU_LO <= tau + 1e-15 && tau - 1e-15 <= TAU_HI).toBe(true, "sparsemax τ by sort " + tau.toString() + tauStr());
      for (let ci = 0; ci < cfgs.length; ci++) {
        const cfg = cfgs[ci];
        tauRow(x, n, m, cfg.c, cfg.g);
        let F = 0.0;
        for (let i = 0; i < n; i++) {
          const d = <f64>((getf(x, i) - m) * cfg.c) - TAU_LO;
          if (d > 0) F += Math.pow(d, <f64>cfg.g);
        }
        expect<f64>(Math.abs(F - 1)).toBeLessThanOrEqual(1e-12, cfg.name + " F(τ) = " + F.toString());
        expect<bool>(TAU_HI - TAU_LO <= 1e-15 && TAU_LO >= -1 && TAU_HI <= 0).toBe(true, cfg.name + tauStr());
      }
    }
    releaseAll();
  });

  it("every length and distribution, every map, t0 = −1 / bound16 / τ rounded down, limit none / 64", () => {
    seed(151);
    const cfgs = mapConfigs();
    const lens = sparseLengths();
    let lists = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let ci = 0; ci < cfgs.length; ci++) {
          const cfg = cfgs[ci];
          const off = (li + ci) & 3;
          const x = allocF32(n, off), lanes = allocF32(16);
          fillSparse(x, n, dist);
          const m = f32_rmaxlanes__wasmsimd_pmax_u16(x, n, lanes);
          tauRow(x, n, m, cfg.c, cfg.g);
          const label = ctx("vfilter", n, dist, off);
          for (let ti = 0; ti < 3; ti++) {
            const t0: f32 = ti == 0 ? -1 : ti == 1 ? bound16(lanes, m, cfg.c, cfg.eb, cfg.g) : f32down(TAU_LO);
            for (let lim = 0; lim < 2; lim++) {
              const limit = lim == 0 ? NO_LIMIT : 64;
              checkFilter(f32_vfilter__wasmsimd_u16, "simd", x, n, m, cfg, t0, limit, label);
              checkFilter(f32_vfilter__scalar, "scalar", x, n, m, cfg, t0, limit, label);
              lists += 2;
            }
          }
        }
        releaseAll();
      }
    }
    log<string>("vfilter: " + lists.toString() + " lists checked, " + filterGaveUp.toString() + " gave up (limit 64)");
    expect<i32>(filterGaveUp).toBeGreaterThan(0);
  });

  it("long rows with limit n/8 (as threshold_row): dense rows give up with a valid bound, rows with a huge gap never do", () => {
    seed(152);
    const cfgs = mapConfigs();
    const lens: i32[] = [512, 777, 2048, 4099];
    filterGaveUp = 0;
    let denseGaveUp = 0, dense = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let ci = 0; ci < cfgs.length; ci += (dist == SD_DENSE || dist == SD_GAP) ? 1 : 4) {
          const cfg = cfgs[ci];
          const x = allocF32(n, li & 3), lanes = allocF32(16);
          fillSparse(x, n, dist);
          const m = f32_rmaxlanes__wasmsimd_pmax_u16(x, n, lanes);
          tauRow(x, n, m, cfg.c, cfg.g);
          const t0 = bound16(lanes, m, cfg.c, cfg.eb, cfg.g);
          const label = ctx("vfilter long", n, dist, li & 3);
          let nTau = 0;
          for (let i = 0; i < n; i++) nTau += i32(<f64>((getf(x, i) - m) * cfg.c) > TAU_HI);
          for (let k = 0; k < 2; k++) {
            const r = checkFilter(k == 0 ? f32_vfilter__wasmsimd_u16 : f32_vfilter__scalar, k == 0 ? "simd" : "scalar", x, n, m, cfg, t0, n >> 3, label);
            if (dist == SD_GAP) expect<i32>(r).toBeGreaterThanOrEqual(0, label + " " + cfg.name + " a row with at most 3 candidates gave up");
            // more than n/8 entries in the support (X > τ ≥ R_MIN) cannot fit in the list
            if (nTau > (n >> 3)) expect<i32>(r).toBe(-1, label + " " + cfg.name + " " + nTau.toString() + " entries above τ but the list has " + r.toString());
            if (dist == SD_DENSE) { dense++; if (r < 0) denseGaveUp++; }
          }
          checkFilter(f32_vfilter__wasmsimd_u16, "simd", x, n, m, cfg, t0, NO_LIMIT, label + " no limit");
        }
        releaseAll();
      }
    }
    log<string>("vfilter long rows: dense rows gave up in " + denseGaveUp.toString() + " of " + dense.toString());
    expect<i32>(denseGaveUp).toBeGreaterThan(0);
  });
});
