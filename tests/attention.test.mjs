// Property and contract tests of fused attention (mm.attention, mm.attentionBackward; contract:
// docs/attention.md, src/attention.ts), on random data (mulberry32, fixed seeds):
//   a. agreement with a composition of the library's own row operations: scores s = scale·q·kᵀ in
//      float64 (rounded to float32), the library's row normaliser on them (mm.softmax, mm.multimax
//      with shared and per-head params, mm.sparsemax, mm.entmax15, mm.entmax α 1.25 and 2.5,
//      mm.normmax α 2, mm.evSoftmax eval and training) with the combined mask (keyMask & causal)
//      as the row mask, then p·v in float64; the backward through the library's row backward
//      passes and float64 matmuls (dP = dOut·vᵀ, dq = scale·dS·k, dk = scale·dSᵀ·q, dv = pᵀ·dOut,
//      dk/dv summed over the heads of a GQA group; MultiMax dParams per head or summed);
//      shapes with GQA (H 4 / Hkv 2 and 1), D not a multiple of 4 (5, 7), Dv ≠ D, Lq < Lk,
//      Lq = 1 (decode), Lk up to 300, B = 2, an explicit scale, with and without keyMask / causal;
//   b. causal is bottom-right aligned: exact zero pattern of the weights, agreement with the
//      composition under the rule's mask written out, the last query sees every key;
//   c. fully masked rows (a batch element without keys; causal with Lq > Lk): output, weights,
//      dq exactly 0, they add nothing to dk, dv, dParams, nothing is NaN;
//   d. call forms: rank 2 and 3 inputs give bitwise the rank-4 numbers with dims of q's rank;
//      number[] data and the other keyMask forms give bitwise the Float32Array result; `out`
//      (array and tensor-like) is filled and returned; zero-copy views give the same bits; a decode
//      loop over engine views of a growing KV cache never grows the memory nor detaches the views;
//   e. bad input: TypeError / RangeError naming the argument, and the engine usable afterwards;
//   f. large scores (q, k ~ 30·N(0,1)): no NaN, agreement with the composition, every normaliser.
// The module also exports a float64 reference of attention (attentionRef, attentionBackwardRef),
// which tests/attention-golden.test.mjs checks against the golden data (imported with
// MULTIMAX_ATTENTION_REFERENCE_ONLY=1, this file registers no tests).
//
// Tolerances of (a), (b), (c), (f): from float32 error models of the magnitudes involved, never from
// observed errors (u = 2⁻²⁴). Per visible score: εs = (D+3)·u·scale·Σ_d|q_d·k_d| (the library's f32
// dot and the rounding of the float64 score); MultiMax adds |φ'|·εs and 16u·(the magnitudes in φ);
// per row εz = max εs(+φ) + 16u·(max|z| + 1) (the normaliser's own rounding, both sides). The weight
// bound W_j follows from the normaliser's conditioning: softmax-like p_j·(e^{2εz} − 1 + 2(n+16)u);
// α-entmax through its threshold coordinate t = p^{α−1} moved by δt = 2(α−1)εz + (n+16)u
// (|Δp| ≤ |(t ± δt)^{1/(α−1)} − t^{1/(α−1)}|: Lipschitz for α ≤ 2, Hölder for α > 2); entries
// outside the support and farther than δt from the threshold must be exactly 0; normmax α = 2:
// 2εz'(2 + 2n·p_j) (its Jacobian's ∞-norm). Output: Σ_j W_j|v_j| + 2(n+4)u·Σ_j p_j|v_j|. The
// backward: the normaliser's VJP evaluated in interval arithmetic over p ± W and dP ± εdP
// (εdP = (Dv+3)u·Σ|dOut||v|), φ' and ∂φ/∂θ over s ± εs, plus twice the VJP's f32 rounding
// (n+16)u·|magnitudes|; then propagated linearly through the matmuls with 2(m+4)u·Σ|terms| for
// their own rounding (m = the summed length). Where the VJP is discontinuous or unbounded near a
// support change (sparsemax and normmax α = 2 jump, α = 2.5 has g = p^{−1/2}), the interval says so
// (wide or infinite): infinite ones are counted as unchecked, and their share is asserted small.
// ev-softmax's forward is discontinuous at its mean threshold: an entry within the error of the row
// mean may be kept or dropped, which the weight intervals allow (p_j = k_j·e^{z_j} / Σ k·e^z with
// k_j ∈ {ε, 1} for such entries). MultiMax with huge φ (section f) has intervals so wide that its
// dq / dk are mostly unchecked there: that section is about finiteness first.
// Harness self-checks: the float64 reference passes as the fused implementation; the reference
// mutated (kv heads swapped, scale 0.1% off, top-left causal) fails in every field; the library's
// own row backward lies within its interval.
//
// Run: node scripts/build.mjs && node --test tests/attention.test.mjs
// (the build init() picks; MULTIMAX_BUILD=relaxed | simd | scalar asks for one, as in the golden tests)
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../tools/prng.mjs';
import { softmaxRef, sparsemaxRef, entmax15Ref, entmaxRef, normmaxRef, evSoftmaxRef } from './reference.mjs';

// ---- a float64 plain-JS reference of attention (the contract: docs/attention.md) -------------------
// Exported for tests/attention-golden.test.mjs, which runs it through its comparisons as a check of
// its own harness (option mapping, masks, tolerances). The normalisers are tests/reference.mjs's;
// the backward passes follow docs/training.md's formulas, in float64.

const NORMALIZERS = ['softmax', 'multimax', 'sparsemax', 'entmax15', 'entmax', 'normmax', 'evSoftmax'];

/** { data, dims } of rank 2..4 -> { data, B, H, L, D } (rank 3: B = 1; rank 2: B = H = 1). */
function shapeOf(t, name) {
  const d = t.dims;
  if (!d || d.length < 2 || d.length > 4) throw new RangeError(`${name}.dims: expected rank 2, 3 or 4`);
  const [B, H, L, D] = d.length === 4 ? d : d.length === 3 ? [1, ...d] : [1, 1, ...d];
  return { data: t.data, B, H, L, D };
}

/** MultiMax φ and its derivatives, checkpoint form { ranges, ts } (contract: torch's relu'(0) = 0). */
export function phi(x, r, t) {
  const l0 = Math.max(r[0] - x, 0), u1 = Math.max(x - r[1], 0), l2 = Math.max(r[2] - x, 0), u3 = Math.max(x - r[3], 0);
  return x + t[0] * l0 + t[1] * u1 + t[2] * l2 * l2 + t[3] * u3 * u3;
}
export function phiPrime(x, r, t) {
  return 1 - (r[0] - x > 0 ? t[0] : 0) + (x - r[1] > 0 ? t[1] : 0) - 2 * t[2] * Math.max(r[2] - x, 0) + 2 * t[3] * Math.max(x - r[3], 0);
}
/** dφ/dranges[n] and dφ/dts[n] at x: [dr0..dr3, dt0..dt3]. */
export function phiParamGrad(x, r, t) {
  const l0 = Math.max(r[0] - x, 0), u1 = Math.max(x - r[1], 0), l2 = Math.max(r[2] - x, 0), u3 = Math.max(x - r[3], 0);
  return [r[0] - x > 0 ? t[0] : 0, x - r[1] > 0 ? -t[1] : 0, 2 * t[2] * l2, -2 * t[3] * u3, l0, u1, l2 * l2, u3 * u3];
}

/** The parameters of head h: { ranges, ts } (number[4] each) from a shared set or an array of H. */
function headParams(params, h) {
  const p = Array.isArray(params) ? params[h] : params;
  return { r: Array.from(p.ranges, Number), t: Array.from(p.ts, Number) };
}

/** The row normaliser of the reference: z (masked entries -Infinity) -> p (Float64Array). */
function normRow(z, o) {
  switch (o.normalizer) {
    case 'softmax': case 'multimax': return softmaxRef(z);
    case 'sparsemax': return sparsemaxRef(z);
    case 'entmax15': return entmax15Ref(z);
    case 'entmax': return entmaxRef(z, o.alpha ?? 1.5);
    case 'normmax': return normmaxRef(z, o.alpha ?? 2);
    case 'evSoftmax': return evSoftmaxRef(z, o.training ?? false);
    default: throw new TypeError(`normalizer: unknown ${o.normalizer}`);
  }
}

/** The VJP of the row normaliser at p (float64; from p alone, entmax package conventions). */
function normRowBackward(p, dp, o) {
  const n = p.length, dz = new Float64Array(n);
  const alpha = o.normalizer === 'sparsemax' ? 2 : o.normalizer === 'entmax15' ? 1.5 : o.normalizer === 'entmax' ? (o.alpha ?? 1.5) : 1;
  if (o.normalizer === 'normmax') {
    const a = o.alpha ?? 2;
    let sb = 0, sdb = 0, sda = 0, saa = 0;
    const b = new Float64Array(n);
    for (let j = 0; j < n; j++) if (p[j] > 0) { b[j] = p[j] ** (2 - a); sb += b[j]; sdb += dp[j] * b[j]; sda += dp[j] * p[j]; saa += p[j] ** a; }
    const c = saa ** ((a - 1) / a) / (a - 1);
    for (let j = 0; j < n; j++) if (p[j] > 0) dz[j] = (dp[j] * b[j] - sdb * p[j] - sda * (b[j] - sb * p[j])) * c;
    return dz;
  }
  // g = p^(2-alpha) on the support (alpha = 1: g = p, softmax, MultiMax, ev-softmax)
  let sg = 0, sgd = 0;
  const g = new Float64Array(n);
  for (let j = 0; j < n; j++) if (p[j] > 0) { g[j] = alpha === 1 ? p[j] : p[j] ** (2 - alpha); sg += g[j]; sgd += g[j] * dp[j]; }
  if (sg === 0) return dz;
  const q = sgd / sg;
  for (let j = 0; j < n; j++) if (p[j] > 0) dz[j] = g[j] * (dp[j] - q);
  return dz;
}

function refSetup(q, k, v, options = {}) {
  const Q = shapeOf(q, 'q'), K = shapeOf(k, 'k'), V = shapeOf(v, 'v');
  const { B, H, L: Lq, D } = Q, Hkv = K.H, Lk = K.L, Dv = V.D;
  if (K.D !== D || V.L !== Lk || K.B !== B || V.B !== B || V.H !== Hkv || H % Hkv !== 0) throw new RangeError('reference: inconsistent shapes');
  const o = { normalizer: 'softmax', ...options };
  if (!NORMALIZERS.includes(o.normalizer)) throw new TypeError(`normalizer: unknown ${o.normalizer}`);
  const scale = o.scale ?? 1 / Math.sqrt(D);
  const km = o.keyMask == null ? null : ('data' in o.keyMask && !ArrayBuffer.isView(o.keyMask) && !Array.isArray(o.keyMask) ? o.keyMask.data : o.keyMask);
  const visible = (b, i, j) => (!km || Number(km[b * Lk + j]) !== 0) && (!o.causal || j <= i + Lk - Lq);
  return { Q, K, V, B, H, Hkv, Lq, Lk, D, Dv, o, scale, visible, G: H / Hkv, dims: q.dims };
}

/** One (b, h, i) row: scores s, logits z (-Infinity where excluded), p. */
function refRow(S, b, h, i) {
  const { Q, K, Lk, D, G, o, scale, visible } = S;
  const kh = Math.floor(h / G), qo = ((b * S.H + h) * S.Lq + i) * D;
  const s = new Float64Array(Lk), z = new Float64Array(Lk);
  const hp = o.normalizer === 'multimax' ? headParams(o.params, h) : null;
  for (let j = 0; j < Lk; j++) {
    const ko = ((b * S.Hkv + kh) * Lk + j) * D;
    let acc = 0;
    for (let d = 0; d < D; d++) acc += Q.data[qo + d] * K.data[ko + d];
    s[j] = acc * scale;
    z[j] = visible(b, i, j) ? (hp ? phi(s[j], hp.r, hp.t) : s[j]) : -Infinity;
  }
  return { s, z, p: normRow(z, o), hp, kh };
}

/** attention(q, k, v, options) in float64: { data: Float64Array, dims }; options.weightsOut is filled. */
export function attentionRef(q, k, v, options = {}) {
  const S = refSetup(q, k, v, options);
  const { B, H, Lq, Lk, Dv, V, Hkv } = S;
  const out = new Float64Array(B * H * Lq * Dv);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Lq; i++) {
    const { p, kh } = refRow(S, b, h, i);
    const r = (b * H + h) * Lq + i;
    if (options.weightsOut) for (let j = 0; j < Lk; j++) options.weightsOut[r * Lk + j] = p[j];
    for (let j = 0; j < Lk; j++) {
      if (p[j] === 0) continue;
      const vo = ((b * Hkv + kh) * Lk + j) * Dv;
      for (let c = 0; c < Dv; c++) out[r * Dv + c] += p[j] * V.data[vo + c];
    }
  }
  return { data: out, dims: [...S.dims.slice(0, -1), Dv] };
}

/** attentionBackward(q, k, v, dOut, options) in float64: { dq, dk, dv, dParams } (dParams in the form of params). */
export function attentionBackwardRef(q, k, v, dOut, options = {}) {
  const S = refSetup(q, k, v, options);
  const { B, H, Hkv, Lq, Lk, D, Dv, Q, K, V, scale, o } = S;
  const g = dOut.data ?? dOut;
  const dq = new Float64Array(Q.data.length), dk = new Float64Array(K.data.length), dv = new Float64Array(V.data.length);
  const mmx = o.normalizer === 'multimax', perHead = mmx && Array.isArray(o.params);
  const dTheta = mmx ? Array.from({ length: perHead ? H : 1 }, () => new Float64Array(8)) : null;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Lq; i++) {
    const { s, z, p, hp, kh } = refRow(S, b, h, i);
    if (!z.some((x) => x !== -Infinity)) continue; // fully masked: weights constant 0
    const r = (b * H + h) * Lq + i, qo = r * D, go = r * Dv;
    const dp = new Float64Array(Lk);
    for (let j = 0; j < Lk; j++) {
      const vo = ((b * Hkv + kh) * Lk + j) * Dv;
      let acc = 0;
      for (let c = 0; c < Dv; c++) { acc += g[go + c] * V.data[vo + c]; dv[vo + c] += p[j] * g[go + c]; }
      dp[j] = acc;
    }
    const dz = normRowBackward(p, dp, o);
    for (let j = 0; j < Lk; j++) {
      if (dz[j] === 0) continue;
      let ds = dz[j];
      if (mmx) {
        const pg = phiParamGrad(s[j], hp.r, hp.t), acc = dTheta[perHead ? h : 0];
        for (let m = 0; m < 8; m++) acc[m] += dz[j] * pg[m];
        ds *= phiPrime(s[j], hp.r, hp.t);
      }
      const ko = ((b * Hkv + kh) * Lk + j) * D;
      for (let d = 0; d < D; d++) { dq[qo + d] += scale * ds * K.data[ko + d]; dk[ko + d] += scale * ds * Q.data[qo + d]; }
    }
  }
  const toSet = (a) => ({ ranges: Array.from(a.subarray(0, 4)), ts: Array.from(a.subarray(4, 8)) });
  return {
    dq: { data: dq, dims: q.dims }, dk: { data: dk, dims: k.dims }, dv: { data: dv, dims: v.dims },
    dParams: mmx ? (perHead ? dTheta.map(toSet) : toSet(dTheta[0])) : null,
  };
}

// =====================================================================================================
// The tests (not registered when imported as the reference module)
// =====================================================================================================
const REFERENCE_ONLY = process.env.MULTIMAX_ATTENTION_REFERENCE_ONLY === '1';
const api = REFERENCE_ONLY ? null : await import('../dist/index.js');
const BUILD = process.env.MULTIMAX_BUILD; // relaxed | simd | scalar; default: the build init() picks
const mm = REFERENCE_ONLY ? null : await api.init(BUILD === 'relaxed' ? { relaxed: true } : BUILD === 'simd' ? { relaxed: false } : BUILD === 'scalar' ? { simd: false } : undefined);
const hasAttention = !REFERENCE_ONLY && typeof mm.attention === 'function' && typeof mm.attentionBackward === 'function';

const U = 2 ** -24; // float32 unit roundoff
const TINY = 2 ** -124; // a few subnormals' worth: below it a weight counts as 0
const fr = Math.fround;

// ---- random data ------------------------------------------------------------------------------------
function gauss(rnd) {
  let u = 0;
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}
function randn(n, rnd, s = 1) {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = s * gauss(rnd);
  return a;
}
/** q, k, v of a shape { B, H, Hkv, Lq, Lk, D, Dv } (q×qScale, k×kScale), N(0,1) entries. */
function makeQKV(sh, seed, { qScale = 1, kScale = 1 } = {}) {
  const rnd = mulberry32(seed);
  const { B, H, Hkv, Lq, Lk, D, Dv } = sh;
  return {
    q: randn(B * H * Lq * D, rnd, qScale), k: randn(B * Hkv * Lk * D, rnd, kScale), v: randn(B * Hkv * Lk * Dv, rnd),
    dOut: randn(B * H * Lq * Dv, rnd),
  };
}
/** keyMask [B, Lk]: keep with probability `keep`, at least one key kept and one excluded per batch element. */
function randKeyMask(B, Lk, seed, keep = 0.75) {
  const rnd = mulberry32(seed), m = new Uint8Array(B * Lk);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < Lk; j++) m[b * Lk + j] = rnd() < keep ? 1 : 0;
    m[b * Lk + Math.floor(rnd() * Lk)] = 1;
    if (Lk > 1) m[b * Lk + ((Math.floor(rnd() * Lk) + 1) % Lk)] = 0;
    if (!m.subarray(b * Lk, (b + 1) * Lk).some((x) => x)) m[b * Lk] = 1;
  }
  return m;
}
/** MultiMax parameters (checkpoint form): ranges ~ N(0,1), ts ~ N(0, 0.5²), float32 numbers. */
function randParams(rnd) {
  return { ranges: Array.from({ length: 4 }, () => fr(gauss(rnd))), ts: Array.from({ length: 4 }, () => fr(0.5 * gauss(rnd))) };
}
const P_SHARED = randParams(mulberry32(7001));
const P_HEADS = Array.from({ length: 4 }, (_, h) => randParams(mulberry32(7100 + h)));
const P_LARGE = { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] };

const tensors = (X) => ({
  q: { data: X.q, dims: [X.B, X.H, X.Lq, X.D] },
  k: { data: X.k, dims: [X.B, X.Hkv, X.Lk, X.D] },
  v: { data: X.v, dims: [X.B, X.Hkv, X.Lk, X.Dv] },
  dOut: X.dOut ? { data: X.dOut, dims: [X.B, X.H, X.Lq, X.Dv] } : null,
});

// ---- the normalisers: attention options, the library's row operations, the tolerance model ------
/**
 * name, attn(H): the attention options; kind: 'exp' (softmax, MultiMax), 'ev' (ev-softmax),
 * 'entmax' (α-entmax incl. sparsemax α = 2, entmax15 α = 1.5), 'normmax' (α = 2);
 * params(h): MultiMax parameters of head h (checkpoint form) or null.
 */
function normSpec(name, attn, kind, extra = {}) {
  return { name, attn: typeof attn === 'function' ? attn : () => attn, kind, alpha: extra.alpha, params: extra.params ?? null, training: extra.training };
}
const NORMS = [
  normSpec('softmax', { normalizer: 'softmax' }, 'exp'),
  normSpec('multimax (shared params)', { normalizer: 'multimax', params: P_SHARED }, 'exp', { params: () => P_SHARED }),
  normSpec('multimax (per-head params)', (H) => ({ normalizer: 'multimax', params: P_HEADS.slice(0, H) }), 'exp', { params: (h) => P_HEADS[h] }),
  normSpec('sparsemax', { normalizer: 'sparsemax' }, 'entmax', { alpha: 2 }),
  normSpec('entmax15', { normalizer: 'entmax15' }, 'entmax', { alpha: 1.5 }),
  normSpec('entmax α=1.25', { normalizer: 'entmax', alpha: 1.25 }, 'entmax', { alpha: 1.25 }),
  normSpec('entmax α=2.5', { normalizer: 'entmax', alpha: 2.5 }, 'entmax', { alpha: 2.5 }),
  normSpec('normmax α=2', { normalizer: 'normmax', alpha: 2 }, 'normmax', { alpha: 2 }),
  normSpec('evSoftmax', { normalizer: 'evSoftmax' }, 'ev'),
  normSpec('evSoftmax (training)', { normalizer: 'evSoftmax', training: true }, 'ev', { training: true }),
];
const byName = (n) => NORMS.find((s) => s.name === n);

/** The library's row forward for a (b, h) slice: x [Lq·Lk] float32 scores, base { cols, mask }. */
function rowForward(spec, x, base, h) {
  const o = spec.attn(h + 1);
  switch (o.normalizer) {
    case 'softmax': return mm.softmax(x, base);
    case 'multimax': return mm.multimax(x, { ...base, params: spec.params(h) });
    case 'sparsemax': return mm.sparsemax(x, base);
    case 'entmax15': return mm.entmax15(x, base);
    case 'entmax': return mm.entmax(x, { ...base, alpha: spec.alpha });
    case 'normmax': return mm.normmax(x, { ...base, alpha: spec.alpha });
    case 'evSoftmax': return mm.evSoftmax(x, spec.training === undefined ? base : { ...base, training: spec.training });
    default: throw new Error(o.normalizer);
  }
}
/** The library's row backward for a slice: { dx, dParams }. */
function rowBackward(spec, y, x, dy, base, h) {
  const o = spec.attn(h + 1);
  switch (o.normalizer) {
    case 'softmax': return { dx: mm.softmaxBackward(y, dy, base) };
    case 'multimax': return mm.multimaxBackward(x, dy, { ...base, params: spec.params(h), y });
    case 'sparsemax': return { dx: mm.sparsemaxBackward(y, dy, base) };
    case 'entmax15': return { dx: mm.entmax15Backward(y, dy, base) };
    case 'entmax': return { dx: mm.entmaxBackward(y, dy, { ...base, alpha: spec.alpha }) };
    case 'normmax': return { dx: mm.normmaxBackward(y, dy, { ...base, alpha: spec.alpha }) };
    case 'evSoftmax': return { dx: mm.evSoftmaxBackward(y, dy, spec.training === undefined ? base : { ...base, training: spec.training }) };
    default: throw new Error(o.normalizer);
  }
}

// ---- interval arithmetic (float64; its own rounding, ~1e-16 relative, is far below the bounds) ----
const mul0 = (a, b) => (a === 0 || b === 0 ? 0 : a * b); // (0·∞ = 0: an interval end of exactly 0)
const iadd = (x, y) => [x[0] + y[0], x[1] + y[1]];
const imag = (x) => Math.max(Math.abs(x[0]), Math.abs(x[1]));
const ihull = (a, b) => [Math.min(a, b), Math.max(a, b)];

// φ' and ∂φ/∂θ over [s − e, s + e]: each term is a monotone function of s, so its range is the hull
// of its values at the two ends (the relu steps included).
function phiPrimeRange(s, e, r, t) {
  const terms = (x) => [-(r[0] - x > 0 ? t[0] : 0), x - r[1] > 0 ? t[1] : 0, -2 * t[2] * Math.max(r[2] - x, 0), 2 * t[3] * Math.max(x - r[3], 0)];
  const a = terms(s - e), b = terms(s + e);
  let out = [1, 1];
  for (let m = 0; m < 4; m++) out = iadd(out, ihull(a[m], b[m]));
  return out;
}
function phiParamRange(s, e, r, t) {
  const a = phiParamGrad(s - e, r, t), b = phiParamGrad(s + e, r, t);
  return a.map((x, m) => ihull(x, b[m]));
}
// [lo, hi] of the product of two intervals, without allocation (results in P_LO, P_HI)
let P_LO = 0, P_HI = 0;
function mulTo(a0, a1, b0, b1) {
  const w = mul0(a0, b0), x = mul0(a0, b1), y = mul0(a1, b0), z = mul0(a1, b1);
  P_LO = Math.min(w, x, y, z); P_HI = Math.max(w, x, y, z);
}

/**
 * The composition for a shape X ({ B, H, Hkv, Lq, Lk, D, Dv, q, k, v, dOut, scale }) and a visibility
 * function vis(b, i, j): the library's row operations on float32 scores, float64 elsewhere, with
 * element-wise tolerances for the fused call (see the header). Returns
 *   { out, outTol, p, pTol, dq, dqTol, dk, dkTol, dv, dvTol, dParams, dParamsTol, info }.
 */
function compose(spec, X, vis, { backward = true } = {}) {
  const { B, H, Hkv, Lq, Lk, D, Dv, q, k, v, dOut } = X;
  const G = H / Hkv, scale = X.scale ?? 1 / Math.sqrt(D), alpha = spec.alpha, as = Math.abs(scale);
  const NR = B * H * Lq, NE = NR * Lk, S = Lq * Lk;
  const A = new Float64Array(NE), x32 = new Float32Array(NE), m8 = new Uint8Array(NE);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const kh = Math.floor(h / G);
    for (let i = 0; i < Lq; i++) {
      const r = (b * H + h) * Lq + i, qo = r * D;
      for (let j = 0; j < Lk; j++) {
        const ko = ((b * Hkv + kh) * Lk + j) * D, e = r * Lk + j;
        if (!vis(b, i, j)) continue;
        let acc = 0, abs = 0;
        for (let d = 0; d < D; d++) { const t = q[qo + d] * k[ko + d]; acc += t; abs += Math.abs(t); }
        m8[e] = 1; x32[e] = acc * scale; A[e] = abs * as;
      }
    }
  }
  // the library's row forward, one (b, h) slice at a time (MultiMax: that head's parameters)
  const p = new Float32Array(NE);
  for (let bh = 0; bh < B * H; bh++) {
    const y = rowForward(spec, x32.subarray(bh * S, (bh + 1) * S), { cols: Lk, mask: m8.subarray(bh * S, (bh + 1) * S) }, bh % H);
    p.set(y, bh * S);
  }
  const info = { rows: NR, fullyMasked: 0, ambiguousRows: 0, harnessMisses: [] }; // (ambiguousRows: ev-softmax rows with an entry near the mean)
  const z = new Float64Array(NE), es = new Float64Array(NE), pTol = new Float64Array(NE), gLo = new Float64Array(NE), gHi = new Float64Array(NE);
  const nm = spec.kind === 'normmax';
  const bLo = nm ? new Float64Array(NE) : null, bHi = nm ? new Float64Array(NE) : null;
  const rowN = new Int32Array(NR);
  const out = new Float64Array(NR * Dv), outTol = new Float64Array(NR * Dv);
  const EV_EPS = spec.training ? 1e-6 : 0;
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const kh = Math.floor(h / G), hp = spec.params ? spec.params(h) : null;
    for (let i = 0; i < Lq; i++) {
      const r = (b * H + h) * Lq + i, e0 = r * Lk;
      let n = 0, Zmax = 0, ezMax = 0, zTop = -Infinity, pTop = -1, jTop = -1, sumZ = 0;
      for (let j = 0; j < Lk; j++) {
        const e = e0 + j;
        if (!m8[e]) continue;
        n++;
        const s = x32[e];
        es[e] = (D + 3) * U * A[e];
        let ez;
        if (hp) {
          const { ranges: rg, ts } = hp, a = Math.abs(s);
          z[e] = phi(s, rg, ts);
          const Lphi = 1 + Math.abs(ts[0]) + Math.abs(ts[1]) + 2 * Math.abs(ts[2]) * (Math.max(rg[2] - s, 0) + es[e]) + 2 * Math.abs(ts[3]) * (Math.max(s - rg[3], 0) + es[e]);
          const mag = a + Math.abs(ts[0]) * (Math.abs(rg[0]) + a) + Math.abs(ts[1]) * (Math.abs(rg[1]) + a) +
            Math.abs(ts[2]) * (Math.abs(rg[2]) + a) ** 2 + Math.abs(ts[3]) * (Math.abs(rg[3]) + a) ** 2;
          ez = Lphi * es[e] + 16 * U * mag;
        } else {
          z[e] = s;
          ez = es[e] + 16 * U * Math.abs(s);
        }
        if (ez > ezMax) ezMax = ez;
        if (Math.abs(z[e]) > Zmax) Zmax = Math.abs(z[e]);
        sumZ += z[e];
        if (z[e] > zTop) zTop = z[e];
        if (p[e] > pTop) { pTop = p[e]; jTop = j; }
      }
      rowN[r] = n;
      if (n === 0) { info.fullyMasked++; continue; } // pTol = 0: exactly 0 expected
      const ez = ezMax + 16 * U * (Zmax + 1), rnd = 2 * (n + 16) * U;
      if (spec.kind === 'exp') {
        const f = Math.expm1(2 * ez) + rnd;
        for (let j = 0; j < Lk; j++) {
          const e = e0 + j;
          if (!m8[e]) continue;
          const w = p[e] * f + TINY;
          pTol[e] = w; gLo[e] = Math.max(p[e] - w, 0); gHi[e] = Math.min(p[e] + w, 1);
        }
      } else if (spec.kind === 'ev') {
        // entries within `margin` of the row mean may be kept or dropped (both sides compute the mean
        // with rounding): p_j = k_j·e_j / Σ k·e with k_j ∈ {EPS, 1} for those, bounded by intervals
        const mean = sumZ / n, margin = 2 * ez + 2 * (n + 4) * U * (Zmax + 1);
        let Ek = 0, Ed = 0, Ea = 0, amb = false;
        for (let j = 0; j < Lk; j++) {
          const e = e0 + j;
          if (!m8[e]) continue;
          const x = Math.exp(z[e] - zTop), dz = z[e] - mean;
          if (dz > margin || z[e] === zTop) Ek += x; else if (dz < -margin) Ed += x; else { Ea += x; amb = true; } // (the maximum is never below the mean)
        }
        if (amb) info.ambiguousRows++;
        const sLo = Ek + EV_EPS * (Ed + Ea), sHi = Ek + EV_EPS * Ed + Ea, f = Math.expm1(2 * ez) + rnd;
        for (let j = 0; j < Lk; j++) {
          const e = e0 + j;
          if (!m8[e]) continue;
          const x = Math.exp(z[e] - zTop), dz = z[e] - mean;
          const kLo = dz > margin || z[e] === zTop ? 1 : EV_EPS, kHi = dz < -margin && z[e] !== zTop ? EV_EPS : 1;
          const lo = (kLo * x / sHi) * (1 - f), hi = sLo > 0 ? Math.min((kHi * x / sLo) * (1 + f), 1) : 1;
          pTol[e] = Math.max(hi - p[e], p[e] - lo, 0) + p[e] * f + TINY;
          gLo[e] = Math.max(Math.min(lo, p[e] - pTol[e]), 0); gHi[e] = Math.max(hi, p[e] + pTol[e]);
        }
      } else if (spec.kind === 'entmax') {
        const am1 = alpha - 1, ex = 1 / am1, eg = (2 - alpha) / am1;
        const dt = 2 * am1 * ez + (n + 16) * U, margin = 8 * U * (am1 * Zmax + 1);
        const tau = am1 * z[e0 + jTop] - pTop ** am1; // the threshold, from the largest weight
        for (let j = 0; j < Lk; j++) {
          const e = e0 + j;
          if (!m8[e]) continue;
          const pj = p[e];
          if (pj > 0) {
            const t = pj ** am1, lo = Math.max(t - dt, 0), hi = t + dt;
            pTol[e] = Math.max(hi ** ex - pj, pj - lo ** ex) + rnd * pj + TINY;
            if (eg > 0) { gLo[e] = lo ** eg; gHi[e] = hi ** eg; }
            else if (eg === 0) { gLo[e] = t > dt ? 1 : 0; gHi[e] = 1; }
            else { gLo[e] = lo > 0 ? hi ** eg : 0; gHi[e] = lo > 0 ? lo ** eg : Infinity; }
          } else {
            const t = am1 * z[e] - tau;
            if (t < -(dt + margin)) { pTol[e] = TINY; } // g = [0, 0]
            else {
              const hi = Math.max(t + dt + margin, 0);
              pTol[e] = hi ** ex + TINY;
              gHi[e] = eg > 0 ? hi ** eg : eg === 0 ? 1 : Infinity;
            }
          }
        }
      } else if (nm) {
        assert.equal(alpha, 2, 'the normmax tolerance model is for α = 2');
        let sp2 = 0;
        for (let j = 0; j < Lk; j++) if (m8[e0 + j]) sp2 += p[e0 + j] ** 2;
        const T = 1 / Math.sqrt(sp2), ezp = ez + (n + 16) * U, dt = 2 * ezp, margin = 8 * U * (Zmax + 1);
        const tau = z[e0 + jTop] - pTop * T;
        for (let j = 0; j < Lk; j++) {
          const e = e0 + j;
          if (!m8[e]) continue;
          const pj = p[e];
          if (pj === 0 && z[e] - tau < -(dt + margin)) { pTol[e] = TINY; continue; } // a = b = [0, 0]
          const w = 2 * ezp * (2 + 2 * n * pj) + rnd * pj + TINY;
          pTol[e] = w; gLo[e] = Math.max(pj - w, 0); gHi[e] = Math.min(pj + w, 1); // (a = p)
          bLo[e] = pj > 0 && pj * T > dt + margin ? 1 : 0; bHi[e] = 1;
        }
      } else throw new Error(spec.kind);
      // output and its tolerance
      for (let c = 0; c < Dv; c++) {
        let o = 0, tol = 0, mag = 0;
        for (let j = 0; j < Lk; j++) {
          const e = e0 + j;
          if (!m8[e]) continue;
          const vv = v[((b * Hkv + kh) * Lk + j) * Dv + c], pj = p[e];
          o += pj * vv; tol += mul0(pTol[e], Math.abs(vv)); mag += pj * Math.abs(vv);
        }
        out[r * Dv + c] = o;
        outTol[r * Dv + c] = tol + 2 * (n + 4) * U * mag;
      }
    }
  }
  const res = { out, outTol, p, pTol, info, NE };
  if (!backward || !dOut) return res;

  // ---- backward: dP = dOut·vᵀ (float64, rounded for the row backward), the library's row backward
  const eDP = new Float64Array(NE), dP32 = new Float32Array(NE);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const kh = Math.floor(h / G);
    for (let i = 0; i < Lq; i++) {
      const r = (b * H + h) * Lq + i;
      for (let j = 0; j < Lk; j++) {
        const e = r * Lk + j;
        if (!m8[e]) continue;
        const vo = ((b * Hkv + kh) * Lk + j) * Dv;
        let acc = 0, abs = 0;
        for (let c = 0; c < Dv; c++) { const t = dOut[r * Dv + c] * v[vo + c]; acc += t; abs += Math.abs(t); }
        dP32[e] = acc; eDP[e] = (Dv + 3) * U * abs;
      }
    }
  }
  const dS = new Float32Array(NE), dSTol = new Float64Array(NE), dSMag = new Float64Array(NE);
  const mmx = !!spec.params, a0 = spec.attn(H), perHead = a0.normalizer === 'multimax' && Array.isArray(a0.params);
  const nSets = perHead ? H : 1;
  const dTheta = Array.from({ length: nSets }, () => new Float64Array(8));
  const thLo = Array.from({ length: nSets }, () => new Float64Array(8)), thHi = Array.from({ length: nSets }, () => new Float64Array(8));
  const thMag = Array.from({ length: nSets }, () => new Float64Array(8));
  for (let bh = 0; bh < B * H; bh++) {
    const sl = (a) => a.subarray(bh * S, (bh + 1) * S);
    const rb = rowBackward(spec, sl(p), sl(x32), sl(dP32), { cols: Lk, mask: sl(m8) }, bh % H);
    dS.set(rb.dx, bh * S);
    if (mmx) {
      const acc = dTheta[perHead ? bh % H : 0];
      for (let m = 0; m < 4; m++) { acc[m] += rb.dParams.ranges[m]; acc[4 + m] += rb.dParams.ts[m]; }
    }
  }
  const ivLo = new Float64Array(Lk), ivHi = new Float64Array(Lk), mags = new Float64Array(Lk);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < Lq; i++) {
    const r = (b * H + h) * Lq + i, e0 = r * Lk, n = rowN[r];
    if (n === 0) continue;
    const rnd = (n + 16) * U;
    if (nm) {
      // dS = c·(dP⊙b − (Σ dP·b)·a − (Σ dP·a)·(b − (Σ b)·a)), c = (Σ a²)^(1/2) (α = 2), in intervals
      let sa2L = 0, sa2H = 0, sdbL = 0, sdbH = 0, sdaL = 0, sdaH = 0, sbL = 0, sbH = 0, mdb = 0, mda = 0, mb = 0;
      for (let j = 0; j < Lk; j++) {
        const e = e0 + j;
        if (!m8[e]) continue;
        const dl = dP32[e] - eDP[e], dh = dP32[e] + eDP[e], dm = Math.max(Math.abs(dl), Math.abs(dh));
        sa2L += gLo[e] ** 2; sa2H += gHi[e] ** 2;
        mulTo(dl, dh, bLo[e], bHi[e]); sdbL += P_LO; sdbH += P_HI;
        mulTo(dl, dh, gLo[e], gHi[e]); sdaL += P_LO; sdaH += P_HI;
        sbL += bLo[e]; sbH += bHi[e];
        mdb += dm * bHi[e]; mda += dm * gHi[e]; mb += bHi[e];
      }
      const cL = Math.sqrt(sa2L), cH = Math.sqrt(sa2H);
      for (let j = 0; j < Lk; j++) {
        const e = e0 + j;
        if (!m8[e]) continue;
        const dl = dP32[e] - eDP[e], dh = dP32[e] + eDP[e], dm = Math.max(Math.abs(dl), Math.abs(dh));
        mulTo(dl, dh, bLo[e], bHi[e]); let tL = P_LO, tH = P_HI; // t1
        mulTo(sdbL, sdbH, gLo[e], gHi[e]); tL -= P_HI; tH -= P_LO; // − t2
        mulTo(sbL, sbH, gLo[e], gHi[e]); const uL = bLo[e] - P_HI, uH = bHi[e] - P_LO;
        mulTo(sdaL, sdaH, uL, uH); tL -= P_HI; tH -= P_LO; // − t3
        mulTo(cL, cH, tL, tH);
        ivLo[j] = P_LO; ivHi[j] = P_HI;
        mags[j] = cH * (dm * bHi[e] + mdb * gHi[e] + mda * (bHi[e] + mb * gHi[e])) * rnd;
      }
    } else {
      // dS = g ⊙ (dP − Σ g·dP / Σ g), in intervals
      let sgL = 0, sgH = 0, sgdL = 0, sgdH = 0, mgd = 0;
      for (let j = 0; j < Lk; j++) {
        const e = e0 + j;
        if (!m8[e]) continue;
        const dl = dP32[e] - eDP[e], dh = dP32[e] + eDP[e];
        sgL += gLo[e]; sgH += gHi[e];
        mulTo(gLo[e], gHi[e], dl, dh); sgdL += P_LO; sgdH += P_HI;
        mgd += mul0(gHi[e], Math.max(Math.abs(dl), Math.abs(dh)));
      }
      let QL = -Infinity, QH = Infinity;
      if (sgL > 0) { mulTo(sgdL, sgdH, 1 / sgH, 1 / sgL); QL = P_LO; QH = P_HI; }
      const qMag = sgL > 0 ? mgd / sgL : Infinity;
      for (let j = 0; j < Lk; j++) {
        const e = e0 + j;
        if (!m8[e]) continue;
        const dl = dP32[e] - eDP[e], dh = dP32[e] + eDP[e];
        mulTo(gLo[e], gHi[e], dl - QH, dh - QL);
        ivLo[j] = P_LO; ivHi[j] = P_HI;
        mags[j] = gHi[e] === 0 ? 0 : gHi[e] * (Math.max(Math.abs(dl), Math.abs(dh)) + qMag) * rnd;
      }
    }
    const hp = mmx ? spec.params(h) : null, set = perHead ? h : 0;
    for (let j = 0; j < Lk; j++) {
      const e = e0 + j;
      if (!m8[e]) continue;
      let lo = ivLo[j], hi = ivHi[j], mag = mags[j];
      if (hp) { // dS = dZ·φ'(s); dθ += dZ·∂φ/∂θ(s), over s ± εs
        const s = x32[e], { ranges: rg, ts } = hp, pr = phiPrimeRange(s, es[e], rg, ts), pg = phiParamRange(s, es[e], rg, ts);
        const dzMag = Math.max(Math.abs(lo), Math.abs(hi)) + mag;
        for (let m = 0; m < 8; m++) {
          mulTo(lo, hi, pg[m][0], pg[m][1]);
          thLo[set][m] += P_LO; thHi[set][m] += P_HI;
          thMag[set][m] += mul0(dzMag, imag(pg[m]));
        }
        const as0 = Math.abs(s) + es[e];
        const phiAbs = 1 + Math.abs(ts[0]) + Math.abs(ts[1]) + 2 * Math.abs(ts[2]) * (Math.abs(rg[2]) + as0) + 2 * Math.abs(ts[3]) * (Math.abs(rg[3]) + as0);
        mulTo(lo, hi, pr[0], pr[1]);
        lo = P_LO; hi = P_HI;
        mag = mul0(mag, imag(pr)) + 8 * U * dzMag * phiAbs; // the VJP's rounding times |φ'|, and that of φ' and the product
      }
      const width = hi - lo;
      // harness self-check: the row backward (the centre) lies within its own interval ± rounding
      if (Number.isFinite(width) && !(dS[e] >= lo - mag && dS[e] <= hi + mag) && info.harnessMisses.length < 10)
        info.harnessMisses.push(`dS row ${r} col ${j}: row backward ${dS[e]} outside [${lo}, ${hi}] ± ${mag}`);
      dSTol[e] = width + 2 * mag;
      dSMag[e] = Math.max(Math.abs(lo), Math.abs(hi)) + mag;
    }
  }
  // dq, dk, dv (float64) and their tolerances
  const dq = new Float64Array(NR * D), dqTol = new Float64Array(NR * D);
  const dk = new Float64Array(B * Hkv * Lk * D), dkTol = new Float64Array(dk.length), dkMag = new Float64Array(dk.length);
  const dv = new Float64Array(B * Hkv * Lk * Dv), dvTol = new Float64Array(dv.length), dvMag = new Float64Array(dv.length);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) {
    const kh = Math.floor(h / G);
    for (let i = 0; i < Lq; i++) {
      const r = (b * H + h) * Lq + i, e0 = r * Lk, rr = 2 * (rowN[r] + 4) * U;
      for (let j = 0; j < Lk; j++) {
        const e = e0 + j;
        if (!m8[e]) continue;
        const ko = ((b * Hkv + kh) * Lk + j) * D, vo = ((b * Hkv + kh) * Lk + j) * Dv;
        const ds = dS[e], tl = dSTol[e], mg = dSMag[e];
        for (let d = 0; d < D; d++) {
          const ak = Math.abs(k[ko + d]), aq = Math.abs(q[r * D + d]);
          dq[r * D + d] += scale * ds * k[ko + d];
          dqTol[r * D + d] += as * (mul0(tl, ak) + rr * mul0(mg, ak));
          dk[ko + d] += scale * ds * q[r * D + d];
          dkTol[ko + d] += as * mul0(tl, aq);
          dkMag[ko + d] += as * mul0(mg, aq);
        }
        for (let c = 0; c < Dv; c++) {
          const go = Math.abs(dOut[r * Dv + c]);
          dv[vo + c] += p[e] * dOut[r * Dv + c];
          dvTol[vo + c] += mul0(pTol[e], go);
          dvMag[vo + c] += p[e] * go;
        }
      }
    }
  }
  const m = G * Lq + 4; // terms summed into one dk / dv element
  for (let e = 0; e < dk.length; e++) dkTol[e] += 2 * m * U * dkMag[e];
  for (let e = 0; e < dv.length; e++) dvTol[e] += 2 * m * U * dvMag[e];
  // dParams: the compositions' sums; tolerance: the interval width plus the sums' rounding
  let dParams = null, dParamsTol = null;
  if (mmx) {
    const terms = Lk + B * Lq * (perHead ? 1 : H) + 16;
    const toSet = (a) => ({ ranges: Array.from(a.subarray(0, 4)), ts: Array.from(a.subarray(4, 8)) });
    const tols = thLo.map((lo, s2) => Float64Array.from(lo, (x, m2) => (thHi[s2][m2] - x) + 2 * terms * U * thMag[s2][m2] + 1e-30));
    dParams = perHead ? dTheta.map(toSet) : toSet(dTheta[0]);
    dParamsTol = perHead ? tols.map(toSet) : toSet(tols[0]);
  }
  return { ...res, dq, dqTol, dk, dkTol, dv, dvTol, dParams, dParamsTol, dS, dSTol };
}

// ---- comparisons ----------------------------------------------------------------------------------
function newField() { return { n: 0, unchecked: 0, misses: 0, worst: 0, where: '', ratios: [] }; }
const STATS = new Map(); // name -> { field -> stats }
function statsOf(name) {
  let s = STATS.get(name);
  if (!s) STATS.set(name, (s = {}));
  return s;
}
/**
 * got vs ref within tol, element-wise (tol 0: exactly equal; tol ∞: only finiteness is checked).
 * Pushes at most one line per call into misses.
 */
function compareArr({ name, field, got, ref, tol, where, misses, label }) {
  const st = (statsOf(name)[field] ??= newField());
  if (!got || got.length !== ref.length) { misses.push(`${label} ${field}: length ${got?.length}, expected ${ref.length}`); return; }
  let worst = null, count = 0, refMax = 0;
  for (let e = 0; e < ref.length; e++) refMax = Math.max(refMax, Math.abs(ref[e]));
  for (let e = 0; e < ref.length; e++) {
    const g = got[e], r = ref[e], t = tol[e];
    st.n++;
    if (!Number.isFinite(g)) { count++; if (!worst || worst.ratio !== Infinity) worst = { e, g, r, t, ratio: Infinity }; continue; }
    if (t === Infinity) { st.unchecked++; continue; }
    const err = Math.abs(g - r), ratio = t > 0 ? err / t : err === 0 ? 0 : Infinity;
    if (refMax > 0 && (e & 7) === 0 && st.ratios.length < 100000) st.ratios.push(t / refMax);
    if (ratio > st.worst) { st.worst = ratio; st.where = `${label} ${where(e)}`; }
    if (!(err <= t)) { count++; if (!worst || ratio > worst.ratio) worst = { e, g, r, t, ratio }; }
  }
  st.misses += count;
  if (count) misses.push(`${label} ${field}: ${count} of ${ref.length} out of tolerance; worst ${where(worst.e)}: got ${worst.g}, composition ${worst.r}, tol ${Number(worst.t).toExponential(3)}${Number.isFinite(worst.ratio) ? ` (${worst.ratio.toExponential(3)}x)` : ''}`);
}
function median(a) {
  if (!a.length) return NaN;
  const s = Float64Array.from(a).sort();
  return s[s.length >> 1];
}

const dimsEq = (a, b) => Array.isArray(a) || ArrayBuffer.isView(a) ? a.length === b.length && Array.from(a).every((x, i) => x === b[i]) : false;

/**
 * Runs the fused forward (with weightsOut) and backward on X and compares them with the composition.
 * opts: the attention options (without out / weightsOut); vis: the visibility the options mean.
 */
const LIBRARY = { attention: (...a) => mm.attention(...a), attentionBackward: (...a) => mm.attentionBackward(...a) };
function checkAgainstComposition(spec, X, opts, vis, misses, label, { backward = true, impl = LIBRARY } = {}) {
  const { B, H, Hkv, Lq, Lk, D, Dv } = X;
  const T = tensors(X);
  const comp = compose(spec, X, vis, { backward });
  for (const h of comp.info.harnessMisses.slice(0, 3)) misses.push(`${label}: harness self-check: ${h}`);
  const w = new Float32Array(B * H * Lq * Lk);
  const res = impl.attention(T.q, T.k, T.v, { ...opts, weightsOut: w });
  if (!(res?.data instanceof Float32Array) || res.data.length !== B * H * Lq * Dv) { misses.push(`${label}: attention returned ${res?.data?.constructor?.name} of length ${res?.data?.length}`); return comp; }
  if (!dimsEq(res.dims, [B, H, Lq, Dv])) misses.push(`${label}: output dims ${JSON.stringify(res.dims)}, expected [${B},${H},${Lq},${Dv}]`);
  const rowWhere = (cols) => (e) => { const r = Math.floor(e / cols); return `b${Math.floor(r / (H * Lq))} h${Math.floor(r / Lq) % H} i${r % Lq} [${e % cols}]`; };
  compareArr({ name: spec.name, field: 'output', got: res.data, ref: comp.out, tol: comp.outTol, where: rowWhere(Dv), misses, label });
  compareArr({ name: spec.name, field: 'weights', got: w, ref: comp.p, tol: comp.pTol, where: rowWhere(Lk), misses, label });
  if (!backward) return comp;
  const g = impl.attentionBackward(T.q, T.k, T.v, T.dOut, opts);
  const kvWhere = (cols) => (e) => { const r = Math.floor(e / cols); return `b${Math.floor(r / (Hkv * Lk))} kvh${Math.floor(r / Lk) % Hkv} j${r % Lk} [${e % cols}]`; };
  for (const [field, t, dims] of [['dq', g?.dq, [B, H, Lq, D]], ['dk', g?.dk, [B, Hkv, Lk, D]], ['dv', g?.dv, [B, Hkv, Lk, Dv]]]) {
    if (!(t?.data instanceof Float32Array)) { misses.push(`${label}: ${field} should be a tensor-like with Float32Array data, got ${t?.data?.constructor?.name}`); continue; }
    if (!dimsEq(t.dims, dims)) misses.push(`${label}: ${field}.dims ${JSON.stringify(t.dims)}, expected ${JSON.stringify(dims)}`);
    compareArr({ name: spec.name, field, got: t.data, ref: comp[field], tol: comp[`${field}Tol`], where: field === 'dq' ? rowWhere(D) : kvWhere(field === 'dk' ? D : Dv), misses, label });
  }
  if (comp.dParams) {
    const per = Array.isArray(comp.dParams);
    const gotL = per ? g.dParams : [g.dParams], refL = per ? comp.dParams : [comp.dParams], tolL = per ? comp.dParamsTol : [comp.dParamsTol];
    if (!Array.isArray(gotL) || gotL.length !== refL.length || gotL.some((x) => x?.ranges?.length !== 4 || x?.ts?.length !== 4)) {
      misses.push(`${label}: dParams should be ${per ? `an array of ${refL.length} { ranges, ts }` : '{ ranges, ts }'}, got ${JSON.stringify(g.dParams)}`);
    } else {
      const flat = (L, key) => L.flatMap((x) => Array.from(x[key], Number));
      for (const key of ['ranges', 'ts']) {
        compareArr({ name: spec.name, field: `dParams.${key}`, got: flat(gotL, key), ref: flat(refL, key), tol: flat(tolL, key), where: (e) => `${per ? `head ${e >> 2} ` : ''}${key}[${e & 3}]`, misses, label });
      }
    }
  } else if (g.dParams !== null) misses.push(`${label}: dParams should be null for ${opts.normalizer ?? 'softmax'}, got ${JSON.stringify(g.dParams)}`);
  return comp;
}

function assertNoMisses(misses, what, max = 25) {
  if (!misses.length) return;
  assert.fail(`${what}: ${misses.length} problem(s)\n  ${misses.slice(0, max).join('\n  ')}${misses.length > max ? `\n  ... and ${misses.length - max} more` : ''}`);
}
const visFor = (X, keyMask, causal) => (b, i, j) => (!keyMask || keyMask[b * X.Lk + j] === 1) && (!causal || j <= i + X.Lk - X.Lq);

// ---- shapes of (a) ----------------------------------------------------------------------------------
const SHAPES = [
  { name: 'GQA H4/Hkv2 D7 Dv5 Lq23<Lk300', B: 2, H: 4, Hkv: 2, Lq: 23, Lk: 300, D: 7, Dv: 5 },
  { name: 'MQA H4/Hkv1 decode Lq1 Lk129 D5 Dv6', B: 2, H: 4, Hkv: 1, Lq: 1, Lk: 129, D: 5, Dv: 6 },
  { name: 'H3 Lq=Lk=17 D16 Dv9 scale 0.3', B: 2, H: 3, Hkv: 3, Lq: 17, Lk: 17, D: 16, Dv: 9, scale: 0.3 },
  { name: 'H2/Hkv1 Lq8 Lk33 D12 Dv4 q×3', B: 2, H: 2, Hkv: 1, Lq: 8, Lk: 33, D: 12, Dv: 4, qScale: 3 },
];
const MASKS = [['none', false, false], ['keyMask', true, false], ['causal', false, true], ['keyMask+causal', true, true]];

// =====================================================================================================
if (!REFERENCE_ONLY) {
  const needImpl = () => assert.ok(hasAttention, 'mm.attention / mm.attentionBackward are not engine methods (not implemented? run node scripts/build.mjs)');
  /** The float64 reference as a "fused" implementation with Float32Array results (harness self-check). */
  const refAsLib = {
    attention(q, k, v, o) {
      const w = o.weightsOut ? new Float64Array(o.weightsOut.length) : null;
      const r = attentionRef(q, k, v, { ...o, weightsOut: w });
      if (w) o.weightsOut.set(w);
      return { data: Float32Array.from(r.data), dims: r.dims };
    },
    attentionBackward(q, k, v, g, o) {
      const r = attentionBackwardRef(q, k, v, g, o);
      const t = (x) => ({ data: Float32Array.from(x.data), dims: x.dims });
      return { dq: t(r.dq), dk: t(r.dk), dv: t(r.dv), dParams: r.dParams };
    },
  };

  /** One (a)-style sweep for one normaliser; impl: the library (default) or refAsLib. */
  function sweep(spec, misses, impl = LIBRARY, statsName = spec.name, shapes = SHAPES) {
    for (const sh of shapes) {
      const si = SHAPES.indexOf(sh);
      const X = { ...sh, ...makeQKV(sh, 1000 + 17 * si, { qScale: sh.qScale ?? 1 }) };
      const keyMask = randKeyMask(sh.B, sh.Lk, 2000 + si);
      for (const [mname, useKm, causal] of MASKS) {
        const opts = { ...spec.attn(sh.H), ...(sh.scale !== undefined ? { scale: sh.scale } : {}), ...(useKm ? { keyMask } : {}), ...(causal ? { causal: true } : {}) };
        const label = `[${statsName}] ${sh.name}, ${mname}`;
        try {
          checkAgainstComposition({ ...spec, name: statsName }, X, opts, visFor(X, useKm ? keyMask : null, causal), misses, label, { impl });
        } catch (err) {
          misses.push(`${label}: threw ${err?.constructor?.name}: ${err?.message}${String(err?.stack ?? '').split('\n').slice(1, 3).join(' ')}`);
        }
      }
    }
  }
  /** Asserts that the sweep checked most elements (not vacuous): ≤ maxUnchecked of each field unchecked. */
  function assertChecked(name, maxUnchecked = 0.02) {
    for (const [field, s] of Object.entries(statsOf(name))) {
      assert.ok(s.n > 0, `${name} ${field}: nothing compared`);
      assert.ok(s.unchecked <= maxUnchecked * s.n, `${name} ${field}: ${s.unchecked} of ${s.n} elements unchecked (ill-conditioned), more than ${maxUnchecked * 100}%`);
    }
  }

  describe('a. agreement with the composition of the library\'s row operations', () => {
    test('harness self-check: the float64 reference passes as the fused implementation (softmax, per-head MultiMax, entmax α=2.5, normmax, evSoftmax)', () => {
      for (const n of ['softmax', 'multimax (per-head params)', 'entmax α=2.5', 'normmax α=2', 'evSoftmax']) {
        const misses = [];
        sweep(byName(n), misses, refAsLib, `reference as ${n}`, n === 'softmax' ? SHAPES : SHAPES.slice(1)); // (the float64 reference is slow on the 300-key shape)
        assertNoMisses(misses, `float64 reference vs composition (${n})`);
      }
    });

    test('harness self-check: the comparison catches a wrong kv-head mapping, a scale 0.1% off and top-left causal alignment (mutations of the float64 reference)', () => {
      const sh = { B: 2, H: 4, Hkv: 2, Lq: 5, Lk: 20, D: 7, Dv: 5 }, X = { ...sh, ...makeQKV(sh, 6060) };
      const swapKv = (t) => { // kv heads 0 and 1 exchanged
        const per = t.dims[2] * t.dims[3], d = Float32Array.from(t.data);
        for (let b = 0; b < t.dims[0]; b++) { d.set(t.data.subarray((2 * b + 1) * per, (2 * b + 2) * per), 2 * b * per); d.set(t.data.subarray(2 * b * per, (2 * b + 1) * per), (2 * b + 1) * per); }
        return { data: d, dims: t.dims };
      };
      const firstKeys = (t, L) => { // keys 0 .. L-1 of every (b, kv head)
        const [B, Hk, Lk, Dd] = t.dims, d = new Float32Array(B * Hk * L * Dd);
        for (let bh = 0; bh < B * Hk; bh++) d.set(t.data.subarray(bh * Lk * Dd, (bh * Lk + L) * Dd), bh * L * Dd);
        return { data: d, dims: [B, Hk, L, Dd] };
      };
      const padKeys = (t, Lk) => { // back to Lk keys, zeros after
        const [B, Hk, L, Dd] = t.dims, d = new Float32Array(B * Hk * Lk * Dd);
        for (let bh = 0; bh < B * Hk; bh++) d.set(t.data.subarray(bh * L * Dd, (bh + 1) * L * Dd), bh * Lk * Dd);
        return { data: d, dims: [B, Hk, Lk, Dd] };
      };
      const mutations = {
        'kv heads swapped': { attention: (q, k, v, o) => refAsLib.attention(q, swapKv(k), swapKv(v), o), attentionBackward: (q, k, v, g, o) => { const r = refAsLib.attentionBackward(q, swapKv(k), swapKv(v), g, o); return { ...r, dk: swapKv(r.dk), dv: swapKv(r.dv) }; } },
        'scale 0.1% off': { attention: (q, k, v, o) => refAsLib.attention(q, k, v, { ...o, scale: 1.001 / Math.sqrt(q.dims[3]) }), attentionBackward: (q, k, v, g, o) => refAsLib.attentionBackward(q, k, v, g, { ...o, scale: 1.001 / Math.sqrt(q.dims[3]) }) },
        'top-left causal': { // j <= i: bottom-right on the first Lq keys
          attention(q, k, v, o) {
            const Lq = q.dims[2], Lk = k.dims[2], w = o.weightsOut ? new Float32Array(o.weightsOut.length / Lk * Lq) : null;
            const r = refAsLib.attention(q, firstKeys(k, Lq), firstKeys(v, Lq), { ...o, weightsOut: w });
            if (w) { o.weightsOut.fill(0); for (let row = 0; row < w.length / Lq; row++) o.weightsOut.set(w.subarray(row * Lq, (row + 1) * Lq), row * Lk); }
            return r;
          },
          attentionBackward(q, k, v, g, o) {
            const Lq = q.dims[2], Lk = k.dims[2], r = refAsLib.attentionBackward(q, firstKeys(k, Lq), firstKeys(v, Lq), g, o);
            return { ...r, dk: padKeys(r.dk, Lk), dv: padKeys(r.dv, Lk) };
          },
        },
      };
      for (const [what, impl] of Object.entries(mutations)) for (const n of ['softmax', 'multimax (per-head params)', 'sparsemax']) {
        const misses = [], spec = byName(n), causal = what === 'top-left causal';
        checkAgainstComposition({ ...spec, name: `mutation: ${what}` }, X, { ...spec.attn(sh.H), causal }, visFor(X, null, causal), misses, `[${what}]`, { impl });
        for (const f of ['output', 'weights', 'dq', 'dk', 'dv']) assert.ok(misses.some((m) => m.includes(` ${f}: `)), `${what} (${n}): no miss in ${f}:\n  ${misses.join('\n  ')}`);
      }
    });

    for (const spec of NORMS) {
      test(`${spec.name}: output, weights, dq, dk, dv${spec.params ? ', dParams' : ''} on GQA / decode / odd D / Dv ≠ D shapes, with and without keyMask and causal`, () => {
        needImpl();
        const misses = [];
        sweep(spec, misses);
        assertNoMisses(misses, spec.name);
        const isEv = spec.kind === 'ev';
        assertChecked(spec.name, isEv ? 0.2 : spec.alpha === 2.5 || spec.kind === 'normmax' || spec.alpha === 2 ? 0.05 : 0.001);
      });
    }

    test('dParams: shared parameters get the sum over heads of the per-head gradients (same parameters in every head)', () => {
      needImpl();
      const sh = SHAPES[0], X = { ...sh, ...makeQKV(sh, 4242) }, T = tensors(X);
      const shared = mm.attentionBackward(T.q, T.k, T.v, T.dOut, { normalizer: 'multimax', params: P_SHARED, causal: true });
      const per = mm.attentionBackward(T.q, T.k, T.v, T.dOut, { normalizer: 'multimax', params: Array.from({ length: sh.H }, () => P_SHARED), causal: true });
      assert.ok(Array.isArray(per.dParams) && per.dParams.length === sh.H, 'per-head dParams: an array of H');
      for (const key of ['ranges', 'ts']) for (let m = 0; m < 4; m++) {
        const sum = per.dParams.reduce((a, x) => a + x[key][m], 0), mag = per.dParams.reduce((a, x) => a + Math.abs(x[key][m]), 0);
        assert.ok(Math.abs(shared.dParams[key][m] - sum) <= 1e-5 * mag + 1e-12, `${key}[${m}]: shared ${shared.dParams[key][m]} vs Σ heads ${sum}`);
      }
      // and the other gradients are the same numbers
      for (const f of ['dq', 'dk', 'dv']) assert.deepEqual(Array.from(per[f].data), Array.from(shared[f].data), `${f}: per-head (equal sets) vs shared`);
    });
  });

  describe('b. causal masking is bottom-right aligned', () => {
    for (const [Lq, Lk] of [[12, 12], [5, 13], [1, 9]]) {
      test(`Lq=${Lq}, Lk=${Lk}: weights are 0 exactly where j > i + Lk − Lq and positive elsewhere (softmax); agreement with the rule's mask written out; the last query sees every key`, () => {
        needImpl();
        const sh = { B: 2, H: 2, Hkv: 1, Lq, Lk, D: 6, Dv: 3 }, X = { ...sh, ...makeQKV(sh, 300 + Lq * 31 + Lk) }, T = tensors(X);
        const rule = (b, i, j) => j <= i + (Lk - Lq); // written out here, not taken from the harness
        for (const spec of [byName('softmax'), byName('sparsemax'), byName('multimax (per-head params)')]) {
          const misses = [];
          checkAgainstComposition(spec, X, { ...spec.attn(sh.H), causal: true }, rule, misses, `[causal ${spec.name}] ${Lq}x${Lk}`);
          assertNoMisses(misses, `causal ${spec.name} Lq=${Lq} Lk=${Lk}`);
        }
        const w = new Float32Array(sh.B * sh.H * Lq * Lk);
        mm.attention(T.q, T.k, T.v, { causal: true, weightsOut: w });
        const wAll = new Float32Array(w.length);
        const full = mm.attention(T.q, T.k, T.v, { weightsOut: wAll }), causal = mm.attention(T.q, T.k, T.v, { causal: true });
        for (let r = 0; r < sh.B * sh.H * Lq; r++) {
          const i = r % Lq;
          for (let j = 0; j < Lk; j++) {
            const x = w[r * Lk + j];
            if (j > i + Lk - Lq) assert.equal(x, 0, `row ${r} (i=${i}) key ${j}: hidden by the rule, weight ${x}`);
            else assert.ok(x > 0, `row ${r} (i=${i}) key ${j}: visible by the rule, weight ${x} (top-left alignment would hide it when Lq < Lk)`);
          }
          if (i === Lq - 1) { // the last query: every key, as without causal
            for (let j = 0; j < Lk; j++) assert.ok(Math.abs(w[r * Lk + j] - wAll[r * Lk + j]) <= 1e-6 * wAll[r * Lk + j] + TINY, `last query, key ${j}: causal ${w[r * Lk + j]} vs full ${wAll[r * Lk + j]}`);
            for (let c = 0; c < sh.Dv; c++) {
              const a = causal.data[r * sh.Dv + c], b = full.data[r * sh.Dv + c];
              assert.ok(Math.abs(a - b) <= 1e-6 * (1 + Math.abs(b)), `last query output ${c}: causal ${a} vs full ${b}`);
            }
          }
        }
      });
    }
  });

  describe('c. fully masked rows', () => {
    for (const spec of NORMS) {
      test(`${spec.name}: a batch element without keys, and causal with Lq > Lk: output, weights, dq exactly 0, nothing NaN, no contribution to dk, dv, dParams`, () => {
        needImpl();
        // (1) keyMask all 0 for batch element 1
        const sh = { B: 2, H: 4, Hkv: 2, Lq: 6, Lk: 11, D: 5, Dv: 7 }, X = { ...sh, ...makeQKV(sh, 555) };
        const keyMask = randKeyMask(2, sh.Lk, 556);
        keyMask.fill(0, sh.Lk);
        const misses = [];
        checkAgainstComposition(spec, X, { ...spec.attn(sh.H), keyMask }, visFor(X, keyMask, false), misses, `[${spec.name}] batch 1 without keys`);
        const T = tensors(X), o = { ...spec.attn(sh.H), keyMask };
        const w = new Float32Array(sh.B * sh.H * sh.Lq * sh.Lk);
        const out = mm.attention(T.q, T.k, T.v, { ...o, weightsOut: w });
        const half = (a) => a.subarray(a.length / 2);
        assert.ok(half(out.data).every((x) => x === 0), 'output of batch 1 must be 0 exactly');
        assert.ok(half(w).every((x) => x === 0), 'weights of batch 1 must be 0 exactly');
        const g = mm.attentionBackward(T.q, T.k, T.v, T.dOut, o);
        assert.ok(half(g.dq.data).every((x) => x === 0), 'dq of batch 1 must be 0 exactly');
        assert.ok(half(g.dk.data).every((x) => x === 0), 'dk of batch 1 must be 0 exactly (no visible pair)');
        assert.ok(half(g.dv.data).every((x) => x === 0), 'dv of batch 1 must be 0 exactly');
        for (const f of ['dq', 'dk', 'dv']) assert.ok(g[f].data.every(Number.isFinite), `${f} finite`);
        // (2) causal with Lq > Lk: queries 0 .. Lq − Lk − 1 see no key
        const sh2 = { B: 2, H: 2, Hkv: 2, Lq: 9, Lk: 5, D: 4, Dv: 4 }, X2 = { ...sh2, ...makeQKV(sh2, 557) }, T2 = tensors(X2);
        checkAgainstComposition(spec, X2, { ...spec.attn(sh2.H), causal: true }, (b, i, j) => j <= i - 4, misses, `[${spec.name}] causal Lq 9 > Lk 5`);
        const w2 = new Float32Array(2 * 2 * 9 * 5);
        const out2 = mm.attention(T2.q, T2.k, T2.v, { ...spec.attn(2), causal: true, weightsOut: w2 });
        const g2 = mm.attentionBackward(T2.q, T2.k, T2.v, T2.dOut, { ...spec.attn(2), causal: true });
        for (let r = 0; r < 2 * 2 * 9; r++) {
          const i = r % 9, empty = i < 4;
          for (let c = 0; c < 4; c++) {
            assert.ok(Number.isFinite(out2.data[r * 4 + c]) && Number.isFinite(g2.dq.data[r * 4 + c]), `row ${r}: finite`);
            if (empty) { assert.equal(out2.data[r * 4 + c], 0, `row ${r} (i=${i}) output`); assert.equal(g2.dq.data[r * 4 + c], 0, `row ${r} (i=${i}) dq`); }
          }
          for (let j = 0; j < 5; j++) if (empty) assert.equal(w2[r * 5 + j], 0, `row ${r} weight ${j}`);
        }
        if (g2.dParams) for (const s of Array.isArray(g2.dParams) ? g2.dParams : [g2.dParams]) assert.ok([...s.ranges, ...s.ts].every(Number.isFinite), 'dParams finite');
        assertNoMisses(misses, `${spec.name} fully masked rows`);
      });
    }
  });

  describe('d. call forms, out, zero-copy views, memory', () => {
    const sameBits = (a, b, what) => {
      assert.equal(a.length, b.length, `${what}: length`);
      for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}: element ${i}: ${a[i]} vs ${b[i]}`);
    };
    const sh = { B: 1, H: 3, Hkv: 3, Lq: 7, Lk: 10, D: 5, Dv: 6 };
    const X = { ...sh, ...makeQKV(sh, 808) };
    const o = { normalizer: 'multimax', params: P_SHARED, causal: true };

    test('rank 3 [H, L, D] and rank 2 [L, D] give bitwise the rank-4 numbers, with dims of q\'s rank (forward and backward)', () => {
      needImpl();
      const { B, H, Lq, Lk, D, Dv } = sh;
      const r4 = mm.attention({ data: X.q, dims: [B, H, Lq, D] }, { data: X.k, dims: [B, H, Lk, D] }, { data: X.v, dims: [B, H, Lk, Dv] }, o);
      const r3 = mm.attention({ data: X.q, dims: [H, Lq, D] }, { data: X.k, dims: [H, Lk, D] }, { data: X.v, dims: [H, Lk, Dv] }, o);
      assert.deepEqual(Array.from(r3.dims), [H, Lq, Dv]);
      sameBits(r3.data, r4.data, 'rank 3 vs rank 4');
      const b4 = mm.attentionBackward({ data: X.q, dims: [B, H, Lq, D] }, { data: X.k, dims: [B, H, Lk, D] }, { data: X.v, dims: [B, H, Lk, Dv] }, { data: X.dOut, dims: [B, H, Lq, Dv] }, o);
      const b3 = mm.attentionBackward({ data: X.q, dims: [H, Lq, D] }, { data: X.k, dims: [H, Lk, D] }, { data: X.v, dims: [H, Lk, Dv] }, { data: X.dOut, dims: [H, Lq, Dv] }, o);
      for (const [f, d] of [['dq', [H, Lq, D]], ['dk', [H, Lk, D]], ['dv', [H, Lk, Dv]]]) { assert.deepEqual(Array.from(b3[f].dims), d, `${f}.dims rank 3`); sameBits(b3[f].data, b4[f].data, `${f} rank 3 vs 4`); }
      for (const key of ['ranges', 'ts']) assert.deepEqual(b3.dParams[key], b4.dParams[key], `dParams.${key} rank 3 vs 4`);
      // rank 2: head 1 alone
      const sl = (a, per) => a.slice(per, 2 * per);
      const r2 = mm.attention({ data: sl(X.q, Lq * D), dims: [Lq, D] }, { data: sl(X.k, Lk * D), dims: [Lk, D] }, { data: sl(X.v, Lk * Dv), dims: [Lk, Dv] }, o);
      const r41 = mm.attention({ data: sl(X.q, Lq * D), dims: [1, 1, Lq, D] }, { data: sl(X.k, Lk * D), dims: [1, 1, Lk, D] }, { data: sl(X.v, Lk * Dv), dims: [1, 1, Lk, Dv] }, o);
      assert.deepEqual(Array.from(r2.dims), [Lq, Dv]);
      sameBits(r2.data, r41.data, 'rank 2 vs rank 4 (B = H = 1)');
      // and head 1 of the 3-head call is the same computation
      const b2 = mm.attentionBackward({ data: sl(X.q, Lq * D), dims: [Lq, D] }, { data: sl(X.k, Lk * D), dims: [Lk, D] }, { data: sl(X.v, Lk * Dv), dims: [Lk, Dv] }, { data: sl(X.dOut, Lq * Dv), dims: [Lq, Dv] }, o);
      for (const [f, d] of [['dq', [Lq, D]], ['dk', [Lk, D]], ['dv', [Lk, Dv]]]) assert.deepEqual(Array.from(b2[f].dims), d, `${f}.dims rank 2`);
      const near = (a, b, what) => { for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-5 * (1 + Math.abs(b[i])), `${what} ${i}: ${a[i]} vs ${b[i]}`); };
      near(r2.data, sl(r4.data, Lq * Dv), 'rank 2 vs head 1 of rank 4');
    });

    test('number[] data, Float64Array data and every keyMask form give bitwise the Float32Array result; top-level = engine', () => {
      needImpl();
      const { B, H, Lq, Lk, D, Dv } = sh;
      const keyMask = randKeyMask(B, Lk, 809);
      const T = tensors(X), base = mm.attention(T.q, T.k, T.v, { ...o, keyMask });
      const arr = (a) => Array.from(a);
      sameBits(mm.attention({ data: arr(X.q), dims: T.q.dims }, { data: arr(X.k), dims: T.k.dims }, { data: arr(X.v), dims: T.v.dims }, { ...o, keyMask }).data, base.data, 'number[] data');
      sameBits(mm.attention({ data: Float64Array.from(X.q), dims: T.q.dims }, T.k, { data: Float64Array.from(X.v), dims: T.v.dims }, { ...o, keyMask }).data, base.data, 'Float64Array data');
      for (const [what, km] of [['boolean[]', Array.from(keyMask, (x) => x === 1)], ['number[]', Array.from(keyMask)], ['{ data, dims: [B, Lk] }', { data: keyMask, dims: [B, Lk] }]])
        sameBits(mm.attention(T.q, T.k, T.v, { ...o, keyMask: km }).data, base.data, `keyMask as ${what}`);
      sameBits(api.attention(T.q, T.k, T.v, { ...o, keyMask }).data, base.data, 'top-level attention');
      const g1 = mm.attentionBackward(T.q, T.k, T.v, T.dOut, { ...o, keyMask });
      const g2 = mm.attentionBackward({ data: arr(X.q), dims: T.q.dims }, { data: arr(X.k), dims: T.k.dims }, { data: arr(X.v), dims: T.v.dims }, { data: arr(X.dOut), dims: T.dOut.dims }, { ...o, keyMask: Array.from(keyMask, Boolean) });
      const g3 = api.attentionBackward(T.q, T.k, T.v, T.dOut, { ...o, keyMask });
      for (const f of ['dq', 'dk', 'dv']) { sameBits(g2[f].data, g1[f].data, `backward ${f} number[]`); sameBits(g3[f].data, g1[f].data, `top-level backward ${f}`); }
      void H; void Lq; void D; void Dv;
    });

    test('`out` (Float32Array or tensor-like) is filled and returned; weightsOut is filled; q, k, v are not modified', () => {
      needImpl();
      const T = tensors(X), base = mm.attention(T.q, T.k, T.v, o);
      const qc = X.q.slice(), kc = X.k.slice(), vc = X.v.slice();
      const out = new Float32Array(base.data.length).fill(NaN);
      const r1 = mm.attention(T.q, T.k, T.v, { ...o, out });
      assert.ok(r1 === out || r1.data === out, 'the result is out or { data: out, dims }');
      sameBits(out, base.data, 'out');
      const outT = { data: new Float32Array(base.data.length).fill(NaN), dims: [1, 3, 7, 6] };
      const r2 = mm.attention(T.q, T.k, T.v, { ...o, out: outT });
      assert.ok(r2 === outT || r2.data === outT.data, 'the result is the tensor-like out or has its data');
      sameBits(outT.data, base.data, 'tensor-like out');
      const w = new Float32Array(sh.B * sh.H * sh.Lq * sh.Lk).fill(NaN);
      sameBits(mm.attention(T.q, T.k, T.v, { ...o, weightsOut: w }).data, base.data, 'with weightsOut');
      assert.ok(w.every(Number.isFinite), 'weightsOut entirely written');
      for (let r = 0; r < sh.H * sh.Lq; r++) {
        let s = 0;
        for (let j = 0; j < sh.Lk; j++) s += w[r * sh.Lk + j];
        assert.ok(Math.abs(s - 1) <= 1e-5, `weights row ${r} sums to ${s}`);
      }
      sameBits(X.q, qc, 'q unmodified'); sameBits(X.k, kc, 'k unmodified'); sameBits(X.v, vc, 'v unmodified');
    });

    test('zero-copy: q, k, v, out, weightsOut and dOut as engine views give the same bits', () => {
      needImpl();
      const T = tensors(X), base = mm.attention(T.q, T.k, T.v, o), gb = mm.attentionBackward(T.q, T.k, T.v, T.dOut, o);
      const wBase = new Float32Array(sh.B * sh.H * sh.Lq * sh.Lk);
      mm.attention(T.q, T.k, T.v, { ...o, weightsOut: wBase });
      mm.reserve(1 << 16);
      let views = [X.q, X.k, X.v, X.dOut].map((a) => { const v = mm.alloc(a.length); return v; });
      let outV = mm.alloc(base.data.length), wV = mm.alloc(wBase.length);
      [views, outV, wV] = [views.map((v) => mm.refresh(v)), mm.refresh(outV), mm.refresh(wV)]; // (alloc may have grown the memory)
      [X.q, X.k, X.v, X.dOut].forEach((a, i) => views[i].set(a));
      const [qV, kV, vV, gV] = views;
      const r = mm.attention({ data: qV, dims: T.q.dims }, { data: kV, dims: T.k.dims }, { data: vV, dims: T.v.dims }, { ...o, out: outV, weightsOut: wV });
      assert.ok(r === outV || r.data === outV || r.data === mm.refresh(outV), 'result is the out view');
      sameBits(mm.refresh(outV), base.data, 'out view');
      sameBits(mm.refresh(wV), wBase, 'weightsOut view');
      const g = mm.attentionBackward({ data: mm.refresh(qV), dims: T.q.dims }, { data: mm.refresh(kV), dims: T.k.dims }, { data: mm.refresh(vV), dims: T.v.dims }, { data: mm.refresh(gV), dims: T.dOut.dims }, o);
      for (const f of ['dq', 'dk', 'dv']) sameBits(g[f].data, gb[f].data, `backward ${f} from views`);
      for (const x of [qV, kV, vV, gV, outV, wV]) mm.free(x);
    });

    test('decode loop: Lq = 1, k / v engine views of a growing KV cache (capacity 4096), out a view: the memory never grows, the views stay attached', () => {
      needImpl();
      const H = 4, D = 64, Dv = 64, CAP = 4096, L0 = 1000, STEPS = 50;
      const rnd = mulberry32(9090);
      const kCache = mm.alloc(CAP * D), vCache = mm.alloc(CAP * Dv), qV = mm.alloc(H * D), outV = mm.alloc(H * Dv);
      const fill = (a, n) => { for (let i = 0; i < n; i++) a[i] = gauss(rnd); };
      const views = () => [kCache, vCache, qV, outV].map((x) => mm.refresh(x));
      let [kc, vc, qv, ov] = views();
      fill(kc, L0 * D); fill(vc, L0 * Dv); fill(qv, H * D);
      const call = (L) => mm.attention({ data: qv, dims: [1, H, 1, D] }, { data: kc.subarray(0, L * D), dims: [1, 1, L, D] }, { data: vc.subarray(0, L * Dv), dims: [1, 1, L, Dv] }, { out: ov, causal: true });
      call(L0); // warm-up (may grow the memory once)
      [kc, vc, qv, ov] = views();
      const bytes = mm.memory.buffer.byteLength;
      for (let t = 1; t <= STEPS; t++) {
        const L = L0 + t;
        for (let d = 0; d < D; d++) { kc[(L - 1) * D + d] = gauss(rnd); vc[(L - 1) * Dv + d] = gauss(rnd); }
        fill(qv, H * D);
        const r = call(L);
        assert.equal(mm.memory.buffer.byteLength, bytes, `step ${t}: the memory grew`);
        assert.equal(kc.length, CAP * D, `step ${t}: the k cache view was detached`);
        assert.equal(vc.length, CAP * Dv, `step ${t}: the v cache view was detached`);
        assert.ok(r === ov || r.data === ov, `step ${t}: the result is the out view`);
        if (t % 10 === 0) { // the same call on copies gives the same bits
          const c = mm.attention({ data: qv.slice(), dims: [1, H, 1, D] }, { data: kc.slice(0, L * D), dims: [1, 1, L, D] }, { data: vc.slice(0, L * Dv), dims: [1, 1, L, Dv] }, { causal: true });
          for (let i = 0; i < H * Dv; i++) assert.ok(Object.is(c.data[i], ov[i]), `step ${t}: view call vs copy call, element ${i}`);
        }
      }
      for (const x of [kCache, vCache, qV, outV]) mm.free(mm.refresh(x));
    });
  });

  describe('e. bad input: the argument named, the engine usable afterwards', () => {
    const sh = { B: 2, H: 4, Hkv: 2, Lq: 3, Lk: 5, D: 8, Dv: 6 };
    const X = { ...sh, ...makeQKV(sh, 1212) }, T = tensors(X);
    const km = randKeyMask(2, 5, 1213);
    const t4 = (data, dims) => ({ data, dims });
    const f32 = (n) => new Float32Array(n).fill(0.5);
    const CASES = [
      ['k.dims[3] ≠ q\'s D', RangeError, /k\.dims\[3\]/, () => mm.attention(T.q, t4(f32(2 * 2 * 5 * 7), [2, 2, 5, 7]), T.v)],
      ['v\'s Lk ≠ k\'s Lk', RangeError, /^v\.dims\[2\]/, () => mm.attention(T.q, T.k, t4(f32(2 * 2 * 6 * 6), [2, 2, 6, 6]))],
      ['H not divisible by Hkv', RangeError, /^[qkv]\.dims\[1\]/, () => mm.attention(T.q, t4(f32(2 * 3 * 5 * 8), [2, 3, 5, 8]), t4(f32(2 * 3 * 5 * 6), [2, 3, 5, 6]))],
      ['B mismatch', RangeError, /^[kv]\.dims\[0\]/, () => mm.attention(T.q, t4(f32(1 * 2 * 5 * 8), [1, 2, 5, 8]), t4(f32(1 * 2 * 5 * 6), [1, 2, 5, 6]))],
      ['q.data of the wrong length', RangeError, /^q\b/, () => mm.attention(t4(X.q.subarray(1), T.q.dims), T.k, T.v)],
      ['k and v of different ranks', RangeError, /^[kv]\b/, () => mm.attention(T.q, T.k, t4(X.v, [4, 5, 6]))],
      ['unknown option', TypeError, /bogus/, () => mm.attention(T.q, T.k, T.v, { bogus: 1 })],
      ['unknown normalizer', [TypeError, RangeError], /^normalizer/, () => mm.attention(T.q, T.k, T.v, { normalizer: 'softmaxx' })],
      ['params missing for multimax', TypeError, /params/, () => mm.attention(T.q, T.k, T.v, { normalizer: 'multimax' })],
      ['params given to softmax', TypeError, /^params/, () => mm.attention(T.q, T.k, T.v, { params: P_SHARED })],
      ['params array of H − 1 sets', RangeError, /^params/, () => mm.attention(T.q, T.k, T.v, { normalizer: 'multimax', params: P_HEADS.slice(0, 3) })],
      ['alpha given to softmax', TypeError, /^alpha/, () => mm.attention(T.q, T.k, T.v, { alpha: 1.5 })],
      ['entmax alpha < 1', RangeError, /^alpha/, () => mm.attention(T.q, T.k, T.v, { normalizer: 'entmax', alpha: 0.5 })],
      ['training given to sparsemax', TypeError, /^training/, () => mm.attention(T.q, T.k, T.v, { normalizer: 'sparsemax', training: true })],
      ['keyMask of the wrong length', RangeError, /^keyMask/, () => mm.attention(T.q, T.k, T.v, { keyMask: new Uint8Array(9) })],
      ['weightsOut of the wrong length', RangeError, /^weightsOut/, () => mm.attention(T.q, T.k, T.v, { weightsOut: new Float32Array(2 * 4 * 3 * 5 - 1) })],
      ['out of the wrong length', RangeError, /^out/, () => mm.attention(T.q, T.k, T.v, { out: new Float32Array(2 * 4 * 3 * 6 + 1) })],
      ['dOut of the wrong dims', RangeError, /^dOut/, () => mm.attentionBackward(T.q, T.k, T.v, t4(X.dOut, [2, 4, 6, 3]))],
      ['dOut of the wrong length', RangeError, /^dOut/, () => mm.attentionBackward(T.q, T.k, T.v, t4(X.dOut.subarray(1), [2, 4, 3, 6]))],
      ['scale NaN', RangeError, /^scale/, () => mm.attention(T.q, T.k, T.v, { scale: NaN })],
      ['scale Infinity', RangeError, /^scale/, () => mm.attention(T.q, T.k, T.v, { scale: Infinity })],
      ['scale a string', TypeError, /^scale/, () => mm.attention(T.q, T.k, T.v, { scale: '0.5' })],
      ['causal not a boolean', TypeError, /^causal/, () => mm.attention(T.q, T.k, T.v, { causal: 1 })],
      ['causal not a boolean (backward)', TypeError, /^causal/, () => mm.attentionBackward(T.q, T.k, T.v, T.dOut, { causal: 'yes' })],
      ['out given to the backward', TypeError, /^out/, () => mm.attentionBackward(T.q, T.k, T.v, T.dOut, { out: new Float32Array(2 * 4 * 3 * 6) })],
      ['params array of the wrong length (backward)', RangeError, /^params/, () => mm.attentionBackward(T.q, T.k, T.v, T.dOut, { normalizer: 'multimax', params: P_HEADS.slice(0, 2) })],
    ];
    for (const [what, types, re, fn] of CASES) {
      test(`${what}: ${[types].flat().map((t) => t.name).join(' or ')} matching ${re}; a normal call afterwards gives the right result`, () => {
        needImpl();
        const baseline = mm.attention(T.q, T.k, T.v, { normalizer: 'multimax', params: P_HEADS, keyMask: km, causal: true }).data.slice();
        const bBase = mm.attentionBackward(T.q, T.k, T.v, T.dOut, { normalizer: 'entmax', alpha: 1.25, keyMask: km }).dk.data.slice();
        let thrown = null;
        try { fn(); } catch (err) { thrown = err; }
        assert.ok(thrown, `${what}: no error thrown`);
        assert.ok([types].flat().some((t) => thrown.constructor === t), `${what}: expected ${[types].flat().map((t) => t.name).join('/')}, got ${thrown.constructor?.name}: ${thrown.message}`);
        assert.match(thrown.message, re, `${what}: the message should name the argument`);
        const after = mm.attention(T.q, T.k, T.v, { normalizer: 'multimax', params: P_HEADS, keyMask: km, causal: true }).data;
        assert.deepEqual(Array.from(after), Array.from(baseline), `${what}: the next call gives a different result`);
        assert.deepEqual(Array.from(mm.attentionBackward(T.q, T.k, T.v, T.dOut, { normalizer: 'entmax', alpha: 1.25, keyMask: km }).dk.data), Array.from(bBase), `${what}: the next backward differs`);
      });
    }
    test('the normal call after the errors is right (against the composition)', () => {
      needImpl();
      const misses = [];
      checkAgainstComposition(byName('multimax (per-head params)'), X, { normalizer: 'multimax', params: P_HEADS, keyMask: km, causal: true }, visFor(X, km, true), misses, '[after errors]');
      assertNoMisses(misses, 'after errors');
    });
  });

  describe('f. large scores (q, k ~ 30·N(0,1), scores ~ 1e3): no NaN, agreement with the composition', () => {
    const sh = { B: 2, H: 2, Hkv: 1, Lq: 6, Lk: 40, D: 8, Dv: 3 };
    const specs = [...NORMS, normSpec('multimax (large ts)', { normalizer: 'multimax', params: P_LARGE }, 'exp', { params: () => P_LARGE })];
    for (const spec of specs) {
      test(`${spec.name}`, () => {
        needImpl();
        const X = { ...sh, ...makeQKV(sh, 3030, { qScale: 30, kScale: 30 }) }, T = tensors(X);
        const km = randKeyMask(2, sh.Lk, 3031);
        const misses = [];
        for (const [mname, useKm, causal] of MASKS) {
          const opts = { ...spec.attn(sh.H), ...(useKm ? { keyMask: km } : {}), ...(causal ? { causal: true } : {}) };
          const w = new Float32Array(2 * 2 * 6 * 40);
          const r = mm.attention(T.q, T.k, T.v, { ...opts, weightsOut: w });
          const g = mm.attentionBackward(T.q, T.k, T.v, T.dOut, opts);
          assert.ok(r.data.every(Number.isFinite), `${mname}: output has a non-finite number`);
          assert.ok(w.every(Number.isFinite), `${mname}: weights have a non-finite number`);
          for (const f of ['dq', 'dk', 'dv']) assert.ok(g[f].data.every(Number.isFinite), `${mname}: ${f} has a non-finite number`);
          if (g.dParams) for (const s of [g.dParams].flat()) assert.ok([...s.ranges, ...s.ts].every(Number.isFinite), `${mname}: dParams non-finite`);
          const vis = visFor(X, useKm ? km : null, causal);
          for (let row = 0; row < 24; row++) {
            let s = 0, any = false;
            for (let j = 0; j < 40; j++) { s += w[row * 40 + j]; any ||= vis(Math.floor(row / 12), row % 6, j); }
            assert.ok(Math.abs(s - (any ? 1 : 0)) <= 1e-5, `${mname}: weights row ${row} sums to ${s}`);
          }
          checkAgainstComposition({ ...spec, name: `${spec.name} (large)` }, X, opts, visFor(X, useKm ? km : null, causal), misses, `[${spec.name} large] ${mname}`);
        }
        assertNoMisses(misses, `${spec.name} large scores`);
      });
    }
  });

  after(() => {
    if (!STATS.size) return;
    const lines = [];
    for (const [name, fields] of STATS) {
      const parts = Object.entries(fields).map(([f, s]) => `${f} ${s.n}${s.unchecked ? ` (${s.unchecked} unchecked)` : ''}, ${s.misses} misses, worst ${s.worst.toExponential(2)}, median tol/max|ref| ${median(s.ratios).toExponential(1)}`);
      lines.push(`  ${name}: ${parts.join('; ')}`);
    }
    console.log(`attention vs composition (compared, misses, worst err/tol):\n${lines.join('\n')}`);
  });
}
