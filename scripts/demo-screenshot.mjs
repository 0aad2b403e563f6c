// Takes the demo page's screenshot (README's picture): builds demo/dist/, serves it on a free port,
// opens it in headless Chromium (playwright-core, /usr/bin/chromium or CHROMIUM_PATH), waits until
// every panel has drawn and the speed panel has timed, stops the moving input at a fixed place (so
// the picture is the same every time but for the timings), and writes a PNG.
//
//   node scripts/demo-screenshot.mjs [out.png]        (npm run demo:screenshot; default docs/demo.png)
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { buildDemo, serveDemo } from "./demo-web.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Opens the built page in a headless Chromium; returns { page, close() }. The profile is a
 *  temporary folder Playwright owns ("" below): it removes it on close, and also when the browser
 *  crashes or the process is stopped (SIGINT/SIGTERM/SIGHUP). On failure the browser is closed
 *  before the error is thrown. */
export async function openDemo(url, { viewport = { width: 1240, height: 900 } } = {}) {
  const context = await chromium.launchPersistentContext("", {
    executablePath: CHROMIUM, headless: true, viewport, timeout: 60_000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    return { page, close: () => context.close() };
  } catch (e) {
    await context.close().catch(() => {});
    throw e;
  }
}

/** Builds the page (into `dir`, default demo/dist/), serves it, and writes its screenshot to `out`. */
export async function screenshot(out, { dir } = {}) {
  const server = await serveDemo(0, await buildDemo({ dir, quiet: true }));
  let demo;
  try {
    demo = await openDemo(server.url("/"));
    const { page } = demo;
    await page.waitForFunction(() => document.body.dataset.ready === "true" || document.body.dataset.error, null, { timeout: 30_000 });
    const error = await page.evaluate(() => document.body.dataset.error);
    if (error) throw new Error(error);
    await page.waitForFunction(() => ["done", "failed"].includes(document.querySelector("#speed").dataset.state), null, { timeout: 90_000 });
    if ((await page.getAttribute("#speed", "data-state")) !== "done") throw new Error(`the speed panel failed: ${await page.textContent("#speed-status")}`);
    await page.evaluate(() => window.multimaxDemo.still());
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    try { await demo?.close(); } finally { await server.close(); } // (a dead browser's close throws: the server must stop anyway)
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = resolve(process.argv[2] ?? fileURLToPath(new URL("../docs/demo.png", import.meta.url)));
  console.log(`demo: screenshot written to ${await screenshot(out)}`);
}
