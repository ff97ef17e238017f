// Staff calendar feeds on the real stack: a feed of a specialist and one of a location, read by an
// independent parser (ical.js) — each confirmed booking of the window at its local time, titled by
// service and client, never the client's phone; a move shows up on the next read, an unchanged
// feed is a 304; a rotated address stops at once, a deleted feed too, any wrong part is a 404; a
// specialist's feed is their own, and they manage only the feeds they made.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { BASE, TOKEN, addDays, api, everyDay, joinByInvite, launchBrowser, putCompany } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `feeds-${RUN}`;
const admin = { authorization: `Bearer ${TOKEN}` };
const day = addDays(new Date().toISOString().slice(0, 10), 3);
const phone = (n) => `+44 7400 1${String(n).padStart(2, "0")}${RUN.slice(0, 3)}`;

let browser;
before(async () => {
  browser = await launchBrowser();
  await putCompany({
    id: COMPANY, name: "Feed Salon", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main Street", time_zone: "Europe/London", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 30 } }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 3000, specialist_ids: ["kim", "lee"] }],
    specialists: [
      { id: "kim", name: "Kim", location_id: "main", working_hours: everyDay("09:00", "17:00") },
      { id: "lee", name: "Lee", location_id: "main", working_hours: everyDay("09:00", "17:00") },
    ],
  });
});
after(async () => { await browser?.close(); });

const book = async (specialist, time, n) => {
  const answer = await api(`/v1/companies/${COMPANY}/locations/main/bookings`, { method: "POST",
    body: { service_id: "cut", specialist_id: specialist, start: `${day}T${time}:00Z`, client: { name: `Client ${n}`, phone: phone(n) } } });
  assert.equal(answer.status, 201, answer.text);
  return answer.body;
};
const makeFeed = (body, headers = admin) => api(`/v1/admin/companies/${COMPANY}/feeds`, { method: "POST", headers, body });
const read = async (url, etag) => {
  const response = await fetch(url, { headers: etag ? { "if-none-match": etag } : {} });
  return { status: response.status, etag: response.headers.get("etag"), type: response.headers.get("content-type"), text: await response.text() };
};
// The feed's events, their times read through the zone's rules the feed carries.
const events = (text) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.register(calendar.getFirstSubcomponent("vtimezone"));
  return calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
};
const at = (event) => new Date(event.startDate.toUnixTime() * 1000).toISOString();

test("a specialist's and a location's feed: what ical.js reads, a move, a 304, rotation and deletion", async () => {
  const first = await book("kim", "10:00", 1);
  await book("lee", "11:00", 2);
  const kimFeed = await makeFeed({ location_id: "main", specialist_id: "kim" });
  assert.equal(kimFeed.status, 201, kimFeed.text);
  assert.match(kimFeed.body.url, new RegExp(`^${BASE}/v1/feeds/${COMPANY}/fd_[0-9a-f]{32}/[0-9a-f]{32}$`));
  const placeFeed = await makeFeed({ location_id: "main" });

  const kim = await read(kimFeed.body.url);
  assert.equal(kim.status, 200, kim.text);
  assert.match(kim.type, /^text\/calendar/);
  const kimEvents = events(kim.text);
  assert.deepEqual(kimEvents.map((e) => [e.summary, e.location]), [["Cut — Client 1", "Main Street"]]);
  // The booking's instant, written at London's clock with London's rules.
  assert.equal(at(kimEvents[0]), `${day}T10:00:00.000Z`);
  assert.equal(kimEvents[0].startDate.zone.tzid, "Europe/London");
  assert.ok(kim.text.split("\r\n").every((line) => Buffer.byteLength(line) <= 75), "lines folded at 75 octets");
  assert.ok(!kim.text.includes(phone(1).replaceAll(" ", "").slice(3)), "no phone in a feed");
  assert.equal(new ICAL.Component(ICAL.parse(kim.text)).getFirstPropertyValue("x-wr-calname"), "Kim · Main Street");
  const place = events((await read(placeFeed.body.url)).text);
  assert.deepEqual(place.map((e) => e.summary).sort(), ["Cut — Client 1", "Cut — Client 2"]);

  // Unchanged: a 304 without a body. Moved: the next read has the new time.
  const again = await read(kimFeed.body.url, kim.etag);
  assert.deepEqual([again.status, again.text], [304, ""]);
  const moved = await api(`/v1/admin/companies/${COMPANY}/locations/main/bookings/${first.booking_id}/move`,
    { method: "POST", headers: admin, body: { start: `${day}T14:00:00Z` } });
  assert.equal(moved.status, 200, moved.text);
  const after = await read(kimFeed.body.url, kim.etag);
  assert.equal(after.status, 200);
  assert.equal(at(events(after.text)[0]), `${day}T14:00:00.000Z`);

  // Rotated: the old address is gone at once, the new one works. Deleted: gone too.
  const rotated = await api(`/v1/admin/companies/${COMPANY}/feeds/${kimFeed.body.feed_id}/rotate`, { method: "POST", headers: admin });
  assert.equal(rotated.status, 200, rotated.text);
  assert.equal((await read(kimFeed.body.url)).status, 404);
  assert.equal((await read(rotated.body.url)).status, 200);
  const listed = (await api(`/v1/admin/companies/${COMPANY}/feeds`, { headers: admin })).body.feeds;
  assert.deepEqual(listed.map((f) => [f.specialist_id, f.url]).sort(), [["kim", undefined], [null, undefined]].sort());
  const deleted = await api(`/v1/admin/companies/${COMPANY}/feeds/${placeFeed.body.feed_id}`, { method: "DELETE", headers: admin });
  assert.equal(deleted.status, 204);
  assert.equal((await read(placeFeed.body.url)).status, 404);

  // Any wrong part is the same 404.
  const [, , secret] = rotated.body.url.split("/").slice(-3);
  for (const url of [rotated.body.url.replace(secret, "0".repeat(32)), rotated.body.url.replace(COMPANY, "no-such-salon"),
    `${BASE}/v1/feeds/${COMPANY}/fd_x/${secret}`]) {
    const wrong = await read(url);
    assert.equal(wrong.status, 404, url);
  }
  const refused = await makeFeed({ location_id: "main", specialist_id: "ola" });
  assert.deepEqual([refused.body.error.code, refused.body.error.field], ["specialist_unavailable", "specialist_id"]);
  const nowhere = await makeFeed({ location_id: "north" });
  assert.deepEqual([nowhere.status, nowhere.body.error.field], [404, "location_id"]);
});

test("a specialist's feed is their own, and they manage only what they made", async () => {
  const { page, problems } = await joinByInvite(browser, COMPANY, "specialist", { specialist: "lee", expected: [401, 403, 404] });
  const send = (path, method = "GET", body) => page.evaluate(async ({ path, method, body }) => {
    const response = await fetch(path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
    return { status: response.status, body: response.status === 204 ? null : await response.json() };
  }, { path, method, body });
  const other = await send(`/v1/admin/companies/${COMPANY}/feeds`, "POST", { location_id: "main", specialist_id: "kim" });
  assert.deepEqual([other.status, other.body.error.code], [403, "forbidden"]);
  const own = await send(`/v1/admin/companies/${COMPANY}/feeds`, "POST", { location_id: "main" });
  assert.equal(own.status, 201, JSON.stringify(own.body));
  assert.equal(own.body.specialist_id, "lee", "a specialist's feed is their own day");
  const listed = await send(`/v1/admin/companies/${COMPANY}/feeds`);
  assert.deepEqual(listed.body.feeds.map((f) => f.feed_id), [own.body.feed_id], "only the feeds they made");
  const owners = (await api(`/v1/admin/companies/${COMPANY}/feeds`, { headers: admin })).body.feeds;
  const others = owners.find((f) => f.feed_id !== own.body.feed_id);
  const theirs = await send(`/v1/admin/companies/${COMPANY}/feeds/${others.feed_id}/rotate`, "POST");
  assert.equal(theirs.status, 404);
  const text = await (await fetch(own.body.url)).text();
  assert.deepEqual(events(text).map((e) => e.summary), ["Cut — Client 2"], "Lee's bookings only");
  assert.deepEqual(problems, []);
});
