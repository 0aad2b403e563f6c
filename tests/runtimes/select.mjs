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

/** The selection as JSON text (for pages, workers and workerd). */
export const selectionJson = () => JSON.stringify(selectCases());
