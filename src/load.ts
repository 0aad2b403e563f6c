// The runtime-neutral part of init(), shared by every entry (index, browser, workerd, inline):
// argument parsing, SIMD and relaxed-SIMD detection, compiling and instantiating. An entry supplies
// only `locate(simd, relaxed)`, where its runtime finds the bundled wasm when init() gets no source,
// and how it reads a URL.
//
// We use no generated bindings and not @assemblyscript/loader: the module has zero imports and its
// exports take and return plain numbers (pointers, lengths, scalars), so WebAssembly.instantiate
// with an empty import object is the whole loader, and it accepts a precompiled Module (edge
// workers refuse to compile bytes at run time).
import type { Engine } from "./engine.js";
import { fail as failArg } from "./describe.js";
import { begin, fail, settle } from "./state.js";
import type { WasmSource } from "./api.js";
import type { Bytes, WasmModule } from "./types.js";

/** Finds the bundled wasm for this runtime: a compiled module, or the bytes. `relaxed` (only with
 *  `simd`) asks for the relaxed-SIMD build, otherwise `simd` picks the SIMD or the scalar build. */
export type Locate = (simd: boolean, relaxed: boolean) => Promise<WasmModule | Bytes>;

// (module (func (result v128) v128.const 0)): valid only where wasm SIMD is.
const SIMD_PROBE = "AGFzbQEAAAABBQFgAAF7AwIBAAoWARQA/QwAAAAAAAAAAAAAAAAAAAAACw==";
// (module (func (param v128 v128 v128) (result v128)
//   (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))): valid only where relaxed
// SIMD is (Node.js 20 rejects it unless run with --experimental-wasm-relaxed-simd).
const RELAXED_PROBE = "AGFzbQEAAAABCAFgA3t7ewF7AwIBAAoNAQsAIAAgASAC/YUCCw==";
let simdCache: boolean | undefined;
let relaxedCache: boolean | undefined;

/** WebAssembly.validate of a base64 probe; `blind` when the embedder forbids even validation. */
function probe(b64: string, blind: boolean): boolean {
  try {
    return WebAssembly.validate(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return blind;
  }
}

/** True when this runtime's WebAssembly supports 128-bit SIMD (checked once, by validation only). */
export function simdSupported(): boolean {
  // (an embedder that forbids even validation compiles modules ahead of time: assume SIMD)
  return (simdCache ??= probe(SIMD_PROBE, true));
}

/** True when this runtime's WebAssembly supports relaxed SIMD (f32x4.relaxed_madd; checked once,
 *  by validation only). Unknown (validation forbidden) counts as no: the plain SIMD build is safe. */
export function relaxedSupported(): boolean {
  return (relaxedCache ??= simdSupported() && probe(RELAXED_PROBE, false));
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
  if (v === "") failArg("init: url", "a non-empty URL", v, true); // ("" would resolve to the page or the working directory)
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

type Parsed = { module?: WasmModule; bytes?: Uint8Array<ArrayBuffer>; url?: URL; simd?: boolean; relaxed?: boolean };

/** The options of init(), each with what it must be. */
const OPTIONS: [string, string, (v: unknown) => boolean][] = [
  ["module", "a WebAssembly.Module", isModule],
  ["bytes", "an ArrayBuffer or an ArrayBufferView (Uint8Array, …)", isBytes],
  ["url", "a string or URL", (v) => typeof v === "string" || v instanceof URL],
  ["simd", "true or false", (v) => typeof v === "boolean"],
  ["relaxed", "true or false", (v) => typeof v === "boolean"],
];

/** The source of init()/initSync() as { module | bytes | url, simd, relaxed }, checked; `who` names the
 *  caller in errors ("init: module: expected a WebAssembly.Module, got a String"). */
export function parse(source: unknown, who: string): Parsed {
  const s = (isModule(source) ? { module: source } : isBytes(source) ? { bytes: source }
    : typeof source === "string" || source instanceof URL ? { url: source } : source === undefined ? {} : source) as Record<string, unknown>;
  // options are a plain object (of any realm): anything else (a Response, a Promise, …) is not a source
  const proto = s !== null && typeof s === "object" ? Object.getPrototypeOf(s) : 0;
  if (proto !== null && (proto === 0 || Object.getPrototypeOf(proto) !== null))
    failArg(who, "a WebAssembly.Module, bytes (ArrayBuffer | ArrayBufferView), a URL, or { module | bytes | url, simd, relaxed }", source);
  const bad = (got: string): never => { throw new TypeError(`${who}: expected one of the options module, bytes, url, simd and relaxed, got ${got}`); };
  for (const k in s) if (!OPTIONS.some((o) => o[0] === k)) bad(`option ${JSON.stringify(k)}`);
  const given = OPTIONS.slice(0, 3).filter(([k]) => s[k] !== undefined).map(([k]) => k);
  if (given.length > 1) bad(`${given.join(" and ")} (give one source)`);
  for (const [k, what, ok] of OPTIONS) if (s[k] !== undefined && !ok(s[k])) failArg(`${who}: ${k}`, what, s[k]);
  if (source !== undefined && !given.length && s.simd === undefined && s.relaxed === undefined) bad("none");
  // the relaxed build is a SIMD build: asking for it and for the scalar build at once is a contradiction
  if (s.relaxed === true && s.simd === false)
    throw new TypeError(`${who}: relaxed: true contradicts simd: false (the relaxed build is a SIMD build)`);
  return { module: s.module as WasmModule, bytes: s.bytes === undefined ? undefined : toBytes(s.bytes), url: s.url === undefined ? undefined : toUrl(s.url as string), simd: s.simd as boolean, relaxed: s.relaxed as boolean };
}

/** Makes an entry's init() from its way of finding the bundled wasm (and of reading a URL). */
export function makeInit(locate: Locate, read: (url: URL) => Promise<Bytes | WasmModule> = fetchBytes) {
  /**
   * Loads the kernels and returns an Engine. With no argument it finds the bundled wasm (the
   * relaxed-SIMD build where the runtime supports relaxed SIMD, else the SIMD build where it
   * supports SIMD, else the scalar build). Also accepts a compiled WebAssembly.Module, the bytes,
   * or a URL, bare or as { module } / { bytes } / { url }, { simd: false } to load the bundled
   * scalar build, and { relaxed: false } to never load the relaxed-SIMD build.
   */
  return async function init(source?: WasmSource): Promise<Engine> {
    const ticket = begin();
    try {
      const p = parse(source, "init");
      const bundled = !p.module && !p.bytes && !p.url; // (simd and relaxed only pick a bundled build)
      const missing = (k: string, what: string): never => {
        throw new RangeError(`init: ${k}: true, but this runtime's WebAssembly has no ${what} support (use { ${k}: false } or leave ${k} out)`);
      };
      if (bundled && p.relaxed && !relaxedSupported()) missing("relaxed", "relaxed SIMD");
      if (bundled && p.simd && !simdSupported()) missing("simd", "SIMD");
      const simd = p.simd ?? (p.relaxed || simdSupported());
      const relaxed = simd && (p.relaxed ?? relaxedSupported());
      const m = p.module ?? p.bytes ?? (p.url ? await read(p.url) : await locate(simd, relaxed));
      const module = isModule(m) ? (m as WebAssembly.Module) : await WebAssembly.compile(m as BufferSource);
      return settle(await WebAssembly.instantiate(module, {}), ticket);
    } catch (e) {
      return fail(e, ticket);
    }
  };
}
