// E-mail on the real stack: the business's SMTP settings (the password sealed, never shown back,
// plain text refused for a host that is not the local one), and the messages a booking sends,
// read back from the local mail server (scripts/mailbox.mjs) with a MIME parser (mailparser):
// the client's confirmation in the language they booked in, with the manage link and the visit
// as an .ics that ical.js reads; the specialist's notice with the client's contact; a move's and
// a cancellation's messages; a cancelled booking's reminder never sent; every message once; and
// the booking's log in the admin API with the server's reply. A booking made in the widget, in
// Chromium, in Spanish, gets its confirmation in Spanish.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { BASE, TOKEN, addDays, api, everyDay, launchBrowser, messagesTo, putCompany, waitFor } from "./helpers.mjs";

const SMTP_PORT = Number(process.env.SMTP_PORT);
const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `mail-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const phone = (n) => `+44 7400 2${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;
const day = addDays(new Date().toISOString().slice(0, 10), 3);

const mailSettings = {
  host: "127.0.0.1", port: SMTP_PORT, security: "none", username: "salon", password: "s3cret-pass",
  from_address: "bookings@mail-salon.example", from_name: "Mail Salon",
  specialist_addresses: { kim: `kim-${RUN}@mail-salon.example` }, location_addresses: {},
};

before(async () => {
  await putCompany({
    id: COMPANY, name: "Mail Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main Street", address: "1 Main Street", time_zone: "Europe/Berlin",
      policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30, reminder_minutes: [1440, 120] } }],
    services: [{ id: "cut", name: "Cut & <b>style</b>", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim"] }],
    specialists: [{ id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("08:00", "18:00") }],
  });
});

let browser;
after(async () => { await browser?.close(); });

test("mail settings: checked, the password sealed and never shown back, plain text only to the local server", async () => {
  const url = `/v1/admin/companies/${COMPANY}/mail`;
  assert.equal((await api(url, { headers: admin })).status, 404);
  const remote = await api(url, { method: "PUT", headers: admin, body: { ...mailSettings, host: "smtp.provider.example" } });
  assert.equal(remote.status, 422, remote.text);
  assert.equal(remote.body.error.field, "security");
  const unknown = await api(url, { method: "PUT", headers: admin, body: { ...mailSettings, specialist_addresses: { ghost: "g@x.example" } } });
  assert.equal(unknown.status, 404, unknown.text);
  const saved = await api(url, { method: "PUT", headers: admin, body: mailSettings });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.body.password_set, true);
  assert.equal(saved.body.password, undefined);
  assert.ok(!saved.text.includes("s3cret-pass"));
  // Saved again without a password: the stored one stays.
  const again = await api(url, { method: "PUT", headers: admin, body: { ...mailSettings, password: undefined } });
  assert.equal(again.body.password_set, true);
  assert.equal((await api(url)).status, 401);
});

test("a booking sends the client's confirmation in their language with the manage link and the .ics, and the specialist's notice; a move and a cancellation send theirs; the cancelled booking's reminder never comes", { timeout: 90_000 }, async () => {
  const email = `ana-${RUN}@client.example`;
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, {
    method: "POST", headers: { "accept-language": "de-DE,de;q=0.9" },
    body: { service_id: "cut", specialist_id: "kim", start: `${day}T09:00:00Z`,
      client: { name: "Ana <script>x</script>", phone: phone(1), email, comment: "Bitte leise" } } });
  assert.equal(booked.status, 201, booked.text);

  const confirmation = await waitFor("the confirmation", async () => (await messagesTo(email)).find((m) => /Buchung/.test(m.subject)));
  assert.match(confirmation.subject, /^Ihre Buchung bei Mail Salon: .+, 10:00$/);
  assert.equal(confirmation.from.value[0].address, "bookings@mail-salon.example");
  assert.match(confirmation.text, /Hallo Ana <script>x<\/script>, Ihr Termin ist gebucht/);
  // Escaped in HTML: the client's name and the service's.
  assert.ok(confirmation.html.includes("Ana &lt;script&gt;x&lt;/script&gt;"), confirmation.html);
  assert.ok(confirmation.html.includes("Cut &amp; &lt;b&gt;style&lt;/b&gt;"));
  assert.ok(!confirmation.text.includes(phone(1)), "the client's own message carries no phone");
  const link = confirmation.text.match(/https?:\/\/\S+#homeslot-manage=(\S+)/);
  assert.ok(link, confirmation.text);
  assert.equal(link[1], booked.body.manage_token);
  const ics = confirmation.attachments.find((a) => a.contentType === "text/calendar");
  assert.ok(ics, "an .ics attachment");
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content.toString())).getFirstSubcomponent("vevent"));
  assert.equal(event.startDate.toJSDate().toISOString(), `${day}T09:00:00.000Z`);

  const kim = `kim-${RUN}@mail-salon.example`;
  const notices = await waitFor("the specialist's notice", async () => (await messagesTo(kim)).length && messagesTo(kim));
  assert.equal(notices.length, 1);
  assert.match(notices[0].subject, /^New booking: Cut & <b>style<\/b>/);
  assert.ok(notices[0].text.includes(phone(1).replace(/ /g, "")) || notices[0].text.includes("+4474002"), notices[0].text);
  assert.ok(notices[0].text.includes("Bitte leise"));

  // The log, with the server's reply.
  const id = booked.body.booking_id;
  const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${id}`, { headers: admin });
  const first = detail.body.messages.find((m) => m.event === "booked");
  assert.deepEqual(first.deliveries.map((d) => [d.recipient, d.state]), [["business", "sent"], ["client", "sent"]]);
  assert.match(first.deliveries[1].detail, /^250 .*kept as/);
  assert.deepEqual(detail.body.messages.filter((m) => m.event === "reminder").map((m) => m.notice_state), ["scheduled", "scheduled"]);

  // Moved by the business: the client hears of it; the reminders are those of the new time.
  const moved = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${id}/move`, {
    method: "POST", headers: admin, body: { start: `${day}T10:00:00Z` } });
  assert.equal(moved.status, 200, moved.text);
  await waitFor("the message about the move", async () => (await messagesTo(email)).some((m) => /verschoben/.test(m.subject)));
  const reminders = moved.body.messages.filter((m) => m.event === "reminder");
  assert.equal(reminders.length, 2);
  assert.ok(reminders.every((m) => m.notice_id.includes(String(Date.parse(`${day}T10:00:00Z`) / 1000))));

  // Cancelled by the business: no reminder left, the client told.
  const cancelled = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${id}/cancel`, {
    method: "POST", headers: admin, body: { reason: "Kim is ill" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.deepEqual(cancelled.body.messages.filter((m) => m.event === "reminder"), []);
  await waitFor("the cancellation", async () => (await messagesTo(email)).some((m) => /abgesagt/.test(m.subject)));
  // Each message once.
  await new Promise((r) => setTimeout(r, 1500));
  const all = await messagesTo(email);
  assert.equal(all.length, 3, all.map((m) => m.subject).join(" | "));
  assert.deepEqual((await messagesTo(kim)).map((m) => m.subject.split(":")[0]).sort(), ["Booking cancelled", "Booking moved", "New booking"]);
});

test("a booking made in the widget in Spanish gets its confirmation in Spanish, with the visit as an .ics", { timeout: 90_000 }, async () => {
  browser = await launchBrowser();
  const page = await browser.newPage({ locale: "es-ES", viewport: { width: 390, height: 844 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  const date = addDays(day, 1);
  const html = `<!doctype html><html lang="es"><title>Salón</title><link rel="icon" href="data:,">` +
    `<homeslot-widget company="${COMPANY}" service="cut" specialist="kim" date="${date}" language="es"></homeslot-widget>` +
    `<script async src="${BASE}/embed/loader.js"></script>`;
  await page.route(`${BASE}/mail-salon.html`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(`${BASE}/mail-salon.html`);
  const time = page.locator(".hs-time").first();
  await time.waitFor();
  await time.click();
  await page.getByRole("heading", { name: "Tus datos" }).waitFor();
  const email = `lucia-${RUN}@client.example`;
  await page.getByLabel("Nombre").fill("Lucía");
  await page.getByLabel("Teléfono").fill(phone(40));
  await page.getByLabel(/^Correo electrónico/).fill(email);
  await page.getByRole("button", { name: "Confirmar reserva" }).click();
  await page.getByRole("heading", { name: "¡Reserva confirmada!" }).waitFor();

  const [confirmation] = await waitFor("the confirmation", async () => (await messagesTo(email)).length && messagesTo(email));
  assert.match(confirmation.subject, /^Tu reserva en Mail Salon: .+/);
  assert.match(confirmation.text, /Lucía/);
  assert.equal(confirmation.headers.get("content-language"), "es");
  const row = (await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings?date=${date}`, { headers: admin }))
    .body.bookings.find((b) => b.client_phone === phone(40).replaceAll(" ", ""));
  assert.ok(row, "the booking is stored");
  const ics = confirmation.attachments.find((a) => a.contentType === "text/calendar");
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content.toString())).getFirstSubcomponent("vevent"));
  assert.equal(event.startDate.toJSDate().toISOString(), new Date(row.start_at).toISOString());
  assert.deepEqual(problems, []);
});

test("a client who books in Brazilian Portuguese gets Portuguese words with Brazil's dates, and the .ics in Portuguese; the same in Georgian", { timeout: 90_000 }, async () => {
  const book = async (n, start, language) => {
    const email = `${language.toLowerCase()}-${RUN}@client.example`;
    const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, {
      method: "POST", body: { service_id: "cut", specialist_id: "kim", start, client: { name: "Bia", phone: phone(n), email, language } } });
    assert.equal(booked.status, 201, booked.text);
    const [message] = await waitFor(`the ${language} confirmation`, async () => (await messagesTo(email)).length && messagesTo(email));
    const ics = message.attachments.find((a) => a.contentType === "text/calendar");
    return { message, event: new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content.toString())).getFirstSubcomponent("vevent")) };
  };
  const start = `${day}T12:00:00Z`;
  const brazil = await book(50, start, "pt-BR");
  const date = new Intl.DateTimeFormat("pt-BR", { dateStyle: "full", timeZone: "Europe/Berlin" }).format(new Date(start));
  assert.equal(brazil.message.subject, `A sua marcação em Mail Salon: ${date}, 13:00`, "Portuguese words, Brazil's date");
  assert.equal(brazil.message.headers.get("content-language"), "pt-BR");
  assert.match(brazil.message.html, /^<!doctype html><html lang="pt-BR" dir="ltr">/);
  assert.equal(brazil.event.summary, "Cut & <b>style</b> com Kim · Mail Salon");
  assert.equal(brazil.event.description, "Marcado online com Mail Salon.");

  const georgia = await book(51, `${day}T13:00:00Z`, "ka");
  assert.match(georgia.message.text, /^გამარჯობა, Bia! თქვენ ჩაწერილი ხართ/);
  assert.equal(georgia.event.summary, "Cut & <b>style</b>, სპეციალისტი: Kim · Mail Salon");
});

test("a reminder due in a minute is sent once on time; a booking without an e-mail is logged as skipped for the client", { timeout: 150_000 }, async () => {
  // A reminder two minutes before a visit three minutes ahead.
  const start = new Date(Math.ceil((Date.now() + 3 * 60_000) / 60_000) * 60_000);
  const company = (await api(`/v1/admin/companies/${COMPANY}`, { headers: admin })).body;
  company.locations[0].policy.reminder_minutes = [2];
  company.locations[0].policy.slot_step_minutes = 1;
  company.specialists[0].working_hours = everyDay("00:00", "24:00");
  // The location's clock is put near its midday, so that neither visit of this test (three minutes
  // and an hour ahead) crosses its midnight, where a day's hours end, whenever the test runs.
  const shift = 12 - new Date().getUTCHours();
  company.locations[0].time_zone = shift >= 0 ? `Etc/GMT-${shift}` : `Etc/GMT+${-shift}`;
  const put = await api(`/v1/admin/companies/${COMPANY}`, { method: "PUT", headers: admin, body: company });
  assert.ok([200, 201].includes(put.status), put.text);
  const email = `rem-${RUN}@client.example`;
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: start.toISOString().replace(".000", ""), client: { name: "Rita", phone: phone(2), email, language: "fr" } } });
  assert.equal(booked.status, 201, booked.text);
  const due = start.getTime() - 2 * 60_000;
  const reminder = await waitFor("the reminder", async () => (await messagesTo(email)).find((m) => /^Rappel/.test(m.subject)), 150_000);
  const kept = Date.now();
  assert.ok(kept >= due - 1000, `not before it is due (${(kept - due) / 1000} s)`);
  assert.ok(reminder.date.getTime() - due < 30_000, `on time: ${(reminder.date.getTime() - due) / 1000} s after`);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await messagesTo(email)).filter((m) => /^Rappel/.test(m.subject)).length, 1);

  const quiet = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: new Date(start.getTime() + 60 * 60_000).toISOString().replace(".000", ""), client: { name: "Quiet", phone: phone(3) } } });
  assert.equal(quiet.status, 201, quiet.text);
  const log = await waitFor("the log", async () => {
    const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${quiet.body.booking_id}`, { headers: admin });
    const booked = detail.body.messages.find((m) => m.event === "booked");
    return booked?.deliveries.length === 2 && booked;
  });
  const client = log.deliveries.find((d) => d.recipient === "client");
  assert.deepEqual([client.state, client.detail], ["skipped", "the client gave no e-mail address"]);
});

test("a provider's temporary refusal is tried again by the queue and sent once; a permanent one is logged and never retried", { timeout: 120_000 }, async () => {
  const book = async (n, email, time) => {
    const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
      body: { service_id: "cut", specialist_id: "kim", start: `${addDays(day, 1)}T${time}:00Z`, client: { name: `Client ${n}`, phone: phone(n), email } } });
    assert.equal(booked.status, 201, booked.text);
    return booked.body.booking_id;
  };
  const busy = `busy-${RUN}@client.example`, refused = `refused-${RUN}@client.example`;
  const later = await book(4, busy, "09:00");
  const never = await book(5, refused, "10:00");
  const clientLine = async (id) => {
    const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${id}`, { headers: admin });
    return detail.body.messages.find((m) => m.event === "booked")?.deliveries.find((d) => d.recipient === "client");
  };
  const failed = await waitFor("the refusal in the log", async () => { const d = await clientLine(never); return d?.state === "failed" && d; });
  assert.match(failed.detail, /^550/);
  const retried = await waitFor("the retry in the log", async () => { const d = await clientLine(later); return d?.state === "retry" && d; });
  assert.match(retried.detail, /^451/);
  // The queue's retry (30 s later) sends it.
  const sent = await waitFor("the message sent on the retry", async () => { const d = await clientLine(later); return d?.state === "sent" && d; }, 90_000);
  assert.equal(sent.attempts, 2);
  assert.equal((await messagesTo(busy)).length, 1);
  assert.equal((await messagesTo(refused)).length, 0);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await clientLine(never)).attempts, 1, "a permanent refusal is not tried again");
});

test("a client turns the visit's reminders off from their manage link, and on again", async () => {
  const booked = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: "kim", start: `${addDays(day, 2)}T09:00:00Z`, client: { name: "Olga", phone: phone(6), email: `olga-${RUN}@client.example` } } });
  assert.equal(booked.status, 201, booked.text);
  const link = `/v1/manage/${booked.body.manage_token}`;
  const reminders = async () => {
    const detail = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${booked.body.booking_id}`, { headers: admin });
    return detail.body.messages.filter((m) => m.event === "reminder" && m.notice_state === "scheduled").length;
  };
  assert.equal((await api(link)).body.reminders, true);
  assert.ok(await reminders() >= 1);
  const off = await api(`${link}/reminders`, { method: "POST", body: { on: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.reminders, false);
  assert.equal(await reminders(), 0);
  assert.equal((await api(`${link}/reminders`, { method: "POST", body: {} })).status, 422);
  const on = await api(`${link}/reminders`, { method: "POST", body: { on: true } });
  assert.equal(on.body.reminders, true);
  assert.ok(await reminders() >= 1);
});

test("a class seat's client gets its confirmation; when they give it up, the first client waiting is told the seat is theirs, and gets its reminders", { timeout: 60_000 }, async () => {
  const studio = `mail-studio-${RUN}`;
  const later = new Date(Date.now() + 3 * 86_400_000);
  await putCompany({
    id: studio, name: "Mail Studio", currency: "EUR", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "yoga", name: "Yoga", duration_minutes: 60, price_minor: 1500, specialist_ids: [],
      class: { capacity: 1, waitlist_capacity: 2, sessions: [{ location_id: "main", specialist_id: "ida", date: later.toISOString().slice(0, 10), start: "10:00" }] } }],
    specialists: [{ id: "ida", name: "Ida", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
  const mail = await api(`/v1/admin/companies/${studio}/mail`, { method: "PUT", headers: admin,
    body: { host: "127.0.0.1", port: SMTP_PORT, security: "none", from_address: "yoga@mail-studio.example" } });
  assert.equal(mail.status, 200, mail.text);
  const start = `${later.toISOString().slice(0, 10)}T10:00:00Z`;
  const join = (n, email, language) => api(`/v1/companies/${studio}/locations/main/class-bookings`, { method: "POST",
    body: { service_id: "yoga", start, join_waitlist: true, client: { name: `Yogi ${n}`, phone: phone(10 + n), email, language } } });
  const first = `yogi1-${RUN}@client.example`, second = `yogi2-${RUN}@client.example`;
  const a = await join(1, first, "en");
  const b = await join(2, second, "es");
  assert.deepEqual([a.body.status, b.body.status], ["booked", "waitlisted"], b.text);

  const confirmation = await waitFor("the seat's confirmation", async () => (await messagesTo(first))[0]);
  assert.match(confirmation.subject, /^Your booking at Mail Studio: /);
  assert.ok(confirmation.text.includes("Yoga"));
  assert.ok(confirmation.attachments.some((f) => f.contentType === "text/calendar"));
  assert.equal((await messagesTo(second)).length, 0, "nothing for joining the waitlist");

  const cancelled = await api(`/v1/manage/${a.body.manage_token}/cancel`, { method: "POST", body: {} });
  assert.equal(cancelled.status, 200, cancelled.text);
  const granted = await waitFor("the seat granted", async () => (await messagesTo(second))[0]);
  assert.match(granted.subject, /^Tienes plaza en la clase de Mail Studio: /);
  assert.match(granted.text, /Hola, Yogi 2: se ha liberado una plaza/);
  assert.ok(granted.attachments.some((f) => f.contentType === "text/calendar"), "the seat for their calendar");
  await waitFor("the cancellation", async () => (await messagesTo(first)).some((m) => /cancelled/.test(m.subject)));
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await messagesTo(second)).length, 1, "once");

  // The seat has reminders, like a visit, which its client may turn off.
  const link = `/v1/manage/${b.body.manage_token}`;
  assert.equal((await api(link)).body.reminders, true);
  const off = await api(`${link}/reminders`, { method: "POST", body: { on: false } });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.body.reminders, false);
  assert.equal((await api(link)).body.reminders, false);
});

test("the business cancels a class session: every client in it, seated or waiting, is told in their language; the session takes no more seats", { timeout: 60_000 }, async (t) => {
  const studio = `mail-cancel-${RUN}`;
  const later = new Date(Date.now() + 4 * 86_400_000);
  const date = later.toISOString().slice(0, 10);
  await putCompany({
    id: studio, name: "Cancel Studio", currency: "EUR", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "UTC", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "spin", name: "Spin", duration_minutes: 45, price_minor: 1200, specialist_ids: [],
      class: { capacity: 2, waitlist_capacity: 2, sessions: [{ location_id: "main", specialist_id: "ida", date, start: "18:00" }] } }],
    specialists: [{ id: "ida", name: "Ida", location_id: "main", working_hours: everyDay("00:00", "24:00") }],
  });
  const mail = await api(`/v1/admin/companies/${studio}/mail`, { method: "PUT", headers: admin,
    body: { host: "127.0.0.1", port: SMTP_PORT, security: "none", from_address: "spin@cancel-studio.example" } });
  assert.equal(mail.status, 200, mail.text);
  const { createServer } = await import("node:http");
  const hooks = [];
  const receiver = createServer((req, res) => { let b = ""; req.on("data", (c) => { b += c; }); req.on("end", () => { hooks.push(JSON.parse(b)); res.end("ok"); }); });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  t.after(() => { receiver.closeAllConnections(); receiver.close(); });
  const hook = await api(`/v1/admin/companies/${studio}/webhooks`, { method: "POST", headers: admin,
    body: { url: `http://127.0.0.1:${receiver.address().port}/`, events: ["class_seat.cancelled"] } });
  assert.equal(hook.status, 201, hook.text);

  const start = `${date}T18:00:00Z`;
  const address = (n) => `spin${n}-${RUN}@client.example`;
  const join = (n, language) => api(`/v1/companies/${studio}/locations/main/class-bookings`, { method: "POST",
    body: { service_id: "spin", start, join_waitlist: true, client: { name: `Rider ${n}`, phone: phone(20 + n), email: address(n), language } } });
  const seats = [await join(1, "en"), await join(2, "de"), await join(3, "fr")];
  assert.deepEqual(seats.map((s) => s.body.status), ["booked", "booked", "waitlisted"]);

  const url = `/v1/admin/companies/${studio}/locations/main/class-sessions/cancel`;
  const bad = await api(url, { method: "POST", headers: admin, body: { service_id: "spin", start, reason: " " } });
  assert.deepEqual([bad.status, bad.body.error.field], [422, "reason"], bad.text);
  const none = await api(url, { method: "POST", headers: admin, body: { service_id: "spin", start: `${date}T19:00:00Z`, reason: "Ida is ill" } });
  assert.deepEqual([none.status, none.body.error.code], [409, "slot_unavailable"], none.text);
  assert.equal((await api(url, { method: "POST", body: { service_id: "spin", start, reason: "x" } })).status, 401);

  const cancelled = await api(url, { method: "POST", headers: admin, body: { service_id: "spin", start, reason: "Ida is ill" } });
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.deepEqual(cancelled.body, { service_id: "spin", start, seats_cancelled: 2, waitlist_cancelled: 1 });

  for (const [n, pattern] of [[1, /^Cancel Studio has cancelled the class: Spin, /], [2, /^Cancel Studio hat den Kurs abgesagt: Spin, /], [3, /^Cancel Studio a annulé le cours : Spin, /]]) {
    const told = await waitFor(`rider ${n} told`, async () => (await messagesTo(address(n))).find((m) => pattern.test(m.subject)));
    assert.ok(!told.text.includes("#homeslot-manage="), "no manage link for a session that is gone");
  }
  const seatView = await api(`/v1/manage/${seats[0].body.manage_token}`);
  assert.equal(seatView.body.status, "cancelled");
  const listed = await api(`/v1/companies/${studio}/locations/main/classes?service=spin&from=${date}&days=1`);
  assert.deepEqual(listed.body.sessions, [], "the session leaves the list");
  const late = await join(4, "en");
  assert.deepEqual([late.status, late.body.error.code], [409, "slot_unavailable"], late.text);
  const again = await api(url, { method: "POST", headers: admin, body: { service_id: "spin", start, reason: "Ida is ill" } });
  assert.deepEqual([again.body.seats_cancelled, again.body.waitlist_cancelled], [0, 0]);

  await waitFor("the webhooks", () => hooks.length >= 2);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(hooks.length, 2, "one per seat (the waitlist place was no seat)");
  assert.ok(hooks.every((h) => h.type === "class_seat.cancelled" && h.data.cancelled_by === "business" && h.data.cancel_reason === "Ida is ill"));
  const trail = await api(`/v1/admin/companies/${studio}/audit`, { headers: admin });
  assert.ok(trail.body.entries.some((e) => e.subject.startsWith("class session") && e.detail.includes("Ida is ill")));
});
