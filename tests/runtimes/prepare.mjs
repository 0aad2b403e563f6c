// Node.js side of the runtime tests: packs and installs multimax-wasm once per test file, puts the
// drivers beside it, and checks the JSON reports the drivers print.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packAndInstall, root } from "./fixture.mjs";
import { selectionJson } from "./select.mjs";

const here = join(root, "tests", "runtimes");

// The conditions of multimax-wasm's "." export, in its order: a probe package whose every
// condition names itself, so a driver can report the first condition its runtime honours.
const CONDITIONS = ["workerd", "worker", "deno", "bun", "browser", "node", "import", "require", "default"];

/**
 * packAndInstall(), then into the project: driver.mjs, driver.cjs, check.mjs (= check.js),
 * selection.json and node_modules/cond-probe. Returns the fixture ({ dir, app, pkg, cleanup, ... }).
 */
export function prepare(prefix) {
  const fx = packAndInstall(prefix);
  try {
    copyFileSync(join(here, "driver.mjs"), join(fx.app, "driver.mjs"));
    copyFileSync(join(here, "driver.cjs"), join(fx.app, "driver.cjs"));
    copyFileSync(join(here, "check.js"), join(fx.app, "check.mjs"));
    writeFileSync(join(fx.app, "selection.json"), selectionJson());
    const probe = join(fx.app, "node_modules", "cond-probe");
    mkdirSync(probe);
    writeFileSync(join(probe, "package.json"), JSON.stringify({
      name: "cond-probe", version: "1.0.0",
      exports: { ".": Object.fromEntries(CONDITIONS.map((c) => [c, `./${c}.cjs`])) },
    }));
    for (const c of CONDITIONS) writeFileSync(join(probe, `${c}.cjs`), `module.exports = ${JSON.stringify(c)};\n`);
    return fx;
  } catch (e) {
    fx.cleanup();
    throw e;
  }
}

/** The JSON report a driver printed (its last line of stdout); fails with its output if none. */
export function parseReport({ code, stdout, stderr }, what) {
  const line = stdout.trim().split("\n").pop();
  let report;
  try {
    report = JSON.parse(line);
  } catch {
    assert.fail(`${what}: exit code ${code}, no JSON report\nstdout: ${stdout.slice(-3000)}\nstderr: ${stderr.slice(-3000)}`);
  }
  assert.equal(code, 0, `${what}: exit code ${code}\nstderr: ${stderr.slice(-3000)}`);
  return report;
}

/**
 * Asserts one load's report: every case passed (engine methods and top-level functions), none
 * failed, and the engine runs the expected build: "relaxed" (relaxed SIMD), "simd" or "scalar".
 */
export function assertLoad(r, build, what) {
  const simd = build !== "scalar";
  assert.ok(r, `${what}: no report`);
  assert.deepEqual(r.failures, [], `${what}: failures`);
  assert.ok(r.total > 0, `${what}: total ${r.total}`);
  assert.equal(r.pass, r.total, `${what}: ${r.pass}/${r.total} passed`);
  assert.equal(r.fail, 0, `${what}: fail`);
  assert.equal(r.simd, simd, `${what}: simd`);
  assert.equal(r.build, build, `${what}: build (engine.relaxed ${r.relaxed})`);
}

/** Asserts a driver report: its loads, the cold start (result right, time under a sanity cap). */
export function assertReport(report, { loads, name }) {
  for (const [load, build] of Object.entries(loads)) assertLoad(report.loads[load], build, `${name} ${load}`);
  assert.deepEqual(Object.keys(report.loads).sort(), Object.keys(loads).sort(), `${name}: loads run`);
  assert.equal(report.coldOk, true, `${name}: cold-start softmax result`);
  assert.ok(report.coldMs > 0 && report.coldMs < 2000, `${name}: cold start ${report.coldMs} ms (sanity cap 2000 ms)`);
  const counts = Object.entries(report.loads).map(([k, r]) => `${k} ${r.pass}/${r.total} ${r.build}`).join(", ");
  console.log(`cold start ${name}: ${report.coldMs.toFixed(1)} ms; ${counts}`);
}
