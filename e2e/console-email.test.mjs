// E-mail and calendar feeds in the console, on the real stack in Chromium: the owner sets the
// business's SMTP provider (a refused setting named at its field, the password never shown back)
// and a location's reminders; a booking's panel in the calendar then shows the e-mails it sent
// with the server's reply. A specialist makes a feed of their own day, copies its address (read
// by ical.js), renews it (the old address stops) and ends it. Axe-clean at 360 px and desktop.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import ICAL from "ical.js";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const SMTP_PORT = Number(process.env.SMTP_PORT);
const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `console-mail-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const day = addDays(new Date().toISOString().slice(0, 10), 2);

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Console Mail Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
});
after(async () => { await browser?.close(); });

test("the owner sets the e-mail provider, the morning agenda and the reminders; a booking's panel shows what was sent", { timeout: 120_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "owner", { expected: [401, 404, 422] });
  await page.getByRole("link", { name: "E-mail" }).click();
  await page.getByRole("heading", { name: "E-mail", exact: true }).waitFor();
  // A host that cannot be one is named at its field, and nothing is saved.
  await page.getByLabel("SMTP server (host name)").fill("smtp provider");
  await page.getByLabel("Password").fill("not-shown-again");
  await page.getByLabel(/^Sender address/).fill("bookings@console-mail.example");
  await page.getByLabel("Kim").fill(`kim-${RUN}@console-mail.example`);
  await page.getByRole("button", { name: "Save e-mail settings" }).click();
  await page.locator("#mail-host-problem").getByText("a host name like smtp.provider.example").waitFor();
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/mail`, { headers: admin })).status, 404);
  await page.getByLabel("SMTP server (host name)").fill("127.0.0.1");
  await page.getByLabel("Security").selectOption("none");
  await page.getByLabel("Port").fill(String(SMTP_PORT));
  await page.getByRole("button", { name: "Save e-mail settings" }).click();
  await page.getByText("Saved: the next message goes through this provider.").waitFor();
  assert.equal(await page.getByLabel(/^Password/).inputValue(), "");
  await page.getByText("Password (stored; type a new one to replace it)").waitFor();
  const stored = await api(`/v1/admin/companies/${COMPANY}/mail`, { headers: admin });
  assert.equal(stored.body.password_set, true);
  assert.equal(stored.body.specialist_addresses.kim, `kim-${RUN}@console-mail.example`);

  // The confirmation in the owner's words, previewed as the client will read it.
  await page.getByRole("button", { name: "Words of “booking confirmed, to the client”…" }).click();
  await page.locator("#message-booked-client-subject").fill("See you soon, {client}!");
  await page.getByText("Subject: See you soon, Alex Sample!").waitFor();
  // The morning agenda: a time, and a preview of a specialist's day.
  await page.getByLabel("Send each specialist their day at").fill("07:30");
  await page.getByRole("button", { name: "Words of “morning agenda, to each specialist”…" }).click();
  await page.getByText("Subject: Your day at Console Mail Salon:", { exact: false }).waitFor();
  await page.getByText("6 places booked", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Save e-mail settings" }).click();
  await page.getByText("Saved: the next message goes through this provider.").waitFor();
  const saved = (await api(`/v1/admin/companies/${COMPANY}/mail`, { headers: admin })).body;
  assert.deepEqual(saved.messages, { "booked.client": { enabled: true, words: { en: { subject: "See you soon, {client}!" } } } });
  assert.equal(saved.agenda_time, "07:30");

  await page.getByLabel("Main: hours before").fill("24, 2");
  await page.locator("form.inline").getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved.", { exact: true }).waitFor();
  const location = (await api(`/v1/admin/companies/${COMPANY}`, { headers: admin })).body.locations[0];
  assert.deepEqual(location.policy.reminder_minutes, [1440, 120]);
  await screenIsClean(page, "the e-mail settings");

  // A booking; its panel lists its e-mails once they are through.
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: `${day}T10:00:00Z`, client: { name: "Eve", phone: `+44 7400 5${RUN.slice(0, 5)}`, email: `eve-${RUN}@client.example` } } });
  assert.equal(booked.status, 201, booked.text);
  for (let i = 0; i < 40; i++) {
    const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${booked.body.booking_id}`, { headers: admin });
    if (detail.body.messages.find((m) => m.event === "booked")?.deliveries.length === 2) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const names = await readdir(process.env.HOMESLOT_MAILBOX);
  const subjects = await Promise.all(names.map(async (n) => /^Subject: (.*)$/m.exec(await readFile(join(process.env.HOMESLOT_MAILBOX, n), "utf8"))?.[1]));
  assert.ok(subjects.includes("See you soon, Eve!"), "the confirmation went out in the owner's words");
  await page.getByRole("link", { name: "Calendar", exact: true }).click();
  await page.getByRole("heading", { name: "Calendar", exact: true }).waitFor();
  await page.getByLabel("Go to date").fill(day);
  await page.getByRole("button", { name: /Eve/ }).first().click();
  await page.getByRole("heading", { name: "E-mails" }).waitFor();
  await page.getByText(/^Confirmation — business: sent \(250 .*\); client: sent \(250 /).waitFor();
  await page.getByText(/^Reminder — due /).first().waitFor();
  assert.deepEqual(problems, []);
});

test("a specialist makes a feed of their own day, copies its address, renews it and ends it", { timeout: 120_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "specialist", { specialist: "kim", locations: ["main"] });
  await page.getByRole("link", { name: "Calendar feeds" }).click();
  await page.getByRole("heading", { name: "Calendar feeds" }).waitFor();
  // Their own: no choice of whose bookings.
  assert.equal(await page.getByLabel("Whose bookings").count(), 0);
  await page.getByRole("button", { name: "Make a feed" }).click();
  const address = await page.locator("code.address").textContent();
  assert.match(address, /\/v1\/feeds\//);
  const feed = await fetch(address);
  assert.equal(feed.status, 200);
  const calendar = new ICAL.Component(ICAL.parse(await feed.text()));
  assert.match(calendar.getFirstPropertyValue("x-wr-calname"), /Kim/);
  await page.getByRole("cell", { name: "Kim at Main", exact: true }).waitFor();
  await screenIsClean(page, "the calendar feeds");

  await page.getByRole("button", { name: "New address for Kim at Main" }).click();
  await page.waitForFunction((old) => document.querySelector("code.address")?.textContent !== old, address);
  assert.equal((await fetch(address)).status, 404, "the old address stops at once");
  const renewed = await page.locator("code.address").textContent();
  assert.equal((await fetch(renewed)).status, 200);

  await page.getByRole("button", { name: "End Kim at Main" }).click();
  await page.getByText("No feeds yet.").waitFor();
  assert.equal((await fetch(renewed)).status, 404);
  assert.deepEqual(problems, []);
});
