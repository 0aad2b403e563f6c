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
import { describe } from "./describe.js";
import { fail, settle } from "./state.js";
import type { WasmSource } from "./api.js";

/** Finds the bundled wasm for this runtime: a compiled module, or the bytes. */
export type Locate = (simd: boolean) => Promise<WebAssembly.Module | BufferSource>;

const EXPECTED = "expected a WebAssembly.Module, bytes (ArrayBuffer | Uint8Array), a URL, or { module | bytes | url, simd }";

// (module (func (result v128) v128.const i32x4 0 0 0 0)): valid only where wasm SIMD is.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]);
let simdCache: boolean | undefined;

/** True when this runtime's WebAssembly supports 128-bit SIMD (checked once, by validation only). */
export function simdSupported(): boolean {
  if (simdCache === undefined) {
    try {
      simdCache = WebAssembly.validate(SIMD_PROBE);
    } catch {
      simdCache = true; // an embedder that forbids even validation compiles modules ahead of time
    }
  }
  return simdCache;
}

export function asBytes(v: unknown): BufferSource | null {
  if (v instanceof ArrayBuffer) return v;
  if (ArrayBuffer.isView(v)) return v as ArrayBufferView<ArrayBuffer>;
  return null;
}

/** A URL from a string or URL: relative strings resolve against the page (browsers and workers)
 *  or the working directory (Node.js, Deno, Bun). */
export function toUrl(v: string | URL): URL {
  if (v instanceof URL) return v;
  const proc = (globalThis as { process?: { cwd?: () => string } }).process;
  const base = typeof location === "object" && location ? location.href
    : typeof proc?.cwd === "function" ? `file://${proc.cwd().replace(/\\/g, "/").replace(/^(?!\/)/, "/")}/` : undefined;
  try {
    return new URL(v, base);
  } catch {
    throw new TypeError(`init: url: ${JSON.stringify(v)} is not a valid URL`);
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

type Parsed = { module?: WebAssembly.Module; bytes?: BufferSource; url?: URL; simd?: boolean };
const KEYS = ["module", "bytes", "url", "simd"];

/** The source of init()/initSync() in one shape, checked; `who` names the caller in errors. */
export function parse(source: unknown, who: string): Parsed {
  if (source === undefined) return {};
  if (source instanceof WebAssembly.Module) return { module: source };
  if (asBytes(source)) return { bytes: source as BufferSource };
  if (typeof source === "string" || source instanceof URL) return { url: toUrl(source) };
  if (source === null || typeof source !== "object") throw new TypeError(`${who}: ${EXPECTED}, got ${describe(source)}`);
  const { module, bytes, url, simd } = source as Record<string, unknown>;
  for (const k in source) if (!KEYS.includes(k)) throw new TypeError(`${who}: unknown option ${JSON.stringify(k)}; expected module, bytes, url or simd`);
  const given = KEYS.slice(0, 3).filter((k) => (source as Record<string, unknown>)[k] !== undefined);
  if (given.length === 0 && simd === undefined) throw new TypeError(`${who}: ${EXPECTED}, got an object with none of them`);
  if (given.length > 1) throw new TypeError(`${who}: give one of module, bytes and url, not ${given.join(" and ")}`);
  if (simd !== undefined && typeof simd !== "boolean") throw new TypeError(`${who}: simd: expected true or false, got ${describe(simd)}`);
  if (module !== undefined && !(module instanceof WebAssembly.Module)) throw new TypeError(`${who}: module: expected a WebAssembly.Module, got ${describe(module)}`);
  if (bytes !== undefined && !asBytes(bytes)) throw new TypeError(`${who}: bytes: expected an ArrayBuffer or Uint8Array, got ${describe(bytes)}`);
  if (url !== undefined && typeof url !== "string" && !(url instanceof URL)) throw new TypeError(`${who}: url: expected a string or URL, got ${describe(url)}`);
  return { module: module as WebAssembly.Module | undefined, bytes: bytes as BufferSource | undefined, url: url === undefined ? undefined : toUrl(url as string | URL), simd: simd as boolean | undefined };
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
    try {
      const p = parse(source, "init");
      const simd = p.simd ?? simdSupported();
      if (simd && !simdSupported() && !p.module && !p.bytes && !p.url)
        throw new RangeError("init: simd: true, but this runtime's WebAssembly has no SIMD; use { simd: false } or leave simd out");
      const m = p.module ?? p.bytes ?? (p.url ? await read(p.url) : await locate(simd));
      const module = m instanceof WebAssembly.Module ? m : await WebAssembly.compile(m);
      return settle(await WebAssembly.instantiate(module, {}));
    } catch (e) {
      return fail(e);
    }
  };
}
