// Node.js, ESM (import "multimax-wasm": the `node` + `import` conditions, dist/index.js) and
// CommonJS (require: dist/index.cjs), against the packed and installed package, each in a fresh
// process: init(), init({ module }) from the bytes of multimax-wasm/wasm, init({ relaxed: false }),
// init({ simd: false }). Node.js 20 has relaxed SIMD only under --experimental-wasm-relaxed-simd:
// plain init() loads the SIMD build, and, run with that flag, the relaxed-SIMD build.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { relaxedNode, run } from "./runtimes/fixture.mjs";
import { assertReport, parseReport, prepare } from "./runtimes/prepare.mjs";

let fx;
before(() => { fx = prepare("multimax-rt-node-"); });
after(() => fx?.cleanup());

const relaxed = relaxedNode();
const LOADS = { default: relaxed.native ? "relaxed" : "simd", module: "simd", plain: "simd", scalar: "scalar" };

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

test("Node.js: the inline entry (the three builds embedded) passes too", async () => {
  const report = parseReport(await run(process.execPath, ["--no-warnings", "driver.mjs", "multimax-wasm/inline"], { cwd: fx.app, timeout: 60_000 }), "node inline");
  assert.match(report.entry, /\/node_modules\/multimax-wasm\/dist\/inline\.js$/);
  assertReport(report, { loads: LOADS, name: `node ${report.version} inline` });
});

test("Node.js with relaxed SIMD (--experimental-wasm-relaxed-simd on Node.js 20): init() loads the relaxed-SIMD build; every load passes",
  { skip: !relaxed.flags && process.env.CI !== "true" && `skipped: ${relaxed.reason}` }, async () => {
    assert.ok(relaxed.flags, relaxed.reason);
    const report = parseReport(await run(process.execPath, [...relaxed.flags, "--no-warnings", "driver.mjs"], { cwd: fx.app, timeout: 60_000 }), "node esm relaxed");
    assertReport(report, { loads: { ...LOADS, default: "relaxed" }, name: `node ${report.version} esm ${relaxed.flags.join(" ") || "(relaxed SIMD native)"}` });
  });
