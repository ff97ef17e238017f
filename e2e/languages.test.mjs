// Every language the widget speaks, in headless Chromium on a 360 px phone: one client walks every
// step — the locations, the services (a long one, a members-only one, a discounted one, a class),
// the specialists, the times, the details (empty, with every error shown, with a malformed e-mail),
// the success screen, the manage link, the cancel question and the cancelled booking, a
// membership's check, a class's spots left and a full session's waiting list. At each, nothing may
// stick out of the widget, overflow its box or be clipped, and axe finds no serious WCAG 2.1 AA
// problem. The words are taken from the edge's answer, so the walk never knows a language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { accessibilityProblems, addDays, api, BASE, everyDay, launchBrowser, putCompany } from "./helpers.mjs";

const COMPANY = "polyglot-e2e";
const LANGUAGES = readdirSync("widget/i18n").filter((n) => n !== "first-screen.json").map((n) => n.replace(".json", "")).sort();
const PHONE = { width: 360, height: 740 };
const today = new Date().toISOString().slice(0, 10);
const CLASS_DAY = addDays(today, 1);

const location = (id, name, city) => ({
  id, name, city, address: `${name} 1`, time_zone: "Europe/London",
  policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, cancellation_notice_minutes: 0 },
});
const person = (id, name) => ({ id, name, position: "Stylist", location_id: "centre", working_hours: everyDay("08:00", "20:00") });

let browser;
before(async () => {
  await putCompany({
    id: COMPANY, name: "Polyglot Studio", currency: "EUR", site_origins: [],
    widget: {
      email_field: "optional", comment_field: "optional", marketing_consent: true,
      privacy_policy: { text: "I accept the privacy policy", url: "https://polyglot.example/privacy" },
    },
    locations: [location("centre", "Centre", "Tallinn"), location("harbour", "Harbour", "Riga")],
    services: [
      { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2500, specialist_ids: ["ana", "ben"] },
      { id: "colour", name: "Colour", duration_minutes: 135, price_minor: 12000, specialist_ids: ["ana"] },
      { id: "pass-only", name: "Members' sauna", members_only: true, duration_minutes: 60, price_minor: 1500, specialist_ids: ["ben"] },
      { id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1000, specialist_ids: [],
        class: { capacity: 1, waitlist_capacity: 5, sessions: [
          { location_id: "centre", specialist_id: "ana", date: CLASS_DAY, start: "10:00" },
          { location_id: "centre", specialist_id: "ana", date: CLASS_DAY, start: "18:00" },
        ] } },
    ],
    specialists: [person("ana", "Ana Lindqvist"), person("ben", "Ben Okafor")],
    discounts: [{ id: "first", name: "First visit −20%", eligibility: "first_booking", percent: 20, service_ids: ["cut"] }],
  });
  // The evening session is full: its time offers the waiting list.
  const { body } = await api(`/v1/companies/${COMPANY}/locations/centre/classes?service=yoga&from=${CLASS_DAY}&days=1`);
  if (body.sessions[1].seats_left > 0) {
    const seat = await api(`/v1/companies/${COMPANY}/locations/centre/class-bookings`, {
      method: "POST", body: { service_id: "yoga", start: body.sessions[1].start, client: { name: "Early Bird", phone: "+44 7400 700999", privacy_accepted: true } },
    });
    assert.equal(seat.status, 201, seat.text);
  }
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); });

/** What at the widget does not fit a phone: elements that stick out of the widget (not inside a
 *  container that scrolls sideways on purpose, like the date strip), content wider than its box,
 *  content cut off by its box, and a page that scrolls sideways. */
function layoutProblems() {
  const host = document.querySelector("homeslot-widget");
  const box = host.getBoundingClientRect();
  const problems = [];
  const describe = (el) => `${el.tagName.toLowerCase()}${[...el.classList].map((c) => `.${c}`).join("")} "${(el.textContent || "").trim().slice(0, 50)}"`;
  const scroller = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) if (/auto|scroll/.test(getComputedStyle(e).overflowX)) return true;
    return false;
  };
  for (const el of host.shadowRoot.querySelectorAll("*")) {
    if (["STYLE", "SCRIPT", "TEMPLATE", "INPUT", "TEXTAREA", "SELECT", "OPTION"].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || el.closest(".hs-sr")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (!scroller(el) && (r.left < box.left - 0.5 || r.right > box.right + 0.5)) {
      problems.push(`${describe(el)} sticks out of the widget (${Math.round(r.left)}–${Math.round(r.right)} px of ${Math.round(box.left)}–${Math.round(box.right)})`);
    }
    const scrollsX = /auto|scroll/.test(style.overflowX);
    if (!scrollsX && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} overflows its box by ${el.scrollWidth - el.clientWidth} px`);
    }
    if (style.overflowY === "hidden" || style.overflowY === "clip") {
      if (el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1) problems.push(`${describe(el)} is cut off by ${el.scrollHeight - el.clientHeight} px`);
    }
    if (style.textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth) problems.push(`${describe(el)} is cut short with an ellipsis`);
  }
  const sideways = document.documentElement.scrollWidth - innerWidth;
  if (sideways > 0) problems.push(`the page scrolls sideways by ${sideways} px`);
  return problems;
}

/** One walk's findings: every screen's layout and accessibility problems, by screen. */
function inspector(page, language) {
  const found = [];
  return {
    found,
    async check(screen) {
      // The fonts and the step's own stylesheet are in before anything is measured.
      await page.evaluate(() => document.fonts.ready);
      const layout = await page.evaluate(layoutProblems);
      const a11y = await accessibilityProblems(page);
      for (const problem of [...layout, ...a11y]) found.push(`${language} · ${screen}: ${problem}`);
    },
  };
}

async function words(language) {
  const { body } = await api(`/v1/companies/${COMPANY}/strings?language=${language}`);
  assert.equal(body.language, language);
  return body.strings;
}

/** A page at the edge's origin holding the widget in `language`. */
async function open(language, attributes = "") {
  const context = await browser.newContext({ locale: "en-GB", viewport: PHONE });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const html = `<!doctype html><html lang="en"><title>Host</title><link rel="icon" href="data:,"><h1>Salon</h1>` +
    `<homeslot-widget company="${COMPANY}" language="${language}"${attributes}></homeslot-widget>` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/salon.html*`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/salon.html`);
  return { page, errors, close: () => context.close() };
}

const heading = (page, text) => page.getByRole("heading", { name: text, exact: true }).waitFor();

for (const [index, language] of LANGUAGES.entries()) {
  test(`${language}: every step fits a 360 px phone and is accessible`, async () => {
    const S = await words(language);
    const { page, errors, close } = await open(language);
    const { found, check } = inspector(page, language);
    try {
      assert.equal(await page.locator(".hs").getAttribute("lang"), language);

      await heading(page, S.choose_location);
      await check("locations");
      await page.locator(".hs-item", { hasText: "Centre" }).click();

      await heading(page, S.choose_service);
      await page.locator(".hs-offer").first().waitFor();
      await check("services");
      await page.locator(".hs-row", { hasText: "Cut" }).locator(".hs-item").click();

      await heading(page, S.choose_specialist);
      // Each specialist's nearest free time (or that there is none) is in.
      await page.locator(".hs-person .hs-item-meta", { hasText: /\d/ }).first().waitFor();
      await check("specialists");
      await page.locator(".hs-person").first().click();

      await heading(page, S.choose_time);
      await page.locator(".hs-time").first().waitFor();
      await check("times");
      await page.locator(".hs-time").first().click();

      await heading(page, S.your_details);
      await check("details");
      await page.locator(".hs-confirm").click();
      await page.locator(".hs-field-error").first().waitFor();
      await check("details, every error shown");

      await page.locator('input[autocomplete="name"]').fill(`Client ${language}`);
      await page.locator('input[autocomplete="tel"]').fill(`+44 7400 7${String(index).padStart(5, "0")}`);
      await page.locator('input[name="privacy"]').check();
      // The edge refuses a malformed e-mail; the widget says so in the client's words.
      await page.locator('input[autocomplete="email"]').fill("ana@");
      await page.locator(".hs-confirm").click();
      await page.locator(".hs-field-error", { hasText: S.error_invalid_email }).waitFor();
      await check("details, a malformed e-mail");
      await page.locator('input[autocomplete="email"]').fill("");
      await page.locator(".hs-confirm").click();
      await heading(page, S.booked);
      await check("booked");

      // The manage link, the question before cancelling, and the cancelled booking.
      const manage = await page.locator(".hs-manage-link").getAttribute("href");
      await page.goto("about:blank");
      await page.goto(manage);
      await heading(page, S.your_booking);
      await check("manage");
      await page.locator(".hs-cancel").first().click();
      await page.locator(".hs-cancel-yes").waitFor();
      await check("cancel?");
      await page.locator(".hs-cancel-yes").click();
      await page.locator(".hs-status", { hasText: S.status_cancelled }).waitFor();
      await check("cancelled");

      // A members-only service: its membership field, and the check's answer.
      await page.getByRole("button", { name: S.new_booking }).click();
      await page.locator(".hs-item", { hasText: "Centre" }).click();
      await page.locator(".hs-row", { hasText: "Members' sauna" }).locator(".hs-item").click();
      await page.locator(".hs-person").first().click();
      await page.locator(".hs-time").first().click();
      await page.locator("#hs-membership-number").waitFor();
      await page.locator('input[autocomplete="tel"]').fill(`+44 7400 7${String(index).padStart(5, "0")}`);
      await page.locator("#hs-membership-number").fill("NO-SUCH-PASS");
      await page.locator(".hs-check").click();
      await page.locator(".hs-membership .hs-field-error").waitFor();
      await check("membership, not found");
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }

    // A class's day: a session with its spot left, and a full one offering its waiting list.
    const classes = await open(language, ` location="centre" service="yoga" date="${CLASS_DAY}"`);
    const inClass = inspector(classes.page, language);
    try {
      await classes.page.locator(".hs-seats", { hasText: S.waitlist_open }).waitFor();
      await classes.page.locator(".hs-seats").first().waitFor();
      await inClass.check("a class's sessions");
      assert.deepEqual(classes.errors, []);
    } finally {
      await classes.close();
    }
    assert.deepEqual([...found, ...inClass.found], [], "every screen fits and is accessible");
  });
}
