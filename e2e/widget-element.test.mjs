// The <homeslot-widget> element and its attributes, and the widget's languages: in headless
// Chromium, on pages served at the edge's own origin (intercepted, so no site has to be
// registered), and the language endpoint over HTTP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, addDays, api, BASE, COMPANY, launchBrowser, TOKEN } from "./helpers.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const admin = { authorization: `Bearer ${TOKEN}` };

/** A host page holding `body` (and the loader), at the edge's origin; every request the page
 *  makes is recorded. */
async function hostPage(body, { locale = "en-GB" } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,"><h1>A host page</h1>${body}` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/host-page.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/host-page.html`);
  return { page, problems, requests, close: () => context.close() };
}

test("the strings endpoint speaks the page's language, else the owner's, else the browser's, else English", async () => {
  const strings = (query = "", headers = {}) => api(`/v1/companies/${COMPANY}/strings${query}`, { headers });
  const de = await strings("?language=de", { "accept-language": "fr" });
  assert.equal(de.status, 200);
  assert.equal(de.body.language, "de");
  assert.equal(de.body.direction, "ltr");
  assert.equal(de.body.strings.choose_service, "Leistung wählen");
  // A region speaks its language's words and writes dates, times and prices for itself.
  const brazil = (await strings("", { "accept-language": "pt-BR,pt;q=0.9,en;q=0.5" })).body;
  assert.deepEqual([brazil.language, brazil.locale], ["pt", "pt-BR"]);
  const mexico = (await strings("?language=es-mx")).body;
  assert.deepEqual([mexico.language, mexico.locale, mexico.strings.choose_service], ["es", "es-MX", "Elige un servicio"]);
  assert.equal(de.body.locale, "de");
  // A word that counts has every plural form its language has (CLDR's, as the browser knows them).
  const polish = (await strings("?language=pl")).body.strings.spots_left;
  assert.deepEqual(Object.keys(polish).sort(), new Intl.PluralRules("pl").resolvedOptions().pluralCategories.sort());
  assert.equal((await strings("", { "accept-language": "ja" })).body.language, "en");
  const he = await strings("?language=he");
  assert.equal(he.body.direction, "rtl");
  assert.deepEqual(Object.keys(he.body.strings), Object.keys(de.body.strings), "every language has every word");

  // In two parts, the first screen's words and the later steps', which together are every word.
  const first = (await strings("?language=de&part=first")).body;
  const later = (await strings("?language=de&part=later")).body;
  assert.equal(first.strings.choose_service, "Leistung wählen");
  assert.equal(later.strings.choose_service, undefined);
  assert.equal(later.language, "de");
  assert.deepEqual(Object.keys({ ...first.strings, ...later.strings }).sort(), Object.keys(de.body.strings).sort());
  // Or all at once, by name (the loader's one request for a page that opens past the first screen).
  assert.deepEqual((await strings("?language=de&part=all")).body, de.body);
  const badPart = await strings("?part=middle");
  assert.equal(badPart.status, 422);
  assert.equal(badPart.body.error.field, "part");

  for (const asked of ["xx", "pt-Brazil", "PT"]) {
    const bad = await strings(`?language=${asked}`);
    assert.equal(bad.status, 422, asked);
    assert.equal(bad.body.error.code, "validation_failed");
    assert.equal(bad.body.error.field, "language");
  }

  // The owner's language beats the browser's, not the page's.
  const patch = (widget) => api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { widget } });
  const before = (await api(`/v1/admin/companies/${COMPANY}`, { headers: admin })).body.widget ?? {};
  assert.equal((await patch({ ...before, language: "fr-CA" })).status, 200);
  try {
    const canada = (await strings("", { "accept-language": "es" })).body;
    assert.deepEqual([canada.language, canada.locale], ["fr", "fr-CA"]);
    assert.equal((await patch({ ...before, language: "fr-Canada" })).status, 422, "not a region");
    assert.equal((await patch({ ...before, language: "uk" })).status, 200);
    assert.equal((await strings("", { "accept-language": "es" })).body.language, "uk");
    assert.equal((await strings("?language=pl", { "accept-language": "es" })).body.language, "pl");
  } finally {
    assert.equal((await patch(before)).status, 200);
  }
});

test("an element in German preselects a service and a date, and only German words are downloaded", async () => {
  const today = (await api(`/v1/companies/${COMPANY}`)).body.locations[0].today;
  const date = addDays(today, 3);
  const host = await hostPage(`<homeslot-widget company="demo" language="de" service="mens-cut" specialist="any" date="${date}"></homeslot-widget>`);
  const { page } = host;
  // Straight to the times of the preselected service, on the preselected date.
  await page.getByRole("heading", { name: "Uhrzeit wählen" }).waitFor();
  await page.locator(`.hs-grid[data-date="${date}"]`).waitFor();
  assert.equal(await page.locator(".hs").getAttribute("lang"), "de");
  assert.match(await page.locator('.hs-date[aria-pressed="true"]').innerText(), /\d/);
  // The loader told the catalog request the page's preselection, and its answer carried these
  // times: the first screen asked for no times of its own, and shows exactly the edge's.
  assert.ok(host.requests.includes(`${BASE}/v1/companies/demo?location=&service=mens-cut&specialist=any&date=${date}&step-order=`));
  const asked = () => host.requests.filter((u) => u.includes("/slots?"));
  assert.deepEqual(asked(), []);
  const shown = await page.locator(".hs-time").evaluateAll((times) => times.map((t) => t.dataset.start));
  const free = (await api(`/v1/companies/${COMPANY}/locations/soho/slots?service=mens-cut&date=${date}`)).body.slots;
  assert.deepEqual(shown, free.map((s) => s.start));
  // The date strip came after the times (its labels need Intl), in a box kept at its height:
  // nothing moved when it did.
  const shifts = await page.evaluate(() => new Promise((resolve) => {
    // What moved, and from where to where: a failure says which element it was.
    const described = (e) => ({ value: e.value, sources: e.sources.map((s) => ({
      node: s.node ? `${s.node.nodeName}.${s.node.className ?? ""} ${(s.node.textContent ?? "").slice(0, 40)}` : null,
      from: [s.previousRect.x, s.previousRect.y, s.previousRect.width, s.previousRect.height],
      to: [s.currentRect.x, s.currentRect.y, s.currentRect.width, s.currentRect.height] })) });
    new PerformanceObserver((list) => resolve(list.getEntries().filter((e) => !e.hadRecentInput).map(described)))
      .observe({ type: "layout-shift", buffered: true });
    setTimeout(() => resolve([]), 1000); // no entry at all: nothing moved
  }));
  assert.deepEqual(shifts, [], JSON.stringify(shifts));
  // Another date is the edge's to answer, as always.
  const other = page.locator('.hs-date[aria-pressed="false"]:not([disabled])').first();
  const label = await other.innerText();
  await other.click();
  await page.locator(`.hs-date[aria-pressed="true"]`).filter({ hasText: label }).waitFor();
  await page.locator(".hs-time").first().waitFor();
  assert.equal(asked().length, 1, asked().join(" "));
  // Dates in German (Intl), e.g. "Do., 26. Nov.".
  const strip = await page.locator(".hs-date").allInnerTexts();
  // Every label in German ("Do., 26. Nov."), which no English label ("Thu 26 Nov", "Sat 28 Nov") matches.
  assert.ok(strip.every((d) => /^(Mo|Di|Mi|Do|Fr|Sa|So)\., \d{1,2}\. /.test(d)), strip.join(" | "));
  assert.deepEqual(await accessibilityProblems(page), []);
  // Back to the services: durations and prices in German.
  await page.getByRole("button", { name: "← Mitarbeiter:innen" }).click();
  await page.getByRole("heading", { name: "Mitarbeiter:in wählen" }).waitFor();
  await page.getByRole("button", { name: "← Leistungen" }).click();
  await page.getByRole("heading", { name: "Leistung wählen" }).waitFor();
  assert.match(await page.locator(".hs-item-meta").first().innerText(), /Minuten|Stunde/);
  assert.match(await page.locator(".hs-item-meta").first().innerText(), /£/);
  const words = host.requests.filter((u) => u.includes("/strings"));
  // The page opens past the first screen, so every word came at once, in German only.
  assert.deepEqual(words, [`${BASE}/v1/companies/demo/strings?part=all&language=de`]);
  // The page opens on the times, so the loader asked for the times' code alongside the widget's
  // own (a preload the widget's fetch then used: the chunk came over the network once).
  const preloads = await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((links) => links.map((l) => l.href));
  assert.ok(preloads.some((href) => /\/widget\/[0-9a-f]{12}\/split_steps\.wasm$/.test(href)), preloads.join(" "));
  const fetched = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith("/split_steps.wasm")));
  assert.equal(fetched.length, 1, fetched.join(" "));
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a page that opens on the services leaves the later steps' code to the widget", async () => {
  const host = await hostPage(`<homeslot-widget company="demo"></homeslot-widget>`);
  await host.page.getByRole("heading", { name: "Choose a service" }).waitFor();
  // The first screen comes first: the loader preloads nothing, and the widget asks for the
  // later steps only once it runs (then, while the client reads the services).
  assert.equal(await host.page.locator('link[rel="preload"]').count(), 0);
  const at = (file) => host.requests.findIndex((url) => url.startsWith(`${BASE}/widget/`) && url.endsWith(`/${file}`));
  assert.ok(at("homeslot_widget_bg.wasm") >= 0 && at("split_steps.wasm") > at("homeslot_widget_bg.wasm"));
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("in Arabic the widget is right to left and readable", async () => {
  const host = await hostPage(`<homeslot-widget company="demo" language="ar"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "اختر خدمة" }).waitFor();
  assert.equal(await page.locator(".hs").getAttribute("dir"), "rtl");
  assert.equal(await page.locator(".hs").evaluate((el) => getComputedStyle(el).direction), "rtl");
  // Text starts on the right: a service's name is nearer the right edge of its button.
  const gap = await page.locator(".hs-item").first().evaluate((button) => {
    const name = button.querySelector(".hs-item-name").getBoundingClientRect();
    const box = button.getBoundingClientRect();
    return { right: box.right - name.right, left: name.left - box.left };
  });
  assert.ok(gap.right < gap.left, JSON.stringify(gap));
  assert.deepEqual(await accessibilityProblems(page), []);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("the browser's language is used when neither the page nor the owner chose one", async () => {
  const host = await hostPage(`<homeslot-widget company="demo"></homeslot-widget>`, { locale: "es-ES" });
  await host.page.getByRole("heading", { name: "Elige un servicio" }).waitFor();
  // Spanish words, written for Spain (the browser's region).
  assert.equal(await host.page.locator(".hs").getAttribute("lang"), "es-ES");
  await host.close();
});

test("a page's theme attribute picks a preset; an unknown one is refused with the list", async () => {
  const host = await hostPage(`<homeslot-widget company="demo" theme="dark"></homeslot-widget>`);
  await host.page.getByRole("heading", { name: "Choose a service" }).waitFor();
  const background = await host.page.locator(".hs").evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = background.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `dark: ${background}`);
  assert.deepEqual(await accessibilityProblems(host.page), []);
  await host.close();
  const refused = await api(`/v1/companies/${COMPANY}/theme.css?theme=neon`);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.field, "theme");
  assert.match(refused.body.error.message, /default, dark, blush, forest/);
});

/** The element that has the focus, looking into shadow roots. */
function focused(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { tag: active?.tagName.toLowerCase(), text: active?.textContent.trim(), className: active?.className ?? "" };
  });
}

/** Presses Tab until the focused element matches, at most `limit` times. */
async function tabTo(page, matches, limit = 40) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (matches(now)) return now;
  }
  throw new Error("Tab never reached the control");
}

test("a whole booking with the keyboard alone; each new step's heading takes the focus", async () => {
  const host = await hostPage(`<homeslot-widget company="demo"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  assert.notEqual((await focused(page)).className, "hs-title", "the first screen does not take the focus");
  await tabTo(page, (f) => f.className === "hs-item" && f.text.includes("Men's cut"));
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  assert.equal((await focused(page)).text, "Choose a specialist");
  await tabTo(page, (f) => f.className.includes("hs-person") && f.text.includes("Any specialist"));
  await page.keyboard.press("Enter");
  await page.locator(".hs-time").first().waitFor();
  assert.deepEqual(await focused(page), { tag: "h2", text: "Choose a time", className: "hs-title" });
  const time = await tabTo(page, (f) => f.className === "hs-time");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  assert.equal((await focused(page)).text, "Your details");
  await tabTo(page, (f) => f.tag === "input");
  await page.keyboard.type("Kim Keyboard");
  await page.keyboard.press("Tab");
  await page.keyboard.type(`+44 7400 9${String(Date.now()).slice(-5)}`);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  assert.equal((await focused(page)).text, "You're booked!");
  assert.match(await page.locator(".hs-done-when").innerText(), new RegExp(time.text));
  assert.deepEqual(host.problems, []);
  await host.close();
});
