// The crash check, phase 1 (scripts/test kills the Worker while this runs): a stream of bookings
// into one location, 8 at a time. Every answer is appended to $HOMESLOT_STREAM_FILE as it
// arrives, so the record survives the crash; network errors after the kill are expected.
import { appendFileSync } from "node:fs";
import { TOKEN, api, client, everyDay, putCompany } from "../helpers.mjs";

const CLINIC = "stream-clinic";
const out = process.env.HOMESLOT_STREAM_FILE;
const hours = everyDay("08:00", "20:00");
const staff = ["a", "b", "c", "d"];
await putCompany({
    id: CLINIC, name: "Stream Clinic", currency: "EUR",
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 60 } }],
    services: [{ id: "visit", name: "Visit", duration_minutes: 30, price_minor: 1000, specialist_ids: staff }],
    specialists: staff.map((id) => ({ id, name: id, location_id: "main", working_hours: hours })),
  });
appendFileSync(out, "");
console.error("stream: started");

const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
// 2,000 distinct (specialist, start) pairs: far more than can be sent before the kill.
const requests = [];
for (let d = 2; requests.length < 2000; d++) {
  for (let half = 16; half < 40 && requests.length < 2000; half++) {
    const start = `${day(d)}T${String(Math.floor(half / 2)).padStart(2, "0")}:${half % 2 ? "30" : "00"}:00Z`;
    for (const specialist of staff) requests.push({ start, specialist });
  }
}
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < requests.length) {
    const i = next++;
    const { start, specialist } = requests[i];
    try {
      const r = await api(`/v1/companies/${CLINIC}/locations/main/bookings`, {
        method: "POST", body: { service_id: "visit", start, specialist_id: specialist, client: client(i % 900) },
      });
      appendFileSync(out, `${JSON.stringify({ i, status: r.status, booking_id: r.body?.booking_id ?? null, start, specialist })}\n`);
    } catch {
      return; // the Worker is gone: stop this lane
    }
  }
}));
