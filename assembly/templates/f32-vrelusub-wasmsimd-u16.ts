// Template of the f32-vrelusub wasm SIMD kernels (kernels/f32-vrelusub-{e1,e2}-wasmsimd-u16.ts, E a
// compile-time constant).
// f32-vrelusub, wasm SIMD (contract: templates/f32-vrelusub-scalar.ts), 16 elements per iteration, a
// 4-lane loop and a scalar tail: two subtractions, a max-by-mask, at most two multiplications, a
// min with 1 and a compare per vector, no branch. Lanes equal the scalar twins'.
import { Pow } from "../kinds";
import { hcount } from "../math/acc";

// @ts-ignore: decorator
@inline function lane(v: v128, vhi: v128, vlo: v128, vs: v128, zero: v128, one: v128, E: Pow): v128 {
  const r0 = f32x4.sub(f32x4.sub(v, vhi), vlo);
  const r = v128.and(r0, v128.and(f32x4.gt(v, zero), f32x4.gt(r0, zero)));
  // E = 1: s·r (normmax 2 scales); E = 2: r², unscaled (1.5-entmax sums to 1 by itself)
  return f32x4.pmin(E == Pow.Two ? f32x4.mul(r, r) : f32x4.mul(r, vs), one);
}

// @ts-ignore: decorator
@inline export function vrelusub_wasmsimd_u16(d: usize, y: usize, n: i32, hi: f32, lo: f32, s: f32, E: Pow): i32 {
  const vhi = f32x4.splat(hi), vlo = f32x4.splat(lo), vs = f32x4.splat(s), zero = f32x4.splat(0), one = f32x4.splat(1);
  let c0 = i32x4.splat(0), c1 = c0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const p0 = lane(v128.load(d + o), vhi, vlo, vs, zero, one, E), p1 = lane(v128.load(d + o, 16), vhi, vlo, vs, zero, one, E);
    const p2 = lane(v128.load(d + o, 32), vhi, vlo, vs, zero, one, E), p3 = lane(v128.load(d + o, 48), vhi, vlo, vs, zero, one, E);
    v128.store(y + o, p0); v128.store(y + o, p1, 16); v128.store(y + o, p2, 32); v128.store(y + o, p3, 48);
    c0 = i32x4.add(c0, i32x4.add(f32x4.gt(p0, zero), f32x4.gt(p1, zero)));
    c1 = i32x4.add(c1, i32x4.add(f32x4.gt(p2, zero), f32x4.gt(p3, zero)));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const p = lane(v128.load(d + o), vhi, vlo, vs, zero, one, E);
    v128.store(y + o, p);
    c0 = i32x4.add(c0, f32x4.gt(p, zero));
  }
  c0 = i32x4.add(c0, c1);
  let k = hcount(c0);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(d + o);
    let r = (v - hi) - lo;
    r = v > 0 && r > 0 ? r : 0;
    let p = E == Pow.Two ? r * r : r * s;
    p = 1 < p ? 1 : p;
    store<f32>(y + o, p);
    k += i32(p > 0);
  }
  return k;
}

