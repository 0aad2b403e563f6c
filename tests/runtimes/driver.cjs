// The CommonJS driver for Node.js: require("multimax-wasm") (the `require` condition, so
// dist/index.cjs), otherwise as driver.mjs. Prints one JSON report on stdout.
const cases = require("./selection.json");

const x = Float32Array.of(1, 2, 3, -1); // = COLD_X in check.js (not loaded yet: it is ESM)
const t0 = performance.now();
const lib = require("multimax-wasm");

(async () => {
  const first = await lib.init();
  const y = first.softmax(x);
  const coldMs = performance.now() - t0;
  const { checkLoads, coldOk } = await import("./check.mjs");
  const wasmModule = () => WebAssembly.compile(require("node:fs").readFileSync(require.resolve("multimax-wasm/wasm")));
  const report = {
    runtime: "node-cjs", version: process.versions.node, spec: "multimax-wasm",
    entry: require("node:url").pathToFileURL(require.resolve("multimax-wasm")).href,
    condition: require("cond-probe"),
    coldMs, coldOk: coldOk(y),
    loads: await checkLoads(lib, cases, [
      ["default", async () => first],
      ["module", async () => lib.init({ module: await wasmModule() })],
      ["plain", () => lib.init({ relaxed: false })],
      ["scalar", () => lib.init({ simd: false })],
    ]),
  };
  console.log(JSON.stringify(report));
})().catch((e) => { console.error(e); process.exit(1); });
