// workerd (node_modules/.bin/workerd serve), against the packed and installed package. The test
// writes a config.capnp into the project: one worker (tests/runtimes/worker.mjs) whose modules
// are the package's workerd entry (found through its exports map under wrangler's conditions, and
// named so that the entry's imports "../build/*.wasm" resolve to the shipped builds, imported as
// compiled wasm modules), check.mjs and the selection. workerd's V8 has relaxed SIMD: init() loads
// the relaxed-SIMD build, { relaxed: false } the plain SIMD build. A socket on 127.0.0.1 at a free port; the
// server is stopped in `finally`, the project removed `after`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, freePort, root, start } from "./runtimes/fixture.mjs";
import { assertLoad, prepare } from "./runtimes/prepare.mjs";

let fx;
before(() => { fx = prepare("multimax-rt-workerd-"); });
after(() => fx?.cleanup());

const COMPAT_DATE = "2025-01-01";
const PKG = "node_modules/multimax-wasm";

/** The file an exports map gives for `subpath` under `conditions` (first matching key wins). */
function resolveExports(exportsMap, subpath, conditions) {
  let target = exportsMap[subpath];
  while (target && typeof target === "object") {
    const key = Object.keys(target).find((k) => conditions.includes(k));
    target = key === undefined ? undefined : target[key];
  }
  return target;
}

const str = (s) => JSON.stringify(s); // a JSON string is a valid Cap'n Proto text literal here

function config(port, entry) {
  const mod = (name, kind, value) => `(name = ${str(name)}, ${kind} = ${value})`;
  const modules = [
    mod("worker.mjs", "esModule", `embed "worker.mjs"`),
    mod("check.mjs", "esModule", `embed "check.mjs"`),
    mod("selection.json", "json", `embed "selection.json"`),
    // "multimax-wasm": the package's entry, re-exported from its place in node_modules
    mod("multimax-wasm", "esModule", str(`export * from "${PKG}/${entry}";\n`)),
    mod(`${PKG}/${entry}`, "esModule", `embed ${str(`${PKG}/${entry}`)}`),
    mod(`${PKG}/build/multimax.wasm`, "wasm", `embed "${PKG}/build/multimax.wasm"`),
    mod(`${PKG}/build/multimax-relaxed.wasm`, "wasm", `embed "${PKG}/build/multimax-relaxed.wasm"`),
    mod(`${PKG}/build/multimax-scalar.wasm`, "wasm", `embed "${PKG}/build/multimax-scalar.wasm"`),
    mod("multimax-wasm/wasm", "wasm", `embed "${PKG}/build/multimax.wasm"`),
    mod("multimax-wasm/wasm-bytes", "data", `embed "${PKG}/build/multimax.wasm"`),
  ];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [
    ${modules.join(",\n    ")}
  ],
  compatibilityDate = "${COMPAT_DATE}",
);
`;
}

async function waitReady(base, server, ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(`${base}/ping`, { signal: AbortSignal.timeout(2000) });
      if (r.ok && (await r.text()) === "ok") return;
    } catch {}
    if (server.proc.exitCode !== null) assert.fail(`workerd exited with ${server.proc.exitCode}:\n${server.output()}`);
    if (Date.now() > until) assert.fail(`workerd did not answer on ${base} within ${ms} ms:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function getJson(url, server) {
  const r = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  const text = await r.text();
  assert.equal(r.status, 200, `${url}: HTTP ${r.status}: ${text.slice(0, 2000)}\n${server.output().slice(-3000)}`);
  return JSON.parse(text);
}

test("workerd: the workerd entry passes the selection (init() -> relaxed SIMD, init({ module }), init({ relaxed: false }), init({ simd: false })) and compiling bytes is refused", async () => {
  const pkgJson = JSON.parse(readFileSync(join(fx.pkg, "package.json"), "utf8"));
  const entry = resolveExports(pkgJson.exports, ".", ["workerd", "worker", "browser", "import", "default"]);
  assert.equal(entry, "./dist/workerd.js", "the workerd condition selects dist/workerd.js");
  copyFileSync(join(root, "tests", "runtimes", "worker.mjs"), join(fx.app, "worker.mjs"));
  const port = await freePort();
  writeFileSync(join(fx.app, "config.capnp"), config(port, entry.slice(2)));

  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const server = start(bin("workerd"), ["serve", "config.capnp"], { cwd: fx.app });
  try {
    await waitReady(base, server);
    const tReady = performance.now();
    const cold = await getJson(`${base}/cold`, server);
    const tCold = performance.now();
    assert.deepEqual(cold, { coldOk: true, simd: true, build: "relaxed" }, "first softmax after import + init(): the relaxed-SIMD build");

    const report = await getJson(`${base}/run`, server);
    assert.equal(report.relaxedValidates, true, "workerd validates the relaxed-SIMD probe");
    assertLoad(report.loads.default, "relaxed", "workerd default");
    assertLoad(report.loads.module, "simd", "workerd module");
    assertLoad(report.loads.plain, "simd", "workerd { relaxed: false }");
    assertLoad(report.loads.scalar, "scalar", "workerd scalar");
    assert.ok(report.byteLength > 0);
    assert.equal(report.bytes.refused, true, "init({ bytes }) must be refused in workerd");
    assert.match(report.bytes.error, /code generation disallowed/i);
    assert.equal(report.compile.refused, true, "WebAssembly.compile(bytes) must be refused in workerd");
    assert.match(report.compile.error, /code generation disallowed/i);

    const coldMs = tCold - tReady;
    assert.ok(coldMs < 2000, `cold start ${coldMs} ms (sanity cap 2000 ms)`);
    const counts = Object.entries(report.loads).map(([k, r]) => `${k} ${r.pass}/${r.total} ${r.build}`).join(", ");
    console.log(`cold start workerd: ${coldMs.toFixed(1)} ms (first request: import + init() + softmax, timed by the client; ` +
      `${(tCold - t0).toFixed(0)} ms from spawning workerd); ${counts}`);
    console.log(`workerd init({ bytes }): ${report.bytes.error}`);
  } finally {
    await server.stop();
  }
});
