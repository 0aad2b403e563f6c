// What a row of the operation table (ops.ts, ops-train.ts) is: the descriptor of one public
// operation, the chunk record its `run` reads, and the helpers that keep every descriptor one
// shape. The engine and the staging know operations only through this interface.
import type { CallInfo, OptionSpec } from "./options.js";

/** A wasm export: pointers, sizes and scalars in, a count out (rows that left the fast path). */
export type Kernel = (...args: number[]) => number;
export type Kernels = Readonly<Record<string, Kernel>>;

/** The fields of a chunk record (Chunk): one chunk of rows as the kernels see it, `rows` rows of
 *  `cols` values, and the byte offsets of the per-call scratch `tmp`, of each row array by role
 *  (x, y, …) and of each option's region by key (mask, support, alpha, params, …; 0 when absent).
 *  A new role or option with a region adds its name here. */
export enum F { rows, cols, tmp, x, y, dy, dx, mask, support, alpha, params, targets, dLoss, loss }
/** A chunk record, indexed by F (c[F.x]: x's byte offset). */
export type Chunk = number[];

/** Prepared option values by key (see each OptionSpec's check). */
export type Values = Record<string, unknown>;

/** A row-wise operation. S is its public signature (engine method and top-level function). */
export interface RowOp<S = unknown> {
  /** Its public name (set from the table's key). */
  name: string;
  /** The wasm exports it calls (checked when an engine is made). */
  readonly kernels: readonly string[];
  /** Row arrays in, by role: the first is x, whose layout (cols, axis, dims) the call follows;
   *  the last `optional` of them come from the options of the same key (absent: pointer 0). */
  readonly inputs: readonly string[];
  /** How many of the inputs, at the end, are optional and given as options (MultiMax's y). */
  readonly optional: number;
  /** Options given as positional arguments after the row inputs (a loss's targets), by key. */
  readonly positional: readonly string[];
  /** Row arrays out, by role: the first is the result (written to `out` when given). */
  readonly outputs: readonly string[];
  /** The kernels may write the first output over the first input (same pointer). */
  readonly inPlace: boolean;
  /** The options it takes besides the layout options (cols, axis, out), in checking order. */
  readonly options: readonly OptionSpec[];
  /** Scratch bytes per call for rows of C values (`inPlace`: the kernel reads and writes one row). */
  readonly tmp?: (C: number, inPlace: boolean) => number;
  /** Checks across options, after each was checked alone (a loss's targets against the mask). */
  readonly validate?: (v: Values, call: CallInfo, hasOut: boolean) => void;
  /** Calls the kernels on one chunk; returns the number of exceptional rows. */
  readonly run: (k: Kernels, c: Chunk, v: Values) => number;
  /** The call's result from its first output (in x's form; undefined when `returns` said no) and
   *  the prepared options (default: that output itself). */
  readonly finish?: (out: unknown, v: Values) => unknown;
  /** Whether the call returns its first output (default yes): a loss without { grad: true }
   *  leaves its gradient in the arena (no array made, nothing copied out). Needs `finish`. */
  readonly returns?: (v: Values) => boolean;
  /** (type only) the public signature. */
  readonly signature?: S;
}

type Described<S> = Omit<RowOp<S>, "name" | "optional" | "positional"> & { optional?: number; positional?: readonly string[] };

/** A descriptor with every member present (one shape for all: the staging's accesses stay monomorphic). */
export const op = <S>(d: Described<S>): RowOp<S> =>
  ({
    name: "", kernels: d.kernels, inputs: d.inputs, optional: d.optional ?? 0, positional: d.positional ?? [], outputs: d.outputs, inPlace: d.inPlace,
    options: d.options, tmp: d.tmp, validate: d.validate, run: d.run, finish: d.finish, returns: d.returns,
  }) as RowOp<S>;

/** The stride of a per-row α (8 bytes per row) or of one shared α (0). */
export const stride = (a: unknown): number => (typeof a === "number" ? 0 : 8);
