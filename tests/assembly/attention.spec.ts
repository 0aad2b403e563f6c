// The fused-attention kernels (assembly/kernels/f32-gemm-*, f32-vdotrows-*, x32-transpose-*,
// x32-vcompactnz-*, f32-gathergemv-*):
// every wasm SIMD kernel against its scalar twin, bit for bit (the plain SIMD build sums in the
// twins' order; the spec compiles with SIMD, not relaxed SIMD), over shapes that hit every tail
// (rows 1..4, columns 1..40, 64, 67, 80, 128 and 147, depths 0..9 and 64, D not a multiple of 4), A read directly
// and transposed (the two strides), C = α·A·B and C += α·A·B, misaligned blocks, and guard words
// around every output (nothing written outside C's rows and columns).
import { f32_gemm__scalar } from "../../assembly/kernels/f32-gemm-scalar";
import { f32_gemm__wasmsimd_4x8_splat } from "../../assembly/kernels/f32-gemm-4x8-wasmsimd-splat";
import { f32_gemm__wasmsimd_1x64_splat } from "../../assembly/kernels/f32-gemm-1x64-wasmsimd-splat";
import { f32_vdotrows__scalar } from "../../assembly/kernels/f32-vdotrows-scalar";
import { f32_vdotrows__wasmsimd_4x } from "../../assembly/kernels/f32-vdotrows-4x-wasmsimd";
import { x32_transpose__scalar } from "../../assembly/kernels/x32-transpose-scalar";
import { x32_transpose__wasmsimd_4x4 } from "../../assembly/kernels/x32-transpose-wasmsimd-4x4";
import { x32_vcompactnz__scalar } from "../../assembly/kernels/x32-vcompactnz-scalar";
import { x32_vcompactnz__wasmsimd_u8 } from "../../assembly/kernels/x32-vcompactnz-wasmsimd-u8";
import { f32_gathergemv__scalar } from "../../assembly/kernels/f32-gathergemv-scalar";
import { f32_gathergemv__wasmsimd_16 } from "../../assembly/kernels/f32-gathergemv-wasmsimd-16";
import { allocF32, copyF32, fillUniform, firstBitMismatch, guardsIntact, nextU32, releaseAll, seed, uniform } from "./helpers";

function cols(): i32[] {
  const a = new Array<i32>();
  for (let n = 1; n <= 40; n++) a.push(n);
  a.push(64); a.push(67); a.push(80); a.push(128); a.push(147);
  return a;
}
function depths(): i32[] { return [0, 1, 2, 3, 4, 5, 7, 9, 16, 64]; }

describe("attention kernels: wasm SIMD vs scalar twin", () => {
  it("f32-gemm 4x8 and 1x64: C = α·A·B and C += α·A·B bit for bit, A direct and transposed, nothing written outside C", () => {
    seed(101);
    const ns = cols(), ks = depths();
    for (let mr = 1; mr <= 4; mr++) for (let t = 0; t < 2; t++) for (let ii = 0; ii < ns.length; ii++) for (let kk = 0; kk < ks.length; kk++) for (let acc = 0; acc < 2; acc++) {
      const nc = ns[ii], kc = ks[kk], ldb = nc + 3, ldc = nc + 1;
      // A is mr × kc (t = 0: row stride kc + 2) or its transpose stored kc × mr (t = 1)
      const lda = t == 0 ? kc + 2 : mr + 1, am = t == 0 ? lda : 1, ak = t == 0 ? 1 : lda;
      const aLen = t == 0 ? mr * lda : max(kc, 1) * lda;
      const a = allocF32(aLen, (nc + kc) & 3), b = allocF32(max(kc, 1) * ldb, nc & 3);
      const c1 = allocF32(mr * ldc, 1), c2 = allocF32(mr * ldc, 2);
      fillUniform(a, aLen, -2, 2); fillUniform(b, max(kc, 1) * ldb, -2, 2); fillUniform(c1, mr * ldc, -1, 1); copyF32(c2, c1, mr * ldc);
      const alpha: f32 = t == 0 ? 0.125 : 1;
      f32_gemm__scalar(mr, nc, kc, a, am, ak, b, ldb, c1, ldc, alpha, acc);
      if (mr == 1) f32_gemm__wasmsimd_1x64_splat(nc, kc, a, ak, b, ldb, c2, alpha, acc);
      else f32_gemm__wasmsimd_4x8_splat(mr, nc, kc, a, am, ak, b, ldb, c2, ldc, alpha, acc);
      const bad = firstBitMismatch(c1, c2, mr * ldc);
      if (bad >= 0) { log<string>(`gemm mr ${mr} nc ${nc} kc ${kc} t ${t} acc ${acc}: element ${bad}`); expect(bad).toBe(-1); }
      expect(guardsIntact(c2, mr * ldc)).toBe(true);
      releaseAll();
    }
  });

  it("f32-gemm 4x8 with mr = 1 (the configuration's 1x64 choice aside) equals the scalar twin", () => {
    seed(102);
    for (let nc = 1; nc <= 33; nc++) {
      const kc = 5, a = allocF32(kc), b = allocF32(kc * nc), c1 = allocF32(nc), c2 = allocF32(nc);
      fillUniform(a, kc, -1, 1); fillUniform(b, kc * nc, -1, 1);
      f32_gemm__scalar(1, nc, kc, a, kc, 1, b, nc, c1, nc, 0.5, 0);
      f32_gemm__wasmsimd_4x8_splat(1, nc, kc, a, kc, 1, b, nc, c2, nc, 0.5, 0);
      expect(firstBitMismatch(c1, c2, nc)).toBe(-1);
      expect(guardsIntact(c2, nc)).toBe(true);
      releaseAll();
    }
  });

  it("f32-vdotrows: y = α·x·M[j] bit for bit for every row count and depth (D tails), nothing written past n", () => {
    seed(103);
    for (let n = 1; n <= 13; n++) for (let kc = 0; kc <= 70; kc += kc < 12 ? 1 : 29) {
      const ldm = kc + 3, x = allocF32(max(kc, 1), 1), m = allocF32(n * ldm, 3), y1 = allocF32(n), y2 = allocF32(n, 2);
      fillUniform(x, max(kc, 1), -3, 3); fillUniform(m, n * ldm, -3, 3);
      f32_vdotrows__scalar(n, kc, x, m, ldm, y1, 0.25);
      f32_vdotrows__wasmsimd_4x(n, kc, x, m, ldm, y2, 0.25);
      const bad = firstBitMismatch(y1, y2, n);
      if (bad >= 0) { log<string>(`vdotrows n ${n} kc ${kc}: element ${bad}`); expect(bad).toBe(-1); }
      expect(guardsIntact(y2, n)).toBe(true);
      releaseAll();
    }
  });

  it("x32-transpose: the same bits as the scalar twin for every shape up to 11 × 11 and 64 × 37, nothing written outside T", () => {
    seed(104);
    for (let r = 1; r <= 64; r += r < 11 ? 1 : 53) for (let c = 1; c <= 37; c += c < 11 ? 1 : 26) {
      const ldm = c + 2, ldt = r + 1, m = allocF32(r * ldm, 1), t1 = allocF32(c * ldt), t2 = allocF32(c * ldt, 3);
      fillUniform(m, r * ldm, -5, 5); fillUniform(t1, c * ldt, 7, 8); copyF32(t2, t1, c * ldt);
      x32_transpose__scalar(r, c, m, ldm, t1, ldt);
      x32_transpose__wasmsimd_4x4(r, c, m, ldm, t2, ldt);
      expect(firstBitMismatch(t1, t2, c * ldt)).toBe(-1);
      expect(guardsIntact(t2, c * ldt)).toBe(true);
      releaseAll();
    }
  });
});

describe("sparse weights: compaction and the gathered product", () => {
  it("x32-vcompactnz: the same list as the scalar twin (indices and values, in order) for densities 0..1 and every length 1..40, 1000", () => {
    seed(105);
    for (let n = 1; n <= 1000; n += n < 40 ? 1 : 960) for (let d = 0; d <= 4; d++) {
      const x = allocF32(n, n & 3), i1 = allocF32(n), v1 = allocF32(n), i2 = allocF32(n, 1), v2 = allocF32(n, 2);
      for (let i = 0; i < n; i++) store<f32>(x + (<usize>i << 2), <i32>(nextU32() % 4) < d ? uniform(0.001, 1) : (nextU32() & 1 ? -0.0 : 0.0));
      const k1 = x32_vcompactnz__scalar(x, n, i1, v1), k2 = x32_vcompactnz__wasmsimd_u8(x, n, i2, v2);
      expect(k2).toBe(k1);
      expect(firstBitMismatch(i1, i2, k1)).toBe(-1);
      expect(firstBitMismatch(v1, v2, k1)).toBe(-1);
      expect(guardsIntact(i2, n)).toBe(true);
      expect(guardsIntact(v2, n)).toBe(true);
      releaseAll();
    }
  });

  it("f32-gathergemv: c = Σ val·B[idx] bit for bit for every width 1..40 and 67, lists of 0..9 and 50 rows (repeats allowed)", () => {
    seed(106);
    const ns = cols();
    for (let ii = 0; ii < ns.length; ii++) for (let m = 0; m <= 50; m += m < 9 ? 1 : 41) {
      const nc = ns[ii], rowsB = 37, ldb = nc + 2, b = allocF32(rowsB * ldb, 1), idx = allocF32(max(m, 1)), val = allocF32(max(m, 1), 3);
      const c1 = allocF32(nc), c2 = allocF32(nc, 1);
      fillUniform(b, rowsB * ldb, -2, 2); fillUniform(val, max(m, 1), 0, 1);
      for (let t = 0; t < m; t++) store<i32>(idx + (<usize>t << 2), <i32>(nextU32() % <u32>rowsB));
      f32_gathergemv__scalar(m, nc, idx, val, b, ldb, c1);
      f32_gathergemv__wasmsimd_16(m, nc, idx, val, b, ldb, c2);
      expect(firstBitMismatch(c1, c2, nc)).toBe(-1);
      expect(guardsIntact(c2, nc)).toBe(true);
      releaseAll();
    }
  });
});
