// One person, one client, over HTTP: phones are read against real numbering plans (national
// numbers in the owner's phone_country), stored in E.164, and refused when they cannot exist; and
// the rewrite of phones stored by the old shape-only rules (written here by the test build's
// legacy-phone fault, as a deploy of this version finds them) merges the clients that turn out to
// be one person, with their bookings and memberships.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, everyDay, putCompany, TOKEN } from "./helpers.mjs";

const run = String(Date.now() % 100000).padStart(5, "0");
const COMPANY = `phones-e2e-${run}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const bookings = `/v1/companies/${COMPANY}/locations/shibuya/bookings`;
// Numbers of this run: 090-1NNN-0001 and on.
const mobile = (n) => `1${run.slice(0, 3)}${String(n).padStart(4, "0")}`;

before(async () => {
  await putCompany({
    id: COMPANY, name: "Tokyo Cuts", currency: "JPY", site_origins: [],
    widget: { phone_country: "JP" },
    locations: [{ id: "shibuya", name: "Shibuya", address: "1 Dogenzaka", time_zone: "Asia/Tokyo",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 5000, specialist_ids: ["aoi"] }],
    specialists: [{ id: "aoi", name: "Aoi", location_id: "shibuya", working_hours: everyDay("06:00", "23:00") }],
  });
});

let slot = 0;
const book = (phone, headers = {}, extra = {}) => {
  // Every 30 minutes from 10:00 in Tokyo (01:00 UTC), three days on.
  const minutes = 60 + 30 * slot++;
  const start = `${addDays(today, 3)}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00Z`;
  return api(bookings, { method: "POST", headers, body: { service_id: "cut", start, client: { name: "Yui Sato", phone }, ...extra } });
};
const exported = async () => (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body;

test("one number typed four ways is one client, in E.164", async () => {
  const n = mobile(1);
  const typed = [`+81 90 ${n.slice(0, 4)} ${n.slice(4)}`, `+81 090 ${n.slice(0, 4)} ${n.slice(4)}`,
    `090-${n.slice(0, 4)}-${n.slice(4)}`, `0081 90${n}`];
  for (const phone of typed) {
    const booked = await book(phone);
    assert.equal(booked.status, 201, `${phone}: ${booked.text}`);
  }
  const data = await exported();
  const mine = data.clients.filter((c) => c.phone?.endsWith(n));
  assert.deepEqual(mine.map((c) => c.phone), [`+8190${n}`], "one client, its number in E.164");
  const rows = data.locations[0].bookings.filter((b) => b.client_phone.endsWith(n));
  assert.equal(rows.length, 4);
  assert.ok(rows.every((b) => b.client_id === mine[0].id && b.client_phone === `+8190${n}`));
});

test("a number that cannot exist is invalid_phone, and nothing is written", async () => {
  const before = await exported();
  for (const phone of ["+81 090 1234", "+81 90 1234 56789", "+44 7700 900123", "+999 1234 5678", "12345", "+81 90 1234 5678 x"]) {
    const refused = await book(phone);
    assert.equal(refused.status, 422, `${phone}: ${refused.text}`);
    assert.deepEqual([refused.body.error.code, refused.body.error.field], ["invalid_phone", "client.phone"], phone);
  }
  const after = await exported();
  assert.equal(after.clients.length, before.clients.length);
  assert.equal(after.locations[0].bookings.length, before.locations[0].bookings.length);
});

test("phones stored by the old rules are rewritten, and the clients they made twice are merged with their bookings and memberships", async () => {
  const legacy = { "Homeslot-Fault": "legacy-phone" };
  const n = mobile(2);
  const m = mobile(3);
  // What an older version stored: the trunk zero kept after the country code, so two clients.
  const first = await book(`+81 090 ${n}`, legacy);
  const second = await book(`+81 90 ${n}`, legacy);
  assert.deepEqual([first.status, second.status], [201, 201], first.text + second.text);
  const imported = await api(`/v1/admin/companies/${COMPANY}/memberships/import`, { method: "POST",
    headers: { ...admin, ...legacy }, body: [{ number: `Y-${run}`, name: "5 cuts", phone: `+81 090 ${m}`, status: "active", visits_left: 5 }] });
  assert.equal(imported.status, 200, imported.text);
  let data = await exported();
  assert.deepEqual(data.clients.filter((c) => c.phone?.endsWith(n)).map((c) => c.phone).sort(), [`+81090${n}`, `+8190${n}`],
    "two clients for one person, as the old rules stored them");

  // The company object's alarm rewrites them (15 s after, on the test stack); waiting for it
  // repeats no request.
  for (let waited = 0; waited < 90; waited++) {
    data = await exported();
    const merged = data.clients.filter((c) => c.phone?.endsWith(n)).length === 1;
    const carried = data.locations[0].bookings.filter((b) => b.client_phone === `+81090${n}`).length === 0;
    if (merged && carried) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const mine = data.clients.filter((c) => c.phone?.endsWith(n));
  assert.deepEqual(mine.map((c) => c.phone), [`+8190${n}`], "one client, in E.164");
  const rows = data.locations[0].bookings.filter((b) => [first.body.booking_id, second.body.booking_id].includes(b.booking_id));
  assert.deepEqual(rows.map((b) => [b.client_id, b.client_phone]), [[mine[0].id, `+8190${n}`], [mine[0].id, `+8190${n}`]],
    "both bookings name the one client, by its number in E.164");
  const membership = (await api(`/v1/admin/companies/${COMPANY}/memberships/Y-${run}`, { headers: admin })).body;
  assert.equal(membership.phone, `+8190${m}`, "the membership's holder in E.164");
  // The holder books with it however they type their number.
  const paid = await book(`090 ${m}`, {}, { membership: { number: `Y-${run}` } });
  assert.equal(paid.status, 201, paid.text);
  assert.equal(paid.body.membership.visits_left, 4);
  // And the merged client is known again by either form.
  const again = await book(`+81 090 ${n}`);
  assert.equal(again.status, 201, again.text);
  const last = (await exported()).locations[0].bookings.find((b) => b.booking_id === again.body.booking_id);
  assert.equal(last.client_id, mine[0].id);
});
