// CPU profile of the Worker (and its Durable Objects, which share its isolate locally) while it
// takes confirmations or answers slot requests: prints where the time goes, by function, self
// time and inclusive time. Uses V8's inspector, which the local stack opens when asked:
//   HOMESLOT_INSPECTOR_PORT=9229 scripts/start   # in another terminal
//   HOMESLOT_URL=http://127.0.0.1:8787 HOMESLOT_PLATFORM_TOKEN=… node scripts/profile-edge.mjs [book|slots]
// Names come from the wasm's name section; async handlers show up inside future closures.
import WebSocket from "ws";

const BASE = process.env.HOMESLOT_URL ?? "http://127.0.0.1:8787";
const TOKEN = process.env.HOMESLOT_PLATFORM_TOKEN;
const INSPECTOR = process.env.INSPECTOR ?? "ws://127.0.0.1:9229/core:user:homeslot";
const WHAT = process.argv[2] ?? "book";
const COMPANY = `profile-${Date.now().toString(36)}`;
const REQUESTS = 400;

const ws = new WebSocket(INSPECTOR);
let lastId = 0;
const pending = new Map();
ws.on("message", (text) => {
  const message = JSON.parse(text);
  pending.get(message.id)?.(message);
  pending.delete(message.id);
});
await new Promise((resolve, reject) => { ws.on("open", resolve); ws.on("error", reject); });
const send = (method, params = {}) => new Promise((resolve) => {
  const id = ++lastId;
  pending.set(id, resolve);
  ws.send(JSON.stringify({ id, method, params }));
});
const call = async (path, method = "GET", body) => {
  const response = await fetch(BASE + path, {
    method, body: body && JSON.stringify(body),
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
  });
  return { status: response.status, body: await response.json() };
};

// The benchmark's salon: ten specialists, 09:00–18:00 every day, a 30-minute service.
const staff = Array.from({ length: 10 }, (_, i) => `s${i}`);
const hours = Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [{ start: "09:00", end: "18:00" }]]));
const seeded = await call(`/v1/admin/companies/${COMPANY}`, "PUT", {
  id: COMPANY, name: "Profile", currency: "EUR",
  locations: [{ id: "main", name: "Main", time_zone: "Europe/London", policy: { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 60 } }],
  services: [{ id: "cut", name: "Cut", duration_minutes: 30, price_minor: 1000, specialist_ids: staff }],
  specialists: staff.map((id) => ({ id, name: id, location_id: "main", working_hours: hours })),
});
if (seeded.status >= 300) throw new Error(JSON.stringify(seeded.body));
const base = `/v1/companies/${COMPANY}/locations/main`;
const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const starts = [];
for (let d = 2; starts.length < REQUESTS; d++) {
  const { body } = await call(`${base}/slots?service=cut&date=${day(d)}`);
  for (const slot of body.slots) for (const who of slot.specialist_ids) if (starts.length < REQUESTS) starts.push([slot.start, who]);
}

await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: 200 });
await send("Profiler.start");
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: 20 }, async () => {
  while (next < REQUESTS) {
    const i = next++;
    const answer = WHAT === "book"
      ? await call(`${base}/bookings`, "POST", { service_id: "cut", start: starts[i][0], specialist_id: starts[i][1], client: { name: `P ${i}`, phone: `+4474009${String(i).padStart(5, "0")}` } })
      : await call(`${base}/slots?service=cut&date=${day(2 + (i % 20))}`);
    if (answer.status >= 300) throw new Error(JSON.stringify(answer.body));
  }
}));
const seconds = (performance.now() - started) / 1000;
const { result: { profile } } = await send("Profiler.stop");
ws.close();

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMicros = new Map();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const inclusive = (id) => (selfMicros.get(id) ?? 0) + (nodes.get(id).children ?? []).reduce((sum, c) => sum + inclusive(c), 0);
const nameOf = (n) => (n.callFrame.functionName || `(anonymous) ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`).slice(0, 110);
const table = (title, entries) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    console.log(`${(micros / 1000).toFixed(0).padStart(7)} ms ${(micros / 1000 / REQUESTS).toFixed(2).padStart(6)} ms/request  ${name}`);
  }
};
const self = new Map();
for (const [id, micros] of selfMicros) self.set(nameOf(nodes.get(id)), (self.get(nameOf(nodes.get(id))) ?? 0) + micros);
const ours = new Map();
for (const n of profile.nodes) if (n.callFrame.functionName.startsWith("homeslot_")) ours.set(nameOf(n), (ours.get(nameOf(n)) ?? 0) + inclusive(n.id));
// Whose time a sample is: a Durable Object's when its stack passes through that object's code
// (a Rust future's poll runs inside its caller's, so the object's handler is on the stack), the
// Worker's otherwise. Locally they share one thread; on the platform each object has its own, so
// an object's share is what bounds its requests per second.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const partOf = (id) => {
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = nodes.get(at).callFrame.functionName;
    if (name.includes("store::location::")) return "the location object";
    if (name.includes("store::company::") || name.includes("store::audit::")) return "the company object";
  }
  return nodes.get(id).callFrame.functionName === "(idle)" ? "idle" : "the Worker, and the runtime between";
};
const parts = new Map();
for (const [id, micros] of selfMicros) parts.set(partOf(id), (parts.get(partOf(id)) ?? 0) + micros);
console.log(`${REQUESTS} ${WHAT} requests, 20 in flight, in ${seconds.toFixed(1)} s (${(REQUESTS / seconds).toFixed(0)}/s while profiling)`);
table("Where the time goes (one request's share; a part's ceiling is 1,000 ms over it, per second)", parts);
table("Self time (idle is the isolate waiting)", self);
table("Inclusive time of Homeslot's own functions (nested calls count in each)", ours);
const inLocation = new Map();
for (const [id, micros] of selfMicros) {
  if (partOf(id) === (process.env.PART ?? "the location object")) inLocation.set(nameOf(nodes.get(id)), (inLocation.get(nameOf(nodes.get(id))) ?? 0) + micros);
}
table(`Self time inside ${process.env.PART ?? "the location object"}`, inLocation);
