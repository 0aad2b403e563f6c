// The paper's two axes, measured on attention weights (rows = queries, Lk columns = keys):
//   sparsity: exact zeros, and weights below 1e-3, among the entries a query may see (a causal
//     mask's hidden entries are left out: they are zero by construction, not by the normaliser);
//   multi-modality: modes per row, a mode being a local maximum above 1/(2·Lk) of the row read in
//     key order, a run of equal weights counting once: a maximal run w[s..e] of one value
//     v > 1/(2·Lk) whose neighbours w[s−1] and w[e+1] (where they exist) are both below v.

export interface Metrics { rows: number; total: number; zeros: number; small: number; modes: number }

/** visible(i, j): whether query i may see key j. */
export function measure(w: Float32Array, rows: number, cols: number, visible: (i: number, j: number) => boolean): Metrics {
  const m: Metrics = { rows, total: 0, zeros: 0, small: 0, modes: 0 };
  const floor = 1 / (2 * cols);
  for (let i = 0; i < rows; i++) {
    const r = w.subarray(i * cols, (i + 1) * cols);
    for (let j = 0; j < cols; j++) {
      if (!visible(i, j)) continue;
      m.total++;
      if (r[j] === 0) m.zeros++;
      if (r[j] < 1e-3) m.small++;
    }
    for (let s = 0; s < cols; ) {
      let e = s;
      while (e + 1 < cols && r[e + 1] === r[s]) e++;
      if (r[s] > floor && (s === 0 || r[s - 1] < r[s]) && (e === cols - 1 || r[e + 1] < r[s])) m.modes++;
      s = e + 1;
    }
  }
  return m;
}

const pct = (n: number, d: number) => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)}%`);

/** The caption's lines: sparsity, then multi-modality. */
export const describe = (m: Metrics): [string, string] =>
  [`zeros ${pct(m.zeros, m.total)} · below 10⁻³ ${pct(m.small, m.total)}`, `modes per row ${(m.modes / m.rows).toFixed(2)}`];
