// MultiMax parameters: validation and packing into the kernel's record format (one record of four
// float32 [a, b, c, d] per order n, see assembly/kernels/phi.ts):
//   φ(x) = x + Σ_n a_n·max(b_n − x, 0)^n + c_n·max(x − d_n, 0)^n
// Checkpoint form { ranges, ts } (the official code's tensors):  order 1 = [ts0, r0, ts1, r1],
// order 2 = [ts2, r2, ts3, r3]. Paper form { orders: [{ tb, b, td, d }, …] }: order n =
// [1 − tb, b, td − 1, d] (computed in float64, then rounded to float32 once).
// Trailing orders whose two coefficients are 0 are dropped: they add nothing, and an all-zero
// parameter set then runs the softmax path exactly (bitwise equal to softmax).

import { describe } from "./describe.js";

export type CheckpointParams = { ranges: ArrayLike<number>; ts: ArrayLike<number> };
export type PaperOrder = { tb: number; b: number; td: number; d: number };
export type PaperParams = { orders: ArrayLike<PaperOrder> };
export type RawParams = CheckpointParams | PaperParams;

export const MAX_ORDER = 32;

/** Parameters prepared once for the kernels; pass as `params` to skip validation in hot loops. */
export class MultimaxParams {
  /** Number of orders after trailing all-zero orders are dropped (0 = plain softmax). */
  readonly order: number;
  /** float32 records [a, b, c, d] per order. */
  readonly records: Float32Array;
  /** @internal */
  constructor(records: Float32Array) {
    let order = records.length >> 2;
    while (order > 0 && records[4 * order - 4] === 0 && records[4 * order - 2] === 0) order--;
    this.order = order;
    this.records = records.slice(0, 4 * order);
    Object.freeze(this);
  }
}

const EXPECTED =
  "expected { ranges: [r0, r1, r2, r3], ts: [t0, t1, t2, t3] } or { orders: [{ tb, b, td, d }, ...] }";

function finite(v: unknown, name: string): number {
  if (typeof v !== "number") throw new TypeError(`${name}: expected a finite number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${name}: expected a finite number, got ${v}`);
  return v;
}

/** The kernels use float32: a value that rounds to ±∞ there is out of range. */
function f32(v: number, name: string, what?: string): number {
  if (!Number.isFinite(Math.fround(v)))
    throw new RangeError(`${name}: ${what ? `${what} = ` : ""}${v} is outside the float32 range (|v| <= 3.4028234663852886e38)`);
  return v;
}

function four(v: unknown, name: string): ArrayLike<number> {
  if (v == null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number")
    throw new TypeError(`${name}: expected an array of 4 finite numbers, got ${describe(v)}`);
  const a = v as ArrayLike<number>;
  if (a.length !== 4) throw new RangeError(`${name}: expected 4 numbers, got ${a.length}`);
  return a;
}

/** Validates checkpoint-form or paper-form parameters and packs them for the kernels. */
export function prepareParams(p: unknown): MultimaxParams {
  if (p instanceof MultimaxParams) return p;
  if (p == null || typeof p !== "object") throw new TypeError(`params: ${EXPECTED}, got ${describe(p)}`);
  const o = p as Record<string, unknown>;
  if ("orders" in o) {
    const orders = o.orders as ArrayLike<PaperOrder>;
    if (orders == null || typeof orders !== "object" || typeof orders.length !== "number")
      throw new TypeError(`params.orders: expected an array of { tb, b, td, d }, got ${describe(orders)}`);
    if (orders.length < 1 || orders.length > MAX_ORDER)
      throw new RangeError(`params.orders: expected 1 to ${MAX_ORDER} orders, got ${orders.length}`);
    const rec = new Float32Array(4 * orders.length);
    for (let j = 0; j < orders.length; j++) {
      const e = orders[j] as unknown as Record<string, unknown>;
      const name = `params.orders[${j}]`;
      if (e == null || typeof e !== "object") throw new TypeError(`${name}: expected { tb, b, td, d }, got ${describe(e)}`);
      for (const k of ["tb", "b", "td", "d"]) if (!(k in e)) throw new TypeError(`${name}.${k}: missing (expected { tb, b, td, d })`);
      rec[4 * j] = f32(1 - finite(e.tb, `${name}.tb`), `${name}.tb`, "1 − tb");
      rec[4 * j + 1] = f32(finite(e.b, `${name}.b`), `${name}.b`);
      rec[4 * j + 2] = f32(finite(e.td, `${name}.td`) - 1, `${name}.td`, "td − 1");
      rec[4 * j + 3] = f32(finite(e.d, `${name}.d`), `${name}.d`);
    }
    return new MultimaxParams(rec);
  }
  if ("ranges" in o || "ts" in o) {
    const r = four(o.ranges, "params.ranges"), t = four(o.ts, "params.ts");
    for (let i = 0; i < 4; i++) { f32(finite(r[i], `params.ranges[${i}]`), `params.ranges[${i}]`); f32(finite(t[i], `params.ts[${i}]`), `params.ts[${i}]`); }
    return new MultimaxParams(Float32Array.of(t[0], r[0], t[1], r[1], t[2], r[2], t[3], r[3]));
  }
  throw new TypeError(`params: ${EXPECTED}, got an object with keys [${Object.keys(o).join(", ")}]`);
}
