//! Every route of the API in one table. Unknown paths and wrong methods get the same JSON error
//! shape as everything else.

use worker::{Env, Method, Request, Response};

use crate::error::{AppError, AppResult};
use crate::handlers::{admin, bookings, catalog, slots};
use homeslot_core::error::{ApiError, ErrorCode};

/// Answers one `/v1/…` request. Never fails: errors become JSON error responses here.
pub async fn route(req: Request, env: &Env) -> Response {
    match dispatch(req, env).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn dispatch(req: Request, env: &Env) -> AppResult<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    match (method.clone(), segments.as_slice()) {
        (Method::Get, ["v1", "health"]) => Ok(crate::http::json(&serde_json::json!({"status": "ok"}), 200)),
        (Method::Get, ["v1", "companies", company]) => catalog::get(env, company).await,
        (Method::Get, ["v1", "companies", company, "locations", location, "slots"]) => {
            slots::list(&req, env, company, location).await
        }
        (Method::Post, ["v1", "companies", company, "locations", location, "bookings"]) => {
            let (company, location) = (company.to_string(), location.to_string());
            bookings::create(req, env, &company, &location).await
        }
        (Method::Put, ["v1", "admin", "companies", company]) => {
            let company = company.to_string();
            admin::put_company(req, env, &company).await
        }
        (_, segments) if is_known(segments) => Err(AppError::Api(ApiError::new(
            ErrorCode::MethodNotAllowed,
            format!("{} is not allowed on {path}.", method.as_ref()),
        ))),
        _ => Err(AppError::Api(ApiError::new(ErrorCode::NotFound, format!("No API endpoint at {path}.")))),
    }
}

fn is_known(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["v1", "health"]
            | ["v1", "companies", _]
            | ["v1", "companies", _, "locations", _, "slots" | "bookings"]
            | ["v1", "admin", "companies", _]
    )
}
