//! Idempotent confirmations. A client that is not sure its confirmation arrived (a dropped
//! connection, a double tap) sends it again with the same `Idempotency-Key`: the location object
//! answers with what it answered the first time instead of booking twice. The key is stored with
//! a hash of the request and the answer, in the same synchronous step as the booking, and kept
//! for at least 24 hours.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::SqlStorage;

use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;

/// How long a key is remembered, at least.
pub const KEEP_MS: i64 = 48 * 3600 * 1000;

/// A confirmation's key and a hash of what it asked for.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

impl Idempotency {
    /// The key with a hash of `request` (the validated request, so the same booking sent with
    /// other spacing is the same request).
    pub fn new(key: String, request: &impl Serialize) -> Self {
        let text = serde_json::to_string(request).unwrap_or_default();
        // FNV-1a, 64 bits: tells one client's retry from a different request under the same key;
        // not a defence against anyone (the key itself is the client's own secret).
        let hash =
            text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        Idempotency { key, request_hash: format!("{hash:016x}") }
    }
}

#[derive(Deserialize)]
struct Record {
    request_hash: String,
    response: String,
}

/// Runs `confirm` once per key: a repeat of the same request returns the stored answer, a
/// different request under a used key is refused. Without a key, just runs `confirm`.
///
/// # Errors
/// `idempotency_key_reused`, or whatever `confirm` fails with (failures are not stored: a retry
/// is checked afresh).
pub(super) fn once<T: Serialize + DeserializeOwned>(
    sql: &SqlStorage,
    idempotency: Option<&Idempotency>,
    now_ms: i64,
    confirm: impl FnOnce() -> AppResult<T>,
) -> AppResult<T> {
    let Some(idempotency) = idempotency else { return confirm() };
    let earlier: Vec<Record> = sql
        .exec(
            "SELECT request_hash, response FROM idempotency WHERE key = ? AND created_at_ms > ?",
            vec![idempotency.key.as_str().into(), (now_ms - KEEP_MS).into()],
        )?
        .to_array()?;
    if let Some(record) = earlier.into_iter().next() {
        if record.request_hash != idempotency.request_hash {
            return Err(ApiError::field(
                ErrorCode::IdempotencyKeyReused,
                "Idempotency-Key",
                "This Idempotency-Key was already used for a different request.",
            )
            .into());
        }
        return serde_json::from_str(&record.response)
            .map_err(|e| worker::Error::RustError(format!("stored answer unreadable: {e}")).into());
    }
    let answer = confirm()?;
    let response = serde_json::to_string(&answer).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT OR REPLACE INTO idempotency (key, request_hash, response, created_at_ms) VALUES (?, ?, ?, ?)",
        vec![idempotency.key.as_str().into(), idempotency.request_hash.as_str().into(), response.into(), now_ms.into()],
    )?;
    Ok(answer)
}

/// Forgets keys older than [`KEEP_MS`]; returns when the oldest remaining one is due (Unix ms).
pub(super) fn clear_old(sql: &SqlStorage, now_ms: i64) -> worker::Result<Option<i64>> {
    #[derive(Deserialize)]
    struct Oldest {
        oldest: Option<i64>,
    }
    sql.exec("DELETE FROM idempotency WHERE created_at_ms <= ?", vec![(now_ms - KEEP_MS).into()])?;
    let oldest = sql.exec("SELECT min(created_at_ms) AS oldest FROM idempotency", None)?.one::<Oldest>()?.oldest;
    Ok(oldest.map(|created| created + KEEP_MS))
}
