// A client books through the widget on the demo host page, in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, book, client, dateWithSlots, daysBetween, launchBrowser, slots } from "./helpers.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openDemo() {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
  // Page errors, and failed requests other than the API's own 4xx answers the test provokes.
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("response", (r) => {
    const expected = r.url().includes("/v1/") && r.status() < 500;
    if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${BASE}/`);
  // Locators pierce the widget's open shadow root.
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  return { page, problems };
}

/** Walks the widget to the time grid of `date` for `serviceName`. */
async function openTimes(page, serviceName, today, date) {
  await page.getByRole("button", { name: new RegExp(serviceName) }).click();
  await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  await page.locator(".hs-date").nth(daysBetween(today, date)).click();
  // The grid says which date it shows; wait for the chosen one.
  await page.locator(`.hs-grid[data-date="${date}"] .hs-time`).first().waitFor();
}

test("a client books a slot through the widget; it is then gone, and the API refuses it", async () => {
  const { today, date, slots: free } = await dateWithSlots("colour", 7);
  const { page, problems } = await openDemo();
  await openTimes(page, "Full colour", today, date);
  const slot = free[0];
  const shown = await page.locator(".hs-time").evaluateAll((els) => els.map((e) => e.dataset.start));
  assert.deepEqual(shown, free.map((s) => s.start), "the widget shows exactly the API's free slots");

  await page.locator(`.hs-time[data-start="${slot.start}"]`).click();
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  await page.getByLabel("Name").fill("Maria Silva");
  await page.getByLabel("Phone").fill("+44 7700 900555");
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  assert.match(await page.locator(".hs-done-what").textContent(), /Full colour with Anna Kowalska/);
  assert.match(await page.locator(".hs-done-when").textContent(), new RegExp(slot.local_time));

  // The slot no longer appears, neither in the API nor in a fresh widget.
  assert.equal((await slots("colour", date)).some((s) => s.start === slot.start), false);
  await page.reload();
  await page.getByRole("heading", { name: "Choose a service" }).waitFor();
  await openTimes(page, "Full colour", today, date);
  assert.equal(await page.locator(`.hs-time[data-start="${slot.start}"]`).count(), 0);

  // A second client trying the same slot through the API is refused.
  const second = await book({ service_id: "colour", start: slot.start, client: client(7) });
  assert.equal(second.status, 409);
  assert.equal(second.body.error.code, "slot_unavailable");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the widget explains bad details and a slot lost to someone else, and recovers", async () => {
  const { today, date, slots: free } = await dateWithSlots("colour", 8);
  const { page, problems } = await openDemo();
  await openTimes(page, "Full colour", today, date);
  const lost = free[0];
  // Another time that does not overlap the lost one (the visit lasts 90 minutes).
  const other = free.find((s) => Date.parse(s.start) >= Date.parse(lost.start) + 90 * 60_000);
  await page.locator(`.hs-time[data-start="${lost.start}"]`).click();
  await page.getByLabel("Name").fill("Jo");
  await page.getByLabel("Phone").fill("12345");
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByText("Enter the phone number with its country code").waitFor();
  assert.equal(await page.getByLabel("Phone").getAttribute("aria-invalid"), "true");

  // Someone else takes the slot while this client is typing.
  assert.equal((await book({ service_id: "colour", start: lost.start, client: client(8) })).status, 201);
  await page.getByLabel("Phone").fill("+44 7700 900556");
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "Choose a time" }).waitFor();
  await page.getByText("has just been taken").waitFor();
  assert.equal(await page.locator(`.hs-time[data-start="${lost.start}"]`).count(), 0, "the lost time is gone");

  await page.locator(`.hs-time[data-start="${other.start}"]`).click();
  // The details typed before are still there: the client only confirms again.
  assert.equal(await page.getByLabel("Name").inputValue(), "Jo");
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});
