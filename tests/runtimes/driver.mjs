// Runs in Node.js, Deno or Bun, copied into the project where the packed multimax-wasm is
// installed (with check.js as check.mjs, the selection as selection.json and the cond-probe
// package beside it; see prepare() in runtime.mjs). Prints one JSON report on stdout.
//
//   <runtime> driver.mjs [specifier] [--no-module]
//
// specifier: "multimax-wasm" (default) or "multimax-wasm/inline". --no-module skips the
// precompiled-module load, which reads the .wasm file (for Deno without --allow-read).
import cases from "./selection.json" with { type: "json" };
import { checkLoads, coldOk, COLD_X } from "./check.mjs";

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const spec = args.find((a) => !a.startsWith("--")) ?? "multimax-wasm";
const runtime = globalThis.Deno ? "deno" : globalThis.Bun ? "bun" : "node";
const version = globalThis.Deno ? globalThis.Deno.version.deno : globalThis.Bun ? globalThis.Bun.version : process.versions.node;

// Cold start: the package is not loaded yet; time its import, init() and the first softmax.
const x = Float32Array.from(COLD_X);
const t0 = performance.now();
const lib = await import(spec);
const first = await lib.init();
const y = first.softmax(x);
const coldMs = performance.now() - t0;

async function wasmModule() {
  const { readFile } = await import("node:fs/promises");
  const buf = await readFile(new URL(import.meta.resolve("multimax-wasm/wasm")));
  return WebAssembly.compile(buf);
}

const loads = [["default", async () => first]];
if (!args.includes("--no-module")) loads.push(["module", async () => lib.init({ module: await wasmModule() })]);
loads.push(["plain", () => lib.init({ relaxed: false })], ["scalar", () => lib.init({ simd: false })]);

const report = {
  runtime, version, spec,
  entry: import.meta.resolve(spec), // the file the runtime's exports conditions chose
  condition: (await import("cond-probe")).default, // the first condition it honours, in our order
  coldMs, coldOk: coldOk(y),
  loads: await checkLoads(lib, cases, loads),
};
console.log(JSON.stringify(report));
