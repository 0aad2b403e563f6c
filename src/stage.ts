// Staging: how one call's arrays reach the kernels. A call's rows go through the kernels in
// chunks; every array that is not already in wasm memory in the kernels' layout (an array outside
// the heap, or any array when the normalised axis is not the last) is staged through a region of
// the engine's scratch arena, one chunk of rows at a time, and so are the side arrays (mask,
// per-row α, support, …). The arena therefore stays bounded by CHUNK_BYTES plus what one row
// needs, whatever the number of rows: a call whose rows have at most ROW_FREE values never grows
// the memory (which would detach the caller's views). The same planner sizes reserve().
import { alignLine } from "./heap.js";
import type { Layout } from "./layout.js";
import type { Mem, OptionSpec, Region } from "./options.js";
import type { Chunk, Kernels, RowOp, Values } from "./ops.js";

/** Staged bytes per chunk (one chunk holds at least one row): small enough to stay in L2. */
export const CHUNK_BYTES = 128 * 1024;
/** Rows up to this many values never grow the memory: the initial arena is planned for them. */
export const ROW_FREE = 16384;
const SMALL_COPY = 64; // below this many floats, a plain loop beats subarray() + set()

/** Where an array of a call is: its data, and its byte offset in wasm memory (-1: outside). */
export interface Place {
  data: Float32Array;
  ptr: number;
}

/** A planned region: its key, size for a chunk of rows, and (after layout) its offset. */
interface Planned extends Region {
  key: string;
  at: number;
}

/** Lays out the regions for chunks of `chunk` rows, as 64-byte aligned offsets from the arena
 *  start; returns the arena bytes. */
function layout(regions: Planned[], chunk: number): number {
  let at = 0;
  for (const r of regions) {
    r.at = at;
    at += alignLine(r.fixed + r.perRow * chunk);
  }
  return at;
}

/** Rows per chunk: as many as fit CHUNK_BYTES of per-row data, at least one, at most `rows`. */
function chunkRows(regions: readonly Region[], rows: number): number {
  let perRow = 0;
  for (const r of regions) perRow += r.perRow;
  return perRow === 0 ? rows : Math.max(1, Math.min(rows, Math.floor(CHUNK_BYTES / perRow)));
}

/** The regions of an operation for rows of C values: the staged row arrays, its per-call
 *  scratch, then its options' regions (values: the prepared options; undefined: the worst case). */
function regionsOf(op: RowOp, C: number, staged: readonly string[], inPlace: boolean, values?: Values): Planned[] {
  const out: Planned[] = staged.map((key) => ({ key, perRow: 4 * C, fixed: 0, at: 0 }));
  const tmp = op.tmp?.(C, inPlace) ?? 0;
  if (tmp > 0) out.push({ key: "tmp", perRow: 0, fixed: tmp, at: 0 });
  for (const spec of op.options) {
    const r = spec.region?.(values === undefined ? undefined : values[spec.key], C);
    if (r) out.push({ key: spec.key, ...r, at: 0 });
  }
  return out;
}

/** The most arena bytes `op` can need for calls of up to `n` values (every array staged, every
 *  side array given), for reserve() and the initial arena. A chunk's per-row data is at most
 *  max(CHUNK_BYTES, one row's), and the per-row and fixed parts grow with the row length. */
export function worstBytes(op: RowOp, n: number): number {
  const regions = regionsOf(op, n, [...op.inputs, ...op.outputs.slice(op.inPlace ? 1 : 0)], true);
  let perRow = 0, fixed = 0;
  for (const r of regions) { perRow += r.perRow; fixed += r.fixed; }
  return alignLine(Math.max(CHUNK_BYTES, perRow) + fixed) + 64 * regions.length;
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

/** What the staging loop needs of the engine. */
export interface Arena {
  /** Makes the scratch arena at least `bytes` long (may grow the memory); returns its offset. */
  arena(bytes: number): number;
  /** Current views of the memory (after any growth). */
  mem(): Mem;
}

/**
 * Runs `op` over the rows of layout L. `ins` and `outs` are the row arrays by role (ptr ≥ 0: in
 * wasm memory in the kernels' layout, used in place), `values` the prepared options. Returns the
 * number of exceptional rows over all chunks.
 */
export function stage(op: RowOp, k: Kernels, e: Arena, L: Layout, ins: Place[], outs: Place[], values: Values): number {
  const { C, rows, inner } = L;
  const transposed = inner !== 1;
  // direct arrays: read and written where they are (never when the rows are strided)
  const inPtr = ins.map((p) => (transposed ? -1 : p.ptr));
  const outPtr = outs.map((p) => (transposed ? -1 : p.ptr));
  if (op.inPlace && outPtr[0] >= 0 && inPtr[0] !== outPtr[0]) {
    const n = L.n, d = outPtr[0];
    if (inPtr[0] < 0 || Math.abs(inPtr[0] - d) < 4 * n) {
      // input 0 not in memory, or overlapping the output: copied into the output's block once,
      // then the kernels work in place there (no scratch for the rows)
      const f32 = e.mem().f32;
      if (inPtr[0] >= 0) f32.copyWithin(d / 4, inPtr[0] / 4, inPtr[0] / 4 + n);
      else copy(ins[0].data, 0, f32, d / 4, n);
      inPtr[0] = d;
    }
  }
  // staged arrays: input 0 and output 0 share a region when the kernels run in place
  const shared = op.inPlace && inPtr[0] < 0 && outPtr[0] < 0;
  const staged: string[] = [];
  op.inputs.forEach((role, i) => { if (inPtr[i] < 0) staged.push(role); });
  op.outputs.forEach((role, j) => { if (outPtr[j] < 0 && !(j === 0 && shared)) staged.push(role); });
  const inPlace = shared || (inPtr[0] >= 0 && inPtr[0] === outPtr[0]);
  const regions = regionsOf(op, C, staged, inPlace, values);
  const chunk = chunkRows(regions, rows);
  const base = e.arena(layout(regions, chunk));
  const m = e.mem(); // (after any growth)
  const c = { rows: 0, cols: C, tmp: 0 } as Chunk;
  const at: Record<string, number> = {};
  for (const r of regions) at[r.key] = base + r.at;
  for (const spec of op.options) c[spec.key] = at[spec.key] ?? 0;
  c.tmp = at.tmp ?? 0;
  if (shared) at[op.outputs[0]] = at[op.inputs[0]];
  let special = 0;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = Math.min(rows, r0 + chunk), off = r0 * C;
    c.rows = r1 - r0;
    op.inputs.forEach((role, i) => {
      if (inPtr[i] >= 0) { c[role] = inPtr[i] + 4 * off; return; }
      const src = ins[i].ptr >= 0 ? m.f32 : ins[i].data, sAt = ins[i].ptr >= 0 ? ins[i].ptr / 4 : 0;
      if (transposed) strided(src, sAt, m.f32, at[role] / 4, r0, r1, L, false);
      else copy(src, sAt + off, m.f32, at[role] / 4, c.rows * C);
      c[role] = at[role];
    });
    op.outputs.forEach((role, j) => { c[role] = outPtr[j] >= 0 ? outPtr[j] + 4 * off : at[role]; });
    for (const spec of op.options) if (spec.write && c[spec.key] !== 0) writeOption(spec, values[spec.key], m, at[spec.key], r0, r1, L);
    special += op.run(k, c, values);
    op.outputs.forEach((role, j) => {
      if (outPtr[j] >= 0) return;
      const dst = outs[j].ptr >= 0 ? m.f32 : outs[j].data, dAt = outs[j].ptr >= 0 ? outs[j].ptr / 4 : 0;
      if (transposed) strided(m.f32, at[role] / 4, dst, dAt, r0, r1, L, true);
      else copy(m.f32, at[role] / 4, dst, dAt + off, c.rows * C);
    });
    for (const spec of op.options) if (spec.read && c[spec.key] !== 0) spec.read(values[spec.key], m, at[spec.key], r0, r1);
  }
  return special;
}

/** An option's rows [r0, r1) into its region (a region without a per-row part: the first chunk only). */
function writeOption(spec: OptionSpec, p: unknown, m: Mem, at: number, r0: number, r1: number, L: Layout): void {
  if (r0 === 0 || (spec.region?.(p, L.C)?.perRow ?? 0) > 0) spec.write!(p, m, at, r0, r1, L);
}
