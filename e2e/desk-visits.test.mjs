// The front desk books visits of several services and class seats on the real stack, through the
// one checkout (`POST …/locations/{l}/visits` and `…/class-bookings` under the admin API): the
// same times and prices as the widget, on the `front_desk` channel, all or nothing, once per
// Idempotency-Key; seats fill to capacity, then the waitlist; a specialist books only with
// themselves. And in the console's form, by a front desk, in Chromium.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `visits-desk-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const day = addDays(new Date().toISOString().slice(0, 10), 2);
const at = (time, date = day) => `${date}T${time}:00Z`;
const phone = (n) => `+44 7400 5${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const base = `/v1/admin/companies/${COMPANY}/locations/main`;
const client = (n) => ({ name: `Client ${n}`, phone: phone(n) });

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Visits Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    discounts: [{ id: "web", name: "Online −10%", channel: "online", percent: 10 }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee"] },
      { id: "shave", name: "Shave", duration_minutes: 15, price_minor: 1200, specialist_ids: ["lee"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
        class: { capacity: 2, waitlist_capacity: 1, sessions: [{ location_id: "main", date: day, start: "18:00", specialist_id: "kim" }] } },
    ],
    specialists: [
      { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "19:00") },
      { id: "lee", name: "Lee", location_id: "main", working_hours: everyDay("09:00", "17:00") },
    ],
  });
});
after(async () => { await browser?.close(); });

const post = (what, body, key) => api(`${base}/${what}`, { method: "POST", body,
  headers: { ...admin, ...(key ? { "Idempotency-Key": key } : {}) } });
const publicVisitStarts = async () => (await api(`/v1/companies/${COMPANY}/locations/main/visit-slots?services=cut,shave&specialists=kim,lee&date=${day}`)).body.slots.map((s) => s.start);

test("the desk books a visit of two services and class seats through the one checkout, once per key", async () => {
  assert.ok((await publicVisitStarts()).includes(at("10:00")));
  const visit = { start: at("10:00"), parts: [{ service_id: "cut", specialist_id: "kim" }, { service_id: "shave", specialist_id: "lee" }], client: client(1) };
  const [first, again] = [await post("visits", visit, `visit-${RUN}`), await post("visits", visit, `visit-${RUN}`)];
  assert.equal(first.status, 201, first.text);
  assert.equal(again.body.visit_id, first.body.visit_id, "a retry is the same visit");
  assert.deepEqual(first.body.parts.map((p) => [p.service_id, p.specialist_id, p.start]),
    [["cut", "kim", at("10:00")], ["shave", "lee", at("10:30")]]);
  assert.equal(first.body.price.amount_minor, 4200, "catalog prices: the online discount is not the desk's");
  assert.ok(!(await publicVisitStarts()).includes(at("10:00")), "the widget no longer offers it");
  const listed = (await api(`${base}/day?date=${day}`, { headers: admin })).body.bookings;
  assert.deepEqual(listed.map((b) => [b.channel, b.visit_id]).sort(), [["front_desk", first.body.visit_id], ["front_desk", first.body.visit_id]]);

  // All or nothing: Lee is free for a cut at 10:00 but not for the shave after it (the first
  // visit's); neither part is booked.
  const clash = await post("visits", { start: at("10:00"), client: client(2),
    parts: [{ service_id: "cut", specialist_id: "lee" }, { service_id: "shave", specialist_id: "lee" }] });
  assert.deepEqual([clash.status, clash.body.error.code], [409, "slot_unavailable"], clash.text);
  assert.equal((await api(`${base}/day?date=${day}`, { headers: admin })).body.bookings.length, 2);
  const tooMany = await post("visits", { ...visit, parts: Array(6).fill({ service_id: "cut" }) });
  assert.deepEqual([tooMany.status, tooMany.body.error.field], [422, "parts"]);

  // Seats fill to the class's two, then its one waitlist place, then it is full.
  const seat = (n, join_waitlist = false) => post("class-bookings", { service_id: "yoga", start: at("18:00"), join_waitlist, client: client(10 + n) });
  const answers = [await seat(1), await seat(2), await seat(3), await seat(4, true), await seat(5, true)];
  assert.deepEqual(answers.map((a) => [a.status, a.body.status ?? a.body.error.code]),
    [[201, "booked"], [201, "booked"], [409, "class_full"], [201, "waitlisted"], [409, "class_full"]]);
  assert.equal(answers[3].body.waitlist_position, 1);
  const sessions = (await api(`/v1/companies/${COMPANY}/locations/main/classes?service=yoga&from=${day}&days=1`)).body.sessions;
  assert.deepEqual([sessions[0].seats_left, sessions[0].waitlist_open], [0, false]);

  const trail = (await api(`/v1/admin/companies/${COMPANY}/audit`, { headers: admin })).body.entries;
  assert.deepEqual(trail.filter((e) => e.action === "booking_made").map((e) => e.detail).reverse(), [
    `Cut + Shave, ${day} 10:00`, `Yoga, ${day} 18:00`, `Yoga, ${day} 18:00`, `Yoga, ${day} 18:00, on the waitlist`,
  ]);
});

test("a visit keeps one set of reminders, its first part's, when the desk moves a later part", async () => {
  const visit = await post("visits", { start: at("15:00"), client: client(3),
    parts: [{ service_id: "cut", specialist_id: "kim" }, { service_id: "shave", specialist_id: "lee" }] });
  assert.equal(visit.status, 201, visit.text);
  const [first, second] = visit.body.parts;
  const moved = await api(`${base}/bookings/${second.booking_id}/move`, { method: "POST", headers: admin, body: { start: at("16:00") } });
  assert.equal(moved.status, 200, moved.text);
  assert.deepEqual(moved.body.messages.map((m) => m.event), ["moved"]);
  const kept = await api(`${base}/bookings/${first.booking_id}`, { headers: admin });
  assert.deepEqual(kept.body.messages.map((m) => m.event), ["booked", "reminder"]);
});

test("a specialist books a visit only with themselves and a seat only in their own class", async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "specialist", { specialist: "lee", expected: [401, 403] });
  const send = (what, body) => page.evaluate(async ({ path, body }) => {
    const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }, { path: `${base}/${what}`, body });
  const other = await send("visits", { start: at("13:00"), parts: [{ service_id: "cut", specialist_id: "kim" }], client: client(20) });
  assert.deepEqual([other.status, other.body.error.code], [403, "forbidden"]);
  const own = await send("visits", { start: at("13:00"), parts: [{ service_id: "cut" }, { service_id: "shave" }], client: client(21) });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.deepEqual(own.body.parts.map((p) => p.specialist_id), ["lee", "lee"]);
  const seat = await send("class-bookings", { service_id: "yoga", start: at("18:00"), join_waitlist: true, client: client(22) });
  assert.deepEqual([seat.status, seat.body.error.code], [403, "forbidden"], "Kim leads the class");
  assert.deepEqual(problems, []);
});

test("a front desk books a visit of two services and a class seat from the console's form", { timeout: 120_000 }, async () => {
  const date = addDays(day, 1);
  await api(`/v1/admin/companies/${COMPANY}/services/yoga`, { method: "PUT", headers: admin,
    body: { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
      class: { capacity: 2, waitlist_capacity: 1, sessions: [{ location_id: "main", date, start: "18:00", specialist_id: "kim" }] } } });
  const { page, problems } = await joinByInvite(browser, COMPANY, "front_desk");
  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByLabel("Go to date").fill(date);
  await page.getByRole("heading", { name: "Kim" }).waitFor();

  await page.getByLabel("Service", { exact: true }).selectOption("cut");
  await page.getByLabel("Specialist", { exact: true }).selectOption("kim");
  await page.getByRole("button", { name: "Add a service to this visit" }).click();
  await page.getByLabel("Then, service 2").selectOption("shave");
  await page.getByLabel("Free time", { exact: true }).selectOption({ label: "09:00 with Kim, then Lee" });
  await page.getByLabel("Client's name").fill("Visit Vera");
  await page.getByLabel("Phone", { exact: true }).fill(phone(30));
  await screenIsClean(page, "the desk's form for a visit of two services");
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await page.getByText(`Booked: ${date} 09:00, Cut with Kim, then Shave with Lee.`).waitFor();
  await page.getByRole("button", { name: /Visit Vera/ }).first().waitFor();

  await page.getByRole("button", { name: "Remove service 2" }).click();
  await page.getByLabel("Service", { exact: true }).selectOption("yoga");
  await page.getByLabel("Session", { exact: true }).selectOption({ label: "18:00 with Kim — 2 seats left" });
  await page.getByLabel("Client's name").fill("Seat Sam");
  await page.getByLabel("Phone", { exact: true }).fill(phone(31));
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await page.getByText(`Booked a seat: ${date} 18:00 with Kim, Yoga.`).waitFor();
  const seats = (await api(`/v1/companies/${COMPANY}/locations/main/classes?service=yoga&from=${date}&days=1`)).body.sessions;
  assert.equal(seats[0].seats_left, 1);
  assert.deepEqual(problems, []);
});

test("a front desk cancels a class session from the calendar, with a reason; its seats go and it shows as cancelled", { timeout: 120_000 }, async () => {
  const date = addDays(day, 2);
  await api(`/v1/admin/companies/${COMPANY}/services/pilates`, { method: "PUT", headers: admin,
    body: { id: "pilates", name: "Pilates", duration_minutes: 60, price_minor: 1500, specialist_ids: ["kim"],
      class: { capacity: 3, waitlist_capacity: 1, sessions: [{ location_id: "main", date, start: "17:00", specialist_id: "kim" }] } } });
  const seat = await api(`/v1/companies/${COMPANY}/locations/main/class-bookings`, { method: "POST",
    body: { service_id: "pilates", start: `${date}T17:00:00Z`, client: { name: "Pia Pilates", phone: phone(40) } } });
  assert.equal(seat.status, 201, seat.text);
  const { page, problems } = await joinByInvite(browser, COMPANY, "front_desk");
  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByLabel("Go to date").fill(date);
  await page.getByText("Pilates · 1 of 3 seats").waitFor();
  await page.getByRole("button", { name: /^Cancel the \d\d:\d\d Pilates session$/ }).click();
  await page.getByRole("heading", { name: /^Cancel the \d\d:\d\d Pilates session$/ }).waitFor();
  await page.getByLabel("Why (kept in each booking's history)").fill("The studio is flooded");
  await screenIsClean(page, "cancelling a class session");
  await page.getByRole("button", { name: "Cancel the session" }).click();
  await page.getByText("Cancelled: 1 seat(s) and 0 waiting place(s). Each client is told by e-mail.").waitFor();
  await page.getByText(/Pilates · cancelled/).waitFor();
  assert.equal((await api(`/v1/manage/${seat.body.manage_token}`)).body.status, "cancelled");
  const listed = await api(`/v1/companies/${COMPANY}/locations/main/classes?service=pilates&from=${date}&days=1`);
  assert.deepEqual(listed.body.sessions, []);
  assert.deepEqual(problems, []);
});
