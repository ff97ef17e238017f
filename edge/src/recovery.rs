//! How long a half-done change waits for the request that made it before an object's alarm
//! finishes it: a membership payment not yet settled (the company object), an outbox entry not
//! yet delivered (the location object). Longer than any request takes, even in a storm; a
//! checkout slower than this finds its payment void and its client confirms again.

use worker::Env;

/// The wait unless the `RECOVERY_AFTER_SECONDS` variable sets another (the test stack shortens it).
pub const DEFAULT_AFTER_MS: i64 = 30_000;

/// The wait, in milliseconds.
pub fn after_ms(env: &Env) -> i64 {
    env.var("RECOVERY_AFTER_SECONDS")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .filter(|s| *s > 0)
        .map_or(DEFAULT_AFTER_MS, |s| s * 1000)
}
