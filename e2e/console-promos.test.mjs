// Promos and automatic discounts in the console, on the real stack in Chromium: the owner writes a
// promo, sees it in the real widget on the screen it targets (the preview frame, fed the draft),
// is told a limit the edge enforces at the field before saving, and saves; clients' catalog then
// carries it. A discount says what it takes off each service, a refused one is named at its
// field, and a saved one prices online bookings. Axe-clean (e2e/console-keyboard walks it by keyboard).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `promos-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Promo Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
});
after(async () => { await browser?.close(); });

test("the owner writes a promo, sees it on its screen in the real widget, and saves it; a discount shows what it takes off", { timeout: 150_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "owner");
  await page.getByRole("link", { name: "Promos and discounts" }).click();
  await page.getByRole("heading", { name: "Promos", exact: true }).waitFor();
  await page.getByRole("button", { name: "Add a promo" }).click();

  // A limit the edge enforces, said at its field before anything is sent.
  const title = page.getByLabel("Title (1–50 characters)");
  await title.fill("x".repeat(51));
  await page.getByText("must be 1–50 characters").first().waitFor();
  assert.equal(await page.getByRole("button", { name: "Save promos" }).isDisabled(), true);

  // Typed key by key: the form keeps its focus while the draft changes under it.
  await title.fill("");
  await title.pressSequentially("Spring offer");
  assert.equal(await title.inputValue(), "Spring offer");
  await page.getByLabel("Text (up to 220 characters)").fill("A free fringe trim with every cut in March.");
  await page.getByLabel("Button", { exact: true }).selectOption("service");
  const words = page.getByLabel("The button's words (1–20 characters)");
  await words.fill("");
  await words.pressSequentially("Book a cut");
  assert.equal(await words.inputValue(), "Book a cut");
  await page.getByLabel("The service it books").selectOption("service:cut");
  await page.getByLabel("Shown on").selectOption("times");

  // The real widget, opened at the times of the first service: the promo above them.
  const preview = page.frameLocator('iframe[title="Preview of your booking form"]');
  await preview.getByText("Spring offer").waitFor({ timeout: 20_000 });
  await preview.getByRole("heading", { name: /time/i }).first().waitFor();
  // On another screen: the services, where it now shows.
  await page.getByLabel("Shown on").selectOption("services");
  await preview.getByText("Cut", { exact: true }).first().waitFor();
  await preview.getByText("Spring offer").waitFor();
  await screenIsClean(page, "the promo editor with its preview");

  await page.getByRole("button", { name: "Save promos" }).click();
  await page.getByText("Saved: clients see it within a minute.").waitFor();
  const published = (await api(`/v1/companies/${COMPANY}`)).body.promos;
  assert.deepEqual(published.map((p) => [p.title, p.screen, p.button_link]), [["Spring offer", "services", "service:cut"]]);

  // An automatic discount: what it takes off, a refused percentage named at its field, then saved.
  await page.getByRole("button", { name: "Add a discount" }).click();
  await page.getByLabel("What clients are told (1–50 characters)").fill("Online −15%");
  const amount = page.getByLabel("How much");
  await amount.fill("101");
  await page.getByText("must be between 1 and 100").first().waitFor();
  await amount.fill("15");
  await page.getByText("Cut: 30.00 → 25.50 GBP").waitFor();
  await page.getByRole("button", { name: "Save discounts" }).click();
  await page.getByText("Saved: clients see it within a minute.").nth(1).waitFor();
  const rules = (await api(`/v1/admin/companies/${COMPANY}`, { headers: admin })).body.discounts;
  assert.deepEqual(rules.map((r) => [r.name, r.percent, r.channel]), [["Online −15%", 15, "online"]]);
  const date = addDays(new Date().toISOString().slice(0, 10), 2);
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: `${date}T10:00:00Z`, client: { name: "Online Olive", phone: `+44 7400 4${RUN.slice(0, 5)}` } } });
  assert.equal(booked.status, 201, booked.text);
  assert.deepEqual([booked.body.price.amount_minor, booked.body.original_price.amount_minor], [2550, 3000]);
  assert.deepEqual(problems, []);
});
