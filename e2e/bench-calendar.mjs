// What the console's calendar costs the location object, over HTTP against the running Worker
// (scripts/bench starts a fresh one): an open calendar asks for its day every 5 seconds with the
// last answer's ETag. Prints a table, one run: the day's answer and a quiet poll's 304 one at a
// time beside a slots request of the same location (the same object, the work a widget asks
// for), then a storm of confirmations into the location alone, with 100 calendars polling every
// 5 s (a very large front office), and with 100 polling every second (five times that); last, a
// 30-day report of the location once the storms have filled it.
import assert from "node:assert/strict";
import { addDays, percentile, pool } from "./bench-lib.mjs";

const BASE = process.env.HOMESLOT_URL;
const TOKEN = process.env.HOMESLOT_PLATFORM_TOKEN;
const COMPANY = `bench-calendar-${Date.now() % 100000}`;
const CONCURRENCY = 200;
const headers = { authorization: `Bearer ${TOKEN}` };

async function call(path, { method = "GET", body, extra = {} } = {}) {
  const init = { method, headers: { ...headers, ...extra } };
  if (body) { init.body = JSON.stringify(body); init.headers["content-type"] = "application/json"; }
  const started = performance.now();
  const response = await fetch(`${BASE}${path}`, init);
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, etag: response.headers.get("etag"),
    body: text ? JSON.parse(text) : undefined };
}


const staff = Array.from({ length: 10 }, (_, i) => `s${i}`);
const allDay = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start: "09:00", end: "18:00" }]]));
const seeded = await call(`/v1/admin/companies/${COMPANY}`, { method: "PUT", body: {
  id: COMPANY, name: "Bench Calendar", currency: "EUR",
  locations: [{ id: "main", name: "Main", time_zone: "Europe/London", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 60 } }],
  services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 1000, specialist_ids: staff }],
  specialists: staff.map((id) => ({ id, name: id, location_id: "main", working_hours: allDay })),
} });
assert.ok([200, 201].includes(seeded.status), JSON.stringify(seeded.body));
const base = `/v1/companies/${COMPANY}/locations/main`;
const admin = `/v1/admin/companies/${COMPANY}/locations/main`;
const today = new Date().toISOString().slice(0, 10);
const shown = addDays(today, 2);

// The shown day full: 180 bookings (10 specialists × 18 half hours).
// Numbers in an allocated UK mobile range: five digits after the prefix (a longer one is not a
// number, and would be refused instead of booked).
const book = (start, specialist, i) => () => call(`${base}/bookings`, { method: "POST",
  body: { service_id: "cut", start, specialist_id: specialist, client: { name: `Day ${i}`, phone: `+4474008${String(i % 100000).padStart(5, "0")}` } } });
const { body: day } = await call(`${base}/slots?service=cut&date=${shown}`);
const full = day.slots.flatMap((slot) => slot.specialist_ids.map((s) => [slot.start, s]));
const filled = await pool(full.map(([start, s], i) => book(start, s, i)), 50);
assert.ok(filled.every((r) => r.status === 201), "the shown day fills");

const alone = async (task, n = 100) => { const out = []; for (let i = 0; i < n; i++) out.push(await task()); return out; };
const first = await call(`${admin}/day?date=${shown}`);
assert.equal(first.status, 200);
assert.equal(first.body.bookings.length, full.length);
const answers = await alone(() => call(`${admin}/day?date=${shown}`));
const quiet = await alone(() => call(`${admin}/day?date=${shown}`, { extra: { "if-none-match": first.etag } }));
assert.ok(quiet.every((r) => r.status === 304), "a quiet poll is a 304");
const slots = await alone(() => call(`${base}/slots?service=cut&date=${addDays(today, 3)}`));

// Storms: confirmations into the same location, 200 in flight, with calendars polling meanwhile.
let dayOffset = 4;
async function storm(calendars, everyMs) {
  const starts = [];
  while (starts.length < 900) {
    const { body } = await call(`${base}/slots?service=cut&date=${addDays(today, dayOffset++)}`);
    for (const slot of body.slots) for (const s of slot.specialist_ids) if (starts.length < 900) starts.push([slot.start, s]);
  }
  let running = true;
  const polls = [];
  const pollers = Array.from({ length: calendars }, async (_, c) => {
    let etag;
    await new Promise((r) => setTimeout(r, (c * everyMs) / Math.max(1, calendars)));
    while (running) {
      const answer = await call(`${admin}/day?date=${shown}`, { extra: etag ? { "if-none-match": etag } : {} });
      etag = answer.etag ?? etag;
      polls.push(answer);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  });
  const started = performance.now();
  const booked = await pool(starts.map(([start, s], i) => book(start, s, 100000 + dayOffset * 1000 + i)), CONCURRENCY);
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await Promise.all(pollers);
  assert.equal(booked.filter((r) => r.status >= 500).length, 0);
  assert.ok(booked.every((r) => r.status === 201), `every confirmation books: ${[...new Set(booked.map((r) => r.status))]}`);
  assert.ok(polls.every((r) => [200, 304].includes(r.status)));
  return { booked, seconds, polls };
}
const storms = [
  ["no calendar open", await storm(0, 5000)],
  ["100 calendars, every 5 s", await storm(100, 5000)],
  ["100 calendars, every 1 s", await storm(100, 1000)],
];

// A month's report once the storms have filled the location: it reads every stored booking of
// the chain and each specialist's working time on each date.
const stored = full.length + storms.reduce((n, [, { booked }]) => n + booked.filter((r) => r.status === 201).length, 0);
const reports = await alone(() => call(`${admin}/report?from=${today}&to=${addDays(today, 29)}`), 20);
assert.ok(reports.every((r) => r.status === 200), "the report answers");
assert.equal(reports[0].body.total.bookings, stored, "every booking of the month counted");

const ms = (v) => `${v.toFixed(1)} ms`;
console.log("\nThe calendar's live updates (the local stack on loopback, one run)\n");
console.log(`${"one request at a time".padEnd(44)}${"count".padStart(7)}${"p50".padStart(11)}${"p99".padStart(11)}`);
const row = (name, list) => console.log(`${name.padEnd(44)}${String(list.length).padStart(7)}${ms(percentile(list.map((a) => a.ms), 0.5)).padStart(11)}${ms(percentile(list.map((a) => a.ms), 0.99)).padStart(11)}`);
row(`the day, ${full.length} bookings (200, ${Math.round(first.body && JSON.stringify(first.body).length / 1024)} KiB)`, answers);
row("a quiet poll (304, no body)", quiet);
row("slots of one date (the widget's question)", slots);
row(`a 30-day report (${stored} bookings stored)`, reports);
const slotsMedian = percentile(slots.map((a) => a.ms), 0.5);
console.log(`\nratio to slots (p50): day ${(percentile(answers.map((a) => a.ms), 0.5) / slotsMedian).toFixed(2)}, quiet poll ${(percentile(quiet.map((a) => a.ms), 0.5) / slotsMedian).toFixed(2)}`);
console.log(`\n${"storm of 900 confirmations, 200 in flight".padEnd(44)}${"per second".padStart(12)}${"p50".padStart(11)}${"p99".padStart(11)}${"polls".padStart(8)}${"304s".padStart(7)}`);
for (const [name, { booked, seconds, polls }] of storms) {
  const times = booked.map((a) => a.ms);
  console.log(`${name.padEnd(44)}${(booked.length / seconds).toFixed(0).padStart(12)}${ms(percentile(times, 0.5)).padStart(11)}${ms(percentile(times, 0.99)).padStart(11)}${String(polls.length).padStart(8)}${String(polls.filter((p) => p.status === 304).length).padStart(7)}`);
}
console.log("\nan open calendar: 12 requests a minute to the Worker, each one read of the location object");
console.log("(plus the session's check in the person object and the grant in the company object).");
