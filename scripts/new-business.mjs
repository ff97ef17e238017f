// Creates a business on a Homeslot deployment and invites its owner, with the platform token:
// the operator's one command for a new client. The business starts with one location (its
// name, time zone and currency as given) and an empty catalog; its owner completes it in the
// console after accepting the invite.
//
//   node scripts/new-business.mjs --url https://book.example --token $PLATFORM_TOKEN \
//     --id salon-nord --name "Salon Nord" --owner olga@salon.example \
//     [--currency EUR] [--time-zone Europe/Berlin] [--location "Main"]
//
// Prints the owner's invite link (shown once; it works once, for 7 days). Also used by
// scripts/start for the demo business's local owner (--credentials FILE: accepts the invite
// with a generated password and keeps both in FILE, or prints what FILE already holds).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" }, token: { type: "string" }, id: { type: "string" }, name: { type: "string" },
    owner: { type: "string" }, currency: { type: "string", default: "EUR" },
    "time-zone": { type: "string", default: "Europe/London" }, location: { type: "string", default: "Main" },
    credentials: { type: "string" }, existing: { type: "boolean", default: false },
  },
});
for (const required of ["url", "token", "id", "owner"]) {
  if (!args[required]) { console.error(`--${required} is required (see the top of scripts/new-business.mjs)`); process.exit(2); }
}

async function call(path, method, body) {
  const response = await fetch(`${args.url}${path}`, {
    method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${args.token}`, "content-type": "application/json" },
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

// A local owner already made for this state: say who it is again.
if (args.credentials && existsSync(args.credentials)) {
  const kept = JSON.parse(readFileSync(args.credentials, "utf8"));
  console.log(JSON.stringify(kept));
  process.exit(0);
}

if (!args.existing) {
  await call(`/v1/admin/companies/${args.id}`, "PUT", {
    id: args.id, name: args.name ?? args.id, currency: args.currency, site_origins: [],
    locations: [{ id: "main", name: args.location, time_zone: args["time-zone"] }], services: [], specialists: [],
  });
}
const invite = await call(`/v1/console/companies/${args.id}/invites`, "POST", { email: args.owner, role: "owner" });
if (!args.credentials) {
  console.log(`Business ${args.id} is ready. Send its owner (${invite.email}) this link; it works once, for 7 days:`);
  console.log(invite.link);
  process.exit(0);
}
const password = randomBytes(12).toString("base64url");
const accepted = await fetch(`${args.url}/v1/console/invites/accept`, {
  method: "POST", headers: { "content-type": "application/json", "sec-fetch-site": "same-origin" },
  body: JSON.stringify({ invite: invite.invite, name: "Demo owner", password }),
});
if (!accepted.ok) throw new Error(`accepting the owner's invite: ${accepted.status} ${await accepted.text()}`);
const kept = { email: invite.email, password };
writeFileSync(args.credentials, JSON.stringify(kept), { mode: 0o600 });
console.log(JSON.stringify(kept));
