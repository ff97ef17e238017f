// Editing a catalog one item at a time through the admin API: create, replace and delete
// locations, services, specialists and categories, change company-wide fields (widget settings
// included), all validated like a whole upload, applied one at a time, seen at once by the public
// catalog. A deleted location's bookings stay reachable by export and erasure.
import { test, before } from "node:test";
import assert from "node:assert/strict";

import { TOKEN, api, client, everyDay, putCompany } from "./helpers.mjs";

const SALON = "edit-salon";
const admin = (path, { method = "GET", body, token = TOKEN } = {}) =>
  api(`/v1/admin/companies/${SALON}${path}`, { method, body, headers: { authorization: `Bearer ${token}` } });
const publicCatalog = async () => (await api(`/v1/companies/${SALON}`)).body;
const hours = everyDay("09:00", "17:00");
const policy = { slot_step_minutes: 60, minimum_notice_minutes: 0, horizon_days: 30 };

before(async () => {
  await putCompany({
    id: SALON, name: "Edit Salon", currency: "EUR",
    locations: [{ id: "centre", name: "Centre", time_zone: "Europe/Madrid", policy }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 60, price_minor: 2500, specialist_ids: ["eva"] }],
    specialists: [{ id: "eva", name: "Eva", location_id: "centre", working_hours: hours }],
  });
});

test("one item at a time: created (201), replaced in place (200), visible at once", async () => {
  const category = await admin("/categories/cuts", { method: "PUT", body: { id: "cuts", name: "Cuts" } });
  assert.deepEqual([category.status, category.body], [201, { id: "cuts", kind: "categories", status: "created" }]);
  const location = await admin("/locations/harbour", {
    method: "PUT",
    body: { id: "harbour", name: "Harbour", city: "Valencia", address: "Carrer del Port 1", phone: "+34961234567",
      email: "harbour@salon.example", time_zone: "Europe/Madrid", policy },
  });
  assert.equal(location.status, 201, location.text);
  const specialist = await admin("/specialists/leo", {
    method: "PUT",
    body: { id: "leo", name: "Leo", position: "Barber", photo_url: "https://salon.example/leo.jpg", location_id: "harbour", working_hours: hours },
  });
  assert.equal(specialist.status, 201, specialist.text);
  const service = await admin("/services/cut", {
    method: "PUT",
    body: { id: "cut", name: "Cut & style", description: "Wash, cut and blow-dry.", category_id: "cuts",
      duration_minutes: 60, price_minor: 2800, specialist_ids: ["eva", "leo"] },
  });
  assert.deepEqual([service.status, service.body.status], [200, "replaced"]);

  const shown = await publicCatalog();
  assert.deepEqual(shown.categories, [{ id: "cuts", name: "Cuts" }]);
  assert.deepEqual(shown.services.map((s) => [s.id, s.name, s.category_id, s.description, s.price.amount_minor]),
    [["cut", "Cut & style", "cuts", "Wash, cut and blow-dry.", 2800]], "replaced in place, not appended");
  const harbour = shown.locations.find((l) => l.id === "harbour");
  assert.deepEqual([harbour.city, harbour.phone, harbour.email], ["Valencia", "+34961234567", "harbour@salon.example"]);
  assert.equal(shown.specialists.find((s) => s.id === "leo").photo_url, "https://salon.example/leo.jpg");
  // The new specialist is bookable at the new location straight away.
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const free = await api(`/v1/companies/${SALON}/locations/harbour/slots?service=cut&date=${day}`);
  assert.equal(free.status, 200, free.text);
  assert.ok(free.body.slots.length > 0 && free.body.slots.every((s) => s.specialist_ids.join() === "leo"));

  // The admin view round-trips: what GET gives, PUT takes.
  const document = await admin("");
  assert.equal(document.status, 200);
  assert.equal(document.body.services[0].category_id, "cuts");
  assert.equal((await admin("", { method: "PUT", body: document.body })).status, 200);
});

test("a refused edit names the field, relative to the item, and changes nothing", async () => {
  const before = (await admin("")).body;
  const cases = [
    ["/services/cut", { id: "cut", name: "Cut", duration_minutes: 0, price_minor: 1, specialist_ids: ["eva"] }, 422, "validation_failed", "duration_minutes"],
    ["/services/cut", { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 1, specialist_ids: ["eva"], category_id: "nails" }, 422, "validation_failed", "category_id"],
    ["/services/other", { id: "cut", name: "Cut", duration_minutes: 30, price_minor: 1, specialist_ids: [] }, 422, "validation_failed", "id"],
    ["/specialists/zoe", { id: "zoe", name: "Zoe", location_id: "nowhere", working_hours: hours }, 422, "validation_failed", "location_id"],
    ["/specialists/zoe", { id: "zoe", name: "Zoe", location_id: "centre", photo_url: "javascript:alert(1)", working_hours: hours }, 422, "validation_failed", "photo_url"],
    ["/locations/moon", { id: "moon", name: "Moon", time_zone: "Moon/Base" }, 422, "validation_failed", "time_zone"],
    ["/locations/centre", { id: "centre", name: "Centre", time_zone: "Europe/Madrid", phone: "961 23 45 67" }, 422, "validation_failed", "phone"],
    ["/categories/x", { id: "x" }, 400, "invalid_json", undefined],
    ["/categories/x", "{not json", 400, "invalid_json", undefined],
  ];
  for (const [path, body, status, code, field] of cases) {
    const answer = await admin(path, { method: "PUT", body });
    assert.equal(answer.status, status, `${path}: ${answer.text}`);
    assert.equal(answer.body.error.code, code, path);
    assert.equal(answer.body.error.field ?? undefined, field, `${path}: ${answer.text}`);
  }
  const patches = [
    [{ locations: [] }, 400, "invalid_json", undefined],
    [{ widget: { language: "tlh" } }, 422, "validation_failed", "widget.language"],
    [{ widget: { analytics: { ga4_measurement_id: "UA-1-1" } } }, 422, "validation_failed", "widget.analytics.ga4_measurement_id"],
    [{ site_origins: ["*"] }, 422, "validation_failed", "site_origins[0]"],
    [{ currency: 3 }, 400, "invalid_json", undefined],
  ];
  for (const [body, status, code, field] of patches) {
    const answer = await admin("", { method: "PATCH", body });
    assert.deepEqual([answer.status, answer.body.error.code, answer.body.error.field ?? undefined], [status, code, field], answer.text);
  }
  assert.deepEqual((await admin("")).body, before, "nothing changed");
});

test("PATCH changes company-wide fields and the widget settings, which the public catalog carries", async () => {
  const widget = {
    step_order: "specialist_first", theme: "dark", language: "es", phone_country: "ES",
    email_field: "required", comment_field: "optional", comment_label: "Notas",
    privacy_policy: { text: "Acepto la política de privacidad", url: "https://salon.example/privacidad" },
    marketing_consent: true,
    analytics: { ga4_measurement_id: "G-ABC123XYZ9", gtm_container_id: "GTM-AB12CD3", meta_pixel_id: "1234567890" },
  };
  const patched = await admin("", { method: "PATCH", body: { name: "Salón Edit", logo_url: "https://salon.example/logo.svg", widget } });
  assert.deepEqual([patched.status, patched.body.status], [200, "updated"], patched.text);
  const shown = await publicCatalog();
  assert.deepEqual([shown.company.name, shown.company.logo_url], ["Salón Edit", "https://salon.example/logo.svg"]);
  assert.deepEqual(shown.widget, widget);
  assert.ok(shown.services.length > 0, "the rest of the catalog is untouched");
  const cleared = await admin("", { method: "PATCH", body: { logo_url: null } });
  assert.equal(cleared.status, 200);
  assert.equal((await publicCatalog()).company.logo_url, undefined);
});

test("deleting: specialists leave their services, categories their services; a staffed location is in use", async () => {
  await admin("/specialists/mia", { method: "PUT", body: { id: "mia", name: "Mia", location_id: "centre", working_hours: hours } });
  const service = (await admin("")).body.services.find((s) => s.id === "cut");
  await admin("/services/cut", { method: "PUT", body: { ...service, specialist_ids: [...service.specialist_ids, "mia"] } });

  const gone = await admin("/specialists/mia", { method: "DELETE" });
  assert.deepEqual([gone.status, gone.body.status], [200, "deleted"], gone.text);
  const after = (await admin("")).body;
  assert.ok(!after.specialists.some((s) => s.id === "mia"));
  assert.ok(!after.services.find((s) => s.id === "cut").specialist_ids.includes("mia"));

  const staffed = await admin("/locations/centre", { method: "DELETE" });
  assert.deepEqual([staffed.status, staffed.body.error.code], [409, "in_use"], staffed.text);
  const missing = await admin("/services/nothing", { method: "DELETE" });
  assert.deepEqual([missing.status, missing.body.error.code], [404, "not_found"]);
  assert.equal((await admin("/categories/cuts", { method: "DELETE" })).status, 200);
  assert.equal((await admin("")).body.services.find((s) => s.id === "cut").category_id, undefined);
});

test("concurrent edits of one catalog are applied one at a time: none is lost", async () => {
  const names = Array.from({ length: 20 }, (_, i) => `extra-${i}`);
  // Each sent once, as twenty admins at once would.
  const answers = await Promise.all(names.map((id) => admin(`/categories/${id}`, { method: "PUT", body: { id, name: id } })));
  assert.ok(answers.every((a) => a.status === 201), answers.map((a) => `${a.status} ${a.text.slice(0, 60)}`).join());
  const ids = (await admin("")).body.categories.map((c) => c.id);
  for (const id of names) assert.ok(ids.includes(id), `${id} kept`);
});

test("a deleted location's bookings stay reachable by export and erasure", async () => {
  await admin("/locations/pop-up", { method: "PUT", body: { id: "pop-up", name: "Pop-up", time_zone: "Europe/Madrid", policy } });
  await admin("/specialists/ivo", { method: "PUT", body: { id: "ivo", name: "Ivo", location_id: "pop-up", working_hours: hours } });
  const service = (await admin("")).body.services.find((s) => s.id === "cut");
  await admin("/services/cut", { method: "PUT", body: { ...service, specialist_ids: [...service.specialist_ids, "ivo"] } });
  const day = new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10);
  const booked = await api(`/v1/companies/${SALON}/locations/pop-up/bookings`, {
    // The widget settings set above ask for an e-mail and the privacy policy's acceptance.
    method: "POST",
    body: { service_id: "cut", start: `${day}T10:00:00Z`, client: { ...client(881), email: "c881@example.com", privacy_accepted: true } },
  });
  assert.equal(booked.status, 201, booked.text);
  assert.equal((await admin("/specialists/ivo", { method: "DELETE" })).status, 200);
  assert.equal((await admin("/locations/pop-up", { method: "DELETE" })).status, 200);
  assert.equal((await api(`/v1/companies/${SALON}/locations/pop-up/slots?service=cut&date=${day}`)).status, 404);

  const exported = (await admin("/export")).body;
  const popUp = exported.locations.find((l) => l.location_id === "pop-up");
  assert.ok(popUp?.bookings.some((b) => b.booking_id === booked.body.booking_id), "the export still has it");
  const erased = await admin("/clients/erase", { method: "POST", body: { phone: client(881).phone } });
  assert.equal(erased.body.erased_bookings, 1, erased.text);
  const row = (await admin("/export")).body.locations.find((l) => l.location_id === "pop-up").bookings[0];
  assert.equal(row.client_name, "(erased)");
});
