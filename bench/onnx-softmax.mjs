// A one-node ONNX model, Softmax over the last axis of a float32 [rows, cols] input with symbolic
// dimensions, built here so that the comparison needs no model file from elsewhere. Encoded with
// protobufjs from the subset of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto) that such a
// model uses; the field numbers are onnx.proto's.
import protobuf from "protobufjs";

const repeated = (type, id) => ({ rule: "repeated", type, id });
/** The onnx.proto subset the benchmark models use (this Softmax model and bench/onnx-attention.mjs's). */
export const onnx = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 }, producerName: { type: "string", id: 2 },
            graph: { type: "GraphProto", id: 7 }, opsetImport: repeated("OperatorSetIdProto", 8),
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
        GraphProto: {
          fields: {
            node: repeated("NodeProto", 1), name: { type: "string", id: 2 },
            input: repeated("ValueInfoProto", 11), output: repeated("ValueInfoProto", 12),
          },
        },
        NodeProto: {
          fields: {
            input: repeated("string", 1), output: repeated("string", 2), name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 }, attribute: repeated("AttributeProto", 5), domain: { type: "string", id: 7 },
          },
        },
        // type: 1 = FLOAT (field f), 2 = INT (field i), 7 = INTS (field ints)
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 }, f: { type: "float", id: 2 }, i: { type: "int64", id: 3 },
            ints: { rule: "repeated", type: "int64", id: 8, options: { packed: false } }, type: { type: "int32", id: 20 },
          },
        },
        ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: "Tensor", id: 1 } },
          nested: { Tensor: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } } },
        },
        TensorShapeProto: {
          fields: { dim: repeated("Dimension", 1) },
          nested: { Dimension: { fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 } } } },
        },
      },
    },
  },
});

/** The model's bytes: input "x" float32 [rows, cols] → Softmax(axis = −1, opset 13) → output "y". */
export function softmaxModel() {
  const Model = onnx.lookupType("onnx.ModelProto");
  const tensor = (name) => ({ name, type: { tensorType: { elemType: 1 /* FLOAT */, shape: { dim: [{ dimParam: "rows" }, { dimParam: "cols" }] } } } });
  return Model.encode(Model.create({
    irVersion: 8,
    producerName: "multimax-wasm bench",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "softmax",
      node: [{ input: ["x"], output: ["y"], name: "softmax", opType: "Softmax", attribute: [{ name: "axis", i: -1, type: 2 }] }],
      input: [tensor("x")],
      output: [tensor("y")],
    },
  })).finish();
}
