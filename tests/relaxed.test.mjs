// The relaxed-SIMD build (build/multimax-relaxed.wasm: the exp polynomial's multiply-adds are
// f32x4.relaxed_madd, fused where the CPU has FMA) in Node.js. Node 20 validates relaxed SIMD
// only under the V8 flag --experimental-wasm-relaxed-simd, so every check runs in a child process
// with that flag (no flag where this Node.js supports relaxed SIMD by itself):
//   1. golden conformance, unchanged tolerances: tests/conformance.test.mjs,
//      tests/sparse-conformance.test.mjs and tests/grad-conformance.test.mjs (the backward passes
//      and losses) with MULTIMAX_BUILD=relaxed (they then load the build
//      with init({ relaxed: true }), which throws rather than fall back, and assert engine.relaxed);
//   2. init() picks the relaxed build by itself there, { relaxed: false } the plain SIMD build,
//      { simd: false } the scalar one, from the ESM, CommonJS and inline entries;
//   3. the relaxed build against the plain SIMD build on random rows: softmax, log-softmax and
//      MultiMax within 4 float32 ulps (measured: 3), the sparse normalisers within the golden bound.
// Where this Node.js accepts neither (no relaxed SIMD, flag unknown), the tests skip and say why;
// under CI=true they fail instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { relaxedNode } from './runtimes/fixture.mjs';

const dist = (f) => new URL(`../dist/${f}`, import.meta.url).href;
const { flags, reason } = relaxedNode(); // [] or ['--experimental-wasm-relaxed-simd'], or why neither
if (reason && process.env.CI === 'true') test('relaxed SIMD is available to the relaxed-build tests (CI)', () => assert.fail(reason));
const skip = reason ? `skipped: ${reason}` : false;

/** Runs node [flags] args in a child; returns { status, stdout, stderr }. */
function node(args, env = {}) {
  const e = { ...process.env, ...env };
  delete e.NODE_TEST_CONTEXT; // (set by node --test: the child would then report in its binary protocol, not TAP)
  return spawnSync(process.execPath, [...flags, ...args], { encoding: 'utf8', env: e, timeout: 300_000, maxBuffer: 64 << 20 });
}

for (const file of ['conformance', 'sparse-conformance', 'grad-conformance']) {
  test(`relaxed-SIMD build: tests/${file}.test.mjs passes (golden tolerances unchanged)`, { skip }, () => {
    // --test-reporter=tap: a test file run directly reports in TAP on Node.js 20 and 22 when its
    // output is not a terminal, but in the spec format on Node.js 24; the counts below read TAP.
    const r = node(['--test-reporter=tap', new URL(`${file}.test.mjs`, import.meta.url).pathname], { MULTIMAX_BUILD: 'relaxed' });
    const tail = (r.stdout + r.stderr).split('\n').slice(-60).join('\n');
    assert.equal(r.status, 0, `node ${flags.join(' ')} ${file}.test.mjs with MULTIMAX_BUILD=relaxed failed:\n${tail}`);
    const pass = /^# pass (\d+)$/m.exec(r.stdout), fail = /^# fail (\d+)$/m.exec(r.stdout);
    assert.ok(pass && Number(pass[1]) > 0 && fail && fail[1] === '0', `no passing tests reported:\n${tail}`);
    const summary = r.stdout.split('\n').find((l) => /^(# )?(gradient )?conformance \(relaxed-SIMD build\)/.test(l));
    console.log(`relaxed build, ${file}: ${pass[1]} tests pass${summary ? `; ${summary.replace(/^# /, '')}` : ''}`);
  });
}

test('relaxed-SIMD runtime: init() picks the relaxed build; { relaxed: false } the SIMD build, { simd: false } scalar (ESM, CommonJS, inline)', { skip }, () => {
  const script = `
    const out = {};
    for (const [name, lib] of [['esm', await import(${JSON.stringify(dist('index.js'))})], ['cjs', (await import('node:module')).createRequire(import.meta.url)(${JSON.stringify(new URL(dist('index.cjs')).pathname)})], ['inline', await import(${JSON.stringify(dist('inline.js'))})]]) {
      const build = (e) => (e.relaxed ? 'relaxed' : e.simd ? 'simd' : 'scalar');
      out[name] = { default: build(await lib.init()), relaxed: build(await lib.init({ relaxed: true })), plain: build(await lib.init({ relaxed: false })),
        simd: build(await lib.init({ simd: true })), scalar: build(await lib.init({ simd: false })) };
    }
    console.log(JSON.stringify(out));`;
  const r = node(['--input-type=module', '-e', script]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const entry of ['esm', 'cjs', 'inline'])
    assert.deepEqual(out[entry], { default: 'relaxed', relaxed: 'relaxed', plain: 'simd', simd: 'relaxed', scalar: 'scalar' }, entry);
});

test('relaxed-SIMD build vs plain SIMD build on random rows: softmax, logSoftmax, multimax within 4 ulps; sparse within 1e-6 + 1e-5|y|', { skip }, () => {
  const script = `
    const { init } = await import(${JSON.stringify(dist('index.js'))});
    const { mulberry32 } = await import(${JSON.stringify(new URL('../tools/prng.mjs', import.meta.url).href)});
    const R = await init({ relaxed: true }), P = await init({ relaxed: false });
    if (!R.relaxed || P.relaxed || !P.simd) throw new Error('wrong builds loaded');
    const raw = { ranges: [-0.5, 0.5, -1, 1], ts: [2, 3, 0.5, 0.5] };
    const rnd = mulberry32(20261129);
    const fns = {
      softmax: (e, x) => e.softmax(x), 'softmax T=0.7': (e, x) => e.softmax(x, { temperature: 0.7 }),
      logSoftmax: (e, x) => e.logSoftmax(x), multimax: (e, x) => e.multimax(x, { params: raw }),
      logMultimax: (e, x) => e.logMultimax(x, { params: raw }), entmax15: (e, x) => e.entmax15(x),
      'entmax 1.3': (e, x) => e.entmax(x, { alpha: 1.3 }), 'normmax 1.5': (e, x) => e.normmax(x, { alpha: 1.5 }),
    };
    const out = Object.fromEntries(Object.keys(fns).map((k) => [k, { maxUlps: 0, maxErr: 0, differing: 0, n: 0 }]));
    for (let t = 0; t < 300; t++) {
      const cols = 1 + Math.floor(rnd() * 3000), scale = 10 ** (rnd() * 4 - 2);
      const x = new Float32Array(cols).map(() => (rnd() * 2 - 1) * scale);
      for (const [k, f] of Object.entries(fns)) {
        const a = f(R, x), b = f(P, x), ia = new Int32Array(a.buffer, a.byteOffset, a.length), ib = new Int32Array(b.buffer, b.byteOffset, b.length);
        const s = out[k];
        for (let i = 0; i < a.length; i++) {
          if (ia[i] === ib[i]) continue;
          s.differing++;
          s.maxUlps = Math.max(s.maxUlps, Math.sign(a[i]) === Math.sign(b[i]) ? Math.abs(ia[i] - ib[i]) : Infinity);
          s.maxErr = Math.max(s.maxErr, Math.abs(a[i] - b[i]) / (1e-6 + 1e-5 * Math.abs(b[i])));
        }
        s.n += a.length;
      }
    }
    console.log(JSON.stringify(out));`;
  const r = node(['--input-type=module', '-e', script]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const [k, s] of Object.entries(out)) {
    if (['softmax', 'softmax T=0.7', 'logSoftmax', 'multimax', 'logMultimax'].includes(k)) assert.ok(s.maxUlps <= 4, `${k}: ${s.maxUlps} ulps`);
    assert.ok(s.maxErr <= 1, `${k}: relaxed vs plain ${s.maxErr.toFixed(3)} × (1e-6 + 1e-5|y|)`);
    console.log(`relaxed vs plain SIMD, ${k}: ${s.differing} of ${s.n} values differ, at most ${s.maxUlps} ulps, ${s.maxErr.toExponential(2)} × (1e-6 + 1e-5|y|)`);
  }
});
