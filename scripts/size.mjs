// Size budget (issue 4), printed and enforced: each .wasm <= 32 KiB, and each runtime's main JS
// entry <= 12 KiB minified. The inline entry (both builds embedded as base64) is printed, not
// budgeted: its size is the wasm's, and only users who import multimax-wasm/inline pay it.
// Usage: node scripts/size.mjs   (exit code 1 when over budget)
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url);
const KiB = 1024;
const files = [
  ["build/multimax.wasm", 32 * KiB],
  ["build/multimax-scalar.wasm", 32 * KiB],
  ["dist/index.js", 12 * KiB],
  ["dist/index.cjs", 12 * KiB],
  ["dist/browser.js", 12 * KiB],
  ["dist/workerd.js", 12 * KiB],
  ["dist/inline.js", null],
  ["dist/inline.cjs", null],
];
let over = 0;
console.log("file                          bytes   gzip    budget");
for (const [f, budget] of files) {
  const b = readFileSync(new URL(f, root));
  const ok = budget === null || b.length <= budget;
  if (!ok) over++;
  console.log(`${f.padEnd(28)} ${String(b.length).padStart(6)} ${String(gzipSync(b, { level: 9 }).length).padStart(6)}   ${budget === null ? "(not budgeted)" : `${budget} ${ok ? "ok" : "OVER"}`}`);
}
if (over) {
  console.error(`size budget: ${over} file(s) over budget`);
  process.exit(1);
}
