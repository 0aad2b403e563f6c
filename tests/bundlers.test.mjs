// Bundlers: the packed package, installed into a fresh project, bundled by esbuild the ways the
// README ("Bundlers") tells users to. Every bundle resolves "multimax-wasm" from that project's
// node_modules (absWorkingDir and nodePaths; its metafile must list no file outside the project),
// is written to another temporary folder, and runs there with the installed package moved away,
// so nothing can be read from the package directory at run time. Each run checks the golden
// selection of tests/runtimes (72 cases, through the engine and the top-level functions).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { packAndInstall, run, root } from "./runtimes/fixture.mjs";
import { selectCases } from "./runtimes/select.mjs";

let fx; // the fresh project: { dir, app, pkg, cleanup }
let out; // where bundles are written and run: <out>/bundles/*, <out>/cases.json, <out>/runner.mjs
before(() => {
  fx = packAndInstall("multimax-bundlers-");
  out = mkdtempSync(join(tmpdir(), "multimax-bundle-run-"));
  mkdirSync(join(out, "bundles"));
  copyFileSync(join(root, "tests/runtimes/check.js"), join(fx.app, "check.js")); // bundled into each driver
  writeFileSync(join(out, "cases.json"), JSON.stringify(selectCases()));
  // Hands the cases to the bundle (which may be a browser-platform bundle, without node:fs), then
  // runs it. Bundles live one level down, so `../build/multimax.wasm` relative to a bundle is
  // <out>/build/multimax.wasm, which never exists.
  writeFileSync(join(out, "runner.mjs"), `
    import { readFileSync } from "node:fs";
    globalThis.multimaxCases = JSON.parse(readFileSync(new URL("./cases.json", import.meta.url), "utf8"));
    await import(new URL(process.argv[2], import.meta.url).href);`);
});
after(() => {
  fx?.cleanup();
  if (out) rmSync(out, { recursive: true, force: true });
});

/** Writes `source` into the fresh project as `name` and bundles it with esbuild into <out>/bundles. */
async function bundle(name, source, options = {}) {
  writeFileSync(join(fx.app, name), source);
  const result = await esbuild.build({
    entryPoints: [join(fx.app, name)],
    bundle: true,
    absWorkingDir: fx.app,
    nodePaths: [join(fx.app, "node_modules")],
    outdir: join(out, "bundles"),
    write: true,
    metafile: true,
    logLevel: "silent",
    ...options,
  });
  assert.deepEqual(result.errors, [], `${name}: esbuild errors`);
  // everything bundled came from the fresh project (the package as installed, and the driver)
  for (const input of Object.keys(result.metafile.inputs)) {
    assert.ok(!isAbsolute(input) && !input.startsWith(".."), `${name}: bundled ${input}, outside the fresh project`);
  }
  return result;
}

/** The installed package moved out of node_modules while fn runs. */
async function withoutPackage(fn) {
  const away = join(fx.dir, "moved-away");
  renameSync(fx.pkg, away);
  try {
    return await fn();
  } finally {
    renameSync(away, fx.pkg);
  }
}

/** Runs bundles/<file> from <out> (through runner.mjs) and returns its JSON line. */
async function runBundle(file) {
  const r = await run(process.execPath, [join(out, "runner.mjs"), `./bundles/${file}`], { cwd: out, timeout: 60_000 });
  assert.equal(r.code, 0, `${file} exited with ${r.code}\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

function assertAllPass(name, report, simd = true) {
  assert.equal(report.total, 144, `${name}: 72 cases × (engine, top level)`);
  assert.equal(report.pass, report.total, `${name}: ${report.fail} failures:\n${report.failures.join("\n")}`);
  assert.equal(report.simd, simd, `${name}: engine.simd`);
}

const bundles = () => readdirSync(join(out, "bundles")).sort();

// The drivers are consumer code: the README snippet, plus check() on the golden selection.
const report = `console.log(JSON.stringify(check(lib, engine, globalThis.multimaxCases)));`;

test("default entry re-bundled: init() rejects, naming the missing file and pointing to the fix", async () => {
  await bundle("plain.mjs", `
    import * as lib from "multimax-wasm";
    let result;
    try {
      await lib.init();
      result = { ok: true };
    } catch (e) {
      let after;
      try { lib.softmax(Float32Array.of(1, 2)); } catch (e2) { after = e2.message; }
      result = { ok: false, name: e.name, message: e.message, after };
    }
    console.log(JSON.stringify(result));`, { platform: "node", format: "esm", outExtension: { ".js": ".mjs" } });
  const r = await withoutPackage(() => runBundle("plain.mjs"));
  assert.equal(r.ok, false, "init() should reject: the bundle has no wasm beside it");
  console.log(`re-bundled default entry, init() rejects with ${r.name}: ${r.message}`);
  const missing = pathToFileURL(join(out, "build", "multimax.wasm")).href;
  assert.ok(r.message.includes(missing), `names the file it looked for (${missing}): ${r.message}`);
  assert.match(r.message, /ENOENT|cannot read/, r.message);
  assert.ok(r.message.includes(`"multimax-wasm/inline"`), `points to the inline entry: ${r.message}`);
  assert.match(r.message, /init\(\{ url \}\) \/ init\(\{ bytes \}\)/, r.message);
  assert.match(r.message, /README "Bundlers"/, r.message);
  // and the top-level functions say why they cannot run
  assert.match(r.after, /^softmax: the engine is unusable because init\(\) failed \(init: cannot read /, r.after);
});

test('recipe 1: "multimax-wasm/inline" bundled (ESM for Node.js and for browsers, CommonJS) runs with the package gone', async () => {
  const esm = `
    import * as lib from "multimax-wasm/inline";
    import { check } from "./check.js";
    const engine = await lib.init();
    ${report}`;
  await bundle("inline-node.mjs", esm, { platform: "node", format: "esm", outExtension: { ".js": ".mjs" } });
  // platform browser: only the base64 decoder, Uint8Array and WebAssembly, so it runs in Node.js too
  const browser = await bundle("inline-browser.mjs", esm, { platform: "browser", format: "esm", outExtension: { ".js": ".mjs" } });
  assert.ok(Object.keys(browser.metafile.inputs).includes("node_modules/multimax-wasm/dist/inline.js"), "browser bundle took dist/inline.js");
  // a CommonJS consumer: require() picks dist/inline.cjs
  const cjs = await bundle("inline-cjs.cjs", `
    const lib = require("multimax-wasm/inline");
    const { check } = require("./check.js");
    lib.init().then((engine) => { ${report} });`, { platform: "node", format: "cjs", outExtension: { ".js": ".cjs" } });
  assert.ok(Object.keys(cjs.metafile.inputs).includes("node_modules/multimax-wasm/dist/inline.cjs"), "CommonJS bundle took dist/inline.cjs");
  // require() in a browser bundle (a TypeScript app compiled to CommonJS, then bundled for the
  // web): the `browser` condition of ./inline wins, and nothing requires a Node.js module
  const cjsWeb = await bundle("inline-cjs-browser.cjs", `
    const lib = require("multimax-wasm/inline");
    const { check } = require("./check.js");
    lib.init().then((engine) => { ${report} });`, { platform: "browser", format: "iife", outExtension: { ".js": ".cjs" } });
  assert.ok(Object.keys(cjsWeb.metafile.inputs).includes("node_modules/multimax-wasm/dist/inline.js"), "browser bundle of require() took dist/inline.js");
  for (const f of ["inline-node.mjs", "inline-browser.mjs", "inline-cjs.cjs", "inline-cjs-browser.cjs"]) {
    const code = readFileSync(join(out, "bundles", f), "utf8");
    assert.ok(!code.includes("multimax.wasm"), `${f} refers to no .wasm file`);
  }
  await withoutPackage(async () => {
    assertAllPass("inline, platform node, esm", await runBundle("inline-node.mjs"));
    assertAllPass("inline, platform browser, esm", await runBundle("inline-browser.mjs"));
    assertAllPass("inline, platform node, cjs", await runBundle("inline-cjs.cjs"));
    assertAllPass("inline, require() bundled for browsers (iife)", await runBundle("inline-cjs-browser.cjs"));
  });
});

test('recipe 2: "multimax-wasm/wasm" (and wasm-scalar) with the file loader, then init({ url })', async () => {
  await bundle("url.mjs", `
    import * as lib from "multimax-wasm";
    import wasmUrl from "multimax-wasm/wasm";
    import { check } from "./check.js";
    const engine = await lib.init({ url: new URL(wasmUrl, import.meta.url) });
    ${report}`, { platform: "node", format: "esm", loader: { ".wasm": "file" }, outExtension: { ".js": ".mjs" } });
  await bundle("url-scalar.mjs", `
    import * as lib from "multimax-wasm";
    import wasmUrl from "multimax-wasm/wasm-scalar";
    import { check } from "./check.js";
    const engine = await lib.init({ url: new URL(wasmUrl, import.meta.url) });
    ${report}`, { platform: "node", format: "esm", loader: { ".wasm": "file" }, outExtension: { ".js": ".mjs" } });
  // esbuild copied both builds next to the bundles (content-hashed names)
  const copied = bundles().filter((f) => f.endsWith(".wasm"));
  assert.equal(copied.length, 2, `copied wasm files: ${copied}`);
  assert.ok(copied.some((f) => /^multimax-[\w]+\.wasm$/.test(f)) && copied.some((f) => /^multimax-scalar-[\w]+\.wasm$/.test(f)), `${copied}`);
  await withoutPackage(async () => {
    assertAllPass("wasm via URL", await runBundle("url.mjs"), true);
    assertAllPass("wasm-scalar via URL", await runBundle("url-scalar.mjs"), false);
  });
});

test('recipe 3: "multimax-wasm/wasm" with the binary loader, then init({ bytes })', async () => {
  // target matters: with no target (esnext) esbuild 0.28 decodes with Uint8Array.fromBase64,
  // which Node.js 20 lacks; a target such as es2022 or node18 adds esbuild's own decoder
  await bundle("bytes.mjs", `
    import * as lib from "multimax-wasm";
    import bytes from "multimax-wasm/wasm";
    import { check } from "./check.js";
    const engine = await lib.init({ bytes });
    ${report}`, { platform: "node", format: "esm", target: "es2022", loader: { ".wasm": "binary" }, outExtension: { ".js": ".mjs" } });
  assert.ok(!bundles().some((f) => f.startsWith("bytes") && f.endsWith(".wasm")), "binary loader: no separate file");
  await withoutPackage(async () => assertAllPass("bytes via binary loader", await runBundle("bytes.mjs")));
});

test("default entry bundled for browsers: builds, takes dist/browser.js, no node: module", async () => {
  const r = await bundle("browser-main.mjs", `
    import { init, softmax } from "multimax-wasm";
    export { init, softmax };`, { platform: "browser", format: "esm", outExtension: { ".js": ".mjs" } });
  assert.deepEqual(r.warnings.map((w) => w.text), [], "esbuild warnings");
  assert.ok(Object.keys(r.metafile.inputs).includes("node_modules/multimax-wasm/dist/browser.js"), `inputs: ${Object.keys(r.metafile.inputs)}`);
  const code = readFileSync(join(out, "bundles", "browser-main.mjs"), "utf8");
  assert.ok(!code.includes("node:"), "no node: import in the browser bundle");
  assert.ok(code.includes("../build/multimax.wasm"), "fetches ../build/multimax.wasm relative to itself (a URL the user serves)");
});
