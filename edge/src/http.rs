//! Small HTTP helpers shared by the handlers and the store objects.

use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

use homeslot_core::error::{ApiError, ErrorCode};

/// A JSON response with `status`, never cached (availability changes by the second).
pub fn json<T: Serialize>(body: &T, status: u16) -> worker::Result<Response> {
    let text = serde_json::to_string(body).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(text)?.with_status(status).with_headers(headers))
}

/// Reads a JSON body; malformed JSON or a wrong shape is `invalid_json` (400).
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let text =
        req.text().await.map_err(|_| ApiError::new(ErrorCode::InvalidJson, "The request body could not be read."))?;
    serde_json::from_str(&text).map_err(|e| {
        ApiError::new(ErrorCode::InvalidJson, format!("The request body is not valid JSON for this endpoint: {e}"))
    })
}
