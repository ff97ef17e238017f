//! Small HTTP helpers shared by the handlers and the store objects.

use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

use homeslot_core::error::{ApiError, ErrorCode};

/// A JSON response with `status`. Never fails: serialising our own types cannot fail, and if the
/// platform refuses to build a response we still answer a bare 500.
pub fn json<T: Serialize>(body: &T, status: u16) -> Response {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_string());
    let headers = Headers::new();
    let _ = headers.set("content-type", "application/json; charset=utf-8");
    let _ = headers.set("cache-control", "no-store");
    Response::ok(text)
        .map(|r| r.with_status(status).with_headers(headers))
        .unwrap_or_else(|_| Response::empty().expect("an empty response").with_status(500))
}

/// Reads a JSON body; malformed JSON or a wrong shape is `invalid_json` (400).
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    let text = req
        .text()
        .await
        .map_err(|_| ApiError::new(ErrorCode::InvalidJson, "The request body could not be read."))?;
    serde_json::from_str(&text).map_err(|e| {
        ApiError::new(ErrorCode::InvalidJson, format!("The request body is not valid JSON for this endpoint: {e}"))
    })
}
