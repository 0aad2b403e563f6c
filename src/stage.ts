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
import type { Chunk, Kernels, RowOp, Values } from "./ops.js";

/** Staged bytes per chunk (one chunk holds at least one row): small enough to stay in L2. */
export const CHUNK_BYTES = 128 * 1024;
/** Rows up to this many values never grow the memory: the initial arena is planned for them. */
export const ROW_FREE = 16384;
const SMALL_COPY = 64; // below this many floats, a plain loop beats subarray() + set()

/** What the staging needs of the engine. */
export interface Arena {
  /** Makes the scratch arena at least `bytes` long (may grow the memory); returns its offset. */
  arena(bytes: number): number;
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

/** A region of the arena for one chunk: bytes per row plus fixed bytes, and its offset. */
interface Region {
  key: string;
  perRow: number;
  fixed: number;
  at: number;
  spec: OptionSpec | null;
  /** In use by this call (an option given, or a row array staged). */
  on: boolean;
}

/** One operation's staging state, reused by its calls. The engine fills `data`/`ptr` of each row
 *  array (ptr ≥ 0: in the engine's heap) and `values`, then calls run(). */
export class Stager {
  readonly values: Values = {};
  readonly inData: Float32Array[];
  readonly inPtr: number[];
  readonly outData: Float32Array[];
  readonly outPtr: number[];
  private _op: RowOp;
  private _c: Chunk;
  private _direct: number[]; // per row array (inputs, then outputs): byte offset used in place, or -1
  private _regions: Region[]; // row arrays (inputs, then outputs), tmp, then the options' regions
  private _nIn: number;

  constructor(op: RowOp) {
    this._op = op;
    const roles = [...op.inputs, ...op.outputs];
    this._nIn = op.inputs.length;
    this.inData = op.inputs.map(() => EMPTY);
    this.inPtr = op.inputs.map(() => -1);
    this.outData = op.outputs.map(() => EMPTY);
    this.outPtr = op.outputs.map(() => -1);
    this._direct = roles.map(() => -1);
    const region = (key: string, spec: OptionSpec | null): Region => ({ key, perRow: 0, fixed: 0, at: 0, spec, on: false });
    this._regions = [...roles.map((r) => region(r, null)), region("tmp", null), ...op.options.filter((s) => s.region).map((s) => region(s.key, s))];
    // the chunk record: one shape per operation (rows, cols, tmp, row arrays, options)
    const c: Record<string, number> = { rows: 0, cols: 0, tmp: 0 };
    for (const key of [...roles, ...op.options.map((s) => s.key)]) c[key] = 0;
    this._c = c as Chunk;
    for (const s of op.options) this.values[s.key] = undefined;
  }

  /** Sizes the regions for rows of C values (staged: which row arrays go through the arena;
   *  values undefined: every option at its largest); returns the rows per chunk. */
  private _size(C: number, staged: (i: number) => boolean, inPlace: boolean, values: Values | undefined, rows: number): number {
    const op = this._op, R = this._regions, nRoles = this._direct.length;
    let perRow = 0;
    for (let i = 0; i < R.length; i++) {
      const r = R[i];
      r.perRow = r.fixed = 0;
      if (i < nRoles) r.perRow = staged(i) ? 4 * C : 0;
      else if (i === nRoles) r.fixed = op.tmp?.(C, inPlace) ?? 0;
      else {
        const g = r.spec!.region!(values === undefined ? undefined : values[r.key], C);
        if (g) { r.perRow = g.perRow; r.fixed = g.fixed; }
        r.on = g !== null;
      }
      perRow += r.perRow;
    }
    return perRow === 0 ? rows : Math.max(1, Math.min(rows, Math.floor(CHUNK_BYTES / perRow)));
  }

  /** Lays the regions out for chunks of `chunk` rows (64-byte aligned); the arena bytes. */
  private _layout(chunk: number): number {
    let at = 0;
    for (const r of this._regions) {
      r.at = at;
      at += alignLine(r.fixed + r.perRow * chunk); // (0 for a region not in use)
    }
    return at;
  }

  /** The most arena bytes a call on up to `n` values can need (every array staged, every side
   *  array given): a chunk's per-row data is at most max(CHUNK_BYTES, one row's), and the per-row
   *  and fixed parts grow with the row length. For reserve() and the initial arena. */
  worstBytes(n: number): number {
    const op = this._op, shared = op.inPlace ? this._nIn : -1;
    this._size(n, (i) => i !== shared, true, undefined, 1);
    let perRow = 0, fixed = 0;
    for (const r of this._regions) { perRow += r.perRow; fixed += r.fixed; }
    return alignLine(Math.max(CHUNK_BYTES, perRow) + fixed) + 64 * this._regions.length;
  }

  /** Runs the operation over the rows of layout L; returns the exceptional rows of all chunks. */
  run(k: Kernels, e: Arena, L: Layout): number {
    const op = this._op, { C, rows, n } = L, transposed = L.inner !== 1, nIn = this._nIn;
    const D = this._direct, R = this._regions, c = this._c, values = this.values, nRoles = D.length;
    // direct arrays: read and written where they are (never when the rows are strided)
    for (let i = 0; i < nRoles; i++) D[i] = transposed ? -1 : i < nIn ? this.inPtr[i] : this.outPtr[i - nIn];
    const d = D[nIn];
    if (op.inPlace && d >= 0 && D[0] !== d && (D[0] < 0 || Math.abs(D[0] - d) < 4 * n)) {
      // input 0 not in memory, or overlapping the output: copied into the output's block once,
      // then the kernels work in place there (no scratch for the rows)
      const f32 = e.mem().f32;
      if (D[0] >= 0) f32.copyWithin(d / 4, D[0] / 4, D[0] / 4 + n);
      else copy(this.inData[0], 0, f32, d / 4, n);
      D[0] = d;
    }
    // staged input 0 and output 0 share a region when the kernels run in place
    const shared = op.inPlace && D[0] < 0 && d < 0;
    const inPlace = shared || (D[0] >= 0 && D[0] === d);
    const chunk = this._size(C, (i) => D[i] < 0 && !(shared && i === nIn), inPlace, values, rows);
    const base = e.arena(this._layout(chunk));
    const m = e.mem(); // (after any growth)
    if (shared) R[nIn].at = R[0].at;
    c.cols = C;
    c.tmp = R[nRoles].fixed > 0 ? base + R[nRoles].at : 0;
    for (let i = nRoles + 1; i < R.length; i++) c[R[i].key] = R[i].on ? base + R[i].at : 0; // (an option not given: 0)
    let special = 0;
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const r1 = Math.min(rows, r0 + chunk), off = r0 * C, len = (r1 - r0) * C;
      c.rows = r1 - r0;
      for (let i = 0; i < nRoles; i++) {
        const at = base + R[i].at;
        c[R[i].key] = D[i] >= 0 ? D[i] + 4 * off : at;
        if (i >= nIn || D[i] >= 0) continue;
        const p = this.inPtr[i], src = p >= 0 ? m.f32 : this.inData[i], sAt = p >= 0 ? p / 4 : 0;
        if (transposed) strided(src, sAt, m.f32, at / 4, r0, r1, L, false);
        else copy(src, sAt + off, m.f32, at / 4, len);
      }
      for (let i = nRoles + 1; i < R.length; i++) {
        const r = R[i];
        if (r.on && r.spec!.write && (r0 === 0 || r.perRow > 0)) r.spec!.write(values[r.key], m, c[r.key], r0, r1, L);
      }
      special += op.run(k, c, values);
      for (let i = nIn; i < nRoles; i++) {
        if (D[i] >= 0) continue;
        const p = this.outPtr[i - nIn], dst = p >= 0 ? m.f32 : this.outData[i - nIn], dAt = p >= 0 ? p / 4 : 0, at = c[R[i].key] / 4;
        if (transposed) strided(m.f32, at, dst, dAt, r0, r1, L, true);
        else copy(m.f32, at, dst, dAt + off, len);
      }
      for (let i = nRoles + 1; i < R.length; i++) if (R[i].on && R[i].spec!.read) R[i].spec!.read!(values[R[i].key], m, c[R[i].key], r0, r1);
    }
    return special;
  }

  /** Drops the references to the caller's arrays (none is kept between calls). */
  clear(): void {
    this.inData.fill(EMPTY); this.outData.fill(EMPTY);
    for (const key in this.values) this.values[key] = undefined;
  }
}

const EMPTY = new Float32Array(0);
const STAGERS = new Map<RowOp, Stager>();
/** The operation's Stager. */
export const stagerOf = (op: RowOp): Stager => STAGERS.get(op) ?? STAGERS.set(op, new Stager(op)).get(op)!;
