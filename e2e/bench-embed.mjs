// What embedding costs the host page, for the demo page (embed-snippets/demo/index.html: the one
// tag inline, and a popup button) in headless Chromium against the running edge. Prints a table
// of medians from one run:
// - the loader's bytes (brotli), what every page pays;
// - the main thread's CPU time in the loader's code on a page whose widget stays out of view
//   (the loader alone: a Chromium trace's runs of it, their thread time), then on the demo page
//   the time in the loader's own functions while it starts the widget (V8's CPU profile: the
//   widget's code is not the loader's; it includes the warm-up of Intl's locale data the loader
//   does for the widget), and the longest task of each (on the demo page, the widget's mount runs
//   in the loader's callback);
// - the layout shift while the page loads and the widget draws its first screen (must be 0);
// - from a click on a "Book" button to the popup's first bookable slots, with the CPU 4× slower.
// Usage: HOMESLOT_URL=… HOMESLOT_PLATFORM_TOKEN=… node e2e/bench-embed.mjs [runs]
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { brotliCompressSync, constants } from "node:zlib";
import { DEMO, launchBrowser, registerDemoSites, TOKEN } from "./helpers.mjs";

const BASE = process.env.HOMESLOT_URL;
assert.ok(BASE, "HOMESLOT_URL must point at a running stack");
assert.ok(TOKEN, "HOMESLOT_PLATFORM_TOKEN must be the stack's platform token");
const RUNS = Number(process.argv[2] ?? 7);
const SLOWDOWN = 4;

// The demo page on an owner's origin (a real server on another loopback port), its tag pointing
// at the edge. Recorded from the page's start: layout shifts, the click, the popup's first slot.
const RECORD = `<script>
  window.__shift = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) __shift += e.value; })
    .observe({ type: "layout-shift", buffered: true });
  addEventListener("click", () => {
    window.__click = performance.now();
    const slot = () => document.querySelector("homeslot-popup")?.shadowRoot?.querySelector("homeslot-widget")?.shadowRoot?.querySelector(".hs-time");
    const look = () => (slot() ? (window.__slots = performance.now()) : requestAnimationFrame(look));
    look();
  }, true);
</script>`;
const demo = readFileSync("embed-snippets/demo/index.html", "utf8")
  .replace("<head>", `<head>${RECORD}`)
  .replaceAll('src="/embed/loader.js"', `src="${BASE}/embed/loader.js"`);
assert.ok(demo.includes(`${BASE}/embed/loader.js`), "the demo page holds the loader's tag");
// The same page with the widget far below the fold: what the loader costs a page whose visitor
// never scrolls to the widget (the widget's code is then never fetched).
const far = demo.replace("</header>", '</header><div style="height:5000px"></div>');
const site = createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(req.url === "/far" ? far : demo));
await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
const SITE = `http://127.0.0.1:${site.address().port}`;
assert.equal((await registerDemoSites([...DEMO.site_origins, SITE])).status, 200);

const loaderBytes = brotliCompressSync(readFileSync("dist/public/embed/loader.js"), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;

const OURS = /\/embed\/loader\.js$|\/embed\.js$/;

/** The loader's own main-thread work: the CPU profile's samples in the loader's functions (its
 *  own code only: once it hands over to the widget's code, that time is the widget's), in ms. */
function selfTime(profile) {
  const ours = new Set(profile.nodes.filter((n) => OURS.test(n.callFrame.url)).map((n) => n.id));
  return profile.samples.reduce((total, id, i) => total + (ours.has(id) ? profile.timeDeltas[i] : 0), 0) / 1000;
}

/** The trace's runs of the loader's code: its evaluation and every call into it (timers, the
 *  IntersectionObserver's, clicks), outermost only. */
function runs(trace) {
  const events = JSON.parse(trace.toString()).traceEvents
    .filter((e) => e.ph === "X" && ["EvaluateScript", "FunctionCall", "v8.evaluateModule"].includes(e.name) &&
      OURS.test(e.args?.data?.url ?? e.args?.data?.scriptName ?? e.args?.fileName ?? ""))
    .sort((a, b) => a.ts - b.ts);
  const outermost = [];
  for (const e of events) {
    const last = outermost.at(-1);
    if (!last || e.tid !== last.tid || e.ts >= last.ts + last.dur) outermost.push(e);
  }
  return outermost;
}

/** CPU time (the thread's, `tdur`: not the wall clock, which a busy machine stretches) of the
 *  loader's runs, in ms: on a page whose widget stays out of view, all of them are the loader's. */
const cpu = (trace) => runs(trace).reduce((total, e) => total + (e.tdur ?? e.dur), 0) / 1000;

/** The loader's longest run in one task, in ms (wall clock). */
const longest = (trace) => Math.max(0, ...runs(trace).map((e) => e.dur / 1000));

const browser = await launchBrowser();
const shown = (page) => page.locator("main homeslot-widget").getByRole("heading", { name: "Choose a service" }).waitFor();
const rows = { idle: [], idleLongest: [], work: [], longest: [], shift: [], click: [] };

/** Opens `path` with V8's CPU profiler and a trace running; `ready(page)` says when it is loaded. */
async function profiled(path, ready) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  await browser.startTracing(page, { categories: ["devtools.timeline", "v8"] });
  await page.goto(`${SITE}${path}`);
  await ready(page);
  await page.waitForTimeout(300); // anything that would still move or run
  const trace = await browser.stopTracing();
  const result = { longest: longest(trace), cpu: cpu(trace), work: selfTime((await cdp.send("Profiler.stop")).profile) };
  result.shift = await page.evaluate(() => window.__shift);
  await context.close();
  return result;
}
for (let i = 0; i < RUNS; i++) {
  // The page at full speed, its widget out of view: the loader alone.
  const alone = await profiled("/far", (page) => page.waitForFunction(() => document.querySelector("homeslot-widget")?.shadowRoot));
  rows.idle.push(alone.cpu);
  rows.idleLongest.push(alone.longest);
  // The page as a visitor gets it, its widget in view: the loader starting the widget, its
  // longest task, and the layout shift until the widget's first screen is drawn.
  const seen = await profiled("/", shown);
  rows.work.push(seen.work);
  rows.longest.push(seen.longest);
  rows.shift.push(seen.shift);

  // A click on the popup button, on a slow phone: nothing of the widget loaded before it.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await (await context.newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: SLOWDOWN });
  await page.goto(`${SITE}/`);
  await page.getByRole("button", { name: "Book a men's cut" }).click();
  await page.waitForFunction(() => window.__slots, null, { timeout: 30_000 });
  rows.click.push(await page.evaluate(() => window.__slots - window.__click));
  await context.close();
}
await browser.close();
site.close();
await registerDemoSites(DEMO.site_origins);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (name, xs, unit, budget, digits = 1) =>
  `| ${name.padEnd(46)} | ${median(xs).toFixed(digits).padStart(8)} ${unit.padEnd(2)} | ${Math.min(...xs).toFixed(digits).padStart(8)} | ${Math.max(...xs).toFixed(digits).padStart(8)} | ${budget.padEnd(9)} |`;
console.log(`\nThe demo page in Chromium (${RUNS} runs; medians, min, max)`);
console.log(`| ${"figure".padEnd(46)} | median      | min      | max      | budget    |`);
console.log("| --- | --- | --- | --- | --- |");
console.log(`| ${"loader, brotli".padEnd(46)} | ${String(loaderBytes).padStart(8)} B  | ${"".padStart(8)} | ${"".padStart(8)} | ≤ 1,536 B |`);
console.log(row("loader's main-thread CPU, widget out of view", rows.idle, "ms", "≤ 5 ms", 2));
console.log(row("loader's longest task, widget out of view", rows.idleLongest, "ms", "< 50 ms", 2));
console.log(row("widget in view: in the loader's functions", rows.work, "ms", "", 2));
console.log(row("widget in view: longest task (its mount too)", rows.longest, "ms", "", 2));
console.log(row("layout shift while the widget loads (CLS)", rows.shift, "", "0", 4));
console.log(row(`click → first slots in the popup, CPU ${SLOWDOWN}×`, rows.click, "ms", "", 0));
