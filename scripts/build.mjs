// Builds everything the package ships:
//   build/multimax.wasm (SIMD), build/multimax-relaxed.wasm (SIMD + relaxed-SIMD fused
//   multiply-add) and build/multimax-scalar.wasm                   (asc, asconfig.json)
//   dist/{index,browser,workerd,inline}.js (ESM), dist/{index,inline}.cjs (CommonJS)   (esbuild)
//   dist/*.d.ts                                                    (tsc --emitDeclarationOnly)
// Usage: node scripts/build.mjs [--if-needed] [--js]   (--if-needed: skip when outputs are newer than
// sources; --js: the loader only, with the wasm builds already in build/)
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const outputs = ["build/multimax.wasm", "build/multimax-relaxed.wasm", "build/multimax-scalar.wasm", "dist/index.js", "dist/index.cjs", "dist/browser.js", "dist/workerd.js", "dist/inline.js", "dist/inline.cjs", "dist/index.d.ts"].map((p) => join(root, p));
const newest = (dir) => readdirSync(join(root, dir), { recursive: true }).map((f) => statSync(join(root, dir, String(f))).mtimeMs).reduce((a, b) => Math.max(a, b), 0);

if (process.argv.includes("--if-needed") && outputs.every(existsSync)) {
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const src = Math.max(newest("assembly"), newest("src"), ...["asconfig.json", "tsconfig.json", "package.json", "scripts/build.mjs"].map((f) => statSync(join(root, f)).mtimeMs));
  if (built >= src) process.exit(0);
}

const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

if (!process.argv.includes("--js"))
  for (const target of ["release", "relaxed", "scalar"]) run(bin("asc"), ["assembly/index.ts", "--config", "asconfig.json", "--target", target]);

// One bundle per entry (each carries its own copy of the API: a user loads exactly one).
const entry = (name) => join(root, `src/${name}.ts`);
// mangleProps: private members are named _x (src/engine.ts, src/heap.ts) and shortened; nothing
// outside a bundle reads them
const common = { bundle: true, minify: true, mangleProps: /^_/, target: "es2022", external: ["node:*"], logLevel: "warning" };
// CommonJS: import.meta.url becomes the file's URL (index.cjs only: inline.cjs needs no location,
// and must not require("url"), so that browser bundles of require("multimax-wasm/inline") work);
// "use strict" leads the banner, or the bundle would run in sloppy mode
const cjs = { format: "cjs", platform: "node", banner: { js: '"use strict";' } };
const cjsUrl = { define: { "import.meta.url": "__multimax_url" }, banner: { js: '"use strict";var __multimax_url=require("url").pathToFileURL(__filename).href;' } };
await Promise.all([
  // node, deno, bun, default: reads ../build/*.wasm with node:fs (file:) or fetch
  esbuild.build({ ...common, entryPoints: [entry("index")], format: "esm", platform: "neutral", outfile: join(root, "dist/index.js") }),
  esbuild.build({ ...common, ...cjs, ...cjsUrl, entryPoints: [entry("index")], outfile: join(root, "dist/index.cjs") }),
  // browsers and Web Workers: fetch only
  esbuild.build({ ...common, entryPoints: [entry("browser")], format: "esm", platform: "browser", outfile: join(root, "dist/browser.js") }),
  // workerd: the .wasm files stay imports ("../build/*.wasm", the same path from dist/ as from src/)
  esbuild.build({ ...common, entryPoints: [entry("workerd")], format: "esm", platform: "neutral", external: ["*.wasm"], outfile: join(root, "dist/workerd.js") }),
  // inline: the three builds embedded as base64 text; init() decodes the one it loads
  esbuild.build({ ...common, entryPoints: [entry("inline")], format: "esm", platform: "neutral", loader: { ".wasm": "base64" }, outfile: join(root, "dist/inline.js") }),
  esbuild.build({ ...common, ...cjs, entryPoints: [entry("inline")], loader: { ".wasm": "base64" }, outfile: join(root, "dist/inline.cjs") }),
]);
run(bin("tsc"), ["-p", "tsconfig.json"]);
// Declarations: dist/*.d.ts are ES modules (the package is "type": "module"); CommonJS consumers
// (TypeScript's node16/nodenext `require`) get the same files under dist/cjs/, a "type":
// "commonjs" scope. The .wasm subpaths get dist/wasm.d.ts.
rmSync(join(root, "dist/wasm-subpath.d.ts"), { force: true });
copyFileSync(join(root, "src/wasm-subpath.d.ts"), join(root, "dist/wasm.d.ts"));
mkdirSync(join(root, "dist/cjs"), { recursive: true });
for (const f of readdirSync(join(root, "dist"))) if (f.endsWith(".d.ts") && f !== "wasm.d.ts") copyFileSync(join(root, "dist", f), join(root, "dist/cjs", f));
writeFileSync(join(root, "dist/cjs/package.json"), '{ "type": "commonjs" }\n');
