// The business-wide audit trail on the real stack: catalog edits, invites, bookings made and
// cancelled by the desk (a retry with the same Idempotency-Key recorded once), a client's
// erasure (recorded without the client's details), read a page at a time by the owner — in
// Chromium too, axe-clean. Other roles cannot read it (e2e/console-accounts.test.mjs).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `audit-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const phone = `+44 7400 3${RUN.slice(0, 5)}`;

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Audited Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay() }],
  });
});
after(async () => { await browser?.close(); });

const trail = (query = "") => api(`/v1/admin/companies/${COMPANY}/audit${query}`, { headers: admin });

test("changes are recorded with who made them, a retried booking once, an erasure without the client", async () => {
  const service = await api(`/v1/admin/companies/${COMPANY}/services/trim`, { method: "PUT", headers: admin,
    body: { id: "trim", name: "Trim", duration_minutes: 15, price_minor: 1500, specialist_ids: ["kim"] } });
  assert.ok([200, 201].includes(service.status), service.text);
  const book = () => api(`/v1/admin/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    headers: { ...admin, "Idempotency-Key": `audit-${RUN}` },
    body: { service_id: "cut", start: `${day}T10:00:00Z`, client: { name: "Audrey Client", phone } } });
  const first = await book();
  assert.equal(first.status, 201, first.text);
  const again = await book();
  assert.equal(again.body.booking_id, first.body.booking_id, "the retry is the same booking");
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${first.body.booking_id}/cancel`,
    { method: "POST", headers: admin, body: { reason: "Double-booked by mistake" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  const erased = await api(`/v1/admin/companies/${COMPANY}/clients/erase`, { method: "POST", headers: admin, body: { phone } });
  assert.equal(erased.status, 200, erased.text);

  const answer = await trail();
  assert.equal(answer.status, 200, answer.text);
  const entries = answer.body.entries;
  const seen = entries.map((e) => [e.action, e.subject]).reverse();
  const booking = `booking ${first.body.booking_id} at main`;
  assert.deepEqual(seen, [
    ["catalog_replaced", COMPANY],
    ["item_saved", "services/trim"],
    ["booking_made", booking],
    ["booking_cancelled", booking],
    ["client_erased", "a client"],
  ]);
  assert.ok(entries.every((e) => e.by === "Homeslot"), "the platform token's changes");
  assert.equal(entries.find((e) => e.action === "booking_cancelled").detail, "Double-booked by mistake");
  assert.match(entries.find((e) => e.action === "booking_made").detail, new RegExp(`^Cut with Kim, ${day} 10:00$`));
  const text = JSON.stringify(answer.body);
  assert.ok(!text.includes("Audrey") && !text.includes(phone.replaceAll(" ", "").slice(3)), "no client's details in the trail");
  assert.ok(entries.every((e, i) => i === 0 || e.seq < entries[i - 1].seq), "latest first");

  // A page at a time: `more` reads the next, older page.
  const page1 = (await trail("?limit=2")).body;
  assert.deepEqual(page1.entries.map((e) => e.seq), entries.slice(0, 2).map((e) => e.seq));
  const page2 = (await trail(`?limit=2&before=${page1.more}`)).body;
  assert.deepEqual(page2.entries.map((e) => e.seq), entries.slice(2, 4).map((e) => e.seq));
  const last = (await trail(`?limit=2&before=${page2.more}`)).body;
  assert.deepEqual([last.entries.length, last.more], [1, null]);
  for (const [query, field] of [["?limit=0", "limit"], ["?limit=201", "limit"], ["?before=x", "before"], ["?before=0", "before"]]) {
    const refused = await trail(query);
    assert.deepEqual([refused.status, refused.body.error.field], [422, field], refused.text);
  }
});

test("the owner reads the trail in the console: who changed what, and when", { timeout: 90_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "owner");
  // The owner's own change, by name.
  await page.evaluate(async (company) => {
    await fetch(`/v1/admin/companies/${company}`, { method: "PATCH", headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Audited Salon & Spa" }) });
  }, COMPANY);
  await page.getByRole("link", { name: "Audit trail" }).click();
  await page.getByRole("heading", { name: "Audit trail" }).waitFor();
  const row = page.getByRole("row").filter({ hasText: "Changed the business's settings" });
  await row.waitFor();
  assert.deepEqual((await row.getByRole("cell").allInnerTexts()).slice(1), ["owner", `Changed the business's settings: ${COMPANY}`, "name"]);
  await page.getByRole("row").filter({ hasText: "Cancelled a booking" }).getByText("Double-booked by mistake").waitFor();
  await page.getByRole("row").filter({ hasText: `Invited: ` }).first().waitFor();
  await screenIsClean(page, "the audit trail");
  assert.deepEqual(problems, []);
});
