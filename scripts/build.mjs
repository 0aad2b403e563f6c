// Builds everything the package ships:
//   build/multimax.wasm (SIMD) and build/multimax-scalar.wasm   (asc, asconfig.json)
//   dist/index.js (ESM), dist/index.cjs (CommonJS)                 (esbuild)
//   dist/*.d.ts                                                    (tsc --emitDeclarationOnly)
// Usage: node scripts/build.mjs [--if-needed]   (--if-needed: skip when outputs are newer than sources)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const outputs = ["build/multimax.wasm", "build/multimax-scalar.wasm", "dist/index.js", "dist/index.cjs", "dist/index.d.ts"].map((p) => join(root, p));
const newest = (dir) => readdirSync(join(root, dir), { recursive: true }).map((f) => statSync(join(root, dir, String(f))).mtimeMs).reduce((a, b) => Math.max(a, b), 0);

if (process.argv.includes("--if-needed") && outputs.every(existsSync)) {
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const src = Math.max(newest("assembly"), newest("src"), statSync(join(root, "asconfig.json")).mtimeMs);
  if (built >= src) process.exit(0);
}

const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

for (const target of ["release", "scalar"]) run(bin("asc"), ["assembly/index.ts", "--config", "asconfig.json", "--target", target]);

// mangleProps: private members are named _x (src/engine.ts, src/heap.ts) and shortened; nothing
// outside the bundle reads them
const common = { entryPoints: [join(root, "src/index.ts")], bundle: true, minify: true, mangleProps: /^_/, target: "es2022", external: ["node:*"], logLevel: "warning" };
await esbuild.build({ ...common, format: "esm", outfile: join(root, "dist/index.js"), platform: "neutral" });
await esbuild.build({
  ...common,
  format: "cjs",
  outfile: join(root, "dist/index.cjs"),
  platform: "node",
  define: { "import.meta.url": "__multimax_url" },
  banner: { js: 'var __multimax_url=require("url").pathToFileURL(__filename).href;' },
});
run(bin("tsc"), ["-p", "tsconfig.json"]);
