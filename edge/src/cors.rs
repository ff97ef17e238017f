//! Cross-origin access to the public API. A company's widget runs on the owner's own sites; the
//! API answers browsers on exactly the origins the company registered (`site_origins`), and on
//! the edge's own pages (same origin, no CORS needed). Static widget code is public and is served
//! with `Access-Control-Allow-Origin: *` by the assets' `_headers` file instead.

use worker::{Headers, Request, Response};

use homeslot_core::catalog::Company;

/// The request's `Origin` if the company registered it.
pub fn allowed_origin(req: &Request, company: &Company) -> Option<String> {
    let origin = req.headers().get("origin").ok().flatten()?;
    company.site_origins.contains(&origin).then_some(origin)
}

/// The answer to a preflight (`OPTIONS`): permissions only for a registered origin; for any other
/// the browser finds no `Access-Control-Allow-Origin` and refuses the real request.
pub fn preflight(allowed: bool) -> worker::Result<Response> {
    let headers = Headers::new();
    if allowed {
        headers.set("access-control-allow-methods", "GET, POST")?;
        headers.set("access-control-allow-headers", "content-type, idempotency-key")?;
        headers.set("access-control-max-age", "600")?;
    }
    Ok(Response::empty()?.with_status(204).with_headers(headers))
}

/// Adds the CORS headers of a company-scoped answer (success or error alike, so the widget can
/// read a `slot_unavailable` too). Into a copy of the headers: some responses (a redirect's)
/// come with headers that cannot be changed.
pub fn apply(response: Response, origin: Option<&str>) -> worker::Result<Response> {
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        headers.append(&name, &value)?;
    }
    headers.append("vary", "Origin")?;
    if let Some(origin) = origin {
        headers.set("access-control-allow-origin", origin)?;
    }
    Ok(response.with_headers(headers))
}
