// The constants of a threshold map for one α (threshold/rows.ts, whose header has the table of
// the maps): with X = (x − m)·c, the map is y = max(X − τ, 0)^e (normalised by Σ y unless norm)
// where τ solves Σ max(X − τ, 0)^γ = 1.
import { Pow } from "../kinds";
import { MAP_CONSTANTS_BYTES, MapConstants } from "../records";

/** The power kind of an exponent: the integers with their own kernels, else the general power
 *  (γ = 3 takes the general power: rare, and it saves code). */
// @ts-ignore: decorator
@inline function intKind(v: f64): Pow {
  return v == 1 ? Pow.One : v == 2 ? Pow.Two : v == 4 ? Pow.Four : Pow.General;
}

/** The map's constants for α into P (records.ts MapConstants): kept across rows, recomputed only
 *  when α or the map changes (their float64 divisions would otherwise sit on every row's critical
 *  path). */
export function setup(P: MapConstants, normmax: bool, alpha: f64): void {
  if (offsetof<MapConstants>() > MAP_CONSTANTS_BYTES) ERROR("MapConstants outgrew its static data");
  let c: f64, gamma: f64, e: f64, norm = true;
  if (normmax) {
    c = 1; gamma = alpha / (alpha - 1); e = 1 / (alpha - 1);
  } else if (alpha == 2) {
    c = 1; gamma = 1; e = 1; norm = false;
  } else if (alpha == 1.5) {
    c = 0.5; gamma = 2; e = 2; norm = false;
  } else {
    c = alpha - 1; gamma = 1 / c; e = gamma;
    // (α − 1 beyond float32's range would make X = (x − m)·c NaN at the max: the limit is the
    // same, the max entries' equal shares)
    if (c > 3.4028234663852886e38) c = 3.4028234663852886e38;
  }
  P.alpha = alpha; P.normmax = normmax; P.norm = norm;
  P.c = c; P.gamma = gamma; P.e = e;
  P.K = intKind(gamma); P.E = intKind(e);
  P.eb = gamma >= 1 ? <f32>(1 / gamma) : 1;
}
