// The comparison benchmark (bench/compare.mjs, `npm run bench:compare`) at its smallest settings:
// its timings are not checked here (speed is reported by the benchmark, not asserted by tests), but
// everything it claims besides speed is: that tfjs-wasm loaded its SIMD binary single-threaded,
// that onnxruntime-web accepted the Softmax model bench/onnx-softmax.mjs builds, that every
// implementation (ours, tfjs-wasm, onnxruntime-web, plain JS, the tfjs-composed MultiMax, the
// sort-based sparsemax/entmax15) computed the right function (within 1e-4 of float64; the script
// exits 1 otherwise), that ours keeps row sums within 1e-6, and that the Markdown and JSON reports
// hold every table and target.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./runtimes/fixture.mjs";

test("bench:compare runs end to end and every implementation computes the right function", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mmx-compare-"));
  try {
    const json = join(dir, "r.json"), md = join(dir, "r.md");
    const script = new URL("../bench/compare.mjs", import.meta.url).pathname;
    const p = await run(process.execPath, [script, "--quick", "--rounds", "3", "--target-ms", "1", "--cold-runs", "1", "--json", json, "--md", md], { timeout: 240_000 });
    const out = p.stdout + p.stderr;
    assert.equal(p.code, 0, out.slice(-3000));
    const r = JSON.parse(readFileSync(json, "utf8"));
    assert.deepEqual(r.problems, [], out);
    assert.equal(r.env.tfjs.simd, true);
    assert.equal(r.env.tfjs.binary, "tfjs-backend-wasm-simd.wasm");
    assert.equal(r.env.tfjs.threads, 1);
    assert.equal(r.env.ort.numThreads, 1);
    assert.match(out, /loaded tfjs-backend-wasm-simd\.wasm/);
    const shapes = ["1x32000", "4096x128", "256x1024", "64x4096", "1x1000000"];
    for (const section of ["softmax", "multimax", "sparse"]) assert.deepEqual(r[section].map((s) => `${s.rows}x${s.cols}`), shapes, section);
    for (const s of r.softmax) {
      for (const k of ["copy", "js", "ort", "tfe", "tfk", "zc"]) assert.ok(s.acc[k], `softmax ${s.rows}x${s.cols}: accuracy of ${k}`);
      assert.ok(s.acc.zc.rowSum <= 1e-6 && s.acc.copy.rowSum <= 1e-6, `softmax ${s.rows}x${s.cols}: row sums ${s.acc.zc.rowSum}`);
      for (const k of ["zc", "copy", "tfk", "tfe", "ort", "js"]) assert.ok(s.stats[k].median > 0, `${k} timed`);
    }
    for (const s of r.multimax) assert.ok(s.acc.zc.rowSum <= 1e-6 && s.acc.zc.maxAbs <= 1e-5, `multimax ${s.rows}x${s.cols}`);
    assert.deepEqual(r.overhead.map((s) => `${s.rows}x${s.cols}`), ["1x16", "1x256", "8x64"]);
    assert.deepEqual(Object.keys(r.cold.ms).sort(), ["ort", "ours", "tfjs"]);
    // 5 shapes x (kernel, two end to end, row sums) + 5 x (MultiMax, its row sums) + per call + cold start
    assert.equal(r.verdicts.length, 32);
    const text = readFileSync(md, "utf8");
    for (const title of ["softmax: ns per element", "softmax accuracy", "MultiMax (second order)", "sparsemax and entmax15", "per-call time", "cold start"])
      assert.ok(text.includes(title), `markdown has "${title}"`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bench:compare rejects bad arguments with exit code 2 and a message naming the argument", async () => {
  const script = new URL("../bench/compare.mjs", import.meta.url).pathname;
  for (const [args, message] of [[["--sections", "softmax,bogus"], /--sections: unknown section "bogus"/], [["--rounds", "1"], /--rounds: expected an integer >= 3/], [["--fast"], /unknown argument "--fast"/]]) {
    const p = await run(process.execPath, [script, ...args], { timeout: 60_000 });
    assert.equal(p.code, 2, p.stderr);
    assert.match(p.stderr, message);
  }
});
