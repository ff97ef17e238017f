// The contact step as the owner sets it up (widget settings): e-mail and comment hidden, optional
// or required, a privacy policy to accept, a marketing consent to offer. The edge enforces it on
// every way to book (a booking, a visit, a class seat) and keeps what was given for the admins;
// the widget asks exactly that, says what is missing next to the field, and remembers a
// returning client's details on the device with "not you?".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, addDays, api, BASE, everyDay, launchBrowser, putCompany, TOKEN } from "./helpers.mjs";

const COMPANY = "contact-e2e";
const admin = { authorization: `Bearer ${TOKEN}` };
const strict = {
  phone_country: "GB",
  email_field: "required",
  comment_field: "required",
  comment_label: "Notes for your stylist",
  privacy_policy: { text: "I accept how Contact Cuts keeps my data.", url: "https://salon.example/privacy" },
  marketing_consent: true,
};
let browser;

async function setUp(widget) {
  const session = (n) => ({ location_id: "main", specialist_id: "kai", date: addDays(new Date().toISOString().slice(0, 10), n), start: "18:00" });
  await putCompany({
    id: COMPANY, name: "Contact Cuts", currency: "GBP", site_origins: [], widget,
    locations: [{ id: "main", name: "Main Street", address: "1 Main Street", time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2500, specialist_ids: ["kai"] },
      { id: "trim", name: "Trim", duration_minutes: 30, price_minor: 1500, specialist_ids: ["kai"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1000, specialist_ids: [],
        class: { capacity: 5, sessions: [session(2), session(3), session(4)] } },
    ],
    specialists: [{ id: "kai", name: "Kai Lund", position: "Barber", location_id: "main", working_hours: everyDay("09:00", "17:00") }],
  });
}

before(async () => {
  browser = await launchBrowser();
  await setUp(strict);
});
after(async () => { await browser?.close(); });

const path = (rest) => `/v1/companies/${COMPANY}/locations/main/${rest}`;
let n = 0;
function phone() {
  n += 1;
  return `+44 7400 7${String((Date.now() + n) % 100000).padStart(5, "0")}`;
}

async function freeStarts(date) {
  return (await api(path(`slots?service=cut&date=${date}`))).body.slots.map((s) => s.start);
}

async function bookingsOn(date) {
  return (await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings?date=${date}`, { headers: admin })).body.bookings;
}

test("the edge refuses a booking, a visit or a seat without what the owner requires, and keeps what was given", async () => {
  const date = addDays(new Date().toISOString().slice(0, 10), 2);
  const [start] = await freeStarts(date);
  const full = { name: "Ana Lima", phone: phone(), email: "ana@example.com", comment: "Short on the sides",
    privacy_accepted: true, marketing_consent: true };
  const without = (field) => { const client = { ...full }; delete client[field]; return client; };
  const before = await bookingsOn(date);
  const cases = [
    ["email", "email_required", "client.email"],
    ["comment", "comment_required", "client.comment"],
    ["privacy_accepted", "consent_required", "client.privacy_accepted"],
  ];
  for (const [field, code, at] of cases) {
    const client = without(field);
    for (const [endpoint, body] of [
      ["bookings", { service_id: "cut", start, client }],
      ["visits", { start, parts: [{ service_id: "cut" }, { service_id: "trim" }], client }],
    ]) {
      const answer = await api(path(endpoint), { method: "POST", body });
      assert.equal(answer.status, 422, `${endpoint} without ${field}: ${answer.text}`);
      assert.deepEqual([answer.body.error.code, answer.body.error.field], [code, at]);
    }
  }
  const yoga = (await api(path(`classes?service=yoga&from=${date}&days=1`))).body.sessions[0];
  const seat = await api(path("class-bookings"), { method: "POST", body: { service_id: "yoga", start: yoga.start, client: without("privacy_accepted") } });
  assert.deepEqual([seat.status, seat.body.error.code], [422, "consent_required"]);
  const tooLong = await api(path("bookings"), { method: "POST", body: { service_id: "cut", start, client: { ...full, comment: "x".repeat(501) } } });
  assert.deepEqual([tooLong.status, tooLong.body.error.field], [422, "client.comment"]);
  assert.deepEqual(await bookingsOn(date), before, "a refused request writes nothing");

  // With everything: booked, and the admins see the comment and both consents.
  const booked = await api(path("bookings"), { method: "POST", body: { service_id: "cut", start, client: full } });
  assert.equal(booked.status, 201, booked.text);
  const row = (await bookingsOn(date)).find((b) => b.booking_id === booked.body.booking_id);
  assert.deepEqual([row.comment, row.privacy_accepted, row.marketing_consent], ["Short on the sides", true, true]);
  assert.ok(!JSON.stringify(booked.body).includes("Short on the sides"), "the confirmation does not echo the comment");
  const seated = await api(path("class-bookings"), { method: "POST", body: { service_id: "yoga", start: yoga.start, client: { ...full, phone: phone() } } });
  assert.equal(seated.status, 201, seated.text);
  const exported = (await api(`/v1/admin/companies/${COMPANY}/export`, { headers: admin })).body;
  assert.ok(JSON.stringify(exported).includes("Short on the sides"), "the export carries comments");

  // Erasing the client erases their comment and marketing consent too.
  const erased = await api(`/v1/admin/companies/${COMPANY}/clients/erase`, { method: "POST", headers: admin, body: { phone: full.phone } });
  assert.equal(erased.status, 200, erased.text);
  const gone = (await bookingsOn(date)).find((b) => b.booking_id === booked.body.booking_id);
  assert.deepEqual([gone.client_name, gone.comment, gone.marketing_consent], ["(erased)", null, false]);
});

test("fields the owner hides, and a consent they do not offer, are dropped rather than kept", async () => {
  await setUp({ email_field: "hidden", comment_field: "hidden", marketing_consent: false });
  try {
    const date = addDays(new Date().toISOString().slice(0, 10), 3);
    const [start] = await freeStarts(date);
    const client = { name: "Bo Berg", phone: phone(), email: "bo@example.com", comment: "Keep this?", marketing_consent: true };
    const booked = await api(path("bookings"), { method: "POST", body: { service_id: "cut", start, client } });
    assert.equal(booked.status, 201, booked.text);
    const row = (await bookingsOn(date)).find((b) => b.booking_id === booked.body.booking_id);
    assert.deepEqual([row.comment, row.privacy_accepted, row.marketing_consent], [null, false, false]);
  } finally {
    await setUp(strict);
  }
});

test("the widget asks what the owner set, says what is missing by the field, and remembers the client", async () => {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  const date = addDays(new Date().toISOString().slice(0, 10), 4);
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,">` +
    `<homeslot-widget company="${COMPANY}" service="cut" specialist="kai" date="${date}"></homeslot-widget>` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/contact.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/contact.html`);

  const pick = async () => {
    const time = page.locator(".hs-time").first();
    await time.waitFor();
    await time.click();
    await page.getByRole("heading", { name: "Your details" }).waitFor();
  };
  await pick();
  // The owner's fields: the phone starts with the UK code, e-mail and comment are required.
  assert.equal(await page.getByLabel("Phone").inputValue(), "+44 ");
  await page.getByLabel("E-mail", { exact: true }).waitFor();
  await page.getByLabel("Notes for your stylist", { exact: true }).waitFor();
  await page.getByRole("link", { name: "Read the privacy policy" }).waitFor();
  assert.deepEqual(await accessibilityProblems(page), []);

  // Sent without them: each missing one is said next to its field, one at a time, as the edge checks.
  await page.getByLabel("Name").fill("Cleo Contact");
  const number = phone();
  await page.getByLabel("Phone").fill(number);
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByText("Please enter your e-mail address.").waitFor();
  assert.equal(await page.getByLabel("E-mail", { exact: true }).getAttribute("aria-invalid"), "true");
  await page.getByLabel("E-mail", { exact: true }).fill("cleo@example.com");
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByText("Please fill in this field.").waitFor();
  await page.getByLabel("Notes for your stylist", { exact: true }).fill("Fringe only, please");
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByText("Please accept the privacy policy to book.").waitFor();
  await page.getByLabel("I accept how Contact Cuts keeps my data.").check();
  await page.getByLabel("Send me news and offers from Contact Cuts").check();
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await page.getByRole("heading", { name: "You're booked!" }).waitFor();
  const row = (await bookingsOn(date)).find((b) => b.client_phone === number.replaceAll(" ", ""));
  assert.deepEqual([row.comment, row.privacy_accepted, row.marketing_consent], ["Fringe only, please", true, true]);

  // Next time on this device (the page opened again): the details are there, with a way out
  // for someone else.
  await page.reload();
  await pick();
  await page.getByText("Booking as Cleo Contact.").waitFor();
  assert.equal(await page.getByLabel("Name").inputValue(), "Cleo Contact");
  assert.equal(await page.getByLabel("Phone").inputValue(), number);
  assert.equal(await page.getByLabel("E-mail", { exact: true }).inputValue(), "cleo@example.com");
  assert.equal(await page.getByLabel("Notes for your stylist", { exact: true }).inputValue(), "", "a comment is not remembered");
  await page.getByRole("button", { name: "Not you?" }).click();
  assert.equal(await page.getByLabel("Name").inputValue(), "");
  assert.equal(await page.getByLabel("Phone").inputValue(), "+44 ");
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), `homeslot.${COMPANY}.client`), null);
  assert.deepEqual(problems, []);
  await context.close();
});
