// as-pect 8.1.0 configuration for the AssemblyScript unit tests of the wasm kernels.
// The package is ESM ("type": "module"), and as-pect loads this file with a dynamic
// `import()`, so it is an ES module with a default export. Compiler flags (SIMD!) live in
// the companion as-pect.asconfig.json, which asp reads by default from the working directory
// (override with `--as-config <file>`).
//
// Run: npm run test:as   (= asp --config as-pect.config.js)
export default {
  /** Test files: one wasm module is compiled and run per file. */
  entries: ["tests/assembly/**/*.spec.ts"],
  /** Files added to every test compilation (none; the glob just has to match nothing). */
  include: ["tests/assembly/**/*.include.ts"],
  /** Source files never treated as tests. */
  disclude: [/node_modules/],
  /** Instantiate each test module (it exports its own memory; no extra imports are needed). */
  async instantiate(memory, createImports, instantiate, binary) {
    return instantiate(binary, createImports({ env: { memory } }));
  },
  /** Set to true to write tests/assembly/*.wasm and *.wat next to each spec (debugging). */
  outputBinary: false,
};
