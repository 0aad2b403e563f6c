// The operation table's backward passes and losses (docs/training.md): each row says how to call
// its wasm export (assembly/index.ts, drivers in assembly/backward/). A backward takes the
// forward's output y (MultiMax: its input x) and the cotangent dy, both read in x's layout, and
// returns dx; a loss takes x and one target per row and returns { loss, grad, dParams }.
import { F, op, stride, type Chunk, type Kernels, type Values } from "./descriptor.js";
import { ALPHA_ENTMAX, ALPHA_NORMMAX, MASK, TEMPERATURE, TRAINING } from "./options.js";
import {
  DLOSS, dParamsOf, GRAD, IGNORE_INDEX, LABEL_SMOOTHING, LOSS, NORMALIZER, PARAMS_CE, PARAMS_GRAD, TARGETS, validateLoss, Y, type ParamsWithGrad,
} from "./options-train.js";
import type {
  Backward, CrossEntropyOptions, EntmaxBackwardOptions, EntmaxLossOptions, EvSoftmaxBackwardOptions, Loss, LossOptions, MaskOptions, MultimaxBackward,
  NormmaxBackwardOptions, SoftmaxBackwardOptions,
} from "./types.js";

/** y and dy in, dx out; dx may be written over y. */
const BACKWARD = { inputs: ["y", "dy"], outputs: ["dx"], inPlace: true } as const;
/** The threshold maps' kind codes (assembly/kinds.ts ThresholdMap). */
const enum Kind { Sparsemax = 0, Entmax15 = 1, Entmax = 2, Normmax = 3 }

const sparse = (kind: Kind) => (k: Kernels, c: Chunk, v: Values): number =>
  k.sparse_backward(c[F.y], c[F.dy], c[F.dx], c[F.mask], c[F.rows], c[F.cols], kind, c[F.alpha], kind >= Kind.Entmax ? stride(v.alpha) : 0);

/** MultiMax's backward: x, dy and (optionally, as an option) y in; dx out, over x allowed. The
 *  parameters' gradient accumulates in their region (options-train.ts PARAMS_GRAD). */
function multimaxBackward(log: boolean) {
  return op<MultimaxBackward>({
    // (not in place: a row whose float32 sums overflow is redone in float64 from x, which must survive)
    kernels: ["multimax_backward"], inputs: ["x", "dy", "y"], optional: 1, outputs: ["dx"], inPlace: false,
    options: [PARAMS_GRAD, Y, MASK],
    tmp: (C) => 4 * C, // (y recomputed, one row, when it is not given)
    run: (k, c, v) => {
      const n = (v.params as ParamsWithGrad).all.length;
      return k.multimax_backward(c[F.x], c[F.dy], c[F.y], c[F.dx], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.params], n >> 2, c[F.params] + 4 * n, log ? 1 : 0);
    },
    finish: (dx, v) => ({ dx, dParams: dParamsOf(v.params) }),
  });
}

/** A loss: x in (positional targets next), the gradient out (to `out`, with grad: true). */
const LOSS_OPTIONS = [TARGETS, MASK, IGNORE_INDEX, DLOSS, GRAD, LOSS];
const lossResult = (grad: unknown, v: Values) => ({ loss: v.loss as Float32Array, grad: v.grad ? grad : undefined, dParams: dParamsOf(v.params) });
const LOSS_ROW = { inputs: ["x"], positional: ["targets"], outputs: ["dx"], inPlace: false, validate: validateLoss, finish: lossResult, returns: (v: Values) => v.grad as boolean } as const;

function fyLoss(kind: Kind) {
  return (k: Kernels, c: Chunk, v: Values): number =>
    k.fy_loss(c[F.x], c[F.dx], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], kind, c[F.alpha], kind === Kind.Entmax ? stride(v.alpha) : 0,
      c[F.targets], c[F.dLoss], c[F.loss], v.ignoreIndex as number);
}
const TWO_ROWS = (C: number): number => 8 * C;

export const TRAIN_OPS = {
  /** softmax's backward from its output: dx = y ⊙ (dy − ⟨dy, y⟩) / T. */
  softmaxBackward: op<Backward<SoftmaxBackwardOptions>>({
    ...BACKWARD, kernels: ["softmax_backward"], options: [TEMPERATURE, MASK],
    run: (k, c, v) => k.softmax_backward(c[F.y], c[F.dy], c[F.dx], c[F.mask], c[F.rows], c[F.cols], v.temperature as number),
  }),
  /** log-softmax's backward from its output: dx = dy − exp(y) · Σ dy. */
  logSoftmaxBackward: op<Backward<MaskOptions>>({
    ...BACKWARD, kernels: ["log_softmax_backward"], options: [MASK],
    run: (k, c) => k.log_softmax_backward(c[F.y], c[F.dy], c[F.dx], c[F.mask], c[F.rows], c[F.cols]),
  }),
  /** MultiMax's backward: dx = φ'(x) ⊙ y ⊙ (dy − ⟨dy, y⟩), and the parameters' gradient. */
  multimaxBackward: multimaxBackward(false),
  /** log-MultiMax's backward: dx = φ'(x) ⊙ (dy − exp(y) · Σ dy), and the parameters' gradient. */
  logMultimaxBackward: multimaxBackward(true),
  /** sparsemax's backward from y alone: dx = dy − mean of dy over the support, on the support. */
  sparsemaxBackward: op<Backward<MaskOptions>>({ ...BACKWARD, kernels: ["sparse_backward"], options: [MASK], run: sparse(Kind.Sparsemax) }),
  /** 1.5-entmax's backward from y alone: g = √y, dx = g ⊙ (dy − ⟨dy, g⟩ / Σ g). */
  entmax15Backward: op<Backward<MaskOptions>>({ ...BACKWARD, kernels: ["sparse_backward"], options: [MASK], run: sparse(Kind.Entmax15) }),
  /** α-entmax's backward from y alone: g = y^(2−α) on the support, dx = g ⊙ (dy − ⟨dy, g⟩ / Σ g). */
  entmaxBackward: op<Backward<EntmaxBackwardOptions>>({ ...BACKWARD, kernels: ["sparse_backward"], options: [ALPHA_ENTMAX, MASK], run: sparse(Kind.Entmax) }),
  /** α-normmax's backward from y alone (the entmax package's NormmaxBisectFunction.backward). */
  normmaxBackward: op<Backward<NormmaxBackwardOptions>>({ ...BACKWARD, kernels: ["sparse_backward"], options: [ALPHA_NORMMAX, MASK], run: sparse(Kind.Normmax) }),
  /** ev-softmax's backward from y alone: softmax's (the mean threshold is locally constant). */
  evSoftmaxBackward: op<Backward<EvSoftmaxBackwardOptions>>({
    ...BACKWARD, kernels: ["softmax_backward"], options: [TRAINING, MASK],
    run: (k, c) => k.softmax_backward(c[F.y], c[F.dy], c[F.dx], c[F.mask], c[F.rows], c[F.cols], 1),
  }),
  /** The sparsemax loss (Fenchel–Young): (1 − ‖p‖²)/2 + ⟨p − e_t, x⟩, p = sparsemax(x). */
  sparsemaxLoss: op<Loss<LossOptions>>({ ...LOSS_ROW, kernels: ["fy_loss"], options: LOSS_OPTIONS, tmp: TWO_ROWS, run: fyLoss(Kind.Sparsemax) }),
  /** The 1.5-entmax loss: (1 − Σ p^1.5)/0.75 + ⟨p − e_t, x⟩, p = entmax15(x). */
  entmax15Loss: op<Loss<LossOptions>>({ ...LOSS_ROW, kernels: ["fy_loss"], options: LOSS_OPTIONS, tmp: TWO_ROWS, run: fyLoss(Kind.Entmax15) }),
  /** The α-entmax loss: (1 − Σ p^α)/(α(α − 1)) + ⟨p − e_t, x⟩, p = entmax(x, α). */
  entmaxLoss: op<Loss<EntmaxLossOptions>>({ ...LOSS_ROW, kernels: ["fy_loss"], options: [...LOSS_OPTIONS, ALPHA_ENTMAX], tmp: TWO_ROWS, run: fyLoss(Kind.Entmax) }),
  /** Cross-entropy −log p_target (label smoothing as PyTorch's) of p = softmax(x / T) or
   *  MultiMax softmax(φ(x) / T). */
  crossEntropy: op<Loss<CrossEntropyOptions>>({
    ...LOSS_ROW, kernels: ["cross_entropy"], options: [...LOSS_OPTIONS, NORMALIZER, PARAMS_CE, TEMPERATURE, LABEL_SMOOTHING],
    validate(v, call, hasOut) {
      if (v.normalizer === "multimax" && v.params === null) throw new TypeError(`${call.op}: options.params is required with normalizer "multimax"`);
      if (v.normalizer === "softmax" && v.params !== null) throw new TypeError(`params: crossEntropy takes params with normalizer "multimax" only`);
      validateLoss(v, call, hasOut);
    },
    run: (k, c, v) => {
      const w = v.params as ParamsWithGrad | null, n = w === null ? 0 : w.all.length;
      return k.cross_entropy(c[F.x], c[F.dx], c[F.mask], c[F.rows], c[F.cols], v.temperature as number, c[F.params], n >> 2, c[F.params] + 4 * n,
        c[F.targets], c[F.dLoss], c[F.loss], v.ignoreIndex as number, v.labelSmoothing as number);
    },
  }),
};
