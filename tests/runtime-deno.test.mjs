// Deno (node_modules/.bin/deno), against the packed package installed in a project with a
// package.json: Deno resolves the bare "multimax-wasm" from its node_modules (manual mode: it
// installs nothing) under the `deno` condition. Offline: its own DENO_DIR, no remote imports, no
// lockfile, no update check, no prompts, and the registry and proxies pointed at a closed port.
// Deno 2's V8 has relaxed SIMD: init() loads the relaxed-SIMD build, { relaxed: false } the SIMD build.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { bin, run } from "./runtimes/fixture.mjs";
import { assertReport, parseReport, prepare } from "./runtimes/prepare.mjs";

let fx, env;
before(() => {
  fx = prepare("multimax-rt-deno-");
  env = {
    DENO_DIR: join(fx.dir, "deno-dir"), DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1",
    // nowhere to go: a registry or proxy request would fail at once (the test needs none)
    NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/", HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9",
  };
});
after(() => fx?.cleanup());

const OFFLINE = ["--no-remote", "--no-lock", "--no-prompt", "--node-modules-dir=manual"];
const deno = (flags, args) => run(bin("deno"), ["run", ...OFFLINE, ...flags, "driver.mjs", ...args], { cwd: fx.app, env, timeout: 60_000 });

test("Deno --allow-read=<project>: import \"multimax-wasm\" -> dist/index.js via the deno condition; every load passes", async () => {
  const report = parseReport(await deno([`--allow-read=${fx.app}`], []), "deno");
  assert.equal(report.runtime, "deno");
  assert.equal(report.condition, "deno", "Deno honours the deno condition (listed before node)");
  assert.match(report.entry, /\/app\/node_modules\/multimax-wasm\/dist\/index\.js$/);
  assertReport(report, { loads: { default: "relaxed", module: "simd", plain: "simd", scalar: "scalar" }, name: `deno ${report.version}` });
});

test("Deno with no permissions at all: multimax-wasm/inline passes (init(), init({ relaxed: false }), init({ simd: false }))", async () => {
  const report = parseReport(await deno([], ["multimax-wasm/inline", "--no-module"]), "deno inline");
  assert.match(report.entry, /\/node_modules\/multimax-wasm\/dist\/inline\.js$/);
  assertReport(report, { loads: { default: "relaxed", plain: "simd", scalar: "scalar" }, name: `deno ${report.version} inline, no permissions` });
});

test("Deno with no permissions: the default entry's init() is refused read access (why /inline exists)", async () => {
  const { code, stderr } = await deno([], []);
  assert.notEqual(code, 0);
  assert.match(stderr, /init: cannot read file:\/\/.*\/build\/multimax-relaxed\.wasm: .*read access/i); // (Deno has relaxed SIMD)
});
