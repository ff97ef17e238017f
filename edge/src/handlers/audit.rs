//! `GET /v1/admin/companies/{company}/audit?before=&limit=`: the business-wide audit trail, latest
//! first, a page at a time (owners). What is recorded, and by which handler, is
//! `homeslot_core::audit::AuditAction`; the trail itself is `store::audit`.

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::audit::{DEFAULT_PAGE, MAX_PAGE};
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::Query;
use crate::{http, store};

/// `GET …/audit`.
pub async fn trail(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::SeeAuditTrail, None).await?;
    let query = Query::of(req)?;
    let limit = query.number("limit", 1..=MAX_PAGE, DEFAULT_PAGE)?;
    let before = match query.get("before") {
        None => None,
        Some(text) => Some(text.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "before",
                "before must be a whole number from 1 to 4294967295.",
            )
        })?),
    };
    let page = store::audit::page(env, company_id, before.map(i64::from), limit).await?;
    Ok(http::json(&page, 200)?)
}
