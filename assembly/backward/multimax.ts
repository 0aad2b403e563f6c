// MultiMax backward: the softmax VJP, then the chain through φ and the parameter gradients. (Stub.)

export function multimax_backward_rows(x: usize, dy: usize, y: usize, dx: usize, tmp: usize, mask: usize, rows: i32, cols: i32, params: usize, order: i32, grads: usize, log: bool): i32 {
  unreachable();
  return 0;
}
