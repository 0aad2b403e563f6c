// attention() and attentionBackward(): the engine methods of fused attention. Their arguments are
// checked by attention-args.ts; here they are staged (every array that is not already an engine
// view goes into the scratch arena; views, such as a decode loop's K/V cache, are read in place),
// the kernel runs (assembly/attention/), and the results come back. Knows no math.
import { attnCall, outArray, type AttnCall, type Tensor } from "./attention-args.js";
import { overlaps } from "./checks.js";
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

const up16 = (n: number): number => (n + 15) & ~15;

/** One array of the call: where it lies in wasm memory, and whether it is copied in or out. */
interface Slot { data: Float32Array; ptr: number; staged: boolean }

/** The arena plan: staged arrays, then the mask, the parameters and their gradients, the kernels' scratch. */
class Plan {
  bytes = 0;
  take(n: number): number { const at = this.bytes; this.bytes += up16(n); return at; }
}

function slot(e: Inner, data: Float32Array, name: string, plan: Plan, avoid: readonly Float32Array[]): Slot {
  let ptr = e._zeroCopyPtr(data, name);
  if (ptr >= 0 && avoid.some((a) => a.buffer === data.buffer && overlaps(a, data))) ptr = -1; // (an output over an input)
  if (ptr < 0) { if (ptr !== -1) data = data.slice(); return { data, ptr: plan.take(4 * data.length), staged: true }; }
  return { data, ptr, staged: false };
}

/** The result of an output slot: its data copied out of the arena (into `given` or a new array),
 *  or the view itself (a fresh one if the call grew the memory). */
function result(e: Inner, s: Slot, base: number, given: Float32Array | null): Float32Array {
  if (s.staged) {
    const r = given ?? new Float32Array(s.data.length);
    r.set(e._mem.f32.subarray((base + s.ptr) >> 2, ((base + s.ptr) >> 2) + r.length));
    return r;
  }
  if (s.data.buffer === e._buffer) return s.data;
  return e._views.has(s.data) ? e.refresh(s.data) : new Float32Array(e.memory.buffer, s.ptr, s.data.length);
}

const shaped = (data: Float32Array, dims: number[], given: unknown): TensorLike =>
  given !== null && typeof given === "object" && (given as TensorLike).data === data ? (given as TensorLike) : { data, dims };

function run(self: object, qv: unknown, kv: unknown, vv: unknown, dv: unknown, options: unknown, backward: boolean) {
  const e = self as unknown as Inner;
  e.lastSpecialRows = 0;
  e._syncViews();
  const c: AttnCall = attnCall(qv, kv, vv, dv, options, backward);
  const { B, H, Hkv, Lq, Lk, D, Dv } = c, plan = new Plan();
  const outDims = [B, H, Lq, Dv].slice(4 - c.q.rank);
  // inputs: views in place, anything else copied into the arena
  const ins = [c.q, c.k, c.v, ...(c.dOut ? [c.dOut] : [])].map((t: Tensor, i) => slot(e, t.data, ["q", "k", "v", "dOut"][i], plan, []));
  const inData = ins.map((s) => s.data);
  // outputs: the caller's arrays (views written in place unless they overlap an input) or new ones
  const outGiven = backward ? null : outArray(c.out, "out", B * H * Lq * Dv, "B·H·Lq·Dv");
  const wGiven = backward ? null : outArray(c.weightsOut, "weightsOut", B * H * Lq * Lk, "B·H·Lq·Lk");
  const outs: Slot[] = backward
    ? [c.q, c.k, c.v].map((t) => ({ data: t.data, ptr: plan.take(4 * t.data.length), staged: true }))
    : [outGiven ? slot(e, outGiven, "out", plan, inData) : { data: new Float32Array(B * H * Lq * Dv), ptr: plan.take(4 * B * H * Lq * Dv), staged: true }];
  const w = wGiven ? slot(e, wGiven, "weightsOut", plan, inData) : null;
  const maskAt = c.mask ? plan.take(B * Lk) : -1;
  const nRec = c.records ? c.records.length : 0, perHead = Array.isArray(c.params);
  const paramsAt = plan.take(4 * nRec), gradsAt = plan.take(backward ? 8 * nRec : 0);
  const scratchAt = plan.take(e._k.attention_scratch(Lq, Lk, D, Dv, backward ? 1 : 0));
  const base = e._ensureScratch(plan.bytes, plan.bytes >> 2); // (may grow the memory: views are refreshed below)
  const m = e._mem, at = (s: Slot): number => (s.staged ? base + s.ptr : s.ptr);
  for (const s of ins) if (s.staged) m.f32.set(s.data, (base + s.ptr) >> 2);
  if (c.mask) {
    const u8 = m.u8, mk = c.mask, o = base + maskAt;
    for (let i = 0; i < mk.length; i++) u8[o + i] = mk[i] ? 1 : 0;
  }
  if (c.records) m.f32.set(c.records, (base + paramsAt) >> 2);
  if (backward && nRec) m.f64.fill(0, (base + gradsAt) >> 3, ((base + gradsAt) >> 3) + 2 * nRec);
  const stride = perHead ? 16 * c.order : 0, common = [B, H, Hkv, Lq, Lk, D, Dv, c.kind, c.causal ? 1 : 0, c.order, stride];
  const maskPtr = c.mask ? base + maskAt : 0, paramsPtr = base + paramsAt, scratch = base + scratchAt;
  if (!backward) {
    e.lastSpecialRows = e._k.attention(at(ins[0]), at(ins[1]), at(ins[2]), at(outs[0]), w ? at(w) : 0, maskPtr, paramsPtr, scratch, ...common, c.scale, c.alpha, c.eps);
    const data = result(e, outs[0], base, outGiven);
    if (w) result(e, w, base, wGiven);
    return shaped(data, outDims, c.out);
  }
  e.lastSpecialRows = e._k.attention_grad(at(ins[0]), at(ins[1]), at(ins[2]), at(ins[3]), at(outs[0]), at(outs[1]), at(outs[2]), maskPtr, paramsPtr, base + gradsAt, scratch,
    ...common, perHead ? 32 * c.order : 0, c.scale, c.alpha, c.eps);
  const [dq, dk, dvv] = outs.map((s, i) => ({ data: result(e, s, base, null), dims: [c.q, c.k, c.v][i].dims.slice() }));
  let dParams: ParamsGrad | ParamsGrad[] | null = null;
  if (c.params) {
    const g = e._mem.f64.slice((base + gradsAt) >> 3, ((base + gradsAt) >> 3) + 2 * nRec), n = 4 * c.order;
    const one = (p: MultimaxParams, i: number): ParamsGrad => paramsGrad(p, g.subarray(i * n, i * n + allRecords(p).length));
    dParams = Array.isArray(c.params) ? c.params.map(one) : one(c.params, 0);
  }
  return { dq, dk, dv: dvv, dParams };
}

/** The engine's attention methods (installed by engine.ts; types: AttentionOperations in types.ts). */
export const ATTENTION = {
  attention(this: object, q: unknown, k: unknown, v: unknown, options?: unknown) { return run(this, q, k, v, null, options, false); },
  attentionBackward(this: object, q: unknown, k: unknown, v: unknown, dOut: unknown, options?: unknown) { return run(this, q, k, v, dOut, options, true); },
};
