// Cross-entropy of softmax or MultiMax, with label smoothing, and its gradient. Memory contract
// (index.ts): x, dx rows·cols floats, disjoint; targets i32, dloss (0: all 1) and loss f32 per row;
// params `order` records (order 0: softmax, params unused); grads 4·order f64, added to.
import { expstore, maxsum, modmax, modmax_fast } from "../config";
import { countnz, modbwd } from "../config-backward";
import { exp64, log64 } from "../math/math64";
import { VjpMode } from "../math/vjp";
import { RMaxSumResult } from "../records";
import { fill } from "../special";
import { MAX_ORDER, SUMS, SUMS2, addGrads, bwd64, phi64 } from "./phigrad";

/** The max pass's sum and count (records.ts), owned here. */
const MAXSUM = changetype<RMaxSumResult>(memory.data(offsetof<RMaxSumResult>(), 16));
/** One float of 0 (the correction pass's y) and one of output (its dx). */
const ONE_ROW: usize = memory.data(16, 16);

/** ln(1 + v), v ≥ 0, accurate for small v (Goldberg: ln(u)·v/(u − 1), u = fl(1 + v)). */
function log1p64(v: f64): f64 {
  const u = 1 + v;
  return u == 1 ? v : log64(u) * (v / (u - 1));
}

/** Per row r with target t = targets[r] (t == ignore: loss 0, dx 0, nothing added), logits
 *  Z = k·z, z = φ(x) (order > 0) or x, masked entries left out, K = the number of kept entries:
 *    loss = −(1 − ε)·log p_t − (ε/K)·Σ_kept log p_j,  p = softmax(Z)   (float64, stored as f32)
 *    dx = k·dl·(p − (1 − ε)·e_t − ε/K) ⊙ φ'(x) on kept entries (0 elsewhere), dl = dloss[r] or 1,
 *  and grads += the row's Σ g·∂φ/∂θ, g = k·dl·(…). Passes: z and its max into dx's row (the
 *  forward's fast modulation kernels), with ε > 0 the sum of the kept z (f32-rmaxsum) and K
 *  (u8-rcountnz); z_t set aside (−∞ in the row), so that S' = Σ_{j≠t} exp(Z_j − M) (one exp pass)
 *  gives 1 − p_t = S'/S and log p_t = −ln(1 + S'/e_t) without cancellation; then f32-vmodbwd in
 *  Affine mode (g = e·k·dl/S − k·dl·ε/K), and the one-element pass at t adding k·dl·(ε − S'/S).
 *  Rows with no finite max, a −∞ or NaN among the kept z, or non-finite partial sums, are done
 *  in float64 (row64) and counted. Finite inputs never give NaN. */
export function cross_entropy_rows(x: usize, dx: usize, mask: usize, rows: i32, cols: i32, k: f32, params: usize, order: i32, grads: usize, targets: usize, dloss: usize, loss: usize, ignore: i32, smoothing: f32): i32 {
  if (order > MAX_ORDER) unreachable();
  let special = 0;
  const rowBytes = <usize>cols << 2, eps = <f64>smoothing, kd = <f64>k;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes, xr = x + o, dxr = dx + o, mr = mask != 0 ? mask + <usize>r * <usize>cols : 0;
    const t = load<i32>(targets + (<usize>r << 2));
    const lr = loss + (<usize>r << 2);
    if (t == ignore) { store<f32>(lr, 0); fill(dxr, cols, 0); continue; }
    const dl: f64 = dloss != 0 ? <f64>load<f32>(dloss + (<usize>r << 2)) : 1;
    const K = eps != 0 && mr != 0 ? countnz(mr, cols) : cols;
    // z = φ(x) (or x), −∞ where masked, into dx's row
    let m = modmax_fast(xr, dxr, mr, cols, params, order);
    if (m - m != 0) m = modmax(xr, dxr, mr, cols, params, order);
    const zt = load<f32>(dxr + (<usize>t << 2));
    let zs: f64 = 0, ok = m - m == 0 && zt != -Infinity;
    if (ok && eps != 0) {
      maxsum(dxr, cols, MAXSUM);
      zs = MAXSUM.sum - <f64>MAXSUM.count * <f64>m;
      ok = MAXSUM.count == K;
    }
    if (ok) {
      store<f32>(dxr + (<usize>t << 2), -Infinity);
      const s1 = expstore(dxr, dxr, cols, m, k); // Σ_{j≠t} exp((z_j − m)·k), the e_j stored
      const w = kd * (<f64>zt - <f64>m), et = exp64(w), S = s1 + et; // S ≥ 1 (the max's term) unless a z is NaN
      const lpt = w > -30 ? -log1p64(s1 * exp64(-w)) : w - log64(S);
      let L = -(1 - eps) * lpt;
      if (eps != 0) L -= eps / <f64>K * (kd * zs + <f64>K * (lpt - w)); // Σ_kept (Z_j − lse) = k·Σ(z_j − m) − K·ln S
      const c = kd * dl;
      modbwd(xr, 0, dxr, dxr, mr, cols, params, order, VjpMode.Affine, <f32>(c / S), <f32>(-c * eps / <f64>K), SUMS);
      modbwd(xr + (<usize>t << 2), 0, ONE_ROW, ONE_ROW + 4, 0, 1, params, order, VjpMode.Affine, 0, <f32>(c * (eps - s1 / S)), SUMS2);
      if (S >= 1 && addGrads(grads, params, order, SUMS, SUMS2)) {
        const at = dxr + (<usize>t << 2);
        store<f32>(at, load<f32>(at) + load<f32>(ONE_ROW, 4));
        store<f32>(lr, <f32>L);
        continue;
      }
    }
    special++;
    store<f32>(lr, <f32>row64(xr, dxr, mr, cols, kd, params, order, grads, t, dl, eps));
  }
  return special;
}

/** Z_j = k·φ(x_j) in float64 for a kept entry (x = −∞: −∞). */
// @ts-ignore: decorator
@inline function logit(x: usize, i: i32, k: f64, params: usize, order: i32): f64 {
  return k * phi64(<f64>load<f32>(x + (<usize>i << 2)), params, order);
}

/** One row in float64 from x, for the rows the f32 passes cannot finish; returns its loss. log p_j
 *  is Z_j − lse when the max M of the kept Z is finite, else (M = +∞) −ln(count of +∞) at the +∞
 *  entries and −∞ elsewhere (M = −∞: −∞ everywhere); a NaN Z gives NaN loss and NaN dx at the
 *  kept entries; x = −∞ gets dx = 0; non-finite partial sums add nothing to grads. Terms with a zero weight are skipped (no 0·∞). */
function row64(x: usize, dx: usize, mask: usize, n: i32, k: f64, params: usize, order: i32, grads: usize, t: i32, dl: f64, eps: f64): f64 {
  let m: f64 = -Infinity, K = 0, inf = 0, nan = false;
  for (let i = 0; i < n; i++) {
    if (mask != 0 && load<u8>(mask + <usize>i) == 0) continue;
    const z = logit(x, i, k, params, order);
    K++;
    if (z != z) nan = true; else if (z > m) m = z;
    if (z == Infinity) inf++;
  }
  let S: f64 = 0;
  if (m - m == 0) for (let i = 0; i < n; i++) if (mask == 0 || load<u8>(mask + <usize>i) != 0) S += exp64(logit(x, i, k, params, order) - m);
  const lse = m + log64(S);
  let L: f64 = 0, sl: f64 = 0;
  memory.fill(SUMS, 0, <usize>order << 6);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      const at = dx + (<usize>i << 2);
      if (mask != 0 && load<u8>(mask + <usize>i) == 0) { if (pass == 1) store<f32>(at, 0); continue; }
      const z = logit(x, i, k, params, order);
      const lp = nan ? NaN : m - m == 0 ? z - lse : m == Infinity && z == Infinity ? -log64(<f64>inf) : -Infinity;
      if (pass == 0) {
        if (i == t && eps != 1) L -= (1 - eps) * lp;
        if (eps != 0) sl += lp;
        continue;
      }
      const xi = <f64>load<f32>(x + (<usize>i << 2)), gz = dl * (exp64(lp) - (i == t ? 1 - eps : 0) - eps / <f64>K);
      store<f32>(at, xi == -Infinity ? 0 : <f32>bwd64(xi, k * gz, params, order, SUMS)); // (−∞: dropped, as f32-vmodbwd)
    }
  }
  if (eps != 0) L -= eps / <f64>K * sl;
  addGrads(grads, params, order, SUMS, 0);
  return L;
}
