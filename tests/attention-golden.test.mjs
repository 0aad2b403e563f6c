// Conformance of fused attention (mm.attention, mm.attentionBackward) against the float64 golden
// reference tests/golden/attention.json.gz (tests/golden/README.md; in full, the upstream golden
// README's section "Fused attention: attention.json"): all 82 cases, 12 shared input sets, every
// normaliser of the file.
//
// Run: node scripts/build.mjs && node --test tests/attention-golden.test.mjs
// The build init() picks by default; MULTIMAX_BUILD=relaxed asks for the relaxed-SIMD build
// (init({ relaxed: true }), no silent fallback), MULTIMAX_BUILD=simd for the plain SIMD build and
// MULTIMAX_BUILD=scalar for the scalar build. Run without MULTIMAX_BUILD, the file also runs itself
// in child processes for the relaxed-SIMD build (with --experimental-wasm-relaxed-simd where Node.js
// needs it; skipped, and said why, where it has none) and for the scalar build.
//
// Each case is called as a user would:
//   out = mm.attention(q, k, v, opts)                       (opts.weightsOut when the case has `weights`)
//   { dq, dk, dv, dParams } = mm.attentionBackward(q, k, v, { data: g, dims }, opts)  (cases with q_grad)
// with q, k, v, g the case's input set (`inputs[case.input]`, float32-exact) and opts:
//   normalizer  softmax -> "softmax", multimax -> "multimax", sparsemax -> "sparsemax",
//               entmax15 -> "entmax15", entmax_bisect -> "entmax" with alpha = params.alpha (1.5);
//   scale       params.scale only when !params.scale_is_default (else the default 1/sqrt(D));
//   keyMask     toLibMask(key_mask) (golden true = excluded; library 1 = keep), when the case has one;
//   causal      params.causal (bottom-right aligned: query i sees key j iff j <= i + Lk - Lq);
//   params      multimax: { ranges, ts } (shared), or an array of H { ranges, ts } (per_head: row h
//               of the [H,4] arrays); dParams is then one { ranges, ts }, or an array of H.
// Tolerances, exactly those of the README ("Tolerances"; upstream "Tolerances for attention"), element-wise:
//   weights   |p - ref| <= 1e-6 + 1e-5·|ref|
//   output    |o - ref| <= 1e-6 + 1e-5·tol_scale.output[b·H + h]
//   q/k/v_grad|d - ref| <= 1e-6·tol_scale.grad[b·H + h] + 1e-5·max|ref over that (b, h) slice|
//   ranges_grad, ts_grad  |d_k - ref_k| <= 1e-4·grad_scale_k + 1e-12 (ranges_grad_scale /
//             ts_grad_scale, per head when per_head)
// and exactly: excluded (key_mask / causal) weights are 0; fully masked rows (fully_masked_rows)
// have output 0, weights 0 and q_grad 0. No case is f32_ill_conditioned (asserted): no extra
// allowance exists here. Also checked: result types and dims, q/k/v/g left unmodified, dParams null
// for the normalisers without parameters. Reported, not failed: sparse-support (nnz) differences and
// whether zero-parameter MultiMax is bitwise softmax.
//
// The harness checks itself first: the float64 reference of tests/attention.test.mjs (attentionRef,
// attentionBackwardRef) must pass every case, and a result perturbed by twice the bound in one
// element of one field must be caught in exactly that field.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadGolden, decodeArray, toLibMask } from './golden.mjs';

const api = await import('../dist/index.js');
const BUILD = process.env.MULTIMAX_BUILD;
const mm = await api.init(BUILD === 'relaxed' ? { relaxed: true } : BUILD === 'simd' ? { relaxed: false } : BUILD === 'scalar' ? { simd: false } : undefined);
if (BUILD === 'relaxed') assert.equal(mm.relaxed, true, 'MULTIMAX_BUILD=relaxed: the relaxed build is not loaded');
if (BUILD === 'scalar') assert.equal(mm.simd, false, 'MULTIMAX_BUILD=scalar: the scalar build is not loaded');
const buildName = mm.relaxed ? 'relaxed SIMD' : mm.simd ? 'SIMD' : 'scalar';

// The float64 reference (tests/attention.test.mjs registers no tests when imported so).
process.env.MULTIMAX_ATTENTION_REFERENCE_ONLY = '1';
const { attentionRef, attentionBackwardRef } = await import('./attention.test.mjs');
delete process.env.MULTIMAX_ATTENTION_REFERENCE_ONLY;

const golden = loadGolden('attention');

// ---- tolerances (README "Tolerances for attention") ---------------------------------------------
const weightBound = (ref) => 1e-6 + 1e-5 * Math.abs(ref);
const outputBound = (tolOut) => 1e-6 + 1e-5 * tolOut;
const gradBound = (tolGrad, maxRefSlice) => 1e-6 * tolGrad + 1e-5 * maxRefSlice;
const paramBound = (scale) => 1e-4 * scale + 1e-12;
const MAX_LISTED = 30;

const NAME = { softmax: 'softmax', multimax: 'multimax', sparsemax: 'sparsemax', entmax15: 'entmax15', entmax_bisect: 'entmax' };
const FIELDS = ['output', 'weights', 'weights (excluded = 0)', 'fully masked rows (= 0)', 'q_grad', 'k_grad', 'v_grad', 'ranges_grad', 'ts_grad'];

const fmt = (v) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toPrecision(9));
const fmtRatio = (r) => (Number.isFinite(r) ? r.toFixed(3) : String(r));
const firstFrame = (err) => { const l = String(err?.stack ?? '').split('\n').find((s) => /^\s+at /.test(s)); return l ? ` (${l.trim()})` : ''; };

// ---- inputs: one Float32Array each per input set (float32-exact in the file) ---------------------
const inputCache = new Map();
function inputsOf(id) {
  let r = inputCache.get(id);
  if (r) return r;
  const src = golden.inputs[id];
  assert.ok(src, `input set ${id} missing`);
  const { B, H, Lq, Lk, D, Dv } = src.shape;
  const f32 = (name, n) => {
    const a = decodeArray(src[name]);
    assert.equal(a.length, n, `${id}: ${name} has ${a.length} numbers, expected ${n}`);
    const f = Float32Array.from(a);
    for (let i = 0; i < n; i++) if (f[i] !== a[i]) assert.fail(`${id}: ${name}[${i}] = ${a[i]} is not float32-exact`);
    return f;
  };
  r = {
    shape: src.shape,
    q: f32('q', B * H * Lq * D), k: f32('k', B * H * Lk * D), v: f32('v', B * H * Lk * Dv),
    g: src.g ? f32('g', B * H * Lq * Dv) : null,
  };
  inputCache.set(id, r);
  return r;
}

/** The library options of a case (see the header). */
function optionsOf(c) {
  const p = c.params, { H } = c.shape, o = { normalizer: NAME[c.normalizer] };
  assert.ok(o.normalizer, `${c.id}: unknown normalizer ${c.normalizer}`);
  if (c.normalizer === 'entmax_bisect') { assert.equal(p.alpha, 1.5, `${c.id}: alpha`); o.alpha = p.alpha; }
  if (!p.scale_is_default) o.scale = p.scale;
  if (c.key_mask) o.keyMask = toLibMask(c.key_mask);
  o.causal = p.causal === true;
  if (c.normalizer === 'multimax') {
    if (p.per_head) {
      assert.equal(p.ranges.length, 4 * H, `${c.id}: per-head ranges`);
      o.params = Array.from({ length: H }, (_, h) => ({ ranges: p.ranges.slice(4 * h, 4 * h + 4), ts: p.ts.slice(4 * h, 4 * h + 4) }));
    } else o.params = { ranges: p.ranges.slice(), ts: p.ts.slice() };
  }
  return o;
}

/** excluded(b, i, j): key_mask or the causal rule. */
function excludedFn(c) {
  const { Lq, Lk } = c.shape, km = c.key_mask, causal = c.params.causal === true;
  return (b, i, j) => (km ? km[b * Lk + j] === true : false) || (causal && j > i + Lk - Lq);
}

// ---- statistics ---------------------------------------------------------------------------------
function newStats() {
  const s = { cases: 0, forward: 0, backward: 0, fields: {} };
  for (const f of FIELDS) s.fields[f] = { n: 0, misses: 0, worst: 0, where: '' };
  return s;
}
/** One compared element: err and bound; returns true when within. */
function note(stats, field, err, bound, where) {
  const f = stats.fields[field];
  f.n++;
  const ratio = bound > 0 ? err / bound : err === 0 ? 0 : Infinity;
  const r = Number.isNaN(ratio) ? Infinity : ratio;
  if (r > f.worst || (f.where === '' && r >= f.worst)) { f.worst = r; f.where = where; }
  if (!(err <= bound)) { f.misses++; return false; }
  return true;
}
function summaryLines(label, byNorm) {
  const lines = [];
  for (const [norm, s] of Object.entries(byNorm)) {
    lines.push(`[${label}] ${norm}: ${s.cases} cases (${s.forward} forward, ${s.backward} backward)`);
    for (const f of FIELDS) {
      const x = s.fields[f];
      if (x.n === 0) continue;
      lines.push(`    ${f.padEnd(25)} ${String(x.n).padStart(8)} compared, ${x.misses} misses, worst err/bound ${fmtRatio(x.worst)}${x.where ? ` at ${x.where}` : ''}`);
    }
  }
  return lines;
}

/** Misses of one field in one case, listed once with the worst element. */
function reporter(misses, id, field) {
  let count = 0, worst = null;
  return {
    miss(where, got, ref, err, bound) {
      count++;
      const ratio = err / bound;
      if (!worst || !(ratio <= worst.ratio)) worst = { where, got, ref, err, bound, ratio };
    },
    flush(total) {
      if (count) misses.push(`${id} ${field}: ${count} of ${total} out of bound; worst ${worst.where}: got ${fmt(worst.got)}, ref ${fmt(worst.ref)}, |err| ${Number(worst.err).toExponential(3)} > ${Number(worst.bound).toExponential(3)} (${fmtRatio(worst.ratio)}x)`);
    },
  };
}

/**
 * Runs one case through `impl` ({ attention, attentionBackward, library }) and compares.
 * stats: the normaliser's statistics; misses: strings; extra: { nnzDiff, perturb } (perturb(field, arr) is
 * the self-check's hook, applied to a result before the comparison).
 */
function checkCase(impl, c, stats, misses, extra = {}) {
  stats.cases++;
  const { B, H, Lq, Lk, D, Dv } = c.shape;
  const inp = inputsOf(c.input);
  assert.deepEqual(inp.shape, c.shape, `${c.id}: shape of its input set`);
  assert.ok(!c.f32_ill_conditioned, `${c.id}: f32_ill_conditioned (no allowance is implemented for it)`);
  const id = `${c.normalizer}:${c.id}`;
  const opts = optionsOf(c);
  const q = { data: inp.q, dims: [B, H, Lq, D] }, k = { data: inp.k, dims: [B, H, Lk, D] }, v = { data: inp.v, dims: [B, H, Lk, Dv] };
  const copies = [inp.q.slice(), inp.k.slice(), inp.v.slice(), inp.g?.slice()];
  const excluded = excludedFn(c);
  const fully = new Set(c.fully_masked_rows ?? []);
  // the fully masked rows, from the mask itself (a check of excludedFn against the file)
  const fullyOwn = [];
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Lq; i++) {
    let any = false;
    for (let j = 0; j < Lk && !any; j++) any = !excluded(b, i, j);
    if (!any) fullyOwn.push((b * H + h) * Lq + i);
  }
  assert.deepEqual(fullyOwn, [...fully].sort((a, b) => a - b), `${id}: fully masked rows from key_mask/causal vs fully_masked_rows`);
  const perturb = extra.perturb ?? ((f, a) => a);
  const isArr = (a, n) => (impl.library ? a instanceof Float32Array : ArrayBuffer.isView(a)) && a.length === n;

  // ---- forward
  const wOut = c.weights ? new Float32Array(B * H * Lq * Lk) : null;
  let res;
  try {
    res = impl.attention(q, k, v, wOut ? { ...opts, weightsOut: wOut } : opts);
  } catch (err) {
    misses.push(`${id}: attention threw ${err?.constructor?.name}: ${err?.message}${firstFrame(err)}`);
    return;
  }
  stats.forward++;
  if (!res || !isArr(res.data, B * H * Lq * Dv)) { misses.push(`${id}: attention should return { data: Float32Array(${B * H * Lq * Dv}), dims }, got ${res?.data?.constructor?.name} of length ${res?.data?.length}`); return; }
  if (JSON.stringify(Array.from(res.dims ?? [])) !== JSON.stringify([B, H, Lq, Dv])) misses.push(`${id}: output dims ${JSON.stringify(res.dims)}, expected [${B},${H},${Lq},${Dv}]`);
  const out = perturb('output', res.data);
  {
    const ref = decodeArray(c.output), tolOut = c.tol_scale.output, rep = reporter(misses, id, 'output');
    for (let e = 0; e < ref.length; e++) {
      const row = Math.floor(e / Dv), bh = Math.floor(row / Lq), where = `b${Math.floor(bh / H)} h${bh % H} i${row % Lq} c${e % Dv}`;
      if (fully.has(row)) {
        if (!note(stats, 'fully masked rows (= 0)', out[e] === 0 ? 0 : Infinity, 0, `${id} output ${where}`)) rep.miss(`${where} (fully masked row)`, out[e], 0, Math.abs(out[e]), 0);
        continue;
      }
      const err = Math.abs(out[e] - ref[e]), bound = outputBound(tolOut[bh]);
      if (!note(stats, 'output', err, bound, `${id} ${where}`)) rep.miss(where, out[e], ref[e], err, bound);
    }
    rep.flush(ref.length);
  }
  if (wOut) {
    const w = perturb('weights', wOut);
    const ref = decodeArray(c.weights), rep = reporter(misses, id, 'weights');
    const nnz = c.nnz;
    for (let row = 0; row < B * H * Lq; row++) {
      const b = Math.floor(row / (H * Lq)), i = row % Lq, h = Math.floor(row / Lq) % H;
      let support = 0;
      for (let j = 0; j < Lk; j++) {
        const e = row * Lk + j, where = `b${b} h${h} i${i} j${j}`;
        if (w[e] > 0) support++;
        if (excluded(b, i, j)) {
          const field = fully.has(row) ? 'fully masked rows (= 0)' : 'weights (excluded = 0)';
          if (!note(stats, field, w[e] === 0 ? 0 : Infinity, 0, `${id} weights ${where}`)) rep.miss(`${where} (excluded)`, w[e], 0, Math.abs(w[e]), 0);
          continue;
        }
        const err = Math.abs(w[e] - ref[e]), bound = weightBound(ref[e]);
        if (!note(stats, 'weights', err, bound, `${id} ${where}`)) rep.miss(where, w[e], ref[e], err, bound);
      }
      if (nnz && support !== nnz[row] && extra.nnzDiff) extra.nnzDiff.push(`${id} row ${row}: support ${support}, nnz ${nnz[row]}`);
    }
    rep.flush(ref.length);
  }

  // ---- backward
  if (c.q_grad) {
    assert.ok(inp.g, `${c.id}: no g for its input set`);
    let r;
    try {
      r = impl.attentionBackward(q, k, v, { data: inp.g, dims: [B, H, Lq, Dv] }, opts);
    } catch (err) {
      misses.push(`${id}: attentionBackward threw ${err?.constructor?.name}: ${err?.message}${firstFrame(err)}`);
      r = null;
    }
    if (r) {
      stats.backward++;
      const grads = [['q_grad', r.dq, Lq * D, [B, H, Lq, D]], ['k_grad', r.dk, Lk * D, [B, H, Lk, D]], ['v_grad', r.dv, Lk * Dv, [B, H, Lk, Dv]]];
      for (const [field, t, per, dims] of grads) {
        if (!t || !isArr(t.data, B * H * per)) { misses.push(`${id}: ${field} should be { data: Float32Array(${B * H * per}), dims }, got ${t?.data?.constructor?.name} of length ${t?.data?.length}`); continue; }
        if (JSON.stringify(Array.from(t.dims ?? [])) !== JSON.stringify(dims)) misses.push(`${id}: ${field} dims ${JSON.stringify(t.dims)}, expected ${JSON.stringify(dims)}`);
        const got = perturb(field, t.data), ref = decodeArray(c[field]), rep = reporter(misses, id, field);
        const cols = field === 'v_grad' ? Dv : D;
        for (let bh = 0; bh < B * H; bh++) {
          let maxRef = 0;
          for (let e = bh * per; e < (bh + 1) * per; e++) maxRef = Math.max(maxRef, Math.abs(ref[e]));
          const bound = gradBound(c.tol_scale.grad[bh], maxRef);
          for (let e = bh * per; e < (bh + 1) * per; e++) {
            const row = Math.floor(e / cols), where = `b${Math.floor(bh / H)} h${bh % H} ${field === 'q_grad' ? 'i' : 'j'}${row % (per / cols)} d${e % cols}`;
            if (field === 'q_grad' && fully.has(row)) {
              if (!note(stats, 'fully masked rows (= 0)', got[e] === 0 ? 0 : Infinity, 0, `${id} q_grad ${where}`)) rep.miss(`${where} (fully masked row)`, got[e], 0, Math.abs(got[e]), 0);
              continue;
            }
            const err = Math.abs(got[e] - ref[e]);
            if (!note(stats, field, err, bound, `${id} ${where}`)) rep.miss(where, got[e], ref[e], err, bound);
          }
        }
        rep.flush(ref.length);
      }
      if (c.normalizer === 'multimax') {
        const per = c.params.per_head, sets = per ? H : 1, dp = r.dParams;
        const list = per ? dp : [dp];
        if (!Array.isArray(list) || list.length !== sets || list.some((s) => !s || s.ranges?.length !== 4 || s.ts?.length !== 4)) {
          misses.push(`${id}: dParams should be ${per ? `an array of ${H} { ranges[4], ts[4] }` : '{ ranges[4], ts[4] }'}, got ${JSON.stringify(dp)}`);
        } else {
          for (const key of ['ranges', 'ts']) {
            const ref = decodeArray(c[`${key}_grad`]), scale = decodeArray(c[`${key}_grad_scale`]), field = `${key}_grad`;
            const flat = perturb(field, list.flatMap((s) => Array.from(s[key], Number)));
            for (let s = 0; s < sets; s++) for (let n = 0; n < 4; n++) {
              const e = 4 * s + n, got = flat[e], bound = paramBound(scale[e]);
              const err = Math.abs(got - ref[e]), where = `${per ? `head ${s} ` : ''}${key}[${n}]`;
              if (!note(stats, field, err, bound, `${id} ${where}`)) misses.push(`${id} ${field} ${where}: got ${fmt(got)}, ref ${fmt(ref[e])}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)} (${fmtRatio(err / bound)}x)`);
            }
          }
        }
      } else if (r.dParams !== null) misses.push(`${id}: dParams should be null for ${opts.normalizer}, got ${JSON.stringify(r.dParams)}`);
    }
  }
  const names = ['q', 'k', 'v', 'g'];
  [inp.q, inp.k, inp.v, inp.g].forEach((a, n) => {
    if (a && !a.every((x, i) => Object.is(x, copies[n][i]))) misses.push(`${id}: the call modified ${names[n]}`);
  });
  return res;
}

/** Every case through impl; returns { byNorm, misses, nnzDiff, results }. */
function runAll(impl, extra = {}) {
  const byNorm = {}, misses = [], nnzDiff = [], results = new Map();
  for (const c of golden.cases) {
    const s = (byNorm[c.normalizer] ??= newStats());
    const res = checkCase(impl, c, s, misses, { nnzDiff, ...extra });
    if (res && extra.keep) results.set(c.id, Float32Array.from(res.data));
  }
  return { byNorm, misses, nnzDiff, results };
}

function assertNoMisses(misses, what) {
  if (misses.length === 0) return;
  const listed = misses.slice(0, MAX_LISTED).join('\n  ');
  const more = misses.length > MAX_LISTED ? `\n  ... and ${misses.length - MAX_LISTED} more` : '';
  assert.fail(`${what}: ${misses.length} miss(es)\n  ${listed}${more}`);
}

const reference = { attention: attentionRef, attentionBackward: attentionBackwardRef, library: false };
const summaries = [];

describe('golden attention.json: the harness', () => {
  test('the file: 82 cases on 12 input sets, the normaliser counts of the README', () => {
    assert.equal(golden.function, 'attention');
    assert.equal(golden.cases.length, 82);
    assert.equal(golden.num_cases, 82);
    assert.equal(Object.keys(golden.inputs).length, 12);
    const count = {};
    for (const c of golden.cases) count[c.normalizer] = (count[c.normalizer] ?? 0) + 1;
    assert.deepEqual(count, { softmax: 15, multimax: 25, sparsemax: 14, entmax15: 14, entmax_bisect: 14 });
    assert.equal(golden.cases.filter((c) => c.q_grad).length, 70);
    assert.equal(golden.cases.filter((c) => c.weights).length, 75);
  });

  test('the float64 reference (tests/attention.test.mjs) passes every case through this harness', () => {
    const { byNorm, misses } = runAll(reference);
    const lines = summaryLines('float64 reference', byNorm);
    console.log(lines.join('\n'));
    for (const s of Object.values(byNorm)) assert.ok(s.fields.output.n > 0);
    assertNoMisses(misses, 'float64 reference');
  });

  test('a result off by twice the bound in one element is caught, in exactly that field', () => {
    // a case with every field: per-head MultiMax, padding + causal (fully masked rows), Dv != D
    const c = golden.cases.find((x) => x.id.startsWith('multimax/per_head_random/2x2x5x9x8x3/normal/padding_causal'));
    assert.ok(c, 'case not found');
    for (const field of ['output', 'weights', 'q_grad', 'k_grad', 'v_grad', 'ranges_grad', 'ts_grad']) {
      const stats = newStats(), misses = [];
      const perturb = (f, a) => {
        if (f !== field) return a;
        const b = Array.isArray(a) ? a.slice() : Float64Array.from(a);
        // element 3 of the field (not in a fully masked row nor an excluded weight: rows 0 and 1 of
        // b0 h0 see keys 0..4 and 0..5), moved by twice its bound
        const e = 3, ref = decodeArray(c[field])[e];
        const { Lq, Lk, D, Dv } = c.shape;
        let bound;
        if (field === 'output') bound = outputBound(c.tol_scale.output[0]);
        else if (field === 'weights') bound = weightBound(ref);
        else if (field === 'ranges_grad' || field === 'ts_grad') bound = paramBound(decodeArray(c[`${field}_scale`])[e]);
        else {
          const per = field === 'q_grad' ? Lq * D : field === 'k_grad' ? Lk * D : Lk * Dv, all = decodeArray(c[field]);
          let m = 0;
          for (let i = 0; i < per; i++) m = Math.max(m, Math.abs(all[i]));
          bound = gradBound(c.tol_scale.grad[0], m);
        }
        b[e] = ref + 2 * bound;
        return b;
      };
      checkCase(reference, c, stats, misses, { perturb });
      const hit = FIELDS.filter((f) => stats.fields[f].misses > 0);
      assert.deepEqual(hit, [field], `perturbing ${field}: misses in ${JSON.stringify(hit)} (${misses.join('; ')})`);
      assert.equal(stats.fields[field].misses, 1, `perturbing ${field}: one miss expected`);
    }
    // and a nonzero excluded weight, a nonzero fully masked output
    for (const [field, e, what] of [['weights', 7, 'weights (excluded = 0)'], ['output', 10 * 3, 'fully masked rows (= 0)']]) {
      const stats = newStats(), misses = [];
      checkCase(reference, c, stats, misses, { perturb: (f, a) => { if (f !== field) return a; const b = Float64Array.from(a); b[e] = 1e-30; return b; } });
      assert.equal(stats.fields[what].misses, 1, `${field}[${e}] = 1e-30 should be a miss of "${what}" (${misses.join('; ')})`);
    }
  });
});

describe(`golden attention.json: the library (${buildName} build)`, () => {
  test('mm.attention and mm.attentionBackward exist (engine methods and top-level functions)', () => {
    assert.equal(typeof mm.attention, 'function', 'engine.attention is not a function (not implemented?)');
    assert.equal(typeof mm.attentionBackward, 'function', 'engine.attentionBackward is not a function');
    assert.equal(typeof api.attention, 'function', 'top-level attention');
    assert.equal(typeof api.attentionBackward, 'function', 'top-level attentionBackward');
  });

  test('every case: output, weights, q/k/v gradients, MultiMax ranges_grad / ts_grad within the README bounds', () => {
    assert.equal(typeof mm.attention, 'function', 'mm.attention is not implemented');
    const impl = { attention: (...a) => mm.attention(...a), attentionBackward: (...a) => mm.attentionBackward(...a), library: true };
    const { byNorm, misses, nnzDiff, results } = runAll(impl, { keep: true });
    const lines = summaryLines(`${buildName} build`, byNorm);
    console.log(lines.join('\n'));
    summaries.push(...lines);
    if (nnzDiff.length) console.log(`  (report only) ${nnzDiff.length} sparse rows whose support differs from nnz: ${nnzDiff.slice(0, 5).join('; ')}${nnzDiff.length > 5 ? ' ...' : ''}`);
    else console.log('  (report only) every sparse row has the support of nnz');
    // (report only) zero-parameter MultiMax vs softmax on the same input, mask and scale
    for (const c of golden.cases.filter((x) => /_zeros$/.test(x.params.param_set ?? ''))) {
      const twin = golden.cases.find((x) => x.normalizer === 'softmax' && x.input === c.input && x.mask_kind === c.mask_kind && x.params.scale === c.params.scale && x.params.scale_is_default === c.params.scale_is_default);
      const a = results.get(c.id), b = twin && results.get(twin.id);
      if (a && b) console.log(`  (report only) ${c.id}: output ${a.every((x, i) => Object.is(x, b[i])) ? 'bitwise equal to' : 'differs from'} softmax's`);
    }
    const total = Object.values(byNorm).reduce((n, s) => n + s.cases, 0);
    assert.equal(total, 82);
    assertNoMisses(misses, `attention golden (${buildName} build)`);
  });
});

// ---- the other builds, in child processes (only from the top-level run) ---------------------------
if (!BUILD) {
  const { relaxedNode } = await import('./runtimes/fixture.mjs');
  const rel = relaxedNode();
  for (const [build, flags, skip] of [['relaxed', rel.flags ?? [], rel.reason ? `skipped: ${rel.reason}` : false], ['scalar', [], false]]) {
    test(`${build} build: this file's golden checks pass (MULTIMAX_BUILD=${build}, tolerances unchanged)`, { skip }, () => {
      const env = { ...process.env, MULTIMAX_BUILD: build };
      delete env.NODE_TEST_CONTEXT; // (else the child reports in node --test's binary protocol)
      const r = spawnSync(process.execPath, [...flags, '--test-reporter=tap', new URL(import.meta.url).pathname], { encoding: 'utf8', env, timeout: 300_000, maxBuffer: 64 << 20 });
      const tail = (r.stdout + r.stderr).split('\n').slice(-80).join('\n');
      assert.equal(r.status, 0, `MULTIMAX_BUILD=${build} failed:\n${tail}`);
      const pass = /^# pass (\d+)$/m.exec(r.stdout), fail = /^# fail (\d+)$/m.exec(r.stdout);
      assert.ok(pass && Number(pass[1]) >= 5 && fail && fail[1] === '0', `unexpected counts:\n${tail}`);
      // the child's summary: from its first "[<build> build]" line to its first "(report only)" line
      const all = r.stdout.split('\n').map((l) => l.replace(/^#\s?/, '')), label = `[${build === 'relaxed' ? 'relaxed SIMD' : 'scalar'} build]`;
      const from = all.findIndex((l) => l.startsWith(label)), to = all.findIndex((l, i) => i > from && l.includes('(report only)'));
      assert.ok(from >= 0, `no summary from the ${build} build:\n${tail}`);
      console.log(`${build} build: ${pass[1]} tests pass\n${all.slice(from, to > from ? to : from + 40).join('\n')}`);
    });
  }
}

after(() => {
  if (summaries.length) console.log(`attention golden conformance (${buildName} build):\n${summaries.join('\n')}`);
});
