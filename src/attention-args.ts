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
  /** keyMask as 0/1 bytes (a copy). */
  mask: Uint8Array | null;
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

function tensor(v: unknown, name: string, seen: (a: Float32Array, name: string) => void): Tensor {
  if (v === null || typeof v !== "object" || !("dims" in v) || !("data" in v)) fail(name, "a tensor-like { data, dims }", v);
  const { data, dims } = decode(v, name);
  if (dims === null || !isArrayLike(dims) || dims.length < 2 || dims.length > 4)
    fail(`${name}.dims`, "2 to 4 dims ([L, D], [H, L, D] or [B, H, L, D])", dims, isArrayLike(dims));
  if (data === (v as { data: unknown }).data) seen(data, `${name}.data`);
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

/** A RangeError "<name>: expected <expected>, got <got>" with `got` as written (not quoted). */
function wrong(name: string, expected: string, got: string): never {
  throw new RangeError(`${name}: expected ${expected}, got ${got}`);
}

/** Checks the arguments of attention (dOut null) or attentionBackward. `seen(a, name)` is called on
 *  every array of the caller's before its length is checked (the engine's detached-view check). */
export function attnCall(qv: unknown, kv: unknown, vv: unknown, dv: unknown, options: unknown, backward: boolean, seen: (a: Float32Array, name: string) => void): AttnCall {
  const o = options == null ? {} : options;
  if (typeof o !== "object" || Array.isArray(o)) fail("options", "an object", options);
  const keys = backward ? BACKWARD_KEYS : FORWARD_KEYS, op = backward ? "attentionBackward" : "attention";
  for (const key of Object.keys(o))
    if (!keys.includes(key) && (o as Record<string, unknown>)[key] !== undefined) throw new TypeError(`${key}: not an option of ${op} (its options: ${keys.join(", ")})`);
  // every option read once (a getter runs once), before anything else
  const { scale: scaleOpt, normalizer, alpha: alphaOpt, params: paramsOpt, training, keyMask, causal, out, weightsOut } = o as Record<string, unknown>;
  const given: Record<string, unknown> = { alpha: alphaOpt, params: paramsOpt, training };
  const q = tensor(qv, "q", seen), k = tensor(kv, "k", seen), v = tensor(vv, "v", seen);
  for (const [t, name] of [[k, "k"], [v, "v"]] as const)
    if (t.rank !== q.rank) wrong(`${name}.dims`, `${q.rank} dims (as q's)`, `${t.rank} dims [${t.dims.join(", ")}]`);
  same(k, "k", -4, k.b, q.b, "q's B");
  if (k.h < 1 || q.h % k.h !== 0) fail(`k.dims[${k.rank - 3}]`, `a divisor of q's H = ${q.h} (the kv heads)`, k.h, true);
  same(k, "k", -1, k.d, q.d, "q's D");
  same(v, "v", -4, v.b, q.b, "q's B");
  same(v, "v", -3, v.h, k.h, "k's heads");
  same(v, "v", -2, v.l, k.l, "k's Lk");
  let dOut: Tensor | null = null;
  if (backward) {
    dOut = tensor(dv, "dOut", seen);
    const want = [q.b, q.h, q.l, v.d].slice(4 - q.rank);
    if (dOut.rank !== q.rank || dOut.dims.some((x, i) => x !== want[i])) wrong("dOut.dims", `[${want.join(", ")}] (the output's)`, `[${dOut.dims.join(", ")}]`);
  }
  const name = normalizer == null ? "softmax" : normalizer;
  if (typeof name !== "string") fail("normalizer", `one of ${LIST}`, name);
  const kind = NORMALIZERS.indexOf(name as NormalizerName);
  if (kind < 0) fail("normalizer", `one of ${LIST}`, name, true);
  for (const key in ONLY)
    if (given[key] != null && !ONLY[key].includes(name)) throw new TypeError(`${key}: taken with normalizer ${ONLY[key].map((n) => JSON.stringify(n)).join(" or ")} only, not ${JSON.stringify(name)}`);
  const D = q.d, scale = scaleOpt == null ? (D > 0 ? 1 / Math.sqrt(D) : 1) : checkNumber(scaleOpt, "scale", "a finite number", Number.isFinite);
  if (!Number.isFinite(Math.fround(scale))) fail("scale", "a number in the float32 range", scale, true);
  let alpha = 0;
  if (name === "entmax") alpha = alphaOpt == null ? 1.5 : checkNumber(alphaOpt, "alpha", "a finite number >= 1", (a) => a >= 1 && a !== Infinity);
  if (name === "normmax") alpha = alphaOpt == null ? 2 : checkNumber(alphaOpt, "alpha", "a finite number > 1", (a) => a > 1 && a !== Infinity);
  if (training != null && typeof training !== "boolean") fail("training", "a boolean", training);
  if (causal != null && typeof causal !== "boolean") fail("causal", "a boolean", causal);
  const B = q.b, Lk = k.l;
  let mask: Uint8Array | null = null;
  if (keyMask != null) {
    const t = keyMask as { data?: unknown; dims?: unknown }, m = isArrayLike(t) ? t : isArrayLike(t.data) ? t.data : null;
    if (m === null) fail("keyMask", "a Uint8Array, an array of booleans or numbers, or a tensor-like of dims [B, Lk]", keyMask);
    if (!isArrayLike(t) && isArrayLike(t.dims) && (t.dims.length !== 2 || t.dims[0] !== B || t.dims[1] !== Lk))
      wrong("keyMask.dims", `[${B}, ${Lk}] ([B, Lk])`, `[${Array.from(t.dims as ArrayLike<unknown>).join(", ")}]`);
    if (m.length !== B * Lk) fail("keyMask", `${B * Lk} entries (B·Lk = ${B}·${Lk})`, m.length, true);
    // copied now, as 0/1 bytes: read once, and safe from the staging (a mask over the engine's memory)
    mask = new Uint8Array(m.length);
    for (let i = 0; i < m.length; i++) mask[i] = m[i] ? 1 : 0;
  }
  let params: MultimaxParams | MultimaxParams[] | null = null, records: Float32Array | null = null, order = 0;
  if (name === "multimax") {
    if (paramsOpt == null) fail("params", `MultiMax's parameters ({ ranges, ts } or { orders }), one set or an array of ${q.h} (required by normalizer "multimax")`, paramsOpt);
    const set = (p: unknown, i: number): MultimaxParams => {
      try { return prepareParams(p); } catch (e) {
        if (i >= 0 && e instanceof Error) e.message = e.message.replace(/^params/, `params[${i}]`);
        throw e;
      }
    };
    const isList = Array.isArray(paramsOpt), list = isList ? Array.from(paramsOpt as unknown[], set) : [set(paramsOpt, -1)]; // (a hole is undefined: an error)
    if (isList && list.length !== q.h) wrong("params", `one set, or an array of ${q.h} sets (one per head)`, `an array of ${list.length}`);
    params = isList ? list : list[0];
    order = Math.max(...list.map((p) => allRecords(p).length >> 2));
    records = new Float32Array(list.length * order * 4);
    list.forEach((p, i) => records!.set(allRecords(p), i * order * 4));
  }
  return {
    q, k, v, dOut, B, H: q.h, Hkv: k.h, Lq: q.l, Lk, D, Dv: v.d, kind, scale, alpha, eps: training === true ? EV_EPS : 0,
    causal: causal === true, mask, params, records, order, out, weightsOut,
  };
}

/** An output option (`out`, `weightsOut`): a Float32Array of n values, or a tensor-like holding one. */
export function outArray(v: unknown, name: string, n: number, what: string, seen: (a: Float32Array, name: string) => void): Float32Array | null {
  if (v == null) return null;
  const d = isF32(v) ? v : typeof v === "object" ? (v as { data?: unknown }).data : null, a = isF32(d) ? d : null; // (a getter read once)
  if (a === null) fail(name, `a Float32Array of ${n} values (${what}) or a tensor-like holding one`, v);
  seen(a, name);
  if (a.length !== n) fail(name, `length ${n} (${what})`, a.length, true);
  return a;
}

