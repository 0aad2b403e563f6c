// The options of the backward passes and losses (ops-train.ts), each checked once by one spec as
// in options.ts: MultiMax's parameters with room for their gradient, the forward output y given
// as an option, and the losses' targets, per-row cotangents and per-row results.
import { checkNumber, fail, isArrayLike } from "./describe.js";
import { sameLength } from "./layout.js";
import { own, region, spec, type CallInfo, type OptionSpec } from "./options.js";
import { allRecords, MultimaxParams, PARAM_FORMS, paramsGrad, prepareParams, type ParamsGrad } from "./params.js";

/** MultiMax parameters, every order's record as given (allRecords), and the float64 sums of
 *  their gradient, [da, db, dc, dd] per order. */
export interface ParamsWithGrad {
  p: MultimaxParams;
  all: Float32Array;
  g: Float64Array;
}

/** Records, then the gradient's float64 accumulators (every order given, see params.ts allRecords). */
function paramsSpec(required: boolean): OptionSpec<ParamsWithGrad | null> {
  return spec({
    key: "params",
    required: required || undefined,
    check(v, call) {
      if (v === undefined) {
        if (required) throw new TypeError(`${call.op}: options.params is required (${PARAM_FORMS})`);
        return null;
      }
      const p = prepareParams(v), all = allRecords(p);
      return { p, all, g: new Float64Array(all.length) };
    },
    region: (w, C, r) => w !== null && region(r, 0, w === undefined ? 48 * 32 : 12 * w.all.length),
    write(w, m, at) {
      const rec = w!.all, f32 = m.f32, f64 = m.f64, a = at / 4, g = (at + 4 * rec.length) / 8;
      for (let i = 0; i < rec.length; i++) { f32[a + i] = rec[i]; f64[g + i] = 0; } // (written once, with the first chunk)
    },
    read(w, m, at) {
      const g = w!.g, f64 = m.f64, a = (at + 4 * g.length) / 8;
      for (let i = 0; i < g.length; i++) g[i] = f64[a + i]; // (the kernels add up across chunks)
    },
  });
}

/** params of multimaxBackward / logMultimaxBackward (required). */
export const PARAMS_GRAD = paramsSpec(true);
/** params of crossEntropy (with normalizer "multimax" only). */
export const PARAMS_CE = paramsSpec(false);
/** The gradient of the parameters in their form (undefined without parameters). */
export const dParamsOf = (w: unknown): ParamsGrad | undefined => (w == null ? undefined : paramsGrad((w as ParamsWithGrad).p, (w as ParamsWithGrad).g));

/** y of the MultiMax backward passes: the forward's output, a row array read in x's layout (the
 *  engine stages it as an input: see RowOp.optional); absent: the forward is recomputed. */
export const Y: OptionSpec<unknown> = spec({ key: "y", nullAbsent: true, check: (v) => (v == null ? null : v) });

const INT32 = (v: number): boolean => Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff;

/** targets: one class index per row (a position along the normalised axis), as i32. Their range
 *  and the mask are checked by validateTargets, once every option is known. */
export const TARGETS: OptionSpec<Int32Array> = spec({
  key: "targets",
  check(v, call) {
    if (!isArrayLike(v)) fail("targets", "an Int32Array or an array of class indices, one per row", v);
    sameLength("targets", v, call.rows, "one class index per row");
    if (v instanceof Int32Array) return own(v, call.buffer);
    const t = new Int32Array(call.rows);
    for (let r = 0; r < t.length; r++) t[r] = checkNumber(v[r], `targets[${r}]`, "an integer class index", INT32);
    return t;
  },
  region: (p, C, r) => region(r, 4, 0),
  write(p, m, at, r0, r1) {
    m.i32.set(p.subarray(r0, r1), at / 4);
  },
});

/** ignoreIndex: the target of rows that count for nothing (loss 0, gradient 0); default −100. */
export const IGNORE_INDEX: OptionSpec<number> = spec({
  key: "ignoreIndex",
  check: (v) => (v === undefined ? -100 : checkNumber(v, "ignoreIndex", "an integer", INT32)),
});

/** dLoss: the cotangent of each row's loss (one finite number per row, or one for all; default 1). */
export const DLOSS: OptionSpec<number | Float32Array | null> = spec({
  key: "dLoss",
  check(v, call) {
    if (v === undefined) return null;
    if (typeof v === "number") return checkNumber(v, "dLoss", "a finite number, or one per row", Number.isFinite);
    if (!isArrayLike(v)) fail("dLoss", "a finite number, or an array of one per row", v);
    sameLength("dLoss", v, call.rows, "one value per row");
    const d = new Float32Array(call.rows);
    for (let r = 0; r < d.length; r++) d[r] = checkNumber(v[r], `dLoss[${r}]`, "a finite number", Number.isFinite);
    return d;
  },
  region: (p, C, r) => p !== null && region(r, 4, 0),
  write(p, m, at, r0, r1) {
    if (typeof p === "number") m.f32.fill(p, at / 4, at / 4 + r1 - r0);
    else m.f32.set(p!.subarray(r0, r1), at / 4);
  },
});

/** grad: whether a loss returns its gradient (default false). */
export const GRAD: OptionSpec<boolean> = spec({
  key: "grad",
  check(v) {
    if (v !== undefined && typeof v !== "boolean") fail("grad", "a boolean", v);
    return v === true;
  },
});

/** loss: where the per-row losses go (a Float32Array of one slot per row; default a new one). */
export const LOSS: OptionSpec<Float32Array> = spec({
  key: "loss",
  check(v, call) {
    if (v === undefined) return new Float32Array(call.rows);
    if (!(v instanceof Float32Array)) fail("loss", "a Float32Array of one slot per row", v);
    sameLength("loss", v, call.rows, "one slot per row");
    if (v.buffer === call.buffer) throw new TypeError("loss: expected a Float32Array outside the engine's memory (the call could detach a view of it)");
    return v;
  },
  region: (p, C, r) => region(r, 4, 0),
  read(p, m, at, r0, r1) {
    p.set(m.f32.subarray(at / 4, at / 4 + r1 - r0), r0);
  },
  empty: (p) => p.fill(0),
});

/** labelSmoothing ε of crossEntropy: a number in [0, 1], default 0 (as PyTorch's label_smoothing). */
export const LABEL_SMOOTHING: OptionSpec<number> = spec({
  key: "labelSmoothing",
  check: (v) => (v === undefined ? 0 : checkNumber(v, "labelSmoothing", "a number in [0, 1]", (e) => e >= 0 && e <= 1)),
});

/** normalizer of crossEntropy: "softmax" (default) or "multimax". */
export const NORMALIZER: OptionSpec<"softmax" | "multimax"> = spec({
  key: "normalizer",
  check(v) {
    if (v === undefined) return "softmax";
    if (v !== "softmax" && v !== "multimax") fail("normalizer", '"softmax" or "multimax"', v, typeof v === "string");
    return v;
  },
});

/** The checks of a loss across its options: `out` only with grad, and every target a column of
 *  its row (or ignoreIndex) that the mask keeps. */
export function validateLoss(v: Record<string, unknown>, call: CallInfo, hasOut: boolean): void {
  if (hasOut && !v.grad) throw new TypeError(`out: ${call.op} writes its gradient to out: give grad: true as well`);
  const t = v.targets as Int32Array, ignore = v.ignoreIndex as number, mask = v.mask as ArrayLike<unknown> | null;
  const { C, inner } = call;
  for (let r = 0; r < t.length; r++) {
    const c = t[r];
    if (c === ignore) continue;
    if (c < 0 || c >= C) throw new RangeError(`targets[${r}]: expected a class index in [0, ${C}) or ignoreIndex (${ignore}), got ${c}`);
    const o = (r / inner) | 0, j = r - o * inner;
    if (mask !== null && !mask[o * C * inner + c * inner + j]) throw new RangeError(`targets[${r}]: class ${c} is masked out in row ${r}`);
  }
}
