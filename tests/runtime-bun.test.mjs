// Bun, against the packed and installed package: import "multimax-wasm" under the `bun` condition
// (dist/index.js), in a fresh process per run. No install: bun runs the driver in the project that
// npm installed into (--no-install: never auto-install). The binary is the one in the platform
// package (@oven/bun-<os>-<arch>/bin/bun): .ci/run installs with --ignore-scripts, and without
// its postinstall script the `bun` package's own bin is a stub that only prints an error.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bin, root, run } from "./runtimes/fixture.mjs";
import { assertReport, parseReport, prepare } from "./runtimes/prepare.mjs";

let fx, env;
before(() => {
  fx = prepare("multimax-rt-bun-");
  env = { BUN_INSTALL_CACHE_DIR: join(fx.dir, "bun-cache"), DO_NOT_TRACK: "1", NO_COLOR: "1",
    NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/", HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };
});
after(() => fx?.cleanup());

const platformBun = join(root, "node_modules", "@oven", `bun-${process.platform}-${process.arch}`, "bin", "bun");
const BUN = existsSync(platformBun) ? platformBun : bin("bun");
// Bun's JavaScriptCore validates and runs relaxed SIMD (Bun 1.4.5: WebAssembly.validate accepts
// f32x4.relaxed_madd), so init() loads the relaxed-SIMD build there too.
const BUN_LOADS = { default: "relaxed", module: "simd", plain: "simd", scalar: "scalar" };
const bun = (args) => run(BUN, ["--no-install", "driver.mjs", ...args], { cwd: fx.app, env, timeout: 60_000 });

test("Bun: import \"multimax-wasm\" -> dist/index.js via the bun condition; every load passes", async () => {
  const report = parseReport(await bun([]), "bun");
  assert.equal(report.runtime, "bun");
  assert.equal(report.condition, "bun", "Bun honours the bun condition (listed before node)");
  assert.match(report.entry, /\/app\/node_modules\/multimax-wasm\/dist\/index\.js$/);
  assertReport(report, { loads: BUN_LOADS, name: `bun ${report.version}` });
});

test("Bun: the inline entry passes too", async () => {
  const report = parseReport(await bun(["multimax-wasm/inline"]), "bun inline");
  assert.match(report.entry, /\/node_modules\/multimax-wasm\/dist\/inline\.js$/);
  assertReport(report, { loads: BUN_LOADS, name: `bun ${report.version} inline` });
});
