// Loading and decoding of the golden reference files, checked in as tests/golden/<name>.json.gz
// (a gzip -9 -n copy of the upstream data; see tests/golden/README.md for what they hold and
// tests/golden-copy.test.mjs for how the copy is verified). Two conventions differ from the library:
//   - non-finite numbers are the strings "NaN", "Infinity", "-Infinity";
//   - golden `mask` is bool with true = position EXCLUDED (library: Uint8Array, 1 = keep).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The folder of the compressed golden files (tests/golden/), as a file: URL ending in '/'. */
export const GOLDEN_DIR = new URL('./golden/', import.meta.url);

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

const parsed = new Map();
/**
 * `<name>.json` (read from GOLDEN_DIR/<name>.json.gz), parsed once per process: every call with
 * the same name returns the same object (header + cases), so callers must not modify it.
 */
export function loadGolden(name) {
  let data = parsed.get(name);
  if (!data) {
    data = JSON.parse(gunzipSync(readFileSync(new URL(`${name}.json.gz`, GOLDEN_DIR))).toString('utf8'));
    parsed.set(name, data);
  }
  return data;
}

/** Kind of a non-finite number, for "must match by kind" comparisons. */
export function kindOf(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return 'finite';
}
