// Webhooks on the real stack: endpoints registered through the admin API, a real HTTP receiver on
// loopback, and every delivery verified with the Standard Webhooks reference library (npm
// `standardwebhooks`). The suite's stack tries failed deliveries again after 1 s
// (WEBHOOK_RETRY_SECONDS) and turns an endpoint off after 8 s of failing
// (WEBHOOK_DISABLE_AFTER_SECONDS) instead of Standard Webhooks' three days and a day.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { TOKEN, addDays, api, everyDay, putCompany, waitFor } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `hooks-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const phone = (n) => `+44 7400 3${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const hooks = `/v1/admin/companies/${COMPANY}/webhooks`;

/** What the receiver got, per path: each request's headers and body, and what it answered. */
const received = new Map();
/** How the receiver answers, per path: a list of statuses to answer in turn (the last repeats). */
const answers = new Map();
let receiver;
let origin;

before(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      const path = req.url;
      const got = received.get(path) ?? [];
      const plan = answers.get(path) ?? [200];
      const status = plan[Math.min(got.length, plan.length - 1)];
      got.push({ headers: req.headers, body, status, at: Date.now() });
      received.set(path, got);
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status === 200 ? "thanks" : `no: ${status}`);
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${receiver.address().port}`;
  await putCompany({
    id: COMPANY, name: "Hook Salon", currency: "JPY", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "Asia/Tokyo",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 5000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
});

after(() => { receiver.closeAllConnections(); receiver.close(); });

async function endpoint(path, events, extra = {}) {
  const made = await api(hooks, { method: "POST", headers: admin, body: { url: `${origin}${path}`, events, ...extra } });
  assert.equal(made.status, 201, made.text);
  return made.body;
}

/** Verifies a request as a receiver would, with the reference library; answers the payload. */
function verified(request, secret) {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": request.headers["webhook-id"],
    "webhook-timestamp": request.headers["webhook-timestamp"],
    "webhook-signature": request.headers["webhook-signature"],
  });
}

async function book(n, start) {
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, {
    method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start, client: { name: `Client ${n}`, phone: phone(n), email: `c${n}-${RUN}@client.example` } },
  });
  assert.equal(booked.status, 201, booked.text);
  return booked.body;
}

test("endpoints: checked, the secret shown once, refused to private addresses; bad input changes nothing", async () => {
  assert.equal((await api(hooks)).status, 401);
  for (const [body, field] of [
    [{ url: "http://10.0.0.8/hook", events: ["booking.created"] }, "url"],
    [{ url: "https://169.254.169.254/latest", events: ["booking.created"] }, "url"],
    [{ url: `${origin}/x`, events: [] }, "events"],
  ]) {
    const refused = await api(hooks, { method: "POST", headers: admin, body });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.code, "validation_failed");
    assert.equal(refused.body.error.field, field);
  }
  const unknown = await api(hooks, { method: "POST", headers: admin, body: { url: `${origin}/x`, events: ["booking.eaten"] } });
  assert.equal(unknown.status, 400, unknown.text);
  assert.equal(unknown.body.error.code, "invalid_json");
  assert.deepEqual((await api(hooks, { headers: admin })).body, { endpoints: [] });

  const made = await endpoint("/first", ["booking.created"], { description: "the CRM" });
  assert.match(made.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(made.enabled, true);
  const listed = await api(hooks, { headers: admin });
  assert.equal(listed.body.endpoints.length, 1);
  assert.ok(!listed.text.includes(made.secret), "never shown again");
  const one = await api(`${hooks}/${made.endpoint_id}`, { headers: admin });
  assert.equal(one.body.description, "the CRM");
  assert.ok(!one.text.includes("whsec_"));
  assert.equal((await api(`${hooks}/ep_nothing`, { headers: admin })).status, 404);
  assert.equal((await api(`${hooks}/${made.endpoint_id}`, { method: "DELETE", headers: admin })).status, 204);
  assert.equal((await api(`${hooks}/${made.endpoint_id}`, { method: "DELETE", headers: admin })).status, 404);
});

test("a booking, its move and its cancellation reach the endpoint signed, each verified by the reference library; the log keeps every attempt", { timeout: 60_000 }, async () => {
  const made = await endpoint("/crm", ["booking.created", "booking.rescheduled", "booking.cancelled"]);
  const booked = await book(1, `${day}T01:00:00Z`);
  const [created] = await waitFor("booking.created", () => received.get("/crm"));
  const payload = verified(created, made.secret);
  assert.equal(payload.type, "booking.created");
  assert.equal(created.headers["content-type"], "application/json");
  assert.match(created.headers["webhook-id"], /^msg_/);
  assert.ok(Math.abs(Number(created.headers["webhook-timestamp"]) - Date.now() / 1000) < 30);
  assert.equal(payload.data.booking_id, booked.booking_id);
  assert.equal(payload.data.location_id, "main");
  assert.equal(payload.data.start_at, `${day}T01:00:00Z`);
  assert.equal(payload.data.status, "confirmed");
  assert.deepEqual(payload.data.price, { amount_minor: 5000, currency: "JPY", exponent: 0 });
  assert.equal(payload.data.client.name, "Client 1");
  assert.equal(payload.data.client.email, `c1-${RUN}@client.example`);
  // A tampered body does not verify.
  assert.throws(() => verified({ ...created, body: created.body.replace("Client 1", "Client 2") }, made.secret));

  const moved = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${booked.booking_id}/move`, {
    method: "POST", headers: admin, body: { start: `${day}T02:00:00Z` } });
  assert.equal(moved.status, 200, moved.text);
  const rescheduled = await waitFor("booking.rescheduled", () => received.get("/crm")?.[1]);
  const movedPayload = verified(rescheduled, made.secret);
  assert.equal(movedPayload.type, "booking.rescheduled");
  assert.equal(movedPayload.data.start_at, `${day}T02:00:00Z`);
  assert.equal(movedPayload.data.previous.start_at, `${day}T01:00:00Z`);

  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${booked.booking_id}/cancel`, {
    method: "POST", headers: admin, body: { reason: "Kim is ill" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  const gone = verified(await waitFor("booking.cancelled", () => received.get("/crm")?.[2]), made.secret);
  assert.equal(gone.type, "booking.cancelled");
  assert.equal(gone.data.cancelled_by, "business");
  assert.equal(gone.data.cancel_reason, "Kim is ill");
  assert.equal(gone.data.status, "cancelled");

  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(received.get("/crm").length, 3, "each event once");
  const ids = new Set(received.get("/crm").map((r) => r.headers["webhook-id"]));
  assert.equal(ids.size, 3);
  const log = await api(`${hooks}/${made.endpoint_id}/deliveries`, { headers: admin });
  assert.equal(log.status, 200, log.text);
  assert.deepEqual(log.body.deliveries.map((d) => [d.event_type, d.state]),
    [["booking.cancelled", "delivered"], ["booking.rescheduled", "delivered"], ["booking.created", "delivered"]]);
  const attempt = log.body.deliveries[2].attempts[0];
  assert.equal(attempt.status, 200);
  assert.equal(attempt.trigger, "event");
  assert.equal(attempt.response, "thanks");
  assert.ok(attempt.latency_ms >= 0 && attempt.latency_ms < 5000);
});

test("a receiver that fails three times then answers 200 gets the event once more with the same webhook-id", { timeout: 60_000 }, async () => {
  answers.set("/flaky", [500, 503, 502, 200]);
  const made = await endpoint("/flaky", ["booking.created"]);
  await book(2, `${day}T03:00:00Z`);
  const tries = await waitFor("four attempts", () => received.get("/flaky")?.length === 4 && received.get("/flaky"), 30_000);
  assert.equal(new Set(tries.map((t) => t.headers["webhook-id"])).size, 1, "one webhook-id");
  for (const t of tries) assert.equal(verified(t, made.secret).type, "booking.created");
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(received.get("/flaky").length, 4, "nothing after the 200");
  const log = await api(`${hooks}/${made.endpoint_id}/deliveries`, { headers: admin });
  const [delivery] = log.body.deliveries;
  assert.equal(delivery.state, "delivered");
  assert.deepEqual(delivery.attempts.map((a) => [a.trigger, a.status]), [["event", 500], ["retry", 503], ["retry", 502], ["retry", 200]]);
  assert.equal(delivery.attempts[0].response, "no: 500");
  const now = await api(`${hooks}/${made.endpoint_id}`, { headers: admin });
  assert.equal(now.body.failing_since, null, "a success ends the failing");
});

test("410 Gone turns the endpoint off; it gets nothing more until turned on again", { timeout: 60_000 }, async () => {
  answers.set("/gone", [410]);
  const made = await endpoint("/gone", ["booking.created"]);
  await book(3, `${day}T04:00:00Z`);
  await waitFor("the 410", () => received.get("/gone"));
  const off = await waitFor("the endpoint off", async () => {
    const now = await api(`${hooks}/${made.endpoint_id}`, { headers: admin });
    return !now.body.enabled && now.body;
  });
  assert.match(off.disabled_reason, /410 Gone/);
  await book(4, `${day}T05:00:00Z`);
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(received.get("/gone").length, 1, "nothing to a turned-off endpoint");
  const trail = await api(`/v1/admin/companies/${COMPANY}/audit`, { headers: admin });
  assert.ok(trail.body.entries.some((e) => e.action === "webhook_disabled" && e.subject === `webhook ${made.endpoint_id}`));
  const refused = await api(`${hooks}/${made.endpoint_id}/test`, { method: "POST", headers: admin });
  assert.deepEqual([refused.status, refused.body.error.code], [409, "not_changeable"], refused.text);
  answers.set("/gone", [200]);
  const on = await api(`${hooks}/${made.endpoint_id}`, { method: "PATCH", headers: admin, body: { enabled: true } });
  assert.equal(on.status, 200, on.text);
  assert.equal(on.body.enabled, true);
  assert.equal(on.body.disabled_reason, null);
});

test("an endpoint that keeps failing is turned off after the failing period", { timeout: 60_000 }, async () => {
  answers.set("/down", [503]);
  const made = await endpoint("/down", ["booking.created"]);
  await book(5, `${day}T06:00:00Z`);
  const off = await waitFor("the endpoint off", async () => {
    const now = await api(`${hooks}/${made.endpoint_id}`, { headers: admin });
    return !now.body.enabled && now.body;
  }, 40_000);
  assert.match(off.disabled_reason, /every attempt failed since/);
  const tries = received.get("/down").length;
  assert.ok(tries >= 3, `tried ${tries} times`);
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(received.get("/down").length, tries, "nothing after it was turned off");
});

test("replay sends one message again, or a time range, with the same webhook-id; the test event reaches one endpoint", { timeout: 60_000 }, async () => {
  const since = new Date(Date.now() - 1000).toISOString().replace(/\.\d+Z$/, "Z");
  const made = await endpoint("/replay", ["booking.created", "booking.cancelled"]);
  await book(6, `${day}T07:00:00Z`);
  const [first] = await waitFor("the message", () => received.get("/replay"));
  const messageId = first.headers["webhook-id"];

  const one = await api(`${hooks}/${made.endpoint_id}/replay`, { method: "POST", headers: admin, body: { message_id: messageId } });
  assert.equal(one.status, 202, one.text);
  assert.equal(one.body.replayed, 1);
  const again = await waitFor("the replay", () => received.get("/replay")?.[1]);
  assert.equal(again.headers["webhook-id"], messageId);
  assert.equal(again.body, first.body, "the same message");
  assert.equal(verified(again, made.secret).type, "booking.created");

  const range = await api(`${hooks}/${made.endpoint_id}/replay`, { method: "POST", headers: admin, body: { since } });
  assert.equal(range.status, 202, range.text);
  assert.equal(range.body.replayed, 1, "the range holds the one booking.created since");
  await waitFor("the range replay", () => received.get("/replay")?.[2]);

  const unknown = await api(`${hooks}/${made.endpoint_id}/replay`, { method: "POST", headers: admin, body: { message_id: "msg_none" } });
  assert.equal(unknown.status, 404, unknown.text);
  const neither = await api(`${hooks}/${made.endpoint_id}/replay`, { method: "POST", headers: admin, body: {} });
  assert.equal(neither.status, 422, neither.text);

  const tested = await api(`${hooks}/${made.endpoint_id}/test`, { method: "POST", headers: admin });
  assert.equal(tested.status, 202, tested.text);
  const ping = await waitFor("the test event", () => received.get("/replay")?.[3]);
  const payload = verified(ping, made.secret);
  assert.equal(payload.type, "webhook.test");
  assert.equal(payload.data.endpoint_id, made.endpoint_id);
  const log = await api(`${hooks}/${made.endpoint_id}/deliveries`, { headers: admin });
  const replayed = log.body.deliveries.find((d) => d.message_id === messageId);
  assert.deepEqual(replayed.attempts.map((a) => a.trigger), ["event", "replay", "replay"]);
});

test("a rotated secret: the new one signs at once and the old one still does for a day", { timeout: 60_000 }, async () => {
  const made = await endpoint("/rotate", ["booking.created"]);
  const rotated = await api(`${hooks}/${made.endpoint_id}/secret`, { method: "POST", headers: admin });
  assert.equal(rotated.status, 200, rotated.text);
  assert.notEqual(rotated.body.secret, made.secret);
  assert.ok(rotated.body.previous_secret_until);
  await book(7, `${day}T08:00:00Z`);
  const [delivery] = await waitFor("the message", () => received.get("/rotate"));
  assert.equal(delivery.headers["webhook-signature"].split(" ").length, 2);
  assert.equal(verified(delivery, rotated.body.secret).type, "booking.created");
  assert.equal(verified(delivery, made.secret).type, "booking.created");
});

test("erasing a client: the endpoint hears client.erased by id only, and the bodies kept about them go", { timeout: 60_000 }, async () => {
  const made = await endpoint("/privacy", ["booking.created", "client.erased"]);
  const booked = await book(8, `${day}T09:00:00Z`);
  const [created] = await waitFor("booking.created", () => received.get("/privacy"));
  const clientId = verified(created, made.secret).data.client.client_id;
  assert.ok(clientId);
  const erased = await api(`/v1/admin/companies/${COMPANY}/clients/erase`, { method: "POST", headers: admin, body: { phone: phone(8) } });
  assert.equal(erased.status, 200, erased.text);
  const told = verified(await waitFor("client.erased", () => received.get("/privacy")?.[1]), made.secret);
  assert.equal(told.type, "client.erased");
  assert.deepEqual(told.data, { client_id: clientId });
  // The booking's message is not sent again: its body is gone.
  const replay = await api(`${hooks}/${made.endpoint_id}/replay`, { method: "POST", headers: admin, body: { message_id: created.headers["webhook-id"] } });
  assert.equal(replay.status, 404, replay.text);
  // The receiver's answer kept in the log about them is gone too.
  const log = await api(`${hooks}/${made.endpoint_id}/deliveries`, { headers: admin });
  const theirs = log.body.deliveries.find((d) => d.message_id === created.headers["webhook-id"]);
  assert.deepEqual(theirs.attempts.map((a) => [a.status, a.response]), [[200, ""]], booked.booking_id);
});

test("a membership that pays for a booking is debited, and refunded when the booking is cancelled; both reach the endpoint", { timeout: 60_000 }, async () => {
  const made = await endpoint("/memberships", ["membership.debited", "membership.refunded"]);
  const csv = ["number,name,phone,status,visits_left,balance_minor,valid_from,valid_until,category_ids,service_ids",
    `M-${RUN},Gift card,${phone(9)},active,,20000,,,,`].join("\n");
  const imported = await api(`/v1/admin/companies/${COMPANY}/memberships/import`, {
    method: "POST", headers: { ...admin, "content-type": "text/csv" }, body: csv });
  assert.equal(imported.status, 200, imported.text);
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, {
    method: "POST", body: { service_id: "cut", specialist_id: "kim", start: `${day}T10:00:00Z`,
      client: { name: "Member", phone: phone(9) }, membership: { number: `M-${RUN}` } } });
  assert.equal(booked.status, 201, booked.text);
  const debited = verified(await waitFor("membership.debited", () => received.get("/memberships")?.[0]), made.secret);
  assert.equal(debited.type, "membership.debited");
  assert.equal(debited.data.number, `M-${RUN}`);
  assert.equal(debited.data.location_id, "main");
  assert.deepEqual(debited.data.amount, { amount_minor: 5000, currency: "JPY", exponent: 0 });
  assert.deepEqual(debited.data.balance, { amount_minor: 15000, currency: "JPY", exponent: 0 });
  assert.equal(debited.data.phone, undefined, "no client details");

  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${booked.body.booking_id}/cancel`, {
    method: "POST", headers: admin, body: { reason: "closed" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  const refunded = verified(await waitFor("membership.refunded", () => received.get("/memberships")?.[1]), made.secret);
  assert.equal(refunded.type, "membership.refunded");
  assert.deepEqual(refunded.data.amount, { amount_minor: 5000, currency: "JPY", exponent: 0 });
  assert.deepEqual(refunded.data.balance, { amount_minor: 20000, currency: "JPY", exponent: 0 });
});
