// Packaging: `npm pack` gives a tarball that ships only what it should, whose `exports` map points
// at files that exist, and that works when installed into a fresh project with no access to this
// repository's sources, from ESM and from CommonJS (the golden selection of tests/runtimes). Also
// prints the cold start of each Node.js entry (import -> first result, fresh processes).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packAndInstall, run, root } from "./runtimes/fixture.mjs";
import { selectCases } from "./runtimes/select.mjs";

let fx; // { dir, app, pkg, files, cleanup }
before(() => {
  // packAndInstall: --ignore-scripts (`npm test` has just built dist/ and build/), fresh project
  fx = packAndInstall("multimax-pack-");
  // check.js is ESM syntax; the fresh project has no "type", so it goes in as .mjs
  copyFileSync(join(root, "tests/runtimes/check.js"), join(fx.app, "check.mjs"));
  writeFileSync(join(fx.app, "cases.json"), JSON.stringify(selectCases()));
});
after(() => fx?.cleanup());

const node = async (args, opts) => {
  const r = await run(process.execPath, args, { cwd: fx.app, timeout: 60_000, ...opts });
  assert.equal(r.code, 0, `node ${args.join(" ")} exited with ${r.code}\n${r.stderr.slice(-3000)}`);
  return r.stdout;
};

test("tarball: exactly the files it should ship", () => {
  assert.deepEqual(fx.files, [
    "LICENSE", "README.md", "build/multimax-relaxed.wasm", "build/multimax-scalar.wasm", "build/multimax.wasm",
    "dist/api.d.ts", "dist/attention-args.d.ts", "dist/attention.d.ts",
    "dist/browser.d.ts", "dist/browser.js", "dist/checks.d.ts",
    // CommonJS declarations ("type": "commonjs" scope) for TypeScript's node16 `require`
    "dist/cjs/api.d.ts", "dist/cjs/attention-args.d.ts", "dist/cjs/attention.d.ts", "dist/cjs/browser.d.ts", "dist/cjs/checks.d.ts", "dist/cjs/describe.d.ts", "dist/cjs/descriptor.d.ts", "dist/cjs/engine.d.ts",
    "dist/cjs/heap.d.ts", "dist/cjs/index.d.ts", "dist/cjs/inline.d.ts", "dist/cjs/layout.d.ts", "dist/cjs/load.d.ts",
    "dist/cjs/ops-train.d.ts", "dist/cjs/ops.d.ts", "dist/cjs/options-train.d.ts", "dist/cjs/options.d.ts", "dist/cjs/package.json", "dist/cjs/params.d.ts", "dist/cjs/stage.d.ts",
    "dist/cjs/state.d.ts", "dist/cjs/types.d.ts", "dist/cjs/workerd.d.ts",
    "dist/describe.d.ts", "dist/descriptor.d.ts", "dist/engine.d.ts", "dist/heap.d.ts",
    "dist/index.cjs", "dist/index.d.ts", "dist/index.js",
    "dist/inline.cjs", "dist/inline.d.ts", "dist/inline.js",
    "dist/layout.d.ts", "dist/load.d.ts", "dist/ops-train.d.ts", "dist/ops.d.ts", "dist/options-train.d.ts", "dist/options.d.ts", "dist/params.d.ts", "dist/stage.d.ts", "dist/state.d.ts", "dist/types.d.ts",
    "dist/wasm.d.ts", "dist/workerd.d.ts", "dist/workerd.js",
    "package.json",
  ], "tarball contents");
});

test("exports map: every subpath and condition points at a file of the installed package", async () => {
  const manifest = JSON.parse(readFileSync(join(fx.pkg, "package.json"), "utf8"));
  // every leaf of the map, with its subpath and condition path
  const leaves = [];
  const walk = (where, v) => {
    if (typeof v === "string") leaves.push([where, v]);
    else for (const [k, w] of Object.entries(v)) walk(`${where} ${k}`, w);
  };
  for (const [subpath, target] of Object.entries(manifest.exports)) walk(subpath, target);
  assert.ok(leaves.length >= 20, `${leaves.length} targets`);
  for (const [where, target] of leaves) {
    assert.ok(target.startsWith("./"), `${where}: ${target} is not relative to the package`);
    assert.ok(existsSync(join(fx.pkg, target)), `${where}: ${target} is not in the installed package`);
  }
  for (const field of ["main", "module", "types"]) assert.ok(existsSync(join(fx.pkg, manifest[field])), `${field}: ${manifest[field]}`);

  // Node.js's own resolver, from the fresh project: import and require of every subpath...
  const subpaths = Object.keys(manifest.exports).map((s) => "multimax-wasm" + s.slice(1));
  const resolve = `
    import { createRequire } from "node:module";
    import { fileURLToPath } from "node:url";
    const require = createRequire(import.meta.url), rel = (p) => p.slice(p.lastIndexOf("/multimax-wasm/") + 15);
    const out = {};
    for (const s of ${JSON.stringify(subpaths)}) out[s] = [rel(fileURLToPath(import.meta.resolve(s))), rel(require.resolve(s))];
    console.log(JSON.stringify(out));`;
  const byNode = JSON.parse(await node(["--input-type=module", "-e", resolve]));
  assert.deepEqual(byNode, {
    "multimax-wasm": ["dist/index.js", "dist/index.cjs"],
    "multimax-wasm/inline": ["dist/inline.js", "dist/inline.cjs"],
    "multimax-wasm/browser": ["dist/browser.js", "dist/browser.js"],
    "multimax-wasm/workerd": ["dist/workerd.js", "dist/workerd.js"],
    "multimax-wasm/wasm": ["build/multimax.wasm", "build/multimax.wasm"],
    "multimax-wasm/wasm-relaxed": ["build/multimax-relaxed.wasm", "build/multimax-relaxed.wasm"],
    "multimax-wasm/wasm-scalar": ["build/multimax-scalar.wasm", "build/multimax-scalar.wasm"],
    "multimax-wasm/multimax.wasm": ["build/multimax.wasm", "build/multimax.wasm"],
    "multimax-wasm/multimax-relaxed.wasm": ["build/multimax-relaxed.wasm", "build/multimax-relaxed.wasm"],
    "multimax-wasm/multimax-scalar.wasm": ["build/multimax-scalar.wasm", "build/multimax-scalar.wasm"],
    "multimax-wasm/package.json": ["package.json", "package.json"],
  });
  // ...and the runtime conditions of ".", as a runtime that sets them would resolve it (they
  // come before "node" in the map, so Node.js with --conditions picks them)
  const want = { workerd: "dist/workerd.js", worker: "dist/workerd.js", deno: "dist/index.js", bun: "dist/index.js", browser: "dist/browser.js" };
  const got = {};
  await Promise.all(Object.keys(want).map(async (c) => {
    got[c] = (await node([`--conditions=${c}`, "--input-type=module", "-e", `console.log(import.meta.resolve("multimax-wasm"))`])).trim().replace(/^.*\/multimax-wasm\//, "");
  }));
  assert.deepEqual(got, want);
});

test("ESM (SIMD and scalar) and CommonJS pass the golden selection", async () => {
  writeFileSync(join(fx.app, "esm.mjs"), `
    import { readFileSync } from "node:fs";
    import * as lib from "multimax-wasm";
    import { check } from "./check.mjs";
    const cases = JSON.parse(readFileSync("cases.json", "utf8"));
    const simd = check(lib, await lib.init(), cases);
    const scalar = check(lib, await lib.init({ simd: false }), cases);
    console.log(JSON.stringify({ simd, scalar }));`);
  writeFileSync(join(fx.app, "cjs.cjs"), `
    const { readFileSync } = require("node:fs");
    const lib = require("multimax-wasm");
    const cases = JSON.parse(readFileSync("cases.json", "utf8"));
    (async () => {
      const { check } = await import("./check.mjs");
      console.log(JSON.stringify({ simd: check(lib, await lib.init(), cases) }));
    })();`);
  const esm = JSON.parse(await node(["esm.mjs"]));
  const cjs = JSON.parse(await node(["cjs.cjs"]));
  for (const [name, r, simd] of [["ESM", esm.simd, true], ["ESM { simd: false }", esm.scalar, false], ["CommonJS", cjs.simd, true]]) {
    assert.equal(r.total, 144, `${name}: 72 cases × (engine, top level)`);
    assert.equal(r.pass, r.total, `${name}: ${r.fail} failures:\n${r.failures.join("\n")}`);
    assert.equal(r.simd, simd, `${name}: engine.simd`);
  }
});

// Cold start: in a fresh `node` process, from just before `await import(...)` to the first
// softmax result. Median of 5 processes per path; printed, with only a sanity cap asserted.
test("cold start in Node.js: import -> first softmax (median of 5 fresh processes)", async () => {
  const first = `const y = mm.softmax(Float32Array.of(1, 0.9, -1)); const t1 = performance.now(); if (!(Math.abs(y[0] - 0.4901546) < 1e-6)) throw new Error("wrong result " + y);`;
  const scripts = {
    "multimax-wasm": `
      const t0 = performance.now();
      const { init } = await import("multimax-wasm");
      const mm = await init();
      ${first}
      console.log(JSON.stringify({ total: t1 - t0 }));`,
    "multimax-wasm/inline": `
      const t0 = performance.now();
      const { init } = await import("multimax-wasm/inline");
      const mm = await init();
      ${first}
      console.log(JSON.stringify({ total: t1 - t0 }));`,
    // the bytes read and compiled by the caller, then init({ module }); the split shows what a
    // module compiled ahead of time (a worker's, a cache's) saves
    "init({ module })": `
      const t0 = performance.now();
      const [{ init }, { readFile }, { createRequire }] = await Promise.all([import("multimax-wasm"), import("node:fs/promises"), import("node:module")]);
      const bytes = await readFile(createRequire(import.meta.url).resolve("multimax-wasm/wasm"));
      const ta = performance.now();
      const module = await WebAssembly.compile(bytes);
      const tb = performance.now();
      const mm = await init({ module });
      ${first}
      console.log(JSON.stringify({ total: t1 - t0, compile: tb - ta, afterCompile: t1 - tb }));`,
  };
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const lines = [];
  for (const [name, src] of Object.entries(scripts)) {
    const file = join(fx.app, `cold-${name.replace(/\W+/g, "_")}.mjs`);
    writeFileSync(file, src);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(JSON.parse(await node([file])));
    const m = {};
    for (const k of Object.keys(runs[0])) m[k] = median(runs.map((r) => r[k]));
    lines.push(`  ${name.padEnd(22)} ${m.total.toFixed(1).padStart(6)} ms` +
      (m.compile !== undefined ? `   (WebAssembly.compile ${m.compile.toFixed(1)} ms, init({ module }) + first result ${m.afterCompile.toFixed(1)} ms)` : "") +
      `   runs: ${runs.map((r) => r.total.toFixed(1)).join(", ")}`);
    assert.ok(m.total < 2000, `${name}: median cold start ${m.total} ms`);
  }
  console.log(`cold start, Node.js ${process.version}, import -> first softmax, median of 5 fresh processes:\n${lines.join("\n")}`);
});
