// Panel 2: φ(x) over [−5, 5] (wider when panel 1's inputs reach further), the identity (softmax's
// φ), the breakpoints of the active orders, and the band of values panel 1 feeds it.
import { context } from "./plot.js";
import { active, phi, type Orders } from "./params.js";

const Y_CAP = 25; // φ beyond ±25 (steep or far-out parameters) is clipped, and the plot says so

export function drawModulator(canvas: HTMLCanvasElement, orders: Orders, band: [number, number]) {
  const { g, w, h } = context(canvas);
  const L = 44, R = 12, T = 12, B = 28;
  const X0 = Math.min(-5, Math.floor(band[0] - 0.5)), X1 = Math.max(5, Math.ceil(band[1] + 0.5));
  const n = 400, ys = new Float64Array(n + 1);
  let lo = X0, hi = X1, clipped = false;
  for (let i = 0; i <= n; i++) {
    ys[i] = phi(X0 + ((X1 - X0) * i) / n, orders);
    lo = Math.min(lo, ys[i]); hi = Math.max(hi, ys[i]);
  }
  if (lo < -Y_CAP || hi > Y_CAP) clipped = true;
  lo = Math.max(lo, -Y_CAP); hi = Math.min(hi, Y_CAP);
  const sx = (x: number) => L + ((x - X0) / (X1 - X0)) * (w - L - R);
  const sy = (y: number) => T + (1 - (y - lo) / (hi - lo)) * (h - T - B);
  // the inputs of panel 1
  g.fillStyle = "rgba(176, 48, 106, 0.08)";
  g.fillRect(sx(band[0]), T, sx(band[1]) - sx(band[0]), h - T - B);
  // grid and ticks
  g.strokeStyle = "#e4e6ec"; g.fillStyle = "#5b6275"; g.font = "11px system-ui, sans-serif"; g.lineWidth = 1;
  const xStep = niceStep((X1 - X0) / 10);
  for (let x = Math.ceil(X0 / xStep) * xStep; x <= X1; x += xStep) {
    g.beginPath(); g.moveTo(sx(x), T); g.lineTo(sx(x), h - B); g.stroke();
    g.fillText(String(Number(x.toPrecision(3))), sx(x) - 4, h - B + 14);
  }
  const step = niceStep((hi - lo) / 6);
  for (let y = Math.ceil(lo / step) * step; y <= hi; y += step) {
    g.beginPath(); g.moveTo(L, sy(y)); g.lineTo(w - R, sy(y)); g.stroke();
    g.fillText(String(Number(y.toPrecision(3))), 4, sy(y) + 4);
  }
  g.fillText("x", w - R - 8, h - 4);
  g.save();
  g.beginPath(); g.rect(L, T, w - L - R, h - T - B); g.clip();
  // identity (softmax)
  g.strokeStyle = "#9aa0ae"; g.setLineDash([6, 5]); g.lineWidth = 1.5;
  g.beginPath(); g.moveTo(sx(X0), sy(X0)); g.lineTo(sx(X1), sy(X1)); g.stroke();
  // breakpoints of the orders that change φ, each label on its own line (b and d may coincide)
  g.setLineDash([2, 4]); g.strokeStyle = "#5b6275"; g.fillStyle = "#5b6275";
  let line = 0;
  orders.forEach((o, i) => {
    if (!active(o)) return;
    for (const [name, at] of [[`b${i + 1}`, o.b], [`d${i + 1}`, o.d]] as [string, number][]) {
      if (at < X0 || at > X1) continue;
      g.beginPath(); g.moveTo(sx(at), T); g.lineTo(sx(at), h - B); g.stroke();
      g.fillText(name, sx(at) + 3, h - B - 6 - 12 * line++);
    }
  });
  // φ
  g.setLineDash([]); g.strokeStyle = "#b0306a"; g.lineWidth = 2.5;
  g.beginPath();
  for (let i = 0; i <= n; i++) {
    const x = sx(X0 + ((X1 - X0) * i) / n), y = sy(Math.max(-2 * Y_CAP, Math.min(2 * Y_CAP, ys[i])));
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  }
  g.stroke();
  g.restore();
  g.fillStyle = "#b0306a"; g.font = "13px system-ui, sans-serif";
  g.fillText(clipped ? `φ(x), clipped to ±${Y_CAP}` : "φ(x)", L + 6, T + 14);
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw)), f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}
