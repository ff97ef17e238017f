// Every screen of the console by keyboard alone, on the real stack in Chromium: the owner of a
// business with a day of bookings, clients and memberships walks each screen with Tab only. Every
// control that can be seen and used (links, buttons, fields, the preview's frame; one of each
// group of radio buttons, which arrows move within) takes the focus, in a walk that comes back
// to where it began (no trap), and shows that it has it (a focus ring, not the browser's none).
// The drag and drop of the calendar has its keyboard way in the move dialog
// (e2e/console-calendar.test.mjs).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `keys-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const today = new Date().toISOString().slice(0, 10);

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Keyboard Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    categories: [{ id: "hair", name: "Hair" }],
    services: [{ id: "cut", name: "Cut", category_id: "hair", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
    promos: [{ id: "spa", title: "Our new spa", screen: "services" }],
    discounts: [{ id: "web", name: "Online −10%", channel: "online", percent: 10 }],
  });
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", start: `${addDays(today, 1)}T10:00:00Z`, client: { name: "Key Client", phone: `+44 7400 2${RUN.slice(0, 5)}` } } });
  assert.equal(booked.status, 201, booked.text);
});
after(async () => { await browser?.close(); });

/** Walks the page with Tab until the focus comes back to where it started (or `limit` presses):
 *  what was focused, and what could have been but never was. */
async function walk(page, limit = 600) {
  // Mark every control that is shown and usable, so the walk can be compared with them.
  const expected = await page.evaluate(() => {
    const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, iframe, [tabindex]")]
      .filter((el) => !el.disabled && el.getAttribute("tabindex") !== "-1" && el.type !== "hidden")
      .filter((el) => el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0);
    const radios = new Set();
    let n = 0;
    const names = [];
    for (const el of controls) {
      // A group of radio buttons is one stop: the arrows move within it.
      if (el.type === "radio") {
        if (radios.has(el.name)) continue;
        radios.add(el.name);
        document.querySelectorAll(`input[type=radio][name="${CSS.escape(el.name)}"]`).forEach((r) => { r.dataset.walk = `r-${el.name}`; });
        names.push(`r-${el.name}`);
        continue;
      }
      el.dataset.walk = `c${n}`;
      names.push(`c${n++}`);
    }
    return names;
  });
  const describe = (name) => page.evaluate((n) => {
    const el = document.querySelector(`[data-walk="${n}"]`);
    return el ? `${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") || el.textContent || el.id || el.name || "").trim().slice(0, 40)}"` : n;
  }, name);
  await page.evaluate(() => { document.activeElement?.blur(); window.focus(); });
  const seen = new Set();
  const unringed = [];
  let first;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    const at = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = el.tagName === "IFRAME" || (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
      return { name: el.dataset.walk ?? "unmarked", ring };
    });
    if (!at) continue;
    if (at.name === first) break;
    first ??= at.name;
    seen.add(at.name);
    if (!at.ring) unringed.push(await describe(at.name));
  }
  const missed = [];
  for (const name of expected) if (!seen.has(name)) missed.push(await describe(name));
  return { missed, unringed, count: expected.length };
}

test("every screen of the console is walked by keyboard alone: every control takes the focus and shows it", { timeout: 600_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "owner");
  const screens = ["", "calendar", "clients", "memberships", "reports", "audit", "staff", "setup", "look", "promos",
    "catalog", "catalog/team", "catalog/locations", "catalog/categories", "embed"];
  const findings = [];
  for (const path of screens) {
    await page.goto(`${BASE}/console/b/${COMPANY}/${path}`);
    await page.locator("h1").first().waitFor();
    await page.waitForLoadState("networkidle");
    const { missed, unringed, count } = await walk(page);
    assert.ok(count > 3, `${path}: the screen has controls`);
    if (missed.length) findings.push(`/${path}: never focused: ${missed.join(", ")}`);
    if (unringed.length) findings.push(`/${path}: focused without a visible ring: ${unringed.join(", ")}`);
  }
  assert.deepEqual(findings, []);
  assert.deepEqual(problems, []);
});
