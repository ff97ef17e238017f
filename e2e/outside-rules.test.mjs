// Booking outside the rules (an override) on the real stack: owners and managers may book or
// move a visit outside working hours, over a buffer, sooner than the minimum notice, after saying
// so (`override: true`; in the console, an explicit confirmation); never over another visit of
// the specialist or a class they lead; the booking is marked, in the day, the booking's detail,
// its history and the audit trail; a retry books once; a front desk may not.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `rules-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const at = (time) => `${day}T${time}:00Z`;
const phone = (n) => `+44 7400 6${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const base = `/v1/admin/companies/${COMPANY}/locations/main`;

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Rules Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 120, horizon_days: 30 } }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, buffer_after_minutes: 15, specialist_ids: ["kim"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
        class: { capacity: 4, waitlist_capacity: 0, sessions: [{ location_id: "main", date: day, start: "17:30", specialist_id: "kim" }] } },
    ],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") }],
  });
});
after(async () => { await browser?.close(); });

const deskBook = (body, key) => api(`${base}/bookings`, { method: "POST", body,
  headers: { ...admin, ...(key ? { "Idempotency-Key": key } : {}) } });
const confirmed = async () => (await api(`${base}/day?date=${day}`, { headers: admin })).body.bookings
  .filter((b) => b.status === "confirmed");
const client = (n) => ({ name: `Client ${n}`, phone: phone(n) });

test("outside the rules: outside hours and over a buffer after saying so, never over another visit; marked, and made once", async () => {
  const first = await deskBook({ service_id: "cut", specialist_id: "kim", start: at("10:00"), client: client(1) });
  assert.equal(first.status, 201, first.text);

  // By the rules, neither 19:00 (after hours) nor 10:30 (the 10:00 visit's buffer) is free.
  for (const time of ["19:00", "10:30"]) {
    const refused = await deskBook({ service_id: "cut", specialist_id: "kim", start: at(time), client: client(2) });
    assert.deepEqual([refused.status, refused.body.error.code], [409, "slot_unavailable"], `${time}: ${refused.text}`);
  }
  // An override names its specialist; it never overlaps a visit or a class of theirs, nor starts
  // in the past or off a whole minute.
  const cases = [
    [{ start: at("19:00") }, 422, "validation_failed", "specialist_id"],
    [{ specialist_id: "kim", start: at("10:15") }, 409, "slot_unavailable", undefined],
    [{ specialist_id: "kim", start: at("17:15") }, 409, "slot_unavailable", undefined],
    [{ specialist_id: "kim", start: "2020-01-01T10:00:00Z" }, 422, "start_in_past", "start"],
    [{ specialist_id: "kim", start: `${day}T19:00:30Z` }, 422, "validation_failed", "start"],
  ];
  for (const [fields, status, code, field] of cases) {
    const refused = await deskBook({ service_id: "cut", client: client(2), override: true, ...fields });
    assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.field], [status, code, field],
      `${JSON.stringify(fields)}: ${refused.text}`);
  }
  assert.equal((await confirmed()).length, 1, "nothing was booked by a refusal");

  // Over the buffer (10:30, right after the 10:00 visit) and after hours (19:00): booked, once.
  const overBuffer = await deskBook({ service_id: "cut", specialist_id: "kim", start: at("10:30"), client: client(3), override: true });
  assert.equal(overBuffer.status, 201, overBuffer.text);
  const late = { service_id: "cut", specialist_id: "kim", start: at("19:00"), client: client(4), override: true };
  const [once, again] = [await deskBook(late, `late-${RUN}`), await deskBook(late, `late-${RUN}`)];
  assert.equal(once.status, 201, once.text);
  assert.equal(again.body.booking_id, once.body.booking_id, "a retry is the same booking");
  const day1 = await confirmed();
  assert.deepEqual(day1.map((b) => [b.local_start, b.override ?? false]).sort(),
    [["10:00", false], ["10:30", true], ["19:00", true]]);

  // Moved outside the rules: marked in the history; a move by the rules to a time they refuse is refused.
  const move = (body) => api(`${base}/bookings/${once.body.booking_id}/move`, { method: "POST", headers: admin, body });
  const byRules = await move({ start: at("20:00") });
  assert.deepEqual([byRules.status, byRules.body.error.code], [409, "slot_unavailable"], byRules.text);
  const moved = await move({ start: at("20:00"), override: true });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.override, true);
  assert.deepEqual(moved.body.history.map((h) => [h.change, h.detail.override]), [["moved", "outside the rules"]]);
  const overClass = await move({ start: at("18:00"), override: true });
  assert.deepEqual([overClass.status, overClass.body.error.code], [409, "slot_unavailable"], "the class runs 17:30–18:30");

  // The audit trail says so.
  const trail = (await api(`/v1/admin/companies/${COMPANY}/audit`, { headers: admin })).body.entries;
  assert.equal(trail.filter((e) => e.action === "booking_made" && e.detail.endsWith(", outside the rules")).length, 2);
  assert.ok(trail.some((e) => e.action === "booking_moved" && e.detail === "to " + day + " 20:00 with Kim, outside the rules"));
});

test("a manager books outside the rules in the console after confirming; a front desk is not offered it and may not", { timeout: 120_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "manager");
  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByRole("heading", { name: "Calendar", exact: true }).waitFor();
  await page.getByLabel("Go to date").fill(day);
  await page.getByRole("heading", { name: "Kim" }).waitFor();

  await page.getByLabel("Service").selectOption("cut");
  await page.getByLabel("Specialist").selectOption("kim");
  await page.getByLabel("Outside the rules").check();
  await page.getByLabel("Time", { exact: true }).fill("07:30");
  await page.getByLabel("Client's name").fill("Early Eve");
  await page.getByLabel("Phone", { exact: true }).fill(phone(5));
  await page.getByRole("button", { name: "Book", exact: true }).click();
  // Nothing is booked until the question is answered.
  const question = page.getByRole("group", { name: /^Book Cut for Early Eve on .* at 07:30 with Kim, outside the rules\?/ });
  await question.waitFor();
  assert.ok(!(await confirmed()).some((b) => b.client_name === "Early Eve"));
  await screenIsClean(page, "the desk's question before booking outside the rules");
  await page.getByRole("button", { name: "Yes, outside the rules" }).click();
  await page.getByText(`Booked: ${day} 07:30 with Kim, Cut.`).waitFor();
  await page.getByRole("button", { name: /Early Eve · override/ }).waitFor();
  const eve = (await confirmed()).find((b) => b.client_name === "Early Eve");
  assert.deepEqual([eve.local_start, eve.override, eve.channel], ["07:30", true, "front_desk"]);

  // The move dialog by keyboard, outside the rules: to 08:00, confirmed.
  await page.getByRole("button", { name: /Early Eve/ }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Early Eve — Cut" }).waitFor();
  await page.locator(".facts").getByText("Booked or moved outside the rules (an override)").waitFor();
  await page.getByRole("button", { name: "Move…" }).click();
  await page.locator("#move-outside").check();
  await page.getByLabel("Time, with Kim").fill("08:00");
  await page.getByRole("button", { name: "Move booking" }).click();
  await page.getByRole("button", { name: "Yes, outside the rules" }).click();
  await page.locator(".facts").getByText("08:00–08:30").waitFor();
  assert.deepEqual(problems, []);

  const desk = await joinByInvite(browser, COMPANY, "front_desk", { expected: [401, 403] });
  await desk.page.getByRole("link", { name: "Calendar", exact: true }).click();
  await desk.page.getByLabel("Service").selectOption("cut");
  assert.equal(await desk.page.getByLabel("Outside the rules").count(), 0, "not offered to a front desk");
  const refused = await desk.page.evaluate(async ({ path, start }) => {
    const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ service_id: "cut", specialist_id: "kim", start, override: true, client: { name: "Desk Try", phone: "+447400600999" } }) });
    return { status: response.status, body: await response.json() };
  }, { path: `${base}/bookings`, start: at("21:00") });
  assert.deepEqual([refused.status, refused.body.error.code, refused.body.error.field], [403, "forbidden", "override"]);
  assert.deepEqual(desk.problems, []);
});
