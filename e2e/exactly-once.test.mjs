// Exactly once, over HTTP against the test build of the Worker: class seats honour an
// Idempotency-Key like bookings and visits do, and a membership payment survives a checkout that
// stops half-way (a fault injected between paying and booking, or between booking and settling):
// once the company object's alarm has settled what the crash left pending, every membership's
// balance equals what its stored bookings used, and the client's retry (the same key) books once.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, everyDay, putCompany, TOKEN } from "./helpers.mjs";

const stamp = String(Date.now() % 100000).padStart(5, "0");
const COMPANY = `once-e2e-${stamp}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const base = `/v1/companies/${COMPANY}`;
const path = (rest) => `${base}/locations/studio/${rest}`;
const phone = (n) => `+44 7400 6${String(n).padStart(2, "0")}${stamp.slice(0, 3)}`;
const client = (n) => ({ name: `Client ${n}`, phone: phone(n) });
const session = `${addDays(today, 3)}T08:00:00Z`;

before(async () => {
  await putCompany({
    id: COMPANY, name: "Once Studio", currency: "GBP", site_origins: [],
    locations: [{ id: "studio", name: "Studio", address: "1 Road", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 60 } }],
    services: [
      { id: "pt", name: "Personal training", duration_minutes: 30, price_minor: 3000, specialist_ids: ["rae", "kit"],
        // Kit costs more: a money membership is debited Kit's price until the object picks Rae.
        variants: [{ specialist_id: "kit", price_minor: 4500 }] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1200, specialist_ids: [],
        class: { capacity: 3, waitlist_capacity: 2, sessions: [{ location_id: "studio", specialist_id: "rae", date: addDays(today, 3), start: "08:00" }] } },
    ],
    specialists: [
      { id: "rae", name: "Rae", location_id: "studio", working_hours: everyDay("06:00", "22:00") },
      { id: "kit", name: "Kit", location_id: "studio", working_hours: everyDay("06:00", "22:00") },
    ],
  });
  const imported = await api(`/v1/admin/companies/${COMPANY}/memberships/import`, { method: "POST", headers: admin, body: [
    { number: "V-1", name: "10 visits", phone: phone(1), status: "active", visits_left: 10 },
    { number: "V-2", name: "10 visits", phone: phone(2), status: "active", visits_left: 10 },
    { number: "C-3", name: "Credit", phone: phone(3), status: "active", balance_minor: 20000 },
    { number: "C-4", name: "Credit", phone: phone(4), status: "active", balance_minor: 20000 },
  ] });
  assert.equal(imported.status, 200, imported.text);
});

const seat = (body, key) => api(path("class-bookings"), { method: "POST", body, headers: key ? { "Idempotency-Key": key } : {} });

test("class seats: concurrent retries with one key take one seat and get one answer; another body under it is refused", async () => {
  const body = { service_id: "yoga", start: session, client: client(20) };
  const key = `seat-${stamp}`;
  const answers = await Promise.all(Array.from({ length: 20 }, () => seat(body, key)));
  assert.deepEqual([...new Set(answers.map((a) => a.status))], [201], answers.map((a) => a.text).join("\n"));
  assert.equal(new Set(answers.map((a) => a.body.booking_id)).size, 1, "one booking id for every retry");
  assert.equal(new Set(answers.map((a) => a.text)).size, 1, "the very same answer each time");
  const sessions = await api(`${path("classes")}?service=yoga&from=${addDays(today, 3)}&days=1`);
  assert.equal(sessions.body.sessions[0].seats_left, 2, "one seat taken");

  const other = await seat({ ...body, client: client(21) }, key);
  assert.equal(other.status, 422, other.text);
  assert.deepEqual([other.body.error.code, other.body.error.field], ["idempotency_key_reused", "Idempotency-Key"]);
  const waitlisted = await seat({ ...body, join_waitlist: true }, key);
  assert.equal(waitlisted.body.error?.code, "idempotency_key_reused", "join_waitlist is part of the request");
  assert.equal((await api(`${path("classes")}?service=yoga&from=${addDays(today, 3)}&days=1`)).body.sessions[0].seats_left, 2);
});

let slot = 0;
function start() {
  slot += 1;
  const minutes = 7 * 60 + slot * 30;
  return `${addDays(today, 2)}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00Z`;
}

const membership = async (number) => (await api(`/v1/admin/companies/${COMPANY}/memberships/${number}`, { headers: admin })).body;
/** Every stored booking and seat, as the owner's export has them. */
async function stored() {
  const exported = (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body;
  return exported.locations.flatMap((l) => [...l.bookings, ...l.class_bookings.map((s) => ({ ...s, status: s.status === "booked" ? "confirmed" : s.status }))]);
}

/** What each membership should hold: its imported balance less what its stored bookings used. */
async function balancesMatchBookings() {
  const rows = (await stored()).filter((b) => b.membership_number && b.status !== "cancelled");
  const used = (number) => rows.filter((b) => b.membership_number === number);
  const expected = {
    "V-1": 10 - used("V-1").length, "V-2": 10 - used("V-2").length,
    "C-3": 20000 - used("C-3").reduce((sum, b) => sum + b.price_minor, 0),
    "C-4": 20000 - used("C-4").reduce((sum, b) => sum + b.price_minor, 0),
  };
  const actual = {
    "V-1": (await membership("V-1")).visits_left, "V-2": (await membership("V-2")).visits_left,
    "C-3": (await membership("C-3")).balance_minor, "C-4": (await membership("C-4")).balance_minor,
  };
  return { expected, actual, equal: JSON.stringify(expected) === JSON.stringify(actual) };
}

test("a checkout that crashes between paying and booking, or between booking and settling, is put right", async () => {
  const confirm = (n, number, key, fault) => api(path("bookings"), { method: "POST",
    headers: { "Idempotency-Key": key, ...(fault ? { "Homeslot-Fault": fault } : {}) },
    body: { service_id: "pt", specialist_id: "rae", start: starts[n], client: client(n), membership: { number } } });
  const starts = { 1: start(), 2: start(), 3: start(), 4: start() };
  const keys = { 1: `crash-1-${stamp}`, 2: `crash-2-${stamp}`, 3: `crash-3-${stamp}`, 4: `crash-4-${stamp}` };

  // Paid, then the Worker "dies" before the location object hears of the booking.
  const lost = await Promise.all([confirm(1, "V-1", keys[1], "after-payment"), confirm(3, "C-3", keys[3], "after-payment")]);
  // Booked, then the Worker "dies" before the payment is settled (a money membership is debited
  // the dearest price of the service, Kit's, until the settlement gives back what Rae's left).
  const unsettled = await Promise.all([confirm(2, "V-2", keys[2], "after-placement"), confirm(4, "C-4", keys[4], "after-placement")]);
  for (const answer of [...lost, ...unsettled]) {
    assert.equal(answer.status, 500, answer.text);
    assert.equal(answer.body.error.code, "internal");
  }
  assert.equal((await membership("V-1")).visits_left, 9, "the crash left V-1 debited without a booking");
  assert.equal((await membership("C-4")).balance_minor, 20000 - 4500, "and C-4 debited the dearest price");
  assert.equal((await stored()).filter((b) => b.membership_number).length, 2, "two bookings were written");

  // The company object's alarm settles what is pending (after 15 s on the test stack). Waiting for
  // it is not retrying: no request is repeated until the balances are right.
  let check;
  for (let waited = 0; waited < 90; waited++) {
    check = await balancesMatchBookings();
    if (check.equal) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.ok(check.equal, `balances ${JSON.stringify(check.actual)}, from the stored bookings ${JSON.stringify(check.expected)}`);
  assert.equal((await membership("V-1")).visits_left, 10, "nothing was booked, so nothing is paid");
  assert.equal((await membership("C-4")).balance_minor, 20000 - 3000, "the booking with Rae paid Rae's price");

  // The clients retry as real clients do, with the same keys and no fault.
  const retried = await Promise.all([1, 2, 3, 4].map((n) => confirm(n, { 1: "V-1", 2: "V-2", 3: "C-3", 4: "C-4" }[n], keys[n])));
  for (const answer of retried) assert.equal(answer.status, 201, answer.text);
  const rows = (await stored()).filter((b) => b.membership_number);
  assert.equal(rows.length, 4, "each client has exactly one booking");
  assert.deepEqual(new Set([retried[1].body.booking_id, retried[3].body.booking_id]),
    new Set(rows.filter((b) => ["V-2", "C-4"].includes(b.membership_number)).map((b) => b.booking_id)),
    "the retries of the stored bookings answer those bookings");
  const after = await balancesMatchBookings();
  assert.ok(after.equal, `after the retries: ${JSON.stringify(after.actual)} vs ${JSON.stringify(after.expected)}`);
  assert.deepEqual(after.actual, { "V-1": 9, "V-2": 9, "C-3": 17000, "C-4": 17000 });
});

test("an overloaded location answers 503 overloaded with Retry-After in the API's shape, and the retry books once", async () => {
  const body = { service_id: "pt", start: start(), client: client(1), membership: { number: "V-1" } };
  const key = `busy-${stamp}`;
  const before = (await membership("V-1")).visits_left;
  const refused = await api(path("bookings"), { method: "POST", body, headers: { "Idempotency-Key": key, "Homeslot-Fault": "overloaded" } });
  assert.equal(refused.status, 503, refused.text);
  assert.equal(refused.body.error.code, "overloaded");
  assert.match(refused.body.error.message, /try again/i);
  const retryAfter = await fetch(`${process.env.HOMESLOT_URL}${path("bookings")}`, { method: "POST",
    headers: { "content-type": "application/json", "Idempotency-Key": `${key}-2`, "Homeslot-Fault": "overloaded" },
    body: JSON.stringify({ ...body, start: start() }) });
  assert.equal(retryAfter.status, 503);
  assert.ok(Number(retryAfter.headers.get("retry-after")) >= 1, "Retry-After says when to come back");
  assert.equal((await membership("V-1")).visits_left, before, "the refused placement's payment was given back at once");
  const booked = await api(path("bookings"), { method: "POST", body, headers: { "Idempotency-Key": key } });
  assert.equal(booked.status, 201, booked.text);
  assert.equal((await membership("V-1")).visits_left, before - 1);
  const again = await api(path("bookings"), { method: "POST", body, headers: { "Idempotency-Key": key } });
  assert.equal(again.body.booking_id, booked.body.booking_id);
});

test("a cancellation's refund is given back once, whether the request that cancelled stops before it or is retried", async () => {
  const book = (n, number) => api(path("bookings"), { method: "POST", headers: { "Idempotency-Key": `refund-${n}-${stamp}` },
    body: { service_id: "pt", specialist_id: "rae", start: start(), client: client(n), membership: { number } } });
  const cancel = (token, key, fault) => api(`/v1/manage/${token}/cancel`, { method: "POST", body: {},
    headers: { "Idempotency-Key": key, ...(fault ? { "Homeslot-Fault": fault } : {}) } });
  const retried = await book(2, "V-2");
  const abandoned = await book(4, "C-4");
  assert.deepEqual([retried.status, abandoned.status], [201, 201], retried.text + abandoned.text);
  const before = { v: (await membership("V-2")).visits_left, c: (await membership("C-4")).balance_minor };

  // The cancellation is written, then the Worker "dies" before the refund is delivered.
  for (const [booked, key] of [[retried, `cancel-a-${stamp}`], [abandoned, `cancel-b-${stamp}`]]) {
    const stopped = await cancel(booked.body.manage_token, key, "after-cancel");
    assert.equal(stopped.status, 500, stopped.text);
  }
  assert.equal((await membership("V-2")).visits_left, before.v, "not given back yet");
  // One client retries with the same key: the first answer, and the refund, once.
  const again = await cancel(retried.body.manage_token, `cancel-a-${stamp}`);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.status, "cancelled");
  assert.equal((await membership("V-2")).visits_left, before.v + 1);
  const twice = await cancel(retried.body.manage_token, `cancel-a-${stamp}`);
  assert.equal(twice.text, again.text, "a second retry gets the same answer");
  assert.equal((await membership("V-2")).visits_left, before.v + 1, "and gives nothing more");

  // The other never comes back: the location's alarm delivers its refund (after 15 s here).
  let balance;
  for (let waited = 0; waited < 90; waited++) {
    balance = (await membership("C-4")).balance_minor;
    if (balance !== before.c) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.equal(balance, before.c + abandoned.body.price.amount_minor, "the abandoned cancellation's refund arrived");
  // Long enough for a second alarm: nothing is given twice.
  await new Promise((resolve) => setTimeout(resolve, 16_000));
  assert.equal((await membership("V-2")).visits_left, before.v + 1);
  assert.equal((await membership("C-4")).balance_minor, before.c + abandoned.body.price.amount_minor);
  const after = await balancesMatchBookings();
  assert.ok(after.equal, `${JSON.stringify(after.actual)} vs ${JSON.stringify(after.expected)}`);
});
