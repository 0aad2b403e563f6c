// Cloudflare's wrangler (4.86, the last release that runs on Node.js 20) bundles a worker that
// imports the packed and installed package (`wrangler deploy --dry-run --outdir`: no account, no
// upload), and the bundle runs in workerd: wrangler picks the `workerd` entry and ships both .wasm
// builds as wasm modules, as the README says. workerd serves the bundle on 127.0.0.1 at a free port
// (config generated from wrangler's output); stopped in `finally`, the project removed `after`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, freePort, root, run, start } from "./runtimes/fixture.mjs";
import { assertLoad, prepare } from "./runtimes/prepare.mjs";

let fx;
before(() => { fx = prepare("multimax-rt-wrangler-"); });
after(() => fx?.cleanup());

test("wrangler bundles the workerd entry and the three .wasm builds as modules; the bundle passes the selection in workerd (init() -> relaxed SIMD)", async () => {
  copyFileSync(join(root, "tests", "runtimes", "wrangler-worker.mjs"), join(fx.app, "worker.mjs"));
  writeFileSync(join(fx.app, "wrangler.toml"), 'name = "multimax-wasm-test"\nmain = "worker.mjs"\ncompatibility_date = "2025-01-01"\n');
  const env = { CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: join(fx.dir, "wrangler-logs"), XDG_CONFIG_HOME: join(fx.dir, "config"),
    NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/", HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9" };
  const r = await run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "out"], { cwd: fx.app, env, timeout: 120_000 });
  assert.equal(r.code, 0, `wrangler failed:\n${r.stdout}\n${r.stderr}`);

  const out = join(fx.app, "out");
  const files = readdirSync(out);
  const simdWasm = files.find((f) => /-multimax\.wasm$/.test(f));
  const scalarWasm = files.find((f) => /-multimax-scalar\.wasm$/.test(f));
  const relaxedWasm = files.find((f) => /-multimax-relaxed\.wasm$/.test(f));
  assert.ok(simdWasm && scalarWasm && relaxedWasm && files.includes("worker.js"), `wrangler's output: ${files.join(", ")}`);
  assert.deepEqual(readFileSync(join(out, simdWasm)), readFileSync(join(fx.pkg, "build", "multimax.wasm")), "the SIMD build, unchanged");
  const sources = JSON.parse(readFileSync(join(out, "worker.js.map"), "utf8")).sources;
  assert.ok(sources.some((s) => s.endsWith("multimax-wasm/dist/workerd.js")), `the workerd entry was bundled: ${sources.join(", ")}`);
  const bundle = readFileSync(join(out, "worker.js"), "utf8");
  for (const w of [simdWasm, scalarWasm, relaxedWasm]) assert.ok(bundle.includes(`"./${w}"`), `worker.js imports ./${w}`);

  const port = await freePort();
  writeFileSync(join(out, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "./${simdWasm}", wasm = embed "${simdWasm}"),
    (name = "./${scalarWasm}", wasm = embed "${scalarWasm}"),
    (name = "./${relaxedWasm}", wasm = embed "${relaxedWasm}"),
  ],
  compatibilityDate = "2025-01-01",
);
`);
  const server = start(bin("workerd"), ["serve", "config.capnp"], { cwd: out });
  try {
    const base = `http://127.0.0.1:${port}`;
    const until = Date.now() + 20_000;
    for (;;) {
      try { if ((await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) })).ok) break; } catch {}
      if (server.proc.exitCode !== null) assert.fail(`workerd exited with ${server.proc.exitCode}:\n${server.output()}`);
      if (Date.now() > until) assert.fail(`workerd did not answer within 20 s:\n${server.output()}`);
      await new Promise((res) => setTimeout(res, 25));
    }
    const res = await fetch(`${base}/run`, { signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    assert.equal(res.status, 200, `${text.slice(0, 2000)}\n${server.output().slice(-3000)}`);
    const { loads } = JSON.parse(text);
    assertLoad(loads.default, "relaxed", "wrangler bundle default");
    assertLoad(loads.module, "simd", "wrangler bundle module");
    assertLoad(loads.plain, "simd", "wrangler bundle { relaxed: false }");
    assertLoad(loads.scalar, "scalar", "wrangler bundle scalar");
    console.log(`wrangler ${r.stdout.match(/wrangler (\d+\.\d+\.\d+)/)?.[1] ?? "?"} bundle in workerd: ` +
      Object.entries(loads).map(([k, l]) => `${k} ${l.pass}/${l.total} ${l.build}`).join(", "));
  } finally {
    await server.stop();
  }
});
