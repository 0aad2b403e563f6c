// multimax-wasm demo (npm start): what MultiMax does that softmax cannot, the sparse baselines on
// the same row, a gradient of MultiMax's parameters, then a throughput line.
//
// Softmax has one knob, the temperature, and it acts on every entry at once: a low temperature
// silences the small entries but also tilts the two close large entries towards one winner; a
// high temperature keeps both large entries but leaks mass to the small ones. MultiMax (Zhou et
// al., ICML 2024) first passes the scores through a piece-wise linear modulator φ, so it can push
// the small entries down without touching the large ones: sparse AND multi-modal.
import { init } from "../dist/index.js";

const mm = await init();

// Paper form, one order: below b the slope is t_b, above d it is t_d, in between φ(x) = x.
const paper = { tb: 10, b: 0, td: 1.5, d: 2 };
const params = mm.multimaxParams({ orders: [paper] });
// The "large_ts" parameter set of the reference data (checkpoint form), for comparison.
const largeTs = mm.multimaxParams({ ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] });

const rows = [
  { name: "three scores", x: [1, 0.9, -1] },
  { name: "three scores, wider", x: [2, 1.9, -3] },
  { name: "attention row: two close large, four middle, four small", x: [3.0, 2.9, 1.2, 1.0, 0.6, 0.2, -0.5, -1.0, -1.8, -2.5] },
];
const temps = [0.2, 0.5, 1, 2];

const f4 = (v) => v.toFixed(4);
const W = 7, L = 18;
const line = (label, y, x) => {
  const neg = y.reduce((s, v, i) => (x[i] < 0 ? s + v : s), 0);
  return `  ${label.padEnd(L)}${Array.from(y, (v) => f4(v).padStart(W)).join("")}${f4(y[1] / y[0]).padStart(9)}${f4(neg).padStart(8)}`;
};

console.log(`multimax-wasm demo — wasm ${mm.relaxed ? "relaxed-SIMD (fused multiply-add)" : mm.simd ? "SIMD" : "scalar"} engine, Node ${process.version}`);
console.log(`MultiMax params (paper form): b = ${paper.b}, t_b = ${paper.tb}: entries below ${paper.b} are pushed down (φ(x) = ${paper.tb}·x);`);
console.log(`  d = ${paper.d}, t_d = ${paper.td}: entries above ${paper.d} are pushed up (φ(x) = ${paper.d} + ${paper.td}·(x − ${paper.d})); in between φ(x) = x.`);
console.log(`  ("2nd/1st": 1 = the two large entries tie; "mass<0": probability left on the negative scores)`);

let last = null; // MultiMax on the attention row, quoted in the summary below
for (const { name, x } of rows) {
  const xf = Float32Array.from(x);
  console.log(`\n${name}:`);
  console.log(`  ${"x".padEnd(L)}${x.map((v) => v.toFixed(2).padStart(W)).join("")}${"2nd/1st".padStart(9)}${"mass<0".padStart(8)}`);
  for (const t of temps) console.log(line(`softmax T=${t}`, mm.softmax(xf, { temperature: t }), x));
  last = mm.multimax(xf, { params });
  console.log(line("MultiMax", last, x));
  console.log(line("MultiMax large_ts", mm.multimax(xf, { params: largeTs }), x));
}

console.log(`\nSoftmax has to choose: T=0.2 zeroes the small scores but splits the near-tie ~0.62/0.38;`);
console.log(`T>=1 keeps the tie but leaves mass on the negative scores. MultiMax does both: on the 3-score`);
console.log(`rows it keeps the T=1 split and gives the negative score 0.0000; on the attention row it keeps`);
console.log(`the pair close (2nd/1st ${f4(last[1] / last[0])}) and the middle scores, with ${f4(last.reduce((s, v, i) => (rows[2].x[i] < 0 ? s + v : s), 0))} left on the negatives.`);
console.log(`(large_ts, a checkpoint-form set from the reference data, boosts the top entry on these inputs instead.)`);

// The sparse baselines of the paper on the same attention row: exact zeros, but no control over
// which entries survive other than one threshold for the whole row.
{
  const x = rows[2].x, xf = Float32Array.from(x), support = new Int32Array(1);
  console.log(`\nthe baselines MultiMax is compared with, on the attention row ([k] = nonzero outputs):`);
  console.log(`  ${"x".padEnd(L)}${x.map((v) => v.toFixed(2).padStart(W)).join("")}${"2nd/1st".padStart(9)}${"mass<0".padStart(8)}`);
  for (const [label, f] of [
    ["sparsemax", (o) => mm.sparsemax(xf, o)],
    ["entmax15", (o) => mm.entmax15(xf, o)],
    ["entmax a=1.25", (o) => mm.entmax(xf, { ...o, alpha: 1.25 })],
    ["normmax a=2", (o) => mm.normmax(xf, { ...o, alpha: 2 })],
    ["evSoftmax", (o) => mm.evSoftmax(xf, o)],
  ]) {
    const y = f({ support });
    console.log(line(`${label} [${support[0]}]`, y, x));
  }
}

// MultiMax is learned: its backward pass gives the gradient of a loss with respect to φ's
// parameters. Here: the cross-entropy of the top entry of the attention row, and which way each
// parameter should move (examples/fit-multimax.mjs fits them with Adam on a toy attention task).
{
  const x = Float32Array.from(rows[2].x);
  const { loss, dParams } = mm.crossEntropy(x, [0], { normalizer: "multimax", params: { orders: [paper] }, grad: true });
  const d = dParams.orders[0], g = (v) => (Math.abs(v) < 5e-5 ? 0 : v).toFixed(4);
  console.log(`\ntraining: crossEntropy of the top entry under MultiMax: loss ${loss[0].toFixed(4)}; gradient of the`);
  console.log(`  parameters: d/dt_b ${g(d.tb)}, d/db ${g(d.b)}, d/dt_d ${g(d.td)}, d/dd ${g(d.d)}`);
  console.log(`  (node examples/fit-multimax.mjs fits MultiMax, softmax, sparsemax and entmax-1.5 by gradient descent)`);
}

// Throughput: zero-copy views (no copies in or out), median of a few timed runs.
const rowsN = 256, cols = 1024, n = rowsN * cols;
let xv = mm.alloc(n), ov = mm.alloc(n);
xv = mm.refresh(xv); // the second alloc may have grown the memory and detached the first view
let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
for (let i = 0; i < n; i++) xv[i] = 4 * (rand() + rand() + rand() - 1.5); // roughly N(0, 2^2)
// softmax and multimax timed alternately (so a busy moment hits both), 20 calls per sample
const sOpts = { cols, out: ov }, mOpts = { cols, out: ov, params };
const sample = (call, opts, reps) => {
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < reps; i++) { call(xv, opts); sink += ov[i * 997]; } // consume the output
  if (!(sink > 0)) throw new Error("unexpected output");
  return Number(process.hrtime.bigint() - t0) / (reps * n);
};
const softmaxCall = (x, o) => mm.softmax(x, o), multimaxCall = (x, o) => mm.multimax(x, o);
// warm-up (~0.2 s: lets V8 finish optimising the wasm, which it does on a background thread)
for (const t0 = performance.now(); performance.now() - t0 < 200; ) { sample(softmaxCall, sOpts, 5); sample(multimaxCall, mOpts, 5); }
const ts = [], tm = [];
for (let k = 0; k < 7; k++) { ts.push(sample(softmaxCall, sOpts, 20)); tm.push(sample(multimaxCall, mOpts, 20)); }
const median = (a) => a.sort((p, q) => p - q)[a.length >> 1];
const sm = median(ts), mx = median(tm);
const rate = (ns) => `${(1e3 / ns).toFixed(0)} M elements/s`;
console.log(`\nthroughput, ${rowsN}x${cols} batch, zero-copy (median of 7): softmax ${sm.toFixed(2)} ns/element (${rate(sm)}),`);
console.log(`  multimax (params above) ${mx.toFixed(2)} ns/element (${rate(mx)})`);
mm.free(xv);
mm.free(ov);
