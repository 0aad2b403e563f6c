// The public API over one wasm instance: argument checking, memory management (scratch arena and
// zero-copy views) and data layout (rows, axes, masks). It knows the kernels' memory contract
// (assembly/rows.ts), not their math.
import { Heap, MAX_BYTES } from "./heap.js";
import { describe } from "./describe.js";
import { MultimaxParams, prepareParams, type RawParams } from "./params.js";

/** The wasm module's exports (assembly/index.ts). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heap_base(): number;
  simd(): number;
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
// scratch sub-regions start on cache lines, like heap blocks; arithmetic, not bitwise: byte
// offsets in a wasm32 memory reach 2^32
const align64 = (n: number): number => Math.ceil(n / 64) * 64;
const EXPORTS = ["heap_base", "simd", "softmax", "log_softmax", "multimax", "log_multimax", "sparsemax", "entmax15", "entmax", "normmax", "ev_softmax"] as const;
const EV_EPS = 1e-6; // ev-softmax training weight of the entries below the mean (official repository's EPS)

function checkLength(length: unknown): void {
  if (typeof length !== "number" || !Number.isInteger(length) || length < 1)
    throw new RangeError(`length: expected an integer >= 1, got ${describe(length)}`);
  if (length * 4 > MAX_BYTES) throw new RangeError(`length: ${length} floats do not fit in a wasm32 memory (4 GiB)`);
}

function isF32(v: unknown): v is Float32Array {
  return v instanceof Float32Array || Object.prototype.toString.call(v) === "[object Float32Array]";
}

/** A block handed out by alloc(); shared by a view and the views refresh() makes of it. */
interface Block { ptr: number; length: number; live: boolean }

const KINDS = { softmax: 0, logSoftmax: 1, multimax: 2, logMultimax: 3, sparsemax: 4, entmax15: 5, entmax: 6, normmax: 7, evSoftmax: 8 } as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];
const NAMES = ["softmax", "logSoftmax", "multimax", "logMultimax", "sparsemax", "entmax15", "entmax", "normmax", "evSoftmax"];
const isMM = (k: Kind): boolean => k === 2 || k === 3;

/** Checks that an instance's exports are multimax-wasm's kernels. */
export function checkExports(e: WebAssembly.Exports): KernelExports {
  if (!(e.memory instanceof WebAssembly.Memory)) throw new TypeError("init: the WebAssembly module is not multimax-wasm's (it exports no memory)");
  for (const name of EXPORTS)
    if (typeof e[name] !== "function") throw new TypeError(`init: the WebAssembly module is not multimax-wasm's (missing export '${name}')`);
  return e as unknown as KernelExports;
}

/**
 * One wasm instance and its memory. Create it with `init()` or `initSync()`. All normalisers take
 * a Float32Array (rows × cols, row-major) or a tensor-like { data, dims } and return the same kind.
 */
export class Engine {
  /** The instance's linear memory (zero-copy views live in it). */
  readonly memory: WebAssembly.Memory;
  /** True when the loaded build uses wasm SIMD. */
  readonly simd: boolean;
  /** Number of rows that took the exceptional path (±∞, NaN, all masked, overflow) in the last call. */
  lastSpecialRows = 0;

  private k: KernelExports;
  private heap: Heap;
  private heapBase: number;
  private f32: Float32Array;
  private u8: Uint8Array;
  private scratch = 0;
  private scratchBytes = 0;
  private views = new WeakMap<Float32Array, Block>(); // zero-copy view (and its refreshed twins) -> block
  private retired = new WeakSet<ArrayBufferLike>(); // buffers of this memory detached by growth

  /** @internal Use init() / initSync(). */
  constructor(exports: KernelExports) {
    this.k = exports;
    this.memory = exports.memory;
    this.simd = exports.simd() === 1;
    this.heapBase = exports.heap_base();
    this.heap = new Heap(this.memory, this.heapBase);
    this.f32 = new Float32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
    this.ensureScratch(INITIAL_SCRATCH);
  }

  // ---------------------------------------------------------------- normalisers

  /** softmax(x / temperature) along one axis: y_i = exp(x_i/T − max) / Σ_j exp(x_j/T − max). */
  softmax<X extends Input>(x: X, options?: SoftmaxOptions): Result<X> {
    return this.run(KINDS.softmax, x, options);
  }

  /** log_softmax(x) along one axis: y_i = x_i − max − log Σ_j exp(x_j − max). */
  logSoftmax<X extends Input>(x: X, options?: LogSoftmaxOptions): Result<X> {
    return this.run(KINDS.logSoftmax, x, options);
  }

  /** MultiMax: softmax(φ(x) + M), φ the piece-wise modulator of Zhou et al. (ICML 2024), the
   *  mask M applied after the modulation, as in the official attention code. */
  multimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
    return this.run(KINDS.multimax, x, options);
  }

  /** log-MultiMax: log_softmax(φ(x) + M). */
  logMultimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
    return this.run(KINDS.logMultimax, x, options);
  }

  /** sparsemax (Martins & Astudillo, 2016): the Euclidean projection onto the simplex,
   *  argmin_{p ∈ Δ} ‖p − x‖²; y_i = max(x_i − τ, 0) with Σ y = 1. Exact, no sort. */
  sparsemax<X extends Input>(x: X, options?: SparseOptions): Result<X> {
    return this.run(KINDS.sparsemax, x, options);
  }

  /** 1.5-entmax (Peters, Niculae & Martins, 2019): y_i = max(x_i/2 − τ, 0)² with Σ y = 1. Exact. */
  entmax15<X extends Input>(x: X, options?: SparseOptions): Result<X> {
    return this.run(KINDS.entmax15, x, options);
  }

  /** α-entmax: argmax_{p ∈ Δ} ⟨x, p⟩ + H^T_α(p) (Tsallis entropy);
   *  y_i = max((α − 1)x_i − τ, 0)^(1/(α−1)) with Σ y = 1. α = 1 is softmax, 1.5 entmax15, 2 sparsemax. */
  entmax<X extends Input>(x: X, options?: EntmaxOptions): Result<X> {
    return this.run(KINDS.entmax, x, options);
  }

  /** α-normmax: argmax_{p ∈ Δ} ⟨x, p⟩ − ‖p‖_α; y ∝ max(x_i − τ, 0)^(1/(α−1)) with
   *  Σ max(x_i − τ, 0)^(α/(α−1)) = 1 (as entmax.normmax_bisect). */
  normmax<X extends Input>(x: X, options?: NormmaxOptions): Result<X> {
    return this.run(KINDS.normmax, x, options);
  }

  /** ev-softmax (official MultiMax repository): softmax over the entries ≥ the row mean, 0
   *  elsewhere (training: weight 1e-6 elsewhere). */
  evSoftmax<X extends Input>(x: X, options?: EvSoftmaxOptions): Result<X> {
    return this.run(KINDS.evSoftmax, x, options);
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
    const ptr = this.heap.alloc(length * 4);
    this.syncViews();
    const view = new Float32Array(this.memory.buffer, ptr, length);
    this.views.set(view, { ptr, length, live: true });
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
    if (bytes + 4 * length > MAX_BYTES) throw new RangeError(`length: reserving for ${length} values needs more than the 4 GiB of a wasm32 memory`);
    this.ensureScratch(bytes);
    this.heap.release(this.heap.alloc(4 * length));
    this.syncViews();
  }

  /** Returns a view's block to the engine. The view (and any refresh() of it) must not be used afterwards. */
  free(view: Float32Array): void {
    const b = this.views.get(view);
    if (b === undefined || !b.live)
      throw new TypeError("view: expected a Float32Array returned by this engine's alloc() and not yet freed");
    b.live = false;
    this.views.delete(view);
    this.heap.release(b.ptr);
  }

  /** A fresh view of the block behind `view` (after memory growth detached it); same contents. */
  refresh(view: Float32Array): Float32Array {
    const b = this.views.get(view);
    if (b === undefined || !b.live)
      throw new TypeError("view: expected a Float32Array returned by this engine's alloc() and not yet freed");
    this.syncViews();
    if (view.buffer === this.f32.buffer) return view;
    const fresh = new Float32Array(this.memory.buffer, b.ptr, b.length);
    this.views.set(fresh, b);
    return fresh;
  }

  // ---------------------------------------------------------------- internals

  private syncViews(): void {
    // A view over a detached buffer has length 0: this notices growth by anyone (engine.memory.grow
    // too) without the WebAssembly.Memory buffer getter, which costs about 30 ns a call in V8.
    if (this.f32.length === 0) {
      this.retired.add(this.f32.buffer);
      this.f32 = new Float32Array(this.memory.buffer);
      this.u8 = new Uint8Array(this.memory.buffer);
    }
  }

  private ensureScratch(bytes: number): void {
    if (bytes <= this.scratchBytes) return;
    const size = Math.max(bytes, this.scratchBytes * 2);
    if (this.scratch) this.heap.release(this.scratch);
    this.scratch = 0;
    this.scratchBytes = 0;
    this.scratch = this.heap.alloc(size);
    this.scratchBytes = size;
    this.syncViews();
  }

  /** Byte offset of a Float32Array that lies in the engine's heap, else -1 (copy it). A view
   *  that overlaps the scratch arena (made by hand over engine.memory) is copied too. */
  private zeroCopyPtr(a: Float32Array, name: string): number {
    if (a.buffer !== this.f32.buffer) { // (after syncViews: f32 is over the current buffer)
      if (this.retired.has(a.buffer))
        throw new TypeError(`${name}: this zero-copy view was detached when the engine's memory grew; get it back with engine.refresh(view)${this.views.has(a) ? "" : " (of the view it was cut from)"}`);
      return -1;
    }
    const p = a.byteOffset;
    if (p < this.heapBase) throw new RangeError(`${name}: a view of the engine's memory must lie in its heap (use engine.alloc)`);
    if (p < this.scratch + this.scratchBytes && p + a.byteLength > this.scratch) return -1;
    return p;
  }

  private run<X extends Input>(kind: Kind, x: X, options: BaseOptions | undefined): Result<X> {
    this.lastSpecialRows = 0;
    this.syncViews(); // for the detached-view check in zeroCopyPtr
    if (options === undefined || options === null) {
      if (isMM(kind)) throw new TypeError(`${NAMES[kind]}: options.params is required (${"{ ranges, ts } or { orders }"})`);
      options = {};
    } else if (typeof options !== "object") {
      throw new TypeError(`options: expected an object, got ${describe(options)}`);
    }
    // --- input and layout
    let data: Float32Array, dims: readonly number[] | null = null;
    if (isF32(x)) data = x;
    else if (x !== null && typeof x === "object" && isF32((x as TensorLike).data)) {
      data = (x as TensorLike).data;
      dims = (x as TensorLike).dims;
    } else {
      throw new TypeError(`x: expected a Float32Array or a tensor-like { data: Float32Array, dims: number[] }, got ${describe(x)}${x !== null && typeof x === "object" && "data" in (x as object) ? " (its data is not a Float32Array)" : ""}`);
    }
    const n = data.length;
    const xPtr = this.zeroCopyPtr(data, "x");
    let outer: number, C: number, inner: number;
    const { cols, axis } = options;
    if (dims === null) {
      if (cols === undefined) {
        if (n === 0) throw new RangeError("x: expected at least one value (or give cols for an empty batch)");
        C = n;
      } else {
        if (typeof cols !== "number") throw new TypeError(`cols: expected an integer >= 1, got ${describe(cols)}`);
        if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`cols: expected an integer >= 1, got ${cols}`);
        if (n % cols !== 0) throw new RangeError(`x.length (${n}) is not a multiple of cols (${cols})`);
        C = cols;
      }
      outer = n / C;
      inner = 1;
      if (axis !== undefined) {
        const a = this.axisOf(axis, 2);
        if (a === 0) { inner = C; C = outer; outer = 1; } // dims [rows, cols]: normalise each column
      }
    } else {
      if (dims == null || typeof dims !== "object" || typeof dims.length !== "number")
        throw new TypeError(`x.dims: expected an array of non-negative integers, got ${describe(dims)}`);
      let size = 1;
      for (let i = 0; i < dims.length; i++) {
        const d = dims[i];
        if (typeof d !== "number" || !Number.isInteger(d) || d < 0)
          throw new RangeError(`x.dims[${i}]: expected a non-negative integer, got ${describe(d)}`);
        size *= d;
      }
      if (size !== n) throw new RangeError(`x.dims [${dims.join(", ")}] hold ${size} values but x.data has ${n}`);
      const a = this.axisOf(axis === undefined ? -1 : axis, dims.length);
      outer = 1; inner = 1;
      for (let i = 0; i < a; i++) outer *= dims[i];
      for (let i = a + 1; i < dims.length; i++) inner *= dims[i];
      C = dims[a];
      if (cols !== undefined && cols !== C) throw new RangeError(`cols: ${describe(cols)} does not match x.dims[${a}] = ${C} (omit cols for tensors)`);
      if (C === 0 && n === 0) { outer = 0; }
    }
    // --- output
    let outArr: Float32Array | null = null;
    const out = options.out;
    if (out !== undefined && out !== null) {
      outArr = isF32(out) ? out : out !== null && typeof out === "object" && isF32((out as TensorLike).data) ? (out as TensorLike).data : null;
      if (outArr === null) throw new TypeError(`out: expected a Float32Array${dims ? " or a tensor-like" : ""} of length ${n}, got ${describe(out)}`);
    }
    const outPtr = outArr === null ? -1 : this.zeroCopyPtr(outArr, "out");
    if (outArr !== null && outArr.length !== n) throw new RangeError(`out: expected length ${n} (x.length), got ${outArr.length}`);
    // --- per-kind options
    let k = 1;
    let params: MultimaxParams | null = null;
    if (kind === KINDS.softmax) {
      const t = (options as SoftmaxOptions).temperature;
      if (t !== undefined) {
        if (typeof t !== "number") throw new TypeError(`temperature: expected a finite number > 0, got ${describe(t)}`);
        if (!(t > 0) || t === Infinity) throw new RangeError(`temperature: expected a finite number > 0, got ${t}`);
        // 1/T as a float32 in [smallest subnormal, largest finite]: never 0 (−∞·0 would be NaN
        // at masked entries) and never +∞
        k = Math.min(Math.max(1 / t, F32_MIN_SUBNORMAL), F32_MAX);
      }
    } else if ((options as SoftmaxOptions).temperature !== undefined) {
      throw new TypeError(`temperature: only softmax takes a temperature (${NAMES[kind]} does not)`);
    }
    if (isMM(kind)) {
      const p = (options as MultimaxOptions).params;
      if (p === undefined) throw new TypeError(`${NAMES[kind]}: options.params is required ({ ranges, ts } or { orders })`);
      params = prepareParams(p);
    }
    // --- mask (validated before any memory is touched)
    const mask = options.mask;
    if (mask !== undefined && mask !== null) {
      if (typeof mask !== "object" || typeof (mask as ArrayLike<unknown>).length !== "number")
        throw new TypeError(`mask: expected a Uint8Array or an array of booleans of length ${n}, got ${describe(mask)}`);
      if (mask.length !== n) throw new RangeError(`mask: expected length ${n} (x.length), got ${mask.length}`);
    }
    const hasMask = mask !== undefined && mask !== null;
    // --- sparse options: support, alpha, training
    const rows = outer * inner;
    const support = (options as SparseOptions).support;
    if (support !== undefined && support !== null) {
      if (kind < 4) throw new TypeError(`support: only the sparse normalisers take a support array (${NAMES[kind]} does not)`);
      if (!(support instanceof Int32Array)) throw new TypeError(`support: expected an Int32Array with one slot per row (${rows}), got ${describe(support)}`);
      if (support.length !== rows) throw new RangeError(`support: expected length ${rows} (one slot per row), got ${support.length}`);
      // (a view of the engine's memory would be detached if this call grows it)
      if (support.buffer === this.memory.buffer) throw new TypeError("support: expected an Int32Array outside the engine's memory (a view of it can be detached by the call)");
    }
    const hasSupport = support !== undefined && support !== null;
    let alpha: number | ArrayLike<number> | undefined = (options as EntmaxOptions).alpha;
    let perRow = false;
    if (kind === KINDS.entmax || kind === KINDS.normmax) {
      const nm = kind === KINDS.normmax;
      if (alpha === undefined) alpha = nm ? 2 : 1.5;
      const want = nm ? "a finite number > 1" : "a finite number >= 1";
      const ok = (a: number): boolean => (nm ? a > 1 : a >= 1) && a !== Infinity;
      if (typeof alpha === "number") {
        if (!ok(alpha)) throw new RangeError(`alpha: expected ${want}, got ${alpha}`);
      } else if (alpha !== null && typeof alpha === "object" && typeof (alpha as ArrayLike<number>).length === "number") {
        perRow = true;
        if (alpha.length !== rows) throw new RangeError(`alpha: expected a number or one value per row (${rows}), got ${alpha.length} values`);
        for (let i = 0; i < alpha.length; i++) {
          const a = alpha[i];
          if (typeof a !== "number") throw new TypeError(`alpha[${i}]: expected ${want}, got ${describe(a)}`);
          if (!ok(a)) throw new RangeError(`alpha[${i}]: expected ${want}, got ${a}`);
        }
        // a typed array over the engine's memory: read it now (growth below would detach it)
        if (ArrayBuffer.isView(alpha) && (alpha as unknown as Float64Array).buffer === this.memory.buffer) alpha = Array.from(alpha);
      } else {
        throw new TypeError(`alpha: expected ${want} or an array with one per row, got ${describe(alpha)}`);
      }
    } else if (alpha !== undefined) {
      throw new TypeError(`alpha: only entmax and normmax take alpha (${NAMES[kind]} does not)`);
    }
    const training = (options as EvSoftmaxOptions).training;
    if (kind === KINDS.evSoftmax) {
      if (training !== undefined && typeof training !== "boolean") throw new TypeError(`training: expected a boolean, got ${describe(training)}`);
    } else if (training !== undefined) {
      throw new TypeError(`training: only evSoftmax takes training (${NAMES[kind]} does not)`);
    }
    let result = outArr ?? new Float32Array(n);
    if (n === 0) {
      if (hasSupport) support!.fill(0);
      return this.wrap(result, dims, out);
    }
    const sparse = kind >= 4 && kind <= 7; // threshold maps: two rows of scratch (candidate values and indices)
    // --- memory plan: [work: n floats][tmp: one row (MultiMax in place) or two rows (threshold maps:
    //     candidate values and indices)][alpha: f64 per row or one][support: i32 per row][params][mask: n bytes]
    const order = params === null ? 0 : params.order;
    const transposed = inner !== 1;
    // both in wasm memory, the same or disjoint: the kernels read x and write out directly
    const direct = !transposed && xPtr >= 0 && outPtr >= 0 && (xPtr === outPtr || xPtr + 4 * n <= outPtr || outPtr + 4 * n <= xPtr);
    const needWork = !direct && !(outPtr >= 0 && !transposed);
    // the kernels run in place (src == dst) unless both are distinct views, or x is a view and
    // out a JS array (x -> work); MultiMax in place needs one row of scratch for its logits
    const inPlace = direct ? xPtr === outPtr : !(xPtr >= 0 && outPtr < 0 && !transposed);
    const workBytes = needWork ? align64(4 * n) : 0;
    const tmpBytes = sparse ? align64(8 * C) : isMM(kind) && inPlace ? align64(4 * C) : 0;
    const alphaBytes = kind === KINDS.entmax || kind === KINDS.normmax ? align64(8 * (perRow ? rows : 1)) : 0;
    const supportBytes = hasSupport ? align64(4 * rows) : 0;
    const paramBytes = 16 * order;
    const maskBytes = hasMask ? align64(n) : 0;
    const scratchBytes = workBytes + tmpBytes + alphaBytes + supportBytes + paramBytes + maskBytes;
    if (scratchBytes > MAX_BYTES) throw new RangeError(`x: ${n} values need more than the 4 GiB of a wasm32 memory`);
    this.ensureScratch(scratchBytes); // (syncs the views if it grew the memory)
    const f32 = this.f32, u8 = this.u8;
    const work = this.scratch;
    const tmpPtr = work + workBytes;
    const alphaPtr = tmpPtr + tmpBytes;
    const supPtr = hasSupport ? alphaPtr + alphaBytes : 0;
    const parPtr = alphaPtr + alphaBytes + supportBytes;
    if (alphaBytes > 0) {
      const f64 = new Float64Array(f32.buffer, alphaPtr, perRow ? rows : 1);
      if (perRow) for (let i = 0; i < rows; i++) f64[i] = (alpha as ArrayLike<number>)[i];
      else f64[0] = alpha as number;
    }
    const maskPtr = hasMask ? parPtr + paramBytes : 0;
    if (params !== null && order > 0) f32.set(params.records, parPtr / 4);
    if (hasMask) this.writeMask(mask!, maskPtr, outer, C, inner);
    // where the kernel reads (src) and writes (dst)
    let src: number, dst: number;
    if (transposed) {
      src = dst = work;
      this.gather(xPtr >= 0 ? f32 : data, xPtr >= 0 ? xPtr / 4 : 0, work / 4, outer, C, inner);
    } else if (direct) {
      src = xPtr; dst = outPtr;
    } else if (outPtr >= 0) {
      // x is a JS array (or overlaps out): copy it into out's block and work in place there
      if (xPtr >= 0) f32.copyWithin(outPtr / 4, xPtr / 4, (xPtr / 4) + n);
      else this.copyIn(data, outPtr / 4, n);
      src = dst = outPtr;
    } else if (xPtr >= 0) {
      src = xPtr; dst = work; // x stays untouched; result copied out below
    } else {
      this.copyIn(data, work / 4, n);
      src = dst = work;
    }
    const tmp = (isMM(kind) && inPlace) || sparse ? tmpPtr : 0;
    if (inPlace !== (src === dst)) throw new Error("multimax-wasm: internal error (memory plan)");
    const e = this.k;
    switch (kind) {
      case KINDS.softmax: this.lastSpecialRows = e.softmax(src, dst, maskPtr, rows, C, k); break;
      case KINDS.logSoftmax: this.lastSpecialRows = e.log_softmax(src, dst, maskPtr, rows, C); break;
      case KINDS.multimax: this.lastSpecialRows = order === 0
        ? e.softmax(src, dst, maskPtr, rows, C, 1)
        : e.multimax(src, dst, tmp, maskPtr, rows, C, parPtr, order); break;
      case KINDS.logMultimax: this.lastSpecialRows = order === 0
        ? e.log_softmax(src, dst, maskPtr, rows, C)
        : e.log_multimax(src, dst, tmp, maskPtr, rows, C, parPtr, order); break;
      case KINDS.sparsemax: this.lastSpecialRows = e.sparsemax(src, dst, tmp, maskPtr, rows, C, supPtr); break;
      case KINDS.entmax15: this.lastSpecialRows = e.entmax15(src, dst, tmp, maskPtr, rows, C, supPtr); break;
      case KINDS.entmax: this.lastSpecialRows = e.entmax(src, dst, tmp, maskPtr, rows, C, alphaPtr, perRow ? 8 : 0, supPtr); break;
      case KINDS.normmax: this.lastSpecialRows = e.normmax(src, dst, tmp, maskPtr, rows, C, alphaPtr, perRow ? 8 : 0, supPtr); break;
      default: this.lastSpecialRows = e.ev_softmax(src, dst, maskPtr, rows, C, training === true ? EV_EPS : 0, supPtr);
    }
    if (hasSupport) support!.set(new Int32Array(f32.buffer, supPtr, rows));
    // --- results out
    if (transposed) {
      if (outPtr >= 0) this.scatter(f32, work / 4, f32, outPtr / 4, outer, C, inner);
      else this.scatter(f32, work / 4, result, 0, outer, C, inner);
    } else if (outPtr < 0) {
      this.copyOut(dst / 4, result, n);
    }
    // a zero-copy `out` detached by memory growth during this call: hand back a live view
    if (outPtr >= 0 && result.buffer !== this.f32.buffer)
      result = this.views.has(result) ? this.refresh(result) : new Float32Array(this.memory.buffer, outPtr, n);
    return this.wrap(result, dims, out);
  }

  /** Float32Array in, Float32Array out; tensor in, tensor out (`out` itself when it is a tensor
   *  whose data received the result). No allocation on the Float32Array path. */
  private wrap<X extends Input>(r: Float32Array, dims: readonly number[] | null, out: unknown): Result<X> {
    if (dims === null) return r as Result<X>;
    if (out !== null && typeof out === "object" && (out as TensorLike).data === r) return out as Result<X>;
    return { data: r, dims: Array.from(dims) } as unknown as Result<X>;
  }

  private axisOf(axis: unknown, rank: number): number {
    if (typeof axis !== "number" || !Number.isInteger(axis) || axis < -rank || axis >= rank)
      throw new RangeError(`axis: expected an integer in [${-rank}, ${rank - 1}], got ${describe(axis)}`);
    return axis < 0 ? axis + rank : axis;
  }

  private copyIn(a: Float32Array, at: number, n: number): void {
    if (n <= SMALL_COPY) { const f = this.f32; for (let i = 0; i < n; i++) f[at + i] = a[i]; }
    else this.f32.set(a, at);
  }

  private copyOut(at: number, a: Float32Array, n: number): void {
    if (n <= SMALL_COPY) { const f = this.f32; for (let i = 0; i < n; i++) a[i] = f[at + i]; }
    else a.set(this.f32.subarray(at, at + n));
  }

  /** Mask bytes (1 keep, 0 masked), in the same order as the rows the kernels see. */
  private writeMask(mask: Mask, at: number, outer: number, C: number, inner: number): void {
    const u8 = this.u8, n = outer * C * inner;
    const bytes = mask instanceof Uint8Array || mask instanceof Uint8ClampedArray || mask instanceof Int8Array;
    if (inner === 1) {
      if (bytes) u8.set(mask as Uint8Array, at);
      else for (let i = 0; i < n; i++) u8[at + i] = (mask as ArrayLike<unknown>)[i] ? 1 : 0;
      return;
    }
    let w = at;
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < inner; j++)
        for (let c = 0, r = o * C * inner + j; c < C; c++, r += inner) u8[w++] = (mask as ArrayLike<unknown>)[r] ? 1 : 0;
  }

  /** [outer, C, inner] -> [outer, inner, C] into the work area. */
  private gather(s: Float32Array, sAt: number, at: number, outer: number, C: number, inner: number): void {
    const f = this.f32;
    let w = at;
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < inner; j++)
        for (let c = 0, r = sAt + o * C * inner + j; c < C; c++, r += inner) f[w++] = s[r];
  }

  /** [outer, inner, C] work area -> [outer, C, inner]. */
  private scatter(s: Float32Array, sAt: number, d: Float32Array, dAt: number, outer: number, C: number, inner: number): void {
    let r = sAt;
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < inner; j++)
        for (let c = 0, w = dAt + o * C * inner + j; c < C; c++, w += inner) d[w] = s[r++];
  }
}
