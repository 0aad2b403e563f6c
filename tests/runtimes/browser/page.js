// The main-thread page of the Chromium runtime test (tests/runtime-chromium.test.mjs). The page
// that loads it has an import map sending "multimax-wasm" to the installed package's browser
// entry, as a bundler's `browser` condition would. All URLs come from the test, through
// window.config (set by the page before this module runs).
//
// window.cold: the cold start, from before `await import("multimax-wasm")` to the first softmax
// result, measured as soon as this module runs on a fresh page load.
// window.runPath(name): one init() path + the golden selection (check.js); resolves to a report.
// window.runWorker(): the same in a dedicated module worker (worker.js); resolves to its report.
import { check } from "/check.js";

const config = window.config;

const t0 = performance.now();
window.cold = (async () => {
  const lib = await import("multimax-wasm");
  const engine = await lib.init();
  const y = engine.softmax(Float32Array.of(1, 2, 3));
  return { ms: performance.now() - t0, simd: engine.simd, relaxed: engine.relaxed, y: Array.from(y) };
})();

let selection;
const cases = () => (selection ??= fetch(config.selection).then((r) => {
  if (!r.ok) throw new Error(`${config.selection}: HTTP ${r.status}`);
  return r.json();
}));

const PATHS = {
  default: (lib) => lib.init(),
  // a module compiled by the page while it downloads, as an app that caches or shares it would
  module: async (lib) => lib.init({ module: await WebAssembly.compileStreaming(fetch(config.wasm)) }),
  "relaxed-false": (lib) => lib.init({ relaxed: false }),
  "simd-false": (lib) => lib.init({ simd: false }),
  url: (lib) => lib.init({ url: config.wasm }),
  // the same bytes served as application/octet-stream: the loader cannot stream-compile them
  "url-octet-stream": (lib) => lib.init({ url: config.octet }),
  bytes: async (lib) => lib.init({ bytes: await (await fetch(config.wasm)).arrayBuffer() }),
};

window.runPath = async (name) => {
  const lib = await import("multimax-wasm");
  const engine = await PATHS[name](lib);
  return { path: name, ...check(lib, engine, await cases()) };
};

/** init({ simd: true }) where the runtime has no SIMD: resolves to the error's name and message. */
window.initSimdTrue = async () => {
  const lib = await import("multimax-wasm");
  try {
    const engine = await lib.init({ simd: true });
    return { resolved: true, simd: engine.simd };
  } catch (e) {
    return { name: e.name, message: e.message };
  }
};

window.relaxedValidates = () => WebAssembly.validate(Uint8Array.from(atob("AGFzbQEAAAABCAFgA3t7ewF7AwIBAAoNAQsAIAAgASAC/YUCCw=="), (c) => c.charCodeAt(0)));

window.simdValidates = () => WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11]));

/**
 * Starts worker.js as a dedicated module worker and hands it a module compiled here (a Module can
 * be posted to a worker of the same agent cluster). Resolves to the worker's report.
 */
window.runWorker = async (timeoutMs = 20000) => {
  const pageModule = await WebAssembly.compileStreaming(fetch(config.wasm));
  const q = new URLSearchParams({ entry: config.entry, wasm: config.wasm, check: "/check.js", selection: config.selection });
  const url = `${config.worker}?${q}`;
  const worker = new Worker(url, { type: "module" });
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker: no report after ${timeoutMs} ms`)), timeoutMs);
      worker.onmessage = (ev) => {
        clearTimeout(timer);
        if (ev.data && ev.data.error) reject(new Error(`worker: ${ev.data.error}`));
        else resolve(ev.data);
      };
      worker.onerror = (ev) => {
        clearTimeout(timer);
        reject(new Error(ev.message ? `worker error: ${ev.message} at ${ev.filename}:${ev.lineno}` : `worker ${url}: the module script failed to load or parse`));
      };
      worker.postMessage({ module: pageModule });
    });
  } finally {
    worker.terminate();
  }
};
