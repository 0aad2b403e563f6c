// multimax-wasm with the wasm bytes embedded (the `multimax-wasm/inline` subpath): for bundles
// that cannot carry a separate .wasm file, and for Deno without --allow-read. The three builds
// (relaxed SIMD, SIMD, scalar) are embedded as base64 text (esbuild's base64 loader, about 100 KB),
// so only users who import this entry download them, and only the build that init() picks is
// decoded, when init() runs.
import relaxedBase64 from "../build/multimax-relaxed.wasm";
import simdBase64 from "../build/multimax.wasm";
import scalarBase64 from "../build/multimax-scalar.wasm";
import { makeInit } from "./load.js";

export * from "./api.js";
import type { Init } from "./api.js";

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Loads the kernels and returns an Engine (see InitOptions; README "Loading"). */
export const init: Init = makeInit(async (simd, relaxed) => decode((relaxed ? relaxedBase64 : simd ? simdBase64 : scalarBase64) as string));
