// Automatic discounts, decided by the edge over HTTP against the real objects: the catalog's
// offers, the price a confirmation charges and stores, a first booking judged across the chain,
// the app channel decided by an app key, and a client who edits the request getting nothing.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, addDays, api, everyDay, hostPage, launchBrowser, putCompany, TOKEN } from "./helpers.mjs";

const COMPANY = "pricing-e2e";
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const DISCOUNTS = [
  { id: "web10", name: "Online −10%", percent: 10, service_ids: ["cut"] },
  { id: "colour10", name: "Colour week", percent: 10, category_ids: ["colour"] },
  { id: "first20", name: "First visit −20%", eligibility: "first_booking", percent: 20 },
  { id: "app5", name: "App £5 off", channel: "app", amount_minor: 500 },
  // Far better than the others, but never valid today: they must never apply.
  { id: "ended", name: "Ended", percent: 90, valid_until: addDays(today, -2) },
  { id: "later", name: "Later", percent: 90, valid_from: addDays(today, 2) },
];
const COMPANY_DOC = {
  id: COMPANY, name: "Pricing Cuts", currency: "GBP", site_origins: [],
  categories: [{ id: "colour", name: "Colour" }],
  locations: ["north", "south"].map((id) => ({ id, name: id, address: `1 ${id} St`, time_zone: "Europe/London",
    policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } })),
  services: [
    { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2000, specialist_ids: ["nia", "sam"],
      variants: [{ specialist_id: "sam", price_minor: 3000 }] },
    { id: "colour", name: "Colour", category_id: "colour", duration_minutes: 30, price_minor: 5005, specialist_ids: ["nia", "sam"] },
    { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1000, specialist_ids: [],
      class: { capacity: 20, sessions: [{ location_id: "north", specialist_id: "nia", date: addDays(today, 3), start: "18:00" }] } },
  ],
  specialists: [
    { id: "nia", name: "Nia", position: "Stylist", location_id: "north", working_hours: everyDay("08:00", "20:00") },
    { id: "sam", name: "Sam", position: "Senior", location_id: "south", working_hours: everyDay("08:00", "20:00") },
  ],
  discounts: DISCOUNTS,
};

before(async () => { await putCompany(COMPANY_DOC); });

const path = (location, rest) => `/v1/companies/${COMPANY}/locations/${location}/${rest}`;
let n = 0;
/** A phone number no other test uses: a new client. */
function newClient() {
  n += 1;
  return { name: `Pricing Client ${n}`, phone: `+44 7400 6${String((Date.now() + n * 7919) % 100000).padStart(5, "0")}` };
}
const free = {};
/** A free start at `location` on day +`days`, each used once. */
async function start(location, days, service = "cut") {
  const { body } = await api(path(location, `slots?service=${service}&date=${addDays(today, days)}`));
  const key = `${location}${days}`;
  free[key] = (free[key] ?? 0) + 1;
  return body.slots[free[key]].start;
}
const book = async (location, body, headers = {}) => api(path(location, "bookings"), { method: "POST", body, headers });

test("the catalog shows each service's offers: the best rule of the day, and what a first booking pays", async () => {
  const { status, body } = await api(`/v1/companies/${COMPANY}`);
  assert.equal(status, 200);
  const cut = body.services.find((s) => s.id === "cut");
  assert.deepEqual(cut.price, { amount_minor: 2000, currency: "GBP", exponent: 2 });
  assert.deepEqual(cut.offer, { price: { amount_minor: 1800, currency: "GBP", exponent: 2 }, discount: { id: "web10", name: "Online −10%" } });
  assert.equal(cut.first_booking_offer.price.amount_minor, 1600);
  assert.equal(cut.first_booking_offer.discount.id, "first20");
  // 10% of 50.05 is 5.005: rounded half up to the penny, 5.01 off.
  const colour = body.services.find((s) => s.id === "colour");
  assert.equal(colour.offer.price.amount_minor, 4504);
  assert.equal(colour.first_booking_offer.price.amount_minor, 4004);
  const yoga = body.classes.find((s) => s.id === "yoga");
  assert.equal(yoga.offer, undefined, "no rule for every booking covers the class");
  assert.equal(yoga.first_booking_offer.price.amount_minor, 800);
  assert.doesNotMatch(JSON.stringify(body), /"(ended|later|app5)"/, "rules that do not apply are not shown");
});

test("a first booking is judged across the chain: discounted once, at any location", async () => {
  const client = newClient();
  const first = await book("north", { service_id: "cut", start: await start("north", 1), client });
  assert.equal(first.status, 201, first.text);
  assert.deepEqual(first.body.price, { amount_minor: 1600, currency: "GBP", exponent: 2 });
  assert.deepEqual(first.body.original_price, { amount_minor: 2000, currency: "GBP", exponent: 2 });
  assert.deepEqual(first.body.discount, { id: "first20", name: "First visit −20%" });
  // The same person (same phone) at the other location: returning, so the every-booking rule,
  // with that location's specialist's own price (30.00 − 10%).
  const again = await book("south", { service_id: "cut", start: await start("south", 1), client });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.price.amount_minor, 2700);
  assert.equal(again.body.original_price.amount_minor, 3000);
  assert.equal(again.body.discount.id, "web10");
});

test("two first bookings racing for one new client: only one is discounted", async () => {
  const client = newClient();
  const [a, b] = await Promise.all([
    book("north", { service_id: "colour", start: await start("north", 2, "colour"), client }),
    book("south", { service_id: "colour", start: await start("south", 2, "colour"), client }),
  ]);
  assert.deepEqual([a.status, b.status], [201, 201], a.text + b.text);
  const discounts = [a.body.discount?.id, b.body.discount?.id].sort();
  assert.deepEqual(discounts, ["colour10", "first20"]);
});

test("a booking that fails does not use up the client's first booking", async () => {
  const client = newClient();
  // 03:00 is outside working hours: the location object refuses it after the client was identified.
  const refused = await book("north", { service_id: "cut", start: `${addDays(today, 4)}T03:00:00Z`, client });
  assert.equal(refused.status, 409, refused.text);
  const booked = await book("north", { service_id: "cut", start: await start("north", 4), client });
  assert.equal(booked.status, 201, booked.text);
  assert.equal(booked.body.discount.id, "first20");
});

test("a visit, a class seat and the manage link carry the price the confirmation charged", async () => {
  const visitClient = newClient();
  const visitStart = await start("north", 5);
  const visit = await api(path("north", "visits"), { method: "POST", body: {
    start: visitStart, parts: [{ service_id: "cut" }, { service_id: "colour" }], client: visitClient } });
  assert.equal(visit.status, 201, visit.text);
  assert.deepEqual(visit.body.parts.map((p) => p.price.amount_minor), [1600, 4004], "a first booking: every part");
  assert.equal(visit.body.price.amount_minor, 5604);
  assert.equal(visit.body.original_price.amount_minor, 7005);

  const seat = await api(path("north", "class-bookings"), { method: "POST", body: {
    service_id: "yoga", start: `${addDays(today, 3)}T18:00:00Z`, client: newClient() } });
  assert.equal(seat.status, 201, seat.text);
  assert.equal(seat.body.price.amount_minor, 800);
  assert.equal(seat.body.discount.id, "first20");

  // The owner ends the first-booking offer: bookings already made keep what they were charged.
  const token = visit.body.parts[0].manage_token;
  const patched = await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin,
    body: { discounts: DISCOUNTS.filter((d) => d.id !== "first20") } });
  assert.equal(patched.status, 200, patched.text);
  const managed = await api(`/v1/manage/${token}`);
  assert.equal(managed.status, 200, managed.text);
  assert.equal(managed.body.price.amount_minor, 1600);
  assert.equal(managed.body.original_price.amount_minor, 2000);
  assert.deepEqual(managed.body.discount, { id: "first20", name: "first20" }, "a deleted rule keeps its id");
  const listed = await api(`/v1/admin/companies/${COMPANY}/locations/north/bookings?date=${addDays(today, 5)}`, { headers: admin });
  const row = listed.body.bookings.find((b) => b.booking_id === visit.body.parts[0].booking_id);
  assert.deepEqual([row.price_minor, row.original_price_minor, row.discount_id], [1600, 2000, "first20"]);
  await putCompany(COMPANY_DOC);
});

test("the app channel is decided by an app key, never by the request's body", async () => {
  const created = await api(`/v1/admin/companies/${COMPANY}/app-keys`, { method: "POST", headers: admin, body: { label: "iOS app" } });
  assert.equal(created.status, 201, created.text);
  assert.match(created.body.token, /^hsapp_[0-9a-f]{32,}$/);
  const key = { "Homeslot-App-Key": created.body.token };

  const listed = await api(`/v1/companies/${COMPANY}`, { headers: key });
  assert.equal(listed.body.services.find((s) => s.id === "cut").offer.discount.id, "app5", "£5 beats 10% of £20");

  const client = newClient();
  await book("north", { service_id: "colour", start: await start("north", 6, "colour"), client }); // now returning
  const fromApp = await book("north", { service_id: "cut", start: await start("north", 6), client }, key);
  assert.equal(fromApp.status, 201, fromApp.text);
  assert.deepEqual([fromApp.body.price.amount_minor, fromApp.body.discount.id], [1500, "app5"]);

  // A browser claiming to be the app, or to have paid less, gets the web price.
  const edited = await book("north", {
    service_id: "cut", start: await start("north", 7), client, channel: "app", price: { amount_minor: 1, currency: "GBP" },
    discount: { id: "app5" }, original_price: { amount_minor: 1 }, first_booking: true,
  });
  if (edited.status === 201) {
    assert.deepEqual([edited.body.price.amount_minor, edited.body.discount.id], [1800, "web10"]);
  } else {
    assert.ok(edited.status >= 400 && edited.status < 500, edited.text);
  }
  // A forged or revoked key is refused outright, and books nothing.
  const slot = await start("north", 8);
  const forged = await book("north", { service_id: "cut", start: slot, client }, { "Homeslot-App-Key": "hsapp_0000" });
  assert.equal(forged.status, 401, forged.text);
  assert.equal(forged.body.error.code, "unauthorized");
  const revoked = await api(`/v1/admin/companies/${COMPANY}/app-keys/${created.body.token_id}`, { method: "DELETE", headers: admin });
  assert.equal(revoked.status, 200, revoked.text);
  const stale = await book("north", { service_id: "cut", start: slot, client }, key);
  assert.equal(stale.status, 401, stale.text);
  assert.equal((await book("north", { service_id: "cut", start: slot, client })).status, 201, "the slot was still free");
  // An app key opens no admin endpoint.
  const again = await api(`/v1/admin/companies/${COMPANY}/app-keys`, { method: "POST", headers: admin, body: { label: "Android" } });
  const asAdmin = await api(`/v1/admin/companies/${COMPANY}/app-keys`, { headers: { authorization: `Bearer ${again.body.token}` } });
  assert.equal(asAdmin.status, 401);
});

test("the admin API refuses a bad discount with the field named, and changes nothing", async () => {
  const cases = [
    [{ id: "x", name: "X", percent: 0 }, "discounts[0].percent"],
    [{ id: "x", name: "X", percent: 101 }, "discounts[0].percent"],
    [{ id: "x", name: "X", amount_minor: -5 }, "discounts[0].amount_minor"],
    [{ id: "x", name: "X", percent: 10, amount_minor: 100 }, "discounts[0]"],
    [{ id: "x", name: "X".repeat(51), percent: 10 }, "discounts[0].name"],
    [{ id: "x", name: "X", percent: 10, service_ids: ["perm"] }, "discounts[0].service_ids[0]"],
    [{ id: "x", name: "X", percent: 10, valid_from: "2027-01-02", valid_until: "2027-01-01" }, "discounts[0].valid_until"],
    [{ id: "X!", name: "X", percent: 10 }, "discounts[0].id"],
  ];
  for (const [rule, field] of cases) {
    const response = await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { discounts: [rule] } });
    assert.equal(response.status, 422, `${JSON.stringify(rule)}: ${response.text}`);
    assert.equal(response.body.error.code, "validation_failed");
    assert.equal(response.body.error.field, field);
  }
  const bad = await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { discounts: [{ id: "x", name: "X", percent: 10, channel: "fax" }] } });
  assert.ok(bad.status === 400 || bad.status === 422, bad.text);
  const { body } = await api(`/v1/admin/companies/${COMPANY}`, { headers: admin });
  assert.deepEqual(body.discounts.map((d) => d.id), DISCOUNTS.map((d) => d.id));
});

test("the widget shows the edge's prices struck through, and a first-booking discount only to a new client", async () => {
  await putCompany(COMPANY_DOC);
  const browser = await launchBrowser();
  try {
    const client = newClient();
    const book = async (expected) => {
      const { page, problems, close } = await hostPage(browser, `<homeslot-widget company="${COMPANY}" location="north"></homeslot-widget>`);
      await page.getByRole("heading", { name: "Choose a service" }).waitFor();
      const cut = page.locator(".hs-row", { hasText: "Cut" }).first();
      // The list price struck through (spoken as "Was £20.00"), the price today, and the offers.
      assert.equal(await cut.locator("s").innerText(), "£20.00");
      assert.match(await cut.locator(".hs-item-meta").innerText(), /30 minutes · £20\.00\s*Was £20\.00\s*£18\.00/);
      assert.deepEqual(await cut.locator(".hs-offer").allInnerTexts(), ["Online −10%", "First booking with us: £16.00"]);
      assert.deepEqual(await accessibilityProblems(page), []);
      await cut.locator(".hs-item").click();
      await page.getByRole("button", { name: /Any specialist/ }).click();
      await page.locator(".hs-time").first().click();
      await page.getByRole("heading", { name: "Your details" }).waitFor();
      assert.match(await page.locator(".hs-summary").innerText(), /£20\.00[\s\S]*£18\.00/);
      const name = page.getByLabel("Name");
      if (!(await name.inputValue())) {
        await name.fill(client.name);
        await page.getByLabel("Phone").fill(client.phone);
      }
      await page.getByRole("button", { name: "Confirm booking" }).click();
      await page.getByRole("heading", { name: "You're booked!" }).waitFor();
      const price = page.locator(".hs-done-price");
      assert.equal(await price.locator("s").innerText(), "£20.00");
      assert.match(await price.innerText(), new RegExp(`${expected.price.replace(".", "\\.")}$`));
      assert.equal(await page.locator(".hs-done .hs-offer").innerText(), expected.discount);
      assert.deepEqual(problems, []);
      await close();
    };
    // A new client: the first-booking discount. The same client again (same phone, on another
    // device): returning, so the discount every client gets. The edge judges, not the page.
    await book({ price: "£16.00", discount: "First visit −20%" });
    await book({ price: "£18.00", discount: "Online −10%" });
  } finally {
    await browser.close();
  }
});

test("the widget shows and charges an app-only discount only when its requests carry the app key", async () => {
  await putCompany(COMPANY_DOC);
  const created = await api(`/v1/admin/companies/${COMPANY}/app-keys`, { method: "POST", headers: admin, body: { label: "web view" } });
  assert.equal(created.status, 201, created.text);
  const browser = await launchBrowser();
  try {
    const open = async (extraHTTPHeaders) => {
      // The business's app runs the widget in a web view that adds its key to every request.
      const host = await hostPage(browser, `<homeslot-widget company="${COMPANY}" location="north"></homeslot-widget>`, undefined, { extraHTTPHeaders });
      await host.page.getByRole("heading", { name: "Choose a service" }).waitFor();
      return { ...host, cut: host.page.locator(".hs-row", { hasText: "Cut" }).first() };
    };
    const web = await open({});
    assert.match(await web.cut.locator(".hs-item-meta").innerText(), /£18\.00/);
    assert.ok(!(await web.cut.locator(".hs-offer").allInnerTexts()).includes("App £5 off"));
    await web.close();

    const app = await open({ "Homeslot-App-Key": created.body.token });
    assert.match(await app.cut.locator(".hs-item-meta").innerText(), /£20\.00\s*Was £20\.00\s*£15\.00/);
    assert.equal((await app.cut.locator(".hs-offer").allInnerTexts())[0], "App £5 off");
    const { page } = app;
    await app.cut.locator(".hs-item").click();
    await page.getByRole("button", { name: /Any specialist/ }).click();
    await page.locator(".hs-time").first().click();
    const client = newClient();
    await page.getByLabel("Name").fill(client.name);
    await page.getByLabel("Phone").fill(client.phone);
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.getByRole("heading", { name: "You're booked!" }).waitFor();
    // Better than a new client's 20% (£16.00): the app's £5 off is what the edge charged.
    assert.match(await page.locator(".hs-done-price").innerText(), /£15\.00$/);
    assert.equal(await page.locator(".hs-done .hs-offer").innerText(), "App £5 off");
    assert.deepEqual(app.problems, []);
    await app.close();
  } finally {
    await api(`/v1/admin/companies/${COMPANY}/app-keys/${created.body.token_id}`, { method: "DELETE", headers: admin });
    await browser.close();
  }
});
