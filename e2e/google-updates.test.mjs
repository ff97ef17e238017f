// Reserve with Google's real-time updates on the real stack, received by a loopback stand-in for
// Google's Maps Booking API (scripts/test points GOOGLE_API_URL and the service account's token
// endpoint at it): the edge's JWT is checked with the service account's public key (RS256) before
// a token is given, and every update must carry that token. A day whose free slots changed comes
// as an availability replace holding exactly the slots the widget then offers; a booking made
// through Google and cancelled or moved at the front desk comes as a booking notification with its
// update mask, and a change Google made itself does not; an update Google failed to take is sent
// again on the queue's schedule and taken once. Every message is checked against the JSON Schemas
// of Google's REST messages (e2e/google-feeds/schemas.json).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { conforms } from "./google-feeds/schemas.mjs";
import { BASE, TOKEN, addDays, api, everyDay, putCompany, waitFor } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `gupd-${RUN}`;
const MERCHANT = `${COMPANY}.main`;
const PARTNER = "homeslot-local";
const admin = { authorization: `Bearer ${TOKEN}` };
const PORT = Number(process.env.HOMESLOT_GOOGLE_PORT || 8797);
const KEY = JSON.parse(readFileSync(process.env.HOMESLOT_GOOGLE_KEY || "/tmp/devstate/google-service-account.json", "utf8"));
const PASSWORD = process.env.HOMESLOT_RESERVE_PASSWORD || "reserve-dev-password";
const basic = `Basic ${Buffer.from(`google:${PASSWORD}`).toString("base64")}`;
const today = new Date().toISOString().slice(0, 10);
const seconds = (instant) => String(Date.parse(instant) / 1000);


// The stand-in for Google: the token endpoint and the two update methods.
const tokens = new Set();
const received = [];
let failing = () => false;
let server;

function checkAssertion(jwt) {
  const [header, claims, signature] = jwt.split(".");
  const ok = verify("RSA-SHA256", Buffer.from(`${header}.${claims}`), createPublicKey(KEY.private_key), Buffer.from(signature, "base64url"));
  const body = JSON.parse(Buffer.from(claims, "base64url"));
  const now = Date.now() / 1000;
  return ok && JSON.parse(Buffer.from(header, "base64url")).alg === "RS256" && body.iss === KEY.client_email
    && body.aud === KEY.token_uri && body.scope === "https://www.googleapis.com/auth/mapsbooking" && body.iat <= now + 5 && body.exp > now;
}

before(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => { text += chunk; });
    req.on("end", () => {
      const url = new URL(req.url, "http://google.local");
      if (url.pathname === "/token") {
        const form = new URLSearchParams(text);
        const good = form.get("grant_type") === "urn:ietf:params:oauth:grant-type:jwt-bearer" && checkAssertion(form.get("assertion") ?? "..");
        const token = `ya29.${RUN}-${tokens.size}`;
        if (good) tokens.add(token);
        res.writeHead(good ? 200 : 401, { "content-type": "application/json" });
        return res.end(JSON.stringify(good ? { access_token: token, expires_in: 3600, token_type: "Bearer" } : { error: "invalid_grant" }));
      }
      const request = { method: req.method, path: url.pathname, mask: url.searchParams.get("updateMask"),
        authorized: tokens.has((req.headers.authorization ?? "").replace(/^Bearer /, "")), body: text ? JSON.parse(text) : null };
      const refuse = request.authorized && failing(request);
      request.status = !request.authorized ? 401 : refuse ? 503 : 200;
      received.push(request);
      res.writeHead(request.status, { "content-type": "application/json" });
      res.end(request.status === 200 ? JSON.stringify(request.body ?? {}) : JSON.stringify({ error: { code: request.status } }));
    });
  });
  await new Promise((resolve) => server.listen(PORT, "127.0.0.1", resolve));
  await putCompany({
    id: COMPANY, name: "Realtime Salon", currency: "GBP", site_origins: [], business_category: "hair_salon",
    locations: [{ id: "main", name: "Main", address: "1 High Street", city: "London", postal_code: "N1 1AA", country: "GB",
      time_zone: "Europe/London", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 0 } }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
        class: { capacity: 2, waitlist_capacity: 0, sessions: [{ location_id: "main", weekday: "sun", start: "18:00", specialist_id: "kim" }] } },
    ],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") }],
  });
});
after(() => { server?.closeAllConnections(); server?.close(); });

/** The updates received for this business. */
const ours = () => received.filter((r) => r.status === 200 && (JSON.stringify(r.body ?? {}).includes(MERCHANT)));
const dayStart = (date) => {
  // The location is in London: its day starts at local midnight.
  const utc = new Date(`${date}T00:00:00Z`);
  const offset = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "shortOffset" })
    .formatToParts(utc).find((p) => p.type === "timeZoneName").value; // "GMT" or "GMT+1"
  const hours = Number(offset.replace("GMT", "") || 0);
  return new Date(utc.getTime() - hours * 3_600_000).toISOString().replace(".000Z", "Z");
};
const replaces = (date) => ours().filter((r) => r.path.endsWith("/availability:replace")
  && r.body.extendedServiceAvailability[0].startTimeRestrict === dayStart(date));
const notifications = (googleId) => received.filter((r) => r.path === `/v1alpha/notification/partners/${PARTNER}/bookings/${googleId}`);

async function widgetSlots(date) {
  return (await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${date}`)).body.slots.map((s) => s.start);
}

/** Waits for an availability replace of `date` that lists exactly the widget's times now. */
async function replaceMatching(date) {
  const widget = (await widgetSlots(date)).map((s) => new Date(s).toISOString().replace(".000Z", "Z"));
  return waitFor(`Google's availability of ${date} as the widget offers it`, () => replaces(date).find((r) => {
    const cut = r.body.extendedServiceAvailability.find((s) => s.serviceId === "cut");
    return JSON.stringify(cut.availability.map((a) => a.startTime)) === JSON.stringify(widget);
  }), 30_000);
}

async function googleBooking(date, n) {
  const start = (await widgetSlots(date))[n];
  const made = await fetch(`${BASE}/reserve/v3/CreateBooking`, { method: "POST", headers: { authorization: basic, "content-type": "application/json" },
    body: JSON.stringify({ slot: { merchant_id: MERCHANT, service_id: "cut", start_sec: seconds(start), duration_sec: "1800" },
      user_information: { user_id: `rt-${RUN}-${n}`, given_name: "Rita", family_name: "Time", telephone: `+4474005${String(n).padStart(2, "0")}${RUN.slice(0, 3)}` },
      idempotency_token: `rt-${RUN}-${date}-${n}` }) });
  const body = await made.json();
  assert.ok(body.booking, JSON.stringify(body));
  return body.booking;
}

test("a booking in the widget: Google gets the day's availability, exactly the times the widget then offers, with its token", { timeout: 60_000 }, async () => {
  const date = addDays(today, 2);
  const [first] = await widgetSlots(date);
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: first, client: { name: "Wendy Widget", phone: `+4474004${RUN.slice(0, 5)}` } } });
  assert.equal(booked.status, 201, booked.text);
  const update = await replaceMatching(date);
  conforms("ReplaceAvailability", update.body);
  assert.ok(update.authorized, "sent with the token the service account's signed JWT was given");
  const [cut, yoga] = update.body.extendedServiceAvailability;
  assert.deepEqual([cut.merchantId, cut.serviceId, yoga.serviceId], [MERCHANT, "cut", "yoga"], "every service of the merchant, each replaced");
  assert.equal(cut.endTimeRestrict, dayStart(addDays(date, 1)));
  assert.ok(!cut.availability.some((a) => a.startTime === new Date(first).toISOString().replace(".000Z", "Z")), "the booked time is gone");
  assert.deepEqual(cut.availability[0].resources, { staffId: "kim", staffName: "Kim" });
  assert.equal(cut.availability[0].duration, "1800s");
  assert.ok(received.every((r) => r.authorized), "nothing reached Google without a token");
});

test("Google's booking cancelled at the front desk: a booking notification of its status, and the freed time back", { timeout: 60_000 }, async () => {
  const date = addDays(today, 3);
  const booking = await googleBooking(date, 1);
  const [, , own] = booking.booking_id.split(".");
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${own}/cancel`, {
    method: "POST", headers: admin, body: { reason: "Kim is ill" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  const told = await waitFor("the booking notification", () => notifications(booking.booking_id).find((r) => r.status === 200), 30_000);
  conforms("BookingResource", told.body);
  assert.equal(told.method, "PATCH");
  assert.equal(told.mask, "status");
  assert.deepEqual([told.body.name, told.body.merchantId, told.body.serviceId, told.body.status],
    [`partners/${PARTNER}/bookings/${booking.booking_id}`, MERCHANT, "cut", "CANCELED"]);
  assert.equal(told.body.startTime, new Date(Number(booking.slot.start_sec) * 1000).toISOString().replace(".000Z", "Z"));
  await replaceMatching(date);
});

test("moved at the front desk: a notification of its new start; a change Google made itself is not told back", { timeout: 60_000 }, async () => {
  const date = addDays(today, 4);
  const booking = await googleBooking(date, 0);
  const [, , own] = booking.booking_id.split(".");
  const later = (await widgetSlots(date))[4];
  const moved = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${own}/move`, {
    method: "POST", headers: admin, body: { start: later, specialist_id: "kim" } });
  assert.equal(moved.status, 200, moved.text);
  const told = await waitFor("the move's notification", () => notifications(booking.booking_id).find((r) => r.status === 200), 30_000);
  conforms("BookingResource", told.body);
  assert.equal(told.mask, "startTime,duration");
  assert.deepEqual([told.body.startTime, told.body.duration, told.body.status],
    [new Date(later).toISOString().replace(".000Z", "Z"), "1800s", "CONFIRMED"]);

  // Cancelled through Google's own UpdateBooking: its availability changes, Google knows the rest.
  const mine = await googleBooking(addDays(today, 5), 2);
  const update = await fetch(`${BASE}/reserve/v3/UpdateBooking`, { method: "POST", headers: { authorization: basic, "content-type": "application/json" },
    body: JSON.stringify({ update_mask: "status", booking: { booking_id: mine.booking_id, status: "CANCELED" } }) });
  assert.equal((await update.json()).booking?.status, "CANCELED");
  await replaceMatching(addDays(today, 5));
  // Both would leave in the same batch: once the availability came, no notification is on its way.
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(notifications(mine.booking_id), []);
});

test("an update Google failed to take is sent again on the queue's schedule, and taken once", { timeout: 60_000 }, async () => {
  const date = addDays(today, 6);
  const booking = await googleBooking(date, 3);
  const [, , own] = booking.booking_id.split(".");
  let refused = 0;
  failing = (r) => r.path.endsWith(booking.booking_id) && refused++ === 0;
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${own}/cancel`, {
    method: "POST", headers: admin, body: { reason: "Closed" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  await waitFor("the notification, taken", () => notifications(booking.booking_id).find((r) => r.status === 200), 30_000);
  await new Promise((r) => setTimeout(r, 2000));
  assert.deepEqual(notifications(booking.booking_id).map((r) => r.status), [503, 200], "refused once, then taken once");
  failing = () => false;
});
