// ONNX models of scaled dot-product attention for bench/attention.mjs, built here (like
// bench/onnx-softmax.mjs) so that the comparison needs no model file from elsewhere. Encoded with
// protobufjs from the subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that these
// models use; the field numbers are onnx.proto's. Every tensor is float32 with fixed dimensions.
//
//   matmulModel   Q [B,H,Lq,D], K [B,H,Lk,D] or Kᵀ [B,H,D,Lk], V [B,H,Lk,Dv]:
//                 Mul(Q, scale) → MatMul(·, Kᵀ) (Kᵀ an input, or Transpose(K, perm [0,1,3,2])) →
//                 Softmax(axis −1) → MatMul(·, V) → Y [B,H,Lq,Dv]                        (opset 13)
//   mhaModel      com.microsoft MultiHeadAttention (onnxruntime's contrib op): query [B,Lq,H·D],
//                 key [B,Lk,H·D], value [B,Lk,H·Dv] (the layout it takes), attributes num_heads and
//                 scale → output [B,Lq,H·Dv]                            (opset 13 + com.microsoft 1)
//   attentionModel  ONNX Attention (opset 23): Q [B,H,Lq,D], K [B,H,Lk,D], V [B,H,Lk,Dv], attribute
//                 scale → Y [B,H,Lq,Dv]                                                   (opset 23)
//   matmul2dModel A [M,K] · B [K,N] → Y [M,N] (the peak-throughput reference line)           (opset 13)
import { onnx } from "./onnx-softmax.mjs"; // (the onnx.proto subset, shared)


const fAttr = (name, f) => ({ name, f, type: 1 });
const iAttr = (name, i) => ({ name, i, type: 2 });
const intsAttr = (name, ints) => ({ name, ints, type: 7 });
const tensor = (name, dims) => ({ name, type: { tensorType: { elemType: 1 /* FLOAT */, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });

function encode(name, opsets, nodes, inputs, outputs) {
  const Model = onnx.lookupType("onnx.ModelProto");
  return Model.encode(Model.create({
    irVersion: opsets.some((o) => o.domain === "" && o.version >= 21) ? 10 : 8,
    producerName: "multimax-wasm bench",
    opsetImport: opsets,
    graph: { name, node: nodes, input: inputs, output: outputs },
  })).finish();
}

/** Q·scale → MatMul with Kᵀ → Softmax(−1) → MatMul with V. kTransposed: the model takes Kᵀ as
 *  [B,H,D,Lk] (input "kt"); otherwise it takes K [B,H,Lk,D] (input "k") and transposes it itself.
 *  scaleScores: scale the scores (Lq·Lk values) instead of Q (Lq·D values). */
export function matmulModel({ B, H, Lq, Lk, D, Dv, scale, kTransposed, scaleScores = false }) {
  const nodes = [
    { output: ["c"], name: "scale", opType: "Constant", attribute: [fAttr("value_float", scale)] },
  ];
  const kIn = kTransposed ? tensor("kt", [B, H, D, Lk]) : tensor("k", [B, H, Lk, D]);
  if (!kTransposed) nodes.push({ input: ["k"], output: ["kt"], name: "transpose", opType: "Transpose", attribute: [intsAttr("perm", [0, 1, 3, 2])] });
  if (scaleScores) {
    nodes.push({ input: ["q", "kt"], output: ["s0"], name: "qk", opType: "MatMul" });
    nodes.push({ input: ["s0", "c"], output: ["s"], name: "mul", opType: "Mul" });
  } else {
    nodes.push({ input: ["q", "c"], output: ["qs"], name: "mul", opType: "Mul" });
    nodes.push({ input: ["qs", "kt"], output: ["s"], name: "qk", opType: "MatMul" });
  }
  nodes.push({ input: ["s"], output: ["p"], name: "softmax", opType: "Softmax", attribute: [iAttr("axis", -1)] });
  nodes.push({ input: ["p", "v"], output: ["y"], name: "pv", opType: "MatMul" });
  return encode("attention_matmul", [{ domain: "", version: 13 }], nodes,
    [tensor("q", [B, H, Lq, D]), kIn, tensor("v", [B, H, Lk, Dv])], [tensor("y", [B, H, Lq, Dv])]);
}

/** com.microsoft MultiHeadAttention on query [B,Lq,H·D], key [B,Lk,H·D], value [B,Lk,H·Dv]. */
export function mhaModel({ B, H, Lq, Lk, D, Dv, scale }) {
  const nodes = [{
    input: ["q", "k", "v"], output: ["y"], name: "mha", opType: "MultiHeadAttention", domain: "com.microsoft",
    attribute: [iAttr("num_heads", H), fAttr("scale", scale)],
  }];
  return encode("attention_mha", [{ domain: "", version: 13 }, { domain: "com.microsoft", version: 1 }], nodes,
    [tensor("q", [B, Lq, H * D]), tensor("k", [B, Lk, H * D]), tensor("v", [B, Lk, H * Dv])], [tensor("y", [B, Lq, H * Dv])]);
}

/** ONNX Attention (opset 23) on Q [B,H,Lq,D], K [B,H,Lk,D], V [B,H,Lk,Dv]. */
export function attentionModel({ B, H, Lq, Lk, D, Dv, scale }) {
  const nodes = [{ input: ["q", "k", "v"], output: ["y"], name: "attention", opType: "Attention", attribute: [fAttr("scale", scale)] }];
  return encode("attention_op23", [{ domain: "", version: 23 }], nodes,
    [tensor("q", [B, H, Lq, D]), tensor("k", [B, H, Lk, D]), tensor("v", [B, H, Lk, Dv])], [tensor("y", [B, H, Lq, Dv])]);
}

/** One MatMul of A [M,K] by B [K,N] (for the peak-throughput reference line). */
export function matmul2dModel(M, K, N) {
  return encode("matmul", [{ domain: "", version: 13 }], [{ input: ["a", "b"], output: ["y"], name: "matmul", opType: "MatMul" }],
    [tensor("a", [M, K]), tensor("b", [K, N])], [tensor("y", [M, N])]);
}
