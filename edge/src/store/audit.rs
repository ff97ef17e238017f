//! The business-wide audit trail ([`homeslot_core::audit`]), kept in the company object: one row
//! per change, with who made it as they were then. Handlers record a change once it is made
//! ([`record`]); a change retried with the same `Idempotency-Key` is recorded once (the key is
//! unique in the table), and a change without one that is sent twice was made twice. The trail
//! never fails a change: a booking's own history (in its location) stays the authority on it.
//!
//! The trail keeps every entry: a business's changes by its own staff are few next to its
//! bookings, which the location objects keep.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, SqlStorage};

use homeslot_core::audit::{AuditAction, AuditEntry, AuditTrail};

use crate::console::session::Caller;
use crate::error::AppResult;
use crate::store::call;
use crate::{clock, http};

/// The company object's table for the trail (appended to its migrations).
pub const TABLE: &str = "CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT UNIQUE,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT
)";

/// One change to record.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// Set when the change came with an `Idempotency-Key`: a retry records nothing more.
    pub key: Option<String>,
    /// `platform`, `token`, or the person's id.
    pub actor: String,
    pub actor_name: String,
    pub action: AuditAction,
    pub subject: String,
    pub detail: Option<String>,
}

impl Record {
    /// `caller` did `action` to `subject`.
    pub fn new(caller: &Caller, action: AuditAction, subject: impl Into<String>) -> Record {
        let actor_name = caller.display_name();
        Record {
            key: None,
            actor: caller.actor().to_string(),
            actor_name,
            action,
            subject: subject.into(),
            detail: None,
        }
    }

    /// With what else it said (a reason, the fields changed, a count).
    pub fn detail(mut self, detail: impl Into<String>) -> Record {
        self.detail = Some(detail.into());
        self
    }

    /// Recorded once per `key`: the idempotency key the change came with, scoped by the caller
    /// (a key is the caller's own).
    pub fn keyed(mut self, key: Option<&str>) -> Record {
        self.key =
            key.map(|k| format!("{}/{}/{k}", self.actor, serde_json::to_string(&self.action).unwrap_or_default()));
        self
    }
}

/// Records a change made in `company_id`'s business. The change is made already: if the trail
/// cannot be written now, the change still stands and its answer is still given (a caller told
/// otherwise might make it again), and the failure is logged.
pub async fn record(env: &Env, company_id: &str, record: Record) {
    let written = match stub(env, company_id) {
        Ok(stub) => call::<_, bool>(&stub, "/audit/record", &record).await.map(|_| ()),
        Err(error) => Err(error),
    };
    if let Err(error) = written {
        worker::console_error!("the audit trail missed {:?} on {}: {error:?}", record.action, record.subject);
    }
}

/// The trail's entries before `before` (its `seq`; none: from the latest), latest first, at most
/// `limit`.
pub async fn page(env: &Env, company_id: &str, before: Option<i64>, limit: u32) -> AppResult<AuditTrail> {
    call(&stub(env, company_id)?, "/audit/page", &Page { before, limit }).await
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

#[derive(Serialize, Deserialize)]
struct Page {
    before: Option<i64>,
    limit: u32,
}

#[derive(Deserialize)]
struct Row {
    seq: i64,
    at_ms: i64,
    actor_name: String,
    action: String,
    subject: String,
    detail: Option<String>,
}

/// The company object's trail commands (`/audit/{action}`).
pub async fn command(sql: &SqlStorage, action: &str, req: &mut Request) -> AppResult<Response> {
    match action {
        "record" => {
            let r: Record = http::read_command(req, http::MAX_CATALOG_BODY).await?;
            let action = serde_json::to_value(r.action).map_err(|e| worker::Error::RustError(e.to_string()))?;
            sql.exec(
                "INSERT INTO audit (key, at_ms, actor, actor_name, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (key) DO NOTHING",
                vec![
                    r.key.into(),
                    clock::now_millis().into(),
                    r.actor.into(),
                    r.actor_name.into(),
                    action.as_str().unwrap_or_default().into(),
                    r.subject.into(),
                    r.detail.into(),
                ],
            )?;
            Ok(http::json(&true, 200)?)
        }
        "page" => {
            let page: Page = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            // One more than asked: whether there is a page after this one.
            let rows: Vec<Row> = sql
                .exec(
                    "SELECT seq, at_ms, actor_name, action, subject, detail FROM audit WHERE seq < ?
                     ORDER BY seq DESC LIMIT ?",
                    vec![page.before.unwrap_or(i64::MAX).into(), (i64::from(page.limit) + 1).into()],
                )?
                .to_array()?;
            let more = (rows.len() > page.limit as usize).then(|| rows[page.limit as usize - 1].seq);
            let entries = rows
                .into_iter()
                .take(page.limit as usize)
                .filter_map(|row| {
                    // An action this version no longer knows is left out rather than failing the page.
                    let action = serde_json::from_value(serde_json::Value::String(row.action)).ok()?;
                    Some(AuditEntry {
                        seq: row.seq,
                        at: homeslot_core::availability::format_instant(row.at_ms / 1000),
                        by: row.actor_name,
                        action,
                        subject: row.subject,
                        detail: row.detail,
                    })
                })
                .collect();
            Ok(http::json(&AuditTrail { entries, more }, 200)?)
        }
        _ => Err(homeslot_core::error::ApiError::new(
            homeslot_core::error::ErrorCode::NotFound,
            "Unknown store command.",
        )
        .into()),
    }
}
