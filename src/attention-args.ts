// attention()'s and attentionBackward()'s arguments, checked and prepared before anything is
// staged: the shapes of q, k, v (and dOut), the options, the MultiMax parameters per head. Knows
// no wasm memory; the staging and the kernel call are attention.ts's.
import { checkNumber, fail, isArrayLike } from "./describe.js";
import { decode, isF32 } from "./layout.js";
import { allRecords, MultimaxParams, prepareParams } from "./params.js";

/** The normalisers over the key axis, by the kernels' code (assembly/attention/rows.ts Norm). */
export const NORMALIZERS = ["softmax", "multimax", "sparsemax", "entmax15", "entmax", "normmax", "evSoftmax"] as const;
export type NormalizerName = (typeof NORMALIZERS)[number];
const LIST = NORMALIZERS.map((n) => JSON.stringify(n)).join(", ");
const EV_EPS = 1e-6; // ev-softmax's training weight below the mean (as the row operation's)

/** A tensor argument: float32 data and its dims as [B, H, L, D] (rank 3: B = 1; rank 2: B = H = 1). */
export interface Tensor { data: Float32Array; dims: readonly number[]; rank: number; b: number; h: number; l: number; d: number }

/** Shapes and options of one call, prepared. */
export interface AttnCall {
  q: Tensor; k: Tensor; v: Tensor; dOut: Tensor | null;
  B: number; H: number; Hkv: number; Lq: number; Lk: number; D: number; Dv: number;
  kind: number; scale: number; alpha: number; eps: number; causal: boolean;
  mask: ArrayLike<unknown> | null;
  /** MultiMax: one set for every head, or one per head (null otherwise). */
  params: MultimaxParams | MultimaxParams[] | null;
  /** MultiMax: the records of every head, `order` records [a, b, c, d] each (float32). */
  records: Float32Array | null; order: number;
  out: unknown; weightsOut: unknown;
}

const FORWARD_KEYS = ["scale", "normalizer", "alpha", "params", "training", "keyMask", "causal", "out", "weightsOut"];
const BACKWARD_KEYS = FORWARD_KEYS.slice(0, 7);
/** Which normalisers take which option. */
const ONLY: Record<string, readonly string[]> = { alpha: ["entmax", "normmax"], params: ["multimax"], training: ["evSoftmax"] };

function tensor(v: unknown, name: string): Tensor {
  if (v === null || typeof v !== "object" || !("dims" in v) || !("data" in v)) fail(name, "a tensor-like { data, dims }", v);
  const { data, dims } = decode(v, name);
  if (dims === null || !isArrayLike(dims) || dims.length < 2 || dims.length > 4)
    fail(`${name}.dims`, "2 to 4 dims ([L, D], [H, L, D] or [B, H, L, D])", dims, isArrayLike(dims));
  let n = 1;
  for (let i = 0; i < dims.length; i++) n *= checkNumber(dims[i], `${name}.dims[${i}]`, "a non-negative integer", (x) => Number.isInteger(x) && x >= 0);
  if (data.length !== n) fail(`${name}.data`, `length ${n} (the product of ${name}.dims)`, data.length, true);
  const r = dims.length, at = (i: number): number => (i < 0 ? 1 : dims[i]);
  return { data, dims: Array.from(dims), rank: r, b: at(r - 4), h: at(r - 3), l: at(r - 2), d: at(r - 1) };
}

/** dims[i] of tensor `name` (index in its own rank: B, H, L, D = −4..−1) must be `want`. */
function same(t: Tensor, name: string, axis: number, got: number, want: number, what: string): void {
  if (got !== want) fail(`${name}.dims[${t.rank + axis}]`, `${want} (${what})`, got, true);
}

/** Checks the arguments of attention (dOut null) or attentionBackward. */
export function attnCall(qv: unknown, kv: unknown, vv: unknown, dv: unknown, options: unknown, backward: boolean): AttnCall {
  const o = options === undefined ? {} : options;
  if (o === null || typeof o !== "object" || Array.isArray(o)) fail("options", "an object", options);
  const keys = backward ? BACKWARD_KEYS : FORWARD_KEYS, op = backward ? "attentionBackward" : "attention";
  for (const key of Object.keys(o))
    if (!keys.includes(key)) throw new TypeError(`${key}: not an option of ${op} (its options: ${keys.join(", ")})`);
  const opt = o as Record<string, unknown>;
  const q = tensor(qv, "q"), k = tensor(kv, "k"), v = tensor(vv, "v");
  for (const [t, name] of [[k, "k"], [v, "v"]] as const)
    if (t.rank !== q.rank) fail(`${name}.dims`, `${q.rank} dims (as q's)`, `${t.rank} dims [${t.dims.join(", ")}]`, true);
  same(k, "k", -4, k.b, q.b, "q's B");
  if (k.h < 1 || q.h % k.h !== 0) fail(`k.dims[${k.rank - 3}]`, `a divisor of q's H = ${q.h} (the kv heads)`, k.h, true);
  same(k, "k", -1, k.d, q.d, "q's D");
  same(v, "v", -4, v.b, q.b, "q's B");
  same(v, "v", -3, v.h, k.h, "k's heads");
  same(v, "v", -2, v.l, k.l, "k's Lk");
  let dOut: Tensor | null = null;
  if (backward) {
    dOut = tensor(dv, "dOut");
    const want = [q.b, q.h, q.l, v.d].slice(4 - q.rank);
    if (dOut.rank !== q.rank || dOut.dims.some((x, i) => x !== want[i]))
      fail("dOut.dims", `[${want.join(", ")}] (the output's)`, `[${dOut.dims.join(", ")}]`, true);
  }
  const name = opt.normalizer === undefined ? "softmax" : opt.normalizer;
  if (typeof name !== "string") fail("normalizer", `one of ${LIST}`, name);
  const kind = NORMALIZERS.indexOf(name as NormalizerName);
  if (kind < 0) fail("normalizer", `one of ${LIST}`, name, true);
  for (const key in ONLY)
    if (opt[key] !== undefined && !ONLY[key].includes(name)) throw new TypeError(`${key}: taken with normalizer ${ONLY[key].map((n) => JSON.stringify(n)).join(" or ")} only, not ${JSON.stringify(name)}`);
  const D = q.d, scale = opt.scale === undefined ? (D > 0 ? 1 / Math.sqrt(D) : 1) : checkNumber(opt.scale, "scale", "a finite number", Number.isFinite);
  if (!Number.isFinite(Math.fround(scale))) fail("scale", "a number in the float32 range", scale, true);
  let alpha = 0;
  if (name === "entmax") alpha = opt.alpha === undefined ? 1.5 : checkNumber(opt.alpha, "alpha", "a finite number >= 1", (a) => a >= 1 && a !== Infinity);
  if (name === "normmax") alpha = opt.alpha === undefined ? 2 : checkNumber(opt.alpha, "alpha", "a finite number > 1", (a) => a > 1 && a !== Infinity);
  if (opt.training !== undefined && typeof opt.training !== "boolean") fail("training", "a boolean", opt.training);
  if (opt.causal !== undefined && typeof opt.causal !== "boolean") fail("causal", "a boolean", opt.causal);
  const B = q.b, Lk = k.l;
  let mask: ArrayLike<unknown> | null = null;
  if (opt.keyMask != null) {
    const m = opt.keyMask as { data?: unknown; dims?: unknown };
    mask = (isArrayLike(m) ? m : isArrayLike(m.data) ? m.data : fail("keyMask", "a Uint8Array, an array of booleans or numbers, or a tensor-like of dims [B, Lk]", m)) as ArrayLike<unknown>;
    if (mask.length !== B * Lk) fail("keyMask", `${B * Lk} entries (B·Lk = ${B}·${Lk})`, mask.length, true);
  }
  let params: MultimaxParams | MultimaxParams[] | null = null, records: Float32Array | null = null, order = 0;
  if (name === "multimax") {
    if (opt.params == null) fail("params", `MultiMax's parameters ({ ranges, ts } or { orders }), one set or an array of ${q.h} (required by normalizer "multimax")`, opt.params);
    const set = (p: unknown, i: number): MultimaxParams => {
      try { return prepareParams(p); } catch (e) {
        if (i >= 0 && e instanceof Error) e.message = e.message.replace(/^params/, `params[${i}]`);
        throw e;
      }
    };
    const list = Array.isArray(opt.params) ? opt.params.map(set) : [set(opt.params, -1)];
    if (Array.isArray(opt.params) && list.length !== q.h) fail("params", `one set, or an array of ${q.h} sets (one per head)`, `an array of ${list.length}`, true);
    params = Array.isArray(opt.params) ? list : list[0];
    order = Math.max(...list.map((p) => allRecords(p).length >> 2));
    records = new Float32Array(list.length * order * 4);
    list.forEach((p, i) => records!.set(allRecords(p), i * order * 4));
  }
  return {
    q, k, v, dOut, B, H: q.h, Hkv: k.h, Lq: q.l, Lk, D, Dv: v.d, kind, scale, alpha, eps: opt.training === true ? EV_EPS : 0,
    causal: opt.causal === true, mask, params, records, order, out: opt.out, weightsOut: opt.weightsOut,
  };
}

/** An output option (`out`, `weightsOut`): a Float32Array of n values, or a tensor-like holding one. */
export function outArray(v: unknown, name: string, n: number, what: string): Float32Array | null {
  if (v == null) return null;
  const a = isF32(v) ? v : v !== null && typeof v === "object" && isF32((v as { data?: unknown }).data) ? (v as { data: Float32Array }).data : null;
  if (a === null) fail(name, `a Float32Array of ${n} values (${what}) or a tensor-like holding one`, v);
  if (a.length !== n) fail(name, `length ${n} (${what})`, a.length, true);
  return a;
}

