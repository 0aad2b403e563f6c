// x32-vcompactnz, scalar reference: the entries of x[0, n) that are not ±0, in order: their
// indices into idx (i32) and their values into val (f32); returns how many. A sparse
// normaliser's row of weights becomes the short list that its product with V needs (the zeros
// of sparsemax and entmax cost nothing there).
export function x32_vcompactnz__scalar(x: usize, n: i32, idx: usize, val: usize): i32 {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != 0) { store<i32>(idx + (<usize>k << 2), i); store<f32>(val + (<usize>k << 2), v); k++; }
  }
  return k;
}
