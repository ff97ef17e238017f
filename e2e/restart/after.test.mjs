// Phase 2 of the restart check: after the Worker (workerd) was stopped and started again on the
// same persisted state, the booking confirmed before is still there, and the catalog too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { book, catalog, client, slots } from "../helpers.mjs";

const before = JSON.parse(readFileSync(process.env.HOMESLOT_RESTART_FILE, "utf8"));

test("a booking confirmed before a restart is still held after it", async () => {
  assert.equal((await catalog()).company.id, "demo");
  assert.equal((await slots("colour", before.date)).some((s) => s.start === before.start), false);
  const again = await book({ service_id: "colour", start: before.start, client: client(901) });
  assert.equal(again.status, 409, again.text);
  // "Any specialist", and the only colourist is booked: everyone is busy then.
  assert.equal(again.body.error.code, "no_free_specialist");
});
