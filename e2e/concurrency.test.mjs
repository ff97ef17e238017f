// Twenty clients race for one slot over HTTP: exactly one wins, nineteen get slot_unavailable,
// and nothing answers 5xx.
import { test } from "node:test";
import assert from "node:assert/strict";
import { book, client, dateWithSlots, slots } from "./helpers.mjs";

test("20 concurrent confirmations of one slot: 1 success, 19 slot_unavailable, no 5xx", async () => {
  const { date, slots: free } = await dateWithSlots("blow-dry", 5);
  const slot = free[Math.floor(free.length / 2)];
  const specialist = slot.specialist_ids[0];
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      book({ service_id: "blow-dry", start: slot.start, specialist_id: specialist, client: client(100 + i) })),
  );
  const statuses = responses.map((r) => r.status);
  assert.equal(statuses.filter((s) => s >= 500).length, 0, `5xx among ${statuses}`);
  assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses}`);
  const conflicts = responses.filter((r) => r.status === 409 && r.body?.error?.code === "slot_unavailable");
  assert.equal(conflicts.length, 19);
  const after = (await slots("blow-dry", date)).find((s) => s.start === slot.start);
  assert.ok(!after || !after.specialist_ids.includes(specialist), "the slot is gone for the winner's specialist");
});

test("20 concurrent 'any specialist' bookings never exceed the free specialists", async () => {
  const { date, slots: free } = await dateWithSlots("womens-cut", 6);
  const slot = free.find((s) => s.specialist_ids.length > 1) ?? free[0];
  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) => book({ service_id: "womens-cut", start: slot.start, client: client(200 + i) })),
  );
  const won = responses.filter((r) => r.status === 201).map((r) => r.body.specialist_id);
  assert.equal(won.length, slot.specialist_ids.length, `winners ${won} for ${slot.specialist_ids}`);
  assert.deepEqual([...won].sort(), [...slot.specialist_ids].sort(), "each free specialist booked exactly once");
  assert.ok(responses.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === "slot_unavailable")));
  assert.equal((await slots("womens-cut", date)).some((s) => s.start === slot.start), false);
});
