// The local stack's front door: the port scripts/start prints and scripts/test talks to
// (scripts/serve.mjs starts it before workerd). It passes every request to workerd with at most
// LIMIT of them in flight, and queues the rest.
//
// Why: workerd runs the Worker and every Durable Object on one thread. Given a storm of thousands
// of concurrent requests, it accepts every connection but does not get round to reading some of
// them, and closes each one whose headers it has not read within 15 seconds ("Timed out waiting
// for initial request headers", KJ's HTTP server). Measured on workerd's own port: 1,500
// concurrent confirmations were all answered, 1,800 left 63 connections reset at ~16 s, 2,500
// left 602. With at most LIMIT requests inside, workerd reads each one at once.
//
// A request that waits here longer than WAIT_MS is answered as the platform answers an overloaded
// object: `503` with `Retry-After` and, under /v1, the API's own JSON (`overloaded`), so a client
// retries it with its Idempotency-Key. Nothing else is changed: method, path, headers and bodies
// pass through as streams.
//
// Used by scripts/serve.mjs: startFront(PORT, UPSTREAM_PORT).
import http from "node:http";

/** Requests in flight to workerd: enough to keep its one thread busy, few enough to read at once. */
const LIMIT = 64;
/** The longest a request waits for its turn here. */
const WAIT_MS = 10_000;
const RETRY_AFTER_SECONDS = 2;

/** Listens on 127.0.0.1:`port` and passes requests to 127.0.0.1:`upstreamPort`; resolves to the server. */
export function startFront(port, upstreamPort) {
  // A connection per request: a kept-alive one that workerd has meanwhile closed would fail the
  // request written to it, and the front retries nothing (a confirmation must not go twice).
  const agent = new http.Agent({ keepAlive: false, maxSockets: LIMIT });
  let inFlight = 0;
  const waiting = [];

  function overloaded(req, res) {
    const api = req.url.startsWith("/v1/");
    const body = api
      ? JSON.stringify({ error: { code: "overloaded", message: "We are very busy right now and nothing was changed. Please try again in a moment." } })
      : "Busy: please try again in a moment.\n";
    res.writeHead(503, {
      "content-type": api ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
      "retry-after": String(RETRY_AFTER_SECONDS),
      "cache-control": "no-store",
    });
    res.end(body);
  }

  /** Starts waiting requests while there is room. */
  function admit() {
    while (inFlight < LIMIT && waiting.length > 0) {
      const turn = waiting.shift();
      if (turn.gone) continue;
      clearTimeout(turn.timer);
      inFlight += 1;
      turn.start();
    }
  }

  function forward(req, res) {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
      admit();
    };
    const upstream = http.request(
      { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
        answer.on("end", finish);
        answer.on("error", finish);
      },
    );
    upstream.on("error", () => {
      // The runtime itself is gone (stopped, or restarting): say so plainly, as a gateway would.
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8", "retry-after": String(RETRY_AFTER_SECONDS) });
      }
      res.end("The local Worker did not answer.\n");
      finish();
    });
    res.on("close", finish);
    req.pipe(upstream);
  }

  const server = http.createServer((req, res) => {
    if (inFlight < LIMIT && waiting.length === 0) {
      inFlight += 1;
      forward(req, res);
      return;
    }
    const turn = { gone: false, start: () => forward(req, res) };
    turn.timer = setTimeout(() => {
      turn.gone = true;
      overloaded(req, res);
    }, WAIT_MS);
    // A client that gives up while waiting leaves the queue.
    res.on("close", () => {
      if (!turn.gone && !res.headersSent) {
        turn.gone = true;
        clearTimeout(turn.timer);
      }
    });
    waiting.push(turn);
  });
  // No limit of ours on how long a request may take once started, or on connections.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}
