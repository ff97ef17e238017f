// The test booking switch, on the real stack: the owner turns it on in the console; a booking
// made in the widget then sends no analytics event (one made with it off does), is marked as a
// test in the day's list, is left out of the export, and the hosted page loads no tracker. A test
// booking paid with a membership gives the visit back when the owner clears the tests in one
// click, and the cleared time is free again.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, addDays, api, everyDay, hostPage, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `tests-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const day = addDays(today, 3);
const phone = (n) => `+44 7400 6${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Test Studio", currency: "GBP", site_origins: [],
    widget: { analytics: { ga4_measurement_id: "G-TEST12345" } },
    locations: [{ id: "main", name: "Main", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    categories: [{ id: "all", name: "All" }],
    services: [{ id: "cut", name: "Cut", category_id: "all", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") }],
  });
  const imported = await api(`/v1/admin/companies/${COMPANY}/memberships/import`, { method: "POST", headers: admin,
    body: [{ number: "T-1", name: "5-visit pass", phone: phone(1), status: "active", visits_left: 5, category_ids: ["all"] }] });
  assert.equal(imported.status, 200, imported.text);
});
after(async () => { await browser?.close(); });

/** The widget on a host page whose `dataLayer` records what it is given; books the first time. */
async function bookInWidget(name, n) {
  const host = await hostPage(browser, `<script>window.dataLayer = [];</script>
    <homeslot-widget company="${COMPANY}" service="cut" specialist="any"></homeslot-widget>`);
  const { page } = host;
  const time = page.locator(".hs-time").first();
  await time.waitFor();
  await time.click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Phone").fill(phone(n));
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  await page.waitForTimeout(300);
  const events = await page.evaluate(() => window.dataLayer.map((e) => e.event).filter(Boolean));
  assert.deepEqual(host.problems, []);
  await host.close();
  return events;
}

const bookingsOn = async (date) =>
  (await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings?date=${date}`, { headers: admin })).body.bookings;
const exported = async () => (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body.locations
  .flatMap((l) => l.bookings.map((b) => b.client_name));

test("bookings made while test bookings are on send no analytics, stay out of exports, and clear in one click", async () => {
  assert.ok((await bookInWidget("Real Client", 2)).includes("purchase"), "a real booking is reported");

  const { page, context, problems } = await joinByInvite(browser, COMPANY, "owner");
  await page.getByLabel("Bookings are tests").check();
  await page.waitForFunction(async (company) => {
    const r = await fetch(`/v1/companies/${company}`);
    return (await r.json()).company.test_bookings === true;
  }, COMPANY);
  await screenIsClean(page, "the overview with the test switch");

  assert.deepEqual(await bookInWidget("Trying Owner", 3), [], "no event for a test booking");
  const hosted = await (await fetch(`${BASE}/b/${COMPANY}`)).text();
  assert.doesNotMatch(hosted, /G-TEST12345/, "the hosted page loads no tracker while testing");
  // A test paid with a membership, over HTTP (the same checkout).
  const paid = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: `${day}T15:00:00Z`, client: { name: "Member Test", phone: phone(1) }, membership: { number: "T-1" } } });
  assert.equal(paid.status, 201, paid.text);
  assert.equal(paid.body.membership.visits_left, 4);

  const listed = await bookingsOn(day);
  assert.deepEqual(listed.filter((b) => b.test).map((b) => b.client_name), ["Member Test"]);
  assert.equal(listed.find((b) => b.client_name === "Member Test").test, true);
  assert.deepEqual((await exported()).sort(), ["Real Client"], "tests are not exported");
  const slots = async () => (await api(`/v1/companies/${COMPANY}/locations/main/slots?service=cut&date=${day}`)).body.slots
    .map((s) => s.start);
  assert.ok(!(await slots()).includes(`${day}T15:00:00Z`));

  await page.getByRole("button", { name: "Clear the test bookings" }).click();
  await page.getByText("Cleared 2 test bookings and 0 class seats.").waitFor();
  assert.ok((await slots()).includes(`${day}T15:00:00Z`), "the time is free again");
  const check = await api(`/v1/companies/${COMPANY}/memberships/check`, { method: "POST", body: { number: "T-1", phone: phone(1) } });
  assert.equal(check.body.visits_left, 5, "the membership has its visit back");
  assert.deepEqual((await exported()).sort(), ["Real Client"]);

  await page.getByLabel("Bookings are tests").uncheck();
  await page.waitForFunction(async (company) => {
    const r = await fetch(`/v1/companies/${company}`);
    return !(await r.json()).company.test_bookings;
  }, COMPANY);
  assert.deepEqual(problems, []);
  await context.close();
});
