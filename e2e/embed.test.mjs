// Embedding, in headless Chromium: every way an owner puts the widget on a page (inline, the
// floating button, popups with preselection, two widgets, iframe mode under a strict CSP) and the
// hosted booking page, each booked end to end. Owners' pages are real servers on other loopback
// ports (other origins), registered as the demo company's sites.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  api, BASE, bookAndCheck, COMPANY, DEMO, everyDay, launchBrowser, putCompany, registerDemoSites, siteServer, TOKEN,
} from "./helpers.mjs";

let browser;
const sites = [];
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  for (const site of sites) site.close();
  await registerDemoSites(DEMO.site_origins);
});

/** An owner's page on its own origin: `html` with `headers` (a CSP, say), and `files` (path →
 *  script) beside it. Its origin is registered as one of the demo company's sites unless
 *  `register` is false. */
async function site(html, { headers = {}, files = {}, register = true } = {}) {
  const server = await siteServer((req, res) => {
    if (files[req.url]) return res.writeHead(200, { "content-type": "text/javascript" }).end(files[req.url]);
    res.writeHead(200, { "content-type": "text/html", ...headers }).end(html);
  });
  sites.push(server);
  const { origin } = server;
  if (register) await registerDemoSites([...DEMO.site_origins, origin]);
  return origin;
}

/** A page (phone-sized unless told) with its script errors, failed requests and the requests it made. */
async function open(url, viewport = { width: 390, height: 844 }) {
  const context = await browser.newContext({ locale: "en-GB", viewport });
  const page = await context.newPage();
  const problems = [], requests = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().includes("/v1/")) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(url);
  return { page, problems, requests, close: () => context.close() };
}

const tag = (attributes) => `<script async src="${BASE}/embed/loader.js" ${attributes}></script>`;
const page = (body, head = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Salon</title><link rel="icon" href="data:,">${head}</head><body>${body}</body></html>`;

function phone() {
  return `+44 7400 7${String((Date.now() + Math.floor(Math.random() * 1000)) % 100000).padStart(5, "0")}`;
}

/** The bookings of the client with `phone`, from the company's export. */
async function bookingsOf(phone, company) {
  const exported = await api(`/v1/admin/companies/${company}/export`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return exported.body.locations.flatMap((l) => l.bookings).filter((b) => b.client_phone === phone);
}

test("inline: nothing but the loader until the widget nears the screen, its box reserved, then a booking", async () => {
  const origin = await site(page(`<h1>Our salon</h1><div style="height:3000px">Scroll down to book</div>${tag(`data-company="${COMPANY}"`)}<p>Footer</p>`));
  const host = await open(`${origin}/`);
  const { page: tab } = host;
  await tab.waitForFunction(() => document.querySelector("homeslot-widget")?.shadowRoot);
  await tab.waitForTimeout(500);
  const early = host.requests.filter((u) => u.startsWith(BASE));
  assert.deepEqual(early, [`${BASE}/embed/loader.js`], "only the loader before the widget is near");
  assert.equal(await tab.evaluate(() => getComputedStyle(document.querySelector("homeslot-widget")).height), "560px");
  await tab.locator("homeslot-widget").scrollIntoViewIfNeeded();
  await tab.getByRole("heading", { name: "Choose a service" }).waitFor();
  // The widget's files come from its version's folder; the loader sets no cookie.
  const wasm = host.requests.find((u) => u.endsWith("homeslot_widget_bg.wasm"));
  assert.match(wasm, /\/widget\/[0-9a-f]{12}\/homeslot_widget_bg\.wasm$/);
  assert.equal(await tab.evaluate(() => document.cookie), "");
  await bookAndCheck(tab);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a manage link to a page whose widget is far below: the widget is brought into view and opens the booking", async () => {
  const date = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const day = (await api(`/v1/companies/${COMPANY}/locations/soho/slots?service=mens-cut&date=${date}`)).body;
  const booked = await api(`/v1/companies/${COMPANY}/locations/soho/bookings`, {
    method: "POST", body: { service_id: "mens-cut", start: day.slots.at(-1).start, client: { name: "Far Client", phone: phone() } },
  });
  assert.equal(booked.status, 201, booked.text);
  const origin = await site(page(`<h1>Our salon</h1><div style="height:4000px">Scroll down</div>${tag(`data-company="${COMPANY}"`)}`));
  const host = await open(`${origin}/#homeslot-manage=${booked.body.manage_token}`);
  const heading = host.page.getByRole("heading", { name: "Your booking" });
  await heading.waitFor();
  const box = await heading.boundingBox();
  assert.ok(box.y >= 0 && box.y < 844, `in view: ${box.y}`);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("floating button: a slide-in panel, booked, then closed with widget_closed to the page's subscriber", async () => {
  const queued = `<script>window.homeslot = window.homeslot || function () { (homeslot.q = homeslot.q || []).push(arguments) };
    window.seen = []; homeslot("on", function (name, params) { seen.push([name, params.step]) });</script>`;
  const origin = await site(page(`<h1>Our salon</h1>${queued}${tag(`data-company="${COMPANY}" data-mode="floating" data-button-text="Book now" data-button-color="#0a7d5a" data-position="left"`)}`));
  const host = await open(`${origin}/`);
  const { page: tab } = host;
  const button = tab.getByRole("button", { name: "Book now" });
  await button.waitFor();
  const box = await button.boundingBox();
  assert.ok(box.x < 100 && box.y > 700, `bottom left: ${JSON.stringify(box)}`);
  assert.equal(await button.evaluate((b) => getComputedStyle(b).backgroundColor), "rgb(10, 125, 90)");
  assert.ok(!host.requests.some((u) => u.includes("homeslot_widget")), "no widget code before the click");
  await button.click();
  const panel = tab.getByRole("dialog", { name: "Online booking" });
  await panel.waitFor();
  await panel.evaluate((dialog) => Promise.all(dialog.getAnimations().map((a) => a.finished)));
  const side = await panel.boundingBox();
  assert.equal(Math.round(side.x), 0, "slides in at the left");
  await bookAndCheck(tab);
  await tab.getByRole("button", { name: "Close" }).click();
  await panel.waitFor({ state: "detached" });
  const seen = await tab.evaluate(() => window.seen);
  assert.ok(seen.some(([name]) => name === "booked"), JSON.stringify(seen));
  assert.deepEqual(seen.at(-1), ["widget_closed", "done"]);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("popups: a button per specialist opens the widget on that specialist's times; Escape closes it; the API opens one too", async () => {
  const body = `<h1>Our team</h1>
    <button data-homeslot-service="mens-cut" data-homeslot-specialist="marco">Book with Marco</button>
    <a href="#" data-homeslot-service="blow-dry">Book a blow-dry</a>
    ${tag(`data-company="${COMPANY}" data-mode="popup"`)}`;
  const origin = await site(page(body));
  const host = await open(`${origin}/`);
  const { page: tab } = host;
  assert.equal(await tab.locator("homeslot-widget").count(), 0, "popup mode draws nothing");
  await tab.getByRole("button", { name: "Book with Marco" }).click();
  const popup = tab.getByRole("dialog", { name: "Online booking" });
  await popup.waitFor();
  await bookAndCheck(popup, { from: "time", specialist: "marco" });
  await tab.keyboard.press("Escape");
  await popup.waitFor({ state: "detached" });
  // The other opener preselects another service; the API opens with the tag's defaults.
  await tab.getByRole("link", { name: "Book a blow-dry" }).click();
  await popup.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await tab.evaluate(() => homeslot("open", { service: "womens-cut" }));
  await tab.getByRole("dialog").getByRole("heading", { name: "Choose a specialist" }).waitFor();
  assert.equal(await tab.locator("homeslot-popup").count(), 1, "one popup at a time");
  await tab.evaluate(() => homeslot("close"));
  assert.equal(await tab.locator("homeslot-popup").count(), 0);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("two widgets of two companies on one page, each booked on its own", async () => {
  const other = {
    id: "embed-e2e", name: "Second Studio", currency: "EUR", site_origins: [],
    locations: [{ id: "main", name: "Main", address: "2 Side St", time_zone: "Europe/Berlin",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "massage", name: "Massage", duration_minutes: 30, price_minor: 4000, specialist_ids: ["eva"] }],
    specialists: [{ id: "eva", name: "Eva Stein", position: "Therapist", location_id: "main", working_hours: everyDay("06:00", "23:30") }],
  };
  const body = `<homeslot-widget company="${COMPANY}" language="en"></homeslot-widget>
    <homeslot-widget company="embed-e2e" language="de" theme="dark"></homeslot-widget>${tag("")}`;
  const origin = await site(page(body), { register: false });
  await putCompany({ ...other, site_origins: [origin] });
  await registerDemoSites([...DEMO.site_origins, origin]);
  const host = await open(`${origin}/`, { width: 1200, height: 2000 });
  const { page: tab } = host;
  const [first, second] = [tab.locator("homeslot-widget").nth(0), tab.locator("homeslot-widget").nth(1)];
  await first.getByRole("heading", { name: "Choose a service" }).waitFor();
  await second.getByRole("heading", { name: "Leistung wählen" }).waitFor();
  assert.equal(await tab.evaluate(() => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("_bg.wasm")).length), 1, "the code is loaded once");
  // Booking in the second leaves the first where it was.
  await second.getByRole("button", { name: /^Massage/ }).click();
  await second.getByRole("button", { name: /Eva Stein/ }).click();
  const time = second.locator(".hs-time").first();
  await time.click();
  await second.getByLabel("Name").fill("Zweite Kundin");
  const number = phone();
  await second.getByLabel("Telefon").fill(number);
  await second.getByRole("button", { name: "Termin buchen" }).click();
  await second.getByRole("heading", { name: "Ihr Termin ist gebucht!" }).waitFor();
  await first.getByRole("heading", { name: "Choose a service" }).waitFor();
  assert.equal((await bookingsOf(number.replaceAll(" ", ""), "embed-e2e")).length, 1);
  await bookAndCheck(first);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a hostile theme (resets, !important on buttons and inputs, a huge base font) changes nothing inside", async () => {
  const hostile = `<style>
    *, *::before, *::after { margin: 0 !important; padding: 0 !important; box-sizing: content-box !important; }
    html { font-size: 40px !important; line-height: 3 !important; }
    body { font-size: 2rem; color: red; text-align: right; letter-spacing: .3em; font-family: "Comic Sans MS", cursive; }
    button, input { background: hotpink !important; border: 5px dashed lime !important; font-size: 50px !important;
      width: 10px !important; height: 10px !important; display: inline !important; }
    div { display: flex !important; flex-direction: row-reverse !important; }
    dialog { display: none !important; }
    body > * { transform: translateX(5px) !important; position: relative !important; }
  </style>`;
  const origin = await site(page(`<h1>Hostile theme</h1>${tag(`data-company="${COMPANY}"`)}
    <button data-homeslot-service="mens-cut">Book a cut</button>`, hostile));
  const host = await open(`${origin}/`);
  const { page: tab } = host;
  const service = tab.getByRole("button", { name: /^Men's cut/ });
  await service.waitFor();
  const looks = await service.evaluate((b) => {
    const s = getComputedStyle(b);
    return { font: parseFloat(s.fontSize), background: s.backgroundColor, width: b.getBoundingClientRect().width };
  });
  assert.ok(looks.font <= 20, `font ${looks.font}px`);
  assert.notEqual(looks.background, "rgb(255, 105, 180)");
  assert.ok(looks.width > 250, `width ${looks.width}`);
  await bookAndCheck(tab);
  // The popup's frame is in its own shadow root too: the page's `dialog {display: none}` misses it.
  await tab.getByRole("button", { name: "Book a cut" }).click();
  await tab.getByRole("dialog", { name: "Online booking" }).getByRole("heading", { name: "Choose a specialist" }).waitFor();
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a theme that sets the page's root font size (10 px, 40 px) leaves the widget's sizes as on a plain page", async () => {
  // What each text of the widget measures: the services, then the details step.
  const measure = async (head) => {
    const origin = await site(page(`<h1>Root ${head ? "sized" : "plain"}</h1>${tag(`data-company="${COMPANY}"`)}`, head));
    const host = await open(`${origin}/`);
    const { page: tab } = host;
    // Every element that shows text of its own, by its first class.
    const sizes = () => tab.locator("homeslot-widget").evaluate((el) => Object.fromEntries(
      [...el.shadowRoot.querySelectorAll(".hs *")]
        .filter((e) => typeof e.className === "string" && e.className && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .map((e) => [e.className.split(" ")[0], getComputedStyle(e).fontSize])));
    await tab.getByRole("button", { name: /^Men's cut/ }).waitFor();
    const first = await sizes();
    await tab.getByRole("button", { name: /^Men's cut/ }).click();
    await tab.getByRole("button", { name: /Any specialist/ }).click();
    await tab.locator(".hs-time").first().click();
    await tab.getByRole("heading", { name: "Your details" }).waitFor();
    await tab.locator(".hs-held").waitFor();
    const details = await sizes();
    assert.deepEqual(host.problems, []);
    await host.close();
    return { first, details };
  };
  const plain = await measure("");
  assert.ok(Object.keys(plain.first).length > 5 && Object.keys(plain.details).length > 5, JSON.stringify(plain));
  for (const root of ["10px", "40px"]) {
    const sized = await measure(`<style>html { font-size: ${root} !important; } body { font-size: 1rem; }</style>`);
    assert.deepEqual(sized, plain, `with the page's root at ${root}`);
  }
});

test("a page whose scripts pollute Object.prototype, extend Array.prototype and define AMD's define: every way in still books", async () => {
  // What old plugins do: enumerable helpers on every object and array, and an AMD loader.
  const polluted = `<script>
    Object.prototype.extend = function (other) { return Object.assign(this, other); };
    Object.prototype.oldPluginFlag = "on";
    Array.prototype.each = function (f) { for (let i = 0; i < this.length; i++) f(this[i], i); };
    Array.prototype.remove = function (x) { return this.filter((y) => y !== x); };
    window.define = function () { window.defined = (window.defined || 0) + 1; };
    window.define.amd = { jQuery: true };
  </script>`;
  const origin = await site(page(`<h1>Old plugins</h1>${tag(`data-company="${COMPANY}"`)}
    <button data-homeslot-service="mens-cut">Book a cut</button>`, polluted));
  const host = await open(`${origin}/`);
  const { page: tab } = host;
  await tab.getByRole("button", { name: /^Men's cut/ }).waitFor();
  await bookAndCheck(tab);
  // A popup, opened by the page's own button (embed.js).
  await tab.getByRole("button", { name: "Book a cut" }).click();
  const dialog = tab.getByRole("dialog", { name: "Online booking" });
  await dialog.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await dialog.getByRole("button", { name: /Any specialist/ }).click();
  await bookAndCheck(dialog, { from: "time" });
  const attributes = await dialog.locator("homeslot-widget").evaluate((w) => w.getAttributeNames());
  assert.ok(!attributes.includes("extend") && !attributes.includes("oldpluginflag"), `no prototype's names as options: ${attributes}`);
  assert.equal(await tab.evaluate(() => window.defined ?? 0), 0, "nothing of ours registered itself with the page's AMD loader");
  assert.deepEqual(host.problems, []);
  await host.close();

  // Iframe mode, from the same page.
  const framed = await site(page(`${tag(`data-company="${COMPANY}" data-mode="iframe" data-service="mens-cut"`)}`, polluted));
  const inFrame = await open(`${framed}/`);
  const frame = inFrame.page.frameLocator("homeslot-widget iframe");
  await frame.getByRole("button", { name: /Any specialist/ }).click();
  await bookAndCheck(frame, { from: "time" });
  assert.deepEqual(inFrame.problems, []);
  await inFrame.close();

  // The hosted page (hosted.js), in a browser whose extensions pollute every page the same way.
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
  await context.addInitScript(polluted.replace(/<\/?script>/g, ""));
  const hosted = await context.newPage();
  const problems = [];
  hosted.on("pageerror", (e) => problems.push(e.message));
  await hosted.goto(`${BASE}/b/${COMPANY}?service=mens-cut`);
  await hosted.getByRole("button", { name: /Any specialist/ }).click();
  const booked = await bookAndCheck(hosted, { from: "time" });
  assert.equal(booked.channel, "hosted_page", "the reports tell the booking page from the widget on a site");
  assert.deepEqual(problems, []);
  await context.close();
});

test("iframe mode under a strict CSP: no WebAssembly on the page, the frame sized and its events relayed", async () => {
  const csp = `default-src 'self'; script-src 'self' ${BASE}; frame-src ${BASE}; connect-src 'self'`;
  // The page records the frame's messages as they arrive, and what the loader relays.
  const record = `window.dataLayer = []; window.seen = []; window.messages = [];
    addEventListener("message", (e) => messages.push({ origin: e.origin, data: JSON.parse(JSON.stringify(e.data)) }));
    document.addEventListener("homeslot-event", (e) => seen.push(e.detail.name));`;
  const origin = await site(page(`<script src="/record.js"></script>${tag(`data-company="${COMPANY}" data-mode="iframe" data-service="mens-cut"`)}`), {
    headers: { "content-security-policy": csp }, files: { "/record.js": record },
  });
  const host = await open(`${origin}/`);
  const { page: tab } = host;
  const frame = tab.frameLocator("homeslot-widget iframe");
  await frame.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  const own = await tab.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name));
  assert.ok(!own.some((u) => /homeslot_widget|\.wasm/.test(u)), `the host page itself loads no WebAssembly: ${own}`);
  const src = await tab.locator("homeslot-widget iframe").getAttribute("src");
  assert.equal(src, `${BASE}/b/${COMPANY}?frame=1&service=mens-cut&parent=${encodeURIComponent(origin)}`);
  await frame.getByRole("button", { name: /Any specialist/ }).click();
  const framed = await bookAndCheck(frame, { from: "time" });
  assert.equal(framed.channel, "online", "a framed widget is on the business's own site");
  // Sized to its page: no inner scrollbar.
  await tab.waitForFunction(() => /^\d+px$/.test(document.querySelector("homeslot-widget").shadowRoot.querySelector("iframe").style.height));
  await tab.waitForFunction(() => window.seen.includes("purchase"));
  // Every message came from the edge's exact origin; its events, in order, are the widget's and
  // GA4's of a booking that opened on the specialists (Meta's are not sent to a parent), each
  // relayed once to the page's event and to Tag Manager, and none carries the client's details.
  const messages = await tab.evaluate(() => window.messages);
  assert.ok(messages.every((m) => m.origin === BASE && m.data.source === "homeslot"), JSON.stringify(messages.map((m) => m.origin)));
  const named = messages.filter((m) => m.data.name).map((m) => m.data.name);
  assert.deepEqual(named, ["widget_loaded", "company_page_open", "screen_open_staff", "master_selected", "screen_open_date",
    "time_selected", "begin_checkout", "send_contacts", "booked", "purchase"]);
  assert.ok(messages.some((m) => m.data.height > 0), "the frame said its height");
  assert.doesNotMatch(JSON.stringify(messages), /Builder Client|7400/);
  assert.deepEqual(await tab.evaluate(() => window.seen), named);
  const layer = await tab.evaluate(() => window.dataLayer.map((e) => e.event ?? "(clear)"));
  assert.deepEqual(layer.filter((e) => e !== "(clear)"), named);
  assert.equal(layer.filter((e) => e === "(clear)").length, 2, "GA4's begin_checkout and purchase, each after a clear");
  assert.deepEqual(host.problems.filter((p) => !/Content Security Policy/.test(p)), []);
  await host.close();
});

test("the hosted page: branded, previewable, strict, bookable on a phone; its QR code; bad links refused", async () => {
  const response = await fetch(`${BASE}/b/${COMPANY}?service=mens-cut&utm_source=instagram`);
  assert.equal(response.status, 200);
  const csp = response.headers.get("content-security-policy");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline'[^;]*;[^]*script/);
  const html = await response.text();
  assert.doesNotMatch(html, /<script>/, "no inline script");
  assert.match(html, /<meta property="og:title" content="Lumière Hair Studio">/);
  assert.match(html, /<meta property="og:url" content="[^"]*\/b\/demo\?service=mens-cut">/);
  assert.match(html, /<meta property="og:description" content="Men&#39;s cut · /);

  const host = await open(`${BASE}/b/${COMPANY}?service=mens-cut&utm_source=instagram&utm_campaign=bio`, { width: 360, height: 740 });
  const { page: tab } = host;
  await tab.getByRole("heading", { name: "Lumière Hair Studio" }).waitFor();
  await tab.getByRole("button", { name: /Any specialist/ }).click();
  const booking = await bookAndCheck(tab, { from: "time" });
  assert.equal(booking.attribution?.utm_source, "instagram", "the bio link's campaign is kept");
  assert.equal(await tab.evaluate(() => document.documentElement.scrollWidth), 360, "nothing wider than the phone");
  assert.deepEqual(host.problems, []);
  await host.close();

  // The QR code: an SVG of the same link (campaign parameters dropped), read back by a scanner.
  const qr = await fetch(`${BASE}/qr/${COMPANY}?service=mens-cut&utm_source=x`);
  assert.equal(qr.headers.get("content-type"), "image/svg+xml");
  const svg = await qr.text();
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 (\d+) \1"/);
  const scanner = await open(`${BASE}/v1/health`);
  const decoded = await scanner.page.evaluate(async ({ svg, jsqr }) => {
    const image = new Image();
    image.src = "data:image/svg+xml;base64," + btoa(svg);
    await image.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width: 400, height: 400 });
    const draw = canvas.getContext("2d");
    draw.drawImage(image, 0, 0, 400, 400);
    const pixels = draw.getImageData(0, 0, 400, 400);
    new Function(jsqr)();
    return window.jsQR(pixels.data, 400, 400)?.data;
  }, { svg, jsqr: await jsQR() });
  assert.equal(decoded, `${BASE}/b/${COMPANY}?service=mens-cut`);
  await scanner.close();

  // A link in Arabic: the page reads right to left, like the widget.
  assert.match(await (await fetch(`${BASE}/b/${COMPANY}?language=ar`)).text(), /^<!doctype html><html lang="ar" dir="rtl">/);
  // A link with a region, and a page without one that speaks as the browser asks (so it varies).
  assert.match(await (await fetch(`${BASE}/b/${COMPANY}?language=pt-br`)).text(), /^<!doctype html><html lang="pt-BR">.*<homeslot-widget [^>]*language="pt-br"/s);
  const browsers = await fetch(`${BASE}/b/${COMPANY}`, { headers: { "accept-language": "ka-GE,ka;q=0.9" } });
  assert.match(await browsers.text(), /^<!doctype html><html lang="ka-GE">/);
  assert.equal(browsers.headers.get("vary"), "Accept-Language");
  // A parent that is not one of the company's sites gets a working form, and hears nothing.
  const unknown = await (await fetch(`${BASE}/b/${COMPANY}?frame=1&parent=https://evil.example`)).text();
  assert.match(unknown, /<homeslot-widget company="demo">/);
  assert.doesNotMatch(unknown, /evil/);
  // A link that leads nowhere says so, and what in it is wrong, in the language the page would
  // have spoken (the link's, else the owner's, else the browser's).
  for (const [path, status, words] of [
    ["/b/nobody", 404, /There is no booking page at this address\./],
    [`/b/${COMPANY}/nowhere`, 404, /out of date\. Please ask Lumière Hair Studio for a new one\.[\s\S]*location &quot;nowhere&quot;/],
    [`/b/${COMPANY}?service=haircut-deluxe`, 404, /out of date[\s\S]*service &quot;haircut-deluxe&quot;/],
    [`/b/${COMPANY}?date=tomorrow`, 400, /has a mistake in it[\s\S]*date &quot;tomorrow&quot;/],
    [`/qr/${COMPANY}?specialist=nobody`, 404, /out of date[\s\S]*specialist &quot;nobody&quot;/],
    [`/b/${COMPANY}?service=haircut-deluxe&language=uk`, 404, /^<!doctype html><html lang="uk">[\s\S]*Це посилання для запису застаріло/],
  ]) {
    const refused = await fetch(`${BASE}${path}`);
    assert.equal(refused.status, status, path);
    assert.match(await refused.text(), words, path);
  }
  const german = await fetch(`${BASE}/b/nobody`, { headers: { "accept-language": "de-AT" } });
  assert.match(await german.text(), /<html lang="de-AT">[\s\S]*<title>Buchungsseite<\/title>[\s\S]*Unter dieser Adresse gibt es keine Buchungsseite\./);
  assert.equal(german.headers.get("content-language"), "de-AT");
});

test("the hosted page loads the owner's GA4, Tag Manager and Pixel from the widget settings, and they get the booking", async () => {
  await putCompany({
    ...DEMO, logo_url: "https://salon.example/logo.png",
    widget: { ...DEMO.widget, analytics: { ga4_measurement_id: "G-TEST123", gtm_container_id: "GTM-TEST12", meta_pixel_id: "1234567890" } },
  });
  try {
    const response = await fetch(`${BASE}/b/${COMPANY}`);
    const csp = response.headers.get("content-security-policy");
    // The owner's logo: on the page, and in the link's preview.
    const html = await response.clone().text();
    assert.match(html, /<meta property="og:image" content="https:\/\/salon.example\/logo.png">/);
    assert.match(html, /<header><img src="https:\/\/salon.example\/logo.png" alt="" width="56" height="56">/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' https:\/\/www.googletagmanager.com https:\/\/connect.facebook.net;/);
    // Framed, the page loads no trackers of its own: the host page has its own, and gets the events.
    assert.doesNotMatch(await (await fetch(`${BASE}/b/${COMPANY}?frame=1`)).text(), /data-ga4|data-pixel/);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const loaded = [];
    // Google's and Meta's scripts, stood in for: the page's calls queue up as their snippets do.
    await context.route("https://www.googletagmanager.com/**", (r) => { loaded.push(r.request().url()); r.fulfill({ contentType: "text/javascript", body: "" }); });
    await context.route("https://connect.facebook.net/**", (r) => { loaded.push(r.request().url()); r.fulfill({ contentType: "text/javascript", body: "" }); });
    const tab = await context.newPage();
    await context.route("https://salon.example/**", (r) => r.fulfill({ contentType: "image/svg+xml", body: "<svg xmlns='http://www.w3.org/2000/svg'/>" }));
    await tab.goto(`${BASE}/b/${COMPANY}`);
    await bookAndCheck(tab);
    assert.deepEqual(loaded.sort(), ["https://connect.facebook.net/en_US/fbevents.js", "https://www.googletagmanager.com/gtag/js?id=G-TEST123",
      "https://www.googletagmanager.com/gtm.js?id=GTM-TEST12"]);
    assert.ok(await tab.evaluate(() => window.dataLayer.some((e) => e.event === "gtm.js")), "Tag Manager's start");
    const gtag = await tab.evaluate(() => window.dataLayer.filter((e) => Object.prototype.toString.call(e) === "[object Arguments]").map((e) => [...e].slice(0, 2).join(" ")));
    assert.ok(gtag.includes("config G-TEST123") && gtag.includes("event booked") && gtag.includes("event purchase"), gtag.join("\n"));
    const fbq = await tab.evaluate(() => window.fbq.queue.map((c) => [...c].slice(0, 2).join(" ")));
    assert.ok(fbq.includes("init 1234567890") && fbq.includes("track Purchase"), fbq.join("\n"));
    await context.close();
  } finally {
    await putCompany(DEMO);
  }
});

/** jsQR's source (a QR decoder, npm), to run in the page. */
async function jsQR() {
  const { readFileSync } = await import("node:fs");
  const { createRequire } = await import("node:module");
  return readFileSync(createRequire(import.meta.url).resolve("jsqr/dist/jsQR.js"), "utf8")
    .replace(/^/, "var module = {exports: {}}, exports = module.exports;\n") + "\nwindow.jsQR = module.exports.default || module.exports;";
}
