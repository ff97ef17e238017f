// Rate limits on the public API: a client IP that sends too many requests gets 429 with
// Retry-After (readable by the widget: CORS headers stay), and other clients are not affected.
import { test } from "node:test";
import assert from "node:assert/strict";

import { BASE, COMPANY } from "./helpers.mjs";

const get = (ip, origin) =>
  fetch(`${BASE}/v1/companies/${COMPANY}`, { headers: { "cf-connecting-ip": ip, ...(origin ? { origin } : {}) } });

test("one IP past 300 requests a minute gets 429 with Retry-After; another IP does not", async () => {
  // The limiter counts in fixed one-minute windows: a flood that straddles the turn of a minute
  // may pass 300 in each. Such a run proves nothing either way, so it is repeated from a new IP.
  let answers;
  for (let attempt = 0; ; attempt++) {
    const flood = `198.51.100.${7 + attempt * 10}`;
    const minute = Math.floor(Date.now() / 60_000);
    answers = [];
    for (let batch = 0; batch < 7; batch++) {
      answers.push(...await Promise.all(Array.from({ length: 50 }, () => get(flood, "http://localhost:8787"))));
    }
    if (Math.floor(Date.now() / 60_000) === minute || attempt === 2) break;
  }
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(answers.filter((r) => r.status === 200).length <= 300, "no more than the limit got through");
  assert.ok(limited.length >= 50, `350 requests, ${limited.length} limited`);
  const one = limited[0];
  assert.equal(one.headers.get("retry-after"), "60");
  assert.equal(one.headers.get("access-control-allow-origin"), "http://localhost:8787", "the widget can read it");
  assert.equal((await one.json()).error.code, "rate_limited");
  assert.equal((await get("198.51.100.8")).status, 200, "another client is not affected");
});
