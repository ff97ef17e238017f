// Cross-origin access: the public API answers browsers on exactly the company's registered site
// origins; the widget's static code may be loaded from anywhere.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { api, BASE, COMPANY, DEMO as demo, LOCATION, registerDemoSites, TOKEN } from "./helpers.mjs";

const registered = "https://salon.example";
const stranger = "https://elsewhere.example";

async function register(origins) {
  const response = await registerDemoSites(origins);
  assert.equal(response.status, 200, response.text);
}

after(() => register(demo.site_origins));

test("a registered site may call the API; others get no CORS permission", async () => {
  await register([registered]);
  const url = `${BASE}/v1/companies/${COMPANY}`;
  const ok = await fetch(url, { headers: { origin: registered } });
  assert.equal(ok.headers.get("access-control-allow-origin"), registered);
  assert.match(ok.headers.get("vary") ?? "", /Origin/);
  const refused = await fetch(url, { headers: { origin: stranger } });
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
});

test("preflights grant POST with a JSON body to registered sites only", async () => {
  await register([registered]);
  const url = `${BASE}/v1/companies/${COMPANY}/locations/${LOCATION}/bookings`;
  const preflight = (origin) => fetch(url, {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });
  const ok = await preflight(registered);
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get("access-control-allow-origin"), registered);
  assert.match(ok.headers.get("access-control-allow-methods"), /POST/);
  assert.match(ok.headers.get("access-control-allow-headers"), /content-type/);
  const refused = await preflight(stranger);
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
  assert.equal(refused.headers.get("access-control-allow-methods"), null);
});

test("error answers carry CORS headers too, so the widget can read them", async () => {
  await register([registered]);
  const response = await fetch(`${BASE}/v1/companies/${COMPANY}/locations/${LOCATION}/bookings`, {
    method: "POST", headers: { origin: registered, "content-type": "application/json" }, body: "{",
  });
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("access-control-allow-origin"), registered);
});

test("the widget's code is public: any site may load it; its files are kept, the loader asked for again", async () => {
  // The loader names its widget's version: the folder of the files it loads.
  const loader = await (await fetch(`${BASE}/embed/loader.js`)).text();
  const version = /\/widget\/([0-9a-f]{12})\//.exec(loader)?.[1];
  assert.ok(version, "the loader names its widget's version");
  for (const path of ["/embed/loader.js", `/widget/${version}/homeslot_widget.js`, `/widget/${version}/homeslot_widget_bg.wasm`, `/widget/${version}/embed.js`]) {
    const response = await fetch(`${BASE}${path}`, { headers: { origin: stranger } });
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get("access-control-allow-origin"), "*", path);
    const kept = path.startsWith("/widget/") ? /immutable/ : /max-age=300/;
    assert.match(response.headers.get("cache-control"), kept, path);
  }
  const wasm = await fetch(`${BASE}/widget/${version}/homeslot_widget_bg.wasm`);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
});

test("a site origin that is not an origin is refused by the admin API", async () => {
  const response = await api(`/v1/admin/companies/${COMPANY}`, {
    method: "PUT", body: { ...demo, site_origins: ["https://salon.example/book"] }, headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(response.status, 422);
  assert.equal(response.body.error.field, "site_origins[0]");
});
