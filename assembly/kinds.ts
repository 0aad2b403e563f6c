// The codes that select a variant: compile-time constants at the call sites of the templates
// (binaryen folds the branches on them, so each kernel keeps only its own path), or values read
// at run time by the drivers. `const enum`: members are inlined as i32 constants.

/** Power kind of a threshold map's search pass (K, of γ: F = Σ max(X − τ, 0)^γ, f32-rthresh) or
 *  output pass (E, of e: y = max(X − τ, 0)^e, f32-vthreshpow). Other integers (γ = 3, as normmax
 *  α = 1.5 gives) take the general power. */
export const enum Pow {
  /** Any power > 0: exp(γ·ln d) per entry. */
  General = 0,
  /** d: sparsemax (and normmax α = 2's output pass). */
  One = 1,
  /** d·d: 1.5-entmax, normmax α = 2's search. */
  Two = 2,
  /** (d·d)·(d·d): α-entmax α = 1.25. */
  Four = 4,
  /** Near-1 maps (α within 1/64 of 1): the unknown is s = τ + 1, and (1 + u)^γ is computed with
   *  ln(1 + u) from u = X − s. */
  Near1 = 5,
}

/** The φ of MultiMax's fast kernels (f32-vmodmax-*-wasmsimd-u8, templates/f32-vmodmax-wasmsimd-u8.ts). */
export const enum ModOrder {
  /** No modulation: the masked copy (z = x, −∞ where masked). */
  Copy = 0,
  /** Order 1, parameters splatted once. */
  One = 1,
  /** Order 2, parameters splatted once. */
  Two = 2,
  /** Order 1 or 2, read from `order` at run time (the order-2 parameters re-read per vector). */
  OneOrTwo = 4,
}

/** The threshold maps of the threshold row driver (threshold_rows). */
export const enum ThresholdMap {
  /** α-entmax at α = 2. */
  Sparsemax = 0,
  /** α-entmax at α = 1.5. */
  Entmax15 = 1,
  /** α-entmax, α per row. */
  Entmax = 2,
  /** α-normmax, α per row. */
  Normmax = 3,
}

/** Fused attention's normaliser over the key axis (its `normalizer` option; attention/rows.ts). */
export const enum Norm {
  Softmax = 0,
  Multimax = 1,
  /** 2..5: the threshold maps, ThresholdMap + 2 (sparsemax, 1.5-entmax, α-entmax, α-normmax). */
  Sparsemax = 2,
  Entmax15 = 3,
  Entmax = 4,
  Normmax = 5,
  EvSoftmax = 6,
}
