// The staging step (src/stage.ts) on its own, with several row inputs: the shape of the next
// issue's backward passes (y and dy in, dx out, in place allowed), with a mask, a per-row output
// (support) and per-call scratch (tmp), run by a kernel written here in JavaScript over a real
// WebAssembly.Memory. src/ is bundled with esbuild on the fly (the staging is internal, not in
// dist/). For every way the arrays can lie (JS arrays, views in the memory, the output over an
// input, an output view with inputs outside, strided rows, many chunks or one), the result, the
// per-row output and the returned count must equal a reference computed directly; the arena must
// never exceed the planner's worst case (what reserve() asks for).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { mulberry32 } from '../tools/prng.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = await esbuild.build({
  stdin: { contents: 'export { Stager, CHUNK_BYTES, worstBytes } from "./src/stage.ts"; export { F } from "./src/descriptor.ts"; export { MASK, SUPPORT } from "./src/options.ts";', resolveDir: root, loader: 'ts' },
  bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'warning',
});
const { Stager, CHUNK_BYTES, worstBytes, F, MASK, SUPPORT } = await import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);

/** A memory with a heap from HEAP on, an arena right after the caller's views, and the kernel. */
function machine() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  let f32 = new Float32Array(memory.buffer), u8 = new Uint8Array(memory.buffer), i32 = new Int32Array(memory.buffer);
  const m = { f32, f64: new Float64Array(memory.buffer), i32, u8 };
  const sync = () => {
    f32 = m.f32 = new Float32Array(memory.buffer); u8 = m.u8 = new Uint8Array(memory.buffer);
    i32 = m.i32 = new Int32Array(memory.buffer); m.f64 = new Float64Array(memory.buffer);
  };
  let top = 1024, arenaAt = 0, arenaBytes = 0, most = 0;
  const grow = (end) => { if (end > memory.buffer.byteLength) { memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536)); sync(); } };
  return {
    memory, get f32() { return f32; },
    /** A Float32Array view of n floats in the memory (below the arena). */
    view(n) { const at = top; top += 4 * n + 64; grow(top); return at; },
    arena: {
      arena(bytes) {
        most = Math.max(most, bytes);
        if (bytes > arenaBytes) { arenaAt = top + 4096; arenaBytes = bytes; grow(arenaAt + bytes); }
        return arenaAt;
      },
      mem: () => m,
    },
    get most() { return most; },
    /** The kernel: dx = keep ? y·dy + 1 : 0 per element (tmp: the row's products, read back);
     *  support[r] = count(dx > 0); returns the rows with no kept entry. */
    kernels: {
      fake(y, dy, dx, tmp, mask, rows, cols, support) {
        assert.ok(tmp !== 0 && tmp % 64 === 0, 'tmp is given, on a cache line');
        let empty = 0;
        for (let r = 0; r < rows; r++) {
          let kept = 0, pos = 0;
          for (let i = 0; i < cols; i++) f32[tmp / 4 + i] = f32[(y >> 2) + r * cols + i] * f32[(dy >> 2) + r * cols + i];
          for (let i = 0; i < cols; i++) {
            const keep = mask === 0 || u8[mask + r * cols + i] !== 0;
            const v = keep ? f32[tmp / 4 + i] + 1 : 0;
            f32[(dx >> 2) + r * cols + i] = v;
            kept += keep; pos += v > 0;
          }
          if (support !== 0) i32[(support >> 2) + r] = pos;
          if (kept === 0) empty++;
        }
        return empty;
      },
    },
  };
}

const OP = {
  name: 'fake', kernels: ['fake'], inputs: ['y', 'dy'], optional: 0, positional: [], outputs: ['dx'], inPlace: true, options: [MASK, SUPPORT],
  tmp: (C) => 4 * C,
  run: (k, c) => k.fake(c[F.y], c[F.dy], c[F.dx], c[F.tmp], c[F.mask], c[F.rows], c[F.cols], c[F.support]),
};

function rand(n, seed) {
  const r = mulberry32(seed), a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.fround(2 * r() - 1.2);
  return a;
}

/** The reference in the caller's layout [outer, C, inner]. */
function reference(y, dy, mask, L) {
  const { outer, C, inner } = L, dx = new Float32Array(L.n), support = new Int32Array(L.rows);
  let empty = 0;
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
    let kept = 0, pos = 0;
    for (let c = 0; c < C; c++) {
      const i = (o * C + c) * inner + j, keep = !mask || mask[i] !== 0;
      const v = keep ? Math.fround(Math.fround(y[i] * dy[i]) + 1) : 0;
      dx[i] = v; kept += keep; pos += v > 0;
    }
    support[o * inner + j] = pos;
    if (kept === 0) empty++;
  }
  return { dx, support, empty };
}

const layout = (outer, C, inner) => ({ n: outer * C * inner, outer, C, inner, rows: outer * inner });

// where y, dy and dx lie: 'js' (outside the memory), 'view' (in the memory), 'y' (dx is y's view)
const PLACES = [['js', 'js', 'js'], ['view', 'js', 'js'], ['js', 'view', 'view'], ['view', 'view', 'view'], ['view', 'view', 'y'], ['js', 'js', 'view']];
const SHAPES = [[50, 1000, 1], [1, 30000, 1], [40000, 3, 1], [7, 16, 1], [5, 300, 4], [2, 20000, 3]];

for (const [outer, C, inner] of SHAPES) {
  test(`staging ${outer}x${C}${inner > 1 ? `x${inner} (strided rows)` : ''}: every placement of y, dy and dx, with a mask and support, equals the reference`, () => {
    const L = layout(outer, C, inner), n = L.n;
    const y = rand(n, 1 + n), dy = rand(n, 2 + n), mask = new Uint8Array(n).map((_, i) => (i * 7919) % 5 !== 0);
    for (let i = 0; i < C * inner; i++) mask[i] = 0; // (the first rows fully masked: counted as empty)
    const ref = reference(y, dy, mask, L);
    for (const [py, pdy, pdx] of PLACES) {
      const M = machine(), st = new Stager(OP);
      const place = (a, where) => {
        if (where === 'js') return { data: a.slice(), ptr: -1 };
        const at = M.view(n);
        M.f32.set(a, at / 4);
        return { ptr: at };
      };
      const Y = place(y, py), DY = place(dy, pdy);
      const DX = pdx === 'y' ? { ptr: Y.ptr } : pdx === 'view' ? { ptr: M.view(n) } : { data: new Float32Array(n), ptr: -1 };
      const data = (P) => (P.ptr >= 0 ? new Float32Array(M.memory.buffer, P.ptr, n) : P.data);
      const support = new Int32Array(L.rows).fill(-1);
      st._inData[0] = data(Y); st._inPtr[0] = Y.ptr;
      st._inData[1] = data(DY); st._inPtr[1] = DY.ptr;
      st._outData[0] = data(DX); st._outPtr[0] = DX.ptr;
      st._vals[0] = mask; st._vals[1] = support;
      const empty = st.run(M.kernels, M.arena, L);
      st._clear();
      const what = `y ${py}, dy ${pdy}, dx ${pdx}`;
      const got = DX.ptr >= 0 ? new Float32Array(M.memory.buffer, DX.ptr, n) : DX.data;
      for (let i = 0; i < n; i++) if (!Object.is(got[i], ref.dx[i])) assert.fail(`${what}: dx[${i}] = ${got[i]}, expected ${ref.dx[i]}`);
      assert.deepEqual(Array.from(support), Array.from(ref.support), `${what}: support`);
      assert.equal(empty, ref.empty, `${what}: the kernels' count over all chunks`);
      if (pdy === 'view') for (let i = 0; i < n; i++) if (!Object.is(new Float32Array(M.memory.buffer, DY.ptr, n)[i], dy[i])) assert.fail(`${what}: dy was written`);
      assert.ok(M.most <= worstBytes(OP, n), `${what}: the arena (${M.most} bytes) exceeds the planner's worst case for ${n} values`);
      // (per-row data beyond one chunk only for rows that alone exceed it; tmp and alignment besides)
      assert.ok(M.most <= Math.max(CHUNK_BYTES, 9 * C + 4) + 4 * C + 8 * 64, `${what}: arena ${M.most} bytes for rows of ${C}`);
    }
  });
}

test('consecutive calls of alternating shapes (the plan reused, then made again) each give the reference', () => {
  const M = machine(), st = new Stager(OP);
  for (const [outer, C] of [[20, 100], [20, 100], [3, 7], [20, 100]]) {
    const L = layout(outer, C, 1), n = L.n, y = rand(n, C), dy = rand(n, C + 1), ref = reference(y, dy, null, L);
    const dx = new Float32Array(n);
    st._inData[0] = y; st._inPtr[0] = -1; st._inData[1] = dy; st._inPtr[1] = -1; st._outData[0] = dx; st._outPtr[0] = -1;
    st._vals[0] = null; st._vals[1] = null;
    st.run(M.kernels, M.arena, L);
    st._clear();
    assert.deepEqual(Array.from(dx), Array.from(ref.dx), `${outer}x${C}`);
  }
});
