// Time from the loader's script start to the first bookable slots on screen, in headless
// Chromium with the CPU slowed 4× (DevTools' "4× slowdown", a mid-range phone), against the
// running edge. The element preselects a service and "any specialist", so the widget opens on
// the times: what is measured is loading, not clicking. Prints a table of medians from one run:
// a cold visit (empty cache) and a warm one (the code cached, as on a second page of the site).
// Usage: HOMESLOT_URL=… node e2e/bench-widget.mjs [runs]
import assert from "node:assert/strict";
import { launchBrowser } from "./helpers.mjs";

const BASE = process.env.HOMESLOT_URL;
assert.ok(BASE, "HOMESLOT_URL must point at a running stack");
const RUNS = Number(process.argv[2] ?? 7);
const SLOWDOWN = 4;

// The loader's start is marked by the page right before the tag, then the first .hs-time
// inside the widget's shadow root is noticed by a MutationObserver (no polling on the slowed CPU).
const PAGE = `<!doctype html><html lang="en"><title>Bench</title><link rel="icon" href="data:,">
<homeslot-widget company="demo" service="womens-cut" specialist="any"></homeslot-widget>
<script>
  window.__seen = new Promise((resolve) => {
    const found = () => document.querySelector("homeslot-widget")?.shadowRoot?.querySelector(".hs-time");
    const watch = (root) => new MutationObserver(() => { if (found()) resolve(performance.now()); })
      .observe(root, { childList: true, subtree: true });
    const element = document.querySelector("homeslot-widget");
    const wait = () => (element.shadowRoot ? watch(element.shadowRoot) : setTimeout(wait, 5));
    wait();
  });
  performance.mark("loader-start");
</script>
<script src="${BASE}/embed/loader.js"></script>`;

async function visit(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: SLOWDOWN });
  await page.route(`${BASE}/bench-page.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: PAGE }));
  await page.goto(`${BASE}/bench-page.html`);
  const ms = await page.evaluate(async () => (await window.__seen) - performance.getEntriesByName("loader-start")[0].startTime);
  await page.close();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await launchBrowser();
const cold = [];
const warm = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  cold.push(await visit(context)); // a fresh context: nothing cached
  warm.push(await visit(context)); // the same context: the code cached
  await context.close();
}
await browser.close();

const row = (name, xs) => `| ${name.padEnd(32)} | ${median(xs).toFixed(0).padStart(6)} ms | ${Math.min(...xs).toFixed(0).padStart(6)} ms | ${Math.max(...xs).toFixed(0).padStart(6)} ms |`;
console.log(`\nScript start → first slots shown, Chromium, CPU ${SLOWDOWN}× slower, ${RUNS} runs (budget ≤ 500 ms)`);
console.log("| visit                            | median    | min       | max       |");
console.log("| --- | --- | --- | --- |");
console.log(row("cold (nothing cached)", cold));
console.log(row("warm (code cached)", warm));
console.log(`warm / cold: ${(median(warm) / median(cold)).toFixed(2)}`);
