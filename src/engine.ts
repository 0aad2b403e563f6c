// The public API over one wasm instance: the Engine, whose methods come from the operation table
// (ops.ts), its memory (the scratch arena and the caller's zero-copy views) and the checks of each
// call. The math is the kernels' (assembly/); how arrays reach them is stage.ts's.
import { ATTENTION } from "./attention.js";
import { checkLength, optionsOf, overlaps, unalias } from "./checks.js";
import { fail } from "./describe.js";
import { Heap, MAX_BYTES } from "./heap.js";
import { decode, isF32, layoutOf, sameLength, type Layout } from "./layout.js";
import { OPS, type Kernels, type Operations, type OpName, type RowOp } from "./ops.js";
import type { CallInfo, Mem } from "./options.js";
import { MultimaxParams, prepareParams, type RawParams } from "./params.js";
import { ABSENT, DISCARD, ROW_FREE, STAGING, Stager, worstBytes, type Arena } from "./stage.js";
import type { AttentionOperations, TensorInput, TensorLike, WasmMemory } from "./types.js";

/** The wasm module's exports (assembly/index.ts): the memory, two queries, and the kernels. */
export interface KernelExports {
  memory: WasmMemory;
  heap_base(): number;
  simd(): number; // 0 scalar, 1 SIMD, 2 relaxed SIMD
}

const OP_LIST = Object.values(OPS) as RowOp[];
const OVER_SCRATCH = -2;
const NONE: readonly unknown[] = [];
const NO_DATA = new Float32Array(0);
/** Calls in progress (a getter of one call's arguments may call the library), and whether one
 *  is staging its arrays. */
let depth = 0;

/** Every export the loader calls. */
const EXPORTS = ["heap_base", "simd", "attention", "attention_grad", "attention_scratch", ...new Set(OP_LIST.flatMap((op) => op.kernels))];

/** Arena bytes for every operation on up to `n` values (reserve() and the initial arena). */
const reserveBytes = (n: number): number => Math.max(...OP_LIST.map((op) => worstBytes(op, n)));

/** Checks that an instance's exports are multimax-wasm's kernels. */
export function checkExports(e: Record<string, unknown>): KernelExports {
  for (const name of ["memory", ...EXPORTS])
    if (!(name === "memory" ? e.memory instanceof WebAssembly.Memory : typeof e[name] === "function"))
      throw new TypeError(`init: the WebAssembly module is not multimax-wasm's (missing export '${name}')`);
  return e as unknown as KernelExports;
}

const memOf = (b: ArrayBufferLike): Mem => ({ f32: new Float32Array(b), f64: new Float64Array(b), i32: new Int32Array(b), u8: new Uint8Array(b) });

/** A block handed out by alloc(); shared by a view and the views refresh() makes of it. */
interface Block { _ptr: number; _length: number; _live: boolean }

export interface Engine extends Operations, AttentionOperations {}

/**
 * One wasm instance and its memory. Create it with `init()` or `initSync()`. Every operation takes
 * an array of numbers (rows × cols, row-major) or a tensor-like { data, dims } and returns the
 * same kind (float32).
 */
export class Engine {
  /** The instance's linear memory (zero-copy views live in it). */
  readonly memory: WasmMemory;
  /** True when the loaded build uses wasm SIMD (the plain SIMD build or the relaxed-SIMD build). */
  readonly simd: boolean;
  /** True when the loaded build is the relaxed-SIMD build (build/multimax-relaxed.wasm: fused
   *  multiply-add where the CPU has it, so its last bits may differ between machines). */
  readonly relaxed: boolean;
  /** Number of rows that took the exceptional path (±∞, NaN, all masked, overflow) in the last call. */
  lastSpecialRows = 0;

  // (private members start with _: the build shortens their names)
  private _k: Kernels;
  private _heap: Heap;
  private _heapBase: number;
  private _f32: Float32Array;
  private _buffer: ArrayBufferLike; // (_f32's buffer: the typed-array buffer getter is a call in V8)
  private _mem: Mem;
  private _scratch = 0;
  private _scratchBytes = 0;
  private _views = new WeakMap<Float32Array, Block>(); // zero-copy view (and its refreshed twins) -> block
  private _retired = new WeakSet<ArrayBufferLike>(); // buffers of this memory detached by growth
  private _arena: Arena = { arena: (bytes, n) => this._ensureScratch(bytes, n), mem: () => this._mem };
  private _call: CallInfo = { op: "", n: 0, rows: 0, C: 0, inner: 0, buffer: new ArrayBuffer(0) }; // (reused by calls at depth 0)
  private _layout: Layout = { n: 0, outer: 0, C: 0, inner: 0, rows: 0 };

  static {
    // the operations of the table (ops.ts) as methods: the row inputs (x first), then the options
    // Each operation's staging state is made on its first call and shared by all engines: a call
    // runs to its end before another starts (see _run for calls made from a call's arguments).
    for (const name of Object.keys(OPS) as OpName[]) {
      // arguments: the row inputs (but the optional ones, which are options), the positional
      // options (a loss's targets), then the options object
      const op: RowOp = OPS[name], k = op.inputs.length - op.optional + op.positional.length;
      let st: Stager | null = null;
      Object.defineProperty(Engine.prototype, name, {
        value: k === 1
          ? function (this: Engine, x: unknown, options?: unknown) { return this._run(st ??= new Stager(op), x, options, NONE); }
          : k === 2
            ? function (this: Engine, x: unknown, b: unknown, options?: unknown) { return this._run(st ??= new Stager(op), x, options, [b]); }
            : function (this: Engine, ...a: unknown[]) { return this._run(st ??= new Stager(op), a[0], a[k], a.slice(1, k)); },
        writable: true, configurable: true, enumerable: true, // (enumerable: Object.keys(Engine.prototype) lists the operations)
      });
    }
    for (const [name, value] of Object.entries(ATTENTION)) Object.defineProperty(Engine.prototype, name, { value, writable: true, configurable: true, enumerable: true });
  }

  /** @internal Use init() / initSync(). */
  constructor(exports: KernelExports) {
    this._k = exports as unknown as Kernels;
    this.memory = exports.memory;
    const kind = exports.simd(); // 0 scalar, 1 SIMD, 2 relaxed SIMD
    this.simd = kind > 0;
    this.relaxed = kind === 2;
    this._heapBase = exports.heap_base();
    this._heap = new Heap(this.memory, this._heapBase);
    this._f32 = new Float32Array(this._buffer = this.memory.buffer);
    this._mem = memOf(this._buffer);
    this._ensureScratch(reserveBytes(ROW_FREE));
  }

  /** Validates and packs MultiMax parameters once, for reuse in hot loops. */
  multimaxParams(params: RawParams | MultimaxParams): MultimaxParams {
    return prepareParams(params);
  }

  // ---------------------------------------------------------------- zero-copy views

  /** A Float32Array of `length` floats inside the engine's memory: operations read and write it
   *  without copying. It stays valid until `free`, or until the memory grows (then it is
   *  detached: get a new view of the same block with `refresh`). */
  alloc(length: number): Float32Array {
    const n = checkLength(length);
    const ptr = this._heap.alloc(n * 4);
    this._syncViews();
    const view = new Float32Array(this.memory.buffer, ptr, n);
    this._views.set(view, { _ptr: ptr, _length: n, _live: true });
    return view;
  }

  /** Grows the memory once, so that afterwards calls on up to `length` values and new views
   *  totalling about `length` floats need no growth (which would detach existing views). Call it
   *  before allocating the views of a hot loop. */
  reserve(length: number): void {
    const n = checkLength(length);
    const bytes = reserveBytes(n); // (the same planner as every call's staging: stage.ts)
    if (bytes + 4 * n > MAX_BYTES) throw new RangeError(`length: reserving for ${n} values needs more than 4 GiB`);
    this._ensureScratch(bytes);
    this._heap.release(this._heap.alloc(4 * n));
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
    if (view.buffer === this._buffer) return view;
    const fresh = new Float32Array(this.memory.buffer, b._ptr, b._length);
    this._views.set(fresh, b);
    return fresh;
  }

  // ---------------------------------------------------------------- internals

  /** The scratch arena, at least `bytes` long (may grow the memory); its offset. */
  private _ensureScratch(bytes: number, n = 0): number {
    if (bytes > this._scratchBytes) {
      if (bytes > MAX_BYTES) throw new RangeError(`x: ${n} values need more than 4 GiB`);
      let size = Math.max(bytes, this._scratchBytes * 2);
      if (this._scratch) this._heap.release(this._scratch);
      this._scratch = this._scratchBytes = 0; // (no arena, should the allocation below throw)
      try { this._scratch = this._heap.alloc(size); } catch { this._scratch = this._heap.alloc(size = bytes); } // (doubling is a hint: not past what fits)
      this._scratchBytes = size;
      this._syncViews();
    }
    return this._scratch;
  }

  private _block(view: Float32Array): Block {
    const b = this._views.get(view);
    if (b === undefined || !b._live) throw new TypeError("view: expected a Float32Array from this engine's alloc(), not yet freed");
    return b;
  }

  private _syncViews(): void {
    // A view over a detached buffer has length 0: this notices growth by anyone (engine.memory.grow
    // too) without the WebAssembly.Memory buffer getter, which costs about 30 ns a call in V8.
    if (this._f32.length === 0) {
      this._retired.add(this._buffer);
      this._f32 = new Float32Array(this._buffer = this.memory.buffer);
      this._mem = memOf(this._buffer);
    }
  }

  /** Byte offset of a Float32Array that lies in the engine's heap; -1 for an array outside the
   *  engine's memory (it is copied); OVER_SCRATCH for a view made by hand over the memory that
   *  overlaps the scratch arena (the staging would overwrite it: it is copied first). */
  private _zeroCopyPtr(a: Float32Array, name: string, buffer: ArrayBufferLike = a.buffer): number {
    if (buffer !== this._buffer) { // (after _syncViews: the current buffer)
      if (a.length === 0 && this._retired.has(buffer)) // (a detached view has length 0)
        throw new TypeError(`${name}: this view was detached when the engine's memory grew; get a live one from engine.refresh() of its alloc() view`);
      return -1;
    }
    const p = a.byteOffset;
    if (p < this._heapBase) throw new RangeError(`${name}: a view of the engine's memory must lie in its heap (use engine.alloc)`);
    return p < this._scratch + this._scratchBytes && p + a.byteLength > this._scratch ? OVER_SCRATCH : p;
  }

  /** Row input i of a call (after x): any array of numbers of x's length, read in x's layout (a
   *  tensor's dims must be x's when x is a tensor too). */
  private _input(st: Stager, i: number, v: unknown, n: number, dims: readonly number[] | null): void {
    const role = st.op.inputs[i], t = isF32(v) ? null : decode(v, role), d = t === null ? (v as Float32Array) : t.data;
    if (dims !== null && t !== null && t.dims !== null && (t.dims.length !== dims.length || dims.some((k, j) => t.dims![j] !== k)))
      throw new RangeError(`${role}: expected dims [${dims.join(", ")}] (x's), got [${Array.from(t.dims).join(", ")}]`);
    const p = this._zeroCopyPtr(d, role);
    sameLength(role, d, n, "x.length");
    st._inData[i] = p === OVER_SCRATCH ? d.slice() : d;
    st._inPtr[i] = p === OVER_SCRATCH ? -1 : p;
  }

  /** One call of a row operation: its checks here, then the staging and the kernels (stage.ts).
   *  `more`: the row inputs after x (any array of numbers of x's length, read in x's layout). */
  private _run(shared: Stager, x: unknown, options: unknown, more: readonly unknown[]): unknown {
    if (STAGING.on) throw new TypeError(`${shared.op.name}: called while another call stages its arrays (from a getter of its mask or alpha?): not supported`);
    this.lastSpecialRows = 0;
    this._syncViews(); // for the detached-view checks
    // a call made from a getter of another call's arguments gets its own state
    const nested = depth > 0, st = nested ? new Stager(shared.op) : shared;
    depth++;
    try {
      const op = st.op, specs = op.options, o = optionsOf(op, st._takes, options);
      if (options == null) for (const s of st._required) s.check(undefined, { op: op.name, n: 0, rows: 0, C: 0, inner: 0, buffer: this._buffer }); // (its error first, as before)
      // every option read once, before anything else (a getter runs once, and before any state is set)
      const cols = o.cols, axis = o.axis, out = o.out, vals = st._vals, src = st._src;
      for (let j = 0; j < specs.length; j++) vals[j] = src[j] < 0 ? o[specs[j].key] : more[src[j]];
      let data: Float32Array, dims: readonly number[] | null = null;
      if (isF32(x)) data = x;
      else ({ data, dims } = decode(x, "x"));
      // (the buffer getter is a call: read once; not at all for the copy just made of an array,
      // where it would allocate the ArrayBuffer of a small typed array)
      const xBuf = data === x || data === (x as TensorInput).data ? data.buffer : null;
      let xPtr = xBuf === null ? -1 : this._zeroCopyPtr(data, "x", xBuf);
      const L = layoutOf(data.length, dims, cols, axis, nested ? { n: 0, outer: 0, C: 0, inner: 0, rows: 0 } : this._layout), n = L.n;
      let outArr: Float32Array | null = null, outPtr = -1;
      if (out != null) {
        outArr = isF32(out) ? out : isF32((out as TensorLike).data) ? (out as TensorLike).data : null;
        if (outArr === null) fail("out", `a Float32Array${dims ? " or a tensor-like" : ""} of length ${n}`, out);
        const outBuf = outArr.buffer;
        outPtr = this._zeroCopyPtr(outArr, "out", outBuf);
        sameLength("out", outArr, n, "x.length");
        // x sharing memory with out (other than both in the heap on the last axis, for kernels that
        // run in place: in place, or x copied into out's block by the staging): the chunks would
        // overwrite x before reading it
        if (xBuf === outBuf && xPtr !== OVER_SCRATCH && !(op.inPlace && xPtr >= 0 && outPtr >= 0 && L.inner === 1) && overlaps(data, outArr)) xPtr = OVER_SCRATCH;
      }
      if (xPtr === OVER_SCRATCH) { data = data.slice(); xPtr = -1; }
      st._inData[0] = data; st._inPtr[0] = xPtr;
      const nArgs = op.inputs.length - op.optional;
      for (let i = 1; i < nArgs; i++) this._input(st, i, more[i - 1], n, dims);
      const call = nested ? { op: "", n: 0, rows: 0, C: 0, inner: 0, buffer: this._buffer } : this._call;
      call.op = op.name; call.n = n; call.rows = L.rows; call.C = L.C; call.inner = L.inner; call.buffer = this._buffer;
      for (let j = 0; j < specs.length; j++) vals[j] = specs[j].check(vals[j], call);
      op.validate?.(st._values, call, out != null);
      // optional row inputs (MultiMax's y), given as options: staged as inputs, or absent
      for (let i = nArgs; i < op.inputs.length; i++) {
        const v = vals[st._optIn[i - nArgs]];
        if (v == null) { st._inData[i] = NO_DATA; st._inPtr[i] = ABSENT; } else this._input(st, i, v, n, dims);
      }
      // the first output: out, a new array, or (an output the call does not return) the arena only
      const keep = outArr !== null || op.returns === undefined || op.returns(st._values);
      let result: Float32Array | null = !keep ? null : outArr === null || outPtr === OVER_SCRATCH ? new Float32Array(n) : outArr;
      st._outData[0] = result ?? NO_DATA; st._outPtr[0] = result === null ? DISCARD : outArr === result ? outPtr : -1;
      unalias(st, outArr === result ? result : null);
      if (n > 0) {
        STAGING.on = true;
        this.lastSpecialRows = st.run(this._k, this._arena, L);
        STAGING.on = false;
      } else for (let j = 0; j < specs.length; j++) specs[j].empty?.(vals[j]); // (rows of no values)
      if (result === null) return op.finish!(undefined, st._values);
      if (outArr !== null && result !== outArr) result = (outArr.set(result), outArr); // (out over the arena: written last)
      // a zero-copy `out` detached by memory growth during this call: hand back a live view
      if (outPtr >= 0 && result.buffer !== this._buffer)
        result = this._views.has(result) ? this.refresh(result) : new Float32Array(this.memory.buffer, outPtr, n);
      const shaped = dims === null ? result : out != null && (out as TensorLike).data === result ? out : { data: result, dims: Array.from(dims) };
      return op.finish === undefined ? shaped : op.finish(shaped, st._values);
    } finally {
      depth--;
      STAGING.on = false;
      st._clear();
    }
  }


}

