// assembly/math/math64.ts: the table-free float64 log64 and exp64 against AssemblyScript's
// table-based Math.log and Math.exp (the reference here, not in the shipped module), and lnsum
// (log-softmax's log Σ) against Math.log within its documented 1e-7 absolute.
import { exp64, lnsum, log64 } from "../../assembly/math/math64";

/** |a − b| in units of b's ulp (b finite, nonzero). */
function ulps(a: f64, b: f64): f64 {
  const e = <i32>((reinterpret<u64>(Math.abs(b)) >> 52) & 0x7FF) - 1023;
  const ulp = Math.pow(2, <f64>(Math.max(e, -1022) - 52));
  return Math.abs(a - b) / ulp;
}

let seed: u32 = 0x9E3779B9;
function rnd(): f64 { // xorshift32 in [0, 1)
  seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
  return <f64>seed / 4294967296.0;
}

describe("log64", () => {
  it("is within 2 ulp of Math.log over 30 decades, subnormals and near 1", () => {
    let worst: f64 = 0;
    for (let i = 0; i < 20000; i++) {
      const x = Math.pow(10, rnd() * 600 - 300);
      const u = ulps(log64(x), Math.log(x));
      if (u > worst) worst = u;
      const y = 1 + (rnd() - 0.5) * 1e-3; // near 1: ln y is tiny, relative accuracy matters
      if (y != 1) { const v = ulps(log64(y), Math.log(y)); if (v > worst) worst = v; }
    }
    const sub = [5e-324, 1e-310, 2.2250738585072009e-308];
    for (let i = 0; i < sub.length; i++) { const u = ulps(log64(sub[i]), Math.log(sub[i])); if (u > worst) worst = u; }
    expect(worst).toBeLessThanOrEqual(2.0);
  });
  it("handles 0, negatives, NaN and +∞", () => {
    expect(log64(0)).toBe(-Infinity);
    expect(isNaN(log64(-1))).toBe(true);
    expect(isNaN(log64(NaN))).toBe(true);
    expect(log64(Infinity)).toBe(Infinity);
    expect(log64(1)).toBe(0);
  });
});

describe("exp64", () => {
  it("is within 2 ulp of Math.exp on [−745, 709.7], subnormal results included", () => {
    let worst: f64 = 0;
    for (let i = 0; i < 20000; i++) {
      const x = rnd() * 1454.7 - 745;
      const r = Math.exp(x);
      if (r < 2.2250738585072014e-308) { // subnormal: compare absolutely, in units of the smallest subnormal
        const d = Math.abs(exp64(x) - r) / 5e-324;
        if (d > 1) worst = Math.max(worst, d);
        continue;
      }
      const u = ulps(exp64(x), r);
      if (u > worst) worst = u;
    }
    expect(worst).toBeLessThanOrEqual(2.0);
  });
  it("overflows, underflows and passes NaN", () => {
    expect(exp64(710)).toBe(Infinity);
    expect(exp64(-746)).toBe(0);
    expect(isNaN(exp64(NaN))).toBe(true);
    expect(exp64(0)).toBe(1);
  });
});

describe("lnsum", () => {
  it("is within 1e-7 absolute of Math.log for sums in [1, 2^24]", () => {
    let worst: f64 = 0;
    for (let i = 0; i < 20000; i++) {
      const x = Math.pow(2, rnd() * 24);
      const d = Math.abs(lnsum(x) - Math.log(x));
      if (d > worst) worst = d;
    }
    expect(lnsum(1)).toBe(0);
    expect(worst).toBeLessThanOrEqual(1e-7);
  });
});
