// multimax-wasm: load the wasm kernels in any JavaScript runtime and get an Engine.
//
//   const mm = await init();                      // finds build/multimax.wasm next to the package
//   await init({ module }) / init({ bytes }) / init({ url })
//   const mm = initSync(moduleOrBytes);
//
// We use no generated bindings and not @assemblyscript/loader: the module has zero imports and its
// exports take and return plain numbers (pointers, lengths, scalars), so WebAssembly.instantiate
// with an empty import object is the whole loader, and it accepts a precompiled Module (edge
// workers refuse to compile bytes at run time).
import { checkExports, Engine } from "./engine.js";
import { describe } from "./describe.js";
import type { EntmaxOptions, EvSoftmaxOptions, Input, LogSoftmaxOptions, MultimaxOptions, NormmaxOptions, Result, SoftmaxOptions, SparseOptions } from "./engine.js";

export { Engine } from "./engine.js";
export { MultimaxParams } from "./params.js";
export type { BaseOptions, EntmaxOptions, EvSoftmaxOptions, Input, LogSoftmaxOptions, Mask, MultimaxOptions, NormmaxOptions, Result, SoftmaxOptions, SparseOptions, TensorLike } from "./engine.js";
export type { CheckpointParams, PaperOrder, PaperParams, RawParams } from "./params.js";

export type WasmSource =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | { module: WebAssembly.Module }
  | { bytes: ArrayBuffer | ArrayBufferView }
  | { url: string | URL };

const EXPECTED = "expected a WebAssembly.Module, bytes (ArrayBuffer | Uint8Array), a URL, or { module } | { bytes } | { url }";

/** Where the bundled wasm lives, relative to this file (computed only when init() needs it). */
function defaultUrl(): URL {
  return new URL("../build/multimax.wasm", import.meta.url);
}

/** A URL from a string or URL: relative strings resolve against the page (browsers and workers)
 *  or the working directory (Node.js, Deno, Bun). */
function toUrl(v: string | URL): URL {
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

function asBytes(v: unknown): BufferSource | null {
  if (v instanceof ArrayBuffer) return v;
  if (ArrayBuffer.isView(v)) return v as ArrayBufferView<ArrayBuffer>;
  return null;
}

let lastEngine: Engine | null = null;
let lastError: unknown = null;

function settle(instance: WebAssembly.Instance): Engine {
  const engine = new Engine(checkExports(instance.exports));
  lastEngine = engine;
  lastError = null;
  return engine;
}

function fail(e: unknown): never {
  lastEngine = null;
  lastError = e;
  throw e;
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  if (url.protocol === "file:") {
    // Node.js, Deno and Bun read local files; browsers never see a file: URL here.
    const fs = await import(/* webpackIgnore: true */ "node:fs/promises" as string);
    let buf: Uint8Array;
    try {
      buf = await fs.readFile(url);
    } catch (e) {
      throw new Error(`init: cannot read ${url.href}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
  const res = await fetch(url);
  if (!res.ok) throw new TypeError(`init: fetching ${url.href} failed: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/**
 * Loads the kernels and returns an Engine. With no argument it finds the bundled wasm
 * (build/multimax.wasm beside dist/). Also accepts a compiled WebAssembly.Module, the bytes, or a
 * URL, bare or as { module } / { bytes } / { url }.
 */
export async function init(source?: WasmSource): Promise<Engine> {
  try {
    let module: WebAssembly.Module | null = null;
    let bytes: BufferSource | null = null;
    let url: URL | null = null;
    const s = source as Record<string, unknown> | undefined;
    if (source === undefined) url = defaultUrl();
    else if (source instanceof WebAssembly.Module) module = source;
    else if ((bytes = asBytes(source)) !== null) {}
    else if (typeof source === "string" || source instanceof URL) url = toUrl(source as string | URL);
    else if (s !== null && typeof s === "object" && "module" in s) {
      if (!(s.module instanceof WebAssembly.Module)) throw new TypeError(`init: module: expected a WebAssembly.Module, got ${describe(s.module)}`);
      module = s.module;
    } else if (s !== null && typeof s === "object" && "bytes" in s) {
      if ((bytes = asBytes(s.bytes)) === null) throw new TypeError(`init: bytes: expected an ArrayBuffer or Uint8Array, got ${describe(s.bytes)}`);
    } else if (s !== null && typeof s === "object" && "url" in s) {
      if (typeof s.url !== "string" && !(s.url instanceof URL)) throw new TypeError(`init: url: expected a string or URL, got ${describe(s.url)}`);
      url = toUrl(s.url as string | URL);
    } else throw new TypeError(`init: ${EXPECTED}, got ${describe(source)}`);
    if (url !== null) bytes = await fetchBytes(url);
    if (module === null) module = await WebAssembly.compile(bytes!);
    return settle(await WebAssembly.instantiate(module, {}));
  } catch (e) {
    return fail(e);
  }
}

/** Synchronous init from a compiled WebAssembly.Module or the wasm bytes. */
export function initSync(source: WebAssembly.Module | ArrayBuffer | ArrayBufferView | { module: WebAssembly.Module } | { bytes: ArrayBuffer | ArrayBufferView }): Engine {
  try {
    const s = source as unknown as Record<string, unknown>;
    let module: WebAssembly.Module;
    let bytes: BufferSource | null;
    if (source instanceof WebAssembly.Module) module = source;
    else if ((bytes = asBytes(source)) !== null) module = new WebAssembly.Module(bytes);
    else if (s !== null && typeof s === "object" && s.module instanceof WebAssembly.Module) module = s.module;
    else if (s !== null && typeof s === "object" && (bytes = asBytes(s.bytes)) !== null) module = new WebAssembly.Module(bytes);
    else throw new TypeError(`initSync: expected a WebAssembly.Module or the wasm bytes (ArrayBuffer | Uint8Array), or { module } | { bytes }, got ${describe(source)}`);
    return settle(new WebAssembly.Instance(module, {}));
  } catch (e) {
    return fail(e);
  }
}

function engine(name: string): Engine {
  if (lastEngine !== null) return lastEngine;
  if (lastError !== null)
    throw new TypeError(`${name}: the engine is unusable because init() failed (${lastError instanceof Error ? lastError.message : String(lastError)}); call init() again`);
  throw new TypeError(`${name}: no engine yet: await init() (or call initSync()) first`);
}

/** softmax on the engine from the last successful init()/initSync() (see Engine.softmax). */
export function softmax<X extends Input>(x: X, options?: SoftmaxOptions): Result<X> {
  return engine("softmax").softmax(x, options);
}
/** logSoftmax on the engine from the last successful init()/initSync(). */
export function logSoftmax<X extends Input>(x: X, options?: LogSoftmaxOptions): Result<X> {
  return engine("logSoftmax").logSoftmax(x, options);
}
/** multimax on the engine from the last successful init()/initSync(). */
export function multimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
  return engine("multimax").multimax(x, options);
}
/** logMultimax on the engine from the last successful init()/initSync(). */
export function logMultimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
  return engine("logMultimax").logMultimax(x, options);
}
/** sparsemax on the engine from the last successful init()/initSync() (see Engine.sparsemax). */
export function sparsemax<X extends Input>(x: X, options?: SparseOptions): Result<X> {
  return engine("sparsemax").sparsemax(x, options);
}
/** entmax15 on the engine from the last successful init()/initSync(). */
export function entmax15<X extends Input>(x: X, options?: SparseOptions): Result<X> {
  return engine("entmax15").entmax15(x, options);
}
/** entmax (α-entmax) on the engine from the last successful init()/initSync(). */
export function entmax<X extends Input>(x: X, options?: EntmaxOptions): Result<X> {
  return engine("entmax").entmax(x, options);
}
/** normmax (α-normmax) on the engine from the last successful init()/initSync(). */
export function normmax<X extends Input>(x: X, options?: NormmaxOptions): Result<X> {
  return engine("normmax").normmax(x, options);
}
/** evSoftmax on the engine from the last successful init()/initSync(). */
export function evSoftmax<X extends Input>(x: X, options?: EvSoftmaxOptions): Result<X> {
  return engine("evSoftmax").evSoftmax(x, options);
}
