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
    let Some(ip) = req.headers().get("cf-connecting-ip").ok().flatten() else { return Ok(()) };
    if ip == "127.0.0.1" || ip == "::1" {
        return Ok(());
    }
    let Ok(limiter) = env.rate_limiter("PUBLIC_RATE_LIMIT") else { return Ok(()) };
    match limiter.limit(format!("ip:{ip}")).await {
        Ok(outcome) if !outcome.success => Err(ApiError::new(
            ErrorCode::RateLimited,
            "Too many requests from your network. Please wait a minute and try again.",
        )),
        // A failing limiter must not take the booking flow down with it.
        _ => Ok(()),
    }
}
