// The promo block's data over HTTP: the owner's promos are checked against their limits by the
// admin API (a clear message, nothing changed), and the public catalog carries those running
// today, in the owner's order, for the widget to pick one per screen. In Chromium: one promo per
// screen, a banner and a detail view, a button that opens the booking on a service, and the
// audience judged on the device.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { accessibilityProblems, addDays, api, everyDay, hostPage, launchBrowser, putCompany, TOKEN } from "./helpers.mjs";

const COMPANY = "promos-e2e";
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);
const patch = (promos) => api(`/v1/admin/companies/${COMPANY}`, { method: "PATCH", headers: admin, body: { promos } });

before(async () => {
  await putCompany({
    id: COMPANY, name: "Promo Cuts", currency: "GBP", site_origins: [],
    locations: ["soho", "camden"].map((id) => ({ id, name: id, address: `1 ${id} St`, time_zone: "Europe/London",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } })),
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2000, specialist_ids: ["ivy"] }],
    specialists: [{ id: "ivy", name: "Ivy", position: "Stylist", location_id: "soho", working_hours: everyDay() }],
  });
});

const banner = { id: "spa", title: "Our new spa is open", screen: "services" };
const detail = {
  id: "app", title: "Get our app", description: "Book in two taps and get £5 off every visit.",
  image_url: "https://salon.example/app.png", button_text: "Book a cut", button_link: "service:cut",
  screen: "success", audience: "new_clients",
};

test("texts longer than their limits are refused with the field and the limit named, and nothing changes", async () => {
  const cases = [
    [{ ...banner, title: "x".repeat(51) }, "promos[0].title", /1–50/],
    [{ ...banner, title: "  " }, "promos[0].title", /1–50/],
    [{ ...detail, description: "x".repeat(221) }, "promos[0].description", /220/],
    [{ ...detail, button_text: "x".repeat(21) }, "promos[0].button_text", /1–20/],
    [{ ...detail, button_link: "javascript:alert(1)" }, "promos[0].button_link", /https/],
    [{ ...detail, button_link: "service:perm" }, "promos[0].button_link", /service/],
    [{ ...detail, button_text: undefined }, "promos[0].button_text", /required/],
    [{ ...detail, image_url: "http://salon.example/app.png" }, "promos[0].image_url", /https/],
    [{ ...banner, location_ids: ["mayfair"] }, "promos[0].location_ids[0]", /location/],
    [{ ...banner, starts_on: addDays(today, 2), ends_on: addDays(today, 1) }, "promos[0].ends_on", /starts_on/],
  ];
  for (const [promo, field, message] of cases) {
    const refused = await patch([promo]);
    assert.equal(refused.status, 422, `${field}: ${refused.text}`);
    assert.equal(refused.body.error.code, "validation_failed");
    assert.equal(refused.body.error.field, field);
    assert.match(refused.body.error.message, message);
  }
  assert.equal((await patch([{ ...banner, screen: "checkout" }])).status, 400, "an unknown screen");
  const { body } = await api(`/v1/companies/${COMPANY}`);
  assert.equal(body.promos, undefined, "nothing was saved");
});

test("the catalog carries the promos running today, in the owner's order", async () => {
  const saved = await patch([
    { ...banner, id: "ended", ends_on: addDays(today, -1) },
    { ...banner, id: "camden-only", location_ids: ["camden"] },
    banner,
    detail,
    { ...banner, id: "future", starts_on: addDays(today, 1) },
    { ...banner, id: "today-only", screen: "times", starts_on: today, ends_on: today },
  ]);
  assert.equal(saved.status, 200, saved.text);
  const { body } = await api(`/v1/companies/${COMPANY}`);
  assert.deepEqual(body.promos.map((p) => p.id), ["camden-only", "spa", "app", "today-only"]);
  assert.deepEqual(body.promos.find((p) => p.id === "app"), detail);
  assert.equal(body.promos[0].audience, "everyone", "the default audience is spelled out");
});

test("the widget shows one promo per screen: a banner, a detail view whose button opens a service, by audience", async () => {
  const saved = await patch([
    { ...banner, id: "camden-only", title: "Camden is open late", location_ids: ["camden"] },
    banner,
    { ...banner, id: "second", title: "A second promo on the same screen" },
    { id: "gift", title: "Gift cards", button_text: "Buy one", button_link: "https://salon.example/gift", screen: "specialists" },
    detail,
    { id: "back", title: "Welcome back: 10% off in the app", screen: "success", audience: "returning_clients" },
  ]);
  assert.equal(saved.status, 200, saved.text);
  const browser = await launchBrowser();
  try {
    const { page, problems, close } = await hostPage(browser, `<homeslot-widget company="${COMPANY}" location="soho"></homeslot-widget>`);
    const book = async () => {
      await page.getByRole("heading", { name: "Choose a service" }).waitFor();
      // The services screen: one promo, the first for it at this location, a banner.
      await page.locator(".hs-promo").waitFor();
      assert.deepEqual(await page.locator(".hs-promo").allInnerTexts(), ["Our new spa is open"]);
      assert.equal(await page.locator(".hs-promo details").count(), 0, "a title only: a banner");
      await page.locator(".hs-item", { hasText: "Cut" }).click();
      // The specialists screen: a banner with a link to the owner's site, in a new tab.
      const gift = page.getByRole("link", { name: "Buy one" });
      await gift.waitFor();
      assert.equal(await gift.getAttribute("href"), "https://salon.example/gift");
      assert.equal(await gift.getAttribute("target"), "_blank");
      assert.match(await gift.getAttribute("rel"), /noopener/);
      await page.getByRole("button", { name: /Any specialist/ }).click();
      await page.getByRole("heading", { name: "Choose a time" }).waitFor();
      assert.equal(await page.locator(".hs-promo").count(), 0, "no promo for the times screen");
      await page.locator(".hs-time").first().click();
      await page.getByRole("heading", { name: "Your details" }).waitFor();
      const name = page.getByLabel("Name");
      if (!(await name.inputValue())) {
        await name.fill("Promo Client");
        await page.getByLabel("Phone").fill(`+44 7400 9${String(Date.now() % 100000).padStart(5, "0")}`);
      }
      await page.getByRole("button", { name: "Confirm booking" }).click();
      await page.getByRole("heading", { name: "You're booked!" }).waitFor();
      return page.locator(".hs-promo");
    };

    // A new client: the new clients' promo on success, which opens to its text, image and button.
    const success = await book();
    assert.equal(await success.count(), 1);
    await success.getByText("Get our app").click();
    assert.equal(await success.locator(".hs-promo-text").innerText(), detail.description);
    assert.equal(await success.locator("img").getAttribute("src"), detail.image_url);
    assert.deepEqual(await accessibilityProblems(page), []);
    // Its button ("service:cut") opens the booking on that service: the specialists come next.
    await success.getByRole("button", { name: "Book a cut" }).click();
    await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();

    // The same device another day: a returning client, who sees the returning clients' promo.
    await page.reload();
    const again = await book();
    assert.deepEqual(await again.allInnerTexts(), ["Welcome back: 10% off in the app"]);
    assert.deepEqual(problems, []);
    await close();
  } finally {
    await browser.close();
  }
});
