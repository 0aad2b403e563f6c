// A/B benchmark (a report, not a test): this checkout's package against another build of it (a
// previous commit), side by side in one process, for the "speed must not change" checks of a
// refactoring. Both packages load their own wasm with init() (the same kind of build: both plain
// SIMD, or both relaxed SIMD under --experimental-wasm-relaxed-simd on Node.js 20).
//
//   git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci --ignore-scripts && npm run build)
//   npm run build && node bench/ab.mjs --base /tmp/base [--quick] [--rounds N] [--target-ms M] [--only a,b]
//
// For every shape and candidate (an operation in a calling mode: zc = zero-copy views for x and
// out; copy = x a JS Float32Array, a new result per call (its allocation and garbage collection
// make it noisy); out = x and out JS Float32Arrays, out reused; mask = zero-copy with a mask;
// axis0 = zero-copy tensor views normalised along axis 0), both
// sides run interleaved with the shared harness (bench/harness.mjs: warm-up, calibration, rounds
// that rotate their starting candidate), and the ratio new/base is taken round by round; the table
// shows its median and p10–p90 (below 1: the new build is faster). Outputs of the two sides are
// compared bitwise before timing (a difference is reported, and the exit code is 1).
import os from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { eachArg, fmtX, lpad, measure, normals, pad, pickIndex, ratioSummary } from "./harness.mjs";

const o = { base: null, quick: false, rounds: null, targetMs: null, only: null };
try {
  eachArg(process.argv.slice(2), (a, val, is) => {
    if (a === "--quick") o.quick = true;
    else if (is("--base")) o.base = val();
    else if (is("--rounds")) o.rounds = Number(val());
    else if (is("--target-ms")) o.targetMs = Number(val());
    else if (is("--only")) o.only = val().split(",");
    else throw new Error(`unknown argument ${JSON.stringify(a)}`);
  });
  if (!o.base) throw new Error("--base <dir> is required (a built checkout of the package to compare with)");
} catch (e) {
  console.error(`bench/ab: ${e.message}`);
  process.exit(2);
}
const ROUNDS = o.rounds ?? (o.quick ? 7 : 15), TARGET = o.targetMs ?? (o.quick ? 6 : 15), WARMUP = o.quick ? 40 : 150;

const sides = {
  base: await import(pathToFileURL(resolve(o.base, "dist/index.js")).href),
  new: await import("../dist/index.js"),
};
const engines = { base: await sides.base.init(), new: await sides.new.init() };
if (engines.base.relaxed !== engines.new.relaxed || engines.base.simd !== engines.new.simd) throw new Error("the two sides loaded different kinds of build");
const build = engines.new.relaxed ? "relaxed SIMD" : engines.new.simd ? "SIMD" : "scalar";
const P = { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] };

const OPS = [
  ["softmax", {}, ["zc", "copy", "out", "mask", "axis0"]],
  ["logSoftmax", {}, ["zc"]],
  ["multimax", { params: P }, ["zc", "copy", "out", "mask"]],
  ["sparsemax", {}, ["zc", "copy", "out", "mask"]],
  ["entmax15", {}, ["zc"]],
  ["entmax", { alpha: 1.25 }, ["zc"]],
  ["normmax", {}, ["zc"]],
  ["evSoftmax", {}, ["zc"]],
].filter(([name]) => !o.only || o.only.includes(name));
const SHAPES = [[1, 16], [1, 32000], [4096, 128], [256, 1024], [64, 4096], [1, 1_000_000]];

console.log(`# bench/ab: new (${process.cwd()}) / base (${resolve(o.base)}), ${build} build, Node.js ${process.version}, ${os.cpus()[0]?.model ?? "?"}`);
console.log(`# rounds ${ROUNDS}, ~${TARGET} ms per sample; ratio = new time / base time (median, p10–p90)`);
let bad = 0;
for (const [rows, cols] of SHAPES) {
  const n = rows * cols, x = normals(n, 7), mask = new Uint8Array(n).map((_, i) => ((i * 2654435761) >>> 29) !== 0 ? 1 : 0);
  const tiny = n <= 16;
  const views = {};
  for (const s of ["base", "new"]) {
    const e = engines[s];
    views[s] = { xv: e.alloc(n), yv: e.alloc(n), out: new Float32Array(n) };
  }
  for (const s of ["base", "new"]) { views[s].xv = engines[s].refresh(views[s].xv); views[s].xv.set(x); }
  const make = () => {
    const cands = [];
    for (const [name, opts, modes] of OPS) for (const mode of modes) {
      if (tiny && mode !== "copy" && mode !== "out") continue;
      for (const s of ["base", "new"]) {
        const e = engines[s], v = views[s], pick = pickIndex(n);
        const call = mode === "zc" ? () => e[name](v.xv, { ...opts, cols, out: v.yv })
          : mode === "mask" ? () => e[name](v.xv, { ...opts, cols, out: v.yv, mask })
          : mode === "out" ? () => e[name](x, { ...opts, cols, out: v.out })
          : mode === "axis0" ? () => e[name]({ data: v.xv, dims: [rows, cols] }, { ...opts, axis: 0, out: { data: v.yv, dims: [rows, cols] } }).data
          : () => e[name](x, { ...opts, cols });
        cands.push({ key: `${s}:${name}:${mode}`, side: s, label: `${name} ${mode}`, call, run(reps) {
          let acc = 0;
          for (let r = 0; r < reps; r++) acc += call()[pick(r)];
          return acc;
        } });
      }
    }
    return cands;
  };
  const cands = make();
  // a side whose memory grew (the base build's copying calls may grow it) gets live views again
  const refresh = () => {
    let did = false;
    for (const s of ["base", "new"]) for (const k of ["xv", "yv"]) if (views[s][k].length === 0) { views[s][k] = engines[s].refresh(views[s][k]); did = true; }
    return did;
  };
  // outputs must agree bitwise before anything is timed
  for (let i = 0; i < cands.length; i += 2) {
    const a = Float32Array.from(cands[i].call());
    refresh();
    const b = Float32Array.from(cands[i + 1].call());
    refresh();
    const ua = new Uint32Array(a.buffer), ub = new Uint32Array(b.buffer);
    let diff = 0;
    for (let j = 0; j < n; j++) if (ua[j] !== ub[j] && !(Number.isNaN(a[j]) && Number.isNaN(b[j]))) diff++;
    if (diff) { bad++; console.log(`DIFFERENT OUTPUTS: ${cands[i].label} ${rows}x${cols}: ${diff} elements`); }
  }
  const { ns } = await measure({ make, refresh, elements: n, rounds: ROUNDS, targetMs: TARGET, warmupMs: WARMUP });
  console.log(`\n${rows}x${cols}`);
  for (let i = 0; i < cands.length; i += 2) {
    const label = cands[i].label, kb = cands[i].key, kn = cands[i + 1].key;
    const r = ratioSummary(ns[kn], ns[kb]);
    const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
    console.log(`  ${pad(label, 20)} base ${lpad(med(ns[kb]).toFixed(3), 8)} ns/el   new ${lpad(med(ns[kn]).toFixed(3), 8)}   ratio ${fmtX(r.median)} (${r.p10.toFixed(2)}–${r.p90.toFixed(2)})`);
  }
}
process.exit(bad ? 1 : 0);
