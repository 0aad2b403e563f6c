// The worker of tests/runtime-wrangler.test.mjs, as an edge-worker user writes it: bare imports
// that wrangler's bundler resolves (the `workerd` condition of "multimax-wasm", and .wasm files
// turned into compiled wasm modules), the selection as a JSON import.
//
//   GET /run -> { loads: { default, module, plain, scalar } } (check.js reports)
import * as lib from "multimax-wasm";
// (wrangler makes a wasm module of an import whose specifier ends in .wasm: hence this subpath,
// the same file as "multimax-wasm/wasm")
import wasmModule from "multimax-wasm/multimax.wasm";
import cases from "./selection.json";
import { checkLoads } from "./check.mjs";

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== "/run") return new Response("ok");
    const loads = await checkLoads(lib, cases, [
      ["default", () => lib.init()],
      ["module", () => lib.init({ module: wasmModule })],
      ["plain", () => lib.init({ relaxed: false })],
      ["scalar", () => lib.init({ simd: false })],
    ]);
    return new Response(JSON.stringify({ loads }), { headers: { "content-type": "application/json" } });
  },
};
