// Fits 2^r ~ 1 + r*(c1 + r*(c2 + r*(c3 + r*(c4 + r*c5)))) on [-1/2, 1/2] in the minimax sense
// for the *relative* error (Lawson's iteratively reweighted least squares on a dense grid), then
// picks float32 coefficients (among the nearest ±2 ulps, the set with the smallest error) and
// prints their bit patterns. Reproduces the constants of the b2-p5 exp in assembly/math/exp.ts
// (about 20 s):  node tools/fit-exp.mjs
const A = -0.5, B = 0.5, DEG = 5, N = 4001;
const exp2 = (r) => 2 ** r;
const xs = Array.from({ length: N }, (_, i) => A + (B - A) * (0.5 - 0.5 * Math.cos(Math.PI * i / (N - 1))));
const basis = (r) => Array.from({ length: DEG }, (_, k) => r ** (k + 1) / exp2(r)); // relative error rows
const target = (r) => (exp2(r) - 1) / exp2(r);
function lsq(w) { // normal equations (DEG x DEG), solved by Gaussian elimination
  const M = Array.from({ length: DEG }, () => new Float64Array(DEG + 1));
  xs.forEach((r, i) => { const b = basis(r), t = target(r);
    for (let a = 0; a < DEG; a++) { for (let c = 0; c < DEG; c++) M[a][c] += w[i] * b[a] * b[c]; M[a][DEG] += w[i] * b[a] * t; } });
  for (let i = 0; i < DEG; i++) for (let k = 0; k < DEG; k++) if (k !== i) { const f = M[k][i] / M[i][i]; for (let j = 0; j <= DEG; j++) M[k][j] -= f * M[i][j]; }
  return M.map((row, i) => row[DEG] / row[i]);
}
const rel = (c, r) => { let s = c[DEG - 1]; for (let k = DEG - 2; k >= 0; k--) s = s * r + c[k]; const p = 1 + r * s; return (p - exp2(r)) / exp2(r); };
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
// Rounding each coefficient to nearest is not the best float32 set: search every combination of
// the nearest float32 ±2 ulps (5^5 sets) for the smallest maximum relative error.
const bits = cf.map(v => { f32[0] = v; return u32[0]; });
const fromBits = (b) => { u32[0] = b; return f32[0]; };
let best = cf, mBest = m32;
for (let k = 0; k < 5 ** DEG; k++) {
  const t = bits.map((b, j) => fromBits(b + (Math.floor(k / 5 ** j) % 5) - 2));
  let e = 0; for (const r of xs) { e = Math.max(e, Math.abs(rel(t, r))); if (e >= mBest) break; }
  if (e < mBest) { mBest = e; best = t; }
}
console.log(`max relative error: float64 coefficients ${m.toExponential(3)}, float32 rounded to nearest ${m32.toExponential(3)}, best float32 set ${mBest.toExponential(3)}`);
for (let k = 0; k < DEG; k++) { f32[0] = best[k]; console.log(`c${k + 1} = 0x${u32[0].toString(16).toUpperCase()} // ${f32[0].toPrecision(9)}  (nearest ${cf[k] === best[k] ? 'same' : '0x' + bits[k].toString(16).toUpperCase()})`); }
