// The public types of the API: inputs, options, results. The declarations use only the
// ES2022 library (no DOM and no WebAssembly namespace), so that a TypeScript project with
// lib ["es2022"] and @types/node alone type-checks them (WebAssembly's types live in lib.dom).
import type { MultimaxParams, RawParams } from "./params.js";

/** The engine's linear memory: a WebAssembly.Memory (the members this API uses, structurally). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
/** A compiled WebAssembly.Module (structurally an object, as lib.dom declares it). */
export type WasmModule = object;
/** Bytes: an ArrayBuffer or any view of one (lib.dom's BufferSource). */
export type Bytes = ArrayBuffer | ArrayBufferView;

/** Any array of numbers: a Float32Array (used without copying when it lies in the engine's
 *  memory), another typed array, or a number[] (copied into float32). */
export type Numbers = Float32Array | ArrayLike<number>;

/** A tensor as onnxruntime-web and transformers.js hold them: float32 data, row-major dims. The
 *  form of results for tensor inputs, and of a tensor `out`. */
export interface TensorLike {
  data: Float32Array;
  dims: readonly number[];
}
/** A tensor input: row-major dims, data any array of numbers (a Float32Array is used as it is,
 *  other data is copied into float32). */
export interface TensorInput {
  data: Numbers;
  dims: readonly number[];
}
export type Input = Numbers | TensorInput;
export type Mask = Uint8Array | Uint8ClampedArray | Int8Array | ArrayLike<boolean | number>;

/** The result of a normaliser: a Float32Array for an array input, a tensor-like for a tensor. */
export type Result<X> = X extends TensorInput ? TensorLike : Float32Array;

export interface BaseOptions {
  /** Row length for an array input (default: x.length, one row). */
  cols?: number;
  /** Axis to normalise (default -1). Negative values count from the end. */
  axis?: number;
  /** Same length as x; 1/true = keep, 0/false = masked out (probability exactly 0). */
  mask?: Mask;
  /** Where to write the result (same length as x; may be x itself). */
  out?: Float32Array | TensorLike;
}
export interface SoftmaxOptions extends BaseOptions {
  /** softmax(x / temperature); a finite number > 0 (default 1). */
  temperature?: number;
}
export type LogSoftmaxOptions = BaseOptions;
export interface MultimaxOptions extends BaseOptions {
  /** Checkpoint form { ranges, ts }, paper form { orders }, or the result of engine.multimaxParams. */
  params: RawParams | MultimaxParams;
}
export interface SparseOptions extends BaseOptions {
  /** One slot per normalised row; receives the number of nonzero outputs of that row. */
  support?: Int32Array;
}
export interface EntmaxOptions extends SparseOptions {
  /** α ≥ 1: one number, or one per normalised row (default 1.5). 1 is softmax, 2 sparsemax. */
  alpha?: number | ArrayLike<number>;
}
export interface NormmaxOptions extends SparseOptions {
  /** α > 1: one number, or one per normalised row (default 2). */
  alpha?: number | ArrayLike<number>;
}
export interface EvSoftmaxOptions extends SparseOptions {
  /** false (default, eval): entries below the row mean get exactly 0; true: they get weight 1e-6. */
  training?: boolean;
}

/** A row-wise normaliser: x in, the same form out (see Result). */
export type Normaliser<O> = <X extends Input>(x: X, options?: O) => Result<X>;
/** A normaliser whose options are required (MultiMax: params). */
export type NormaliserWith<O> = <X extends Input>(x: X, options: O) => Result<X>;

// ---- backward passes and losses (docs/training.md)

/** The options of a backward pass that takes only the layout options and a mask. */
export type MaskOptions = BaseOptions;
/** A backward pass takes its forward's options (the same values) except its per-row output, support. */
export type SoftmaxBackwardOptions = SoftmaxOptions;
export type EntmaxBackwardOptions = Omit<EntmaxOptions, "support">;
export type NormmaxBackwardOptions = Omit<NormmaxOptions, "support">;
/** (training is accepted for symmetry: the backward's formula is the same in both modes.) */
export type EvSoftmaxBackwardOptions = Omit<EvSoftmaxOptions, "support">;
export interface MultimaxBackwardOptions extends BaseOptions {
  /** The forward's parameters: checkpoint form, paper form, or engine.multimaxParams(…). */
  params: RawParams | MultimaxParams;
  /** The forward's output (same layout as x): given, the forward is not recomputed. */
  y?: Input | null;
}
/** The gradient of MultiMax's parameters, in the form they were given in. */
export type ParamsGrad = { ranges: number[]; ts: number[] } | { orders: { tb: number; b: number; td: number; d: number }[] };

/** The gradient of parameters of type P: the paper form for { orders }, the checkpoint form for
 *  { ranges, ts }, either for a MultimaxParams (the form it was made from). */
export type ParamsGradOf<P> = P extends { orders: unknown } ? { orders: { tb: number; b: number; td: number; d: number }[] }
  : P extends { ranges: unknown } ? { ranges: number[]; ts: number[] } : ParamsGrad;

/** A backward pass from the forward's output y: dx in y's form. */
export type Backward<O> = <X extends Input>(y: X, dy: Input, options?: O) => Result<X>;
/** MultiMax's backward: from the forward's input x. */
export type MultimaxBackward = <X extends Input, P extends RawParams | MultimaxParams>(
  x: X, dy: Input, options: MultimaxBackwardOptions & { params: P }) => { dx: Result<X>; dParams: ParamsGradOf<P> };

/** One class index per row (a position along the normalised axis). */
export type Targets = Int32Array | ArrayLike<number>;
export interface LossOptions extends BaseOptions {
  /** Also return the gradient (in x's form; `out` receives it). Default false. */
  grad?: boolean;
  /** d(total)/d(loss of each row): one finite number per row, or one for all (default 1). */
  dLoss?: number | ArrayLike<number>;
  /** Rows whose target is this give loss 0 and gradient 0 (default −100). */
  ignoreIndex?: number;
  /** Where to write the per-row losses (one slot per row; default a new Float32Array). */
  loss?: Float32Array;
}
/** entmaxLoss: α as for entmax (default 1.5). */
export interface EntmaxLossOptions extends LossOptions, Pick<EntmaxOptions, "alpha"> {}
export interface CrossEntropyOptions extends LossOptions {
  /** "softmax" (default) or "multimax". */
  normalizer?: "softmax" | "multimax";
  /** MultiMax's parameters (required with normalizer "multimax"). */
  params?: RawParams | MultimaxParams;
  /** p = softmax(z / temperature) (default 1). */
  temperature?: number;
  /** ε in [0, 1]: the target is (1 − ε)·e_t + ε/K, K the row's kept entries (default 0). */
  labelSmoothing?: number;
}
/** A loss's result: one loss per row, and the gradient with { grad: true } (G: that option's type). */
export interface LossResult<X, G = boolean> {
  loss: Float32Array;
  grad: G extends true ? Result<X> : G extends false ? undefined : Result<X> | undefined;
  /** crossEntropy with normalizer "multimax": the gradient of its parameters. */
  dParams?: ParamsGrad;
}
/** A loss: x and one target per row in, LossResult out. */
export type Loss<O> = <X extends Input, G extends boolean = false>(x: X, targets: Targets, options?: O & { grad?: G }) => LossResult<X, G>;

// ---- attention (src/attention.ts; README "Attention")

/** The normaliser over the key axis. */
export type AttentionNormalizer = "softmax" | "multimax" | "sparsemax" | "entmax15" | "entmax" | "normmax" | "evSoftmax";
export interface AttentionBackwardOptions {
  /** Scores s = scale·q·kᵀ (default 1/√D). */
  scale?: number;
  /** Default "softmax". */
  normalizer?: AttentionNormalizer;
  /** entmax (default 1.5, ≥ 1) and normmax (default 2, > 1) only. */
  alpha?: number;
  /** MultiMax's parameters (required with normalizer "multimax"): one set for every head, or an
   *  array of H sets (head h uses set h). */
  params?: RawParams | MultimaxParams | ReadonlyArray<RawParams | MultimaxParams>;
  /** evSoftmax only: weight 1e-6 below the mean instead of 0. */
  training?: boolean;
  /** [B, Lk], 1/true = keep (every query and head of batch element b). */
  keyMask?: Mask | { data: Mask; dims: readonly number[] };
  /** Query i sees key j iff j ≤ i + Lk − Lq (bottom-right aligned: PyTorch's causal_lower_right,
   *  the KV-cache convention). */
  causal?: boolean;
}
export interface AttentionOptions extends AttentionBackwardOptions {
  /** Receives the output (B·H·Lq·Dv floats; returned). */
  out?: Float32Array | TensorLike;
  /** Receives the weights p (B·H·Lq·Lk floats); weights are only materialised when given. */
  weightsOut?: Float32Array | TensorLike;
}
/** attentionBackward's result: the gradients of ⟨dOut, out⟩; dParams for MultiMax only (one per
 *  head when params was an array), null otherwise. */
export interface AttentionGrads {
  dq: TensorLike;
  dk: TensorLike;
  dv: TensorLike;
  dParams: ParamsGrad | ParamsGrad[] | null;
}
export interface AttentionOperations {
  /** Fused attention: out = normalizer(scale·q·kᵀ, masked after any modulation)·v per (batch, head).
   *  q [B, H, Lq, D], k [B, Hkv, Lk, D], v [B, Hkv, Lk, Dv] (Hkv divides H: grouped-query attention;
   *  rank 3 [H, L, D] means B = 1, rank 2 [L, D] B = H = 1); the result has q's rank, [B, H, Lq, Dv].
   *  A query that sees no key gets output 0 (and weights 0). */
  attention(q: TensorInput, k: TensorInput, v: TensorInput, options?: AttentionOptions): TensorLike;
  /** The gradients of ⟨dOut, out⟩ with respect to q, k, v (summed over the heads that share a kv
   *  head) and MultiMax's parameters, p recomputed (nothing is kept from the forward call). */
  attentionBackward(q: TensorInput, k: TensorInput, v: TensorInput, dOut: TensorInput, options?: AttentionBackwardOptions): AttentionGrads;
}
