// The options of the operations, each checked once, by one spec: what it must be (a TypeError for
// the wrong type, a RangeError for a wrong value, naming the option), the value the kernel call
// uses, and the scratch it needs in wasm memory with how it is staged there chunk by chunk.
// An operation's descriptor (ops.ts) lists the specs it takes; the engine refuses any other key.
import { checkNumber, fail, isArrayLike } from "./describe.js";
import { sameLength, type Layout } from "./layout.js";
import { MultimaxParams, PARAM_FORMS, prepareParams } from "./params.js";

/** Scratch for one option in a chunk of rows: bytes per row plus fixed bytes. */
export interface Region {
  _perRow: number;
  _fixed: number;
}
export const region = (r: Region, perRow: number, fixed: number): true => { r._perRow = perRow; r._fixed = fixed; return true; };

/** What an option check knows of the call. */
export interface CallInfo {
  /** The operation's public name (for messages). */
  op: string;
  /** Values in x, normalised rows, values per row, and the rows' stride pattern (layout.ts). */
  n: number;
  rows: number;
  C: number;
  inner: number;
  /** The engine's memory buffer: typed arrays over it are copied before the call can grow it. */
  buffer: ArrayBufferLike;
}

/** Views of the wasm memory, current for the chunk being staged. */
export interface Mem {
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
}

export interface OptionSpec<P = unknown> {
  readonly key: string;
  /** Who takes it, for the message that refuses it elsewhere (default: the operations' names). */
  readonly label?: string;
  /** The operation cannot do without it: a call with no options at all reports it first. */
  readonly required?: boolean;
  /** null means absent, as undefined does (mask, support): another operation does not refuse it. */
  readonly nullAbsent?: boolean;
  /** Checks the raw value (undefined when absent) and returns the prepared one. */
  check(v: unknown, call: CallInfo): P;
  /** The scratch the prepared value needs for rows of C values, written into r; false: none
   *  (p undefined: the most it can need, for reserve()). */
  region?(p: P | undefined, C: number, r: Region): boolean;
  /** Writes rows [r0, r1) of the prepared value at byte offset `at`, before the kernel runs (a
   *  region with no per-row part is written once, with the first chunk). */
  write?(p: P, m: Mem, at: number, r0: number, r1: number, L: Layout): void;
  /** Reads rows [r0, r1) back from byte offset `at`, after the kernel ran. */
  read?(p: P, m: Mem, at: number, r0: number, r1: number): void;
  /** A per-row output's value for a call with no values (rows of 0 columns): written here. */
  empty?(p: P): void;
}

/** A spec with every member present (absent ones undefined), so that all specs share one shape
 *  and the staging loop's accesses to them stay monomorphic. */
export const spec = <P>(d: OptionSpec<P>): OptionSpec<P> =>
  ({ key: d.key, label: d.label, required: d.required, nullAbsent: d.nullAbsent, check: d.check, region: d.region, write: d.write, read: d.read, empty: d.empty });

const F32_MAX = 3.4028234663852886e38;
const F32_MIN_SUBNORMAL = 1.401298464324817e-45;
const isPositiveFinite = (v: number): boolean => v > 0 && v !== Infinity;

/** A typed array over the engine's memory, copied (a call may grow the memory and detach it). */
export const own = <T>(v: T, buffer: ArrayBufferLike): T =>
  ArrayBuffer.isView(v) && v.buffer === buffer ? ((v as unknown as Uint8Array).slice() as unknown as T) : v;

const isBytes = (m: unknown): m is Uint8Array => m instanceof Uint8Array || m instanceof Uint8ClampedArray || m instanceof Int8Array;

/** mask: 1/true keep, 0/false masked out; one byte per value, in the kernels' row order. */
export const MASK: OptionSpec<ArrayLike<unknown> | null> = spec({
  key: "mask",
  nullAbsent: true,
  check(v, call) {
    if (v == null) return null;
    if (!isArrayLike(v)) fail("mask", "a Uint8Array or an array of booleans", v);
    sameLength("mask", v, call.n, "x.length");
    return own(v, call.buffer);
  },
  region: (p, C, r) => p !== null && region(r, C, 0),
  write(p, m, at, r0, r1, L) {
    const { C, inner } = L, u8 = m.u8;
    if (inner === 1) {
      const a = r0 * C, b = r1 * C;
      if (isBytes(p)) u8.set((p as Uint8Array).subarray(a, b), at);
      else for (let i = a; i < b; i++) u8[at + i - a] = p![i] ? 1 : 0;
      return;
    }
    // rows r = o·inner + j of the strided layout [outer, C, inner]
    for (let r = r0, w = at; r < r1; r++) {
      const o = (r / inner) | 0, j = r - o * inner;
      for (let c = 0, i = o * C * inner + j; c < C; c++, i += inner) u8[w++] = p![i] ? 1 : 0;
    }
  },
});

/** temperature (softmax): the kernel takes k = 1/T as a float32 in [smallest subnormal, largest
 *  finite]: never 0 (−∞·0 would be NaN at masked entries) and never +∞. */
export const TEMPERATURE: OptionSpec<number> = spec({
  key: "temperature",
  check: (v) => (v === undefined ? 1 : Math.min(Math.max(1 / checkNumber(v, "temperature", "a finite number > 0", isPositiveFinite), F32_MIN_SUBNORMAL), F32_MAX)),
});

/** params (MultiMax): packed records [a, b, c, d] per order, 16 bytes each. */
export const PARAMS: OptionSpec<MultimaxParams> = spec({
  key: "params",
  required: true,
  check(v, call) {
    if (v === undefined) throw new TypeError(`${call.op}: options.params is required (${PARAM_FORMS})`);
    return prepareParams(v);
  },
  region: (p, C, r) => region(r, 0, 16 * (p === undefined ? 32 : p.order)),
  write(p, m, at) {
    const r = p.records, f32 = m.f32, a = at / 4;
    for (let i = 0; i < r.length; i++) f32[a + i] = r[i]; // (a few records: a loop beats set())
  },
});

/** support (sparse maps): an Int32Array, one slot per row, receiving count(y > 0). */
export const SUPPORT: OptionSpec<Int32Array | null> = spec({
  key: "support",
  label: "the sparse normalisers",
  nullAbsent: true,
  check(v, call) {
    if (v == null) return null;
    if (!(v instanceof Int32Array)) fail("support", "an Int32Array", v);
    sameLength("support", v, call.rows, "one slot per row");
    // (a view of the engine's memory would be detached if this call grows it)
    if (v.buffer === call.buffer) throw new TypeError("support: expected an Int32Array outside the engine's memory (the call could detach a view of it)");
    return v;
  },
  region: (p, C, r) => p !== null && region(r, 4, 0),
  read(p, m, at, r0, r1) {
    for (let r = r0, a = at / 4 - r0; r < r1; r++) p![r] = m.i32[a + r];
  },
  empty: (p) => p?.fill(0),
});

/** α: one number (staged as one f64, stride 0) or one per row (an f64 per row, stride 8 bytes). */
export type Alpha = number | ArrayLike<number>;

function alpha(key: string, dflt: number, want: string, ok: (a: number) => boolean): OptionSpec<Alpha> {
  return spec({
    key,
    check(v, call) {
      if (v === undefined) return dflt;
      if (typeof v !== "number" && isArrayLike(v)) {
        sameLength("alpha", v, call.rows, "one value per row");
        for (let i = 0; i < call.rows; i++) {
          const a = v[i];
          if (typeof a !== "number" || !ok(a)) fail(`alpha[${i}]`, want, a, typeof a === "number");
        }
        return own(v as ArrayLike<number>, call.buffer);
      }
      return checkNumber(v, "alpha", `${want}, or one per row`, ok);
    },
    region: (p, C, r) => (typeof p !== "number" ? region(r, 8, 0) : region(r, 0, 8)),
    write(p, m, at, r0, r1) {
      const f64 = m.f64, a = at / 8 - r0;
      if (typeof p === "number") f64[at / 8] = p;
      else for (let r = r0; r < r1; r++) f64[a + r] = p[r];
    },
  });
}

/** α-entmax's α ≥ 1 (default 1.5). */
export const ALPHA_ENTMAX = alpha("alpha", 1.5, "a finite number >= 1", (a) => a >= 1 && a !== Infinity);
/** α-normmax's α > 1 (default 2). */
export const ALPHA_NORMMAX = alpha("alpha", 2, "a finite number > 1", (a) => a > 1 && a !== Infinity);

/** training (ev-softmax): a boolean, default false. */
export const TRAINING: OptionSpec<boolean> = spec({
  key: "training",
  check(v) {
    if (v !== undefined && typeof v !== "boolean") fail("training", "a boolean", v);
    return v === true;
  },
});
