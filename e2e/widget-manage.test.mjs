// The client's manage link in headless Chromium: the success screen links back to the same page
// with the token in the fragment; opening it shows the booking, which the client moves to another
// time and then cancels, each checked through the API. A booking inside the owner's notice, and a
// link that leads nowhere, are said plainly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, addDays, api, BASE, everyDay, launchBrowser, putCompany } from "./helpers.mjs";

let browser;
/** A one-barber shop whose bookings can be changed online until `notice` minutes before. */
function shop(id, name, notice) {
  return {
    id, name, currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main Street", address: "1 Main Street", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: notice } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2500, specialist_ids: ["kai"] }],
    specialists: [{ id: "kai", name: "Kai Lund", position: "Barber", location_id: "main", working_hours: everyDay("09:00", "17:00") }],
  };
}

before(async () => {
  browser = await launchBrowser();
  await putCompany(shop("manage-e2e", "Manage Cuts", 60));
  await putCompany(shop("late-e2e", "Late Cuts", 40320)); // four weeks: every booking is inside it
});
after(async () => { await browser?.close(); });

/** A page at the edge's origin holding `element`; any fragment in the address reaches the loader. */
async function hostPage(element) {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,"><h1>A host page</h1>${element}` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/salon.html*`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  return { page, problems, close: () => context.close() };
}

function phone() {
  return `+44 7400 8${String(Date.now() % 100000).padStart(5, "0")}`;
}

test("a client moves and then cancels their booking through the link on the success screen", async () => {
  const date = addDays(new Date().toISOString().slice(0, 10), 3);
  const host = await hostPage(`<homeslot-widget company="manage-e2e" service="cut" specialist="kai" date="${date}"></homeslot-widget>`);
  const { page } = host;
  await page.goto(`${BASE}/salon.html?from=instagram`);
  const first = page.locator(".hs-time").first();
  await first.waitFor();
  const booked = await first.getAttribute("data-start");
  await first.click();
  await page.getByLabel("Name").fill("Manage Client");
  await page.getByLabel("Phone").fill(phone());
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();

  // The link is this page (query kept) with the token in the fragment, opened in a new tab.
  const link = page.getByRole("link", { name: "Manage or cancel this booking" });
  const href = await link.getAttribute("href");
  assert.match(href, new RegExp(`^${BASE}/salon\\.html\\?from=instagram#homeslot-manage=manage-e2e\\.main\\.bk_[0-9a-f]{32}\\.[0-9a-f]{32}$`));
  assert.equal(await link.getAttribute("target"), "_blank");
  const token = href.split("#homeslot-manage=")[1];

  // Opening it shows the booking; the token leaves the address bar.
  await page.goto("about:blank");
  await page.goto(href);
  await page.getByRole("heading", { name: "Your booking" }).waitFor();
  assert.equal(page.url(), `${BASE}/salon.html?from=instagram`);
  assert.equal(await page.locator(".hs-status").innerText(), "Confirmed");
  assert.match(await page.locator(".hs-done-what").innerText(), /Cut with Kai Lund/);
  assert.match(await page.locator(".hs-manage .hs-sub").first().innerText(), /You can change or cancel it until/);
  assert.deepEqual(await accessibilityProblems(page), []);

  // Move it: the same specialist's times, back once to the booking, then a new time.
  await page.getByRole("button", { name: "Change the time" }).click();
  await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  await page.getByRole("button", { name: "← Your booking" }).click();
  await page.getByRole("button", { name: "Change the time" }).click();
  const times = page.locator(".hs-time");
  await times.first().waitFor();
  const offered = await times.evaluateAll((buttons) => buttons.map((b) => b.dataset.start));
  assert.ok(!offered.includes(booked), "the booking's own time is not offered again");
  const later = times.nth(2);
  const moved = await later.getAttribute("data-start");
  await later.click();
  await page.getByRole("heading", { name: /^Move your booking to .+\?$/ }).waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);
  await page.getByRole("button", { name: "Move the booking" }).click();
  await page.getByRole("heading", { name: "Your booking" }).waitFor();
  const afterMove = (await api(`/v1/manage/${token}`)).body;
  assert.equal(afterMove.start, moved);
  assert.equal(afterMove.status, "confirmed");
  // English words, the date written as in the browser's region (en-GB: "Thursday 10 December").
  assert.equal(await page.locator(".hs-done-when").innerText(), `${new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" }).format(new Date(`${afterMove.local_date}T00:00:00Z`))}, ${afterMove.local_time}`);

  // Cancel it: asked once more, then cancelled; the time is free again for others.
  await page.getByRole("button", { name: "Cancel this booking" }).click();
  await page.getByRole("button", { name: "No, keep it" }).click();
  assert.equal((await api(`/v1/manage/${token}`)).body.status, "confirmed");
  await page.getByRole("button", { name: "Cancel this booking" }).click();
  await page.getByRole("button", { name: "Yes, cancel it" }).click();
  await page.locator(".hs-status", { hasText: "Cancelled" }).waitFor();
  assert.equal((await api(`/v1/manage/${token}`)).body.status, "cancelled");
  assert.equal(await page.getByRole("button", { name: "Cancel this booking" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Change the time" }).count(), 0);
  const free = (await api(`/v1/companies/manage-e2e/locations/main/slots?service=cut&date=${afterMove.local_date}`)).body;
  assert.ok(free.slots.some((s) => s.start === moved), "the cancelled time is free again");

  // And a new booking from there.
  await page.getByRole("button", { name: "Make a new booking" }).click();
  await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  assert.deepEqual(host.problems, []);
  await host.close();
});

test("inside the owner's notice the link shows the booking but says to call; a broken link says so", async () => {
  const date = addDays(new Date().toISOString().slice(0, 10), 2);
  const day = (await api(`/v1/companies/late-e2e/locations/main/slots?service=cut&date=${date}`)).body;
  const response = await api("/v1/companies/late-e2e/locations/main/bookings", {
    method: "POST",
    body: { service_id: "cut", start: day.slots[0].start, client: { name: "Late Client", phone: phone() } },
  });
  assert.equal(response.status, 201);
  const { manage_token: token } = response.body;

  const host = await hostPage(`<homeslot-widget company="late-e2e"></homeslot-widget>`);
  const { page } = host;
  await page.goto(`${BASE}/salon.html#homeslot-manage=${token}`);
  await page.getByRole("heading", { name: "Your booking" }).waitFor();
  assert.equal(await page.locator(".hs-status").innerText(), "Confirmed");
  await page.getByText("It can no longer be changed online. Please call us.").waitFor();
  assert.equal(await page.getByRole("button", { name: "Cancel this booking" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Change the time" }).count(), 0);

  // A link with a wrong secret: the same plain answer as any unknown link, and a way on.
  const forged = token.replace(/[0-9a-f]{32}$/, "0".repeat(32));
  await page.goto("about:blank");
  await page.goto(`${BASE}/salon.html#homeslot-manage=${forged}`);
  await page.getByText("We could not find a booking for this link.", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Make a new booking" }).click();
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();

  // Another business's widget on the page ignores a link that is not its own.
  await page.goto("about:blank");
  await page.goto(`${BASE}/salon.html#homeslot-manage=manage-e2e.main.bk_${"0".repeat(32)}.${"0".repeat(32)}`);
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  assert.ok(page.url().includes("#homeslot-manage="), "a link for another business is left alone");
  assert.deepEqual(host.problems, []);
  await host.close();
});
