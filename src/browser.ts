// multimax-wasm for browsers and Web Workers (the `browser` condition): the bundled wasm is
// fetched from ../build/ relative to this file, and compiled while it downloads where the server
// sends it as application/wasm. No Node.js module is referenced, so browser bundlers need no shims.
import { fetchBytes, makeInit } from "./load.js";

export * from "./api.js";
import type { Init } from "./api.js";

async function load(url: URL): Promise<WebAssembly.Module | ArrayBuffer> {
  if (typeof WebAssembly.compileStreaming === "function") {
    let res: Response | undefined;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new TypeError(`init: fetching ${url.href} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (!res.ok) throw new TypeError(`init: fetching ${url.href} failed: HTTP ${res.status}`);
    if ((res.headers.get("content-type") ?? "").startsWith("application/wasm")) return WebAssembly.compileStreaming(res);
    return res.arrayBuffer();
  }
  return fetchBytes(url);
}

/** Loads the kernels and returns an Engine (see InitOptions; README "Loading"). */
export const init: Init = makeInit(
  (simd, relaxed) => load(relaxed ? new URL("../build/multimax-relaxed.wasm", import.meta.url)
    : simd ? new URL("../build/multimax.wasm", import.meta.url) : new URL("../build/multimax-scalar.wasm", import.meta.url)),
  load,
);
