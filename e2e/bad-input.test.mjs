// Bad input across the public API, as a matrix: malformed and oversized bodies, wrong types,
// unknown ids, impossible times and bad query parameters on every endpoint that takes them. Each
// answer is a 4xx with a JSON error code, never a 5xx, and nothing is written: the export (every
// booking and seat of the company) is the same before and after.
import { test } from "node:test";
import assert from "node:assert/strict";

import { COMPANY, LOCATION, TOKEN, api, client, dateWithSlots } from "./helpers.mjs";

const base = `/v1/companies/${COMPANY}/locations/${LOCATION}`;
const exported = async () => {
  const { status, body } = await api(`/v1/admin/companies/${COMPANY}/export`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(status, 200);
  return body.locations.map((l) => [l.location_id, l.bookings.length, l.class_bookings.length]);
};

test("every bad body on every write endpoint is a 4xx with a code, and writes nothing", async () => {
  const { slots } = await dateWithSlots("mens-cut", 12);
  const start = slots[0].start;
  const good = { service_id: "mens-cut", start, client: client(990) };
  const endpoints = {
    bookings: good,
    holds: { service_id: "mens-cut", start },
    visits: { start, parts: [{ service_id: "mens-cut" }, { service_id: "blow-dry" }], client: client(991) },
    "class-bookings": { service_id: "styling-class", start, client: client(992) },
  };
  // [what, body, endpoints]: every case applies to every endpoint unless it names the ones whose
  // fields it spoils (a hold takes no client details, only a visit has parts).
  const WITH_CLIENT = ["bookings", "visits", "class-bookings"];
  const ONE_SERVICE = ["bookings", "holds", "class-bookings"];
  const bodies = (valid) => [
    ["malformed JSON", "{\"service_id\": "],
    ["an array", "[]"],
    ["null", "null"],
    ["a string", "\"book me\""],
    ["nesting 3000 deep", `{"client":${"[".repeat(3000)}${"]".repeat(3000)}}`],
    ["17 KiB", { ...valid, client: { name: "x".repeat(17 * 1024), phone: "+447400900990" } }],
    ["start as a number", { ...valid, start: 1_790_000_000 }],
    ["start as a huge number", `{"service_id":"mens-cut","start":1e400}`],
    ["client as a string", { ...valid, client: "Jo" }, WITH_CLIENT],
    ["service_id as an object", { ...valid, service_id: { id: "mens-cut" } }, ONE_SERVICE],
    ["an unknown service", { ...valid, service_id: "no-such-service" }, ONE_SERVICE],
    ["a part's service_id as a number", { ...valid, parts: [{ service_id: 7 }] }, ["visits"]],
    ["a part with an unknown service", { ...valid, parts: [{ service_id: "mens-cut" }, { service_id: "nope" }] }, ["visits"]],
    ["a part with an unknown specialist", { ...valid, parts: [{ service_id: "mens-cut", specialist_id: "nobody" }] }, ["visits"]],
    ["an unknown specialist", { ...valid, specialist_id: "nobody" }, ["bookings", "holds"]],
    ["30 February", { ...valid, start: "2027-02-30T10:00:00Z" }],
    ["25 o'clock", { ...valid, start: "2027-03-01T25:00:00Z" }],
    ["no time zone", { ...valid, start: "2027-03-01T10:00:00" }],
    ["year 9999", { ...valid, start: "9999-12-31T10:00:00Z" }],
    ["year -1", { ...valid, start: "-000001-03-01T10:00:00Z" }],
    ["the epoch", { ...valid, start: "1970-01-01T00:00:00Z" }],
    ["an empty start", { ...valid, start: "" }],
    ["no name", { ...valid, client: { name: "", phone: "+447400900990" } }, WITH_CLIENT],
    ["a control character in the name", { ...valid, client: { name: "Jo\u0000", phone: "+447400900990" } }, WITH_CLIENT],
    ["a phone of letters", { ...valid, client: { name: "Jo", phone: "call me" } }, WITH_CLIENT],
    ["an e-mail without a domain", { ...valid, client: { ...client(993), email: "jo@" } }, WITH_CLIENT],
    ["an empty visit", { ...valid, parts: [] }, ["visits"]],
    ["a visit part without a service", { ...valid, parts: [{}] }, ["visits"]],
    ["a hold that does not exist", { ...valid, hold_id: "hd_00000000000000000000000000000000" }, ["bookings"]],
    ["a membership as a string", { ...valid, membership: "M-1" }, WITH_CLIENT],
    ["a membership no one holds", { ...valid, membership: { number: "NOPE-1" } }, WITH_CLIENT],
    ["a membership number of 5,000 characters", { ...valid, membership: { number: "9".repeat(5000) } }, WITH_CLIENT],
  ];
  const before = await exported();
  const seen = [];
  for (const [endpoint, valid] of Object.entries(endpoints)) {
    for (const [what, body, only] of bodies(valid)) {
      if (only && !only.includes(endpoint)) continue;
      const answer = await api(`${base}/${endpoint}`, { method: "POST", body });
      const code = answer.body?.error?.code;
      seen.push(`${endpoint} / ${what}: ${answer.status} ${code}`);
      assert.ok(answer.status >= 400 && answer.status < 500, `${endpoint} / ${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
      assert.equal(typeof code, "string", `${endpoint} / ${what}: ${answer.text.slice(0, 200)}`);
      assert.equal(typeof answer.body.error.message, "string");
    }
  }
  // The membership check takes bad bodies the same way.
  for (const body of ["{", "[]", { number: 5, phone: "+447400900990" }, { number: "M-1" }, { number: "M-1", phone: "call me" },
    { number: "M-1", phone: "+447400900990", date: "2027-02-30", service_ids: ["mens-cut"] }]) {
    const answer = await api(`/v1/companies/${COMPANY}/memberships/check`, { method: "POST", body });
    assert.ok(answer.status >= 400 && answer.status < 500, `check ${JSON.stringify(body)}: ${answer.text}`);
    assert.equal(typeof answer.body?.error?.code, "string");
  }
  assert.ok(seen.some((l) => l.endsWith("413 payload_too_large")));
  assert.ok(seen.length > 80, `${seen.length} cases`);
  assert.deepEqual(await exported(), before, "no booking or seat written");
});

test("bad query parameters and unknown ids on every read endpoint are a 4xx with a code", async () => {
  const requests = [
    "slots?service=mens-cut&date=2027-02-30",
    "slots?service=mens-cut&date=tomorrow",
    "slots?service=mens-cut",
    "slots?date=2027-03-01",
    "slots?service=mens-cut&date=2027-03-01&calendar=-1",
    "slots?service=mens-cut&date=2027-03-01&calendar=99999999999999999999",
    "slots?service=no-such&date=2027-03-01",
    "dates?service=mens-cut&days=0",
    "dates?service=mens-cut&days=10000",
    "dates?service=mens-cut&from=2027-13-01",
    "soonest?service=mens-cut&days=abc",
    "soonest?service=styling-class",
    "visit-slots?services=&date=2027-03-01",
    "visit-slots?services=mens-cut,,blow-dry&date=2027-03-01",
    `visit-slots?services=${Array(50).fill("mens-cut").join(",")}&date=2027-03-01`,
    "classes?from=2027-02-30",
    "classes?days=-3",
  ];
  for (const query of requests) {
    const answer = await api(`${base}/${query}`);
    assert.ok(answer.status >= 400 && answer.status < 500, `${query}: ${answer.status} ${answer.text.slice(0, 200)}`);
    assert.equal(typeof answer.body?.error?.code, "string", query);
  }
  const unknown = [
    `/v1/companies/no-such-company`,
    `/v1/companies/${"x".repeat(300)}/locations/${LOCATION}/slots?service=mens-cut&date=2027-03-01`,
    `/v1/companies/${COMPANY}/locations/no-such-location/slots?service=mens-cut&date=2027-03-01`,
    `/v1/companies/Demo%00/locations/${LOCATION}/slots?service=mens-cut&date=2027-03-01`,
    `/v1/manage/not-a-token`,
    `/v1/manage/${COMPANY}.${LOCATION}.bk_00000000000000000000000000000000.${"0".repeat(32)}`,
  ];
  for (const path of unknown) {
    const answer = await api(path);
    assert.equal(answer.status, 404, `${path}: ${answer.text.slice(0, 200)}`);
    assert.equal(answer.body.error.code, "not_found");
  }
  const forgedMove = await api(`/v1/manage/${COMPANY}.${LOCATION}.bk_0.x/reschedule`, { method: "POST", body: "{" });
  assert.equal(forgedMove.status, 404, "a forged link is refused before its body is read");
  const longKey = await api(`${base}/bookings`, {
    method: "POST", body: { service_id: "mens-cut", start: "2027-03-01T10:00:00Z", client: client(994) },
    headers: { "Idempotency-Key": "k".repeat(300) },
  });
  assert.deepEqual([longKey.status, longKey.body.error.field], [422, "Idempotency-Key"]);
});
