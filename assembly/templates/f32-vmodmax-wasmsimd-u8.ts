// Template of the fast f32-vmodmax wasm SIMD kernels (kernels/f32-vmodmax-{o0-masked,o1,o2,
// o12-masked}-wasmsimd-u8.ts; ORDER and MASKED compile-time constants).
// f32-vmodmax, wasm SIMD, 8 elements per iteration (φ is compute-bound; two vectors in flight are
// enough, 16 measured no faster), then a 4-lane loop whose last vector may be partial (tail.ts:
// the row's last element repeated, which changes no max, no min and no flag): the fast kernels of
// MultiMax's first pass (orders 0, 1, 2):
//   z[i] = φ(x[i]), −∞ where mask[i] == 0;  returns max z, or NaN for "redo this row".
// Fast contract: a few instructions fewer per vector than the careful kernel
// (f32-vmodmax-wasmsimd-u4, any order; scalar twin f32-vmodmax-scalar.ts); equal to it when x
// holds no −∞, no z is NaN and φ never reaches −∞. Otherwise it returns NaN (a −∞ from φ, before
// masking, is tracked with one pmin) or an entry comes out NaN, which the max skips but the exp
// sum shows: either way the row driver redoes the row from x, which the fast kernel never
// overwrites, with the careful kernel. Order 0 (the masked copy of masked softmax) has nothing to
// overflow and tracks nothing.
// One function per hot (order, masked) pair, so each hot loop is its own wasm function with its
// parameters splatted once before the loop: o0_masked (masked copy, for masked softmax), o1, o2
// (the official checkpoints, no mask); masked orders 1 and 2 share one function (o12_masked, the
// order tested per vector). Orders ≥ 3, and order 0 without a mask, run the careful kernel
// (config.ts modmax_fast chooses).
// FMA variant: in the relaxed-SIMD build (build/multimax-relaxed.wasm) φ's multiply-adds
// (z + a·relu(…)ⁿ) are f32x4.relaxed_madd (phi.ts, madd.ts: fused where the CPU has FMA).
import { phiv_o1, phiv_o2 } from "../math/phi";
import { loadMaskPartRepeat, loadPartRepeat, storePart } from "../math/tail";
import { f32x4_hmax } from "../math/hmax";
import { ModOrder } from "../kinds";

// ORDER (kinds.ts ModOrder): Copy (0), One, Two, or OneOrTwo meaning "order 1 or 2, read `order`
// at run time". ORDER and MASKED are constant at every call site, so binaryen folds the branches
// and each kernel keeps only its own path.
// @ts-ignore: decorator
@inline function phiv(
  v: v128, ORDER: ModOrder, params: usize, order: i32,
  a1: v128, b1: v128, c1: v128, d1: v128, a2: v128, b2: v128, c2: v128, d2: v128, zero: v128,
): v128 {
  if (ORDER == ModOrder.One) return phiv_o1(v, v, a1, b1, c1, d1, zero);
  if (ORDER == ModOrder.Two) return phiv_o2(phiv_o1(v, v, a1, b1, c1, d1, zero), v, a2, b2, c2, d2, zero);
  if (ORDER == ModOrder.OneOrTwo) return phiv_o1(v, v, a1, b1, c1, d1, zero); // (the order-2 step: see vmodmax_wasmsimd_u8)
  return v;
}

/** z = φ(x) (−∞ where masked, MASKED), returns max z or NaN (redo the row): see the header. */
// @ts-ignore: decorator
@inline export function vmodmax_wasmsimd_u8(x: usize, z: usize, mask: usize, n: i32, params: usize, order: i32, ORDER: ModOrder, MASKED: bool): f32 {
  const zero = f32x4.splat(0), ninf = f32x4.splat(-Infinity);
  let a1 = zero, b1 = zero, c1 = zero, d1 = zero, a2 = zero, b2 = zero, c2 = zero, d2 = zero;
  if (ORDER != ModOrder.Copy) {
    a1 = f32x4.splat(load<f32>(params)); b1 = f32x4.splat(load<f32>(params, 4));
    c1 = f32x4.splat(load<f32>(params, 8)); d1 = f32x4.splat(load<f32>(params, 12));
  }
  if (ORDER == ModOrder.Two) {
    a2 = f32x4.splat(load<f32>(params, 16)); b2 = f32x4.splat(load<f32>(params, 20));
    c2 = f32x4.splat(load<f32>(params, 24)); d2 = f32x4.splat(load<f32>(params, 28));
  }
  // tracker (ORDER ≠ Copy): `lo`, the pmin of φ before masking
  let lo = f32x4.splat(Infinity);
  let m0 = ninf, m1 = ninf;
  let k0 = zero, k1 = zero;
  const track = ORDER != ModOrder.Copy;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    if (MASKED) {
      const k = v128.load8x8_u(mask + <usize>i);
      k0 = i32x4.extend_low_i16x8_u(k);
      k1 = i32x4.extend_high_i16x8_u(k);
    }
    const v0 = v128.load(x + o), v1 = v128.load(x + o, 16);
    let p0 = phiv(v0, ORDER, params, order, a1, b1, c1, d1, a2, b2, c2, d2, zero);
    let p1 = phiv(v1, ORDER, params, order, a1, b1, c1, d1, a2, b2, c2, d2, zero);
    if (ORDER == ModOrder.OneOrTwo && order == 2) {
      // (the order-2 parameters re-read here: kept out of registers for order 1)
      const A = v128.load32_splat(params + 16), B = v128.load32_splat(params + 20), C = v128.load32_splat(params + 24), D = v128.load32_splat(params + 28);
      p0 = phiv_o2(p0, v0, A, B, C, D, zero); p1 = phiv_o2(p1, v1, A, B, C, D, zero);
    }
    let z0 = p0, z1 = p1;
    if (MASKED) {
      z0 = v128.bitselect(ninf, p0, i32x4.eq(k0, zero));
      z1 = v128.bitselect(ninf, p1, i32x4.eq(k1, zero));
    }
    if (track) lo = f32x4.pmin(lo, f32x4.pmin(p0, p1));
    v128.store(z + o, z0);
    v128.store(z + o, z1, 16);
    m0 = f32x4.pmax(m0, z0);
    m1 = f32x4.pmax(m1, z1);
  }
  for (; i < n; i += 4) { // (the last vector may be partial: the row's last element repeated)
    const o = <usize>i << 2;
    if (MASKED) k0 = loadMaskPartRepeat(mask + <usize>i, n - i);
    const v0 = loadPartRepeat(x + o, n - i);
    let p0 = phiv(v0, ORDER, params, order, a1, b1, c1, d1, a2, b2, c2, d2, zero);
    if (ORDER == ModOrder.OneOrTwo && order == 2) p0 = phiv_o2(p0, v0, v128.load32_splat(params + 16), v128.load32_splat(params + 20), v128.load32_splat(params + 24), v128.load32_splat(params + 28), zero);
    let z0 = p0;
    if (MASKED) z0 = v128.bitselect(ninf, p0, i32x4.eq(k0, zero));
    if (track) lo = f32x4.pmin(lo, p0);
    storePart(z + o, z0, n - i);
    m0 = f32x4.pmax(m0, z0);
  }
  m0 = f32x4.pmax(m0, m1);
  let m = f32x4_hmax(m0);
  const flag = track && v128.any_true(f32x4.eq(lo, ninf));
  return flag ? NaN : m;
}

