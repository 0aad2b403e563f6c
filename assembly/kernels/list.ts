// Candidate lists of the streaming filter (f32-vfilter-*): raw row values whose X = (x − m)·c
// lies above a lower bound t of the threshold. Scalar: lists are short, and both helpers only
// run when a list has doubled, so their cost is amortised over the appends.
import { f32down } from "./acc";
import { powf_pos } from "./pow";

/** A lower bound of the threshold from the list entries above t (any subset S of the row gives
 *  one: the threshold of S alone, which is at least mean_S X − |S|^(−eb) by the power-mean
 *  inequality; eb = 1/γ for γ ≥ 1, eb = 1 for γ < 1 where d^γ ≥ d on (0, 1]). Two rounds; never
 *  below t. */
export function tighten(list: usize, len: i32, m: f32, c: f32, t: f32, eb: f32): f32 {
  for (let r = 0; r < 2; r++) {
    let cnt = 0, s = 0.0;
    for (let j = 0; j < len; j++) {
      const X = (load<f32>(list + (<usize>j << 2)) - m) * c;
      if (X > t) { cnt++; s += <f64>X; }
    }
    if (cnt == 0) break;
    const k = <f64>cnt;
    // |S|^(−eb): exact forms for sparsemax (eb = 1) and entmax-1.5 / normmax 2 (eb = ½); else the
    // float32 power, made smaller by 1e-5 (its error is below 1e-6) so that the bound stays valid
    const r = eb == 1 ? 1 / k : eb == 0.5 ? 1 / Math.sqrt(k) : <f64>powf_pos(<f32>(1 / k), eb) * (1 + 1e-5);
    const b = f32down(s / k - r);
    if (b > t) t = b; else break;
  }
  return t;
}

/** Keeps the entries with X > t, in order; returns the new length. */
export function compact(list: usize, len: i32, m: f32, c: f32, t: f32): i32 {
  let k = 0;
  for (let j = 0; j < len; j++) {
    const v = load<f32>(list + (<usize>j << 2));
    if ((v - m) * c > t) { store<f32>(list + (<usize>k << 2), v); k++; }
  }
  return k;
}
