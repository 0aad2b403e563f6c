// f32-rvnormmax, wasm SIMD, 4 elements per iteration (the last vector partial, tail.ts: missing
// lanes 0, off the support): both passes of the α-normmax backward in one function (they share
// ln y and b = exp(e·ln y), e = 2 − α; dx = 0 selects the pass, a run-time value tested per
// vector, as one wasm function costs less room than two):
//   dx = 0:  the reduction, contract of f32-rnormmax-scalar: returns Σ dy·b; out.sa = Σ dy·a,
//            out.sb = Σ b, out.sp = Σ a^α (a = y on the kept support; each term promoted to f64);
//   dx ≠ 0:  the output pass, contract of f32-vnormmax-scalar: dx = (b·(dy − u) − y·w)·c on the
//            kept support, +0 elsewhere (cleared bitwise); returns 0, out untouched. dx may equal y.
// Lanes equal the scalar twins' (relaxed-SIMD build: the exp's multiply-adds may be fused); sums
// up to summation order.
import { addPromoted, hsum64 } from "../math/acc";
import { expv_b2_p5, expv_c1, expv_c2, expv_c3, expv_c4, expv_c5, expv_clamp, expv_log2e, expv_magic } from "../math/exp";
import { lnv } from "../math/pow";
import { loadMaskPartRepeat, loadPart, storePart } from "../math/tail";
import { RNormmaxResult } from "../records";

export function f32_rvnormmax__wasmsimd_u4(y: usize, dy: usize, dx: usize, mask: usize, n: i32, e: f32, alpha: f32, u: f32, w: f32, c: f32, out: RNormmaxResult): f64 {
  const log2e = expv_log2e(), magic = expv_magic(), clamp = expv_clamp();
  const c5 = expv_c5(), c4 = expv_c4(), c3 = expv_c3(), c2 = expv_c2(), c1 = expv_c1();
  const zero = f32x4.splat(0), ve = f32x4.splat(e), va = f32x4.splat(alpha);
  const vu = f32x4.splat(u), vw = f32x4.splat(w), vc = f32x4.splat(c);
  let adb = zero, ada = zero, ab = zero, ap = zero;
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i << 2, r = n - i;
    const yv = loadPart(y + o, r, zero);
    let k = f32x4.gt(yv, zero);
    if (mask != 0) k = v128.and(k, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero));
    if (!v128.any_true(k)) { if (dx != 0) storePart(dx + o, zero, r); continue; } // (off the support)
    const l = lnv(yv), d = loadPart(dy + o, r, zero);
    const b = expv_b2_p5(f32x4.mul(ve, l), log2e, magic, clamp, c5, c4, c3, c2, c1);
    if (dx == 0) {
      adb = addPromoted(adb, v128.and(f32x4.mul(d, b), k));
      ada = addPromoted(ada, v128.and(f32x4.mul(d, yv), k));
      ab = addPromoted(ab, v128.and(b, k));
      ap = addPromoted(ap, v128.and(expv_b2_p5(f32x4.mul(va, l), log2e, magic, clamp, c5, c4, c3, c2, c1), k));
    } else {
      const v = f32x4.mul(f32x4.sub(f32x4.mul(b, f32x4.sub(d, vu)), f32x4.mul(yv, vw)), vc);
      storePart(dx + o, v128.and(v, k), r);
    }
  }
  if (dx == 0) { out.sa = hsum64(ada); out.sb = hsum64(ab); out.sp = hsum64(ap); }
  return hsum64(adb);
}
