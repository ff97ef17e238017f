// Clients in the console, on the real stack: a front desk finds a client and opens their card
// (visits at the locations their role covers only, spend, no-shows, memberships, consent) and
// keeps a note; the owner merges two records of one person (the bookings at every location and
// the membership follow), downloads one client's data, and erases a client after a confirmation
// that says what stays — the bookings stay, anonymous. Over HTTP: the card's figures, the note's
// limits, the merge's refusals. Axe-clean at phone and desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `clients-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const phone = (n) => `+44 7400 2${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const e164 = (n) => phone(n).replaceAll(" ", "");

let browser;
const ids = {};
before(async () => {
  browser = await launchBrowser();
  const policy = { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 };
  await putCompany({
    id: COMPANY, name: "Client Salon", currency: "GBP", site_origins: [], widget: { marketing_consent: true },
    locations: [{ id: "north", name: "North", time_zone: "UTC", policy }, { id: "south", name: "South", time_zone: "UTC", policy }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee"] }],
    specialists: [
      { id: "kim", name: "Kim", location_id: "north", working_hours: everyDay() },
      { id: "lee", name: "Lee", location_id: "south", working_hours: everyDay() },
    ],
  });
  const book = async (location, specialist, time, n, extra = {}) => {
    const answer = await api(`/v1/companies/${COMPANY}/locations/${location}/bookings`, { method: "POST",
      body: { service_id: "cut", specialist_id: specialist, start: `${day}T${time}:00Z`,
        client: { name: n === 2 ? "Ann Smith" : "Ann Smyth", phone: phone(n), ...extra } } });
    assert.equal(answer.status, 201, answer.text);
    return answer.body.booking_id;
  };
  await book("north", "kim", "10:00", 1);
  // Consent as the latest booking gave it, wherever it was (a desk of North sees it too).
  await book("south", "lee", "11:00", 1, { marketing_consent: true });
  // The same person under another number, with a membership.
  await book("north", "kim", "12:00", 2);
  const seeded = await api(`/v1/admin/companies/${COMPANY}/memberships/M-7`, { method: "PUT", headers: admin,
    body: { number: "M-7", name: "5-visit pass", phone: phone(2), status: "active", visits_left: 5 } });
  assert.equal(seeded.status, 201, seeded.text);
  for (const [n, q] of [[1, "Smyth"], [2, "Smith"]]) {
    ids[n] = (await api(`/v1/admin/companies/${COMPANY}/clients?q=${q}`, { headers: admin })).body.clients[0].client_id;
  }
});
after(async () => { await browser?.close(); });

const card = (id, headers = admin) => api(`/v1/admin/companies/${COMPANY}/clients/${id}`, { headers });

test("a client's card over HTTP: visits, spend, consent; notes kept within limits; bad ids and merges refused", async () => {
  const answer = await card(ids[1]);
  assert.equal(answer.status, 200, answer.text);
  const c = answer.body;
  assert.deepEqual([c.name, c.phone, c.marketing_consent], ["Ann Smyth", e164(1), true]);
  assert.deepEqual(c.visits.map((v) => [v.location_name, v.time, v.specialist_name, v.status]),
    [["South", "11:00", "Lee", "confirmed"], ["North", "10:00", "Kim", "confirmed"]]);
  assert.deepEqual([c.visited, c.spent.amount_minor, c.no_shows, c.cancelled], [0, 0, 0, 0], "nothing has taken place yet");
  const noted = await api(`/v1/admin/companies/${COMPANY}/clients/${ids[1]}/note`, { method: "PUT", headers: admin, body: { note: "  Prefers Kim\nno fringe " } });
  assert.deepEqual([noted.status, noted.body.note], [200, "Prefers Kim\nno fringe"]);
  const long = await api(`/v1/admin/companies/${COMPANY}/clients/${ids[1]}/note`, { method: "PUT", headers: admin, body: { note: "x".repeat(1001) } });
  assert.deepEqual([long.status, long.body.error.field], [422, "note"]);
  assert.equal((await card(ids[1])).body.note, "Prefers Kim\nno fringe", "unchanged by the refused one");
  assert.equal((await card("cl_0123")).status, 404);
  assert.equal((await card(`cl_${"0".repeat(32)}`)).status, 404);
  const self = await api(`/v1/admin/companies/${COMPANY}/clients/merge`, { method: "POST", headers: admin, body: { keep: ids[1], merge: ids[1] } });
  assert.deepEqual([self.status, self.body.error.field], [422, "merge"]);
  const unknown = await api(`/v1/admin/companies/${COMPANY}/clients/merge`, { method: "POST", headers: admin, body: { keep: ids[1], merge: `cl_${"f".repeat(32)}` } });
  assert.equal(unknown.status, 404);
});

test("a front desk sees only their location's visits and keeps a note; the owner merges, downloads and erases", { timeout: 120_000 }, async () => {
  const desk = await joinByInvite(browser, COMPANY, "front_desk", { locations: ["north"] });
  await desk.page.getByRole("link", { name: "Clients" }).click();
  await desk.page.getByLabel("Find a client (name, phone or e-mail)").fill("Smyth");
  await desk.page.getByRole("button", { name: `Ann Smyth · ${e164(1)}` }).click();
  await desk.page.getByRole("heading", { name: "Ann Smyth" }).waitFor();
  const rows = desk.page.getByRole("table", { name: "Visits, latest first" }).locator("tbody tr");
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[1].textContent)), ["North"], "not South's");
  await desk.page.getByText("Agreed to hear from you").waitFor();
  await desk.page.getByLabel("Note (for your staff only)").fill("Prefers Kim; allergic to latex");
  await desk.page.getByRole("button", { name: "Save note" }).click();
  await desk.page.getByText("Note saved.").waitFor();
  assert.equal(await desk.page.getByRole("heading", { name: "Their data" }).count(), 0, "no merge, export or erasure for a desk");
  await screenIsClean(desk.page, "a client's card");
  assert.deepEqual(desk.problems, []);

  const { page, problems } = await joinByInvite(browser, COMPANY, "owner", { options: { acceptDownloads: true } });
  await page.getByRole("link", { name: "Clients" }).click();
  await page.getByLabel("Find a client (name, phone or e-mail)").fill("Smyth");
  await page.getByRole("button", { name: `Ann Smyth · ${e164(1)}` }).click();
  await page.getByRole("heading", { name: "Ann Smyth" }).waitFor();
  await page.waitForFunction(() => document.getElementById("client-note")?.value === "Prefers Kim; allergic to latex");

  // Merge: the other record's booking and membership become this client's.
  await page.getByLabel("Find their other record (name, phone or e-mail)").fill("Smith");
  await page.getByRole("button", { name: `Ann Smith · ${e164(2)}` }).click();
  await page.getByText(`Ann Smith (${e164(2)}) will become part of Ann Smyth`).waitFor();
  await screenIsClean(page, "a merge waiting for its confirmation");
  await page.getByRole("button", { name: "Merge the two records" }).click();
  await page.getByText(`Ann Smith (${e164(2)}) is now part of Ann Smyth.`).waitFor();
  await page.getByText("M-7 — 5-visit pass (5 visits left)").waitFor();
  const merged = (await card(ids[1])).body;
  assert.deepEqual(merged.visits.map((v) => v.time), ["12:00", "11:00", "10:00"]);
  assert.equal((await card(ids[2])).status, 404, "the other record is gone");
  const m7 = (await api(`/v1/admin/companies/${COMPANY}/memberships/M-7`, { headers: admin })).body;
  assert.equal(m7.phone, e164(1), "the membership follows the person");

  // One client's data, downloaded.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download everything stored about them (JSON)" }).click();
  const file = JSON.parse(readFileSync(await (await download).path(), "utf8"));
  assert.equal(file.client.note, "Prefers Kim; allergic to latex");
  assert.deepEqual(file.locations.map((l) => [l.location_id, l.bookings.length]).sort(), [["north", 2], ["south", 1]]);

  // Erased after a confirmation that says what stays: the bookings, anonymous.
  await page.getByRole("button", { name: "Erase this client…" }).click();
  await page.getByText("The bookings stay, without anyone's details").waitFor();
  await page.getByRole("button", { name: "Erase Ann Smyth for good" }).click();
  await page.getByText("Ann Smyth's details are erased; their visits stay, anonymous.").waitFor();
  const north = (await api(`/v1/admin/companies/${COMPANY}/locations/north/bookings?date=${day}`, { headers: admin })).body.bookings;
  assert.equal(north.length, 2, "the bookings stay");
  assert.ok(north.every((b) => !b.client_phone && !JSON.stringify(b).includes("Smyth")), "without the client");
  assert.equal((await card(ids[1])).status, 404);
  const trail = JSON.stringify((await api(`/v1/admin/companies/${COMPANY}/audit`, { headers: admin })).body);
  assert.ok(!trail.includes("Smyth") && !trail.includes(e164(1).slice(3)), "the trail keeps no client's details");
  assert.deepEqual(problems, []);
});
