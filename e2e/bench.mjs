// The booking backend under load, over HTTP against the running Worker (scripts/bench starts a
// fresh one): confirmations per second into one location, and the latency of availability
// requests with 200 in flight at once. Prints a table; asserts only that every answer was right.
import assert from "node:assert/strict";
import { addDays, percentile, pool } from "./bench-lib.mjs";

const BASE = process.env.HOMESLOT_URL;
const TOKEN = process.env.HOMESLOT_PLATFORM_TOKEN;
const COMPANY = "bench-salon";
const CONCURRENCY = 200;

async function call(path, { method = "GET", body } = {}) {
  const init = { method, headers: { authorization: `Bearer ${TOKEN}` } };
  if (body) { init.body = JSON.stringify(body); init.headers["content-type"] = "application/json"; }
  const started = performance.now();
  const response = await fetch(`${BASE}${path}`, init);
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, body: text ? JSON.parse(text) : undefined };
}

// A realistic salon: ten specialists, 09:00–18:00 every day, a 30-minute service every 30 minutes.
const staff = Array.from({ length: 10 }, (_, i) => `s${i}`);
const allDay = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start: "09:00", end: "18:00" }]]));
const seeded = await call(`/v1/admin/companies/${COMPANY}`, {
  method: "PUT",
  body: {
    id: COMPANY, name: "Bench Salon", currency: "EUR",
    locations: [{ id: "main", name: "Main", time_zone: "Europe/London", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 60 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 1000, specialist_ids: staff }],
    specialists: staff.map((id) => ({ id, name: id, location_id: "main", working_hours: allDay })),
  },
});
assert.ok([200, 201].includes(seeded.status), JSON.stringify(seeded.body));
const base = `/v1/companies/${COMPANY}/locations/main`;
const today = new Date().toISOString().slice(0, 10);

// Confirmations: distinct (specialist, start) pairs (the free ones the API lists), 200 in flight.
const CONFIRMATIONS = 1200;
const starts = [];
for (let d = 2; starts.length < CONFIRMATIONS; d++) {
  const { body } = await call(`${base}/slots?service=cut&date=${addDays(today, d)}`);
  for (const slot of body.slots) {
    for (const specialist of slot.specialist_ids) {
      if (starts.length < CONFIRMATIONS) starts.push({ start: slot.start, specialist });
    }
  }
}
const bookingTasks = starts.map(({ start, specialist }, i) => () => call(`${base}/bookings`, {
  method: "POST", body: { service_id: "cut", start, specialist_id: specialist, client: { name: `Bench ${i}`, phone: `+4474009${String(i).padStart(5, "0")}` } },
}));
let started = performance.now();
const booked = await pool(bookingTasks, CONCURRENCY);
const bookingSeconds = (performance.now() - started) / 1000;
const statuses = {};
for (const r of booked) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
assert.equal(booked.filter((r) => r.status >= 500).length, 0, JSON.stringify(statuses));
const okBookings = booked.filter((r) => r.status === 201).length;

// Availability: 1,000 requests, 200 in flight, over the next weeks (some days now fully booked).
const REQUESTS = 1000;
const slotTasks = Array.from({ length: REQUESTS }, (_, i) => () => call(`${base}/slots?service=cut&date=${addDays(today, 1 + (i % 28))}`));
started = performance.now();
const slotAnswers = await pool(slotTasks, CONCURRENCY);
const slotSeconds = (performance.now() - started) / 1000;
assert.ok(slotAnswers.every((r) => r.status === 200));
const calendarTasks = Array.from({ length: REQUESTS }, () => () => call(`${base}/dates?service=cut&days=31`));
started = performance.now();
const calendarAnswers = await pool(calendarTasks, CONCURRENCY);
const calendarSeconds = (performance.now() - started) / 1000;
assert.ok(calendarAnswers.every((r) => r.status === 200));

// The floor: an endpoint that does no work, under the same load; and one request at a time.
const healthTasks = Array.from({ length: REQUESTS }, () => () => call("/v1/health"));
started = performance.now();
const healthAnswers = await pool(healthTasks, CONCURRENCY);
const healthSeconds = (performance.now() - started) / 1000;
const alone = async (path) => {
  const answers = [];
  started = performance.now();
  for (let i = 0; i < 100; i++) answers.push(await call(path(i)));
  return [answers, (performance.now() - started) / 1000];
};
const [slotsAlone, slotsAloneSeconds] = await alone((i) => `${base}/slots?service=cut&date=${addDays(today, 1 + (i % 28))}`);
const [calendarAlone, calendarAloneSeconds] = await alone(() => `${base}/dates?service=cut&days=31`);

const ms = (v) => `${v.toFixed(1)} ms`;
console.log(`\nBooking backend over HTTP (the local stack on loopback, ${CONCURRENCY} requests in flight, one run)\n`);
console.log(`${"what".padEnd(40)}${"count".padStart(7)}${"per second".padStart(12)}${"p50".padStart(11)}${"p99".padStart(11)}`);
const row = (name, answers, seconds) =>
  console.log(`${name.padEnd(40)}${String(answers.length).padStart(7)}${(answers.length / seconds).toFixed(0).padStart(12)}${ms(percentile(answers.map((a) => a.ms), 0.5)).padStart(11)}${ms(percentile(answers.map((a) => a.ms), 0.99)).padStart(11)}`);
row("confirmations into one location", booked, bookingSeconds);
row("slots of one date (10 specialists)", slotAnswers, slotSeconds);
row("calendar, 31 days (10 specialists)", calendarAnswers, calendarSeconds);
row("health (no work: the local floor)", healthAnswers, healthSeconds);
console.log("\none request at a time:");
row("slots of one date", slotsAlone, slotsAloneSeconds);
row("calendar, 31 days", calendarAlone, calendarAloneSeconds);
console.log(`\nconfirmations: ${okBookings} booked (201), ${JSON.stringify(statuses)}; budgets (handbook): >= 500 confirmations/s`);
console.log("per location object, availability p99 <= 25 ms with 200 concurrent.");
