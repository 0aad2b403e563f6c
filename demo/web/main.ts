// The demo page: loads the package's browser entry (init() picks the build: relaxed SIMD, SIMD or
// scalar; ?build=… forces one), wires the controls to one state, and redraws what a change touches
// on the next animation frame. document.body.dataset.ready = "true" once every panel has drawn;
// data-frames counts the frames drawn. window.multimaxDemo exposes the state
// and panel 3's exact inputs, so a test can recompute what the page shows (docs/demo.md).
import { init, type Engine, type MultimaxParams } from "multimax-wasm";
import { AttentionPanel, type AttentionState } from "./heatmaps.js";
import { drawModulator } from "./modulator.js";
import { checkpointText, copyOrders, DEFAULT_ORDERS, fromCheckpoint, ORDER_SLIDERS, paperForm, type Checkpoint, type Orders } from "./params.js";
import { N, SimplexPanel, type SimplexState } from "./simplex.js";
import { BUILDS, buildOf, SpeedPanel, type Build } from "./speed.js";

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
const num = (id: string) => Number($<HTMLInputElement>(id).value);

type Part = "simplex" | "phi" | "attention";

async function main() {
  const want = new URLSearchParams(location.search).get("build");
  const choice = BUILDS.find((b) => b.id === want);
  const engine: Engine = await init(choice?.options); // (a build this browser lacks: a RangeError, shown)
  const build: Build = buildOf(engine);
  const buildEl = $("#build");
  buildEl.dataset.build = build;
  buildEl.textContent = `${BUILDS.find((b) => b.id === build)!.label} (build/${build === "relaxed" ? "multimax-relaxed" : build === "simd" ? "multimax" : "multimax-scalar"}.wasm)`
    + (want !== null && !choice ? ` (?build=${want} is not a build: relaxed, simd or scalar; init() chose)` : "");

  // MultiMax's parameters: the sliders' paper form, and what the library gets: the checkpoint
  // object as typed (so a pasted layer runs exactly), else the paper form; prepared once per change
  const orders: Orders = copyOrders(DEFAULT_ORDERS);
  let given: Checkpoint | null = null;
  const prepared = (): MultimaxParams => engine.multimaxParams(given ?? paperForm(orders));
  const controls = () => ({ source: $<HTMLSelectElement>("#attn-source").value as AttentionState["source"], causal: $<HTMLInputElement>("#attn-causal").checked });
  // (state from the controls: a browser may restore them on Back or reload)
  const sim: SimplexState = { radius: num("#radius"), offset: num("#offset"), center: { u: 0, v: 0 }, alpha: num("#alpha"), params: prepared(), phase: 0 };
  const att: AttentionState = { ...controls(), peak: num("#attn-peak"), seed: 1, params: sim.params, given: paperForm(orders) };
  $<HTMLButtonElement>("#attn-seed").disabled = att.source === "sentence";

  const simplex = new SimplexPanel($<HTMLCanvasElement>("#pad"), $("#simplices"), () => sim.center, (u, v) => { sim.center = { u, v }; touch("simplex", "phi"); });
  const attention = new AttentionPanel($("#heatmaps"));
  const speed = new SpeedPanel($("#speed"), engine);

  // ---- redraw on the next frame: what changed, and the animation ----
  const dirty = new Set<Part>(["simplex", "phi", "attention"]);
  let frames = 0, scheduled = false, last = performance.now();
  const touch = (...parts: Part[]) => { parts.forEach((p) => dirty.add(p)); schedule(); };
  const schedule = () => { if (!scheduled) { scheduled = true; requestAnimationFrame(frame); } };
  // (the input stands still while panel 4 times the kernels)
  const playing = () => $<HTMLInputElement>("#play").checked && $("#speed").dataset.state !== "running";
  function frame(now: number) {
    scheduled = false;
    if (playing()) sim.phase = (sim.phase + Math.max(0, now - last) / 12000) % 1; // one turn in 12 s
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
  const runSpeed = () => speed.run().then(() => { last = performance.now(); schedule(); });
  $("#attn-seed").addEventListener("click", () => { att.seed++; touch("attention"); });
  const onControls = () => {
    Object.assign(att, controls());
    $<HTMLButtonElement>("#attn-seed").disabled = att.source === "sentence";
    touch("attention");
  };
  $("#attn-source").addEventListener("change", onControls);
  $("#attn-causal").addEventListener("change", onControls);

  // MultiMax's parameters: sliders (paper form) and the checkpoint text, kept in step
  const NAMES = { tb: "t<sub>b</sub>", b: "b", td: "t<sub>d</sub>", d: "d" };
  $(".sliders").prepend(...ORDER_SLIDERS.map(({ legend, range }, i) => {
    const set = document.createElement("fieldset");
    set.innerHTML = `<legend>${legend}</legend>` + Object.entries(range).map(([k, [lo, hi]]) =>
      `<label>${NAMES[k as keyof typeof NAMES]} <input data-param="${k}${i + 1}" type="range" min="${lo}" max="${hi}" step="0.05"><output aria-live="off"></output></label>`).join("");
    return set;
  }));
  const sliders = [...document.querySelectorAll<HTMLInputElement>("input[data-param]")];
  const text = $<HTMLTextAreaElement>("#checkpoint"), error = $("#checkpoint-error");
  const key = (el: HTMLInputElement) => { const p = el.dataset.param!; return { o: orders[Number(p.at(-1)) - 1], k: p.slice(0, -1) as keyof Orders[0] }; };
  const syncSliders = () => sliders.forEach((el) => { const { o, k } = key(el); el.value = String(o[k]); show(el, String(o[k])); });
  const changed = (fromText: boolean) => {
    if (!fromText) { given = null; text.value = checkpointText(orders); error.textContent = ""; }
    sim.params = att.params = prepared();
    att.given = structuredClone(given ?? paperForm(orders));
    touch("simplex", "phi", "attention");
  };
  sliders.forEach((el) => el.addEventListener("input", () => { const { o, k } = key(el); o[k] = Number(el.value); show(el, el.value); changed(false); }));
  text.addEventListener("input", () => {
    try {
      let c: unknown;
      try { c = JSON.parse(text.value); } catch (e) { throw new SyntaxError(`not JSON: ${(e as Error).message}`); }
      if (c === null || typeof c !== "object" || !("ranges" in c) || !("ts" in c)) throw new TypeError("expected the checkpoint form { \"ranges\": [4 numbers], \"ts\": [4 numbers] }");
      engine.multimaxParams(c as Checkpoint); // the library's own checks and messages
      given = { ranges: Array.from((c as Checkpoint).ranges, Number), ts: Array.from((c as Checkpoint).ts, Number) };
      orders.splice(0, 2, ...fromCheckpoint(given));
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
    params: () => structuredClone(given ?? paperForm(orders)),
    orders: () => structuredClone(orders),
    /** Panel 3's inputs as last drawn (and the settings they came from). */
    attentionCase: () => {
      const { labels, ...c } = attention.current!;
      return { ...c, q: Array.from(c.q), k: Array.from(c.k), v: Array.from(c.v), labels };
    },
    /** Stops the moving input at `phase` (0..1) and redraws: the same picture every time. */
    still: (phase = 0.1) => { $<HTMLInputElement>("#play").checked = false; sim.phase = phase; touch(); },
    runSpeed,
  };

  // first frame, then the speed panel once the page has drawn
  await new Promise<void>((resolve, reject) => {
    requestAnimationFrame(() => { try { frame(performance.now()); resolve(); } catch (e) { reject(e); } });
  });
  document.body.dataset.ready = "true";
  $("#speed-run").addEventListener("click", () => void runSpeed());
  // ?speed=manual: panel 4 waits for its button (tests use it to keep the timing out of the way)
  if (new URLSearchParams(location.search).get("speed") === "manual") $("#speed-status").textContent = "press run to time the kernels";
  else setTimeout(() => void runSpeed(), 300);
}

function report(e: unknown) {
  const el = document.querySelector<HTMLElement>("#fatal")!;
  el.hidden = false;
  el.textContent = `The demo failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  document.body.dataset.error = el.textContent;
  console.error(e);
}

main().catch(report);
