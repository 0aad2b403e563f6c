// Types of the `multimax-wasm/wasm`, `multimax-wasm/wasm-relaxed` and `multimax-wasm/wasm-scalar` subpaths (shipped as
// dist/wasm.d.ts). What `import wasm from "multimax-wasm/wasm"` gives depends on the bundler's
// .wasm loader: a URL string (esbuild's file loader, Vite's ?url), the bytes (esbuild's binary
// loader) or a compiled WebAssembly.Module (workerd, wrangler). Pass it to init() as { url },
// { bytes } or { module } accordingly (README "Bundlers").
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const wasm: any;
export default wasm;
