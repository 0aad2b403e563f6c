// MultiMax's parameters on the page: the paper form (two orders of { tb, b, td, d }, what the
// sliders set) and its checkpoint form { ranges, ts } (the official code's tensors; the text box).
// Order n adds (1 − tb)·max(b − x, 0)ⁿ + (td − 1)·max(x − d, 0)ⁿ, so
//   ts0 = 1 − tb₁, r0 = b₁, ts1 = td₁ − 1, r1 = d₁, ts2 = 1 − tb₂, r2 = b₂, ts3 = td₂ − 1, r3 = d₂.
// The library validates both forms (its TypeError/RangeError messages are shown as they are).

export interface Order { tb: number; b: number; td: number; d: number }
export type Checkpoint = { ranges: number[]; ts: number[] };
export type Orders = [Order, Order];

/** What the page opens with: below −0.25 the slope is 4 (small scores pushed down), above 0.25 it
 *  is 0.2 (large scores pulled together); order 2 is off (t = 1). */
export const DEFAULT_ORDERS: Orders = [{ tb: 4, b: -0.25, td: 0.2, d: 0.25 }, { tb: 1, b: 0, td: 1, d: 0 }];

export const copyOrders = (o: Orders): Orders => [{ ...o[0] }, { ...o[1] }];

/** The sliders of each order: legend, and [min, max] of each parameter (step 0.05). */
export const ORDER_SLIDERS: { legend: string; range: Record<keyof Order, [number, number]> }[] = [
  { legend: "order 1 (linear)", range: { tb: [-1, 6], b: [-4, 4], td: [-1, 3], d: [-4, 4] } },
  { legend: "order 2 (quadratic)", range: { tb: [-1, 3], b: [-4, 4], td: [-1, 3], d: [-4, 4] } },
];

/** The paper form the library takes. */
export const paperForm = (o: Orders) => ({ orders: o.map((x) => ({ ...x })) });

// the conversions are float64 sums: round to 12 digits so 1 − 0.3 shows as 0.7
const tidy = (v: number) => Number(v.toPrecision(12));

export function toCheckpoint(o: Orders) {
  return {
    ranges: [o[0].b, o[0].d, o[1].b, o[1].d],
    ts: [tidy(1 - o[0].tb), tidy(o[0].td - 1), tidy(1 - o[1].tb), tidy(o[1].td - 1)],
  };
}

/** Paper form of a checkpoint-form object (already validated by the library): where the sliders
 *  go, and what φ's plot draws (float64; the library gets the checkpoint object itself). */
export function fromCheckpoint(c: Checkpoint): Orders {
  const r = Array.from(c.ranges, Number), t = Array.from(c.ts, Number);
  return [
    { tb: tidy(1 - t[0]), b: r[0], td: tidy(1 + t[1]), d: r[1] },
    { tb: tidy(1 - t[2]), b: r[2], td: tidy(1 + t[3]), d: r[3] },
  ];
}

export const checkpointText = (o: Orders) => {
  const c = toCheckpoint(o);
  return `{ "ranges": [${c.ranges.join(", ")}],\n  "ts": [${c.ts.join(", ")}] }`;
};

/** φ(x) in float64, the paper form (what the kernels compute in float32). */
export function phi(x: number, o: Orders): number {
  let y = x;
  for (let n = 0; n < o.length; n++) {
    const { tb, b, td, d } = o[n];
    if (x < b) y += (1 - tb) * (b - x) ** (n + 1);
    if (x > d) y += (td - 1) * (x - d) ** (n + 1);
  }
  return y;
}

/** Whether order n (0-based) changes φ at all. */
export const active = (o: Order) => o.tb !== 1 || o.td !== 1;
