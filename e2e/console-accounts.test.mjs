// Console accounts over HTTP: the operator invites a business's owner, the owner accepts with a
// password (a session cookie), invites their staff with roles, and each role can do exactly what
// it may on every endpoint — and nothing in another business. Sessions end on sign-out (one or
// everywhere); invites work once; cross-site requests, guessed passwords and floods of sign-ins
// are refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BASE, TOKEN, everyDay, putCompany } from "./helpers.mjs";

const RUN = String(Date.now() % 1_000_000).padStart(6, "0");
const COMPANY = `acct-${RUN}`;
const PASSWORD = "a long enough password";

/** A person using the console: their own cookie jar (the one session cookie). */
class Browser {
  constructor() { this.cookie = undefined; }

  /** A same-origin request, as the console's pages send it (`Sec-Fetch-Site: same-origin`). */
  async send(path, { method = "GET", body, headers = {} } = {}) {
    const init = { method, headers: { "sec-fetch-site": "same-origin", ...headers }, redirect: "manual" };
    if (this.cookie) init.headers.cookie = this.cookie;
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
    const response = await fetch(`${BASE}${path}`, init);
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(";");
      this.cookie = pair.endsWith("=") ? undefined : pair;
      this.lastSetCookie = set;
    }
    const text = await response.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: response.status, body: json, text };
  }
}

async function platform(path, { method = "GET", body } = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
  });
  return { status: response.status, body: await response.json() };
}

/** A business of this run: two locations, a specialist at each. */
async function createBusiness(id) {
  const created = await putCompany({
    id, name: `Salon ${id}`, currency: "GBP", site_origins: [],
    locations: [{ id: "north", name: "North", time_zone: "Europe/London" },
      { id: "south", name: "South", time_zone: "Europe/London" }],
    services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 2000, specialist_ids: ["anna", "ben"] }],
    specialists: [{ id: "anna", name: "Anna", location_id: "north", working_hours: everyDay() },
      { id: "ben", name: "Ben", location_id: "south", working_hours: everyDay() }],
  });
  assert.ok([200, 201].includes(created.status), JSON.stringify(created.body));
}

/** Invites `email` with `grant` (by `inviter`, a Browser, or the platform token) and accepts it. */
async function join(inviter, email, grant, name = "Someone") {
  const path = `/v1/console/companies/${COMPANY}/invites`;
  const invited = inviter ? await inviter.send(path, { method: "POST", body: { email, ...grant } })
    : await platform(path, { method: "POST", body: { email, ...grant } });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const person = new Browser();
  const accepted = await person.send("/v1/console/invites/accept", {
    method: "POST", body: { invite: invited.body.invite, name, password: PASSWORD },
  });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  return { person, invited: invited.body, me: accepted.body };
}

const people = {};

test("the operator invites an owner; the owner accepts with a password and is signed in by a safe cookie", async () => {
  await createBusiness(COMPANY);
  const email = `owner-${RUN}@salon.example`;
  const invited = await platform(`/v1/console/companies/${COMPANY}/invites`, {
    method: "POST", body: { email: email.toUpperCase(), role: "owner" },
  });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  assert.match(invited.body.link, /\/console\/join#invite=/, "the secret travels in the fragment, never to a server");
  assert.equal(invited.body.email, email, "the e-mail in its one form");

  const owner = new Browser();
  const offer = await owner.send("/v1/console/invites/offer", { method: "POST", body: { invite: invited.body.invite } });
  assert.deepEqual([offer.status, offer.body.company_name, offer.body.email, offer.body.role],
    [200, `Salon ${COMPANY}`, email, "owner"]);

  const tabbed = await owner.send("/v1/console/invites/accept", {
    method: "POST", body: { invite: invited.body.invite, name: "Olga\u000b", password: PASSWORD },
  });
  assert.deepEqual([tabbed.status, tabbed.body.error.field], [422, "name"], "a control character, even at the end");
  const weak = await owner.send("/v1/console/invites/accept", {
    method: "POST", body: { invite: invited.body.invite, name: "Olga", password: "short" },
  });
  assert.deepEqual([weak.status, weak.body.error.code, weak.body.error.field], [422, "validation_failed", "password"]);
  assert.equal(owner.cookie, undefined);

  const accepted = await owner.send("/v1/console/invites/accept", {
    method: "POST", body: { invite: invited.body.invite, name: "Olga", password: PASSWORD },
  });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  const set = owner.lastSetCookie;
  assert.match(set, /^__Host-homeslot_session=[0-9a-f]{64}\.[0-9a-f]{64};/);
  for (const attribute of ["Path=/", "HttpOnly", "Secure", "SameSite=Strict"]) assert.ok(set.includes(attribute), set);
  assert.ok(!/domain=/i.test(set));
  assert.deepEqual(accepted.body.businesses.map((b) => [b.company_id, b.role]), [[COMPANY, "owner"]]);
  assert.ok(!JSON.stringify(accepted.body).includes("password"), "no password, no hash in any answer");

  const me = await owner.send("/v1/console/me");
  assert.deepEqual([me.status, me.body.email, me.body.name], [200, email, "Olga"]);

  const again = await new Browser().send("/v1/console/invites/accept", {
    method: "POST", body: { invite: invited.body.invite, name: "Mallory", password: "another long password" },
  });
  assert.deepEqual([again.status, again.body.error.code], [410, "invite_unusable"], "an invite works once");
  people.owner = owner;
});

test("the owner invites a manager, a front desk and a specialist; each joins with their role", async () => {
  const { owner } = people;
  people.manager = (await join(owner, `manager-${RUN}@salon.example`, { role: "manager", locations: ["north"] })).person;
  people.desk = (await join(owner, `desk-${RUN}@salon.example`, { role: "front_desk", locations: ["north"] })).person;
  people.specialist = (await join(owner, `anna-${RUN}@salon.example`, { role: "specialist", specialist_id: "anna" })).person;

  const staff = await owner.send(`/v1/console/companies/${COMPANY}/staff`);
  assert.equal(staff.status, 200);
  assert.deepEqual(staff.body.people.map((p) => p.role).sort(), ["front_desk", "manager", "owner", "specialist"]);
  assert.deepEqual(staff.body.invites, [], "every invite was used");
  const key = await owner.send(`/v1/admin/companies/${COMPANY}/app-keys`, { method: "POST", body: { label: "App\u000b" } });
  assert.deepEqual([key.status, key.body.error.field], [422, "label"], "a control character, even at the end");

  for (const [body, field] of [
    [{ email: "x@salon.example", role: "specialist" }, "specialist_id"],
    [{ email: "x@salon.example", role: "front_desk", locations: ["west"] }, "locations[0]"],
    [{ email: "not an e-mail", role: "manager" }, "email"],
    [{ email: "x@salon.example", role: "manager", specialist_id: "anna" }, "specialist_id"],
  ]) {
    const refused = await owner.send(`/v1/console/companies/${COMPANY}/invites`, { method: "POST", body });
    assert.deepEqual([refused.status, refused.body.error.field], [422, field], JSON.stringify(body));
  }
});

test("every role can do exactly what it may, on every endpoint, and nothing in another business", async () => {
  const admin = `/v1/admin/companies/${COMPANY}`;
  const location = (id) => ({ id, name: id, time_zone: "Europe/London" });
  const specialistAt = (id, at) => ({ id, name: id, location_id: at, working_hours: everyDay() });
  // [what, request, the roles that may]
  const matrix = [
    ["read the catalog", { path: admin }, ["owner", "manager", "front_desk", "specialist"]],
    ["change company-wide settings", { path: admin, method: "PATCH", body: { name: `Salon ${COMPANY}` } }, ["owner"]],
    ["add a service", { path: `${admin}/services/trim`, method: "PUT",
      body: { id: "trim", name: "Trim", duration_minutes: 15, price_minor: 900, specialist_ids: [] } }, ["owner", "manager"]],
    ["change their location", { path: `${admin}/locations/north`, method: "PUT", body: location("north") }, ["owner", "manager"]],
    ["change another location", { path: `${admin}/locations/south`, method: "PUT", body: location("south") }, ["owner"]],
    ["move a specialist to another location", { path: `${admin}/specialists/anna`, method: "PUT",
      body: specialistAt("anna", "south") }, ["owner"]],
    ["see their location's bookings", { path: `${admin}/locations/north/bookings?date=2030-01-07` }, ["owner", "manager", "front_desk"]],
    ["see another location's bookings", { path: `${admin}/locations/south/bookings?date=2030-01-07` }, ["owner"]],
    ["see their location's holds", { path: `${admin}/locations/north/holds` }, ["owner", "manager", "front_desk"]],
    ["list memberships", { path: `${admin}/memberships` }, ["owner", "manager"]],
    ["read their location's report", { path: `${admin}/locations/north/report?from=2030-01-01&to=2030-01-31` }, ["owner", "manager"]],
    ["read another location's report", { path: `${admin}/locations/south/report?from=2030-01-01&to=2030-01-31` }, ["owner"]],
    ["export every client's data", { path: `${admin}/export` }, ["owner"]],
    ["read the audit trail", { path: `${admin}/audit` }, ["owner"]],
    ["erase a client", { path: `${admin}/clients/erase`, method: "POST", body: { phone: "+447400900123" } }, ["owner"]],
    ["list app keys", { path: `${admin}/app-keys` }, ["owner"]],
    ["see the short links and their visits", { path: `${admin}/short-links` }, ["owner", "manager", "front_desk", "specialist"]],
    ["change the short links", { path: admin, method: "PATCH", body: { short_links: [] } }, ["owner"]],
    ["switch test bookings", { path: admin, method: "PATCH", body: { test_bookings: false } }, ["owner"]],
    ["clear test bookings", { path: `${admin}/test-bookings/clear`, method: "POST" }, ["owner"]],
    ["replace the whole catalog (the wizard)", { path: admin, method: "PUT", body: "CATALOG" }, ["owner"]],
    ["list admin tokens", { path: `${admin}/tokens` }, ["owner"]],
    ["issue an admin token", { path: `${admin}/tokens`, method: "POST", body: { label: "x" } }, []],
    ["see the staff", { path: `/v1/console/companies/${COMPANY}/staff` }, ["owner"]],
    ["invite someone", { path: `/v1/console/companies/${COMPANY}/invites`, method: "POST",
      body: { email: `extra-${RUN}@salon.example`, role: "front_desk" } }, ["owner"]],
    ["read another business's catalog", { path: "/v1/admin/companies/demo" }, []],
    ["see another business's bookings", { path: "/v1/admin/companies/demo/locations/soho/bookings?date=2030-01-07" }, []],
    ["see another business's staff", { path: "/v1/console/companies/demo/staff" }, []],
  ];
  const problems = [];
  for (const [what, request, may] of matrix) {
    for (const role of ["owner", "manager", "desk", "specialist"]) {
      const wire = role === "desk" ? "front_desk" : role;
      // The wizard's request is the catalog as it stands (read with the platform token).
      const body = request.body === "CATALOG" ? (await platform(admin)).body : request.body;
      const answer = await people[role].send(request.path, { ...request, body });
      const allowed = answer.status < 400;
      const expected = may.includes(wire);
      if (allowed !== expected || (!allowed && answer.status !== 403)) {
        problems.push(`${wire} ${what}: ${answer.status} ${answer.text.slice(0, 120)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  const anonymous = await new Browser().send(admin);
  assert.deepEqual([anonymous.status, anonymous.body.error.code], [401, "unauthorized"]);
});

test("a request with the session cookie from another site changes nothing", async () => {
  const { owner } = people;
  const path = `/v1/admin/companies/${COMPANY}`;
  for (const headers of [{ "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site" }]) {
    const forged = await owner.send(path, { method: "PATCH", body: { name: "Forged" }, headers });
    assert.deepEqual([forged.status, forged.body.error.code], [403, "cross_site_request"], JSON.stringify(headers));
  }
  // A client that says nothing of where it comes from: only an Origin of this very host passes.
  const host = new URL(BASE).host;
  const bare = async (origin, name = "Forged") => {
    const response = await fetch(`${BASE}${path}`, {
      method: "PATCH", body: JSON.stringify({ name }),
      headers: { cookie: owner.cookie, "content-type": "application/json", ...(origin ? { origin } : {}) },
    });
    return response.status;
  };
  assert.equal(await bare(undefined), 403);
  assert.equal(await bare("https://evil.example"), 403);
  const company = await owner.send(path);
  assert.equal(company.body.name, `Salon ${COMPANY}`, "no forged change stuck");
  assert.equal(await bare(`http://${host}`, "Renamed"), 200);
  assert.equal((await owner.send(path)).body.name, "Renamed");
});

test("signing out ends the session; signing out everywhere ends every session", async () => {
  const email = `twice-${RUN}@salon.example`;
  await join(people.owner, email, { role: "front_desk" });
  const signIn = async () => {
    const person = new Browser();
    const answer = await person.send("/v1/console/sign-in", { method: "POST", body: { email, password: PASSWORD } });
    assert.equal(answer.status, 200, answer.text);
    return person;
  };
  const laptop = await signIn();
  const phone = await signIn();
  const kept = laptop.cookie;
  assert.notEqual(laptop.cookie, phone.cookie, "a new session id at every sign-in");
  assert.equal((await laptop.send("/v1/console/sign-out", { method: "POST" })).status, 200);
  assert.equal(laptop.cookie, undefined, "the cookie is cleared");
  laptop.cookie = kept;
  assert.equal((await laptop.send("/v1/console/me")).status, 401, "the old cookie opens nothing");
  assert.equal((await phone.send("/v1/console/me")).status, 200, "the other session goes on");

  const tablet = await signIn();
  assert.equal((await tablet.send("/v1/console/sign-out-everywhere", { method: "POST" })).status, 200);
  assert.equal((await phone.send("/v1/console/me")).status, 401);
  assert.equal((await (await signIn()).send("/v1/console/me")).status, 200, "signing in again works");
});

test("wrong passwords: the same answer as an unknown e-mail, and an account locks after five", async () => {
  const email = `guessed-${RUN}@salon.example`;
  await join(people.owner, email, { role: "front_desk" });
  const attempt = (password, address = email) =>
    new Browser().send("/v1/console/sign-in", { method: "POST", body: { email: address, password } });
  const unknown = await attempt(PASSWORD, `nobody-${RUN}@salon.example`);
  assert.deepEqual([unknown.status, unknown.body.error.code], [401, "invalid_credentials"]);
  for (let i = 0; i < 5; i++) {
    const wrong = await attempt(`wrong password ${i}`);
    assert.deepEqual([wrong.status, wrong.body.error], [401, unknown.body.error], "the same as an unknown e-mail");
  }
  const locked = await attempt(PASSWORD);
  assert.deepEqual([locked.status, locked.body.error.code], [429, "rate_limited"], "locked even with the right one");
});

test("sign-ins from one network are limited to ten a minute, whatever the accounts", async () => {
  const ip = `198.51.100.${Number(RUN) % 200 + 1}`;
  const statuses = [];
  for (let i = 0; i < 11; i++) {
    const response = await fetch(`${BASE}/v1/console/sign-in`, {
      method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ email: `flood-${i}-${RUN}@salon.example`, password: PASSWORD }),
    });
    statuses.push(response.status);
  }
  assert.deepEqual(statuses, [...Array(10).fill(401), 429]);
});

test("the owner removes a person and withdraws an invite; the last owner stays", async () => {
  const { owner, desk } = people;
  const staff = (await owner.send(`/v1/console/companies/${COMPANY}/staff`)).body;
  const deskId = staff.people.find((p) => p.email === `desk-${RUN}@salon.example`).person_id;
  const removed = await owner.send(`/v1/console/companies/${COMPANY}/staff/${deskId}`, { method: "DELETE" });
  assert.equal(removed.status, 200, removed.text);
  const after = await desk.send(`/v1/admin/companies/${COMPANY}/locations/north/bookings`);
  assert.deepEqual([after.status, after.body.error.code], [403, "forbidden"]);
  assert.deepEqual((await desk.send("/v1/console/me")).body.businesses, []);

  const ownerId = staff.people.find((p) => p.role === "owner").person_id;
  const last = await owner.send(`/v1/console/companies/${COMPANY}/staff/${ownerId}`, { method: "DELETE" });
  assert.deepEqual([last.status, last.body.error.code], [409, "in_use"]);

  const invited = await owner.send(`/v1/console/companies/${COMPANY}/invites`, {
    method: "POST", body: { email: `late-${RUN}@salon.example`, role: "front_desk" },
  });
  const pending = (await owner.send(`/v1/console/companies/${COMPANY}/staff`)).body.invites;
  assert.ok(pending.some((i) => i.invite_id === invited.body.invite_id));
  assert.ok(!JSON.stringify(pending).includes(invited.body.invite.split(".")[1]), "no secret in the list");
  const withdrawn = await owner.send(`/v1/console/companies/${COMPANY}/invites/${invited.body.invite_id}`, { method: "DELETE" });
  assert.equal(withdrawn.status, 200);
  const late = await new Browser().send("/v1/console/invites/accept", {
    method: "POST", body: { invite: invited.body.invite, name: "Late", password: PASSWORD },
  });
  assert.deepEqual([late.status, late.body.error.code], [410, "invite_unusable"]);
});
