// The backward passes and Fenchel–Young losses (assembly/backward/normalisers.ts, loss.ts): every
// wasm SIMD kernel against its scalar twin (lengths 1..40 and 1000, misaligned, with and without a
// mask, NaN in dy and garbage in y at masked entries), and every driver against a float64
// reference computed here from the same float32 inputs, within 1e-6·max|dy| + 1e-5·max|ref| per
// row (masked entries: +0 exactly; fully masked rows; in place, dx = y).
import { RDotPowResult, RFyScaleResult, RNormmaxResult, RSumPosResult } from "../../assembly/records";
import { f32_rdot__scalar } from "../../assembly/kernels/f32-rdot-scalar";
import { f32_rdot__wasmsimd_u8 } from "../../assembly/kernels/f32-rdot-wasmsimd-u8";
import { f32_rsum__scalar } from "../../assembly/kernels/f32-rsum-scalar";
import { f32_rsum__wasmsimd_u8 } from "../../assembly/kernels/f32-rsum-wasmsimd-u8";
import { f32_vsubmul__scalar } from "../../assembly/kernels/f32-vsubmul-scalar";
import { f32_vsubmul__wasmsimd_u8 } from "../../assembly/kernels/f32-vsubmul-wasmsimd-u8";
import { f32_vsubexp__scalar_b2_p5 } from "../../assembly/kernels/f32-vsubexp-scalar-b2-p5";
import { f32_vsubexp__wasmsimd_b2_p5_u16 } from "../../assembly/kernels/f32-vsubexp-wasmsimd-b2-p5-u16";
import { f32_rsumpos__scalar } from "../../assembly/kernels/f32-rsumpos-scalar";
import { f32_rsumpos__wasmsimd_u8 } from "../../assembly/kernels/f32-rsumpos-wasmsimd-u8";
import { f32_vsubpos__scalar } from "../../assembly/kernels/f32-vsubpos-scalar";
import { f32_vsubpos__wasmsimd_u16 } from "../../assembly/kernels/f32-vsubpos-wasmsimd-u16";
import { f32_rfyscale__scalar } from "../../assembly/kernels/f32-rfyscale-scalar";
import { f32_rfyscale__wasmsimd_u16 } from "../../assembly/kernels/f32-rfyscale-wasmsimd-u16";
import { f32_rdotpow_eh__scalar } from "../../assembly/kernels/f32-rdotpow-eh-scalar";
import { f32_rdotpow_eg__scalar } from "../../assembly/kernels/f32-rdotpow-eg-scalar";
import { f32_rdotpow_e34__scalar } from "../../assembly/kernels/f32-rdotpow-e34-scalar";
import { f32_rdotpow_e14__scalar } from "../../assembly/kernels/f32-rdotpow-e14-scalar";
import { f32_rdotpow__wasmsimd_u8 } from "../../assembly/kernels/f32-rdotpow-wasmsimd-u8";
import { f32_rnormmax__scalar } from "../../assembly/kernels/f32-rnormmax-scalar";
import { f32_vnormmax__scalar } from "../../assembly/kernels/f32-vnormmax-scalar";
import { f32_rvnormmax__wasmsimd_u4 } from "../../assembly/kernels/f32-rvnormmax-wasmsimd-u4";
import { GPow } from "../../assembly/templates/f32-rdotpow-scalar";
import { log_softmax_backward_rows, softmax_backward_rows, sparse_backward_rows } from "../../assembly/backward/normalisers";
import { fy_loss_rows } from "../../assembly/backward/loss";
import { softmax_rows } from "../../assembly/rows";
import { threshold_rows } from "../../assembly/threshold/rows";
import { alloc, allocF32, copyF32, firstBitMismatch, getf, guardsIntact, nextU32, releaseAll, seed, setf, uniform } from "./helpers";

const DOTPOW = changetype<RDotPowResult>(memory.data(offsetof<RDotPowResult>(), 16));
const DOTPOW2 = changetype<RDotPowResult>(memory.data(offsetof<RDotPowResult>(), 16));
const NM = changetype<RNormmaxResult>(memory.data(offsetof<RNormmaxResult>(), 16));
const NM2 = changetype<RNormmaxResult>(memory.data(offsetof<RNormmaxResult>(), 16));
const SP = changetype<RSumPosResult>(memory.data(offsetof<RSumPosResult>(), 16));
const SP2 = changetype<RSumPosResult>(memory.data(offsetof<RSumPosResult>(), 16));
const FS = changetype<RFyScaleResult>(memory.data(offsetof<RFyScaleResult>(), 16));
const FS2 = changetype<RFyScaleResult>(memory.data(offsetof<RFyScaleResult>(), 16));

function lengths(): i32[] {
  const a = new Array<i32>();
  for (let n = 1; n <= 40; n++) a.push(n);
  a.push(1000);
  return a;
}
// @ts-ignore: decorator
@inline function kept(mask: usize, i: i32): bool {
  return mask == 0 || load<u8>(mask + <usize>i) != 0;
}
/** 0 (no mask), or n mask bytes, a quarter of them 0 (masked); fully masked rows of `cols` at row 2. */
function makeMask(n: i32, off: i32, masked: bool, cols: i32 = 0): usize {
  if (!masked) return 0;
  const m = alloc(n, off);
  for (let i = 0; i < n; i++) store<u8>(m + <usize>i, nextU32() % 4 == 0 ? 0 : <u8>(1 + nextU32() % 255));
  if (cols > 0 && n >= 3 * cols) for (let i = 2 * cols; i < 3 * cols; i++) store<u8>(m + <usize>i, 0);
  return m;
}
/** Garbage where masked: NaN, ±∞ or v. */
function spoil(p: usize, n: i32, mask: usize, v: f32): void {
  for (let i = 0; i < n; i++) if (!kept(mask, i)) { const r = nextU32() % 3; setf(p, i, r == 0 ? NaN : r == 1 ? Infinity : v); }
}
/** Probability-like y in [0, 1] (a third of them 0) and dy in [−2, 2], both spoiled where masked. */
function fillYDy(y: usize, dy: usize, n: i32, mask: usize): void {
  for (let i = 0; i < n; i++) { setf(y, i, nextU32() % 3 == 0 ? 0 : uniform(0, 1)); setf(dy, i, uniform(-2, 2)); }
  spoil(y, n, mask, 0.5); spoil(dy, n, mask, 1);
}
function scaleOf(dy: usize, n: i32, mask: usize): f64 {
  let s = 1.0;
  for (let i = 0; i < n; i++) if (kept(mask, i)) s += Math.abs(<f64>getf(dy, i));
  return s;
}
function closeSum(a: f64, b: f64, scale: f64, rel: f64): bool {
  return Math.abs(a - b) <= rel * scale;
}
function tag(name: string, n: i32, off: i32, mask: usize): string {
  return name + " n=" + n.toString() + " off=" + off.toString() + (mask != 0 ? " masked" : "");
}

describe("backward kernels: wasm SIMD vs scalar twin", () => {
  it("f32-rdot, f32-rsum: sums equal up to summation order; masked NaN adds nothing", () => {
    const L = lengths(); seed(11);
    for (let li = 0; li < L.length; li++) for (let off = 0; off < 4; off += 3) for (let mk = 0; mk < 2; mk++) {
      const n = L[li], y = allocF32(n, off), dy = allocF32(n, off), mask = makeMask(n, off, mk == 1);
      fillYDy(y, dy, n, mask);
      const sc = scaleOf(dy, n, mask), t = tag("rdot", n, off, mask);
      const a = f32_rdot__wasmsimd_u8(dy, y, mask, n), b = f32_rdot__scalar(dy, y, mask, n);
      expect<bool>(!isNaN(a) && closeSum(a, b, sc, 1e-13)).toBe(true, t + " " + a.toString() + " " + b.toString());
      const c = f32_rsum__wasmsimd_u8(dy, mask, n), d = f32_rsum__scalar(dy, mask, n);
      expect<bool>(!isNaN(c) && closeSum(c, d, sc, 1e-13)).toBe(true, t + " rsum " + c.toString() + " " + d.toString());
    }
    releaseAll();
  });

  it("f32-vsubmul, f32-vsubexp: lanes bit for bit (also in place), +0 where masked, nothing written past n", () => {
    const L = lengths(); seed(12);
    for (let li = 0; li < L.length; li++) for (let off = 0; off < 4; off += 3) for (let mk = 0; mk < 2; mk++) {
      const n = L[li], y = allocF32(n, off), dy = allocF32(n, off), a = allocF32(n, off), b = allocF32(n, off), mask = makeMask(n, off, mk == 1);
      fillYDy(y, dy, n, mask);
      const t = tag("vsubmul", n, off, mask);
      f32_vsubmul__wasmsimd_u8(y, dy, a, mask, n, 0.375, 1e-9, 0.5); f32_vsubmul__scalar(y, dy, b, mask, n, 0.375, 1e-9, 0.5);
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t);
      copyF32(a, y, n); f32_vsubmul__wasmsimd_u8(a, dy, a, mask, n, 0.375, 1e-9, 0.5); // in place
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t + " in place");
      for (let i = 0; i < n; i++) if (!kept(mask, i)) expect<u32>(load<u32>(a + (<usize>i << 2))).toBe(0, t);
      for (let i = 0; i < n; i++) setf(y, i, kept(mask, i) ? -uniform(0, 30) : getf(y, i)); // log-probabilities
      if (n > 2) setf(y, 1, -Infinity);
      f32_vsubexp__wasmsimd_b2_p5_u16(y, dy, a, mask, n, -1.25); f32_vsubexp__scalar_b2_p5(y, dy, b, mask, n, -1.25);
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t + " vsubexp");
      for (let i = 0; i < n; i++) if (!kept(mask, i)) expect<u32>(load<u32>(a + (<usize>i << 2))).toBe(0, t);
      expect<bool>(guardsIntact(a, n) && guardsIntact(b, n)).toBe(true, t);
    }
    releaseAll();
  });

  it("f32-rdotpow (e = ½, ¾, ¼, 0.1, 0.6): g bit for bit, Σ dy·g and Σ g up to summation order", () => {
    const L = lengths(); seed(13);
    const es: f32[] = [0.5, 0.75, 0.25, 0.1, 0.6];
    for (let li = 0; li < L.length; li++) for (let off = 0; off < 4; off += 3) for (let mk = 0; mk < 2; mk++) for (let ei = 0; ei < es.length; ei++) {
      const n = L[li], e = es[ei], y = allocF32(n, off), dy = allocF32(n, off), a = allocF32(n, off), b = allocF32(n, off), mask = makeMask(n, off, mk == 1);
      fillYDy(y, dy, n, mask);
      const t = tag("rdotpow e=" + e.toString(), n, off, mask);
      const E = ei == 0 ? GPow.Half : ei == 1 ? GPow.ThreeQuarters : ei == 2 ? GPow.Quarter : GPow.General;
      const s1 = f32_rdotpow__wasmsimd_u8(y, dy, a, mask, n, e, E, DOTPOW);
      const s2 = E == GPow.Half ? f32_rdotpow_eh__scalar(y, dy, b, mask, n, e, DOTPOW2)
        : E == GPow.ThreeQuarters ? f32_rdotpow_e34__scalar(y, dy, b, mask, n, e, DOTPOW2) : E == GPow.Quarter ? f32_rdotpow_e14__scalar(y, dy, b, mask, n, e, DOTPOW2)
        : f32_rdotpow_eg__scalar(y, dy, b, mask, n, e, DOTPOW2);
      for (let i = 0; i < n; i++) { // the square-root kinds against y^e in float64 (1.5 ulp)
        const yi = <f64>getf(y, i);
        if (E != GPow.General && yi > 0 && kept(mask, i)) expect<bool>(Math.abs(<f64>getf(b, i) - Math.pow(yi, e)) <= 2e-7 * Math.pow(yi, e)).toBe(true, t);
      }
      const rel = E == GPow.General ? 1e-13 : 1.2e-7; // (the 8-wide loop adds pairs in float32)
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t);
      expect<bool>(closeSum(s1, s2, scaleOf(dy, n, mask), rel)).toBe(true, t + " " + s1.toString() + " " + s2.toString());
      expect<bool>(closeSum(DOTPOW.sum, DOTPOW2.sum, DOTPOW2.sum + 1e-30, 1.2e-7)).toBe(true, t + " sum g");
      copyF32(a, y, n); f32_rdotpow__wasmsimd_u8(a, dy, a, mask, n, e, E, DOTPOW); // in place
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t + " in place");
      expect<bool>(guardsIntact(a, n)).toBe(true, t);
    }
    releaseAll();
  });

  it("f32-rsumpos, f32-vsubpos: Σ dy up to summation order, count and lanes bit for bit (also in place), +0 off the support", () => {
    const L = lengths(); seed(17);
    for (let li = 0; li < L.length; li++) for (let off = 0; off < 4; off += 3) for (let mk = 0; mk < 2; mk++) {
      const n = L[li], y = allocF32(n, off), dy = allocF32(n, off), a = allocF32(n, off), b = allocF32(n, off), mask = makeMask(n, off, mk == 1);
      fillYDy(y, dy, n, mask);
      for (let i = 0; i < n; i++) if (kept(mask, i) && nextU32() % 5 == 0) setf(dy, i, getf(y, i) > 0 ? getf(dy, i) : NaN); // NaN dy off the support
      const t = tag("rsumpos", n, off, mask);
      const s1 = f32_rsumpos__wasmsimd_u8(y, dy, mask, n, SP), s2 = f32_rsumpos__scalar(y, dy, mask, n, SP2);
      expect<i32>(SP.count).toBe(SP2.count, t);
      expect<bool>(!isNaN(s1) && closeSum(s1, s2, 2 * n + 1, 1e-13)).toBe(true, t + " " + s1.toString() + " " + s2.toString());
      f32_vsubpos__wasmsimd_u16(y, dy, a, mask, n, 0.375, 1e-9); f32_vsubpos__scalar(y, dy, b, mask, n, 0.375, 1e-9);
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t + " vsubpos");
      for (let i = 0; i < n; i++) if (!(getf(y, i) > 0) || !kept(mask, i)) expect<u32>(load<u32>(a + (<usize>i << 2))).toBe(0, t);
      copyF32(a, y, n); f32_vsubpos__wasmsimd_u16(a, dy, a, mask, n, 0.375, 1e-9); // in place
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t + " in place");
      expect<bool>(guardsIntact(a, n) && guardsIntact(b, n)).toBe(true, t);
    }
    releaseAll();
  });

  it("f32-rfyscale (p², p^1.5; dl = 1 in place, dl = −0.75): dx bit for bit, sums up to summation order, −∞ x off the support", () => {
    const L = lengths(); seed(18);
    for (let li = 0; li < L.length; li++) for (let off = 0; off < 4; off += 3) for (let v = 0; v < 4; v++) {
      const n = L[li], p = allocF32(n, off), x = allocF32(n, off), a = allocF32(n, off), b = allocF32(n, off);
      const pow15 = (v & 1) != 0, dl: f32 = (v & 2) != 0 ? -0.75 : 1;
      for (let i = 0; i < n; i++) { const on = nextU32() % 3 == 0; setf(p, i, on ? uniform(0, 1) : 0); setf(x, i, on ? uniform(-5, 5) : (nextU32() % 2 == 0 ? -Infinity : uniform(-5, 5))); }
      const t = tag("rfyscale v=" + v.toString(), n, off, 0);
      const s1 = f32_rfyscale__wasmsimd_u16(p, x, a, n, dl, pow15, FS), s2 = f32_rfyscale__scalar(p, x, b, n, dl, pow15, FS2);
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t);
      expect<bool>(!isNaN(s1) && closeSum(s1, s2, 5 * n + 1, 1e-13)).toBe(true, t + " " + s1.toString() + " " + s2.toString());
      expect<bool>(!isNaN(FS.sum) && closeSum(FS.sum, FS2.sum, n + 1, 1e-13)).toBe(true, t + " h");
      copyF32(a, p, n); const s3 = f32_rfyscale__wasmsimd_u16(a, x, a, n, dl, pow15, FS); // in place
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t + " in place");
      expect<bool>(s3 == s1).toBe(true, t + " in place sum");
      expect<bool>(guardsIntact(a, n) && guardsIntact(b, n)).toBe(true, t);
    }
    releaseAll();
  });

  it("f32-rvnormmax vs f32-rnormmax and f32-vnormmax (α = 1.5, 2, 1.25)", () => {
    const L = lengths(); seed(14);
    const as: f32[] = [1.5, 2, 1.25];
    for (let li = 0; li < L.length; li++) for (let off = 0; off < 4; off += 3) for (let mk = 0; mk < 2; mk++) for (let ai = 0; ai < as.length; ai++) {
      const n = L[li], al = as[ai], e: f32 = 2 - al, y = allocF32(n, off), dy = allocF32(n, off), a = allocF32(n, off), b = allocF32(n, off), mask = makeMask(n, off, mk == 1);
      fillYDy(y, dy, n, mask);
      const t = tag("normmax α=" + al.toString(), n, off, mask), sc = scaleOf(dy, n, mask);
      const s1 = f32_rvnormmax__wasmsimd_u4(y, dy, 0, mask, n, e, al, 0, 0, 0, NM), s2 = f32_rnormmax__scalar(y, dy, mask, n, e, al, NM2);
      expect<bool>(closeSum(s1, s2, sc, 1e-13) && closeSum(NM.sa, NM2.sa, sc, 1e-13)).toBe(true, t);
      expect<bool>(closeSum(NM.sb, NM2.sb, 1 + NM2.sb, 1e-13) && closeSum(NM.sp, NM2.sp, 1 + NM2.sp, 1e-13)).toBe(true, t);
      f32_rvnormmax__wasmsimd_u4(y, dy, a, mask, n, e, al, 0.25, -0.5, 1.5, NM); f32_vnormmax__scalar(y, dy, b, mask, n, e, 0.25, -0.5, 1.5);
      expect<i32>(firstBitMismatch(a, b, n)).toBe(-1, t);
      expect<bool>(guardsIntact(a, n)).toBe(true, t);
    }
    releaseAll();
  });
});

// ---- drivers against float64 references

const ROWS = 4;
const COLS: i32[] = [1, 3, 7, 8, 33, 1000];

/** The reference dx of one row into ref (f64): op 0 softmax (k), 1 log-softmax, 2 α-entmax, 3 α-normmax. */
function reference(op: i32, y: usize, dy: usize, mask: usize, n: i32, k: f64, al: f64, ref: StaticArray<f64>): void {
  let s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0;
  for (let i = 0; i < n; i++) {
    if (!kept(mask, i)) continue;
    const yi = <f64>getf(y, i), d = <f64>getf(dy, i);
    if (op == 0) s1 += d * yi;
    else if (op == 1) s1 += d;
    else if (yi > 0) {
      const b = op == 2 && al == 1 ? yi : Math.pow(yi, 2 - al);
      s1 += d * b; s2 += b; s3 += d * yi; s4 += Math.pow(yi, al);
    }
  }
  const c = op == 3 ? Math.pow(s4, (al - 1) / al) / (al - 1) : 0;
  for (let i = 0; i < n; i++) {
    const yi = <f64>getf(y, i), d = <f64>getf(dy, i);
    let v = 0.0;
    if (!kept(mask, i)) v = 0;
    else if (op == 0) v = k * yi * (d - s1);
    else if (op == 1) v = d - Math.exp(yi) * s1;
    else if (yi > 0) {
      const b = op == 2 && al == 1 ? yi : Math.pow(yi, 2 - al);
      v = op == 2 ? b * (d - s1 / s2) : (d * b - s1 * yi - s3 * (b - s2 * yi)) * c;
    }
    ref[i] = v;
  }
}

let worst: f64 = 0; // the largest |d − ref| / tolerance seen by checkDriver
let worstWhere = "";

/** Runs the driver on rows × cols (mask or not, in place or not) and checks every row. */
function checkDriver(op: i32, kind: i32, al: f64, cols: i32, masked: bool, inPlace: bool): void {
  const N = ROWS * cols;
  const x = allocF32(N, 1), y = allocF32(N, 1), dy = allocF32(N, 2), dx = allocF32(N, 3), tmp = allocF32(2 * cols + 16);
  const mask = makeMask(N, 1, masked, cols), alpha = alloc(8 * ROWS);
  for (let r = 0; r < ROWS; r++) store<f64>(alpha + (<usize>r << 3), al);
  for (let i = 0; i < N; i++) { setf(x, i, uniform(-4, 4)); setf(dy, i, uniform(-2, 2)); }
  if (op <= 1) softmax_rows(x, y, mask, ROWS, cols, 1, op == 1);
  else threshold_rows(x, y, tmp, mask, ROWS, cols, kind, alpha, 8, 0);
  spoil(y, N, mask, 0.5); spoil(dy, N, mask, 1);
  const out = inPlace ? y : dx, yk = allocF32(N);
  copyF32(yk, y, N);
  const k: f32 = 0.8;
  if (op == 0) softmax_backward_rows(y, dy, out, mask, ROWS, cols, k);
  else if (op == 1) log_softmax_backward_rows(y, dy, out, mask, ROWS, cols);
  else sparse_backward_rows(y, dy, out, mask, ROWS, cols, kind, alpha, 8);
  const ref = new StaticArray<f64>(cols);
  const t = "op=" + op.toString() + " kind=" + kind.toString() + " α=" + al.toString() + " cols=" + cols.toString() + (masked ? " masked" : "") + (inPlace ? " in place" : "");
  for (let r = 0; r < ROWS; r++) {
    const o = <usize>(r * cols) << 2, mr = mask != 0 ? mask + <usize>(r * cols) : 0;
    reference(op, yk + o, dy + o, mr, cols, k, al, ref);
    let mdy = 0.0, mref = 0.0;
    for (let i = 0; i < cols; i++) if (kept(mr, i)) { mdy = Math.max(mdy, Math.abs(<f64>getf(dy + o, i))); mref = Math.max(mref, Math.abs(ref[i])); }
    const tol = 1e-6 * mdy + 1e-5 * mref;
    for (let i = 0; i < cols; i++) {
      const d = <f64>getf(out + o, i);
      if (!kept(mr, i)) { expect<u32>(load<u32>(out + o + (<usize>i << 2))).toBe(0, t + " masked entry"); continue; }
      if (tol > 0 && Math.abs(d - ref[i]) / tol > worst) { worst = Math.abs(d - ref[i]) / tol; worstWhere = t; }
      expect<bool>(Math.abs(d - ref[i]) <= tol).toBe(true, t + " row " + r.toString() + " i=" + i.toString() + " got " + d.toString() + " ref " + ref[i].toString());
    }
  }
  expect<bool>(guardsIntact(out, N)).toBe(true, t);
}

describe("backward drivers vs float64 references", () => {
  it("softmax_backward_rows, log_softmax_backward_rows", () => {
    seed(21);
    for (let ci = 0; ci < COLS.length; ci++) for (let v = 0; v < 4; v++) {
      checkDriver(0, 0, 0, COLS[ci], (v & 1) != 0, (v & 2) != 0);
      checkDriver(1, 0, 0, COLS[ci], (v & 1) != 0, (v & 2) != 0);
    }
    log<string>("softmax family: worst |d − ref| / tolerance = " + worst.toString() + " (" + worstWhere + ")");
    worst = 0;
    releaseAll();
  });

  it("sparse_backward_rows: sparsemax, 1.5-entmax, α-entmax (1, 1.25, 1.75, 1.3, 1.5, 2, 3), α-normmax (1.5, 2, 1.25)", () => {
    seed(22);
    const ea: f64[] = [1, 1.25, 1.75, 1.3, 1.5, 2, 3], na: f64[] = [1.5, 2, 1.25];
    for (let ci = 0; ci < COLS.length; ci++) for (let v = 0; v < 4; v++) {
      const cols = COLS[ci], m = (v & 1) != 0, ip = (v & 2) != 0;
      checkDriver(2, 0, 2, cols, m, ip);
      checkDriver(2, 1, 1.5, cols, m, ip);
      for (let j = 0; j < ea.length; j++) checkDriver(2, 2, ea[j], cols, m, ip);
      for (let j = 0; j < na.length; j++) checkDriver(3, 3, na[j], cols, m, ip);
    }
    log<string>("threshold maps: worst |d − ref| / tolerance = " + worst.toString() + " (" + worstWhere + ")");
    releaseAll();
  });

  it("fy_loss_rows: loss = Ω(p) + ⟨p, x⟩ − x_t, grad = dl·(p − e_t), ignored rows 0", () => {
    seed(23);
    const kinds: i32[] = [0, 1, 2, 2, 2, 2], als: f64[] = [2, 1.5, 1.25, 1, 1.5, 3];
    for (let ci = 0; ci < COLS.length; ci++) for (let ki = 0; ki < kinds.length; ki++) for (let mk = 0; mk < 2; mk++) {
      const cols = COLS[ci], N = ROWS * cols, kind = kinds[ki], al = als[ki];
      const x = allocF32(N, 1), dx = allocF32(N, 2), p = allocF32(N), tmp = allocF32(2 * cols + 16), mask = makeMask(N, 1, mk == 1);
      const alpha = alloc(8 * ROWS), targets = alloc(4 * ROWS), dloss = allocF32(ROWS), loss = allocF32(ROWS);
      for (let i = 0; i < N; i++) setf(x, i, uniform(-3, 3));
      spoil(x, N, mask, -Infinity);
      for (let r = 0; r < ROWS; r++) {
        store<f64>(alpha + (<usize>r << 3), al + 0.0625 * <f64>(r & 1) * <f64>i32(kind == 2 && al != 1));
        let t = <i32>(nextU32() % <u32>cols);
        if (mask != 0) { let j = 0; while (j < cols && !kept(mask + <usize>(r * cols), t)) { t = (t + 1) % cols; j++; } if (j == cols) t = -100; }
        store<i32>(targets + (<usize>r << 2), r == 1 ? -100 : t);
        setf(dloss, r, uniform(0.5, 2));
      }
      const useDl = ci % 2 == 0;
      fy_loss_rows(x, dx, tmp, mask, ROWS, cols, kind, alpha, 8, targets, useDl ? dloss : 0, loss, -100);
      threshold_rows(x, p, tmp, mask, ROWS, cols, kind, alpha, 8, 0);
      const tg = "fy kind=" + kind.toString() + " α=" + al.toString() + " cols=" + cols.toString() + (mask != 0 ? " masked" : "");
      for (let r = 0; r < ROWS; r++) {
        const o = <usize>(r * cols) << 2, t = load<i32>(targets + (<usize>r << 2)), a = load<f64>(alpha + (<usize>r << 3));
        if (t == -100) {
          expect<f32>(getf(loss, r)).toBe(0, tg);
          for (let i = 0; i < cols; i++) expect<u32>(load<u32>(dx + o + (<usize>i << 2))).toBe(0, tg + " ignored row");
          continue;
        }
        let h = 0.0, dot = 0.0;
        for (let i = 0; i < cols; i++) {
          const pi = <f64>getf(p + o, i);
          if (pi > 0) { dot += pi * <f64>getf(x + o, i); h += a == 1 ? pi * Math.log(pi) : Math.pow(pi, a); }
        }
        const ref = (a == 1 ? -h : (1 - h) / (a * (a - 1))) + dot - <f64>getf(x + o, t);
        expect<bool>(Math.abs(<f64>getf(loss, r) - ref) <= 1e-5 * Math.max(1, Math.abs(ref)) && ref > -1e-5).toBe(true, tg + " loss " + getf(loss, r).toString() + " ref " + ref.toString());
        const dl: f32 = useDl ? getf(dloss, r) : 1;
        for (let i = 0; i < cols; i++) {
          let g: f32 = getf(p + o, i) * dl;
          if (i == t) g -= dl;
          expect<u32>(load<u32>(dx + o + (<usize>i << 2))).toBe(reinterpret<u32>(g), tg + " grad i=" + i.toString());
        }
      }
    }
    releaseAll();
  });
});
