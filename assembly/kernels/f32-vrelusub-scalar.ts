// f32-vrelusub, scalar: the outputs of sparsemax-type (E = 1) and 1.5-entmax-type (E = 2) maps
// from the d = max(X − t, 0) that the last search pass stored (f32-rthresh p1/p2 with y ≠ 0):
//   E = 1: y[i] = min(s·(d[i] − δ), 1),  E = 2: y[i] = min((d[i] − δ)², 1) (1.5-entmax needs no
//   scale), where d[i] > δ (δ = τ − t = δhi + δlo), else 0;  d[i] = 0 stays 0.
// Reference for the wasm SIMD kernel. Returns count(y > 0). d may be y.

// @ts-ignore: decorator
@inline function body(d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32, E: i32): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(d + o);
    let r = (v - hi) - lo;
    r = v > 0 && r > 0 ? r : 0;
    let p = E == 2 ? r * r : r * s;
    p = 1 < p ? 1 : p; // (a probability: rounding of d, δ and s could give 1 + ulp)
    store<f32>(y + o, p);
    k += i32(p > 0);
  }
  return k;
}

export function f32_vrelusub_e1__scalar(d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32): i32 { return body(d, y, n, hi, lo, s, 1); }
export function f32_vrelusub_e2__scalar(d: usize, y: usize, n: i32, hi: f32, lo: f32): i32 { return body(d, y, n, hi, lo, 1, 2); }
