// multimax-wasm in Chromium, as users get it: `npm pack`, installed into a fresh project, its files
// served over http://127.0.0.1 (file:// pages cannot load ES modules) with .wasm as
// application/wasm, and loaded by a page through an import map pointing "multimax-wasm" at the
// entry the exports map gives the `browser` condition (what a browser bundler picks).
//
//   1. the exports map: the `browser` condition resolves to dist/browser.js (read from the
//      installed package.json, and confirmed by esbuild's own resolver with platform "browser");
//   2. cold start on a fresh page load, from before `await import("multimax-wasm")` to the first
//      softmax result (printed; sanity cap only);
//   3. main thread: init() (the relaxed-SIMD build: Chromium's V8 has relaxed SIMD), init({ module })
//      with a module from WebAssembly.compileStreaming, init({ relaxed: false }) (the SIMD build),
//      init({ simd: false }), init({ url }) (application/wasm and application/octet-stream) and
//      init({ bytes }), each running the golden selection (tests/runtimes/check.js);
//   4. a dedicated module Web Worker: cold start, init(), a module compiled in the worker, a
//      module compiled by the page and posted to it, init({ relaxed: false }), init({ simd: false });
//   5. the automatic scalar fallback: Chromium launched with V8's --no-enable-sse4-1, under which
//      V8 reports no wasm SIMD (WebAssembly.validate rejects SIMD, relaxed SIMD too), so plain
//      init() must load the scalar build and still pass.
//
// One Chromium for 1-4 and one for 5, both headless with a fresh temporary profile; browser,
// server and temporary folders are stopped and removed in `finally`, also on failure.
//
// Needs Chromium: /usr/bin/chromium (Debian/Ubuntu: `apt-get install -y chromium`) or
// CHROMIUM_PATH. Without it the test is skipped with that reason, except under CI (CI=true),
// where it fails.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { freePort, packAndInstall, root } from "./runtimes/fixture.mjs";
import { selectionJson } from "./runtimes/select.mjs";
import { serve } from "../scripts/static-server.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const PKG_PATH = "/node_modules/multimax-wasm/";
const COLD_CAP_MS = 5000;
// V8 disables wasm SIMD on x64 CPUs without SSE4.1 (CpuFeatures::SupportsWasmSimd128); there is
// no longer a flag that turns SIMD itself off (--experimental-wasm-simd was removed when it shipped).
const NO_SIMD_FLAG = "--js-flags=--no-enable-sse4-1";

const missing = !existsSync(CHROMIUM) && !process.env.CI;

/** Resolves an exports target under the given conditions, in key order, as Node and bundlers do. */
function resolveExport(target, conditions) {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object" || Array.isArray(target)) return null;
  for (const [key, value] of Object.entries(target)) {
    if (key !== "default" && !conditions.includes(key)) continue;
    const r = resolveExport(value, conditions);
    if (r !== null) return r;
  }
  return null;
}

async function launch(profile, extraArgs = []) {
  // Playwright refuses --user-data-dir in args: a persistent context takes the folder instead.
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      ...extraArgs,
    ],
  });
}

/** A page whose console errors, uncaught errors and failed requests go to the test's output. */
async function openPage(context, t, label) {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") t.diagnostic(`[${label} console.${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => t.diagnostic(`[${label} page error] ${e.stack || e.message}`));
  page.on("requestfailed", (r) => t.diagnostic(`[${label} request failed] ${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) t.diagnostic(`[${label} HTTP ${r.status()}] ${r.url()}`);
  });
  return page;
}

/** build: "relaxed" (relaxed SIMD), "simd" or "scalar", the build the engine must run. */
function assertReport(r, build, where) {
  const detail = `${where}: ${r.fail} of ${r.total} failed:\n  ${r.failures.join("\n  ")}`;
  assert.ok(r.total >= 144, `${where}: only ${r.total} checks ran`); // 72 cases, engine + top level
  assert.equal(r.pass, r.total, detail);
  assert.equal(r.simd, build !== "scalar", `${where}: engine.simd`);
  assert.equal(r.relaxed, build === "relaxed", `${where}: engine.relaxed`);
}

function assertCold(cold, build, where) {
  assert.equal(cold.simd, build !== "scalar", `${where}: engine.simd`);
  assert.equal(cold.relaxed, build === "relaxed", `${where}: engine.relaxed`);
  const want = [0.09003057, 0.24472847, 0.66524096]; // softmax([1, 2, 3])
  cold.y.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `${where}: softmax[${i}] = ${v}`));
  assert.ok(cold.ms > 0 && cold.ms < COLD_CAP_MS, `${where}: cold start ${cold.ms} ms (cap ${COLD_CAP_MS} ms)`);
}

test("Chromium: the installed package's browser entry, in a page and in a Web Worker",
  { skip: missing && `no Chromium at ${CHROMIUM} (install it: apt-get install -y chromium, or set CHROMIUM_PATH)`, timeout: 90_000 },
  async (t) => {
    const installed = packAndInstall("multimax-chromium-");
    const profiles = [];
    const profile = () => {
      const p = mkdtempSync(join(tmpdir(), "multimax-chromium-profile-"));
      profiles.push(p);
      return p;
    };
    let server, context;
    try {
      // 1. what the `browser` condition gives, from the installed package.json
      const pkgJson = JSON.parse(readFileSync(join(installed.pkg, "package.json"), "utf8"));
      const dot = pkgJson.exports["."];
      assert.equal(resolveExport(dot.browser, ["browser", "import"]), "./dist/browser.js", 'exports["."].browser');
      const browserEntry = resolveExport(dot, ["browser", "import"]);
      assert.equal(browserEntry, "./dist/browser.js", "a browser bundler's conditions (browser, import, default) resolve to the browser entry");
      const wasmFile = resolveExport(pkgJson.exports["./wasm"], ["browser", "import"]);
      const scalarFile = resolveExport(pkgJson.exports["./wasm-scalar"], ["browser", "import"]);
      const relaxedFile = resolveExport(pkgJson.exports["./wasm-relaxed"], ["browser", "import"]);
      assert.deepEqual([wasmFile, scalarFile, relaxedFile], ["./build/multimax.wasm", "./build/multimax-scalar.wasm", "./build/multimax-relaxed.wasm"]);
      for (const f of [browserEntry, wasmFile, scalarFile, relaxedFile]) assert.ok(existsSync(join(installed.pkg, f)), `${f} is installed`);
      const esbuild = await import("esbuild");
      const built = await esbuild.build({
        stdin: { contents: 'import { init } from "multimax-wasm"; export { init };', resolveDir: installed.app },
        absWorkingDir: installed.app, bundle: true, write: false, platform: "browser", format: "esm", metafile: true, logLevel: "silent",
      });
      assert.deepEqual(Object.keys(built.metafile.inputs).filter((p) => p.includes("multimax-wasm")),
        ["node_modules/multimax-wasm/dist/browser.js"], "esbuild (platform browser) resolves multimax-wasm to dist/browser.js");

      const at = (file) => PKG_PATH + file.replace(/^\.\//, "");
      const config = (wasm) => ({
        entry: at(browserEntry), wasm, octet: "/octet/multimax.wasm",
        selection: "/selection.json", worker: "/browser/worker.js",
      });
      const page = (cfg) => `<!doctype html>
<meta charset="utf-8"><title>multimax-wasm in Chromium</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports: { "multimax-wasm": cfg.entry } })}</script>
<script>window.config = ${JSON.stringify(cfg)};</script>
<script type="module" src="/browser/page.js"></script>
`;
      const html = "text/html; charset=utf-8";
      server = await serve(await freePort(), {
        mounts: { [PKG_PATH]: installed.pkg, "/browser/": join(root, "tests", "runtimes", "browser") },
        routes: {
          "/check.js": { file: join(root, "tests", "runtimes", "check.js") },
          "/selection.json": { body: selectionJson(), type: "application/json" },
          "/octet/multimax.wasm": { file: join(installed.pkg, wasmFile), type: "application/octet-stream" },
          "/simd.html": { body: page(config(at(wasmFile))), type: html },
          "/scalar.html": { body: page(config(at(scalarFile))), type: html },
        },
      });
      const fetched = (from, file) => server.requests.slice(from).includes(at(file));

      context = await launch(profile());
      const p = await openPage(context, t, "page");

      // 2. cold start: the first load of a fresh profile, nothing cached (the server sends no-store)
      await t.test("cold start on a fresh page load", async () => {
        const mark = server.requests.length;
        await p.goto(server.url("/simd.html"));
        const cold = await p.evaluate(() => window.cold);
        console.log(`cold start chromium: ${cold.ms.toFixed(1)} ms (import + init() + first softmax, page)`);
        assert.equal(await p.evaluate(() => window.relaxedValidates()), true, "Chromium validates the relaxed-SIMD probe");
        assertCold(cold, "relaxed", "page cold start");
        assert.ok(fetched(mark, relaxedFile) && !fetched(mark, wasmFile) && !fetched(mark, scalarFile), "init() fetched the relaxed-SIMD build only");
      });

      // 3. every init path on the main thread
      for (const [path, build] of [["default", "relaxed"], ["module", "simd"], ["relaxed-false", "simd"], ["simd-false", "scalar"], ["url", "simd"], ["url-octet-stream", "simd"], ["bytes", "simd"]]) {
        await t.test(`main thread: init path "${path}" passes the golden selection`, async (st) => {
          const r = await p.evaluate((name) => window.runPath(name), path);
          st.diagnostic(`page ${path}: ${r.pass}/${r.total} pass, ${r.build}, ${r.ms} ms`);
          assertReport(r, build, `page ${path}`);
        });
      }

      // 4. a dedicated module worker
      await t.test("dedicated module Web Worker: cold start and init paths", async (st) => {
        const w = await p.evaluate(() => window.runWorker());
        console.log(`cold start chromium worker: ${w.cold.ms.toFixed(1)} ms (import + init() + first softmax, in a fresh worker)`);
        assertCold(w.cold, "relaxed", "worker cold start");
        const want = { default: "relaxed", "module (compiled in the worker)": "simd", "module (compiled by the page, posted)": "simd", "relaxed-false": "simd", "simd-false": "scalar" };
        assert.deepEqual(w.reports.map((r) => r.path), Object.keys(want));
        for (const r of w.reports) {
          st.diagnostic(`worker ${r.path}: ${r.pass}/${r.total} pass, ${r.build}, ${r.ms} ms`);
          assertReport(r, want[r.path], `worker ${r.path}`);
        }
      });
      await context.close();
      context = undefined;

      // 5. automatic scalar fallback where V8 has no wasm SIMD
      await t.test(`automatic scalar fallback (Chromium with ${NO_SIMD_FLAG})`, async (st) => {
        let ctx;
        try {
          ctx = await launch(profile(), [NO_SIMD_FLAG]);
          const q = await openPage(ctx, st, "no-SIMD page");
          const mark = server.requests.length;
          await q.goto(server.url("/scalar.html"));
          if (await q.evaluate(() => window.simdValidates())) {
            const why = `${NO_SIMD_FLAG} did not turn wasm SIMD off in this Chromium/V8 (WebAssembly.validate still accepts SIMD), so there is no runtime without SIMD to test the fallback in`;
            // in CI (CI=true, set by .ci/run) the fallback's only real-runtime proof must not vanish quietly
            if (process.env.CI === "true") assert.fail(why);
            st.skip(why);
            return;
          }
          const cold = await q.evaluate(() => window.cold);
          console.log(`cold start chromium without SIMD: ${cold.ms.toFixed(1)} ms (scalar build, page)`);
          assertCold(cold, "scalar", "no-SIMD cold start");
          assert.ok(fetched(mark, scalarFile) && !fetched(mark, wasmFile) && !fetched(mark, relaxedFile), "plain init() fetched the scalar build only");
          for (const path of ["default", "module", "url"]) { // module and url: the scalar build's URL
            const r = await q.evaluate((name) => window.runPath(name), path);
            st.diagnostic(`no-SIMD page ${path}: ${r.pass}/${r.total} pass, simd ${r.simd}`);
            assertReport(r, "scalar", `no-SIMD page ${path}`);
          }
          const forced = await q.evaluate(() => window.initSimdTrue());
          assert.equal(forced.name, "RangeError", `init({ simd: true }) without SIMD: ${JSON.stringify(forced)}`);
          assert.match(forced.message, /no SIMD support/);
          const w = await q.evaluate(() => window.runWorker());
          assertCold(w.cold, "scalar", "no-SIMD worker cold start");
          for (const r of w.reports) {
            st.diagnostic(`no-SIMD worker ${r.path}: ${r.pass}/${r.total} pass, simd ${r.simd}`);
            assertReport(r, "scalar", `no-SIMD worker ${r.path}`);
          }
        } finally {
          await ctx?.close();
        }
      });
    } finally {
      await context?.close();
      await server?.close();
      for (const p of profiles) rmSync(p, { recursive: true, force: true });
      installed.cleanup();
    }
  });
