// The front desk over HTTP, on the real stack: the calendar's day (working time with breaks and
// days off, bookings of every channel, holds, class seats; an ETag that makes a quiet poll a 304),
// a booking for a client on the phone through the one checkout (no online discount, the widget no
// longer offers the time, a retry with the same key books once), and the business's changes —
// move, cancel with a reason, arrived, no-show — each refused when the booking's state does not
// allow it, and each kept in the booking's history with who made it.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, everyDay, putCompany, TOKEN } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `desk-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const day = addDays(today, 4);
const phone = (n) => `+44 7400 7${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const base = `/v1/admin/companies/${COMPANY}/locations/main`;
const at = (date, time) => `${date}T${time}:00Z`;
const walkIn = {};

before(async () => {
  await putCompany({
    id: COMPANY, name: "Desk Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    discounts: [{ id: "web", name: "Online −10%", channel: "online", percent: 10 }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["lee"],
        class: { capacity: 2, waitlist_capacity: 1, sessions: [{ location_id: "main", date: day, start: "18:00", specialist_id: "lee" }] } },
    ],
    specialists: [
      { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") },
      { id: "lee", name: "Lee", location_id: "main",
        working_hours: Object.fromEntries(Object.entries(everyDay()).map(([d]) => [d, [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "19:00" }]])) },
      { id: "ola", name: "Ola", location_id: "main", working_hours: everyDay(), time_off: [{ from: day, until: day }] },
    ],
  });
  // A walk-in booked for the next free minute of a one-minute grid, while the other tests run: by
  // the last test, their visit has begun.
  await putCompany({
    id: `${COMPANY}-now`, name: "Walk-in", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 1, minimum_notice_minutes: 0, horizon_days: 2 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 5, price_minor: 1000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
  // Today's and tomorrow's grid: just before midnight UTC today has no minute left.
  const slotsOn = async (date) =>
    (await api(`/v1/companies/${COMPANY}-now/locations/main/slots?service=cut&date=${date}`)).body.slots;
  const slots = [...await slotsOn(today), ...await slotsOn(addDays(today, 1))];
  walkIn.start = slots.find((s) => Date.parse(s.start) > Date.now())?.start;
  assert.ok(walkIn.start, "a free start within a day");
  const booked = await api(`/v1/admin/companies/${COMPANY}-now/locations/main/bookings`, { method: "POST", headers: admin,
    body: { service_id: "cut", start: walkIn.start, client: { name: "Late Larry", phone: phone(9) } } });
  assert.equal(booked.status, 201, booked.text);
  walkIn.id = booked.body.booking_id;
});

const dayOf = (date, headers = {}) => api(`${base}/day?date=${date}`, { headers: { ...admin, ...headers } });
const publicSlots = async (specialist, date) =>
  (await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${date}&specialist=${specialist}`)).body.slots
    .map((s) => s.start);
const deskBook = (body, key) => api(`${base}/bookings`, { method: "POST", body,
  headers: { ...admin, ...(key ? { "Idempotency-Key": key } : {}) } });
const change = (id, what, body, key) => api(`${base}/bookings/${id}/${what}`, { method: "POST", body,
  headers: { ...admin, ...(key ? { "Idempotency-Key": key } : {}) } });

test("the day shows working time with breaks and days off, every booking, holds and class seats, and a quiet poll is a 304", async () => {
  const online = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: at(day, "10:00"), client: { name: "Web Client", phone: phone(1) } } });
  assert.equal(online.status, 201, online.text);
  const seat = await api(`/v1/companies/${COMPANY}/locations/main/class-bookings`, { method: "POST",
    body: { service_id: "yoga", start: at(day, "18:00"), client: { name: "Yogi", phone: phone(2) } } });
  assert.equal(seat.status, 201, seat.text);
  const hold = await api(`/v1/companies/${COMPANY}/locations/main/holds`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: at(day, "15:00") } });
  assert.equal(hold.status, 201, hold.text);

  const first = await dayOf(day);
  assert.equal(first.status, 200, first.text);
  const sheet = first.body;
  assert.equal(sheet.minutes, 1440);
  assert.equal(sheet.hours.length, 24);
  assert.equal(sheet.open, null, "no opening hours: the specialists' own bound the day");
  const working = Object.fromEntries(sheet.specialists.map((s) => [s.specialist_id, s.working.map((w) => `${w.local_start}–${w.local_end}`)]));
  assert.deepEqual(working, { kim: ["09:00–17:00"], lee: ["09:00–12:00", "13:00–19:00"], ola: [] }, "a lunch break, a day off");
  const [booking] = sheet.bookings;
  assert.deepEqual([booking.client_name, booking.channel, booking.status, booking.local_start, booking.from_minute, booking.price.amount_minor],
    ["Web Client", "online", "confirmed", "10:00", 600, 2700]);
  assert.deepEqual(sheet.holds.map((h) => [h.specialist_id, h.local_start]), [["kim", "15:00"]]);
  assert.ok(!JSON.stringify(sheet.holds).includes("phone"), "a hold carries no client details");
  assert.deepEqual(sheet.classes.map((c) => [c.service_name, c.specialist_id, c.local_start, c.booked, c.capacity]), [["Yoga", "lee", "18:00", 1, 2]]);

  const etag = first.headers.get("etag");
  assert.ok(etag, "an ETag to poll with");
  const quiet = await dayOf(day, { "if-none-match": etag });
  assert.equal(quiet.status, 304, "nothing changed: no body");
  const other = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: at(day, "11:00"), client: { name: "Second", phone: phone(3) } } });
  assert.equal(other.status, 201, other.text);
  const changed = await dayOf(day, { "if-none-match": etag });
  assert.equal(changed.status, 200, "a new booking changes the answer");
  assert.equal(changed.body.bookings.length, 2);

  const wrong = await api(`${base}/day?date=2026-02-30`, { headers: admin });
  assert.deepEqual([wrong.status, wrong.body.error.code, wrong.body.error.field], [422, "validation_failed", "date"]);
  const anonymous = await api(`${base}/day?date=${day}`);
  assert.equal(anonymous.status, 401);
});

test("a booking by phone goes through the one checkout: catalog price, the widget stops offering it, a retry books once", async () => {
  const date = addDays(today, 5);
  assert.ok((await publicSlots("lee", date)).includes(at(date, "14:00")));
  const body = { service_id: "cut", specialist_id: "lee", start: at(date, "14:00"),
    client: { name: "Phone Client", phone: phone(4), comment: "Prefers quiet" } };
  const key = `desk-${RUN}-1`;
  const booked = await deskBook(body, key);
  assert.equal(booked.status, 201, booked.text);
  assert.equal(booked.body.price.amount_minor, 3000, "the online discount is for online bookings");
  const again = await deskBook(body, key);
  assert.deepEqual([again.status, again.body.booking_id], [201, booked.body.booking_id], "the same key, the same booking");
  assert.ok(!(await publicSlots("lee", date)).includes(at(date, "14:00")), "the widget no longer offers the time");

  const sheet = (await dayOf(date)).body;
  assert.equal(sheet.bookings.length, 1, "booked once");
  assert.deepEqual([sheet.bookings[0].channel, sheet.bookings[0].comment], ["front_desk", "Prefers quiet"]);
  const opened = await api(`${base}/bookings/${booked.body.booking_id}`, { headers: admin });
  assert.equal(opened.status, 200, opened.text);
  assert.deepEqual([opened.body.made_by, opened.body.specialist_name, opened.body.history], ["an integration", "Lee", []]);

  const taken = await deskBook({ ...body, client: { name: "Someone Else", phone: phone(5) } });
  assert.deepEqual([taken.status, taken.body.error.code], [409, "slot_unavailable"], "the same rules as the widget");
  const noName = await deskBook({ ...body, start: at(date, "15:00"), client: { phone: phone(5) } });
  assert.deepEqual([noName.status, noName.body.error.code], [422, "name_required"]);
  assert.equal((await dayOf(date)).body.bookings.length, 1, "a refusal writes nothing");
});

test("the business moves, cancels and marks bookings; each change is checked, kept in the history and made once", async () => {
  const date = addDays(today, 6);
  const booked = await deskBook({ service_id: "cut", specialist_id: "kim", start: at(date, "10:00"),
    client: { name: "Mover", phone: phone(6) } });
  assert.equal(booked.status, 201, booked.text);
  const id = booked.body.booking_id;
  await deskBook({ service_id: "cut", specialist_id: "lee", start: at(date, "11:00"), client: { name: "Blocker", phone: phone(7) } });

  const onto = await change(id, "move", { start: at(date, "11:00"), specialist_id: "lee" });
  assert.deepEqual([onto.status, onto.body.error?.code], [409, "slot_unavailable"], "not onto someone else's visit");
  const lunch = await change(id, "move", { start: at(date, "12:00"), specialist_id: "lee" });
  assert.equal(lunch.status, 409, "not into a break");
  const moved = await change(id, "move", { start: at(date, "13:00"), specialist_id: "lee" }, `move-${RUN}`);
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual([moved.body.specialist_id, moved.body.local_start], ["lee", "13:00"]);
  const retried = await change(id, "move", { start: at(date, "13:00"), specialist_id: "lee" }, `move-${RUN}`);
  assert.deepEqual(retried.body.history.length, 1, "a retried move is one change");
  assert.ok((await publicSlots("kim", date)).includes(at(date, "10:00")), "the old time is free again");
  assert.deepEqual(moved.body.history.map((h) => [h.change, h.by, h.detail.from, h.detail.to_specialist_id]),
    [["moved", "an integration", at(date, "10:00"), "lee"]]);

  const arrived = await change(id, "attendance", { attendance: "arrived" });
  assert.equal(arrived.body.attendance, "arrived");
  const early = await change(id, "attendance", { attendance: "no_show" });
  assert.deepEqual([early.status, early.body.error.code], [409, "not_changeable"], "no no-show before the visit begins");
  const unmarked = await change(id, "attendance", { attendance: null });
  assert.equal(unmarked.body.attendance, null);

  const noReason = await change(id, "cancel", { reason: "  " });
  assert.deepEqual([noReason.status, noReason.body.error.field], [422, "reason"]);
  const cancelled = await change(id, "cancel", { reason: "Client called: ill" });
  assert.deepEqual([cancelled.status, cancelled.body.status, cancelled.body.cancel_reason], [200, "cancelled", "Client called: ill"]);
  assert.deepEqual(cancelled.body.history.map((h) => h.change), ["moved", "arrived", "expected", "cancelled"]);
  const twice = await change(id, "cancel", { reason: "again" });
  assert.deepEqual([twice.status, twice.body.error.code], [409, "not_changeable"]);
  const moveCancelled = await change(id, "move", { start: at(date, "15:00") });
  assert.deepEqual([moveCancelled.status, moveCancelled.body.error.code], [409, "not_changeable"]);
  assert.ok((await publicSlots("lee", date)).includes(at(date, "13:00")), "a cancelled booking frees its time");

  const unknown = await change("bk_00000000000000000000000000000000", "cancel", { reason: "x" });
  assert.equal(unknown.status, 404);
  const odd = await api(`${base}/bookings/not-a-booking`, { headers: admin });
  assert.equal(odd.status, 404);
});

test("the front desk finds the chain's clients by a part of their name, phone or e-mail", async () => {
  const find = (q) => api(`/v1/admin/companies/${COMPANY}/clients?q=${encodeURIComponent(q)}`, { headers: admin });
  const byName = await find("hone cli");
  assert.equal(byName.status, 200, byName.text);
  assert.deepEqual(byName.body.clients.map((c) => [c.name, c.phone]), [["Phone Client", phone(4).replaceAll(" ", "")]]);
  const byDigits = await find(phone(4).slice(-7));
  assert.ok(byDigits.body.clients.some((c) => c.name === "Phone Client"), "a part of the number finds them");
  assert.deepEqual((await find("%_")).body.clients, [], "LIKE's own characters are meant literally");
  for (const bad of ["x", " ".repeat(3), "a\u0001b", "y".repeat(101)]) {
    const refused = await find(bad);
    assert.deepEqual([refused.status, refused.body.error.field], [422, "q"], JSON.stringify(bad));
  }
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/clients?q=phone`)).status, 401);
});

test("a client who never came is marked a no-show once their visit has begun", { timeout: 90_000 }, async () => {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(walkIn.start) - Date.now()) + 1500));
  const marked = await api(`/v1/admin/companies/${COMPANY}-now/locations/main/bookings/${walkIn.id}/attendance`, {
    method: "POST", headers: admin, body: { attendance: "no_show" } });
  assert.deepEqual([marked.status, marked.body.attendance], [200, "no_show"], marked.text);
  assert.deepEqual(marked.body.history.map((h) => [h.change, h.by]), [["no_show", "an integration"]]);
});
