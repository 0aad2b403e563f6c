// Row drivers (assembly/rows.ts, compiled here with SIMD, so they run the wasm SIMD kernels):
// softmax / log-softmax / MultiMax / log-MultiMax over row-major matrices, including the
// exceptional rows handled by assembly/special.ts.
import { multimax_rows, softmax_rows } from "../../assembly/rows";
import {
  alloc, allocF32, bitsf, copyF32, describeF32, fillUniform, firstBitMismatch, getf, guardsIntact,
  nextU32, releaseAll, seed, setf, sumF64, testLengths, uniform,
} from "./helpers";

const ROWS = 3;

// ---------------------------------------------------------------------------------------------
// f64 references, computed from the f32 inputs.

/** Bound on |φ_f32(x) − φ(x)|, set by phiRef: the f32 kernel rounds every product and sum, so
 *  its error is relative to the size of the terms, not of the result. (4·order + 2)·2^−24·(|x| +
 *  Σ|terms|) bounds it to first order (each term carries ≤ (2j + 3) roundings, each of the
 *  2·order additions one rounding of a partial sum). */
let phiErr: f64 = 0;

/** φ(x) in f64 from the f32 parameter records (independent of special.ts). */
function phiRef(x: f64, params: usize, order: i32): f64 {
  let z = x, mag = Math.abs(x);
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    const a = <f64>load<f32>(p), b = <f64>load<f32>(p, 4), c = <f64>load<f32>(p, 8), d = <f64>load<f32>(p, 12);
    const l = Math.max(b - x, 0), u = Math.max(x - d, 0);
    let lp = l, up = u;
    for (let k = 0; k < j; k++) { lp *= l; up *= u; }
    const tl = a * lp, tu = c * up;
    z += tl + tu;
    mag += Math.abs(tl) + Math.abs(tu);
  }
  phiErr = order == 0 ? 0 : <f64>(4 * order + 2) * 5.9604644775390625e-8 * mag;
  return z;
}

const refZ = new StaticArray<f64>(40000);
const refY = new StaticArray<f64>(40000);
const refErrZ = new StaticArray<f64>(40000);
let refMaxErrZ: f64 = 0;

/** refY[0..n) = softmax((z − max)·k) or log-softmax, z = φ(x) (order > 0) or x, masked → −∞.
 *  Only for rows with a finite maximum and no NaN. */
function reference(x: usize, mask: usize, n: i32, k: f64, log: bool, params: usize, order: i32): void {
  let m = -Infinity;
  refMaxErrZ = 0;
  for (let i = 0; i < n; i++) {
    let z: f64 = <f64>getf(x, i);
    phiErr = 0;
    if (order > 0) z = phiRef(z, params, order);
    if (mask != 0 && load<u8>(mask + <usize>i) == 0) { z = -Infinity; phiErr = 0; }
    refZ[i] = z;
    refErrZ[i] = phiErr;
    if (phiErr > refMaxErrZ) refMaxErrZ = phiErr;
    if (z > m) m = z;
  }
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((refZ[i] - m) * k);
  const lse = Math.log(sum);
  for (let i = 0; i < n; i++) refY[i] = log ? (refZ[i] - m) * k - lse : Math.exp((refZ[i] - m) * k) / sum;
}

// Largest observed errors, reported by the last test of the file.
let worstSoftmax: f64 = 0;
let worstSoftmaxWhere = "";
let worstLog: f64 = 0;
let worstLogWhere = "";
let worstRowSum: f64 = 0;
let worstRowSumWhere = "";

/** Checks y (one row) against refY. Softmax: |y − ref| ≤ tolRel·ref + 2e-38 (results below the
 *  float32 normal range may be flushed), tolRel = 8e-7 + 2^−23·|z − max|·k (rounding of the
 *  float32 argument) + the φ error bounds of z_i and of the largest (MultiMax only).
 *  Log: |y − ref| ≤ 1e-6 + 2^−23·(|z − max| + |ref|) + the same φ error bounds. Returns the worst
 *  ratio error / tolerance (≤ 1 passes) and records the worst relative error. */
function compareRow(y: usize, n: i32, k: f64, log: bool, label: string): f64 {
  let worst: f64 = 0;
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (refZ[i] > m) m = refZ[i];
  for (let i = 0; i < n; i++) {
    const got = <f64>getf(y, i), ref = refY[i];
    const dz = Math.abs(refZ[i] - m) * k;
    if (log) {
      if (ref == -Infinity) { if (got != -Infinity) return Infinity; continue; }
      const err = Math.abs(got - ref);
      const tol = 1e-6 + 1.2e-7 * (dz + Math.abs(ref)) + refErrZ[i] + refMaxErrZ;
      if (err / tol > worst) worst = err / tol;
      const rel = err / Math.max(1.0, Math.abs(ref));
      if (rel > worstLog) { worstLog = rel; worstLogWhere = label + " i=" + i.toString(); }
    } else {
      const err = Math.abs(got - ref);
      if (!(err == err)) return Infinity;
      const tol = (8e-7 + 1.2e-7 * dz + refErrZ[i] + refMaxErrZ) * ref + 2e-38;
      if (err / tol > worst) worst = err / tol;
      if (ref > 1e-30) {
        const rel = err / ref;
        if (rel > worstSoftmax) { worstSoftmax = rel; worstSoftmaxWhere = label + " i=" + i.toString(); }
      }
    }
  }
  return worst;
}

function noteRowSum(y: usize, n: i32, label: string): f64 {
  const e = Math.abs(sumF64(y, n) - 1);
  if (e > worstRowSum) { worstRowSum = e; worstRowSumWhere = label; }
  return e;
}

function allFinite(p: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (!isFinite(getf(p, i))) return false;
  return true;
}

function countBits(p: usize, n: i32, bits: u32): i32 {
  let c = 0;
  for (let i = 0; i < n; i++) if (bitsf(p, i) == bits) c++;
  return c;
}

function allNaN(p: usize, n: i32): bool {
  for (let i = 0; i < n; i++) if (!isNaN(getf(p, i))) return false;
  return true;
}

/** Number of masked entries (mask byte 0) of y whose bits are not `bits`. */
function maskedWrong(y: usize, mask: usize, n: i32, bits: u32): i32 {
  let c = 0;
  for (let i = 0; i < n; i++) if (load<u8>(mask + <usize>i) == 0 && bitsf(y, i) != bits) c++;
  return c;
}

function fillMask(mask: usize, count: i32, keepAtLeastOnePer: i32): void {
  for (let i = 0; i < count; i++) store<u8>(mask + <usize>i, (nextU32() % 4) == 0 ? 0 : <u8>(1 + nextU32() % 255));
  if (keepAtLeastOnePer > 0) {
    for (let r = 0; r * keepAtLeastOnePer < count; r++) store<u8>(mask + <usize>(r * keepAtLeastOnePer), 1);
  }
}

function label3(name: string, cols: i32, extra: string): string {
  return name + " cols=" + cols.toString() + " " + extra;
}

function dist(x: usize, n: i32, d: i32): void {
  if (d == 0) fillUniform(x, n, -10, 10);
  else if (d == 1) fillUniform(x, n, 90, 100);
  else fillUniform(x, n, -100, 100);
}

// ---------------------------------------------------------------------------------------------

describe("softmax_rows", () => {
  it("rows sum to 1 within 1e-6 and match the f64 reference, for every length 1..40 and large ones", () => {
    const lengths = testLengths();
    const ks: f32[] = [1, 0.5, 2];
    seed(11);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y = allocF32(ROWS * cols);
      for (let d = 0; d < 3; d++) {
        dist(x, ROWS * cols, d);
        for (let ki = 0; ki < ks.length; ki++) {
          const k = ks[ki];
          const count = softmax_rows(x, y, 0, ROWS, cols, k, false);
          expect<i32>(count).toBe(0, "exceptional rows");
          expect<bool>(guardsIntact(y, ROWS * cols)).toBe(true, "guards");
          for (let r = 0; r < ROWS; r++) {
            const xr = x + (<usize>(r * cols) << 2), yr = y + (<usize>(r * cols) << 2);
            const label = label3("softmax", cols, "dist=" + d.toString() + " k=" + k.toString() + " row=" + r.toString());
            expect<bool>(allFinite(yr, cols)).toBe(true, label + " finite");
            expect<f64>(noteRowSum(yr, cols, label)).toBeLessThanOrEqual(1e-6, label + " row sum");
            reference(xr, 0, cols, <f64>k, false, 0, 0);
            expect<f64>(compareRow(yr, cols, <f64>k, false, label)).toBeLessThanOrEqual(1.0, label + " vs f64 reference");
          }
        }
      }
      releaseAll();
    }
  });

  it("inputs in [90, 100] (exp would overflow without the max): finite, rows sum to 1", () => {
    seed(12);
    for (let cols = 1; cols <= 40; cols++) {
      const x = allocF32(cols), y = allocF32(cols);
      fillUniform(x, cols, 90, 100);
      expect<i32>(softmax_rows(x, y, 0, 1, cols, 1, false)).toBe(0);
      expect<bool>(allFinite(y, cols)).toBe(true);
      expect<f64>(Math.abs(sumF64(y, cols) - 1)).toBeLessThanOrEqual(1e-6);
      releaseAll();
    }
  });

  it("log variant matches the f64 reference and exp(y) sums to 1", () => {
    const lengths = testLengths();
    seed(13);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y = allocF32(ROWS * cols);
      for (let d = 0; d < 3; d++) {
        dist(x, ROWS * cols, d);
        expect<i32>(softmax_rows(x, y, 0, ROWS, cols, 1, true)).toBe(0);
        for (let r = 0; r < ROWS; r++) {
          const xr = x + (<usize>(r * cols) << 2), yr = y + (<usize>(r * cols) << 2);
          const label = label3("log_softmax", cols, "dist=" + d.toString() + " row=" + r.toString());
          expect<bool>(allFinite(yr, cols)).toBe(true, label + " finite");
          let s: f64 = 0;
          for (let i = 0; i < cols; i++) s += Math.exp(<f64>getf(yr, i));
          expect<f64>(Math.abs(s - 1)).toBeLessThanOrEqual(4e-6, label + " Σ exp(y)");
          reference(xr, 0, cols, 1, true, 0, 0);
          expect<f64>(compareRow(yr, cols, 1, true, label)).toBeLessThanOrEqual(1.0, label + " vs f64 reference");
        }
      }
      releaseAll();
    }
  });

  it("masked entries are exactly 0 (log: −∞), the others sum to 1 and match the reference", () => {
    const lengths = testLengths();
    seed(14);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y = allocF32(ROWS * cols), mask = alloc(ROWS * cols);
      for (let lg = 0; lg < 2; lg++) {
        const log = lg == 1;
        fillUniform(x, ROWS * cols, -10, 10);
        fillMask(mask, ROWS * cols, cols); // the first entry of each row stays unmasked
        expect<i32>(softmax_rows(x, y, mask, ROWS, cols, 1, log)).toBe(0);
        for (let r = 0; r < ROWS; r++) {
          const o = r * cols;
          const xr = x + (<usize>o << 2), yr = y + (<usize>o << 2), mr = mask + <usize>o;
          const label = label3(log ? "masked log_softmax" : "masked softmax", cols, "row=" + r.toString());
          expect<i32>(maskedWrong(yr, mr, cols, log ? 0xFF800000 : 0)).toBe(0, label + " masked entries");
          if (!log) expect<f64>(noteRowSum(yr, cols, label)).toBeLessThanOrEqual(1e-6, label + " row sum");
          reference(xr, mr, cols, 1, log, 0, 0);
          expect<f64>(compareRow(yr, cols, 1, log, label)).toBeLessThanOrEqual(1.0, label + " vs f64 reference");
        }
      }
      releaseAll();
    }
  });

  it("an all-masked row is all +0 (log: all −∞) and counts as exceptional; its neighbours are normal", () => {
    seed(15);
    for (let cols = 1; cols <= 40; cols++) {
      for (let lg = 0; lg < 2; lg++) {
        const log = lg == 1;
        const x = allocF32(3 * cols), y = allocF32(3 * cols), mask = alloc(3 * cols);
        fillUniform(x, 3 * cols, -5, 5);
        memory.fill(mask, 1, <usize>(3 * cols));
        memory.fill(mask + <usize>cols, 0, <usize>cols); // row 1 fully masked
        const count = softmax_rows(x, y, mask, 3, cols, 1, log);
        expect<i32>(count).toBe(1, "count cols=" + cols.toString());
        const y1 = y + (<usize>cols << 2);
        expect<i32>(countBits(y1, cols, log ? 0xFF800000 : 0)).toBe(cols, "all-masked row cols=" + cols.toString());
        // rows 0 and 2 equal the same rows normalised alone, without a mask
        const yy = allocF32(cols);
        for (let r = 0; r < 3; r += 2) {
          softmax_rows(x + (<usize>(r * cols) << 2), yy, 0, 1, cols, 1, log);
          expect<i32>(firstBitMismatch(yy, y + (<usize>(r * cols) << 2), cols)).toBe(-1, "neighbour row " + r.toString());
        }
      }
      releaseAll();
    }
  });

  it("a row whose entries are all −∞ is all 0 (log: all −∞)", () => {
    for (let cols = 1; cols <= 40; cols++) {
      const x = allocF32(cols), y = allocF32(cols);
      for (let i = 0; i < cols; i++) setf(x, i, -Infinity);
      expect<i32>(softmax_rows(x, y, 0, 1, cols, 1, false)).toBe(1);
      expect<i32>(countBits(y, cols, 0)).toBe(cols);
      expect<i32>(softmax_rows(x, y, 0, 1, cols, 1, true)).toBe(1);
      expect<i32>(countBits(y, cols, 0xFF800000)).toBe(cols);
      releaseAll();
    }
  });

  it("a row containing NaN is all NaN, the neighbour rows are unaffected, the count is right", () => {
    seed(16);
    for (let cols = 1; cols <= 40; cols++) {
      for (let at = 0; at < cols; at++) {
        for (let variant = 0; variant < 4; variant++) {
          const log = (variant & 1) != 0, masked = (variant & 2) != 0;
          const x = allocF32(3 * cols), y = allocF32(3 * cols), yy = allocF32(cols);
          const mask = masked ? alloc(3 * cols) : 0;
          fillUniform(x, 3 * cols, -5, 5);
          if (masked) memory.fill(mask, 1, <usize>(3 * cols));
          setf(x, cols + at, NaN);
          const label = "NaN row cols=" + cols.toString() + " at=" + at.toString() + " variant=" + variant.toString();
          expect<i32>(softmax_rows(x, y, mask, 3, cols, 1, log)).toBe(1, label + " count");
          expect<bool>(allNaN(y + (<usize>cols << 2), cols)).toBe(true, label);
          for (let r = 0; r < 3; r += 2) {
            softmax_rows(x + (<usize>(r * cols) << 2), yy, 0, 1, cols, 1, log);
            expect<i32>(firstBitMismatch(yy, y + (<usize>(r * cols) << 2), cols)).toBe(-1, label + " neighbour " + r.toString());
          }
          if (masked) {
            // the NaN masked out: the row is normal again
            store<u8>(mask + <usize>(cols + at), 0);
            expect<i32>(softmax_rows(x, y, mask, 3, cols, 1, log)).toBe(cols == 1 ? 1 : 0, label + " NaN masked out");
            expect<bool>(isNaN(getf(y, cols + at))).toBe(false, label + " masked NaN entry");
          }
          releaseAll();
        }
      }
    }
  });

  it("+∞ entries share the mass equally (log: −log count), every other entry gets 0 (log: −∞)", () => {
    seed(17);
    for (let cols = 1; cols <= 40; cols++) {
      for (let trial = 0; trial < 6; trial++) {
        const log = (trial & 1) != 0;
        const x = allocF32(cols), y = allocF32(cols);
        fillUniform(x, cols, -5, 5);
        if (trial >= 4) for (let i = 0; i < cols; i += 2) setf(x, i, -Infinity);
        const want = 1 + <i32>(nextU32() % <u32>min(cols, 4));
        let placed = 0;
        while (placed < want) {
          const i = <i32>(nextU32() % <u32>cols);
          if (getf(x, i) != Infinity) { setf(x, i, Infinity); placed++; }
        }
        const label = "+inf cols=" + cols.toString() + " count=" + want.toString() + " log=" + log.toString();
        expect<i32>(softmax_rows(x, y, 0, 1, cols, 1, log)).toBe(1, label + " exceptional");
        const p: f32 = log ? <f32>(-Math.log(<f64>want)) : <f32>(1.0 / <f64>want);
        const q: f32 = log ? -Infinity : 0;
        for (let i = 0; i < cols; i++) {
          const expected = getf(x, i) == Infinity ? p : q;
          expect<u32>(bitsf(y, i)).toBe(reinterpret<u32>(expected), label + " i=" + i.toString());
        }
        releaseAll();
      }
    }
  });

  it("huge finite inputs (±3.4e38) give no NaN or ∞ (log: −∞ only where the true value overflows)", () => {
    seed(18);
    const big: f32 = reinterpret<f32>(0x7F7FFFFF);
    for (let cols = 1; cols <= 40; cols++) {
      for (let trial = 0; trial < 4; trial++) {
        const x = allocF32(cols), y = allocF32(cols);
        for (let i = 0; i < cols; i++) {
          const r = nextU32() % 4;
          setf(x, i, r == 0 ? big : r == 1 ? -big : r == 2 ? uniform(-1e38, 1e38) : uniform(-10, 10));
        }
        if (trial == 3) for (let i = 0; i < cols; i++) setf(x, i, -big);
        const label = "huge cols=" + cols.toString() + " trial=" + trial.toString();
        for (let ki = 0; ki < 3; ki++) {
          const k: f32 = ki == 0 ? 1 : ki == 1 ? 0.5 : 2;
          expect<i32>(softmax_rows(x, y, 0, 1, cols, k, false)).toBe(0, label);
          expect<bool>(allFinite(y, cols)).toBe(true, label + " finite k=" + k.toString());
          expect<f64>(Math.abs(sumF64(y, cols) - 1)).toBeLessThanOrEqual(1e-6, label + " sum k=" + k.toString());
        }
        expect<i32>(softmax_rows(x, y, 0, 1, cols, 1, true)).toBe(0, label + " log");
        let m: f64 = -Infinity;
        for (let i = 0; i < cols; i++) m = Math.max(m, <f64>getf(x, i));
        for (let i = 0; i < cols; i++) {
          const v = getf(y, i);
          expect<bool>(isNaN(v) || v == Infinity).toBe(false, label + " log i=" + i.toString());
          // −∞ is the correctly rounded result only when x − max < −3.4e38
          if (v == -Infinity) expect<f64>(<f64>getf(x, i) - m).toBeLessThan(-<f64>big, label + " log −∞ i=" + i.toString());
        }
        releaseAll();
      }
    }
    // The two maxima of [big, −big, big] get 1/2 each.
    const x = allocF32(3), y = allocF32(3);
    setf(x, 0, big); setf(x, 1, -big); setf(x, 2, big);
    expect<i32>(softmax_rows(x, y, 0, 1, 3, 1, false)).toBe(0);
    expect<f32>(getf(y, 0)).toBe(0.5);
    expect<f32>(getf(y, 1)).toBe(0);
    expect<f32>(getf(y, 2)).toBe(0.5);
    releaseAll();
  });

  it("in place (x == y) equals out of place, bit for bit, plain, masked and log", () => {
    const lengths = testLengths();
    seed(19);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y = allocF32(ROWS * cols), z = allocF32(ROWS * cols), mask = alloc(ROWS * cols);
      for (let variant = 0; variant < 4; variant++) {
        const log = (variant & 1) != 0;
        const m = (variant & 2) != 0 ? mask : 0;
        fillUniform(x, ROWS * cols, -10, 10);
        fillMask(mask, ROWS * cols, cols);
        copyF32(z, x, ROWS * cols);
        const c1 = softmax_rows(x, y, m, ROWS, cols, 1, log);
        const c2 = softmax_rows(z, z, m, ROWS, cols, 1, log);
        expect<i32>(c2).toBe(c1);
        expect<i32>(firstBitMismatch(y, z, ROWS * cols)).toBe(-1, "in place cols=" + cols.toString() + " variant=" + variant.toString());
      }
      releaseAll();
    }
  });

  it("counts exceptional rows in a mixed matrix", () => {
    const cols = 7, rows = 8;
    const x = allocF32(rows * cols), y = allocF32(rows * cols), mask = alloc(rows * cols);
    seed(20);
    fillUniform(x, rows * cols, -3, 3);
    memory.fill(mask, 1, <usize>(rows * cols));
    setf(x, 1 * cols + 3, NaN);                                  // row 1: NaN
    setf(x, 3 * cols + 0, Infinity);                             // row 3: +∞
    memory.fill(mask + <usize>(5 * cols), 0, <usize>cols);       // row 5: all masked
    for (let i = 0; i < cols; i++) setf(x, 6 * cols + i, -Infinity); // row 6: all −∞
    store<u8>(mask + <usize>(7 * cols + 2), 0); setf(x, 7 * cols + 2, NaN); // row 7: NaN masked out
    expect<i32>(softmax_rows(x, y, mask, rows, cols, 1, false)).toBe(4);
    expect<i32>(softmax_rows(x, y, mask, rows, cols, 1, true)).toBe(4);
    expect<i32>(softmax_rows(x, y, 0, rows, cols, 1, false)).toBe(4); // rows 1, 3, 6, 7 without the mask
    releaseAll();
  });
});

// ---------------------------------------------------------------------------------------------

function fillParams(params: usize, order: i32): void {
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    const scale: f32 = j == 0 ? 1 : 0.05;
    store<f32>(p, uniform(-0.9, 0.9) * scale);
    store<f32>(p, uniform(-4, 0), 4);
    store<f32>(p, uniform(-0.9, 0.9) * scale, 8);
    store<f32>(p, uniform(0, 4), 12);
  }
}

describe("multimax_rows", () => {
  it("order 0 (no parameters) equals softmax bit for bit: plain, masked, log, with and without tmp", () => {
    const lengths = testLengths();
    seed(21);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y1 = allocF32(ROWS * cols), y2 = allocF32(ROWS * cols);
      const tmp = allocF32(cols), mask = alloc(ROWS * cols), params = alloc(16);
      for (let variant = 0; variant < 8; variant++) {
        const log = (variant & 1) != 0, m = (variant & 2) != 0 ? mask : 0, t = (variant & 4) != 0 ? tmp : 0;
        fillUniform(x, ROWS * cols, -10, 10);
        fillMask(mask, ROWS * cols, 0);
        if (variant == 7) setf(x, 0, Infinity);
        const c1 = softmax_rows(x, y1, m, ROWS, cols, 1, log);
        const c2 = multimax_rows(x, y2, t, m, ROWS, cols, params, 0, log);
        const label = "order 0 cols=" + cols.toString() + " variant=" + variant.toString();
        expect<i32>(c2).toBe(c1, label + " count");
        const bad = firstBitMismatch(y1, y2, ROWS * cols);
        expect<i32>(bad).toBe(-1, label + (bad >= 0 ? " at " + bad.toString() + " softmax " + describeF32(getf(y1, bad)) + " multimax " + describeF32(getf(y2, bad)) : ""));
      }
      releaseAll();
    }
  });

  it("orders 1..3: rows sum to 1, match the f64 reference, masked entries are exactly 0 / −∞", () => {
    const lengths = testLengths();
    seed(22);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y = allocF32(ROWS * cols), mask = alloc(ROWS * cols), params = alloc(3 * 16);
      for (let order = 1; order <= 3; order++) {
        for (let variant = 0; variant < 4; variant++) {
          const log = (variant & 1) != 0, m = (variant & 2) != 0 ? mask : 0;
          fillUniform(x, ROWS * cols, -8, 8);
          fillParams(params, order);
          fillMask(mask, ROWS * cols, cols);
          expect<i32>(multimax_rows(x, y, 0, m, ROWS, cols, params, order, log)).toBe(0);
          for (let r = 0; r < ROWS; r++) {
            const o = r * cols;
            const xr = x + (<usize>o << 2), yr = y + (<usize>o << 2), mr = m != 0 ? m + <usize>o : 0;
            const label = label3("multimax order=" + order.toString(), cols, "variant=" + variant.toString() + " row=" + r.toString());
            if (!log) expect<f64>(noteRowSum(yr, cols, label)).toBeLessThanOrEqual(1e-6, label + " row sum");
            if (mr != 0) expect<i32>(maskedWrong(yr, mr, cols, log ? 0xFF800000 : 0)).toBe(0, label + " masked entries");
            reference(xr, mr, cols, 1, log, params, order);
            expect<f64>(compareRow(yr, cols, 1, log, label)).toBeLessThanOrEqual(1.0, label + " vs f64 reference");
          }
        }
      }
      releaseAll();
    }
  });

  it("in place (x == y, with tmp) equals out of place bit for bit", () => {
    const lengths = testLengths();
    seed(23);
    for (let li = 0; li < lengths.length; li++) {
      const cols = lengths[li];
      const x = allocF32(ROWS * cols), y = allocF32(ROWS * cols), z = allocF32(ROWS * cols);
      const tmp = allocF32(cols), mask = alloc(ROWS * cols), params = alloc(3 * 16);
      for (let order = 0; order <= 3; order++) {
        for (let variant = 0; variant < 4; variant++) {
          const log = (variant & 1) != 0, m = (variant & 2) != 0 ? mask : 0;
          fillUniform(x, ROWS * cols, -8, 8);
          if (order == 2) setf(x, cols, Infinity); // row 1 goes to the exceptional path
          fillParams(params, order);
          fillMask(mask, ROWS * cols, cols);
          copyF32(z, x, ROWS * cols);
          const c1 = multimax_rows(x, y, 0, m, ROWS, cols, params, order, log);
          const c2 = multimax_rows(z, z, tmp, m, ROWS, cols, params, order, log);
          const label = "multimax in place order=" + order.toString() + " cols=" + cols.toString() + " variant=" + variant.toString();
          expect<i32>(c2).toBe(c1, label + " count");
          expect<i32>(firstBitMismatch(y, z, ROWS * cols)).toBe(-1, label);
        }
      }
      releaseAll();
    }
  });

  it("a φ that overflows float32 goes to the f64 path: finite, sums to 1, matches the reference", () => {
    seed(24);
    for (let cols = 1; cols <= 40; cols++) {
      for (let lg = 0; lg < 2; lg++) {
        const log = lg == 1;
        const x = allocF32(2 * cols), y = allocF32(2 * cols), params = alloc(16);
        // φ(x) = x + 1e38·relu(x): finite in f32 for x ≤ 0, overflows for x > 3.41; one such
        // entry per row (a finite 3.5e38…1e39 in f64), so every row takes the f64 path.
        fillUniform(x, 2 * cols, -10, 0);
        for (let r = 0; r < 2; r++) setf(x, r * cols + <i32>(nextU32() % <u32>cols), uniform(3.5, 10));
        store<f32>(params, 0); store<f32>(params, -1, 4);
        store<f32>(params, 1e38, 8); store<f32>(params, 0, 12);
        const count = multimax_rows(x, y, 0, 0, 2, cols, params, 1, log);
        expect<i32>(count).toBe(2, "count cols=" + cols.toString());
        for (let r = 0; r < 2; r++) {
          const xr = x + (<usize>(r * cols) << 2), yr = y + (<usize>(r * cols) << 2);
          const label = "overflow cols=" + cols.toString() + " log=" + log.toString() + " row=" + r.toString();
          for (let i = 0; i < cols; i++) expect<bool>(isNaN(getf(yr, i)) || getf(yr, i) == Infinity).toBe(false, label);
          if (!log) expect<f64>(Math.abs(sumF64(yr, cols) - 1)).toBeLessThanOrEqual(1e-6, label + " sum");
          reference(xr, 0, cols, 1, log, params, 1);
          for (let i = 0; i < cols; i++) {
            const ref = refY[i], got = <f64>getf(yr, i);
            // log: a reference below −FLT_MAX rounds to −∞ in float32
            const ok = log ? (ref < -3.4028234663852886e38 ? got == -Infinity : Math.abs(got - ref) <= 1e-6 * Math.max(1, Math.abs(ref)))
                           : Math.abs(got - ref) <= 1e-6 * ref + 2e-38;
            expect<bool>(ok).toBe(true, label + " i=" + i.toString() + " got " + got.toString() + " ref " + ref.toString());
          }
        }
      }
      releaseAll();
    }
  });

  it("huge finite inputs (±3.4e38) with orders 1 and 2 give no NaN or +∞, rows sum to 1", () => {
    seed(25);
    const big: f32 = reinterpret<f32>(0x7F7FFFFF);
    for (let cols = 1; cols <= 40; cols++) {
      for (let order = 1; order <= 2; order++) {
        const x = allocF32(cols), y = allocF32(cols), params = alloc(2 * 16);
        for (let i = 0; i < cols; i++) {
          const r = nextU32() % 3;
          setf(x, i, r == 0 ? big : r == 1 ? -big : uniform(-10, 10));
        }
        fillParams(params, order);
        multimax_rows(x, y, 0, 0, 1, cols, params, order, false);
        const label = "multimax huge order=" + order.toString() + " cols=" + cols.toString();
        expect<bool>(allFinite(y, cols)).toBe(true, label);
        expect<f64>(Math.abs(sumF64(y, cols) - 1)).toBeLessThanOrEqual(1e-6, label + " sum");
        multimax_rows(x, y, 0, 0, 1, cols, params, order, true);
        for (let i = 0; i < cols; i++) expect<bool>(isNaN(getf(y, i)) || getf(y, i) == Infinity).toBe(false, label + " log");
        releaseAll();
      }
    }
  });

  it("+∞ inputs: the mass goes to the entries whose φ tends to +∞ (by the sign of the slope)", () => {
    for (let cols = 1; cols <= 40; cols++) {
      const x = allocF32(cols), y = allocF32(cols), params = alloc(16);
      seed(26);
      fillUniform(x, cols, -5, 5);
      setf(x, cols - 1, Infinity);
      if (cols > 2) setf(x, 0, Infinity);
      const infs = cols > 2 ? 2 : 1;
      // slope 1 + c_1 = 0.5 > 0: φ(+∞) = +∞ (the f32 path computes ∞ − ∞ = NaN and hands over)
      store<f32>(params, 0.3); store<f32>(params, -1, 4); store<f32>(params, -0.5, 8); store<f32>(params, 1, 12);
      expect<i32>(multimax_rows(x, y, 0, 0, 1, cols, params, 1, false)).toBe(1);
      for (let i = 0; i < cols; i++) {
        expect<f32>(getf(y, i)).toBe(getf(x, i) == Infinity ? <f32>(1.0 / <f64>infs) : 0, "slope > 0 cols=" + cols.toString());
      }
      // slope 1 + c_1 = −1 < 0: φ(+∞) = −∞, those entries get 0 and the finite ones share the mass
      store<f32>(params, -2, 8);
      expect<i32>(multimax_rows(x, y, 0, 0, 1, cols, params, 1, false)).toBe(1);
      if (cols > infs) {
        for (let i = 0; i < cols; i++) if (getf(x, i) == Infinity) expect<f32>(getf(y, i)).toBe(0);
        expect<f64>(Math.abs(sumF64(y, cols) - 1)).toBeLessThanOrEqual(1e-6, "slope < 0 cols=" + cols.toString());
      } else {
        expect<i32>(countBits(y, cols, 0)).toBe(cols, "slope < 0, only +∞ entries");
      }
      releaseAll();
    }
  });

  it("a NaN row is all NaN, neighbours unaffected, count right (orders 0..3, masked or not)", () => {
    seed(27);
    for (let cols = 1; cols <= 24; cols++) {
      for (let order = 0; order <= 3; order++) {
        for (let variant = 0; variant < 4; variant++) {
          const log = (variant & 1) != 0, masked = (variant & 2) != 0;
          const x = allocF32(3 * cols), y = allocF32(3 * cols), yy = allocF32(cols), params = alloc(3 * 16);
          const mask = masked ? alloc(3 * cols) : 0;
          if (masked) memory.fill(mask, 1, <usize>(3 * cols));
          fillUniform(x, 3 * cols, -5, 5);
          fillParams(params, order);
          const at = <i32>(nextU32() % <u32>cols);
          setf(x, cols + at, NaN);
          const label = "multimax NaN order=" + order.toString() + " cols=" + cols.toString() + " variant=" + variant.toString();
          expect<i32>(multimax_rows(x, y, 0, mask, 3, cols, params, order, log)).toBe(1, label + " count");
          expect<bool>(allNaN(y + (<usize>cols << 2), cols)).toBe(true, label);
          for (let r = 0; r < 3; r += 2) {
            multimax_rows(x + (<usize>(r * cols) << 2), yy, 0, 0, 1, cols, params, order, log);
            expect<i32>(firstBitMismatch(yy, y + (<usize>(r * cols) << 2), cols)).toBe(-1, label + " neighbour " + r.toString());
          }
          releaseAll();
        }
      }
    }
  });

  it("an all-masked row is all 0 (log: −∞)", () => {
    for (let cols = 1; cols <= 40; cols++) {
      const x = allocF32(cols), y = allocF32(cols), mask = alloc(cols), params = alloc(2 * 16);
      seed(28);
      fillUniform(x, cols, -5, 5);
      fillParams(params, 2);
      memory.fill(mask, 0, <usize>cols);
      for (let order = 0; order <= 2; order++) {
        expect<i32>(multimax_rows(x, y, 0, mask, 1, cols, params, order, false)).toBe(1);
        expect<i32>(countBits(y, cols, 0)).toBe(cols);
        expect<i32>(multimax_rows(x, y, 0, mask, 1, cols, params, order, true)).toBe(1);
        expect<i32>(countBits(y, cols, 0xFF800000)).toBe(cols);
      }
      releaseAll();
    }
  });
});

describe("row-driver accuracy summary", () => {
  it("logs the largest errors seen", () => {
    log<string>("max |row sum − 1| = " + worstRowSum.toString() + " (" + worstRowSumWhere + ")");
    log<string>("max softmax relative error vs f64 (ref > 1e-30) = " + worstSoftmax.toString() + " (" + worstSoftmaxWhere + ")");
    log<string>("max log-softmax error vs f64 (abs, relative above 1) = " + worstLog.toString() + " (" + worstLogWhere + ")");
    expect<f64>(worstRowSum).toBeLessThanOrEqual(1e-6);
  });
});
