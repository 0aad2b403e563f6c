// The demo page: loads the package's browser entry (init() picks the build: relaxed SIMD, SIMD or
// scalar; ?build=… forces one), wires the controls to one state, and redraws what a change touches
// on the next animation frame. document.body.dataset.ready = "true" once every panel has drawn;
// data-frames counts the frames drawn (tests wait on them). window.multimaxDemo exposes the state
// and panel 3's exact inputs, so a test can recompute what the page shows.
import { init, type Engine } from "multimax-wasm";
import { AttentionPanel, type AttentionState } from "./heatmaps.js";
import { drawModulator } from "./modulator.js";
import { checkpointText, copyOrders, DEFAULT_ORDERS, fromCheckpoint, paperForm, type Orders } from "./params.js";
import { N, SimplexPanel, type SimplexState } from "./simplex.js";
import { BUILDS, buildOf, SpeedPanel, type Build } from "./speed.js";

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const num = (id: string) => Number($<HTMLInputElement>(id).value);

type Part = "simplex" | "phi" | "attention";

async function main() {
  const want = new URLSearchParams(location.search).get("build");
  const choice = BUILDS.find((b) => b.id === want);
  if (want !== null && !choice) throw new RangeError(`?build: expected relaxed, simd or scalar, got ${JSON.stringify(want)}`);
  const engine: Engine = await init(choice?.options);
  const build: Build = buildOf(engine);
  const buildEl = $("#build");
  buildEl.dataset.build = build;
  buildEl.textContent = `${BUILDS.find((b) => b.id === build)!.label} (build/${build === "relaxed" ? "multimax-relaxed" : build === "simd" ? "multimax" : "multimax-scalar"}.wasm)`;

  const orders: Orders = copyOrders(DEFAULT_ORDERS);
  const sim: SimplexState = { radius: num("#radius"), offset: num("#offset"), center: { u: 0, v: 0 }, alpha: num("#alpha"), orders, phase: 0 };
  const att: AttentionState = { source: "random", peak: num("#attn-peak"), seed: 1, causal: false, orders };

  const simplex = new SimplexPanel($<HTMLCanvasElement>("#pad"), $("#simplices"), (u, v) => { sim.center = { u, v }; touch("simplex", "phi"); });
  const attention = new AttentionPanel($("#heatmaps"));
  const speed = new SpeedPanel($("#speed"), engine);

  // ---- redraw on the next frame: what changed, and the animation ----
  const dirty = new Set<Part>(["simplex", "phi", "attention"]);
  let frames = 0, scheduled = false, last = performance.now();
  const touch = (...parts: Part[]) => { parts.forEach((p) => dirty.add(p)); schedule(); };
  const schedule = () => { if (!scheduled) { scheduled = true; requestAnimationFrame(frame); } };
  const playing = () => $<HTMLInputElement>("#play").checked;
  function frame(now: number) {
    scheduled = false;
    if (playing()) sim.phase = (sim.phase + (now - last) / 12000) % 1; // one turn in 12 s
    last = now;
    if (dirty.has("simplex")) simplex.compute(engine, sim);
    simplex.draw(sim);
    if (dirty.has("phi")) {
      let lo = Infinity, hi = -Infinity;
      for (const v of simplex.x) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      drawModulator($<HTMLCanvasElement>("#phi"), orders, [lo, hi]);
    }
    if (dirty.has("attention")) attention.render(engine, att);
    dirty.clear();
    document.body.dataset.frames = String(++frames);
    if (playing()) schedule();
  }

  // ---- controls ----
  const show = (input: HTMLInputElement, text: string) => { const o = input.parentElement!.querySelector("output"); if (o) o.textContent = text; };
  const bind = (sel: string, apply: (v: number) => void, ...parts: Part[]) => {
    const el = $<HTMLInputElement>(sel);
    const on = () => { apply(Number(el.value)); show(el, el.value); touch(...parts); };
    el.addEventListener("input", on);
    show(el, el.value);
  };
  bind("#radius", (v) => (sim.radius = v), "simplex", "phi");
  bind("#offset", (v) => (sim.offset = v), "simplex", "phi");
  bind("#alpha", (v) => { sim.alpha = v; simplex.label("entmax", `α-entmax, α = ${v}`); }, "simplex");
  simplex.label("entmax", `α-entmax, α = ${sim.alpha}`);
  bind("#attn-peak", (v) => (att.peak = v), "attention");
  $("#play").addEventListener("change", () => { last = performance.now(); schedule(); });
  $("#attn-seed").addEventListener("click", () => { att.seed++; touch("attention"); });
  $<HTMLSelectElement>("#attn-source").addEventListener("change", (e) => {
    att.source = (e.target as HTMLSelectElement).value as AttentionState["source"];
    $<HTMLButtonElement>("#attn-seed").disabled = att.source === "sentence";
    touch("attention");
  });
  $<HTMLInputElement>("#attn-causal").addEventListener("change", (e) => { att.causal = (e.target as HTMLInputElement).checked; touch("attention"); });

  // MultiMax's parameters: sliders (paper form) and the checkpoint text, kept in step
  const sliders = [...document.querySelectorAll<HTMLInputElement>("input[data-param]")];
  const text = $<HTMLTextAreaElement>("#checkpoint"), error = $("#checkpoint-error");
  const key = (el: HTMLInputElement) => { const p = el.dataset.param!; return { o: orders[Number(p.at(-1)) - 1], k: p.slice(0, -1) as keyof Orders[0] }; };
  const syncSliders = () => sliders.forEach((el) => { const { o, k } = key(el); el.value = String(o[k]); show(el, String(o[k])); });
  const changed = (fromText: boolean) => {
    if (!fromText) { text.value = checkpointText(orders); error.textContent = ""; }
    touch("simplex", "phi", "attention");
  };
  sliders.forEach((el) => el.addEventListener("input", () => { const { o, k } = key(el); o[k] = Number(el.value); show(el, el.value); changed(false); }));
  text.addEventListener("input", () => {
    try {
      let c: unknown;
      try { c = JSON.parse(text.value); } catch (e) { throw new SyntaxError(`not JSON: ${(e as Error).message}`); }
      if (c === null || typeof c !== "object" || !("ranges" in c) || !("ts" in c)) throw new TypeError("expected the checkpoint form { \"ranges\": [4 numbers], \"ts\": [4 numbers] }");
      engine.multimaxParams(c as { ranges: number[]; ts: number[] }); // the library's own checks and messages
      const next = fromCheckpoint(c as { ranges: number[]; ts: number[] });
      engine.multimaxParams(paperForm(next));
      orders.splice(0, 2, ...next);
      error.textContent = "";
      syncSliders();
      changed(true);
    } catch (e) {
      error.textContent = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  });
  $("#reset").addEventListener("click", () => { orders.splice(0, 2, ...copyOrders(DEFAULT_ORDERS)); syncSliders(); changed(false); });
  syncSliders();
  text.value = checkpointText(orders);

  (globalThis as Record<string, unknown>).multimaxDemo = {
    build, N,
    params: () => paperForm(orders),
    attentionCase: () => {
      const c = attention.current!;
      return { L: c.L, D: c.D, q: Array.from(c.q), k: Array.from(c.k), v: Array.from(c.v), causal: c.causal, params: paperForm(orders) };
    },
    runSpeed: () => speed.run(),
  };

  // first frame, then the speed panel once the page has drawn
  await new Promise<void>((r) => { requestAnimationFrame(() => { frame(performance.now()); r(); }); });
  document.body.dataset.ready = "true";
  $("#speed-run").addEventListener("click", () => void speed.run().catch(report));
  setTimeout(() => void speed.run().catch(report), 300);
}

function report(e: unknown) {
  const el = document.querySelector<HTMLElement>("#fatal")!;
  el.hidden = false;
  el.textContent = `The demo failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  document.body.dataset.error = el.textContent;
  console.error(e);
}

main().catch(report);
