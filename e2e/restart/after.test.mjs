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

test("a reminder scheduled before the restart is sent once, on time, after it", { timeout: 240_000 }, async () => {
  const { readdir, readFile } = await import("node:fs/promises");
  const { join } = await import("node:path");
  const { email, due } = before.reminder;
  const reminders = async () => {
    const found = [];
    for (const name of await readdir(process.env.HOMESLOT_MAILBOX)) {
      const raw = await readFile(join(process.env.HOMESLOT_MAILBOX, name), "utf8");
      if (raw.includes(`To: <${email}>`) && /^Subject: Reminder:/m.test(raw)) found.push(Number(name.split("-")[0]));
    }
    return found;
  };
  const until = due + 120_000;
  while ((await reminders()).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
  const [kept] = await reminders();
  assert.ok(kept, "the reminder came");
  assert.ok(kept >= due - 1000 && kept - due < 60_000, `on time: ${(kept - due) / 1000} s after it was due`);
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal((await reminders()).length, 1, "once");
});
