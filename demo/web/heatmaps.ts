// Panel 3: one attention head, its weights under four normalisers as heatmaps, and under each the
// sparsity and multi-modality measured on them (metrics.ts). The weights come from the library's
// fused attention (attention(q, k, v, { normalizer, weightsOut })): the page draws what it computes.
import type { Engine, MultimaxParams } from "multimax-wasm";
import { describe, measure } from "./metrics.js";
import { context, normals, rgb, weightRgb } from "./plot.js";
import { D as SENTENCE_D, sentence, TOKENS } from "./sentence.js";

export const NORMALIZERS = [
  { id: "softmax", label: "softmax" },
  { id: "sparsemax", label: "sparsemax" },
  { id: "entmax15", label: "entmax-1.5" },
  { id: "multimax", label: "MultiMax" },
] as const;

/** params: MultiMax's, prepared by the engine (multimaxParams) when they change; given: the same
 *  parameters as the page holds them (checkpoint or paper form), for attentionCase(). */
export interface AttentionState { source: "random" | "sentence"; peak: number; seed: number; causal: boolean; params: MultimaxParams; given: object }

/** The inputs of one head as drawn: q, k (L × D), v (L × 1, zeros: only the weights are shown),
 *  the mask, MultiMax's parameters, and the settings they came from. */
export interface AttentionCase {
  L: number; D: number; q: Float32Array; k: Float32Array; v: Float32Array; causal: boolean; labels: string[] | null;
  params: object; source: AttentionState["source"]; peak: number; seed: number;
}

const RANDOM_L = 16, RANDOM_D = 16;

export function makeCase(s: AttentionState): AttentionCase {
  const settings = { causal: s.causal, params: structuredClone(s.given), source: s.source, peak: s.peak, seed: s.seed };
  if (s.source === "sentence") {
    const { q, k } = sentence(s.peak);
    return { ...settings, L: TOKENS.length, D: SENTENCE_D, q, k, v: new Float32Array(TOKENS.length), labels: TOKENS };
  }
  const L = RANDOM_L, D = RANDOM_D, z = normals(s.seed);
  const q = new Float32Array(L * D), k = new Float32Array(L * D);
  for (let i = 0; i < L * D; i++) q[i] = s.peak * z();
  for (let i = 0; i < L * D; i++) k[i] = z();
  return { ...settings, L, D, q, k, v: new Float32Array(L), labels: null };
}

export class AttentionPanel {
  private readonly figures: { canvas: HTMLCanvasElement; caption: HTMLElement }[] = [];
  current: AttentionCase | null = null;

  constructor(host: HTMLElement) {
    for (const n of NORMALIZERS) {
      const fig = document.createElement("figure");
      fig.className = "heatmap";
      fig.dataset.normalizer = n.id;
      const canvas = document.createElement("canvas");
      canvas.width = 260; canvas.height = 260;
      canvas.setAttribute("aria-label", `${n.label} attention weights`);
      const title = document.createElement("figcaption");
      title.innerHTML = `<b>${n.label}</b>`;
      const caption = document.createElement("figcaption");
      caption.className = "metrics";
      fig.append(title, canvas, caption);
      host.append(fig);
      this.figures.push({ canvas, caption });
    }
  }

  /** Computes the four maps and draws them with their measures (also as data- attributes). */
  render(engine: Engine, s: AttentionState) {
    const c = (this.current = makeCase(s));
    const { L, D } = c, weights = new Float32Array(L * L);
    const visible = (i: number, j: number) => !c.causal || j <= i;
    NORMALIZERS.forEach((n, f) => {
      engine.attention({ data: c.q, dims: [L, D] }, { data: c.k, dims: [L, D] }, { data: c.v, dims: [L, 1] },
        { normalizer: n.id, causal: c.causal, weightsOut: weights, ...(n.id === "multimax" ? { params: s.params } : {}) });
      const m = measure(weights, L, L, visible);
      const { canvas, caption } = this.figures[f];
      drawHeatmap(canvas, weights, L, c.labels);
      const [sparsity, modes] = describe(m);
      caption.replaceChildren(Object.assign(document.createElement("span"), { className: "sparsity", textContent: sparsity }),
        document.createElement("br"), Object.assign(document.createElement("span"), { className: "modes", textContent: modes }));
      Object.assign(caption.dataset, { rows: m.rows, total: m.total, zeros: m.zeros, small: m.small, modes: m.modes });
    });
  }
}

function drawHeatmap(canvas: HTMLCanvasElement, w: Float32Array, L: number, labels: string[] | null) {
  const { g, w: W, h: H } = context(canvas);
  const m = labels ? 50 : 4, cell = Math.floor((Math.min(W, H) - m - 4) / L), x0 = m, y0 = m;
  for (let i = 0; i < L; i++)
    for (let j = 0; j < L; j++) {
      g.fillStyle = rgb(weightRgb(w[i * L + j]));
      g.fillRect(x0 + j * cell, y0 + i * cell, cell, cell);
    }
  g.strokeStyle = "#d9dce4"; g.lineWidth = 1;
  g.strokeRect(x0 - 0.5, y0 - 0.5, L * cell + 1, L * cell + 1);
  if (!labels) return;
  g.fillStyle = "#1d2230"; g.font = "11px system-ui, sans-serif";
  g.textAlign = "right"; g.textBaseline = "middle";
  labels.forEach((t, i) => g.fillText(t, x0 - 4, y0 + (i + 0.5) * cell));
  labels.forEach((t, j) => {
    g.save(); g.translate(x0 + (j + 0.5) * cell, y0 - 4); g.rotate(-Math.PI / 3); g.textAlign = "left"; g.fillText(t, 0, 0); g.restore();
  });
}
