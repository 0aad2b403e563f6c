// Float64 plain-JS reference implementations of the softmax-family normalisers, written from the
// papers (not from the library), for tests and benchmarks:
//   softmax, sparsemax (Martins & Astudillo 2016), 1.5-entmax (Peters, Niculae & Martins 2019,
//   exact sort-based), alpha-entmax (bisection), alpha-normmax (bisection, as entmax's
//   normmax_bisect) and ev-softmax (official MultiMax repo).
//
// A row is any ArrayLike<number> (Array, Float64Array, Float32Array); every function returns a new
// Float64Array of the same length. Conventions (those of the library, spec "sparse-api"):
//   - -Infinity entries are left out entirely (output exactly 0), as masked entries are;
//   - a row whose entries are all -Infinity (or an empty row) gives all zeros;
//   - a row with a NaN gives all NaN;
//   - a row with +Infinity entries shares the mass equally among the +Infinity entries.
// Every computation shifts by the row maximum first: x - max is exact in float64 for float32 inputs
// of similar magnitude, so huge inputs (|x| ~ 1e4) lose no accuracy.

const BISECT_HALVINGS = 100; // the bracket has width <= 1: 2^-100 is far below any ulp of tau
const EV_EPS_TRAINING = 1e-6; // EPS of multihead_attention.py in training mode

/** Shared handling of the special rows. Returns { done } (the final output) for rows that need no
 *  computation, else { out, z, idx, max, n }: z = the kept entries minus the row max, idx = their
 *  positions, n = their count, out = a zero-filled Float64Array of the row length. */
function prepare(row) {
  const d = row.length;
  const out = new Float64Array(d);
  let nan = false;
  let nPosInf = 0;
  let n = 0;
  let max = -Infinity;
  for (let i = 0; i < d; i++) {
    const v = +row[i];
    if (Number.isNaN(v)) nan = true;
    else if (v === Infinity) nPosInf++;
    else if (v !== -Infinity) {
      n++;
      if (v > max) max = v;
    }
  }
  if (nan) return { done: out.fill(NaN) };
  if (nPosInf > 0) {
    for (let i = 0; i < d; i++) if (+row[i] === Infinity) out[i] = 1 / nPosInf;
    return { done: out };
  }
  if (n === 0) return { done: out };
  const z = new Float64Array(n);
  const idx = new Int32Array(n);
  for (let i = 0, k = 0; i < d; i++) {
    const v = +row[i];
    if (v !== -Infinity) {
      z[k] = v - max;
      idx[k++] = i;
    }
  }
  return { out, z, idx, max, n };
}

/** Divides the kept entries by their sum (float64). */
function normalise(out) {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i];
  for (let i = 0; i < out.length; i++) out[i] /= s;
  return out;
}

/** softmax: y_i = exp(x_i - max) / sum_j exp(x_j - max). */
export function softmaxRef(row) {
  const p = prepare(row);
  if (p.done) return p.done;
  const { out, z, idx, n } = p;
  for (let k = 0; k < n; k++) out[idx[k]] = Math.exp(z[k]);
  return normalise(out);
}

/** sparsemax: y = [x - tau]_+, tau = (sum_{j<=k} x_(j) - 1)/k, k = max{k : 1 + k x_(k) > sum_{j<=k} x_(j)} (x_(j) sorted descending). */
export function sparsemaxRef(row) {
  const p = prepare(row);
  if (p.done) return p.done;
  const { out, z, idx, n } = p;
  const s = Float64Array.from(z).sort().reverse(); // descending
  let cum = 0;
  let tau = s[0] - 1; // k = 1 always qualifies (s[0] = 0 after the shift)
  for (let k = 1; k <= n; k++) {
    cum += s[k - 1];
    const t = (cum - 1) / k;
    if (s[k - 1] > t) tau = t; // largest qualifying k (the condition holds for a prefix of k)
  }
  for (let k = 0; k < n; k++) out[idx[k]] = Math.max(z[k] - tau, 0);
  return out;
}

/** 1.5-entmax: y = [x/2 - tau]_+^2, tau = mean_k - sqrt((1 - ss_k)/k) for the largest k with tau_k <= x_(k)/2 (mean_k, ss_k: mean and sum of squared deviations of the top k of x/2). */
export function entmax15Ref(row) {
  const p = prepare(row);
  if (p.done) return p.done;
  const { out, z, idx, n } = p;
  const s = Float64Array.from(z, (v) => v / 2).sort().reverse(); // descending, halved
  let mean = 0;
  let m2 = 0; // Welford: sum of squared deviations from the running mean (no cancellation)
  let tau = s[0] - 1; // k = 1: mean = s[0], ss = 0, tau = s[0] - 1
  for (let k = 1; k <= n; k++) {
    const v = s[k - 1];
    const dv = v - mean;
    mean += dv / k;
    m2 += dv * (v - mean);
    const delta = (1 - m2) / k;
    const t = mean - Math.sqrt(Math.max(delta, 0));
    if (t <= v) tau = t; // largest qualifying k
  }
  for (let k = 0; k < n; k++) {
    const t = Math.max(z[k] / 2 - tau, 0);
    out[idx[k]] = t * t;
  }
  return out;
}

/** Bisection for the root tau of the decreasing f(tau) = sum_k g(z_k - tau) - 1 on [lo, hi] with
 *  f(lo) >= 0 >= f(hi); returns the lower end (f >= 0, so the support is never empty). */
function bisect(z, g, lo, hi) {
  for (let it = 0; it < BISECT_HALVINGS; it++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break; // tau resolved to the last bit
    let f = -1;
    for (let k = 0; k < z.length; k++) {
      const t = z[k] - mid;
      if (t > 0) f += g(t);
    }
    if (f >= 0) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** alpha-entmax: y_i = [(alpha-1) x_i - tau]_+^(1/(alpha-1)) with tau such that sum y = 1 (float64 bisection to full precision, then renormalised); alpha = 1 is softmax. */
export function entmaxRef(row, alpha = 1.5) {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha < 1) {
    throw new RangeError(`entmaxRef: alpha must be a finite number >= 1, got ${alpha}`);
  }
  if (alpha === 1) return softmaxRef(row);
  const p = prepare(row);
  if (p.done) return p.done;
  const { out, idx, n } = p;
  const am1 = alpha - 1;
  const e = 1 / am1;
  const z = Float64Array.from(p.z, (v) => v * am1); // max is 0
  const g = (t) => Math.pow(t, e);
  // tau in [max - 1, max - (1/n)^(alpha-1)]: the max entry alone gives 1 at the lower end; n
  // entries of at most (1/n)^(alpha-1) give at most 1 at the upper end (Peters et al. 2019).
  const tau = bisect(z, g, -1, -Math.pow(1 / n, am1));
  for (let k = 0; k < n; k++) {
    const t = z[k] - tau;
    out[idx[k]] = t > 0 ? g(t) : 0;
  }
  return normalise(out);
}

/** alpha-normmax (argmax_p <x,p> - ||p||_alpha on the simplex): y_i proportional to (x_i - tau)_+^(1/(alpha-1)), sum_i (x_i - tau)_+^(alpha/(alpha-1)) = 1 (float64 bisection, tau in [max-1, max-(1/d)^(alpha-1)]). */
export function normmaxRef(row, alpha = 2) {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 1) {
    throw new RangeError(`normmaxRef: alpha must be a finite number > 1, got ${alpha}`);
  }
  const p = prepare(row);
  if (p.done) return p.done;
  const { out, z, idx, n } = p;
  const am1 = alpha - 1;
  const e = 1 / am1;
  const ea = alpha / am1;
  // At tau = max - 1 the max entry alone gives 1; at tau = max - (1/n)^(alpha-1) every term is at
  // most (1/n)^alpha, so the sum is at most n^(1-alpha) <= 1.
  const tau = bisect(z, (t) => Math.pow(t, ea), -1, -Math.pow(1 / n, am1));
  for (let k = 0; k < n; k++) {
    const t = z[k] - tau;
    out[idx[k]] = t > 0 ? Math.pow(t, e) : 0;
  }
  return normalise(out);
}

/** ev-softmax: y = softmax(x)*m / sum(softmax(x)*m), m_i = (x_i < mean(x) ? EPS : 1), EPS = 0 (eval) or 1e-6 (training); mean in float64 over the kept (not -Infinity) entries. */
export function evSoftmaxRef(row, training = false) {
  const p = prepare(row);
  if (p.done) return p.done; // +Infinity: mean = +Infinity, only the +Infinity entries keep weight
  const { out, z, idx, n } = p;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += z[k]; // on x - max: same decisions as on x, smaller sums
  const mean = sum / n; // exact for a constant row (all z = 0)
  const eps = training ? EV_EPS_TRAINING : 0;
  for (let k = 0; k < n; k++) out[idx[k]] = Math.exp(z[k]) * (z[k] < mean ? eps : 1);
  return normalise(out);
}
