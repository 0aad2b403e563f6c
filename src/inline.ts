// multimax-wasm with the wasm bytes embedded (the `multimax-wasm/inline` subpath): for bundles
// that cannot carry a separate .wasm file, and for Deno without --allow-read. Both builds are
// embedded as base64 by esbuild's binary loader (about 76 KB of text), so only users who import
// this entry download them.
import simdBytes from "../build/multimax.wasm";
import scalarBytes from "../build/multimax-scalar.wasm";
import { makeInit } from "./load.js";

export * from "./api.js";

/** Loads the kernels and returns an Engine (see InitOptions; README "Loading"). */
export const init = makeInit(async (simd) => (simd ? simdBytes : scalarBytes) as Uint8Array<ArrayBuffer>);
