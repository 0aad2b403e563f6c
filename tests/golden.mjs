// Loading and decoding of the golden reference files in <repo>/../shared/golden/.
// See shared/golden/README.md for the schema. Two conventions differ from the library:
//   - non-finite numbers are the strings "NaN", "Infinity", "-Infinity";
//   - golden `mask` is bool with true = position EXCLUDED (library: Uint8Array, 1 = keep).
import { readFileSync } from 'node:fs';

export const GOLDEN_DIR = new URL('../../shared/golden/', import.meta.url);

const NONFINITE = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** One golden number (possibly an encoded non-finite string) as a JS number. */
export function decodeNumber(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v in NONFINITE) return NONFINITE[v];
  throw new TypeError(`golden: unexpected value ${JSON.stringify(v)}`);
}

/** A golden numeric array as a Float64Array (the references are float64). */
export function decodeArray(arr) {
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) out[i] = decodeNumber(arr[i]);
  return out;
}

/** Golden bool mask (true = excluded) -> library mask (Uint8Array, 1 = keep, 0 = masked out). */
export function toLibMask(goldenMask) {
  const out = new Uint8Array(goldenMask.length);
  for (let i = 0; i < goldenMask.length; i++) out[i] = goldenMask[i] ? 0 : 1;
  return out;
}

/** Parse `<name>.json` once. Returns the whole file object (header + cases). */
export function loadGolden(name) {
  return JSON.parse(readFileSync(new URL(`${name}.json`, GOLDEN_DIR), 'utf8'));
}

/** Kind of a non-finite number, for "must match by kind" comparisons. */
export function kindOf(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return 'finite';
}
