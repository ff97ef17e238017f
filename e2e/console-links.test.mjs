// Short links and the rest of "On your site", in Chromium on the real stack: the owner adds a
// short link for Instagram in the console; following it counts a visit and opens the hosted page
// with the link's campaign, where a client books and the booking keeps the campaign; its QR code
// downloads as a PNG that a scanner reads back as the short link; a bad name is refused at its
// field; a service a link opens on cannot be deleted; the WordPress plugin downloads as a zip;
// each site builder's steps show the code it needs. Axe-clean at phone and desktop widths.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BASE, TOKEN, everyDay, joinByInvite, launchBrowser, putCompany, screenIsClean } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `links-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Link Studio", currency: "EUR", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "Europe/Berlin", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["lia"] }],
    specialists: [{ id: "lia", name: "Lia", location_id: "main", working_hours: everyDay("08:00", "20:00") }],
  });
});
after(async () => { await browser?.close(); });

function jsQR() {
  return readFileSync(createRequire(import.meta.url).resolve("jsqr/dist/jsQR.js"), "utf8")
    .replace(/^/, "var module = {exports: {}}, exports = module.exports;\n") + "\nwindow.jsQR = module.exports.default || module.exports;";
}

test("short links count visits and carry their campaign to a booking; QR codes, the plugin, the site builders", async () => {
  const { page, context, problems } = await joinByInvite(browser, COMPANY, "owner", { options: { acceptDownloads: true } });
  await page.getByRole("link", { name: "On your site" }).click();
  await page.getByText("No short links yet.").waitFor();

  await page.getByRole("button", { name: "For instagram" }).click();
  assert.equal(await page.getByLabel("Source (utm_source)").inputValue(), "instagram");
  await page.getByLabel("Name (in the address)").fill("Insta Gram");
  await page.getByRole("button", { name: "Add the short link" }).click();
  await page.locator("#link-name-problem").filter({ hasText: "a–z, 0–9 and -" }).waitFor();
  await page.getByLabel("Name (in the address)").fill("instagram");
  await page.getByLabel("Campaign (utm_campaign, optional)").fill("bio");
  await page.getByRole("button", { name: "Add the short link" }).click();
  const short = `${BASE}/s/${COMPANY}/instagram`;
  await page.getByRole("link", { name: short }).waitFor();
  await page.getByText("0 visits").waitFor();

  // Followed: a visit counted, and on to the hosted page with the campaign.
  const followed = await fetch(short, { redirect: "manual" });
  assert.equal(followed.status, 302);
  assert.equal(followed.headers.get("location"), `${BASE}/b/${COMPANY}?utm_source=instagram&utm_medium=social&utm_campaign=bio`);
  assert.equal(followed.headers.get("cache-control"), "no-store");
  assert.equal((await fetch(`${BASE}/s/${COMPANY}/tiktok`)).status, 404);
  const client = await browser.newContext({ locale: "en-GB", viewport: { width: 360, height: 740 } });
  const tab = await client.newPage();
  await tab.goto(short);
  await tab.getByRole("button", { name: /Cut/ }).click();
  await tab.getByRole("button", { name: /Any specialist/ }).click();
  await tab.locator(".hs-time").first().click();
  await tab.getByLabel("Name").fill("Insta Client");
  await tab.getByLabel("Phone").fill("+49 30 1234568");
  await tab.getByRole("button", { name: "Confirm booking" }).click();
  await tab.getByRole("heading", { name: "You're booked!" }).waitFor();
  await client.close();
  const exported = await (await fetch(`${BASE}/v1/admin/companies/${COMPANY}/export`, { headers: admin })).json();
  const booked = exported.locations.flatMap((l) => l.bookings);
  assert.deepEqual(booked.map((b) => [b.client_name, b.attribution?.utm_source, b.attribution?.utm_campaign]),
    [["Insta Client", "instagram", "bio"]], "the link's campaign is on the booking");
  await page.reload();
  await page.getByText("2 visits").waitFor();

  // The link's QR code as a PNG, read back by a scanner.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "QR code of instagram (PNG)" }).click();
  const file = await (await download).path();
  const png = readFileSync(file);
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  const scanner = await context.newPage();
  await scanner.goto(`${BASE}/v1/health`);
  const decoded = await scanner.evaluate(async ({ data, jsqr }) => {
    const image = new Image();
    image.src = "data:image/png;base64," + data;
    await image.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width: 400, height: 400 });
    const draw = canvas.getContext("2d");
    draw.drawImage(image, 0, 0, 400, 400);
    new Function(jsqr)();
    return window.jsQR(draw.getImageData(0, 0, 400, 400).data, 400, 400)?.data;
  }, { data: png.toString("base64"), jsqr: jsQR() });
  assert.equal(decoded, short);
  await scanner.close();

  // The service the link opens on cannot go while the link names it... (a link on "cut")
  const patched = await fetch(`${BASE}/v1/admin/companies/${COMPANY}`, {
    method: "PATCH", headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify({ short_links: [{ name: "flyer", utm_source: "flyer", service_id: "cut" }] }),
  });
  assert.equal(patched.status, 200);
  const deleted = await fetch(`${BASE}/v1/admin/companies/${COMPANY}/services/cut`, { method: "DELETE", headers: admin });
  assert.equal(deleted.status, 409);
  assert.match((await deleted.json()).error.message, /short link "flyer"/);

  // The WordPress plugin, and each site builder's code.
  const zip = await fetch(`${BASE}/downloads/homeslot-wordpress.zip`);
  assert.equal(zip.status, 200);
  assert.equal(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString(), "PK");
  await page.reload();
  await page.getByText("Wix", { exact: true }).click();
  assert.match(await page.getByLabel("Code for Wix").inputValue(), /data-mode="iframe"/);
  await page.getByText("Google Sites", { exact: true }).click();
  assert.equal(await page.getByLabel("Link for Google Sites").inputValue(), `${BASE}/b/${COMPANY}`);
  await page.getByText("WordPress", { exact: true }).click();
  await page.getByText("Tilda", { exact: true }).click();
  await screenIsClean(page, "the embed screen");
  assert.deepEqual(problems, []);
  await context.close();
});
