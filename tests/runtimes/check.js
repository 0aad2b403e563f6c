// Runs the golden selection (select.mjs) against an imported multimax-wasm in ANY runtime: no
// imports, plain ES2022, so Node.js, Deno, Bun, Chromium pages and workers, and workerd can all
// load it. Returns { total, pass, fail, failures, simd, relaxed, build, ms } for the runtime test to
// assert on (build: "relaxed", "simd" or "scalar", the build the engine runs).
//
//   import { check } from "./check.js";
//   const engine = await lib.init(...);
//   const report = check(lib, engine, cases);   // every case, twice: engine methods and top level

const NONFINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const num = (v) => (typeof v === 'number' ? v : NONFINITE[v]);

/** A backward or loss case (select.mjs selectGradCases): dx (or the loss's grad) against x_grad,
 *  per row within the golden bound; the losses too. */
function runGradCase(call, c) {
  const opts = { ...c.options, cols: c.cols };
  if (c.mask) opts.mask = Uint8Array.from(c.mask);
  const first = Float32Array.from(c.first, num), g = Float32Array.from(c.g);
  let r;
  try {
    r = c.loss ? call(c.fn, first, c.targets, { ...opts, grad: true, dLoss: g }) : call(c.fn, first, g, opts);
  } catch (e) {
    return `threw ${e && e.name}: ${e && e.message}`;
  }
  const dx = r instanceof Float32Array ? r : c.loss ? r && r.grad : r && r.dx;
  if (!(dx instanceof Float32Array) || dx.length !== c.ref.length) return `returned no Float32Array dx of length ${c.ref.length}`;
  for (let i = 0; i < dx.length; i++) {
    if (c.mask && c.mask[i] === 0 && dx[i] !== 0) return `masked element ${i}: dx ${dx[i]}, expected exactly 0`;
    const row = Math.floor(i / c.cols), err = Math.abs(dx[i] - c.ref[i]);
    if (!(err <= c.bounds[row])) return `dx element ${i}: ${dx[i]}, reference ${c.ref[i]}, |error| ${err.toExponential(2)} > ${c.bounds[row].toExponential(2)}`;
  }
  if (c.loss)
    for (let k = 0; k < c.loss.length; k++)
      if (!(Math.abs(r.loss[k] - c.loss[k]) <= c.lossTol[k])) return `loss of row ${k}: ${r.loss[k]}, reference ${c.loss[k]}`;
  return null;
}

/** A fused attention case (select.mjs selectAttentionCases): the output within the golden bound. */
function runAttnCase(call, c) {
  const t = (x) => ({ data: Float32Array.from(x.data), dims: x.dims });
  const opts = { ...c.options };
  if (opts.keyMask) opts.keyMask = Uint8Array.from(opts.keyMask);
  let r;
  try {
    r = call('attention', t(c.q), t(c.k), t(c.v), opts);
  } catch (e) {
    return `threw ${e && e.name}: ${e && e.message}`;
  }
  if (!r || !(r.data instanceof Float32Array) || r.data.length !== c.ref.length) return `returned no tensor-like of ${c.ref.length} values`;
  for (let i = 0; i < c.ref.length; i++)
    if (!(Math.abs(r.data[i] - c.ref[i]) <= c.bounds[i])) return `output element ${i}: ${r.data[i]}, reference ${c.ref[i]}`;
  return null;
}

/** One case on one callable; returns null (pass) or a short description of the worst miss. */
function runCase(call, c) {
  if (c.grad) return runGradCase(call, c);
  if (c.attn) return runAttnCase(call, c);
  const x = Float32Array.from(c.x);
  const opts = { ...c.options, cols: c.cols };
  if (c.mask) opts.mask = Uint8Array.from(c.mask);
  let y;
  try {
    y = call(c.fn, x, opts);
  } catch (e) {
    return `threw ${e && e.name}: ${e && e.message}`;
  }
  if (!(y instanceof Float32Array) || y.length !== c.ref.length) return `returned ${y && y.constructor && y.constructor.name} of length ${y && y.length}, expected Float32Array(${c.ref.length})`;
  let worst = null;
  for (let i = 0; i < y.length; i++) {
    const r = num(c.ref[i]);
    if (!Number.isFinite(r)) {
      if (!(Object.is(y[i], r) || (Number.isNaN(r) && Number.isNaN(y[i])))) return `element ${i}: ${y[i]}, expected ${r}`;
      continue;
    }
    if (c.mask && c.mask[i] === 0 && !(c.log ? y[i] === -Infinity : y[i] === 0)) return `masked element ${i}: ${y[i]}, expected exactly ${c.log ? '-Infinity' : '0'}`;
    const row = Math.floor(i / c.cols);
    let bound = c.log ? 1e-5 * (1 + Math.abs(r)) + 1e-6 * (c.tolScale ? num(c.tolScale[row]) : 0) : 1e-6 + 1e-5 * Math.abs(r);
    bound = Math.max(bound, c.floor);
    const err = Math.abs(y[i] - r);
    if (!(err <= bound) && (!worst || !(err / bound <= worst.ratio))) worst = { i, y: y[i], r, err, ratio: err / bound };
  }
  return worst && `element ${worst.i}: ${worst.y}, reference ${worst.r}, |error| ${worst.err.toExponential(2)} = ${worst.ratio.toFixed(2)} × bound`;
}

/**
 * Checks every case through the engine's methods and through the library's top-level functions
 * (bound to the same engine by the init that made it).
 */
export function check(lib, engine, cases) {
  const t0 = Date.now();
  const failures = [];
  let pass = 0;
  const callers = [
    ['engine', (fn, x, a, b, d) => engine[fn](x, a, b, d)],
    ['top-level', (fn, x, a, b, d) => lib[fn](x, a, b, d)],
  ];
  for (const [how, call] of callers) {
    for (const c of cases) {
      const miss = runCase(call, c);
      if (miss === null || miss === undefined) pass++;
      else failures.push(`${how} ${c.fn} ${c.id}: ${miss}`);
    }
  }
  const total = cases.length * callers.length;
  return { total, pass, fail: total - pass, failures: failures.slice(0, 20), simd: engine.simd, relaxed: engine.relaxed, build: buildOf(engine), ms: Date.now() - t0 };
}

/** Which build an engine runs: "relaxed" (relaxed SIMD), "simd" or "scalar". */
export function buildOf(engine) {
  return engine.relaxed ? 'relaxed' : engine.simd ? 'simd' : 'scalar';
}

/**
 * Runs check() once per way of loading: `loads` is [[name, () => Promise<Engine>], ...], each run
 * in turn (an init() makes its engine the one the top-level functions use). A load that throws is
 * reported as a failure, not thrown. Returns { [name]: report }.
 */
export async function checkLoads(lib, cases, loads) {
  const out = {};
  for (const [name, load] of loads) {
    let engine;
    try {
      engine = await load();
    } catch (e) {
      out[name] = { total: 0, pass: 0, fail: 1, failures: [`init threw ${e && e.name}: ${e && e.message}`], simd: null, relaxed: null, build: null, ms: 0 };
      continue;
    }
    out[name] = check(lib, engine, cases);
  }
  return out;
}

/** The input of the cold-start softmax call, and whether its output is right (to 1e-6). */
export const COLD_X = [1, 2, 3, -1];
export function coldOk(y) {
  const e = COLD_X.map((v) => Math.exp(v - 3)), s = e.reduce((a, b) => a + b, 0);
  return y instanceof Float32Array && y.length === e.length && e.every((v, i) => Math.abs(y[i] - v / s) <= 1e-6);
}
