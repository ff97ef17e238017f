// edge/openapi.json against the running API, by Schemathesis (a property-based OpenAPI tester,
// installed by scripts/lib.sh): it generates requests from the document, valid ones and invalid
// ones, sends them over HTTP and checks every answer:
//
// - no 5xx (`not_a_server_error`);
// - every answer matches the document: its status is documented for the operation, its content
//   type and its body match the documented schemas (`status_code_conformance`,
//   `content_type_conformance`, `response_schema_conformance`);
// - a request the document calls invalid is refused (`negative_data_rejection`);
// - a request the document calls valid is never refused for its shape
//   (`documented_input_is_accepted`, e2e/openapi/checks.py), so a client generated from the
//   document sends only what the API accepts.
//
// Public operations run on the demo company (and a real booking's manage link); the admin API on a
// company of this run, so a generated catalog replaces nothing another test reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, BASE, book, client, dateWithSlots, putCompany, TOKEN } from "./helpers.mjs";

const SCHEMATHESIS = process.env.SCHEMATHESIS_BIN || "target/venv/bin/schemathesis";
/** The time the generated requests may take, in seconds. */
const SECONDS = Number(process.env.HOMESLOT_FUZZ_SECONDS || 150);
/** The seed of the generated requests: a failure's seed (printed) repeats its run. */
const SEED = Number(process.env.HOMESLOT_FUZZ_SEED || Date.now() % 1_000_000);

test("generated requests, valid and invalid, get answers the document describes", { timeout: (SECONDS + 240) * 1000 }, async () => {
  const fuzz = `fuzz-${String(Date.now() % 100000).padStart(5, "0")}`;
  await putCompany({ id: fuzz, name: "Fuzz", currency: "GBP", site_origins: [],
    locations: [{ id: "main", name: "Main", time_zone: "Europe/London" }], services: [], specialists: [] });
  const { slots: free } = await dateWithSlots("mens-cut", 21);
  const booked = await book({ service_id: "mens-cut", start: free[0].start, client: client(991) });
  assert.equal(booked.status, 201, booked.text);

  const dir = mkdtempSync(join(tmpdir(), "homeslot-fuzz-"));
  const config = join(dir, "schemathesis.toml");
  writeFileSync(config, `
headers = { Authorization = "Bearer ${TOKEN}" }
seed = ${SEED}

# A body larger than its endpoint takes is refused for its size (413 payload_too_large): that is a
# refusal too, as much as Schemathesis' default list's 400 or 422.
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]

# A run is decided by its seed alone: no replay of the failures an earlier run on this machine kept.
[cache]
enabled = false

[parameters]
"path.company" = "demo"
"path.location" = "soho"
"path.token" = "${booked.body.manage_token}"

[[operations]]
include-path-regex = "^/v1/(admin|console)/"
parameters = { "path.company" = "${fuzz}", "path.location" = "main" }
`);
  const checks = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance", "negative_data_rejection", "documented_input_is_accepted"];
  // Asynchronously: a blocked event loop would leave this process's kept-alive connections to
  // the stack unwatched, and the next request here would go out on one the server has closed.
  const run = await new Promise((resolve) => {
    const child = spawn(SCHEMATHESIS, ["--config-file", config, "run", "edge/openapi.json", "--url", BASE,
      // The examples phase is left out: the document's examples are fixed values, which the
      // parameters above already pin.
      "--phases", "coverage,fuzzing", "--max-time", String(SECONDS), "--checks", checks.join(","),
      "--workers", "2", "--request-timeout", "30", "--report", "junit", "--report-dir", dir], {
      env: { ...process.env, SCHEMATHESIS_HOOKS: "checks", PYTHONPATH: "e2e/openapi", NO_COLOR: "1" },
    });
    let text = "";
    child.stdout.on("data", (chunk) => { text += chunk; });
    child.stderr.on("data", (chunk) => { text += chunk; });
    child.on("error", (error) => resolve({ error, status: null, text }));
    child.on("close", (status) => resolve({ status, text }));
  });
  const output = run.text;
  const summary = output.slice(output.lastIndexOf("SUMMARY"));
  console.log(summary.split("\n").filter((line) => line.trim()).slice(0, 30).join("\n"));
  assert.equal(run.error, undefined, `${SCHEMATHESIS} could not run: ${run.error}`);
  // The failures first, whole: a long report is cut in the middle by whoever shows it.
  const failures = output.indexOf("FAILURES");
  assert.equal(run.status, 0, `seed ${SEED} (HOMESLOT_FUZZ_SEED repeats this run)\n`
    + (failures >= 0 ? output.slice(failures, failures + 20_000) : output.slice(-20_000)));
  // The demo still answers as before: nothing generated reached its catalog.
  assert.equal((await api("/v1/companies/demo")).status, 200);
});
