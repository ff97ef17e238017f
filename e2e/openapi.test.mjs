// The OpenAPI document is served, and it and the router describe the same API: every route the
// router matches is in the document, every operation in the document reaches a handler.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { api, book, client, dateWithSlots } from "./helpers.mjs";

const doc = JSON.parse(readFileSync(new URL("../edge/openapi.json", import.meta.url), "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch"];

/** "METHOD /path/{param}" for every operation of the document. */
function documented() {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`)).sort();
}

/**
 * "METHOD /path/{param}" for every arm of the router's match tables, read from its source: the
 * arms of `route` are whole paths, those of `company_route` follow `/v1/companies/{company}`,
 * those of `manage_route` follow `/v1/manage/{token}` (rustfmt may break a long arm over lines).
 */
function routed() {
  const source = readFileSync(new URL("../edge/src/router.rs", import.meta.url), "utf8");
  const sections = [
    ["pub async fn route(", ""],
    ["async fn company_route(", "/v1/companies/{company}"],
    ["async fn manage_route(", "/v1/manage/{token}"],
  ];
  const routes = [];
  for (const [start, prefix] of sections) {
    const from = source.indexOf(start);
    const body = source.slice(from, source.indexOf("\n}\n", from));
    for (const [, method, pattern] of body.matchAll(/\(\s*Method::(\w+),\s*\[([^\]]*)\],?\s*\)/g)) {
      const segments = pattern.split(",").map((s) => s.trim()).filter(Boolean)
        .map((s) => (s.startsWith('"') ? s.slice(1, -1) : `{${s}}`));
      routes.push(`${method.toUpperCase()} ${prefix}${segments.length ? `/${segments.join("/")}` : ""}`);
    }
  }
  // The document is a static asset, served without the router.
  return [...routes, "GET /openapi.json"].sort();
}

test("the document is served at /openapi.json and is OpenAPI 3.1", async () => {
  const served = await api("/openapi.json");
  assert.equal(served.status, 200);
  assert.deepEqual(served.body, doc);
  assert.equal(doc.openapi, "3.1.0");
  for (const [, item] of Object.entries(doc.paths)) {
    for (const m of METHODS.filter((m) => item[m])) {
      assert.ok(item[m].responses && item[m].summary, "every operation has a summary and responses");
    }
  }
  const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g);
  for (const r of refs) assert.ok(doc.components.schemas[r.split("/").pop()], `${r} is defined`);
});

test("the router and the document list the same operations", () => {
  assert.deepEqual(routed(), documented());
});

test("every documented operation reaches a handler", async () => {
  for (const operation of documented()) {
    const [method, template] = operation.split(" ");
    const path = template.replace(/\{(\w+)\}/g, (_, name) => ({ company: "demo", location: "soho" })[name] ?? "x");
    const answer = await api(path, { method, body: method === "GET" || method === "DELETE" ? undefined : {} });
    const unrouted = answer.status === 405 || (answer.status === 404 && /No API endpoint/.test(answer.text));
    assert.ok(!unrouted, `${operation} → ${answer.status} ${answer.text.slice(0, 120)}`);
  }
});

test("a method a path does not answer is 405 with Allow naming exactly the ones it does (RFC 9110)", async () => {
  // A real booking's manage link: a link that finds nothing is 404 whatever the method.
  const { slots: free } = await dateWithSlots("mens-cut", 20);
  const booked = await book({ service_id: "mens-cut", start: free[0].start, client: client(990) });
  assert.equal(booked.status, 201, booked.text);
  const names = { company: "demo", location: "soho", token: booked.body.manage_token };
  const templates = Object.keys(doc.paths).filter((p) => p.startsWith("/v1/"));
  const concrete = (template) => template.replace(/\{(\w+)\}/g, (_, name) => names[name] ?? "x");
  // Every template a concrete path matches (`…/memberships/import` is also a membership's number).
  const matching = (path) => templates.filter((t) => {
    const [a, b] = [t.split("/"), path.split("/")];
    return a.length === b.length && a.every((s, i) => s.startsWith("{") || s === b[i]);
  });
  let checked = 0;
  for (const template of templates) {
    const path = concrete(template);
    const documented = new Set(matching(path).flatMap((t) => METHODS.filter((m) => doc.paths[t][m]).map((m) => m.toUpperCase())));
    if (/^\/v1\/(companies|manage)\//.test(path)) documented.add("OPTIONS");
    for (const method of METHODS.map((m) => m.toUpperCase()).filter((m) => !documented.has(m))) {
      const response = await fetch(`${process.env.HOMESLOT_URL}${path}`, { method, body: method === "GET" ? undefined : "{}" });
      const body = await response.json();
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(body.error.code, "method_not_allowed", `${method} ${path}`);
      const allow = response.headers.get("allow")?.split(",").map((s) => s.trim()).sort();
      assert.deepEqual(allow, [...documented].sort(), `Allow of ${path}`);
      checked += 1;
    }
  }
  assert.ok(checked > 50, `${checked} refusals checked`);
});
