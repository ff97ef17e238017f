// Runs the local stack: the Worker and its Durable Objects (SQLite) on workerd through Miniflare,
// configured from wrangler.toml exactly as `wrangler dev` would configure it (bindings, `.dev.vars`,
// the static assets and which paths run the Worker first, the rate limit), with Durable Object
// state in STATE_DIR in wrangler's own layout (`--persist-to`), behind the front door of
// scripts/front.mjs on PORT. Used by scripts/start and scripts/test (scripts/lib.sh: start_stack).
//
// Why not `wrangler dev`: it puts a proxy of its own (a second workerd, with a Durable Object per
// dev session) between the port and the Worker. Under a storm it turned the runtime's dropped
// connections into its own "503 Your worker restarted mid-request" pages and held GETs unanswered,
// and every request paid two more hops on a 2-core machine (docs/development.md). Here a request
// goes from the front straight to workerd.
//
// It also runs the local mail server (scripts/mailbox.mjs) on 127.0.0.1:SMTP_PORT (2525 unless set),
// keeping messages in STATE_DIR/mail, and tells the Worker that this is a local deployment
// (LOOPBACK_ALLOWED: outbound mail and webhooks may go to loopback, in plain text).
//
// Usage: [SMTP_PORT=2525] node scripts/serve.mjs PORT STATE_DIR WORKER_SCRIPT [NAME=VALUE...]
//   NAME=VALUE pairs are extra string bindings (vars), added to `.dev.vars`' secrets.
//   HOMESLOT_INSPECTOR_PORT=9229 opens V8's inspector (scripts/profile-edge.mjs).
import { join, resolve } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { startFront } from "./front.mjs";
import { startMailbox } from "./mailbox.mjs";

const [port, state, script, ...vars] = process.argv.slice(2);
const { workerOptions } = unstable_getMiniflareWorkerOptions("wrangler.toml");
const bindings = {
  ...workerOptions.bindings,
  LOOPBACK_ALLOWED: "1",
  ...Object.fromEntries(vars.map((pair) => pair.split(/=(.*)/s).slice(0, 2))),
};
const smtpPort = Number(process.env.SMTP_PORT) || 2525;
const mailbox = await startMailbox(smtpPort, join(resolve(state), "mail"));

const inspectorPort = Number(process.env.HOMESLOT_INSPECTOR_PORT) || undefined;
const runtime = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  // V8's inspector on this port, for scripts/profile-edge.mjs; off unless asked.
  ...(inspectorPort ? { inspectorPort } : {}),
  // wrangler dev --persist-to STATE keeps its objects under STATE/v3: the same data either way.
  defaultPersistRoot: join(resolve(state), "v3"),
  log: new Log(LogLevel.WARN),
  workers: [{ name: "homeslot", modules: true, scriptPath: resolve(script), ...workerOptions, bindings }],
});
const inner = await runtime.ready;
const front = await startFront(Number(port), Number(inner.port));
console.log(`Homeslot on http://127.0.0.1:${port} (workerd on ${inner.host}, state in ${state}, mail on 127.0.0.1:${smtpPort})`);

async function stop() {
  front.close();
  mailbox.close();
  await runtime.dispose();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
