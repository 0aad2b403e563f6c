// The operation table: one descriptor per public operation. The engine turns each entry into an
// engine method and a top-level function of the same name, checks its options against the entry
// (any other key is refused), stages its arrays chunk by chunk in wasm memory (stage.ts), and
// calls `run` with the chunk's pointers. The kernels' math lives in assembly/ (exports in
// assembly/index.ts); this table only says how to call them. docs/adding-an-operation.md tells
// how to add a row.
import { F, op, stride, type Chunk, type Kernels, type Values } from "./descriptor.js";
import { ALPHA_ENTMAX, ALPHA_NORMMAX, MASK, PARAMS, SUPPORT, TEMPERATURE, TRAINING } from "./options.js";
import { TRAIN_OPS } from "./ops-train.js";
import type { MultimaxParams } from "./params.js";
import type {
  EntmaxOptions, EvSoftmaxOptions, LogSoftmaxOptions, MultimaxOptions, Normaliser, NormaliserWith, NormmaxOptions, SoftmaxOptions, SparseOptions,
} from "./types.js";

/** x in, y out, in place allowed: every normaliser. */
const NORMALISER = { inputs: ["x"], outputs: ["y"], inPlace: true } as const;
/** The threshold maps' scratch: two rows (candidate values and their indices). */
const TWO_ROWS = (C: number): number => 8 * C;
const EV_EPS = 1e-6; // ev-softmax training weight below the mean (the official repository's EPS)

/** MultiMax whose orders are all zero is softmax exactly: it runs the softmax kernels. */
function multimax(log: boolean) {
  return (k: Kernels, c: Chunk, v: Values): number => {
    const order = (v.params as MultimaxParams).order;
    if (order === 0) return log ? k.log_softmax(c[F.x], c[F.y], c[F.mask], c[F.rows], c[F.cols]) : k.softmax(c[F.x], c[F.y], c[F.mask], c[F.rows], c[F.cols], 1);
    return k[log ? "log_multimax" : "multimax"](c[F.x], c[F.y], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.params], order);
  };
}

const FORWARD = {
  /** softmax(x / temperature) along one axis: y_i = exp(x_i/T − max) / Σ_j exp(x_j/T − max). */
  softmax: op<Normaliser<SoftmaxOptions>>({
    ...NORMALISER, kernels: ["softmax"], options: [TEMPERATURE, MASK],
    run: (k, c, v) => k.softmax(c[F.x], c[F.y], c[F.mask], c[F.rows], c[F.cols], v.temperature as number),
  }),
  /** log_softmax(x) along one axis: y_i = x_i − max − log Σ_j exp(x_j − max). */
  logSoftmax: op<Normaliser<LogSoftmaxOptions>>({
    ...NORMALISER, kernels: ["log_softmax"], options: [MASK],
    run: (k, c) => k.log_softmax(c[F.x], c[F.y], c[F.mask], c[F.rows], c[F.cols]),
  }),
  /** MultiMax: softmax(φ(x) + M), φ the piece-wise modulator of Zhou et al. (ICML 2024), the
   *  mask M applied after the modulation, as in the official attention code. */
  multimax: op<NormaliserWith<MultimaxOptions>>({
    ...NORMALISER, kernels: ["multimax", "softmax"], options: [PARAMS, MASK],
    tmp: (C, inPlace) => (inPlace ? 4 * C : 0), // (in place, the logits go to one row of scratch)
    run: multimax(false),
  }),
  /** log-MultiMax: log_softmax(φ(x) + M). */
  logMultimax: op<NormaliserWith<MultimaxOptions>>({
    ...NORMALISER, kernels: ["log_multimax", "log_softmax"], options: [PARAMS, MASK],
    tmp: (C, inPlace) => (inPlace ? 4 * C : 0),
    run: multimax(true),
  }),
  /** sparsemax (Martins & Astudillo, 2016): the Euclidean projection onto the simplex,
   *  argmin_{p ∈ Δ} ‖p − x‖²; y_i = max(x_i − τ, 0) with Σ y = 1. Exact, no sort. */
  sparsemax: op<Normaliser<SparseOptions>>({
    ...NORMALISER, kernels: ["sparsemax"], options: [MASK, SUPPORT], tmp: TWO_ROWS,
    run: (k, c) => k.sparsemax(c[F.x], c[F.y], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.support]),
  }),
  /** 1.5-entmax (Peters, Niculae & Martins, 2019): y_i = max(x_i/2 − τ, 0)² with Σ y = 1. Exact. */
  entmax15: op<Normaliser<SparseOptions>>({
    ...NORMALISER, kernels: ["entmax15"], options: [MASK, SUPPORT], tmp: TWO_ROWS,
    run: (k, c) => k.entmax15(c[F.x], c[F.y], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.support]),
  }),
  /** α-entmax: argmax_{p ∈ Δ} ⟨x, p⟩ + H^T_α(p) (Tsallis entropy);
   *  y_i = max((α − 1)x_i − τ, 0)^(1/(α−1)) with Σ y = 1. α = 1 is softmax, 1.5 entmax15, 2 sparsemax. */
  entmax: op<Normaliser<EntmaxOptions>>({
    ...NORMALISER, kernels: ["entmax"], options: [MASK, SUPPORT, ALPHA_ENTMAX], tmp: TWO_ROWS,
    run: (k, c, v) => k.entmax(c[F.x], c[F.y], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.alpha], stride(v.alpha), c[F.support]),
  }),
  /** α-normmax: argmax_{p ∈ Δ} ⟨x, p⟩ − ‖p‖_α; y ∝ max(x_i − τ, 0)^(1/(α−1)) with
   *  Σ max(x_i − τ, 0)^(α/(α−1)) = 1 (as entmax.normmax_bisect). */
  normmax: op<Normaliser<NormmaxOptions>>({
    ...NORMALISER, kernels: ["normmax"], options: [MASK, SUPPORT, ALPHA_NORMMAX], tmp: TWO_ROWS,
    run: (k, c, v) => k.normmax(c[F.x], c[F.y], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.alpha], stride(v.alpha), c[F.support]),
  }),
  /** ev-softmax (official MultiMax repository): softmax over the entries ≥ the row mean, 0
   *  elsewhere (training: weight 1e-6 elsewhere). */
  evSoftmax: op<Normaliser<EvSoftmaxOptions>>({
    ...NORMALISER, kernels: ["ev_softmax"], options: [MASK, SUPPORT, TRAINING],
    run: (k, c, v) => k.ev_softmax(c[F.x], c[F.y], c[F.mask], c[F.rows], c[F.cols], v.training ? EV_EPS : 0, c[F.support]),
  }),
};

/** The table: the forwards, then the backward passes and losses (ops-train.ts). */
export const OPS = { ...FORWARD, ...TRAIN_OPS };

export type { Kernels, RowOp } from "./descriptor.js";
export type OpName = keyof typeof OPS;
/** The operations' public signatures, by name: the engine's methods and the top-level functions
 *  (a homomorphic mapping of the table, so that each keeps its entry's documentation). */
export type Operations = { [K in keyof typeof OPS]: NonNullable<(typeof OPS)[K]["signature"]> };

for (const name of Object.keys(OPS) as OpName[]) OPS[name].name = name;
