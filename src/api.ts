// The public API every entry exports besides its own init(): the Engine and MultimaxParams
// classes, the types, initSync, and the top-level functions bound to the last engine.
import type { Engine } from "./engine.js";
import { describe } from "./describe.js";
import { parse } from "./load.js";
import { current, fail, settle } from "./state.js";
import type { EntmaxOptions, EvSoftmaxOptions, Input, LogSoftmaxOptions, MultimaxOptions, NormmaxOptions, Result, SoftmaxOptions, SparseOptions } from "./engine.js";

export { Engine } from "./engine.js";
export { MultimaxParams } from "./params.js";
export type { BaseOptions, EntmaxOptions, EvSoftmaxOptions, Input, LogSoftmaxOptions, Mask, MultimaxOptions, NormmaxOptions, Result, SoftmaxOptions, SparseOptions, TensorLike } from "./engine.js";
export type { CheckpointParams, PaperOrder, PaperParams, RawParams } from "./params.js";

/** Options of init(): at most one of module, bytes and url; `simd` picks the bundled build. */
export interface InitOptions {
  /** A compiled module (the only form edge workers such as workerd accept). */
  module?: WebAssembly.Module;
  /** The wasm bytes. */
  bytes?: ArrayBuffer | ArrayBufferView;
  /** Where to fetch the wasm (relative strings resolve against the page, or the working directory). */
  url?: string | URL;
  /** Which bundled build init() loads when no module, bytes or url is given: true = SIMD,
   *  false = scalar; default: SIMD where WebAssembly.validate accepts SIMD, else scalar. */
  simd?: boolean;
}

export type WasmSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | string | URL | InitOptions;

/** Finds the bundled wasm for this runtime: a compiled module, or the bytes. */
export type Locate = (simd: boolean) => Promise<WebAssembly.Module | BufferSource>;

/** Synchronous init from a compiled WebAssembly.Module or the wasm bytes (bare or as { module } / { bytes }). */
export function initSync(source: WebAssembly.Module | ArrayBuffer | ArrayBufferView | { module: WebAssembly.Module } | { bytes: ArrayBuffer | ArrayBufferView }): Engine {
  try {
    const p = parse(source, "initSync");
    const m = p.module ?? p.bytes;
    if (m === undefined) throw new TypeError(`initSync: expected a WebAssembly.Module or the wasm bytes (ArrayBuffer | Uint8Array), or { module } | { bytes }, got ${describe(source)}`);
    return settle(new WebAssembly.Instance(m instanceof WebAssembly.Module ? m : new WebAssembly.Module(m), {}));
  } catch (e) {
    return fail(e);
  }
}

/** softmax on the engine from the last successful init()/initSync() (see Engine.softmax). */
export function softmax<X extends Input>(x: X, options?: SoftmaxOptions): Result<X> {
  return current("softmax").softmax(x, options);
}
/** logSoftmax on the engine from the last successful init()/initSync(). */
export function logSoftmax<X extends Input>(x: X, options?: LogSoftmaxOptions): Result<X> {
  return current("logSoftmax").logSoftmax(x, options);
}
/** multimax on the engine from the last successful init()/initSync(). */
export function multimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
  return current("multimax").multimax(x, options);
}
/** logMultimax on the engine from the last successful init()/initSync(). */
export function logMultimax<X extends Input>(x: X, options: MultimaxOptions): Result<X> {
  return current("logMultimax").logMultimax(x, options);
}
/** sparsemax on the engine from the last successful init()/initSync() (see Engine.sparsemax). */
export function sparsemax<X extends Input>(x: X, options?: SparseOptions): Result<X> {
  return current("sparsemax").sparsemax(x, options);
}
/** entmax15 on the engine from the last successful init()/initSync(). */
export function entmax15<X extends Input>(x: X, options?: SparseOptions): Result<X> {
  return current("entmax15").entmax15(x, options);
}
/** entmax (α-entmax) on the engine from the last successful init()/initSync(). */
export function entmax<X extends Input>(x: X, options?: EntmaxOptions): Result<X> {
  return current("entmax").entmax(x, options);
}
/** normmax (α-normmax) on the engine from the last successful init()/initSync(). */
export function normmax<X extends Input>(x: X, options?: NormmaxOptions): Result<X> {
  return current("normmax").normmax(x, options);
}
/** evSoftmax on the engine from the last successful init()/initSync(). */
export function evSoftmax<X extends Input>(x: X, options?: EvSoftmaxOptions): Result<X> {
  return current("evSoftmax").evSoftmax(x, options);
}
