// A storm of bookings, their e-mail and their webhooks: 1,000 bookings made at once (fifty in
// flight, through the front desk's checkout, which no per-IP limit slows) queue 1,000
// confirmations, and the local mail server receives each exactly once — none lost, none twice —
// however the queue batches and retries; a webhook endpoint on loopback receives each booking's
// booking.created once, every one verified with the Standard Webhooks library. Prints how fast the
// messages went through (from the first booking, and from the last booking's answer) and the
// webhooks' latency from each booking's answer (p50, p99), for docs/notifications.md and
// docs/webhooks.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import { TOKEN, addDays, api, everyDay, putCompany } from "./helpers.mjs";

const MAILBOX = process.env.HOMESLOT_MAILBOX;
const SMTP_PORT = Number(process.env.SMTP_PORT);
const BOOKINGS = 1000;
const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `mail-storm-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };

test(`${BOOKINGS} bookings queue ${BOOKINGS} confirmations and ${BOOKINGS} webhooks, and each arrives exactly once`, { timeout: 300_000 }, async (t) => {
  const specialists = Array.from({ length: 10 }, (_, i) => `s${i}`);
  await putCompany({
    id: COMPANY, name: "Storm Mail Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC",
      policy: { slot_step_minutes: 10, minimum_notice_minutes: 0, horizon_days: 30, reminder_minutes: [] } }],
    services: [{ id: "trim", name: "Trim", duration_minutes: 10, price_minor: 1000, specialist_ids: specialists }],
    specialists: specialists.map((id) => ({ id, name: id, location_id: "main", working_hours: everyDay("00:00", "24:00") })),
  });
  const mail = await api(`/v1/admin/companies/${COMPANY}/mail`, { method: "PUT", headers: admin,
    body: { host: "127.0.0.1", port: SMTP_PORT, security: "none", from_address: "storm@mail-storm.example" } });
  assert.equal(mail.status, 200, mail.text);

  // The webhook receiver: when each booking's booking.created came.
  const arrivals = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      res.end("ok");
      arrivals.push({ at: Date.now(), headers: req.headers, body });
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  // Closed however the test ends: an open server would keep the file's process, and the suite, waiting.
  t.after(() => { receiver.closeAllConnections(); receiver.close(); });
  const hook = await api(`/v1/admin/companies/${COMPANY}/webhooks`, { method: "POST", headers: admin,
    body: { url: `http://127.0.0.1:${receiver.address().port}/storm`, events: ["booking.created"] } });
  assert.equal(hook.status, 201, hook.text);
  const answeredAt = new Map();
  const bookingOf = new Map();

  const date = addDays(new Date().toISOString().slice(0, 10), 3);
  const address = (i) => `storm-${RUN}-${i}@client.example`;
  const started = Date.now();
  let next = 0;
  const failures = [];
  await Promise.all(Array.from({ length: 50 }, async () => {
    while (next < BOOKINGS) {
      const i = next++;
      const minutes = 10 * Math.floor(i / 10);
      const start = `${date}T${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}:00Z`;
      const answer = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
        headers: { ...admin, "idempotency-key": `mail-storm-${RUN}-${i}` },
        body: { service_id: "trim", specialist_id: specialists[i % 10], start,
          client: { name: `Storm ${i}`, phone: `+44 7400 ${300000 + i}`, email: address(i) } } });
      if (answer.status !== 201) failures.push(`${i}: ${answer.status} ${answer.text.slice(0, 120)}`);
      else {
        answeredAt.set(answer.body.booking_id, Date.now());
        bookingOf.set(address(i), answer.body.booking_id);
      }
    }
  }));
  const booked = Date.now();
  assert.deepEqual(failures, [], "every booking is made");

  // Every message the server kept for this run, by recipient, until all have come (or a minute
  // passes with none new).
  const mine = new Map();
  const seen = new Set();
  let last = Date.now(), lastFile = 0;
  while (mine.size < BOOKINGS && Date.now() - last < 60_000) {
    for (const name of await readdir(MAILBOX)) {
      if (seen.has(name) || !name.endsWith(".eml")) continue;
      seen.add(name);
      const raw = await readFile(join(MAILBOX, name), "utf8");
      const to = /^To: <(storm-\d+-\d+@client\.example)>/m.exec(raw)?.[1];
      if (!to?.startsWith(`storm-${RUN}-`)) continue;
      mine.set(to, (mine.get(to) ?? 0) + 1);
      lastFile = Math.max(lastFile, (await stat(join(MAILBOX, name))).mtimeMs);
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // A little longer, so a second copy of any would have come.
  await new Promise((r) => setTimeout(r, 3000));
  for (const name of await readdir(MAILBOX)) {
    if (seen.has(name) || !name.endsWith(".eml")) continue;
    const to = /^To: <(storm-\d+-\d+@client\.example)>/m.exec(await readFile(join(MAILBOX, name), "utf8"))?.[1];
    if (to?.startsWith(`storm-${RUN}-`)) mine.set(to, (mine.get(to) ?? 0) + 1);
  }
  const twice = [...mine].filter(([, n]) => n > 1);
  const missing = Array.from({ length: BOOKINGS }, (_, i) => address(i)).filter((a) => !mine.has(a));
  assert.deepEqual(twice, [], "no confirmation twice");
  // What the booking's own message log says of a missing one: the diagnosis, not a retry.
  const logs = await Promise.all(missing.slice(0, 5).map(async (a) => {
    const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${bookingOf.get(a)}`, { headers: admin });
    return `${a}: ${JSON.stringify(detail.body.messages ?? detail.body)}`;
  }));
  assert.deepEqual(missing.slice(0, 5), [], `every confirmation arrives (${missing.length} missing): ${logs.join("; ")}`);

  // Every booking's webhook, once, verified; its latency from the booking's answer.
  const until = Date.now() + 60_000;
  while (arrivals.length < BOOKINGS && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2000));
  const verifier = new Webhook(hook.body.secret);
  const perBooking = new Map();
  for (const arrival of arrivals) {
    const payload = verifier.verify(arrival.body, arrival.headers);
    const id = payload.data.booking_id;
    perBooking.set(id, [...(perBooking.get(id) ?? []), arrival.at]);
  }
  const hookMissing = [...answeredAt.keys()].filter((id) => !perBooking.has(id));
  assert.deepEqual(hookMissing.slice(0, 5), [], `every booking's webhook arrives (${hookMissing.length} missing)`);
  assert.deepEqual([...perBooking].filter(([, at]) => at.length > 1).map(([id]) => id), [], "each webhook once");
  const latencies = [...perBooking].map(([id, [at]]) => at - answeredAt.get(id)).sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(`# webhooks under the storm: ${latencies.length} booking.created, from each booking's answer to its ` +
    `arrival: p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${latencies[latencies.length - 1]} ms`);

  const total = (lastFile - started) / 1000;
  const after = (lastFile - booked) / 1000;
  console.log(`# mail storm: ${BOOKINGS} bookings in ${((booked - started) / 1000).toFixed(1)} s; ` +
    `${BOOKINGS} confirmations through the local SMTP server ${total.toFixed(1)} s after the first booking ` +
    `(${(BOOKINGS / total).toFixed(0)} messages/s), the last ${after.toFixed(1)} s after the last booking's answer`);
});
