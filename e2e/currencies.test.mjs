// Money in each currency's own units: salons pricing in JPY, KRW and CLP (no minor unit), EUR (two
// digits) and KWD (three). Over HTTP, every price carries its currency's exponent and the admin
// list says it; in Chromium, the widget shows ¥5,000 (not ¥50) and 5.250 KWD (not 52.50), with and
// without the browser's Intl.NumberFormat, and GA4, Tag Manager and Meta get the value in the
// currency's units.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, everyDay, hostPage, launchBrowser, putCompany, TOKEN } from "./helpers.mjs";

const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const CASES = [
  { currency: "JPY", minor: 5000, exponent: 0, value: 5000 },
  { currency: "KRW", minor: 45000, exponent: 0, value: 45000 },
  { currency: "CLP", minor: 12990, exponent: 0, value: 12990 },
  { currency: "EUR", minor: 5000, exponent: 2, value: 50 },
  { currency: "KWD", minor: 5250, exponent: 3, value: 5.25 },
];
// Companies of this run only: each starts with no bookings.
const run = String(Date.now() % 100000).padStart(5, "0");
const company = (c) => `money-${c.currency.toLowerCase()}-${run}`;
let browser;

before(async () => {
  for (const c of CASES) {
    await putCompany({
      id: company(c), name: `${c.currency} Salon`, currency: c.currency, site_origins: [],
      locations: [{ id: "main", name: "Main", address: "1 Street", time_zone: "Europe/London",
        policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
      services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: c.minor, specialist_ids: ["ivy"] }],
      specialists: [{ id: "ivy", name: "Ivy", location_id: "main", working_hours: everyDay("07:00", "21:00") }],
    });
  }
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

test("a company's currency must be a real ISO 4217 currency with a minor unit", async () => {
  for (const currency of ["XAU", "XXX", "ABC", "jpy", "YEN"]) {
    const refused = await api("/v1/admin/companies/money-bad", { method: "PUT", headers: admin, body: {
      id: "money-bad", name: "Bad", currency, site_origins: [], locations: [], services: [], specialists: [] } });
    assert.equal(refused.status, 422, `${currency}: ${refused.text}`);
    assert.equal(refused.body.error.field, "currency");
  }
});

test("every price over HTTP carries its currency's exponent, and the owner's list says it", async () => {
  for (const c of CASES) {
    const catalog = (await api(`/v1/companies/${company(c)}`)).body;
    assert.deepEqual(catalog.services[0].price, { amount_minor: c.minor, currency: c.currency, exponent: c.exponent });
    const start = `${addDays(today, 2)}T10:00:00Z`;
    const booked = await api(`/v1/companies/${company(c)}/locations/main/bookings`, { method: "POST",
      body: { service_id: "cut", start, client: { name: "Money Client", phone: "+44 7400 900901" } } });
    assert.equal(booked.status, 201, booked.text);
    assert.deepEqual(booked.body.price, { amount_minor: c.minor, currency: c.currency, exponent: c.exponent });
    const listed = (await api(`/v1/admin/companies/${company(c)}/locations/main/bookings?date=${addDays(today, 2)}`, { headers: admin })).body;
    assert.deepEqual(listed.currency, { code: c.currency, exponent: c.exponent });
    assert.equal(listed.bookings[0].price_minor, c.minor);
    assert.deepEqual(listed.bookings[0].price, { amount_minor: c.minor, currency: c.currency, exponent: c.exponent });
    const exported = (await api(`/v1/admin/companies/${company(c)}/export`, { headers: admin })).body;
    assert.deepEqual(exported.currency, { code: c.currency, exponent: c.exponent });
    assert.equal(exported.locations[0].bookings[0].price.exponent, c.exponent);
  }
});

/** A page recording what the widget gives GA4 (gtag), Tag Manager (dataLayer) and Meta (fbq). */
const recording = (c, withoutIntlNumbers) => `<script>
  ${withoutIntlNumbers ? "Intl.NumberFormat = undefined;" : ""}
  window.recorded = [];
  const copy = (v) => JSON.parse(JSON.stringify(v));
  window.dataLayer = [];
  window.dataLayer.push = (item) => recorded.push(["dataLayer", copy(item)]);
  window.gtag = function () { recorded.push(["gtag", ...copy([...arguments])]); };
  window.fbq = function () { recorded.push(["fbq", ...copy([...arguments])]); };
</script><homeslot-widget company="${company(c)}"></homeslot-widget>`;

test("the widget shows each price in its currency's units, and the trackers get the value in those units", async () => {
  for (const c of CASES) {
    const { page, problems, close } = await hostPage(browser, recording(c, false));
    await page.getByRole("heading", { name: "Choose a service" }).waitFor();
    const expected = await page.evaluate(({ currency, value, exponent }) => new Intl.NumberFormat("en",
      { style: "currency", currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent }).format(value), c);
    const row = await page.locator(".hs-item", { hasText: "Cut" }).textContent();
    assert.ok(row.includes(expected), `${c.currency}: "${row}" shows ${expected}`);
    await page.locator(".hs-item", { hasText: "Cut" }).click();
    await page.getByRole("button", { name: /Any specialist/ }).click();
    await page.locator(".hs-time").first().click();
    await page.getByLabel("Name").fill("Money Client");
    await page.getByLabel("Phone").fill(`+44 7400 9${String((Date.now() + c.minor) % 100000).padStart(5, "0")}`);
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.getByRole("heading", { name: "You're booked!" }).waitFor();
    assert.ok((await page.locator(".hs-done-price").textContent()).includes(expected), `${c.currency} on the success screen`);
    await page.waitForFunction(() => window.recorded.some((r) => r[0] === "fbq" && r[2] === "Purchase"));
    const recorded = await page.evaluate(() => window.recorded);
    const purchase = recorded.find((r) => r[0] === "gtag" && r[2] === "purchase")[3];
    assert.equal(purchase.value, c.value, `${c.currency}: GA4 purchase value`);
    assert.equal(purchase.currency, c.currency);
    assert.equal(purchase.items[0].price, c.value, `${c.currency}: GA4 item price`);
    const layer = recorded.find((r) => r[0] === "dataLayer" && r[1].event === "purchase")[1];
    assert.equal(layer.ecommerce.value, c.value, `${c.currency}: Tag Manager's purchase`);
    const meta = recorded.find((r) => r[0] === "fbq" && r[2] === "Purchase")[3];
    assert.deepEqual([meta.value, meta.currency], [c.value, c.currency], `${c.currency}: Meta's Purchase`);
    const selected = recorded.find((r) => r[0] === "gtag" && r[2] === "service_selected")[3];
    assert.equal(selected.price, c.value, `${c.currency}: service_selected price`);
    assert.deepEqual(problems, []);
    await close();
  }
});

test("without Intl.NumberFormat the widget still writes each price with its currency's digits", async () => {
  const shown = {};
  for (const c of CASES) {
    const { page, problems, close } = await hostPage(browser, recording(c, true));
    await page.getByRole("heading", { name: "Choose a service" }).waitFor();
    shown[c.currency] = (await page.locator(".hs-item", { hasText: "Cut" }).textContent()).match(/[-\d.]+ [A-Z]{3}/)?.[0];
    assert.deepEqual(problems, []);
    await close();
  }
  assert.deepEqual(shown, { JPY: "5000 JPY", KRW: "45000 KRW", CLP: "12990 CLP", EUR: "50.00 EUR", KWD: "5.250 KWD" });
});
