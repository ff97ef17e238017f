// The promo block's data over HTTP: the owner's promos are checked against their limits by the
// admin API (a clear message, nothing changed), and the public catalog carries those running
// today, in the owner's order, for the widget to pick one per screen.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { addDays, api, everyDay, putCompany, TOKEN } from "./helpers.mjs";

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
