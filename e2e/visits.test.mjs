// Several services in one visit, over HTTP against the real location object: listed back to back,
// booked whole, and never half-booked.
import { test } from "node:test";
import assert from "node:assert/strict";

import { api, addDays, catalog, client, slots, COMPANY, LOCATION } from "./helpers.mjs";

const base = `/v1/companies/${COMPANY}/locations/${LOCATION}`;
const SERVICES = ["womens-cut", "colour"];

async function visitSlots(date, specialists) {
  const query = `services=${SERVICES.join(",")}&date=${date}${specialists ? `&specialists=${specialists}` : ""}`;
  const { status, body, text } = await api(`${base}/visit-slots?${query}`);
  assert.equal(status, 200, text);
  return body.slots;
}

/** A date from `fromDays` on with at least `count` visit starts. */
async function dateWithVisits(fromDays, count = 1) {
  const today = (await catalog()).locations.find((l) => l.id === LOCATION).today;
  for (let offset = fromDays; offset < fromDays + 14; offset++) {
    const date = addDays(today, offset);
    const found = await visitSlots(date);
    if (found.length >= count) return { date, found };
  }
  throw new Error("no visit starts in two weeks");
}

const bookVisit = (start, parts, n) => api(`${base}/visits`, { method: "POST", body: { start, parts, client: client(n) } });

test("visit starts list each part back to back, with the specialist who would do it", async () => {
  const { found } = await dateWithVisits(5);
  for (const visit of found) {
    assert.deepEqual(visit.parts.map((p) => p.service_id), SERVICES);
    assert.equal(visit.parts[0].start, visit.start);
    assert.equal(visit.parts[1].start, visit.parts[0].end, "no gap between the parts");
    assert.equal(visit.end, visit.parts[1].end);
    assert.equal(visit.parts[1].specialist_id, "anna", "only Anna does colour");
  }
});

test("a visit is booked whole: one booking per part, one price, and its times are gone", async () => {
  const { date, found } = await dateWithVisits(6);
  const visit = found[0];
  const response = await bookVisit(visit.start, SERVICES.map((service_id) => ({ service_id })), 61);
  assert.equal(response.status, 201, response.text);
  const booked = response.body;
  assert.match(booked.visit_id, /^vs_[0-9a-f]{32}$/);
  assert.equal(booked.parts.length, 2);
  assert.deepEqual(booked.parts.map((p) => p.specialist_id), visit.parts.map((p) => p.specialist_id));
  assert.equal(booked.price.amount_minor, booked.parts.reduce((sum, p) => sum + p.price.amount_minor, 0));
  assert.equal(booked.end, visit.end);
  const colour = await slots("colour", date);
  assert.ok(!colour.some((s) => s.start === visit.parts[1].start), "Anna's colour time is taken");
  assert.ok(!(await visitSlots(date)).some((v) => v.start === visit.start && v.parts[0].specialist_id === visit.parts[0].specialist_id && v.parts[1].start === visit.parts[1].start));
});

test("a visit whose second part was just taken books nothing at all", async () => {
  const { date, found } = await dateWithVisits(8);
  const visit = found[found.length - 1];
  const [first, second] = visit.parts;
  // Someone books Anna's colour at the visit's second part first.
  const colour = await api(`${base}/bookings`, {
    method: "POST", body: { service_id: "colour", start: second.start, specialist_id: "anna", client: client(62) },
  });
  assert.equal(colour.status, 201, colour.text);
  const parts = [{ service_id: SERVICES[0], specialist_id: first.specialist_id }, { service_id: SERVICES[1], specialist_id: "anna" }];
  const refused = await bookVisit(visit.start, parts, 63);
  assert.equal(refused.status, 409, refused.text);
  assert.equal(refused.body.error.code, "slot_unavailable");
  // The first part was not written: its specialist is still free for a cut then.
  const cuts = await slots(SERVICES[0], date);
  assert.ok(cuts.some((s) => s.start === first.start && s.specialist_ids.includes(first.specialist_id)), "nothing half-booked");
});

test("visit input is validated before anything is touched", async () => {
  const { date, found } = await dateWithVisits(5);
  const start = found[0].start;
  const cases = [
    [{ start, parts: [], client: client(64) }, 422, "validation_failed", "parts"],
    [{ start, parts: [{ service_id: "womens-cut" }, { service_id: "massage" }], client: client(64) }, 422, "service_unavailable", "parts[1].service_id"],
    [{ start, parts: [{ service_id: "womens-cut" }, { service_id: "colour", specialist_id: "marco" }], client: client(64) }, 422, "specialist_unavailable", "parts[1].specialist_id"],
    [{ start: "soon", parts: [{ service_id: "womens-cut" }], client: client(64) }, 422, "validation_failed", "start"],
    [{ start, parts: [{ service_id: "womens-cut" }], client: { name: "", phone: "+44 7400 900064" } }, 422, "name_required", "client.name"],
  ];
  for (const [body, status, code, field] of cases) {
    const answer = await api(`${base}/visits`, { method: "POST", body });
    assert.equal(answer.status, status, JSON.stringify(body));
    assert.equal(answer.body.error.code, code);
    if (field) assert.equal(answer.body.error.field, field);
  }
  assert.equal((await api(`${base}/visits`, { method: "POST", body: "{not json" })).status, 400);
  const mismatched = await api(`${base}/visit-slots?services=womens-cut,colour&date=${date}&specialists=anna`);
  assert.equal(mismatched.status, 422);
  assert.equal(mismatched.body.error.field, "specialists");
  // Nothing above booked anything: the first visit start is still offered.
  assert.ok((await visitSlots(date)).some((v) => v.start === start));
});

test("a visit retried with one Idempotency-Key is booked once, and answered the same each time", async () => {
  const { date, found } = await dateWithVisits(9);
  const visit = found[0];
  const body = { start: visit.start, parts: SERVICES.map((service_id) => ({ service_id })), client: client(68) };
  const headers = { "Idempotency-Key": crypto.randomUUID() };
  const answers = await Promise.all(Array.from({ length: 10 }, () => api(`${base}/visits`, { method: "POST", body, headers })));
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [201], answers.map((a) => a.text).join("\n"));
  assert.equal(new Set(answers.map((a) => a.text)).size, 1, "identical answers");
  const colour = await slots("colour", date);
  assert.ok(!colour.some((s) => s.start === visit.parts[1].start), "booked: Anna's colour time is gone");
  const other = await api(`${base}/visits`, { method: "POST", body: { ...body, client: client(69) }, headers });
  assert.deepEqual([other.status, other.body.error.code], [422, "idempotency_key_reused"]);
});
