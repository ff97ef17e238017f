//! The chain's clients, for the people who book for them:
//! `GET /v1/admin/companies/{company}/clients?q=` finds clients by name, phone or e-mail, so the
//! front desk books for a known client instead of typing them again (one identity across the
//! chain). Owners, managers and front desks may search; a specialist sees only their own
//! bookings' clients, on the calendar.

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::agenda::{FoundClient, MAX_SEARCH_CHARS};
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::Query;
use crate::{http, store};

/// `GET …/clients?q=`: at most 20 clients, the most recently seen first.
pub async fn search(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::SeeBookings, None).await?;
    let text = Query::of(req)?.required("q")?;
    // As the OpenAPI document says it: 2–100 characters, not only spaces, no control characters.
    let fits = (2..=MAX_SEARCH_CHARS).contains(&text.chars().count())
        && !text.trim().is_empty()
        && !text.chars().any(char::is_control);
    if !fits {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "q",
            "q must be 2–100 characters (a name, a phone number or an e-mail, or a part of one), not only spaces, without control characters",
        )
        .into());
    }
    let found: Vec<FoundClient> = store::company::search_clients(env, company_id, text.trim())
        .await?
        .into_iter()
        .map(|c| FoundClient { client_id: c.id, name: c.name, phone: c.phone.unwrap_or_default(), email: c.email })
        .collect();
    Ok(http::json(&serde_json::json!({ "clients": found }), 200)?)
}
