// Shared by the e2e tests: talks to the running stack over HTTP, drives headless Chromium.
import assert from "node:assert/strict";

export const BASE = process.env.HOMESLOT_URL;
export const TOKEN = process.env.HOMESLOT_PLATFORM_TOKEN;
assert.ok(BASE, "HOMESLOT_URL must point at a running stack (scripts/test sets it)");

export const COMPANY = "demo";
export const LOCATION = "soho";
export const bookingsUrl = `${BASE}/v1/companies/${COMPANY}/locations/${LOCATION}/bookings`;

/** GET or POST JSON; returns { status, body }. */
export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["content-type"] ??= "application/json";
  }
  const response = await fetch(path.startsWith("http") ? path : `${BASE}${path}`, init);
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, body: json, text, headers: response.headers };
}

export async function catalog() {
  const { status, body } = await api(`/v1/companies/${COMPANY}`);
  assert.equal(status, 200);
  return body;
}

export async function slots(service, date) {
  const { status, body } = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/slots?service=${service}&date=${date}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.slots;
}

export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The first date at least `fromDays` after the location's today on which `service` has a free slot. */
export async function dateWithSlots(service, fromDays) {
  const today = (await catalog()).locations.find((l) => l.id === LOCATION).today;
  for (let offset = fromDays; offset < fromDays + 14; offset++) {
    const date = addDays(today, offset);
    const free = await slots(service, date);
    if (free.length > 0) return { today, date, offset, slots: free };
  }
  throw new Error(`no free ${service} slot in two weeks from +${fromDays} days`);
}

export function client(n = 1) {
  return { name: `Test Client ${n}`, phone: `+44 7400 900${String(n).padStart(3, "0")}` };
}

export async function book(request) {
  return api(bookingsUrl, { method: "POST", body: request });
}

/** Headless Debian Chromium with flags that work as root on a closed network. */
export async function launchBrowser() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/** A host page at the edge's own origin (intercepted) holding `element` and the loader, in a fresh
 *  context of `browser` (with Playwright's context `options`, e.g. `extraHTTPHeaders`); page
 *  errors are collected in `problems`. */
export async function hostPage(browser, element, viewport = { width: 390, height: 844 }, options = {}) {
  const context = await browser.newContext({ locale: "en-GB", viewport, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,"><h1>A host page</h1>${element}` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/host-page.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/host-page.html`);
  return { page, problems, close: () => context.close() };
}

/** Runs axe-core in the page (it reaches into open shadow roots) and returns serious or critical
 *  WCAG A/AA violations of the widget (or of `scope`: `document` for a whole page), each as
 *  "rule: target". */
export async function accessibilityProblems(page, scope = { include: [["homeslot-widget"]] }) {
  const { readFileSync } = await import("node:fs");
  const { createRequire } = await import("node:module");
  const source = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(source);
  const result = await page.evaluate((scope) =>
    window.axe.run(scope === "document" ? document : scope, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa"] }), scope);
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
}

/** The widths every console screen must work at: a phone and a desktop. */
export const CONSOLE_WIDTHS = [{ width: 360, height: 740 }, { width: 1280, height: 800 }];

/** Asserts the page is axe-clean (WCAG 2.1 AA) and nothing overflows, at a phone's width and a
 *  desktop's; the page's own size is put back after. */
export async function screenIsClean(page, where) {
  const size = page.viewportSize();
  for (const viewport of CONSOLE_WIDTHS) {
    await page.setViewportSize(viewport);
    assert.deepEqual(await accessibilityProblems(page, "document"), [], `${where} at ${viewport.width} px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${where} fits ${viewport.width} px (overflows by ${overflow} px)`);
  }
  await page.setViewportSize(size);
}

/** Someone joining `company` with `role` (at `locations`) by an invite the platform token made:
 *  a browser profile of their own at desktop width, signed in on the business's overview. A
 *  specialist's invite names which `specialist` of the catalog they are.
 *  `problems` collects page errors and console errors (but the HTTP statuses listed in `expected`,
 *  which a screen may meet on purpose, e.g. a 409 the console explains). */
export async function joinByInvite(browser, company, role, { locations = [], specialist, expected = [401], options = {} } = {}) {
  const email = `${role}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@console.example`;
  const response = await fetch(`${BASE}/v1/console/companies/${company}/invites`, {
    method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ email, role, locations, ...(specialist ? { specialist_id: specialist } : {}) }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const context = await browser.newContext({ locale: "en-GB", viewport: CONSOLE_WIDTHS[1], ...options });
  const page = await context.newPage();
  const problems = [];
  const allowed = new RegExp(`status of (${expected.join("|")})`);
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !allowed.test(message.text())) problems.push(message.text());
  });
  page.on("dialog", (dialog) => dialog.accept());
  await page.goto((await response.json()).link);
  await page.getByLabel("Your name").fill(role);
  await page.getByLabel("Password").fill("plenty of words here");
  await page.getByRole("button", { name: "Join" }).click();
  await page.waitForURL(`${BASE}/console/b/${company}`);
  return { page, context, problems };
}

/** Weekly hours with the same range on every day, for the companies tests write themselves. */
export function everyDay(start = "09:00", end = "17:00") {
  return Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start, end }]]));
}

/** Writes a whole company through the admin API with the platform token (201 created, 200 replaced); fails the test unless saved. */
export async function putCompany(body) {
  const response = await api(`/v1/admin/companies/${body.id}`, { method: "PUT", body, headers: { authorization: `Bearer ${TOKEN}` } });
  assert.ok([200, 201].includes(response.status), response.text);
  return response;
}

/** The demo company as seeded (`edge/demo/company.json`). */
export const DEMO = (await import("../edge/demo/company.json", { with: { type: "json" } })).default;

/** Registers exactly `origins` as the demo company's sites (the browsers its API answers);
 *  `registerDemoSites(DEMO.site_origins)` puts the seeded ones back. */
export function registerDemoSites(origins) {
  return putCompany({ ...DEMO, site_origins: origins });
}

/** Books the first free time in `scope` (a page, a popup or a frame's locator) of the demo
 *  company, from the services (`from: "specialist"` or `"time"` to start further on), and checks
 *  over the admin API that exactly one booking arrived, with `service` (and `specialist`);
 *  returns it as the export shows it. */
export async function bookAndCheck(scope, { from = "service", service = "mens-cut", specialist } = {}) {
  if (from === "service") await scope.getByRole("button", { name: /^Men's cut/ }).click();
  if (from !== "time") await scope.getByRole("button", { name: /Any specialist/ }).click();
  const time = scope.locator(".hs-time").first();
  await time.waitFor();
  await time.click();
  await scope.getByLabel("Name").fill("Builder Client");
  const phone = `+44 7400 6${String((Date.now() + Math.floor(Math.random() * 997)) % 100000).padStart(5, "0")}`;
  await scope.getByLabel("Phone").fill(phone);
  await scope.getByRole("button", { name: "Confirm booking" }).click();
  await scope.getByRole("heading", { name: "You're booked!" }).waitFor();
  const exported = await api(`/v1/admin/companies/${COMPANY}/export`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const rows = exported.body.locations.flatMap((l) => l.bookings).filter((b) => b.client_phone === phone.replaceAll(" ", ""));
  assert.equal(rows.length, 1, "booked once");
  assert.equal(rows[0].service_id, service);
  if (specialist) assert.equal(rows[0].specialist_id, specialist);
  return rows[0];
}

/** An owner's (or a site builder's) server: real HTTP on another loopback port, so another
 *  origin than the edge's. `respond(req, res)` answers every request. */
export async function siteServer(respond) {
  const { createServer } = await import("node:http");
  const server = createServer(respond);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Polls `check` every 100 ms until it answers something truthy, which it returns; fails the test
 *  naming `what` after `ms`. For what the stack does after its answer (a message, a delivery). */
export async function waitFor(what, check, ms = 20_000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) assert.fail(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every message the local mail server (scripts/mailbox.mjs) kept for `address`, parsed with a
 *  MIME parser (mailparser), oldest first. */
export async function messagesTo(address) {
  const { readdir, readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const { simpleParser } = await import("mailparser");
  const mailbox = process.env.HOMESLOT_MAILBOX;
  const names = (await readdir(mailbox)).filter((n) => n.endsWith(".eml")).sort();
  const found = [];
  for (const name of names) {
    const raw = await readFile(join(mailbox, name));
    if (!raw.includes(address)) continue;
    const parsed = await simpleParser(raw);
    if (parsed.to?.value.some((a) => a.address === address)) found.push(parsed);
  }
  return found;
}
