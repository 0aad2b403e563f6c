// Staging: how one call's arrays reach the kernels. A call's rows go through the kernels in
// chunks; every array that is not already in wasm memory in the kernels' layout (an array outside
// the heap, or any array when the normalised axis is not the last) is staged through a region of
// the engine's scratch arena, one chunk of rows at a time, and so are the side arrays (mask,
// per-row α, support, …). The arena therefore stays bounded by CHUNK_BYTES plus what one row
// needs, whatever the number of rows: a call whose rows have at most ROW_FREE values never grows
// the memory (which would detach the caller's views). The same planner sizes reserve().
// Each operation has one Stager, made on first use and reused by every call (calls never overlap:
// the kernels cannot call back into JavaScript), so that a call allocates nothing but its result.
import { alignLine } from "./heap.js";
import type { Layout } from "./layout.js";
import type { Mem, OptionSpec } from "./options.js";
import { F, type Chunk, type Kernels, type RowOp, type Values } from "./descriptor.js";

/** Staged bytes per chunk (one chunk holds at least one row): small enough to stay in L2. */
export const CHUNK_BYTES = 128 * 1024;
/** Rows up to this many values never grow the memory: the initial arena is planned for them. */
export const ROW_FREE = 16384;
const SMALL_COPY = 64; // below this many floats, a plain loop beats subarray() + set()

/** What the staging needs of the engine. */
export interface Arena {
  /** Makes the scratch arena at least `bytes` long (may grow the memory) for a call on `n` values;
   *  returns its offset. */
  arena(bytes: number, n: number): number;
  /** Current views of the memory (after any growth). */
  mem(): Mem;
}

/** n floats from s[sAt…] to d[dAt…] (not overlapping). */
export function copy(s: Float32Array, sAt: number, d: Float32Array, dAt: number, n: number): void {
  if (n <= SMALL_COPY) for (let i = 0; i < n; i++) d[dAt + i] = s[sAt + i];
  else d.set(s.subarray(sAt, sAt + n), dAt);
}

/** Rows [r0, r1) between the caller's layout [outer, C, inner] at s[sAt…] and contiguous rows at
 *  d[dAt…]: gathered into rows (back = false) or scattered back from them (back = true). */
function strided(s: Float32Array, sAt: number, d: Float32Array, dAt: number, r0: number, r1: number, L: Layout, back: boolean): void {
  const { C, inner } = L;
  for (let r = r0, row = back ? sAt : dAt; r < r1; r++, row += C) {
    const o = (r / inner) | 0, at = (back ? dAt : sAt) + o * C * inner + (r - o * inner);
    if (back) for (let c = 0; c < C; c++) d[at + c * inner] = s[row + c];
    else for (let c = 0; c < C; c++) d[row + c] = s[at + c * inner];
  }
}

/** The most arena bytes a call of `op` on up to `n` values can need (every row array staged, but
 *  output 0 sharing input 0's region when the kernels run in place; every option at its largest):
 *  a chunk's per-row data is at most max(CHUNK_BYTES, one row's), and the per-row and fixed parts
 *  grow with the row length. For reserve() and the initial arena: the regions of Stager.run, summed
 *  without a Stager, plus a line of alignment per region. */
export function worstBytes(op: RowOp, n: number): number {
  const roles = op.inputs.length + op.outputs.length - (op.inPlace ? 1 : 0), r = { _perRow: 0, _fixed: 0 };
  let perRow = 4 * n * roles, fixed = op.tmp?.(n, true) ?? 0, regions = roles + 1;
  for (const s of op.options)
    if (s.region?.(undefined, n, r)) { perRow += r._perRow; fixed += r._fixed; regions++; }
  return alignLine(Math.max(CHUNK_BYTES, perRow) + fixed) + 64 * regions;
}

/** A region of the arena for one chunk: bytes per row plus fixed bytes, and its offset. */
interface Region {
  _perRow: number;
  _fixed: number;
  _at: number;
  /** The option it stages (index into the operation's options), or -1 (row arrays, tmp). */
  _opt: number;
  /** In use by this call (an option given, or a row array staged). */
  _on: boolean;
}

/** One operation's staging state, reused by its calls. The engine fills `_inData`/`_inPtr` and
 *  `_outData`/`_outPtr` of each row array (ptr ≥ 0: in the engine's heap, usable in place) and
 *  `_vals` (the prepared options, in the operation's order), then calls run(). The descriptor's
 *  `run` sees the chunk record (an array indexed by the schema F: numeric stores only) and the
 *  prepared values by key (getters over _vals). */
export class Stager {
  /** Prepared option values, in the order of the operation's options. */
  readonly _vals: unknown[];
  readonly _inData: Float32Array[];
  readonly _inPtr: number[];
  readonly _outData: Float32Array[];
  readonly _outPtr: number[];
  /** The option keys the operation takes: the layout options and its own. */
  readonly _takes: ReadonlySet<string>;
  /** The options it cannot do without (MultiMax's params). */
  readonly _required: readonly OptionSpec[];
  /** Per option: its index among the call's extra arguments when it is positional (a loss's
   *  targets), else -1. */
  readonly _src: readonly number[];
  /** Per optional row input (RowOp.optional): the index of the option that gives it. */
  readonly _optIn: readonly number[];
  readonly op: RowOp;
  readonly _values: Values; // vals by key (getters; the descriptor's run, validate and finish read them)
  private _c: Chunk; // the chunk record the kernels' call reads
  private _fields: number[]; // the chunk record's field (F) of each region
  private _staged: boolean[]; // per row array: goes through the arena in this call
  private _direct: number[]; // per row array (inputs, then outputs): byte offset used in place, or -1
  private _regions: Region[]; // row arrays (inputs, then outputs), tmp, then the options' regions
  private _nIn: number;
  private _last: unknown[]; // the last call's plan inputs (see _samePlan), and its plan:
  private _chunk = 0;
  private _bytes = 0;

  constructor(op: RowOp) {
    this.op = op;
    const roles = [...op.inputs, ...op.outputs], opts = op.options;
    this._nIn = op.inputs.length;
    this._inData = op.inputs.map(() => EMPTY);
    this._inPtr = op.inputs.map(() => -1);
    this._outData = op.outputs.map(() => EMPTY);
    this._outPtr = op.outputs.map(() => -1);
    this._direct = roles.map(() => -1);
    this._staged = roles.map(() => false);
    const nArgs = op.inputs.length - op.optional; // (row inputs given as arguments, x first)
    this._takes = new Set(["cols", "axis", "out", ...opts.map((s) => s.key).filter((k) => !op.positional.includes(k))]);
    this._src = opts.map((s) => { const p = op.positional.indexOf(s.key); return p < 0 ? -1 : nArgs - 1 + p; });
    this._optIn = op.inputs.slice(nArgs).map((role) => opts.findIndex((s) => s.key === role));
    this._required = opts.filter((s) => s.required);
    this._vals = opts.map(() => undefined);
    this._last = [-1, 0, 0, ...this._vals];
    const region = (opt: number): Region => ({ _perRow: 0, _fixed: 0, _at: 0, _opt: opt, _on: false });
    this._regions = [...roles.map(() => region(-1)), region(-1)];
    opts.forEach((s, j) => { if (s.region) this._regions.push(region(j)); });
    // the chunk record's field of each region (a role, tmp, an option with a region)
    const field = (name: string): number => {
      const f = F[name as keyof typeof F];
      if (f === undefined) throw new Error(`multimax-wasm: ${name} is not a field of the chunk record (ops.ts F)`);
      return f;
    };
    this._fields = [...roles.map(field), F.tmp, ...this._regions.slice(roles.length + 1).map((r) => field(opts[r._opt].key))];
    this._c = new Array<number>(Object.values(F).filter((f) => typeof f === "number").length).fill(0);
    const vals = this._vals, v: Values = {};
    opts.forEach((s, j) => Object.defineProperty(v, s.key, { get: () => vals[j], enumerable: true }));
    this._values = v;
  }

  /** Sizes the regions for rows of C values (vals undefined: every option at its largest);
   *  returns the rows per chunk. */
  private _size(C: number, inPlace: boolean, vals: unknown[] | undefined, rows: number): number {
    const op = this.op, R = this._regions, nRoles = this._direct.length;
    let perRow = 0;
    for (let i = 0; i < R.length; i++) {
      const r = R[i];
      r._perRow = r._fixed = 0;
      if (i < nRoles) r._on = this._staged[i], r._perRow = r._on ? 4 * C : 0;
      else if (i === nRoles) r._fixed = op.tmp?.(C, inPlace) ?? 0, r._on = r._fixed > 0;
      else {
        r._on = op.options[r._opt].region!(vals === undefined ? undefined : vals[r._opt], C, r);
      }
      perRow += r._perRow;
    }
    return perRow === 0 ? rows : Math.max(1, Math.min(rows, Math.floor(CHUNK_BYTES / perRow)));
  }

  /** Lays the regions out for chunks of `chunk` rows (64-byte aligned offsets); the arena bytes. */
  private _layout(chunk: number): number {
    let at = 0;
    for (let i = 0; i < this._regions.length; i++) {
      const r = this._regions[i];
      r._at = at;
      at += alignLine(r._fixed + r._perRow * chunk); // (0 for a region not in use)
    }
    return at;
  }

  /** True when this call's plan is the last one's: the same staging, row length and rows, and
   *  the same option values (equal numbers, absent options; objects are not kept between calls,
   *  see _clear). Records this call's for the next one. */
  private _samePlan(key: number, C: number, rows: number): boolean {
    const last = this._last, vals = this._vals;
    let same = last[0] === key && last[1] === C && last[2] === rows;
    last[0] = key; last[1] = C; last[2] = rows;
    for (let j = 0; j < vals.length; j++) {
      if (last[3 + j] !== vals[j]) same = false;
      last[3 + j] = vals[j];
    }
    return same;
  }

  /** Runs the operation over the rows of layout L; returns the exceptional rows of all chunks. */
  run(k: Kernels, e: Arena, L: Layout): number {
    const op = this.op, C = L.C, rows = L.rows, n = L.n, transposed = L.inner !== 1, nIn = this._nIn;
    const D = this._direct, R = this._regions, c = this._c, f = this._fields, vals = this._vals, nRoles = D.length, specs = op.options;
    // direct arrays: read and written where they are (never when the rows are strided)
    for (let i = 0; i < nRoles; i++) {
      const p = i < nIn ? this._inPtr[i] : this._outPtr[i - nIn];
      D[i] = p === ABSENT ? ABSENT : transposed || p === DISCARD ? -1 : p; // (a discarded output: staged, never copied back)
    }
    const d = D[nIn], x0 = D[0];
    // input 0 not in memory, or overlapping the output: copied into the output's block once (after
    // the arena is in place: that can fail), then the kernels work in place there (no scratch)
    const prefill = op.inPlace && d >= 0 && x0 !== d && (x0 < 0 || Math.abs(x0 - d) < 4 * n);
    if (prefill) D[0] = d;
    // staged input 0 and output 0 share a region when the kernels run in place
    const shared = op.inPlace && D[0] < 0 && d < 0;
    const inPlace = shared || (D[0] >= 0 && D[0] === d);
    let key = inPlace ? 1 : 0; // (the plan's inputs: which arrays are staged, and in place)
    for (let i = 0; i < nRoles; i++) if ((this._staged[i] = D[i] === -1 && !(shared && i === nIn))) key |= 2 << i;
    if (!this._samePlan(key, C, rows)) {
      this._chunk = this._size(C, inPlace, vals, rows);
      this._bytes = this._layout(this._chunk);
    }
    const chunk = this._chunk, base = e.arena(this._bytes, n);
    const m = e.mem(); // (after any growth)
    if (prefill) {
      if (x0 >= 0) m.f32.copyWithin(d / 4, x0 / 4, x0 / 4 + n);
      else copy(this._inData[0], 0, m.f32, d / 4, n);
    }
    if (shared) R[nIn]._at = R[0]._at, R[nIn]._on = true;
    c[F.cols] = C;
    for (let i = nRoles; i < R.length; i++) c[f[i]] = R[i]._on ? base + R[i]._at : 0; // (tmp or an option not in use: 0)
    let special = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const r1 = Math.min(rows, r0 + chunk), off = r0 * C, len = (r1 - r0) * C;
      c[F.rows] = r1 - r0;
      for (let i = 0; i < nRoles; i++) {
        const at = base + R[i]._at;
        c[f[i]] = D[i] >= 0 ? D[i] + 4 * off : D[i] === ABSENT ? 0 : at;
        if (i >= nIn || D[i] !== -1) continue;
        const q = this._inPtr[i], src = q >= 0 ? m.f32 : this._inData[i], sAt = q >= 0 ? q / 4 : 0;
        if (transposed) strided(src, sAt, m.f32, at / 4, r0, r1, L, false);
        else copy(src, sAt + off, m.f32, at / 4, len);
      }
      for (let i = nRoles + 1; i < R.length; i++) {
        const r = R[i], s = specs[r._opt];
        if (r._on && s.write && (r0 === 0 || r._perRow > 0)) s.write(vals[r._opt], m, c[f[i]], r0, r1, L);
      }
      special += op.run(k, c, this._values);
      for (let i = nIn; i < nRoles; i++) {
        if (D[i] >= 0 || this._outPtr[i - nIn] === DISCARD) continue;
        const q = this._outPtr[i - nIn], dst = q >= 0 ? m.f32 : this._outData[i - nIn], dAt = q >= 0 ? q / 4 : 0, at = c[f[i]] / 4;
        if (transposed) strided(m.f32, at, dst, dAt, r0, r1, L, true);
        else copy(m.f32, at, dst, dAt + off, len);
      }
      for (let i = nRoles + 1; i < R.length; i++) {
        const r = R[i], s = specs[r._opt];
        if (r._on && s.read) s.read(vals[r._opt], m, c[f[i]], r0, r1);
      }
    }
    return special;
  }

  /** Drops the references to the caller's arrays (none is kept between calls). */
  _clear(): void {
    // (loops: Array.prototype.fill costs more than these few stores)
    for (let i = 0; i < this._inData.length; i++) this._inData[i] = EMPTY;
    for (let i = 0; i < this._outData.length; i++) this._outData[i] = EMPTY;
    for (let i = 0; i < this._vals.length; i++) this._vals[i] = undefined;
    // the plan's record of object options (a mask, support, parameters) is dropped too: the next
    // call with objects makes its plan again, one with none (or numbers) reuses it
    for (let i = 3; i < this._last.length; i++) if (typeof this._last[i] === "object" && this._last[i] !== null) this._last[i] = STALE;
  }
}

const EMPTY = new Float32Array(0);
/** The pointer of an optional row input that the call did not give (the kernel sees 0). */
export const ABSENT = -3;
/** Whether a call (a row operation or attention) is staging its arrays: a call made then, from a
 *  getter of its arguments, is refused (it would reuse the arena under it). */
export const STAGING = { on: false };
/** The pointer of an output the call does not return (a loss's gradient without grad: true): the
 *  kernels write it to the arena, and it is not copied out. */
export const DISCARD = -4;
const STALE = Symbol("stale"); // (equal to no option value)
