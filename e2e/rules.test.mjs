// The scheduling rules over HTTP, against the real location object: a small clinic is written
// through the admin API with opening hours, a holiday, a room of capacity 1, buffers, a
// specialist's own duration and price, a date override and the optimal slot mode.
import { test, before } from "node:test";
import assert from "node:assert/strict";

import { api, addDays, client, putCompany, TOKEN } from "./helpers.mjs";

const CLINIC = "rules-clinic";
const everyDay = (ranges) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, ranges]));
const hours = (start, end) => [{ start, end }];
let today;

function clinic(today) {
  return {
    id: CLINIC,
    name: "Rules Clinic",
    currency: "EUR",
    locations: [
      {
        id: "main",
        name: "Main",
        time_zone: "UTC",
        policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 },
        opening_hours: everyDay(hours("09:00", "17:00")),
        holidays: [addDays(today, 5)],
        resources: [{ id: "room", name: "Treatment room", capacity: 1 }],
      },
      {
        id: "tight",
        name: "Tight schedule",
        time_zone: "UTC",
        policy: { slot_step_minutes: 15, minimum_notice_minutes: 0, horizon_days: 30, slot_mode: "optimal" },
      },
    ],
    services: [
      {
        id: "treatment", name: "Treatment", duration_minutes: 60, price_minor: 8000,
        specialist_ids: ["lea", "tom"], buffer_after_minutes: 30, resource_ids: ["room"],
        variants: [{ specialist_id: "tom", duration_minutes: 90, price_minor: 6000 }],
      },
      { id: "consult", name: "Consultation", duration_minutes: 60, price_minor: 3000, specialist_ids: ["ida"] },
      {
        id: "pilates", name: "Pilates", duration_minutes: 60, price_minor: 1500, specialist_ids: [],
        class: {
          capacity: 2, waitlist_capacity: 1,
          sessions: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((weekday) => ({ location_id: "tight", specialist_id: "ida", weekday, start: "13:00" })),
        },
      },
      {
        id: "masterclass", name: "Masterclass", duration_minutes: 60, price_minor: 9000, specialist_ids: [],
        class: { capacity: 5, sessions: [{ location_id: "main", specialist_id: "tom", date: addDays(today, 9), start: "12:00" }] },
      },
    ],
    specialists: [
      {
        id: "lea", name: "Lea", location_id: "main", working_hours: everyDay(hours("08:00", "18:00")),
        date_overrides: [{ date: addDays(today, 4), hours: hours("13:00", "15:00") }],
      },
      { id: "tom", name: "Tom", location_id: "main", working_hours: everyDay(hours("09:00", "17:00")) },
      { id: "ida", name: "Ida", location_id: "tight", working_hours: everyDay(hours("09:00", "12:00")) },
    ],
  };
}

const path = (location, rest) => `/v1/companies/${CLINIC}/locations/${location}/${rest}`;
async function slots(location, service, date) {
  const { status, body, text } = await api(path(location, `slots?service=${service}&date=${date}`));
  assert.equal(status, 200, text);
  return body.slots;
}
const times = (slots, who) => slots.filter((s) => !who || s.specialist_ids.includes(who)).map((s) => s.local_time);
const book = (location, body) => api(path(location, "bookings"), { method: "POST", body });

before(async () => {
  // The clinic's "today" is UTC's: the location runs on UTC.
  today = new Date().toISOString().slice(0, 10);
  await putCompany(clinic(today));
});

test("opening hours bound the day, a specialist's own duration shortens it, an override replaces it", async () => {
  const day = addDays(today, 3);
  const free = await slots("main", "treatment", day);
  assert.equal(times(free, "lea")[0], "09:00", "Lea works from 08:00 but the doors open at 09:00");
  assert.equal(times(free, "lea").at(-1), "16:00");
  assert.equal(times(free, "tom").at(-1), "15:30", "Tom's treatment takes 90 minutes");
  assert.deepEqual(times(await slots("main", "treatment", addDays(today, 4)), "lea"), ["13:00", "13:30", "14:00"]);
});

test("a holiday has no slots and the calendar leaves it out", async () => {
  const holiday = addDays(today, 5);
  assert.deepEqual(await slots("main", "treatment", holiday), []);
  const { status, body } = await api(path("main", `dates?service=treatment&from=${addDays(today, 3)}&days=4`));
  assert.equal(status, 200);
  assert.deepEqual(body.dates, [addDays(today, 3), addDays(today, 4), addDays(today, 6)]);
});

test("a booking holds the room for everyone and its clean-up keeps the specialist busy", async () => {
  const day = addDays(today, 7);
  const at = (time) => `${day}T${time}:00Z`;
  const response = await book("main", { service_id: "treatment", start: at("10:00"), specialist_id: "tom", client: client(41) });
  assert.equal(response.status, 201, response.text);
  assert.equal(response.body.end, at("11:30"), "Tom's 90 minutes");
  assert.equal(response.body.price.amount_minor, 6000, "Tom's price");
  const free = await slots("main", "treatment", day);
  // The room is in use 10:00–12:00 (visit and clean-up); a treatment with its own clean-up takes
  // 90 minutes of room or more, so nobody may start one before 12:00.
  assert.equal(times(free)[0], "12:00", times(free).join());
  assert.ok(times(free, "lea").includes("12:00") && times(free, "tom").includes("12:00"));
  // The room is the reason: another booking at the same time is refused, for Lea too.
  const clash = await book("main", { service_id: "treatment", start: at("10:30"), specialist_id: "lea", client: client(42) });
  assert.equal(clash.status, 409, clash.text);
  assert.equal(clash.body.error.code, "slot_unavailable");
});

test("the optimal mode offers only starts that leave no unusable gap", async () => {
  const day = addDays(today, 3);
  assert.deepEqual(times(await slots("tight", "consult", day)), ["09:00", "11:00"]);
  const response = await book("tight", { service_id: "consult", start: `${day}T09:00:00Z`, client: client(43) });
  assert.equal(response.status, 201, response.text);
  assert.deepEqual(times(await slots("tight", "consult", day)), ["10:00", "11:00"]);
  const offGap = await book("tight", { service_id: "consult", start: `${day}T10:15:00Z`, client: client(44) });
  assert.equal(offGap.status, 409, "a start that would leave a 15-minute hole is not offered, so not bookable");
});

test("soonest lists each specialist's nearest free starts and validates its parameters", async () => {
  const { status, body, text } = await api(path("main", "soonest?service=treatment&count=2&days=10"));
  assert.equal(status, 200, text);
  assert.deepEqual(body.specialists.map((s) => s.specialist_id), ["lea", "tom"]);
  for (const { slots: list } of body.specialists) {
    assert.equal(list.length, 2);
    assert.ok(list[0].start < list[1].start);
    const first = await slots("main", "treatment", list[0].local_date);
    assert.ok(first.some((s) => s.start === list[0].start), "each one is a slot the slots endpoint offers");
  }
  for (const bad of ["count=0", "count=11", "days=0", "days=63", "count=two"]) {
    const answer = await api(path("main", `soonest?service=treatment&${bad}`));
    assert.equal(answer.status, 422, bad);
    assert.equal(answer.body.error.field, bad.split("=")[0]);
  }
  const missing = await api(path("main", "soonest"));
  assert.equal(missing.status, 422);
  assert.equal(missing.body.error.field, "service");
});

test("the admin API refuses a catalog whose rules contradict themselves", async () => {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const put = (body) => api(`/v1/admin/companies/${CLINIC}`, { method: "PUT", body, headers: auth });
  const cases = [
    [(c) => { c.services[0].resource_ids = ["laser"]; }, "services[0].resource_ids[0]"],
    [(c) => { c.services[0].variants[0].specialist_id = "ida"; }, "services[0].variants[0].specialist_id"],
    [(c) => { c.locations[0].resources[0].capacity = 0; }, "locations[0].resources[0].capacity"],
    [(c) => { c.specialists[0].time_off = [{ from: addDays(today, 2), until: addDays(today, 1) }]; }, "specialists[0].time_off[0].until"],
    [(c) => { c.locations[0].opening_hours.mon = [{ start: "17:00", end: "09:00" }]; }, "locations[0].opening_hours.mon[0]"],
  ];
  for (const [change, field] of cases) {
    const broken = clinic(today);
    change(broken);
    const answer = await put(broken);
    assert.equal(answer.status, 422, field);
    assert.equal(answer.body.error.field, field);
  }
  const bad = clinic(today);
  bad.locations[0].holidays = ["2026-02-30"];
  assert.equal((await put(bad)).status, 400, "a date that does not exist is unreadable JSON for the catalog");
});

test("a class lists its sessions with the seats left, fills up, then takes a waitlist", async () => {
  const catalog = (await api(`/v1/companies/${CLINIC}`)).body;
  assert.deepEqual(catalog.classes.map((c) => c.id), ["pilates", "masterclass"]);
  assert.ok(!catalog.services.some((s) => s.id === "pilates"), "classes are not one-to-one services");
  const list = await api(path("tight", `classes?service=pilates&from=${addDays(today, 2)}&days=3`));
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.capacity, 2);
  assert.deepEqual(list.body.sessions.map((s) => [s.local_date, s.local_time, s.seats_left]),
    [0, 1, 2].map((d) => [addDays(today, 2 + d), "13:00", 2]));
  const session = list.body.sessions[0];
  const join = (n, join_waitlist = false) => api(path("tight", "class-bookings"), {
    method: "POST", body: { service_id: "pilates", start: session.start, join_waitlist, client: client(70 + n) },
  });
  for (const n of [1, 2]) {
    const seat = await join(n);
    assert.equal(seat.status, 201, seat.text);
    assert.equal(seat.body.status, "booked");
    assert.equal(seat.body.specialist_id, "ida");
  }
  const full = await join(3);
  assert.equal(full.status, 409);
  assert.equal(full.body.error.code, "class_full");
  const waiting = await join(3, true);
  assert.equal(waiting.status, 201, waiting.text);
  assert.deepEqual([waiting.body.status, waiting.body.waitlist_position], ["waitlisted", 1]);
  assert.equal((await join(4, true)).status, 409, "the waitlist holds one");
  const after = (await api(path("tight", `classes?service=pilates&from=${addDays(today, 2)}&days=1`))).body.sessions[0];
  assert.deepEqual([after.seats_left, after.waitlist_open], [0, false]);
});

test("clients racing for the last seats never overbook a session", async () => {
  const list = await api(path("tight", `classes?service=pilates&from=${addDays(today, 6)}&days=1`));
  const start = list.body.sessions[0].start;
  const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => api(path("tight", "class-bookings"), {
    method: "POST", body: { service_id: "pilates", start, join_waitlist: true, client: client(80 + n) },
  })));
  const statuses = answers.map((a) => (a.status === 201 ? a.body.status : a.body.error.code)).sort();
  assert.deepEqual(statuses, ["booked", "booked", ...Array(9).fill("class_full"), "waitlisted"].sort());
});

test("a class session keeps its instructor busy for one-to-one services", async () => {
  const free = times(await slots("main", "treatment", addDays(today, 9)), "tom");
  assert.ok(free.includes("10:00") && free.includes("13:00"), free.join());
  for (const gone of ["10:30", "11:00", "11:30", "12:00", "12:30"]) assert.ok(!free.includes(gone), gone);
  const usual = times(await slots("main", "treatment", addDays(today, 10)), "tom");
  assert.ok(usual.includes("11:00"), "the day after has no class");
});

test("classes and one-to-one services are booked through their own endpoints", async () => {
  const asSlots = await api(path("tight", `slots?service=pilates&date=${addDays(today, 3)}`));
  assert.equal(asSlots.status, 422);
  assert.equal(asSlots.body.error.code, "service_unavailable");
  const asClass = await api(path("tight", "classes?service=consult"));
  assert.equal(asClass.status, 422);
  assert.equal(asClass.body.error.code, "service_unavailable");
  const elsewhere = await api(path("main", "classes?service=pilates"));
  assert.equal(elsewhere.status, 422, "pilates meets only at the tight location");
  const offSession = await api(path("tight", "class-bookings"), {
    method: "POST", body: { service_id: "pilates", start: `${addDays(today, 3)}T14:00:00Z`, client: client(90) },
  });
  assert.equal(offSession.status, 409);
  assert.equal(offSession.body.error.code, "slot_unavailable");
  for (const bad of ["days=0", "days=63", "from=2026-13-01"]) {
    const answer = await api(path("tight", `classes?service=pilates&${bad}`));
    assert.equal(answer.status, 422, bad);
  }
});
