// Memberships over HTTP against the real objects: imported all or nothing, checked by number and
// phone, required by members-only services, refused with their own codes, debited with the
// booking (across a visit, once per idempotency key, never twice for the last visit) and given
// back when the booking is cancelled. Then in Chromium: the widget asks for a membership for a
// members-only service, shows it before the client commits, and says why one is refused.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, addDays, api, everyDay, hostPage, launchBrowser, putCompany, TOKEN } from "./helpers.mjs";

const stamp = String(Date.now() % 100000).padStart(5, "0");
// A company of its own per run: memberships outlive a catalog's replacement, and the first test
// starts from none.
const COMPANY = `members-e2e-${stamp}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const base = `/v1/companies/${COMPANY}`;
const path = (rest) => `${base}/locations/gym/${rest}`;
const phone = (n) => `+44 7400 5${String(n).padStart(2, "0")}${stamp.slice(0, 3)}`;
const client = (n) => ({ name: `Member ${n}`, phone: phone(n) });

before(async () => {
  await putCompany({
    id: COMPANY, name: "Members Gym", currency: "GBP", site_origins: [],
    categories: [{ id: "training", name: "Training" }],
    locations: [{ id: "gym", name: "Gym", address: "1 Gym Road", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 60 } }],
    services: [
      { id: "pt", name: "Personal training", category_id: "training", members_only: true, duration_minutes: 30, price_minor: 3000, specialist_ids: ["rae"] },
      { id: "stretch", name: "Stretching", category_id: "training", duration_minutes: 30, price_minor: 1000, specialist_ids: ["rae"] },
      { id: "massage", name: "Massage", duration_minutes: 30, price_minor: 5000, specialist_ids: ["rae"] },
      { id: "spin", name: "Spin", members_only: true, duration_minutes: 45, price_minor: 1000, specialist_ids: [],
        class: { capacity: 10, sessions: [{ location_id: "gym", specialist_id: "rae", date: addDays(today, 3), start: "07:00" }] } },
    ],
    specialists: [{ id: "rae", name: "Rae", position: "Coach", location_id: "gym", working_hours: everyDay("06:00", "22:00") }],
  });
});

const member = (number, n, extra) => ({ number, name: "10-visit pass", phone: phone(n), status: "active", category_ids: ["training"], ...extra });
const importJson = (rows) => api(`/v1/admin/companies/${COMPANY}/memberships/import`, { method: "POST", headers: admin, body: rows });
const check = (body) => api(`${base}/memberships/check`, { method: "POST", body });
let slot = 0;
/** A start no other booking of this file uses: day +2, 06:00 onwards, every 30 minutes. */
function start() {
  slot += 1;
  const minutes = 6 * 60 + slot * 30;
  return `${addDays(today, 2)}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00Z`;
}
const book = (service, n, number, headers = {}) => api(path("bookings"), { method: "POST", headers,
  body: { service_id: service, start: start(), client: client(n), ...(number ? { membership: { number } } : {}) } });
const bookingsOn = async (date) =>
  (await api(`/v1/admin/companies/${COMPANY}/locations/gym/bookings?date=${date}`, { headers: admin })).body.bookings;

test("an import is all or nothing: every problem named by its row, nothing written", async () => {
  const bad = await importJson([member("M-1", 1), member("M-2", 2, { phone: "12" }), member("M-1", 3), { number: "M-4" }]);
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.body.error.code, "validation_failed");
  assert.deepEqual(bad.body.rows.map((r) => [r.row, r.field]), [[2, "phone"], [3, "number"], [4, null]]);
  const listed = await api(`/v1/admin/companies/${COMPANY}/memberships`, { headers: admin });
  assert.deepEqual(listed.body.memberships, []);

  const csv = [
    "number,name,phone,status,visits_left,balance_minor,valid_from,valid_until,category_ids,service_ids",
    `M-100,10-visit pass,${phone(1)},active,2,,,${addDays(today, 60)},training,spin`,
    `M-200,"Monthly, unlimited",${phone(2)},expired,,,,,training,`,
    `M-300,10-visit pass,${phone(3)},active,0,,,,training,`,
    `M-400,Gift card,${phone(4)},active,,4000,,,,`,
    `M-500,10-visit pass,${phone(5)},frozen,5,,,,training,`,
    `M-600,10-visit pass,${phone(6)},issued,1,,${addDays(today, 10)},,training,`,
    `M-700,Spin pass,${phone(7)},issued,1,,,,,spin`,
  ].join("\n");
  const imported = await api(`/v1/admin/companies/${COMPANY}/memberships/import`, {
    method: "POST", headers: { ...admin, "content-type": "text/csv" }, body: csv });
  assert.equal(imported.status, 200, imported.text);
  assert.deepEqual(imported.body, { imported: 7, created: 7, replaced: 0 });
  const one = await api(`/v1/admin/companies/${COMPANY}/memberships/M-200`, { headers: admin });
  assert.equal(one.body.name, "Monthly, unlimited", "a quoted field keeps its comma");
  assert.equal(one.body.phone, phone(2).replaceAll(" ", ""), "stored in E.164");
});

test("a client sees their membership by number and phone, and nobody else's", async () => {
  const seen = await check({ number: "m-100", phone: phone(1) });
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(seen.body, { number: "M-100", name: "10-visit pass", status: "active", visits_left: 2, valid_until: addDays(today, 60) });
  const money = await check({ number: "M-400", phone: phone(4) });
  assert.deepEqual(money.body.balance, { amount_minor: 4000, currency: "GBP", exponent: 2 });
  for (const body of [{ number: "M-100", phone: phone(4) }, { number: "M-999", phone: phone(1) }]) {
    const refused = await check(body);
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.code, "membership_not_found");
  }
  // With the services to book, it says at once why it could not pay for them.
  const massage = await check({ number: "M-100", phone: phone(1), service_ids: ["massage"] });
  assert.equal(massage.body.error.code, "membership_not_valid_for_service");
  const expired = await check({ number: "M-200", phone: phone(2), service_ids: ["pt"] });
  assert.equal(expired.body.error.code, "membership_expired");
});

test("a members-only service is refused without a membership, and each bad membership has its own code", async () => {
  const date = addDays(today, 2);
  const before = (await bookingsOn(date)).length;
  const cases = [
    [undefined, 1, "membership_required"],
    ["M-200", 2, "membership_expired"],
    ["M-300", 3, "membership_no_balance"],
    ["M-500", 5, "membership_frozen"],
    ["M-600", 6, "membership_not_yet_valid"],
    ["M-100", 4, "membership_not_found"],
  ];
  for (const [number, n, code] of cases) {
    const refused = await book("pt", n, number);
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.code, code, `${number}: ${refused.text}`);
  }
  const notCovered = await book("massage", 1, "M-100");
  assert.equal(notCovered.body.error.code, "membership_not_valid_for_service");
  assert.equal((await bookingsOn(date)).length, before, "nothing was booked");
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 2, "nothing was debited");
});

test("booking debits the membership, a cancellation gives it back", async () => {
  const booked = await book("pt", 1, "M-100");
  assert.equal(booked.status, 201, booked.text);
  assert.equal(booked.body.membership.visits_left, 1);
  const listed = (await bookingsOn(addDays(today, 2))).find((b) => b.booking_id === booked.body.booking_id);
  assert.equal(listed.membership_number, "M-100", "the owner sees which membership paid");
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 1);
  const cancelled = await api(`/v1/manage/${booked.body.manage_token}/cancel`, { method: "POST", body: {} });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 2);
  // Cancelling again gives nothing more back.
  await api(`/v1/manage/${booked.body.manage_token}/cancel`, { method: "POST", body: {} });
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 2);
  // A money balance pays the price; an issued membership is activated by its first booking.
  const paid = await book("stretch", 4, "M-400");
  assert.equal(paid.status, 201, paid.text);
  assert.deepEqual(paid.body.membership.balance, { amount_minor: 3000, currency: "GBP", exponent: 2 });
});

test("a visit counts the balance across all its parts", async () => {
  const visit = (services, n, number) => {
    const at = start();
    slot += 1; // a visit of two takes an hour
    return api(path("visits"), { method: "POST", body: {
      start: at, parts: services.map((service_id) => ({ service_id })), client: client(n), membership: { number } } });
  };
  const tooMuch = await visit(["pt", "massage"], 4, "M-400"); // 30.00 + 50.00 against 30.00 left
  assert.equal(tooMuch.body.error.code, "membership_no_balance", tooMuch.text);
  const both = await visit(["pt", "stretch"], 1, "M-100");
  assert.equal(both.status, 201, both.text);
  assert.equal(both.body.membership.visits_left, 0, "two parts, two visits");
  const cancelled = await api(`/v1/manage/${both.body.parts[1].manage_token}/cancel`, { method: "POST", body: {} });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 2, "the whole visit is given back");
});

test("the last visit goes to one booking however many race for it, and a retry does not pay twice", async () => {
  const adjusted = await api(`/v1/admin/companies/${COMPANY}/memberships/M-100`, { method: "PATCH", headers: admin, body: { visits_left: 1 } });
  assert.equal(adjusted.status, 200, adjusted.text);
  const answers = await Promise.all(Array.from({ length: 6 }, () => book("pt", 1, "M-100")));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [201, 422, 422, 422, 422, 422], answers.map((a) => a.text).join("\n"));
  assert.ok(answers.filter((a) => a.status === 422).every((a) => a.body.error.code === "membership_no_balance"));
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 0);

  // The last visit again, confirmed with a key and sent twice (the first answer lost): the retry
  // gets the first answer, though the balance no longer covers a booking, and pays nothing more.
  await api(`/v1/admin/companies/${COMPANY}/memberships/M-100`, { method: "PATCH", headers: admin, body: { visits_left: 1 } });
  const body = { service_id: "pt", start: start(), client: client(1), membership: { number: "M-100" } };
  const headers = { "Idempotency-Key": `members-${stamp}` };
  const first = await api(path("bookings"), { method: "POST", body, headers });
  const again = await api(path("bookings"), { method: "POST", body, headers });
  assert.deepEqual([first.status, again.status], [201, 201], first.text + again.text);
  assert.equal(again.body.booking_id, first.body.booking_id);
  assert.equal((await check({ number: "M-100", phone: phone(1) })).body.visits_left, 0, "one debit for one booking");
  await api(`/v1/admin/companies/${COMPANY}/memberships/M-100`, { method: "PATCH", headers: admin, body: { visits_left: 2 } });
});

test("class seats: members only, paid with a membership, given back when left", async () => {
  const seat = (n, number) => api(path("class-bookings"), { method: "POST", body: {
    service_id: "spin", start: `${addDays(today, 3)}T07:00:00Z`, client: client(n), ...(number ? { membership: { number } } : {}) } });
  assert.equal((await seat(7)).body.error.code, "membership_required");
  const taken = await seat(7, "M-700");
  assert.equal(taken.status, 201, taken.text);
  assert.equal(taken.body.membership.visits_left, 0);
  assert.equal(taken.body.membership.status, "active", "its first booking activated it");
  await api(`/v1/manage/${taken.body.manage_token}/cancel`, { method: "POST", body: {} });
  assert.equal((await check({ number: "M-700", phone: phone(7) })).body.visits_left, 1);
});

test("admins adjust a membership, and bad changes are refused with the field named", async () => {
  const url = `/v1/admin/companies/${COMPANY}/memberships/M-500`;
  assert.equal((await api(url, { method: "PATCH", headers: admin, body: { status: "active" } })).status, 200);
  assert.equal((await book("pt", 5, "M-500")).status, 201, "unfrozen, it books");
  const refusals = [
    [{ number: "M-501" }, "number"],
    [{ visits_left: 1, balance_minor: 100 }, "balance_minor"],
    [{ valid_from: "2027-02-01", valid_until: "2027-01-01" }, "valid_until"],
    [{ category_ids: ["nope"] }, "category_ids[0]"],
  ];
  for (const [patch, field] of refusals) {
    const refused = await api(url, { method: "PATCH", headers: admin, body: patch });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.field, field);
  }
  assert.equal((await api(url, { method: "PATCH", headers: admin, body: { status: "lapsed" } })).status, 400);
  const put = await api(`/v1/admin/companies/${COMPANY}/memberships/M-900`, { method: "PUT", headers: admin, body: member("M-901", 9) });
  assert.equal(put.status, 422);
  const created = await api(`/v1/admin/companies/${COMPANY}/memberships/M-900`, { method: "PUT", headers: admin, body: member("M-900", 9) });
  assert.equal(created.status, 201, created.text);
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/memberships`)).status, 401, "admins only");
});

test("the widget books a members-only service with a membership it shows first, and says why others are refused", async () => {
  const until = addDays(today, 90);
  const imported = await importJson([
    member("W-1", 20, { visits_left: 3, valid_until: until }),
    member("W-2", 21, { status: "expired" }),
    member("W-3", 22, { visits_left: 0 }),
  ]);
  assert.equal(imported.status, 200, imported.text);
  const browser = await launchBrowser();
  try {
    const { page, problems, close } = await hostPage(browser, `<homeslot-widget company="${COMPANY}"></homeslot-widget>`);
    await page.getByRole("heading", { name: "Choose a service" }).waitFor();
    const pt = page.locator(".hs-row", { hasText: "Personal training" });
    assert.match(await pt.locator(".hs-offer").innerText(), /Members only/);
    await pt.locator(".hs-item").click();
    await page.getByRole("button", { name: /Any specialist/ }).click();
    await page.locator(".hs-time").first().click();
    await page.getByRole("heading", { name: "Your details" }).waitFor();
    await page.getByLabel("Name").fill("Member Twenty");
    const phoneField = page.getByLabel("Phone");
    const number = page.getByLabel("Membership number");
    const error = page.locator("#hs-error-membership");

    // No membership: the edge refuses, and the widget says so at the membership's field.
    await phoneField.fill(phone(20));
    await page.getByRole("button", { name: "Confirm booking" }).click();
    await error.waitFor();
    assert.equal(await error.innerText(), "This service is for members. Please enter your membership number.");
    assert.equal(await number.getAttribute("aria-invalid"), "true");

    // An expired one and an empty one, each with its own words.
    const refused = async (n, membership, words) => {
      await phoneField.fill(phone(n));
      await number.fill(membership);
      await page.getByRole("button", { name: "Check" }).click();
      await page.locator("#hs-error-membership", { hasText: words }).waitFor();
      assert.equal(await page.locator(".hs-membership-card").count(), 0);
    };
    await refused(21, "W-2", "This membership has expired, or ends before this visit.");
    await refused(22, "W-3", "This membership does not have enough left for this booking.");
    await refused(21, "W-1", "We could not find this membership for this phone number.");

    // The client's own: its name, what is left and until when, before they commit.
    await phoneField.fill(phone(20));
    await number.fill("w-1");
    await page.getByRole("button", { name: "Check" }).click();
    const card = page.locator(".hs-membership .hs-membership-card");
    await card.waitFor();
    const text = await card.innerText();
    assert.match(text, /10-visit pass/);
    assert.match(text, /3 visits left/);
    assert.match(text, new RegExp(`Valid until .*${until.slice(0, 4)}`), "its last day, with the year");
    assert.equal(await error.count(), 0);
    assert.deepEqual(await accessibilityProblems(page), []);

    await page.getByRole("button", { name: "Confirm booking" }).click();
    await page.getByRole("heading", { name: "You're booked!" }).waitFor();
    const paid = await page.locator(".hs-done .hs-membership-card").innerText();
    assert.match(paid, /Paid with 10-visit pass/);
    assert.match(paid, /2 visits left/, "debited with the booking");
    assert.equal((await check({ number: "W-1", phone: phone(20) })).body.visits_left, 2);
    assert.deepEqual(problems, []);
    await close();
  } finally {
    await browser.close();
  }
});
