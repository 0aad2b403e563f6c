// f32-rcountpos, scalar: the number of entries > 0 (the support of a probability row).

export function f32_rcountpos__scalar(x: usize, n: i32): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) k += i32(load<f32>(x + (<usize>i << 2)) > 0);
  return k;
}
