// The public API over HTTP against the running Worker: catalog, slots, booking, and bad input that
// must answer a clear 4xx JSON error and write nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, book, bookingsUrl, catalog, client, dateWithSlots, slots, addDays, putCompany, DEMO, TOKEN, COMPANY, LOCATION } from "./helpers.mjs";

function assertError(response, status, code, field) {
  assert.equal(response.status, status, response.text);
  assert.equal(response.body?.error?.code, code, response.text);
  assert.ok(response.body.error.message.length > 0);
  if (field) assert.equal(response.body.error.field, field);
}

test("the catalog lists the demo salon's services and specialists, and nothing private", async () => {
  const body = await catalog();
  assert.equal(body.company.id, COMPANY);
  assert.ok(body.services.length >= 3);
  assert.ok(body.specialists.length >= 2);
  assert.match(body.locations[0].today, /^\d{4}-\d{2}-\d{2}$/);
  const text = JSON.stringify(body);
  assert.doesNotMatch(text, /working_hours|phone/);
});

test("slots carry the UTC instant and the local time, on the step grid", async () => {
  const { date, slots: free } = await dateWithSlots("womens-cut", 2);
  for (const slot of free) {
    assert.match(slot.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
    assert.match(slot.local_time, /^\d{2}:(00|15|30|45)$/);
    assert.ok(slot.specialist_ids.length >= 1);
  }
  assert.ok(free[0].start.startsWith(date) || free[0].start.startsWith(addDays(date, -1)));
});

test("a booking is confirmed with 201 and its slot disappears for that specialist", async () => {
  const { date, slots: free } = await dateWithSlots("mens-cut", 3);
  const slot = free[0];
  const specialist = slot.specialist_ids[0];
  const response = await book({ service_id: "mens-cut", start: slot.start, specialist_id: specialist, client: client(1) });
  assert.equal(response.status, 201, response.text);
  assert.match(response.body.booking_id, /^bk_[0-9a-f]{32}$/);
  assert.equal(response.body.specialist_id, specialist);
  assert.equal(response.body.local_time, slot.local_time);
  assert.deepEqual(response.body.price, { amount_minor: 3000, currency: "GBP", exponent: 2 });
  assert.doesNotMatch(response.text, /7400/, "the confirmation does not echo the phone");
  const after = (await slots("mens-cut", date)).find((s) => s.start === slot.start);
  assert.ok(!after || !after.specialist_ids.includes(specialist));
  const again = await book({ service_id: "mens-cut", start: slot.start, specialist_id: specialist, client: client(2) });
  assertError(again, 409, "slot_unavailable");
});

test("bad booking input answers 4xx with a JSON error code and writes nothing", async () => {
  const { date, slots: free } = await dateWithSlots("colour", 4);
  const slot = free[0];
  const good = { service_id: "colour", start: slot.start, client: client(3) };
  const cases = [
    [{ raw: "{not json" }, 400, "invalid_json"],
    [{ raw: "[1,2,3]" }, 400, "invalid_json"],
    [{ ...good, client: { phone: good.client.phone } }, 422, "name_required", "client.name"],
    [{ ...good, client: { ...good.client, name: "   " } }, 422, "name_required", "client.name"],
    [{ ...good, client: { ...good.client, phone: "call me" } }, 422, "invalid_phone", "client.phone"],
    [{ ...good, client: { ...good.client, phone: "07400 900123" } }, 422, "invalid_phone", "client.phone"],
    [{ ...good, service_id: "no-such-service" }, 422, "service_unavailable", "service_id"],
    [{ ...good, specialist_id: "marco" }, 422, "specialist_unavailable", "specialist_id"],
    [{ ...good, start: "tomorrow at ten" }, 422, "validation_failed", "start"],
    [{ ...good, start: "2020-01-06T10:00:00Z" }, 422, "start_in_past", "start"],
    [{ ...good, start: slot.start.replace(/:00Z$/, ":07Z") }, 409, "slot_unavailable"],
  ];
  for (const [body, status, code, field] of cases) {
    const response = await api(bookingsUrl, { method: "POST", body: body.raw ?? body });
    assertError(response, status, code, field);
  }
  const huge = await api(bookingsUrl, { method: "POST", body: { ...good, padding: "x".repeat(20_000) } });
  assertError(huge, 413, "payload_too_large");
  const unknownLocation = await api(`/v1/companies/${COMPANY}/locations/nowhere/bookings`, { method: "POST", body: good });
  assertError(unknownLocation, 404, "not_found");
  const unknownCompany = await api(`/v1/companies/nobody/locations/${LOCATION}/bookings`, { method: "POST", body: good });
  assertError(unknownCompany, 404, "not_found");

  // Nothing was written: the slot is still offered and can still be booked.
  assert.ok((await slots("colour", date)).some((s) => s.start === slot.start));
  const response = await book(good);
  assert.equal(response.status, 201, response.text);
});

test("slots reject missing or malformed parameters", async () => {
  const base = `/v1/companies/${COMPANY}/locations/${LOCATION}/slots`;
  assertError(await api(`${base}?date=2030-01-01`), 422, "validation_failed", "service");
  assertError(await api(`${base}?service=colour`), 422, "validation_failed", "date");
  assertError(await api(`${base}?service=colour&date=2030-02-30`), 422, "validation_failed", "date");
  assertError(await api(`${base}?service=nope&date=2030-01-01`), 422, "service_unavailable", "service");
  const past = await api(`${base}?service=colour&date=2020-01-06`);
  assert.equal(past.status, 200);
  assert.deepEqual(past.body.slots, []);
});

test("unknown endpoints and methods answer JSON errors", async () => {
  assertError(await api("/v1/nothing-here"), 404, "not_found");
  assertError(await api(`/v1/companies/${COMPANY}`, { method: "DELETE" }), 405, "method_not_allowed");
  assertError(await api(`/v1/companies/Not%20An%20Id`), 404, "not_found");
  const health = await api("/v1/health");
  assert.deepEqual(health.body, { status: "ok" });
});

test("the admin API needs the platform token and validates the catalog", async () => {
  const demo = (await import("../edge/demo/company.json", { with: { type: "json" } })).default;
  const url = `/v1/admin/companies/${COMPANY}`;
  assertError(await api(url, { method: "PUT", body: demo }), 401, "unauthorized");
  assertError(await api(url, { method: "PUT", body: demo, headers: { authorization: "Bearer wrong-token-wrong-token" } }), 401, "unauthorized");
  const auth = { authorization: `Bearer ${TOKEN}` };
  const broken = structuredClone(demo);
  broken.locations[0].time_zone = "Europe/Atlantis";
  assertError(await api(url, { method: "PUT", body: broken, headers: auth }), 422, "validation_failed", "locations[0].time_zone");
  const mismatched = { ...demo, id: "other" };
  assertError(await api(url, { method: "PUT", body: mismatched, headers: auth }), 422, "validation_failed", "id");
  // The catalog is unchanged by the refused writes, and a repeated seed is idempotent.
  assert.equal((await catalog()).locations[0].time_zone, "Europe/London");
  const again = await api(url, { method: "PUT", body: demo, headers: auth });
  assert.equal(again.status, 200, again.text);
  const listed = await catalog();
  assert.deepEqual(listed.services.map((s) => s.id), demo.services.filter((s) => !s.class).map((s) => s.id));
  assert.deepEqual(listed.classes.map((s) => s.id), demo.services.filter((s) => s.class).map((s) => s.id));
});

test("the calendar lists exactly the dates that have a free slot", async () => {
  const today = (await catalog()).locations[0].today;
  for (const service of ["colour", "mens-cut"]) {
    const { status, body } = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/dates?service=${service}&from=${today}&days=10`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.from, today);
    assert.equal(body.days, 10);
    const expected = [];
    for (let i = 0; i < 10; i++) {
      const date = addDays(today, i);
      if ((await slots(service, date)).length > 0) expected.push(date);
    }
    assert.ok(expected.length > 0);
    assert.deepEqual(body.dates, expected, service);
    // The slots answer carries the same calendar on request (the widget's date strip uses it).
    const withCalendar = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/slots?service=${service}&date=${today}&calendar=10`);
    assert.deepEqual(withCalendar.body.open_dates, expected, `${service}, slots with calendar=10`);
  }
  const plain = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/slots?service=colour&date=${today}`);
  assert.deepEqual(plain.body.open_dates, [], "no calendar unless asked");
  assertError(await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/slots?service=colour&date=${today}&calendar=63`), 422, "validation_failed", "calendar");
  // Without `from`, the calendar starts at the location's today and covers 31 days.
  const fallback = await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/dates?service=colour`);
  assert.equal(fallback.body.from, today);
  assert.equal(fallback.body.days, 31);
});

test("next_open answers a date without free slots with the calendar's next open date", async () => {
  const today = (await catalog()).locations[0].today;
  const base = `/v1/companies/${COMPANY}/locations/${LOCATION}/slots?service=colour&calendar=14&next_open=true`;
  const open = (await api(`${base}&date=${today}`)).body.open_dates;
  assert.ok(open.length > 0);
  let moved = 0;
  // Yesterday is never open (it is past), so at least one date moves.
  for (let i = -1; i < 14; i++) {
    const date = addDays(today, i);
    const { status, body } = await api(`${base}&date=${date}`);
    assert.equal(status, 200, JSON.stringify(body));
    const own = await slots("colour", date);
    const next = own.length > 0 ? date : open.find((d) => d > date) ?? date;
    assert.equal(body.date, next, `asked ${date}`);
    assert.deepEqual(body.slots, next === date ? own : await slots("colour", next), `asked ${date}`);
    assert.deepEqual(body.open_dates, open);
    if (next !== date) moved++;
  }
  assert.ok(moved >= 1);
  // Past the calendar's last open date there is nothing later: the asked date, empty.
  const after = addDays(today, 20);
  const beyond = await api(`${base}&date=${after}`);
  assert.equal(beyond.body.date, after);
  assertError(await api(`/v1/companies/${COMPANY}/locations/${LOCATION}/slots?service=colour&date=${today}&next_open=true`), 422, "validation_failed", "next_open");
  assertError(await api(`${base.replace("next_open=true", "next_open=yes")}&date=${today}`), 422, "validation_failed", "next_open");
});

test("the calendar rejects missing or malformed parameters", async () => {
  const base = `/v1/companies/${COMPANY}/locations/${LOCATION}/dates`;
  assertError(await api(`${base}?from=2030-01-01`), 422, "validation_failed", "service");
  assertError(await api(`${base}?service=colour&from=2030-13-01`), 422, "validation_failed", "from");
  for (const days of ["0", "63", "ten", "-1"]) {
    assertError(await api(`${base}?service=colour&days=${days}`), 422, "validation_failed", "days");
  }
  assertError(await api(`${base}?service=nope`), 422, "service_unavailable", "service");
});

test("the catalog carries the first screen's times for a page that opens on them", async () => {
  const today = (await catalog()).locations[0].today;
  const first = async (query) => {
    const { status, body } = await api(`/v1/companies/${COMPANY}?${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.company.id, COMPANY); // the catalog itself, whatever the hints
    return body.first_slots;
  };
  const asked = (query) => api(`/v1/companies/${COMPANY}/locations/${LOCATION}/slots?calendar=14&next_open=true&${query}`);
  // A service with "any specialist": what the times step would ask, today, with its strip's calendar.
  const any = await first("service=womens-cut&specialist=any");
  assert.deepEqual(any, { date: today, specialist_id: null, answer: (await asked(`service=womens-cut&date=${today}`)).body });
  assert.ok(any.answer.slots.length > 0 && any.answer.open_dates.length > 0);
  // A specialist's own times; a later date; the loader's empty hints are no hints.
  const date = addDays(today, 3);
  const anna = await first(`location=${LOCATION}&service=colour&specialist=anna&date=${date}&step-order=`);
  assert.deepEqual(anna, {
    date,
    specialist_id: "anna",
    answer: (await asked(`service=colour&specialist=anna&date=${date}`)).body,
  });
  // The date first: anyone's times, whatever specialist the page named.
  const dateFirst = await first("service=mens-cut&specialist=marco&step-order=date_first");
  assert.equal(dateFirst.specialist_id, null);
  assert.deepEqual(dateFirst.answer, (await asked(`service=mens-cut&date=${today}`)).body);
  // A past or malformed date is read as the widget reads it: today.
  assert.equal((await first(`service=mens-cut&specialist=any&date=${addDays(today, -2)}`)).date, today);
  assert.equal((await first("service=mens-cut&specialist=any&date=soon")).date, today);
  // Pages that open elsewhere, and hints that name nothing bookable: the plain catalog, never an error.
  for (const query of [
    "", // no preselection: the services
    "service=mens-cut", // the specialists come next
    "service=mens-cut&specialist=anna", // Anna does not cut men's hair
    "service=no-such-service&specialist=any",
    "service=styling-class&specialist=any", // a class: its sessions
    "location=nowhere&service=mens-cut&specialist=any",
    "service=mens-cut&specialist=any&step-order=backwards",
  ]) {
    assert.equal(await first(query), undefined, query);
  }
  // A chain opens on its locations unless the page chose one.
  const chain = {
    ...structuredClone(DEMO),
    id: "first-slots-chain",
    locations: [...DEMO.locations, { ...DEMO.locations[0], id: "camden", name: "Camden" }],
  };
  await putCompany(chain);
  const chained = (query) => api(`/v1/companies/${chain.id}?${query}`).then((r) => r.body.first_slots);
  assert.equal(await chained("service=mens-cut&specialist=any"), undefined);
  assert.equal((await chained(`location=${LOCATION}&service=mens-cut&specialist=any`)).answer.location_id, LOCATION);
});
