// Shared helpers for the kernel and row-driver specs (not a spec itself: as-pect only compiles
// tests/assembly/**/*.spec.ts as entries, this file is imported by them).

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG: xorshift32 (Marsaglia), seeded per test so every run sees the same inputs.

let rngState: u32 = 0x9E3779B9;

export function seed(s: u32): void {
  rngState = s != 0 ? s : 0x9E3779B9;
}

export function nextU32(): u32 {
  let x = rngState;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  rngState = x;
  return x;
}

/** Uniform in [0, 1) with 24 random bits (exactly representable in f32). */
export function unit(): f32 {
  return <f32>(nextU32() >> 8) * reinterpret<f32>(0x33800000); // 2^-24
}

/** Uniform in [lo, hi]. */
export function uniform(lo: f32, hi: f32): f32 {
  return lo + (hi - lo) * unit();
}

// ---------------------------------------------------------------------------------------------
// Memory: 16-byte-aligned blocks from the runtime heap (or misaligned by a given number of
// bytes), with guard words right before and after [p, p + bytes) so that a kernel writing
// outside [0, n) is caught. The guard value depends on the block address (a finite number near
// 1.3), so an out-of-range store changes it even when it copies or rescales a neighbour's guard.
// All blocks of a test are released by releaseAll().

const GUARD_WORDS: i32 = 8; // 32 bytes of guard before and after each block

// @ts-ignore: decorator
@inline function guardValue(p: usize): u32 {
  return 0x3FA00000 | (<u32>(p >> 2) & 0xFFFFF);
}

const rawBlocks = new Array<usize>();

/** Block of `bytes` bytes (rounded up to 4) at 16-byte alignment + `misalign` bytes. */
export function alloc(bytes: i32, misalign: i32 = 0): usize {
  const words = (bytes + 3) >> 2;
  const raw = heap.alloc(<usize>((words + 2 * GUARD_WORDS) << 2) + 32);
  rawBlocks.push(raw);
  const p = ((raw + 15) & ~(<usize>15)) + (<usize>GUARD_WORDS << 2) + <usize>misalign;
  const g = guardValue(p);
  for (let i = 0; i < GUARD_WORDS; i++) {
    store<u32>(p - (<usize>(i + 1) << 2), g);
    store<u32>(p + (<usize>(words + i) << 2), g);
  }
  return p;
}

/** n floats, 16-byte aligned, or offset by `offFloats` floats. */
export function allocF32(n: i32, offFloats: i32 = 0): usize {
  return alloc(n << 2, offFloats << 2);
}

/** True when the guard words around a block from allocF32(n) (or alloc(4·n)) are intact. */
export function guardsIntact(p: usize, n: i32): bool {
  const g = guardValue(p);
  for (let i = 0; i < GUARD_WORDS; i++) {
    if (load<u32>(p - (<usize>(i + 1) << 2)) != g) return false;
    if (load<u32>(p + (<usize>(n + i) << 2)) != g) return false;
  }
  return true;
}

export function releaseAll(): void {
  for (let i = 0; i < rawBlocks.length; i++) heap.free(rawBlocks[i]);
  rawBlocks.length = 0;
}

// ---------------------------------------------------------------------------------------------
// f32 array access.

// @ts-ignore: decorator
@inline export function getf(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline export function setf(p: usize, i: i32, v: f32): void {
  store<f32>(p + (<usize>i << 2), v);
}
// @ts-ignore: decorator
@inline export function bitsf(p: usize, i: i32): u32 {
  return load<u32>(p + (<usize>i << 2));
}

export function fillUniform(p: usize, n: i32, lo: f32, hi: f32): void {
  for (let i = 0; i < n; i++) setf(p, i, uniform(lo, hi));
}

export function copyF32(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 2);
}

/** Index of the first element whose bits differ (NaN == NaN whatever the payload), or -1. */
export function firstBitMismatch(a: usize, b: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const x = bitsf(a, i), y = bitsf(b, i);
    if (x != y && !(isNaN(getf(a, i)) && isNaN(getf(b, i)))) return i;
  }
  return -1;
}

/** Same bits, or both NaN. */
export function sameF32(a: f32, b: f32): bool {
  return reinterpret<u32>(a) == reinterpret<u32>(b) || (isNaN(a) && isNaN(b));
}

export function hex(v: u32): string {
  return "0x" + v.toString(16);
}

export function describeF32(v: f32): string {
  return v.toString() + " (" + hex(reinterpret<u32>(v)) + ")";
}

/** Σ p[0..n) in f64. */
export function sumF64(p: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += <f64>getf(p, i);
  return s;
}

/** Row lengths exercised everywhere: every length 1..40, then large ones. */
export function testLengths(): i32[] {
  const a = new Array<i32>();
  for (let n = 1; n <= 40; n++) a.push(n);
  a.push(1000);
  a.push(4099);
  a.push(32000);
  return a;
}
