// A client's own booking through the manage link of their confirmation: view, move, cancel,
// refused too close to the visit, and nothing for a forged link.
import { test } from "node:test";
import assert from "node:assert/strict";

import { BASE, COMPANY, LOCATION, TOKEN, addDays, api, bookingsUrl, client, dateWithSlots, everyDay, slots, putCompany } from "./helpers.mjs";

const manage = (token, action = "", body) =>
  api(`/v1/manage/${token}${action ? `/${action}` : ""}`, { method: action ? "POST" : "GET", body: body ?? (action ? {} : undefined) });

async function bookDemo(service, fromDays, n) {
  const { date, slots: free } = await dateWithSlots(service, fromDays);
  const slot = free[0];
  const specialist = slot.specialist_ids[0];
  const booked = await api(bookingsUrl, { method: "POST", body: { service_id: service, start: slot.start, specialist_id: specialist, client: client(n) } });
  assert.equal(booked.status, 201, booked.text);
  return { date, free, slot, specialist, booking: booked.body };
}

test("the confirmation's manage link shows the client's own booking and nothing else", async () => {
  const { booking } = await bookDemo("mens-cut", 14, 61);
  assert.match(booking.manage_token, new RegExp(`^${COMPANY}\\.${LOCATION}\\.${booking.booking_id}\\.[0-9a-f]{32}$`));
  const view = await manage(booking.manage_token);
  assert.equal(view.status, 200, view.text);
  assert.equal(view.body.status, "confirmed");
  const { manage_token: _, ...confirmed } = booking;
  const { status, changeable_until, ...shown } = view.body;
  assert.deepEqual(shown, confirmed, "the same booking, and no other client's data");
  assert.equal(Date.parse(view.body.start) - Date.parse(changeable_until), 24 * 3600_000, "the demo's notice is a day");
  assert.ok(!("manage_token" in view.body) && !JSON.stringify(view.body).includes("7400"), "no phone, no token echoed");
});

test("a client moves their booking to another free time, then cancels it; the times free up", async () => {
  const { date, free, slot, specialist, booking } = await bookDemo("mens-cut", 15, 62);
  const target = free.find((s) => s.start !== slot.start && s.specialist_ids.includes(specialist) && Date.parse(s.start) >= Date.parse(slot.start) + 30 * 60_000);
  const moved = await manage(booking.manage_token, "reschedule", { start: target.start });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual([moved.body.start, moved.body.specialist_id, moved.body.booking_id], [target.start, specialist, booking.booking_id]);
  let now = await slots("mens-cut", date);
  assert.ok(now.find((s) => s.start === slot.start)?.specialist_ids.includes(specialist), "the old time is free again");
  assert.ok(!now.find((s) => s.start === target.start)?.specialist_ids.includes(specialist), "the new one is taken");

  const taken = free.find((s) => s.start !== target.start && s.specialist_ids.includes(specialist) && Math.abs(Date.parse(s.start) - Date.parse(target.start)) >= 30 * 60_000);
  const other = await api(bookingsUrl, { method: "POST", body: { service_id: "mens-cut", start: taken.start, specialist_id: specialist, client: client(63) } });
  assert.equal(other.status, 201);
  const clash = await manage(booking.manage_token, "reschedule", { start: taken.start });
  assert.equal(clash.status, 409, "cannot move onto someone else's time");
  assert.equal(clash.body.error.code, "slot_unavailable");

  const cancelled = await manage(booking.manage_token, "cancel");
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.status, "cancelled");
  now = await slots("mens-cut", date);
  assert.ok(now.find((s) => s.start === target.start)?.specialist_ids.includes(specialist), "cancelled: free again");
  assert.equal((await manage(booking.manage_token, "cancel")).body.status, "cancelled", "cancelling twice is harmless");
  const revived = await manage(booking.manage_token, "reschedule", { start: target.start });
  assert.deepEqual([revived.status, revived.body.error.code], [409, "not_movable"], "a cancelled booking is not moved");
  assert.equal((await manage(booking.manage_token, "reschedule", { start: "tomorrow" })).body.error.field, "start");
});

test("a move and a cancellation sent with an Idempotency-Key are made once, however often they are retried", async () => {
  const { date, free, slot, specialist, booking } = await bookDemo("mens-cut", 16, 64);
  const targets = free.filter((s) => s.specialist_ids.includes(specialist) && Math.abs(Date.parse(s.start) - Date.parse(slot.start)) >= 60 * 60_000);
  const keyed = (action, body, key) => api(`/v1/manage/${booking.manage_token}/${action}`, { method: "POST", body, headers: { "Idempotency-Key": key } });
  const key = `move-${Date.now()}`;
  // Concurrent retries of one move: one move, one answer.
  const moves = await Promise.all(Array.from({ length: 5 }, () => keyed("reschedule", { start: targets[0].start }, key)));
  assert.deepEqual([...new Set(moves.map((m) => m.status))], [200], moves.map((m) => m.text).join("\n"));
  assert.equal(new Set(moves.map((m) => m.text)).size, 1, "the same answer each time");
  // The client then moves again, elsewhere; a late retry of the first move answers as the first
  // time and moves nothing back.
  const second = await keyed("reschedule", { start: targets[1].start }, `${key}-2`);
  assert.equal(second.body.start, targets[1].start, second.text);
  const late = await keyed("reschedule", { start: targets[0].start }, key);
  assert.equal(late.text, moves[0].text);
  assert.equal((await manage(booking.manage_token)).body.start, targets[1].start, "still where the second move put it");
  const reused = await keyed("reschedule", { start: targets[2].start }, key);
  assert.equal(reused.status, 422, reused.text);
  assert.equal(reused.body.error.code, "idempotency_key_reused");
  const cancelKey = `cancel-${Date.now()}`;
  const cancels = await Promise.all(Array.from({ length: 3 }, () => keyed("cancel", {}, cancelKey)));
  assert.deepEqual(cancels.map((c) => c.body.status), ["cancelled", "cancelled", "cancelled"]);
  assert.equal(new Set(cancels.map((c) => c.text)).size, 1);
  assert.ok((await slots("mens-cut", date)).find((s) => s.start === targets[1].start)?.specialist_ids.includes(specialist));
});

test("inside the cancellation notice the link refuses to cancel or move", async () => {
  const clinic = "strict-clinic";
  const hours = everyDay();
  await putCompany({
      id: clinic, name: "Strict Clinic", currency: "EUR",
      locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 60, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 40320 } }],
      services: [{ id: "visit", name: "Visit", duration_minutes: 60, price_minor: 1000, specialist_ids: ["ana"] }],
      specialists: [{ id: "ana", name: "Ana", location_id: "main", working_hours: hours }],
    });
  const date = addDays(new Date().toISOString().slice(0, 10), 3);
  const booked = await api(`/v1/companies/${clinic}/locations/main/bookings`, {
    method: "POST", body: { service_id: "visit", start: `${date}T10:00:00Z`, client: client(64) },
  });
  assert.equal(booked.status, 201, booked.text);
  const token = booked.body.manage_token;
  const cancel = await manage(token, "cancel");
  assert.deepEqual([cancel.status, cancel.body.error.code], [409, "too_late_to_cancel"]);
  const move = await manage(token, "reschedule", { start: `${date}T12:00:00Z` });
  assert.deepEqual([move.status, move.body.error.code], [409, "too_late_to_reschedule"]);
  assert.equal((await manage(token)).body.status, "confirmed", "unchanged");
});

test("a forged or mangled link finds nothing, whatever part is wrong", async () => {
  const { booking } = await bookDemo("blow-dry", 16, 65);
  const token = booking.manage_token;
  const [company, location, id, secret] = token.split(".");
  const flip = (hex) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);
  const other = (await bookDemo("blow-dry", 17, 66)).booking;
  for (const forged of [
    `${company}.${location}.${id}.${flip(secret)}`,
    `${company}.${location}.${other.booking_id}.${secret}`,
    `nobody.${location}.${id}.${secret}`,
    `${company}.elsewhere.${id}.${secret}`,
    `${company}.${location}.${id}`,
    "not-a-token",
  ]) {
    for (const [action, body] of [["", undefined], ["cancel", undefined], ["reschedule", { start: booking.start }]]) {
      const answer = await manage(forged, action, body);
      assert.equal(answer.status, 404, `${forged} ${action}`);
      assert.equal(answer.body.error.code, "not_found");
    }
  }
  assert.equal((await manage(token)).body.status, "confirmed", "the real booking is untouched");
});

test("each part of a visit has a link, and cancelling one cancels the whole visit", async () => {
  const today = (await api(`/v1/companies/${COMPANY}`)).body.locations[0].today;
  let visit;
  for (let d = 18; d < 30 && !visit; d++) {
    const list = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/visit-slots?services=womens-cut,colour&date=${addDays(today, d)}`);
    visit = list.body.slots[0];
  }
  const booked = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/visits`, {
    method: "POST", body: { start: visit.start, parts: [{ service_id: "womens-cut" }, { service_id: "colour" }], client: client(67) },
  });
  assert.equal(booked.status, 201, booked.text);
  const [first, second] = booked.body.parts;
  assert.ok(first.manage_token && second.manage_token && first.manage_token !== second.manage_token);
  assert.equal((await manage(second.manage_token, "cancel")).body.status, "cancelled");
  assert.equal((await manage(first.manage_token)).body.status, "cancelled", "the visit is cancelled whole");
  const moved = await manage(first.manage_token, "reschedule", { start: visit.start });
  assert.deepEqual([moved.status, moved.body.error.code], [409, "not_movable"]);
});

test("a client cannot hold two overlapping visits; a parent may book two children at once", async () => {
  // A time when two barbers are free.
  const today = (await api(`/v1/companies/${COMPANY}`)).body.locations[0].today;
  let slot;
  for (let d = 21; !slot && d < 35; d++) slot = (await slots("mens-cut", addDays(today, d))).find((s) => s.specialist_ids.length >= 2);
  const [first, second] = slot.specialist_ids;
  const parent = { name: "Pat Parent", phone: "+44 7400 900777" };
  const post = (specialist, who) => api(bookingsUrl, { method: "POST", body: { service_id: "mens-cut", start: slot.start, specialist_id: specialist, client: who } });
  assert.equal((await post(first, parent)).status, 201);
  const twice = await post(second, { ...parent, name: "pat parent" });
  assert.deepEqual([twice.status, twice.body.error.code], [409, "overlapping_appointments"]);
  const child = await post(second, { name: "Kim Child", phone: parent.phone });
  assert.equal(child.status, 201, "same phone, another person: allowed");
});

test("a class seat has a manage link: cancelling it gives the seat to the first on the waitlist", async () => {
  const studio = "seat-studio";
  // Sessions in 30 minutes (inside the hour of notice) and in three days (outside it), in UTC.
  const soon = new Date(Date.now() + 30 * 60_000);
  const later = new Date(Date.now() + 3 * 86_400_000);
  const session = (at) => ({
    location_id: "main", specialist_id: "ida", date: at.toISOString().slice(0, 10), start: at.toISOString().slice(11, 16),
  });
  await putCompany({
    id: studio, name: "Seat Studio", currency: "EUR",
    locations: [{ id: "main", name: "Main", time_zone: "UTC",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 60 } }],
    services: [{ id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: [],
      class: { capacity: 1, waitlist_capacity: 2, sessions: [session(soon), session(later)] } }],
    specialists: [{ id: "ida", name: "Ida", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
  const start = `${session(later).date}T${session(later).start}:00Z`;
  const join = (n, at = start) => api(`/v1/companies/${studio}/locations/main/class-bookings`, {
    method: "POST", body: { service_id: "yoga", start: at, join_waitlist: true, client: client(700 + n) },
  });
  const [a, b, c] = [await join(1), await join(2), await join(3)];
  assert.deepEqual([a.body.status, b.body.status, c.body.status], ["booked", "waitlisted", "waitlisted"], a.text);
  for (const seat of [a, b, c]) assert.match(seat.body.manage_token, new RegExp(`^${studio}\\.main\\.bk_[0-9a-f]{32}\\.[0-9a-f]{32}$`));
  const view = async (seat) => (await manage(seat.body.manage_token)).body;
  assert.deepEqual([(await view(b)).status, (await view(b)).waitlist_position], ["waitlisted", 1]);
  assert.equal((await view(c)).waitlist_position, 2);
  assert.equal((await view(a)).end, new Date(Date.parse(start) + 3600_000).toISOString().replace(".000Z", "Z"));

  const moved = await manage(b.body.manage_token, "reschedule", { start });
  assert.deepEqual([moved.status, moved.body.error.code], [409, "not_movable"], "a seat is not moved: another session is booked");
  const cancelled = await manage(a.body.manage_token, "cancel");
  assert.deepEqual([cancelled.status, cancelled.body.status], [200, "cancelled"], cancelled.text);
  assert.deepEqual([(await view(b)).status, (await view(b)).waitlist_position], ["confirmed", undefined], "the first waiting moved up");
  assert.equal((await view(c)).waitlist_position, 1);
  const sessions = (await api(`/v1/companies/${studio}/locations/main/classes?service=yoga&from=${session(later).date}&days=1`)).body.sessions;
  assert.deepEqual([sessions[0].seats_left, sessions[0].waitlist_open], [0, true], "one seat, taken again; one place waiting");
  assert.equal((await manage(c.body.manage_token, "cancel")).body.status, "cancelled", "leaving the waitlist");
  assert.equal((await manage(a.body.manage_token, "cancel")).status, 200, "cancelling twice is harmless");

  const forged = a.body.manage_token.replace(/[0-9a-f]{32}$/, "0".repeat(32));
  assert.equal((await manage(forged)).status, 404);
  const close = await join(4, `${session(soon).date}T${session(soon).start}:00Z`);
  assert.equal(close.status, 201, close.text);
  const tooLate = await manage(close.body.manage_token, "cancel");
  assert.deepEqual([tooLate.status, tooLate.body.error.code], [409, "too_late_to_cancel"]);
});

test("the booking goes into the client's calendar: an .ics an independent parser reads, and a Google link", async () => {
  const { default: ICAL } = await import("ical.js");
  const { booking } = await bookDemo("colour", 15, 66);
  const file = await fetch(`${BASE}/v1/manage/${booking.manage_token}/calendar.ics`);
  assert.equal(file.status, 200);
  assert.match(file.headers.get("content-type"), /^text\/calendar/);
  assert.match(file.headers.get("content-disposition"), /attachment; filename="booking.ics"/);
  const text = await file.text();
  assert.ok(text.split("\r\n").every((line) => Buffer.byteLength(line) <= 75), "lines folded at 75 octets");

  const calendar = new ICAL.Component(ICAL.parse(text));
  const zone = calendar.getFirstSubcomponent("vtimezone");
  assert.equal(zone.getFirstPropertyValue("tzid"), "Europe/London");
  ICAL.TimezoneService.register(zone);
  const event = new ICAL.Event(calendar.getFirstSubcomponent("vevent"));
  assert.equal(event.startDate.zone.tzid, "Europe/London", "in the location's own time zone");
  assert.equal(event.startDate.toUnixTime() * 1000, Date.parse(booking.start), "the same instant as the booking");
  assert.equal(event.endDate.toUnixTime() * 1000, Date.parse(booking.end));
  assert.equal(event.uid, `${booking.booking_id}@homeslot`);
  assert.match(event.summary, /^Full colour with .+ · Lumière Hair Studio$/);
  assert.match(event.location, /Greek Street/);
  assert.ok(!text.includes(booking.manage_token) && !text.includes("7400"), "no manage link, no phone in a file that gets shared");
  assert.equal(calendar.getFirstSubcomponent("vevent").getFirstPropertyValue("status"), "CONFIRMED");

  // In the widget's language (the link names it), else the owner's, else the browser's.
  const german = new ICAL.Component(ICAL.parse(await (await fetch(`${BASE}/v1/manage/${booking.manage_token}/calendar.ics?language=de`)).text()));
  const inGerman = new ICAL.Event(german.getFirstSubcomponent("vevent"));
  assert.match(inGerman.summary, /^Full colour bei .+ · Lumière Hair Studio$/);
  assert.equal(inGerman.description, "Online gebucht bei Lumière Hair Studio.");
  const browser = await fetch(`${BASE}/v1/manage/${booking.manage_token}/calendar.ics`, { headers: { "accept-language": "tr-TR" } });
  assert.match(await browser.text(), /DESCRIPTION:Lumière Hair Studio üzerinden online alınan randevu\./);
  const refused = await fetch(`${BASE}/v1/manage/${booking.manage_token}/calendar.ics?language=klingon`);
  assert.deepEqual([refused.status, (await refused.json()).error.field], [422, "language"]);

  const google = await fetch(`${BASE}/v1/manage/${booking.manage_token}/google-calendar`, { redirect: "manual" });
  assert.equal(google.status, 302);
  const target = new URL(google.headers.get("location"));
  assert.equal(`${target.origin}${target.pathname}`, "https://calendar.google.com/calendar/render");
  const compact = (iso) => iso.replace(/[-:]/g, "").replace(/\.\d+/, "");
  assert.equal(target.searchParams.get("dates"), `${compact(booking.start)}/${compact(booking.end)}`);
  assert.equal(target.searchParams.get("ctz"), "Europe/London");

  // Cancelled, the same entry says so (a calendar app updates it by its UID).
  assert.equal((await manage(booking.manage_token, "cancel")).status, 200);
  const after = await (await fetch(`${BASE}/v1/manage/${booking.manage_token}/calendar.ics`)).text();
  assert.match(after, /\r\nSTATUS:CANCELLED\r\n/);
  const forged = booking.manage_token.slice(0, -1) + (booking.manage_token.endsWith("0") ? "1" : "0");
  assert.equal((await fetch(`${BASE}/v1/manage/${forged}/calendar.ics`)).status, 404);
});
