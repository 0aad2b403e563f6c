// u8-rcountnz, scalar reference (twin: u8-rcountnz-wasmsimd-u16): the number of nonzero bytes in
// p[0..n) (a mask row's kept entries).
export function u8_rcountnz__scalar(p: usize, n: i32): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) k += i32(load<u8>(p + <usize>i) != 0);
  return k;
}
