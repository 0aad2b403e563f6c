// The bundled .wasm builds, as the entries import them: a compiled WebAssembly.Module in workerd
// (workerd.ts) and base64 text through esbuild's base64 loader (inline.ts).
declare module "*.wasm" {
  const wasm: unknown;
  export default wasm;
}
