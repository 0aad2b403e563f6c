// f32-rthresh-p2, scalar: one search pass of 1.5-entmax-type maps (γ = 2: Newton and the exact
// quadratic root), scalar twin of f32-rthresh-p2-wasmsimd-u16. Over x[0..n), d = (x − m)·c − t:
// out.count = count(d > 0), out.min = the smallest such d (+∞ if none), out.s1 = Σ d,
// out.s2 = Σ d² over them (f64, element by element), out.s3 = 0. y ≠ 0: also stores max(d, 0) for
// every entry at y (y may not be x), the input of f32-vrelusub-e2 (or -e1 for normmax α = 2).
// Template and contract: templates/f32-rthresh-scalar.ts.
import { rthresh_scalar } from "../templates/f32-rthresh-scalar";
import { Pow } from "../kinds";
import { RThreshResult } from "../records";

export function f32_rthresh_p2__scalar(x: usize, y: usize, n: i32, m: f32, c: f32, t: f32, out: RThreshResult): void {
  rthresh_scalar(x, y, n, m, c, t, 2, Pow.Two, out);
}
