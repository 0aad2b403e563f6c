// f32-rfyscale, scalar reference: the one pass after the forward of the sparsemax and 1.5-entmax
// Fenchel–Young losses (backward/loss.ts), reading p (the forward's output) and x, writing
//   dx[i] = p[i]·dl   (every entry: the gradient but for its target entry, which the driver fixes)
// and returning Σ p·x over the support p[i] > 0, out.sum = Σ h(p) there (records.ts
// RFyLossResult), h(p) = p² (pow15 false: sparsemax) or p·√p (pow15 true: 1.5-entmax). Each term
// is a float32 product (p·x, p·p, p·√p, √ correctly rounded) promoted to float64 and summed in
// float64 (records.ts RFyScaleResult). Entries with p ≤ 0 or NaN add nothing, whatever x holds there (−∞ at masked entries:
// no 0·(−∞) enters a sum). dx may equal p (in place: each p is read before its dx is stored);
// x is disjoint from both.
import { RFyScaleResult } from "../records";

export function f32_rfyscale__scalar(p: usize, x: usize, dx: usize, n: i32, dl: f32, pow15: bool, out: RFyScaleResult): f64 {
  let dot = 0.0, h = 0.0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    store<f32>(dx + o, pi * dl);
    if (pi > 0) {
      dot += <f64>(pi * load<f32>(x + o));
      h += <f64>(pi * (pow15 ? sqrt<f32>(pi) : pi));
    }
  }
  out.sum = h;
  return dot;
}
