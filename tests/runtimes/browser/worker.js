// Dedicated module worker of the Chromium runtime test, started by page.js. Import maps do not
// apply in workers, so it imports the browser entry by the URL path the test derived from the
// installed package's exports map (?entry=). Posts { cold, reports } or { error } to the page.
let fromPage;
const pageMessage = new Promise((r) => (fromPage = r));
self.onmessage = (ev) => fromPage(ev.data); // set before any await: the page posts right away

const q = new URL(self.location.href).searchParams;

try {
  const t0 = performance.now();
  const lib = await import(q.get("entry"));
  const engine = await lib.init();
  const y = engine.softmax(Float32Array.of(1, 2, 3));
  const cold = { ms: performance.now() - t0, simd: engine.simd, relaxed: engine.relaxed, y: Array.from(y) };

  const { check } = await import(q.get("check"));
  const res = await fetch(q.get("selection"));
  if (!res.ok) throw new Error(`${q.get("selection")}: HTTP ${res.status}`);
  const cases = await res.json();

  const reports = [];
  reports.push({ path: "default", ...check(lib, engine, cases) });
  const compiled = await WebAssembly.compileStreaming(fetch(q.get("wasm")));
  reports.push({ path: "module (compiled in the worker)", ...check(lib, await lib.init({ module: compiled }), cases) });
  const { module } = await pageMessage;
  reports.push({ path: "module (compiled by the page, posted)", ...check(lib, await lib.init({ module }), cases) });
  reports.push({ path: "relaxed-false", ...check(lib, await lib.init({ relaxed: false }), cases) });
  reports.push({ path: "simd-false", ...check(lib, await lib.init({ simd: false }), cases) });
  self.postMessage({ cold, reports });
} catch (e) {
  self.postMessage({ error: e && e.stack ? e.stack : String(e) });
}
