// The console in Chromium, on the real stack: a new business's owner opens the operator's invite
// link, joins with a password, invites a front desk from the staff screen and gets the link once;
// the front desk joins and sees only what the role allows; signing in works with the keyboard
// alone; every screen is axe-clean (WCAG 2.1 AA) at phone and desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { BASE, CONSOLE_WIDTHS as WIDTHS, TOKEN, everyDay, launchBrowser, putCompany, screenIsClean, siteServer } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `cons-${RUN}`;
const PASSWORD = "plenty of words here";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function operatorInvite(email) {
  const response = await fetch(`${BASE}/v1/console/companies/${COMPANY}/invites`, {
    method: "POST", headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ email, role: "owner" }),
  });
  assert.equal(response.status, 201);
  return (await response.json()).link;
}

/** A fresh browser profile (its own cookies) at `viewport`; page errors land in `problems`. */
async function person(viewport = WIDTHS[0]) {
  const context = await browser.newContext({ locale: "en-GB", viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  // The console asks who is signed in as it opens: before sign-in, a 401 the browser logs.
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 401/.test(message.text())) problems.push(message.text());
  });
  return { page, problems, context };
}

test("the owner joins by the operator's invite link and invites a front desk, who joins with that role", async () => {
  await putCompany({
    id: COMPANY, name: "Studio Nord", currency: "EUR", site_origins: [],
    locations: [{ id: "north", name: "North", time_zone: "Europe/Berlin" }, { id: "south", name: "South", time_zone: "Europe/Berlin" }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["anna"] }],
    specialists: [{ id: "anna", name: "Anna", location_id: "north", working_hours: everyDay() }],
  });
  const owner = await person();
  await owner.page.goto(await operatorInvite(`olga-${RUN}@studio.example`));
  await owner.page.getByRole("heading", { name: "Join Studio Nord" }).waitFor();
  await screenIsClean(owner.page, "the join screen");
  await owner.page.getByLabel("Your name").fill("Olga");
  await owner.page.getByLabel("Password").fill("short");
  await owner.page.getByRole("button", { name: "Join" }).click();
  await owner.page.getByRole("alert").filter({ hasText: "at least 10 characters" }).waitFor();
  await owner.page.getByLabel("Password").fill(PASSWORD);
  await owner.page.getByRole("button", { name: "Join" }).click();
  await owner.page.waitForURL(`${BASE}/console/b/${COMPANY}`);
  await owner.page.getByText("invite and remove staff").waitFor();
  await screenIsClean(owner.page, "the overview");

  await owner.page.getByRole("link", { name: "Staff" }).click();
  await owner.page.waitForURL(`${BASE}/console/b/${COMPANY}/staff`);
  await owner.page.getByRole("cell", { name: "Olga", exact: true }).waitFor();
  await owner.page.getByLabel("E-mail").fill(`desk-${RUN}@studio.example`);
  await owner.page.getByLabel("Role").selectOption("front_desk");
  await owner.page.getByLabel("North").check();
  await owner.page.getByRole("button", { name: "Create the invite link" }).click();
  const link = await owner.page.getByLabel("Invite link").inputValue();
  assert.match(link, new RegExp(`^${BASE}/console/join#invite=${COMPANY}\\.[0-9a-f]{64}$`));
  await owner.page.getByText(`desk-${RUN}@studio.example · Front desk · north`).waitFor();
  await screenIsClean(owner.page, "the staff screen");
  assert.deepEqual(owner.problems, []);

  const desk = await person(WIDTHS[1]);
  await desk.page.goto(link);
  await desk.page.getByText("You are invited as Front desk").waitFor();
  await desk.page.getByLabel("Your name").fill("Dana");
  await desk.page.getByLabel("Password").fill(PASSWORD);
  await desk.page.getByRole("button", { name: "Join" }).click();
  await desk.page.getByText("see bookings").waitFor();
  assert.equal(await desk.page.getByRole("link", { name: "Staff" }).count(), 0, "no staff screen for a front desk");
  assert.equal(await desk.page.getByText("invite and remove staff").count(), 0);
  await desk.page.goto(link);
  await desk.page.getByRole("heading", { name: "This invite cannot be used" }).waitFor();
  assert.deepEqual(desk.problems.filter((p) => !/410/.test(p)), []);
  await owner.context.close();
  await desk.context.close();
});

test("signing in and out with the keyboard alone", async () => {
  const email = `keys-${RUN}@studio.example`;
  const first = await person();
  await first.page.goto(await operatorInvite(email));
  await first.page.getByLabel("Your name").fill("Kai");
  await first.page.getByLabel("Password").fill(PASSWORD);
  await first.page.keyboard.press("Enter");
  await first.page.waitForURL(`${BASE}/console/b/${COMPANY}`);
  await first.context.close();

  const { page, context, problems } = await person(WIDTHS[1]);
  await page.goto(`${BASE}/console/`);
  await page.waitForURL(`${BASE}/console/sign-in`);
  await screenIsClean(page, "the sign-in screen");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Sign in with a passkey");
  await page.keyboard.press("Tab");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Hello, Kai" }).waitFor();
  const cookie = (await context.cookies()).find((c) => c.name === "__Host-homeslot_session");
  assert.deepEqual([cookie.httpOnly, cookie.secure, cookie.sameSite], [true, true, "Strict"]);
  assert.equal(await page.evaluate(() => document.cookie), "", "no script can read the session");
  await page.getByRole("link", { name: "Studio Nord" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(`${BASE}/console/b/${COMPANY}`);
  await page.getByRole("button", { name: "Sign out", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(`${BASE}/console/sign-in`);
  assert.equal((await context.cookies()).length, 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the console's page is one shell for every address, unframeable, with a strict CSP", async () => {
  for (const path of ["/console", "/console/", `/console/b/${COMPANY}/staff`, "/console/no/such/screen"]) {
    const response = await fetch(`${BASE}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(await response.text(), /console-app\/[0-9a-f]{12}\/boot\.js/);
    assert.match(response.headers.get("content-security-policy"), /frame-ancestors 'none'/);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
  }
});

test("a passkey: added on the device, then signing in with it alone; a replayed answer opens nothing", async () => {
  // WebAuthn needs a domain as the relying party, not an IP address: the same stack at localhost.
  const LOCAL = BASE.replace("127.0.0.1", "localhost");
  const email = `passkey-${RUN}@studio.example`;
  const { page, context, problems } = await person(WIDTHS[1]);
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  await page.goto((await operatorInvite(email)).replace(BASE, LOCAL));
  await page.getByLabel("Your name").fill("Pia");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Join" }).click();
  await page.waitForURL(`${LOCAL}/console/b/${COMPANY}`);

  await page.goto(`${LOCAL}/console/`);
  await page.getByText("No passkeys yet.").waitFor();
  await page.getByLabel("Name it (to tell your devices apart)").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByRole("button", { name: "Remove the passkey Laptop" }).waitFor();
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true);
  await screenIsClean(page, "the businesses screen with passkeys");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(`${LOCAL}/console/sign-in`);
  let answer;
  page.on("request", (request) => {
    if (request.url().endsWith("/v1/console/passkeys/sign-in")) answer = request.postData();
  });
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.getByRole("heading", { name: "Hello, Pia" }).waitFor();
  assert.ok(answer, "the browser answered the challenge");

  // The same answer sent again (a captured request replayed) is refused: each challenge works once.
  const replayed = await fetch(`${LOCAL}/v1/console/passkeys/sign-in`, {
    method: "POST", body: answer,
    headers: { "content-type": "application/json", origin: LOCAL, "sec-fetch-site": "same-origin" },
  });
  assert.equal(replayed.status, 401);
  assert.equal(replayed.headers.get("set-cookie"), null);
  // Another site's page cannot use it either.
  const elsewhere = await fetch(`${LOCAL}/v1/console/passkeys/sign-in-options`, {
    method: "POST", headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  assert.equal(elsewhere.status, 403);
  assert.deepEqual(problems, []);
  await context.close();
});

test("on the owner's site: the owner registers it, copies the inline code for a service, and a client books there", async () => {
  const owner = await person(WIDTHS[1]);
  await owner.page.goto(await operatorInvite(`site-${RUN}@studio.example`));
  await owner.page.getByLabel("Your name").fill("Sami");
  await owner.page.getByLabel("Password").fill(PASSWORD);
  await owner.page.getByRole("button", { name: "Join" }).click();
  await owner.page.getByRole("link", { name: "On your site" }).click();
  await owner.page.waitForURL(`${BASE}/console/b/${COMPANY}/embed`);

  let page = "";
  const site = await siteServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><html lang="en"><title>Studio Nord</title><link rel="icon" href="data:,"><h1>Book with us</h1>${page}`);
  });
  try {
    await owner.page.getByLabel("Add your site's address").fill(`${site.origin}/`);
    await owner.page.getByRole("button", { name: "Add the site" }).click();
    await owner.page.getByRole("listitem").filter({ hasText: site.origin }).waitFor();
    await owner.page.getByLabel("Opens at the location").selectOption("north");
    await owner.page.getByLabel("Opens on the service").selectOption("cut");
    const code = await owner.page.getByLabel("Code to paste", { exact: true }).inputValue();
    assert.equal(code, `<homeslot-widget company="${COMPANY}" location="north" service="cut" style="display:block;height:560px"></homeslot-widget>\n`
      + `<script async src="${BASE}/embed/loader.js"></script>`);
    assert.equal(await owner.page.getByRole("link", { name: /\/b\// }).getAttribute("href"), `${BASE}/b/${COMPANY}/north?service=cut`);
    await screenIsClean(owner.page, "the embed screen");
    assert.deepEqual(owner.problems, []);

    page = code;
    const client = await person(WIDTHS[0]);
    await client.page.goto(`${site.origin}/`);
    await client.page.getByRole("button", { name: /Any specialist/ }).click();
    const time = client.page.locator(".hs-time").first();
    await time.waitFor();
    await time.click();
    await client.page.getByLabel("Name").fill("Site Client");
    const phone = `+44 7400 7${String(Date.now() % 100000).padStart(5, "0")}`;
    await client.page.getByLabel("Phone").fill(phone);
    await client.page.getByRole("button", { name: "Confirm booking" }).click();
    await client.page.getByRole("heading", { name: "You're booked!" }).waitFor();
    const exported = await fetch(`${BASE}/v1/admin/companies/${COMPANY}/export`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const rows = (await exported.json()).locations
      .flatMap((l) => l.bookings.map((b) => [l.location_id, b.service_id, b.client_phone]))
      .filter(([, , booked]) => booked === phone.replaceAll(" ", ""));
    assert.deepEqual(rows.map(([at, service]) => [at, service]), [["north", "cut"]], "booked once, where the code said");
    await client.context.close();
  } finally {
    site.close();
    await owner.context.close();
  }
});
