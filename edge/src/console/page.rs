//! The console's page: every address under `/console` (`/console/b/demo/staff`, …) answers the
//! same HTML shell, and the app's router shows the screen. The shell is a static asset written by
//! the build (`/console-app/index.html`, naming the app's current version), fetched through the
//! `ASSETS` binding and sent with headers that keep it from being framed or fed other scripts.

use worker::{Env, Headers, Response};

/// The shell, for any console address.
pub async fn shell(env: &Env) -> worker::Result<Response> {
    let assets = env.assets("ASSETS")?;
    let mut stored = assets.fetch("https://assets.local/console-app/index.html", None).await?;
    if stored.status_code() != 200 {
        return Response::error("The console is not built here.", 503);
    }
    let html = stored.text().await?;
    let headers = Headers::new();
    headers.set("content-type", "text/html; charset=utf-8")?;
    // New deploys take effect at the next load: the shell is never kept, the versioned files are.
    headers.set("cache-control", "no-store")?;
    headers.set(
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )?;
    headers.set("x-frame-options", "DENY")?;
    headers.set("referrer-policy", "same-origin")?;
    headers.set("x-content-type-options", "nosniff")?;
    Ok(Response::ok(html)?.with_headers(headers))
}
