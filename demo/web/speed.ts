// Panel 4: the kernels timed on the visitor's machine, every build the browser can run, side by
// side: for each operation, rounds that time each build once in turn, and the median per build.
// Inputs and outputs live in engine views (alloc, made once per engine), so the calls copy no
// data (each allocates only its small options and tensor records).
import { init, type Engine } from "multimax-wasm";
import { DEFAULT_ORDERS, paperForm } from "./params.js";
import { context } from "./plot.js";

export type Build = "relaxed" | "simd" | "scalar";
export const BUILDS: { id: Build; label: string; options: { relaxed?: boolean; simd?: boolean } }[] = [
  { id: "relaxed", label: "relaxed SIMD", options: { relaxed: true } },
  { id: "simd", label: "SIMD", options: { simd: true, relaxed: false } }, // (simd: true: never the scalar fallback)
  { id: "scalar", label: "scalar", options: { simd: false } },
];
export const buildOf = (e: Engine): Build => (e.relaxed ? "relaxed" : e.simd ? "simd" : "scalar");

const ROWS = 256, COLS = 1024, H = 4, L = 256, DH = 64;
const OPS = [
  { id: "softmax", label: `softmax (${ROWS} × ${COLS})`, elements: ROWS * COLS },
  { id: "multimax", label: `MultiMax (${ROWS} × ${COLS})`, elements: ROWS * COLS },
  { id: "sparsemax", label: `sparsemax (${ROWS} × ${COLS})`, elements: ROWS * COLS },
  { id: "attention", label: `MultiMax attention (per score)`, elements: H * L * L },
] as const;

type Calls = Record<(typeof OPS)[number]["id"], () => void>;

/** The views (made once) and the call of each operation on one engine. */
function bench(e: Engine): () => Calls {
  const fill = (v: Float32Array, s: number) => { for (let i = 0; i < v.length; i++) v[i] = s * Math.sin(i * 0.7853 + (i % 13)); return v; };
  const params = e.multimaxParams(paperForm(DEFAULT_ORDERS)); // the page's default MultiMax
  const qkv = () => fill(new Float32Array(H * L * DH), 1);
  const dims = [H, L, DH];
  // first with plain arrays: the calls size the engine's scratch memory (growth would detach views)
  const x0 = fill(new Float32Array(ROWS * COLS), 3);
  e.softmax(x0, { cols: COLS }); e.multimax(x0, { cols: COLS, params }); e.sparsemax(x0, { cols: COLS });
  e.attention({ data: qkv(), dims }, { data: qkv(), dims }, { data: qkv(), dims }, { normalizer: "multimax", params });
  const sizes = [ROWS * COLS, ROWS * COLS, H * L * DH, H * L * DH, H * L * DH, H * L * DH];
  let views = sizes.map((n) => e.alloc(n));
  // live views at every run (an alloc may have grown the memory under the earlier views)
  return () => {
    views = views.map((v) => e.refresh(v));
    const [x, y, q, k, v, o] = views;
    fill(x, 3); q.set(qkv()); k.set(qkv()); v.set(qkv());
    const t = (data: Float32Array) => ({ data, dims });
    return {
      softmax: () => e.softmax(x, { cols: COLS, out: y }),
      multimax: () => e.multimax(x, { cols: COLS, params, out: y }),
      sparsemax: () => e.sparsemax(x, { cols: COLS, out: y }),
      attention: () => e.attention(t(q), t(k), t(v), { normalizer: "multimax", params, out: t(o) }),
    };
  };
}

const median = (a: number[]) => { const s = [...a].sort((p, q) => p - q); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const pause = () => new Promise((r) => setTimeout(r, 0));

/** ns per element: median over rounds; each round times every engine once (≥ 4 ms of calls each),
 *  in turn, the order reversed every other round (so no build always runs first). */
async function time(runs: (() => void)[], elements: number, budgetMs: number): Promise<number[]> {
  const reps = runs.map((run) => {
    let n = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) run();
      if (performance.now() - t0 >= 4 || n >= 1 << 12) return n;
      n *= 2;
    }
  });
  const samples: number[][] = runs.map(() => []);
  const start = performance.now();
  for (let round = 0; round < 31 && (round < 5 || performance.now() - start < budgetMs); round++) {
    const order = runs.map((_, b) => b);
    if (round % 2) order.reverse();
    order.forEach((b) => {
      const run = runs[b], t0 = performance.now();
      for (let i = 0; i < reps[b]; i++) run();
      samples[b].push(((performance.now() - t0) * 1e6) / (reps[b] * elements));
    });
    await pause();
  }
  return samples.map(median);
}

export class SpeedPanel {
  private engines: Partial<Record<Build, Engine | string>> = {};
  private readonly benches = new Map<Engine, () => Calls>();
  private running = false;

  constructor(private readonly section: HTMLElement, private readonly loaded: Engine) {
    this.engines[buildOf(loaded)] = loaded;
  }

  async run() {
    if (this.running) return;
    this.running = true;
    const status = this.section.querySelector<HTMLElement>("#speed-status")!;
    const button = this.section.querySelector<HTMLButtonElement>("#speed-run")!;
    this.section.dataset.state = "running";
    button.disabled = true;
    try {
      for (const b of BUILDS)
        if (this.engines[b.id] === undefined) {
          const e = await init(b.options).catch((err: Error) => `not available here (${err.message})`);
          this.engines[b.id] = typeof e === "string" || buildOf(e) === b.id ? e : `not available here (init gave ${buildOf(e)})`;
        }
      const live = BUILDS.filter((b) => typeof this.engines[b.id] === "object");
      const calls = live.map((b) => {
        const e = this.engines[b.id] as Engine;
        if (!this.benches.has(e)) this.benches.set(e, bench(e));
        return this.benches.get(e)!();
      });
      const ns: Record<string, number[]> = {};
      for (const op of OPS) {
        status.textContent = `timing ${op.label}…`;
        await pause();
        ns[op.id] = await time(calls.map((c) => c[op.id]), op.elements, 400);
      }
      this.show(live.map((b) => b.id), ns);
      status.textContent = `${live.length} builds timed side by side; ${navigator.hardwareConcurrency ?? "?"} logical cores, one used.`;
      this.section.dataset.state = "done";
      button.textContent = "run again";
    } catch (e) {
      // the other panels still work: the failure is this panel's alone
      status.textContent = `failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
      this.section.dataset.state = "failed";
    } finally {
      this.running = false;
      button.disabled = false;
    }
  }

  private show(builds: Build[], ns: Record<string, number[]>) {
    const mine = buildOf(this.loaded);
    const head = this.section.querySelector("thead")!, body = this.section.querySelector("tbody")!;
    const label = (b: Build) => BUILDS.find((x) => x.id === b)!.label;
    const cls = (b: Build) => (b === mine ? ' class="loaded"' : "");
    head.innerHTML = `<tr><th>ns per element</th>${BUILDS.map((b) => `<th data-build="${b.id}"${cls(b.id)}>${b.label}${b.id === mine ? " (this page)" : ""}</th>`).join("")}</tr>`;
    body.innerHTML = OPS.map((op) => `<tr data-op="${op.id}"><td>${op.label}</td>${BUILDS.map((b) => {
      const i = builds.indexOf(b.id);
      return i < 0 ? `<td data-build="${b.id}">n/a</td>` : `<td data-build="${b.id}" data-ns="${ns[op.id][i]}"${cls(b.id)}>${ns[op.id][i].toFixed(2)}</td>`;
    }).join("")}</tr>`).join("");
    // bars: one group per operation, each bar relative to the slowest build of that operation
    const { g, w } = context(this.section.querySelector<HTMLCanvasElement>("#speed-chart")!);
    const colours: Record<Build, string> = { relaxed: "#b0306a", simd: "#e07a3f", scalar: "#7a8194" };
    const L0 = 230, rowH = 14, groupH = builds.length * rowH + 12;
    g.font = "12px system-ui, sans-serif"; g.textBaseline = "middle";
    OPS.forEach((op, o) => {
      const top = 8 + o * groupH, max = Math.max(...ns[op.id]);
      g.fillStyle = "#1d2230"; g.fillText(op.label, 4, top + (builds.length * rowH) / 2);
      builds.forEach((b, i) => {
        const len = ((w - L0 - 120) * ns[op.id][i]) / max;
        g.fillStyle = colours[b];
        g.fillRect(L0, top + i * rowH + 1, Math.max(1, len), rowH - 3);
        g.fillStyle = "#1d2230";
        g.fillText(`${ns[op.id][i].toFixed(2)} ns  ${label(b)}${b === mine ? " ◀" : ""}`, L0 + len + 6, top + i * rowH + rowH / 2);
      });
    });
  }
}
