// The bundled .wasm builds, as the entries import them: a compiled WebAssembly.Module in workerd
// (workerd.ts) and a Uint8Array through esbuild's binary loader (inline.ts).
declare module "*.wasm" {
  const wasm: unknown;
  export default wasm;
}
