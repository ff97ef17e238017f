//! The business's webhooks (`homeslot_core::webhooks`), kept in the company object: its
//! endpoints (each signing secret sealed), the messages made from the events of its locations
//! and its own (a client erased, a membership debited or refunded), each message's delivery to
//! each endpoint subscribed to its type, and every attempt.
//!
//! A message is made once per event (its `source`, the event's own id, is unique) and keeps one
//! id — the `webhook-id` of every attempt, retries and replays alike. Each delivery goes on the
//! webhook queue with a `nonce`; the Worker's consumer (`crate::webhooks`) claims it here, makes
//! the attempt and reports it, and learns whether and when to try again. A replay gives the
//! delivery a new nonce, so a retry still waiting on the queue from before is void.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use worker::{Env, Request, Response, SqlStorage};

use homeslot_core::availability::format_instant;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::webhooks::{
    excerpt, retry_after, Attempt, DeliveryLog, Endpoint, EventType, MAX_ENDPOINTS, MAX_REPLAY, ROTATION_OVERLAP_MS,
    TEST_EVENT,
};
use homeslot_core::wire::Money;

use crate::error::AppResult;
use crate::store::{call, random_hex};
use crate::{clock, http};

/// The company object's tables (appended to its migrations).
pub const MIGRATIONS: [&str; 5] = [
    "CREATE TABLE webhook_endpoints (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        description TEXT,
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_until_ms INTEGER,
        disabled_reason TEXT,
        failing_since_ms INTEGER,
        created_at_ms INTEGER NOT NULL
    )",
    // `body` is the exact JSON signed and sent; `client_id` lets an erasure find the messages
    // about a client (their bodies go).
    "CREATE TABLE webhook_messages (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        body TEXT,
        client_id TEXT,
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX webhook_messages_by_time ON webhook_messages (created_at_ms)",
    // `state`: queued, sending, retrying, delivered, failed. `trigger`: what queued it last
    // (event, replay, test).
    "CREATE TABLE webhook_deliveries (
        message_id TEXT NOT NULL,
        endpoint_id TEXT NOT NULL,
        state TEXT NOT NULL,
        nonce TEXT NOT NULL,
        trigger TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_at_ms INTEGER,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (message_id, endpoint_id)
    )",
    "CREATE TABLE webhook_attempts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id TEXT NOT NULL,
        endpoint_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        status INTEGER,
        latency_ms INTEGER NOT NULL,
        response TEXT NOT NULL,
        error TEXT
    )",
];

/// An event to send, as the location objects (and the company object itself) make them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Emitted {
    /// The event's own id, unique in the business: the same event handed over twice is one
    /// message.
    pub source: String,
    pub r#type: String,
    /// The event's data; an amount in minor units (`price_minor`) becomes money in the
    /// business's currency (`price`).
    pub data: Value,
    pub at_ms: i64,
}

/// One delivery on the webhook queue.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Queued {
    pub company_id: String,
    pub message_id: String,
    pub endpoint_id: String,
    pub nonce: String,
}

/// What the consumer needs for an attempt it was granted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claimed {
    pub url: String,
    pub body: String,
    /// The endpoint's secrets, sealed: the current one, and during a rotation's overlap the one
    /// before it.
    pub sealed_secrets: Vec<String>,
}

/// The log's answer to a claim.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum Claim {
    /// Make the attempt.
    Granted(Claimed),
    /// An attempt is under way (another consumer has it, or died with it): look again later.
    Wait,
    /// Nothing to do: delivered, given up, replayed since (a newer nonce), turned off, deleted.
    Void,
}

/// What an attempt brought.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tried {
    pub queued: Queued,
    pub status: Option<u16>,
    pub latency_ms: i64,
    pub response: String,
    pub error: Option<String>,
    /// After how long an endpoint that keeps failing is turned off (a day; less in tests).
    pub disable_after_ms: i64,
}

/// What the consumer does next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Delivered,
    /// Try again after this many seconds (Standard Webhooks' schedule, `retry_after`).
    Retry {
        after_s: u32,
    },
    Failed,
    /// The endpoint was turned off now: its owners are told.
    Disabled {
        endpoint_id: String,
        url: String,
        reason: String,
    },
}

/// A new endpoint, its secret sealed (the Worker made and sealed it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewRow {
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    pub sealed_secret: String,
}

/// Changes to an endpoint (checked by the Worker).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EditRow {
    pub endpoint_id: String,
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub description: Option<String>,
    pub enabled: Option<bool>,
    /// A new secret, sealed (a rotation): the old one signs too for a day.
    pub sealed_secret: Option<String>,
}

/// A replay (checked by the Worker): one message, or those made in `[since_ms, until_ms)`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReplayRow {
    pub endpoint_id: String,
    pub message_id: Option<String>,
    pub since_ms: i64,
    pub until_ms: i64,
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

/// Hands events to the company object, which makes their messages and queues their deliveries.
pub async fn emit(env: &Env, company_id: &str, events: &[Emitted]) -> AppResult<()> {
    call(&stub(env, company_id)?, "/webhooks/emit", &events).await
}

pub async fn list(env: &Env, company_id: &str) -> AppResult<Vec<Endpoint>> {
    call(&stub(env, company_id)?, "/webhooks/list", &()).await
}

pub async fn create(env: &Env, company_id: &str, row: &NewRow) -> AppResult<Endpoint> {
    call(&stub(env, company_id)?, "/webhooks/create", row).await
}

/// Changes an endpoint; `None` when there is none of that id.
pub async fn edit(env: &Env, company_id: &str, row: &EditRow) -> AppResult<Option<Endpoint>> {
    call(&stub(env, company_id)?, "/webhooks/edit", row).await
}

pub async fn delete(env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/webhooks/delete", &endpoint_id).await
}

/// The endpoint's last deliveries (at most 100), newest first; `None` when there is no endpoint.
pub async fn deliveries(env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Option<Vec<DeliveryLog>>> {
    call(&stub(env, company_id)?, "/webhooks/deliveries", &endpoint_id).await
}

/// Queues deliveries again; `None` when there is no endpoint (or no such message).
pub async fn replay(env: &Env, company_id: &str, row: &ReplayRow) -> AppResult<Option<u32>> {
    call(&stub(env, company_id)?, "/webhooks/replay", row).await
}

/// Sends the test event to one endpoint; `None` when there is none of that id.
pub async fn test(env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Option<String>> {
    call(&stub(env, company_id)?, "/webhooks/test", &endpoint_id).await
}

/// Claims deliveries of one company at once (a queue batch's): the answers in their order.
pub async fn claim(env: &Env, company_id: &str, queued: &[Queued]) -> AppResult<Vec<Claim>> {
    call(&stub(env, company_id)?, "/webhooks/claim", &queued).await
}

/// Records attempts of one company at once: what follows each, in their order.
pub async fn tried(env: &Env, company_id: &str, tried: &[Tried]) -> AppResult<Vec<Verdict>> {
    call(&stub(env, company_id)?, "/webhooks/tried", &tried).await
}

/// After the queue gave up on a delivery (its consumer kept failing): it failed.
pub async fn give_up(env: &Env, queued: &Queued) -> AppResult<()> {
    call(&stub(env, &queued.company_id)?, "/webhooks/give-up", queued).await
}

/// The company object's webhook commands (`/webhooks/{action}`). Those that queue deliveries
/// answer with them for the object to put on the queue (`send`) after the write.
pub async fn command(
    env: &Env,
    sql: &SqlStorage,
    company_id: &str,
    action: &str,
    req: &mut Request,
) -> AppResult<Response> {
    let now_ms = clock::now_millis();
    match action {
        "emit" => {
            let events: Vec<Emitted> = http::read_command(req, http::MAX_CATALOG_BODY).await?;
            let currency = currency(sql)?;
            forget_old(sql, now_ms)?;
            let mut queued = Vec::new();
            for event in &events {
                queued.extend(make_message(sql, company_id, event, &currency, now_ms)?);
            }
            // Google hears of what changed on it, on the same queue.
            if let Some(google) = crate::store::google_updates::settings(env) {
                queued.extend(crate::store::google_updates::from_events(sql, &google, company_id, &events, now_ms)?);
            }
            send(env, &queued).await?;
            Ok(http::json(&(), 200)?)
        }
        "list" => Ok(http::json(&endpoints(sql, None)?, 200)?),
        "create" => {
            let row: NewRow = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            if endpoints(sql, None)?.len() >= MAX_ENDPOINTS {
                let message = format!("A business has at most {MAX_ENDPOINTS} webhook endpoints.");
                return Err(ApiError::new(ErrorCode::LimitReached, message).into());
            }
            let id = format!("ep_{}", &random_hex()?[..20]);
            sql.exec(
                "INSERT INTO webhook_endpoints (id, url, events, description, secret, created_at_ms)
                 VALUES (?, ?, ?, ?, ?, ?)",
                vec![
                    id.as_str().into(),
                    row.url.into(),
                    to_text(&row.events)?.into(),
                    row.description.into(),
                    row.sealed_secret.into(),
                    now_ms.into(),
                ],
            )?;
            Ok(http::json(&endpoints(sql, Some(&id))?.pop(), 200)?)
        }
        "edit" => {
            let row: EditRow = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let id = row.endpoint_id.as_str();
            if endpoints(sql, Some(id))?.is_empty() {
                return Ok(http::json(&None::<Endpoint>, 200)?);
            }
            if let Some(url) = row.url {
                sql.exec("UPDATE webhook_endpoints SET url = ? WHERE id = ?", vec![url.into(), id.into()])?;
            }
            if let Some(events) = row.events {
                let events = to_text(&events)?;
                sql.exec("UPDATE webhook_endpoints SET events = ? WHERE id = ?", vec![events.into(), id.into()])?;
            }
            if let Some(description) = row.description {
                let description = Some(description).filter(|d| !d.is_empty());
                sql.exec(
                    "UPDATE webhook_endpoints SET description = ? WHERE id = ?",
                    vec![description.into(), id.into()],
                )?;
            }
            // On again: it starts afresh. Off by hand: the edge's own reason, if it had one, stays.
            let enabled = match row.enabled {
                Some(true) => Some("UPDATE webhook_endpoints SET disabled_reason = NULL, failing_since_ms = NULL WHERE id = ?"),
                Some(false) => Some(
                    "UPDATE webhook_endpoints SET disabled_reason = coalesce(disabled_reason, 'turned off by the business')
                     WHERE id = ?",
                ),
                None => None,
            };
            if let Some(update) = enabled {
                sql.exec(update, vec![id.into()])?;
            }
            if let Some(sealed) = row.sealed_secret {
                sql.exec(
                    "UPDATE webhook_endpoints SET previous_secret = secret, previous_until_ms = ?, secret = ? WHERE id = ?",
                    vec![(now_ms + ROTATION_OVERLAP_MS).into(), sealed.into(), id.into()],
                )?;
            }
            Ok(http::json(&endpoints(sql, Some(id))?.pop(), 200)?)
        }
        "delete" => {
            let id: String = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let found = !endpoints(sql, Some(&id))?.is_empty();
            for table in [
                "webhook_endpoints WHERE id",
                "webhook_deliveries WHERE endpoint_id",
                "webhook_attempts WHERE endpoint_id",
            ] {
                sql.exec(&format!("DELETE FROM {table} = ?"), vec![id.as_str().into()])?;
            }
            Ok(http::json(&found, 200)?)
        }
        "deliveries" => {
            let id: String = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            if endpoints(sql, Some(&id))?.is_empty() {
                return Ok(http::json(&None::<Vec<DeliveryLog>>, 200)?);
            }
            Ok(http::json(&Some(log(sql, &id)?), 200)?)
        }
        "replay" => {
            let row: ReplayRow = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let answer = replay_now(sql, company_id, &row, now_ms)?;
            if let Some(queued) = &answer {
                send(env, queued).await?;
            }
            Ok(http::json(&answer.map(|q| q.len() as u32), 200)?)
        }
        "test" => {
            let id: String = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let Some(endpoint) = endpoints(sql, Some(&id))?.pop() else {
                return Ok(http::json(&None::<String>, 200)?);
            };
            if !endpoint.enabled {
                return Err(turned_off().into());
            }
            let event = Emitted {
                source: format!("test:{}", random_hex()?),
                r#type: TEST_EVENT.into(),
                data: json!({ "endpoint_id": id, "message": "A test event from Homeslot: this endpoint is reached." }),
                at_ms: now_ms,
            };
            let message_id = new_message(sql, &event, "", None)?;
            let queued = queue(sql, company_id, &message_id, &id, "test", now_ms)?;
            send(env, &[queued]).await?;
            Ok(http::json(&Some(message_id), 200)?)
        }
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
                "UPDATE webhook_deliveries SET state = 'failed', updated_at_ms = ?
                 WHERE message_id = ? AND endpoint_id = ? AND nonce = ? AND state NOT IN ('delivered', 'failed')",
                vec![now_ms.into(), queued.message_id.into(), queued.endpoint_id.into(), queued.nonce.into()],
            )?;
            Ok(http::json(&(), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}

/// How long messages and their attempts are kept (for the log and replays): 30 days, well past
/// the last retry's three.
pub const KEEP_MS: i64 = 30 * 24 * 60 * 60 * 1000;

fn forget_old(sql: &SqlStorage, now_ms: i64) -> AppResult<()> {
    let old = "SELECT id FROM webhook_messages WHERE created_at_ms < ?";
    for table in ["webhook_attempts", "webhook_deliveries"] {
        sql.exec(&format!("DELETE FROM {table} WHERE message_id IN ({old})"), vec![(now_ms - KEEP_MS).into()])?;
    }
    sql.exec("DELETE FROM webhook_messages WHERE created_at_ms < ?", vec![(now_ms - KEEP_MS).into()])?;
    Ok(())
}

/// Nothing is sent to an endpoint that is turned off, not even by hand.
fn turned_off() -> ApiError {
    ApiError::new(ErrorCode::NotChangeable, "This endpoint is turned off: turn it on first.")
}

/// Makes the message of an event the company object itself produces (a client erased, a
/// membership debited), in the transaction of the change; answers the deliveries to queue.
pub fn made_here(sql: &SqlStorage, company_id: &str, event: &Emitted) -> AppResult<Vec<Queued>> {
    let currency = currency(sql)?;
    make_message(sql, company_id, event, &currency, clock::now_millis())
}

/// Puts deliveries on the webhook queue.
pub async fn send(env: &Env, queued: &[Queued]) -> AppResult<()> {
    if queued.is_empty() {
        return Ok(());
    }
    let queue = env.queue("WEBHOOKS")?;
    for chunk in queued.chunks(100) {
        queue.send_batch(chunk.to_vec()).await?;
    }
    Ok(())
}

fn currency(sql: &SqlStorage) -> AppResult<String> {
    #[derive(Deserialize)]
    struct Doc {
        document: String,
    }
    #[derive(Deserialize)]
    struct Currency {
        #[serde(default)]
        currency: String,
    }
    let rows: Vec<Doc> = sql.exec("SELECT document FROM catalog WHERE id = 1", None)?.to_array()?;
    Ok(rows
        .first()
        .and_then(|row| serde_json::from_str::<Currency>(&row.document).ok())
        .map(|c| c.currency)
        .unwrap_or_default())
}

/// The event's message and its deliveries, if any enabled endpoint subscribes to its type. The
/// same event again makes nothing new, but answers the deliveries never tried yet (the queue
/// may not have taken them the first time).
fn make_message(
    sql: &SqlStorage,
    company_id: &str,
    event: &Emitted,
    currency: &str,
    now_ms: i64,
) -> AppResult<Vec<Queued>> {
    #[derive(Deserialize)]
    struct Known {
        id: String,
    }
    let known: Vec<Known> =
        sql.exec("SELECT id FROM webhook_messages WHERE source = ?", vec![event.source.as_str().into()])?.to_array()?;
    if let Some(known) = known.first() {
        #[derive(Deserialize)]
        struct Waiting {
            endpoint_id: String,
            nonce: String,
        }
        let waiting: Vec<Waiting> = sql
            .exec(
                "SELECT endpoint_id, nonce FROM webhook_deliveries WHERE message_id = ? AND state = 'queued' AND attempts = 0",
                vec![known.id.as_str().into()],
            )?
            .to_array()?;
        return Ok(waiting
            .into_iter()
            .map(|w| Queued {
                company_id: company_id.into(),
                message_id: known.id.clone(),
                endpoint_id: w.endpoint_id,
                nonce: w.nonce,
            })
            .collect());
    }
    let subscribed: Vec<Endpoint> = endpoints(sql, None)?
        .into_iter()
        .filter(|e| e.enabled && e.events.iter().any(|t| t.name() == event.r#type))
        .collect();
    if subscribed.is_empty() {
        return Ok(Vec::new());
    }
    let client_id = event.data.pointer("/client/client_id").and_then(Value::as_str).map(str::to_string);
    let message_id = new_message(sql, event, currency, client_id)?;
    subscribed
        .iter()
        .map(|endpoint| queue(sql, company_id, &message_id, &endpoint.endpoint_id, "event", now_ms))
        .collect()
}

/// Stores a message: Standard Webhooks' envelope, the exact bytes every attempt sends.
fn new_message(sql: &SqlStorage, event: &Emitted, currency: &str, client_id: Option<String>) -> AppResult<String> {
    let mut data = event.data.clone();
    if let Some(object) = data.as_object_mut() {
        // Amounts in minor units become money in the business's currency: `price_minor` → `price`.
        let minors: Vec<String> = object.keys().filter(|k| k.ends_with("_minor")).cloned().collect();
        for key in minors {
            let amount = object.remove(&key).and_then(|v| v.as_i64()).map(|minor| Money::of(minor, currency));
            let name = key.trim_end_matches("_minor").to_string();
            object.insert(name, serde_json::to_value(amount).unwrap_or(Value::Null));
        }
    }
    let body = json!({ "type": event.r#type, "timestamp": format_instant(event.at_ms / 1000), "data": data });
    let id = format!("msg_{}", &random_hex()?[..24]);
    sql.exec(
        "INSERT INTO webhook_messages (id, source, type, body, client_id, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
        vec![
            id.as_str().into(),
            event.source.as_str().into(),
            event.r#type.as_str().into(),
            body.to_string().into(),
            client_id.into(),
            event.at_ms.into(),
        ],
    )?;
    Ok(id)
}

/// (Re)queues a message's delivery to an endpoint with a new nonce.
fn queue(
    sql: &SqlStorage,
    company_id: &str,
    message_id: &str,
    endpoint_id: &str,
    trigger: &str,
    now_ms: i64,
) -> AppResult<Queued> {
    let nonce = random_hex()?[..16].to_string();
    sql.exec(
        "INSERT INTO webhook_deliveries (message_id, endpoint_id, state, nonce, trigger, attempts, updated_at_ms)
         VALUES (?1, ?2, 'queued', ?3, ?4, 0, ?5)
         ON CONFLICT (message_id, endpoint_id) DO UPDATE SET state = 'queued', nonce = ?3, trigger = ?4, attempts = 0,
           claimed_at_ms = NULL, updated_at_ms = ?5",
        vec![message_id.into(), endpoint_id.into(), nonce.as_str().into(), trigger.into(), now_ms.into()],
    )?;
    Ok(Queued { company_id: company_id.into(), message_id: message_id.into(), endpoint_id: endpoint_id.into(), nonce })
}

fn replay_now(sql: &SqlStorage, company_id: &str, row: &ReplayRow, now_ms: i64) -> AppResult<Option<Vec<Queued>>> {
    let Some(endpoint) = endpoints(sql, Some(&row.endpoint_id))?.pop() else { return Ok(None) };
    if !endpoint.enabled {
        return Err(turned_off().into());
    }
    #[derive(Deserialize)]
    struct Id {
        id: String,
        r#type: String,
    }
    let messages: Vec<Id> = match &row.message_id {
        Some(id) => sql
            .exec("SELECT id, type FROM webhook_messages WHERE id = ? AND body IS NOT NULL", vec![id.as_str().into()])?
            .to_array()?,
        None => sql
            .exec(
                "SELECT id, type FROM webhook_messages
                 WHERE created_at_ms >= ? AND created_at_ms < ? AND body IS NOT NULL AND type != ?
                 ORDER BY created_at_ms LIMIT ?",
                vec![row.since_ms.into(), row.until_ms.into(), TEST_EVENT.into(), (MAX_REPLAY as i64 * 4).into()],
            )?
            .to_array()?,
    };
    if row.message_id.is_some() && messages.is_empty() {
        return Ok(None);
    }
    // One message is sent again whatever it is; a range, those of the endpoint's event types.
    let wanted = messages
        .into_iter()
        .filter(|m| row.message_id.is_some() || endpoint.events.iter().any(|t| t.name() == m.r#type))
        .take(MAX_REPLAY);
    let queued = wanted
        .map(|m| queue(sql, company_id, &m.id, &row.endpoint_id, "replay", now_ms))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Some(queued))
}

#[derive(Deserialize)]
struct ClaimRow {
    state: String,
    nonce: String,
    claimed_at_ms: Option<i64>,
    body: Option<String>,
    url: String,
    secret: String,
    previous_secret: Option<String>,
    previous_until_ms: Option<i64>,
    disabled_reason: Option<String>,
}

/// How long an attempt may be under way before it counts as lost (its consumer died) and the
/// delivery may be claimed again.
const LOST_AFTER_MS: i64 = 60_000;

fn claim_now(sql: &SqlStorage, queued: &Queued, now_ms: i64) -> AppResult<Claim> {
    let rows: Vec<ClaimRow> = sql
        .exec(
            "SELECT d.state, d.nonce, d.claimed_at_ms, m.body, e.url, e.secret, e.previous_secret, e.previous_until_ms,
                    e.disabled_reason
             FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
               JOIN webhook_endpoints e ON e.id = d.endpoint_id
             WHERE d.message_id = ? AND d.endpoint_id = ?",
            vec![queued.message_id.as_str().into(), queued.endpoint_id.as_str().into()],
        )?
        .to_array()?;
    let Some(row) = rows.into_iter().next().filter(|row| row.nonce == queued.nonce) else { return Ok(Claim::Void) };
    match row.state.as_str() {
        "queued" | "retrying" => {}
        "sending" if row.claimed_at_ms.is_some_and(|at| now_ms - at <= LOST_AFTER_MS) => return Ok(Claim::Wait),
        "sending" => {}
        _ => return Ok(Claim::Void),
    }
    let Some(body) = row.body.filter(|_| row.disabled_reason.is_none()) else {
        // Turned off, or the client was erased: nothing more is sent.
        set_state(sql, queued, "failed", now_ms)?;
        return Ok(Claim::Void);
    };
    sql.exec(
        "UPDATE webhook_deliveries SET state = 'sending', claimed_at_ms = ?, updated_at_ms = ?
         WHERE message_id = ? AND endpoint_id = ?",
        vec![now_ms.into(), now_ms.into(), queued.message_id.as_str().into(), queued.endpoint_id.as_str().into()],
    )?;
    let mut sealed_secrets = vec![row.secret];
    if let (Some(previous), Some(until)) = (row.previous_secret, row.previous_until_ms) {
        if until > now_ms {
            sealed_secrets.push(previous);
        }
    }
    Ok(Claim::Granted(Claimed { url: row.url, body, sealed_secrets }))
}

fn set_state(sql: &SqlStorage, queued: &Queued, state: &str, now_ms: i64) -> AppResult<()> {
    sql.exec(
        "UPDATE webhook_deliveries SET state = ?, updated_at_ms = ? WHERE message_id = ? AND endpoint_id = ?",
        vec![state.into(), now_ms.into(), queued.message_id.as_str().into(), queued.endpoint_id.as_str().into()],
    )?;
    Ok(())
}

/// Records an attempt and decides what follows: `2xx` delivered; `410 Gone` turns the endpoint
/// off; anything else is tried again on the schedule, unless the endpoint has failed for
/// `disable_after_ms` (then it is turned off) or the schedule is over.
fn tried_now(sql: &SqlStorage, tried: &Tried, now_ms: i64) -> AppResult<Verdict> {
    let queued = &tried.queued;
    #[derive(Deserialize)]
    struct Row {
        nonce: String,
        trigger: String,
        attempts: i64,
        url: String,
        failing_since_ms: Option<i64>,
        disabled_reason: Option<String>,
    }
    let rows: Vec<Row> = sql
        .exec(
            "SELECT d.nonce, d.trigger, d.attempts, e.url, e.failing_since_ms, e.disabled_reason
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
             WHERE d.message_id = ? AND d.endpoint_id = ?",
            vec![queued.message_id.as_str().into(), queued.endpoint_id.as_str().into()],
        )?
        .to_array()?;
    // Deleted meanwhile, or replayed (a newer nonce): this attempt decides nothing.
    let Some(row) = rows.into_iter().next().filter(|r| r.nonce == queued.nonce) else { return Ok(Verdict::Failed) };
    let trigger = if row.attempts == 0 { row.trigger.as_str() } else { "retry" };
    sql.exec(
        "INSERT INTO webhook_attempts (message_id, endpoint_id, at_ms, trigger, status, latency_ms, response, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            queued.message_id.as_str().into(),
            queued.endpoint_id.as_str().into(),
            now_ms.into(),
            trigger.into(),
            tried.status.map(i64::from).into(),
            tried.latency_ms.into(),
            excerpt(&tried.response).into(),
            tried.error.as_deref().map(excerpt).into(),
        ],
    )?;
    let attempts = row.attempts + 1;
    sql.exec(
        "UPDATE webhook_deliveries SET attempts = ? WHERE message_id = ? AND endpoint_id = ?",
        vec![attempts.into(), queued.message_id.as_str().into(), queued.endpoint_id.as_str().into()],
    )?;
    let endpoint_id = queued.endpoint_id.as_str();
    if row.disabled_reason.is_some() {
        // Turned off meanwhile (by an attempt of the same batch, say): it was told once.
        set_state(sql, queued, if matches!(tried.status, Some(200..=299)) { "delivered" } else { "failed" }, now_ms)?;
        return Ok(Verdict::Failed);
    }
    let disable = |reason: String| -> AppResult<Verdict> {
        sql.exec(
            "UPDATE webhook_endpoints SET disabled_reason = ? WHERE id = ?",
            vec![reason.as_str().into(), endpoint_id.into()],
        )?;
        set_state(sql, queued, "failed", now_ms)?;
        Ok(Verdict::Disabled { endpoint_id: endpoint_id.into(), url: row.url.clone(), reason })
    };
    match tried.status {
        Some(200..=299) => {
            sql.exec("UPDATE webhook_endpoints SET failing_since_ms = NULL WHERE id = ?", vec![endpoint_id.into()])?;
            set_state(sql, queued, "delivered", now_ms)?;
            Ok(Verdict::Delivered)
        }
        Some(410) => disable(format!("it answered 410 Gone on {}", format_instant(now_ms / 1000))),
        _ => {
            let since = row.failing_since_ms.unwrap_or(now_ms);
            sql.exec(
                "UPDATE webhook_endpoints SET failing_since_ms = ? WHERE id = ?",
                vec![since.into(), endpoint_id.into()],
            )?;
            if now_ms - since >= tried.disable_after_ms {
                return disable(format!("every attempt failed since {}", format_instant(since / 1000)));
            }
            match u32::try_from(attempts).ok().and_then(retry_after) {
                Some(after_s) => {
                    set_state(sql, queued, "retrying", now_ms)?;
                    Ok(Verdict::Retry { after_s })
                }
                None => {
                    set_state(sql, queued, "failed", now_ms)?;
                    Ok(Verdict::Failed)
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct EndpointRow {
    id: String,
    url: String,
    events: String,
    description: Option<String>,
    previous_until_ms: Option<i64>,
    disabled_reason: Option<String>,
    failing_since_ms: Option<i64>,
    created_at_ms: i64,
}

/// The endpoints (or the one of `id`), oldest first.
fn endpoints(sql: &SqlStorage, id: Option<&str>) -> AppResult<Vec<Endpoint>> {
    let rows: Vec<EndpointRow> = sql
        .exec(
            "SELECT id, url, events, description, previous_until_ms, disabled_reason, failing_since_ms, created_at_ms
             FROM webhook_endpoints WHERE ?1 IS NULL OR id = ?1 ORDER BY created_at_ms, id",
            vec![id.into()],
        )?
        .to_array()?;
    let now_ms = clock::now_millis();
    Ok(rows
        .into_iter()
        .map(|row| Endpoint {
            endpoint_id: row.id,
            url: row.url,
            events: serde_json::from_str(&row.events).unwrap_or_default(),
            description: row.description,
            enabled: row.disabled_reason.is_none(),
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since_ms.map(|at| format_instant(at / 1000)),
            created_at: format_instant(row.created_at_ms / 1000),
            previous_secret_until: row
                .previous_until_ms
                .filter(|&until| until > now_ms)
                .map(|at| format_instant(at / 1000)),
        })
        .collect())
}

/// The endpoint's last 100 deliveries with their attempts, newest first.
fn log(sql: &SqlStorage, endpoint_id: &str) -> AppResult<Vec<DeliveryLog>> {
    #[derive(Deserialize)]
    struct D {
        message_id: String,
        r#type: String,
        created_at_ms: i64,
        state: String,
    }
    #[derive(Deserialize)]
    struct A {
        at_ms: i64,
        trigger: String,
        status: Option<i64>,
        latency_ms: i64,
        response: String,
        error: Option<String>,
    }
    let deliveries: Vec<D> = sql
        .exec(
            "SELECT d.message_id, m.type, m.created_at_ms, d.state FROM webhook_deliveries d
               JOIN webhook_messages m ON m.id = d.message_id
             WHERE d.endpoint_id = ? ORDER BY m.created_at_ms DESC, m.id DESC LIMIT 100",
            vec![endpoint_id.into()],
        )?
        .to_array()?;
    deliveries
        .into_iter()
        .map(|d| {
            let attempts: Vec<A> = sql
                .exec(
                    "SELECT at_ms, trigger, status, latency_ms, response, error FROM webhook_attempts
                     WHERE message_id = ? AND endpoint_id = ? ORDER BY seq",
                    vec![d.message_id.as_str().into(), endpoint_id.into()],
                )?
                .to_array()?;
            Ok(DeliveryLog {
                state: if d.state == "sending" { "queued".into() } else { d.state },
                message_id: d.message_id,
                event_type: d.r#type,
                created_at: format_instant(d.created_at_ms / 1000),
                attempts: attempts
                    .into_iter()
                    .map(|a| Attempt {
                        at: format_instant(a.at_ms / 1000),
                        trigger: a.trigger,
                        status: a.status.and_then(|s| u16::try_from(s).ok()),
                        latency_ms: a.latency_ms,
                        response: a.response,
                        error: a.error,
                    })
                    .collect(),
            })
        })
        .collect()
}

/// An erased client's messages keep no body (what was sent about them), and are not sent again.
pub fn erase(sql: &SqlStorage, client_id: &str) -> AppResult<()> {
    sql.exec("UPDATE webhook_messages SET body = NULL WHERE client_id = ?", vec![client_id.into()])?;
    sql.exec(
        "UPDATE webhook_attempts SET response = '' WHERE message_id IN (SELECT id FROM webhook_messages WHERE client_id = ?)",
        vec![client_id.into()],
    )?;
    Ok(())
}

fn to_text<T: Serialize>(value: &T) -> AppResult<String> {
    Ok(serde_json::to_string(value).map_err(|e| worker::Error::RustError(e.to_string()))?)
}
