// The worked examples (examples/*.mjs) run as a user would run them, in a child process, at a small
// size: they exit 0, print what they promise, and what they print is sane (examples that rot are
// worse than none).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = fileURLToPath(new URL("../examples/fit-multimax.mjs", import.meta.url));
const METHODS = ["softmax", "sparsemax", "entmax15", "multimax"];

/** Runs the example; returns its stdout (execFileSync throws, with stderr, on a nonzero exit). */
const run = (args) => execFileSync(process.execPath, [example, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, stdio: ["ignore", "pipe", "pipe"] });

/** The table rows: method → { before, after, massBefore, massAfter, zeros, learned }. */
function parseTable(out) {
  const rows = {};
  for (const line of out.split("\n")) {
    const m = /^\s+(\w+)\s+(\S+)\s+(\S+)\s+(\S+) -> (\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!m || !METHODS.includes(m[1])) continue;
    assert.ok(!(m[1] in rows), `${m[1]} printed twice`);
    rows[m[1]] = { before: Number(m[2]), after: Number(m[3]), massBefore: Number(m[4]), massAfter: Number(m[5]), zeros: Number(m[6]), learned: m[7] };
  }
  return rows;
}

test("examples/fit-multimax.mjs fits all four normalisers and MultiMax learns", () => {
  const args = ["--rows", "64", "--steps", "80", "--seed", "3"];
  const out = run(args);
  assert.match(out, /^\s+method\s+loss before\s+loss after\s+irrelevant mass\s+zeros\/row\s+learned$/m, out);
  const t = parseTable(out);
  assert.deepEqual(Object.keys(t), METHODS, out);
  for (const [name, r] of Object.entries(t)) {
    for (const k of ["before", "after", "massBefore", "massAfter", "zeros"]) assert.ok(Number.isFinite(r[k]), `${name} ${k} = ${r[k]}\n${out}`);
    assert.ok(r.before >= 0 && r.after >= 0 && r.after <= 1, `${name}: losses ${r.before} -> ${r.after}`);
    assert.ok(r.massBefore >= 0 && r.massBefore <= 1 && r.massAfter >= 0 && r.massAfter <= 1, `${name}: irrelevant mass ${r.massBefore} -> ${r.massAfter}`);
    assert.doesNotMatch(r.learned, /NaN|Infinity/, `${name}: learned ${r.learned}`);
  }
  // learning happened: MultiMax starts at softmax (ts = 0) and must end well below it, on held-out rows
  assert.ok(t.multimax.after < 0.8 * t.multimax.before, `multimax: held-out loss ${t.multimax.before} -> ${t.multimax.after}\n${out}`);
  assert.equal(t.multimax.before, t.softmax.before, "MultiMax with ts = 0 starts as softmax at T = 1");
  assert.ok(t.softmax.after <= t.softmax.before, `softmax's loss rose: ${t.softmax.before} -> ${t.softmax.after}`);
  assert.ok(t.multimax.massAfter < t.multimax.massBefore, "MultiMax moved mass off the irrelevant entries");
  assert.ok(t.sparsemax.zeros > 0 && t.entmax15.zeros > 0 && t.softmax.zeros === 0, "only the sparse maps give exact zeros");
  assert.match(t.multimax.learned, /^ranges \[.*\], ts \[.*\]$/);
  assert.doesNotMatch(t.multimax.learned, /ts \[0\.00, 0\.00, 0\.00, 0\.00\]/, "MultiMax's ts moved");
  // deterministic: the same seed prints the same table (the timing line aside)
  const strip = (s) => s.replace(/Fitted in .* s\./, "");
  assert.equal(strip(run(args)), strip(out));
});

test("examples/fit-multimax.mjs rejects bad arguments with exit code 2", () => {
  for (const args of [["--rows", "0"], ["--bogus", "1"], ["--steps", "x"]]) {
    assert.throws(() => run(args), (e) => e.status === 2 && /fit-multimax: /.test(e.stderr), args.join(" "));
  }
});
