// Fits exp(r) ~ 1 + r*(c1 + r*(c2 + r*(c3 + r*(c4 + r*c5)))) on [-ln2/2, ln2/2] in the minimax sense
// for the *relative* error (Lawson's iteratively reweighted least squares on a dense grid), then
// rounds the coefficients to float32 and prints their bit patterns. Reproduces the constants in
// assembly/kernels/exp.ts:  node tools/fit-exp.mjs
const A = -Math.LN2 / 2, B = Math.LN2 / 2, DEG = 5, N = 4001;
const xs = Array.from({ length: N }, (_, i) => A + (B - A) * (0.5 - 0.5 * Math.cos(Math.PI * i / (N - 1))));
const basis = (r) => Array.from({ length: DEG }, (_, k) => r ** (k + 1) / Math.exp(r)); // relative error rows
const target = (r) => (Math.exp(r) - 1) / Math.exp(r);
function lsq(w) { // normal equations (DEG x DEG), solved by Gaussian elimination
  const M = Array.from({ length: DEG }, () => new Float64Array(DEG + 1));
  xs.forEach((r, i) => { const b = basis(r), t = target(r);
    for (let a = 0; a < DEG; a++) { for (let c = 0; c < DEG; c++) M[a][c] += w[i] * b[a] * b[c]; M[a][DEG] += w[i] * b[a] * t; } });
  for (let i = 0; i < DEG; i++) for (let k = 0; k < DEG; k++) if (k !== i) { const f = M[k][i] / M[i][i]; for (let j = 0; j <= DEG; j++) M[k][j] -= f * M[i][j]; }
  return M.map((row, i) => row[DEG] / row[i]);
}
const rel = (c, r) => { let s = c[DEG - 1]; for (let k = DEG - 2; k >= 0; k--) s = s * r + c[k]; const p = 1 + r * s; return (p - Math.exp(r)) / Math.exp(r); };
let w = new Float64Array(N).fill(1 / N), c;
for (let it = 0; it < 3000; it++) {
  c = lsq(w);
  const e = xs.map(r => Math.abs(rel(c, r)));
  let s = 0; for (let i = 0; i < N; i++) { w[i] *= e[i]; s += w[i]; }
  for (let i = 0; i < N; i++) w[i] /= s;
}
let m = 0; for (const r of xs) m = Math.max(m, Math.abs(rel(c, r)));
const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const cf = c.map(v => Math.fround(v));
let m32 = 0; for (const r of xs) m32 = Math.max(m32, Math.abs(rel(cf, r)));
console.log(`max relative error: float64 coefficients ${m.toExponential(3)}, float32-rounded ${m32.toExponential(3)}`);
for (let k = 0; k < DEG; k++) { f32[0] = c[k]; console.log(`c${k + 1} = 0x${u32[0].toString(16).toUpperCase()} // ${f32[0].toPrecision(9)}`); }
