// The elementwise step of the softmax-family VJPs, fused into MultiMax's backward kernels
// (f32-vmodbwd-*): g, the gradient with respect to the logits z = φ(x), by mode, scalar and on
// four lanes (the same f32 operations in the same order, so the lanes equal the scalar values):
//   Soft:   g = y·(dy − s)   (softmax's VJP, s = Σ dy·y)
//   Log:    g = dy − y·s     (log-softmax's VJP with y = exp(log y) = p, s = Σ dy)
//   Affine: g = y·s + t      (dy unused: cross-entropy, y = exp(z − m), s = k·dl/Σ, t = −k·dl·ε/K)
import { loadMaskPartRepeat, loadPart } from "./tail";

export const enum VjpMode { Soft = 0, Log = 1, Affine = 2 }

/** g at byte offset o. */
// @ts-ignore: decorator
@inline export function vjpf(mode: i32, dy: usize, y: usize, o: usize, s: f32, t: f32): f32 {
  const yi = load<f32>(y + o);
  if (mode == VjpMode.Soft) return yi * (load<f32>(dy + o) - s);
  if (mode == VjpMode.Log) return load<f32>(dy + o) - yi * s;
  return yi * s + t;
}

/** g on the four (or r < 4: the lanes past the end from 0) lanes at byte offset o. */
// @ts-ignore: decorator
@inline export function vjpv(mode: i32, dy: usize, y: usize, o: usize, r: i32, s: v128, t: f32, zero: v128): v128 {
  const yv = loadPart(y + o, r, zero);
  if (mode == VjpMode.Soft) return f32x4.mul(yv, f32x4.sub(loadPart(dy + o, r, zero), s));
  if (mode == VjpMode.Log) return f32x4.sub(loadPart(dy + o, r, zero), f32x4.mul(yv, s));
  return f32x4.add(f32x4.mul(yv, s), f32x4.splat(t)); // (t splatted here: no register held for it)
}

/** The kept lanes (all bits set) of xv, the vector of element i (r elements left; the lanes past
 *  the end loaded as −∞): x ≠ −∞, and mask byte ≠ 0 when a mask is given. */
// @ts-ignore: decorator
@inline export function keepv(xv: v128, mask: usize, i: i32, r: i32, ninf: v128, zero: v128): v128 {
  const k = f32x4.ne(xv, ninf);
  return mask != 0 ? v128.and(k, i32x4.ne(loadMaskPartRepeat(mask + <usize>i, r), zero)) : k;
}
