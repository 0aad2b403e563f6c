// f32-rnormmax, scalar reference: the reduction pass of the α-normmax backward (the `entmax`
// package's NormmaxBisectFunction.backward) from y alone. On the kept support (y[i] > 0, and
// mask = 0 or mask[i] ≠ 0): a = y, b = y^e (e = 2 − α) and a^α, from one ln y (math/pow.ts lnf):
// b = exp(e·ln y), a^α = exp(α·ln y) (math/exp.ts expf_b2_p5). Returns Σ dy·b; out.sa = Σ dy·a,
// out.sb = Σ b, out.sp = Σ a^α (records.ts RNormmaxResult; products rounded to float32, sums in
// float64). Entries off the kept support add nothing, whatever dy holds there.
import { expf_b2_p5 } from "../math/exp";
import { lnf } from "../math/pow";
import { RNormmaxResult } from "../records";

export function f32_rnormmax__scalar(y: usize, dy: usize, mask: usize, n: i32, e: f32, alpha: f32, out: RNormmaxResult): f64 {
  let sdb = 0.0, sda = 0.0, sb = 0.0, sp = 0.0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const yi = load<f32>(y + o);
    if (!(yi > 0) || (mask != 0 && load<u8>(mask + <usize>i) == 0)) continue;
    const l = lnf(yi), d = load<f32>(dy + o);
    const b = expf_b2_p5(e * l);
    sdb += <f64>(d * b);
    sda += <f64>(d * yi);
    sb += <f64>b;
    sp += <f64>expf_b2_p5(alpha * l);
  }
  out.sa = sda; out.sb = sb; out.sp = sp;
  return sdb;
}
