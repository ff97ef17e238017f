//! Platform administration. `PUT /v1/admin/companies/{company}` creates or replaces a company's
//! catalog; it is idempotent, which is how the local run seeds the demo business.
//! Authorised by the `PLATFORM_TOKEN` Worker secret as a bearer token.

use worker::{Env, Request, Response};

use homeslot_core::availability::validate_zones;
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::{http, store};

pub async fn put_company(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise_platform(&req, env)?;
    let company: Company = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
    if company.id != company_id {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "id", "The id in the body must match the URL.").into());
    }
    company.validate()?;
    validate_zones(&company)?;
    store::company::save(env, &company).await?;
    Ok(http::json(&serde_json::json!({"id": company.id, "status": "saved"}), 200)?)
}

fn authorise_platform(req: &Request, env: &Env) -> Result<(), ApiError> {
    let unauthorised = || ApiError::new(ErrorCode::Unauthorized, "A valid platform token is required.");
    // No secret configured means no platform administration at all, never an open door.
    let expected = env.secret("PLATFORM_TOKEN").map(|s| s.to_string()).map_err(|_| unauthorised())?;
    if expected.len() < 16 {
        return Err(unauthorised());
    }
    let given = req.headers().get("authorization").ok().flatten().unwrap_or_default();
    let given = given.strip_prefix("Bearer ").unwrap_or_default();
    if constant_time_eq(given.as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(unauthorised())
    }
}

/// Compares without an early exit so response time does not reveal how much of a token matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
