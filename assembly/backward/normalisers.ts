// Backward passes of the normalisers computed from their output y alone (as the `entmax` package
// computes them): softmax (and ev-softmax), log-softmax, and the threshold maps (sparsemax,
// 1.5-entmax, α-entmax, α-normmax). (Stub: filled in by the kernels of this issue.)

export function softmax_backward_rows(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32, k: f32): i32 {
  unreachable();
  return 0;
}

export function log_softmax_backward_rows(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32): i32 {
  unreachable();
  return 0;
}

export function sparse_backward_rows(y: usize, dy: usize, dx: usize, mask: usize, rows: i32, cols: i32, kind: i32, alpha: usize, alphaStride: i32): i32 {
  unreachable();
  return 0;
}
