// Attention forward, block of query rows by block: per (batch b, head h, kv head h / G)
//   s = scale·q·kᵀ over the keys the row sees;  p = normaliser(s) (masked after any modulation);
//   out = p·v;  weights = p when asked for.
// One block of QB query rows at a time: its scores (QB rows of Lk floats, in scratch) come from
// one product with Kᵀ (laid out once per (b, kv head), shared by the G heads of a group) or, for
// fewer than 4 queries, from dot products against K as it lies (a decode step reads the cache
// once and copies nothing); each row is normalised in place by the row driver of its normaliser;
// then one product with V. A row that sees no key (all masked, or causal with Lq > Lk) gets
// output 0 and weights 0. Memory contract: q [B,H,Lq,D], k [B,Hkv,Lk,D], v [B,Hkv,Lk,Dv],
// out [B,H,Lq,Dv], weights [B,H,Lq,Lk] (0: none), mask [B,Lk] bytes (0: none; 0 = excluded),
// params: per head `order` records [a, b, c, d] at paramStride bytes (0: shared).
import { compact, dotrows, gathergemv, transpose } from "../config-attention";
import { Norm } from "../kinds";
import { ALPHA, QB, gemmCols, gemmDepth, lead, normalise, transposed, up16, visible } from "./rows";

export function attention_forward(
  q: usize, k: usize, v: usize, out: usize, weights: usize, mask: usize, params: usize, scratch: usize,
  B: i32, H: i32, Hkv: i32, Lq: i32, Lk: i32, D: i32, Dv: i32,
  kind: i32, causal: i32, order: i32, paramStride: i32, scale: f32, alpha: f64, eps: f32,
): i32 {
  store<f64>(ALPHA, alpha);
  const G = H / Hkv, useT = transposed(Lq), ld = lead(Lk), row = <usize>ld << 2, wrow = <usize>Lk << 2; // (scratch rows at the padded stride ld)
  // scratch (rows.ts scratchBytes): Kᵀ, the block's scores, the normalisers' two rows, the supports
  const kt = scratch, s = kt + (useT ? up16(<usize>D * row) : 0), tmp = s + up16(<usize>QB * row), sup = tmp + max<usize>(2 * row, 64);
  let special = 0;
  for (let b = 0; b < B; b++) {
    const mb = mask != 0 ? mask + <usize>b * <usize>Lk : 0;
    for (let hk = 0; hk < Hkv; hk++) {
      const kb = k + ((<usize>(b * Hkv + hk) * <usize>Lk * <usize>D) << 2);
      const vb = v + ((<usize>(b * Hkv + hk) * <usize>Lk * <usize>Dv) << 2);
      if (useT) transpose(Lk, D, kb, D, kt, ld);
      for (let g = 0; g < G; g++) {
        const h = hk * G + g, bh = <usize>(b * H + h);
        const qh = q + ((bh * <usize>Lq * <usize>D) << 2), oh = out + ((bh * <usize>Lq * <usize>Dv) << 2);
        const wh = weights != 0 ? weights + ((bh * <usize>Lq * <usize>Lk) << 2) : 0;
        const ph = params + <usize>h * <usize>paramStride;
        for (let i0 = 0; i0 < Lq; i0 += QB) {
          const mr = min(QB, Lq - i0), nmax = visible(i0 + mr - 1, Lq, Lk, causal);
          const qi = qh + ((<usize>i0 * <usize>D) << 2), oi = oh + ((<usize>i0 * <usize>Dv) << 2);
          if (nmax == 0) { // (no row of the block sees a key)
            memory.fill(oi, 0, (<usize>mr * <usize>Dv) << 2);
            if (wh != 0) memory.fill(wh + <usize>i0 * wrow, 0, <usize>mr * wrow);
            continue;
          }
          if (useT) gemmCols(mr, nmax, D, qi, D, 1, kt, ld, s, ld, scale);
          else for (let r = 0; r < mr; r++) dotrows(nmax, D, qi + ((<usize>(r * D)) << 2), kb, D, s + <usize>r * row, scale);
          let kept = 0; // (the threshold maps' kept entries in the block)
          for (let r = 0; r < mr; r++) {
            const sr = s + <usize>r * row, n = visible(i0 + r, Lq, Lk, causal);
            store<i32>(sup + (<usize>r << 2), 0);
            if (n > 0) special += normalise(kind, sr, sr, tmp, mb, n, ph, order, eps, sup + (<usize>r << 2));
            kept += load<i32>(sup + (<usize>r << 2));
            if (n < nmax) memory.fill(sr + (<usize>n << 2), 0, <usize>(nmax - n) << 2);
            if (wh != 0) {
              const wr = wh + <usize>(i0 + r) * wrow;
              memory.copy(wr, sr, <usize>nmax << 2);
              if (nmax < Lk) memory.fill(wr + (<usize>nmax << 2), 0, <usize>(Lk - nmax) << 2);
            }
          }
          // p·v: one product for the block, or for a threshold map that keeps at most 1/8 of the
          // block's entries, per row over the kept keys only (the gathered product reads V once
          // per row, the product once per 4 rows: break-even near 1/8)
          if (kind < Norm.Sparsemax || kind == Norm.EvSoftmax || <i64>kept * 8 > <i64>mr * <i64>nmax) gemmDepth(mr, Dv, nmax, s, ld, 1, vb, Dv, oi, Dv, 1);
          else for (let r = 0; r < mr; r++) {
            const m = compact(s + <usize>r * row, nmax, tmp, tmp + row);
            gathergemv(m, Dv, tmp, tmp + row, vb, Dv, oi + ((<usize>(r * Dv)) << 2));
          }
        }
      }
    }
  }
  return special;
}
