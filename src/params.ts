// MultiMax parameters: validation and packing into the kernel's record format (one record of four
// float32 [a, b, c, d] per order n, see assembly/math/phi.ts):
//   φ(x) = x + Σ_n a_n·max(b_n − x, 0)^n + c_n·max(x − d_n, 0)^n
// Checkpoint form { ranges, ts } (the official code's tensors):  order 1 = [ts0, r0, ts1, r1],
// order 2 = [ts2, r2, ts3, r3]. Paper form { orders: [{ tb, b, td, d }, …] }: order n =
// [1 − tb, b, td − 1, d] (computed in float64, then rounded to float32 once).
// Trailing orders whose two coefficients are 0 are dropped: they add nothing, and an all-zero
// parameter set then runs the softmax path exactly (bitwise equal to softmax).

import { checkNumber, fail, isArrayLike } from "./describe.js";

export type CheckpointParams = { ranges: ArrayLike<number>; ts: ArrayLike<number> };
export type PaperOrder = { tb: number; b: number; td: number; d: number };
export type PaperParams = { orders: ArrayLike<PaperOrder> };
export type RawParams = CheckpointParams | PaperParams;

export const MAX_ORDER = 32;

type Form = "paper" | "checkpoint";
/** What the backward passes need of parameters besides the forward's records, kept out of the
 *  object (which users print and compare): every order given, trailing zero orders included
 *  (their gradients are not 0), and the form they were given in (dParams comes back in it). */
const GIVEN = new WeakMap<MultimaxParams, { all: Float32Array; form: Form }>();
/** Every order's record [a, b, c, d] as given (float32, 4 per order). */
export const allRecords = (p: MultimaxParams): Float32Array => GIVEN.get(p)!.all;

/** Parameters prepared once for the kernels; pass as `params` to skip validation in hot loops. */
export class MultimaxParams {
  /** Number of orders after trailing all-zero orders are dropped (0 = plain softmax). */
  readonly order: number;
  /** float32 records [a, b, c, d] per order. */
  readonly records: Float32Array;
  /** @internal */
  constructor(records: Float32Array, form: Form) {
    let order = records.length >> 2;
    while (order > 0 && records[4 * order - 4] === 0 && records[4 * order - 2] === 0) order--;
    this.order = order;
    this.records = records.slice(0, 4 * order);
    GIVEN.set(this, { all: records, form });
    Object.freeze(this);
  }
}

/** The two forms, for error messages. */
export const PARAM_FORMS = "{ ranges, ts } or { orders }";
const ORDER = "{ tb, b, td, d }";

/** `coefficient`, the record entry computed from the finite number `v`, when it fits in float32
 *  (the kernels' type, where it would round to ±∞). */
function fit(v: number, coefficient: number, name: string): number {
  if (!Number.isFinite(Math.fround(coefficient))) fail(name, "a number in the float32 range", v, true);
  return coefficient;
}

function finite(v: unknown, name: string): number {
  return checkNumber(v, name, "a finite number", Number.isFinite);
}

/** A finite number that fits in float32. */
function coefficient(v: unknown, name: string): number {
  const x = finite(v, name);
  return fit(x, x, name);
}

function four(v: unknown, name: string): ArrayLike<unknown> {
  if (!isArrayLike(v)) fail(name, "an array of 4 finite numbers", v);
  if (v.length !== 4) fail(name, "4 numbers", v.length, true);
  return v;
}

/** Validates checkpoint-form or paper-form parameters and packs them for the kernels. */
export function prepareParams(p: unknown): MultimaxParams {
  if (p instanceof MultimaxParams) return p;
  if (p == null || typeof p !== "object") fail("params", PARAM_FORMS, p);
  const o = p as Record<string, unknown>;
  if ("orders" in o) {
    const orders = o.orders;
    if (!isArrayLike(orders)) fail("params.orders", `an array of ${ORDER}`, orders);
    if (orders.length < 1 || orders.length > MAX_ORDER) fail("params.orders", `1 to ${MAX_ORDER} orders`, orders.length, true);
    const rec = new Float32Array(4 * orders.length);
    for (let j = 0; j < orders.length; j++) {
      const e = orders[j] as Record<string, unknown>;
      const name = `params.orders[${j}]`;
      if (e == null || typeof e !== "object") fail(name, ORDER, e);
      const tb = finite(e.tb, `${name}.tb`);
      rec[4 * j] = fit(tb, 1 - tb, `${name}.tb`);
      rec[4 * j + 1] = coefficient(e.b, `${name}.b`);
      const td = finite(e.td, `${name}.td`);
      rec[4 * j + 2] = fit(td, td - 1, `${name}.td`);
      rec[4 * j + 3] = coefficient(e.d, `${name}.d`);
    }
    return new MultimaxParams(rec, "paper");
  }
  if ("ranges" in o || "ts" in o) {
    const r = four(o.ranges, "params.ranges"), t = four(o.ts, "params.ts");
    const rec = new Float32Array(8);
    // order 1 = [ts0, r0, ts1, r1], order 2 = [ts2, r2, ts3, r3]
    for (let i = 0; i < 4; i++) {
      rec[2 * i + 1] = coefficient(r[i], `params.ranges[${i}]`);
      rec[2 * i] = coefficient(t[i], `params.ts[${i}]`);
    }
    return new MultimaxParams(rec, "checkpoint");
  }
  throw new TypeError(`params: expected ${PARAM_FORMS}, got an object with keys [${Object.keys(o).join(", ")}]`);
}

/** The gradient of a loss with respect to MultiMax parameters, in the form they were given in. */
export type ParamsGrad = { ranges: number[]; ts: number[] } | { orders: PaperOrder[] };

/** Parameter gradients in the form of `p`, from the kernels' sums [da, db, dc, dd] per order
 *  (a = 1 − tb and c = td − 1 in the paper form: d/dtb = −d/da, d/dtd = d/dc). */
export function paramsGrad(p: MultimaxParams, g: Float64Array): ParamsGrad {
  if (GIVEN.get(p)!.form === "checkpoint") return { ranges: [g[1], g[3], g[5], g[7]], ts: [g[0], g[2], g[4], g[6]] };
  const orders: PaperOrder[] = [];
  for (let j = 0; j < g.length; j += 4) orders.push({ tb: 0 - g[j], b: g[j + 1], td: g[j + 2], d: g[j + 3] });
  return { orders };
}
