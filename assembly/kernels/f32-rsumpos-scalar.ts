// f32-rsumpos, scalar reference: the reduction pass of the sparsemax backward (α = 2: the gradient
// weights are 1 on the support, so only y's sign is read): over the kept support S = {y[i] > 0,
// and mask = 0 or mask[i] ≠ 0} returns Σ_S dy (every dy promoted to float64, exact, summed in
// float64); out.count = |S| (records.ts RSumPosResult). Entries off S add nothing, whatever dy
// holds there (NaN, ±∞); a NaN y is off S.
import { RSumPosResult } from "../records";

export function f32_rsumpos__scalar(y: usize, dy: usize, mask: usize, n: i32, out: RSumPosResult): f64 {
  let s = 0.0, k = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    if (load<f32>(y + o) > 0 && (mask == 0 || load<u8>(mask + <usize>i) != 0)) {
      s += <f64>load<f32>(dy + o);
      k++;
    }
  }
  out.count = k;
  return s;
}
