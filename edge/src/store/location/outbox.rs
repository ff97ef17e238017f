//! What a booking change owes another object, recorded in the same transaction as the change and
//! delivered afterwards, at least once, to a receiver that applies each entry once (by its id).
//! Today that is a cancelled booking's membership refund: the cancellation and its refund can
//! never part, whatever stops in between. The checkout delivers at once; the location object's
//! alarm delivers whatever is still here a little later.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::membership::Debit;

use super::stub;
use crate::clock;
use crate::error::AppResult;
use crate::store::{call, memberships};

/// Money or visits to give back to a membership, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// The entry's id: the cancelled booking's (or seat's), so it is given back once.
    pub id: String,
    pub company_id: String,
    pub number: String,
    pub debit: Debit,
}

#[derive(Deserialize)]
struct Row {
    payload: String,
}

/// Records `refund` (inside the caller's transaction).
pub(super) fn add(sql: &SqlStorage, refund: &Refund, now_ms: i64) -> AppResult<()> {
    let payload = serde_json::to_string(refund).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT OR IGNORE INTO outbox (id, kind, payload, created_at_ms) VALUES (?, 'membership_refund', ?, ?)",
        vec![refund.id.as_str().into(), payload.into(), now_ms.into()],
    )?;
    Ok(())
}

/// Entries recorded before `before_ms`.
pub(super) fn due(sql: &SqlStorage, before_ms: i64) -> AppResult<Vec<Refund>> {
    let rows: Vec<Row> = sql
        .exec("SELECT payload FROM outbox WHERE created_at_ms <= ? ORDER BY created_at_ms", vec![before_ms.into()])?
        .to_array()?;
    rows.iter()
        .map(|row| serde_json::from_str(&row.payload).map_err(|e| worker::Error::RustError(e.to_string()).into()))
        .collect()
}

/// When the oldest entry is due for the alarm (Unix ms), if any: `after_ms` after it was recorded.
pub(super) fn next_due(sql: &SqlStorage, after_ms: i64) -> worker::Result<Option<i64>> {
    #[derive(Deserialize)]
    struct Oldest {
        oldest: Option<i64>,
    }
    let oldest = sql.exec("SELECT min(created_at_ms) AS oldest FROM outbox", None)?.one::<Oldest>()?.oldest;
    Ok(oldest.map(|created| created + after_ms))
}

/// Forgets delivered entries.
pub(super) fn done(sql: &SqlStorage, ids: &[String]) -> AppResult<()> {
    for id in ids {
        sql.exec("DELETE FROM outbox WHERE id = ?", vec![id.as_str().into()])?;
    }
    Ok(())
}

/// Delivers `refunds` to their company object (each applied once there) and tells the location
/// they are done. An entry that cannot be delivered now stays for the location's alarm.
pub async fn deliver(env: &Env, location_id: &str, refunds: &[Refund]) -> AppResult<()> {
    let mut delivered = Vec::with_capacity(refunds.len());
    for refund in refunds {
        memberships::refund(env, &refund.company_id, &refund.id, &refund.number, refund.debit).await?;
        delivered.push(refund.id.clone());
    }
    if let Some(company_id) = refunds.first().map(|r| r.company_id.as_str()) {
        call::<_, ()>(&stub(env, company_id, location_id)?, "/outbox/done", &delivered).await?;
    }
    Ok(())
}

/// Delivered by the alarm: applies each entry recorded more than `after_ms` ago at its company
/// object and forgets it, one by one. Answers how many are left.
pub(super) async fn deliver_due(env: &Env, sql: &SqlStorage, after_ms: i64) -> AppResult<usize> {
    let due = due(sql, clock::now_millis() - after_ms)?;
    let mut left = 0;
    for refund in due {
        match memberships::refund(env, &refund.company_id, &refund.id, &refund.number, refund.debit).await {
            Ok(_) => done(sql, std::slice::from_ref(&refund.id))?,
            Err(_) => left += 1,
        }
    }
    Ok(left)
}
