// f32-gemm, scalar reference: C = α·A·B (acc = 0) or C += α·A·B (acc ≠ 0) for an mr × nc block of
// C, depth kc. A is read through two strides so that one kernel serves A and Aᵀ: A[m][k] is the
// float at a + 4·(m·am + k·ak); B is row-major kc × nc with row stride ldb floats; C is row-major
// with row stride ldc floats. Products are float32, summed in float32 in k order (the SIMD twins
// sum in the same order, lane by lane: equal to this, but where the relaxed build fuses).
// The attention drivers' products: Q·Kᵀ (B = Kᵀ), P·V, dS·K, and Sᵀ·Q style updates (A = Sᵀ).
export function f32_gemm__scalar(mr: i32, nc: i32, kc: i32, a: usize, am: i32, ak: i32, b: usize, ldb: i32, c: usize, ldc: i32, alpha: f32, acc: i32): void {
  for (let m = 0; m < mr; m++) {
    const am0 = a + (<usize>(m * am) << 2), cm = c + (<usize>(m * ldc) << 2);
    for (let n = 0; n < nc; n++) {
      let s: f32 = 0;
      for (let k = 0; k < kc; k++) s += load<f32>(am0 + (<usize>(k * ak) << 2)) * load<f32>(b + (<usize>(k * ldb + n) << 2));
      const o = cm + (<usize>n << 2);
      store<f32>(o, acc != 0 ? load<f32>(o) + alpha * s : alpha * s);
    }
  }
}
