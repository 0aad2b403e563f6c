// The public API over one wasm instance: argument checking, memory management (scratch arena and
// zero-copy views) and data layout (rows, axes, masks). It knows the kernels' memory contract
// (assembly/rows.ts), not their math.
import { alignLine, Heap, MAX_BYTES, TOO_BIG } from "./heap.js";
import { checkNumber, describe, fail, isArrayLike } from "./describe.js";
import { MultimaxParams, PARAM_FORMS, prepareParams, type RawParams } from "./params.js";

/** The wasm module's exports (assembly/index.ts). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  simd(): number; // 0 scalar, 1 SIMD, 2 relaxed SIMD
  softmax(x: number, y: number, mask: number, rows: number, cols: number, k: number): number;
  log_softmax(x: number, y: number, mask: number, rows: number, cols: number): number;
  multimax(x: number, y: number, tmp: number, mask: number, rows: number, cols: number, params: number, order: number): number;
  log_multimax(x: number, y: number, tmp: number, mask: number, rows: number, cols: number, params: number, order: number): number;
  sparsemax(x: number, y: number, tmp: number, mask: number, rows: number, cols: number, support: number): number;
  entmax15(x: number, y: number, tmp: number, mask: number, rows: number, cols: number, support: number): number;
  entmax(x: number, y: number, tmp: number, mask: number, rows: number, cols: number, alpha: number, alphaStride: number, support: number): number;
  normmax(x: number, y: number, tmp: number, mask: number, rows: number, cols: number, alpha: number, alphaStride: number, support: number): number;
  ev_softmax(x: number, y: number, mask: number, rows: number, cols: number, eps: number, support: number): number;
}

/** A tensor as onnxruntime-web and transformers.js have them: float32 data, row-major dims. */
export interface TensorLike {
  data: Float32Array;
  dims: readonly number[];
}
export type Input = Float32Array | TensorLike;
export type Mask = Uint8Array | Uint8ClampedArray | Int8Array | ArrayLike<boolean | number>;

export interface BaseOptions {
  /** Row length for a Float32Array input (default: x.length, one row). */
  cols?: number;
  /** Axis to normalise (default -1). Negative values count from the end. */
  axis?: number;
  /** Same length as x; 1/true = keep, 0/false = masked out (probability exactly 0). */
  mask?: Mask;
  /** Where to write the result (same length as x; may be x itself). */
  out?: Float32Array | TensorLike;
}
export interface SoftmaxOptions extends BaseOptions {
  /** softmax(x / temperature); a finite number > 0 (default 1). */
  temperature?: number;
}
export type LogSoftmaxOptions = BaseOptions;
export interface MultimaxOptions extends BaseOptions {
  /** Checkpoint form { ranges, ts }, paper form { orders }, or the result of engine.multimaxParams. */
  params: RawParams | MultimaxParams;
}

export interface SparseOptions extends BaseOptions {
  /** One slot per normalised row; receives the number of nonzero outputs of that row. */
  support?: Int32Array;
}
export interface EntmaxOptions extends SparseOptions {
  /** α ≥ 1: one number, or one per normalised row (default 1.5). 1 is softmax, 2 sparsemax. */
  alpha?: number | ArrayLike<number>;
}
export interface NormmaxOptions extends SparseOptions {
  /** α > 1: one number, or one per normalised row (default 2). */
  alpha?: number | ArrayLike<number>;
}
export interface EvSoftmaxOptions extends SparseOptions {
  /** false (default, eval): entries below the row mean get exactly 0; true: they get weight 1e-6. */
  training?: boolean;
}

export type Result<X> = X extends Float32Array ? Float32Array : TensorLike;

const F32_MAX = 3.4028234663852886e38;
const F32_MIN_SUBNORMAL = 1.401298464324817e-45;
const SMALL_COPY = 64; // below this many floats, a plain loop beats subarray() + set()
const INITIAL_SCRATCH = 256 * 1024; // bytes reserved at start-up, so that small calls never grow memory
/** The module's exports; from "softmax" on, one kernel per normaliser, in the order of Kind. */
const EXPORTS = "memory heap_base simd softmax log_softmax multimax log_multimax sparsemax entmax15 entmax normmax ev_softmax".split(" ");
const EV_EPS = 1e-6; // ev-softmax training weight of the entries below the mean (official repository's EPS)

/** The normalisers; sparsemax..normmax are the threshold maps. */
const enum Kind { softmax, logSoftmax, multimax, logMultimax, sparsemax, entmax15, entmax, normmax, evSoftmax }
/** Method names by Kind: the kernels' names in camelCase (log_softmax -> logSoftmax). */
const NAMES = EXPORTS.slice(3).map((name) => name.replace(/_(.)/, (_, c: string) => c.toUpperCase()));

const isCount = (v: number): boolean => Number.isInteger(v) && v >= 1;
const isPositiveFinite = (v: number): boolean => v > 0 && v !== Infinity;
const isAlphaEntmax = (a: number): boolean => a >= 1 && a !== Infinity;
const isAlphaNormmax = (a: number): boolean => a > 1 && a !== Infinity;

function checkLength(length: unknown): void {
  if (typeof length !== "number" || !isCount(length)) fail("length", "an integer >= 1", length, true);
  if (length * 4 > MAX_BYTES) throw new RangeError(`length: ${length} floats ${TOO_BIG}`);
}

function isF32(v: unknown): v is Float32Array {
  return v instanceof Float32Array || Object.prototype.toString.call(v) === "[object Float32Array]";
}

/** The data of a tensor-like { data: Float32Array, dims }, else null. */
function tensorData(v: unknown): Float32Array | null {
  return v !== null && typeof v === "object" && isF32((v as TensorLike).data) ? (v as TensorLike).data : null;
}

/** An option given to a normaliser that does not take it. */
function refuse(option: string, kind: Kind, takers: string): never {
  throw new TypeError(`${option}: ${NAMES[kind]} does not take ${option} (${takers} only)`);
}

/** A RangeError unless an array argument has the length the call needs. */
function sameLength(name: string, a: ArrayLike<unknown>, length: number, what: string): void {
  if (a.length !== length) fail(name, `length ${length} (${what})`, a.length, true);
}

function missingParams(kind: Kind): never {
  throw new TypeError(`${NAMES[kind]}: options.params is required (${PARAM_FORMS})`);
}

function axisOf(axis: unknown, rank: number): number {
  if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -rank || axis >= rank)
    fail("axis", `an integer in [${-rank}, ${rank - 1}]`, axis, true);
  return axis < 0 ? axis + rank : axis;
}

/** Float32Array in, Float32Array out; tensor in, tensor out (`out` itself when it is a tensor
 *  whose data received the result). No allocation on the Float32Array path. */
function wrap<X extends Input>(r: Float32Array, dims: readonly number[] | null, out: unknown): Result<X> {
  if (dims === null) return r as Result<X>;
  if (out != null && (out as TensorLike).data === r) return out as Result<X>;
  return { data: r, dims: Array.from(dims) } as unknown as Result<X>;
}

/** n floats from s[sAt…] to d[dAt…] (not overlapping). */
function copy(s: Float32Array, sAt: number, d: Float32Array, dAt: number, n: number): void {
  if (n <= SMALL_COPY) for (let i = 0; i < n; i++) d[dAt + i] = s[sAt + i];
  else d.set(s.subarray(sAt, sAt + n), dAt);
}

/** Mask bytes (1 keep, 0 masked), in the same order as the rows the kernels see. */
function writeMask(u8: Uint8Array, mask: Mask, at: number, outer: number, C: number, inner: number): void {
  const m = mask as ArrayLike<unknown>;
  if (inner === 1) {
    if (mask instanceof Uint8Array || mask instanceof Uint8ClampedArray || mask instanceof Int8Array) u8.set(mask as Uint8Array, at);
    else for (let i = 0, n = outer * C; i < n; i++) u8[at + i] = m[i] ? 1 : 0;
    return;
  }
  let w = at;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < inner; j++)
      for (let c = 0, r = o * C * inner + j; c < C; c++, r += inner) u8[w++] = m[r] ? 1 : 0;
}

/** Between the caller's layout [outer, C, inner] and the kernels' rows [outer, inner, C]:
 *  s[sAt…] -> d[dAt…], to the rows (gather) or back from them (scatter). */
function transpose(s: Float32Array, sAt: number, d: Float32Array, dAt: number, outer: number, C: number, inner: number, back: boolean): void {
  const sStep = back ? 1 : inner, dStep = back ? inner : 1;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < inner; j++) {
      const strided = o * C * inner + j, rowStart = (o * inner + j) * C;
      for (let c = 0, r = sAt + (back ? rowStart : strided), w = dAt + (back ? strided : rowStart); c < C; c++, r += sStep, w += dStep) d[w] = s[r];
    }
}

/** A block handed out by alloc(); shared by a view and the views refresh() makes of it. */
interface Block { _ptr: number; _length: number; _live: boolean }

/** Checks that an instance's exports are multimax-wasm's kernels. */
export function checkExports(e: WebAssembly.Exports): KernelExports {
  for (const name of EXPORTS)
    if (!(name === "memory" ? e.memory instanceof WebAssembly.Memory : typeof e[name] === "function"))
      throw new TypeError(`init: the WebAssembly module is not multimax-wasm's (missing export '${name}')`);
  return e as unknown as KernelExports;
}

/**
 * One wasm instance and its memory. Create it with `init()` or `initSync()`. All normalisers take
 * a Float32Array (rows × cols, row-major) or a tensor-like { data, dims } and return the same kind.
 */
export class Engine {
  /** The instance's linear memory (zero-copy views live in it). */
  readonly memory: WebAssembly.Memory;
  /** True when the loaded build uses wasm SIMD (the plain SIMD build or the relaxed-SIMD build). */
  readonly simd: boolean;
  /** True when the loaded build is the relaxed-SIMD build (build/multimax-relaxed.wasm: fused
   *  multiply-add where the CPU has it, so its last bits may differ between machines). */
  readonly relaxed: boolean;
  /** Number of rows that took the exceptional path (±∞, NaN, all masked, overflow) in the last call. */
  lastSpecialRows = 0;

  // (private members start with _: the build shortens their names)
  private _k: KernelExports;
  private _heap: Heap;
  private _heapBase: number;
  private _f32: Float32Array;
  private _u8: Uint8Array;
  private _scratch = 0;
  private _scratchBytes = 0;
  private _views = new WeakMap<Float32Array, Block>(); // zero-copy view (and its refreshed twins) -> block
  private _retired = new WeakSet<ArrayBufferLike>(); // buffers of this memory detached by growth

  /** @internal Use init() / initSync(). */
  constructor(exports: KernelExports) {
    this._k = exports;
    this.memory = exports.memory;
    const kind = exports.simd(); // 0 scalar, 1 SIMD, 2 relaxed SIMD
    this.simd = kind > 0;
    this.relaxed = kind === 2;
    this._heapBase = exports.heap_base();
    this._heap = new Heap(this.memory, this._heapBase);
    this._f32 = new Float32Array(this.memory.buffer);
    this._u8 = new Uint8Array(this.memory.buffer);
    this._ensureScratch(INITIAL_SCRATCH);
  }

  // ---------------------------------------------------------------- normalisers

  /** softmax(x / temperature) along one axis: y_i = exp(x_i/T − max) / Σ_j exp(x_j/T − max). */
  softmax<X extends Input>(x: X, options?: SoftmaxOptions): Result<X> {
    return this._run(Kind.softmax, x, options);
  }

  /** log_softmax(x) along one axis: y_i = x_i − max − log Σ_j exp(x_j − max). */
  logSoftmax<X extends Input>(x: X, options?: LogSoftmaxOptions): Result<X> {
    return this._run(Kind.logSoftmax, x, options);
  }

  /** MultiMax: softmax(φ(x) + M), φ the piece-wise modulator of Zhou et al. (ICML 2024), the
   *  mask M applied after the modulation, as in the official attention code. */
  multimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
    return this._run(Kind.multimax, x, options);
  }

  /** log-MultiMax: log_softmax(φ(x) + M). */
  logMultimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
    return this._run(Kind.logMultimax, x, options);
  }

  /** sparsemax (Martins & Astudillo, 2016): the Euclidean projection onto the simplex,
   *  argmin_{p ∈ Δ} ‖p − x‖²; y_i = max(x_i − τ, 0) with Σ y = 1. Exact, no sort. */
  sparsemax<X extends Input>(x: X, options?: SparseOptions): Result<X> {
    return this._run(Kind.sparsemax, x, options);
  }

  /** 1.5-entmax (Peters, Niculae & Martins, 2019): y_i = max(x_i/2 − τ, 0)² with Σ y = 1. Exact. */
  entmax15<X extends Input>(x: X, options?: SparseOptions): Result<X> {
    return this._run(Kind.entmax15, x, options);
  }

  /** α-entmax: argmax_{p ∈ Δ} ⟨x, p⟩ + H^T_α(p) (Tsallis entropy);
   *  y_i = max((α − 1)x_i − τ, 0)^(1/(α−1)) with Σ y = 1. α = 1 is softmax, 1.5 entmax15, 2 sparsemax. */
  entmax<X extends Input>(x: X, options?: EntmaxOptions): Result<X> {
    return this._run(Kind.entmax, x, options);
  }

  /** α-normmax: argmax_{p ∈ Δ} ⟨x, p⟩ − ‖p‖_α; y ∝ max(x_i − τ, 0)^(1/(α−1)) with
   *  Σ max(x_i − τ, 0)^(α/(α−1)) = 1 (as entmax.normmax_bisect). */
  normmax<X extends Input>(x: X, options?: NormmaxOptions): Result<X> {
    return this._run(Kind.normmax, x, options);
  }

  /** ev-softmax (official MultiMax repository): softmax over the entries ≥ the row mean, 0
   *  elsewhere (training: weight 1e-6 elsewhere). */
  evSoftmax<X extends Input>(x: X, options?: EvSoftmaxOptions): Result<X> {
    return this._run(Kind.evSoftmax, x, options);
  }

  /** Validates and packs MultiMax parameters once, for reuse in hot loops. */
  multimaxParams(params: RawParams | MultimaxParams): MultimaxParams {
    return prepareParams(params);
  }

  // ---------------------------------------------------------------- zero-copy views

  /** A Float32Array of `length` floats inside the engine's memory: normalisers read and write it
   *  without copying. It stays valid until `free`, or until the memory grows (then it is
   *  detached: get a new view of the same block with `refresh`). */
  alloc(length: number): Float32Array {
    checkLength(length);
    const ptr = this._heap.alloc(length * 4);
    this._syncViews();
    const view = new Float32Array(this.memory.buffer, ptr, length);
    this._views.set(view, { _ptr: ptr, _length: length, _live: true });
    return view;
  }

  /** Grows the memory once, so that afterwards copying calls on up to `length` values and new
   *  views totalling about `length` floats need no growth (which would detach existing views).
   *  Call it before allocating the views of a hot loop. */
  reserve(length: number): void {
    checkLength(length);
    // a call on n values needs at most 4n (work) + n (mask) bytes + the params, plus: MultiMax
    // 4n (one row); the sparse normalisers 8·cols (two rows) + 12·rows (alpha, support), at most
    // 12n; so 17n covers every normaliser and layout (each region rounded up to 64 bytes)
    const bytes = 17 * length + 16 * 32 + 6 * 64;
    if (bytes + 4 * length > MAX_BYTES) throw new RangeError(`length: reserving for ${length} values needs more than 4 GiB`);
    this._ensureScratch(bytes);
    this._heap.release(this._heap.alloc(4 * length));
    this._syncViews();
  }

  /** Returns a view's block to the engine. The view (and any refresh() of it) must not be used afterwards. */
  free(view: Float32Array): void {
    const b = this._block(view);
    b._live = false;
    this._views.delete(view);
    this._heap.release(b._ptr);
  }

  /** A fresh view of the block behind `view` (after memory growth detached it); same contents. */
  refresh(view: Float32Array): Float32Array {
    const b = this._block(view);
    this._syncViews();
    if (view.buffer === this._f32.buffer) return view;
    const fresh = new Float32Array(this.memory.buffer, b._ptr, b._length);
    this._views.set(fresh, b);
    return fresh;
  }

  // ---------------------------------------------------------------- internals

  private _block(view: Float32Array): Block {
    const b = this._views.get(view);
    if (b === undefined || !b._live) throw new TypeError("view: expected a Float32Array from this engine's alloc(), not yet freed");
    return b;
  }

  private _syncViews(): void {
    // A view over a detached buffer has length 0: this notices growth by anyone (engine.memory.grow
    // too) without the WebAssembly.Memory buffer getter, which costs about 30 ns a call in V8.
    if (this._f32.length === 0) {
      this._retired.add(this._f32.buffer);
      this._f32 = new Float32Array(this.memory.buffer);
      this._u8 = new Uint8Array(this.memory.buffer);
    }
  }

  private _ensureScratch(bytes: number): void {
    if (bytes <= this._scratchBytes) return;
    const size = Math.max(bytes, this._scratchBytes * 2);
    if (this._scratch) this._heap.release(this._scratch);
    this._scratch = this._scratchBytes = 0; // (no arena, should the allocation below throw)
    this._scratch = this._heap.alloc(size);
    this._scratchBytes = size;
    this._syncViews();
  }

  /** Byte offset of a Float32Array that lies in the engine's heap, else -1 (copy it). A view
   *  that overlaps the scratch arena (made by hand over engine.memory) is copied too. */
  private _zeroCopyPtr(a: Float32Array, name: string): number {
    if (a.buffer !== this._f32.buffer) { // (after _syncViews: _f32 is over the current buffer)
      if (this._retired.has(a.buffer))
        throw new TypeError(`${name}: this view was detached when the engine's memory grew; get a live one from engine.refresh() of its alloc() view`);
      return -1;
    }
    const p = a.byteOffset;
    if (p < this._heapBase) throw new RangeError(`${name}: a view of the engine's memory must lie in its heap (use engine.alloc)`);
    if (p < this._scratch + this._scratchBytes && p + a.byteLength > this._scratch) return -1;
    return p;
  }

  private _run<X extends Input>(kind: Kind, x: X, options: BaseOptions | undefined): Result<X> {
    this.lastSpecialRows = 0;
    this._syncViews(); // for the detached-view check in _zeroCopyPtr
    const mm = kind === Kind.multimax || kind === Kind.logMultimax;
    const takesAlpha = kind === Kind.entmax || kind === Kind.normmax;
    const sparse = kind >= Kind.sparsemax && kind <= Kind.normmax; // the threshold maps
    if (options == null) {
      if (mm) missingParams(kind);
      options = {};
    } else if (typeof options !== "object") fail("options", "an object", options);
    const { cols, axis, out, temperature, support, params: rawParams, training } =
      options as SoftmaxOptions & MultimaxOptions & EvSoftmaxOptions;
    let mask = options.mask;
    let alpha = (options as EntmaxOptions).alpha;
    // --- input and layout: the kernels see rows = outer·inner rows of C values
    let data: Float32Array, dims: readonly number[] | null = null;
    if (isF32(x)) data = x;
    else if (tensorData(x)) ({ data, dims } = x as TensorLike);
    else throw new TypeError(`x: expected a Float32Array or a tensor-like { data: Float32Array, dims }, got ${describe(x)}${x !== null && typeof x === "object" && "data" in x ? " (its data is not a Float32Array)" : ""}`);
    const n = data.length;
    const xPtr = this._zeroCopyPtr(data, "x");
    let outer: number, C: number, inner = 1;
    if (dims === null) {
      if (cols !== undefined) {
        C = checkNumber(cols, "cols", "an integer >= 1", isCount);
        if (n % C !== 0) throw new RangeError(`x.length (${n}) is not a multiple of cols (${C})`);
      } else if (n === 0) throw new RangeError("x: expected at least one value (or give cols for an empty batch)");
      else C = n;
      outer = n / C;
      if (axis !== undefined && axisOf(axis, 2) === 0) { inner = C; C = outer; outer = 1; } // dims [rows, cols]: normalise each column
    } else {
      if (!isArrayLike(dims)) fail("x.dims", "an array of non-negative integers", dims);
      let size = 1;
      for (let i = 0; i < dims.length; i++) {
        const d = dims[i];
        if (typeof d !== "number" || !Number.isInteger(d) || d < 0) fail(`x.dims[${i}]`, "a non-negative integer", d, true);
        size *= d;
      }
      if (size !== n) throw new RangeError(`x.dims [${dims.join(", ")}] hold ${size} values but x.data has ${n}`);
      const a = axisOf(axis === undefined ? -1 : axis, dims.length);
      outer = 1;
      for (let i = 0; i < a; i++) outer *= dims[i];
      for (let i = a + 1; i < dims.length; i++) inner *= dims[i];
      C = dims[a];
      if (cols !== undefined && cols !== C) throw new RangeError(`cols: ${describe(cols)} does not match x.dims[${a}] = ${C} (omit cols for tensors)`);
      if (C === 0) outer = 0; // (then n is 0 too)
    }
    const rows = outer * inner;
    // --- output
    let outArr: Float32Array | null = null, outPtr = -1;
    if (out != null) {
      outArr = isF32(out) ? out : tensorData(out);
      if (outArr === null) fail("out", `a Float32Array${dims ? " or a tensor-like" : ""} of length ${n}`, out);
      outPtr = this._zeroCopyPtr(outArr, "out");
      sameLength("out", outArr, n, "x.length");
    }
    // --- per-normaliser options, each refused by the normalisers that do not take it
    let k = 1;
    if (temperature !== undefined) {
      if (kind !== Kind.softmax) refuse("temperature", kind, "softmax");
      // 1/T as a float32 in [smallest subnormal, largest finite]: never 0 (−∞·0 would be NaN
      // at masked entries) and never +∞
      k = Math.min(Math.max(1 / checkNumber(temperature, "temperature", "a finite number > 0", isPositiveFinite), F32_MIN_SUBNORMAL), F32_MAX);
    }
    const params = mm ? prepareParams(rawParams === undefined ? missingParams(kind) : rawParams) : null;
    // (mask: validated before any memory is touched)
    const hasMask = mask != null;
    if (hasMask) {
      if (!isArrayLike(mask)) fail("mask", "a Uint8Array or an array of booleans", mask);
      sameLength("mask", mask, n, "x.length");
      // a typed array over the engine's memory: copy it now (growth below would detach it)
      if (ArrayBuffer.isView(mask) && mask.buffer === this._f32.buffer) mask = (mask as Uint8Array).slice();
    }
    const hasSupport = support != null;
    if (hasSupport) {
      if (kind < Kind.sparsemax) refuse("support", kind, "the sparse normalisers");
      if (!(support instanceof Int32Array)) fail("support", "an Int32Array", support);
      sameLength("support", support, rows, "one slot per row");
      // (a view of the engine's memory would be detached if this call grows it)
      if (support.buffer === this._f32.buffer) throw new TypeError("support: expected an Int32Array outside the engine's memory (the call could detach a view of it)");
    }
    let perRow = false;
    if (takesAlpha) {
      const nm = kind === Kind.normmax;
      const want = nm ? "a finite number > 1" : "a finite number >= 1";
      const ok = nm ? isAlphaNormmax : isAlphaEntmax;
      if (alpha === undefined) alpha = nm ? 2 : 1.5;
      if (typeof alpha !== "number" && isArrayLike(alpha)) {
        perRow = true;
        sameLength("alpha", alpha, rows, "one value per row");
        for (let i = 0; i < rows; i++) {
          const a = alpha[i];
          if (typeof a !== "number" || !ok(a)) fail(`alpha[${i}]`, want, a, typeof a === "number");
        }
        // a typed array over the engine's memory: read it now (growth below would detach it)
        if (ArrayBuffer.isView(alpha) && (alpha as unknown as Float64Array).buffer === this._f32.buffer) alpha = Array.from(alpha);
      } else checkNumber(alpha, "alpha", `${want}, or one per row`, ok);
    } else if (alpha !== undefined) refuse("alpha", kind, "entmax and normmax");
    if (training !== undefined) {
      if (kind !== Kind.evSoftmax) refuse("training", kind, "evSoftmax");
      if (typeof training !== "boolean") fail("training", "a boolean", training);
    }
    let result = outArr ?? new Float32Array(n);
    if (n === 0) {
      if (hasSupport) support.fill(0);
      return wrap(result, dims, out);
    }
    // --- memory plan
    const order = params === null ? 0 : params.order;
    const transposed = inner !== 1;
    // both in wasm memory, the same or disjoint: the kernels read x and write out directly
    const direct = !transposed && xPtr >= 0 && outPtr >= 0 && (xPtr === outPtr || xPtr + 4 * n <= outPtr || outPtr + 4 * n <= xPtr);
    // the kernels run in place (src == dst) unless both are distinct views, or x is a view and
    // out a JS array (x -> work); MultiMax in place needs one row of scratch for its logits
    const inPlace = transposed || (outPtr < 0 ? xPtr < 0 : !direct || xPtr === outPtr);
    const useTmp = sparse || (mm && inPlace);
    // the scratch arena, as byte offsets: [work: n floats, unless the kernels work in x or out]
    // [tmp: one row (MultiMax in place) or two (threshold maps: candidate values and indices)]
    // [alpha: f64 per row or one][support: i32 per row][params][mask: n bytes]
    const tmpAt = transposed || outPtr < 0 ? alignLine(4 * n) : 0;
    const alphaAt = tmpAt + (useTmp ? alignLine((sparse ? 8 : 4) * C) : 0);
    const supportAt = alphaAt + (takesAlpha ? alignLine(8 * (perRow ? rows : 1)) : 0);
    const paramsAt = supportAt + (hasSupport ? alignLine(4 * rows) : 0);
    const maskAt = paramsAt + 16 * order;
    const bytes = maskAt + (hasMask ? alignLine(n) : 0);
    if (bytes > MAX_BYTES) throw new RangeError(`x: ${n} values need more than 4 GiB`);
    this._ensureScratch(bytes); // (syncs the views if it grew the memory)
    const f32 = this._f32;
    const work = this._scratch;
    const alphaPtr = work + alphaAt;
    const maskPtr = hasMask ? work + maskAt : 0;
    const supPtr = hasSupport ? work + supportAt : 0;
    if (takesAlpha) {
      const f64 = new Float64Array(f32.buffer, alphaPtr, perRow ? rows : 1);
      if (perRow) f64.set(alpha as ArrayLike<number>);
      else f64[0] = alpha as number;
    }
    if (order > 0) f32.set(params!.records, (work + paramsAt) / 4);
    if (hasMask) writeMask(this._u8, mask!, maskPtr, outer, C, inner);
    // where the kernels read (src) and write (dst)
    let src = xPtr, dst = outPtr;
    if (transposed) {
      src = dst = work;
      transpose(xPtr >= 0 ? f32 : data, xPtr >= 0 ? xPtr / 4 : 0, f32, work / 4, outer, C, inner, false);
    } else if (outPtr < 0) {
      dst = work; // x stays untouched; result copied out below
      if (xPtr < 0) copy(data, 0, f32, (src = work) / 4, n);
    } else if (!direct) {
      // x is a JS array (or overlaps out): copy it into out's block and work in place there
      if (xPtr >= 0) f32.copyWithin(outPtr / 4, xPtr / 4, (xPtr / 4) + n);
      else copy(data, 0, f32, outPtr / 4, n);
      src = outPtr;
    }
    const e = this._k, tmp = useTmp ? work + tmpAt : 0, stride = perRow ? 8 : 0, paramsPtr = work + paramsAt;
    let special: number;
    // (MultiMax whose orders are all zero is softmax exactly: it runs the softmax kernels)
    switch (mm && order === 0 ? kind - 2 : kind) {
      case Kind.softmax: special = e.softmax(src, dst, maskPtr, rows, C, k); break;
      case Kind.logSoftmax: special = e.log_softmax(src, dst, maskPtr, rows, C); break;
      case Kind.multimax: special = e.multimax(src, dst, tmp, maskPtr, rows, C, paramsPtr, order); break;
      case Kind.logMultimax: special = e.log_multimax(src, dst, tmp, maskPtr, rows, C, paramsPtr, order); break;
      case Kind.sparsemax: special = e.sparsemax(src, dst, tmp, maskPtr, rows, C, supPtr); break;
      case Kind.entmax15: special = e.entmax15(src, dst, tmp, maskPtr, rows, C, supPtr); break;
      case Kind.entmax: special = e.entmax(src, dst, tmp, maskPtr, rows, C, alphaPtr, stride, supPtr); break;
      case Kind.normmax: special = e.normmax(src, dst, tmp, maskPtr, rows, C, alphaPtr, stride, supPtr); break;
      default: special = e.ev_softmax(src, dst, maskPtr, rows, C, training === true ? EV_EPS : 0, supPtr);
    }
    this.lastSpecialRows = special;
    if (hasSupport) support.set(new Int32Array(f32.buffer, supPtr, rows));
    // --- results out
    if (transposed) transpose(f32, work / 4, outPtr >= 0 ? f32 : result, outPtr >= 0 ? outPtr / 4 : 0, outer, C, inner, true);
    else if (outPtr < 0) copy(f32, work / 4, result, 0, n);
    // a zero-copy `out` detached by memory growth during this call: hand back a live view
    if (outPtr >= 0 && result.buffer !== f32.buffer)
      result = this._views.has(result) ? this.refresh(result) : new Float32Array(this.memory.buffer, outPtr, n);
    return wrap(result, dims, out);
  }
}
