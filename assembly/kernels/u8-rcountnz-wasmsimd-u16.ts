// u8-rcountnz, wasm SIMD, 16 bytes per iteration (the zero bytes' compare masks, −1 each, widened
// pairwise into i32 lanes), then a scalar tail: equals the scalar twin.
import { hcount } from "../math/acc";

export function u8_rcountnz__wasmsimd_u16(p: usize, n: i32): i32 {
  const zero = i8x16.splat(0);
  let c = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) c = i32x4.add(c, i32x4.extadd_pairwise_i16x8_s(i16x8.extadd_pairwise_i8x16_s(i8x16.eq(v128.load(p + <usize>i), zero))));
  let k = i - hcount(c);
  for (; i < n; i++) k += i32(load<u8>(p + <usize>i) != 0);
  return k;
}
