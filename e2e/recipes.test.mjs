// The site-builder recipes of docs/embedding.md, each on a page that reproduces that builder's
// constraints, booked end to end in headless Chromium: the WordPress plugin (its output rendered
// by PHP), Wix (custom code; the Embed HTML element's frame on another origin), Tilda (an HTML
// block under Tilda's styles) and Google Sites (Embed → URL; Embed → code, a sandboxed frame
// without same-origin).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { BASE, bookAndCheck, COMPANY, DEMO, launchBrowser, registerDemoSites, siteServer } from "./helpers.mjs";

let browser;
const servers = [];
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  for (const server of servers) server.close();
  await registerDemoSites(DEMO.site_origins);
});

/** A builder's server on its own loopback port (its own origin): `pages` maps a path to HTML. */
async function server(pages) {
  const made = await siteServer((req, res) => {
    const html = pages[req.url.split("?")[0]];
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" }).end(html ?? "");
  });
  servers.push(made);
  return made.origin;
}

async function open(url) {
  const context = await browser.newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

const tag = (attributes) => `<script async src="${BASE}/embed/loader.js" ${attributes}></script>`;

test("WordPress: the plugin's shortcode, block and floating button, rendered by PHP, book", async () => {
  const html = execFileSync("php", ["embed-snippets/wordpress/test/render.php", BASE, COMPANY, "Book now"], { encoding: "utf8" });
  // What an author may type is cleaned: no markup gets out of an attribute, a bad date is dropped.
  const checked = /<template id="checked">(.*?)<\/template>/.exec(html)[1];
  assert.equal(checked, `<homeslot-widget company="demo" service="xscriptalert1script" language="de"></homeslot-widget>`);
  // The loader once, queued by WordPress in the head with its async strategy, plus the floating button's tag.
  assert.match(html, new RegExp(`<script src="${BASE}/embed/loader.js" id="homeslot-loader-js" async data-wp-strategy="async"></script>`));
  const origin = await server({ "/": html });
  await registerDemoSites([...DEMO.site_origins, origin]);
  const { page, problems, close } = await open(`${origin}/`);
  // The [homeslot] shortcode: the inline widget.
  const inline = page.locator("main > homeslot-widget");
  await inline.getByRole("heading", { name: "Choose a service" }).waitFor();
  await bookAndCheck(inline);
  // [homeslot mode="popup" specialist="marco" …]: a button opening Marco's times.
  await page.getByRole("button", { name: "Book with Marco" }).click();
  const popup = page.getByRole("dialog", { name: "Online booking" });
  await bookAndCheck(popup, { from: "time", specialist: "marco" });
  await page.keyboard.press("Escape");
  // The block, rendered by the same PHP, and the floating button from the settings.
  await page.getByRole("button", { name: "Book a blow-dry" }).click();
  await popup.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Book now" }).click();
  await bookAndCheck(page.getByRole("dialog", { name: "Online booking" }));
  assert.deepEqual(problems, []);
  await close();
  // The settings page renders a form with the three settings.
  const settings = execFileSync("php", ["-r", `define('ABSPATH', '/'); function get_option($n, $d = '') { return $d; }
    foreach (['add_action', 'add_shortcode', 'settings_fields', 'submit_button'] as $f) { eval("function $f() {}"); }
    function esc_attr($t) { return htmlspecialchars($t); } function esc_html_e($t) { echo htmlspecialchars($t); }
    require 'embed-snippets/wordpress/homeslot/homeslot.php'; homeslot_settings_page();`], { encoding: "utf8" });
  for (const name of ["homeslot_edge", "homeslot_company", "homeslot_floating"]) assert.match(settings, new RegExp(`name="${name}"`));
});

test("Wix: custom code with the floating button; the Embed HTML element's frame on another origin in iframe mode", async () => {
  // Custom code ("Body - end"): Wix adds the tag to every page with a script, not in the markup.
  const inject = `<script>(() => { const s = document.createElement("script"); s.async = true;
    s.src = "${BASE}/embed/loader.js"; s.dataset.company = "${COMPANY}"; s.dataset.mode = "floating";
    document.body.appendChild(s); })();</script>`;
  // The Embed HTML element: the owner's code in a frame served from Wix's file host (another
  // origin, not one the owner registers), sandboxed with same-origin.
  const files = await server({ "/html/embed.html": `<!doctype html><html><head><meta charset="utf-8"></head><body>${tag(`data-company="${COMPANY}" data-mode="iframe"`)}</body></html>` });
  const site = `<!doctype html><html><head><meta charset="utf-8"><title>Wix site</title><link rel="icon" href="data:,"></head>
    <body><div id="SITE_CONTAINER"><h1>Salon</h1>
    <wix-iframe><iframe title="Embedded content" src="${files}/html/embed.html" width="100%" height="900"
      sandbox="allow-same-origin allow-forms allow-popups allow-scripts allow-presentation"></iframe></wix-iframe>
    </div>${inject}</body></html>`;
  const origin = await server({ "/": site });
  await registerDemoSites([...DEMO.site_origins, origin]);
  const { page, problems, close } = await open(`${origin}/`);
  await page.getByRole("button", { name: "Book online" }).click();
  await bookAndCheck(page.getByRole("dialog", { name: "Online booking" }));
  await page.getByRole("button", { name: "Close" }).click();
  const framed = page.frameLocator("wix-iframe iframe").frameLocator("homeslot-widget iframe");
  await bookAndCheck(framed);
  assert.deepEqual(problems, []);
  await close();
});

test("Tilda: the one tag in an HTML block (T123), under Tilda's own styles", async () => {
  const tilda = `<!doctype html><html><head><meta charset="utf-8"><title>Tilda</title><link rel="icon" href="data:,">
    <style>.t-body{margin:0;font-family:'TildaSans',Arial,sans-serif} .t-rec *{box-sizing:border-box;-webkit-font-smoothing:antialiased}
    .t-rec div{max-width:1160px} .t123 button,.t123 input{font-size:22px!important;border-radius:0!important;background:#ff8562!important}
    .t-container{padding:0 20px}</style></head>
    <body class="t-body"><div id="allrecords" class="t-records"><div id="rec1" class="r t-rec t-rec_pt_45" data-record-type="131">
    <div class="t123"><div class="t-container_100"><div class="t-width t-width_100">
    ${tag(`data-company="${COMPANY}" data-service="mens-cut"`)}
    </div></div></div></div></div></body></html>`;
  const origin = await server({ "/": tilda });
  await registerDemoSites([...DEMO.site_origins, origin]);
  const { page, problems, close } = await open(`${origin}/`);
  await page.getByRole("heading", { name: "Choose a specialist" }).waitFor();
  await bookAndCheck(page, { from: "specialist" });
  assert.deepEqual(problems, []);
  await close();
});

test("Google Sites: Embed → URL of the hosted page; Embed → code, in a sandboxed frame without same-origin", async () => {
  // Embed → URL: the hosted page in Google's frame.
  const byUrl = `<!doctype html><meta charset="utf-8"><title>Google Sites</title><link rel="icon" href="data:,">
    <iframe title="Booking" src="${BASE}/b/${COMPANY}?service=mens-cut" style="width:100%;height:1200px;border:0"
      sandbox="allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox"></iframe>`;
  // Embed → code: Google runs the pasted code in a sandboxed frame of its own, without
  // allow-same-origin: an opaque origin ("null"), which the owner adds to the company's sites.
  const code = `<html><body>${tag(`data-company="${COMPANY}"`)}</body></html>`;
  const byCode = `<!doctype html><meta charset="utf-8"><title>Google Sites</title><link rel="icon" href="data:,">
    <iframe title="Embedded code" srcdoc="${code.replaceAll('"', "&quot;")}" style="width:100%;height:1200px;border:0"
      sandbox="allow-scripts allow-forms allow-popups"></iframe>`;
  const origin = await server({ "/url": byUrl, "/code": byCode });
  await registerDemoSites([...DEMO.site_origins, origin, "null"]);
  let { page, problems, close } = await open(`${origin}/url`);
  await bookAndCheck(page.frameLocator("iframe"), { from: "specialist" });
  assert.deepEqual(problems, []);
  await close();
  ({ page, problems, close } = await open(`${origin}/code`));
  await bookAndCheck(page.frameLocator("iframe"));
  assert.deepEqual(problems, []);
  await close();
  // Without "null" among the sites, the sandboxed code is refused by the API, as any unregistered site is.
  await registerDemoSites([...DEMO.site_origins, origin]);
  ({ page, problems, close } = await open(`${origin}/code`));
  await page.frameLocator("iframe").getByText(/unavailable|not allowed|refused|Try again/i).first().waitFor();
  await close();
});
