// The local stack's mail server: a real SMTP server (npm smtp-server) on loopback that keeps every
// message it is given, as it was received, one RFC 5322 file per message in DIR
// (`<received ms>-<n>.eml`, readable by any mail program or a MIME parser). The demo business sends
// to it (scripts/start); the tests read what the Worker sent back from the same folder.
//
// It accepts any sender and recipient, and AUTH PLAIN/LOGIN with any name and password, as a
// provider's submission port would once signed in — except two kinds of recipient that let the
// tests see a provider's failures: `busy-…@` is refused once for now (451, try again later), then
// taken; `refused-…@` is refused for good (550). Without TLS: the Worker may send in plain text
// only to a loopback host, and only where the deployment allows it (LOOPBACK_ALLOWED, set by
// scripts/serve.mjs), so production never does.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

/** Starts the server on 127.0.0.1:`port`, keeping messages in `dir`. Answers the server. */
export async function startMailbox(port, dir) {
  mkdirSync(dir, { recursive: true });
  let count = 0;
  const refusedOnce = new Set();
  const server = new SMTPServer({
    name: "mailbox.homeslot.local",
    banner: "Homeslot's local mailbox: every message is kept, none is delivered",
    disabledCommands: ["STARTTLS"],
    authOptional: true,
    allowInsecureAuth: true,
    size: 10 * 1024 * 1024,
    logger: false,
    onRcptTo(address, session, callback) {
      const to = address.address.toLowerCase();
      if (to.startsWith("refused-")) return callback(Object.assign(new Error("No such mailbox"), { responseCode: 550 }));
      if (to.startsWith("busy-") && !refusedOnce.has(to)) {
        refusedOnce.add(to);
        return callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onAuth(auth, session, callback) {
      callback(null, { user: auth.username || "local" });
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (chunk) => chunks.push(chunk));
      stream.on("end", () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error("Message too big"), { responseCode: 552 }));
        const name = `${Date.now()}-${String(++count).padStart(6, "0")}.eml`;
        writeFileSync(join(dir, name), Buffer.concat(chunks));
        callback(null, `kept as ${name}`);
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}
