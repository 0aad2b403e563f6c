// Attention backward: the gradients of ⟨dOut, out⟩ with respect to q, k, v (and MultiMax's
// parameters), with p recomputed block by block (nothing is kept from the forward call):
//   s = scale·q·kᵀ,  p = normaliser(s),  dv += pᵀ·dOut,  dp = dOut·vᵀ,
//   ds = the normaliser's VJP at (s, p) applied to dp (MultiMax: φ'(s) ⊙ softmax's VJP, and the
//        parameter gradients, added per head),  dq = scale·ds·k,  dk += scale·dsᵀ·q.
// Blocks of QB queries: S, P, dP and dS (QB rows of Lk floats each) in scratch. dk and dv
// (per kv head, summed over the G heads of its group) are zeroed here first. A row that sees no
// key has p = 0: dq = 0 there and it adds nothing. Memory contract as attention_forward's, plus
// dOut [B,H,Lq,Dv], dq like q, dk like k, dv like v, grads: float64 `order`·4 per head at
// gradStride bytes (added to; 0 = not MultiMax).
import { dotrows, gemm, transpose } from "../config-attention";
import { ALPHA, QB, gemmCols, gemmDepth, lead, normalise, normaliseBackward, transposed, up16, visible } from "./rows";

export function attention_backward(
  q: usize, k: usize, v: usize, dOut: usize, dq: usize, dk: usize, dv: usize, mask: usize, params: usize, grads: usize, scratch: usize,
  B: i32, H: i32, Hkv: i32, Lq: i32, Lk: i32, D: i32, Dv: i32,
  kind: i32, causal: i32, order: i32, paramStride: i32, gradStride: i32, scale: f32, alpha: f64, eps: f32,
): i32 {
  store<f64>(ALPHA, alpha);
  const G = H / Hkv, useT = transposed(Lq), ld = lead(Lk), row = <usize>ld << 2, blk = up16(<usize>QB * row); // (scratch rows at the padded stride ld)
  const kt = scratch, vt = kt + (useT ? up16(<usize>D * row) : 0), S = vt + (useT ? up16(<usize>Dv * row) : 0);
  const P = S + blk, dP = P + blk, dS = dP + blk, tmp = dS + blk;
  let special = 0;
  for (let b = 0; b < B; b++) {
    const mb = mask != 0 ? mask + <usize>b * <usize>Lk : 0;
    for (let hk = 0; hk < Hkv; hk++) {
      const kvh = <usize>(b * Hkv + hk);
      const kb = k + ((kvh * <usize>Lk * <usize>D) << 2), vb = v + ((kvh * <usize>Lk * <usize>Dv) << 2);
      const dkb = dk + ((kvh * <usize>Lk * <usize>D) << 2), dvb = dv + ((kvh * <usize>Lk * <usize>Dv) << 2);
      memory.fill(dkb, 0, (<usize>Lk * <usize>D) << 2);
      memory.fill(dvb, 0, (<usize>Lk * <usize>Dv) << 2);
      if (useT) { transpose(Lk, D, kb, D, kt, ld); transpose(Lk, Dv, vb, Dv, vt, ld); }
      for (let g = 0; g < G; g++) {
        const h = hk * G + g, bh = <usize>(b * H + h);
        const qh = q + ((bh * <usize>Lq * <usize>D) << 2), gh = dOut + ((bh * <usize>Lq * <usize>Dv) << 2);
        const dqh = dq + ((bh * <usize>Lq * <usize>D) << 2);
        const ph = params + <usize>h * <usize>paramStride, gr = grads + <usize>h * <usize>gradStride;
        for (let i0 = 0; i0 < Lq; i0 += QB) {
          const mr = min(QB, Lq - i0), nmax = visible(i0 + mr - 1, Lq, Lk, causal);
          const qi = qh + ((<usize>i0 * <usize>D) << 2), gi = gh + ((<usize>i0 * <usize>Dv) << 2);
          const dqi = dqh + ((<usize>i0 * <usize>D) << 2);
          if (nmax == 0) { memory.fill(dqi, 0, (<usize>mr * <usize>D) << 2); continue; }
          // s and dp (tiles of keys)
          if (useT) {
            gemmCols(mr, nmax, D, qi, D, 1, kt, ld, S, ld, scale);
            gemmCols(mr, nmax, Dv, gi, Dv, 1, vt, ld, dP, ld, 1);
          } else for (let r = 0; r < mr; r++) {
            dotrows(nmax, D, qi + ((<usize>(r * D)) << 2), kb, D, S + <usize>r * row, scale);
            dotrows(nmax, Dv, gi + ((<usize>(r * Dv)) << 2), vb, Dv, dP + <usize>r * row, 1);
          }
          // p and ds row by row (0 past the keys a row sees)
          for (let r = 0; r < mr; r++) {
            const o = <usize>r * row, n = visible(i0 + r, Lq, Lk, causal);
            if (n > 0) {
              const a = normalise(kind, S + o, P + o, tmp, mb, n, ph, order, eps);
              special += (a | normaliseBackward(kind, S + o, P + o, dP + o, dS + o, tmp, mb, n, ph, order, gr)) != 0 ? 1 : 0; // (a row counts once)
            }
            if (n < nmax) {
              memory.fill(P + o + (<usize>n << 2), 0, <usize>(nmax - n) << 2);
              memory.fill(dS + o + (<usize>n << 2), 0, <usize>(nmax - n) << 2);
            }
          }
          // dq = scale·ds·k (tiles of keys); dk += scale·dsᵀ·q, dv += pᵀ·dOut (4 keys per product)
          gemmDepth(mr, D, nmax, dS, ld, 1, kb, D, dqi, D, scale);
          for (let j0 = 0; j0 < nmax; j0 += 4) {
            const m = min(4, nmax - j0), o = <usize>j0 << 2;
            gemm(m, D, mr, dS + o, 1, ld, qi, D, dkb + ((<usize>(j0 * D)) << 2), D, scale, 1);
            gemm(m, Dv, mr, P + o, 1, ld, gi, Dv, dvb + ((<usize>(j0 * Dv)) << 2), Dv, 1, 1);
          }
        }
      }
    }
  }
  return special;
}
