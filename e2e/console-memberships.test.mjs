// Memberships in the console, in Chromium on the real stack: a manager finds a membership, adjusts
// it with a reason (kept in the audit trail), and imports a spreadsheet's CSV — a file with a bad
// row shows that row's problem and writes nothing; a good file shows what each row will do, still
// writing nothing, until the manager confirms. Axe-clean at phone and desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `members-console-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const phone = (n) => `+44 7400 4${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Members Studio", currency: "GBP", site_origins: [],
    categories: [{ id: "training", name: "Training" }],
    locations: [{ id: "main", name: "Main", time_zone: "UTC" }],
    services: [{ id: "pt", name: "Personal training", category_id: "training", duration_minutes: 30, price_minor: 3000, specialist_ids: ["rae"] }],
    specialists: [{ id: "rae", name: "Rae", location_id: "main", working_hours: everyDay() }],
  });
  const seeded = await api(`/v1/admin/companies/${COMPANY}/memberships/import`, { method: "POST", headers: admin, body: [
    { number: "M-1", name: "10-visit pass", phone: phone(1), status: "active", visits_left: 5 },
    { number: "M-2", name: "Gift card", phone: phone(2), status: "active", balance_minor: 5000 },
  ] });
  assert.equal(seeded.status, 200, seeded.text);
});
after(async () => { await browser?.close(); });

const stored = async () => (await api(`/v1/admin/companies/${COMPANY}/memberships`, { headers: admin })).body.memberships
  .map((m) => [m.number, m.name, m.visits_left ?? m.balance_minor ?? null]).sort();

test("a manager finds, adjusts and imports memberships; a bad row writes nothing, a good file only once confirmed", { timeout: 120_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "manager", { expected: [401, 422] });
  await page.getByRole("link", { name: "Memberships" }).click();
  await page.getByRole("heading", { name: "Memberships" }).waitFor();
  await page.getByRole("cell", { name: "5 visits" }).waitFor();
  await page.getByRole("cell", { name: "50.00 GBP" }).waitFor();
  await page.getByLabel("Find a membership (number, type or phone)").fill("gift");
  await page.getByRole("cell", { name: "5 visits" }).waitFor({ state: "detached" });
  await page.getByLabel("Find a membership (number, type or phone)").fill("");

  // By hand, with a reason: kept in the audit trail with who did it.
  await page.getByRole("button", { name: "Adjust M-1" }).click();
  await page.getByLabel("Visits left").fill("6");
  await page.getByRole("button", { name: "Save adjustment" }).click();
  await page.getByText("Say why, in up to 200 characters: the audit trail keeps it.").waitFor();
  await page.getByLabel("Why is it changed?").fill("A visit given back: the coach was ill");
  await page.getByRole("button", { name: "Save adjustment" }).click();
  await page.getByText("Membership M-1 adjusted.").waitFor();
  await page.getByRole("cell", { name: "6 visits" }).waitFor();
  const trail = (await api(`/v1/admin/companies/${COMPANY}/audit`, { headers: admin })).body.entries;
  const adjusted = trail.find((e) => e.action === "membership_adjusted");
  assert.deepEqual([adjusted.by, adjusted.subject, adjusted.detail], ["manager", "membership M-1", "visits_left: A visit given back: the coach was ill"]);

  // A file with a bad row: its problem, by row, and nothing written.
  const before = await stored();
  const file = (text) => ({ name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
  await page.getByLabel("CSV file").setInputFiles(file(
    `number,name,phone,status,service_ids,visits_left\nM-3,Spring pass,${phone(3)},active,pt,10\nM-4,Yoga pass,${phone(4)},active,yoga,10\n`));
  await page.getByText("1 row has a problem. Nothing has been imported: correct it and choose the file again.").waitFor();
  const rows = await page.getByRole("table", { name: "The rows' problems" }).locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].slice(0, 2), ["2", "service_ids[0]"]);
  assert.deepEqual(await stored(), before, "nothing was written");

  // A good file: what each row will do, still nothing written until confirmed.
  await page.getByLabel("CSV file").setInputFiles(file(
    `number,name,phone,status,service_ids,visits_left,balance_minor\nM-3,Spring pass,${phone(3)},active,pt,10,\nM-2,Gift card,${phone(2)},active,,,7500\n`));
  await page.getByText("2 memberships ready: 1 new, 1 replacing those with the same number. Nothing is imported yet.").waitFor();
  assert.deepEqual(await stored(), before, "a preview writes nothing");
  await screenIsClean(page, "the memberships with an import's preview");
  await page.getByRole("button", { name: "Import 2 memberships" }).click();
  await page.getByText("Imported 2 memberships: 1 new, 1 replaced.").waitFor();
  await page.getByRole("cell", { name: "75.00 GBP" }).waitFor();
  assert.deepEqual(await stored(), [["M-1", "10-visit pass", 6], ["M-2", "Gift card", 7500], ["M-3", "Spring pass", 10]]);
  assert.deepEqual(problems, []);
});

test("the import's preview over HTTP: what each row would do; a bad preview value is refused", async () => {
  const preview = await api(`/v1/admin/companies/${COMPANY}/memberships/import?preview=true`, { method: "POST", headers: admin,
    body: [{ number: "m-1", name: "10-visit pass", phone: phone(1), status: "active", visits_left: 9 },
      { number: "M-9", name: "New pass", phone: "07400 123456", status: "issued" }] });
  assert.equal(preview.status, 422, "a national number without the owner's country is a row's problem");
  assert.deepEqual(preview.body.rows.map((r) => [r.row, r.field]), [[2, "phone"]]);
  const fine = await api(`/v1/admin/companies/${COMPANY}/memberships/import?preview=true`, { method: "POST", headers: admin,
    body: [{ number: "m-1", name: "10-visit pass", phone: phone(1), status: "active", visits_left: 9 }] });
  assert.equal(fine.status, 200, fine.text);
  assert.deepEqual(fine.body, { preview: true, created: 0, replaced: 1,
    rows: [{ row: 1, number: "m-1", name: "10-visit pass", phone: phone(1).replaceAll(" ", ""), new: false }] });
  const m1 = (await api(`/v1/admin/companies/${COMPANY}/memberships/M-1`, { headers: admin })).body;
  assert.equal(m1.visits_left, 6, "still as it was");
  const refused = await api(`/v1/admin/companies/${COMPANY}/memberships/import?preview=yes`, { method: "POST", headers: admin, body: [] });
  assert.deepEqual([refused.status, refused.body.error.field], [422, "preview"]);
  const reason = await api(`/v1/admin/companies/${COMPANY}/memberships/M-1`, { method: "PATCH", headers: admin, body: { visits_left: 1, reason: "  " } });
  assert.deepEqual([reason.status, reason.body.error.field], [422, "reason"]);
  assert.equal((await api(`/v1/admin/companies/${COMPANY}/memberships/M-1`, { headers: admin })).body.visits_left, 6, "and changes nothing");
});
