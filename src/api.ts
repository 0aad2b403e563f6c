// The public API every entry exports besides its own init(): the Engine and MultimaxParams
// classes, the types, initSync, and the top-level functions bound to the last engine.
import type { Engine } from "./engine.js";
import { fail as failArg } from "./describe.js";
import { parse } from "./load.js";
import { OPS, type Operations, type OpName } from "./ops.js";
import { begin, current, fail, settle } from "./state.js";
import type { AttentionOperations, Bytes, WasmModule } from "./types.js";

export { Engine } from "./engine.js";
export { MultimaxParams } from "./params.js";
export type { Operations } from "./ops.js";
export type {
  BaseOptions, Bytes, EntmaxOptions, EvSoftmaxOptions, Input, LogSoftmaxOptions, Mask, MultimaxOptions, Normaliser, NormaliserWith, NormmaxOptions,
  Numbers, Result, SoftmaxOptions, SparseOptions, TensorInput, TensorLike, WasmMemory, WasmModule,
  Backward, CrossEntropyOptions, EntmaxBackwardOptions, EntmaxLossOptions, EvSoftmaxBackwardOptions, Loss, LossOptions, LossResult, MaskOptions,
  AttentionBackwardOptions, AttentionGrads, AttentionNormalizer, AttentionOperations, AttentionOptions,
  MultimaxBackward, MultimaxBackwardOptions, NormmaxBackwardOptions, ParamsGrad, ParamsGradOf, SoftmaxBackwardOptions, Targets,
} from "./types.js";
export type { CheckpointParams, PaperOrder, PaperParams, RawParams } from "./params.js";

/** Options of init(): at most one of module, bytes and url; `simd` and `relaxed` pick the bundled build. */
export interface InitOptions {
  /** A compiled WebAssembly.Module (the only form edge workers such as workerd accept). */
  module?: WasmModule;
  /** The wasm bytes. */
  bytes?: Bytes;
  /** Where to fetch the wasm (relative strings resolve against the page, or the working directory). */
  url?: string | URL;
  /** Which bundled build init() loads when no module, bytes or url is given: true = SIMD,
   *  false = scalar; default: SIMD where WebAssembly.validate accepts SIMD, else scalar. */
  simd?: boolean;
  /** Whether init() may load the bundled relaxed-SIMD build (f32x4.relaxed_madd: fused multiply-add
   *  where the CPU has FMA: softmax 14–27% and MultiMax 16–24% faster, as measured in docs/design.md) when no module, bytes or url is given: true = require it
   *  (RangeError where relaxed SIMD is missing), false = never (the plain SIMD build, whose results
   *  are bitwise the same on every machine); default: where WebAssembly.validate accepts relaxed
   *  SIMD. `relaxed: true` with `simd: false` is a TypeError. */
  relaxed?: boolean;
}

export type WasmSource = WasmModule | Bytes | string | URL | InitOptions;

/** init(): loads the kernels and returns an Engine (every entry exports one; README "Loading"). */
export type Init = (source?: WasmSource) => Promise<Engine>;

export type { Locate } from "./load.js";

/** Synchronous init from a compiled WebAssembly.Module or the wasm bytes (bare or as { module } / { bytes }). */
export function initSync(source: WasmModule | Bytes | { module: WasmModule } | { bytes: Bytes }): Engine {
  const ticket = begin();
  try {
    const p = parse(source, "initSync");
    if (p.module === undefined && p.bytes === undefined) failArg("initSync", "a WebAssembly.Module or the wasm bytes, bare or as { module } | { bytes }", source);
    return settle(new WebAssembly.Instance((p.module ?? new WebAssembly.Module(p.bytes!)) as WebAssembly.Module, {}), ticket);
  } catch (e) {
    return fail(e, ticket);
  }
}

/** Every operation of the table, called on the engine of the last successful init()/initSync(). */
const bound = {} as Operations;
for (const name of Object.keys(OPS) as OpName[])
  (bound as Record<string, unknown>)[name] = (a: unknown, b?: unknown, c?: unknown) =>
    (current(name)[name] as (a: unknown, b?: unknown, c?: unknown) => unknown)(a, b, c); // (x, options) or (y, dy, options)

// (ES modules need the names spelt out: tests/calls.test.mjs checks that this list is the table's)
/** softmax on the engine of the last successful init()/initSync() (see Engine.softmax). */
export const softmax = bound.softmax;
/** logSoftmax on the engine of the last successful init()/initSync() (see Engine.logSoftmax). */
export const logSoftmax = bound.logSoftmax;
/** multimax on the engine of the last successful init()/initSync() (see Engine.multimax). */
export const multimax = bound.multimax;
/** logMultimax on the engine of the last successful init()/initSync() (see Engine.logMultimax). */
export const logMultimax = bound.logMultimax;
/** sparsemax on the engine of the last successful init()/initSync() (see Engine.sparsemax). */
export const sparsemax = bound.sparsemax;
/** entmax15 on the engine of the last successful init()/initSync() (see Engine.entmax15). */
export const entmax15 = bound.entmax15;
/** entmax on the engine of the last successful init()/initSync() (see Engine.entmax). */
export const entmax = bound.entmax;
/** normmax on the engine of the last successful init()/initSync() (see Engine.normmax). */
export const normmax = bound.normmax;
/** evSoftmax on the engine of the last successful init()/initSync() (see Engine.evSoftmax). */
export const evSoftmax = bound.evSoftmax;
/** softmaxBackward on the engine of the last successful init()/initSync() (see Engine.softmaxBackward). */
export const softmaxBackward = bound.softmaxBackward;
/** logSoftmaxBackward on the engine of the last successful init()/initSync() (see Engine.logSoftmaxBackward). */
export const logSoftmaxBackward = bound.logSoftmaxBackward;
/** multimaxBackward on the engine of the last successful init()/initSync() (see Engine.multimaxBackward). */
export const multimaxBackward = bound.multimaxBackward;
/** logMultimaxBackward on the engine of the last successful init()/initSync() (see Engine.logMultimaxBackward). */
export const logMultimaxBackward = bound.logMultimaxBackward;
/** sparsemaxBackward on the engine of the last successful init()/initSync() (see Engine.sparsemaxBackward). */
export const sparsemaxBackward = bound.sparsemaxBackward;
/** entmax15Backward on the engine of the last successful init()/initSync() (see Engine.entmax15Backward). */
export const entmax15Backward = bound.entmax15Backward;
/** entmaxBackward on the engine of the last successful init()/initSync() (see Engine.entmaxBackward). */
export const entmaxBackward = bound.entmaxBackward;
/** normmaxBackward on the engine of the last successful init()/initSync() (see Engine.normmaxBackward). */
export const normmaxBackward = bound.normmaxBackward;
/** evSoftmaxBackward on the engine of the last successful init()/initSync() (see Engine.evSoftmaxBackward). */
export const evSoftmaxBackward = bound.evSoftmaxBackward;
/** sparsemaxLoss on the engine of the last successful init()/initSync() (see Engine.sparsemaxLoss). */
export const sparsemaxLoss = bound.sparsemaxLoss;
/** entmax15Loss on the engine of the last successful init()/initSync() (see Engine.entmax15Loss). */
export const entmax15Loss = bound.entmax15Loss;
/** entmaxLoss on the engine of the last successful init()/initSync() (see Engine.entmaxLoss). */
export const entmaxLoss = bound.entmaxLoss;
/** crossEntropy on the engine of the last successful init()/initSync() (see Engine.crossEntropy). */
export const crossEntropy = bound.crossEntropy;

/** attention on the engine of the last successful init()/initSync() (see Engine.attention). */
export const attention: AttentionOperations["attention"] = (q, k, v, options) => current("attention").attention(q, k, v, options);
/** attentionBackward on the engine of the last successful init()/initSync() (see Engine.attentionBackward). */
export const attentionBackward: AttentionOperations["attentionBackward"] = (q, k, v, dOut, options) => current("attentionBackward").attentionBackward(q, k, v, dOut, options);
