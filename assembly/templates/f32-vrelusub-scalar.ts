// Template of the f32-vrelusub scalar kernels (kernels/f32-vrelusub-{e1,e2}-scalar.ts, E a
// compile-time constant).
// f32-vrelusub, scalar: the outputs of sparsemax-type (E = 1) and 1.5-entmax-type (E = 2) maps
// from the d = max(X − t, 0) that the last search pass stored (f32-rthresh p1/p2 with y ≠ 0):
//   E = 1: y[i] = min(s·(d[i] − δ), 1),  E = 2: y[i] = min((d[i] − δ)², 1) (1.5-entmax needs no
//   scale), where d[i] > δ (δ = τ − t = δhi + δlo), else 0;  d[i] = 0 stays 0.
// Reference for the wasm SIMD kernels. Returns count(y > 0). d may be y.
import { Pow } from "../kinds";

// @ts-ignore: decorator
@inline export function vrelusub_scalar(d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32, E: Pow): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(d + o);
    let r = (v - hi) - lo;
    r = v > 0 && r > 0 ? r : 0;
    let p = E == Pow.Two ? r * r : r * s;
    p = 1 < p ? 1 : p; // (a probability: rounding of d, δ and s could give 1 + ulp)
    store<f32>(y + o, p);
    k += i32(p > 0);
  }
  return k;
}

