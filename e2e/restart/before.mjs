// Phase 1 of the restart check (run by scripts/test before it restarts the Worker): confirms a
// booking, and a visit a few minutes ahead whose e-mail reminder falls due after the restart;
// prints what was booked as JSON, for after.test.mjs to verify.
import assert from "node:assert/strict";
import { TOKEN, api, book, client, dateWithSlots, everyDay, putCompany } from "../helpers.mjs";

const { date, slots } = await dateWithSlots("colour", 10);
const slot = slots[slots.length - 1];
const response = await book({ service_id: "colour", start: slot.start, client: client(900) });
assert.equal(response.status, 201, response.text);

// A reminder one minute before a visit that starts at the second whole minute from now: due in
// one to two minutes, so it is still waiting when the Worker stops.
const company = `restart-mail-${Date.now() % 1_000_000}`;
await putCompany({
  id: company, name: "Restart Salon", currency: "GBP", site_origins: [],
  locations: [{ id: "main", name: "Main", time_zone: "UTC",
    policy: { slot_step_minutes: 1, minimum_notice_minutes: 0, horizon_days: 30, reminder_minutes: [1] } }],
  services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
  specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
});
const mail = await api(`/v1/admin/companies/${company}/mail`, { method: "PUT", headers: { authorization: `Bearer ${TOKEN}` },
  body: { host: "127.0.0.1", port: Number(process.env.SMTP_PORT), security: "none", from_address: "restart@restart.example" } });
assert.equal(mail.status, 200, mail.text);
const start = new Date((Math.floor(Date.now() / 60_000) + 2) * 60_000);
const email = `restart-${company}@client.example`;
const visit = await api(`/v1/companies/${company}/locations/main/bookings`, { method: "POST",
  body: { service_id: "cut", start: start.toISOString().replace(".000", ""), client: { name: "Rhea", phone: "+44 7400 909090", email, language: "en" } } });
assert.equal(visit.status, 201, visit.text);

console.log(JSON.stringify({ date, start: slot.start, booking_id: response.body.booking_id,
  reminder: { email, due: start.getTime() - 60_000 } }));
