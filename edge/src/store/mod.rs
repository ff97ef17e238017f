//! The origin store: Durable Objects with SQLite.
//!
//! - [`company::CompanyStore`], one per company: its catalog, its clients and their
//!   [`memberships`].
//! - [`person::PersonStore`], one per console account: its password hash and sessions; the
//!   business's [`staff`] (who has which role) lives in its company object.
//! - [`location::LocationStore`], one per location: its bookings. Every check-and-write of a
//!   booking runs there without an `.await` between the check and the write, so two requests for
//!   one slot can never interleave.
//!
//! The Worker talks to an object with a JSON command over the object's `fetch`; errors come back
//! in the API's own error shape and are re-raised as the same [`ApiError`].

pub mod audit;
pub mod company;
pub mod feeds;
pub mod google_feeds;
pub mod google_updates;
pub mod google_user;
pub mod location;
pub mod mail;
pub mod memberships;
mod migrations;
pub mod morning_agenda;
pub mod person;
pub mod phones;
pub mod staff;
pub mod webhooks;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use worker::{Method, Request, RequestInit, Stub};

use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::ErrorBody;

use crate::error::{AppError, AppResult};

/// Sends `command` to `path` of the object behind `stub` and reads its JSON answer.
async fn call<C: Serialize, R: DeserializeOwned>(stub: &Stub, path: &str, command: &C) -> AppResult<R> {
    let body = serde_json::to_string(command).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(JsValue::from_str(&body)));
    let request = Request::new_with_init(&format!("https://store{path}"), &init)?;
    let mut response = stub.fetch_with_request(request).await.map_err(refused_or_failed)?;
    let status = response.status_code();
    let text = response.text().await?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&text)
            .map_err(|e| AppError::Platform(worker::Error::RustError(format!("store answer {path}: {e}"))));
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(AppError::Api(ApiError {
            code: ErrorCode::from_wire(&body.error.code).unwrap_or(ErrorCode::Internal),
            message: body.error.message,
            field: body.error.field,
        })),
        Err(_) => Err(AppError::Platform(worker::Error::RustError(format!("store {path} answered {status}")))),
    }
}

/// What the platform's error on a call to an object means for the client: an object that is
/// overloaded (its queue of requests is full) refused the request before running it, which is
/// the API's `503 overloaded` (retry later, with the same `Idempotency-Key`); anything else is a
/// platform failure.
pub(crate) fn refused_or_failed(error: worker::Error) -> AppError {
    let flagged = match &error {
        worker::Error::UnknownJsError { original, .. } => {
            js_sys::Reflect::get(original, &"overloaded".into()).ok().and_then(|v| v.as_bool()) == Some(true)
        }
        _ => false,
    };
    if flagged || error.to_string().contains("is overloaded") {
        AppError::Api(ApiError::new(
            ErrorCode::Overloaded,
            "We are very busy right now and nothing was changed. Please try again in a moment.",
        ))
    } else {
        AppError::Platform(error)
    }
}

/// Runs a store object's command handler and turns its error into the API's error response.
async fn answer<F>(handler: F) -> worker::Result<worker::Response>
where
    F: std::future::Future<Output = AppResult<worker::Response>>,
{
    handler.await.or_else(AppError::into_response)
}

/// 122 random bits (a v4 UUID from the platform's CSPRNG) as 32 hex digits.
pub fn random_hex() -> worker::Result<String> {
    use wasm_bindgen::JsCast;
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?.unchecked_into::<web_sys::Crypto>();
    Ok(crypto.random_uuid().replace('-', ""))
}

/// SHA-256 of `text`, as hex: how secrets (admin tokens, manage links) are stored.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two strings in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Runs `work` inside the object's `transactionSync`: if it fails, every write it made is rolled
/// back and its error returned; if it succeeds, its answer. (workers-rs does not wrap this storage
/// call.)
pub(crate) fn transaction_sync<T: 'static>(
    storage: &worker::Storage,
    work: impl FnOnce() -> AppResult<T> + 'static,
) -> AppResult<T> {
    use std::cell::RefCell;
    use std::rc::Rc;
    let raw: &wasm_bindgen::JsValue = storage.as_raw().as_ref();
    let run: js_sys::Function = js_sys::Reflect::get(raw, &"transactionSync".into())
        .map_err(worker::Error::from)?
        .dyn_into()
        .map_err(worker::Error::from)?;
    let outcome: Rc<RefCell<Option<AppResult<T>>>> = Rc::new(RefCell::new(None));
    let written = outcome.clone();
    let closure = wasm_bindgen::closure::Closure::once(move || -> Result<(), wasm_bindgen::JsValue> {
        let answer = work();
        let failed = answer.is_err();
        *written.borrow_mut() = Some(answer);
        // Throwing is what makes the platform roll the transaction back.
        if failed {
            Err(wasm_bindgen::JsValue::from_str("rolled back"))
        } else {
            Ok(())
        }
    });
    let ran = run.call1(raw, closure.as_ref());
    let answer = outcome.borrow_mut().take();
    match (answer, ran) {
        (Some(Err(error)), _) => Err(error),
        (Some(Ok(value)), Ok(_)) => Ok(value),
        // The platform failed to run `work`, or to commit what it wrote.
        (_, Err(platform)) => Err(worker::Error::from(platform).into()),
        (None, Ok(_)) => Err(worker::Error::RustError("transaction did not run".into()).into()),
    }
}
