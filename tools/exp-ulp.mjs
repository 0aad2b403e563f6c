// Exhaustive accuracy check of the b2-p5 exp (assembly/math/exp.ts) over every float32 in
// [-87.3, 0], emulating its float32 operations exactly with Math.fround (for +, −, × a float64
// result rounded once to float32 equals the float32 operation). Reference: Math.exp in float64.
// Prints the maximum error in ulps of the float32 result, the maximum relative error, and the
// smallest k with |e − exp(d)| ≤ 3 ulp + |d|·k·exp(d) for every input (the bound of
// tests/assembly/exp.spec.ts; the |d| term is the rounding of d·log2e).
//   node tools/exp-ulp.mjs            (about a minute)
const f = Math.fround;
const b2f = (b) => { u32[0] = b >>> 0; return f32[0]; };
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer), i32 = new Int32Array(f32.buffer);
const LOG2E = b2f(0x3FB8AA3B), MAGIC = b2f(0x4B40007F), CLAMP = b2f(0xC2FE0000);
const C5 = b2f(0x3AADDD08), C4 = b2f(0x3C1E7546), C3 = b2f(0x3D635BA7), C2 = b2f(0x3E75FCDF), C1 = b2f(0x3F317215);
function expf(d) {
  let d2 = f(d * LOG2E);
  d2 = d2 < CLAMP ? CLAMP : d2; // f32x4.pmax(d·log2e, −127)
  const t = f(d2 + MAGIC);
  f32[0] = t; i32[0] = i32[0] << 23; const s = f32[0];
  const n = f(t - MAGIC);
  const r = f(d2 - n);
  let p = f(f(C5 * r) + C4);
  p = f(f(p * r) + C3);
  p = f(f(p * r) + C2);
  p = f(f(p * r) + C1);
  return f(f(f(s * r) * p) + s);
}
const ulp = (v) => { f32[0] = v; const b = u32[0]; u32[0] = b + 1; return f32[0] - v; };
let maxUlp = 0, atUlp = 0, maxRel = 0, atRel = 0, maxK = 0, atK = 0, maxUlpNear0 = 0;
const lo = 0x80000000, hi = (() => { f32[0] = -87.3; return u32[0]; })();
for (let b = lo; b <= hi; b++) {
  u32[0] = b; const d = f32[0];
  const ref = Math.exp(d), y = expf(d);
  const e = Math.abs(y - ref);
  const u = ulp(f(ref)), eu = e / u;
  if (eu > maxUlp) { maxUlp = eu; atUlp = d; }
  if (d >= -1 && eu > maxUlpNear0) maxUlpNear0 = eu;
  const er = e / ref;
  if (er > maxRel) { maxRel = er; atRel = d; }
  if (e > 3 * u) { const k = (e - 3 * u) / (-d * ref); if (k > maxK) { maxK = k; atK = d; } }
}
console.log(`exp b2-p5 over [-87.3, 0], ${hi - lo + 1} float32 inputs: max error ${maxUlp.toFixed(3)} ulp (at x = ${atUlp}), ` +
  `${maxUlpNear0.toFixed(3)} ulp on [-1, 0], max relative error ${maxRel.toExponential(3)} (at x = ${atRel}); ` +
  `|e - exp(d)| <= 3 ulp + |d|·k·exp(d) holds with k = ${maxK.toExponential(3)} (${(maxK * 2 ** 24).toFixed(3)}·2^-24, tightest at x = ${atK})`);
