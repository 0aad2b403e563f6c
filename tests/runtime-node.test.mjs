// Node.js, ESM (import "multimax-wasm": the `node` + `import` conditions, dist/index.js) and
// CommonJS (require: dist/index.cjs), against the packed and installed package, each in a fresh
// process: init(), init({ module }) from the bytes of multimax-wasm/wasm, init({ simd: false }).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { run } from "./runtimes/fixture.mjs";
import { assertReport, parseReport, prepare } from "./runtimes/prepare.mjs";

let fx;
before(() => { fx = prepare("multimax-rt-node-"); });
after(() => fx?.cleanup());

const LOADS = { default: true, module: true, scalar: false };

test("Node.js ESM: import \"multimax-wasm\" -> dist/index.js; every load passes the selection", async () => {
  const report = parseReport(await run(process.execPath, ["--no-warnings", "driver.mjs"], { cwd: fx.app, timeout: 60_000 }), "node esm");
  assert.equal(report.runtime, "node");
  assert.equal(report.condition, "node");
  assert.match(report.entry, /\/node_modules\/multimax-wasm\/dist\/index\.js$/);
  assertReport(report, { loads: LOADS, name: `node ${report.version} esm` });
});

test("Node.js CommonJS: require(\"multimax-wasm\") -> dist/index.cjs; every load passes the selection", async () => {
  const report = parseReport(await run(process.execPath, ["driver.cjs"], { cwd: fx.app, timeout: 60_000 }), "node cjs");
  assert.equal(report.runtime, "node-cjs");
  assert.equal(report.condition, "node");
  assert.match(report.entry, /\/node_modules\/multimax-wasm\/dist\/index\.cjs$/);
  assertReport(report, { loads: LOADS, name: `node ${report.version} cjs` });
});

test("Node.js: the inline entry (both builds embedded) passes too", async () => {
  const report = parseReport(await run(process.execPath, ["--no-warnings", "driver.mjs", "multimax-wasm/inline"], { cwd: fx.app, timeout: 60_000 }), "node inline");
  assert.match(report.entry, /\/node_modules\/multimax-wasm\/dist\/inline\.js$/);
  assertReport(report, { loads: LOADS, name: `node ${report.version} inline` });
});
