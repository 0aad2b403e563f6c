// The workerd worker of tests/runtime-workerd.test.mjs (main module of the generated config.capnp,
// whose modules are: this file, check.mjs, selection.json, "multimax-wasm" (the package's workerd
// entry, dist/workerd.js, with the two builds beside it as wasm modules so that its imports
// "../build/*.wasm" resolve), "multimax-wasm/wasm" (build/multimax.wasm as a wasm module: what a
// bundler such as wrangler makes of `import m from "multimax-wasm/wasm"`), and
// "multimax-wasm/wasm-bytes" (the same file as a data module: an ArrayBuffer).
//
//   GET /ping  -> "ok" (readiness; loads nothing)
//   GET /cold  -> import("multimax-wasm"), init(), one softmax: { coldOk, simd, build }. Timed by the test,
//                 from outside: in a worker, clocks stand still while JavaScript runs.
//   GET /run   -> { loads: { default, module, plain, scalar }, bytes: { refused, error }, relaxedValidates }
import cases from "selection.json";
import wasmModule from "multimax-wasm/wasm";
import wasmBytes from "multimax-wasm/wasm-bytes";
import { buildOf, checkLoads, coldOk, COLD_X } from "check.mjs";

const describe = (e) => `${e && e.name}: ${e && e.message}`;

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    const json = (v) => new Response(JSON.stringify(v), { headers: { "content-type": "application/json" } });
    if (pathname === "/ping") return new Response("ok");
    if (pathname === "/cold") {
      const lib = await import("multimax-wasm");
      const engine = await lib.init();
      return json({ coldOk: coldOk(engine.softmax(Float32Array.from(COLD_X))), simd: engine.simd, build: buildOf(engine) });
    }
    if (pathname === "/run") {
      const lib = await import("multimax-wasm");
      const loads = await checkLoads(lib, cases, [
        ["default", () => lib.init()],
        ["module", () => lib.init({ module: wasmModule })],
        ["plain", () => lib.init({ relaxed: false })],
        ["scalar", () => lib.init({ simd: false })],
      ]);
      // Compiling bytes at run time: refused by workerd, which is why dist/workerd.js imports the
      // builds as modules instead of reading and compiling them.
      let bytes;
      try {
        const engine = await lib.init({ bytes: wasmBytes });
        bytes = { refused: false, simd: engine.simd };
      } catch (e) {
        bytes = { refused: true, error: describe(e) };
      }
      let compile;
      try {
        await WebAssembly.compile(wasmBytes);
        compile = { refused: false };
      } catch (e) {
        compile = { refused: true, error: describe(e) };
      }
      // what the loader's relaxed-SIMD probe sees here (= RELAXED_PROBE in src/load.ts)
      let relaxedValidates;
      try {
        relaxedValidates = WebAssembly.validate(Uint8Array.from(atob("AGFzbQEAAAABCAFgA3t7ewF7AwIBAAoNAQsAIAAgASAC/YUCCw=="), (c) => c.charCodeAt(0)));
      } catch (e) {
        relaxedValidates = describe(e);
      }
      return json({ loads, bytes, compile, byteLength: wasmBytes.byteLength, relaxedValidates });
    }
    return new Response("not found", { status: 404 });
  },
};
