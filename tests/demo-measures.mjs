// Node.js's side of tests/demo-web.test.mjs: the measures under the demo page's heatmaps, written
// again from their definition (docs/demo.md), and the attention weights they are measured on,
// computed by the library in Node.js from the page's own inputs.
//   measure(w, L, causal): exact zeros and weights < 1e-3 among the entries a query may see;
//     modes = maximal runs of one value v > 1/(2·L) whose neighbours (where they exist) are < v.
//   nodeMeasures(engine, c): the four normalisers' measures for an attentionCase() of the page.
// Run as a script (node [--experimental-wasm-relaxed-simd] tests/demo-measures.mjs), it reads a
// JSON array of cases on stdin and prints their measures on the relaxed-SIMD build: the test's
// way to the page's default build from a Node.js that has relaxed SIMD only under a flag.
import { pathToFileURL } from "node:url";

export const NORMALIZERS = ["softmax", "sparsemax", "entmax15", "multimax"];

export function measure(w, L, causal) {
  const m = { rows: L, total: 0, zeros: 0, small: 0, modes: 0 };
  for (let i = 0; i < L; i++) {
    const row = Array.from(w.subarray(i * L, (i + 1) * L));
    row.forEach((x, j) => {
      if (causal && j > i) return;
      m.total++;
      if (x === 0) m.zeros++;
      if (x < 1e-3) m.small++;
    });
    let j = 0;
    while (j < L) {
      let e = j;
      while (e + 1 < L && row[e + 1] === row[j]) e++;
      const left = j === 0 || row[j - 1] < row[j], right = e === L - 1 || row[e + 1] < row[j];
      if (row[j] > 1 / (2 * L) && left && right) m.modes++;
      j = e + 1;
    }
  }
  return m;
}

export function nodeMeasures(engine, c) {
  const out = {};
  for (const n of NORMALIZERS) {
    const w = new Float32Array(c.L * c.L);
    engine.attention({ data: Float32Array.from(c.q), dims: [c.L, c.D] }, { data: Float32Array.from(c.k), dims: [c.L, c.D] },
      { data: Float32Array.from(c.v), dims: [c.L, 1] }, { normalizer: n, causal: c.causal, weightsOut: w, ...(n === "multimax" ? { params: c.params } : {}) });
    out[n] = measure(w, c.L, c.causal);
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { init } = await import("../dist/index.js");
  const engine = await init({ relaxed: true });
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  process.stdout.write(JSON.stringify(JSON.parse(input).map((c) => nodeMeasures(engine, c))));
}
