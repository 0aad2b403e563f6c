// Accuracy and special values of the b2-p5 exp (assembly/math/exp.ts), scalar and vector.
import {
  EXP_C1, EXP_C2, EXP_C3, EXP_C4, EXP_C5, EXP_CLAMP, EXP_LOG2E, EXP_MAGIC, EXP_TABLE, expf_b2_p5, expv_b2_p5,
  expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic,
} from "../../assembly/math/exp";
import { describeF32, hex, nextU32, seed, sameF32 } from "./helpers";

// ---------------------------------------------------------------------------------------------
// Error measurement against NativeMath.exp in f64.
//
// The bound: |e − exp(d)| ≤ 3 ulp + |d|·K·exp(d). The |d| term is the rounding of d·log2e (and
// log2e's own float32 rounding), which the base-2 reduction keeps: a relative error proportional
// to |d|, of the order of the rounding of d = x − max that precedes every call. K is the smallest
// value the exhaustive run of tools/exp-ulp.mjs supports, rounded up.

// @ts-ignore: decorator
@inline const K: f64 = 7.1e-8; // ≈ 1.19·2^−24 (the exhaustive run needs 7.05e-8)

/** Spacing of float32 at the (positive) reference value: 2^(e − 23), e = max(⌊log2 ref⌋, −126). */
function ulpAt(ref: f64): f64 {
  let e = <i32>((reinterpret<u64>(ref) >> 52) & 0x7FF) - 1023;
  if (e < -126) e = -126;
  return reinterpret<f64>(<u64>(e - 23 + 1023) << 52);
}

let maxUlp: f64 = 0;
let maxUlpAt: f32 = 0;
let maxUlpGot: f32 = 0;
let maxRel: f64 = 0;
let maxRelAt: f32 = 0;
let maxExcess: f64 = 0; // max of (error − bound) / ulp: ≤ 0 when the bound holds everywhere
let maxExcessAt: f32 = 0;
let points: i32 = 0;

function resetStats(): void {
  maxUlp = 0; maxUlpAt = 0; maxUlpGot = 0; maxRel = 0; maxRelAt = 0; maxExcess = -Infinity; maxExcessAt = 0; points = 0;
}

// @ts-ignore: decorator
@inline function measure(d: f32): void {
  const got = expf_b2_p5(d);
  const ref = NativeMath.exp(<f64>d);
  const err = Math.abs(<f64>got - ref);
  const u = ulpAt(ref);
  const ulp = err / u;
  const rel = err / ref;
  const excess = (err - (3 * u + Math.abs(<f64>d) * K * ref)) / u;
  if (ulp > maxUlp) { maxUlp = ulp; maxUlpAt = d; maxUlpGot = got; }
  if (rel > maxRel) { maxRel = rel; maxRelAt = d; }
  if (excess > maxExcess) { maxExcess = excess; maxExcessAt = d; }
  points++;
}

function report(label: string): void {
  log<string>(
    label + ": " + points.toString() + " points, max error " + maxUlp.toString() + " ulp at d = " +
    describeF32(maxUlpAt) + " (got " + describeF32(maxUlpGot) + ", exp = " + NativeMath.exp(<f64>maxUlpAt).toString() +
    "), max relative error " + maxRel.toString() + " at d = " + describeF32(maxRelAt) +
    ", closest to the bound 3 ulp + |d|·K·exp(d): " + maxExcess.toString() + " ulp beyond it at d = " + describeF32(maxExcessAt),
  );
}

const D_LO_BITS: u32 = 0xC2AE999A;     // −87.3 as float32 (−87.30000305)
const D_NORMAL_BITS: u32 = 0xC2AEAC4F; // −87.3365402: the last float32 with exp(d) ≥ 2^−126
const D_ZERO_BITS: u32 = 0xC2AF5DC2;   // −87.6831207: the first float32 with fl(d·log2e) ≤ −126.5

describe("expf_b2_p5 accuracy", () => {
  it("strided sweep over the float32 bit patterns of [−87.3, −0]: |e − exp(d)| <= 3 ulp + |d|·K·exp(d)", () => {
    resetStats();
    // 0x80000000 (−0) … 0xC2AE999A (−87.3): 1.12e9 patterns, stride 331 (prime, so the low
    // mantissa bits vary) gives 3.4 million points; the endpoint is measured explicitly.
    const STRIDE: u32 = 331;
    for (let b: u32 = 0x80000000; b <= D_LO_BITS; b += STRIDE) measure(reinterpret<f32>(b));
    measure(reinterpret<f32>(D_LO_BITS));
    report("bit-pattern sweep");
    expect<f64>(maxExcess).toBeLessThanOrEqual(0, "error beyond 3 ulp + |d|·K·exp(d) over the bit-pattern sweep");
    expect<f64>(maxRel).toBeLessThan(1e-5, "max relative error over the bit-pattern sweep");
  });

  it("uniform sweep in value over [−87.3, 0]: |e − exp(d)| <= 3 ulp + |d|·K·exp(d)", () => {
    resetStats();
    // Bit-pattern strides put most points near 0 (where exp ≈ 1); this one spreads them evenly.
    const N = 1 << 21;
    const lo: f64 = <f64>reinterpret<f32>(D_LO_BITS);
    for (let i = 0; i <= N; i++) measure(<f32>(lo * (<f64>i / <f64>N)));
    report("value sweep");
    expect<f64>(maxExcess).toBeLessThanOrEqual(0, "error beyond 3 ulp + |d|·K·exp(d) over the value sweep");
    expect<f64>(maxRel).toBeLessThan(1e-5, "max relative error over the value sweep");
  });

  it("strided sweep over the float32 bit patterns of [−1, −0] (where the |d| term is small): max error <= 3 ulp", () => {
    resetStats();
    for (let b: u32 = 0x80000000; b <= 0xBF800000; b += 97) measure(reinterpret<f32>(b));
    measure(-1);
    report("[-1, 0], stride 97");
    expect<f64>(maxUlp).toBeLessThanOrEqual(3.0, "max ulp error on [−1, 0]");
  });

  it("every float32 in [ln 2^−126, −87.3] (results just above 2^−126): within the bound", () => {
    resetStats();
    for (let b: u32 = D_LO_BITS; b <= D_NORMAL_BITS; b++) measure(reinterpret<f32>(b));
    report("tail [ln 2^-126, -87.3]");
    expect<f64>(maxExcess).toBeLessThanOrEqual(0, "error beyond the bound next to 2^−126");
  });

  it("every float32 between the zero threshold and ln 2^−126 (subnormal results): within the bound, in units of 2^−149", () => {
    // Here exp(d) < 2^−126: the result is a (not flushed) subnormal, or 2^−126 when it rounds up;
    // ulpAt is the subnormal spacing 2^−149.
    resetStats();
    for (let b: u32 = D_NORMAL_BITS + 1; b < D_ZERO_BITS; b++) {
      const e = expf_b2_p5(reinterpret<f32>(b));
      expect<bool>(e > 0 && e <= reinterpret<f32>(0x00800000)).toBe(true, "positive, at most 2^−126, at " + hex(b));
      measure(reinterpret<f32>(b));
    }
    report("subnormal results");
    expect<f64>(maxExcess).toBeLessThanOrEqual(0, "error beyond the bound for subnormal results");
  });
});

describe("expf_b2_p5 special values", () => {
  it("exp(±0) is exactly 1", () => {
    expect<u32>(reinterpret<u32>(expf_b2_p5(0))).toBe(0x3F800000);
    expect<u32>(reinterpret<u32>(expf_b2_p5(-0.0))).toBe(0x3F800000);
  });

  it("exp(−∞) is +0", () => {
    expect<u32>(reinterpret<u32>(expf_b2_p5(-Infinity))).toBe(0);
  });

  it("exp(NaN) is NaN", () => {
    expect<f32>(expf_b2_p5(NaN)).toBeNaN();
    expect<f32>(expf_b2_p5(reinterpret<f32>(0xFFC00000))).toBeNaN();
    expect<f32>(expf_b2_p5(reinterpret<f32>(0x7F800001))).toBeNaN(); // signalling payload
  });

  it("inputs with fl(d·log2e) <= −126.5 (d <= −87.6831207) give +0", () => {
    // n rounds to −127 there (the clamp keeps it from going lower), so s = 2^n = +0 exactly.
    const dz = reinterpret<f32>(D_ZERO_BITS);
    expect<bool>(dz * reinterpret<f32>(0x3FB8AA3B) <= -126.5).toBe(true);
    expect<bool>(reinterpret<f32>(D_ZERO_BITS - 1) * reinterpret<f32>(0x3FB8AA3B) > -126.5).toBe(true);
    const below: f32[] = [
      dz, -87.6832, -87.7, -88, -88.02969, -100, -103.97, -104, -150, -1000, -1e10, -1e30,
      reinterpret<f32>(0xFF7FFFFF), // −3.4028235e38
    ];
    for (let i = 0; i < below.length; i++) {
      expect<u32>(reinterpret<u32>(expf_b2_p5(below[i]))).toBe(0, "exp(" + below[i].toString() + ")");
    }
    // Every float from the zero threshold down to −128:
    let nonzero = 0;
    for (let b: u32 = D_ZERO_BITS; b <= 0xC3000000; b++) {
      if (reinterpret<u32>(expf_b2_p5(reinterpret<f32>(b))) != 0) nonzero++;
    }
    expect<i32>(nonzero).toBe(0, "nonzero results below the zero threshold");
  });

  it("the last nonzero result, just above the zero threshold, is about 2^−126·√½ (subnormal)", () => {
    const d = reinterpret<f32>(D_ZERO_BITS - 1);
    const e = expf_b2_p5(d);
    const ref = NativeMath.exp(<f64>d);
    log<string>("exp(" + describeF32(d) + ") = " + describeF32(e) + ", exact " + ref.toString());
    expect<f32>(e).toBeGreaterThan(0);
    expect<f64>(Math.abs(<f64>e - ref)).toBeLessThanOrEqual(3 * reinterpret<f64>(0x36A0000000000000) + Math.abs(<f64>d) * K * ref); // 2^−149
  });

  it("is monotonic (non-decreasing) along the sweep grid", () => {
    let prev: f32 = 0, bad = 0, badAt: u32 = 0;
    // From −87.7 up to −0, i.e. decreasing bit patterns.
    for (let b: u32 = 0xC2AF6666; b >= 0x80000000; b -= 1013) {
      const e = expf_b2_p5(reinterpret<f32>(b));
      if (e < prev) { bad++; badAt = b; }
      prev = e;
      if (b < 0x80000000 + 1013) break;
    }
    if (bad != 0) log<string>("non-monotonic at " + hex(badAt));
    expect<i32>(bad).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Vector lanes vs the scalar function.

const inputs = new StaticArray<f32>(4);

/** Runs expv on 4 inputs and checks every lane against expf; returns the failing lane or -1. */
function checkLanes(a: f32, b: f32, c: f32, d: f32): i32 {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  inputs[0] = a; inputs[1] = b; inputs[2] = c; inputs[3] = d;
  const v = v128.load(changetype<usize>(inputs));
  const e = expv_b2_p5(v, log2e, magic, clamp, c5, c4, c3, c2, c1);
  if (!sameF32(f32x4.extract_lane(e, 0), expf_b2_p5(a))) return 0;
  if (!sameF32(f32x4.extract_lane(e, 1), expf_b2_p5(b))) return 1;
  if (!sameF32(f32x4.extract_lane(e, 2), expf_b2_p5(c))) return 2;
  if (!sameF32(f32x4.extract_lane(e, 3), expf_b2_p5(d))) return 3;
  return -1;
}

describe("expv_b2_p5", () => {
  it("EXP_TABLE holds the scalar constants, 16-byte aligned", () => {
    expect<usize>(EXP_TABLE & 15).toBe(0);
    expect<u32>(load<u32>(EXP_TABLE, 32)).toBe(reinterpret<u32>(EXP_CLAMP));
    expect<u32>(load<u32>(EXP_TABLE, 112)).toBe(reinterpret<u32>(EXP_C1));
    for (let k = 0; k < 8; k++) {
      const w = load<u32>(EXP_TABLE + (<usize>k << 4));
      for (let l = 1; l < 4; l++) expect<u32>(load<u32>(EXP_TABLE + (<usize>k << 4) + (<usize>l << 2))).toBe(w);
    }
    // the helpers that load them (lane 0 and lane 3 of each)
    const vs: v128[] = [expv_log2e(), expv_magic(), expv_clamp(), expv_c5(), expv_c4(), expv_c3(), expv_c2(), expv_c1()];
    const fs: f32[] = [EXP_LOG2E, EXP_MAGIC, EXP_CLAMP, EXP_C5, EXP_C4, EXP_C3, EXP_C2, EXP_C1];
    for (let k = 0; k < 8; k++) {
      expect<u32>(reinterpret<u32>(f32x4.extract_lane(vs[k], 0))).toBe(reinterpret<u32>(fs[k]), "helper " + k.toString() + " lane 0");
      expect<u32>(reinterpret<u32>(f32x4.extract_lane(vs[k], 3))).toBe(reinterpret<u32>(fs[k]), "helper " + k.toString() + " lane 3");
    }
  });

  it("lanes equal expf_b2_p5 bit for bit (special values)", () => {
    const sp: f32[] = [
      0, -0.0, -Infinity, NaN, reinterpret<f32>(D_ZERO_BITS), reinterpret<f32>(D_ZERO_BITS - 1),
      reinterpret<f32>(D_NORMAL_BITS), reinterpret<f32>(D_NORMAL_BITS + 1), -87.3, -1e-45, -1.1754942e-38, -1e-30, -0.5,
      -0.34657359, -0.34657362, -1, -2, -88, -104, -1e30, reinterpret<f32>(0xFF7FFFFF), -0.693147182,
    ];
    for (let i = 0; i < sp.length; i++) {
      for (let j = 0; j < sp.length; j++) {
        const lane = checkLanes(sp[i], sp[j], sp[(i + j) % sp.length], sp[(i * 7 + j * 3) % sp.length]);
        expect<i32>(lane).toBe(-1, "special inputs " + sp[i].toString() + ", " + sp[j].toString());
      }
    }
  });

  it("lanes equal expf_b2_p5 bit for bit (2 million random domain inputs)", () => {
    seed(0x1234567);
    let bad = 0;
    for (let i = 0; i < 500000; i++) {
      // random negative floats down to −128 (bit patterns up to 0xC3000000), both domains
      const a = reinterpret<f32>(0x80000000 | (nextU32() % 0x43000000));
      const b = reinterpret<f32>(0x80000000 | (nextU32() % 0x43000000));
      const c = -<f32>(nextU32() >> 8) * reinterpret<f32>(0x33800000) * 90; // uniform in (−90, 0]
      const d = -<f32>(nextU32() >> 8) * reinterpret<f32>(0x33800000) * 1;  // uniform in (−1, 0]
      const lane = checkLanes(a, b, c, d);
      if (lane >= 0) {
        if (bad == 0) log<string>("first mismatch, lane " + lane.toString() + ": " + describeF32(a) + " " + describeF32(b) + " " + describeF32(c) + " " + describeF32(d));
        bad++;
      }
    }
    expect<i32>(bad).toBe(0);
  });

  it("lanes equal expf_b2_p5 bit for bit outside the domain too (any bit pattern)", () => {
    seed(0xBADC0DE);
    let bad = 0;
    for (let i = 0; i < 250000; i++) {
      const lane = checkLanes(
        reinterpret<f32>(nextU32()), reinterpret<f32>(nextU32()),
        reinterpret<f32>(nextU32()), reinterpret<f32>(nextU32()),
      );
      if (lane >= 0) bad++;
    }
    expect<i32>(bad).toBe(0);
  });
});
