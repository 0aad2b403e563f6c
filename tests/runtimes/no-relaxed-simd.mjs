// Preload (node --import) that hides relaxed SIMD from WebAssembly.validate, as Node.js 20 without
// --experimental-wasm-relaxed-simd does: bytes holding f32x4.relaxed_madd (0xfd 0x85 0x02) do not
// validate, so init() picks the plain SIMD build (the same rule as the child processes of
// tests/init.test.mjs). Compiling and instantiating are untouched. Used by
// tests/node-versions.test.mjs for a test file that assumes init() loads the plain SIMD build.
const validate = WebAssembly.validate;
const RELAXED_MADD = [0xfd, 0x85, 0x02];
WebAssembly.validate = function (bytes, ...rest) {
  const u = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  for (let i = 0; i + RELAXED_MADD.length <= u.length; i++)
    if (RELAXED_MADD.every((b, j) => u[i + j] === b)) return false;
  return validate.call(this, bytes, ...rest);
};
