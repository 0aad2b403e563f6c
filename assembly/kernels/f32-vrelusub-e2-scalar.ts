// f32-vrelusub-e2, scalar: 1.5-entmax-type outputs (E = 2, no scale: they sum to 1 by themselves)
// from the d = max(X − t, 0) that the last search pass stored (f32-rthresh-p2 with y ≠ 0):
// y[i] = min(r², 1) with r = (d[i] − δhi) − δlo where d[i] > 0 and r > 0 (δ = τ − t), else 0.
// Returns count(y > 0). d may be y. Scalar twin of f32-vrelusub-e2-wasmsimd-u16; template and
// contract: templates/f32-vrelusub-scalar.ts.
import { vrelusub_scalar } from "../templates/f32-vrelusub-scalar";
import { Pow } from "../kinds";

export function f32_vrelusub_e2__scalar(d: usize, y: usize, n: i32, hi: f32, lo: f32): i32 {
  return vrelusub_scalar(d, y, n, hi, lo, 1, Pow.Two);
}
