// MultiMax backward: the softmax VJP, then the chain through φ and the parameter gradients.
// Memory contract (index.ts): x, dy, y (0: recomputed) rows·cols floats; dx equals x or is
// disjoint from every other array; tmp room for one row; grads 4·order f64, added to.
import { expstore } from "../config";
import { modbwd, rdot, rsum } from "../config-backward";
import { multimax_rows, softmax_rows } from "../rows";
import { VjpMode, vjpf } from "../math/vjp";
import { MAX_ORDER, SUMS, addGrads, bwd64, effectiveOrder } from "./phigrad";

/** Row by row, with p = softmax(φ(x) + M) (log: p = exp(y)):
 *    g = p ⊙ (dy − Σ dy·p)  (log: dy − p·Σ dy), the gradient wrt z = φ(x) (sums over kept entries);
 *    dx = g ⊙ φ'(x), and grads += the row's Σ g·∂φ/∂θ for every one of the `order` records.
 *  Two passes over the row (the reduction, then f32-vmodbwd); with y = 0 the forward is recomputed
 *  into tmp first (multimax_rows, or softmax_rows when every order is zero), with y given for log
 *  exp(y) is stored there. Masked entries and x = −∞ get dx = +0 and add nothing. A row whose
 *  partial sums come out non-finite (an input NaN or +∞, dy not finite, f32 overflow of φ's terms
 *  at huge |x|) is redone in float64 (not in place: x is gone; its sums then add nothing) and
 *  counted; so are the rows the recomputed forward took off its fast path. */
export function multimax_backward_rows(x: usize, dy: usize, y: usize, dx: usize, tmp: usize, mask: usize, rows: i32, cols: i32, params: usize, order: i32, grads: usize, log: bool): i32 {
  if (order > MAX_ORDER) unreachable();
  let special = 0;
  const rowBytes = <usize>cols << 2, eff = effectiveOrder(params, order);
  const mode = log ? VjpMode.Log : VjpMode.Soft;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const xr = x + o, dyr = dy + o, dxr = dx + o, mr = mask != 0 ? mask + <usize>r * <usize>cols : 0;
    let yr = y + o, sp = 0;
    if (y == 0) {
      sp = eff == 0 ? softmax_rows(xr, tmp, mr, 1, cols, 1, log) : multimax_rows(xr, tmp, 0, mr, 1, cols, params, eff, log);
      yr = tmp;
    }
    if (log) { expstore(yr, tmp, cols, 0, 1); yr = tmp; }
    const s = <f32>(log ? rsum(dyr, mr, cols) : rdot(dyr, yr, mr, cols));
    modbwd(xr, dyr, yr, dxr, mr, cols, params, order, mode, s, 0, SUMS);
    if (s - s != 0 || !addGrads(grads, params, order, SUMS, 0)) { // (s: a NaN or ±∞ in a kept dy or y)
      sp = 1;
      if (dxr != xr) {
        memory.fill(SUMS, 0, <usize>order << 6);
        for (let i = 0; i < cols; i++) {
          const oi = <usize>i << 2, xi = load<f32>(xr + oi);
          const kept = (mr == 0 || load<u8>(mr + <usize>i) != 0) && xi != -Infinity;
          store<f32>(dxr + oi, kept ? <f32>bwd64(xi, vjpf(mode, dyr, yr, oi, s, 0), params, order, SUMS) : 0);
        }
        addGrads(grads, params, order, SUMS, 0);
      }
    }
    if (sp != 0) special++;
  }
  return special;
}
