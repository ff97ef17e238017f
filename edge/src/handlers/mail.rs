//! `GET`/`PUT`/`DELETE /v1/admin/companies/{company}/mail`: how the business sends e-mail
//! (`homeslot_core::mail`). The owner's (and integrations'); the password is sealed before it is
//! stored and never shown back.

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::mail::{MailSettings, MailSettingsView};

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::seal;
use crate::store::mail::{self, Stored};
use crate::{http, store};

/// `GET …/mail`: the settings without the password, or `404` before any are set.
pub async fn get(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::EditCompany, None).await?;
    let stored = mail::get(env, company_id).await?.ok_or_else(not_set)?;
    Ok(http::json(&view(stored), 200)?)
}

/// `PUT …/mail`: replaces the settings, checked; without a `password`, the stored one is kept.
pub async fn put(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(&req, env, company_id, Action::EditCompany, None).await?;
    let asked: MailSettings = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let loopback_allowed = env.var("LOOPBACK_ALLOWED").is_ok_and(|v| v.to_string() == "1");
    let mut settings = asked.checked(loopback_allowed)?;
    let company = store::company::load(env, company_id).await?;
    // Unknown places and people are an answer about the data (`404`), not the request's shape.
    if let Some(id) = settings.location_addresses.keys().find(|id| company.location(id).is_none()) {
        return Err(ApiError::field(ErrorCode::NotFound, "location_addresses", format!("No location {id}.")).into());
    }
    if let Some(id) = settings.specialist_addresses.keys().find(|id| company.specialist(id).is_none()) {
        return Err(ApiError::field(ErrorCode::NotFound, "specialist_addresses", format!("No specialist {id}.")).into());
    }
    let sealed_password = match settings.password.take() {
        Some(password) => Some(seal::seal(env, &password)?),
        None => mail::get(env, company_id).await?.and_then(|s| s.sealed_password),
    };
    let stored = Stored { settings, sealed_password };
    mail::put(env, company_id, &stored).await?;
    Ok(http::json(&view(stored), 200)?)
}

/// `DELETE …/mail`: forgets the settings; nothing is sent any more.
pub async fn delete(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::EditCompany, None).await?;
    if !mail::delete(env, company_id).await? {
        return Err(not_set().into());
    }
    Ok(Response::empty()?.with_status(204))
}

fn view(stored: Stored) -> MailSettingsView {
    MailSettingsView { password_set: stored.sealed_password.is_some(), settings: stored.settings }
}

fn not_set() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "E-mail is not set up for this business.")
}
