// The day's work in the console's calendar, in Chromium on the real stack: a front desk signs in
// and sees a client's online booking appear on the day view without reloading; books a phone-in
// client into the remaining gap (and the widget stops offering that time); moves a booking by
// drag and drop onto another specialist's column, and another with the keyboard through the move
// dialog; marks a client arrived, a walk-in who never came a no-show, and cancels with a reason.
// A specialist's account sees only their own column, and their week. Axe-clean at phone and
// desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `calendar-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const day = addDays(today, 2);
const phone = (n) => `+44 7400 8${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const at = (time) => `${day}T${time}:00Z`;
const split = Object.fromEntries(Object.keys(everyDay()).map((d) => [d, [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "19:00" }]]));

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Calendar Salon", currency: "GBP", site_origins: [],
    locations: [
      { id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } },
      // Walk-ins: a one-minute grid, so a visit can begin while the test waits.
      { id: "walk-in", name: "Walk-in bar", time_zone: "UTC", policy: { slot_step_minutes: 1, minimum_notice_minutes: 0, horizon_days: 2 } },
    ],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee"] },
      { id: "trim", name: "Trim", duration_minutes: 5, price_minor: 1000, specialist_ids: ["max"] },
    ],
    specialists: [
      { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") },
      { id: "lee", name: "Lee", location_id: "main", working_hours: split },
      { id: "max", name: "Max", location_id: "walk-in", working_hours: everyDay("00:00", "24:00") },
    ],
  });
});
after(async () => { await browser?.close(); });

const dayOf = async (location, date) =>
  (await api(`/v1/admin/companies/${COMPANY}/locations/${location}/day?date=${date}`, { headers: admin })).body;
const publicStarts = async (specialist) =>
  (await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${day}&specialist=${specialist}`)).body.slots
    .map((s) => s.start);

test("a front desk runs the day: live bookings, a booking by phone, drag and drop, arrivals, no-shows and cancellations", { timeout: 240_000 }, async () => {
  // A walk-in booked for the next free minute: by the end of the test their visit has begun.
  // Today's and tomorrow's grid: just before midnight UTC today has no minute left.
  const slotsOn = async (date) =>
    (await api(`/v1/companies/${COMPANY}/locations/walk-in/slots?service=trim&date=${date}`)).body.slots;
  const soon = [...await slotsOn(today), ...await slotsOn(addDays(today, 1))]
    .find((s) => Date.parse(s.start) > Date.now() + 5_000);
  const walkIn = await api(`/v1/admin/companies/${COMPANY}/locations/walk-in/bookings`, { method: "POST", headers: admin,
    body: { service_id: "trim", start: soon.start, client: { name: "Walk In Wendy", phone: phone(1) } } });
  assert.equal(walkIn.status, 201, walkIn.text);

  const { page, problems } = await joinByInvite(browser, COMPANY, "front_desk", { expected: [401, 409] });
  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByRole("heading", { name: "Calendar", exact: true }).waitFor();
  await page.getByLabel("Location").selectOption("main");
  await page.getByLabel("Go to date").fill(day);
  await page.getByRole("heading", { name: "Kim" }).waitFor();
  await page.getByText("09:00–12:00, 13:00–19:00").waitFor();

  // A client books online: the day view shows it by itself, within a few seconds.
  const online = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: at("10:00"), client: { name: "Web Client", phone: phone(2) } } });
  assert.equal(online.status, 201, online.text);
  const webBlock = page.getByRole("button", { name: /Web Client/ });
  await webBlock.waitFor({ timeout: 15_000 });

  // A client on the phone, into Lee's afternoon: the widget stops offering the time.
  assert.ok((await publicStarts("lee")).includes(at("14:00")));
  await page.getByLabel("Service").selectOption("cut");
  await page.getByLabel("Specialist").selectOption("lee");
  await page.getByLabel("Free time", { exact: true }).selectOption({ label: "14:00 with Lee" });
  await page.getByLabel("Client's name").fill("Phone Client");
  await page.getByLabel("Phone", { exact: true }).fill(phone(3));
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await page.getByText(`Booked: ${day} 14:00 with Lee, Cut.`).waitFor();
  await page.getByRole("button", { name: /Phone Client/ }).waitFor();
  assert.ok(!(await publicStarts("lee")).includes(at("14:00")), "the widget no longer offers it");
  const phoned = (await dayOf("main", day)).bookings.find((b) => b.client_name === "Phone Client");
  assert.deepEqual([phoned.channel, phoned.price.amount_minor], ["front_desk", 3000]);

  // Drag and drop: the online booking onto Lee's column at 15:00 (the view starts at 08:00).
  // A screen tall enough for the whole day: the drop point is on it.
  await page.setViewportSize({ width: 1280, height: 1600 });
  const leeTrack = page.getByRole("group", { name: "Lee" }).locator(".track");
  await webBlock.dragTo(leeTrack, { targetPosition: { x: 30, y: (15 * 60 - 8 * 60) * 1.5 + 4 } });
  const moved = async () => (await dayOf("main", day)).bookings.find((b) => b.client_name === "Web Client");
  for (let i = 0; i < 50 && (await moved()).specialist_id !== "lee"; i++) await page.waitForTimeout(200);
  assert.deepEqual([(await moved()).specialist_id, (await moved()).local_start], ["lee", "15:00"],
    `dropped on Lee at 15:00 (${await page.locator(".problem").allInnerTexts()})`);
  const kimStarts = await publicStarts("kim");
  assert.ok(kimStarts.includes(at("10:00")), "Kim's old time is free again");
  await page.setViewportSize({ width: 1280, height: 800 });

  // By keyboard: open the booking, mark the client arrived, then move them with the dialog.
  await page.getByRole("button", { name: /Web Client/ }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Web Client — Cut" }).waitFor();
  await page.getByText("Moved from").waitFor();
  await page.getByRole("button", { name: "Arrived" }).click();
  await page.locator(".facts").getByText("Arrived").waitFor();
  await screenIsClean(page, "the calendar with a booking open");
  await page.getByRole("button", { name: "Move…" }).click();
  await page.getByLabel("Free times").selectOption({ label: "16:00 with Lee" });
  await page.getByRole("button", { name: "Move booking" }).click();
  await page.locator(".facts").getByText("16:00–16:30").waitFor();

  // Cancelled with a reason: off the grid, into the day's cancelled list, and its time is free.
  await page.getByLabel("Why is it cancelled?").fill("Client called: ill");
  await page.getByRole("button", { name: "Cancel booking" }).click();
  await page.locator(".facts").getByText("Cancelled: Client called: ill").waitFor();
  await page.getByRole("heading", { name: "Cancelled" }).waitFor();
  assert.ok((await publicStarts("lee")).includes(at("16:00")));

  // A known client by phone: found by a part of their name, their details filled in.
  await page.getByLabel("Find a client (name, phone or e-mail)").fill("Web Cl");
  await page.getByRole("button", { name: /^Web Client · / }).click();
  assert.equal(await page.getByLabel("Phone", { exact: true }).inputValue(), phone(2).replaceAll(" ", ""));
  await page.getByLabel("Service").selectOption("cut");
  await page.getByLabel("Specialist").selectOption("kim");
  await page.getByLabel("Free time", { exact: true }).selectOption({ label: "11:00 with Kim" });
  await page.getByRole("button", { name: "Book", exact: true }).click();
  await page.getByText(`Booked: ${day} 11:00 with Kim, Cut.`).waitFor();

  // The walk-in who never came: a no-show once their visit has begun.
  await page.getByLabel("Location").selectOption("walk-in");
  await page.getByLabel("Go to date").fill(soon.start.slice(0, 10));
  await page.getByRole("button", { name: /Walk In Wendy/ }).click();
  await page.waitForTimeout(Math.max(0, Date.parse(soon.start) - Date.now()) + 1_000);
  await page.getByRole("button", { name: "No-show" }).click();
  await page.getByRole("button", { name: /Walk In Wendy · no-show/ }).waitFor();
  const history = (await api(`/v1/admin/companies/${COMPANY}/locations/walk-in/bookings/${walkIn.body.booking_id}`, { headers: admin })).body.history;
  assert.deepEqual(history.map((h) => [h.change, h.by]), [["no_show", "front_desk"]], "kept with who marked it");
  assert.deepEqual(problems, []);
});

test("a specialist's calendar shows only their own column and their own bookings", async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "specialist", { specialist: "kim", expected: [401, 403] });
  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByLabel("Go to date").fill(day);
  await page.getByRole("heading", { name: "Kim" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Lee" }).count(), 0, "no one else's column");
  assert.equal(await page.getByRole("button", { name: /Phone Client/ }).count(), 0, "no one else's bookings");
  const seen = await page.evaluate(async ([company, date]) =>
    (await (await fetch(`/v1/admin/companies/${company}/locations/main/day?date=${date}`)).json()).bookings.map((b) => b.specialist_id),
  [COMPANY, day]);
  assert.ok(seen.every((s) => s === "kim"), "the edge narrows the day, not only the screen");
  const others = await page.evaluate(async ([company]) => (await fetch(`/v1/admin/companies/${company}/locations/main/bookings?date=x`)).status, [COMPANY]);
  assert.equal(others, 403, "and never the whole list");
  const search = await page.evaluate(async ([company]) => (await fetch(`/v1/admin/companies/${company}/clients?q=web`)).status, [COMPANY]);
  assert.equal(search, 403, "nor a search of the chain's clients");
  assert.equal(await page.getByLabel("Find a client (name, phone or e-mail)").count(), 0);
  await screenIsClean(page, "a specialist's calendar");

  // Their week: seven days side by side, the day's booking on it, opened with a click.
  await page.getByRole("button", { name: "Week", exact: true }).click();
  const heading = new Date(`${day}T00:00:00Z`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
  const dayOfWeek = page.getByRole("region", { name: heading });
  await dayOfWeek.getByText("09:00–17:00").waitFor();
  assert.equal(await page.getByRole("region").filter({ has: page.getByRole("heading", { level: 2 }) }).count() >= 7, true);
  assert.equal(await page.getByLabel("Whose week").count(), 0, "a specialist's own week only");
  await dayOfWeek.getByRole("button", { name: /^11:00–11:30 Cut — Web Client/ }).click();
  await page.getByRole("heading", { name: "Web Client — Cut" }).waitFor();
  await screenIsClean(page, "a specialist's week");
  await page.getByRole("button", { name: "Next week" }).click();
  await page.getByRole("region", { name: heading }).waitFor({ state: "detached" });
  assert.deepEqual(problems, []);
});
