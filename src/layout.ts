// What a call's arrays are and how its rows lie: the input forms (arrays of numbers and
// tensor-likes), the normalised axis, and the kernels' view of it (rows of C values). Knows no
// math and no wasm memory.
import { checkNumber, describe, fail, isArrayLike } from "./describe.js";
import type { TensorInput } from "./types.js";

/** True for a Float32Array of any realm. */
export function isF32(v: unknown): v is Float32Array {
  return v instanceof Float32Array || Object.prototype.toString.call(v) === "[object Float32Array]";
}

/** A tensor-like: an object with `data` and `dims` (checked later). */
const isTensor = (v: unknown): v is TensorInput => v !== null && typeof v === "object" && "data" in v && !isArrayLike(v);

/** `v` as float32: a Float32Array as it is, any other array of numbers copied (a TypeError
 *  naming `name[i]` at the first element that is not a number), else null. */
export function toF32(v: unknown, name: string): Float32Array | null {
  if (isF32(v)) return v;
  if (!isArrayLike(v)) return null;
  // (typed arrays hold numbers, except the BigInt ones; anything else is checked element by element)
  if (!ArrayBuffer.isView(v) || v instanceof BigInt64Array || v instanceof BigUint64Array)
    for (let i = 0; i < v.length; i++) if (typeof v[i] !== "number") fail(`${name}[${i}]`, "a number", v[i]);
  return new Float32Array(v as ArrayLike<number>);
}

/** An input array in float32 and its dims (null: a flat array, dims from cols). */
export interface Decoded {
  data: Float32Array;
  dims: readonly number[] | null;
}

const FORMS = "an array of numbers (Float32Array, number[], …) or a tensor-like { data, dims }";

/** An input argument (`x`, …) as float32 data and its dims as given (checked by layoutOf). */
export function decode(v: unknown, name: string): Decoded {
  if (isTensor(v)) {
    const data = toF32(v.data, `${name}.data`);
    if (data === null) fail(`${name}.data`, "an array of numbers", v.data);
    if (v.dims === null) return { data, dims: null }; // (a flat array, as before)
    if (!isArrayLike(v.dims)) fail(`${name}.dims`, "an array of non-negative integers", v.dims);
    return { data, dims: v.dims };
  }
  const data = toF32(v, name);
  if (data === null) fail(name, FORMS, v);
  return { data, dims: null };
}

/** The kernels' view of a call: `rows` = outer·inner rows of C values. The caller's layout is
 *  [outer, C, inner] (row-major); inner > 1 (an axis that is not the last) means the rows are
 *  strided and are gathered into contiguous rows for the kernels. */
export interface Layout {
  n: number;
  outer: number;
  C: number;
  inner: number;
  rows: number;
}

function axisOf(axis: unknown, rank: number): number {
  if (typeof axis !== "number") fail("axis", `an integer in [${-rank}, ${rank - 1}]`, axis);
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) fail("axis", `an integer in [${-rank}, ${rank - 1}]`, axis, true);
  return axis < 0 ? axis + rank : axis;
}

const isCount = (v: number): boolean => Number.isInteger(v) && v >= 1;

/** The layout of x (n values) from its dims (tensors) or from `cols` (flat arrays, dims null:
 *  [rows, cols]), written into L. */
export function layoutOf(n: number, dims: readonly number[] | null, cols: unknown, axis: unknown, L: Layout): Layout {
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
    let size = 1;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      if (typeof d !== "number") fail(`x.dims[${i}]`, "a non-negative integer", d);
      if (!Number.isInteger(d) || d < 0) fail(`x.dims[${i}]`, "a non-negative integer", d, true);
      size *= d;
    }
    if (size !== n) throw new RangeError(`x.dims [${Array.from(dims).join(", ")}] hold ${size} values but x.data has ${n}`);
    const a = axisOf(axis === undefined ? -1 : axis, dims.length);
    outer = 1;
    for (let i = 0; i < a; i++) outer *= dims[i];
    for (let i = a + 1; i < dims.length; i++) inner *= dims[i];
    C = dims[a];
    if (cols !== undefined && cols !== C) throw new RangeError(`cols: ${describe(cols)} does not match x.dims[${a}] = ${C} (omit cols for tensors)`);
    if (C === 0) outer = 0; // (then n is 0 too)
  }
  L.n = n; L.outer = outer; L.C = C; L.inner = inner; L.rows = outer * inner;
  return L;
}

/** A RangeError unless an array argument has the length the call needs. */
export function sameLength(name: string, a: ArrayLike<unknown>, length: number, what: string): void {
  if (a.length !== length) fail(name, `length ${length} (${what})`, a.length, true);
}
