// The checks of a call's arguments that need no engine: the options object against the
// operation's descriptor, lengths, and inputs that share memory with an output.
import { checkNumber, fail } from "./describe.js";
import { MAX_BYTES, TOO_BIG } from "./heap.js";
import { OPS, type RowOp } from "./ops.js";
import type { Stager } from "./stage.js";

const OP_LIST = Object.values(OPS) as RowOp[];
/** Which operations take each option key (or the spec's label), and the keys for which null
 *  means absent (mask, support: their check takes null for none). */
const TAKERS = new Map<string, string[]>();
const NULL_ABSENT = new Set<string>();
for (const op of OP_LIST)
  for (const s of op.options) {
    if (op.positional.includes(s.key)) continue; // (an argument, not an option)
    TAKERS.set(s.key, s.label ? [s.label] : [...(TAKERS.get(s.key) ?? []), op.name]);
    if (s.nullAbsent) NULL_ABSENT.add(s.key);
  }
const list = (a: readonly string[]): string => (a.length < 2 ? a.join("") : `${a.slice(0, -1).join(", ")} and ${a[a.length - 1]}`);
const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;


/** True when two views share bytes. */
export const overlaps = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;

/** The options object of a call: an object whose keys the operation takes (`takes`; a key given
 *  as undefined counts as absent). */
export function optionsOf(op: RowOp, takes: ReadonlySet<string>, options: unknown): Record<string, unknown> {
  if (options == null) return EMPTY;
  if (typeof options !== "object" || Array.isArray(options)) fail("options", "an object", options);
  const o = options as Record<string, unknown>;
  for (const key in o) {
    if (takes.has(key)) continue; // (its value is read once, later: a getter runs once)
    const v = o[key];
    if (v === undefined || (v === null && NULL_ABSENT.has(key))) continue;
    const takers = TAKERS.get(key);
    if (takers) throw new TypeError(`${key}: ${op.name} does not take ${key} (${list(takers)} only)`);
    throw new TypeError(`${key}: ${op.name} has no option ${JSON.stringify(key)} (its options: ${list([...takes])})`);
  }
  return o;
}

/** A length of floats (alloc, reserve): a TypeError for a non-number, a RangeError otherwise. */
export function checkLength(length: unknown): number {
  const v = checkNumber(length, "length", "an integer >= 1", (v) => Number.isInteger(v) && v >= 1);
  if (v * 4 > MAX_BYTES) throw new RangeError(`length: ${v} floats ${TOO_BIG}`);
  return v;
}

/** Inputs (row arrays, side arrays) that share memory with an output (`out`, a per-row output)
 *  are copied first: the staging writes each chunk's outputs before it reads the next chunk's
 *  inputs. (x against out is the caller's: the staging handles x and out both in the heap on
 *  the last axis itself, in place or with x copied into out's block first.) */
export function unalias(st: Stager, result: Float32Array | null): void {
  // (x against out: done by the caller; a result this call allocated overlaps nothing, and
  // reading .buffer of a new small typed array would allocate its ArrayBuffer)
  const specs = st.op.options, vals = st._vals;
  let views = st._inData.length > 1; // (anything besides x against out to look at?)
  for (let j = 0; j < vals.length && !views; j++) views = ArrayBuffer.isView(vals[j]);
  if (!views) return;
  const outs: ArrayBufferView[] = result === null ? [] : [result];
  for (let j = 0; j < specs.length; j++) if (specs[j].read && ArrayBuffer.isView(vals[j])) outs.push(vals[j] as ArrayBufferView);
  if (outs.length === 0) return;
  for (let i = 0; i < st._inData.length; i++)
    for (const o of outs)
      if (!(i === 0 && o === result) && overlaps(st._inData[i], o)) {
        st._inData[i] = st._inData[i].slice();
        st._inPtr[i] = -1;
        break;
      }
  for (let j = 0; j < specs.length; j++) {
    const v = vals[j];
    if (specs[j].write && ArrayBuffer.isView(v) && outs.some((o) => overlaps(v, o))) vals[j] = (v as Uint8Array).slice();
  }
}
