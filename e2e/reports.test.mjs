// Reports on the real stack: bookings made every way a client or the business can make them
// (the widget on a site, the hosted page, the business's app, the front desk), with UTM sources,
// a cancellation, a test booking, a client whose first booking was at another location and a
// class seat; the report's figures equal those counted here, independently, from the admin
// export. In Chromium, a manager reads the report, its charts and tables, and downloads a
// table's CSV, whose rows are the report's; the front desk has no reports. Axe-clean.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { BASE, TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `reports-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const [d1, d2, d3, later] = [3, 4, 5, 9].map((n) => addDays(today, n));
const phone = (n) => `+44 7400 5${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const at = (date, time) => `${date}T${time}:00Z`;
const split = Object.fromEntries(Object.keys(everyDay()).map((d) => [d, [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "19:00" }]]));

const catalog = (testBookings) => ({
  id: COMPANY, name: "Report Salon", currency: "GBP", site_origins: [], test_bookings: testBookings,
  locations: [
    { id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } },
    { id: "soho", name: "Soho", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } },
  ],
  services: [
    { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee", "ola"] },
    { id: "colour", name: "Colour", duration_minutes: 90, price_minor: 8550, specialist_ids: ["kim", "lee"] },
    { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1200, specialist_ids: ["lee"],
      class: { capacity: 4, waitlist_capacity: 2, sessions: [{ location_id: "main", date: d2, start: "18:00", specialist_id: "lee" }] } },
  ],
  specialists: [
    { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") },
    { id: "lee", name: "Lee", location_id: "main", working_hours: split },
    { id: "ola", name: "Ola", location_id: "soho", working_hours: everyDay("09:00", "17:00") },
  ],
});

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany(catalog(false));
});
after(async () => { await browser?.close(); });

const online = (location, body, headers = {}) =>
  api(`/v1/companies/${COMPANY}/locations/${location}/bookings`, { method: "POST", body, headers });
const report = (location, from, to, headers = admin) =>
  api(`/v1/admin/companies/${COMPANY}/locations/${location}/report?from=${from}&to=${to}`, { headers });

test("a report's figures are those of the stored bookings: channels, sources, clients, utilisation", async () => {
  const made = [];
  const expectCreated = (answer) => { assert.equal(answer.status, 201, answer.text); made.push(answer.body); return answer.body; };
  // The widget on the business's own site, from an Instagram campaign.
  expectCreated(await online("main", { service_id: "cut", specialist_id: "kim", start: at(d1, "10:00"),
    client: { name: "Insta Client", phone: phone(1) }, attribution: { utm_source: "instagram", utm_campaign: "spring" } }));
  // The hosted booking page (its widget sends the page as Referer).
  expectCreated(await online("main", { service_id: "colour", specialist_id: "lee", start: at(d1, "13:00"),
    client: { name: "Page Client", phone: phone(2) } }, { referer: `${BASE}/b/${COMPANY}?service=colour` }));
  // The business's app.
  const key = await api(`/v1/admin/companies/${COMPANY}/app-keys`, { method: "POST", headers: admin, body: { label: "App" } });
  assert.equal(key.status, 201, key.text);
  expectCreated(await online("main", { service_id: "cut", specialist_id: "kim", start: at(d2, "09:00"),
    client: { name: "App Client", phone: phone(3) } }, { "homeslot-app-key": key.body.token }));
  // The front desk, for a client who first came to Soho: returning at Main.
  expectCreated(await online("soho", { service_id: "cut", specialist_id: "ola", start: at(d1, "09:00"),
    client: { name: "Soho Regular", phone: phone(4) }, attribution: { utm_source: "google", utm_campaign: "maps" } }));
  expectCreated(await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings`, { method: "POST", headers: admin,
    body: { service_id: "cut", specialist_id: "lee", start: at(d2, "14:00"), client: { name: "Soho Regular", phone: phone(4) } } }));
  // A new client who also books after the range: new in it.
  expectCreated(await online("main", { service_id: "cut", specialist_id: "kim", start: at(d3, "11:00"),
    client: { name: "Twice Client", phone: phone(5) }, attribution: { utm_source: "instagram", utm_campaign: "spring" } }));
  expectCreated(await online("main", { service_id: "cut", specialist_id: "kim", start: at(later, "11:00"),
    client: { name: "Twice Client", phone: phone(5) } }));
  // Cancelled by the front desk.
  const gone = expectCreated(await online("main", { service_id: "cut", specialist_id: "kim", start: at(d3, "15:00"),
    client: { name: "Busy Client", phone: phone(6) } }));
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${gone.booking_id}/cancel`,
    { method: "POST", headers: admin, body: { reason: "Client called" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  // A class seat: Lee's session takes an hour of Lee's time, however many come.
  const seat = await api(`/v1/companies/${COMPANY}/locations/main/class-bookings`, { method: "POST",
    body: { service_id: "yoga", start: at(d2, "18:00"), client: { name: "Yogi", phone: phone(7) } } });
  assert.equal(seat.status, 201, seat.text);
  // A test booking, made while the owner tried the form: in no report.
  await putCompany(catalog(true));
  expectCreated(await online("main", { service_id: "cut", specialist_id: "kim", start: at(d1, "16:00"),
    client: { name: "Owner Trying", phone: phone(8) } }));
  await putCompany(catalog(false));

  const answer = await report("main", d1, d3);
  assert.equal(answer.status, 200, answer.text);
  const exported = (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body;
  assert.deepEqual(withoutOrder(answer.body), withoutOrder(countedFromExport(exported, "main", d1, d3)));

  // What the cases above are, said plainly (the export's count could share a mistake with the report's).
  const r = answer.body;
  const channel = (c) => r.channels.find((line) => line.channel === c);
  assert.deepEqual(r.channels.map((c) => c.channel), ["online", "hosted_page", "app", "front_desk"]);
  assert.deepEqual([channel("online").bookings, channel("hosted_page").bookings, channel("app").bookings, channel("front_desk").bookings], [3, 1, 1, 1]);
  assert.deepEqual([r.total.bookings, r.total.revenue.amount_minor, r.total.cancelled], [6, 3 * 3000 + 8550 + 3000 + 1200, 1]);
  assert.deepEqual(r.clients, { new_clients: 5, returning_clients: 1, new_client_bookings: 5, returning_client_bookings: 1, unknown_bookings: 0 });
  const instagram = r.sources.find((s) => s.source === "instagram");
  assert.deepEqual([instagram.campaign, instagram.bookings, instagram.revenue.amount_minor], ["spring", 2, 6000]);
  const lee = r.utilisation.find((u) => u.specialist_id === "lee");
  assert.deepEqual([lee.booked_minutes, lee.working_minutes, lee.percent], [90 + 30 + 60, 3 * 540, 11.1]);

  // Bad ranges are refused with the field at fault, and change nothing.
  for (const [from, to, field] of [["2026-02-30", d1, "from"], [d3, d1, "to"], [d1, addDays(d1, 366), "to"]]) {
    const refused = await report("main", from, to);
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.field], [422, "validation_failed", field], refused.text);
  }
  assert.equal((await report("nowhere", d1, d3)).status, 404);
});

test("a manager reads the report in the console, with charts, and its CSV is the same rows; the front desk has none", { timeout: 120_000 }, async () => {
  const expected = (await report("main", d1, d3)).body;
  const { page, problems } = await joinByInvite(browser, COMPANY, "manager", { locations: ["main"], options: { acceptDownloads: true } });
  await page.getByRole("link", { name: "Reports" }).click();
  await page.getByRole("heading", { name: "Reports" }).waitFor();
  await page.getByLabel("From", { exact: true }).fill(d1);
  await page.getByLabel("To", { exact: true }).fill(d3);
  await page.getByRole("heading", { name: `${d1} to ${d3}` }).waitFor();
  await page.getByRole("img", { name: /^Bookings by channel\. Widget on your site: 3 · 72\.00 GBP; Booking page: 1 · 85\.50 GBP/ }).waitFor();
  await page.getByRole("img", { name: /^Utilisation\. Kim: .*; Lee: 11\.1 %$/ }).waitFor();
  const totals = await page.locator(".totals dd").allInnerTexts();
  assert.deepEqual(totals, [String(expected.total.bookings), "217.50 GBP", "1", "0"]);

  const table = page.getByRole("region", { name: "By channel" });
  const shown = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  const download = page.waitForEvent("download");
  await table.getByRole("link", { name: "Download CSV of by channel" }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `${COMPANY}-main-${d1}-${d3}-channels.csv`);
  const lines = readFileSync(await file.path(), "utf8").trim().split("\n");
  assert.equal(lines[0], "Channel,Bookings,Revenue,Cancelled,No-shows");
  assert.deepEqual(lines.slice(1).map((line) => line.split(",")), shown, "the file's rows are the screen's");
  assert.deepEqual(shown.at(-1), ["All channels", "6", "217.50", "1", "0"]);
  await screenIsClean(page, "the reports");
  assert.deepEqual(problems, []);

  const desk = await joinByInvite(browser, COMPANY, "front_desk", { expected: [401, 403] });
  assert.equal(await desk.page.getByRole("link", { name: "Reports" }).count(), 0);
  const status = await desk.page.evaluate(async ([c, from, to]) =>
    (await fetch(`/v1/admin/companies/${c}/locations/main/report?from=${from}&to=${to}`)).status, [COMPANY, d1, d3]);
  assert.equal(status, 403, "the edge refuses, not only the screen");
  assert.deepEqual(desk.problems, []);
});

/** The report, counted from the export by the rules of docs/console.md ("Reports"). */
function countedFromExport(exported, location, from, to) {
  const money = (amount_minor) => ({ amount_minor, currency: "GBP", exponent: 2 });
  const dateOf = (seconds) => new Date(seconds * 1000).toISOString().slice(0, 10); // both locations are UTC
  const rows = exported.locations.flatMap((l) => [
    ...l.bookings.map((b) => ({ ...b, location: l.location_id, startS: b.start, booked: b.status === "confirmed" })),
    ...l.class_bookings.filter((b) => b.status !== "waitlisted")
      .map((b) => ({ ...b, location: l.location_id, startS: b.session_start, booked: b.status === "booked" })),
  ]).filter((b) => !b.test);
  const inside = rows.filter((b) => b.location === location && from <= dateOf(b.startS) && dateOf(b.startS) <= to);
  const tally = (list) => ({
    bookings: list.filter((b) => b.booked).length,
    revenue: money(list.filter((b) => b.booked && b.attendance !== "no_show").reduce((sum, b) => sum + (b.price_minor ?? 0), 0)),
    cancelled: list.filter((b) => !b.booked).length,
    no_shows: list.filter((b) => b.booked && b.attendance === "no_show").length,
  });
  const groups = (key) => {
    const by = new Map();
    for (const b of inside) by.set(key(b), [...(by.get(key(b)) ?? []), b]);
    return [...by.values()];
  };
  const firsts = new Map();
  for (const b of rows.filter((b) => b.booked && b.client_id)) {
    const seen = firsts.get(b.client_id);
    if (!seen || b.startS < seen.startS || (b.startS === seen.startS && b.booking_id < seen.booking_id)) firsts.set(b.client_id, b);
  }
  const ids = new Set(inside.map((b) => b.booking_id));
  const booked = inside.filter((b) => b.booked);
  const isNew = (b) => ids.has(firsts.get(b.client_id)?.booking_id);
  const people = (list) => new Set(list.map((b) => b.client_id)).size;
  const known = booked.filter((b) => b.client_id);
  const busy = new Map();
  for (const b of booked) {
    const [who, key, minutes] = b.session_start === undefined
      ? [b.specialist_id, b.booking_id, (b.end - b.start) / 60]
      : ["lee", `yoga@${b.session_start}`, 60]; // the one class of this test
    busy.set(`${who}/${key}`, { who, minutes });
  }
  const bookedMinutes = (who) => [...busy.values()].filter((b) => b.who === who).reduce((sum, b) => sum + b.minutes, 0);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const use = (id, name, perDay) => {
    const booked = bookedMinutes(id);
    return { specialist_id: id, name, booked_minutes: booked, working_minutes: perDay * days,
      percent: Math.round((booked * 1000) / (perDay * days)) / 10 };
  };
  const channels = ["online", "hosted_page", "app", "front_desk"];
  return {
    location_id: location, from, to,
    total: tally(inside),
    channels: channels.map((channel) => ({ channel, ...tally(inside.filter((b) => b.channel === channel)) })),
    sources: groups((b) => `${b.attribution?.utm_source}/${b.attribution?.utm_campaign}`).map((list) => ({
      source: list[0].attribution?.utm_source ?? null, campaign: list[0].attribution?.utm_campaign ?? null, ...tally(list),
    })),
    clients: {
      new_clients: people(known.filter(isNew)), returning_clients: people(known.filter((b) => !isNew(b))),
      new_client_bookings: known.filter(isNew).length, returning_client_bookings: known.filter((b) => !isNew(b)).length,
      unknown_bookings: booked.length - known.length,
    },
    utilisation: [use("kim", "Kim", 480), use("lee", "Lee", 540)],
  };
}

/** Sources in one order (the report's order among equal counts is its own business). */
function withoutOrder(r) {
  return { ...r, sources: [...r.sources].sort((a, b) => `${a.source}/${a.campaign}`.localeCompare(`${b.source}/${b.campaign}`)) };
}
