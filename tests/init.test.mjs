// init() options added for the runtimes (issue 4): { simd }, the automatic scalar fallback when
// WebAssembly.validate rejects SIMD, one argument parser shared by init and initSync (unknown
// options and conflicting sources are TypeErrors naming the option), and the error a re-bundled
// default entry gives when the wasm is not beside it. The { relaxed } option (the relaxed-SIMD
// build) and its fallbacks; tests/relaxed.test.mjs runs the relaxed build itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { init, initSync, softmax } from '../dist/index.js';
import { relaxedNode } from './runtimes/fixture.mjs';

const WASM = readFileSync(new URL('../build/multimax.wasm', import.meta.url));
const SCALAR = readFileSync(new URL('../build/multimax-scalar.wasm', import.meta.url));
const x = Float32Array.of(1, 0.9, -1, 3, 2, 2, 0, -5);

test('init({ simd: false }) loads the bundled scalar build; { simd: true } the SIMD build; same results within float32 rounding', async () => {
  const sc = await init({ simd: false });
  assert.equal(sc.simd, false);
  const ys = sc.softmax(x, { cols: 4 });
  const si = await init({ simd: true });
  assert.equal(si.simd, true);
  const yv = si.softmax(x, { cols: 4 });
  ys.forEach((v, i) => assert.ok(Math.abs(v - yv[i]) <= 2e-7, `element ${i}: scalar ${v}, simd ${yv[i]}`));
  // the scalar engine is the one initSync(scalar bytes) gives: bitwise the same outputs
  assert.deepEqual(Array.from(initSync(SCALAR).softmax(x, { cols: 4 })), Array.from(ys));
  // { simd } only picks the bundled build: with an explicit source, the source decides
  assert.equal((await init({ bytes: WASM, simd: false })).simd, true);
});

test('without SIMD support (WebAssembly.validate says no) init() picks the scalar build by itself', () => {
  // A fresh process whose WebAssembly.validate rejects every module that uses the SIMD prefix
  // (0xfd) -- as a runtime without SIMD does -- before the library is imported.
  const script = `
    const validate = WebAssembly.validate;
    WebAssembly.validate = (b) => !new Uint8Array(b.buffer ?? b).includes(0xfd) && validate(b);
    const { init } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
    const mm = await init();
    let forced = 'no error';
    try { await init({ simd: true }); } catch (e) { forced = e.name + ': ' + e.message; }
    console.log(JSON.stringify({ simd: mm.simd, y: Array.from(mm.softmax(Float32Array.of(1, 2, 3))), forced }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.equal(out.simd, false, 'the scalar build was chosen');
  assert.ok(Math.abs(out.y.reduce((a, b) => a + b) - 1) < 1e-6 && out.y[2] > out.y[1]);
  assert.match(out.forced, /^RangeError: init: simd: true, but this runtime's WebAssembly has no SIMD support \(use \{ simd: false \} or leave simd out\)/);
});

test('without relaxed SIMD (WebAssembly.validate rejects relaxed_madd) init() picks the plain SIMD build; { relaxed: true } is a RangeError; without SIMD too', () => {
  // Fresh processes whose WebAssembly.validate rejects f32x4.relaxed_madd (0xfd 0x85 0x02), or
  // every SIMD instruction (0xfd), before the library is imported: Node.js 20 without
  // --experimental-wasm-relaxed-simd rejects relaxed SIMD by itself, newer runtimes do not.
  const run = (reject) => {
    const script = `
      const validate = WebAssembly.validate;
      const reject = ${JSON.stringify(reject)};
      WebAssembly.validate = (b) => { const u = new Uint8Array(b.buffer ?? b); return !u.some((v, i) => reject.every((r, j) => u[i + j] === r)) && validate(b); };
      const { init } = await import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)});
      const build = (e) => e.relaxed ? 'relaxed' : e.simd ? 'simd' : 'scalar';
      const tryInit = async (o) => { try { return build(await init(o)); } catch (e) { return e.name + ': ' + e.message; } };
      console.log(JSON.stringify({ default: await tryInit(), plain: await tryInit({ relaxed: false }), relaxed: await tryInit({ relaxed: true }),
        simd: await tryInit({ simd: true }), scalar: await tryInit({ simd: false }), bytes: await tryInit({ bytes: (await import('node:fs')).readFileSync(${JSON.stringify(new URL('../build/multimax.wasm', import.meta.url).pathname)}), relaxed: true }) }));`;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  };
  const noRelaxed = run([0xfd, 0x85, 0x02]);
  const relaxedErr = /^RangeError: init: relaxed: true, but this runtime's WebAssembly has no relaxed SIMD support \(use \{ relaxed: false \} or leave relaxed out\)$/;
  assert.equal(noRelaxed.default, 'simd', 'init() falls back to the plain SIMD build');
  assert.equal(noRelaxed.plain, 'simd');
  assert.match(noRelaxed.relaxed, relaxedErr);
  assert.equal(noRelaxed.simd, 'simd', '{ simd: true } alone does not require relaxed SIMD');
  assert.equal(noRelaxed.scalar, 'scalar');
  assert.equal(noRelaxed.bytes, 'simd', '{ relaxed } only picks a bundled build: with an explicit source, the source decides');
  const noSimd = run([0xfd]);
  assert.deepEqual({ ...noSimd, relaxed: undefined, simd: undefined }, { default: 'scalar', plain: 'scalar', scalar: 'scalar', bytes: 'simd', relaxed: undefined, simd: undefined });
  assert.match(noSimd.relaxed, relaxedErr);
  assert.match(noSimd.simd, /^RangeError: init: simd: true, but this runtime's WebAssembly has no SIMD support/);
});

test('{ relaxed: true, simd: false } is a TypeError naming both; engine.relaxed is false on the plain and scalar builds', async () => {
  for (const src of [{ relaxed: true, simd: false }, { simd: false, relaxed: true }])
    await assert.rejects(() => init(src), (e) => e instanceof TypeError && e.message === 'init: relaxed: true contradicts simd: false (the relaxed build is a SIMD build)');
  assert.throws(() => initSync({ bytes: WASM, relaxed: true, simd: false }), (e) => e instanceof TypeError && /^initSync: relaxed: true contradicts simd: false/.test(e.message));
  const plain = await init({ relaxed: false });
  assert.deepEqual([plain.simd, plain.relaxed], [true, false]);
  const scalar = await init({ relaxed: false, simd: false });
  assert.deepEqual([scalar.simd, scalar.relaxed], [false, false]);
  assert.equal(initSync(WASM).relaxed, false);
  assert.equal(initSync(SCALAR).relaxed, false);
});

test('bad init options are TypeErrors naming the option, and the next init works', async () => {
  const cases = [
    [{ relaxed: 'yes' }, /^init: relaxed: expected true or false, got "yes"/],
    [{ simd: 'no' }, /^init: simd: expected true or false, got "no"/],
    [{ simd: 1 }, /^init: simd: expected true or false, got 1/],
    [{ module: new WebAssembly.Module(SCALAR), bytes: WASM }, /^init: expected one of the options module, bytes, url, simd and relaxed, got module and bytes \(give one source\)/],
    [{ bytes: WASM, url: 'x.wasm' }, /^init: expected one of the options module, bytes, url, simd and relaxed, got bytes and url \(give one source\)/],
    [{ wasm: WASM }, /^init: expected one of the options module, bytes, url, simd and relaxed, got option "wasm"/],
    [{ url: 'http://[bad' }, /^init: url: expected a valid URL, got "http:\/\/\[bad"/],
  ];
  for (const [src, re] of cases) {
    await assert.rejects(() => init(src), (e) => e instanceof TypeError && re.test(e.message), `init(${JSON.stringify(Object.keys(src))})`);
    assert.throws(() => softmax(x), (e) => e instanceof TypeError && /init/.test(e.message), 'the top level is unusable after a failed init');
    assert.equal((await init()).softmax(x).length, x.length, 'the next init works');
  }
});

test('initSync: no URLs and no bundled-build lookup (synchronous), same option errors', () => {
  for (const [src, re] of [
    [{ url: 'x.wasm' }, /^initSync: expected a WebAssembly.Module or the wasm bytes, bare or as \{ module \} \| \{ bytes \}, got an Object/],
    [{ simd: false }, /^initSync: expected a WebAssembly.Module or the wasm bytes/],
    [{ module: WASM }, /^initSync: module: expected a WebAssembly.Module, got a Buffer/],
    [{ wasm: 1 }, /^initSync: expected one of the options module, bytes, url, simd and relaxed, got option "wasm"/],
  ]) assert.throws(() => initSync(src), (e) => e instanceof TypeError && re.test(e.message), JSON.stringify(Object.keys(src)));
  assert.equal(initSync({ module: new WebAssembly.Module(WASM) }).simd, true);
});

test('an unreadable default location says what to do (the re-bundling failure)', async () => {
  // The CommonJS build locates the wasm from __filename: copy it somewhere with no build/ beside it.
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  try {
    execFileSync('mkdir', ['-p', `${dir}/dist`]);
    execFileSync('cp', [new URL('../dist/index.cjs', import.meta.url).pathname, `${dir}/dist/index.cjs`]);
    const script = `require(${JSON.stringify(`${dir}/dist/index.cjs`)}).init().then(() => console.log('loaded'), (e) => console.log(e.message));`;
    const msg = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    // the build init() asks for here: the relaxed-SIMD one where this Node.js validates relaxed
    // SIMD by itself (22+), else the plain SIMD one (Node.js 20 without its flag)
    const file = relaxedNode().native ? 'multimax-relaxed\\.wasm' : 'multimax\\.wasm';
    assert.match(msg, new RegExp(`cannot read .*build/${file}: ENOENT`));
    assert.match(msg, /multimax-wasm\/inline/);
    assert.match(msg, /README "Bundlers"/);
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
});

test('overlapping init() calls: the top-level functions follow the call that started last', async () => {
  const x3 = Float32Array.of(1, 2, 3);
  // a (scalar, started first) finishes after b (SIMD bytes) or before: either way b wins
  const a = init({ simd: false });
  const b = init({ bytes: WASM });
  const [ea, eb] = await Promise.all([a, b]);
  assert.equal(ea.simd, false);
  assert.equal(eb.simd, true);
  const before = eb.memory.buffer.byteLength;
  softmax(new Float32Array(1 << 20)); // grows the memory of the engine the top level uses
  assert.ok(eb.memory.buffer.byteLength > before, 'the top level ran on the engine of the later call');
  // an earlier init that fails after a later initSync succeeded does not break the top level
  const late = init('file:///nonexistent/multimax.wasm');
  const e2 = initSync(WASM);
  await assert.rejects(late);
  assert.deepEqual(Array.from(softmax(x3)), Array.from(e2.softmax(x3)), 'the top level still works (bound to initSync)');
});

test('byte sources: any ArrayBufferView (DataView, offset views), SharedArrayBuffer, other realms; non-plain objects are refused with the full message', async () => {
  const { runInNewContext } = await import('node:vm');
  const big = new Uint8Array(WASM.length + 16);
  big.set(WASM, 8);
  const sab = new SharedArrayBuffer(WASM.length);
  new Uint8Array(sab).set(WASM);
  const foreign = runInNewContext('(b) => { const a = new ArrayBuffer(b.length); new Uint8Array(a).set(b); return a; }')(WASM);
  for (const [what, src] of [
    ['DataView', new DataView(big.buffer, 8, WASM.length)],
    ['offset Uint8Array', big.subarray(8, 8 + WASM.length)],
    ['SharedArrayBuffer', sab],
    ['{ bytes: other-realm ArrayBuffer }', { bytes: foreign }],
    ['other-realm ArrayBuffer', foreign],
  ]) {
    assert.equal((await init(src)).simd, true, `init(${what})`);
    assert.equal(initSync(src).simd, true, `initSync(${what})`);
  }
  const foreignModule = runInNewContext('(b) => new WebAssembly.Module(b)')(WASM);
  assert.equal((await init({ module: foreignModule })).simd, true, 'a Module from another realm');
  for (const [what, src] of [['a Response', new Response(WASM)], ['a Promise', Promise.resolve(WASM)], ['a Map', new Map()]])
    await assert.rejects(() => init(src), (e) => e instanceof TypeError && /^init: expected a WebAssembly\.Module, bytes \(ArrayBuffer \| ArrayBufferView\), a URL, or \{ module \| bytes \| url, simd, relaxed \}, got a (Response|Promise|Map)$/.test(e.message), what);
});

test('a relative url resolves against a working directory whose name holds #, % or ?', () => {
  const dir = execFileSync('mktemp', ['-d'], { encoding: 'utf8' }).trim();
  try {
    const odd = `${dir}/we#ird %41 dir?`;
    execFileSync('mkdir', ['-p', odd]);
    execFileSync('cp', [new URL('../build/multimax-scalar.wasm', import.meta.url).pathname, `${odd}/m.wasm`]);
    const script = `import(${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}).then((m) => m.init({ url: 'm.wasm' })).then((e) => console.log('simd', e.simd), (e) => console.log(e.message));`;
    assert.equal(execFileSync(process.execPath, ['-e', script], { cwd: odd, encoding: 'utf8' }).trim(), 'simd false');
  } finally {
    execFileSync('rm', ['-rf', dir]);
  }
});
