// Properties of the backward passes, MultiMax parameter gradients and losses (issue 11,
// docs/training.md), against float64 references written here from the definitions (not from the
// library) and by fast-check.
//
// (a) Finite differences. Every backward is a vector–Jacobian product dx = Jᵀdy, every loss
//     gradient d(Σ dLoss_r·loss_r)/dx, every dParams a derivative of ⟨dy, f⟩ with respect to a
//     parameter: each is compared with central differences (f(θ + h) − f(θ − h))/2h, h = 1e-6, of
//     a float64 forward written here:
//       softmax(x / T), log-softmax, MultiMax softmax(φ(x)) and its log (the checkpoint φ and an
//       order-3 paper-form set, φ evaluated in float64 on float32-exact parameters), sparsemax and
//       1.5-entmax (exact, sort-based), α-entmax and α-normmax (float64 bisection to the last bit of
//       τ, then renormalised), ev-softmax (mean rule, both modes);
//       the Fenchel–Young losses Ω(p) + ⟨p − e_t, x⟩ and cross-entropy with temperature and label
//       smoothing (softmax and MultiMax, with dParams).
//     Inputs are float32 (the library's type; the reference evaluates at the same points in
//     float64) and chosen NEAR but not ON the places where the maps are not differentiable:
//     MultiMax's relu kinks (every |x − r_k| ≥ 10h; a few entries are put within 1e-3 of a kink on
//     purpose) and the support boundaries of the sparse maps (no kept entry within 10h of the
//     threshold, in x units; a few are put within 1e-3 on purpose), ev-softmax's mean likewise. For
//     α > 2 (entmax, normmax) y ∝ (x − τ)^(1/(α−1)) has an unbounded third derivative at the
//     boundary, so the margin there is 1e-2 (the central difference's error h²·f'''/6 stays below
//     1e-7). The central stencil [x − h, x + h] then never crosses a kink: the difference is exact to
//     O(h²) = 1e-12 plus float64 rounding ε·Σ|dy_i·f_i|/h.
//     Bound, per row (or per parameter): |lib − fd| ≤ 1e-4·scale + 4ε·Σ_i|dy_i·f_i|/h, where
//     scale = max_j Σ_i |dy_i·J_ij| is the magnitude of the terms that the VJP adds up (J by the same
//     central differences), i.e. the size of dx before cancellation. The library computes in
//     float32 from its own float32 forward output (relative error a few ulps, u = 6e-8) with float64
//     sums: its error is a modest multiple of u·scale (≈ 1e-6·scale at most); 1e-4 leaves ×100 for
//     that while any formula error (a missing term, a wrong factor T, φ' or α) is O(scale). The
//     second term is the float64 rounding of the difference quotient (ε = 2^-52).
//     Losses: the loss itself within the golden per-row loss bound 1e-5·(1 + |ref|) + 1e-6·max|logit|.
// (b) fast-check properties (fixed seeds) for every backward, on batches with masks, fully masked
//     rows, per-row α, temperatures and MultiMax parameters:
//     1. dx = the documented formula (docs/training.md) evaluated in float64 on the library's own y:
//        |dx − dx₆₄| ≤ 1e-5·abs_i, abs_i = the same formula with every term replaced by its absolute
//        value (the standard bound on the rounding error of a float32 evaluation: a few dozen
//        roundings u = 6e-8 and the kernels' exp/pow, ≤ 1e-6 relative each);
//     2. Σ_j dx_j = 0 on each row (shift invariance), within |Σ_j dx₆₄_j| + 1e-5·Σ_j abs_j: the first
//        term is the exact consequence of a float32 y whose row does not sum to exactly 1 (0 for
//        the threshold maps, whose formula is normalised), the second the rounding, relative to
//        Σ_j abs_j ≥ Σ_j |dx_j|. MultiMax is not shift invariant in x: its logit gradient
//        dx_j / φ'(x_j) sums to 0 instead (rows where some kept |φ'| < 1e-3 are skipped);
//     3. for the threshold maps (sparsemax, entmax15, α-entmax, normmax, ev-softmax in eval mode)
//        dx = 0 exactly wherever y = 0;
//     4. dx is linear in dy: dy₁, dy₂ on the grid k/256 and small integer a, b, so that a·dy₁ + b·dy₂
//        is exact in float32; |dx(a·dy₁ + b·dy₂) − a·dx(dy₁) − b·dx(dy₂)| ≤ 1e-5·(abs₃ + |a|·abs₁ +
//        |b|·abs₂) (property 1's bound for each of the three calls);
//     5. masked entries get exactly 0 whatever dy holds there (large values; NaN and ±Infinity in a
//        deterministic test), fully masked rows give zeros, no NaN anywhere;
//     6. a target out of range, not an integer, or pointing at a masked entry is a RangeError whose
//        message contains `targets[r]` (r the row).
//
// Run: node scripts/build.mjs && node --test tests/grad-properties.test.mjs
// FC_SEED=<int> and FC_RUNS_FACTOR=<number> explore further (as in properties.test.mjs).
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mulberry32 } from '../tools/prng.mjs';

const api = await import('../dist/index.js');
const BUILD = process.env.MULTIMAX_BUILD;
const mm = await api.init(BUILD === 'relaxed' ? { relaxed: true } : BUILD === 'simd' ? { relaxed: false } : undefined);

const SEED = Number(process.env.FC_SEED ?? 20240911);
const RUNS = Number(process.env.FC_RUNS_FACTOR ?? 1);
const runs = (n) => Math.max(1, Math.round(n * RUNS));
const fcOpts = (n, salt) => ({
  seed: SEED + salt, numRuns: runs(n), includeErrorInReport: true,
  interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true,
});

const f32 = Math.fround;
const EPS64 = 2 ** -52;
const H = 1e-6; // central-difference step
const MARGIN = 10 * H; // distance kept from kinks / support boundaries
const MARGIN_STEEP = 1e-2; // α > 2: see the header
const FD_RTOL = 1e-4; // see the header
const FORMULA_RTOL = 1e-5; // see the header, (b) 1
// A loss gradient entry is dLoss·(a difference of quantities ≤ 1, each within a few float32 ulps),
// times 1/T and φ' for cross-entropy: 2^-20 ≈ 1e-6 of |dLoss|·gain covers that float32 resolution
// (a nearly one-hot p whose gradient underflows to 0 in float32, for instance).
const LOSS_F32_FLOOR = 2 ** -20;
// The absolute part of the golden x_grad bound (tests/golden/README.md: 1e-6·max|g[row]|): an entry
// within δ of a support boundary has a float32 weight g ~ δ (entmax15: √y = x/2 − τ) whose relative
// error is ulp(τ)/δ, i.e. an absolute error of about ulp(τ)·|dy| ≈ 6e-8·|τ|·|dy| in dx, which no
// relative bound covers when the whole row's Jacobian is that small.
const GOLDEN_DY_ABS = 1e-6;
const MAX_LISTED = 20;

const fmt = (v) => (Number.isInteger(v) || !Number.isFinite(v) ? String(v) : v.toPrecision(9));

// ------------------------------------------------------------------------------------------------
// float64 references (on the kept entries v of one row, a Float64Array)

function maxOf(v) { let m = -Infinity; for (const e of v) if (e > m) m = e; return m; }

function softmax64(v, T = 1) {
  const m = maxOf(v);
  const y = v.map((e) => Math.exp((e - m) / T));
  let s = 0; for (const e of y) s += e;
  return y.map((e) => e / s);
}
function logSoftmax64(v, T = 1) {
  const m = maxOf(v);
  let s = 0; for (const e of v) s += Math.exp((e - m) / T);
  const l = Math.log(s);
  return v.map((e) => (e - m) / T - l);
}

/** MultiMax records [a, b, c, d] per order from either form, in float64 (no rounding: the test
 *  parameters are float32-exact, and 1 − tb, td − 1 are exact for them). */
function records(params) {
  if (params.orders) return params.orders.map((o) => [1 - o.tb, o.b, o.td - 1, o.d]);
  const { ranges: r, ts: t } = params;
  return [[t[0], r[0], t[1], r[1]], [t[2], r[2], t[3], r[3]]];
}
/** φ(x) = x + Σ_n a_n·relu(b_n − x)^n + c_n·relu(x − d_n)^n, float64. */
function phi64(x, recs) {
  let z = x;
  recs.forEach(([a, b, c, d], j) => {
    const n = j + 1;
    z += a * Math.max(b - x, 0) ** n;
    z += c * Math.max(x - d, 0) ** n;
  });
  return z;
}
/** φ'(x), relu'(0) = 0. */
function dphi64(x, recs) {
  let s = 1;
  recs.forEach(([a, b, c, d], j) => {
    const n = j + 1;
    if (b - x > 0) s -= a * n * (b - x) ** (n - 1);
    if (x - d > 0) s += c * n * (x - d) ** (n - 1);
  });
  return s;
}
/** 1 + Σ |terms of φ'|: the scale of φ''s float32 rounding error. */
function dphiAbs64(x, recs) {
  let s = 1;
  recs.forEach(([a, b, c, d], j) => {
    const n = j + 1;
    if (b - x > 0) s += Math.abs(a * n * (b - x) ** (n - 1));
    if (x - d > 0) s += Math.abs(c * n * (x - d) ** (n - 1));
  });
  return s;
}
const kinksOf = (recs) => recs.flatMap(([, b, , d]) => [b, d]);

/** sparsemax, sort-based: { y, dist } (dist_j = |x_j − τ|, the distance to the support boundary). */
function sparsemax64(v) {
  const s = Float64Array.from(v).sort().reverse();
  let cum = 0, tau = s[0] - 1;
  for (let k = 1; k <= s.length; k++) {
    cum += s[k - 1];
    const t = (cum - 1) / k;
    if (s[k - 1] > t) tau = t;
  }
  return { y: v.map((e) => Math.max(e - tau, 0)), dist: v.map((e) => Math.abs(e - tau)) };
}
/** 1.5-entmax, sort-based on x/2 (Peters et al. 2019): y = relu(x/2 − τ)², dist in x units. */
function entmax15_64(v) {
  const s = Float64Array.from(v, (e) => e / 2).sort().reverse();
  let mean = 0, m2 = 0, tau = s[0] - 1;
  for (let k = 1; k <= s.length; k++) {
    const e = s[k - 1], d = e - mean;
    mean += d / k;
    m2 += d * (e - mean);
    const t = mean - Math.sqrt(Math.max((1 - m2) / k, 0));
    if (t <= e) tau = t;
  }
  return { y: v.map((e) => Math.max(e / 2 - tau, 0) ** 2), dist: v.map((e) => 2 * Math.abs(e / 2 - tau)) };
}
/** Root of the decreasing Σ_k g(z_k − τ) − 1 on [lo, hi], bisected until τ is resolved to the last bit. */
function bisect(z, g, lo, hi) {
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return lo;
    let f = -1;
    for (const e of z) { const t = e - mid; if (t > 0) f += g(t); }
    if (f >= 0) lo = mid; else hi = mid;
  }
}
function normalised(y) { let s = 0; for (const e of y) s += e; return y.map((e) => e / s); }
/** α-entmax: y = relu((α−1)(x − max) − τ)^(1/(α−1)), renormalised; α = 1 softmax, α = 2 sparsemax. */
function entmax64(v, alpha) {
  if (alpha === 1) return { y: softmax64(v), dist: v.map(() => Infinity) };
  if (alpha === 2) return sparsemax64(v);
  const am1 = alpha - 1, e = 1 / am1, m = maxOf(v);
  const z = v.map((x) => (x - m) * am1);
  const tau = bisect(z, (t) => t ** e, -1, -((1 / v.length) ** am1));
  return { y: normalised(z.map((t) => (t - tau > 0 ? (t - tau) ** e : 0))), dist: z.map((t) => Math.abs(t - tau) / am1) };
}
/** α-normmax: y ∝ relu(x − τ)^(1/(α−1)), Σ relu(x − τ)^(α/(α−1)) = 1. */
function normmax64(v, alpha) {
  const am1 = alpha - 1, e = 1 / am1, ea = alpha / am1, m = maxOf(v);
  const z = v.map((x) => x - m);
  const tau = bisect(z, (t) => t ** ea, -1, -((1 / v.length) ** am1));
  return { y: normalised(z.map((t) => (t - tau > 0 ? (t - tau) ** e : 0))), dist: z.map((t) => Math.abs(t - tau)) };
}
/** ev-softmax: m_i = (x_i < mean ? EPS : 1), y = softmax(x)·m / Σ; dist = |x − mean|. */
function evSoftmax64(v, training) {
  let s = 0; for (const e of v) s += e;
  const mean = s / v.length, eps = training ? 1e-6 : 0;
  const p = softmax64(v);
  return { y: normalised(p.map((e, i) => e * (v[i] < mean ? eps : 1))), dist: v.map((e) => Math.abs(e - mean)) };
}

/**
 * The maps under test. Each: fwd(v) → Float64Array (reference over kept entries), dist(v) →
 * distances to non-differentiable points (x units), margin, lib forward / backward.
 */
function mapsFor() {
  const maps = [];
  for (const T of [1, 0.5, 3]) maps.push({
    name: `softmax T=${T}`, fwd: (v) => softmax64(v, T), margin: 0, kind: 'softmax', opt: { T },
    forward: (x, o) => mm.softmax(x, { ...o, temperature: T }), backward: (y, dy, o) => mm.softmaxBackward(y, dy, { ...o, temperature: T }),
  });
  maps.push({
    name: 'logSoftmax', fwd: (v) => logSoftmax64(v), margin: 0, kind: 'logSoftmax', opt: {},
    forward: (x, o) => mm.logSoftmax(x, o), backward: (y, dy, o) => mm.logSoftmaxBackward(y, dy, o),
  });
  maps.push({ name: 'sparsemax', fwd: (v) => sparsemax64(v).y, dist: (v) => sparsemax64(v).dist, margin: MARGIN, kind: 'threshold', opt: { alpha: 2 },
    forward: (x, o) => mm.sparsemax(x, o), backward: (y, dy, o) => mm.sparsemaxBackward(y, dy, o) });
  maps.push({ name: 'entmax15', fwd: (v) => entmax15_64(v).y, dist: (v) => entmax15_64(v).dist, margin: MARGIN, kind: 'threshold', opt: { alpha: 1.5 },
    forward: (x, o) => mm.entmax15(x, o), backward: (y, dy, o) => mm.entmax15Backward(y, dy, o) });
  for (const alpha of [1.25, 1.5, 1.75, 2, 3]) maps.push({
    name: `entmax alpha=${alpha}`, fwd: (v) => entmax64(v, alpha).y, dist: (v) => entmax64(v, alpha).dist, margin: alpha > 2 ? MARGIN_STEEP : MARGIN, kind: 'threshold', opt: { alpha },
    forward: (x, o) => mm.entmax(x, { ...o, alpha }), backward: (y, dy, o) => mm.entmaxBackward(y, dy, { ...o, alpha }),
  });
  for (const alpha of [1.5, 2, 3]) maps.push({
    name: `normmax alpha=${alpha}`, fwd: (v) => normmax64(v, alpha).y, dist: (v) => normmax64(v, alpha).dist, margin: alpha > 2 ? MARGIN_STEEP : MARGIN, kind: 'normmax', opt: { alpha },
    forward: (x, o) => mm.normmax(x, { ...o, alpha }), backward: (y, dy, o) => mm.normmaxBackward(y, dy, { ...o, alpha }),
  });
  for (const training of [false, true]) maps.push({
    name: `evSoftmax training=${training}`, fwd: (v) => evSoftmax64(v, training).y, dist: (v) => evSoftmax64(v, training).dist, margin: MARGIN, kind: 'evSoftmax', opt: {},
    forward: (x, o) => mm.evSoftmax(x, { ...o, training }), backward: (y, dy, o) => mm.evSoftmaxBackward(y, dy, { ...o, training }),
  });
  return maps;
}

// ------------------------------------------------------------------------------------------------
// inputs for the finite differences

function normal(rng) {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
const minOf = (a) => { let m = Infinity; for (const e of a) if (e < m) m = e; return m; };
const kept = (mask, base, cols) => { const k = []; for (let j = 0; j < cols; j++) if (!mask || mask[base + j]) k.push(j); return k; };

/**
 * A float32 row of `cols` values (scale·N(0,1)) whose kept entries all lie at least `margin` (x
 * units) from the points `distOf` measures, with up to two entries moved to within 1e-3 of such a
 * point (`near(v)` gives candidate points). Redraws until it holds; returns null after 200 tries.
 */
function drawRow(rng, cols, scale, maskRow, distOf, near, margin) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const x = new Float32Array(cols);
    for (let j = 0; j < cols; j++) x[j] = f32(scale * normal(rng));
    const keep = kept(maskRow, 0, cols);
    if (distOf && keep.length > 1 && near && rng() < 0.8) {
      for (let t = 0; t < 2; t++) {
        const v = Float64Array.from(keep, (j) => x[j]);
        const pts = near(v);
        if (!pts.length) break;
        const p = pts[Math.floor(rng() * pts.length)];
        const j = keep[Math.floor(rng() * keep.length)];
        const delta = (rng() < 0.5 ? -1 : 1) * (margin * 2 + rng() * Math.max(1e-3, 5 * margin));
        x[j] = f32(p + delta);
      }
    }
    if (!distOf || keep.length === 0) return x;
    const v = Float64Array.from(keep, (j) => x[j]);
    if (minOf(distOf(v)) >= margin) return x;
  }
  return null;
}

/** Points to aim "near" entries at: the support boundary of each map, in x units. */
function boundaryOf(name) {
  if (name === 'sparsemax' || name === 'entmax alpha=2') return (v) => { const { y } = sparsemax64(v); const j = y.findIndex((e) => e > 0); return [v[j] - y[j]]; };
  if (name === 'entmax15') return (v) => { const { y } = entmax15_64(v); const j = y.findIndex((e) => e > 0); return [v[j] - 2 * Math.sqrt(y[j])]; };
  const m = /^(entmax|normmax) alpha=(.*)$/.exec(name);
  if (m) {
    const alpha = Number(m[2]), fn = m[1] === 'entmax' ? entmax64 : normmax64;
    // x_j − dist_j for an entry in the support is the boundary point
    return (v) => { const { y, dist } = fn(v, alpha); const j = y.findIndex((e) => e > 0); return [v[j] - dist[j]]; };
  }
  if (name.startsWith('evSoftmax')) return (v) => { let s = 0; for (const e of v) s += e; return [s / v.length]; };
  return null;
}

// ------------------------------------------------------------------------------------------------
// finite-difference machinery

/**
 * Central differences of a row function F (kept values → Float64Array over kept entries) at v,
 * against the cotangent w (over kept entries): { fd[j] = Σ_i w_i ∂F_i/∂v_j, terms[j] = Σ_i
 * |w_i ∂F_i/∂v_j|, noise = 4ε·Σ_i |w_i F_i(v)|/h }.
 */
function vjpFD(F, v, w) {
  const n = v.length, fd = new Float64Array(n), terms = new Float64Array(n);
  const f0 = F(v);
  let mag = 0;
  for (let i = 0; i < f0.length; i++) if (w[i] !== 0) mag += Math.abs(w[i] * f0[i]);
  for (let j = 0; j < n; j++) {
    const vp = Float64Array.from(v), vm = Float64Array.from(v);
    vp[j] += H; vm[j] -= H;
    const fp = F(vp), fm = F(vm);
    let s = 0, a = 0;
    for (let i = 0; i < fp.length; i++) {
      if (w[i] === 0) continue;
      const d = w[i] * (fp[i] - fm[i]) / (2 * H);
      s += d; a += Math.abs(d);
    }
    fd[j] = s; terms[j] = a;
  }
  return { fd, terms, noise: 4 * EPS64 * mag / H };
}

/**
 * The golden `ranges_grad_scale` / `ts_grad_scale` of a parameter θ (tests/golden/README.md: the
 * sum over elements of |∂φ/∂θ|·|the softmax-VJP terms|, "the magnitude of the cancelling sum"):
 * Σ_rows Σ_j |∂φ(v_j)/∂θ|·absz_j, absz_j the magnitude of the logit gradient's terms. The library
 * forms dθ = Σ_j g_j·∂φ_j/∂θ from a float32 logit gradient g; this sum cancels (e.g. to exactly 0
 * when every entry lies below b: a constant shift of the logits), so its float32 error is relative
 * to this scale, not to the result (bound 1e-4·scale, the golden one).
 */
function paramScale(slot, rowsAbs, params) {
  const rp = records(slot.set(slot.get() + H)), rm = records(slot.set(slot.get() - H));
  let s = 0;
  for (const { v, absz } of rowsAbs) for (let j = 0; j < v.length; j++) s += Math.abs((phi64(v[j], rp) - phi64(v[j], rm)) / (2 * H)) * absz[j];
  return s;
}

/** Central difference of a scalar function S(θ) of one parameter: { fd, terms, noise } with
 *  terms from the per-output partials when S returns { value, parts }. */
function paramFD(S, theta) {
  const p = S(theta + H), m = S(theta - H), z = S(theta);
  let terms = 0;
  for (let i = 0; i < p.parts.length; i++) terms += Math.abs(p.parts[i] - m.parts[i]) / (2 * H);
  let mag = 0; for (const e of z.parts) mag += Math.abs(e);
  return { fd: (p.value - m.value) / (2 * H), terms, noise: 4 * EPS64 * mag / H };
}

function assertNoMisses(misses, what) {
  if (misses.length === 0) return;
  const listed = misses.slice(0, MAX_LISTED).join('\n  ');
  const more = misses.length > MAX_LISTED ? `\n  ... and ${misses.length - MAX_LISTED} more` : '';
  assert.fail(`${what}: ${misses.length} miss(es)\n  ${listed}${more}`);
}
function guarded(id, misses, fn) {
  try { return fn(); } catch (err) {
    const frame = String(err?.stack ?? '').split('\n').find((s) => /^\s+at /.test(s));
    misses.push(`${id}: threw ${err?.constructor?.name ?? 'value'}: ${err?.message ?? err}${frame ? ` (${frame.trim()})` : ''}`);
    return undefined;
  }
}

const fdStats = new Map(); // label -> { rows, comps, worst }
function noteFD(label, ratio) {
  const s = fdStats.get(label) ?? { n: 0, worst: 0 };
  s.n++; if (ratio > s.worst || Number.isNaN(ratio)) s.worst = ratio;
  fdStats.set(label, s);
}

/** Compares a library VJP row (Float32Array over all cols) with the FD over kept entries. */
function compareRowFD(label, id, r, cols, keep, dxRow, fdr, misses, floor = () => 0, absDy = 0) {
  const scale = maxOf(fdr.terms.length ? fdr.terms : [0]);
  const keepSet = new Set(keep);
  for (let j = 0; j < cols; j++) {
    if (!keepSet.has(j)) {
      if (dxRow[j] !== 0) misses.push(`${id} row ${r} col ${j}: masked entry must give exactly 0, got ${fmt(dxRow[j])}`);
      continue;
    }
  }
  keep.forEach((j, k) => {
    const bound = FD_RTOL * Math.max(scale, 0) + floor(j) + GOLDEN_DY_ABS * absDy + fdr.noise + 1e-300;
    const err = Math.abs(dxRow[j] - fdr.fd[k]);
    const ratio = Number.isFinite(err) ? err / bound : Infinity;
    noteFD(label, ratio);
    if (!(err <= bound)) misses.push(`${id} row ${r} col ${j}: lib ${fmt(dxRow[j])}, finite difference ${fmt(fdr.fd[k])}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)} (${ratio.toFixed(2)}x; scale ${scale.toExponential(3)})`);
  });
}

/** A batch for a map: rows × cols float32 x (margins respected), a mask (sometimes, with a fully
 *  masked row sometimes), a float32 dy (garbage at masked entries). */
function makeBatch(rng, map, { maxCols = 24, maskProb = 0.3 } = {}) {
  const rows = 1 + Math.floor(rng() * 3);
  const cols = 1 + Math.floor(rng() * maxCols);
  const scale = [0.3, 1, 2, 4][Math.floor(rng() * 4)];
  let mask;
  if (rng() < maskProb) {
    mask = new Uint8Array(rows * cols);
    for (let i = 0; i < mask.length; i++) mask[i] = rng() < 0.75 ? 1 : 0;
    for (let r = 0; r < rows; r++) mask[r * cols + Math.floor(rng() * cols)] = 1; // at least one kept
    if (rows > 1 && rng() < 0.3) mask.fill(0, 0, cols); // a fully masked row
  }
  const x = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const mrow = mask ? mask.subarray(r * cols, (r + 1) * cols) : undefined;
    const row = drawRow(rng, cols, scale, mrow, map.dist, map.near, map.margin);
    if (!row) return null;
    x.set(row, r * cols);
  }
  const dy = new Float32Array(rows * cols);
  for (let i = 0; i < dy.length; i++) dy[i] = mask && !mask[i] ? f32(1e3 * (rng() - 0.5)) : f32(normal(rng));
  return { rows, cols, x, mask, dy };
}

// ------------------------------------------------------------------------------------------------
// (a) finite differences

const FD_BATCHES = 25; // per map
const MAPS = mapsFor();
for (const m of MAPS) m.near = boundaryOf(m.name);

describe('(a) finite differences: backward passes', () => {
  MAPS.forEach((map, mi) => {
    test(`${map.name}: dx = Jᵀdy against central differences of ⟨dy, f(x)⟩ in float64`, () => {
      const rng = mulberry32(0xfd000 + mi);
      const misses = [];
      let batches = 0, rowsN = 0;
      for (let b = 0; b < FD_BATCHES; b++) {
        const bt = makeBatch(rng, map);
        if (!bt) continue;
        batches++;
        const { rows, cols, x, mask, dy } = bt;
        const id = `${map.name} batch ${b} (${rows}x${cols})`;
        const o = mask ? { cols, mask } : { cols };
        const y = guarded(id, misses, () => map.forward(x, o));
        if (!y) continue;
        const dx = guarded(id, misses, () => map.backward(y, dy, o));
        if (!dx) continue;
        for (let r = 0; r < rows; r++) {
          const keep = kept(mask, r * cols, cols);
          const dxRow = dx.subarray(r * cols, (r + 1) * cols);
          if (keep.length === 0) {
            if (!dxRow.every((e) => e === 0)) misses.push(`${id} row ${r}: fully masked row must give zeros, got [${Array.from(dxRow, fmt).join(', ')}]`);
            continue;
          }
          rowsN++;
          const v = Float64Array.from(keep, (j) => x[r * cols + j]);
          const w = Float64Array.from(keep, (j) => dy[r * cols + j]);
          const yRow = y.subarray(r * cols, (r + 1) * cols), dyRow = dy.subarray(r * cols, (r + 1) * cols);
          const { abs } = formula64(map.kind, yRow, dyRow, keep, map.opt);
          compareRowFD(map.name, id, r, cols, keep, dxRow, vjpFD(map.fwd, v, w), misses, (j) => FORMULA_RTOL * abs[j], maxOf(w.map(Math.abs)));
        }
      }
      console.log(`  FD ${map.name}: ${batches} batches, ${rowsN} rows, ${misses.length} misses, worst err/bound ${(fdStats.get(map.name)?.worst ?? 0).toFixed(3)}`);
      assert.ok(batches >= FD_BATCHES * 0.8, `${map.name}: only ${batches} of ${FD_BATCHES} batches could be drawn with the margins`);
      assertNoMisses(misses, `${map.name} finite differences`);
    });
  });
});

// MultiMax: the checkpoint form and paper forms (orders 1..3, one with a trailing zero order)
const MM_SETS = [
  { name: 'checkpoint', params: { ranges: [-0.5, 0.75, -1.25, 1.5], ts: [0.375, 0.625, 0.125, 0.25] } },
  { name: 'checkpoint, negative ts', params: { ranges: [0.25, -0.25, -2, 2], ts: [-0.25, -0.5, 0.0625, -0.125] } },
  { name: 'checkpoint, zero second order', params: { ranges: [-1, 1, -0.5, 0.5], ts: [0.5, 0.5, 0, 0] } },
  {
    name: 'paper order 3', params: {
      orders: [
        { tb: 1 - 0.5, b: -0.75, td: 1 + 0.25, d: 0.5 },
        { tb: 1 - 0.125, b: -1.5, td: 1 + 0.1875, d: 1.25 },
        { tb: 1 + 0.03125, b: -2, td: 1 + 0.046875, d: 1.75 },
      ],
    },
  },
  {
    name: 'paper, trailing zero order', params: {
      orders: [{ tb: 1 - 0.5, b: -0.5, td: 1 + 0.5, d: 0.5 }, { tb: 1, b: -1, td: 1, d: 1 }],
    },
  },
];

/** Parameter accessors for FD: [label, get(params), set(params, value) → new params, lib(dParams)]. */
function paramSlots(params) {
  const slots = [];
  if (params.orders) {
    params.orders.forEach((o, n) => {
      for (const k of ['tb', 'b', 'td', 'd']) slots.push({
        label: `orders[${n}].${k}`, get: () => o[k],
        set: (val) => ({ orders: params.orders.map((q, i) => (i === n ? { ...q, [k]: val } : q)) }),
        lib: (dp) => dp?.orders?.[n]?.[k],
      });
    });
  } else {
    for (const key of ['ranges', 'ts']) for (let k = 0; k < 4; k++) slots.push({
      label: `${key}[${k}]`, get: () => params[key][k],
      set: (val) => ({ ...params, [key]: params[key].map((e, i) => (i === k ? val : e)) }),
      lib: (dp) => dp?.[key]?.[k],
    });
  }
  return slots;
}

/** MultiMax row function: kept values → softmax(φ(v)) or log-softmax(φ(v)). */
const mmRow = (recs, log) => (v) => {
  const z = v.map((e) => phi64(e, recs));
  return log ? logSoftmax64(z) : softmax64(z);
};

describe('(a) finite differences: MultiMax dx and dParams', () => {
  MM_SETS.forEach((set, si) => {
    for (const log of [false, true]) {
      const name = `${log ? 'logMultimax' : 'multimax'} ${set.name}`;
      test(`${name}: dx and every parameter's gradient against central differences`, () => {
        const rng = mulberry32(0xfd100 + 2 * si + (log ? 1 : 0));
        const recs = records(set.params);
        const kinks = kinksOf(recs);
        const map = {
          dist: (v) => v.map((e) => minOf(kinks.map((k) => Math.abs(e - k)))),
          near: () => kinks, margin: MARGIN,
        };
        const misses = [];
        let batches = 0, rowsN = 0, comps = 0;
        for (let b = 0; b < 20; b++) {
          const bt = makeBatch(rng, map, { maxCols: 16 });
          if (!bt) continue;
          batches++;
          const { rows, cols, x, mask, dy } = bt;
          const id = `${name} batch ${b} (${rows}x${cols})`;
          const o = mask ? { cols, mask, params: set.params } : { cols, params: set.params };
          const y = guarded(id, misses, () => (log ? mm.logMultimax(x, o) : mm.multimax(x, o)));
          if (!y) continue;
          const res = guarded(id, misses, () => (log ? mm.logMultimaxBackward(x, dy, { ...o, y }) : mm.multimaxBackward(x, dy, { ...o, y })));
          if (!res) continue;
          const rowsData = [];
          for (let r = 0; r < rows; r++) {
            const keep = kept(mask, r * cols, cols);
            const dxRow = res.dx.subarray(r * cols, (r + 1) * cols);
            if (keep.length === 0) {
              if (!dxRow.every((e) => e === 0)) misses.push(`${id} row ${r}: fully masked row must give zeros`);
              continue;
            }
            rowsN++;
            const v = Float64Array.from(keep, (j) => x[r * cols + j]);
            const w = Float64Array.from(keep, (j) => dy[r * cols + j]);
            const pz = mmRow(recs, false)(v);
            let sa = 0; for (let i = 0; i < w.length; i++) sa += Math.abs(w[i]) * (log ? 1 : pz[i]);
            const absz = pz.map((p, i) => (log ? Math.abs(w[i]) + p * sa : p * (Math.abs(w[i]) + sa)));
            rowsData.push({ v, w, absz });
            const yRow = y.subarray(r * cols, (r + 1) * cols), dyRow = dy.subarray(r * cols, (r + 1) * cols);
            const { abs } = formula64(log ? 'logMultimax' : 'multimax', yRow, dyRow, keep, { x: x.subarray(r * cols, (r + 1) * cols), recs });
            compareRowFD(name, id, r, cols, keep, dxRow, vjpFD(mmRow(recs, log), v, w), misses, (j) => FORMULA_RTOL * abs[j], maxOf(w.map(Math.abs)));
          }
          // dParams: d/dθ Σ_rows ⟨dy, f(x; θ)⟩
          for (const slot of paramSlots(set.params)) {
            const S = (theta) => {
              const rr = records(slot.set(theta));
              const parts = [];
              let value = 0;
              for (const { v, w } of rowsData) {
                const fv = mmRow(rr, log)(v);
                for (let i = 0; i < fv.length; i++) if (w[i] !== 0) { parts.push(w[i] * fv[i]); value += w[i] * fv[i]; }
              }
              return { value, parts };
            };
            const d = paramFD(S, slot.get());
            const got = slot.lib(res.dParams);
            const bound = FD_RTOL * Math.max(d.terms, paramScale(slot, rowsData, set.params)) + d.noise + 1e-300;
            const err = Math.abs(got - d.fd);
            comps++;
            noteFD(`${name} dParams`, Number.isFinite(err) ? err / bound : Infinity);
            if (!(err <= bound)) misses.push(`${id} dParams.${slot.label}: lib ${fmt(got)}, finite difference ${fmt(d.fd)}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)}`);
          }
          // y omitted: the same
          const res2 = guarded(id, misses, () => (log ? mm.logMultimaxBackward(x, dy, o) : mm.multimaxBackward(x, dy, o)));
          if (res2) for (let i = 0; i < res.dx.length; i++) {
            const tol = 1e-6 * Math.max(1, Math.abs(res.dx[i]));
            if (!(Math.abs(res2.dx[i] - res.dx[i]) <= tol)) { misses.push(`${id} (y omitted) dx[${i}] ${fmt(res2.dx[i])} vs ${fmt(res.dx[i])} with y`); break; }
          }
        }
        // the MultimaxParams object: dParams in the form it was made from
        const pobj = mm.multimaxParams(set.params);
        const xs = Float32Array.of(-2, -0.3, 0.2, 1.9), dys = Float32Array.of(0.5, -1, 0.25, 2);
        const viaObj = guarded(`${name} MultimaxParams`, misses, () => mm.multimaxBackward(xs, dys, { params: pobj }));
        const viaRaw = guarded(`${name} raw params`, misses, () => mm.multimaxBackward(xs, dys, { params: set.params }));
        if (viaObj && viaRaw) {
          try { assert.deepEqual(viaObj.dParams, viaRaw.dParams); } catch { misses.push(`${name}: dParams via MultimaxParams ${JSON.stringify(viaObj.dParams)} differs from the raw form's ${JSON.stringify(viaRaw.dParams)}`); }
        }
        console.log(`  FD ${name}: ${batches} batches, ${rowsN} rows, ${comps} parameter components, ${misses.length} misses, worst err/bound dx ${(fdStats.get(name)?.worst ?? 0).toFixed(3)}, dParams ${(fdStats.get(`${name} dParams`)?.worst ?? 0).toFixed(3)}`);
        assert.ok(batches >= 16, `${name}: only ${batches} of 20 batches could be drawn with the margins`);
        assertNoMisses(misses, `${name} finite differences`);
      });
    }
  });
});

// ------------------------------------------------------------------------------------------------
// (a) losses

/** Fenchel–Young loss of one row (kept values v, target position k in v): Ω(p) + ⟨p, v⟩ − v_k. */
function fyLoss64(kind, alpha) {
  return (v, k) => {
    let p, omega = 0;
    if (kind === 'sparsemax') { p = sparsemax64(v).y; let s = 0; for (const e of p) s += e * e; omega = (1 - s) / 2; }
    else if (kind === 'entmax15') { p = entmax15_64(v).y; let s = 0; for (const e of p) s += e ** 1.5; omega = (1 - s) / 0.75; }
    else if (alpha === 1) { p = softmax64(v); for (const e of p) if (e > 0) omega -= e * Math.log(e); }
    else { p = entmax64(v, alpha).y; let s = 0; for (const e of p) s += e ** alpha; omega = (1 - s) / (alpha * (alpha - 1)); }
    let dot = 0; for (let i = 0; i < v.length; i++) dot += p[i] * v[i];
    return omega + dot - v[k];
  };
}
/** Cross-entropy of one row: −(1 − ε)·log p_k − (ε/K)·Σ log p_j, p = softmax(z/T), z = v or φ(v). */
function ce64({ T = 1, eps = 0, recs = null } = {}) {
  return (v, k) => {
    const z = recs ? v.map((e) => phi64(e, recs)) : v;
    const lp = logSoftmax64(z, T);
    let s = 0; for (const e of lp) s += e;
    return -(1 - eps) * lp[k] - (eps / v.length) * s;
  };
}

const LOSSES = [
  { name: 'sparsemaxLoss', ref: fyLoss64('sparsemax'), lib: (x, t, o) => mm.sparsemaxLoss(x, t, o), mapName: 'sparsemax' },
  { name: 'entmax15Loss', ref: fyLoss64('entmax15'), lib: (x, t, o) => mm.entmax15Loss(x, t, o), mapName: 'entmax15' },
  // (α = 1.0001: Ω divides by α − 1, so the float32 p's sum, 1 within 1e-7, must not enter it)
  ...[1.25, 1.5, 2, 1, 1.0001].map((alpha) => ({
    name: `entmaxLoss alpha=${alpha}`, ref: fyLoss64('entmax', alpha), lib: (x, t, o) => mm.entmaxLoss(x, t, { ...o, alpha }), mapName: alpha === 1 || alpha === 1.0001 ? null : `entmax alpha=${alpha}`, // (α = 1.0001: full support, as α = 1)
  })),
  { name: 'crossEntropy', ref: ce64(), lib: (x, t, o) => mm.crossEntropy(x, t, o), maxLogit: (v) => maxOf(v.map(Math.abs)) },
  { name: 'crossEntropy T=0.5', gain: 2, ref: ce64({ T: 0.5 }), lib: (x, t, o) => mm.crossEntropy(x, t, { ...o, temperature: 0.5 }), maxLogit: (v) => 2 * maxOf(v.map(Math.abs)) },
  { name: 'crossEntropy labelSmoothing=0.1', ref: ce64({ eps: 0.1 }), lib: (x, t, o) => mm.crossEntropy(x, t, { ...o, labelSmoothing: 0.1 }), maxLogit: (v) => maxOf(v.map(Math.abs)) },
  { name: 'crossEntropy T=2 labelSmoothing=0.25', gain: 0.5, ref: ce64({ T: 2, eps: 0.25 }), lib: (x, t, o) => mm.crossEntropy(x, t, { ...o, temperature: 2, labelSmoothing: 0.25 }), maxLogit: (v) => maxOf(v.map(Math.abs)) / 2 },
];

describe('(a) finite differences: losses', () => {
  LOSSES.forEach((L, li) => {
    test(`${L.name}: loss vs float64, grad (dLoss per row) against central differences, ignoreIndex rows 0`, () => {
      const rng = mulberry32(0xfd200 + li);
      const map = L.mapName ? MAPS.find((m) => m.name === L.mapName) : { margin: 0 };
      const misses = [];
      let batches = 0, rowsN = 0, ignored = 0;
      for (let b = 0; b < 20; b++) {
        const bt = makeBatch(rng, map, { maxCols: 20 });
        if (!bt) continue;
        batches++;
        const { rows, cols, x, mask } = bt;
        const targets = new Int32Array(rows);
        const dLoss = new Float32Array(rows);
        for (let r = 0; r < rows; r++) {
          const keep = kept(mask, r * cols, cols);
          targets[r] = keep.length === 0 || rng() < 0.15 ? -100 : keep[Math.floor(rng() * keep.length)];
          dLoss[r] = f32(0.25 + 2 * rng()) * (rng() < 0.3 ? -1 : 1);
        }
        const id = `${L.name} batch ${b} (${rows}x${cols})`;
        const o = mask ? { cols, mask, grad: true, dLoss } : { cols, grad: true, dLoss };
        const res = guarded(id, misses, () => L.lib(x, targets, o));
        if (!res) continue;
        for (let r = 0; r < rows; r++) {
          const gRow = res.grad.subarray(r * cols, (r + 1) * cols);
          if (targets[r] === -100) {
            ignored++;
            if (res.loss[r] !== 0) misses.push(`${id} row ${r}: ignoreIndex row must have loss 0, got ${fmt(res.loss[r])}`);
            if (!gRow.every((e) => e === 0)) misses.push(`${id} row ${r}: ignoreIndex row must have grad 0`);
            continue;
          }
          rowsN++;
          const keep = kept(mask, r * cols, cols);
          const v = Float64Array.from(keep, (j) => x[r * cols + j]);
          const k = keep.indexOf(targets[r]);
          const ref = L.ref(v, k);
          const tolScale = L.maxLogit ? L.maxLogit(v) : maxOf(v.map(Math.abs));
          const lb = 1e-5 * (1 + Math.abs(ref)) + 1e-6 * tolScale;
          const le = Math.abs(res.loss[r] - ref);
          noteFD(`${L.name} loss`, le / lb);
          if (!(le <= lb)) misses.push(`${id} row ${r}: loss ${fmt(res.loss[r])}, float64 ${fmt(ref)}, |err| ${le.toExponential(3)} > ${lb.toExponential(3)}`);
          const F = (vv) => Float64Array.of(L.ref(vv, k));
          compareRowFD(L.name, id, r, cols, keep, gRow, vjpFD(F, v, Float64Array.of(dLoss[r])), misses, () => LOSS_F32_FLOOR * Math.abs(dLoss[r]) * (L.gain ?? 1));
        }
      }
      console.log(`  FD ${L.name}: ${batches} batches, ${rowsN} rows, ${ignored} ignoreIndex rows, ${misses.length} misses, worst err/bound grad ${(fdStats.get(L.name)?.worst ?? 0).toFixed(3)}, loss ${(fdStats.get(`${L.name} loss`)?.worst ?? 0).toFixed(3)}`);
      assertNoMisses(misses, `${L.name}`);
    });
  });

  test('losses: ignoreIndex other than -100, dLoss default 1 and a single number', () => {
    const misses = [];
    const x = Float32Array.of(0.5, -1, 2, 0.25, 3, 1, -2, 0);
    for (const [name, fn] of [['sparsemaxLoss', mm.sparsemaxLoss], ['entmax15Loss', mm.entmax15Loss], ['entmaxLoss', mm.entmaxLoss], ['crossEntropy', mm.crossEntropy]]) {
      const a = guarded(name, misses, () => fn.call(mm, x, [0, -1], { cols: 4, grad: true, ignoreIndex: -1 }));
      if (a) {
        if (a.loss[1] !== 0 || !a.grad.subarray(4).every((e) => e === 0)) misses.push(`${name}: ignoreIndex -1 row not zero: loss ${a.loss[1]}, grad [${Array.from(a.grad.subarray(4))}]`);
        if (!(a.loss[0] > 0)) misses.push(`${name}: row 0 loss ${a.loss[0]} should be > 0`);
      }
      const b1 = guarded(name, misses, () => fn.call(mm, x, [0, 0], { cols: 4, grad: true }));
      const b2 = guarded(name, misses, () => fn.call(mm, x, [0, 0], { cols: 4, grad: true, dLoss: 2.5 }));
      if (b1 && b2) for (let i = 0; i < 8; i++) {
        if (!(Math.abs(b2.grad[i] - 2.5 * b1.grad[i]) <= 1e-6 * Math.max(1, Math.abs(b2.grad[i])))) { misses.push(`${name}: dLoss 2.5 grad[${i}] ${b2.grad[i]} vs 2.5 × ${b1.grad[i]}`); break; }
      }
      if (b1 && b2 && !b1.loss.every((e, i) => e === b2.loss[i])) misses.push(`${name}: the loss depends on dLoss`);
    }
    assertNoMisses(misses, 'loss options');
  });
});

describe('(a) finite differences: crossEntropy with MultiMax', () => {
  MM_SETS.forEach((set, si) => {
    for (const [T, eps] of [[1, 0], [0.5, 0.1]]) {
      const name = `crossEntropy multimax ${set.name} T=${T} labelSmoothing=${eps}`;
      test(`${name}: loss, grad and dParams against central differences`, () => {
        const rng = mulberry32(0xfd300 + 2 * si + (T === 1 ? 0 : 1));
        const recs = records(set.params);
        const kinks = kinksOf(recs);
        const map = { dist: (v) => v.map((e) => minOf(kinks.map((k) => Math.abs(e - k)))), near: () => kinks, margin: MARGIN };
        const misses = [];
        let rowsN = 0, comps = 0;
        for (let b = 0; b < 12; b++) {
          const bt = makeBatch(rng, map, { maxCols: 12 });
          if (!bt) continue;
          const { rows, cols, x, mask } = bt;
          const targets = new Int32Array(rows), dLoss = new Float32Array(rows);
          for (let r = 0; r < rows; r++) {
            const keep = kept(mask, r * cols, cols);
            targets[r] = keep.length === 0 || rng() < 0.15 ? -100 : keep[Math.floor(rng() * keep.length)];
            dLoss[r] = f32(0.5 + rng());
          }
          const id = `${name} batch ${b} (${rows}x${cols})`;
          const o = { cols, grad: true, dLoss, normalizer: 'multimax', params: set.params, temperature: T, labelSmoothing: eps };
          if (mask) o.mask = mask;
          const res = guarded(id, misses, () => mm.crossEntropy(x, targets, o));
          if (!res) continue;
          const rowsData = [];
          for (let r = 0; r < rows; r++) {
            const gRow = res.grad.subarray(r * cols, (r + 1) * cols);
            if (targets[r] === -100) {
              if (res.loss[r] !== 0 || !gRow.every((e) => e === 0)) misses.push(`${id} row ${r}: ignoreIndex row must give loss 0 and grad 0`);
              continue;
            }
            rowsN++;
            const keep = kept(mask, r * cols, cols);
            const v = Float64Array.from(keep, (j) => x[r * cols + j]);
            const k = keep.indexOf(targets[r]);
            const pT = softmax64(v.map((e) => phi64(e, recs) / T));
            const absz = pT.map((p, j) => Math.abs(dLoss[r]) * (p + (1 - eps) * (j === k ? 1 : 0) + eps / v.length) / T);
            rowsData.push({ v, k, w: dLoss[r], absz });
            const ref = ce64({ T, eps, recs })(v, k);
            const lb = 1e-5 * (1 + Math.abs(ref)) + 1e-6 * maxOf(v.map((e) => Math.abs(phi64(e, recs) / T)));
            if (!(Math.abs(res.loss[r] - ref) <= lb)) misses.push(`${id} row ${r}: loss ${fmt(res.loss[r])}, float64 ${fmt(ref)}, bound ${lb.toExponential(3)}`);
            const gain = maxOf(v.map((e) => dphiAbs64(e, recs))) / T;
            compareRowFD(name, id, r, cols, keep, gRow, vjpFD((vv) => Float64Array.of(ce64({ T, eps, recs })(vv, k)), v, Float64Array.of(dLoss[r])), misses, () => LOSS_F32_FLOOR * Math.abs(dLoss[r]) * gain);
          }
          for (const slot of paramSlots(set.params)) {
            const S = (theta) => {
              const rr = records(slot.set(theta));
              const parts = rowsData.map(({ v, k, w }) => w * ce64({ T, eps, recs: rr })(v, k));
              return { value: parts.reduce((a, e) => a + e, 0), parts };
            };
            const d = paramFD(S, slot.get());
            const got = slot.lib(res.dParams);
            const bound = FD_RTOL * Math.max(d.terms, paramScale(slot, rowsData, set.params)) + d.noise + 1e-300;
            comps++;
            const err = Math.abs(got - d.fd);
            noteFD(`${name} dParams`, Number.isFinite(err) ? err / bound : Infinity);
            if (!(err <= bound)) misses.push(`${id} dParams.${slot.label}: lib ${fmt(got)}, finite difference ${fmt(d.fd)}, |err| ${err.toExponential(3)} > ${bound.toExponential(3)}`);
          }
        }
        console.log(`  FD ${name}: ${rowsN} rows, ${comps} parameter components, ${misses.length} misses, worst err/bound grad ${(fdStats.get(name)?.worst ?? 0).toFixed(3)}, dParams ${(fdStats.get(`${name} dParams`)?.worst ?? 0).toFixed(3)}`);
        assertNoMisses(misses, name);
      });
    }
  });

  test('crossEntropy: params only with "multimax", required with it', () => {
    const x = Float32Array.of(1, 2, 3);
    assert.throws(() => mm.crossEntropy(x, [0], { normalizer: 'multimax' }), TypeError);
    assert.throws(() => mm.crossEntropy(x, [0], { params: MM_SETS[0].params }), TypeError);
    const r = mm.crossEntropy(x, [0], { normalizer: 'multimax', params: MM_SETS[0].params, grad: true });
    assert.ok(r.dParams && r.dParams.ranges.length === 4 && r.dParams.ts.length === 4, 'dParams { ranges, ts }');
    assert.equal(mm.crossEntropy(x, [0]).dParams, undefined);
  });
});

// ------------------------------------------------------------------------------------------------
// (b) fast-check properties

/** The documented formula (docs/training.md), float64, on the library's y: { dx, abs } per row. */
function formula64(kind, yRow, dyRow, keep, opt) {
  const n = yRow.length, dx = new Float64Array(n), abs = new Float64Array(n);
  const K = keep;
  if (kind === 'softmax' || kind === 'evSoftmax') {
    const T = kind === 'softmax' ? opt.T : 1;
    let s = 0, sa = 0;
    for (const j of K) { s += dyRow[j] * yRow[j]; sa += Math.abs(dyRow[j]) * yRow[j]; }
    for (const j of K) { dx[j] = yRow[j] * (dyRow[j] - s) / T; abs[j] = yRow[j] * (Math.abs(dyRow[j]) + sa) / T; }
  } else if (kind === 'logSoftmax') {
    let s = 0, sa = 0;
    for (const j of K) { s += dyRow[j]; sa += Math.abs(dyRow[j]); }
    for (const j of K) { const p = Math.exp(yRow[j]); dx[j] = dyRow[j] - p * s; abs[j] = Math.abs(dyRow[j]) + p * sa; }
  } else if (kind === 'multimax' || kind === 'logMultimax') {
    const log = kind === 'logMultimax';
    let s = 0, sa = 0;
    for (const j of K) { const w = log ? 1 : yRow[j]; s += dyRow[j] * w; sa += Math.abs(dyRow[j]) * w; }
    for (const j of K) {
      const d = dphi64(opt.x[j], opt.recs);
      const p = log ? Math.exp(yRow[j]) : yRow[j];
      const gz = log ? dyRow[j] - p * s : p * (dyRow[j] - s);
      const ga = log ? Math.abs(dyRow[j]) + p * sa : p * (Math.abs(dyRow[j]) + sa);
      dx[j] = gz * d; abs[j] = ga * dphiAbs64(opt.x[j], opt.recs); // (φ' is formed in float32: its terms' magnitudes)
    }
  } else if (kind === 'normmax') {
    const al = opt.alpha;
    let sb = 0, sdb = 0, sda = 0, saa = 0, sdba = 0, sdaa = 0;
    const a = new Float64Array(n), b = new Float64Array(n);
    for (const j of K) if (yRow[j] > 0) { a[j] = yRow[j]; b[j] = yRow[j] ** (2 - al); }
    for (const j of K) {
      sb += b[j]; sdb += dyRow[j] * b[j]; sda += dyRow[j] * a[j]; saa += a[j] ** al;
      sdba += Math.abs(dyRow[j]) * b[j]; sdaa += Math.abs(dyRow[j]) * a[j];
    }
    const C = saa ** ((al - 1) / al) / (al - 1);
    for (const j of K) {
      dx[j] = (dyRow[j] * b[j] - sdb * a[j] - sda * (b[j] - sb * a[j])) * C;
      abs[j] = (Math.abs(dyRow[j]) * b[j] + sdba * a[j] + sdaa * (b[j] + sb * a[j])) * C;
    }
  } else { // threshold maps: g = y^(2−α) on the support
    const al = opt.alpha;
    const g = new Float64Array(n);
    for (const j of K) if (yRow[j] > 0) g[j] = al === 2 ? 1 : al === 1.5 ? Math.sqrt(yRow[j]) : yRow[j] ** (2 - al);
    let sg = 0, sdg = 0, sadg = 0;
    for (const j of K) { sg += g[j]; sdg += dyRow[j] * g[j]; sadg += Math.abs(dyRow[j]) * g[j]; }
    const q = sg > 0 ? sdg / sg : 0, qa = sg > 0 ? sadg / sg : 0;
    for (const j of K) { dx[j] = g[j] * (dyRow[j] - q); abs[j] = g[j] * (Math.abs(dyRow[j]) + qa); }
  }
  return { dx, abs };
}

const KINDS = ['softmax', 'logSoftmax', 'multimax', 'logMultimax', 'sparsemax', 'entmax15', 'entmax', 'normmax', 'evSoftmax'];
const THRESHOLD_KINDS = new Set(['sparsemax', 'entmax15', 'entmax', 'normmax']);

const coefArb = fc.integer({ min: -64, max: 64 }).map((k) => k / 64);
const rangeArb = fc.integer({ min: -192, max: 192 }).map((k) => k / 64);
const paramsArb = fc.oneof(
  fc.record({ ranges: fc.tuple(rangeArb, rangeArb, rangeArb, rangeArb), ts: fc.tuple(coefArb, coefArb, coefArb, coefArb) }),
  fc.array(fc.record({ a: coefArb, b: rangeArb, c: coefArb, d: rangeArb }), { minLength: 1, maxLength: 3 })
    .map((os) => ({ orders: os.map(({ a, b, c, d }) => ({ tb: 1 - a, b, td: 1 + c, d })) })),
);
const specArb = (kind) => fc.record({
  kind: fc.constant(kind),
  rows: fc.integer({ min: 1, max: 4 }),
  cols: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 41, max: 300 }) }),
  seed: fc.nat(),
  scale: fc.constantFrom(0.1, 1, 3, 10),
  mask: fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.record({ keep: fc.constantFrom(0.25, 0.75), fullRow: fc.integer({ min: -1, max: 3 }) }) }),
  T: fc.oneof(fc.constant(1), fc.constantFrom(0.25, 0.5, 2, 5)),
  // (entmax α up to 10: for α > 2 the weights y^(2−α) span orders of magnitude, and dx must not
  // carry a float32 product's rounding multiplied back by the largest of them)
  alpha: kind === 'normmax' ? fc.constantFrom(1.5, 2, 3) : fc.constantFrom(1, 1.25, 1.5, 2, 2.5, 3, 4, 6, 10),
  perRowAlpha: fc.boolean(),
  training: fc.boolean(),
  params: paramsArb,
  a: fc.integer({ min: -3, max: 3 }), b: fc.integer({ min: -3, max: 3 }),
});

/** A batch from a spec: x (float32), mask, dy1, dy2 on the grid k/256 (garbage at masked entries). */
function build(spec) {
  const { rows, cols, seed, scale } = spec;
  const rng = mulberry32(seed);
  const n = rows * cols;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = f32(scale * normal(rng));
  let mask;
  if (spec.mask) {
    mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = rng() < spec.mask.keep ? 1 : 0;
    if (spec.mask.fullRow >= 0 && spec.mask.fullRow < rows) mask.fill(0, spec.mask.fullRow * cols, (spec.mask.fullRow + 1) * cols);
  }
  const grid = () => (Math.floor(rng() * 2049) - 1024) / 256;
  const dy1 = new Float32Array(n), dy2 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const junk = mask && !mask[i];
    dy1[i] = junk ? f32(1e6 * (rng() - 0.5)) : grid();
    dy2[i] = junk ? f32(-1e6 * (rng() - 0.5)) : grid();
  }
  const alpha = spec.perRowAlpha && spec.kind === 'entmax' ? Float64Array.from({ length: rows }, (_, r) => [spec.alpha, 1.5, 2, spec.kind === 'normmax' ? 3 : 1.25][r % 4]) : spec.alpha;
  return { ...spec, x, mask, dy1, dy2, alphaArg: alpha, alphaOf: (r) => (typeof alpha === 'number' ? alpha : alpha[r]) };
}

/** forward + backward of a kind on a batch; returns { y, dx(dy) }. */
function callKind(c) {
  const o = { cols: c.cols };
  if (c.mask) o.mask = c.mask;
  switch (c.kind) {
    case 'softmax': { const oo = { ...o, temperature: c.T }; const y = mm.softmax(c.x, oo); return { y, dx: (dy) => mm.softmaxBackward(y, dy, oo) }; }
    case 'logSoftmax': { const y = mm.logSoftmax(c.x, o); return { y, dx: (dy) => mm.logSoftmaxBackward(y, dy, o) }; }
    case 'multimax': { const oo = { ...o, params: c.params }; const y = mm.multimax(c.x, oo); return { y, dx: (dy) => mm.multimaxBackward(c.x, dy, { ...oo, y }).dx }; }
    case 'logMultimax': { const oo = { ...o, params: c.params }; const y = mm.logMultimax(c.x, oo); return { y, dx: (dy) => mm.logMultimaxBackward(c.x, dy, { ...oo, y }).dx }; }
    case 'sparsemax': { const y = mm.sparsemax(c.x, o); return { y, dx: (dy) => mm.sparsemaxBackward(y, dy, o) }; }
    case 'entmax15': { const y = mm.entmax15(c.x, o); return { y, dx: (dy) => mm.entmax15Backward(y, dy, o) }; }
    case 'entmax': { const oo = { ...o, alpha: c.alphaArg }; const y = mm.entmax(c.x, oo); return { y, dx: (dy) => mm.entmaxBackward(y, dy, oo) }; }
    case 'normmax': { const oo = { ...o, alpha: c.alphaArg }; const y = mm.normmax(c.x, oo); return { y, dx: (dy) => mm.normmaxBackward(y, dy, oo) }; }
    case 'evSoftmax': { const oo = { ...o, training: c.training }; const y = mm.evSoftmax(c.x, oo); return { y, dx: (dy) => mm.evSoftmaxBackward(y, dy, oo) }; }
  }
  throw new Error(c.kind);
}

function formulaRow(c, y, dy, r) {
  const base = r * c.cols;
  const keep = kept(c.mask, base, c.cols);
  const yRow = y.subarray(base, base + c.cols), dyRow = dy.subarray(base, base + c.cols);
  const kind = c.kind === 'sparsemax' ? 'threshold' : c.kind === 'entmax15' ? 'threshold' : c.kind === 'entmax' ? (c.alphaOf(r) === 1 ? 'softmax' : 'threshold') : c.kind;
  const alpha = c.kind === 'sparsemax' ? 2 : c.kind === 'entmax15' ? 1.5 : c.alphaOf(r);
  const opt = { T: c.kind === 'softmax' ? c.T : 1, alpha, x: c.x.subarray(base, base + c.cols), recs: c.kind.endsWith('ultimax') ? records(c.params) : null };
  return { keep, ...formula64(kind, yRow, dyRow, keep, opt) };
}

const fcStats = {};
const noteFC = (k, ratio) => { if (!(ratio <= (fcStats[k] ?? 0))) fcStats[k] = ratio; };

/** Property checks on one batch; throws with a message on the first violation. */
function checkBatch(c) {
  const { y, dx: back } = callKind(c);
  const dx1 = back(c.dy1), dx2 = back(c.dy2);
  const dy3 = new Float32Array(c.dy1.length);
  for (let i = 0; i < dy3.length; i++) dy3[i] = c.a * c.dy1[i] + c.b * c.dy2[i]; // exact on the grid (junk: any value)
  const dx3 = back(dy3);
  for (const [dx, name] of [[dx1, 'dx(dy1)'], [dx2, 'dx(dy2)'], [dx3, 'dx(a·dy1 + b·dy2)']]) {
    if (!(dx instanceof Float32Array) || dx.length !== c.x.length) throw new Error(`${c.kind}: ${name} is not a Float32Array of length ${c.x.length}`);
  }
  for (let r = 0; r < c.rows; r++) {
    const base = r * c.cols;
    const f1 = formulaRow(c, y, c.dy1, r), f2 = formulaRow(c, y, c.dy2, r), f3 = formulaRow(c, y, dy3, r);
    const keepSet = new Set(f1.keep);
    let sum = 0, sum64 = 0, sumAbs = 0, gsum = 0, gsum64 = 0, gabs = 0, minD = Infinity;
    for (let j = 0; j < c.cols; j++) {
      const i = base + j;
      for (const [dx, nm] of [[dx1, 'dx(dy1)'], [dx2, 'dx(dy2)'], [dx3, 'dx(dy3)']]) {
        if (Number.isNaN(dx[i])) throw new Error(`${c.kind}: NaN in ${nm} at row ${r} col ${j}`);
      }
      if (!keepSet.has(j)) { // 5. masked entries / fully masked rows: exactly 0
        if (dx1[i] !== 0 || dx2[i] !== 0 || dx3[i] !== 0) throw new Error(`${c.kind}: masked entry row ${r} col ${j} (dy ${c.dy1[i]}) gives dx ${dx1[i]}, ${dx2[i]}, ${dx3[i]}: expected exactly 0${f1.keep.length === 0 ? ' (fully masked row)' : ''}`);
        continue;
      }
      // 1. the documented formula on the library's y
      const e1 = Math.abs(dx1[i] - f1.dx[j]), b1 = FORMULA_RTOL * f1.abs[j] + 1e-30;
      noteFC('1 formula', e1 / b1);
      if (!(e1 <= b1)) throw new Error(`${c.kind}: row ${r} col ${j}: dx ${fmt(dx1[i])}, formula on the library's y ${fmt(f1.dx[j])}, |err| ${e1.toExponential(3)} > ${b1.toExponential(3)} (y ${fmt(y[i])}, dy ${fmt(c.dy1[i])})`);
      // 3. threshold maps: dx = 0 exactly where y = 0
      const sparse = THRESHOLD_KINDS.has(c.kind) && !(c.kind === 'entmax' && c.alphaOf(r) === 1) || (c.kind === 'evSoftmax' && !c.training);
      if (sparse && y[i] === 0 && (dx1[i] !== 0 || dx3[i] !== 0)) throw new Error(`${c.kind}: y = 0 at row ${r} col ${j} but dx = ${dx1[i]} / ${dx3[i]} (expected exactly 0)`);
      // 4. linearity
      const lin = Math.abs(dx3[i] - (c.a * dx1[i] + c.b * dx2[i]));
      const lb = FORMULA_RTOL * (f3.abs[j] + Math.abs(c.a) * f1.abs[j] + Math.abs(c.b) * f2.abs[j]) + 1e-30;
      noteFC('4 linearity', lin / lb);
      if (!(lin <= lb)) throw new Error(`${c.kind}: row ${r} col ${j}: dx(${c.a}·dy1 + ${c.b}·dy2) = ${fmt(dx3[i])}, ${c.a}·${fmt(dx1[i])} + ${c.b}·${fmt(dx2[i])}: |diff| ${lin.toExponential(3)} > ${lb.toExponential(3)}`);
      sum += dx1[i]; sum64 += f1.dx[j]; sumAbs += f1.abs[j];
      if (c.kind.endsWith('ultimax')) {
        const d = dphi64(c.x[i], records(c.params));
        minD = Math.min(minD, Math.abs(d));
        gsum += dx1[i] / d; gsum64 += f1.dx[j] / d; gabs += f1.abs[j] / Math.abs(d);
      }
    }
    if (f1.keep.length === 0) continue;
    // 2. shift invariance
    if (!c.kind.endsWith('ultimax')) {
      const tol = Math.abs(sum64) + FORMULA_RTOL * sumAbs + 1e-30;
      noteFC('2 row sum', Math.abs(sum) / tol);
      if (!(Math.abs(sum) <= tol)) throw new Error(`${c.kind}: row ${r}: Σ dx = ${sum.toExponential(3)}, bound ${tol.toExponential(3)} (Σ of the formula ${sum64.toExponential(3)}, Σ|terms| ${sumAbs.toExponential(3)})`);
    } else if (minD >= 1e-3) {
      const tol = Math.abs(gsum64) + FORMULA_RTOL * gabs + 1e-30;
      noteFC('2 row sum', Math.abs(gsum) / tol);
      if (!(Math.abs(gsum) <= tol)) throw new Error(`${c.kind}: row ${r}: Σ dx/φ'(x) = ${gsum.toExponential(3)}, bound ${tol.toExponential(3)}`);
    }
  }
}

describe('(b) fast-check: every backward', () => {
  KINDS.forEach((kind, ki) => {
    test(`${kind}: formula on its own y, Σ dx = 0, dx = 0 where y = 0, linear in dy, masks`, () => {
      fc.assert(fc.property(specArb(kind).map(build), (c) => { checkBatch(c); }), fcOpts(kind === 'normmax' || kind === 'entmax' ? 120 : 80, 100 + ki));
    });
  });

  test('NaN and ±Infinity in dy at masked entries do not reach dx', () => {
    const misses = [];
    const cols = 5;
    const x = Float32Array.of(0.5, -1, 2, 0.25, 1.5, /* row 1 fully masked */ 1, 2, 3, 4, 5);
    const mask = Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 0, 0, 0);
    const dy = Float32Array.of(0.5, NaN, -1, 2, Infinity, NaN, -Infinity, 1, Infinity, NaN);
    const params = MM_SETS[0].params;
    for (const kind of KINDS) {
      const c = { kind, rows: 2, cols, x, mask, T: 2, alphaArg: 1.5, alphaOf: () => 1.5, training: false, params };
      const r = guarded(kind, misses, () => callKind(c));
      if (!r) continue;
      const dx = guarded(kind, misses, () => r.dx(dy));
      if (!dx) continue;
      for (let i = 0; i < dx.length; i++) {
        if (mask[i] === 0 && dx[i] !== 0) misses.push(`${kind}: masked entry ${i} (dy ${dy[i]}) gives dx ${dx[i]}`);
        if (mask[i] === 1 && !Number.isFinite(dx[i])) misses.push(`${kind}: kept entry ${i} gives ${dx[i]}`);
      }
    }
    for (const [name, fn, extra] of [['sparsemaxLoss', mm.sparsemaxLoss, {}], ['entmax15Loss', mm.entmax15Loss, {}], ['entmaxLoss', mm.entmaxLoss, { alpha: 1.25 }],
      ['crossEntropy', mm.crossEntropy, {}], ['crossEntropy multimax', mm.crossEntropy, { normalizer: 'multimax', params }]]) {
      const res = guarded(name, misses, () => fn.call(mm, x, [0, -100], { cols, mask, grad: true, ...extra }));
      if (!res) continue;
      for (let i = 0; i < res.grad.length; i++) if (mask[i] === 0 && res.grad[i] !== 0) misses.push(`${name}: masked entry ${i} has grad ${res.grad[i]}`);
      if (res.loss[1] !== 0) misses.push(`${name}: fully masked ignored row has loss ${res.loss[1]}`);
      if (!Number.isFinite(res.loss[0])) misses.push(`${name}: loss ${res.loss[0]}`);
    }
    assertNoMisses(misses, 'masked dy');
  });

  test('fully masked rows add nothing to dParams', () => {
    const params = MM_SETS[3].params;
    const x = Float32Array.of(0.5, -1, 2, 0.25, 9, -9, 3, 1);
    const dy = Float32Array.of(0.5, 1, -1, 2, 5, -5, 3, 7);
    const a = mm.multimaxBackward(x.subarray(0, 4), dy.subarray(0, 4), { params });
    const b = mm.multimaxBackward(x, dy, { cols: 4, params, mask: Uint8Array.of(1, 1, 1, 1, 0, 0, 0, 0) });
    assert.deepEqual(b.dParams, a.dParams);
    assert.ok(b.dx.subarray(4).every((e) => e === 0));
  });
});

const LOSS_FNS = [
  ['sparsemaxLoss', (x, t, o) => mm.sparsemaxLoss(x, t, o)],
  ['entmax15Loss', (x, t, o) => mm.entmax15Loss(x, t, o)],
  ['entmaxLoss', (x, t, o) => mm.entmaxLoss(x, t, { ...o, alpha: 1.25 })],
  ['crossEntropy', (x, t, o) => mm.crossEntropy(x, t, o)],
  ['crossEntropy multimax', (x, t, o) => mm.crossEntropy(x, t, { ...o, normalizer: 'multimax', params: MM_SETS[0].params })],
];

describe('(b) fast-check: bad targets', () => {
  test('a target out of range, not an integer or on a masked entry is a RangeError naming targets[r]', () => {
    const arb = fc.record({
      fn: fc.integer({ min: 0, max: LOSS_FNS.length - 1 }),
      rows: fc.integer({ min: 1, max: 5 }),
      cols: fc.integer({ min: 1, max: 12 }),
      bad: fc.constantFrom('negative', 'cols', 'large', 'fraction', 'masked', 'minInt'),
      at: fc.nat(),
      typed: fc.boolean(),
      grad: fc.boolean(),
      seed: fc.nat(),
    });
    fc.assert(fc.property(arb, (s) => {
      const [name, fn] = LOSS_FNS[s.fn];
      const r = s.at % s.rows;
      const rng = mulberry32(s.seed);
      const x = Float32Array.from({ length: s.rows * s.cols }, () => normal(rng));
      let mask;
      const targets = Array.from({ length: s.rows }, () => Math.floor(rng() * s.cols));
      if (s.bad === 'masked') {
        mask = new Uint8Array(s.rows * s.cols).fill(1);
        mask[r * s.cols + targets[r]] = 0;
      } else {
        targets[r] = { negative: -1 - Math.floor(rng() * 50), cols: s.cols, large: s.cols + 1 + Math.floor(rng() * 1e6), fraction: 0.5 + Math.floor(rng() * s.cols), minInt: -(2 ** 31) }[s.bad];
      }
      if (targets[r] === -100) targets[r] = -101;
      const t = s.typed && s.bad !== 'fraction' ? Int32Array.from(targets) : targets;
      const o = { cols: s.cols, grad: s.grad };
      if (mask) o.mask = mask;
      let err;
      try { fn(x, t, o); } catch (e) { err = e; }
      if (!(err instanceof RangeError)) throw new Error(`${name}: targets ${JSON.stringify(targets)} (${s.bad} at row ${r}): expected a RangeError, got ${err ? `${err.constructor.name}: ${err.message}` : 'no error'}`);
      if (!err.message.includes(`targets[${r}]`)) throw new Error(`${name}: RangeError message "${err.message}" does not contain targets[${r}]`);
    }), fcOpts(200, 900));
  });
});

after(() => {
  const fd = [...fdStats].map(([k, s]) => `${k} ${s.worst.toFixed(3)}`).join(', ');
  const fcs = Object.entries(fcStats).map(([k, v]) => `${k}: ${v.toFixed(3)}`).join(', ');
  console.log(`grad-properties: seed ${SEED}; worst err/bound, finite differences: ${fd}\n  fast-check: ${fcs}`);
});

// α > 2: the weights y^(2−α) of the entmax and normmax backward span many orders of magnitude
// (2.5e12 against 1.3 at α = 10 on a row of two), so q = Σ dy·g / Σ g must be formed from exact
// products: a float32 product's rounding, multiplied back by the largest g, gave errors up to
// 7e7 × max|dx| before. Per row, against the documented formula in float64 on the library's y,
// within the golden x_grad bound 1e-6·max|dy| + 1e-5·max|ref|. (Up to α = 6: at α = 10, g spans
// 1e14 on rows of two, and dy_i − q for the small entries cancels to 1e-16 of q even in float64,
// this reference included: docs/training.md, "Accuracy".)
describe('α > 2: entmax and normmax backward on rows from their forward', () => {
  for (const [fn, alphas] of [['entmax', [2.5, 3, 4, 6]], ['normmax', [2.5, 3, 4]]])
    test(`${fn}Backward, α = ${alphas.join(', ')}`, () => {
      const rng = mulberry32(0xa1fa), misses = [];
      let worst = 0;
      for (const alpha of alphas)
        for (let t = 0; t < 600; t++) {
          const n = 2 + (t % 15), x = new Float32Array(n).map(() => f32(4 * rng() - 2)), dy = new Float32Array(n).map(() => f32(2 * rng() - 1));
          const y = mm[fn](x, { alpha }), dx = mm[`${fn}Backward`](y, dy, { alpha });
          const b = Array.from(y, (v) => (v > 0 ? v ** (2 - alpha) : 0));
          let ref;
          if (fn === 'entmax') {
            let s = 0, sg = 0;
            b.forEach((g, i) => { s += g * dy[i]; sg += g; });
            ref = b.map((g, i) => g * (dy[i] - s / sg));
          } else {
            let Sb = 0, Sa = 0, B = 0, P = 0;
            y.forEach((v, i) => { if (v > 0) { Sb += dy[i] * b[i]; Sa += dy[i] * v; B += b[i]; P += v ** alpha; } });
            const c = P ** ((alpha - 1) / alpha) / (alpha - 1);
            ref = b.map((bi, i) => (y[i] > 0 ? (dy[i] * bi - Sb * y[i] - Sa * (bi - B * y[i])) * c : 0));
          }
          const bound = 1e-6 * Math.max(...Array.from(dy, Math.abs)) + 1e-5 * Math.max(...ref.map(Math.abs));
          const err = Math.max(...ref.map((r, i) => Math.abs(r - dx[i])));
          worst = Math.max(worst, err / bound);
          if (!(err <= bound) && misses.length < 5) misses.push(`α ${alpha}, y [${Array.from(y)}], dy [${Array.from(dy)}]: dx [${Array.from(dx)}], ref [${ref}], |err| ${err.toExponential(2)} > ${bound.toExponential(2)}`);
        }
      console.log(`${fn}Backward α > 2: worst error ${worst.toFixed(3)} × the bound`);
      assert.deepEqual(misses, []);
    });
});
