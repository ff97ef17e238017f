//! Rate limits on the public API, per client IP: a client (or a script) that sends too many
//! requests gets `429 rate_limited` with `Retry-After` instead of slowing everyone else down.
//! The counting is Cloudflare's rate-limiting binding (`PUBLIC_RATE_LIMIT` in wrangler.toml:
//! 300 requests a minute per IP), so it holds across the Worker's isolates.

use homeslot_core::error::{ApiError, ErrorCode};
use worker::{Env, Request};

/// What a limited client is told to wait, in seconds: the binding's period.
pub const RETRY_AFTER_SECONDS: u32 = 60;

/// `rate_limited` once the client's IP has used up its requests for the period. Requests without
/// `CF-Connecting-IP` (Cloudflare sets it on every request from the internet), requests from the
/// machine itself (a local run, where every client is loopback), and deployments without the
/// binding are not limited.
pub async fn check(req: &Request, env: &Env) -> Result<(), ApiError> {
    limit(
        req,
        env,
        "PUBLIC_RATE_LIMIT",
        "ip",
        "Too many requests from your network. Please wait a minute and try again.",
    )
    .await
}

/// `rate_limited` once the client's IP has tried 10 console sign-ins in a minute
/// (`SIGN_IN_RATE_LIMIT`), whatever the accounts: guessing passwords across many accounts from one
/// network is stopped here, guessing at one account by the account itself (`store::person`).
/// Not limited in the same cases as [`check`]; a test of the limit sends its own IP.
pub async fn check_sign_in(req: &Request, env: &Env) -> Result<(), ApiError> {
    let message = "Too many sign-in attempts from your network. Please wait a minute and try again.";
    limit(req, env, "SIGN_IN_RATE_LIMIT", "sign-in", message).await
}

/// Counts the request against the client IP's allowance in `binding` (keys `{kind}:{ip}`).
async fn limit(req: &Request, env: &Env, binding: &str, kind: &str, message: &str) -> Result<(), ApiError> {
    let Some(ip) = req.headers().get("cf-connecting-ip").ok().flatten() else { return Ok(()) };
    if ip == "127.0.0.1" || ip == "::1" {
        return Ok(());
    }
    let Ok(limiter) = env.rate_limiter(binding) else { return Ok(()) };
    match limiter.limit(format!("{kind}:{ip}")).await {
        Ok(outcome) if !outcome.success => Err(ApiError::new(ErrorCode::RateLimited, message)),
        // A failing limiter must not take the API down with it.
        _ => Ok(()),
    }
}
