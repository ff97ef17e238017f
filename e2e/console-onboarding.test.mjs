// From nothing to a booked client, in Chromium on the real stack, timed: the operator creates a
// business and invites its owner (scripts/new-business.mjs, the operator's one command); the
// owner joins with a password, adds a passkey (Chromium's virtual authenticator over CDP) and
// signs in with it; sets the business up as a hair salon in the wizard; changes the accent
// colour and sees the live preview change before saving (and an unreadable colour refused);
// copies the inline code into a page on another origin; and a client books there. Every screen
// on the way is axe-clean (WCAG 2.1 AA) at phone and desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { BASE, CONSOLE_WIDTHS as WIDTHS, TOKEN, launchBrowser, screenIsClean, siteServer } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `salon-${RUN}`;
const PASSWORD = "plenty of words here";
// WebAuthn needs a domain as the relying party, not an IP address: the same stack at localhost.
const LOCAL = BASE.replace("127.0.0.1", "localhost");

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The accent colour the preview's widget is painted with right now. */
function previewAccent(page) {
  return page.frameLocator('iframe[title="Preview of your booking form"]').locator("section.hs").first()
    .evaluate((section) => getComputedStyle(section).getPropertyValue("--hs-accent").trim());
}

test("from an empty business to a client booked on the owner's site, through the console alone", async () => {
  const started = performance.now();
  const email = `owner-${RUN}@salon.example`;
  const { stdout } = await promisify(execFile)("node", ["scripts/new-business.mjs", "--url", LOCAL, "--token", TOKEN,
    "--id", COMPANY, "--name", "Salon Nord", "--owner", email]);
  const link = stdout.trim().split("\n").pop();
  assert.match(link, new RegExp(`^${LOCAL}/console/join#invite=${COMPANY}\\.[0-9a-f]{64}$`));

  const context = await browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: WIDTHS[1] });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 401/.test(message.text())) problems.push(message.text());
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });

  // Signs up with a password, adds a passkey, signs out and back in with the passkey alone.
  await page.goto(link);
  await page.getByLabel("Your name").fill("Olga");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Join" }).click();
  await page.waitForURL(`${LOCAL}/console/b/${COMPANY}`);
  await page.goto(`${LOCAL}/console/`);
  await page.getByLabel("Name it (to tell your devices apart)").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByRole("button", { name: "Remove the passkey Laptop" }).waitFor();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(`${LOCAL}/console/sign-in`);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.getByRole("heading", { name: "Hello, Olga" }).waitFor();

  // The wizard, as a hair salon in Germany.
  await page.getByRole("link", { name: "Salon Nord" }).click();
  await page.getByRole("link", { name: "Set up your business, step by step" }).click();
  await page.waitForURL(`${LOCAL}/console/b/${COMPANY}/setup`);
  await page.getByRole("heading", { name: "Your business" }).waitFor();
  assert.equal(await page.getByLabel("Country").inputValue(), "DE", "the browser's country");
  await page.getByText("Prices in EUR").waitFor();
  await page.getByLabel("Hair salon").check();
  await screenIsClean(page, "the wizard's first step");
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByRole("heading", { name: "Where clients come" }).waitFor();
  assert.equal(await page.getByLabel("Time zone").inputValue(), "Europe/Berlin", "the browser's time zone");
  await page.getByLabel("The location's name").fill("Salon Nord Mitte");
  await page.getByLabel("Address").fill("Torstraße 1, 10119 Berlin");
  // Open on Sundays too, 10:00–16:00, so a client always finds a time within the week.
  await page.getByLabel("Sunday").check();
  await screenIsClean(page, "the opening hours");
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByRole("heading", { name: "What clients book" }).waitFor();
  assert.equal(await page.getByLabel("Service 1").inputValue(), "Women's cut & finish");
  assert.equal(await page.locator("#service-0-price").inputValue(), "55.00");
  await page.locator("#service-0-price").fill("abc");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("A price in EUR").first().waitFor();
  await page.locator("#service-0-price").fill("60");
  await screenIsClean(page, "the services");
  await page.getByRole("button", { name: "Next" }).click();

  await page.getByRole("heading", { name: "Who does the work" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Anna Weber");
  await page.getByLabel("Position (optional)").fill("Stylist");
  await screenIsClean(page, "the team");
  await page.getByRole("button", { name: "Next" }).click();

  let hostPage = "";
  const site = await siteServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><html lang="en"><title>Salon Nord</title><link rel="icon" href="data:,"><h1>Book with us</h1>${hostPage}`);
  });
  try {
    await page.getByRole("heading", { name: "Your website" }).waitFor();
    await page.getByLabel("Your website's address (optional)").fill("salon nord");
    await page.getByRole("button", { name: "Save and show my form" }).click();
    await page.getByText("like https://salon.example").first().waitFor();
    await page.getByLabel("Your website's address (optional)").fill(`${site.origin}/`);
    await page.getByRole("button", { name: "Save and show my form" }).click();
    await page.getByText("Saved. Your booking form is live").waitFor();
    const preview = page.frameLocator('iframe[title="Preview of your booking form"]');
    await preview.getByText("Women's cut & finish").waitFor();
    await preview.getByText("60,00 €").first().waitFor();
    const saved = await (await fetch(`${BASE}/v1/admin/companies/${COMPANY}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    assert.equal(saved.currency, "EUR");
    assert.equal(saved.widget.phone_country, "DE");
    assert.deepEqual(saved.site_origins, [site.origin]);
    assert.equal(saved.locations[0].time_zone, "Europe/Berlin");
    assert.equal(saved.services[0].price_minor, 6000);
    assert.deepEqual(saved.specialists.map((s) => [s.id, s.name]), [["anna-weber", "Anna Weber"]]);
    await screenIsClean(page, "the wizard's end");

    // The look, previewed live: a new accent shows before it is saved; an unreadable one is refused.
    await page.getByRole("link", { name: "Change how it looks" }).click();
    await page.waitForURL(`${LOCAL}/console/b/${COMPANY}/look`);
    await page.frameLocator('iframe[title="Preview of your booking form"]').getByText("Women's cut & finish").waitFor();
    assert.equal(await previewAccent(page), "#5b2e91");
    await page.getByLabel("Accent (buttons, chosen times)").fill("#0a5c3e");
    // The frame repaints when the draft's message arrives: wait for it (up to 5 s), then check.
    for (let i = 0; i < 50 && (await previewAccent(page)) !== "#0a5c3e"; i++) await page.waitForTimeout(100);
    assert.equal(await previewAccent(page), "#0a5c3e", "the preview shows the draft colour");
    const published = await (await fetch(`${BASE}/v1/companies/${COMPANY}/theme.css`)).text();
    assert.doesNotMatch(published, /#0a5c3e/, "not saved yet");
    await page.getByLabel("Text on the accent").fill("#0b5d3f");
    await page.getByText("Makes accent_text on accent too hard to read").first().waitFor();
    assert.equal(await page.getByRole("button", { name: "Save" }).isDisabled(), true);
    await page.getByLabel("Text on the accent").fill("#ffffff");
    await screenIsClean(page, "the booking form's settings");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved: clients see it within a minute.").waitFor();
    assert.match(await (await fetch(`${BASE}/v1/companies/${COMPANY}/theme.css`)).text(), /--hs-accent:#0a5c3e/);

    // The code from the console, pasted into the owner's page; a client books there.
    await page.getByRole("link", { name: "On your site" }).click();
    const code = await page.getByLabel("Code to paste", { exact: true }).inputValue();
    assert.ok(code.includes(`company="${COMPANY}"`) && code.includes(`${LOCAL}/embed/loader.js`), code);
    hostPage = code;
    const client = await browser.newContext({ locale: "en-GB", viewport: WIDTHS[0] });
    const clientPage = await client.newPage();
    await clientPage.goto(`${site.origin}/`);
    await clientPage.getByRole("button", { name: /Women's cut & finish/ }).click();
    await clientPage.getByRole("button", { name: /Any specialist/ }).click();
    const time = clientPage.locator(".hs-time").first();
    await time.waitFor();
    await time.click();
    await clientPage.getByLabel("Name").fill("First Client");
    await clientPage.getByLabel("Phone").fill("030 1234567");
    await clientPage.getByRole("button", { name: "Confirm booking" }).click();
    await clientPage.getByRole("heading", { name: "You're booked!" }).waitFor();
    const seconds = (performance.now() - started) / 1000;
    console.log(`# onboarding: empty business → booked client in ${seconds.toFixed(1)} s (Chromium, local stack)`);
    const exported = await (await fetch(`${BASE}/v1/admin/companies/${COMPANY}/export`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    const booked = exported.locations.flatMap((l) => l.bookings);
    assert.deepEqual(booked.map((b) => [b.service_id, b.specialist_id, b.client_phone, b.price_minor]),
      [["womens-cut-finish", "anna-weber", "+49301234567", 6000]]);
    await client.close();

    // The wizard opened again shows the business as it is, and saving it changes nothing else.
    const before = await (await fetch(`${BASE}/v1/admin/companies/${COMPANY}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    await page.goto(`${LOCAL}/console/b/${COMPANY}/setup`);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Next" }).click();
    assert.equal(await page.locator("#service-0-price").inputValue(), "60.00", "the business's own services");
    await page.getByRole("button", { name: "Next" }).click();
    assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Anna Weber");
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("button", { name: "Save and show my form" }).click();
    await page.getByText("Saved. Your booking form is live").waitFor();
    const after = await (await fetch(`${BASE}/v1/admin/companies/${COMPANY}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    assert.deepEqual([after.services, after.specialists, after.widget], [before.services, before.specialists, before.widget]);
    assert.deepEqual(problems, []);
  } finally {
    site.close();
    await context.close();
  }
});
