//! Short links (`homeslot_core::links`): `GET /s/{company}/{name}` counts a visit and sends the
//! browser on to the hosted page with the link's UTM parameters; `GET /qr/s/{company}/{name}` is
//! its QR code; `GET /v1/admin/companies/{company}/short-links` lists them with their visits.

use worker::{Env, Headers, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::catalog::Company;

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::hosted;
use crate::{http, store};

/// `GET /s/{company}/{name}`: one more visit, and on to the hosted page.
pub async fn follow(req: &Request, env: &Env, company: &Company, name: &str) -> worker::Result<Response> {
    let Some(link) = company.short_links.iter().find(|l| l.name == name) else {
        return hosted::unknown_link(req, company);
    };
    // A count that cannot be written must not cost the business its client: on to the page.
    let _ = store::company::count_link_visit(env, &company.id, name).await;
    let headers = Headers::new();
    headers.set("location", &format!("{}{}", http::origin(req)?, link.target(&company.id)))?;
    // Every visit reaches the edge (and is counted), none is answered from a cache.
    headers.set("cache-control", "no-store")?;
    headers.set("referrer-policy", "strict-origin-when-cross-origin")?;
    Ok(Response::empty()?.with_status(302).with_headers(headers))
}

/// `GET /qr/s/{company}/{name}`: the QR code of the short link itself (short, so easy to scan).
pub fn qr(req: &Request, company: &Company, name: &str) -> worker::Result<Response> {
    if !company.short_links.iter().any(|l| l.name == name) {
        return hosted::unknown_link(req, company);
    }
    hosted::qr_of(req, company, &format!("{}/s/{}/{name}", http::origin(req)?, company.id))
}

/// `GET /v1/admin/companies/{company}/short-links`: each link with its address, where it leads
/// and how many visits it had.
pub async fn list(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::ReadCatalog, None).await?;
    let company = store::company::load(env, company_id).await?;
    let visits = store::company::link_visits(env, company_id).await?;
    let edge = http::origin(req)?;
    let links: Vec<serde_json::Value> = company
        .short_links
        .iter()
        .map(|link| {
            let mut entry = serde_json::to_value(link).unwrap_or_default();
            if let Some(fields) = entry.as_object_mut() {
                let count = visits.iter().find(|v| v.name == link.name).map_or(0, |v| v.visits);
                fields.insert("url".into(), format!("{edge}/s/{company_id}/{}", link.name).into());
                fields.insert("target".into(), format!("{edge}{}", link.target(company_id)).into());
                fields.insert("visits".into(), count.into());
            }
            entry
        })
        .collect();
    Ok(http::json(&serde_json::json!({ "links": links }), 200)?)
}
