// multimax-wasm for Cloudflare workerd and other edge workers (the `workerd` and `worker`
// conditions). Such runtimes refuse to compile wasm from bytes at run time ("Wasm code generation
// disallowed by embedder") and have no import.meta.url, so this entry imports both builds as
// modules: the runtime (or wrangler's bundler) compiles them when the worker is deployed, and
// init() only instantiates. init({ module }) works too; { bytes } and { url } do only where the
// embedder allows compiling.
import simdModule from "../build/multimax.wasm";
import scalarModule from "../build/multimax-scalar.wasm";
import { makeInit } from "./load.js";

export * from "./api.js";
import type { Init } from "./api.js";

/** Loads the kernels and returns an Engine (see InitOptions; README "Loading"). */
export const init: Init = makeInit(async (simd) => (simd ? simdModule : scalarModule) as WebAssembly.Module);
