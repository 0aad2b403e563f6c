// multimax-wasm for Cloudflare workerd and other edge workers (the `workerd` and `worker`
// conditions). Such runtimes refuse to compile wasm from bytes at run time ("Wasm code generation
// disallowed by embedder") and have no import.meta.url, so this entry imports both builds as
// modules: the runtime (or wrangler's bundler) compiles them when the worker is deployed, and
// init() only instantiates. init({ module }) works too; { bytes } and { url } do only where the
// embedder allows compiling. The three builds (relaxed SIMD, SIMD, scalar) are all imported, so the
// runtime must be able to compile the relaxed-SIMD one: every workerd since 2023 (V8 ≥ 11.4) can.
import relaxedModule from "../build/multimax-relaxed.wasm";
import simdModule from "../build/multimax.wasm";
import scalarModule from "../build/multimax-scalar.wasm";
import { makeInit } from "./load.js";

export * from "./api.js";
import type { Init } from "./api.js";

/** Loads the kernels and returns an Engine (see InitOptions; README "Loading"). */
export const init: Init = makeInit(async (simd, relaxed) => (relaxed ? relaxedModule : simd ? simdModule : scalarModule) as WebAssembly.Module);
