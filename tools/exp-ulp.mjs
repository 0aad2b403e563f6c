// Exhaustive accuracy check of the rr2-p5 exp (assembly/kernels/exp.ts) over every float32 in
// [-87.3, 0], emulating its float32 operations exactly with Math.fround (for +, −, × a float64
// result rounded once to float32 equals the float32 operation). Reference: Math.exp in float64.
// Prints the maximum error in ulps of the float32 result and the maximum relative error.
//   node tools/exp-ulp.mjs            (about a minute)
const f = Math.fround;
const b2f = (b) => { u32[0] = b >>> 0; return f32[0]; };
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer), i32 = new Int32Array(f32.buffer);
const LOG2E = b2f(0x3FB8AA3B), MAGIC = b2f(0x4B40007F), NLN2HI = b2f(0xBF318000), NLN2LO = b2f(0x395E8083);
const C5 = b2f(0x3C07D41A), C4 = b2f(0x3D2B9D2A), C3 = b2f(0x3E2AAD35), C2 = b2f(0x3EFFFEE3), C1 = b2f(0x3F7FFFFB);
function expf(d) {
  const t = f(f(d * LOG2E) + MAGIC);
  f32[0] = t; i32[0] = i32[0] << 23; const s = f32[0];
  const n = f(t - MAGIC);
  let r = f(f(n * NLN2HI) + d);
  r = f(f(n * NLN2LO) + r);
  let p = f(f(C5 * r) + C4);
  p = f(f(p * r) + C3);
  p = f(f(p * r) + C2);
  p = f(f(p * r) + C1);
  return f(f(f(s * r) * p) + s);
}
const ulp = (v) => { f32[0] = v; const b = u32[0]; u32[0] = b + 1; return f32[0] - v; };
let maxUlp = 0, atUlp = 0, maxRel = 0, atRel = 0;
const lo = 0x80000000, hi = (() => { f32[0] = -87.3; return u32[0]; })();
for (let b = lo; b <= hi; b++) {
  u32[0] = b; const d = f32[0];
  const ref = Math.exp(d), y = expf(d);
  const e = Math.abs(y - ref);
  const eu = e / ulp(f(ref));
  if (eu > maxUlp) { maxUlp = eu; atUlp = d; }
  const er = e / ref;
  if (er > maxRel) { maxRel = er; atRel = d; }
}
console.log(`exp rr2-p5 over [-87.3, 0], ${hi - lo + 1} float32 inputs: max error ${maxUlp.toFixed(3)} ulp (at x = ${atUlp}), max relative error ${maxRel.toExponential(3)} (at x = ${atRel})`);
