// TypeScript consumers of the packed and installed package: the declarations resolve and type-check
// under moduleResolution node16 (ESM .mts and CommonJS .cts, each through its own `types`
// condition) and bundler, for the main entry and the inline, browser, workerd and wasm subpaths,
// with the README's recipes. A deliberate type error must be reported (the check can fail).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bin, packAndInstall, run } from "./runtimes/fixture.mjs";

const TYPE_ROOTS = fileURLToPath(new URL("../node_modules/@types", import.meta.url)); // (@types/node, a devDependency)

let fx;
before(() => { fx = packAndInstall("multimax-types-"); });
after(() => fx?.cleanup());

const ESM = `
import { init, softmax, type Engine, type MultimaxOptions } from "multimax-wasm";
import { init as initInline } from "multimax-wasm/inline";
import { init as initBrowser } from "multimax-wasm/browser";
import { init as initWorkerd } from "multimax-wasm/workerd";
const mm: Engine = await init({ simd: false });
const plain: Engine = await init({ relaxed: false });
const isRelaxed: boolean = plain.relaxed && mm.simd;
const y: Float32Array = mm.softmax(Float32Array.of(1, 2), { cols: 2 });
const fromArray: Float32Array = mm.sparsemax([1, 2, 3]);
const fromF64: Float32Array = mm.logSoftmax(new Float64Array(4), { cols: 2 });
const tensorOfArray: Float32Array = mm.evSoftmax({ data: [1, 2, 3, 4], dims: [2, 2] }).data;
const t = mm.entmax({ data: new Float32Array(4), dims: [2, 2] }, { alpha: [1.5, 2] });
const dims: readonly number[] = t.dims;
const o: MultimaxOptions = { params: { ranges: [-1, 1, -2, 2], ts: [1, 1, 0, 0] } };
softmax(y); mm.multimax(y, o);
export const engines: Promise<Engine>[] = [initInline(), initBrowser(), initWorkerd({ module: new WebAssembly.Module(new Uint8Array(8)) })];
console.log(dims, fromArray, fromF64, tensorOfArray);
`;
const CJS = `
import mw = require("multimax-wasm");
import inline = require("multimax-wasm/inline");
export const p: Promise<mw.Engine> = mw.init();
export const q: Promise<mw.Engine> = inline.init({ simd: false });
export const y: Float32Array = mw.softmax(Float32Array.of(1, 2));
`;
const BUNDLER = `
import { init } from "multimax-wasm";
import wasmUrl from "multimax-wasm/wasm";
import scalarBytes from "multimax-wasm/wasm-scalar";
import relaxedUrl from "multimax-wasm/wasm-relaxed";
import relaxedModule from "multimax-wasm/multimax-relaxed.wasm";
export const a = init({ url: new URL(wasmUrl, import.meta.url) });
export const b = init({ bytes: scalarBytes });
export const c = init({ url: new URL(relaxedUrl, import.meta.url), relaxed: true });
export const d = init({ module: relaxedModule });
`;

async function tsc(files, options, lib = "es2022,dom") {
  const r = await run(bin("tsc"), ["--noEmit", "--strict", "--skipLibCheck", "false", "--target", "es2022", "--lib", lib, ...options, ...files], { cwd: fx.app, timeout: 120_000 });
  return { code: r.code, out: (r.stdout + r.stderr).trim() };
}

test("TypeScript: node16 ESM (.mts) and CommonJS (.cts) consumers, and moduleResolution bundler with the .wasm recipes, type-check", async () => {
  writeFileSync(join(fx.app, "esm.mts"), ESM);
  writeFileSync(join(fx.app, "cjs.cts"), CJS);
  writeFileSync(join(fx.app, "bundler.ts"), BUNDLER);
  writeFileSync(join(fx.app, "bundler-esm.ts"), ESM);
  const node16 = await tsc(["esm.mts", "cjs.cts"], ["--module", "node16", "--moduleResolution", "node16"]);
  assert.equal(node16.code, 0, `node16:\n${node16.out}`);
  const bundler = await tsc(["bundler.ts", "bundler-esm.ts"], ["--module", "esnext", "--moduleResolution", "bundler"]);
  assert.equal(bundler.code, 0, `bundler:\n${bundler.out}`);
});

// A project for Node.js alone: no DOM library (lib.dom declares WebAssembly and BufferSource),
// only @types/node; the declarations must not need more (no skipLibCheck either).
const NODE_ONLY_ESM = `
import { init, initSync, softmax, type Engine, type WasmMemory } from "multimax-wasm";
const mm: Engine = await init({ simd: false });
const memory: WasmMemory = mm.memory;
const view = new Float32Array(memory.buffer, 0, 4);
const y: Float32Array = mm.softmax([1, 2, 3]);
const e2: Engine = initSync(new Uint8Array(8));
console.log(view, y, e2, softmax(y));
`;
const NODE_ONLY_CJS = `
import mw = require("multimax-wasm");
export const p: Promise<mw.Engine> = mw.init({ bytes: new Uint8Array(8) });
export const y: Float32Array = mw.softmax([1, 2]);
`;

test("TypeScript: lib es2022 with @types/node alone (no DOM library, no skipLibCheck) type-checks the declarations", async () => {
  writeFileSync(join(fx.app, "node-only.mts"), NODE_ONLY_ESM);
  writeFileSync(join(fx.app, "node-only-cjs.cts"), NODE_ONLY_CJS);
  const r = await tsc(["node-only.mts", "node-only-cjs.cts"], ["--module", "node16", "--moduleResolution", "node16", "--types", "node", "--typeRoots", TYPE_ROOTS], "es2022");
  assert.equal(r.code, 0, `lib es2022 + types node:\n${r.out}`);
});

test("TypeScript: a wrong call is a type error (the check above can fail)", async () => {
  writeFileSync(join(fx.app, "wrong.mts"), `import { init } from "multimax-wasm";\nconst mm = await init();\nmm.softmax("abc");\nawait init(null);\n`);
  const r = await tsc(["wrong.mts"], ["--module", "node16", "--moduleResolution", "node16"]);
  assert.notEqual(r.code, 0);
  assert.match(r.out, /wrong\.mts\(3,/);
  assert.match(r.out, /wrong\.mts\(4,/);
});

test("TypeScript: code written for the previous declarations still compiles (TensorLike is the float32 tensor); hovers show each operation's documentation", async () => {
  writeFileSync(join(fx.app, "old-user.mts"), `
import { init, softmax, type TensorLike } from "multimax-wasm";
const mm = await init();
const t: TensorLike = mm.softmax({ data: new Float32Array(4), dims: [2, 2] });
const head: Float32Array = t.data.subarray(0, 2);
const bytes: ArrayBufferLike = t.data.buffer;
mm.logSoftmax(t, { out: t as TensorLike });
softmax(head);
console.log(bytes);
`);
  const r = await tsc(["old-user.mts"], ["--module", "node16", "--moduleResolution", "node16"]);
  assert.equal(r.code, 0, `code written for the previous declarations:\n${r.out}`);
  // hover documentation, through the TypeScript language service over the installed package
  const ts = (await import("typescript")).default;
  const file = join(fx.app, "hover.mts");
  const src = `import { init, softmax, entmax } from "multimax-wasm";\nconst mm = await init();\nmm.softmax; mm.entmax; softmax; entmax;\n`;
  writeFileSync(file, src);
  const host = {
    getScriptFileNames: () => [file], getScriptVersion: () => "1",
    getScriptSnapshot: (f) => (ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)) : undefined),
    getCurrentDirectory: () => fx.app, getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], strict: true }),
    fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory, directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
  };
  const service = ts.createLanguageService(host);
  for (const [word, doc] of [["mm.softmax", /softmax\(x \/ temperature\)/], ["mm.entmax", /Tsallis/], [" softmax;", /last successful init/], [" entmax;", /last successful init/]]) {
    const q = service.getQuickInfoAtPosition(file, src.indexOf(word) + word.length - 2);
    const text = ts.displayPartsToString(q?.documentation ?? []);
    assert.match(text, doc, `hover on ${word.trim()}: documentation ${JSON.stringify(text)}`);
  }
});
