// A storm through the local stack's own port (the one scripts/start prints): 2,000 concurrent
// confirmations, each sent once, as 2,000 clients would. Every one is answered in the API's own
// JSON shape with a status that means what it says (201 booked, 409 taken, 429 rate limited, 503
// overloaded with Retry-After): no dropped connection, no proxy's page, no 5xx of any other kind.
// Then the stack serves normally within seconds. No answer is retried.
import { test } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, BASE, everyDay, putCompany } from "./helpers.mjs";

const CLIENTS = 2000;
const run = String(Date.now() % 100000).padStart(5, "0");
const COMPANY = `storm-${run}`;
const today = new Date().toISOString().slice(0, 10);

test(`${CLIENTS} concurrent confirmations through the stack's port are each answered, and the stack serves right after`, async () => {
  // Ten specialists, a day of half-hour times each: 180 times for 2,000 clients.
  const specialists = Array.from({ length: 10 }, (_, i) => `s${i}`);
  await putCompany({
    id: COMPANY, name: "Storm Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", address: "1 Street", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2000, specialist_ids: specialists }],
    specialists: specialists.map((id) => ({ id, name: id, location_id: "main", working_hours: everyDay("09:00", "18:00") })),
  });
  const date = addDays(today, 5);
  const url = `${BASE}/v1/companies/${COMPANY}/locations/main/bookings`;
  const body = (i) => {
    const minutes = 9 * 60 + 30 * (i % 18);
    const start = `${date}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00Z`;
    return JSON.stringify({ service_id: "cut", start, specialist_id: specialists[Math.floor(i / 18) % 10],
      client: { name: `Storm ${i}`, phone: `+44 7400 ${String(100000 + i)}` } });
  };
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => {
    try {
      const response = await fetch(url, { method: "POST", body: body(i),
        headers: { "content-type": "application/json", "Idempotency-Key": `storm-${run}-${i}` } });
      const text = await response.text();
      let json;
      try { json = JSON.parse(text); } catch { json = undefined; }
      return { status: response.status, code: json?.error?.code, json, text, retryAfter: response.headers.get("retry-after") };
    } catch (error) {
      return { status: 0, text: String(error.cause ?? error) };
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  const tally = {};
  for (const a of answers) {
    const what = `${a.status} ${a.code ?? (a.status >= 500 || a.status === 0 ? a.text.slice(0, 50) : "")}`.trim();
    tally[what] = (tally[what] ?? 0) + 1;
  }
  const report = `${JSON.stringify(tally)} in ${seconds.toFixed(1)} s`;
  console.log(`storm: ${report}`);
  for (const a of answers) {
    assert.ok(a.json !== undefined, `every answer is JSON: ${report}`);
    if (a.status === 201) continue;
    assert.ok([409, 429, 503].includes(a.status), `answered 201, 409, 429 or 503 only: ${report}`);
    if (a.status === 503) {
      assert.equal(a.code, "overloaded", report);
      assert.ok(Number(a.retryAfter) >= 1, `a 503 says when to come back: ${report}`);
    }
  }
  // Every time is booked at most once, and every 201 is stored.
  const booked = answers.filter((a) => a.status === 201).map((a) => a.json);
  assert.ok(booked.length > 0 && booked.length <= 180, report);
  const keys = new Set(booked.map((b) => `${b.specialist_id} ${b.start}`));
  assert.equal(keys.size, booked.length, "no time booked twice");

  // Seconds later the stack serves as usual: the catalog, the times, a booking.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const health = await api("/v1/health");
  assert.equal(health.status, 200);
  const catalog = await api(`/v1/companies/${COMPANY}`);
  assert.equal(catalog.status, 200, catalog.text);
  const free = await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${addDays(today, 6)}`);
  assert.equal(free.status, 200, free.text);
  const after = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: free.body.slots[0].start, client: { name: "After", phone: "+44 7400 099999" } } });
  assert.equal(after.status, 201, after.text);
});
