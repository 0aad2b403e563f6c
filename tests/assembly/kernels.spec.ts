// Every wasm SIMD kernel against its scalar twin (assembly/kernels/), for every length 1..40 and
// a few large ones, on pseudo-random inputs: stored values bit for bit, returned sums within the
// bound implied by the SIMD summation order, nothing written outside [0, n).
import { f32_rmax__scalar } from "../../assembly/kernels/f32-rmax-scalar";
import { f32_rmax__wasmsimd_pmax_u16 } from "../../assembly/kernels/f32-rmax-wasmsimd-pmax-u16";
import { f32_raddstoreexpminusmax__scalar_b2_p5 } from "../../assembly/kernels/f32-raddstoreexpminusmax-scalar-b2-p5";
import { f32_raddexpminusmax__scalar_b2_p5 } from "../../assembly/kernels/f32-raddexpminusmax-scalar-b2-p5";
import { f32_vscale__scalar } from "../../assembly/kernels/f32-vscale-scalar";
import { f32_vscale__wasmsimd_u16 } from "../../assembly/kernels/f32-vscale-wasmsimd-u16";
import { f32_vsubsub__scalar } from "../../assembly/kernels/f32-vsubsub-scalar";
import { f32_vsubsub__wasmsimd_u16 } from "../../assembly/kernels/f32-vsubsub-wasmsimd-u16";
import { f32_vmodmax__scalar } from "../../assembly/kernels/f32-vmodmax-scalar";
import { f32_vmodmax__wasmsimd_u4 } from "../../assembly/kernels/f32-vmodmax-wasmsimd-u4";
// The SIMD operations that choose among SIMD kernels (as-pect builds with SIMD): expstore (the
// k = 1 and any-k kernels of f32-raddstoreexpminusmax), expsum (the k = 1 kernel into scratch) and
// modmax_fast (the f32-vmodmax u8 kernels by order and mask, the careful u4 kernel beyond).
import { expstore, expsum, modmax_fast } from "../../assembly/config";
import {
  alloc, allocF32, copyF32, describeF32, fillUniform, firstBitMismatch, getf, guardsIntact,
  nextU32, releaseAll, sameF32, seed, setf, testLengths, uniform, unit,
} from "./helpers";

// Input distributions. Offsets (in floats) shift x off 16-byte alignment, as in the rows of a
// matrix whose column count is not a multiple of 4.
const DIST_SMALL = 0;   // uniform [−10, 10]
const DIST_HIGH = 1;    // uniform [90, 100]: exp overflows unless the max is subtracted
const DIST_WIDE = 2;    // uniform [−100, 100]: many exp results underflow to 0
const DIST_SPECIAL = 3; // [−10, 10] with ±0, −∞, subnormals and huge values sprinkled in
const DISTS = 4;

function fillDist(p: usize, n: i32, dist: i32): void {
  if (dist == DIST_SMALL) fillUniform(p, n, -10, 10);
  else if (dist == DIST_HIGH) fillUniform(p, n, 90, 100);
  else if (dist == DIST_WIDE) fillUniform(p, n, -100, 100);
  else {
    fillUniform(p, n, -10, 10);
    for (let i = 0; i < n; i++) {
      const r = nextU32() % 16;
      if (r == 0) setf(p, i, 0);
      else if (r == 1) setf(p, i, -0.0);
      else if (r == 2) setf(p, i, -Infinity);
      else if (r == 3) setf(p, i, reinterpret<f32>(0x80000000 | (nextU32() & 0x7FFFFF))); // subnormal
      else if (r == 4) setf(p, i, -3.0e38);
    }
  }
}

function where(name: string, n: i32, dist: i32, off: i32): string {
  return name + ": n=" + n.toString() + " dist=" + dist.toString() + " offset=" + off.toString();
}

// Largest |Σ_simd − Σ_scalar| / Σ_scalar seen by the sum tests, logged at the end.
let maxSumRel: f64 = 0;
let maxSumRelWhere: string = "";

// The SIMD sum adds each group of 16 values in f32, (e0 + e1) + (e2 + e3) lane by lane, before
// accumulating in f64: two f32 roundings per value, all terms ≥ 0, so the sum differs from the
// f64 running sum of the scalar twin by at most 2·2^−24 relative (plus f64 noise).
const SUM_REL_BOUND: f64 = 1.2e-7;

function noteSum(simd: f64, scalar: f64, label: string): f64 {
  const rel = scalar == simd ? 0 : Math.abs(simd - scalar) / Math.abs(scalar);
  if (rel > maxSumRel) { maxSumRel = rel; maxSumRelWhere = label; }
  return rel;
}

describe("f32_rmax__wasmsimd_pmax_u16 vs f32_rmax__scalar", () => {
  it("equal results for every length and distribution", () => {
    const lengths = testLengths();
    seed(1);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist < DISTS; dist++) {
        for (let off = 0; off < 4; off += 3) {
          const x = allocF32(n, off);
          fillDist(x, n, dist);
          const a = f32_rmax__wasmsimd_pmax_u16(x, n), b = f32_rmax__scalar(x, n);
          // ±0 maxima may differ in sign (pmax keeps the first of equal values per lane); compare
          // by value, and bitwise when nonzero.
          expect<bool>(a == b && (a == 0 || sameF32(a, b))).toBe(true, where("rmax", n, dist, off) + " simd " + describeF32(a) + " scalar " + describeF32(b));
        }
      }
    }
    releaseAll();
  });

  it("maximum at every position, and all equal values", () => {
    for (let n = 1; n <= 40; n++) {
      const x = allocF32(n);
      for (let at = 0; at < n; at++) {
        for (let i = 0; i < n; i++) setf(x, i, -<f32>(i + 1));
        setf(x, at, 5);
        expect<f32>(f32_rmax__wasmsimd_pmax_u16(x, n)).toBe(5, "n=" + n.toString() + " at=" + at.toString());
      }
      for (let i = 0; i < n; i++) setf(x, i, -Infinity);
      expect<f32>(f32_rmax__wasmsimd_pmax_u16(x, n)).toBe(-Infinity);
    }
    releaseAll();
  });

  it("a ±0 maximum: equal by value to the scalar twin, though its sign may differ", () => {
    // x = [−1, +0, −1, −1, −0, −1, −1, −1]: the scalar twin keeps the first zero (+0); the SIMD
    // kernel gets −0 in lane 0 and +0 in lane 1, and the lane reduction keeps lane 0 (−0).
    const x = allocF32(8);
    for (let i = 0; i < 8; i++) setf(x, i, -1);
    setf(x, 1, 0); setf(x, 4, -0.0);
    const a = f32_rmax__wasmsimd_pmax_u16(x, 8), b = f32_rmax__scalar(x, 8);
    log<string>("rmax of [-1, +0, -1, -1, -0, -1, -1, -1]: simd " + describeF32(a) + ", scalar " + describeF32(b));
    expect<f32>(a).toBe(b);
    releaseAll();
  });

  it("skips NaN like the scalar twin (pmax semantics); an all-NaN row gives −∞", () => {
    seed(2);
    for (let n = 1; n <= 40; n++) {
      const x = allocF32(n);
      fillUniform(x, n, -10, 10);
      for (let i = 0; i < n; i += 3) setf(x, i, NaN);
      const a = f32_rmax__wasmsimd_pmax_u16(x, n), b = f32_rmax__scalar(x, n);
      expect<u32>(reinterpret<u32>(a)).toBe(reinterpret<u32>(b), "n=" + n.toString());
      for (let i = 0; i < n; i++) setf(x, i, NaN);
      expect<f32>(f32_rmax__wasmsimd_pmax_u16(x, n)).toBe(-Infinity);
    }
    releaseAll();
  });
});

describe("f32_raddstoreexpminusmax_{k1,k}__wasmsimd_b2_p5_u16 (config.ts expstore) vs scalar twin", () => {
  it("stored values bit-identical, sums within the summation-order bound, for k = 1, 0.5, 2.5", () => {
    const lengths = testLengths();
    const ks: f32[] = [1, 0.5, 2.5];
    seed(3);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist < DISTS; dist++) {
        for (let off = 0; off < 2; off++) {
          const x = allocF32(n, off), y1 = allocF32(n, off), y2 = allocF32(n, off);
          fillDist(x, n, dist);
          const m = f32_rmax__scalar(x, n);
          for (let ki = 0; ki < ks.length; ki++) {
            const k = ks[ki];
            const s1 = expstore(x, y1, n, m, k);
            const s2 = f32_raddstoreexpminusmax__scalar_b2_p5(x, y2, n, m, k);
            const label = where("raddstore k=" + k.toString(), n, dist, off);
            const bad = firstBitMismatch(y1, y2, n);
            expect<i32>(bad).toBe(-1, label + (bad >= 0 ? " at " + bad.toString() + ": simd " + describeF32(getf(y1, bad)) + " scalar " + describeF32(getf(y2, bad)) : ""));
            expect<f64>(noteSum(s1, s2, label)).toBeLessThanOrEqual(SUM_REL_BOUND, label + " simd " + s1.toString() + " scalar " + s2.toString());
            expect<f64>(s1).toBeGreaterThanOrEqual(1.0, label + " (the max contributes exp(0) = 1)");
          }
          expect<bool>(guardsIntact(y1, n) && guardsIntact(y2, n) && guardsIntact(x, n)).toBe(true, where("raddstore guards", n, dist, off));
        }
      }
      releaseAll();
    }
    releaseAll();
  });

  it("works in place (y == x)", () => {
    const lengths = testLengths();
    seed(4);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n), x2 = allocF32(n), y = allocF32(n);
      fillUniform(x, n, -20, 5);
      copyF32(x2, x, n);
      const m = f32_rmax__scalar(x, n);
      const s1 = expstore(x2, x2, n, m, 1);
      const s2 = f32_raddstoreexpminusmax__scalar_b2_p5(x, y, n, m, 1);
      expect<i32>(firstBitMismatch(x2, y, n)).toBe(-1, "in place n=" + n.toString());
      expect<f64>(noteSum(s1, s2, "in place n=" + n.toString())).toBeLessThanOrEqual(SUM_REL_BOUND);
    }
    releaseAll();
  });

  it("a NaN input gives a NaN sum (the row drivers rely on it)", () => {
    for (let n = 1; n <= 40; n++) {
      for (let at = 0; at < n; at++) {
        const x = allocF32(n), y = allocF32(n);
        fillUniform(x, n, -5, 5);
        setf(x, at, NaN);
        const m = f32_rmax__scalar(x, n);
        expect<f64>(expstore(x, y, n, m, 1)).toBeNaN("n=" + n.toString() + " at=" + at.toString());
        expect<f64>(expsum(x, n, m)).toBeNaN("n=" + n.toString() + " at=" + at.toString());
      }
      releaseAll();
    }
  });
});

describe("config.ts expsum (the k1 kernel into scratch) vs f32_raddexpminusmax__scalar_b2_p5", () => {
  it("sums within the summation-order bound; equal to the storing kernel's sum (k = 1) bit for bit", () => {
    const lengths = testLengths();
    seed(5);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const y = allocF32(n);
      for (let dist = 0; dist < DISTS; dist++) {
        for (let off = 0; off < 2; off++) {
          const x = allocF32(n, off);
          fillDist(x, n, dist);
          const before = allocF32(n);
          copyF32(before, x, n);
          const m = f32_rmax__scalar(x, n);
          const s1 = expsum(x, n, m);
          const s2 = f32_raddexpminusmax__scalar_b2_p5(x, n, m);
          const s3 = expstore(x, y, n, m, 1);
          const label = where("raddexp", n, dist, off);
          expect<f64>(noteSum(s1, s2, label)).toBeLessThanOrEqual(SUM_REL_BOUND, label + " simd " + s1.toString() + " scalar " + s2.toString());
          expect<u64>(reinterpret<u64>(s1)).toBe(reinterpret<u64>(s3), label + " vs raddstore");
          expect<i32>(firstBitMismatch(x, before, n)).toBe(-1, label + " input modified");
        }
      }
    }
    releaseAll();
  });

  it("logs the largest SIMD/scalar sum difference", () => {
    log<string>("max relative |sum_simd - sum_scalar| = " + maxSumRel.toString() + " (" + maxSumRelWhere + "), bound " + SUM_REL_BOUND.toString());
    expect<f64>(maxSumRel).toBeLessThanOrEqual(SUM_REL_BOUND);
  });
});

describe("f32_vscale__wasmsimd_u16 vs f32_vscale__scalar", () => {
  it("bit-identical for every length, scale and distribution", () => {
    const lengths = testLengths();
    const ss: f32[] = [1, 0.0123456, 3.5, 1e-30, 1e30, 0, -2];
    seed(6);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      for (let dist = 0; dist < DISTS; dist++) {
        for (let si = 0; si < ss.length; si++) {
          const off = si & 1;
          const a = allocF32(n, off), b = allocF32(n, off);
          fillDist(a, n, dist);
          copyF32(b, a, n);
          // out of place (source untouched), then in place
          const c = allocF32(n, off), src = allocF32(n, off);
          copyF32(src, a, n);
          f32_vscale__wasmsimd_u16(src, c, n, ss[si]);
          expect<i32>(firstBitMismatch(src, a, n)).toBe(-1, where("vscale source modified", n, dist, off));
          f32_vscale__wasmsimd_u16(a, a, n, ss[si]);
          f32_vscale__scalar(b, b, n, ss[si]);
          const bad = firstBitMismatch(a, b, n);
          expect<i32>(bad).toBe(-1, where("vscale s=" + ss[si].toString(), n, dist, off));
          expect<i32>(firstBitMismatch(c, b, n)).toBe(-1, where("vscale out of place s=" + ss[si].toString(), n, dist, off));
          expect<bool>(guardsIntact(a, n) && guardsIntact(c, n)).toBe(true, where("vscale guards", n, dist, off));
        }
      }
      releaseAll();
    }
    releaseAll();
  });
});

describe("f32_vsubsub__wasmsimd_u16 vs f32_vsubsub__scalar", () => {
  it("bit-identical, out of place and in place", () => {
    const lengths = testLengths();
    seed(7);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const x = allocF32(n), y1 = allocF32(n), y2 = allocF32(n), x2 = allocF32(n);
      for (let dist = 0; dist < DISTS; dist++) {
        fillDist(x, n, dist);
        const a = f32_rmax__scalar(x, n), b = uniform(0, 12);
        f32_vsubsub__wasmsimd_u16(x, y1, n, a, b);
        f32_vsubsub__scalar(x, y2, n, a, b);
        expect<i32>(firstBitMismatch(y1, y2, n)).toBe(-1, where("vsubsub", n, dist, 0));
        copyF32(x2, x, n);
        f32_vsubsub__wasmsimd_u16(x2, x2, n, a, b);
        expect<i32>(firstBitMismatch(x2, y2, n)).toBe(-1, where("vsubsub in place", n, dist, 0));
        expect<bool>(guardsIntact(y1, n) && guardsIntact(x2, n)).toBe(true, "guards n=" + n.toString());
      }
    }
    releaseAll();
  });
});

// ---------------------------------------------------------------------------------------------
// vmodmax: orders 0..4 (the careful u4 kernel for every order; the fast dispatch: the u8 kernels
// for orders 0..2, the careful kernel beyond), with and without mask, params as 16-byte-aligned
// [a, b, c, d] records.

function fillParams(params: usize, order: i32): void {
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    // a·relu(b − x)^n + c·relu(x − d)^n with coefficients of both signs, shrinking with the order
    const scale: f32 = j == 0 ? 1 : j == 1 ? 0.1 : 0.01;
    store<f32>(p, uniform(-1, 1) * scale);
    store<f32>(p, uniform(-4, 0), 4);
    store<f32>(p, uniform(-1, 1) * scale, 8);
    store<f32>(p, uniform(0, 4), 12);
  }
}

function fillMask(mask: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const r = nextU32();
    // 0 = masked out (30%); any nonzero byte keeps the element, not just 1
    store<u8>(mask + <usize>i, (r % 10) < 3 ? 0 : (r % 10) == 3 ? 255 : (r % 10) == 4 ? 0x80 : 1);
  }
}

function checkModmax(x: usize, n: i32, params: usize, order: i32, mask: usize, label: string, fast: bool = false): void {
  const z1 = allocF32(n), z2 = allocF32(n);
  const m1 = fast ? modmax_fast(x, z1, mask, n, params, order) : f32_vmodmax__wasmsimd_u4(x, z1, mask, n, params, order);
  const m2 = f32_vmodmax__scalar(x, z2, mask, n, params, order);
  const bad = firstBitMismatch(z1, z2, n);
  expect<i32>(bad).toBe(-1, label + (bad >= 0 ? " z[" + bad.toString() + "] simd " + describeF32(getf(z1, bad)) + " scalar " + describeF32(getf(z2, bad)) + " x=" + describeF32(getf(x, bad)) : ""));
  // the max: NaN for both, or equal (a ±0 maximum may differ in sign, see rmax)
  expect<bool>(sameF32(m1, m2) || (m1 == 0 && m2 == 0)).toBe(true, label + " max simd " + describeF32(m1) + " scalar " + describeF32(m2));
  expect<bool>(guardsIntact(z1, n)).toBe(true, label + " guards");
  if (mask != 0) {
    for (let i = 0; i < n; i++) {
      if (load<u8>(mask + <usize>i) == 0 && getf(z1, i) != -Infinity) {
        expect<i32>(i).toBe(-1, label + " masked element not −∞");
      }
    }
  }
}

describe("f32_vmodmax__wasmsimd_u4 vs f32_vmodmax__scalar", () => {
  it("orders 0..4, with and without mask, every length and distribution", () => {
    const lengths = testLengths();
    seed(8);
    for (let li = 0; li < lengths.length; li++) {
      const n = lengths[li];
      const params = alloc(5 * 16);
      expect<usize>(params & 15).toBe(0);
      const x = allocF32(n), mask = alloc(n);
      for (let dist = 0; dist < DISTS; dist++) {
        fillDist(x, n, dist);
        fillMask(mask, n);
        for (let order = 0; order <= 4; order++) {
          fillParams(params, order);
          const label = "vmodmax order=" + order.toString() + " " + where("", n, dist, 0);
          checkModmax(x, n, params, order, 0, label);
          checkModmax(x, n, params, order, mask, label + " masked");
          // the fast kernels promise the same lanes whenever x holds no −∞ and φ gives no NaN:
          // the first three distributions (finite, |x| <= 100, small coefficients)
          if (dist < 3) {
            checkModmax(x, n, params, order, 0, label + " fast", true);
            checkModmax(x, n, params, order, mask, label + " fast masked", true);
          }
        }
      }
      releaseAll();
    }
  });

  it("NaN and ±∞ inputs, and overflowing parameters (NaN results), as the scalar twin", () => {
    seed(9);
    const params = alloc(4 * 16);
    for (let n = 1; n <= 40; n++) {
      const x = allocF32(n), mask = alloc(n);
      for (let trial = 0; trial < 8; trial++) {
        fillUniform(x, n, -10, 10);
        for (let i = 0; i < n; i++) {
          const r = nextU32() % 8;
          if (r == 0) setf(x, i, NaN);
          else if (r == 1) setf(x, i, Infinity);
          else if (r == 2) setf(x, i, -Infinity);
          else if (r == 3) setf(x, i, 3.0e38);
          else if (r == 4) setf(x, i, -3.0e38);
        }
        fillMask(mask, n);
        for (let order = 0; order <= 4; order++) {
          fillParams(params, order);
          if (trial & 1) store<f32>(params, 1e30); // a_1 huge: φ overflows to ±∞, ∞ − ∞ = NaN
          const label = "vmodmax specials order=" + order.toString() + " n=" + n.toString() + " trial=" + trial.toString();
          checkModmax(x, n, params, order, 0, label);
          checkModmax(x, n, params, order, mask, label + " masked");
        }
      }
    }
    releaseAll();
  });

  it("a NaN at any unmasked position makes the result NaN; at a masked position it is ignored", () => {
    for (let n = 1; n <= 40; n++) {
      for (let at = 0; at < n; at++) {
        const x = allocF32(n), z = allocF32(n), mask = alloc(n);
        fillUniform(x, n, -3, 3);
        setf(x, at, NaN);
        memory.fill(mask, 1, <usize>n);
        for (let order = 0; order <= 3; order++) {
          const params = alloc(3 * 16);
          fillParams(params, order);
          expect<f32>(f32_vmodmax__wasmsimd_u4(x, z, 0, n, params, order)).toBeNaN("n=" + n.toString() + " at=" + at.toString());
          store<u8>(mask + <usize>at, 0);
          const m = f32_vmodmax__wasmsimd_u4(x, z, mask, n, params, order);
          expect<f32>(m).not.toBeNaN("masked NaN n=" + n.toString() + " at=" + at.toString());
          expect<f32>(getf(z, at)).toBe(-Infinity);
          store<u8>(mask + <usize>at, 1);
        }
        releaseAll();
      }
    }
  });
});
