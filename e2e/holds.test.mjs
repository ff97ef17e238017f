// Holds and idempotent confirmations, over HTTP against the real location object.
import { test } from "node:test";
import assert from "node:assert/strict";

import { COMPANY, LOCATION, TOKEN, addDays, api, bookingsUrl, client, dateWithSlots, everyDay, slots, putCompany } from "./helpers.mjs";

const base = `/v1/companies/${COMPANY}/locations/${LOCATION}`;
const hold = (body) => api(`${base}/holds`, { method: "POST", body });
const book = (body, headers = {}) => api(bookingsUrl, { method: "POST", body, headers });

test("a hold keeps a time for its client: others cannot take it, the confirmation consumes it", async () => {
  const { date, slots: free } = await dateWithSlots("mens-cut", 10);
  const slot = free.find((s) => s.specialist_ids.includes("marco")) ?? free[0];
  const who = slot.specialist_ids.includes("marco") ? "marco" : slot.specialist_ids[0];
  const held = await hold({ service_id: "mens-cut", start: slot.start, specialist_id: who });
  assert.equal(held.status, 201, held.text);
  assert.match(held.body.hold_id, /^hd_[0-9a-f]{32}$/);
  assert.equal(held.body.specialist_id, who);
  const minutes = (Date.parse(held.body.expires_at) - Date.now()) / 60_000;
  assert.ok(minutes > 4 && minutes <= 5, `the demo keeps a hold 5 minutes, got ${minutes}`);

  const after = (await slots("mens-cut", date)).find((s) => s.start === slot.start);
  assert.ok(!after?.specialist_ids.includes(who), "the held specialist is no longer offered then");
  const other = await book({ service_id: "mens-cut", start: slot.start, specialist_id: who, client: client(51) });
  assert.equal(other.status, 409, other.text);
  assert.equal(other.body.error.code, "slot_unavailable");

  const mine = await book({ service_id: "mens-cut", start: slot.start, hold_id: held.body.hold_id, client: client(52) });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.body.specialist_id, who, "the hold decides the specialist");
  const again = await book({ service_id: "mens-cut", start: slot.start, hold_id: held.body.hold_id, client: client(52) });
  assert.equal(again.status, 409);
  assert.deepEqual([again.body.error.code, again.body.error.field], ["hold_expired", "hold_id"]);
});

test("a hold is refused on a taken time, and a confirmation cannot use a hold it does not match", async () => {
  const { slots: free } = await dateWithSlots("colour", 11);
  const slot = free[0];
  const held = await hold({ service_id: "colour", start: slot.start });
  assert.equal(held.status, 201, held.text);
  const twice = await hold({ service_id: "colour", start: slot.start });
  assert.equal(twice.status, 409, "Anna alone does colour, and she is held");
  const unknown = await book({ service_id: "colour", start: slot.start, hold_id: "hd_0000", client: client(53) });
  assert.equal(unknown.body.error.code, "hold_expired");
  const otherTime = await book({ service_id: "colour", start: free[free.length - 1].start, hold_id: held.body.hold_id, client: client(53) });
  assert.equal(otherTime.body.error.code, "hold_expired", "a hold is for its own time only");
  for (const [body, field] of [
    [{ service_id: "colour", start: "later" }, "start"],
    [{ service_id: "nope", start: slot.start }, "service_id"],
    [{ service_id: "colour", start: slot.start, specialist_id: "marco" }, "specialist_id"],
  ]) {
    const answer = await hold(body);
    assert.equal(answer.status, 422, JSON.stringify(body));
    assert.equal(answer.body.error.field, field);
  }
});

test("50 concurrent retries with one Idempotency-Key make one booking and the same answer", async () => {
  const { date, slots: free } = await dateWithSlots("blow-dry", 12);
  const slot = free[0];
  const body = { service_id: "blow-dry", start: slot.start, client: client(54) };
  const key = crypto.randomUUID();
  const answers = await Promise.all(Array.from({ length: 50 }, () => book(body, { "Idempotency-Key": key })));
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [201]);
  assert.equal(new Set(answers.map((a) => a.text)).size, 1, "identical responses");
  const specialist = answers[0].body.specialist_id;
  const still = (await slots("blow-dry", date)).find((s) => s.start === slot.start);
  assert.ok(!still?.specialist_ids.includes(specialist), "booked once: the specialist is taken");
  assert.equal(still?.specialist_ids.length ?? 0, slot.specialist_ids.length - 1, "and only one of them");

  const changed = await book({ ...body, client: client(55) }, { "Idempotency-Key": key });
  assert.equal(changed.status, 422);
  assert.deepEqual([changed.body.error.code, changed.body.error.field], ["idempotency_key_reused", "Idempotency-Key"]);
  const tooLong = await book(body, { "Idempotency-Key": "k".repeat(256) });
  assert.equal(tooLong.status, 422);
  assert.equal(tooLong.body.error.field, "Idempotency-Key");
  const preflight = await fetch(`${process.env.HOMESLOT_URL}${bookingsUrl.slice(bookingsUrl.indexOf("/v1"))}`, {
    method: "OPTIONS",
    headers: { origin: "http://localhost:8787", "access-control-request-method": "POST", "access-control-request-headers": "content-type, idempotency-key" },
  });
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /idempotency-key/);
});

test("an unconfirmed hold expires by itself and releases the time", { timeout: 120_000 }, async () => {
  // A clinic whose holds last one minute.
  const clinic = "hold-clinic";
  const hours = everyDay();
  await putCompany({
      id: clinic, name: "Hold Clinic", currency: "EUR",
      locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 60, minimum_notice_minutes: 0, horizon_days: 30, hold_minutes: 1 } }],
      services: [{ id: "visit", name: "Visit", duration_minutes: 60, price_minor: 1000, specialist_ids: ["ana"] }],
      specialists: [{ id: "ana", name: "Ana", location_id: "main", working_hours: hours }],
    });
  const date = addDays(new Date().toISOString().slice(0, 10), 3);
  const path = `/v1/companies/${clinic}/locations/main`;
  const starts = async () => (await api(`${path}/slots?service=visit&date=${date}`)).body.slots.map((s) => s.start);
  const start = `${date}T10:00:00Z`;
  assert.ok((await starts()).includes(start));
  const held = await api(`${path}/holds`, { method: "POST", body: { service_id: "visit", start } });
  assert.equal(held.status, 201, held.text);
  assert.ok(!(await starts()).includes(start), "held");
  const stored = async () => (await api(`/v1/admin/companies/${clinic}/locations/main/holds`, { headers: { authorization: `Bearer ${TOKEN}` } })).body.holds;
  assert.deepEqual((await stored()).map((h) => [h.hold_id, h.live]), [[held.body.hold_id, true]], "the front desk sees it");
  await new Promise((resolve) => setTimeout(resolve, Date.parse(held.body.expires_at) - Date.now() + 1500));
  assert.ok((await starts()).includes(start), "released when the hold expired");
  // The location's alarm deletes the expired row (not only ignores it): give it a few seconds.
  for (let i = 0; i < 20 && (await stored()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(await stored(), [], "the alarm cleared the expired hold");
  const late = await api(`${path}/bookings`, { method: "POST", body: { service_id: "visit", start, hold_id: held.body.hold_id, client: client(56) } });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, "hold_expired");
});
