// Panel 1: inputs x ∈ ℝ³ on a circle, and their images in the 2-simplex under each normaliser.
// The input plane: x = m·(1,1,1) + u·a + v·c with a = (2,−1,−1)/√6 (up: x₁ grows) and
// c = (0,−1,1)/√2 (right: x₃ grows, x₂ shrinks), so the plane and the triangles (e₁ top, e₂ bottom
// left, e₃ bottom right) face the same way. Softmax, sparsemax, entmax and ev-softmax ignore m;
// MultiMax does not (φ acts on the values themselves).
import type { Engine, MultimaxParams } from "multimax-wasm";
import { context, hue } from "./plot.js";

export const N = 240; // points on the path
const HUES = Array.from({ length: N }, (_, i) => hue(i / N)); // (drawn every frame: made once)
const DIRS: [string, number, number][] = [["x₁", 0, 1], ["x₂", -Math.sqrt(3) / 2, -0.5], ["x₃", Math.sqrt(3) / 2, -0.5]];
const A = [2 / Math.sqrt(6), -1 / Math.sqrt(6), -1 / Math.sqrt(6)];
const C = [0, -1 / Math.SQRT2, 1 / Math.SQRT2];
const PAD_RANGE = 6; // the pad shows u, v ∈ [−6, 6]

/** params: MultiMax's, prepared by the engine (multimaxParams) when they change. */
export interface SimplexState { radius: number; offset: number; center: { u: number; v: number }; alpha: number; params: MultimaxParams; phase: number }

/** One triangle: a label and how it maps the N×3 inputs (into out). */
interface MapSpec { id: string; label: string; run: (e: Engine, x: Float32Array, out: Float32Array, s: SimplexState) => void }

export const MAPS: MapSpec[] = [
  ...[0.25, 1, 4].map((t): MapSpec => ({ id: `softmax-${t}`, label: `softmax, T = ${t}`, run: (e, x, out) => void e.softmax(x, { cols: 3, temperature: t, out }) })),
  { id: "sparsemax", label: "sparsemax", run: (e, x, out) => void e.sparsemax(x, { cols: 3, out }) },
  { id: "entmax15", label: "entmax-1.5", run: (e, x, out) => void e.entmax15(x, { cols: 3, out }) },
  { id: "entmax", label: "α-entmax", run: (e, x, out, s) => void e.entmax(x, { cols: 3, alpha: s.alpha, out }) },
  { id: "evSoftmax", label: "ev-softmax", run: (e, x, out) => void e.evSoftmax(x, { cols: 3, out }) },
  { id: "multimax", label: "MultiMax", run: (e, x, out, s) => void e.multimax(x, { cols: 3, params: s.params, out }) },
];

/** The N path inputs, row-major N × 3. */
export function pathInputs(s: SimplexState, x: Float32Array): Float32Array {
  for (let i = 0; i < N; i++) {
    const th = (2 * Math.PI * i) / N;
    const u = s.center.u + s.radius * Math.sin(th), v = s.center.v + s.radius * Math.cos(th);
    for (let j = 0; j < 3; j++) x[3 * i + j] = s.offset + v * A[j] + u * C[j];
  }
  return x;
}

/** The panel: the pad canvas, one canvas per map, and the outputs they draw. */
export class SimplexPanel {
  readonly x = new Float32Array(3 * N);
  readonly y = MAPS.map(() => new Float32Array(3 * N));
  private readonly canvases: HTMLCanvasElement[] = [];

  constructor(private readonly pad: HTMLCanvasElement, host: HTMLElement, center: () => { u: number; v: number }, onDrag: (u: number, v: number) => void) {
    for (const m of MAPS) {
      const fig = document.createElement("figure");
      fig.dataset.map = m.id;
      const c = document.createElement("canvas");
      c.width = 200; c.height = 184;
      c.setAttribute("aria-label", `${m.label} on the simplex`);
      const cap = document.createElement("figcaption");
      cap.textContent = m.label;
      fig.append(c, cap);
      host.append(fig);
      this.canvases.push(c);
    }
    const at = (e: PointerEvent) => {
      const r = pad.getBoundingClientRect();
      const u = ((e.clientX - r.left) / r.width * 2 - 1) * PAD_RANGE, v = (1 - (e.clientY - r.top) / r.height * 2) * PAD_RANGE;
      onDrag(Math.max(-PAD_RANGE, Math.min(PAD_RANGE, u)), Math.max(-PAD_RANGE, Math.min(PAD_RANGE, v)));
    };
    pad.addEventListener("pointerdown", (e) => { pad.setPointerCapture(e.pointerId); at(e); });
    pad.addEventListener("pointermove", (e) => { if (pad.hasPointerCapture(e.pointerId)) at(e); });
    // the keyboard moves the circle too (the pad is focusable): arrows, 0.25 a step
    const STEP: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    pad.addEventListener("keydown", (e) => {
      const d = STEP[e.key];
      if (!d) return;
      e.preventDefault();
      const c = center(), clamp = (t: number) => Math.max(-PAD_RANGE, Math.min(PAD_RANGE, t));
      onDrag(clamp(c.u + 0.25 * d[0]), clamp(c.v + 0.25 * d[1]));
    });
  }

  /** Caption for α-entmax (its α changes). */
  label(id: string, text: string) {
    const i = MAPS.findIndex((m) => m.id === id);
    this.canvases[i].nextElementSibling!.textContent = text;
  }

  /** Recomputes every map's images of the path (the only wasm calls of this panel). */
  compute(engine: Engine, s: SimplexState) {
    pathInputs(s, this.x);
    MAPS.forEach((m, i) => m.run(engine, this.x, this.y[i], s));
  }

  draw(s: SimplexState) {
    this.drawPad(s);
    const k = Math.floor(s.phase * N) % N;
    MAPS.forEach((_, i) => drawSimplex(this.canvases[i], this.y[i], k));
  }

  private drawPad(s: SimplexState) {
    const { g, w, h } = context(this.pad);
    const sx = (u: number) => (u / PAD_RANGE + 1) * w / 2, sy = (v: number) => (1 - v / PAD_RANGE) * h / 2;
    g.strokeStyle = "#e4e6ec"; g.lineWidth = 1;
    for (let t = -PAD_RANGE; t <= PAD_RANGE; t += 2) {
      g.beginPath(); g.moveTo(sx(t), 0); g.lineTo(sx(t), h); g.moveTo(0, sy(t)); g.lineTo(w, sy(t)); g.stroke();
    }
    // where each coordinate grows: x₁ up, x₂ lower left, x₃ lower right
    g.strokeStyle = "#9aa0ae"; g.fillStyle = "#5b6275"; g.font = "12px system-ui, sans-serif";
    for (const [name, du, dv] of DIRS) {
      g.beginPath(); g.moveTo(sx(0), sy(0)); g.lineTo(sx(du * 5.2), sy(dv * 5.2)); g.stroke();
      g.fillText(name, sx(du * 5.5) - 7, sy(dv * 5.5) + 4);
    }
    for (let i = 0; i < N; i++) {
      const t0 = (2 * Math.PI * i) / N, t1 = (2 * Math.PI * (i + 1)) / N;
      g.strokeStyle = HUES[i]; g.lineWidth = 3;
      g.beginPath();
      g.moveTo(sx(s.center.u + s.radius * Math.sin(t0)), sy(s.center.v + s.radius * Math.cos(t0)));
      g.lineTo(sx(s.center.u + s.radius * Math.sin(t1)), sy(s.center.v + s.radius * Math.cos(t1)));
      g.stroke();
    }
    g.fillStyle = "#1d2230";
    g.beginPath(); g.arc(sx(s.center.u), sy(s.center.v), 3, 0, 2 * Math.PI); g.fill();
    const k = Math.floor(s.phase * N) % N, th = (2 * Math.PI * k) / N;
    dot(g, sx(s.center.u + s.radius * Math.sin(th)), sy(s.center.v + s.radius * Math.cos(th)), HUES[k]);
  }
}

function dot(g: CanvasRenderingContext2D, x: number, y: number, fill: string) {
  g.fillStyle = fill; g.strokeStyle = "#1d2230"; g.lineWidth = 1.5;
  g.beginPath(); g.arc(x, y, 5.5, 0, 2 * Math.PI); g.fill(); g.stroke();
}

/** The triangle with the images y (N × 3) as a coloured closed path, and point k marked. */
function drawSimplex(canvas: HTMLCanvasElement, y: Float32Array, k: number) {
  const { g, w, h } = context(canvas);
  const m = 16, top = 14, side = Math.min(w - 2 * m, (h - top - 14) * 2 / Math.sqrt(3));
  const V = [[w / 2, top], [w / 2 - side / 2, top + side * Math.sqrt(3) / 2], [w / 2 + side / 2, top + side * Math.sqrt(3) / 2]];
  const px = (i: number) => y[3 * i] * V[0][0] + y[3 * i + 1] * V[1][0] + y[3 * i + 2] * V[2][0];
  const py = (i: number) => y[3 * i] * V[0][1] + y[3 * i + 1] * V[1][1] + y[3 * i + 2] * V[2][1];
  g.fillStyle = "#f3f4f7"; g.strokeStyle = "#9aa0ae"; g.lineWidth = 1;
  g.beginPath(); g.moveTo(V[0][0], V[0][1]); g.lineTo(V[1][0], V[1][1]); g.lineTo(V[2][0], V[2][1]); g.closePath(); g.fill(); g.stroke();
  g.fillStyle = "#9aa0ae";
  g.beginPath(); g.arc((V[0][0] + V[1][0] + V[2][0]) / 3, (V[0][1] + V[1][1] + V[2][1]) / 3, 1.5, 0, 2 * Math.PI); g.fill();
  g.fillStyle = "#5b6275"; g.font = "11px system-ui, sans-serif";
  g.fillText("e₁", V[0][0] + 6, V[0][1] + 4); g.fillText("e₂", V[1][0] - 14, V[1][1] + 2); g.fillText("e₃", V[2][0] + 3, V[2][1] + 2);
  g.lineWidth = 2.5; g.lineCap = "round";
  for (let i = 0; i < N; i++) {
    const j = (i + 1) % N;
    g.strokeStyle = HUES[i];
    g.beginPath(); g.moveTo(px(i), py(i)); g.lineTo(px(j), py(j)); g.stroke();
  }
  // beads at equal steps of the input: where they crowd, the map is flat; where they thin out, steep
  for (let i = 0; i < N; i += 6) {
    g.fillStyle = HUES[i];
    g.beginPath(); g.arc(px(i), py(i), 2.6, 0, 2 * Math.PI); g.fill();
  }
  dot(g, px(k), py(k), HUES[k]);
}
