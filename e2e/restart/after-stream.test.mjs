// The crash check, phase 2: after the Worker was killed mid-stream and started again on the same
// state, every booking that got a 2xx is there, once, and no specialist is booked twice at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { api, TOKEN } from "../helpers.mjs";

test("every booking confirmed before the crash survived it, none twice", async () => {
  const lines = readFileSync(process.env.HOMESLOT_STREAM_FILE, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const confirmed = lines.filter((l) => l.status === 201);
  assert.ok(confirmed.length >= 20, `the stream ran before the crash (${confirmed.length} confirmed)`);
  assert.equal(lines.filter((l) => l.status >= 500).length, 0);
  const exported = await api("/v1/admin/companies/stream-clinic/export", { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(exported.status, 200, exported.text);
  const stored = exported.body.locations[0].bookings.filter((b) => b.status === "confirmed");
  const ids = new Map(stored.map((b) => [b.booking_id, b]));
  for (const c of confirmed) {
    const b = ids.get(c.booking_id);
    assert.ok(b, `booking ${c.booking_id} (${c.start}, ${c.specialist}) answered 201 and must survive`);
    assert.equal(b.specialist_id, c.specialist);
  }
  const seen = new Set();
  for (const b of stored) {
    const key = `${b.specialist_id} ${b.start}`;
    assert.ok(!seen.has(key), `two bookings for ${key}`);
    seen.add(key);
  }
  console.log(`# ${confirmed.length} confirmed before the crash, ${stored.length} stored after it`);
});
