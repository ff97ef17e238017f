// The widget's analytics in Chromium, on a host page that records every channel: the owner's
// callback, the element's `homeslot-event`, `dataLayer`, `gtag`, `fbq`. The exact ordered events
// of a full booking, a group booking and a promo click; the purchase's value is the price the edge
// charged; no personal data in any payload; nothing at all when the owner requires consent and
// the page has not given it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, BASE, everyDay, hostPage, launchBrowser, putCompany, TOKEN } from "./helpers.mjs";

const COMPANY = "analytics-e2e";
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
let browser;

before(async () => {
  await putCompany({
    id: COMPANY, name: "Tracked Cuts", currency: "GBP", site_origins: [],
    locations: [{ id: "soho", name: "Soho", address: "1 Soho St", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2000, specialist_ids: ["ivy"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1000, specialist_ids: [],
        class: { capacity: 50, sessions: [{ location_id: "soho", specialist_id: "ivy", date: addDays(today, 2), start: "18:00" }] } },
    ],
    specialists: [{ id: "ivy", name: "Ivy", position: "Stylist", location_id: "soho", working_hours: everyDay("07:00", "21:00") }],
    discounts: [{ id: "web10", name: "Online −10%", percent: 10 }],
  });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

/** A host page whose trackers record what they are given, in order. `consent`: Consent Mode's
 *  default state, pushed before the widget loads. */
function recordingPage(attributes = "", consent) {
  const consentDefault = consent ? `gtag("consent", "default", ${JSON.stringify(consent)});` : "";
  return `<script>
    window.recorded = [];
    const copy = (v) => JSON.parse(JSON.stringify(v));
    window.dataLayer = [];
    // Tag Manager's layer: what the widget pushes (objects), not the page's own gtag commands.
    const push = window.dataLayer.push.bind(window.dataLayer);
    window.dataLayer.push = (...items) => {
      for (const item of items) if (!(Object.prototype.toString.call(item) === "[object Arguments]")) recorded.push(["dataLayer", copy(item)]);
      return push(...items);
    };
    window.gtag = function () {
      if (arguments[0] === "consent") { push(arguments); return; }
      recorded.push(["gtag", ...copy([...arguments])]);
    };
    window.fbq = function () { recorded.push(["fbq", ...copy([...arguments])]); };
    window.onHomeslot = (name, params) => recorded.push(["callback", name, copy(params)]);
    document.addEventListener("homeslot-event", (e) => recorded.push(["event", e.detail.name]));
    ${consentDefault}
  </script>
  <homeslot-widget company="${COMPANY}" analytics-callback="onHomeslot" ${attributes}></homeslot-widget>`;
}

const recorded = (page) => page.evaluate(() => window.recorded);
const names = (records, channel) => records.filter((r) => r[0] === channel).map((r) => r[1]);
const waitFor = (page, name) => page.waitForFunction((n) => window.recorded.some((r) => r[0] === "callback" && r[1] === n), name);

async function book(page, service, client) {
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  await waitFor(page, "view_item_list");
  await page.locator(".hs-item", { hasText: service }).click();
  if (service === "Cut") await page.getByRole("button", { name: /Any specialist/ }).click();
  await page.locator(".hs-time").first().click();
  await page.getByLabel("Name").fill(client.name);
  await page.getByLabel("Phone").fill(client.phone);
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
}

const client = (n) => ({ name: `Tracked Client ${n}`, phone: `+44 7400 8${String((Date.now() + n) % 100000).padStart(5, "0")}` });

test("a full booking is one exact ordered list on every channel, its purchase the price charged, with no personal data", async () => {
  const { page, problems, close } = await hostPage(browser, recordingPage());
  const who = client(1);
  await book(page, "Cut", who);
  await waitFor(page, "purchase");
  const records = await recorded(page);
  const expected = [
    "widget_loaded", "company_page_open", "view_item_list", "service_selected", "select_item", "screen_open_staff",
    "master_selected", "screen_open_date", "time_selected", "begin_checkout", "send_contacts", "booked", "purchase",
  ];
  assert.deepEqual(names(records, "callback"), expected);
  assert.deepEqual(names(records, "event"), expected, "the element's event, bubbling out of the shadow root");
  assert.deepEqual(records.filter((r) => r[0] === "gtag").map((r) => r[2]), expected);
  // Tag Manager: the widget's events as {event, ...}; GA4's ecommerce after clearing the last one.
  const layer = records.filter((r) => r[0] === "dataLayer").map((r) => r[1].event ?? "(clear)");
  assert.deepEqual(layer.filter((e) => e !== "(clear)"), expected);
  assert.equal(layer.filter((e) => e === "(clear)").length, 4, "one clear before each ecommerce event");
  // Meta: the widget's own as custom events, then the standard Schedule and Purchase.
  const meta = records.filter((r) => r[0] === "fbq").map((r) => `${r[1]} ${r[2]}`);
  assert.deepEqual(meta.slice(-2), ["track Schedule", "track Purchase"]);
  assert.ok(meta.slice(0, -2).every((m) => m.startsWith("trackCustom ")), meta.join("\n"));
  assert.ok(!meta.some((m) => /view_item_list|purchase$/.test(m)), "GA4's events are not Meta's");

  // The value is what the edge charged (£20.00 less 10%), the transaction the booking's id.
  const purchase = records.find((r) => r[0] === "gtag" && r[2] === "purchase")[3];
  assert.equal(purchase.value, 18);
  assert.equal(purchase.currency, "GBP");
  assert.match(purchase.transaction_id, /\w/);
  assert.deepEqual(purchase.items.map((i) => [i.item_id, i.item_name, i.price]), [["cut", "Cut", 18]]);
  const metaPurchase = records.find((r) => r[0] === "fbq" && r[2] === "Purchase");
  assert.deepEqual([metaPurchase[3].value, metaPurchase[3].currency, metaPurchase[4].eventID], [18, "GBP", purchase.transaction_id]);
  const booked = records.find((r) => r[0] === "callback" && r[1] === "booked")[2];
  assert.deepEqual([booked.service_name, booked.specialist_name, booked.value, booked.discount_id, booked.company_id],
    ["Cut", "Ivy", 18, "web10", COMPANY]);

  // Nothing the client typed, anywhere.
  const everything = JSON.stringify(records);
  for (const secret of [who.name, who.phone, who.phone.replaceAll(" ", ""), "Tracked Client"]) {
    assert.ok(!everything.includes(secret), `${secret} was sent`);
  }
  assert.deepEqual(problems, []);
  await close();
});

test("a client who taps before the tracker's code arrives is counted from the first screen, in order", async () => {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
  // The later steps' code (the tracker's) is held back until the client has chosen a service.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route("**/widget/*/split_steps.wasm", async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,">${recordingPage()}` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/early.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/early.html`);
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  await page.locator(".hs-item", { hasText: "Cut" }).click();
  assert.deepEqual(await recorded(page), [], "nothing is sent before the tracker's code is here");
  release();
  await waitFor(page, "screen_open_staff");
  assert.deepEqual(names(await recorded(page), "callback"),
    ["widget_loaded", "company_page_open", "view_item_list", "service_selected", "select_item", "screen_open_staff"]);
  await context.close();
});

test("a group booking has the group events", async () => {
  const { page, close } = await hostPage(browser, recordingPage());
  await book(page, "Yoga", client(2));
  await waitFor(page, "purchase");
  assert.deepEqual(names(await recorded(page), "callback"), [
    "widget_loaded", "company_page_open", "view_item_list", "group_activity_selected", "select_item", "screen_open_date",
    "time_selected", "begin_checkout", "group_personal_data_filled", "group_record_created", "purchase",
  ]);
  await close();
});

test("a promo is seen and its link clicked: view_promotion, clicked_promo_link and select_promotion", async () => {
  const promos = [{ id: "cut-promo", title: "Try our cut", button_text: "Book a cut", button_link: "service:cut", screen: "services" }];
  assert.equal((await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { promos } })).status, 200);
  try {
    const { page, close } = await hostPage(browser, recordingPage());
    await page.getByRole("heading", { name: "Choose a service" }).waitFor();
    await waitFor(page, "view_promotion");
    await page.getByRole("button", { name: "Book a cut" }).click();
    await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
    await waitFor(page, "screen_open_staff");
    const records = await recorded(page);
    assert.deepEqual(names(records, "callback"), [
      "widget_loaded", "company_page_open", "view_item_list", "view_promotion",
      "clicked_promo_link", "select_promotion", "service_selected", "select_item", "screen_open_staff",
    ]);
    const click = records.find((r) => r[0] === "callback" && r[1] === "clicked_promo_link")[2];
    assert.deepEqual([click.promo_id, click.link], ["cut-promo", "service:cut"]);
    const select = records.find((r) => r[0] === "gtag" && r[2] === "select_promotion")[3];
    assert.deepEqual([select.promotion_id, select.creative_slot], ["cut-promo", "services"]);
    await close();
  } finally {
    await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { promos: [] } });
  }
});

test("with consent required, nothing is sent until Consent Mode grants it, and Meta waits for ad_storage", async () => {
  const { page, close } = await hostPage(browser,
    recordingPage(`analytics-consent="required"`, { analytics_storage: "denied", ad_storage: "denied" }));
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  // The tracker is there (it sends as soon as it is): what it would have sent is refused.
  await page.locator(".hs-tracker").waitFor({ state: "attached" });
  await page.locator(".hs-item", { hasText: "Cut" }).click();
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(await recorded(page), [], "denied: nothing on any channel");

  await page.evaluate(() => window.gtag("consent", "update", { analytics_storage: "granted" }));
  await page.getByRole("button", { name: /Any specialist/ }).click();
  await waitFor(page, "master_selected");
  const records = await recorded(page);
  assert.deepEqual(names(records, "callback"), ["master_selected", "screen_open_date"]);
  assert.equal(records.filter((r) => r[0] === "fbq").length, 0, "ad_storage is still denied");
  await close();
});

test("the owner switches channels off", async () => {
  const { page, close } = await hostPage(browser, recordingPage(`analytics-off="fbq gtag datalayer"`));
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  await waitFor(page, "view_item_list");
  const channels = new Set((await recorded(page)).map((r) => r[0]));
  assert.deepEqual([...channels].sort(), ["callback", "event"]);
  await close();
});

test("where a client came from is stored with the booking, shown to admins and in the export, and erased with the client", async () => {
  const day = addDays(today, 3);
  const slots = (await api(`/v1/companies/${COMPANY}/locations/soho/slots?service=cut&date=${day}`)).body.slots;
  const who = client(3);
  const body = (attribution) => ({ service_id: "cut", start: slots.pop().start, client: who, attribution });
  // Refused with the field named, and nothing written.
  const before = (await api(`/v1/admin/companies/${COMPANY}/locations/soho/bookings?date=${day}`, { headers: admin })).body.bookings.length;
  for (const [attribution, status, field] of [
    [{ utm_source: "x".repeat(201) }, 422, "attribution.utm_source"],
    [{ gclid: "a\u0000b" }, 422, "attribution.gclid"],
    [{ utm_source: "ok", email: "someone@example.com" }, 400, null],
  ]) {
    const refused = await api(`/v1/companies/${COMPANY}/locations/soho/bookings`, { method: "POST", body: body(attribution) });
    assert.equal(refused.status, status, refused.text);
    if (field) assert.equal(refused.body.error.field, field);
  }
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/locations/soho/bookings?date=${day}`, { headers: admin })).body.bookings.length, before);

  // The widget reads the page's address: a host page opened from an ad.
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,">
    ${recordingPage()}<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/utm-page.html*`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/utm-page.html?utm_source=instagram&utm_medium=bio&utm_campaign=spring+sale&gclid=G-123&fbclid=F-456`);
  await book(page, "Cut", who);
  // Where a client came from is the owner's, never the trackers'.
  const sent = JSON.stringify(await recorded(page));
  assert.ok(sent.includes("booked") && !sent.includes("G-123") && !sent.includes("instagram"), sent.slice(0, 200));
  await context.close();

  const exported = (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body;
  const rows = exported.locations.flatMap((l) => l.bookings).filter((b) => b.client_phone === who.phone.replaceAll(" ", ""));
  assert.equal(rows.length, 1, JSON.stringify(rows));
  const expected = { utm_source: "instagram", utm_medium: "bio", utm_campaign: "spring sale", gclid: "G-123", fbclid: "F-456" };
  assert.deepEqual(rows[0].attribution, expected);

  // Erasing the client erases their click ids too.
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/clients/erase`, { method: "POST", headers: admin, body: { phone: who.phone } })).status, 200);
  const after = (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body.locations.flatMap((l) => l.bookings)
    .find((b) => b.booking_id === rows[0].booking_id);
  assert.equal(after.attribution ?? null, null);
});
