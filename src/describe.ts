// How error messages show the values callers pass, and the helpers that throw them. Every argument
// error reads "<argument>: expected <what>, got <value>": a TypeError for a value of the wrong type,
// a RangeError for a value of the right type that is out of range.

/** How an error message shows a value the caller passed: short, and never the whole array. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (typeof v === "bigint") return `${v}n (a BigInt)`;
  if (typeof v !== "object" && typeof v !== "function") return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  const name = (v as object).constructor?.name ?? "object";
  return `${/^[AEIO]/.test(name) ? "an" : "a"} ${name}`; // an Object, an Int32Array, a Uint8Array
}

/** Throws "<name>: expected <expected>, got <got>": a TypeError, or a RangeError when `range`. */
export function fail(name: string, expected: string, got: unknown, range?: boolean): never {
  throw new (range ? RangeError : TypeError)(`${name}: expected ${expected}, got ${describe(got)}`);
}

/** `v` when it is a number for which `ok` holds; else a TypeError (not a number) or a RangeError. */
export function checkNumber(v: unknown, name: string, expected: string, ok: (v: number) => boolean): number {
  if (typeof v !== "number" || !ok(v)) fail(name, expected, v, typeof v === "number");
  return v;
}

/** An object with a numeric length (an array or a typed array). */
export function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as ArrayLike<unknown>).length === "number";
}
