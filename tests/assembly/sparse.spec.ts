// The sparse-normaliser kernels (assembly/kernels/, used by assembly/threshold/ and
// assembly/evsoftmax.ts): every wasm SIMD kernel against its scalar twin, and the candidate-list
// kernels (f32-vfilter, list.ts) and the power (pow.ts) against the contracts in their header
// comments, with an f64 reference of the threshold of the float32 problem (sparse-helpers.ts).
// XNNPACK habits: every length 1..40 and around the tiles (63, 64, 65, 100, 129, 1000), misaligned
// rows, ties, huge gaps, −∞ (masked) entries, offsets of ±1e4, deterministic pseudo-random data
// (xorshift32, seeded per test).
import { f32down, f32up } from "../../assembly/math/acc";
import { RMaxSumResult, RThreshResult, VFilterResult, VThreshPowResult } from "../../assembly/records";
import { f32_rmaxlanes__scalar } from "../../assembly/kernels/f32-rmaxlanes-scalar";
import { f32_rmaxlanes__wasmsimd_pmax_u16 } from "../../assembly/kernels/f32-rmaxlanes-wasmsimd-pmax-u16";
import { f32_rmaxsum__scalar } from "../../assembly/kernels/f32-rmaxsum-scalar";
import { f32_rmaxsum__wasmsimd_u8 } from "../../assembly/kernels/f32-rmaxsum-wasmsimd-u8";
import { f32_rmaxsum_fast__wasmsimd_u8 } from "../../assembly/kernels/f32-rmaxsum-fast-wasmsimd-u8";
import { f32_rcountpos__scalar } from "../../assembly/kernels/f32-rcountpos-scalar";
import { f32_rcountpos__wasmsimd_u8 } from "../../assembly/kernels/f32-rcountpos-wasmsimd-u8";
import { f32_vfilter__scalar } from "../../assembly/kernels/f32-vfilter-scalar";
import { f32_vfilter__wasmsimd_u16 } from "../../assembly/kernels/f32-vfilter-wasmsimd-u16";
import { bound16, compact, raw_bound, tighten } from "../../assembly/math/list";
import { f32_rthresh_p1__scalar } from "../../assembly/kernels/f32-rthresh-p1-scalar";
import { f32_rthresh_p2__scalar } from "../../assembly/kernels/f32-rthresh-p2-scalar";
import { f32_rthresh_p4__scalar } from "../../assembly/kernels/f32-rthresh-p4-scalar";
import { f32_rthresh_pg__scalar } from "../../assembly/kernels/f32-rthresh-pg-scalar";
import { f32_rthresh_p1p__scalar } from "../../assembly/kernels/f32-rthresh-p1p-scalar";
import { f32_rthresh_p1__wasmsimd_u16 } from "../../assembly/kernels/f32-rthresh-p1-wasmsimd-u16";
import { f32_rthresh_p2__wasmsimd_u16 } from "../../assembly/kernels/f32-rthresh-p2-wasmsimd-u16";
import { f32_rthresh_p4__wasmsimd_u16 } from "../../assembly/kernels/f32-rthresh-p4-wasmsimd-u16";
import { f32_rthresh_pg__wasmsimd_u4 } from "../../assembly/kernels/f32-rthresh-pg-wasmsimd-u4";
import { f32_vthreshpow_e1__scalar } from "../../assembly/kernels/f32-vthreshpow-e1-scalar";
import { f32_vthreshpow_e2__scalar } from "../../assembly/kernels/f32-vthreshpow-e2-scalar";
import { f32_vthreshpow_e4__scalar } from "../../assembly/kernels/f32-vthreshpow-e4-scalar";
import { f32_vthreshpow_eg__scalar } from "../../assembly/kernels/f32-vthreshpow-eg-scalar";
import { f32_vthreshpow_e1p__scalar } from "../../assembly/kernels/f32-vthreshpow-e1p-scalar";
import { f32_vthreshpow_e124__wasmsimd_u16 } from "../../assembly/kernels/f32-vthreshpow-e124-wasmsimd-u16";
import { f32_vthreshpow_eg__wasmsimd_u4 } from "../../assembly/kernels/f32-vthreshpow-eg-wasmsimd-u4";
import { f32_vrelusub_e1__scalar } from "../../assembly/kernels/f32-vrelusub-e1-scalar";
import { f32_vrelusub_e2__scalar } from "../../assembly/kernels/f32-vrelusub-e2-scalar";
import { f32_vrelusub_e1__wasmsimd_u16 } from "../../assembly/kernels/f32-vrelusub-e1-wasmsimd-u16";
import { f32_vrelusub_e2__wasmsimd_u16 } from "../../assembly/kernels/f32-vrelusub-e2-wasmsimd-u16";
import { f32_raddstoreexpminusmax_thr__scalar_b2_p5 } from "../../assembly/kernels/f32-raddstoreexpminusmax-thr-scalar-b2-p5";
import { f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u4 } from "../../assembly/kernels/f32-raddstoreexpminusmax-thr-wasmsimd-b2-p5-u4";
// ev-softmax's exp pass as the driver runs it (as-pect builds with SIMD): the eps = 0 kernel
// f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u16, the u4 kernel for other eps.
import { expstore_thr } from "../../assembly/config";
import { f32_raddstoreexpminusmax__scalar_b2_p5 } from "../../assembly/kernels/f32-raddstoreexpminusmax-scalar-b2-p5";
import { lnf, lnv, log1pf, log1pv, pow1pf, pow1pv, powf_pos, powv } from "../../assembly/math/pow";
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

/** The kernels' result records (records.ts), owned by this spec: each kernel call below passes
 *  its family's record, and the checks read its fields right after the call. */
const RT = changetype<RThreshResult>(memory.data(offsetof<RThreshResult>(), 16));
const VP = changetype<VThreshPowResult>(memory.data(offsetof<VThreshPowResult>(), 16));
const MS = changetype<RMaxSumResult>(memory.data(offsetof<RMaxSumResult>(), 16));
const VF = changetype<VFilterResult>(memory.data(offsetof<VFilterResult>(), 16));

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

/** Assertions: an as-pect expect() records a stack trace (about 0.1 ms), too slow for a check per
 *  element or per row; so each check is `if (!ok(cond)) fail(message)`: the message is only
 *  built on failure. fail() records it and the test goes on (so one run counts every failing
 *  case); end() then fails the test with the number of failures and the first messages. ok()
 *  counts the checks, and end() also asserts that at least `min` of them ran. */
let CHECKS: i32 = 0;
let FAILS: i32 = 0;
let FAIL_MSGS = "";
let TOTAL_CHECKS: i64 = 0;
// @ts-ignore: decorator
@inline function ok(cond: bool): bool {
  CHECKS++;
  return cond;
}
function fail(msg: string): void {
  FAILS++;
  if (FAILS <= 3) FAIL_MSGS += "\n    [" + FAILS.toString() + "] " + msg;
}
/** log() that keeps its string alive: as-pect identifies logged strings by address, so a string
 *  freed and its address reused by a later log would show the earlier text. */
const LOGGED = new Array<string>();
function note(msg: string): void {
  LOGGED.push(msg);
  log<string>(msg);
}
function begin(): void {
  CHECKS = 0; FAILS = 0; FAIL_MSGS = "";
}
function end(min: i32): void {
  TOTAL_CHECKS += CHECKS;
  expect<i32>(FAILS).toBe(0, FAILS.toString() + " of " + CHECKS.toString() + " checks failed; first:" + FAIL_MSGS);
  expect<i32>(CHECKS).toBeGreaterThanOrEqual(min, "number of checks");
}

/** The same maximum: both NaN, or equal, and bit-identical unless it is ±0 (pmax keeps the first
 *  of equal values per lane, so the sign of a zero maximum depends on the order). */
function sameMax(a: f32, b: f32): bool {
  if (isNaN(a) || isNaN(b)) return isNaN(a) && isNaN(b);
  return a == b && (a == 0 || reinterpret<u32>(a) == reinterpret<u32>(b));
}

// ---------------------------------------------------------------------------------------------
// f32-rmaxlanes: the row max (NaN when the row has a NaN); its lanes are tested below

// (the max only: the lanes go to a scratch buffer)
function rmaxS(x: usize, n: i32): f32 { const l = alloc(64); return f32_rmaxlanes__wasmsimd_pmax_u16(x, n, l); }
function rmaxR(x: usize, n: i32): f32 { const l = alloc(64); return f32_rmaxlanes__scalar(x, n, l); }

describe("f32_rmaxlanes__wasmsimd_pmax_u16 vs f32_rmaxlanes__scalar: the maximum", () => {
  it("same maximum for every length, distribution and misalignment, equal to the row maximum", () => {
    begin();
    const lengths = sparseLengths();
    seed(101);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          fillSparse(x, n, dist);
          const a = rmaxS(x, n), b = rmaxR(x, n);
          const good = sameMax(a, b) && a == rowMax(x, n);
          if (!ok(good)) fail(ctx("rmaxlanes max", n, dist, off) + " simd " + describeF32(a) + " scalar " + describeF32(b) + " x=" + dumpRow(x, n));
        }
      }
      releaseAll();
    }
    end(1);
  });

  it("a NaN at any position (among −∞, huge and ordinary values) gives NaN in both", () => {
    begin();
    const lengths = sparseLengths();
    seed(102);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n, 1);
      const step = n <= 129 ? 1 : 37;
      for (let at = 0; at < n; at += step) {
        fillSparse(x, n, li % SD_COUNT);
        setf(x, at, NaN);
        const a = rmaxS(x, n), b = rmaxR(x, n);
        const good = isNaN(a) && isNaN(b);
        if (!ok(good)) fail("rmaxlanes NaN n=" + n.toString() + " at=" + at.toString() + " simd " + describeF32(a) + " scalar " + describeF32(b));
      }
      // NaN as the last element (scalar tail) and a row of NaN only
      setf(x, n - 1, NaN);
      if (!ok(isNaN(rmaxS(x, n)))) fail("last n=" + n.toString() + " (expected NaN)");
      for (let i = 0; i < n; i++) setf(x, i, NaN);
      if (!ok(isNaN(rmaxS(x, n)))) fail("all NaN n=" + n.toString() + " (expected NaN)");
      releaseAll();
    }
    end(1);
  });

  it("maximum at every position; an all −∞ row gives −∞", () => {
    begin();
    for (let n = 1; n <= 40; n++) {
      const x = allocF32(n);
      for (let at = 0; at < n; at++) {
        for (let i = 0; i < n; i++) setf(x, i, -<f32>(i + 1) * 1e3);
        setf(x, at, 7.25);
        const a = rmaxS(x, n);
        if (!ok(a == 7.25)) fail("n=" + n.toString() + " at=" + at.toString() + " got " + describeF32(a));
      }
      for (let i = 0; i < n; i++) setf(x, i, -Infinity);
      const a = rmaxS(x, n), b = rmaxR(x, n);
      if (!ok(a == -Infinity && b == -Infinity)) fail("all -inf n=" + n.toString() + " simd " + describeF32(a) + " scalar " + describeF32(b));
    }
    releaseAll();
    end(1);
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
  it("same maximum as the row; the 16 lane maxima bit for bit equal to the twin and the reference", () => {
    begin();
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
          const good = sameMax(a, b) && sameMax(a, rmaxR(x, n));
          if (!ok(good)) fail(label + " simd " + describeF32(a) + " scalar " + describeF32(b));
          const bad = firstBitMismatch(l1, l2, 16), bad3 = firstBitMismatch(l2, l3, 16);
          if (!ok(bad == -1)) fail(label + " lane " + bad.toString() + " simd " + describeF32(getf(l1, bad)) + " scalar " + describeF32(getf(l2, bad)) + " x=" + dumpRow(x, n));
          if (!ok(bad3 == -1)) fail(label + " lane " + bad3.toString() + " scalar " + describeF32(getf(l2, bad3)) + " reference " + describeF32(getf(l3, bad3)));
          if (!ok(guardsIntact(l1, 16))) fail(label + " lanes guards");
        }
      }
      releaseAll();
    }
    end(1);
  });

  it("a NaN anywhere gives NaN in both", () => {
    begin();
    const lanes = allocF32(16);
    seed(112);
    for (let n = 1; n <= 65; n++) {
      const x = allocF32(n);
      for (let at = 0; at < n; at++) {
        fillSparse(x, n, SD_UNIFORM);
        setf(x, at, NaN);
        const a = f32_rmaxlanes__wasmsimd_pmax_u16(x, n, lanes), b = f32_rmaxlanes__scalar(x, n, lanes);
        const good = isNaN(a) && isNaN(b);
        if (!ok(good)) fail("rmaxlanes NaN n=" + n.toString() + " at=" + at.toString());
      }
    }
    releaseAll();
    end(1);
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
  it("same max (NaN-blind), count = number of entries ≠ −∞, sum = their sum within the f64 summation bound", () => {
    begin();
    const lengths = sparseLengths();
    lengths.push(4099);
    seed(121);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist <= SD_NAN; dist++) {
        for (let off = 0; off < 2; off++) {
          const x = allocF32(n, off);
          fillWithNaN(x, n, dist);
          const a = f32_rmaxsum__wasmsimd_u8(x, n, MS);
          const ca = MS.count, sa = MS.sum;
          const b = f32_rmaxsum__scalar(x, n, MS);
          const cb = MS.count, sb = MS.sum;
          const label = ctx("rmaxsum", n, dist, off);
          const mref = maxSkipNaN(x, n);
          const okm = sameMax(a, b) && a == mref;
          if (!ok(okm)) fail(label + " max simd " + describeF32(a) + " scalar " + describeF32(b) + " ref " + describeF32(mref));
          const k = countNotNinf(x, n);
          if (!ok(ca == k)) fail(label + " simd count (got " + ca.toString() + ", expected " + k.toString() + ")");
          if (!ok(cb == k)) fail(label + " scalar count (got " + cb.toString() + ", expected " + k.toString() + ")");
          if (hasNaN(x, n)) {
            if (!ok(isNaN(sa))) fail(label + " simd sum of a row with NaN" + " (expected NaN)");
            if (!ok(isNaN(sb))) fail(label + " scalar sum of a row with NaN" + " (expected NaN)");
          } else {
            // any summation order: |Σ − exact| ≤ (n − 1)·2^−53·Σ|x| (each float32 is exact in f64)
            let abs = 0.0;
            for (let i = 0; i < n; i++) { const v = getf(x, i); if (v != -Infinity) abs += Math.abs(<f64>v); }
            const exact = sumExact(x, n, true);
            const bound = <f64>n * 1.1102230246251565e-16 * abs;
            const ea = Math.abs(sa - exact), eb = Math.abs(sb - exact);
            if (!ok(ea <= bound)) fail(label + " simd sum " + sa.toString() + " exact " + exact.toString() + " bound " + bound.toString());
            if (!ok(eb <= bound)) fail(label + " scalar sum " + sb.toString() + " exact " + exact.toString());
            if (exact != 0 && abs <= 4 * Math.abs(exact)) {
              const rel = Math.max(ea, eb) / Math.abs(exact);
              if (rel > worstRmaxsumRel) { worstRmaxsumRel = rel; worstRmaxsumWhere = label; }
            }
          }
          // the fast kernel: identical to the careful one on rows without −∞ and NaN
          const f = f32_rmaxsum_fast__wasmsimd_u8(x, n, MS);
          const sf = MS.sum;
          if (k == n && !hasNaN(x, n)) {
            if (!ok(sameF32(f, a))) fail(label + " fast max " + describeF32(f) + " careful " + describeF32(a));
            if (!ok(reinterpret<u64>(sf) == reinterpret<u64>(sa))) fail(label + " fast sum " + sf.toString() + " careful " + sa.toString());
            if (!ok(MS.count == n)) fail(label + " fast count (got " + MS.count.toString() + ", expected " + n.toString() + ")");
          } else {
            if (!ok(!(isFinite(sf)))) fail(label + " fast sum of a row with −∞/NaN must be non-finite, got " + sf.toString());
          }
        }
      }
      releaseAll();
    }
    note("rmaxsum: worst relative |sum − exact| (rows with Σ|x| ≤ 4|Σx|) = " + worstRmaxsumRel.toString() + " (" + worstRmaxsumWhere + ")");
    end(1);
  });

  it("sums exact whenever the exact sum fits in 53 bits: constant rows give k·v, integer and [1, 2) rows", () => {
    begin();
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
          if (kind == 0) if (!ok(exact == <f64>k * <f64>v0)) fail("test data: k·v must be exact, " + exact.toString());
          const label = "rmaxsum exact kind=" + kind.toString() + " masked=" + masked.toString() + " n=" + n.toString() + " v0=" + describeF32(v0);
          f32_rmaxsum__wasmsimd_u8(x, n, MS);
          if (!ok(reinterpret<u64>(MS.sum) == reinterpret<u64>(exact))) fail(label + " simd " + MS.sum.toString() + " exact " + exact.toString());
          if (!ok(MS.count == k)) fail(label + " simd count (got " + MS.count.toString() + ", expected " + k.toString() + ")");
          f32_rmaxsum__scalar(x, n, MS);
          if (!ok(reinterpret<u64>(MS.sum) == reinterpret<u64>(exact))) fail(label + " scalar " + MS.sum.toString() + " exact " + exact.toString());
          if (!masked) {
            f32_rmaxsum_fast__wasmsimd_u8(x, n, MS);
            if (!ok(reinterpret<u64>(MS.sum) == reinterpret<u64>(exact))) fail(label + " fast " + MS.sum.toString() + " exact " + exact.toString());
          }
        }
        releaseAll();
      }
    }
    end(1);
  });

  it("fast kernel: one −∞ or NaN at any position makes MS.sum non-finite", () => {
    begin();
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
          f32_rmaxsum_fast__wasmsimd_u8(x, n, MS);
          const s = MS.sum;
          if (!ok(!(isFinite(s)))) fail("fast n=" + n.toString() + " at=" + at.toString() + (which == 0 ? " -inf" : " NaN") + " sum " + s.toString());
          if (which == 1) {
            f32_rmaxsum__wasmsimd_u8(x, n, MS);
            if (!ok(isNaN(MS.sum))) fail("careful NaN n=" + n.toString() + " at=" + at.toString() + " (expected NaN)");
          }
        }
      }
      releaseAll();
    }
    end(1);
  });

  it("an all −∞ row: max −∞, count 0, sum 0", () => {
    begin();
    const lengths = sparseLengths();
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n);
      for (let i = 0; i < n; i++) setf(x, i, -Infinity);
      const a = f32_rmaxsum__wasmsimd_u8(x, n, MS);
      if (!ok(a == -Infinity)) fail("simd max n=" + n.toString() + " " + describeF32(a));
      if (!ok(MS.count == 0)) fail("simd count n=" + n.toString() + " got " + MS.count.toString());
      if (!ok(MS.sum == 0)) fail("simd sum n=" + n.toString() + " got " + MS.sum.toString());
      const b = f32_rmaxsum__scalar(x, n, MS);
      if (!ok(b == -Infinity)) fail("scalar max n=" + n.toString() + " " + describeF32(b));
      if (!ok(MS.count == 0)) fail("scalar count n=" + n.toString() + " got " + MS.count.toString());
      if (!ok(MS.sum == 0)) fail("scalar sum n=" + n.toString() + " got " + MS.sum.toString());
      releaseAll();
    }
    end(1);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-rcountpos

describe("f32_rcountpos__wasmsimd_u8 vs f32_rcountpos__scalar", () => {
  it("both equal count(x > 0), with ±0, NaN, ±∞ and subnormals", () => {
    begin();
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
          const a = f32_rcountpos__wasmsimd_u8(x, n), b = f32_rcountpos__scalar(x, n);
          if (!ok(a == k && b == k)) fail(label + " simd " + a.toString() + " scalar " + b.toString() + " expected " + k.toString() + " x=" + dumpRow(x, n));
        }
      }
      releaseAll();
    }
    end(1);
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
    begin();
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
          if (!ok(!(above(lo0, m, c, t)))) fail("test setup: start below the boundary");
          if (!ok(above(m, m, c, t))) fail("test setup: m is above");
          let lo: i64 = f32key(lo0), hi: i64 = f32key(m);
          while (hi - lo > 1) {
            const mid = lo + ((hi - lo) >> 1);
            if (above(f32fromKey(<i32>mid), m, c, t)) hi = mid; else lo = mid;
          }
          const xs = f32fromKey(<i32>hi);
          const label = "raw_bound m=" + describeF32(m) + " c=" + describeF32(c) + " t=" + describeF32(t) + " -> " + describeF32(B) + ", smallest x with X > t: " + describeF32(xs);
          if (!ok(xs > B)) fail(label);
          const S = Math.abs(<f64>m) + Math.abs(<f64>t / <f64>c);
          if (!ok(<f64>B <= b64 && <f64>B >= b64 - 3.814697265625e-6 * S - 5.6e-45)) fail(label + " (slack)");
          cases++;
        }
      }
    }
    end(2 * cases);
  });

  it("compact keeps exactly the entries with X > t, in order, with their indices (ties at t dropped)", () => {
    begin();
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
        if (!ok(bad == -1)) fail(label + " entry " + bad.toString() + " missing or wrong; vals=" + dumpRow(v0, len));
        if (!ok(k == e)) fail(label + " (got " + k.toString() + ", expected " + e.toString() + ")");
        if (!ok(guardsIntact(vals, cap) && guardsIntact(idx, cap))) fail(label + " guards");
      }
      releaseAll();
    }
    end(1);
  });

  it("tighten: never below t, never above the threshold of vals ∪ {m}, for every map", () => {
    begin();
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
          for (let ti = 0; ti < 5; ti++) {
            // t: −1, random below τ, and τ rounded down, one and three floats further down (Newton
            // from just below τ: its rounding errors must not carry it past τ)
            const t: f32 = ti == 0 ? -1 : ti == 1 ? f32down(TAU_LO - (TAU_LO + 1) * <f64>unit())
              : ti == 2 ? f32down(TAU_LO) : reinterpret<f32>(reinterpret<u32>(f32down(TAU_LO)) + (ti == 3 ? 1 : 3));
            const r = tighten(vals, len, m, cfg.c, t, cfg.eb, cfg.g);
            total++;
            if (r > t) raised++;
            const good = r >= t && boundOk(r);
            if (!ok(good)) fail("tighten " + cfg.name + " len=" + len.toString() + " dist=" + distName(dist) + " m=" + describeF32(m) + " t=" + describeF32(t) + " -> " + describeF32(r) + tauStr() + " vals=" + dumpRow(vals, len));
          }
          if (!ok(firstBitMismatch(vals, v0, len) == -1)) fail("tighten modified vals" + " at " + firstBitMismatch(vals, v0, len).toString());
        }
        releaseAll();
      }
    }
    note("tighten raised the bound in " + raised.toString() + " of " + total.toString() + " calls");
    expect<i32>(raised).toBeGreaterThan(total / 5);
    end(1);
  });

  it("tighten: regression input (γ = 4, Newton from the float just below τ)", () => {
    begin();
    // found by the vfilter test below (cap0 = 16): the 16 entries of a row with X > t0
    const bits: u32[] = [0x40109f1a, 0x40219f42, 0x3eab93b0, 0x402a52a0, 0x401a80a0, 0x3f5bab54, 0x3f2a3538, 0x3fd55c90,
      0x3f08a4a0, 0x4010d686, 0x40240ec4, 0x4027da76, 0x3f9ae8e8, 0x4022808e, 0x3f763ab0, 0x3eeede10];
    const vals = allocF32(16);
    for (let j = 0; j < 16; j++) setf(vals, j, reinterpret<f32>(bits[j]));
    const m = reinterpret<f32>(0x402a52a0), c: f32 = 0.25, g: f32 = 4, eb: f32 = 0.25;
    tauRow(vals, 16, m, c, g);
    const t = f32down(TAU_LO); // −0.63189423 (0xbf21c3d2); τ = −0.63189417179156
    const r = tighten(vals, 16, m, c, t, eb, g);
    if (!ok(r >= t && boundOk(r))) fail("tighten(vals, 16, m = " + describeF32(m) + ", c = 0.25, t = " + describeF32(t) + ", eb = 0.25, g = 4) = " + describeF32(r) + " >" + tauStr());
    releaseAll();
    end(1);
  });

  it("bound16 (SIMD path): ≥ −1, and ≤ the threshold of lanes ∪ {m}, on random lanes and on rmaxlanes of real rows", () => {
    begin();
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
        const good = b >= -1 && boundOk(b);
        if (!ok(good)) fail("bound16 " + cfg.name + " trial=" + trial.toString() + " m=" + describeF32(m) + " -> " + describeF32(b) + tauStr() + " lanes=" + dumpRow(lanes, 16));
        if (!ok(firstBitMismatch(lanes, l0, 16) == -1)) fail("bound16 modified lanes" + " at " + firstBitMismatch(lanes, l0, 16).toString());
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
          const good = b >= -1 && boundOk(b);
          if (!ok(good)) fail("bound16 row " + cfg.name + " " + ctx("", n, dist, li & 1) + " -> " + describeF32(b) + tauStr() + " x=" + dumpRow(x, n));
        }
        releaseAll();
      }
      releaseAll();
    }
    note("bound16 raised the bound above -1 in " + raised.toString() + " of " + total.toString() + " random lane sets");
    expect<i32>(raised).toBeGreaterThan(total / 4);
    end(1);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-vfilter: the candidate list. Contract (f32-vfilter-scalar.ts, the same for the SIMD kernel,
// whose list may differ): out.bound = the final bound t, t0 ≤ t ≤ τ; every entry with X > t is in the
// list with its index; the list holds real entries (vals[j] = x[idx[j]]), indices increasing; the
// return is the list length, or −1 once the list would exceed `limit` (the capacity starts at cap0
// and doubles while compaction keeps more than half: with cap0 ≤ limit, a returned length is ≤
// limit, and a −1 means more than limit/4 entries have X > t).

type FilterFn = (x: usize, n: i32, vals: usize, idx: usize, m: f32, c: f32, t0: f32, eb: f32, g: f32, limit: i32, cap0: i32, out: VFilterResult) => i32;

const NO_LIMIT: i32 = 0x7FFFFFFF;
let filterGaveUp = 0;

/** Runs one filter kernel on x and checks its contract against TAU_HI (set by tauRow for x). */
function checkFilter(fn: FilterFn, name0: string, x: usize, n: i32, m: f32, cfg: MapCfg, t0: f32, limit: i32, cap0: i32, label: string): i32 {
  const name = name0 + " cap0=" + cap0.toString();
  const vals = allocF32(n), idx = alloc(n << 2), xc = allocF32(n);
  copyF32(xc, x, n);
  for (let j = 0; j < n; j++) { setf(vals, j, NaN); store<i32>(idx + (<usize>j << 2), -7); }
  const r = fn(x, n, vals, idx, m, cfg.c, t0, cfg.eb, cfg.g, limit, cap0, VF);
  const B = VF.bound;
  const c = cfg.c;
  let nAbove = 0;
  for (let i = 0; i < n; i++) nAbove += i32(above(getf(x, i), m, c, B));
  const good1 = B >= t0 && boundOk(B);
  if (!good1 || r < -1 || r > n) {
    const msg = label + " " + name + " " + cfg.name + " t0=" + describeF32(t0) + " limit=" + limit.toString() + " -> " + r.toString() + " bound=" + describeF32(B) + tauStr() + " m=" + describeF32(m) + " x=" + dumpRow(x, n);
    if (!ok(good1)) fail(msg + " (need t0 <= bound <= τ)");
    if (!ok(r >= -1 && r <= n)) fail(msg + " (return out of range)");
  }
  if (!ok(firstBitMismatch(x, xc, n) == -1)) fail(label + " " + name + " modified x" + " at " + firstBitMismatch(x, xc, n).toString());
  if (!ok(guardsIntact(vals, n) && guardsIntact(idx, n))) fail(label + " " + name + " wrote outside vals/idx[0, n)");
  if (r >= 0) {
    if (cap0 <= limit) if (!ok(r <= limit)) fail(label + " " + name + " returned " + r.toString() + " > limit " + limit.toString());
    // real entries, increasing indices
    let prev = -1, bad = -1;
    for (let j = 0; j < r; j++) {
      const i = load<i32>(idx + (<usize>j << 2));
      if (i <= prev || i >= n || bitsf(vals, j) != bitsf(x, i)) { bad = j; break; }
      prev = i;
    }
    if (!ok(bad == -1)) fail(label + " " + name + " " + cfg.name + " list entry " + bad.toString() + ": idx " + load<i32>(idx + (<usize>bad << 2)).toString() + " val " + describeF32(getf(vals, bad)) + " (previous idx " + prev.toString() + ")");
    // complete: every X > bound is listed
    let j = 0, missing = -1;
    for (let i = 0; i < n; i++) {
      if (!above(getf(x, i), m, c, B)) continue;
      while (j < r && load<i32>(idx + (<usize>j << 2)) < i) j++;
      if (j >= r || load<i32>(idx + (<usize>j << 2)) != i) { missing = i; break; }
    }
    if (!ok(missing == -1)) fail(label + " " + name + " " + cfg.name + " t0=" + describeF32(t0) + " limit=" + limit.toString() + ": x[" + missing.toString() + "] = " + describeF32(getf(x, missing)) + " has X = " + describeF32((getf(x, missing) - m) * c) + " > bound = " + describeF32(B) + " but is not listed (len " + r.toString() + ") m=" + describeF32(m) + " x=" + dumpRow(x, n));
  } else {
    filterGaveUp++;
    if (!ok(r == -1)) fail(label + " " + name);
    if (!ok(limit != NO_LIMIT)) fail(label + " " + name + " gave up without a limit");
    if (cap0 <= limit) if (!ok(4 * <i64>nAbove > <i64>limit)) fail(label + " " + name + " " + cfg.name + " gave up (limit " + limit.toString() + ") with only " + nAbove.toString() + " entries above bound=" + describeF32(B));
  }
  return r;
}

describe("f32_vfilter__wasmsimd_u16 and f32_vfilter__scalar", () => {
  it("reference τ (test self-check): sparsemax by sort, and F(τ) = 1 for every map", () => {
    begin();
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
      if (!ok(TAU_LO <= tau + 1e-15 && tau - 1e-15 <= TAU_HI)) fail("sparsemax τ by sort " + tau.toString() + tauStr());
      for (let ci = 0; ci < cfgs.length; ci++) {
        const cfg = cfgs[ci];
        tauRow(x, n, m, cfg.c, cfg.g);
        let F = 0.0;
        for (let i = 0; i < n; i++) {
          const d = <f64>((getf(x, i) - m) * cfg.c) - TAU_LO;
          if (d > 0) F += Math.pow(d, <f64>cfg.g);
        }
        if (!ok(Math.abs(F - 1) <= 1e-12)) fail(cfg.name + " F(τ) = " + F.toString());
        if (!ok(TAU_HI - TAU_LO <= 1e-15 && TAU_LO >= -1 && TAU_HI <= 0)) fail(cfg.name + tauStr());
      }
    }
    releaseAll();
    end(1);
  });

  it("every length and distribution, every map, t0 = −1 / bound16 / τ rounded down; (limit, cap0) = (none, none), (none, 64), (64, 64), (none, 16)", () => {
    begin();
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
            // (limit, cap0): as short rows (no limit; no tightening, or from 64), a limit of 64,
            // and a small first capacity (frequent tightening and compaction)
            for (let lim = 0; lim < 4; lim++) {
              const limit = lim < 2 || lim == 3 ? NO_LIMIT : 64;
              const cap0 = lim == 0 ? NO_LIMIT : lim == 3 ? 16 : 64;
              checkFilter(f32_vfilter__wasmsimd_u16, "simd", x, n, m, cfg, t0, limit, cap0, label);
              checkFilter(f32_vfilter__scalar, "scalar", x, n, m, cfg, t0, limit, cap0, label);
              lists += 2;
            }
          }
        }
        releaseAll();
      }
    }
    note("vfilter: " + lists.toString() + " lists checked, " + filterGaveUp.toString() + " gave up (limit 64)");
    expect<i32>(filterGaveUp).toBeGreaterThan(0);
    end(1);
  });

  it("long rows with limit n/8 (as threshold_row): dense rows give up with a valid bound, rows with a huge gap never do", () => {
    begin();
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
            const r = checkFilter(k == 0 ? f32_vfilter__wasmsimd_u16 : f32_vfilter__scalar, k == 0 ? "simd" : "scalar", x, n, m, cfg, t0, n >> 3, 64, label);
            if (dist == SD_GAP) if (!ok(r >= 0)) fail(label + " " + cfg.name + " a row with at most 3 candidates gave up");
            // more than n/8 entries in the support (X > τ ≥ bound) cannot fit in the list
            if (nTau > (n >> 3)) if (!ok(r == -1)) fail(label + " " + cfg.name + " " + nTau.toString() + " entries above τ but the list has " + r.toString());
            if (dist == SD_DENSE) { dense++; if (r < 0) denseGaveUp++; }
          }
          checkFilter(f32_vfilter__wasmsimd_u16, "simd", x, n, m, cfg, t0, NO_LIMIT, 64, label + " no limit");
          checkFilter(f32_vfilter__scalar, "scalar", x, n, m, cfg, t0, NO_LIMIT, NO_LIMIT, label + " no limit");
        }
        releaseAll();
      }
    }
    note("vfilter long rows: dense rows gave up in " + denseGaveUp.toString() + " of " + dense.toString());
    expect<i32>(denseGaveUp).toBeGreaterThan(0);
    end(1);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-rthresh: one search pass. Twins: RT.count and RT.min identical, RT.s1..RT.s3 within 1e-6
// relative (the SIMD kernel adds each group of 16 pairwise in float32 before float64), the stored
// max(d, 0) (p1 and p2 with y ≠ 0) bit for bit. The scalar twin against an in-test reference:
// count and min of d = (x − m)·c − t > 0 (float32), and for p1 Σ d in index order.

const K_P1: i32 = 1, K_P1Y: i32 = 11, K_P2: i32 = 2, K_P2Y: i32 = 12, K_P4: i32 = 4, K_PG: i32 = 0;

function runThresh(simd: bool, kind: i32, x: usize, y: usize, n: i32, m: f32, c: f32, t: f32, g: f32): void {
  if (simd) {
    if (kind == K_P1) f32_rthresh_p1__wasmsimd_u16(x, 0, n, m, c, t, RT);
    else if (kind == K_P1Y) f32_rthresh_p1__wasmsimd_u16(x, y, n, m, c, t, RT);
    else if (kind == K_P2) f32_rthresh_p2__wasmsimd_u16(x, 0, n, m, c, t, RT);
    else if (kind == K_P2Y) f32_rthresh_p2__wasmsimd_u16(x, y, n, m, c, t, RT);
    else if (kind == K_P4) f32_rthresh_p4__wasmsimd_u16(x, n, m, c, t, RT);
    else f32_rthresh_pg__wasmsimd_u4(x, n, m, c, t, g, false, RT);
  } else {
    if (kind == K_P1) f32_rthresh_p1__scalar(x, 0, n, m, c, t, RT);
    else if (kind == K_P1Y) f32_rthresh_p1__scalar(x, y, n, m, c, t, RT);
    else if (kind == K_P2) f32_rthresh_p2__scalar(x, 0, n, m, c, t, RT);
    else if (kind == K_P2Y) f32_rthresh_p2__scalar(x, y, n, m, c, t, RT);
    else if (kind == K_P4) f32_rthresh_p4__scalar(x, n, m, c, t, RT);
    else f32_rthresh_pg__scalar(x, n, m, c, t, g, RT);
  }
}

let worstThreshRel: f64 = 0;
let worstThreshWhere = "";

function checkThresh(kind: i32, x: usize, n: i32, m: f32, c: f32, t: f32, g: f32, label: string): void {
  const store = kind >= 10;
  const y1 = store ? allocF32(n) : 0, y2 = store ? allocF32(n) : 0;
  if (store) for (let i = 0; i < n; i++) { setf(y1, i, NaN); setf(y2, i, 12345); }
  runThresh(true, kind, x, y1, n, m, c, t, g);
  const c1 = RT.count, mn1 = RT.min, a1 = RT.s1, a2 = RT.s2, a3 = RT.s3;
  runThresh(false, kind, x, y2, n, m, c, t, g);
  const c2 = RT.count, mn2 = RT.min, b1 = RT.s1, b2 = RT.s2, b3 = RT.s3;
  // reference
  let cnt = 0, mn: f32 = Infinity, s1 = 0.0;
  for (let i = 0; i < n; i++) {
    const d: f32 = (getf(x, i) - m) * c - t;
    if (!(d > 0)) continue;
    cnt++;
    if (d < mn) mn = d;
    s1 += <f64>d;
  }
  const r1 = relDiff(a1, b1), r2 = relDiff(a2, b2), r3 = relDiff(a3, b3);
  const r = Math.max(r1, Math.max(r2, r3));
  const good = c1 == c2 && c2 == cnt && reinterpret<u32>(mn1) == reinterpret<u32>(mn2) && reinterpret<u32>(mn2) == reinterpret<u32>(mn) && r <= 1e-6
    && (kind != K_P1 && kind != K_P1Y || reinterpret<u64>(b1) == reinterpret<u64>(s1));
  if (!ok(good)) {
    fail(label + " kind=" + kind.toString() + " m=" + describeF32(m) + " c=" + describeF32(c) + " t=" + describeF32(t) + " g=" + describeF32(g)
      + ": count simd " + c1.toString() + " scalar " + c2.toString() + " ref " + cnt.toString()
      + "; min simd " + describeF32(mn1) + " scalar " + describeF32(mn2) + " ref " + describeF32(mn)
      + "; S1 " + a1.toString() + " / " + b1.toString() + " (ref " + s1.toString() + "); S2 " + a2.toString() + " / " + b2.toString() + "; S3 " + a3.toString() + " / " + b3.toString() + " x=" + dumpRow(x, n));
  }
  if (r > worstThreshRel) { worstThreshRel = r; worstThreshWhere = label + " kind=" + kind.toString() + " g=" + g.toString(); }
  if (store) {
    const bad = firstBitMismatch(y1, y2, n);
    if (!ok(bad == -1)) fail(label + " kind=" + kind.toString() + " t=" + describeF32(t) + " stored d[" + bad.toString() + "] simd " + describeF32(getf(y1, bad)) + " scalar " + describeF32(getf(y2, bad)) + " x=" + describeF32(getf(x, bad)));
    let bad2 = -1;
    for (let i = 0; i < n; i++) {
      const d: f32 = (getf(x, i) - m) * c - t;
      if (bitsf(y2, i) != reinterpret<u32>(d > 0 ? d : <f32>0)) { bad2 = i; break; }
    }
    if (!ok(bad2 == -1)) fail(label + " kind=" + kind.toString() + " stored d[" + bad2.toString() + "] = " + describeF32(getf(y2, bad2)) + " is not max(d, +0)");
    if (!ok(guardsIntact(y1, n) && guardsIntact(y2, n))) fail(label + " kind=" + kind.toString() + " wrote outside y[0, n)");
  }
}

describe("f32_rthresh_{p1,p2,p4}__wasmsimd_u16 and pg__wasmsimd_u4 vs scalar twins", () => {
  it("every length, distribution and misalignment, three maps per row, t = −1 / τ↓ / τ↑ / random / an entry's X", () => {
    begin();
    seed(161);
    const cfgs = mapConfigs();
    const lens = sparseLengths();
    const kinds: i32[] = [K_P1, K_P1Y, K_P2, K_P2Y, K_P4, K_PG];
    let passes = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          fillSparse(x, n, dist);
          const m = rowMax(x, n);
          for (let k = 0; k < 3; k++) {
            const cfg = cfgs[(li * 7 + dist * 3 + off + k * 3) % cfgs.length];
            tauRow(x, n, m, cfg.c, cfg.g);
            const label = ctx("rthresh", n, dist, off) + " " + cfg.name;
            for (let ti = 0; ti < 5; ti++) {
              let t: f32 = ti == 0 ? -1 : ti == 1 ? f32down(TAU_LO) : ti == 2 ? <f32>TAU_HI : -uniform(0, 1);
              if (ti == 4) { const X: f32 = (getf(x, <i32>(nextU32() % <u32>n)) - m) * cfg.c; if (X >= -1) t = X; }
              for (let ki = 0; ki < kinds.length; ki++) { checkThresh(kinds[ki], x, n, m, cfg.c, t, cfg.g, label); passes++; }
            }
          }
        }
        releaseAll();
      }
    }
    note("rthresh: " + passes.toString() + " passes compared; worst relative sum difference " + worstThreshRel.toString() + " (" + worstThreshWhere + ")");
    end(passes);
  });

  it("general γ over d down to the subnormal range (t just below an entry's X)", () => {
    begin();
    seed(162);
    const gs: f32[] = [0.5, <f32>(4.0 / 3.0), 1.5, <f32>(1.0 / 0.6), 2.5, 3, 10];
    for (let n = 1; n <= 40; n++) {
      const x = allocF32(n);
      fillSparse(x, n, SD_UNIFORM);
      const m = rowMax(x, n);
      for (let gi = 0; gi < gs.length; gi++) {
        // t one float below the X of some entry: d is one ulp of X, down to subnormal when X ≈ 0
        const j = <i32>(nextU32() % <u32>n);
        const X: f32 = (getf(x, j) - m) * 1;
        if (X < -1) continue;
        const t = reinterpret<f32>(X == 0 ? 0x80000001 : reinterpret<u32>(X) + 1);
        checkThresh(K_PG, x, n, m, 1, t, gs[gi], "rthresh pg tiny d n=" + n.toString());
      }
    }
    releaseAll();
    end(40);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-vthreshpow: the output pass. Twins: outputs bit for bit, VP.count equal (and = count(y > 0)),
// sums within 1e-6 relative; in place (x == y) the same; y = 0 wherever d ≤ 0.

function runVpow(simd: bool, E: i32, x: usize, y: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, e: f32): f64 {
  if (simd) {
    if (E == 1 || E == 2 || E == 4) return f32_vthreshpow_e124__wasmsimd_u16(x, y, n, m, c, hi, lo, E, VP);
    return f32_vthreshpow_eg__wasmsimd_u4(x, y, n, m, c, hi, lo, e, false, VP);
  }
  if (E == 1) return f32_vthreshpow_e1__scalar(x, y, n, m, c, hi, lo, VP);
  if (E == 2) return f32_vthreshpow_e2__scalar(x, y, n, m, c, hi, lo, VP);
  if (E == 4) return f32_vthreshpow_e4__scalar(x, y, n, m, c, hi, lo, VP);
  return f32_vthreshpow_eg__scalar(x, y, n, m, c, hi, lo, e, VP);
}

let worstVpowRel: f64 = 0;
let worstVpowWhere = "";

function checkVpow(E: i32, e: f32, x: usize, n: i32, m: f32, c: f32, hi: f32, lo: f32, label0: string): void {
  const y1 = allocF32(n), y2 = allocF32(n), z = allocF32(n);
  for (let i = 0; i < n; i++) { setf(y1, i, NaN); setf(y2, i, 777); }
  const s1 = runVpow(true, E, x, y1, n, m, c, hi, lo, e);
  const k1 = VP.count;
  const s2 = runVpow(false, E, x, y2, n, m, c, hi, lo, e);
  const k2 = VP.count;
  copyF32(z, x, n);
  const s3 = runVpow(true, E, z, z, n, m, c, hi, lo, e);
  const k3 = VP.count;
  let pos = 0, zeroBad = -1;
  for (let i = 0; i < n; i++) {
    const v = getf(y2, i);
    pos += i32(v > 0);
    const d: f32 = ((getf(x, i) - m) * c - hi) - lo;
    if (!(d > 0) && bitsf(y2, i) != 0 && zeroBad < 0) zeroBad = i;
    if (!(v >= 0) && zeroBad < 0) zeroBad = i;
  }
  const bad = firstBitMismatch(y1, y2, n), badIn = firstBitMismatch(z, y1, n);
  const rel = relDiff(s1, s2);
  if (rel > worstVpowRel) { worstVpowRel = rel; worstVpowWhere = label0 + " E=" + E.toString() + " e=" + e.toString(); }
  const good = bad == -1 && badIn == -1 && k1 == k2 && k2 == pos && k3 == k1 && rel <= 1e-6 && reinterpret<u64>(s3) == reinterpret<u64>(s1) && zeroBad == -1;
  if (!ok(good)) {
    const i = bad >= 0 ? bad : badIn >= 0 ? badIn : zeroBad >= 0 ? zeroBad : 0;
    fail(label0 + " E=" + E.toString() + " e=" + describeF32(e) + " m=" + describeF32(m) + " c=" + describeF32(c) + " hi=" + describeF32(hi) + " lo=" + describeF32(lo)
      + ": first mismatch " + bad.toString() + " (in place " + badIn.toString() + ", y>0 where d<=0 or y<0: " + zeroBad.toString() + ") at x=" + describeF32(getf(x, i))
      + " simd " + describeF32(getf(y1, i)) + " scalar " + describeF32(getf(y2, i)) + " in place " + describeF32(getf(z, i))
      + "; count " + k1.toString() + " / " + k2.toString() + " / in place " + k3.toString() + " (y > 0: " + pos.toString() + "); sum " + s1.toString() + " / " + s2.toString() + " / in place " + s3.toString());
  }
  if (!ok(guardsIntact(y1, n) && guardsIntact(y2, n) && guardsIntact(z, n))) fail(label0 + " E=" + E.toString() + " wrote outside y[0, n)");
}

describe("f32_vthreshpow_e124__wasmsimd_u16 and eg__wasmsimd_u4 vs scalar twins", () => {
  it("every length, distribution and misalignment; τ from the map, −1, random, an entry's X; hi/lo split", () => {
    begin();
    seed(171);
    // (E, e, c, γ): sparsemax, 1.5-entmax, α = 1.25 entmax, and general powers (α-entmax e = γ,
    // normmax α = 4: e = 1/3 with γ = 4/3)
    const Es: i32[] = [1, 2, 4, 0, 0, 0, 0, 0];
    const es: f32[] = [1, 2, 4, 0.5, 1.5, 3, <f32>(1.0 / 3.0), 0.25];
    const cs: f32[] = [1, 0.5, 0.25, 2, <f32>(2.0 / 3.0), <f32>(1.0 / 3.0), 1, 4];
    const gs: f32[] = [1, 2, 4, 0.5, 1.5, 3, <f32>(4.0 / 3.0), 0.25];
    const lens = sparseLengths();
    let calls = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        const off = (li + dist) % 4;
        const x = allocF32(n, off);
        fillSparse(x, n, dist);
        const m = rowMax(x, n);
        for (let ei = 0; ei < Es.length; ei++) {
          const c = cs[ei];
          tauRow(x, n, m, c, gs[ei]);
          const label = ctx("vthreshpow", n, dist, off);
          for (let ti = 0; ti < 4; ti++) {
            let hi: f32, lo: f32;
            if (ti == 0) { hi = <f32>TAU_LO; lo = <f32>(TAU_LO - <f64>hi); }
            else if (ti == 1) { hi = -1; lo = 0; }
            else if (ti == 2) { hi = -uniform(0, 1); lo = uniform(-1e-8, 1e-8); }
            else { const X: f32 = (getf(x, <i32>(nextU32() % <u32>n)) - m) * c; hi = X >= -1 ? X : -0.5; lo = 0; }
            checkVpow(Es[ei], es[ei], x, n, m, c, hi, lo, label);
            calls++;
          }
        }
        releaseAll();
      }
    }
    note("vthreshpow: " + calls.toString() + " output passes compared; worst relative sum difference " + worstVpowRel.toString() + " (" + worstVpowWhere + ")");
    end(calls);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-vrelusub: outputs from the stored d = max(X − t, 0). Twins bit for bit, counts equal (and =
// count(y > 0)), zeros stay +0 even when δ < 0, outputs ≤ 1, in place (d == y) the same.

function checkRelu(E: i32, d: usize, n: i32, hi: f32, lo: f32, s: f32, label: string): void {
  const y1 = allocF32(n), y2 = allocF32(n), z1 = allocF32(n), z2 = allocF32(n);
  for (let i = 0; i < n; i++) { setf(y1, i, NaN); setf(y2, i, 999); }
  // (e2 takes no scale: 1.5-entmax sums to 1 by itself)
  const k1 = E == 1 ? f32_vrelusub_e1__wasmsimd_u16(d, y1, n, hi, lo, s) : f32_vrelusub_e2__wasmsimd_u16(d, y1, n, hi, lo);
  const k2 = E == 1 ? f32_vrelusub_e1__scalar(d, y2, n, hi, lo, s) : f32_vrelusub_e2__scalar(d, y2, n, hi, lo);
  copyF32(z1, d, n); copyF32(z2, d, n);
  const k3 = E == 1 ? f32_vrelusub_e1__wasmsimd_u16(z1, z1, n, hi, lo, s) : f32_vrelusub_e2__wasmsimd_u16(z1, z1, n, hi, lo);
  const k4 = E == 1 ? f32_vrelusub_e1__scalar(z2, z2, n, hi, lo, s) : f32_vrelusub_e2__scalar(z2, z2, n, hi, lo);
  let pos = 0, zeroBad = -1, bigBad = -1;
  for (let i = 0; i < n; i++) {
    const v = getf(y2, i);
    pos += i32(v > 0);
    if (getf(d, i) == 0 && (bitsf(y1, i) != 0 || bitsf(y2, i) != 0) && zeroBad < 0) zeroBad = i;
    if (!(v <= 1) && bigBad < 0) bigBad = i;
  }
  const bad = firstBitMismatch(y1, y2, n), b3 = firstBitMismatch(z1, y1, n), b4 = firstBitMismatch(z2, y2, n);
  const good = bad == -1 && b3 == -1 && b4 == -1 && k1 == k2 && k2 == pos && k3 == k1 && k4 == k2 && zeroBad == -1 && bigBad == -1;
  if (!ok(good)) {
    const i = bad >= 0 ? bad : b3 >= 0 ? b3 : b4 >= 0 ? b4 : zeroBad >= 0 ? zeroBad : bigBad >= 0 ? bigBad : 0;
    fail(label + " E=" + E.toString() + " hi=" + describeF32(hi) + " lo=" + describeF32(lo) + " s=" + describeF32(s)
      + ": mismatch at " + bad.toString() + " (in place simd " + b3.toString() + ", scalar " + b4.toString() + "; zero input not +0: " + zeroBad.toString() + "; above 1: " + bigBad.toString() + ") d=" + describeF32(getf(d, i))
      + " simd " + describeF32(getf(y1, i)) + " scalar " + describeF32(getf(y2, i)) + "; counts " + k1.toString() + " / " + k2.toString() + " / " + k3.toString() + " / " + k4.toString() + " (y > 0: " + pos.toString() + ")");
  }
  if (!ok(guardsIntact(y1, n) && guardsIntact(y2, n) && guardsIntact(z1, n))) fail(label + " wrote outside y[0, n)");
}

describe("f32_vrelusub_{e1,e2}__wasmsimd_u16 vs scalar twins", () => {
  it("d from rthresh p1/p2 stores and random d with ±0; δ ≥ 0, δ = 0, δ < 0; several scales", () => {
    begin();
    seed(181);
    const lens = sparseLengths();
    const ss: f32[] = [1, 0.731, 3.5, 1e-3];
    let calls = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist <= SD_COUNT; dist++) {
        const off = (li + dist) & 3;
        const d = allocF32(n, off);
        let delta: f64 = 0.01;
        if (dist < SD_COUNT) {
          // as threshold_row: the last pass at t stored max(X − t, 0); δ = τ − t ≥ 0
          const x = allocF32(n, off);
          fillSparse(x, n, dist);
          const m = rowMax(x, n);
          const sparsemax = (li & 1) == 0;
          const c: f32 = sparsemax ? 1 : 0.5;
          tauRow(x, n, m, c, sparsemax ? 1 : 2);
          const t: f32 = (li & 2) == 0 ? f32down(TAU_LO) : f32down(TAU_LO - 0.1 * (TAU_LO + 1));
          if (sparsemax) f32_rthresh_p1__wasmsimd_u16(x, d, n, m, c, t, RT); else f32_rthresh_p2__wasmsimd_u16(x, d, n, m, c, t, RT);
          delta = TAU_LO - <f64>t;
        } else {
          for (let i = 0; i < n; i++) {
            const r = nextU32() % 10;
            setf(d, i, r < 3 ? 0 : r == 3 ? -0.0 : r == 4 ? reinterpret<f32>(1 + (nextU32() & 0xFFFF)) : uniform(0, 1));
          }
        }
        const label = "vrelusub " + (dist < SD_COUNT ? distName(dist) : "random d") + " n=" + n.toString() + " offset=" + off.toString();
        for (let di = 0; di < 6; di++) {
          let hi: f32, lo: f32;
          if (di == 0) { hi = <f32>delta; lo = <f32>(delta - <f64>hi); }
          else if (di == 1) { hi = 0; lo = 0; }
          else if (di == 2) { hi = -0.01; lo = 0; }
          else if (di == 3) { hi = -1e-7; lo = -1e-15; }
          else if (di == 4) { hi = 0.3; lo = 0; }
          else { hi = 0.05; lo = 1e-9; }
          for (let si = 0; si < ss.length; si++) {
            checkRelu(1, d, n, hi, lo, ss[si], label);
            checkRelu(2, d, n, hi, lo, ss[si], label);
            calls += 2;
          }
        }
        releaseAll();
      }
    }
    note("vrelusub: " + calls.toString() + " calls compared");
    end(calls);
  });
});

// ---------------------------------------------------------------------------------------------
// f32-raddstoreexpminusmax-thr: ev-softmax's exp pass. Twins bit for bit, sums within the bound
// of the plain exp pass (kernels.spec.ts: 2 float32 roundings per term, 1.2e-7); in eval mode
// (eps = 0) entries below thr are exactly +0, entries ≥ thr equal the plain exp pass
// (f32_raddstoreexpminusmax__scalar_b2_p5, k = 1) bit for bit, and with eps = 1e-6 entries below
// thr equal exp·eps.

let worstThrRel: f64 = 0;
let worstThrWhere = "";

function checkThr(x: usize, n: i32, m: f32, thr: f32, eps: f32, label0: string): void {
  const y1 = allocF32(n), y2 = allocF32(n), yp = allocF32(n);
  for (let i = 0; i < n; i++) { setf(y1, i, NaN); setf(y2, i, 4321); }
  const s1 = expstore_thr(x, y1, n, m, thr, eps);
  const s2 = f32_raddstoreexpminusmax_thr__scalar_b2_p5(x, y2, n, m, thr, eps);
  f32_raddstoreexpminusmax__scalar_b2_p5(x, yp, n, m, 1);
  let refBad = -1, s = 0.0;
  for (let i = 0; i < n; i++) {
    const v = getf(x, i);
    const want: f32 = v < thr ? (eps == 0 ? <f32>0 : getf(yp, i) * eps) : getf(yp, i);
    if (bitsf(y2, i) != reinterpret<u32>(want) && refBad < 0) refBad = i;
    s += <f64>getf(y2, i);
  }
  // the 4-lane kernel (training mode in the driver) for both eps, eps = 0 included
  const y4 = allocF32(n);
  for (let i = 0; i < n; i++) setf(y4, i, NaN);
  const s4 = f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_u4(x, y4, n, m, thr, eps);
  const bad4 = firstBitMismatch(y4, y2, n);
  if (!ok(bad4 == -1)) fail(label0 + " u4 eps=" + describeF32(eps) + " y[" + bad4.toString() + "] u4 " + describeF32(getf(y4, bad4)) + " scalar " + describeF32(getf(y2, bad4)));
  if (!ok(relDiff(s4, s2) <= 1.2e-7 && guardsIntact(y4, n))) fail(label0 + " u4 eps=" + describeF32(eps) + " sum " + s4.toString() + " scalar " + s2.toString());
  const bad = firstBitMismatch(y1, y2, n);
  const rel = relDiff(s1, s2);
  if (rel > worstThrRel) { worstThrRel = rel; worstThrWhere = label0 + " eps=" + eps.toString(); }
  const label = label0 + " eps=" + describeF32(eps) + " m=" + describeF32(m) + " thr=" + describeF32(thr);
  if (!ok(bad == -1)) fail(label + " y[" + bad.toString() + "] simd " + describeF32(getf(y1, bad)) + " scalar " + describeF32(getf(y2, bad)) + " x=" + describeF32(getf(x, bad)));
  if (!ok(refBad == -1)) fail(label + " scalar y[" + refBad.toString() + "] = " + describeF32(getf(y2, refBad)) + " for x=" + describeF32(getf(x, refBad)) + " (plain exp pass " + describeF32(getf(yp, refBad)) + ")");
  if (!ok(rel <= 1.2e-7 && reinterpret<u64>(s2) == reinterpret<u64>(s))) fail(label + " sum simd " + s1.toString() + " scalar " + s2.toString() + " (Σ y " + s.toString() + ")");
  if (!ok(guardsIntact(y1, n) && guardsIntact(y2, n))) fail(label + " wrote outside y[0, n)");
}

describe("f32_raddstoreexpminusmax_thr__wasmsimd_b2_p5_{u16,u4} (config.ts expstore_thr) vs scalar twin", () => {
  it("eps = 0 and 1e-6; thr = the driver's mean, the max, an entry, random, ±∞", () => {
    begin();
    seed(191);
    const lens = sparseLengths();
    let calls = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          fillSparse(x, n, dist);
          const m = rowMax(x, n);
          let sum = 0.0, k = 0;
          let lo: f32 = Infinity;
          for (let i = 0; i < n; i++) { const v = getf(x, i); if (v != -Infinity) { sum += <f64>v; k++; if (v < lo) lo = v; } }
          const label = ctx("raddstore-thr", n, dist, off);
          for (let ti = 0; ti < 6; ti++) {
            const thr: f32 = ti == 0 ? f32up(sum / <f64>k) : ti == 1 ? m : ti == 2 ? getf(x, <i32>(nextU32() % <u32>n))
              : ti == 3 ? lo + (m - lo) * unit() : ti == 4 ? -Infinity : Infinity;
            checkThr(x, n, m, thr, 0, label);
            checkThr(x, n, m, thr, 1e-6, label);
            calls += 2;
          }
        }
        releaseAll();
      }
    }
    note("raddstore-thr: " + calls.toString() + " passes compared; worst relative sum difference " + worstThrRel.toString() + " (" + worstThrWhere + ")");
    end(calls);
  });
});

// ---------------------------------------------------------------------------------------------
// pow.ts: lnf and powf_pos against Math.log / Math.pow in f64 (header: lnf a few ulp; d^e within
// about (1.5·|e·ln d| + 3)·1.2e-7 relative; subnormal d give a finite, tiny result, never NaN), and
// the vector functions lane for lane equal to the scalar ones.

/** Sweep of d in (0, 1]: random mantissas in every binade 2^-126..1, binade edges, 1 − k·2^-24,
 *  the √½ boundary of lnf's reduction, d = 1, and subnormals. */
function powSweep(): f32[] {
  const a = new Array<f32>();
  for (let e = -126; e < 0; e++) {
    const base = <u32>(e + 127) << 23;
    a.push(reinterpret<f32>(base));
    a.push(reinterpret<f32>(base + 1));
    a.push(reinterpret<f32>(base + 0x7FFFFF));
    for (let j = 0; j < 40; j++) a.push(reinterpret<f32>(base + (nextU32() & 0x7FFFFF)));
  }
  for (let j = 0; j < 4000; j++) a.push(0.5 + 0.5 * unit());
  for (let k = 1; k <= 64; k++) a.push(<f32>1 - <f32>k * reinterpret<f32>(0x33800000));
  for (let k = -32; k <= 32; k++) a.push(reinterpret<f32>(0x3F3504F3 + k));
  a.push(1);
  // subnormals
  a.push(reinterpret<f32>(1)); a.push(reinterpret<f32>(2)); a.push(reinterpret<f32>(0x7FFFFF)); a.push(reinterpret<f32>(0x400000));
  for (let j = 0; j < 200; j++) a.push(reinterpret<f32>(1 + (nextU32() % 0x7FFFFF)));
  return a;
}

/** Spacing of float32 at |v| (normal range). */
function ulp32(v: f64): f64 {
  let e = <i32>((reinterpret<u64>(Math.abs(v)) >> 52) & 0x7FF) - 1023;
  if (e < -126) e = -126;
  return reinterpret<f64>(<u64>(e - 23 + 1023) << 52);
}

const POW_ES: f32[] = [0.1, 0.25, <f32>(1.0 / 3.0), 0.5, 0.75, 1, <f32>(4.0 / 3.0), 1.5, <f32>(1.0 / 0.6), 2, 2.5, 3, 4, 10];
const LN_ULP_BOUND: f64 = 4; // "a few ulp"

describe("pow.ts: lnf, powf_pos, lnv, powv", () => {
  it("lnf: within 4 ulp of ln d for every normal d in (0, 1], exactly 0 at d = 1", () => {
    begin();
    seed(201);
    const ds = powSweep();
    let worst = 0.0, worstAt: f32 = 0;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i];
      if (d < reinterpret<f32>(0x00800000)) continue; // subnormal: see below
      const got = lnf(d), ref = Math.log(<f64>d);
      const u = Math.abs(<f64>got - ref) / ulp32(ref);
      if (u > worst) { worst = u; worstAt = d; }
      if (!ok(u <= LN_ULP_BOUND)) fail("lnf(" + describeF32(d) + ") = " + describeF32(got) + ", ln = " + ref.toString() + ": " + u.toString() + " ulp");
    }
    // and a strided sweep over the bit patterns of the normal floats in (0, 1)
    for (let b: u32 = 0x00800000; b < 0x3F800000; b += 1009) {
      const d = reinterpret<f32>(b);
      const got = lnf(d), ref = Math.log(<f64>d);
      const u = Math.abs(<f64>got - ref) / ulp32(ref);
      if (u > worst) { worst = u; worstAt = d; }
      if (!ok(u <= LN_ULP_BOUND)) fail("lnf(" + describeF32(d) + ") = " + describeF32(got) + ", ln = " + ref.toString() + ": " + u.toString() + " ulp");
    }
    if (!ok(reinterpret<u32>(lnf(1)) == 0)) fail("lnf(1) = " + describeF32(lnf(1)));
    note("lnf: max error " + worst.toString() + " ulp at d = " + describeF32(worstAt));
    end(1000);
  });

  it("powf_pos: relative error ≤ (1.5·|e·ln d| + 3)·1.2e-7 while d^e is a normal float; subnormal d: finite, ≥ 0, tiny", () => {
    begin();
    seed(202);
    const ds = powSweep();
    let worstRatio = 0.0, worstD: f32 = 0, worstE: f32 = 0;
    for (let ei = 0; ei < POW_ES.length; ei++) {
      const e = POW_ES[ei];
      for (let i = 0; i < ds.length; i++) {
        const d = ds[i];
        const got = powf_pos(d, e);
        const label = "powf_pos(" + describeF32(d) + ", " + describeF32(e) + ") = " + describeF32(got);
        if (d < reinterpret<f32>(0x00800000)) {
          // subnormal d: finite, not NaN, ≥ 0, and no larger than d^e for d = 2^-125 (tiny)
          const cap = Math.max(Math.pow(reinterpret<f32>(0x01000000), <f64>e), 4.7e-38);
          if (!ok(isFinite(got) && got >= 0 && <f64>got <= cap)) fail(label + " (subnormal d: want finite, >= 0, <= " + cap.toString() + ")");
          continue;
        }
        const el = <f64>e * Math.log(<f64>d);
        const ref = Math.pow(<f64>d, <f64>e);
        if (el < -87) { // the result is near or below the float32 normal range (+0 below about 2^-126.5, possibly subnormal between)
          if (!ok(isFinite(got) && got >= 0 && <f64>got <= 4.7e-38)) fail(label + " (exact " + ref.toString() + ")");
          continue;
        }
        const rel = Math.abs(<f64>got - ref) / ref;
        const bound = (1.5 * Math.abs(el) + 3) * 1.2e-7; // 1.5: the exp's own |y|·7e-8 (math/exp.ts)
        if (rel / bound > worstRatio) { worstRatio = rel / bound; worstD = d; worstE = e; }
        if (!ok(rel <= bound)) fail(label + ", exact " + ref.toString() + ": relative error " + rel.toString() + " > (1.5·|e ln d| + 3)·1.2e-7 = " + bound.toString());
      }
    }
    note("powf_pos: worst error / bound = " + worstRatio.toString() + " at d = " + describeF32(worstD) + ", e = " + describeF32(worstE));
    end(10000);
  });

  it("lnv and powv equal lnf and powf_pos lane for lane, bit for bit (normal and subnormal d)", () => {
    begin();
    seed(203);
    const ds = powSweep();
    const buf = alloc(16);
    for (let ei = 0; ei < POW_ES.length; ei++) {
      const e = POW_ES[ei];
      for (let i = 0; i + 4 <= ds.length; i += 4) {
        for (let l = 0; l < 4; l++) setf(buf, l, ds[i + l]);
        const v = v128.load(buf);
        const L = lnv(v), P = powv(v, f32x4.splat(e));
        for (let l = 0; l < 4; l++) {
          const d = ds[i + l];
          if (ei == 0) {
            const lv = l == 0 ? f32x4.extract_lane(L, 0) : l == 1 ? f32x4.extract_lane(L, 1) : l == 2 ? f32x4.extract_lane(L, 2) : f32x4.extract_lane(L, 3);
            if (!ok(sameF32(lv, lnf(d)))) fail("lnv lane " + l.toString() + " d=" + describeF32(d) + ": " + describeF32(lv) + " lnf " + describeF32(lnf(d)));
          }
          const pv = l == 0 ? f32x4.extract_lane(P, 0) : l == 1 ? f32x4.extract_lane(P, 1) : l == 2 ? f32x4.extract_lane(P, 2) : f32x4.extract_lane(P, 3);
          if (!ok(sameF32(pv, powf_pos(d, e)))) fail("powv lane " + l.toString() + " d=" + describeF32(d) + " e=" + describeF32(e) + ": " + describeF32(pv) + " powf_pos " + describeF32(powf_pos(d, e)));
        }
      }
    }
    releaseAll();
    end(10000);
  });
});

describe("pow.ts: log1pf, log1pv, pow1pf, pow1pv (the near-1 maps)", () => {
  it("log1pf: within 4 ulp of ln(1 + u) for u in (−1, 1], also where 1 + u rounds to 1; lanes equal log1pf", () => {
    begin();
    seed(211);
    const buf = alloc(16);
    let worst = 0.0;
    for (let i = 0; i < 20000; i++) {
      // log-uniform magnitudes from 1e-12 to 1, both signs (u > −1)
      const mag = <f32>Math.pow(10, -12 + 12 * <f64>unit());
      const u: f32 = i & 1 ? mag : -mag * <f32>0.999;
      const got = log1pf(u), ref = Math.log1p(<f64>u);
      const err = Math.abs(<f64>got - ref) / ulp32(ref);
      if (err > worst) worst = err;
      if (!ok(err <= 4)) fail("log1pf(" + describeF32(u) + ") = " + describeF32(got) + ", ln(1+u) = " + ref.toString() + ": " + err.toString() + " ulp");
      setf(buf, i & 3, u);
      if ((i & 3) == 3) {
        const L = log1pv(v128.load(buf));
        for (let l = 0; l < 4; l++) {
          const lv = l == 0 ? f32x4.extract_lane(L, 0) : l == 1 ? f32x4.extract_lane(L, 1) : l == 2 ? f32x4.extract_lane(L, 2) : f32x4.extract_lane(L, 3);
          if (!ok(sameF32(lv, log1pf(getf(buf, l))))) fail("log1pv lane " + l.toString() + ": " + describeF32(lv) + " vs " + describeF32(log1pf(getf(buf, l))));
        }
      }
    }
    note("log1pf: max error " + worst.toString() + " ulp");
    releaseAll();
    end(1000);
  });

  it("pow1pf: (1 + u)^e with e up to 1e6 and |u| down to 1e-9 within (3·|e·ln(1+u)| + 3)·1.2e-7 relative; lanes equal", () => {
    begin();
    seed(212);
    const buf = alloc(16);
    const es: f32[] = [65, 100, 1000, 1e4, 1e6];
    for (let ei = 0; ei < es.length; ei++) {
      const e = es[ei];
      for (let i = 0; i < 4000; i++) {
        const u: f32 = <f32>(-(<f64>unit()) * 20 / <f64>e); // e·ln(1 + u) in about [−20, 0]
        const got = pow1pf(u, e), el = <f64>e * Math.log1p(<f64>u), ref = Math.exp(el);
        const rel = Math.abs(<f64>got - ref) / ref;
        if (!ok(rel <= (3 * Math.abs(el) + 3) * 1.2e-7)) fail("pow1pf(" + describeF32(u) + ", " + describeF32(e) + ") = " + describeF32(got) + ", exact " + ref.toString());
        setf(buf, i & 3, u);
        if ((i & 3) == 3) {
          const P = pow1pv(v128.load(buf), f32x4.splat(e));
          for (let l = 0; l < 4; l++) {
            const pv = l == 0 ? f32x4.extract_lane(P, 0) : l == 1 ? f32x4.extract_lane(P, 1) : l == 2 ? f32x4.extract_lane(P, 2) : f32x4.extract_lane(P, 3);
            if (!ok(sameF32(pv, pow1pf(getf(buf, l), e)))) fail("pow1pv lane " + l.toString());
          }
        }
      }
    }
    releaseAll();
    end(1000);
  });
});

describe("sparse kernels: summary", () => {
  it("logs the number of checks", () => {
    note("sparse.spec.ts: " + TOTAL_CHECKS.toString() + " checks");
    expect<i64>(TOTAL_CHECKS).toBeGreaterThan(100000);
  });
});

// ---------------------------------------------------------------------------------------------
// The near-1 maps (α within 1/64 of 1): the u4 kernels with near1 = true against the scalar
// twins f32_rthresh_p1p__scalar and f32_vthreshpow_e1p__scalar: the search pass's count equal,
// RT.min +∞ for both, sums within 1e-6 relative; the output pass bit for bit (also in place),
// counts equal, sums within 1e-6 relative.

describe("near-1 maps: f32_rthresh_pg__wasmsimd_u4 and f32_vthreshpow_eg__wasmsimd_u4 (near1) vs p1p / e1p scalar twins", () => {
  it("every length and distribution, α − 1 = 1/64 .. 1e-4, s = 0 / random / from an entry", () => {
    begin();
    seed(181);
    const cs: f32[] = [<f32>(1.0 / 64.0), 0.01, 0.001, 0.0001];
    const lens = sparseLengths();
    let calls = 0;
    for (let li = 0; li < lens.length; li++) {
      const n = lens[li];
      for (let dist = 0; dist < SD_COUNT; dist++) {
        const off = (li + dist) % 4;
        const x = allocF32(n, off);
        fillSparse(x, n, dist);
        const m = rowMax(x, n);
        const y1 = allocF32(n), y2 = allocF32(n), z = allocF32(n);
        for (let ci = 0; ci < cs.length; ci++) {
          const c = cs[ci], g: f32 = 1 / c;
          for (let si = 0; si < 3; si++) {
            let s: f32 = si == 0 ? 0 : uniform(0, 1);
            if (si == 2) { const X: f32 = (getf(x, <i32>(nextU32() % <u32>n)) - m) * c; if (X >= -1) s = 1 + X; }
            const label = ctx("near-1", n, dist, off) + " c=" + describeF32(c) + " s=" + describeF32(s);
            // search pass
            f32_rthresh_pg__wasmsimd_u4(x, n, m, c, s, g, true, RT);
            const k1 = RT.count, mn1 = RT.min, a1 = RT.s1, a2 = RT.s2, a3 = RT.s3;
            f32_rthresh_p1p__scalar(x, n, m, c, s, g, RT);
            const r = Math.max(relDiff(a1, RT.s1), Math.max(relDiff(a2, RT.s2), relDiff(a3, RT.s3)));
            if (!ok(k1 == RT.count && mn1 == Infinity && RT.min == Infinity && r <= 1e-6)) {
              fail(label + " rthresh: count " + k1.toString() + " / " + RT.count.toString() + " min " + describeF32(mn1) + " / " + describeF32(RT.min)
                + " S1 " + a1.toString() + " / " + RT.s1.toString() + " S2 " + a2.toString() + " / " + RT.s2.toString() + " S3 " + a3.toString() + " / " + RT.s3.toString());
            }
            // output pass, s split into hi + lo
            const hi = s, lo: f32 = si == 1 ? hi * <f32>1e-8 : 0;
            for (let i = 0; i < n; i++) { setf(y1, i, NaN); setf(y2, i, 777); }
            const e = g;
            const o1 = f32_vthreshpow_eg__wasmsimd_u4(x, y1, n, m, c, hi, lo, e, true, VP);
            const q1 = VP.count;
            const o2 = f32_vthreshpow_e1p__scalar(x, y2, n, m, c, hi, lo, e, VP);
            const q2 = VP.count;
            copyF32(z, x, n);
            const o3 = f32_vthreshpow_eg__wasmsimd_u4(z, z, n, m, c, hi, lo, e, true, VP);
            let pos = 0;
            for (let i = 0; i < n; i++) pos += i32(getf(y2, i) > 0);
            const bad = firstBitMismatch(y1, y2, n), badIn = firstBitMismatch(z, y1, n);
            if (!ok(bad == -1 && badIn == -1 && q1 == q2 && q2 == pos && relDiff(o1, o2) <= 1e-6 && reinterpret<u64>(o3) == reinterpret<u64>(o1))) {
              const i = bad >= 0 ? bad : badIn >= 0 ? badIn : 0;
              fail(label + " vthreshpow: mismatch at " + bad.toString() + " (in place " + badIn.toString() + ") x=" + describeF32(getf(x, i))
                + " simd " + describeF32(getf(y1, i)) + " scalar " + describeF32(getf(y2, i)) + "; count " + q1.toString() + " / " + q2.toString()
                + " (y > 0: " + pos.toString() + "); sum " + o1.toString() + " / " + o2.toString() + " / in place " + o3.toString());
            }
            if (!ok(guardsIntact(y1, n) && guardsIntact(y2, n) && guardsIntact(z, n))) fail(label + " wrote outside y[0, n)");
            calls += 2;
          }
        }
        releaseAll();
      }
    }
    note("near-1: " + calls.toString() + " passes compared");
    end(calls);
  });
});
