// What MultiMax's backward drivers (multimax.ts, crossentropy.ts) share: the partial sums' area,
// their addition to the parameter gradients, and the float64 chain through φ for the rows the
// f32 kernels cannot finish (an overflow in f32, a −∞ target, non-finite inputs).

/** Orders the loader accepts (src/params.ts MAX_ORDER). */
// @ts-ignore: decorator
@inline export const MAX_ORDER = 32;

/** Two areas of per-row partial sums (f32-vmodbwd: 4·order f64x2 pairs each), owned here. */
export const SUMS: usize = memory.data(MAX_ORDER << 6, 16);
export const SUMS2: usize = memory.data(MAX_ORDER << 6, 16);

/** Adds the row sums at s1 and s2 (s2 may be 0) to grads, f64 [da, db, dc, dd] per order:
 *  da += S0, db += a·n·S1, dc += S2, dd −= c·n·S3 (f32-vmodbwd-scalar's layout). Adds nothing
 *  and returns false when a sum is not finite. */
export function addGrads(grads: usize, params: usize, order: i32, s1: usize, s2: usize): bool {
  for (let pass = 0; pass < 2; pass++) {
    for (let q = 0; q < order << 2; q++) {
      const p = <usize>q << 4;
      let v = load<f64>(s1 + p) + load<f64>(s1 + p, 8);
      if (s2 != 0) v += load<f64>(s2 + p) + load<f64>(s2 + p, 8);
      if (pass == 0) { if (v - v != 0) return false; continue; }
      const j = q >> 2, side = q & 3;
      if (side == 1) v *= <f64>load<f32>(params + (<usize>j << 4)) * <f64>(j + 1);
      else if (side == 3) v *= -<f64>load<f32>(params + (<usize>j << 4), 8) * <f64>(j + 1);
      const at = grads + (<usize>q << 3);
      store<f64>(at, load<f64>(at) + v);
    }
  }
  return true;
}

/** The number of orders left when trailing orders whose a and c are both 0 are dropped (as the
 *  forward's parameters are). */
export function effectiveOrder(params: usize, order: i32): i32 {
  while (order > 0) {
    const p = params + (<usize>(order - 1) << 4);
    if (load<f32>(p) != 0 || load<f32>(p, 8) != 0) break;
    order--;
  }
  return order;
}

function pown(l: f64, n: i32): f64 {
  let r: f64 = 1;
  for (let k = 0; k < n; k++) r *= l;
  return r;
}

/** φ(x) in float64, terms with a zero coefficient skipped; φ(−∞) = −∞. */
export function phi64(x: f64, params: usize, order: i32): f64 {
  if (x == -Infinity) return x;
  let z = x;
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4);
    const a = <f64>load<f32>(p), c = <f64>load<f32>(p, 8);
    const l = <f64>load<f32>(p, 4) - x, u = x - <f64>load<f32>(p, 12);
    if (a != 0 && l > 0) z += a * pown(l, j + 1);
    if (c != 0 && u > 0) z += c * pown(u, j + 1);
  }
  return z;
}

/** g·φ'(x) in float64 for a kept entry, its terms added to lane 0 of the pairs at sums (the
 *  layout of f32-vmodbwd-scalar); 0, adding nothing, when g = 0 (whatever x is). */
export function bwd64(x: f64, g: f64, params: usize, order: i32, sums: usize): f64 {
  if (g == 0) return 0;
  let d: f64 = 1;
  for (let j = 0; j < order; j++) {
    const p = params + (<usize>j << 4), q = sums + (<usize>j << 6), n = <f64>(j + 1);
    for (let side = 0; side < 2; side++) {
      const v = side == 0 ? <f64>load<f32>(p, 4) - x : x - <f64>load<f32>(p, 12);
      if (!(v > 0)) continue;
      const lp = pown(v, j), at = q + (<usize>side << 5);
      store<f64>(at, load<f64>(at) + g * lp * v);
      store<f64>(at, load<f64>(at, 16) + g * lp, 16);
      const coef = <f64>load<f32>(p + (<usize>side << 3)) * n;
      if (coef != 0) d += side == 0 ? -coef * lp : coef * lp;
    }
  }
  return g * d;
}
