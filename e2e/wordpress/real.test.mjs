// The WordPress plugin on a real WordPress (Debian's package), set up by scripts/wordpress-check:
// its shortcode, its block and its floating button, each booked end to end in Chromium.
// WORDPRESS_PAGE is the page's address; HOMESLOT_URL and HOMESLOT_PLATFORM_TOKEN the stack's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, bookAndCheck, DEMO, launchBrowser, registerDemoSites } from "../helpers.mjs";

const PAGE = process.env.WORDPRESS_PAGE;

test("the plugin on a real WordPress: shortcode, block and floating button book", async () => {
  assert.ok(PAGE, "WORDPRESS_PAGE must be the page scripts/wordpress-check published");
  await registerDemoSites([...DEMO.site_origins, new URL(PAGE).origin]);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "en-GB" });
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(PAGE);
    // WordPress queued the loader once, from the edge.
    assert.equal(await page.locator(`script[src^="${BASE}/embed/loader.js"]`).count(), 2, "the page's and the floating button's");
    const inline = page.locator("homeslot-widget").first();
    await inline.getByRole("heading", { name: "Choose a service" }).waitFor();
    await bookAndCheck(inline);
    await page.getByRole("button", { name: "Book with Marco" }).click();
    await bookAndCheck(page.getByRole("dialog", { name: "Online booking" }), { from: "time", specialist: "marco" });
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Book now" }).click();
    await bookAndCheck(page.getByRole("dialog", { name: "Online booking" }));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await registerDemoSites(DEMO.site_origins);
  }
});
