// MultiMax backward and cross-entropy (assembly/backward/multimax.ts, crossentropy.ts) and their
// kernels: every SIMD kernel against its scalar twin (dx bit for bit, sums up to summation order),
// the drivers against float64 references written here (y = softmax(φ(x) + M), the VJP, φ', the
// parameter gradients; cross-entropy with label smoothing), masks with NaN dy at masked entries,
// fully masked rows, in place, y given or recomputed, zero-coefficient orders.
import { f32_vmodbwd__scalar } from "../../assembly/kernels/f32-vmodbwd-scalar";
import { f32_vmodbwd__wasmsimd_u4 } from "../../assembly/kernels/f32-vmodbwd-wasmsimd-u4";
import { f32_vmodbwd_o12__wasmsimd_u4 } from "../../assembly/kernels/f32-vmodbwd-o12-wasmsimd-u4";
import { f32_rdot__scalar } from "../../assembly/kernels/f32-rdot-scalar";
import { f32_rdot__wasmsimd_u8 } from "../../assembly/kernels/f32-rdot-wasmsimd-u8";
import { u8_rcountnz__scalar } from "../../assembly/kernels/u8-rcountnz-scalar";
import { u8_rcountnz__wasmsimd_u16 } from "../../assembly/kernels/u8-rcountnz-wasmsimd-u16";
import { multimax_backward_rows } from "../../assembly/backward/multimax";
import { cross_entropy_rows } from "../../assembly/backward/crossentropy";
import { multimax_rows } from "../../assembly/rows";
import { alloc, allocF32, copyF32, fillUniform, firstBitMismatch, getf, guardsIntact, nextU32, releaseAll, seed, setf, testLengths } from "./helpers";

const P = memory.data(4 * 4 * 8, 16); // parameter records
const SA = memory.data(64 * 8, 16), SB = memory.data(64 * 8, 16); // kernel sums
const REF = new StaticArray<f64>(40000); const G = new StaticArray<f64>(40000);
const RG = new StaticArray<f64>(64), RA = new StaticArray<f64>(64); // reference grads, Σ|terms|

/** Records for `order` orders; orders ≥ zeroFrom get a = c = 0 (b, d still set). */
function setParams(order: i32, zeroFrom: i32): void {
  for (let j = 0; j < order; j++) {
    const s: f32 = j == 0 ? 1 : j == 1 ? 0.3 : 0.05;
    setf(P, 4 * j, j >= zeroFrom ? 0 : s * (<f32>(nextU32() % 200) / 100 - 1)); setf(P, 4 * j + 1, <f32>(nextU32() % 400) / 100 - 2);
    setf(P, 4 * j + 2, j >= zeroFrom ? 0 : s * (<f32>(nextU32() % 200) / 100 - 1)); setf(P, 4 * j + 3, <f32>(nextU32() % 400) / 100 - 2);
  }
}
function fillMask(m: usize, n: i32): void { for (let i = 0; i < n; i++) store<u8>(m + <usize>i, nextU32() % 4 == 0 ? 0 : <u8>(1 + nextU32() % 200)); }
function kept(m: usize, i: i32): bool { return m == 0 || load<u8>(m + <usize>i) != 0; }
function phi(x: f64, order: i32): f64 {
  let z = x;
  for (let j = 0; j < order; j++) {
    const l = Math.max(<f64>getf(P, 4 * j + 1) - x, 0), u = Math.max(x - <f64>getf(P, 4 * j + 3), 0);
    z += <f64>getf(P, 4 * j) * Math.pow(l, j + 1) + <f64>getf(P, 4 * j + 2) * Math.pow(u, j + 1);
  }
  return z;
}
/** REF[i] = g_i·φ'(x_i) from G, RG/RA += the parameter gradients and Σ|terms|. */
function chain(x: usize, m: usize, n: i32, order: i32): void {
  for (let i = 0; i < n; i++) {
    if (!kept(m, i)) { REF[i] = 0; continue; }
    const xi = <f64>getf(x, i), g = G[i];
    let d: f64 = 1;
    for (let j = 0; j < order; j++) {
      const a = <f64>getf(P, 4 * j), c = <f64>getf(P, 4 * j + 2), nn = <f64>(j + 1);
      const l = <f64>getf(P, 4 * j + 1) - xi, u = xi - <f64>getf(P, 4 * j + 3);
      const lp = l > 0 ? Math.pow(l, j) : 0, up = u > 0 ? Math.pow(u, j) : 0;
      const t0 = g * lp * Math.max(l, 0), t1 = g * a * nn * lp, t2 = g * up * Math.max(u, 0), t3 = -g * c * nn * up;
      RG[4 * j] += t0; RG[4 * j + 1] += t1; RG[4 * j + 2] += t2; RG[4 * j + 3] += t3;
      RA[4 * j] += Math.abs(t0); RA[4 * j + 1] += Math.abs(t1); RA[4 * j + 2] += Math.abs(t2); RA[4 * j + 3] += Math.abs(t3);
      d += -a * nn * lp + c * nn * up;
    }
    REF[i] = g * d;
  }
}
/** p = softmax(φ(x)) over kept entries into REF (f64); returns lse. */
function softmaxRef(x: usize, m: usize, n: i32, order: i32, k: f64): f64 {
  let mx = -Infinity, s: f64 = 0;
  for (let i = 0; i < n; i++) { REF[i] = kept(m, i) ? k * phi(<f64>getf(x, i), order) : -Infinity; mx = Math.max(mx, REF[i]); }
  for (let i = 0; i < n; i++) s += Math.exp(REF[i] - mx);
  const lse = mx + Math.log(s);
  for (let i = 0; i < n; i++) REF[i] = REF[i] - lse; // log p
  return lse;
}
/** max |dx − REF| / (1e-6·scale + 1e-5·max|REF|) over a row (≤ 1 passes); masked entries must be +0. */
function rowErr(dx: usize, m: usize, n: i32, scale: f64): f64 {
  let mr: f64 = 0, w: f64 = 0;
  for (let i = 0; i < n; i++) mr = Math.max(mr, Math.abs(REF[i]));
  for (let i = 0; i < n; i++) {
    if (!kept(m, i) && load<u32>(dx + (<usize>i << 2)) != 0) return Infinity;
    w = Math.max(w, Math.abs(<f64>getf(dx, i) - REF[i]) / (1e-6 * scale + 1e-5 * mr));
  }
  return w;
}
function resetGrads(gr: usize, order: i32): void { memory.fill(gr, 0, <usize>order << 5); for (let q = 0; q < 64; q++) { RG[q] = 0; RA[q] = 0; } }
function gradErr(gr: usize, order: i32): f64 {
  let w: f64 = 0;
  for (let q = 0; q < 4 * order; q++) w = Math.max(w, Math.abs(load<f64>(gr + (<usize>q << 3)) - RG[q]) / (1e-4 * RA[q] + 1e-9)); // (the floor: f64 rounding of a reference that cancels to 0)
  return w;
}

describe("f32-vmodbwd, f32-rdot, u8-rcountnz: SIMD kernels vs scalar twins", () => {
  it("dx bit for bit, sums within 1e-5 of Σ|terms|, for lengths 1..40 and 1000, aligned or not", () => {
    const lengths = testLengths(); seed(71);
    for (let li = 0; li < lengths.length - 2; li++) {
      const n = lengths[li];
      for (let off = 0; off < 4; off += 3) for (let order = 0; order <= 4; order++) for (let mode = 0; mode < 3; mode++) for (let mk = 0; mk < 2; mk++) {
        const x = allocF32(n, off), dy = allocF32(n, off), y = allocF32(n, off), d1 = allocF32(n, off), d2 = allocF32(n, off);
        const m = mk == 1 ? alloc(n, off) : 0;
        fillUniform(x, n, -4, 4); fillUniform(dy, n, -1, 1); fillUniform(y, n, 0, 1); setParams(order, 3);
        if (m != 0) { fillMask(m, n); for (let i = 0; i < n; i++) if (!kept(m, i)) setf(dy, i, NaN); }
        if (n > 5) setf(x, 5, -Infinity);
        const where = "n=" + n.toString() + " off=" + off.toString() + " order=" + order.toString() + " mode=" + mode.toString() + " mask=" + mk.toString();
        f32_vmodbwd__scalar(x, dy, y, d1, m, n, P, order, mode, 0.25, -0.125, SA);
        if (order == 1 || order == 2) f32_vmodbwd_o12__wasmsimd_u4(x, dy, y, d2, m, n, P, order, mode, 0.25, -0.125, SB);
        else f32_vmodbwd__wasmsimd_u4(x, dy, y, d2, m, n, P, order, mode, 0.25, -0.125, SB);
        expect<i32>(firstBitMismatch(d1, d2, n)).toBe(-1, where + " dx");
        expect<bool>(guardsIntact(d2, n)).toBe(true, where + " guards");
        for (let q = 0; q < 4 * order; q++) {
          const a = load<f64>(SA + (<usize>q << 4)) + load<f64>(SA + (<usize>q << 4), 8), b = load<f64>(SB + (<usize>q << 4)) + load<f64>(SB + (<usize>q << 4), 8);
          expect<bool>(Math.abs(a - b) <= 1e-5 * (<f64>n * 64 + Math.abs(a))).toBe(true, where + " sum " + q.toString());
        }
        if (order == 0) {
          const s1 = f32_rdot__scalar(dy, y, m, n), s2 = f32_rdot__wasmsimd_u8(dy, y, m, n);
          expect<bool>(Math.abs(s1 - s2) <= 1e-12 * <f64>n).toBe(true, where + " rdot");
          if (m != 0) expect<i32>(u8_rcountnz__wasmsimd_u16(m, n)).toBe(u8_rcountnz__scalar(m, n), where + " countnz");
        }
      }
      releaseAll();
    }
  });
});

describe("multimax_backward_rows", () => {
  it("matches the f64 reference (dx and grads): orders 0..3 with zero-coefficient orders, masks, log, y given or not", () => {
    const cs: i32[] = [1, 3, 7, 16, 33, 100, 1000]; seed(72);
    for (let ci = 0; ci < cs.length; ci++) for (let order = 0; order <= 3; order++) for (let v = 0; v < 8; v++) {
      const cols = cs[ci], rows = 3, n = rows * cols, log = (v & 1) != 0, mk = (v & 2) != 0, given = (v & 4) != 0;
      const x = allocF32(n), dy = allocF32(n), y = allocF32(n), dx = allocF32(n), tmp = allocF32(cols), gr = alloc(32 * 4);
      const m = mk ? alloc(n) : 0;
      setParams(order, order == 3 ? 2 : 8); // order 3: orders 3.. have zero coefficients
      fillUniform(x, n, -3, 3); fillUniform(dy, n, -1, 1);
      if (m != 0) { fillMask(m, n); memory.fill(m + <usize>cols, 0, <usize>cols); for (let i = 0; i < n; i++) if (!kept(m, i)) setf(dy, i, NaN); }
      const eff = order == 3 ? 2 : order;
      multimax_rows(x, y, 0, m, rows, cols, P, eff, log);
      resetGrads(gr, order);
      const c = multimax_backward_rows(x, dy, given ? y : 0, dx, tmp, m, rows, cols, P, order, gr, log);
      const where = "cols=" + cols.toString() + " order=" + order.toString() + " v=" + v.toString();
      let empty = 0; // fully masked rows: the recomputed forward counts them
      for (let r = 0; r < rows && m != 0; r++) { let any = false; for (let i = 0; i < cols; i++) any = any || kept(m + <usize>(r * cols), i); if (!any) empty++; }
      expect<i32>(c).toBe(given ? 0 : empty, where + " count");
      for (let r = 0; r < rows; r++) {
        const o = <usize>(r * cols), xr = x + (o << 2), mr = m != 0 ? m + o : 0;
        softmaxRef(xr, mr, cols, order, 1);
        let s: f64 = 0;
        for (let i = 0; i < cols; i++) if (kept(mr, i)) s += log ? <f64>getf(dy + (o << 2), i) : <f64>getf(dy + (o << 2), i) * Math.exp(REF[i]);
        for (let i = 0; i < cols; i++) { const p = Math.exp(REF[i]), d = <f64>getf(dy + (o << 2), i); G[i] = !kept(mr, i) ? 0 : log ? d - p * s : p * (d - s); }
        chain(xr, mr, cols, order);
        expect<f64>(rowErr(dx + (o << 2), mr, cols, 1)).toBeLessThanOrEqual(1, where + " row " + r.toString());
      }
      expect<f64>(gradErr(gr, order)).toBeLessThanOrEqual(1, where + " grads");
      if (order == 3 && cols >= 16) expect<bool>(load<f64>(gr + 64) != 0 && load<f64>(gr + 80) != 0).toBe(true, where + " zero-coefficient order's da, dc");
      // y given and recomputed give the same dx; in place equals out of place
      const dx2 = allocF32(n), g2 = alloc(32 * 4);
      multimax_backward_rows(x, dy, given ? 0 : y, dx2, tmp, m, rows, cols, P, order, g2, log);
      expect<i32>(firstBitMismatch(dx, dx2, n)).toBe(-1, where + " y given vs recomputed");
      copyF32(dx2, x, n);
      multimax_backward_rows(dx2, dy, given ? y : 0, dx2, tmp, m, rows, cols, P, order, g2, log);
      expect<i32>(firstBitMismatch(dx, dx2, n)).toBe(-1, where + " in place");
      releaseAll();
    }
  });

  it("a fully masked row gives +0 and adds nothing; NaN dy there changes nothing", () => {
    seed(73);
    const cols = 37, x = allocF32(cols), dy = allocF32(cols), dx = allocF32(cols), tmp = allocF32(cols), gr = alloc(64), m = alloc(cols);
    setParams(2, 8); fillUniform(x, cols, -3, 3); for (let i = 0; i < cols; i++) setf(dy, i, NaN);
    memory.fill(m, 0, cols); memory.fill(gr, 0, 64);
    multimax_backward_rows(x, dy, 0, dx, tmp, m, 1, cols, P, 2, gr, false);
    for (let i = 0; i < cols; i++) expect<u32>(load<u32>(dx + (<usize>i << 2))).toBe(0);
    for (let q = 0; q < 8; q++) expect<f64>(load<f64>(gr + (<usize>q << 3))).toBe(0);
    releaseAll();
  });

  it("huge |x| (f32 overflow of φ's terms) is redone in f64: finite dx and grads, counted; in place adds nothing", () => {
    const cols = 9, x = allocF32(cols), dy = allocF32(cols), dx = allocF32(cols), tmp = allocF32(cols), gr = alloc(64);
    setParams(2, 8); fillUniform(x, cols, -3, 3); fillUniform(dy, cols, -1, 1); setf(x, 4, -3e19); memory.fill(gr, 0, 64);
    expect<i32>(multimax_backward_rows(x, dy, 0, dx, tmp, 0, 1, cols, P, 2, gr, false)).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < cols; i++) expect<bool>(isFinite(getf(dx, i))).toBe(true, "dx " + i.toString());
    for (let q = 0; q < 8; q++) expect<bool>(isFinite(load<f64>(gr + (<usize>q << 3)))).toBe(true, "grad " + q.toString());
    memory.fill(gr, 0, 64);
    multimax_backward_rows(x, dy, 0, x, tmp, 0, 1, cols, P, 2, gr, false);
    for (let q = 0; q < 8; q++) expect<f64>(load<f64>(gr + (<usize>q << 3))).toBe(0, "in place grad " + q.toString());
    releaseAll();
  });
});

describe("cross_entropy_rows", () => {
  it("loss, dx and grads match the f64 reference: softmax and orders 1..3, smoothing, masks, k, dloss, ignore", () => {
    const cs: i32[] = [1, 2, 5, 16, 37, 1000]; seed(74);
    for (let ci = 0; ci < cs.length; ci++) for (let order = 0; order <= 3; order++) for (let v = 0; v < 8; v++) {
      const cols = cs[ci], rows = 4, n = rows * cols, mk = (v & 1) != 0, eps: f64 = (v & 2) != 0 ? 0.1 : 0, k: f32 = (v & 4) != 0 ? 2.5 : 1;
      const x = allocF32(n), dx = allocF32(n), gr = alloc(32 * 4), tg = alloc(4 * rows), dl = allocF32(rows), ls = allocF32(rows);
      const m = mk ? alloc(n) : 0;
      setParams(order, 8); fillUniform(x, n, -3, 3); fillUniform(dl, rows, 0.5, 2);
      if (m != 0) fillMask(m, n);
      for (let r = 0; r < rows; r++) {
        let t = <i32>(nextU32() % <u32>cols);
        if (m != 0) store<u8>(m + <usize>(r * cols + t), 1);
        if (r == 1) t = -100; // ignored
        if (r == 2) setf(x, r * cols + t, 12); // a confident row: 1 − p_t is tiny
        store<i32>(tg + (<usize>r << 2), t);
      }
      resetGrads(gr, order);
      const c = cross_entropy_rows(x, dx, m, rows, cols, k, order > 0 ? P : 0, order, gr, tg, (v & 1) != 0 ? dl : 0, ls, -100, <f32>eps);
      const where = "cols=" + cols.toString() + " order=" + order.toString() + " v=" + v.toString();
      expect<i32>(c).toBe(0, where + " count");
      for (let r = 0; r < rows; r++) {
        const o = <usize>(r * cols), xr = x + (o << 2), mr = m != 0 ? m + o : 0, t = load<i32>(tg + (<usize>r << 2));
        if (t == -100) { expect<f32>(getf(ls, r)).toBe(0); for (let i = 0; i < cols; i++) REF[i] = 0; expect<f64>(rowErr(dx + (o << 2), mr, cols, 1)).toBe(0, where + " ignored row"); continue; }
        const d: f64 = (v & 1) != 0 ? <f64>getf(dl, r) : 1;
        softmaxRef(xr, mr, cols, order, <f64>k);
        let K: f64 = 0, sl: f64 = 0;
        for (let i = 0; i < cols; i++) if (kept(mr, i)) { K++; sl += REF[i]; }
        const L = -(1 - eps) * REF[t] - eps / K * sl;
        expect<bool>(Math.abs(<f64>getf(ls, r) - L) <= 2e-6 * (1 + Math.abs(L))).toBe(true, where + " loss row " + r.toString() + " " + getf(ls, r).toString() + " vs " + L.toString());
        for (let i = 0; i < cols; i++) G[i] = kept(mr, i) ? <f64>k * d * (Math.exp(REF[i]) - (i == t ? 1 - eps : 0) - eps / K) : 0;
        chain(xr, mr, cols, order);
        const e = rowErr(dx + (o << 2), mr, cols, <f64>k * d);
        if (!(e <= 1)) for (let i = 0; i < cols; i++) log<string>(where + " r=" + r.toString() + " t=" + t.toString() + " i=" + i.toString() + " dx=" + getf(dx + (o << 2), i).toString() + " ref=" + REF[i].toString() + " x=" + getf(xr, i).toString());
        expect<bool>(e <= 1).toBe(true, where + " dx row " + r.toString());
      }
      expect<bool>(gradErr(gr, order) <= 1).toBe(true, where + " grads");
      releaseAll();
    }
  });

  it("a φ that overflows float32 goes to the f64 path: finite loss and dx, counted", () => {
    const cols = 8, x = allocF32(cols), dx = allocF32(cols), gr = alloc(64), tg = alloc(4), ls = allocF32(1);
    setf(P, 0, 0.5); setf(P, 1, 0); setf(P, 2, 0.5); setf(P, 3, 0); setf(P, 4, 0); setf(P, 5, 0); setf(P, 6, 1e-3); setf(P, 7, 0);
    fillUniform(x, cols, -3, 3); setf(x, 3, 3e19); store<i32>(tg, 3); memory.fill(gr, 0, 64);
    expect<i32>(cross_entropy_rows(x, dx, 0, 1, cols, 1, P, 2, gr, tg, 0, ls, -100, 0.1)).toBe(1);
    expect<bool>(isFinite(getf(ls, 0))).toBe(true, "loss " + getf(ls, 0).toString());
    for (let i = 0; i < cols; i++) expect<bool>(!isNaN(getf(dx, i))).toBe(true, "dx " + i.toString());
    releaseAll();
  });
});
