// attention() and attentionBackward(): the engine methods of fused attention. Their arguments are
// checked by attention-args.ts; here they are staged (every array that is not already an engine
// view goes into the scratch arena; views, such as a decode loop's K/V cache, are read in place),
// the kernel runs (assembly/attention/), and the results come back. Knows no math.
import { attnCall, outArray, type AttnCall, type Tensor } from "./attention-args.js";
import { overlaps } from "./checks.js";
import { isF32 } from "./layout.js";
import { MAX_BYTES } from "./heap.js";
import { STAGING } from "./stage.js";
import type { Mem } from "./options.js";
import { allRecords, paramsGrad, type MultimaxParams, type ParamsGrad } from "./params.js";
import type { TensorLike } from "./types.js";

/** The attention exports of the wasm module (assembly/index.ts). */
interface AttnKernels {
  attention_scratch(Lq: number, Lk: number, D: number, Dv: number, backward: number): number;
  attention(...a: number[]): number;
  attention_grad(...a: number[]): number;
}
/** What these methods use of the engine (its private members; one bundle, one naming). */
interface Inner {
  _k: AttnKernels; _mem: Mem; _buffer: ArrayBufferLike; _views: WeakMap<Float32Array, unknown>;
  _ensureScratch(bytes: number, n?: number): number;
  _syncViews(): void;
  _zeroCopyPtr(a: Float32Array, name: string): number;
  memory: WebAssembly.Memory; lastSpecialRows: number;
  refresh(v: Float32Array): Float32Array;
}

const up16 = (n: number): number => Math.ceil(n / 16) * 16; // (float64: sizes past 4 GiB stay exact)

/** One array of the call: where it lies in wasm memory (a byte offset; staged: in the arena, from
 *  its start), and whether it is copied in or out. */
interface Slot { data: Float32Array; ptr: number; staged: boolean; n: number }

/** The arena plan: staged arrays, then the mask, the parameters and their gradients, the kernels' scratch. */
class Plan {
  bytes = 0;
  take(n: number): number { const at = this.bytes; this.bytes += up16(n); return at; }
}

/** An input: an engine view read in place; anything else (or a view over the arena, or under an
 *  output view) copied into the arena. */
function input(e: Inner, data: Float32Array, name: string, plan: Plan, outs: readonly (Float32Array | null)[]): Slot {
  const ptr = e._zeroCopyPtr(data, name);
  const n = data.length;
  if (ptr >= 0 && !outs.some((o) => o !== null && o.buffer === data.buffer && overlaps(o, data))) return { data, ptr, staged: false, n };
  return { data: ptr === -1 ? data : data.slice(), ptr: plan.take(4 * n), staged: true, n };
}

/** An output of n floats: the caller's engine view written in place, or staged in the arena. */
function output(e: Inner, given: Float32Array | null, n: number, name: string, plan: Plan): Slot {
  const ptr = given === null ? -1 : e._zeroCopyPtr(given, name);
  return ptr >= 0 ? { data: given!, ptr, staged: false, n } : { data: given ?? NONE, ptr: plan.take(4 * n), staged: true, n };
}
const NONE = new Float32Array(0);

/** The result: the caller's tensor-like `out` itself (its data, read once at the check, now holds
 *  the output), else a new tensor-like. */
const shaped = (data: Float32Array, dims: number[], given: unknown, tensor: boolean): TensorLike => (tensor ? (given as TensorLike) : { data, dims });

function run(self: object, qv: unknown, kv: unknown, vv: unknown, dv: unknown, options: unknown, backward: boolean) {
  const e = self as unknown as Inner, op = backward ? "attentionBackward" : "attention";
  if (STAGING.on) throw new TypeError(`${op}: called while another call stages its arrays (from a getter of its mask or alpha?): not supported`);
  e.lastSpecialRows = 0;
  e._syncViews();
  // (a detached view: its TypeError first; a getter of the arguments may have grown the memory)
  const seen = (a: Float32Array, name: string): void => { e._syncViews(); e._zeroCopyPtr(a, name); };
  const c: AttnCall = attnCall(qv, kv, vv, dv, options, backward, seen);
  const { B, H, Hkv, Lq, Lk, D, Dv } = c, plan = new Plan(), nOut = B * H * Lq * Dv;
  const outGiven = backward ? null : outArray(c.out, "out", nOut, "B·H·Lq·Dv", seen);
  const wGiven = backward ? null : outArray(c.weightsOut, "weightsOut", B * H * Lq * Lk, "B·H·Lq·Lk", seen);
  if (outGiven && wGiven && outGiven.buffer === wGiven.buffer && overlaps(outGiven, wGiven)) throw new RangeError("weightsOut: expected an array that does not overlap out");
  const outTensor = outGiven !== null && !isF32(c.out); // (out.data not read again: a getter runs once)
  e._syncViews();
  // outputs first (views written in place), then the inputs (views read in place unless an output overlaps them)
  const outs: Slot[] = backward
    ? [c.q, c.k, c.v].map((t) => ({ data: NONE, ptr: plan.take(4 * t.data.length), staged: true, n: t.data.length }))
    : [output(e, outGiven, nOut, "out", plan)];
  const w = wGiven ? output(e, wGiven, wGiven.length, "weightsOut", plan) : null;
  const views = [outs[0].staged ? null : outs[0].data, w && !w.staged ? w.data : null];
  const ins = [c.q, c.k, c.v, ...(c.dOut ? [c.dOut] : [])].map((t: Tensor, i) => input(e, t.data, ["q", "k", "v", "dOut"][i], plan, views));
  const maskAt = c.mask ? plan.take(B * Lk) : -1;
  const nRec = c.records ? c.records.length : 0, perHead = Array.isArray(c.params);
  const paramsAt = plan.take(4 * nRec), gradsAt = plan.take(backward ? 8 * nRec : 0);
  const scratchAt = plan.take(e._k.attention_scratch(Lq, Lk, D, Dv, backward ? 1 : 0));
  if (plan.bytes > MAX_BYTES) throw new RangeError(`${op}: q [${c.q.dims.join(", ")}], k [${c.k.dims.join(", ")}] and v [${c.v.dims.join(", ")}] need more than 4 GiB of wasm memory`);
  STAGING.on = true;
  try {
    const base = e._ensureScratch(plan.bytes); // (may grow the memory: e._mem is then fresh)
    const m = e._mem, at = (s: Slot): number => (s.staged ? base + s.ptr : s.ptr);
    for (const s of ins) if (s.staged) m.f32.set(s.data, (base + s.ptr) / 4);
    if (c.mask) m.u8.set(c.mask, base + maskAt);
    if (c.records) m.f32.set(c.records, (base + paramsAt) / 4);
    if (backward && nRec) m.f64.fill(0, (base + gradsAt) / 8, (base + gradsAt) / 8 + nRec);
    const stride = perHead ? 16 * c.order : 0, maskPtr = c.mask ? base + maskAt : 0, paramsPtr = base + paramsAt, scratch = base + scratchAt;
    const k = e._k, causal = c.causal ? 1 : 0;
    if (!backward) {
      e.lastSpecialRows = k.attention(at(ins[0]), at(ins[1]), at(ins[2]), at(outs[0]), w ? at(w) : 0, maskPtr, paramsPtr, scratch,
        B, H, Hkv, Lq, Lk, D, Dv, c.kind, causal, c.order, stride, c.scale, c.alpha, c.eps);
      // every staged output read out of the arena before any is written to a caller's array over it
      const outData = take(e, outs[0], base), wData = w ? take(e, w, base) : null;
      if (w && wData !== w.data) w.data.set(wData!);
      const data = outGiven !== null && outData !== outGiven ? (outGiven.set(outData), outGiven) : outData;
      return shaped(live(e, data, outs[0]), [B, H, Lq, Dv].slice(4 - c.q.rank), c.out, outTensor);
    }
    e.lastSpecialRows = k.attention_grad(at(ins[0]), at(ins[1]), at(ins[2]), at(ins[3]), at(outs[0]), at(outs[1]), at(outs[2]), maskPtr, paramsPtr, base + gradsAt, scratch,
      B, H, Hkv, Lq, Lk, D, Dv, c.kind, causal, c.order, stride, perHead ? 32 * c.order : 0, c.scale, c.alpha, c.eps);
    // (lengths as planned: an input view that the call's growth detached has length 0 now)
    const [dq, dk, dvv] = outs.map((s, i) => ({ data: take(e, s, base), dims: [c.q, c.k, c.v][i].dims.slice() }));
    let dParams: ParamsGrad | ParamsGrad[] | null = null;
    if (c.params) {
      const g = e._mem.f64.slice((base + gradsAt) / 8, (base + gradsAt) / 8 + nRec), n = 4 * c.order;
      const one = (p: MultimaxParams, i: number): ParamsGrad => paramsGrad(p, g.subarray(i * n, i * n + allRecords(p).length));
      dParams = Array.isArray(c.params) ? c.params.map(one) : one(c.params, 0);
    }
    return { dq, dk, dv: dvv, dParams };
  } finally {
    STAGING.on = false;
  }
}

/** A staged output's values: copied out of the arena into the caller's array when it lies outside
 *  the engine's memory, else into a new array; a view written in place: itself. */
function take(e: Inner, s: Slot, base: number): Float32Array {
  const n = s.n;
  if (!s.staged) return s.data;
  const from = e._mem.f32.subarray((base + s.ptr) / 4, (base + s.ptr) / 4 + n);
  if (s.data !== NONE && s.data.length === n && s.data.buffer !== e._buffer && s.data.buffer !== e.memory.buffer) return (s.data.set(from), s.data);
  return from.slice();
}

/** A view written in place that the call's memory growth detached: a live one of the same block. */
function live(e: Inner, data: Float32Array, s: Slot): Float32Array {
  if (s.staged || data.buffer === e._buffer) return data;
  return e._views.has(data) ? e.refresh(data) : new Float32Array(e.memory.buffer, s.ptr, s.n); // (a detached view has length 0)
}

/** The engine's attention methods (installed by engine.ts; types: AttentionOperations in types.ts). */
export const ATTENTION = {
  attention(this: object, q: unknown, k: unknown, v: unknown, options?: unknown) { return run(this, q, k, v, null, options, false); },
  attentionBackward(this: object, q: unknown, k: unknown, v: unknown, dOut: unknown, options?: unknown) { return run(this, q, k, v, dOut, options, true); },
};
