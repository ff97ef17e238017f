//! Real-time updates to Google (`homeslot_core::google_updates`), kept by the company object
//! beside the webhooks they share a queue with: from each batch of its locations' events it makes
//! the updates Google needs and puts them on the webhook queue (endpoint `google`); the Worker's
//! consumer (`crate::google_updates`) claims each here, sends it and reports the answer, and
//! learns whether and when to try again — on the webhooks' schedule.
//!
//! - A booking made through Google and cancelled, moved or marked a no-show elsewhere is a booking
//!   notification, its body made from the event. A change Google made itself (through the booking
//!   server: the event says `through: google`) is not told back.
//! - Any change of a listed location's bookings changes its free slots that day: an availability
//!   update of the location's date, whose body is made when it is sent, so one update carries every
//!   change made before it leaves. While one waits unclaimed, later changes of that day join it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use worker::{Env, Request, Response, SqlStorage};

use homeslot_core::availability::{local_date, parse_instant, zone};
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::google_feeds;
use homeslot_core::google_updates::{BookingResource, Changed};
use homeslot_core::reserve;
use homeslot_core::webhooks::{excerpt, retry_after};

use crate::error::AppResult;
use crate::store::webhooks::{Emitted, Queued};
use crate::store::{call, random_hex};
use crate::{clock, http};

/// The endpoint id of Google's deliveries on the webhook queue.
pub const ENDPOINT: &str = "google";

/// The company object's table (appended to its migrations). `state`: queued, sending, retrying,
/// delivered, failed.
pub const TABLE: &str = "CREATE TABLE google_updates (
    id TEXT PRIMARY KEY,
    location_id TEXT NOT NULL,
    date TEXT,
    path TEXT,
    body TEXT,
    state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_at_ms INTEGER,
    last_status INTEGER,
    last_error TEXT,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
)";

/// How long sent updates are kept (to read what was told): a week.
const KEEP_MS: i64 = 7 * 86_400_000;
/// How long an attempt may be under way before it counts as lost.
const LOST_AFTER_MS: i64 = 60_000;
/// How long an unclaimed availability update is trusted to be on the queue: later changes of its
/// day join it meanwhile, and afterwards it is queued again.
const JOIN_MS: i64 = 60_000;

/// The operator's settings for real-time updates, when they are on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub partner_id: String,
}

/// Real-time updates are on when the operator set the partner id and the service account
/// (`GOOGLE_PARTNER_ID`, `GOOGLE_SERVICE_ACCOUNT`).
pub fn settings(env: &Env) -> Option<Settings> {
    let partner_id = crate::http::setting(env, "GOOGLE_PARTNER_ID")?;
    crate::http::setting(env, "GOOGLE_SERVICE_ACCOUNT")?;
    Some(Settings { partner_id })
}

/// What the consumer needs for an update it was granted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Update {
    /// `PATCH {path}` with `body`.
    Booking { path: String, body: String },
    /// `availability:replace` of the location's date, made now.
    Availability { location_id: String, date: String },
}

/// The log's answer to a claim.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum Claim {
    Granted(Update),
    Wait,
    Void,
}

/// What an attempt brought.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tried {
    pub queued: Queued,
    pub status: Option<u16>,
    pub error: Option<String>,
}

/// What the consumer does next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Done,
    Retry { after_s: u32 },
}

/// Claims the updates of a batch.
pub async fn claim(env: &Env, company_id: &str, queued: &[Queued]) -> AppResult<Vec<Claim>> {
    call(&stub(env, company_id)?, "/google-updates/claim", &queued).await
}

/// Reports the attempts of a batch.
pub async fn tried(env: &Env, company_id: &str, tried: &[Tried]) -> AppResult<Vec<Verdict>> {
    call(&stub(env, company_id)?, "/google-updates/tried", &tried).await
}

/// Records that the queue gave up on an update.
pub async fn give_up(env: &Env, queued: &Queued) -> AppResult<()> {
    call(&stub(env, &queued.company_id)?, "/google-updates/give-up", queued).await
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

/// The company object's commands (`/google-updates/{action}`).
pub async fn command(sql: &SqlStorage, action: &str, req: &mut Request) -> AppResult<Response> {
    let now_ms = clock::now_millis();
    match action {
        "claim" => {
            let queued: Vec<Queued> = http::read_command(req, http::MAX_CATALOG_BODY).await?;
            let claims = queued.iter().map(|q| claim_now(sql, q, now_ms)).collect::<AppResult<Vec<_>>>()?;
            Ok(http::json(&claims, 200)?)
        }
        "tried" => {
            let tried: Vec<Tried> = http::read_command(req, http::MAX_CATALOG_BODY).await?;
            let verdicts = tried.iter().map(|t| tried_now(sql, t, now_ms)).collect::<AppResult<Vec<_>>>()?;
            Ok(http::json(&verdicts, 200)?)
        }
        "give-up" => {
            let queued: Queued = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            sql.exec(
                "UPDATE google_updates SET state = 'failed', updated_at_ms = ?
                 WHERE id = ? AND nonce = ? AND state NOT IN ('delivered', 'failed')",
                vec![now_ms.into(), queued.message_id.into(), queued.nonce.into()],
            )?;
            Ok(http::json(&(), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}

/// The updates a batch of events makes, recorded and answered for the queue.
pub fn from_events(
    sql: &SqlStorage,
    settings: &Settings,
    company_id: &str,
    events: &[Emitted],
    now_ms: i64,
) -> AppResult<Vec<Queued>> {
    #[derive(Deserialize)]
    struct Stored {
        document: String,
    }
    let stored: Vec<Stored> = sql.exec("SELECT document FROM catalog WHERE id = 1", None)?.to_array()?;
    let Some(document) = stored.first().map(|s| s.document.as_str()) else { return Ok(Vec::new()) };
    sql.exec(
        "DELETE FROM google_updates WHERE state IN ('delivered', 'failed') AND updated_at_ms < ?",
        vec![(now_ms - KEEP_MS).into()],
    )?;
    let company: Company =
        serde_json::from_str(document).map_err(|e| worker::Error::RustError(format!("stored catalog: {e}")))?;
    let mut queued = Vec::new();
    for event in events {
        let data = &event.data;
        let text = |pointer: &str| data.pointer(pointer).and_then(Value::as_str);
        let Some(location) = text("/location_id").and_then(|id| company.location(id)) else { continue };
        if let Some(update) = booking_notification(settings, company_id, &location.id, event) {
            queued.extend(booking(sql, company_id, &location.id, &event.source, update, now_ms)?);
        }
        if !google_feeds::listed(&company, location) {
            continue;
        }
        let Ok(clock) = zone(&location.time_zone, "time_zone") else { continue };
        // The days whose free slots the change touched: where it is, and where it was.
        let starts = ["/start_at", "/session_start_at", "/previous/start_at"];
        let mut dates: Vec<String> = starts
            .iter()
            .filter_map(|p| text(p))
            .filter_map(|at| parse_instant(at, "start").ok())
            .map(|at| local_date(&clock, at).to_string())
            .collect();
        dates.dedup();
        for date in dates {
            queued.extend(availability(sql, company_id, &location.id, &date, now_ms)?);
        }
    }
    Ok(queued)
}

/// The notification Google needs of a booking event, if any: a booking it made (channel
/// `google`), changed elsewhere.
fn booking_notification(
    settings: &Settings,
    company_id: &str,
    location_id: &str,
    event: &Emitted,
) -> Option<(String, String)> {
    let data = &event.data;
    let text = |pointer: &str| data.pointer(pointer).and_then(Value::as_str);
    if text("/channel") != Some("google") || text("/through") == Some("google") {
        return None;
    }
    let (changed, status) = match event.r#type.as_str() {
        "booking.cancelled" | "class_seat.cancelled" => (Changed::Status, "CANCELED"),
        "booking.no_show" => (Changed::Status, "NO_SHOW"),
        "booking.rescheduled" => (Changed::Time, "CONFIRMED"),
        _ => return None,
    };
    let own_id = text("/booking_id").or_else(|| text("/seat_id"))?;
    let start = parse_instant(text("/start_at").or_else(|| text("/session_start_at"))?, "start").ok()?;
    let end = parse_instant(text("/end_at").or_else(|| text("/session_end_at"))?, "end").ok()?;
    let merchant_id = reserve::merchant_id(company_id, location_id);
    let google_id = reserve::booking_id(company_id, location_id, own_id);
    let resource = BookingResource::new(
        &settings.partner_id,
        &google_id,
        (&merchant_id, text("/service_id")?),
        (start, end),
        status,
    );
    let body = serde_json::to_string(&resource).ok()?;
    Some((resource.path(changed), body))
}

/// Records a booking notification once per event; answers it for the queue when new (or when the
/// same event comes again before its first attempt: the queue may not have taken it).
fn booking(
    sql: &SqlStorage,
    company_id: &str,
    location_id: &str,
    source: &str,
    (path, body): (String, String),
    now_ms: i64,
) -> AppResult<Option<Queued>> {
    let id = format!("booking:{source}");
    let nonce = random_hex()?[..16].to_string();
    sql.exec(
        "INSERT OR IGNORE INTO google_updates (id, location_id, path, body, state, nonce, created_at_ms, updated_at_ms)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)",
        vec![
            id.as_str().into(),
            location_id.into(),
            path.into(),
            body.into(),
            nonce.into(),
            now_ms.into(),
            now_ms.into(),
        ],
    )?;
    let waiting = row(sql, &id)?.filter(|row| row.state == "queued" && row.attempts == 0);
    Ok(waiting.map(|row| queued(company_id, &id, row.nonce)))
}

/// Queues the availability update of a location's date, unless one is waiting unclaimed (the
/// change joins it).
fn availability(
    sql: &SqlStorage,
    company_id: &str,
    location_id: &str,
    date: &str,
    now_ms: i64,
) -> AppResult<Option<Queued>> {
    let id = format!("availability:{location_id}:{date}");
    if let Some(row) = row(sql, &id)? {
        if row.state == "queued" && row.claimed_at_ms.is_none() && now_ms - row.updated_at_ms < JOIN_MS {
            return Ok(None);
        }
    }
    // A new nonce voids whatever was on the queue for it: the update sent next is made then.
    let nonce = random_hex()?[..16].to_string();
    sql.exec(
        "INSERT INTO google_updates (id, location_id, date, state, nonce, created_at_ms, updated_at_ms)
         VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?5)
         ON CONFLICT (id) DO UPDATE SET state = 'queued', nonce = ?4, attempts = 0, claimed_at_ms = NULL,
           updated_at_ms = ?5",
        vec![id.as_str().into(), location_id.into(), date.into(), nonce.as_str().into(), now_ms.into()],
    )?;
    Ok(Some(queued(company_id, &id, nonce)))
}

fn queued(company_id: &str, id: &str, nonce: String) -> Queued {
    Queued { company_id: company_id.into(), message_id: id.into(), endpoint_id: ENDPOINT.into(), nonce }
}

#[derive(Deserialize)]
struct Row {
    location_id: String,
    date: Option<String>,
    path: Option<String>,
    body: Option<String>,
    state: String,
    nonce: String,
    attempts: i64,
    claimed_at_ms: Option<i64>,
    updated_at_ms: i64,
}

fn row(sql: &SqlStorage, id: &str) -> AppResult<Option<Row>> {
    let rows: Vec<Row> = sql
        .exec(
            "SELECT location_id, date, path, body, state, nonce, attempts, claimed_at_ms, updated_at_ms
             FROM google_updates WHERE id = ?",
            vec![id.into()],
        )?
        .to_array()?;
    Ok(rows.into_iter().next())
}

fn claim_now(sql: &SqlStorage, queued: &Queued, now_ms: i64) -> AppResult<Claim> {
    let Some(row) = row(sql, &queued.message_id)?.filter(|row| row.nonce == queued.nonce) else {
        return Ok(Claim::Void);
    };
    match row.state.as_str() {
        "queued" | "retrying" => {}
        "sending" if row.claimed_at_ms.is_some_and(|at| now_ms - at <= LOST_AFTER_MS) => return Ok(Claim::Wait),
        "sending" => {}
        _ => return Ok(Claim::Void),
    }
    let update = match (row.path, row.body, row.date) {
        (Some(path), Some(body), _) => Update::Booking { path, body },
        (_, _, Some(date)) => Update::Availability { location_id: row.location_id, date },
        _ => return Ok(Claim::Void),
    };
    sql.exec(
        "UPDATE google_updates SET state = 'sending', claimed_at_ms = ?, updated_at_ms = ? WHERE id = ?",
        vec![now_ms.into(), now_ms.into(), queued.message_id.as_str().into()],
    )?;
    Ok(Claim::Granted(update))
}

/// Records an attempt: `2xx` delivered; a refusal of the update itself (a `4xx` other than 408 and
/// 429) failed, as sending it again would be refused again; anything else is tried again on the
/// webhooks' schedule, until it is over.
fn tried_now(sql: &SqlStorage, tried: &Tried, now_ms: i64) -> AppResult<Verdict> {
    let queued = &tried.queued;
    let Some(row) = row(sql, &queued.message_id)?.filter(|row| row.nonce == queued.nonce) else {
        // Queued again since (a newer change of the day): this attempt decides nothing.
        return Ok(Verdict::Done);
    };
    let attempts = row.attempts + 1;
    let retry = match tried.status {
        Some(200..=299) => None,
        Some(status) if (400..500).contains(&status) && status != 408 && status != 429 => None,
        _ => u32::try_from(attempts).ok().and_then(retry_after),
    };
    let state = match (tried.status, retry) {
        (Some(200..=299), _) => "delivered",
        (_, Some(_)) => "retrying",
        _ => "failed",
    };
    sql.exec(
        "UPDATE google_updates SET state = ?, attempts = ?, last_status = ?, last_error = ?, updated_at_ms = ?
         WHERE id = ?",
        vec![
            state.into(),
            attempts.into(),
            tried.status.map(i64::from).into(),
            tried.error.as_deref().map(excerpt).into(),
            now_ms.into(),
            queued.message_id.as_str().into(),
        ],
    )?;
    Ok(retry.map_or(Verdict::Done, |after_s| Verdict::Retry { after_s }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(r#type: &str, data: Value) -> Emitted {
        Emitted { source: "main/bk_1:x".into(), r#type: r#type.into(), data, at_ms: 0 }
    }

    fn google(extra: Value) -> Value {
        let mut data = serde_json::json!({
            "booking_id": "bk_1", "service_id": "cut", "channel": "google",
            "start_at": "2027-01-15T08:00:00Z", "end_at": "2027-01-15T08:30:00Z",
        });
        data.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        data
    }

    #[test]
    fn google_hears_of_its_bookings_changed_elsewhere_only() {
        let settings = Settings { partner_id: "p".into() };
        let told = |r#type: &str, data: Value| booking_notification(&settings, "demo", "main", &event(r#type, data));
        let (path, body) = told("booking.no_show", google(serde_json::json!({}))).unwrap();
        assert_eq!(path, "v1alpha/notification/partners/p/bookings/demo.main.bk_1?updateMask=status");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!((body["status"].as_str(), body["duration"].as_str()), (Some("NO_SHOW"), Some("1800s")));
        let (moved, _) = told("booking.rescheduled", google(serde_json::json!({}))).unwrap();
        assert!(moved.ends_with("updateMask=startTime,duration"));
        assert!(
            told("booking.cancelled", google(serde_json::json!({ "through": "google" }))).is_none(),
            "its own change"
        );
        assert!(
            told("booking.cancelled", google(serde_json::json!({ "channel": "widget" }))).is_none(),
            "not Google's"
        );
        assert!(told("booking.created", google(serde_json::json!({}))).is_none(), "Google made it");
    }
}
