// f32-rthresh-p1p, scalar: one search pass of the near-1 maps (α within 1/64 of 1), scalar twin of
// f32-rthresh-pg-wasmsimd-u4 (near1 = true). s = τ + 1 is the unknown: over x[0..n),
// u = (x − m)·c − s, for u > −1: out.count = their number, out.s1 = Σ (1 + u)^γ,
// out.s2 = Σ (1 + u)^(γ−1), out.s3 = Σ (1 + u)^(γ−2), with ln(1 + u) from u (math/pow.ts pow1pf);
// out.min is not computed (+∞). Template and contract: templates/f32-rthresh-scalar.ts.
import { rthresh_scalar } from "../templates/f32-rthresh-scalar";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

export function f32_rthresh_p1p__scalar(x: usize, n: i32, m: f32, c: f32, s: f32, g: f32, out: RThreshResult): void {
  rthresh_scalar(x, 0, n, m, c, s, g, Pow.Near1, out);
}
