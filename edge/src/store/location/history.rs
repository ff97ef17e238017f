//! A booking's history: every change after it was made (moved, cancelled, marked arrived or a
//! no-show), with who made it and when, written in the change's transaction. Who: a person's id
//! (the console), `token` (an admin token), `client` (their manage link). The making itself is
//! the booking's own `created_at_ms`, `channel` and `made_by`.

use serde::{Deserialize, Serialize};
use worker::SqlStorage;

use crate::clock;

/// One change to a booking.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at_ms: i64,
    pub actor: String,
    /// `moved`, `cancelled`, `arrived`, `no_show` or `expected` (a mark taken back).
    pub change: String,
    /// What changed: a move's times and specialists, a cancellation's reason.
    #[serde(default, deserialize_with = "super::admin::json_text")]
    pub detail: Option<serde_json::Value>,
}

/// Records a change to `booking_id`, in the caller's transaction.
pub(super) fn record(
    sql: &SqlStorage,
    booking_id: &str,
    actor: &str,
    change: &str,
    detail: Option<serde_json::Value>,
) -> worker::Result<()> {
    sql.exec(
        "INSERT INTO booking_changes (booking_id, at_ms, actor, change, detail) VALUES (?, ?, ?, ?, ?)",
        vec![
            booking_id.into(),
            clock::now_millis().into(),
            actor.into(),
            change.into(),
            detail.map(|d| d.to_string()).into(),
        ],
    )?;
    Ok(())
}

/// Every change to `booking_id`, oldest first.
pub(super) fn of(sql: &SqlStorage, booking_id: &str) -> worker::Result<Vec<HistoryEntry>> {
    sql.exec(
        "SELECT at_ms, actor, change, detail FROM booking_changes WHERE booking_id = ? ORDER BY at_ms, rowid",
        vec![booking_id.into()],
    )?
    .to_array()
}
