//! Small HTTP helpers shared by the handlers and the store objects.

use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

use homeslot_core::error::{ApiError, ErrorCode};

/// A JSON response with `status`, never cached (availability changes by the second).
pub fn json<T: Serialize>(body: &T, status: u16) -> worker::Result<Response> {
    let text = serde_json::to_string(body).map_err(|e| worker::Error::RustError(e.to_string()))?;
    json_text(text, status)
}

/// A response with a body that is already JSON text.
pub fn json_text(text: String, status: u16) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(text)?.with_status(status).with_headers(headers))
}

/// Largest body of a booking request; real ones are a few hundred bytes.
pub const MAX_BOOKING_BODY: usize = 16 * 1024;
/// Largest catalog document (a chain with hundreds of locations and specialists fits).
pub const MAX_CATALOG_BODY: usize = 1024 * 1024;

/// Reads a JSON body of at most `max_bytes`: larger is `payload_too_large` (413), malformed JSON
/// or a wrong shape is `invalid_json` (400).
pub async fn read_json<T: DeserializeOwned>(req: &mut Request, max_bytes: usize) -> Result<T, ApiError> {
    let text = read_text(req, max_bytes).await?;
    serde_json::from_str(&text).map_err(|e| {
        ApiError::new(ErrorCode::InvalidJson, format!("The request body is not valid JSON for this endpoint: {e}"))
    })
}

/// Reads a body of at most `max_bytes` as text (larger is `payload_too_large`).
pub async fn read_text(req: &mut Request, max_bytes: usize) -> Result<String, ApiError> {
    let too_large = || {
        ApiError::new(ErrorCode::PayloadTooLarge, format!("The request body must be at most {} KiB.", max_bytes / 1024))
    };
    // Refuse by the declared length before reading anything, and by the real length after.
    let declared = req.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max_bytes) {
        return Err(too_large());
    }
    let text =
        req.text().await.map_err(|_| ApiError::new(ErrorCode::InvalidJson, "The request body could not be read."))?;
    if text.len() > max_bytes {
        return Err(too_large());
    }
    Ok(text)
}
