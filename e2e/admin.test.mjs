// The admin API: company admin tokens, a company's bookings, export, erasing a client, and
// isolation between companies. Over HTTP against the real objects.
import { test, before } from "node:test";
import assert from "node:assert/strict";

import { COMPANY, LOCATION, TOKEN, api, bookingsUrl, client, dateWithSlots, everyDay, putCompany } from "./helpers.mjs";

const admin = (path, { method = "GET", token, body } = {}) =>
  api(`/v1/admin/companies/${path}`, { method, body, headers: token ? { authorization: `Bearer ${token}` } : {} });
const OTHER = "iso-clinic";
let demoToken;
let otherToken;

before(async () => {
  const hours = everyDay();
  const other = {
    id: OTHER, name: "Isolation Clinic", currency: "EUR",
    locations: [{ id: "main", name: "Main", time_zone: "UTC" }],
    services: [{ id: "visit", name: "Visit", duration_minutes: 60, price_minor: 1000, specialist_ids: ["ana"] }],
    specialists: [{ id: "ana", name: "Ana", location_id: "main", working_hours: hours }],
  };
  await putCompany(other);
  const issued = await admin(`${COMPANY}/tokens`, { method: "POST", token: TOKEN, body: { label: "front desk" } });
  assert.equal(issued.status, 201, issued.text);
  demoToken = issued.body.token;
  otherToken = (await admin(`${OTHER}/tokens`, { method: "POST", token: TOKEN, body: { label: "other" } })).body.token;
});

test("a company admin token is shown once, listed by id and label only, and works for its company", async () => {
  assert.match(demoToken, /^hst_[0-9a-f]{32}$/);
  const list = await admin(`${COMPANY}/tokens`, { token: demoToken });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.body.some((t) => t.label === "front desk"));
  assert.ok(!list.text.includes(demoToken), "never the token itself");
  const demo = (await import("../edge/demo/company.json", { with: { type: "json" } })).default;
  assert.equal((await admin(COMPANY, { method: "PUT", token: demoToken, body: demo })).status, 200, "the company updates its own catalog");
  const issue = await admin(`${COMPANY}/tokens`, { method: "POST", token: demoToken, body: { label: "x" } });
  assert.equal(issue.status, 401, "only the platform issues tokens");
});

test("admins list a date's bookings with the client's details, and export everything", async () => {
  const { date, slots: free } = await dateWithSlots("mens-cut", 19);
  const booked = await api(bookingsUrl, { method: "POST", body: { service_id: "mens-cut", start: free[0].start, client: client(71) } });
  assert.equal(booked.status, 201, booked.text);
  const list = await admin(`${COMPANY}/locations/${LOCATION}/bookings?date=${date}`, { token: demoToken });
  assert.equal(list.status, 200, list.text);
  const row = list.body.bookings.find((b) => b.booking_id === booked.body.booking_id);
  assert.deepEqual([row.client_name, row.client_phone, row.status, row.start_at], ["Test Client 71", "+447400900071", "confirmed", free[0].start]);
  const exported = await admin(`${COMPANY}/export`, { token: demoToken });
  assert.equal(exported.status, 200);
  assert.equal(exported.body.catalog.id, COMPANY);
  assert.ok(exported.body.locations[0].bookings.some((b) => b.booking_id === booked.body.booking_id));
  assert.equal((await admin(`${COMPANY}/locations/${LOCATION}/bookings`, { token: demoToken })).status, 422, "date is required");
});

test("erasing a client removes their name and phone everywhere and keeps the anonymous history", async () => {
  const { date, slots: free } = await dateWithSlots("blow-dry", 20);
  const phone = "+44 7400 900872";
  const booked = await api(bookingsUrl, { method: "POST", body: { service_id: "blow-dry", start: free[0].start, client: { name: "Erin Erased", phone } } });
  assert.equal(booked.status, 201, booked.text);
  const erased = await admin(`${COMPANY}/clients/erase`, { method: "POST", token: demoToken, body: { phone: "+447400900872" } });
  assert.equal(erased.status, 200, erased.text);
  assert.ok(erased.body.erased_bookings >= 1);
  const row = (await admin(`${COMPANY}/locations/${LOCATION}/bookings?date=${date}`, { token: demoToken })).body.bookings
    .find((b) => b.booking_id === booked.body.booking_id);
  assert.deepEqual([row.client_name, row.client_phone, row.service_id, row.status], ["(erased)", "", "blow-dry", "confirmed"]);
  const bad = await admin(`${COMPANY}/clients/erase`, { method: "POST", token: demoToken, body: { phone: "12" } });
  assert.deepEqual([bad.status, bad.body.error.field], [422, "phone"]);
});

test("no company's token opens another company's data, and no route opens without a token", async () => {
  const forged = `hst_${"0".repeat(32)}`;
  const routes = (company) => [
    ["GET", `${company}/tokens`],
    ["GET", `${company}/export`],
    ["GET", `${company}/locations/${company === OTHER ? "main" : LOCATION}/bookings?date=2030-01-07`],
    ["GET", `${company}/locations/${company === OTHER ? "main" : LOCATION}/holds`],
    ["POST", `${company}/clients/erase`, { phone: "+447400900001" }],
    ["PUT", company, { id: company }],
    ["GET", company],
    ["PATCH", company, { name: "Taken over" }],
    ["PUT", `${company}/services/x`, { id: "x" }],
    ["DELETE", `${company}/specialists/ana`],
    ["PUT", `${company}/categories/c`, { id: "c", name: "C" }],
    ["DELETE", `${company}/locations/main`],
    ["POST", `${company}/tokens`, { label: "sneaky" }],
    ["DELETE", `${company}/tokens/abc`],
  ];
  for (const [company, token] of [[COMPANY, otherToken], [OTHER, demoToken], [COMPANY, forged], [COMPANY, undefined], [OTHER, undefined]]) {
    for (const [method, path, body] of routes(company)) {
      const answer = await admin(path, { method, token, body });
      assert.equal(answer.status, 401, `${method} ${path} with ${token ? token.slice(0, 8) : "no token"}`);
      assert.equal(answer.body.error.code, "unauthorized");
    }
  }
});

test("a revoked token stops working at once", async () => {
  const issued = (await admin(`${OTHER}/tokens`, { method: "POST", token: TOKEN, body: { label: "temp" } })).body;
  assert.equal((await admin(`${OTHER}/export`, { token: issued.token })).status, 200);
  const revoked = await admin(`${OTHER}/tokens/${issued.token_id}`, { method: "DELETE", token: otherToken });
  assert.equal(revoked.status, 200, revoked.text);
  assert.equal((await admin(`${OTHER}/export`, { token: issued.token })).status, 401);
  assert.equal((await admin(`${OTHER}/tokens/${issued.token_id}`, { method: "DELETE", token: otherToken })).status, 404);
});

test("one client is one identity across the chain: matched by phone, then by e-mail", async () => {
  const chain = "chain-clinic";
  const hours = everyDay();
  await putCompany({
      id: chain, name: "Chain Clinic", currency: "EUR",
      locations: ["north", "south"].map((id) => ({ id, name: id, time_zone: "UTC", policy: { slot_step_minutes: 60, minimum_notice_minutes: 0, horizon_days: 30 } })),
      services: [{ id: "visit", name: "Visit", duration_minutes: 60, price_minor: 1000, specialist_ids: ["nora", "sam"] }],
      specialists: [
        { id: "nora", name: "Nora", location_id: "north", working_hours: hours },
        { id: "sam", name: "Sam", location_id: "south", working_hours: hours },
      ],
    });
  const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const book = (location, hour, client) => api(`/v1/companies/${chain}/locations/${location}/bookings`, {
    method: "POST", body: { service_id: "visit", start: `${day}T${hour}:00:00Z`, client },
  });
  assert.equal((await book("north", "10", { name: "Ana Lima", phone: "+44 7400 900901" })).status, 201);
  assert.equal((await book("south", "12", { name: "Ana Lima", phone: "+447400900901", email: "Ana@Example.com" })).status, 201);
  // A new phone, but the e-mail she gave before: still Ana.
  assert.equal((await book("north", "14", { name: "Ana Lima", phone: "+44 7400 900902", email: "ana@example.com" })).status, 201);
  assert.equal((await book("south", "15", { name: "Bo Other", phone: "+44 7400 900903" })).status, 201);
  const badEmail = await book("south", "16", { name: "Cy", phone: "+44 7400 900904", email: "not-an-email" });
  assert.deepEqual([badEmail.status, badEmail.body.error.field], [422, "client.email"]);

  const exported = (await admin(`${chain}/export`, { token: TOKEN })).body;
  assert.equal(exported.clients.length, 2, JSON.stringify(exported.clients));
  const ana = exported.clients.find((c) => c.email === "ana@example.com");
  assert.equal(ana.phone, "+447400900902", "her latest phone");
  const idsOf = (location) => exported.locations.find((l) => l.location_id === location).bookings.map((b) => b.client_id);
  assert.deepEqual([...new Set([...idsOf("north"), ...idsOf("south")])].length, 2, "four bookings, two people");

  const erased = await admin(`${chain}/clients/erase`, { method: "POST", token: TOKEN, body: { phone: "+44 7400 900902" } });
  assert.equal(erased.body.erased_clients, 1);
  const after = (await admin(`${chain}/export`, { token: TOKEN })).body.clients.find((c) => c.id === ana.id);
  assert.deepEqual([after.name, after.phone, after.email], ["(erased)", null, null], "the id stays, anonymous");
});
