// Shared by the runtime tests (Node.js side): the packed package installed into a fresh project
// with no access to this repository's sources, free ports, and child processes that are always
// stopped, also when a test fails.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
export const bin = (name) => join(root, "node_modules", ".bin", name);

/** The relaxed-SIMD probe of src/load.ts (one f32x4.relaxed_madd). */
export const RELAXED_PROBE = "AGFzbQEAAAABCAFgA3t7ewF7AwIBAAoNAQsAIAAgASAC/YUCCw==";
const RELAXED_FLAG = "--experimental-wasm-relaxed-simd";
let relaxedNodeCache;
/**
 * How this Node.js gets relaxed SIMD: { native: true, flags: [] } where it validates relaxed_madd
 * by itself (Node.js 22+), { native: false, flags: ["--experimental-wasm-relaxed-simd"] } where
 * that V8 flag turns it on (Node.js 20), else { native: false, reason } saying why neither works.
 */
export function relaxedNode() {
  if (relaxedNodeCache) return relaxedNodeCache;
  if (WebAssembly.validate(Buffer.from(RELAXED_PROBE, "base64"))) return (relaxedNodeCache = { native: true, flags: [] });
  const r = spawnSync(process.execPath, [RELAXED_FLAG, "-e", `console.log(WebAssembly.validate(Buffer.from(${JSON.stringify(RELAXED_PROBE)}, "base64")))`], { encoding: "utf8" });
  if (r.status === 0 && r.stdout.trim() === "true") return (relaxedNodeCache = { native: false, flags: [RELAXED_FLAG] });
  return (relaxedNodeCache = { native: false, reason: `node ${process.version} has no relaxed SIMD, and with ${RELAXED_FLAG} ` +
    (r.status === 0 ? `it still rejects relaxed_madd (validate: ${r.stdout.trim()})` : `it fails: ${(r.stderr || r.error?.message || "").trim().split("\n")[0]}`) });
}

/** npm as run by this test (npm_execpath under `npm test`), else the npm on PATH. */
export function npm(args, cwd) {
  return process.env.npm_execpath?.endsWith(".js")
    ? execFileSync(process.execPath, [process.env.npm_execpath, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 })
    : execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 180_000 });
}

/**
 * `npm pack` (without rebuilding: `npm test` has just built dist/ and build/), then install the
 * tarball into a fresh project. Returns { dir, app, pkg, tarball, files, cleanup }: app is the
 * project (node_modules/multimax-wasm inside it = pkg), dir the temporary folder holding both.
 */
export function packAndInstall(prefix = "multimax-rt-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const [info] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", dir], root));
    const app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", version: "1.0.0", private: true }));
    const tarball = join(dir, info.filename);
    npm(["install", "--no-audit", "--no-fund", "--ignore-scripts", "--offline", tarball], app);
    return {
      dir, app, tarball,
      pkg: join(app, "node_modules", "multimax-wasm"),
      files: info.files.map((f) => f.path).sort(),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** A TCP port on 127.0.0.1 that is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Runs a command to completion and returns { code, stdout, stderr }; kills its whole process
 * group on timeout (and rejects).
 */
export function run(cmd, args, { cwd = root, env, timeout = 120_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      try { process.kill(-p.pid, "SIGKILL"); } catch {}
      reject(new Error(`${cmd} ${args.join(" ")}: timed out after ${timeout} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, timeout);
    p.on("error", (e) => { clearTimeout(timer); reject(e); });
    p.on("close", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    if (input !== undefined) p.stdin.end(input); else p.stdin.end();
  });
}

/**
 * Starts a long-running process (a server); returns { proc, output(), stop() }. stop() kills its
 * process group and waits for it to exit; call it in a finally block.
 */
export function start(cmd, args, { cwd = root, env } = {}) {
  const proc = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (out += d));
  const exited = new Promise((r) => proc.on("close", r));
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        try { process.kill(-proc.pid, "SIGTERM"); } catch {}
        const t = setTimeout(() => { try { process.kill(-proc.pid, "SIGKILL"); } catch {} }, 3000);
        await exited;
        clearTimeout(t);
      }
    },
  };
}
