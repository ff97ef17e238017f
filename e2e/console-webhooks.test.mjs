// Webhooks in the console, on the real stack in Chromium: the owner adds an endpoint (a private
// address refused at its field), copies the secret shown once, sends a test event that a loopback
// receiver verifies with the Standard Webhooks library, reads the delivery log with the
// receiver's answer, sends the message again, renews the secret and turns the endpoint off. A
// manager has no Webhooks screen. Axe-clean at 360 px and desktop.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { TOKEN, api, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `console-hooks-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };

let browser;
let receiver;
const received = [];
before(async () => {
  browser = await launchBrowser();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => { received.push({ headers: req.headers, body }); res.end("got it"); });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  await putCompany({
    id: COMPANY, name: "Console Hooks Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC" }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay() }],
  });
});
after(async () => { await browser?.close(); receiver?.close(); });

test("the owner adds an endpoint, sees its secret once, sends a test event, reads the log, replays and turns it off", { timeout: 120_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "owner", { expected: [401, 404, 422] });
  await page.getByRole("link", { name: "Webhooks" }).click();
  await page.getByRole("heading", { name: "Webhooks", exact: true }).waitFor();
  await page.getByText("No endpoints yet.").waitFor();

  await page.getByLabel("Address").fill("http://10.0.0.8/hook");
  await page.getByRole("button", { name: "Add the endpoint" }).click();
  await page.locator("#webhook-url-problem").getByText(/https:\/\/ address|public address/).waitFor();
  assert.deepEqual((await api(`/v1/admin/companies/${COMPANY}/webhooks`, { headers: admin })).body, { endpoints: [] });

  const url = `http://127.0.0.1:${receiver.address().port}/crm`;
  await page.getByLabel("Address").fill(url);
  await page.getByLabel("What it is for (optional)").fill("The CRM");
  await page.getByLabel(/A booking is cancelled/).check();
  await page.getByRole("button", { name: "Add the endpoint" }).click();
  const secret = await page.locator("code.address").filter({ hasText: "whsec_" }).textContent();
  assert.match(secret, /^whsec_/);
  const listed = (await api(`/v1/admin/companies/${COMPANY}/webhooks`, { headers: admin })).body.endpoints;
  assert.deepEqual(listed.map((e) => [e.url, e.description, e.events]), [[url, "The CRM", ["booking.created", "booking.cancelled"]]]);
  const card = page.getByRole("article", { name: "The CRM" });
  await card.waitFor();
  await screenIsClean(page, "the webhooks");

  await card.getByRole("button", { name: "Send a test event" }).click();
  await card.getByText("The test event is on its way.").waitFor();
  const until = Date.now() + 15_000;
  while (received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const payload = new Webhook(secret).verify(received[0].body, received[0].headers);
  assert.equal(payload.type, "webhook.test");

  await card.getByRole("button", { name: "Deliveries" }).click();
  await card.getByRole("cell", { name: "webhook.test" }).waitFor();
  await card.getByText(/\(test, \d+ ms\): 200 got it/).waitFor();
  await screenIsClean(page, "the webhooks' delivery log");
  await card.getByRole("button", { name: /^Send msg_\w+ again$/ }).click();
  await card.getByText("1 message(s) will be sent again.").waitFor();
  while (received.length < 2 && Date.now() < until + 15_000) await new Promise((r) => setTimeout(r, 100));
  assert.equal(received[1].headers["webhook-id"], received[0].headers["webhook-id"], "the same message again");

  await card.getByRole("button", { name: "New secret" }).click();
  const renewed = await page.locator("code.address").filter({ hasText: "whsec_" }).filter({ hasNotText: secret }).textContent();
  assert.notEqual(renewed, secret);
  await page.getByRole("article", { name: "The CRM" }).getByText(/The previous secret also signs until/).waitFor();

  await page.getByRole("article", { name: "The CRM" }).getByRole("button", { name: "Turn off" }).click();
  await page.getByRole("article", { name: "The CRM" }).getByText("Off: turned off by the business").waitFor();
  const off = (await api(`/v1/admin/companies/${COMPANY}/webhooks`, { headers: admin })).body.endpoints[0];
  assert.equal(off.enabled, false);
  assert.deepEqual(problems, []);
});

test("a manager has no Webhooks screen, and the API refuses them", { timeout: 60_000 }, async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "manager", { expected: [401, 403] });
  await page.getByRole("link", { name: "Catalog" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Webhooks" }).count(), 0);
  const refused = await page.evaluate(async (company) => {
    const answer = await fetch(`/v1/admin/companies/${company}/webhooks`);
    return answer.status;
  }, COMPANY);
  assert.equal(refused, 403);
  assert.deepEqual(problems, []);
});
