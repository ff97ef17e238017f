// Time from the loader's script start to the first bookable slots on screen, in headless
// Chromium with the CPU slowed 4× (DevTools' "4× slowdown", a mid-range phone), against the
// running edge. The element preselects a service and "any specialist", so the widget opens on
// the times: what is measured is loading, not clicking. Prints a table of medians from one run:
// a cold visit (empty cache) and a warm one (the code cached, as on a second page of the site).
// Usage: HOMESLOT_URL=… HOMESLOT_PLATFORM_TOKEN=… node e2e/bench-widget.mjs [runs] [other loader]
// With another loader's path on the edge (e.g. /embed/loader-b.js, a variant copied into
// dist/public/embed for the experiment), each run visits the page with both loaders, one after
// the other, and the table compares them: an A/B inside one run, as the machine's noise needs.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { DEMO, launchBrowser, registerDemoSites, TOKEN } from "./helpers.mjs";

const BASE = process.env.HOMESLOT_URL;
assert.ok(BASE, "HOMESLOT_URL must point at a running stack");
const RUNS = Number(process.argv[2] ?? 7);
const SLOWDOWN = 4;

// The loader's start is marked by the page, then the first .hs-time inside the widget's shadow
// root is noticed by a MutationObserver (no polling on the slowed CPU), and the page reports both
// durations through a binding Playwright installed before the page loaded: nothing of the
// harness runs on the page's main thread while the widget loads (a `page.evaluate` would inject
// Playwright's script then, ~50 ms at 4×).
const page = (loader) => `<!doctype html><html lang="en"><title>Bench</title><link rel="icon" href="data:,">
<homeslot-widget company="demo" service="womens-cut" specialist="any"></homeslot-widget>
<script>
  const found = () => document.querySelector("homeslot-widget")?.shadowRoot?.querySelector(".hs-time");
  const watch = (root) => {
    const observer = new MutationObserver(() => {
      if (!found()) return;
      observer.disconnect();
      const seen = performance.now();
      const since = (mark) => seen - performance.getEntriesByName(mark)[0].startTime;
      window.__report([since("loader-start"), since("tag")]);
    });
    observer.observe(root, { childList: true, subtree: true });
  };
  const element = document.querySelector("homeslot-widget");
  const wait = () => (element.shadowRoot ? watch(element.shadowRoot) : setTimeout(wait, 5));
  wait();
  performance.mark("tag");
  // The loader's first statement reads document.currentScript: that read marks its start.
  const current = Object.getOwnPropertyDescriptor(Document.prototype, "currentScript").get;
  Object.defineProperty(document, "currentScript", { configurable: true, get() {
    if (!performance.getEntriesByName("loader-start").length) performance.mark("loader-start");
    return current.call(this);
  } });
</script>
<script src="${BASE}${loader}"></script>`;
const VARIANT = process.argv[3];

// The page comes from a real server on another loopback port, as an owner's site would. Not from
// Playwright's `page.route`: once any route is set, every request of the page (the widget's
// too) makes a round trip through this Node process, which added ~50–250 ms per request here.
const site = createServer((req, res) =>
  res.writeHead(200, { "content-type": "text/html" }).end(page(req.url === "/b" ? VARIANT : "/embed/loader.js")));
await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
const SITE = `http://127.0.0.1:${site.address().port}/`;
// The demo company lets that site use its API for the bench's length (as an owner registers theirs).
assert.ok(TOKEN, "HOMESLOT_PLATFORM_TOKEN must be the stack's platform token");
assert.equal((await registerDemoSites([...DEMO.site_origins, SITE.slice(0, -1)])).status, 200);

async function visit(context, path = "") {
  const page = await context.newPage();
  const logs = [];
  page.on("console", (message) => logs.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => logs.push(`page error: ${error.message}`));
  const pending = new Set();
  page.on("request", (request) => pending.add(request));
  page.on("requestfinished", (request) => pending.delete(request));
  page.on("requestfailed", (request) => { pending.delete(request); logs.push(`failed: ${request.url()} ${request.failure()?.errorText}`); });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: SLOWDOWN });
  let report;
  const reported = new Promise((resolve) => { report = resolve; });
  await page.exposeBinding("__report", (_source, ms) => report(ms));
  await page.goto(SITE + path);
  // A widget that never shows times fails the bench instead of hanging it, saying what it shows.
  const ms = await Promise.race([reported, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  if (!ms) {
    const shown = await page.evaluate(() => document.querySelector("homeslot-widget").shadowRoot?.innerHTML
      .replace(/<style>[^<]*<\/style>/g, ""));
    const waiting = [...pending].map((request) => request.url()).join(" ");
    throw new Error(`no times shown within 30 s (${path || "loader"}); the widget shows: ${shown}; ` +
      `console: ${logs.join(" | ")}; requests still waiting: ${waiting}`);
  }
  await page.close();
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const browser = await launchBrowser();
// Each visit gives [from the loader's start, from the page's tag]; one series per loader and cache.
const series = { cold: [], warm: [], coldB: [], warmB: [] };
for (let i = 0; i < RUNS; i++) {
  for (const [path, c, w] of VARIANT ? [["", "cold", "warm"], ["b", "coldB", "warmB"]] : [["", "cold", "warm"]]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    series[c].push(await visit(context, path)); // a fresh context: nothing cached
    series[w].push(await visit(context, path)); // the same context: the code cached
    await context.close();
  }
}
await browser.close();
site.close();
await registerDemoSites(DEMO.site_origins);

const ms = (x) => `${x.toFixed(0).padStart(6)} ms`;
const of = (name, at) => series[name].map((visit) => visit[at]);
const row = (name, label) => {
  const [xs, tag] = [of(name, 0), of(name, 1)];
  return `| ${label.padEnd(30)} | ${ms(median(xs))} | ${ms(Math.min(...xs))} | ${ms(Math.max(...xs))} | ${ms(median(tag))} |`;
};
console.log(`\nScript start → first slots shown, Chromium, CPU ${SLOWDOWN}× slower, ${RUNS} runs (budget ≤ 500 ms)`);
console.log("| visit                          | median    | min       | max       | median from the tag |");
console.log("| --- | --- | --- | --- | --- |");
console.log(row("cold", "cold (nothing cached)"));
console.log(row("warm", "warm (code cached)"));
console.log(`warm / cold: ${(median(of("warm", 0)) / median(of("cold", 0))).toFixed(2)}`);
if (VARIANT) {
  console.log(row("coldB", `cold, ${VARIANT}`.slice(0, 30)));
  console.log(row("warmB", `warm, ${VARIANT}`.slice(0, 30)));
  const ratio = (b, a) => (median(of(b, 0)) / median(of(a, 0))).toFixed(2);
  console.log(`${VARIANT} / /embed/loader.js: cold ${ratio("coldB", "cold")}, warm ${ratio("warmB", "warm")}`);
}
