// multimax-wasm for Node.js (ESM and CommonJS), Deno, Bun, and the `default` condition.
//
//   const mm = await init();                      // finds build/multimax-relaxed.wasm (relaxed SIMD),
//                                                 // build/multimax.wasm (SIMD) or the scalar build
//   await init({ module }) / init({ bytes }) / init({ url }) / init({ simd: false }) / init({ relaxed: false })
//   const mm = initSync(moduleOrBytes);
//
// The bundled wasm is read from ../build/ relative to this file: file: URLs with node:fs
// (Node.js, Bun) or Deno.readFile (Deno, with --allow-read), other URLs with fetch. The location
// is computed only when init() runs, so importing never touches the file system. Other entries,
// chosen by the package's `exports` conditions: browser.ts (fetch only), workerd.ts (the wasm
// imported as a module), inline.ts (the bytes embedded; for bundlers and permission-less Deno).
import { fetchBytes, makeInit } from "./load.js";

export * from "./api.js";
import type { Init } from "./api.js";

async function read(url: URL): Promise<ArrayBuffer> {
  if (url.protocol !== "file:") return fetchBytes(url);
  try {
    // Deno: its own readFile (importing node:fs/promises costs Deno 50-150 ms of cold start)
    const deno = (globalThis as { Deno?: { readFile(u: URL): Promise<Uint8Array> } }).Deno;
    const buf: Uint8Array = deno ? await deno.readFile(url) : await (await import(/* webpackIgnore: true */ "node:fs/promises" as string)).readFile(url);
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  } catch (e) {
    // (a TypeError, as fetch() and our HTTP errors give: the resource cannot be loaded)
    throw new TypeError(`init: cannot read ${url.href}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** Loads the kernels and returns an Engine (see InitOptions; README "Loading"). */
export const init: Init = makeInit(async (simd, relaxed) => {
  // (each URL written out whole, so that bundlers that follow new URL(…, import.meta.url) see it)
  const url = relaxed ? new URL("../build/multimax-relaxed.wasm", import.meta.url)
    : simd ? new URL("../build/multimax.wasm", import.meta.url) : new URL("../build/multimax-scalar.wasm", import.meta.url);
  try {
    return await read(url);
  } catch (e) {
    // A bundler that re-bundled this file did not copy the wasm beside the bundle.
    throw new TypeError(`${e instanceof Error ? e.message : String(e)} (if multimax-wasm was bundled: import from "multimax-wasm/inline", or pass init({ url }) / init({ bytes }); README "Bundlers")`, { cause: e });
  }
}, read);
