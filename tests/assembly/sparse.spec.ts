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
  f32fromKey, f32key, fillSparse, mapConfigs, relDiff, rowMax, sparseLengths, sumExact, tauRow, tauTol,
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
