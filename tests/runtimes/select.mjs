// The fixed selection of golden cases that every runtime test runs (Node.js only: it reads the
// checked-in copy tests/golden/*.json.gz through ../golden.mjs and writes plain JSON that check.js,
// in any runtime, can use).
//
// Per function: the first cases of the file, every masked case whose reference is defined
// (upstream gives NaN on all-masked rows: those cases are left to tests/*conformance*), every
// 1×32000 case, and at most PER_FILE cases in all (the big ones always included). The tolerance of
// each case is computed here, from the golden README ("Tolerances a float32 implementation should
// meet"), so that check.js compares numbers only.
import { loadGolden } from '../golden.mjs';

const PER_FILE = 8;
const ILL = 10; // f32_ill_conditioned: max(bound, 10 × torch's own float32 error)

/** [golden file, API function, option name or null, whether log-probabilities] */
const FILES = [
  ['softmax', 'softmax', 'temperature', false],
  ['log_softmax', 'logSoftmax', null, true],
  ['multimax', 'multimax', 'params', false],
  ['log_multimax', 'logMultimax', 'params', true],
  ['sparsemax', 'sparsemax', null, false],
  ['entmax15', 'entmax15', null, false],
  ['entmax_bisect', 'entmax', 'alpha', false],
  ['normmax_bisect', 'normmax', 'alpha', false],
  ['evsoftmax', 'evSoftmax', 'training', false],
];

function options(opt, c) {
  if (opt === 'temperature') return { temperature: c.params.T };
  if (opt === 'params') return { params: { ranges: c.params.ranges, ts: c.params.ts } };
  if (opt === 'alpha') return { alpha: c.params.alpha };
  if (opt === 'training') return { training: c.params.training };
  return {};
}

/** Returns the selection: [{ id, fn, log, cols, x, mask?, options, ref, tolScale?, floor }]. */
export function selectCases() {
  const out = [];
  for (const [file, fn, opt, log] of FILES) {
    const cases = loadGolden(file).cases.filter((c) => !c.upstream_nan && c.output);
    const big = cases.filter((c) => c.shape[1] >= 32000);
    const masked = cases.filter((c) => c.mask && c.shape[1] < 32000);
    const rest = cases.filter((c) => !c.mask && c.shape[1] < 32000);
    const picked = [...big, ...masked.slice(0, 3)];
    for (const c of rest) if (picked.length < PER_FILE) picked.push(c);
    for (const c of picked) {
      out.push({
        id: `${file}:${c.id}`, fn, log,
        cols: c.shape[c.shape.length - 1],
        x: c.x, // float32-exact numbers
        mask: c.mask ? c.mask.map((excluded) => (excluded ? 0 : 1)) : undefined, // library: 1 = keep
        options: options(opt, c),
        ref: c.output, // numbers, or "NaN" / "Infinity" / "-Infinity"
        tolScale: c.tol_scale,
        floor: c.f32_ill_conditioned ? ILL * c.torch_f32.output_max_abs_err : 0,
      });
    }
  }
  return out;
}

/** Backward passes and a loss: [golden file, API function, option name or null, first argument]
 *  (first argument: the golden forward output y, the input x (MultiMax), or "loss"). The
 *  reference output stands in for the library's forward, so that a case tests one function. */
const GRAD_FILES = [
  ['softmax', 'softmaxBackward', 'temperature', 'y'],
  ['log_softmax', 'logSoftmaxBackward', null, 'y'],
  ['multimax', 'multimaxBackward', 'params', 'x'],
  ['log_multimax', 'logMultimaxBackward', 'params', 'x'],
  ['sparsemax', 'sparsemaxBackward', null, 'y'],
  ['entmax15', 'entmax15Backward', null, 'y'],
  ['entmax_bisect', 'entmaxBackward', 'alpha', 'y'],
  ['normmax_bisect', 'normmaxBackward', 'alpha', 'y'],
  ['evsoftmax', 'evSoftmaxBackward', 'training', 'y'],
  ['sparsemax_loss', 'sparsemaxLoss', null, 'loss'],
];
const GRAD_PER_FILE = 3;

/** Per row of `cols`: the golden x_grad bound's scale, 1e-6·max|g[row]| + 1e-5·max|ref[row]|. */
function gradBounds(g, ref, rows, cols, gPerRow) {
  const b = [];
  for (let r = 0; r < rows; r++) {
    let mg = 0, mr = 0;
    for (let j = 0; j < cols; j++) {
      mr = Math.max(mr, Math.abs(ref[r * cols + j]));
      if (!gPerRow) mg = Math.max(mg, Math.abs(g[r * cols + j]));
    }
    if (gPerRow) mg = Math.abs(g[r]);
    b.push(1e-6 * mg + 1e-5 * mr);
  }
  return b;
}

/** The backward and loss cases: [{ id, fn, grad: true, first, cols, g, targets?, mask?, options,
 *  ref (x_grad), bounds (per row), loss?, lossTol? }]. */
export function selectGradCases() {
  const out = [];
  for (const [file, fn, opt, first] of GRAD_FILES) {
    // rows of 8 to 1000 values: a masked case when there is one, then cases spread over the file
    // (other parameter sets, sizes and input kinds)
    const usable = loadGolden(file).cases.filter((c) => !c.upstream_nan && c.output && c.x_grad && !c.f32_ill_conditioned && c.shape[c.shape.length - 1] >= 8 && c.shape[c.shape.length - 1] < 32000);
    const masked = usable.filter((c) => c.mask), rest = usable.filter((c) => !c.mask);
    const picked = masked.slice(0, 1);
    for (let k = 0; picked.length < GRAD_PER_FILE && k < rest.length; k++) picked.push(rest[Math.floor((k * rest.length) / (GRAD_PER_FILE - 1 + (masked.length ? 0 : 1)))] ?? rest[k]);
    for (const c of picked) {
      const cols = c.shape[c.shape.length - 1], rows = c.x.length / cols, loss = first === 'loss';
      out.push({
        id: `${file}:${c.id}`, fn, grad: true, cols,
        first: first === 'y' ? c.output : c.x, // numbers, or "-Infinity" (masked log-probabilities)
        g: c.g, targets: c.targets,
        mask: c.mask ? c.mask.map((excluded) => (excluded ? 0 : 1)) : undefined,
        options: options(opt, c),
        ref: c.x_grad,
        bounds: gradBounds(c.g, c.x_grad, rows, cols, loss),
        loss: loss ? c.output : undefined,
        lossTol: loss ? c.output.map((l, r) => 1e-5 * (1 + Math.abs(l)) + 1e-6 * c.tol_scale[r]) : undefined,
      });
    }
  }
  return out;
}

/** Fused attention cases of attention.json (small input sets, one per normaliser and mask kind):
 *  [{ id, fn: "attention", attn: true, q, k, v (tensor-likes as plain arrays), options, ref
 *  (output), bounds (per element, the golden README's output tolerance) }]. */
const ATTN_IDS = [
  'softmax/default/2x3x7x7x8x8/normal/padding', 'multimax/per_head_random/1x4x16x16x16x16/normal/causal',
  'sparsemax/default/2x2x5x9x8x3/normal/padding_causal', 'entmax15/default/2x2x3x4x4x4/normal/padding_all',
  'entmax_bisect/default/2x3x7x7x8x8/peaky_q8/none', 'multimax/shared_random/2x2x5x9x8x3/normal/padding_causal/scale=0.30000001192092896',
];
export function selectAttentionCases() {
  const g = loadGolden('attention'), out = [];
  for (const id of ATTN_IDS) {
    const c = g.cases.find((x) => x.id === id);
    if (!c) throw new Error(`select.mjs: no attention case ${id}`);
    const { B, H, Lq, Lk, D, Dv } = c.shape, inp = g.inputs[c.input], p = c.params;
    const options = { normalizer: c.normalizer === 'entmax_bisect' ? 'entmax' : c.normalizer, causal: !!p.causal };
    if (c.normalizer === 'entmax_bisect') options.alpha = 1.5;
    if (!p.scale_is_default) options.scale = p.scale;
    if (c.key_mask) options.keyMask = c.key_mask.map((excluded) => (excluded ? 0 : 1));
    if (c.normalizer === 'multimax')
      options.params = p.per_head ? Array.from({ length: H }, (_, h) => ({ ranges: p.ranges.slice(4 * h, 4 * h + 4), ts: p.ts.slice(4 * h, 4 * h + 4) })) : { ranges: p.ranges, ts: p.ts };
    out.push({
      id: `attention:${c.id}`, fn: 'attention', attn: true,
      q: { data: inp.q, dims: [B, H, Lq, D] }, k: { data: inp.k, dims: [B, H, Lk, D] }, v: { data: inp.v, dims: [B, H, Lk, Dv] },
      options, ref: c.output, bounds: c.output.map((_, i) => 1e-6 + 1e-5 * c.tol_scale.output[Math.floor(i / (Lq * Dv))]),
    });
  }
  return out;
}

/** The selection as JSON text (for pages, workers and workerd). */
export const selectionJson = () => JSON.stringify([...selectCases(), ...selectGradCases(), ...selectAttentionCases()]);
