// Canvas helpers shared by the panels: a 2-D context sized for the screen's pixel ratio (drawing
// in CSS pixels), colours for path positions and for weights.

/** The canvas's 2-D context, its backing store sized width × height CSS pixels × devicePixelRatio
 *  (the width/height attributes the page gives are the CSS size), cleared to white. */
export function context(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; w: number; h: number } {
  const w = Number(canvas.dataset.w ?? (canvas.dataset.w = String(canvas.width)));
  const h = Number(canvas.dataset.h ?? (canvas.dataset.h = String(canvas.height)));
  const r = Math.min(3, Math.max(1, Math.round(globalThis.devicePixelRatio || 1)));
  if (canvas.width !== w * r || canvas.height !== h * r) {
    canvas.width = w * r;
    canvas.height = h * r;
    canvas.style.aspectRatio = `${w} / ${h}`;
    canvas.style.width = `${w}px`;
  }
  const g = canvas.getContext("2d")!;
  g.setTransform(r, 0, 0, r, 0, 0);
  g.fillStyle = "#fff";
  g.fillRect(0, 0, w, h);
  return { g, w, h };
}

/** The colour of position s ∈ [0, 1) along a closed path (a hue circle). */
export const hue = (s: number) => `hsl(${(360 * s).toFixed(1)} 75% 45%)`;

// a sequential ramp for weights in (0, 1]: pale yellow → orange → magenta → deep purple
const RAMP: [number, number, number][] = [[252, 238, 170], [249, 170, 80], [222, 88, 98], [150, 36, 122], [60, 16, 90], [16, 8, 40]];

/** The colour of a weight: exact 0 is white (so zeros stand out); (0, 1] runs along RAMP by √w. */
export function weightRgb(w: number): [number, number, number] {
  if (!(w > 0)) return [255, 255, 255];
  const t = Math.min(1, Math.sqrt(w)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(t)), f = t - i;
  const a = RAMP[i], b = RAMP[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

export const rgb = (c: [number, number, number]) => `rgb(${c[0] | 0} ${c[1] | 0} ${c[2] | 0})`;

/** A small seeded generator (mulberry32) and standard normals from it (Box–Muller). */
export function normals(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}
