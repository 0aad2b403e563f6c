// Fenchel–Young losses of the threshold maps (the `entmax` package's SparsemaxLoss, Entmax15Loss,
// EntmaxBisectLoss; reduction none): per row r with target t = targets[r] ≠ ignore,
//   p = the map's forward of x's rows (threshold/rows.ts threshold_rows, all rows at once, into dx),
//   loss[r] = Ω(p) + Σ_{p_i > 0} p_i·x_i − x_t   (float64, stored as float32), with
//   Ω(p) = (1 − Σ p^α)/(α(α − 1))  (sparsemax α = 2, 1.5-entmax α = 1.5), −Σ p·ln p at α = 1,
//   dx = dl·(p − e_t), dl = dloss[r] (1 when dloss = 0); masked entries (p = 0) get 0.
// Rows whose target is `ignore` get loss 0 and dx 0. Only the support enters the dot product, so
// −∞ or masked x never make NaN. Targets are validated by the loader (in range, not masked).
// Memory: x, dx rows·cols floats, disjoint; tmp two rows (the map's scratch); mask 0 or rows·cols
// bytes; targets i32, dloss f32 (or 0), loss f32, one per row. Returns the number of rows that the
// forward reported as exceptional (special.ts conventions).
import { scale } from "../config";
import { fyscale, fysums } from "../config-backward";
import { ThresholdMap } from "../kinds";
import { RFyLossResult, RFyScaleResult } from "../records";
import { threshold_rows } from "../threshold/rows";

/** The record this driver owns (records.ts). */
const SUMS = changetype<RFyLossResult>(memory.data(offsetof<RFyLossResult>(), 16));
const SCALE = changetype<RFyScaleResult>(memory.data(offsetof<RFyScaleResult>(), 16));

export function fy_loss_rows(x: usize, dx: usize, tmp: usize, mask: usize, rows: i32, cols: i32, kind: i32, alpha: usize, alphaStride: i32, targets: usize, dloss: usize, loss: usize, ignore: i32): i32 {
  // the forward of every row at once (one driver call: its per-call setup is paid once, which
  // matters on short rows), then each row's loss and gradient over its p
  const special = threshold_rows(x, dx, tmp, mask, rows, cols, kind, alpha, alphaStride, 0);
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes, xr = x + o, dxr = dx + o;
    const t = load<i32>(targets + (<usize>r << 2));
    if (t == ignore) {
      store<f32>(loss + (<usize>r << 2), 0);
      memory.fill(dxr, 0, rowBytes);
      continue;
    }
    const ar = alpha + <usize>r * <usize>alphaStride;
    const a: f64 = kind == ThresholdMap.Sparsemax ? 2 : kind == ThresholdMap.Entmax15 ? 1.5 : load<f64>(ar);
    const dl: f32 = dloss == 0 ? 1 : load<f32>(dloss + (<usize>r << 2));
    // α = 2, 1.5: the sums and dx = dl·p in one pass; other α: the sums, then the scale pass
    const fast = a == 2 || a == 1.5;
    const dot = fast ? fyscale(dxr, xr, dxr, cols, dl, a == 1.5, SCALE) : fysums(dxr, xr, cols, a, SUMS);
    if (!fast) scale(dxr, dxr, cols, dl);
    // Ω(p) = (1 − Σ p^α)/(α(α − 1)); the general kinds sum p − p^α per term (f32-rfyloss: the
    // float32 p's sum is 1 only within 1e-7, which 1/(α − 1) would magnify near α = 1)
    const omega = fast ? (1 - SCALE.sum) / (a * (a - 1)) : a == 1 ? SUMS.sum : SUMS.sum / (a * (a - 1));
    const to = <usize>t << 2;
    store<f32>(loss + (<usize>r << 2), <f32>(omega + dot - <f64>load<f32>(xr + to)));
    store<f32>(dxr + to, load<f32>(dxr + to) - dl);
  }
  return special;
}
