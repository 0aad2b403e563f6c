// f32-gathergemv, scalar reference: c[0, nc) = Σ_t val[t]·B[idx[t]][0, nc) for t < m (B row-major
// with row stride ldb floats; m = 0 gives zeros), summed in float32 in t order. One query's p·V
// over the keys its sparse weights keep (x32-vcompactnz's list).
export function f32_gathergemv__scalar(m: i32, nc: i32, idx: usize, val: usize, b: usize, ldb: i32, c: usize): void {
  for (let n = 0; n < nc; n++) {
    let s: f32 = 0;
    for (let t = 0; t < m; t++) {
      const o = <usize>t << 2;
      s += load<f32>(val + o) * load<f32>(b + (<usize>(load<i32>(idx + o) * ldb + n) << 2));
    }
    store<f32>(c + (<usize>n << 2), s);
  }
}
