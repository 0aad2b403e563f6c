// The public API every entry exports besides its own init(): the Engine and MultimaxParams
// classes, the types, initSync, and the top-level functions bound to the last engine.
import type { Engine } from "./engine.js";
import { fail as failArg } from "./describe.js";
import { parse } from "./load.js";
import { begin, current, fail, settle } from "./state.js";
import type { Input } from "./engine.js";

export { Engine } from "./engine.js";
export { MultimaxParams } from "./params.js";
export type { BaseOptions, EntmaxOptions, EvSoftmaxOptions, Input, LogSoftmaxOptions, Mask, MultimaxOptions, NormmaxOptions, Result, SoftmaxOptions, SparseOptions, TensorLike } from "./engine.js";
export type { CheckpointParams, PaperOrder, PaperParams, RawParams } from "./params.js";

/** Options of init(): at most one of module, bytes and url; `simd` and `relaxed` pick the bundled build. */
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
  /** Whether init() may load the bundled relaxed-SIMD build (f32x4.relaxed_madd: fused multiply-add
   *  where the CPU has FMA, 10–20% faster) when no module, bytes or url is given: true = require it
   *  (RangeError where relaxed SIMD is missing), false = never (the plain SIMD build, whose results
   *  are bitwise the same on every machine); default: where WebAssembly.validate accepts relaxed
   *  SIMD. `relaxed: true` with `simd: false` is a TypeError. */
  relaxed?: boolean;
}

export type WasmSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | string | URL | InitOptions;

/** init(): loads the kernels and returns an Engine (every entry exports one; README "Loading"). */
export type Init = (source?: WasmSource) => Promise<Engine>;

/** Finds the bundled wasm for this runtime: a compiled module, or the bytes (`relaxed`: the
 *  relaxed-SIMD build, only with `simd`). */
export type Locate = (simd: boolean, relaxed: boolean) => Promise<WebAssembly.Module | BufferSource>;

/** Synchronous init from a compiled WebAssembly.Module or the wasm bytes (bare or as { module } / { bytes }). */
export function initSync(source: WebAssembly.Module | ArrayBuffer | ArrayBufferView | { module: WebAssembly.Module } | { bytes: ArrayBuffer | ArrayBufferView }): Engine {
  const ticket = begin();
  try {
    const p = parse(source, "initSync");
    if (p.module === undefined && p.bytes === undefined) failArg("initSync", "a WebAssembly.Module or the wasm bytes, bare or as { module } | { bytes }", source);
    return settle(new WebAssembly.Instance(p.module ?? new WebAssembly.Module(p.bytes!), {}), ticket);
  } catch (e) {
    return fail(e, ticket);
  }
}

/** The engine method `name`, called on the engine of the last successful init()/initSync(). */
function bound<K extends Exclude<keyof Engine, "memory" | "simd" | "relaxed" | "lastSpecialRows">>(name: K): Engine[K] {
  return ((x: Input, options?: object) => (current(name)[name] as (x: Input, o?: object) => unknown)(x, options)) as Engine[K];
}

/** softmax on the engine from the last successful init()/initSync() (see Engine.softmax). */
export const softmax = bound("softmax");
/** logSoftmax on the engine from the last successful init()/initSync(). */
export const logSoftmax = bound("logSoftmax");
/** multimax on the engine from the last successful init()/initSync(). */
export const multimax = bound("multimax");
/** logMultimax on the engine from the last successful init()/initSync(). */
export const logMultimax = bound("logMultimax");
/** sparsemax on the engine from the last successful init()/initSync() (see Engine.sparsemax). */
export const sparsemax = bound("sparsemax");
/** entmax15 on the engine from the last successful init()/initSync(). */
export const entmax15 = bound("entmax15");
/** entmax (α-entmax) on the engine from the last successful init()/initSync(). */
export const entmax = bound("entmax");
/** normmax (α-normmax) on the engine from the last successful init()/initSync(). */
export const normmax = bound("normmax");
/** evSoftmax on the engine from the last successful init()/initSync(). */
export const evSoftmax = bound("evSoftmax");
