// The widget's whole flow in headless Chromium: a chain's locations, a named specialist or
// "any", the three step orders, and a phone-sized screen. Pages are served at the edge's own
// origin (intercepted), each holding one <homeslot-widget>.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityProblems, addDays, api, COMPANY, everyDay, hostPage as openHostPage, launchBrowser, putCompany, TOKEN,
} from "./helpers.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const hostPage = (element, viewport) => openHostPage(browser, element, viewport);

/** A phone number no other test uses. */
function phone() {
  return `+44 7400 9${String(Date.now() % 100000).padStart(5, "0")}`;
}

/** Picks the first free time shown (the grid waits for its answer), returns its start. */
async function pickFirstTime(page) {
  const time = page.locator(".hs-time").first();
  await time.waitFor();
  const start = await time.getAttribute("data-start");
  await time.click();
  return start;
}

async function confirm(page, name) {
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Phone").fill(phone());
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
}

test("a chain: locations grouped by city, then that location's services and specialists", async () => {
  const person = (id, name, location) => ({ id, name, position: "Stylist", location_id: location, working_hours: everyDay("08:00", "20:00") });
  const location = (id, name, city) => ({
    id, name, city, address: `1 ${name} Street`, time_zone: "Europe/London",
    policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 },
  });
  await putCompany({
    id: "chain-e2e", name: "Chain Cuts", currency: "GBP", site_origins: [],
    locations: [location("soho", "Soho", "London"), location("camden", "Camden", "London"), location("ancoats", "Ancoats", "Manchester")],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2500, specialist_ids: ["lena", "omar", "ivy"] },
      { id: "shave", name: "Hot shave", duration_minutes: 30, price_minor: 2000, specialist_ids: ["lena"] },
    ],
    specialists: [person("lena", "Lena Park", "soho"), person("omar", "Omar Haddad", "camden"), person("ivy", "Ivy Brook", "ancoats")],
  });
  const host = await hostPage(`<homeslot-widget company="chain-e2e"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "Choose a location" }).waitFor();
  assert.deepEqual(await page.locator(".hs-group").allInnerTexts(), ["London", "Manchester"]);
  assert.deepEqual(await accessibilityProblems(page), []);
  await page.getByRole("button", { name: /Ancoats/ }).click();
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  // Only what someone in Manchester does.
  assert.deepEqual(await page.locator(".hs-item-name").allInnerTexts(), ["Cut"]);
  // Back to the locations, and into Soho: the shave appears there.
  await page.getByRole("button", { name: "← Locations" }).click();
  await page.getByRole("button", { name: /Soho/ }).click();
  assert.deepEqual(await page.locator(".hs-item-name").allInnerTexts(), ["Cut", "Hot shave"]);
  await page.getByRole("button", { name: /^Hot shave/ }).click();
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  assert.deepEqual(await page.locator(".hs-person .hs-item-name").allInnerTexts(), ["Any specialist", "Lena Park"]);
  await page.getByRole("button", { name: /Lena Park/ }).click();
  await pickFirstTime(page);
  await confirm(page, "Chain Client");
  assert.match(await page.locator(".hs-done-where").innerText(), /Soho/);
  assert.match(await page.locator(".hs-done-what").innerText(), /Hot shave with Lena Park/);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a named specialist sees only their own times and gets the booking", async () => {
  const today = (await api(`/v1/companies/${COMPANY}`)).body.locations[0].today;
  const host = await hostPage(`<homeslot-widget company="demo" service="mens-cut"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  // Men's cut is Marco's and Sofia's, each with their nearest free time.
  assert.deepEqual(await page.locator(".hs-person .hs-item-name").allInnerTexts(), ["Any specialist", "Marco Rossi", "Sofia Mendes"]);
  await page.locator(".hs-person", { hasText: "Marco Rossi" }).getByText(/^Nearest: /).waitFor();
  await page.getByRole("button", { name: /Marco Rossi/ }).click();
  const grid = page.locator(".hs-grid");
  await grid.waitFor();
  const date = await grid.getAttribute("data-date");
  const shown = await page.locator(".hs-time").evaluateAll((els) => els.map((e) => e.dataset.start));
  const marcos = (await api(`/v1/companies/${COMPANY}/locations/soho/slots?service=mens-cut&date=${date}&specialist=marco`)).body.slots;
  assert.deepEqual(shown, marcos.map((s) => s.start), "exactly Marco's free times");
  assert.ok(marcos.every((s) => s.specialist_ids.includes("marco")));
  assert.ok(date >= today);
  await pickFirstTime(page);
  await confirm(page, "Named Client");
  assert.match(await page.locator(".hs-done-what").innerText(), /Men's cut with Marco Rossi/);
  assert.deepEqual(host.problems, []);
  await host.close();

  // The API refuses a specialist who does not do the service, naming the parameter.
  const refused = await api(`/v1/companies/${COMPANY}/locations/soho/slots?service=mens-cut&date=${date}&specialist=anna`);
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, "specialist_unavailable");
  assert.equal(refused.body.error.field, "specialist");
});

test("specialist first: the client picks a person, then only that person's services", async () => {
  const host = await hostPage(`<homeslot-widget company="demo" step-order="specialist_first"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await page.getByRole("button", { name: /Anna Kowalska/ }).click();
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  const services = await page.locator(".hs-item-name").allInnerTexts();
  assert.ok(!services.includes("Men's cut") && services.includes("Full colour"), services.join(", "));
  await page.getByRole("button", { name: "← Specialists" }).click();
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("date first: a time with anyone free, then only those free then", async () => {
  const host = await hostPage(`<homeslot-widget company="demo" step-order="date_first"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("button", { name: /^Women's cut/ }).click();
  await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  const grid = page.locator(".hs-grid");
  await grid.waitFor();
  const date = await grid.getAttribute("data-date");
  const start = await pickFirstTime(page);
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  const free = (await api(`/v1/companies/${COMPANY}/locations/soho/slots?service=womens-cut&date=${date}`)).body.slots
    .find((s) => s.start === start).specialist_ids;
  const names = { anna: "Anna Kowalska", marco: "Marco Rossi", sofia: "Sofia Mendes" };
  assert.deepEqual(await page.locator(".hs-person .hs-item-name").allInnerTexts(), ["Any specialist", ...free.map((id) => names[id])]);
  await page.getByRole("button", { name: new RegExp(names[free[0]]) }).click();
  await confirm(page, "Date First");
  assert.match(await page.locator(".hs-done-what").innerText(), new RegExp(`with ${names[free[0]]}`));
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("on a 360×740 phone every step fits the width, and the booking goes through", async () => {
  const host = await hostPage(`<homeslot-widget company="demo"></homeslot-widget>`, { width: 360, height: 740 });
  const { page } = host;
  const fits = async (step) => {
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      widget: document.querySelector("homeslot-widget").shadowRoot.querySelector(".hs").scrollWidth,
    }));
    assert.ok(widths.page <= 360 && widths.widget <= 360, `${step}: ${JSON.stringify(widths)}`);
  };
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  await fits("services");
  await page.getByRole("button", { name: /^Blow-dry/ }).click();
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await fits("specialists");
  await page.getByRole("button", { name: /^Any specialist/ }).click();
  await page.locator(".hs-time").first().waitFor();
  await fits("times");
  await pickFirstTime(page);
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  await fits("details");
  await confirm(page, "Small Phone");
  await fits("done");
  assert.deepEqual(await accessibilityProblems(page), []);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a hold that runs out while the client types: taken meanwhile, said plainly, nearest times offered", async () => {
  // A one-minute hold (the shortest an owner can set) on a small salon of its own.
  await putCompany({
    id: "hold-e2e", name: "Quick Holds", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main Street", address: "1 Main Street", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, hold_minutes: 1 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2500, specialist_ids: ["kai"] }],
    specialists: [{ id: "kai", name: "Kai Moss", position: "Barber", location_id: "main", working_hours: everyDay("00:00", "23:59") }],
  });
  // Two days out: today's first free time may start within the minute the client is away, and
  // then it could no longer be booked by anyone (start_in_past), whatever the hold did.
  const date = addDays(new Date().toISOString().slice(0, 10), 2);
  const host = await hostPage(`<homeslot-widget company="hold-e2e" service="cut" specialist="kai" date="${date}"></homeslot-widget>`);
  const { page } = host;
  await page.locator(`.hs-grid[data-date="${date}"]`).waitFor();
  const start = await pickFirstTime(page);
  await page.locator(".hs-held").waitFor();
  await page.getByLabel("Name").fill("Slow Typist");
  await page.getByLabel("Phone").fill(phone());
  // The client is away longer than the hold; someone else books the time once it is free.
  await new Promise((resolve) => setTimeout(resolve, 62_000));
  const other = await api("/v1/companies/hold-e2e/locations/main/bookings", {
    method: "POST", body: { service_id: "cut", start, client: { name: "Quick One", phone: phone() } },
  });
  assert.equal(other.status, 201, other.text);
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByText("has just been taken").waitFor();
  const nearest = page.locator(".hs-nearest .hs-time");
  await nearest.first().waitFor();
  await nearest.first().click();
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  assert.match(await page.locator(".hs-done-what").innerText(), /Cut with Kai Moss/);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("categories and descriptions; two services in one visit: ticked, one specialist for both, booked back to back", async () => {
  const person = (id, name) => ({ id, name, position: "Stylist", location_id: "main", working_hours: everyDay("09:00", "17:00") });
  await putCompany({
    id: "visit-e2e", name: "Visit Hair", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main Street", address: "1 Main Street", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    categories: [{ id: "colours", name: "Colour" }, { id: "cuts", name: "Cuts" }, { id: "empty", name: "Nothing here" }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2500, specialist_ids: ["kai", "mia"], category_id: "cuts" },
      { id: "colour", name: "Colour", duration_minutes: 60, price_minor: 6000, specialist_ids: ["kai"], category_id: "colours",
        description: "Root to tip, one shade" },
      { id: "wash", name: "Wash", duration_minutes: 15, price_minor: 800, specialist_ids: ["mia"] },
    ],
    specialists: [person("kai", "Kai Lund"), person("mia", "Mia Stone")],
  });
  const date = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
  const host = await hostPage(`<homeslot-widget company="visit-e2e" date="${date}"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  // The owner's categories in their order (an empty one left out), then the rest; descriptions.
  assert.deepEqual(await page.locator("h3.hs-group").allInnerTexts(), ["Colour", "Cuts"]);
  assert.deepEqual(await page.locator(".hs-item-name").allInnerTexts(), ["Colour", "Cut", "Wash"]);
  assert.equal(await page.locator(".hs-item-desc").innerText(), "Root to tip, one shade");
  await page.getByRole("checkbox", { name: "Add Cut to the visit" }).check();
  await page.getByRole("checkbox", { name: "Add Colour to the visit" }).check();
  assert.deepEqual(await accessibilityProblems(page), []);
  await page.getByRole("button", { name: "Continue with Cut + Colour" }).click();

  // Only who does both is offered (besides "any").
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  assert.deepEqual(await page.locator(".hs-person .hs-item-name").allInnerTexts(), ["Any specialist", "Kai Lund"]);
  await page.getByRole("button", { name: /Kai Lund/ }).click();
  assert.equal(await page.locator(".hs-sub").first().innerText(), "Cut + Colour");
  const start = await pickFirstTime(page);
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  assert.match(await page.locator(".hs-summary").innerText(), /Cut \+ Colour/);
  assert.match(await page.locator(".hs-price").innerText(), /£85\.00/);
  const number = phone();
  await page.getByLabel("Name").fill("Visit Client");
  await page.getByLabel("Phone").fill(number);
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  assert.equal(await page.locator(".hs-done-what").innerText(), "Cut + Colour with Kai Lund");
  assert.match(await page.locator(".hs-done-price").innerText(), /£85\.00/);

  // Two bookings of one visit, the colour right after the cut, both with Kai.
  const day = start.slice(0, 10);
  const { body } = await api(`/v1/admin/companies/visit-e2e/locations/main/bookings?date=${day}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const parts = body.bookings.filter((b) => b.client_phone === number.replaceAll(" ", "")).sort((a, b) => a.start - b.start);
  assert.deepEqual(parts.map((b) => [b.service_id, b.specialist_id]), [["cut", "kai"], ["colour", "kai"]]);
  assert.equal(parts[0].start_at, start);
  assert.equal(parts[1].start_at, parts[0].end_at);
  assert.ok(parts[0].visit_id && parts[0].visit_id === parts[1].visit_id);

  // Its manage link: a part of a visit is not moved alone, and cancelling cancels both parts.
  const href = await page.getByRole("link", { name: "Manage or cancel this booking" }).getAttribute("href");
  await page.goto("about:blank");
  await page.goto(href);
  await page.getByText("Part of a visit of several services: cancelling cancels all of them.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Change the time" }).count(), 0);
  await page.getByRole("button", { name: "Cancel this booking" }).click();
  await page.getByRole("button", { name: "Yes, cancel it" }).click();
  await page.locator(".hs-status", { hasText: "Cancelled" }).waitFor();
  const after = (await api(`/v1/admin/companies/visit-e2e/locations/main/bookings?date=${day}`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  })).body.bookings.filter((b) => b.visit_id === parts[0].visit_id);
  assert.deepEqual(after.map((b) => b.status), ["cancelled", "cancelled"]);
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("a group class: sessions with the spots left, a seat taken, one spot fewer for the next client, a full one's waiting list", async () => {
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  // A company of its own per run: seats taken in an earlier run on the same state stay taken.
  const company = `class-${Date.now() % 1000000}`;
  await putCompany({
    id: company, name: "Studio Flow", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main Studio", address: "1 Main Street", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "massage", name: "Massage", duration_minutes: 60, price_minor: 5000, specialist_ids: ["ola"] }, {
      id: "pilates", name: "Pilates", duration_minutes: 60, price_minor: 1500, specialist_ids: [],
      class: { capacity: 3, waitlist_capacity: 2, sessions: [
        { location_id: "main", specialist_id: "ola", date: day(3), start: "09:00" },
        { location_id: "main", specialist_id: "ola", date: day(3), start: "18:00" },
      ] },
    }],
    specialists: [{ id: "ola", name: "Ola Berg", position: "Instructor", location_id: "main", working_hours: everyDay("08:00", "20:00") }],
  });
  const host = await hostPage(`<homeslot-widget company="${company}"></homeslot-widget>`);
  const { page } = host;
  await page.getByRole("heading", { name: "Group classes" }).waitFor();
  await page.getByRole("button", { name: /Pilates/ }).click();
  // No specialist step: the sessions of the first day that has one, morning and evening apart.
  await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  await page.locator(`.hs-grid[data-date="${day(3)}"]`).waitFor();
  assert.deepEqual(await page.locator(".hs-part").allInnerTexts(), ["Morning", "Evening"]);
  const morning = page.getByRole("group", { name: "Morning" }).locator(".hs-time");
  assert.equal(await morning.innerText(), "09:00\n3 spots left");
  assert.deepEqual(await accessibilityProblems(page), []);
  // Only the class's day is open in the strip.
  assert.equal(await page.locator(".hs-date:not([disabled])").count(), 1);
  // Back goes to the services, not to a specialist step.
  await page.getByRole("button", { name: "← Services" }).click();
  await page.getByRole("button", { name: /Pilates/ }).click();
  await morning.click();
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  assert.match(await page.locator(".hs-summary").innerText(), /Pilates/);
  await page.getByLabel("Name").fill("Class Client");
  await page.getByLabel("Phone").fill(phone());
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  assert.equal(await page.locator(".hs-done-what").innerText(), "Pilates with Ola Berg");

  // The next client sees one spot fewer in that session.
  await page.getByRole("button", { name: "Book another visit" }).click();
  await page.getByRole("button", { name: /Pilates/ }).click();
  await page.locator(`.hs-grid[data-date="${day(3)}"]`).waitFor();
  assert.equal(await page.getByRole("group", { name: "Morning" }).locator(".hs-time").innerText(), "09:00\n2 spots left");
  const { body } = await api(`/v1/companies/${company}/locations/main/classes?service=pilates&from=${day(3)}&days=1`);
  assert.deepEqual(body.sessions.map((s) => s.seats_left), [2, 3]);

  // The evening session fills up: the widget offers its waiting list, and says the place.
  const evening = body.sessions[1].start;
  for (let n = 0; n < 3; n++) {
    const seat = await api(`/v1/companies/${company}/locations/main/class-bookings`, {
      method: "POST", body: { service_id: "pilates", start: evening, client: { name: `Seat ${n}`, phone: phone() } },
    });
    assert.equal(seat.status, 201, seat.text);
  }
  await page.getByRole("button", { name: "← Services" }).click();
  await page.getByRole("button", { name: /Pilates/ }).click();
  const full = page.getByRole("group", { name: "Evening" }).locator(".hs-time");
  assert.equal(await full.innerText(), "18:00\nFull: join the waiting list");
  await full.click();
  await page.getByRole("button", { name: "Join the waiting list" }).click();
  await page.getByRole("heading", { name: "You're on the waiting list" }).waitFor();
  assert.match(await page.locator(".hs-done-place").innerText(), /^Number 1\./);
  assert.equal(await page.getByRole("link", { name: "Add to Google Calendar" }).count(), 0, "no seat yet: nothing for a calendar");
  await page.getByRole("link", { name: "Manage or cancel this booking" }).waitFor();
  assert.deepEqual(host.problems, []);
  await host.close();
});
