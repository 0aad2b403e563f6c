// Plain-JS implementations a user would write instead of using a library: tight loops over
// Float32Arrays, float64 accumulators, written from the papers. They are benchmark competitors
// (and checked for accuracy there), not references: tests/reference.mjs holds those.

/** softmax, three loops per row (max; exp + float64 sum with Math.exp; scale). */
export function jsSoftmax(x, out, rows, cols) {
  for (let r = 0; r < rows; r++) {
    const o = r * cols, e = o + cols;
    let m = -Infinity;
    for (let i = o; i < e; i++) { const v = x[i]; if (v > m) m = v; }
    let s = 0;
    for (let i = o; i < e; i++) { const v = Math.exp(x[i] - m); out[i] = v; s += v; }
    const inv = 1 / s;
    for (let i = o; i < e; i++) out[i] *= inv;
  }
}

/** MultiMax, second order, from the raw parameters (ranges[4], ts[4]):
 *  z = x + ts0·relu(r0 − x) + ts1·relu(x − r1) + ts2·relu(r2 − x)² + ts3·relu(x − r3)², then
 *  softmax(z); the modulator is fused into the max loop, z kept in out. */
export function jsMultimax(x, out, rows, cols, { ranges, ts }) {
  const [r0, r1, r2, r3] = ranges, [t0, t1, t2, t3] = ts;
  for (let r = 0; r < rows; r++) {
    const o = r * cols, e = o + cols;
    let m = -Infinity;
    for (let i = o; i < e; i++) {
      const v = x[i];
      const a = r0 - v > 0 ? r0 - v : 0, b = v - r1 > 0 ? v - r1 : 0;
      const c = r2 - v > 0 ? r2 - v : 0, d = v - r3 > 0 ? v - r3 : 0;
      const z = v + t0 * a + t1 * b + t2 * c * c + t3 * d * d;
      out[i] = z;
      if (z > m) m = z;
    }
    let s = 0;
    for (let i = o; i < e; i++) { const v = Math.exp(out[i] - m); out[i] = v; s += v; }
    const inv = 1 / s;
    for (let i = o; i < e; i++) out[i] *= inv;
  }
}

/** sparsemax (Martins & Astudillo 2016, Algorithm 1), sort-based: sort z descending,
 *  k = max{k : 1 + k·z₍ₖ₎ > Σ_{j≤k} z₍ⱼ₎}, τ = (Σ_{j≤k} z₍ⱼ₎ − 1)/k, y = max(z − τ, 0).
 *  scratch: a Float64Array of at least cols entries. */
export function jsSparsemax(x, out, rows, cols, scratch) {
  const srt = scratch.subarray(0, cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) srt[i] = x[o + i];
    srt.sort(); // ascending: walk it from the end
    let cum = 0, k = 0, cumK = 0;
    for (let j = 1; j <= cols; j++) {
      const z = srt[cols - j];
      cum += z;
      if (1 + j * z > cum) { k = j; cumK = cum; }
    }
    const tau = (cumK - 1) / k;
    for (let i = o, e = o + cols; i < e; i++) { const v = x[i] - tau; out[i] = v > 0 ? v : 0; }
  }
}

/** 1.5-entmax (Peters, Niculae & Martins 2019, Algorithm 2, as the entmax package's exact
 *  entmax15): z = x/2 − max(x/2), sorted descending; for each k, with mean and mean of squares of the
 *  top k, τₖ = mean − sqrt(max((1 − k·(meanSq − mean²))/k, 0)); the support is the number of k with
 *  τₖ ≤ z₍ₖ₎, τ = τ at the support size, y = max(z − τ, 0)². scratch: a Float64Array of ≥ cols. */
export function jsEntmax15(x, out, rows, cols, scratch) {
  const srt = scratch.subarray(0, cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let i = o, e = o + cols; i < e; i++) if (x[i] > m) m = x[i];
    const half = m / 2;
    for (let i = 0; i < cols; i++) srt[i] = x[o + i] / 2 - half;
    srt.sort();
    const tauAt = (k, s1, s2) => { // τₖ from the sums of the top k values and of their squares
      const mean = s1 / k, delta = (1 - k * (s2 / k - mean * mean)) / k;
      return mean - Math.sqrt(delta > 0 ? delta : 0);
    };
    let s1 = 0, s2 = 0, support = 0;
    for (let k = 1; k <= cols; k++) {
      const z = srt[cols - k];
      s1 += z; s2 += z * z;
      if (tauAt(k, s1, s2) <= z) support++;
    }
    s1 = 0; s2 = 0; // τ at the support size, as the package takes it (tau[support − 1])
    for (let k = 1; k <= support; k++) { const z = srt[cols - k]; s1 += z; s2 += z * z; }
    const tauStar = tauAt(support, s1, s2);
    for (let i = o, e = o + cols; i < e; i++) { const v = x[i] / 2 - half - tauStar; out[i] = v > 0 ? v * v : 0; }
  }
}
