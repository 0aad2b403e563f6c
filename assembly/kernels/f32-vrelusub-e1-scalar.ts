// f32-vrelusub-e1, scalar: sparsemax-type outputs (E = 1) from the d = max(X − t, 0) that the last
// search pass stored (f32-rthresh-p1/p2 with y ≠ 0): y[i] = min(s·((d[i] − δhi) − δlo), 1) where
// d[i] > 0 and (d[i] − δhi) − δlo > 0 (δ = τ − t), else 0. Returns count(y > 0). d may be y. Scalar
// twin of f32-vrelusub-e1-wasmsimd-u16; template and contract: templates/f32-vrelusub-scalar.ts.
import { vrelusub_scalar } from "../templates/f32-vrelusub-scalar";
import { Pow } from "../kinds";

export function f32_vrelusub_e1__scalar(d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32): i32 {
  return vrelusub_scalar(d, y, n, hi, lo, s, Pow.One);
}
