// Packaging: `npm pack` gives a tarball that works when installed into a fresh project with no
// access to this repository's sources, from ESM and from CommonJS, and ships only what it should.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// The npm that runs this test (npm_execpath), not whatever `npm` comes first on PATH: under
// `npm test` that is node_modules/.bin/npm, an old npm that a devDependency pulls in.
const npm = (args, cwd) =>
  process.env.npm_execpath?.endsWith(".js")
    ? execFileSync(process.execPath, [process.env.npm_execpath, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    : execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

test("npm pack -> install in a fresh project -> ESM and CommonJS both compute", () => {
  const dir = mkdtempSync(join(tmpdir(), "multimax-pack-"));
  try {
    // --ignore-scripts: `npm test` has just built dist/ and build/ (prepack would rebuild them)
    const [info] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], root));
    const files = info.files.map((f) => f.path).sort();
    assert.deepEqual(files, [
      "README.md", "build/multimax-scalar.wasm", "build/multimax.wasm",
      "dist/describe.d.ts", "dist/engine.d.ts", "dist/heap.d.ts", "dist/index.cjs", "dist/index.d.ts", "dist/index.js", "dist/params.d.ts",
      "package.json",
    ], "tarball contents");
    const app = join(dir, "app");
    execFileSync("mkdir", [app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
    npm(["install", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, info.filename)], app);
    assert.ok(readdirSync(join(app, "node_modules", "multimax-wasm", "build")).includes("multimax.wasm"));
    const check = `
      const x = Float32Array.of(1, 0.9, -1);
      const y = mm.softmax(x), z = mm.multimax(x, { params: { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] } });
      console.log(JSON.stringify({ simd: mm.simd, y: Array.from(y), z: Array.from(z) }));`;
    writeFileSync(join(app, "esm.mjs"), `import { init } from "multimax-wasm"; const mm = await init(); ${check}`);
    writeFileSync(join(app, "cjs.cjs"), `const { init } = require("multimax-wasm"); init().then((mm) => { ${check} });`);
    const want = [0.49015459418296814, 0.4435102045536041, 0.06633520871400833];
    for (const script of ["esm.mjs", "cjs.cjs"]) {
      const out = JSON.parse(execFileSync(process.execPath, [script], { cwd: app, encoding: "utf8" }));
      assert.equal(out.simd, true, script);
      out.y.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-6, `${script} softmax[${i}] = ${v}`));
      assert.ok(Math.abs(out.z.reduce((a, b) => a + b) - 1) < 1e-6, `${script} multimax sums to 1`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
