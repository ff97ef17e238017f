// The catalog in forms, in Chromium on the real stack: the owner changes a service's price (in
// the currency's units) and a specialist's own price, adds a service, gives a specialist time off
// and a date with other hours, orders categories; the change is in the public catalog as soon as
// the console says it is saved. A wrong value is refused at its field, and deleting a location
// that still has specialists says who. A manager edits only their own location's people. Every
// screen is axe-clean at phone and desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `cat-${RUN}`;

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Studio Süd", currency: "EUR", site_origins: [],
    locations: [{ id: "north", name: "North", time_zone: "Europe/Berlin" }, { id: "south", name: "South", time_zone: "Europe/Berlin" }],
    categories: [{ id: "cuts", name: "Cuts" }, { id: "colour", name: "Colour" }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["anna", "ben"], category_id: "cuts" },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: [],
        class: { capacity: 8, sessions: [{ location_id: "south", specialist_id: "ben", weekday: "mon", start: "18:00" }] } },
    ],
    specialists: [
      { id: "anna", name: "Anna", location_id: "north", working_hours: everyDay() },
      { id: "ben", name: "Ben", location_id: "south", working_hours: everyDay() },
    ],
  });
});
after(async () => { await browser?.close(); });

async function admin(path = "") {
  return (await fetch(`${BASE}/v1/admin/companies/${COMPANY}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
}

test("the owner edits services, the team, locations and categories in forms; clients see it at once", async () => {
  const { page, context, problems } = await joinByInvite(browser, COMPANY, "owner", { expected: [401, 409] });
  await page.getByRole("link", { name: "Catalog" }).click();
  await page.waitForURL(`${BASE}/console/b/${COMPANY}/catalog`);
  await page.getByRole("button", { name: "Edit Cut" }).click();
  await page.getByLabel("Length (minutes)").fill("0");
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator(".field-problem").filter({ hasText: /\S/ }).first().waitFor();
  assert.match(await page.locator("#service-cut-minutes-problem").innerText(), /\S/, "said at the length");
  await page.getByLabel("Length (minutes)").fill("45");
  await page.getByLabel("Price (EUR)").fill("32,50");
  await page.getByLabel("Anna's price").fill("40");
  await screenIsClean(page, "a service's form");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Edit Cut" }).waitFor();
  const published = await (await fetch(`${BASE}/v1/companies/${COMPANY}`)).json();
  const cut = published.services.find((s) => s.id === "cut");
  assert.equal(cut.duration_minutes, 45);
  assert.deepEqual([cut.price.amount_minor, cut.price.currency], [3250, "EUR"]);
  assert.deepEqual((await admin()).services[0].variants, [{ specialist_id: "anna", price_minor: 4000 }]);

  await page.getByRole("button", { name: "Add a service" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Beard trim");
  await page.getByLabel("Length (minutes)").fill("20");
  await page.getByLabel("Price (EUR)").fill("15");
  await page.getByRole("checkbox", { name: "Anna" }).check();
  await page.getByLabel("Category").selectOption("cuts");
  await page.getByRole("button", { name: "Add the service" }).click();
  await page.getByRole("button", { name: "Edit Beard trim" }).waitFor();
  const trim = (await admin()).services.find((s) => s.id === "beard-trim");
  assert.deepEqual([trim.duration_minutes, trim.price_minor, trim.specialist_ids, trim.category_id], [20, 1500, ["anna"], "cuts"]);

  // A group class: its seats and a second weekly session.
  await page.getByRole("button", { name: "Edit Yoga" }).click();
  await page.getByLabel("Seats per session").fill("12");
  await page.getByRole("button", { name: "Add a session" }).click();
  await page.getByLabel("Session 2 meets").selectOption("thu");
  await page.locator("#service-yoga-class-s1-start").fill("07:30");
  await page.getByLabel("Where").nth(1).selectOption("south");
  await page.getByLabel("Led by").nth(1).selectOption("ben");
  await screenIsClean(page, "a class's form");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Edit Yoga" }).waitFor();
  const yoga = (await admin()).services.find((s) => s.id === "yoga").class;
  assert.equal(yoga.capacity, 12);
  assert.deepEqual(yoga.sessions.map((x) => [x.weekday, x.start, x.location_id, x.specialist_id]),
    [["mon", "18:00", "south", "ben"], ["thu", "07:30", "south", "ben"]]);

  await page.getByRole("link", { name: "Team" }).click();
  await page.getByRole("button", { name: "Edit Anna" }).click();
  await page.getByLabel("Position").fill("Senior stylist");
  await page.getByLabel("First day away").fill("2027-08-02");
  await page.getByLabel("Last day away").fill("2027-08-13");
  await page.getByRole("button", { name: "Add the time off" }).click();
  await page.getByLabel("Date", { exact: true }).fill("2027-03-05");
  await page.getByLabel("Not working that day").check();
  await page.getByRole("button", { name: "Add the date" }).click();
  await page.getByText("2027-03-05: day off").waitFor();
  await screenIsClean(page, "a specialist's form");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("2 dates with other hours").waitFor();
  const anna = (await admin()).specialists.find((s) => s.id === "anna");
  assert.equal(anna.position, "Senior stylist");
  assert.deepEqual(anna.time_off, [{ from: "2027-08-02", until: "2027-08-13" }]);
  assert.deepEqual(anna.date_overrides, [{ date: "2027-03-05", hours: [] }]);

  await page.getByRole("link", { name: "Locations" }).click();
  await page.getByRole("button", { name: "Edit North" }).click();
  await page.getByLabel("Minimum notice (minutes)").fill("120");
  await page.getByRole("button", { name: "Add the holiday" }).waitFor();
  await page.locator("#location-north-holiday-date").fill("2027-12-25");
  await page.getByRole("button", { name: "Add the holiday" }).click();
  // The full address and the map position Google matches the location by.
  await page.getByLabel("Address").fill("Sendlinger Straße 1");
  await page.getByLabel("City").fill("München");
  await page.getByLabel("Postal code").fill("80331");
  await page.getByLabel("Country").selectOption("DE");
  await page.getByLabel("On the map (latitude, longitude)").fill("north of here");
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator("#location-north-map-problem").filter({ hasText: /latitude/ }).waitFor();
  await page.getByLabel("On the map (latitude, longitude)").fill("48.1351, 11.5690");
  await screenIsClean(page, "a location's form");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("button", { name: "Edit North" }).waitFor();
  const north = (await admin()).locations.find((l) => l.id === "north");
  assert.deepEqual([north.policy.minimum_notice_minutes, north.holidays], [120, ["2027-12-25"]]);
  assert.deepEqual([north.address, north.city, north.postal_code, north.country, north.geo],
    ["Sendlinger Straße 1", "München", "80331", "DE", { latitude: 48.1351, longitude: 11.569 }]);
  await page.getByRole("button", { name: "Edit North" }).click();
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alert").filter({ hasText: 'Specialist "anna" works at this location' }).waitFor();
  assert.equal((await admin()).locations.length, 2, "nothing deleted");

  await page.getByRole("link", { name: "Categories" }).click();
  await page.getByRole("button", { name: "Move Colour up" }).click();
  await page.getByRole("button", { name: "Save the order and names" }).click();
  await page.getByRole("button", { name: "Save the order and names" }).and(page.locator(":disabled")).waitFor();
  await screenIsClean(page, "the categories");
  assert.deepEqual((await admin()).categories.map((c) => c.id), ["colour", "cuts"]);

  // On Google: the kind of business lists North (its address is full); South still needs one.
  await page.getByRole("link", { name: "Overview" }).click();
  await page.getByLabel("Kind of business").selectOption("hair_salon");
  await page.getByText("North: listed").waitFor();
  await page.getByText("South: needs the street address, city, the postal code, country").waitFor();
  assert.equal((await admin()).business_category, "hair_salon");
  await page.getByRole("button", { name: "Refresh the free times for Google now" }).click();
  await page.getByRole("status").filter({ hasText: /Refreshed for Google's next upload: \d+ free times at 1 location/ }).waitFor();
  await screenIsClean(page, "the overview, on Google");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a manager of one location edits only that location's people", async () => {
  const { page, context, problems } = await joinByInvite(browser, COMPANY, "manager", { locations: ["north"] });
  await page.getByRole("link", { name: "Catalog" }).click();
  await page.getByRole("link", { name: "Team" }).click();
  await page.getByRole("button", { name: "Edit Anna" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Edit Ben" }).count(), 0, "not at a location of theirs");
  await page.getByRole("link", { name: "Locations" }).click();
  await page.getByRole("button", { name: "Edit North" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Edit South" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Add a location" }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
