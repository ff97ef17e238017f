// Two hundred clients race for one slot over HTTP: exactly one wins, the rest get
// slot_unavailable, and nothing answers 5xx. The same with "any specialist" (the losers get
// no_free_specialist), and with a room of capacity 2 shared by four specialists (slot_unavailable:
// the room, not the staff, is what ran out).
import { test } from "node:test";
import assert from "node:assert/strict";
import { TOKEN, addDays, api, bookingsUrl, client, dateWithSlots, everyDay, slots, putCompany } from "./helpers.mjs";

const CLIENTS = 200;
const RUN = Math.random().toString(36).slice(2); // keys of one run never answer another's

/** One client's confirmation, as a real client sends it: once, with an Idempotency-Key. */
function confirm(url, body, key) {
  return api(url, { method: "POST", body, headers: { "Idempotency-Key": key } });
}

/** "201 ×1, 409 slot_unavailable ×199": what a storm got, for assertion messages. */
function tally(responses) {
  const seen = {};
  for (const r of responses) {
    const what = `${r.status} ${r.body?.error?.code ?? (r.status >= 500 ? r.text.slice(0, 60) : "")}`.trim();
    seen[what] = (seen[what] ?? 0) + 1;
  }
  return Object.entries(seen).map(([what, n]) => `${what} ×${n}`).join(", ");
}

test(`${CLIENTS} concurrent confirmations of one slot: 1 success, the rest slot_unavailable, no 5xx`, async () => {
  const { date, slots: free } = await dateWithSlots("blow-dry", 5);
  const slot = free[Math.floor(free.length / 2)];
  const specialist = slot.specialist_ids[0];
  const responses = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) => confirm(bookingsUrl,
      { service_id: "blow-dry", start: slot.start, specialist_id: specialist, client: client(100 + i) }, `${RUN}-one-${i}`)),
  );
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s >= 500).length, 0, tally(responses));
  assert.equal(statuses.filter((s) => s === 201).length, 1, tally(responses));
  const conflicts = responses.filter((r) => r.status === 409 && r.body?.error?.code === "slot_unavailable");
  assert.equal(conflicts.length, CLIENTS - 1, tally(responses));
  const after = (await slots("blow-dry", date)).find((s) => s.start === slot.start);
  assert.ok(!after || !after.specialist_ids.includes(specialist), "the slot is gone for the winner's specialist");
});

test(`${CLIENTS} concurrent 'any specialist' bookings never exceed the free specialists`, async () => {
  const { date, slots: free } = await dateWithSlots("womens-cut", 6);
  const slot = free.find((s) => s.specialist_ids.length > 1) ?? free[0];
  // Clients other than the first storm's (one of those holds a booking, maybe at this time).
  const responses = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) => confirm(bookingsUrl,
      { service_id: "womens-cut", start: slot.start, client: client(400 + i) }, `${RUN}-any-${i}`)),
  );
  const won = responses.filter((r) => r.status === 201).map((r) => r.body.specialist_id);
  assert.equal(won.length, slot.specialist_ids.length, `winners ${won} for ${slot.specialist_ids}: ${tally(responses)}`);
  assert.deepEqual([...won].sort(), [...slot.specialist_ids].sort(), "each free specialist booked exactly once");
  // The time itself stays open (no resource involved): the losers learn that everyone is busy.
  assert.ok(responses.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === "no_free_specialist")), tally(responses));
  assert.equal((await slots("womens-cut", date)).some((s) => s.start === slot.start), false);
});

test(`${CLIENTS} concurrent 'any specialist' bookings of a room of capacity 2 make exactly 2`, async () => {
  const clinic = "storm-clinic";
  const hours = everyDay();
  const staff = ["a", "b", "c", "d"];
  await putCompany({
      id: clinic, name: "Storm Clinic", currency: "EUR",
      locations: [{
        id: "main", name: "Main", time_zone: "UTC", resources: [{ id: "room", name: "Room", capacity: 2 }],
        policy: { slot_step_minutes: 60, minimum_notice_minutes: 0, horizon_days: 30 },
      }],
      services: [{ id: "scan", name: "Scan", duration_minutes: 60, price_minor: 1000, specialist_ids: staff, resource_ids: ["room"] }],
      specialists: staff.map((id) => ({ id, name: id.toUpperCase(), location_id: "main", working_hours: hours })),
    });
  const start = `${addDays(new Date().toISOString().slice(0, 10), 4)}T11:00:00Z`;
  const responses = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => confirm(
    `/v1/companies/${clinic}/locations/main/bookings`, { service_id: "scan", start, client: client(300 + i) }, `${RUN}-room-${i}`)));
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s >= 500).length, 0, tally(responses));
  const won = responses.filter((r) => r.status === 201).map((r) => r.body.specialist_id);
  assert.equal(won.length, 2, `the room holds two: ${won}; ${tally(responses)}`);
  assert.equal(new Set(won).size, 2, "two different specialists");
  // Two specialists are still free, but the room is not: the time itself is gone.
  assert.ok(responses.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === "slot_unavailable")), tally(responses));
});
