// Fenchel–Young losses of the threshold maps. (Stub.)

export function fy_loss_rows(x: usize, dx: usize, tmp: usize, mask: usize, rows: i32, cols: i32, kind: i32, alpha: usize, alphaStride: i32, targets: usize, dloss: usize, loss: usize, ignore: i32): i32 {
  unreachable();
  return 0;
}
