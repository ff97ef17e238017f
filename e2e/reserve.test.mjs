// Reserve with Google's booking server (REST v3) on the real stack, called as Google's test client
// calls it: HTTP Basic with the operator's credentials, proto3 JSON, paths in any case with or
// without a trailing slash. The test client's sequence: the health check; availability of ten
// slots of the availability feed; ten bookings of one test user, each sent twice with one
// idempotency token (one booking each, the identical answer); the slots then unavailable; the
// user's list; the status of each; a reschedule; all cancelled. Google's acceptance cases: a
// business failure reported in an HTTP 200 (and a failed token tried afresh), a class filling to
// its seats, a reschedule to another slot of the service; the channel and source `google` on the
// stored bookings; and the lookup's latency under load, printed.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, addDays, api, everyDay, putCompany } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `reserve-${RUN}`;
const MERCHANT = `${COMPANY}.main`;
const admin = { authorization: `Bearer ${TOKEN}` };
const PASSWORD = process.env.HOMESLOT_RESERVE_PASSWORD || "reserve-dev-password";
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const seconds = (instant) => String(Date.parse(instant) / 1000);

/** Calls a booking server method as Google does; answers { status, body }. */
async function call(method, body, { path = `/reserve/v3/${method}/`, auth = basic("google", PASSWORD) } = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

const user = (n) => ({ user_id: `g-user-${RUN}-${n}`, given_name: `Gia${n}`, family_name: "Google",
  telephone: `+4474009${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`, email: `gia${n}-${RUN}@gmail.example` });

before(async () => {
  await putCompany({
    id: COMPANY, name: "Reserve Salon", currency: "GBP", site_origins: [], business_category: "hair_salon",
    locations: [
      { id: "main", name: "Main", address: "2 Market Row", city: "London", postal_code: "SW9 8LB", country: "GB",
        time_zone: "Europe/London", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } },
      // Changes only up to two weeks ahead: every booking here is past its window.
      { id: "late", name: "Late", time_zone: "Europe/London",
        policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 20160 } },
    ],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lou"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
        class: { capacity: 3, waitlist_capacity: 0, sessions: [{ location_id: "main", date: day, start: "18:00", specialist_id: "kim" }] } },
    ],
    specialists: [
      { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") },
      { id: "lou", name: "Lou", location_id: "late", working_hours: everyDay("09:00", "17:00") },
    ],
  });
});

test("the health check answers Google's credentials only, at the path in any case, with or without its slash", async () => {
  assert.equal((await call("HealthCheck")).status, 200);
  assert.equal((await call("HealthCheck", undefined, { path: "/reserve/V3/healthcheck" })).status, 200);
  assert.equal((await call("HealthCheck", undefined, { auth: null })).status, 401);
  const wrong = await call("HealthCheck", undefined, { auth: basic("google", "not-it") });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.code, "unauthorized");
  assert.equal((await call("Nothing", {})).status, 404);
});

test("Google's test client: ten feed slots available, booked twice each with one token, then unavailable; the user's list, each status, a reschedule, all cancelled", { timeout: 90_000 }, async () => {
  // The slots come from the availability feed, as Google's test client takes them.
  const made = await api(`/v1/admin/companies/${COMPANY}/google-feeds`, { method: "POST", headers: admin });
  assert.equal(made.status, 200, made.text);
  const feed = await fetch(`${BASE}/reserve/feeds/${COMPANY}/availability/main.json`, { headers: { authorization: basic("google", PASSWORD) } });
  const dayStart = Number(seconds(`${day}T00:00:00Z`));
  const offered = (await feed.json()).service_availability[0].availability
    .filter((a) => a.service_id === "cut" && Number(a.start_sec) >= dayStart && Number(a.start_sec) < dayStart + 86_400);
  assert.ok(offered.length >= 12, `the feed lists ${offered.length} times`);
  const slots = offered.slice(0, 10).map((a) => ({ service_id: "cut", start_sec: a.start_sec, duration_sec: a.duration_sec,
    resource_ids: { staff_id: a.resources.staff_id } }));
  const lookup = await call("BatchAvailabilityLookup", { merchant_id: MERCHANT, slot_time: slots });
  assert.equal(lookup.status, 200, lookup.text);
  assert.deepEqual(lookup.body.slot_time_availability.map((a) => a.available), Array(10).fill(true));
  assert.deepEqual(lookup.body.slot_time_availability.map((a) => a.slot_time), slots, "each answer names its slot");

  // One test user books all ten, each request sent twice with its token.
  const tester = user(0);
  const bookings = [];
  for (const [i, slot] of slots.entries()) {
    const request = { slot: { merchant_id: MERCHANT, service_id: slot.service_id, start_sec: slot.start_sec, duration_sec: slot.duration_sec,
      resources: { staff_id: slot.resource_ids.staff_id } }, user_information: tester,
      payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" }, idempotency_token: `token-${RUN}-${i}` };
    const [first, again] = [await call("CreateBooking", request), await call("CreateBooking", request)];
    assert.equal(first.status, 200, first.text);
    assert.ok(first.body.booking, first.text);
    assert.deepEqual(again.body, first.body, "the retry with the token gets the identical booking");
    assert.equal(first.body.booking.status, "CONFIRMED");
    assert.equal(first.body.booking.slot.start_sec, slot.start_sec);
    assert.match(first.body.booking.booking_id, new RegExp(`^${MERCHANT}\\.`));
    bookings.push(first.body.booking);
  }
  assert.equal(new Set(bookings.map((b) => b.booking_id)).size, 10);
  const stored = (await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings?date=${day}`, { headers: admin })).body.bookings;
  assert.equal(stored.length, 10, "ten bookings, not twenty");
  assert.ok(stored.every((b) => b.channel === "google" && b.attribution?.utm_source === "google"), JSON.stringify(stored[0]));
  const report = (await api(`/v1/admin/companies/${COMPANY}/locations/main/report?from=${day}&to=${day}`, { headers: admin })).body;
  assert.equal(report.channels.find((c) => c.channel === "google")?.bookings, 10, JSON.stringify(report.channels));
  assert.equal(report.sources.find((s) => s.source === "google")?.bookings, 10, JSON.stringify(report.sources));

  const after = await call("BatchAvailabilityLookup", { merchant_id: MERCHANT, slot_time: slots });
  assert.deepEqual(after.body.slot_time_availability.map((a) => a.available), Array(10).fill(false));
  const listed = await call("ListBookings", { user_id: tester.user_id });
  assert.deepEqual(listed.body.bookings.map((b) => b.booking_id).sort(), bookings.map((b) => b.booking_id).sort());
  for (const booking of bookings) {
    const status = await call("GetBookingStatus", { booking_id: booking.booking_id });
    assert.deepEqual(status.body, { booking_id: booking.booking_id, booking_status: "CONFIRMED", prepayment_status: "PREPAYMENT_NOT_PROVIDED" });
  }
  assert.equal((await call("GetBookingStatus", { booking_id: `${MERCHANT}.nothing` })).status, 404);

  // A reschedule to another slot of the feed.
  const spare = offered.slice(10).find((a) => a.resources.staff_id === bookings[1].slot.resources.staff_id);
  const moved = await call("UpdateBooking", { update_mask: "slot.start_sec,slot.duration_sec",
    booking: { booking_id: bookings[1].booking_id, slot: { start_sec: spare.start_sec, duration_sec: spare.duration_sec } } });
  assert.equal(moved.body.booking?.slot.start_sec, spare.start_sec, moved.text);

  // Cancelled at the business, Google reads it as cancelled; the rest Google cancels itself.
  const [, , id] = bookings[0].booking_id.split(".");
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${id}/cancel`, {
    method: "POST", headers: admin, body: { reason: "Kim is ill" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal((await call("GetBookingStatus", { booking_id: bookings[0].booking_id })).body.booking_status, "CANCELED");
  for (const booking of bookings.slice(1)) {
    const cancel = await call("UpdateBooking", { update_mask: "status", booking: { booking_id: booking.booking_id, status: "CANCELED" } });
    assert.equal(cancel.body.booking?.status, "CANCELED", cancel.text);
  }
  assert.deepEqual((await call("ListBookings", { user_id: tester.user_id })).body.bookings, []);
  const freed = await call("BatchAvailabilityLookup", { merchant_id: MERCHANT, slot_time: slots });
  assert.deepEqual(freed.body.slot_time_availability.map((a) => a.available), Array(10).fill(true), "every slot free again");
});

test("a slot taken meanwhile is a booking failure in an HTTP 200; the same token is tried afresh once the slot is free", async () => {
  const offered = (await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${addDays(day, 1)}`)).body.slots;
  const slot = { merchant_id: MERCHANT, service_id: "cut", start_sec: seconds(offered[0].start), duration_sec: "1800" };
  const taken = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: offered[0].start, client: { name: "Widget Wes", phone: `+4474008${RUN.slice(0, 5)}` } } });
  assert.equal(taken.status, 201, taken.text);
  const request = { slot, user_information: user(20), idempotency_token: `late-${RUN}` };
  const failed = await call("CreateBooking", request);
  assert.equal(failed.status, 200, failed.text);
  assert.equal(failed.body.booking, undefined);
  assert.equal(failed.body.booking_failure.cause, "SLOT_UNAVAILABLE");
  const check = await call("CheckAvailability", { slot });
  assert.equal(check.body.count_available, 0);

  const freed = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${taken.body.booking_id}/cancel`, {
    method: "POST", headers: admin, body: { reason: "Called to cancel" } });
  assert.equal(freed.status, 200, freed.text);
  assert.equal((await call("CheckAvailability", { slot })).body.count_available, 1);
  const afresh = await call("CreateBooking", request);
  assert.equal(afresh.body.booking?.status, "CONFIRMED", afresh.text);

  // A slot of another length, or someone else's, is not one of ours.
  const other = { ...slot, start_sec: seconds(offered[1].start) };
  const odd = await call("BatchAvailabilityLookup", { merchant_id: MERCHANT, slot_time: [
    { service_id: "cut", start_sec: other.start_sec, duration_sec: "1800" },
    { service_id: "cut", start_sec: other.start_sec, duration_sec: "3600" },
    { service_id: "cut", start_sec: other.start_sec, duration_sec: "1800", resource_ids: { staff_id: "nobody" } },
    { service_id: "nothing", start_sec: other.start_sec, duration_sec: "1800" },
  ] });
  assert.deepEqual(odd.body.slot_time_availability.map((a) => a.available), [true, false, false, false]);
  assert.equal((await call("BatchAvailabilityLookup", { merchant_id: "nobody.nowhere", slot_time: [] })).status, 404);
  const longer = await call("CreateBooking", { ...request, slot: { ...other, duration_sec: "3600" }, idempotency_token: `long-${RUN}` });
  assert.equal(longer.body.booking_failure?.cause, "SLOT_UNAVAILABLE", longer.text);
  const unreadable = await call("CreateBooking", { ...request, idempotency_token: "" });
  assert.equal(unreadable.status, 422, unreadable.text);
});

test("a class fills to its seats through Google, then the next booking fails", async () => {
  const slot = { merchant_id: MERCHANT, service_id: "yoga", start_sec: seconds(`${day}T18:00:00Z`), duration_sec: "3600" };
  assert.equal((await call("CheckAvailability", { slot })).body.count_available, 3);
  for (const n of [30, 31, 32]) {
    const seat = await call("CreateBooking", { slot, user_information: user(n), idempotency_token: `yoga-${RUN}-${n}` });
    assert.equal(seat.body.booking?.status, "CONFIRMED", seat.text);
  }
  assert.equal((await call("CheckAvailability", { slot })).body.count_available, 0);
  const full = await call("CreateBooking", { slot, user_information: user(33), idempotency_token: `yoga-${RUN}-33` });
  assert.equal(full.body.booking_failure?.cause, "SLOT_UNAVAILABLE", full.text);
});

test("UpdateBooking moves and cancels a booking, each idempotently, as its user could; ListBookings lists what is to come", { timeout: 60_000 }, async () => {
  const date = addDays(day, 2);
  const offered = (await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${date}`)).body.slots;
  const [a, b, c] = [offered[0], offered[2], offered[4]].map((s) => seconds(s.start));
  const who = user(40);
  const made = await call("CreateBooking", { slot: { merchant_id: MERCHANT, service_id: "cut", start_sec: a, duration_sec: "1800" },
    user_information: who, idempotency_token: `move-${RUN}` });
  const id = made.body.booking.booking_id;
  const listed = await call("ListBookings", { user_id: who.user_id });
  assert.deepEqual(listed.body.bookings.map((x) => [x.booking_id, x.slot.start_sec, x.status]), [[id, a, "CONFIRMED"]]);

  const move = (start) => call("UpdateBooking", { update_mask: "slot.startSec,slot.durationSec",
    booking: { booking_id: id, slot: { start_sec: start, duration_sec: "1800" }, user_information: { user_id: who.user_id } } });
  const moved = await move(b);
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.booking.slot.start_sec, b, moved.text);
  assert.deepEqual((await move(b)).body, moved.body, "moved again to where it is: the same answer");
  const [, , own] = id.split(".");
  const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${own}`, { headers: admin });
  assert.deepEqual(detail.body.history.filter((h) => h.change === "moved").map((h) => h.by), ["the client, on Google"], "one move, by Google");
  assert.deepEqual((await call("ListBookings", { user_id: who.user_id })).body.bookings.map((x) => x.slot.start_sec), [b]);

  // A time taken meanwhile is a failure, and the booking stays where it was.
  const taken = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: offered[4].start, client: { name: "Widget Wanda", phone: `+4474007${RUN.slice(0, 5)}` } } });
  assert.equal(taken.status, 201, taken.text);
  assert.equal((await move(c)).body.booking_failure?.cause, "SLOT_UNAVAILABLE");
  // A booking made elsewhere is not Google's to change.
  const foreign = await call("UpdateBooking", { update_mask: "status", booking: { booking_id: `${MERCHANT}.${taken.body.booking_id}`, status: "CANCELED" } });
  assert.equal(foreign.status, 404, foreign.text);

  const cancel = () => call("UpdateBooking", { update_mask: "status", booking: { booking_id: id, status: "CANCELED" } });
  const cancelled = await cancel();
  assert.equal(cancelled.body.booking.status, "CANCELED", cancelled.text);
  assert.equal((await cancel()).body.booking.status, "CANCELED", "cancelled again: answered as it is");
  assert.deepEqual((await call("ListBookings", { user_id: who.user_id })).body.bookings, []);
  assert.equal((await call("GetBookingStatus", { booking_id: id })).body.booking_status, "CANCELED");
  assert.equal((await call("UpdateBooking", { update_mask: "nothing", booking: { booking_id: id } })).status, 422);

  // Past the merchant's window for changes: the spec's cause.
  const lateOffer = (await api(`/v1/companies/${COMPANY}/locations/late/slots?service=cut&date=${date}`)).body.slots[0];
  const late = await call("CreateBooking", { slot: { merchant_id: `${COMPANY}.late`, service_id: "cut", start_sec: seconds(lateOffer.start), duration_sec: "1800" },
    user_information: user(41), idempotency_token: `late-window-${RUN}` });
  const refused = await call("UpdateBooking", { update_mask: "status", booking: { booking_id: late.body.booking.booking_id, status: "CANCELED" } });
  assert.equal(refused.body.booking_failure?.cause, "OUTSIDE_CANCELLATION_WINDOW", refused.text);
});

test("BatchAvailabilityLookup under load: every answer whole; its p50 and p99 printed (Google's threshold: 1.5 s)", { timeout: 180_000 }, async () => {
  // Load: 50 lookups of 100 slots (a week of one service's times) in flight at a time, 200 in
  // all, while clients book the same location's times through the widget's API, 10 in flight. A
  // measurement, printed, not a timed assertion.
  const dates = Array.from({ length: 8 }, (_, i) => addDays(day, 4 + i));
  const week = [];
  for (const date of dates) {
    week.push(...(await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${date}`)).body.slots);
  }
  assert.ok(week.length >= 100, `the widget offers ${week.length} times`);
  const slots = week.slice(0, 100).map((s) => ({ service_id: "cut", start_sec: seconds(s.start), duration_sec: "1800" }));
  const offered = week.slice(0, 30);
  const timings = [];
  let booking = 0;
  const bookers = Array.from({ length: 10 }, async () => {
    while (booking < offered.length) {
      const slot = offered[booking++];
      await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
        body: { service_id: "cut", start: slot.start, client: { name: "Load Lee", phone: `+4474006${String(booking).padStart(2, "0")}${RUN.slice(0, 3)}` } } });
    }
  });
  let asked = 0;
  const lookers = Array.from({ length: 50 }, async () => {
    while (asked < 200) {
      asked += 1;
      const t0 = performance.now();
      const answer = await call("BatchAvailabilityLookup", { merchant_id: MERCHANT, slot_time: slots });
      timings.push(performance.now() - t0);
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.slot_time_availability.length, 100);
    }
  });
  await Promise.all([...bookers, ...lookers]);
  timings.sort((a, b) => a - b);
  const at = (q) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];
  console.log(`# BatchAvailabilityLookup of 100 slots, 50 in flight with bookings under way: ${timings.length} answers, ` +
    `p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${timings.at(-1).toFixed(0)} ms`);
});
