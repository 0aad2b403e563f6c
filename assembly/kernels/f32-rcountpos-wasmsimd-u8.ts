// f32-rcountpos, wasm SIMD: the number of entries > 0, 8 per iteration (compare masks are −1 per
// hit, summed in i32 lanes), then a 4-lane loop and a scalar tail. Equals the scalar twin.
import { hcount } from "../math/acc";

export function f32_rcountpos__wasmsimd_u8(x: usize, n: i32): i32 {
  const zero = f32x4.splat(0);
  let c0 = i32x4.splat(0), c1 = c0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = x + (<usize>i << 2);
    c0 = i32x4.add(c0, f32x4.gt(v128.load(p), zero));
    c1 = i32x4.add(c1, f32x4.gt(v128.load(p, 16), zero));
  }
  for (; i + 4 <= n; i += 4) c0 = i32x4.add(c0, f32x4.gt(v128.load(x + (<usize>i << 2)), zero));
  c0 = i32x4.add(c0, c1);
  let k = hcount(c0);
  for (; i < n; i++) k += i32(load<f32>(x + (<usize>i << 2)) > 0);
  return k;
}
