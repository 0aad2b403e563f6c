// The interactive demo page (demo/web/): builds it into demo/dist/ as static files, and serves it.
//
//   node scripts/demo-web.mjs            build demo/dist/            (npm run demo:build)
//   node scripts/demo-web.mjs --serve    build, then serve it on http://127.0.0.1:$PORT/ (default
//                                        8080) until Ctrl-C            (npm run demo:web)
//
// The page imports "multimax-wasm" as a user's page does: esbuild (platform "browser") resolves the
// package's own name through its exports map to dist/browser.js, which fetches the wasm from
// ../build/ relative to itself. So the bundle goes to demo/dist/js/ and the three builds to
// demo/dist/build/: the page then works from any folder of any static host, and offline.
// Expects the package built (npm run build; the npm scripts run it when needed).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "demo", "web");
export const DIST = join(root, "demo", "dist");
const WASM = ["multimax.wasm", "multimax-relaxed.wasm", "multimax-scalar.wasm"];

/** Writes demo/dist/ (or `dir`: index.html, style.css, js/main.js, build/*.wasm); returns its path. */
export async function buildDemo({ dir = DIST, quiet = false } = {}) {
  for (const f of ["dist/browser.js", ...WASM.map((w) => `build/${w}`)])
    if (!existsSync(join(root, f))) throw new Error(`demo: ${f} is missing: run npm run build first`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "build"), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(src, "main.ts")], outfile: join(dir, "js", "main.js"),
    bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true, sourcemap: true,
    absWorkingDir: root, metafile: true, logLevel: "warning",
  });
  // the page must run the package's browser entry, not a copy of the sources
  const used = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("demo/"));
  if (used.length !== 1 || used[0] !== "dist/browser.js")
    throw new Error(`demo: the bundle should take multimax-wasm from dist/browser.js only, took ${used.join(", ")}`);
  for (const f of readdirSync(src)) if (/\.(html|css|svg)$/.test(f)) copyFileSync(join(src, f), join(dir, f));
  for (const w of WASM) copyFileSync(join(root, "build", w), join(dir, "build", w));
  if (!quiet) console.log(`demo: wrote ${dir}`);
  return dir;
}

/** Serves demo/dist/ (or `dir`) on 127.0.0.1:port (0: a free one); resolves to the server (see
 *  scripts/static-server.mjs: url(path), requests, close()). */
export async function serveDemo(port, dir = DIST) {
  const { serve } = await import("./static-server.mjs");
  return serve(port, { mounts: { "/": dir } });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const serving = process.argv.includes("--serve");
  const PORT = process.env.PORT;
  const port = PORT === undefined ? 8080 : /^\d{1,5}$/.test(PORT.trim()) ? Number(PORT) : NaN;
  if (serving && !(port <= 65535)) {
    console.error(`demo: PORT: expected an integer from 0 to 65535 (0: any free port), got ${JSON.stringify(PORT)}`);
    process.exit(2);
  }
  await buildDemo();
  if (serving) {
    const server = await serveDemo(port).catch((e) => {
      console.error(`demo: cannot serve on 127.0.0.1:${port}: ${e.code === "EADDRINUSE" ? "the port is in use (set PORT to another one, or 0 for any free port)" : e.message}`);
      process.exit(1);
    });
    console.log(`demo: serving the page at ${server.url("/")}  (Ctrl-C to stop)`);
    const stop = () => server.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  }
}
