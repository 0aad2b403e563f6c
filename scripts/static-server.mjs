// A small static HTTP server for the browser runtime tests and the demo page (file:// pages cannot
// load ES modules): 127.0.0.1 only, on a port given by the caller (0: any free port), GET/HEAD only, no caching (every
// page load is a cold load), .wasm as application/wasm (so browsers compile while downloading), a
// folder's index.html for a path ending in "/", and a log of the paths requested so a test can see
// which wasm was fetched.
//
//   const server = await serve(port, {
//     mounts: { "/node_modules/multimax-wasm/": pkgDir },          // a folder, path-checked
//     routes: { "/selection.json": { body: json, type: "application/json" } },
//   });
//   ... server.url("/page.html"), server.requests ...
//   await server.close();
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

export const TYPES = {
  ".wasm": "application/wasm",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
};

/**
 * Starts the server. mounts: URL prefix (ending in "/") -> folder; routes: exact URL path ->
 * { body, type } or { file, type? }. Returns { port, origin, url(path), requests, close() }.
 */
export function serve(port, { mounts = {}, routes = {} } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end(); // a malformed request path: answer it, never reject unhandled
      return;
    }
    requests.push(path);
    const send = (status, body, type) => {
      res.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
        "cross-origin-resource-policy": "same-origin",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n", "text/plain");
      const route = routes[path];
      if (route) {
        const body = route.body ?? (await readFile(route.file));
        return send(200, body, route.type ?? TYPES[extname(route.file ?? path)] ?? "application/octet-stream");
      }
      for (const [prefix, dir] of Object.entries(mounts)) {
        if (!path.startsWith(prefix)) continue;
        const base = resolve(dir);
        const file = resolve(base, path.slice(prefix.length) + (path.endsWith("/") ? "index.html" : ""));
        if (file !== base && !file.startsWith(base + sep)) return send(403, "forbidden\n", "text/plain");
        if (!(await stat(file).catch(() => null))?.isFile()) continue;
        return send(200, await readFile(file), TYPES[extname(file)] ?? "application/octet-stream");
      }
      send(404, `not found: ${path}\n`, "text/plain");
    } catch (e) {
      send(500, `${e && e.stack}\n`, "text/plain");
    }
  });
  const sockets = new Set();
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const bound = server.address().port; // port 0: the one the system picked
      const origin = `http://127.0.0.1:${bound}`;
      resolvePromise({
        port: bound, origin, requests,
        url: (p) => origin + p,
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy(); // keep-alive connections would hold close() open
          server.close(() => r());
        }),
      });
    });
  });
}
