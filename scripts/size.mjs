// Size budget (issue 4), printed and enforced by `npm test`. The issue asked for each .wasm <= 32 KiB,
// which the nine forwards met (31.4 KB); issue 11's backward passes, MultiMax parameter gradients
// and losses add about 17 KB of kernels to each SIMD build (49.5 KB, 17.4 KB gzipped), so the
// budget was raised to 52 KiB; issue 12's fused attention (the GEMM, dot-product and transpose
// kernels with their scalar twins, the forward and backward drivers) adds about 10 KB more (59.4 KB,
// 21.1 KB gzipped), so the enforced budget is 60 KiB and the 32 KiB target is reported as missed
// (docs/design.md, "Size").
// The JS entries have the target of 12 KiB minified, which they miss: 15.6-17.0 KB
// minified with the sparse normalisers' options, 23.1-24.6 KB since issue 10's operation table,
// chunked staging, array inputs and option checks, and about 30-32 KB with issue 11's thirteen
// training operations and their option checks, about 38 KB with attention's argument checks and
// staging (issue 12); they are held to a 40 KiB ceiling so that they
// cannot grow unnoticed. The inline entry (the three builds embedded as base64) is printed, not
// budgeted: only users who import multimax-wasm/inline pay for it.
// Usage: node scripts/size.mjs   (exit code 1 when a file is over its enforced budget)
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const root = new URL("..", import.meta.url);
const KiB = 1024;
// [file, enforced budget, the target]
const files = [
  ["build/multimax.wasm", 60 * KiB, 32 * KiB],
  ["build/multimax-relaxed.wasm", 60 * KiB, 32 * KiB],
  ["build/multimax-scalar.wasm", 60 * KiB, 32 * KiB],
  ["dist/index.js", 40 * KiB, 12 * KiB],
  ["dist/index.cjs", 40 * KiB, 12 * KiB],
  ["dist/browser.js", 40 * KiB, 12 * KiB],
  ["dist/workerd.js", 40 * KiB, 12 * KiB],
  ["dist/inline.js", null, null],
  ["dist/inline.cjs", null, null],
];
let over = 0;
console.log("file                          bytes   gzip   enforced budget    issue target");
for (const [f, budget, target] of files) {
  const b = readFileSync(new URL(f, root));
  const ok = budget === null || b.length <= budget;
  if (!ok) over++;
  const cell = (limit) => (limit === null ? "-" : `${limit} ${b.length <= limit ? "ok" : ok && limit !== budget ? "MISSED" : "OVER"}`);
  console.log(`${f.padEnd(28)} ${String(b.length).padStart(6)} ${String(gzipSync(b, { level: 9 }).length).padStart(6)}   ${cell(budget).padEnd(17)}  ${cell(target)}`);
}
if (over) {
  console.error(`size budget: ${over} file(s) over their enforced budget`);
  process.exit(1);
}
