// The runtime-neutral part of init(), shared by every entry (index, browser, workerd, inline):
// argument parsing, SIMD detection, compiling and instantiating. An entry supplies only
// `locate(simd)`, where its runtime finds the bundled wasm when init() gets no source, and how it
// reads a URL.
//
// We use no generated bindings and not @assemblyscript/loader: the module has zero imports and its
// exports take and return plain numbers (pointers, lengths, scalars), so WebAssembly.instantiate
// with an empty import object is the whole loader, and it accepts a precompiled Module (edge
// workers refuse to compile bytes at run time).
import type { Engine } from "./engine.js";
import { fail as failArg } from "./describe.js";
import { begin, fail, settle } from "./state.js";
import type { WasmSource } from "./api.js";

/** Finds the bundled wasm for this runtime: a compiled module, or the bytes. */
export type Locate = (simd: boolean) => Promise<WebAssembly.Module | BufferSource>;

// (module (func (result v128) v128.const 0)): valid only where wasm SIMD is.
const SIMD_PROBE = "AGFzbQEAAAABBQFgAAF7AwIBAAoWARQA/QwAAAAAAAAAAAAAAAAAAAAACw==";
let simdCache: boolean | undefined;

/** True when this runtime's WebAssembly supports 128-bit SIMD (checked once, by validation only). */
export function simdSupported(): boolean {
  try {
    simdCache ??= WebAssembly.validate(Uint8Array.from(atob(SIMD_PROBE), (c) => c.charCodeAt(0)));
  } catch {
    simdCache = true; // an embedder that forbids even validation compiles modules ahead of time
  }
  return simdCache;
}

/** The brand of a built-in object, also across realms (vm contexts, iframes, Jest). */
const brand = (v: unknown): string => Object.prototype.toString.call(v).slice(8, -1);
const isBytes = (v: unknown): boolean => ArrayBuffer.isView(v) || brand(v) === "ArrayBuffer" || brand(v) === "SharedArrayBuffer";
const isModule = (v: unknown): boolean => brand(v) === "WebAssembly.Module"; // (not a type guard: Module is structurally {})
/** Any view (a DataView too) or buffer as the Uint8Array that WebAssembly.compile takes. */
const toBytes = (v: unknown): Uint8Array<ArrayBuffer> =>
  ArrayBuffer.isView(v) ? new Uint8Array(v.buffer as ArrayBuffer, v.byteOffset, v.byteLength) : new Uint8Array(v as ArrayBuffer);

/** A URL from a string or URL: relative strings resolve against the page (browsers and workers)
 *  or the working directory (Node.js, Deno, Bun). */
function toUrl(v: string | URL): URL {
  const proc = (globalThis as { process?: { cwd?: () => string } }).process;
  try {
    // (the working directory as a file: URL: "\\" -> "/", and %, # and ? escaped, which a path may hold)
    return new URL(v, typeof location === "object" && location ? location.href
      : proc?.cwd ? `file://${proc.cwd().replace(/\\/g, "/").replace(/^(?!\/)/, "/").replace(/[%#?]/g, encodeURIComponent)}/` : undefined);
  } catch {
    return failArg("init: url", "a valid URL", v);
  }
}

/** Fetches a URL's bytes (http:, https:, data:, blob:; file: where the runtime's fetch allows it). */
export async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new TypeError(`init: fetching ${url.href} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (!res.ok) throw new TypeError(`init: fetching ${url.href} failed: HTTP ${res.status}`);
  return res.arrayBuffer();
}

type Parsed = { module?: WebAssembly.Module; bytes?: Uint8Array<ArrayBuffer>; url?: URL; simd?: boolean };

/** The options of init(), each with what it must be. */
const OPTIONS: [string, string, (v: unknown) => boolean][] = [
  ["module", "a WebAssembly.Module", isModule],
  ["bytes", "an ArrayBuffer or an ArrayBufferView (Uint8Array, …)", isBytes],
  ["url", "a string or URL", (v) => typeof v === "string" || v instanceof URL],
  ["simd", "true or false", (v) => typeof v === "boolean"],
];

/** The source of init()/initSync() as { module | bytes | url, simd }, checked; `who` names the
 *  caller in errors ("init: module: expected a WebAssembly.Module, got a String"). */
export function parse(source: unknown, who: string): Parsed {
  const s = (isModule(source) ? { module: source } : isBytes(source) ? { bytes: source }
    : typeof source === "string" || source instanceof URL ? { url: source } : source === undefined ? {} : source) as Record<string, unknown>;
  // options are a plain object (of any realm): anything else (a Response, a Promise, …) is not a source
  const proto = s !== null && typeof s === "object" ? Object.getPrototypeOf(s) : 0;
  if (proto !== null && (proto === 0 || Object.getPrototypeOf(proto) !== null))
    failArg(who, "a WebAssembly.Module, bytes (ArrayBuffer | ArrayBufferView), a URL, or { module | bytes | url, simd }", source);
  const bad = (got: string): never => { throw new TypeError(`${who}: expected one of the options module, bytes, url and simd, got ${got}`); };
  for (const k in s) if (!OPTIONS.some((o) => o[0] === k)) bad(`option ${JSON.stringify(k)}`);
  const given = OPTIONS.slice(0, 3).filter(([k]) => s[k] !== undefined).map(([k]) => k);
  if (given.length > 1) bad(`${given.join(" and ")} (give one source)`);
  for (const [k, what, ok] of OPTIONS) if (s[k] !== undefined && !ok(s[k])) failArg(`${who}: ${k}`, what, s[k]);
  if (source !== undefined && !given.length && s.simd === undefined) bad("none");
  return { module: s.module as WebAssembly.Module, bytes: s.bytes === undefined ? undefined : toBytes(s.bytes), url: s.url === undefined ? undefined : toUrl(s.url as string), simd: s.simd as boolean };
}

/** Makes an entry's init() from its way of finding the bundled wasm (and of reading a URL). */
export function makeInit(locate: Locate, read: (url: URL) => Promise<BufferSource | WebAssembly.Module> = fetchBytes) {
  /**
   * Loads the kernels and returns an Engine. With no argument it finds the bundled wasm (the SIMD
   * build where the runtime supports SIMD, else the scalar build). Also accepts a compiled
   * WebAssembly.Module, the bytes, or a URL, bare or as { module } / { bytes } / { url }, and
   * { simd: false } to load the bundled scalar build.
   */
  return async function init(source?: WasmSource): Promise<Engine> {
    const ticket = begin();
    try {
      const p = parse(source, "init");
      const simd = p.simd ?? simdSupported();
      if (simd && !simdSupported() && !p.module && !p.bytes && !p.url)
        throw new RangeError("init: simd: true, but this runtime's WebAssembly has no SIMD support (use { simd: false } or leave simd out)");
      const m = p.module ?? p.bytes ?? (p.url ? await read(p.url) : await locate(simd));
      const module = isModule(m) ? (m as WebAssembly.Module) : await WebAssembly.compile(m as BufferSource);
      return settle(await WebAssembly.instantiate(module, {}), ticket);
    } catch (e) {
      return fail(e, ticket);
    }
  };
}
