// The comparison benchmark (bench/compare.mjs, `npm run bench:compare`) at its smallest settings:
// its timings are not checked here (speed is reported by the benchmark, not asserted by tests), but
// everything it claims besides speed is: that tfjs-wasm asked for its SIMD binary and nothing else
// (recorded through the path map it reads) and runs on one thread, that onnxruntime-web accepted the
// Softmax model bench/onnx-softmax.mjs builds, that every implementation (ours on every path,
// tfjs-wasm, onnxruntime-web, plain JS, the tfjs-composed MultiMax, the sort-based sparsemax and
// entmax15) computed the right function (every element within 1e-6 + 1e-3·|y64|; the script exits
// 1 otherwise), that no tfjs tensor leaked, that ours keeps row sums within 1e-6, and that the
// Markdown and JSON reports hold every table and target. A second run under relaxed SIMD (the V8
// flag on Node.js 20) checks the side-by-side rows of the two SIMD builds and that the cold-start
// children load the same build as the parent.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relaxedNode, run } from "./runtimes/fixture.mjs";

const script = new URL("../bench/compare.mjs", import.meta.url).pathname;
const SHAPES = ["1x32000", "4096x128", "256x1024", "64x4096", "1x1000000"];

/** Runs the script with the smallest settings (and V8 flags), returns { r: the JSON report, md, out }. */
async function compare(flags, args) {
  const dir = mkdtempSync(join(tmpdir(), "mmx-compare-"));
  try {
    const json = join(dir, "r.json"), md = join(dir, "r.md");
    const p = await run(process.execPath, [...flags, script, "--quick", "--rounds", "3", "--target-ms", "1", "--cold-runs", "1", "--json", json, "--md", md, ...args], { timeout: 240_000 });
    const out = p.stdout + p.stderr;
    assert.equal(p.code, 0, out.slice(-3000));
    return { r: JSON.parse(readFileSync(json, "utf8")), md: readFileSync(md, "utf8"), out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("bench:compare runs end to end and every implementation computes the right function", async () => {
  const { r, md, out } = await compare([], []);
  assert.deepEqual(r.problems, [], out);
  assert.equal(r.tfTensorsLeaked, 0);
  assert.equal(r.env.tfjs.simd, true);
  assert.deepEqual(r.env.tfjs.requested, ["tfjs-backend-wasm-simd.wasm"], "the only binary tfjs asked for");
  assert.equal(r.env.tfjs.threads, 1);
  assert.equal(r.env.ort.numThreads, 1);
  for (const section of ["softmax", "multimax", "sparse"]) assert.deepEqual(r[section].map((s) => `${s.rows}x${s.cols}`), SHAPES, section);
  for (const s of r.softmax) {
    for (const k of ["zc", "alloc", "copy", "view", "tfk", "tfe", "ort", "js"]) {
      assert.ok(s.acc[k].worst <= 1, `softmax ${s.rows}x${s.cols} ${k}: element error ${s.acc[k].worst}x the allowance`);
      assert.ok(s.stats[k].n === 3, `softmax ${s.rows}x${s.cols} ${k}: one sample per round`);
    }
    assert.ok(s.acc.zc.rowSum <= 1e-6 && s.acc.alloc.rowSum <= 1e-6, `softmax ${s.rows}x${s.cols}: row sums ${s.acc.zc.rowSum}`);
  }
  for (const s of r.multimax) assert.ok(s.acc.zc.rowSum <= 1e-6 && s.acc.zc.maxAbs <= 1e-5, `multimax ${s.rows}x${s.cols}`);
  for (const s of r.sparse) for (const k of ["smZc", "smJs", "e15Zc", "e15Js"]) assert.ok(s.acc[k].worst <= 1, `sparse ${s.rows}x${s.cols} ${k}`);
  assert.deepEqual(r.overhead.map((s) => `${s.rows}x${s.cols}`), ["1x16", "1x256", "8x64"]);
  assert.deepEqual(Object.keys(r.cold.ms).sort(), ["ort", "ours", "tfjs"]);
  // 5 shapes x (kernel, two end to end, row sums) + 5 x (MultiMax, its row sums) + per call + cold start
  // + 3 backward shapes x (softmax and MultiMax, backward alone and forward + backward, vs tfjs's tf.grad)
  assert.equal(r.verdicts.length, 44);
  assert.deepEqual(r.backward.map((s) => `${s.rows}x${s.cols}`), ["64x1000", "256x128", "16x4096"]);
  for (const s of r.backward) for (const k of ["smBwd", "smFwdBwd", "smTf", "mmBwd", "mmRecompute", "mmTf"]) assert.ok(s.acc[k].worst <= 1 && s.acc[k].worstParams <= 1, `backward ${s.rows}x${s.cols} ${k}`);
  for (const title of ["softmax: ns per element", "softmax accuracy", "MultiMax (second order)", "sparsemax and entmax15", "per-call time", "cold start"])
    assert.ok(md.includes(title), `markdown has "${title}"`);
  assert.match(md, /loaded tfjs-backend-wasm-simd\.wasm/);
});

const { flags, reason } = relaxedNode();
test("bench:compare under relaxed SIMD: the relaxed build beside the plain SIMD build, and cold starts of the relaxed build",
  { skip: reason && process.env.CI !== "true" ? `skipped: ${reason}` : false }, async () => {
    assert.ok(!reason, reason); // (under CI=true a Node.js without relaxed SIMD fails here instead of skipping)
    const { r, out } = await compare(flags, ["--sections", "softmax,multimax,cold"]);
    assert.deepEqual(r.problems, [], out);
    assert.equal(r.env.ours.build, "relaxed SIMD (FMA)");
    assert.equal(r.env.ours.alsoPlainSimd, true);
    for (const s of [...r.softmax, ...r.multimax]) {
      assert.ok(s.stats.zcPlain && s.acc.zcPlain.worst <= 1, `${s.rows}x${s.cols}: the plain SIMD build ran beside`);
      assert.ok(s.ratios.tfKernelPlain.median > 0);
    }
    assert.equal(r.cold.oursBuild, "relaxed SIMD", "the cold-start children load the build the parent does");
    if (flags.length) assert.match(r.env.command, /^node --experimental-wasm-relaxed-simd bench\/compare\.mjs /);
  });

test("bench:compare rejects bad arguments with exit code 2 and a message naming the argument", async () => {
  for (const [args, message] of [[["--sections", "softmax,bogus"], /--sections: unknown section "bogus"/], [["--rounds", "1"], /--rounds: expected an integer >= 3/], [["--fast"], /unknown argument "--fast"/]]) {
    const p = await run(process.execPath, [script, ...args], { timeout: 60_000 });
    assert.equal(p.code, 2, p.stderr);
    assert.match(p.stderr, message);
  }
});
