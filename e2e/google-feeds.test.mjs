// Reserve with Google's feeds on the real stack, as the operator's upload job reads them: the
// merchants, services and availability feeds, each validated against the JSON Schemas written
// from Google's feed specification (e2e/google-feeds/schemas.json); only locations with a full
// address of a business with a category listed; prices in micros of the currency's own units;
// action links that open the hosted page preselected, with utm_source=google; the availability
// feed listing exactly the slots the widget offers, each with its specialist, and class sessions
// with their seats; a booking taking its slot out of the next snapshot; shards named by the query.
// And the time to make the snapshots of a chain of 10 locations × 10 specialists × 90 days,
// printed (a measurement, not an assertion).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { conforms, validator } from "./google-feeds/schemas.mjs";
import { BASE, TOKEN, addDays, api, bookAndCheck, everyDay, launchBrowser, putCompany, waitFor } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `gfeeds-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const PASSWORD = process.env.HOMESLOT_RESERVE_PASSWORD || "reserve-dev-password";
const google = { authorization: `Basic ${Buffer.from(`google:${PASSWORD}`).toString("base64")}` };
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const seconds = (instant) => String(Date.parse(instant) / 1000);


/** Reads a feed file as the upload job does; answers { status, body, text }. */
async function feed(path, { auth = google } = {}) {
  const response = await fetch(`${BASE}/reserve/feeds/${path}`, { headers: auth ?? {} });
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : null, text };
}

const generate = (company = COMPANY) => api(`/v1/admin/companies/${company}/google-feeds`, { method: "POST", headers: admin });

const CATALOG = {
    id: COMPANY, name: "Hana Beauty", currency: "JPY", site_origins: [], business_category: "beauty_salon",
    locations: [
      { id: "ginza", name: "Ginza", address: "4-6-16 Ginza", city: "Chuo City", region: "Tokyo", postal_code: "104-0061",
        country: "JP", geo: { latitude: 35.6717, longitude: 139.765 }, phone: "+81335551234", time_zone: "Asia/Tokyo",
        policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 },
        resources: [{ id: "room-1", name: "Treatment room", capacity: 1 }] },
      { id: "shibuya", name: "Shibuya", address: "2-21-1 Shibuya", city: "Shibuya City", postal_code: "150-0002", country: "JP",
        time_zone: "Asia/Tokyo", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 14 } },
      // No postal code: not listed on Google.
      { id: "draft", name: "Draft", address: "1 Somewhere", city: "Osaka", country: "JP", time_zone: "Asia/Tokyo" },
    ],
    services: [
      { id: "cut", name: "Cut", description: "Wash, cut and blow-dry.", duration_minutes: 60, price_minor: 5000,
        specialist_ids: ["kim", "lou", "mo"], variants: [{ specialist_id: "lou", duration_minutes: 90 }] },
      { id: "facial", name: "Facial", duration_minutes: 60, price_minor: 8000, specialist_ids: ["kim"], resource_ids: ["room-1"] },
      { id: "vip", name: "VIP", duration_minutes: 60, price_minor: 20000, specialist_ids: ["kim"], members_only: true },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
        class: { capacity: 3, waitlist_capacity: 0, sessions: [{ location_id: "ginza", date: day, start: "18:00", specialist_id: "kim" }] } },
    ],
    specialists: [
      { id: "kim", name: "Kim Sato", location_id: "ginza", working_hours: everyDay("10:00", "17:00") },
      { id: "lou", name: "Lou Ito", location_id: "shibuya", working_hours: everyDay("10:00", "17:00") },
      { id: "mo", name: "Mo Abe", location_id: "draft", working_hours: everyDay("10:00", "17:00") },
    ],
};

before(async () => {
  await putCompany(CATALOG);
});

test("feed files answer the operator's credentials only; unknown files are 404", async () => {
  assert.equal((await feed(`${COMPANY}/merchants.json`, { auth: null })).status, 401);
  assert.equal((await feed("nobody-here/merchants.json")).status, 404);
  assert.equal((await feed(`${COMPANY}/nothing.json`)).status, 404);
  assert.equal((await feed(`${COMPANY}/availability/draft.json`)).status, 404, "an unlisted location has no file");
  const index = await feed(COMPANY);
  assert.equal(index.status, 200, index.text);
  assert.deepEqual(index.body.files.map((f) => [f.feed, f.merchant_id ?? null]),
    [["merchants", null], ["services", null], ["availability", `${COMPANY}.ginza`], ["availability", `${COMPANY}.shibuya`]]);
  assert.deepEqual(index.body.unlisted, [{ location_id: "draft", missing: ["postal_code"] }]);
  assert.ok(index.body.files.every((f) => f.url.startsWith(`${BASE}/reserve/feeds/${COMPANY}/`)), index.text);
});

test("merchants and services follow Google's schemas: the locations on Google, prices in micros, action links to the hosted page", async () => {
  const merchants = await feed(`${COMPANY}/merchants.json`);
  assert.equal(merchants.status, 200, merchants.text);
  conforms("MerchantFeed", merchants.body);
  assert.deepEqual(merchants.body.metadata, { processing_instruction: "PROCESS_AS_COMPLETE", shard_number: 0, total_shards: 1,
    nonce: merchants.body.metadata.nonce, generation_timestamp: merchants.body.metadata.generation_timestamp });
  // The schemas can fail: a misspelt field, a price in major units, a missing address.
  const check = validator("MerchantFeed");
  const spoilt = (change) => ({ ...merchants.body, merchant: [change(structuredClone(merchants.body.merchant[0]))] });
  assert.ok(!check(spoilt((m) => ({ ...m, merchantId: m.merchant_id }))));
  assert.ok(!check(spoilt((m) => ({ ...m, geo: { latitude: 1, longitude: 2 } }))));
  const [ginza, shibuya, ...more] = merchants.body.merchant;
  assert.equal(more.length, 0, "the draft location is not listed");
  assert.deepEqual([ginza.merchant_id, ginza.name, ginza.category, ginza.telephone], [`${COMPANY}.ginza`, "Hana Beauty Ginza", "beauty_salon", "+81335551234"]);
  assert.deepEqual(ginza.geo, { latitude: 35.6717, longitude: 139.765,
    address: { country: "JP", locality: "Chuo City", region: "Tokyo", postal_code: "104-0061", street_address: "4-6-16 Ginza" } });
  assert.equal(shibuya.geo.latitude, undefined, "no coordinates unless the owner gave them");

  const services = await feed(`${COMPANY}/services.json`);
  assert.equal(services.status, 200, services.text);
  conforms("ServiceFeed", services.body);
  const offered = services.body.service.map((s) => `${s.merchant_id.split(".")[1]}/${s.service_id}`);
  assert.deepEqual(offered, ["ginza/cut", "ginza/facial", "ginza/yoga", "shibuya/cut"], "no service for members only; the facial where its room is");
  const cut = services.body.service[0];
  assert.deepEqual(cut.price, { price_micros: "5000000000", currency_code: "JPY" }, "¥5,000 has no minor unit: 5,000 × 10⁶");
  assert.equal(cut.localized_description.value, "Wash, cut and blow-dry.");

  // Appointments Redirect: each link opens the hosted page on its location and service, for the
  // widget to record the source.
  const link = new URL(cut.action_link[0].url);
  assert.equal(cut.action_link[0].action_link_type, "ACTION_LINK_TYPE_BOOK_APPOINTMENT");
  assert.equal(`${link.pathname}${link.search}`, `/b/${COMPANY}/ginza?service=cut&utm_source=google&utm_medium=redirect`);
  const page = await fetch(link);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<homeslot-widget[^>]*\bservice="cut"/, "the widget opens on the service");
  assert.match(html, /<homeslot-widget[^>]*\blocation="ginza"/);
  assert.equal(new URL(ginza.action_link[0].url).pathname, `/b/${COMPANY}/ginza`);
});

test("Appointments Redirect: a client who follows a service's link from Google books on the hosted page, and the booking says Google", { timeout: 60_000 }, async () => {
  // The demo salon is listed: its men's cut's link, as Google shows it.
  const services = (await feed("demo/services.json")).body.service;
  const link = services.find((s) => s.service_id === "mens-cut").action_link[0].url;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
    const tab = await context.newPage();
    await tab.goto(link);
    await tab.getByRole("button", { name: /Any specialist/ }).click();
    const booking = await bookAndCheck(tab, { from: "time" });
    assert.deepEqual([booking.attribution?.utm_source, booking.attribution?.utm_medium], ["google", "redirect"]);
  } finally {
    await browser.close();
  }
});

test("availability lists exactly the slots the widget offers, with who performs them, and class seats; a booking leaves the next snapshot", { timeout: 60_000 }, async () => {
  // Listed, the locations make their first snapshots by themselves (the company object's alarm),
  // and again each day.
  const scheduled = await waitFor("the scheduled snapshot", async () => {
    const file = await feed(`${COMPANY}/availability/shibuya.json`);
    return file.status === 200 && file.body;
  });
  conforms("AvailabilityFeed", scheduled);
  const made = await generate();
  assert.equal(made.status, 200, made.text);
  assert.deepEqual(made.body.locations.map((l) => l.merchant_id), [`${COMPANY}.ginza`, `${COMPANY}.shibuya`]);
  const ginza = await feed(`${COMPANY}/availability/ginza.json`);
  assert.equal(ginza.status, 200, ginza.text);
  conforms("AvailabilityFeed", ginza.body);
  assert.deepEqual([ginza.body.metadata.shard_number, ginza.body.metadata.total_shards], [0, 2]);
  const slots = ginza.body.service_availability[0].availability;
  assert.equal(slots.length, made.body.locations[0].slots);
  const onDay = (service, all = slots) => all.filter((s) => s.service_id === service && s.start_sec >= seconds(`${day}T00:00:00+09:00`)
    && s.start_sec < seconds(`${day}T24:00:00+09:00`));
  for (const service of ["cut", "facial"]) {
    const widget = (await api(`/v1/companies/${COMPANY}/locations/ginza/slots?service=${service}&date=${day}`)).body.slots;
    assert.ok(widget.length > 0);
    assert.deepEqual(onDay(service).map((s) => s.start_sec), widget.map((s) => seconds(s.start)), `${service}: the widget's times`);
  }
  const facial = onDay("facial")[0];
  assert.deepEqual(facial.resources, { staff_id: "kim", staff_name: "Kim Sato", room_id: "room-1", room_name: "Treatment room" });
  assert.deepEqual([facial.duration_sec, facial.spots_total, facial.spots_open], ["3600", "1", "1"]);
  const [yoga] = onDay("yoga");
  assert.deepEqual([yoga.start_sec, yoga.spots_total, yoga.spots_open], [seconds(`${day}T18:00:00+09:00`), "3", "3"]);
  assert.ok(!slots.some((s) => s.service_id === "vip"));

  // Lou's own length of the cut, within Shibuya's 14-day horizon.
  const shibuya = (await feed(`${COMPANY}/availability/shibuya.json`)).body;
  conforms("AvailabilityFeed", shibuya);
  const lou = shibuya.service_availability[0].availability;
  assert.ok(lou.length > 0 && lou.every((s) => s.duration_sec === "5400" && s.resources.staff_id === "lou"));
  const last = Math.max(...lou.map((s) => Number(s.start_sec)));
  assert.ok(last < Date.parse(addDays(new Date().toISOString().slice(0, 10), 15)) / 1000, "nothing past the horizon");

  // A visit booked in the widget and a seat taken: the next snapshot has neither.
  const first = onDay("cut")[0];
  const booked = await api(`/v1/companies/${COMPANY}/locations/ginza/bookings`, { method: "POST",
    body: { service_id: "cut", start: new Date(Number(first.start_sec) * 1000).toISOString(), client: { name: "Aki Widget", phone: "+819012345678" } } });
  assert.equal(booked.status, 201, booked.text);
  const seat = await api(`/v1/companies/${COMPANY}/locations/ginza/class-bookings`, { method: "POST",
    body: { service_id: "yoga", start: new Date(Number(yoga.start_sec) * 1000).toISOString(), client: { name: "Yui Widget", phone: "+819012345679" } } });
  assert.equal(seat.status, 201, seat.text);
  assert.equal((await generate()).status, 200);
  const after = (await feed(`${COMPANY}/availability/ginza.json`)).body.service_availability[0].availability;
  assert.ok(!onDay("cut", after).some((s) => s.start_sec === first.start_sec), "the booked time is gone");
  assert.equal(onDay("yoga", after)[0].spots_open, "2");
});

test("the upload job names each file's shard and one nonce; bad values are refused", async () => {
  const named = await feed(`${COMPANY}/availability/shibuya.json?shard_number=3&total_shards=5&nonce=1796600000`);
  assert.equal(named.status, 200, named.text);
  assert.deepEqual([named.body.metadata.shard_number, named.body.metadata.total_shards, named.body.metadata.nonce], [3, 5, "1796600000"]);
  const merchants = await feed(`${COMPANY}/merchants.json?shard_number=1&total_shards=2&nonce=42`);
  assert.deepEqual([merchants.body.metadata.shard_number, merchants.body.metadata.total_shards, merchants.body.metadata.nonce], [1, 2, "42"]);
  for (const query of ["shard_number=5&total_shards=5", "total_shards=0", "nonce=-1", "nonce=soon"]) {
    const refused = await feed(`${COMPANY}/merchants.json?${query}`);
    assert.equal(refused.status, 422, `${query}: ${refused.text}`);
    assert.equal(refused.body.error.code, "validation_failed");
  }
});

test("a location listed later makes its first snapshot by itself", { timeout: 60_000 }, async () => {
  const listed = structuredClone(CATALOG);
  listed.locations.find((l) => l.id === "draft").postal_code = "530-0001";
  await putCompany(listed);
  const file = await waitFor("the new location's snapshot", async () => {
    const answer = await feed(`${COMPANY}/availability/draft.json`);
    return answer.status === 200 && answer.body;
  });
  conforms("AvailabilityFeed", file);
  assert.ok(file.service_availability[0].availability.every((a) => a.merchant_id === `${COMPANY}.draft` && a.resources.staff_id === "mo"));
  assert.equal(file.metadata.total_shards, 3);
});

test("a business off Google has no merchants, and asking for its snapshots is refused", async () => {
  const off = await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { business_category: null } });
  assert.equal(off.status, 200, off.text);
  assert.deepEqual((await feed(`${COMPANY}/merchants.json`)).body.merchant, []);
  const refused = await generate();
  assert.equal(refused.status, 409, refused.text);
  assert.deepEqual([refused.body.error.code, refused.body.error.field], ["not_changeable", "business_category"]);
  const bad = await api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { business_category: "Beauty Salon" } });
  assert.equal(bad.status, 422, bad.text);
});

test("the snapshots of a chain of 10 locations × 10 specialists × 90 days: the time to make them, printed", { timeout: 600_000 }, async () => {
  const chain = `gchain-${RUN}`;
  const locations = Array.from({ length: 10 }, (_, l) => ({ id: `loc-${l}`, name: `Branch ${l}`, address: `${l + 1} High Street`,
    city: "London", postal_code: `EC1A ${l}BB`, country: "GB", time_zone: "Europe/London",
    policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 90 } }));
  const specialists = locations.flatMap((location) => Array.from({ length: 10 }, (_, s) => ({
    id: `${location.id}-s${s}`, name: `Stylist ${s}`, location_id: location.id, working_hours: everyDay("09:00", "18:00") })));
  const ids = specialists.map((s) => s.id);
  await putCompany({ id: chain, name: "Chain Cuts", currency: "GBP", site_origins: [], business_category: "hair_salon", locations, specialists,
    services: [
      { id: "cut", name: "Cut", duration_minutes: 60, price_minor: 4000, specialist_ids: ids },
      { id: "colour", name: "Colour", duration_minutes: 90, price_minor: 9000, specialist_ids: ids },
    ] });
  const made = await generate(chain);
  assert.equal(made.status, 200, made.text);
  const slots = made.body.locations.reduce((n, l) => n + l.slots, 0);
  const bytes = made.body.locations.reduce((n, l) => n + l.bytes, 0);
  assert.equal(made.body.locations.length, 10);
  const t0 = performance.now();
  const shard = await feed(`${chain}/availability/loc-0.json`);
  const readMs = performance.now() - t0;
  assert.equal(shard.body.service_availability[0].availability.length, made.body.locations[0].slots);
  console.log(`# Google availability snapshots, 10 locations × 10 specialists × 90 days × 2 services: ${slots} slots, ` +
    `${(bytes / 1e6).toFixed(1)} MB of JSON, made in ${made.body.elapsed_ms} ms ` +
    `(${(made.body.elapsed_ms / 10).toFixed(0)} ms a location); one location's file read in ${readMs.toFixed(0)} ms`);
});
