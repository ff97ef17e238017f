// The morning agenda on the real stack: with the owner's time set in the mail settings, each
// specialist with an address and something booked that day is sent their day at that time on
// their location's clock, read back from the local mail server with a MIME parser — visits in
// order of time with the client's name, phone and comment, class sessions with their seats, no
// cancelled visit and nothing of another day; never before its time, once however often the
// company object wakes; a location whose time passed hours ago sends none that day.
//
// Two locations with clocks chosen from the hour the test runs at: "main" reads about 10:00, so
// its agenda time can be a minute ahead, and "east" four hours later, so the same time of day
// there is long past.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, api, everyDay, messagesTo, putCompany, waitFor } from "./helpers.mjs";

const SMTP_PORT = Number(process.env.SMTP_PORT);
const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `agenda-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const phone = (n) => `+44 7400 3${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const HOUR = 3_600_000;

/** An `Etc/GMT` zone `hours` ahead of UTC (their names' signs are the other way round). */
const zoneAhead = (hours) => (hours === 0 ? "UTC" : hours > 0 ? `Etc/GMT-${hours}` : `Etc/GMT+${-hours}`);
// Main's clock reads about 10:00 now; east's four hours later.
const started = Date.now();
const mainOffset = ((10 - new Date(started).getUTCHours() + 36) % 24) - 12;
// Four hours ahead, or twenty behind where that would pass the last zone (UTC+14).
const eastOffset = mainOffset + 4 <= 14 ? mainOffset + 4 : mainOffset - 20;
const localDate = (offset, at = started) => new Date(at + offset * HOUR).toISOString().slice(0, 10);
const today = localDate(mainOffset);
const eastToday = localDate(eastOffset);
/** The instant a location `offset` hours ahead of UTC reads `time` on `date`. */
const at = (date, time, offset) => new Date(Date.parse(`${date}T${time}:00Z`) - offset * HOUR).toISOString();
const hhmm = (instant, offset) => new Date(instant + offset * HOUR).toISOString().slice(11, 16);

// The agenda's time: the next whole minute at least 15 s ahead, on main's clock.
const dueAt = Math.ceil((started + 15_000) / 60_000) * 60_000;
const agendaTime = hhmm(dueAt, mainOffset);

const kim = `kim-${RUN}@agenda-salon.example`;
const eve = `eve-${RUN}@agenda-salon.example`;
const mailSettings = {
  host: "127.0.0.1", port: SMTP_PORT, security: "none", from_address: "desk@agenda-salon.example",
  specialist_addresses: { kim, eve }, location_addresses: {},
};

before(async () => {
  const policy = { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, reminder_minutes: [] };
  await putCompany({
    id: COMPANY, name: "Agenda Salon", currency: "GBP", site_origins: [],
    locations: [
      { id: "main", name: "Main Street", time_zone: zoneAhead(mainOffset), policy },
      { id: "east", name: "East Side", time_zone: zoneAhead(eastOffset), policy },
    ],
    services: [
      { id: "cut", name: "Cut & style", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee", "eve"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
        class: { capacity: 4, waitlist_capacity: 0, sessions: [{ location_id: "main", date: today, start: "17:00", specialist_id: "kim" }] } },
    ],
    specialists: [
      { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("08:00", "20:00") },
      // Lee has no address: no agenda for Lee.
      { id: "lee", name: "Lee", location_id: "main", working_hours: everyDay("08:00", "20:00") },
      { id: "eve", name: "Eve", location_id: "east", working_hours: everyDay("08:00", "23:00") },
    ],
  });
});

const book = async (location, specialist, start, n, extra = {}) => {
  const booked = await api(`/v1/companies/${COMPANY}/locations/${location}/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: specialist, start, client: { name: `Client ${n}`, phone: phone(n), ...extra } } });
  assert.equal(booked.status, 201, booked.text);
  return booked.body;
};

test("each specialist is sent their day at the owner's time on their location's clock, once, with the day as it is", { timeout: 150_000 }, async () => {
  const offset = mainOffset;
  await book("main", "kim", at(today, "15:00", offset), 1, { name: "Ann <i>Lee</i>", comment: "Allergic to dye" });
  await book("main", "kim", at(today, "14:00", offset), 2);
  const gone = await book("main", "kim", at(today, "16:00", offset), 3, { name: "Bob Gone" });
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${gone.booking_id}/cancel`, {
    method: "POST", headers: admin, body: { reason: "The client called" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  await book("main", "kim", at(localDate(offset, started + 24 * HOUR), "14:00", offset), 4, { name: "Tomorrow Tess" });
  await book("main", "lee", at(today, "14:00", offset), 5);
  for (const n of [6, 7]) {
    const seat = await api(`/v1/companies/${COMPANY}/locations/main/class-bookings`, { method: "POST",
      body: { service_id: "yoga", start: at(today, "17:00", offset), client: { name: `Yogi ${n}`, phone: phone(n) } } });
    assert.equal(seat.status, 201, seat.text);
  }
  // East's day has a visit too, but its agenda time passed four hours ago there.
  await book("east", "eve", at(eastToday, "20:00", eastOffset), 8);

  const saved = await api(`/v1/admin/companies/${COMPANY}/mail`, { method: "PUT", headers: admin,
    body: { ...mailSettings, agenda_time: agendaTime } });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.body.agenda_time, agendaTime);
  const agendas = async (address) => (await messagesTo(address)).filter((m) => /^Your day at /.test(m.subject));
  assert.deepEqual(await agendas(kim), [], "nothing before its time");

  const [agenda] = await waitFor("Kim's agenda", async () => (await agendas(kim)).length && agendas(kim), dueAt - Date.now() + 20_000);
  const arrived = Date.now();
  assert.ok(agenda.date.getTime() >= dueAt - 1000, `written at ${agenda.date.toISOString()}, due ${new Date(dueAt).toISOString()}`);
  assert.ok(arrived - dueAt < 15_000, `arrived ${arrived - dueAt} ms after its time`);
  assert.match(agenda.subject, /^Your day at Agenda Salon: .+/);
  assert.equal(agenda.from.value[0].address, "desk@agenda-salon.example");
  // Each line: the times as the business's language writes them (English: 2:00 PM), then what
  // and who.
  const lines = agenda.text.split("\n").filter((line) => /^\d{1,2}:\d\d/.test(line)).map((line) => line.split("  "));
  assert.deepEqual(lines.map(([, rest]) => rest), [
    "Cut & style — Client 2",
    "Cut & style — Ann <i>Lee</i>",
    "Yoga — 2 places booked",
  ], agenda.text);
  assert.match(lines[0][0], /^(14:00|2:00\sPM)\s?–\s?(14:30|2:30\sPM)$/);
  assert.match(lines[2][0], /^(17:00|5:00\sPM)/);
  assert.match(agenda.text, /Good morning, Kim\. Here is your day at Main Street\./);
  assert.match(agenda.text, /Comment: Allergic to dye/);
  assert.match(agenda.text, /Phone: \+44 ?7400 ?301/);
  assert.ok(agenda.html.includes("Ann &lt;i&gt;Lee&lt;/i&gt;") && !agenda.html.includes("<i>Lee"), agenda.html);
  assert.ok(!agenda.text.includes("Bob Gone") && !agenda.text.includes("Tomorrow Tess"));

  // Once: the company object woken again (the settings saved again, the catalog changed) sends
  // no second agenda; nor does East, long past its time.
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/mail`, { method: "PUT", headers: admin,
    body: { ...mailSettings, agenda_time: agendaTime } })).status, 200);
  const edited = await api(`/v1/admin/companies/${COMPANY}/specialists/lee`, { method: "PUT", headers: admin,
    body: { id: "lee", name: "Lee Renamed", location_id: "main", working_hours: everyDay("08:00", "20:00") } });
  assert.equal(edited.status, 200, edited.text);
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal((await agendas(kim)).length, 1);
  assert.deepEqual(await agendas(eve), []);
});

test("the agenda's time is checked, and turning it off keeps the rest of the settings", async () => {
  const url = `/v1/admin/companies/${COMPANY}/mail`;
  const midnight = await api(url, { method: "PUT", headers: admin, body: { ...mailSettings, agenda_time: "24:00" } });
  assert.equal(midnight.status, 422, midnight.text);
  assert.equal(midnight.body.error.field, "agenda_time");
  for (const bad of ["7:30", "07:60", 730]) {
    const refused = await api(url, { method: "PUT", headers: admin, body: { ...mailSettings, agenda_time: bad } });
    assert.equal(refused.status, 400, `${bad}: ${refused.text}`);
    assert.equal(refused.body.error.code, "invalid_json");
  }
  assert.equal((await api(url, { headers: admin })).body.agenda_time, agendaTime);
  const off = await api(url, { method: "PUT", headers: admin, body: { ...mailSettings, agenda_time: null } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.agenda_time, null);
  assert.deepEqual(off.body.specialist_addresses, { kim, eve });
});
