//! What the company's admins may read and do at a location: its bookings (with the clients'
//! details, which the public API never shows), an export of everything, and erasing one
//! client's personal data while keeping the anonymous history (dates, services, specialists).

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::Instant;

use super::manage::Paid;
use super::outbox::Refund;
use super::stub;
use crate::error::AppResult;
use crate::store::phones::Merge;
use crate::store::{call, transaction_sync};

/// A booking as admins see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminBooking {
    pub booking_id: String,
    pub visit_id: Option<String>,
    pub service_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
    pub status: String,
    pub client_name: String,
    pub client_phone: String,
    pub client_id: Option<String>,
    pub created_at_ms: i64,
    /// The client's comment, privacy-policy acceptance and marketing consent.
    pub comment: Option<String>,
    #[serde(deserialize_with = "flag")]
    pub privacy_accepted: bool,
    #[serde(deserialize_with = "flag")]
    pub marketing_consent: bool,
    /// What the client pays (minor units; none on bookings older than stored prices), the price
    /// before the automatic discount, and the discount's id.
    #[serde(default)]
    pub price_minor: Option<i64>,
    #[serde(default)]
    pub original_price_minor: Option<i64>,
    #[serde(default)]
    pub discount_id: Option<String>,
    /// The membership that paid, if one did.
    #[serde(default)]
    pub membership_number: Option<String>,
    /// Where the client came from: UTM parameters and click ids, if the booking carried them.
    #[serde(default, deserialize_with = "json_text")]
    pub attribution: Option<serde_json::Value>,
    /// Made while the owner tried the form (test bookings).
    #[serde(default, deserialize_with = "flag", skip_serializing_if = "std::ops::Not::not")]
    pub test: bool,
    /// Where it was made (`online`, `app`, `front_desk`) and the member of staff who made it.
    #[serde(default = "super::online")]
    pub channel: String,
    #[serde(default)]
    pub made_by: Option<String>,
    /// The front desk's mark: `arrived` or `no_show` (none while the client is expected).
    #[serde(default)]
    pub attendance: Option<String>,
    /// Why the business cancelled it, when it did.
    #[serde(default)]
    pub cancel_reason: Option<String>,
    /// Placed or moved outside the rules by an owner or a manager (an override).
    #[serde(default, deserialize_with = "flag", skip_serializing_if = "std::ops::Not::not")]
    pub r#override: bool,
}

/// A class seat or waitlist place as admins see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminClassBooking {
    pub booking_id: String,
    pub service_id: String,
    pub session_start: Instant,
    pub status: String,
    pub client_name: String,
    pub client_phone: String,
    pub client_id: Option<String>,
    pub created_at_ms: i64,
    pub comment: Option<String>,
    #[serde(deserialize_with = "flag")]
    pub privacy_accepted: bool,
    #[serde(deserialize_with = "flag")]
    pub marketing_consent: bool,
    /// What the client pays (minor units; none on bookings older than stored prices), the price
    /// before the automatic discount, and the discount's id.
    #[serde(default)]
    pub price_minor: Option<i64>,
    #[serde(default)]
    pub original_price_minor: Option<i64>,
    #[serde(default)]
    pub discount_id: Option<String>,
    /// The membership that paid, if one did.
    #[serde(default)]
    pub membership_number: Option<String>,
    /// Where the client came from: UTM parameters and click ids, if the booking carried them.
    #[serde(default, deserialize_with = "json_text")]
    pub attribution: Option<serde_json::Value>,
    /// Made while the owner tried the form (test bookings).
    #[serde(default, deserialize_with = "flag", skip_serializing_if = "std::ops::Not::not")]
    pub test: bool,
    /// Where it was made (`online`, `app`, `front_desk`) and the member of staff who made it.
    #[serde(default = "super::online")]
    pub channel: String,
    #[serde(default)]
    pub made_by: Option<String>,
}

/// A JSON column: text in SQLite, an object once read (and between the objects).
pub(super) fn json_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(deserializer)? {
        Some(serde_json::Value::String(text)) => serde_json::from_str(&text).ok(),
        other => other.filter(|v| !v.is_null()),
    })
}

/// SQLite keeps a yes/no as 0 or 1 (and the value travels between the objects as a boolean).
fn flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Number(i64),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Bool(b) => b,
        Flag::Number(n) => n != 0,
    })
}

/// Everything a location holds about its clients' bookings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LocationExport {
    pub bookings: Vec<AdminBooking>,
    pub class_bookings: Vec<AdminClassBooking>,
}

#[derive(Serialize, Deserialize)]
pub(super) enum AdminCommand {
    /// Bookings starting in `[from, to)`, in start order.
    Bookings {
        from: Instant,
        to: Instant,
    },
    Export,
    /// The bookings and seats of one client of the chain (test bookings left out).
    OfClient {
        client_id: String,
    },
    /// Every stored hold, expired ones not yet cleared by the alarm included.
    Holds,
    /// Erase the personal data of the client with this (E.164) phone.
    Erase {
        phone: String,
    },
    /// Follow a merge of two clients, or a client's number rewritten in its one form.
    Merge {
        merge: Merge,
    },
    /// Delete the test bookings and seats (see [`clear_tests`]).
    ClearTests {
        company_id: String,
    },
}

/// What clearing a location's test bookings did: how many bookings and seats it deleted, and what
/// it gives back to memberships that paid for them (recorded in the outbox with the deletion, like
/// a cancellation's; the caller delivers it, or the alarm does).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ClearedTests {
    pub bookings: u32,
    pub seats: u32,
    pub refunds: Vec<Refund>,
}

/// Bookings of every status starting in `[from, to)`.
pub async fn bookings_between(
    env: &Env,
    company_id: &str,
    location_id: &str,
    from: Instant,
    to: Instant,
) -> AppResult<Vec<AdminBooking>> {
    call(&stub(env, company_id, location_id)?, "/admin", &AdminCommand::Bookings { from, to }).await
}

/// What the calendar shows of a location's day (see [`day`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DaySheet {
    pub bookings: Vec<AdminBooking>,
    pub holds: Vec<LiveHold>,
    pub sessions: Vec<SessionSeats>,
    /// The class sessions the business cancelled.
    #[serde(default)]
    pub cancelled_sessions: Vec<CancelledAt>,
}

/// A class session the business cancelled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CancelledAt {
    pub service_id: String,
    pub start: Instant,
}

/// A time kept for a client who is still choosing (no client details: there are none yet).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LiveHold {
    pub hold_id: String,
    pub service_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
    pub expires_at: Instant,
}

/// How many seats of a class session are booked, and how many clients wait for one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionSeats {
    pub service_id: String,
    pub session_start: Instant,
    pub booked: u32,
    pub waitlisted: u32,
}

/// The calendar's question: the day `[from, to)`, unless the object is still at version `known`.
#[derive(Serialize, Deserialize)]
pub(super) struct DayCommand {
    from: Instant,
    to: Instant,
    known: Option<String>,
}

/// The location's version (it changes with every write to the object), and the day unless the
/// caller already had that version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayAnswer {
    pub version: String,
    pub sheet: Option<DaySheet>,
}

/// The calendar's day `[from, to)` at the location: every booking starting then (cancelled ones
/// included), the live holds, and the seats taken in each class session, the same at any role
/// (narrowing to one specialist is the caller's). With `known`, the object's version of an
/// earlier answer: while nothing was written since, the answer is the version alone, and the
/// object reads nothing.
pub async fn day(
    env: &Env,
    company_id: &str,
    location_id: &str,
    (from, to): (Instant, Instant),
    known: Option<String>,
) -> AppResult<DayAnswer> {
    call(&stub(env, company_id, location_id)?, "/day", &DayCommand { from, to, known }).await
}

/// `/day`. The version is this instance of the object and SQLite's count of rows written since it
/// opened its database (`total_changes()`): every write changes it, and an object started afresh
/// (a new instance) never repeats an old one. Holds expire by the alarm's delete, a write too.
pub(super) fn day_now(sql: &SqlStorage, instance: &str, command: DayCommand) -> AppResult<DayAnswer> {
    let DayCommand { from, to, known } = command;
    let written = sql.exec("SELECT total_changes() AS n", None)?.one::<Changes>()?.n;
    let version = format!("{instance}-{written}");
    if known.as_deref() == Some(version.as_str()) {
        return Ok(DayAnswer { version, sheet: None });
    }
    let bookings: Vec<AdminBooking> = sql
        .exec(
            &format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE start_s >= ? AND start_s < ? ORDER BY start_s, id"),
            vec![from.into(), to.into()],
        )?
        .to_array()?;
    let holds: Vec<LiveHold> = sql
        .exec(
            "SELECT id AS hold_id, service_id, specialist_id, start_s AS start, end_s AS end,
            expires_at_s AS expires_at
             FROM holds WHERE expires_at_s > ? AND start_s >= ? AND start_s < ? ORDER BY start_s, id",
            vec![crate::clock::now().into(), from.into(), to.into()],
        )?
        .to_array()?;
    let sessions: Vec<SessionSeats> = sql
        .exec(
            "SELECT service_id, session_start_s AS session_start,
            sum(status = 'booked') AS booked, sum(status = 'waitlisted') AS waitlisted
             FROM class_bookings WHERE session_start_s >= ? AND session_start_s < ?
             GROUP BY service_id, session_start_s ORDER BY session_start_s, service_id",
            vec![from.into(), to.into()],
        )?
        .to_array()?;
    let cancelled_sessions: Vec<CancelledAt> = sql
        .exec(
            "SELECT service_id, start_s AS start FROM cancelled_sessions WHERE start_s >= ? AND start_s < ?",
            vec![from.into(), to.into()],
        )?
        .to_array()?;
    Ok(DayAnswer { version, sheet: Some(DaySheet { bookings, holds, sessions, cancelled_sessions }) })
}

/// A hold as admins see it (holds carry no client details).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdminHold {
    pub hold_id: String,
    pub service_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub expires_at: Instant,
}

/// The holds stored at the location, live and expired-but-not-yet-cleared.
pub async fn holds(env: &Env, company_id: &str, location_id: &str) -> AppResult<Vec<AdminHold>> {
    call(&stub(env, company_id, location_id)?, "/admin", &AdminCommand::Holds).await
}

/// Everything the location holds.
pub async fn export(env: &Env, company_id: &str, location_id: &str) -> AppResult<LocationExport> {
    call(&stub(env, company_id, location_id)?, "/admin", &AdminCommand::Export).await
}

/// One client's bookings and seats at the location (test bookings left out).
pub async fn of_client(env: &Env, company_id: &str, location_id: &str, client_id: &str) -> AppResult<LocationExport> {
    call(&stub(env, company_id, location_id)?, "/admin", &AdminCommand::OfClient { client_id: client_id.to_string() })
        .await
}

/// Erases one client's name, phone, comments and marketing consent from every booking and seat;
/// how many rows it touched.
pub async fn erase_client(env: &Env, company_id: &str, location_id: &str, phone: &str) -> AppResult<u32> {
    call(&stub(env, company_id, location_id)?, "/admin", &AdminCommand::Erase { phone: phone.into() }).await
}

/// Deletes the location's test bookings and seats (their times are free again).
pub async fn clear_tests(env: &Env, company_id: &str, location_id: &str) -> AppResult<ClearedTests> {
    let command = AdminCommand::ClearTests { company_id: company_id.into() };
    call(&stub(env, company_id, location_id)?, "/admin", &command).await
}

/// Makes the location's bookings and seats follow `merge` (see `store::phones`): they name the
/// surviving client, by the number in its one form. Idempotent.
pub async fn merge_client(env: &Env, company_id: &str, location_id: &str, merge: &Merge) -> AppResult<()> {
    let _: serde_json::Value =
        call(&stub(env, company_id, location_id)?, "/admin", &AdminCommand::Merge { merge: merge.clone() }).await?;
    Ok(())
}

/// Every stored booking and seat, or one client's. Test bookings are no client's: left out.
fn stored(sql: &SqlStorage, client_id: Option<&str>) -> AppResult<LocationExport> {
    let (filter, args) = match client_id {
        Some(id) => ("AND client_id = ?", vec![id.into()]),
        None => ("", Vec::new()),
    };
    let bookings: Vec<AdminBooking> = sql
        .exec(
            &format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE test = 0 {filter} ORDER BY start_s, id"),
            Some(args.clone()),
        )?
        .to_array()?;
    let class_bookings: Vec<AdminClassBooking> = sql
        .exec(
            &format!("SELECT {SEAT_COLUMNS} FROM class_bookings WHERE test = 0 {filter} ORDER BY session_start_s, id"),
            Some(args),
        )?
        .to_array()?;
    Ok(LocationExport { bookings, class_bookings })
}

pub(super) const BOOKING_COLUMNS: &str =
    "id AS booking_id, visit_id, service_id, specialist_id, start_s AS start, end_s AS end,
    status, client_name, client_phone, client_id, created_at_ms, comment, privacy_accepted, marketing_consent,
    price_minor, original_price_minor, discount_id, membership_number, attribution, test, channel, made_by,
    attendance, cancel_reason, is_override AS \"override\"";
const SEAT_COLUMNS: &str = "id AS booking_id, service_id, session_start_s AS session_start, status, client_name,
    client_phone, client_id, created_at_ms, comment, privacy_accepted, marketing_consent,
    price_minor, original_price_minor, discount_id, membership_number, attribution, test, channel, made_by";

#[derive(Deserialize)]
struct Changes {
    n: i64,
}

/// `/admin`.
pub(super) fn act(storage: &worker::Storage, sql: &SqlStorage, command: AdminCommand) -> AppResult<serde_json::Value> {
    match command {
        AdminCommand::Bookings { from, to } => {
            let rows: Vec<AdminBooking> = sql
                .exec(
                    &format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE start_s >= ? AND start_s < ? ORDER BY start_s, id"),
                    vec![from.into(), to.into()],
                )?
                .to_array()?;
            Ok(to_json(&rows)?)
        }
        AdminCommand::Export => Ok(to_json(&stored(sql, None)?)?),
        AdminCommand::OfClient { client_id } => Ok(to_json(&stored(sql, Some(&client_id))?)?),
        AdminCommand::Holds => {
            let rows: Vec<AdminHold> = sql
                .exec(
                    "SELECT id AS hold_id, service_id, specialist_id, start_s AS start, expires_at_s AS expires_at
                     FROM holds ORDER BY start_s, id",
                    None,
                )?
                .to_array()?;
            Ok(to_json(&rows)?)
        }
        AdminCommand::Erase { phone } => {
            let mut touched = 0;
            // Their messages go too: none is sent any more (a queued one is skipped at its claim),
            // and the log keeps no server reply about them.
            let theirs = "SELECT id FROM bookings WHERE client_phone = ?1
                          UNION ALL SELECT id FROM class_bookings WHERE client_phone = ?1";
            for purge in [
                format!("DELETE FROM notices WHERE state = 'scheduled' AND booking_id IN ({theirs})"),
                format!("UPDATE notices SET links = NULL WHERE booking_id IN ({theirs})"),
                format!("UPDATE deliveries SET detail = '' WHERE notice_id IN (SELECT id FROM notices WHERE booking_id IN ({theirs}))"),
                "UPDATE bookings SET client_email = NULL, language = NULL WHERE client_phone = ?".to_string(),
                "UPDATE class_bookings SET client_email = NULL, language = NULL WHERE client_phone = ?".to_string(),
                // Webhook events not yet handed over: never sent.
                "DELETE FROM events WHERE client_phone = ?".to_string(),
            ] {
                sql.exec(&purge, vec![phone.as_str().into()])?;
            }
            for table in ["bookings", "class_bookings"] {
                let n = sql
                    .exec(
                        &format!("SELECT count(*) AS n FROM {table} WHERE client_phone = ?"),
                        vec![phone.as_str().into()],
                    )?
                    .one::<Changes>()?
                    .n;
                sql.exec(
                    &format!(
                        "UPDATE {table} SET client_name = '(erased)', client_phone = '', comment = NULL,
                         marketing_consent = 0, attribution = NULL WHERE client_phone = ?"
                    ),
                    vec![phone.as_str().into()],
                )?;
                touched += n;
            }
            Ok(to_json(&(touched as u32))?)
        }
        AdminCommand::Merge { merge } => {
            for table in ["bookings", "class_bookings"] {
                sql.exec(
                    &format!("UPDATE {table} SET client_id = ? WHERE client_id = ?"),
                    vec![merge.to_id.as_str().into(), merge.from_id.as_str().into()],
                )?;
                sql.exec(
                    &format!("UPDATE {table} SET client_phone = ? WHERE client_phone = ?"),
                    vec![merge.to_phone.as_str().into(), merge.from_phone.as_str().into()],
                )?;
            }
            Ok(serde_json::Value::Null)
        }
        AdminCommand::ClearTests { company_id } => {
            // The refunds owed and the deletion in one transaction: a crash leaves both or neither.
            let sql = sql.clone();
            let cleared = transaction_sync(storage, move || clear_now(&sql, &company_id))?;
            Ok(to_json(&cleared)?)
        }
    }
}

/// Deletes the test bookings and seats, recording what memberships paid for them in the outbox.
fn clear_now(sql: &SqlStorage, company_id: &str) -> AppResult<ClearedTests> {
    let mut cleared = ClearedTests::default();
    // The test bookings' messages and their log go with them.
    let tests = "SELECT id FROM bookings WHERE test = 1 UNION ALL SELECT id FROM class_bookings WHERE test = 1";
    sql.exec(
        &format!("DELETE FROM deliveries WHERE notice_id IN (SELECT id FROM notices WHERE booking_id IN ({tests}))"),
        None,
    )?;
    sql.exec(&format!("DELETE FROM notices WHERE booking_id IN ({tests})"), None)?;
    for (table, live) in [("bookings", "confirmed"), ("class_bookings", "booked")] {
        let paid: Vec<Paid> = sql
            .exec(
                &format!(
                    "SELECT id, membership_number, membership_visits AS visits, membership_minor AS minor
                     FROM {table} WHERE test = 1 AND status = ? AND membership_number IS NOT NULL"
                ),
                vec![live.into()],
            )?
            .to_array()?;
        cleared.refunds.extend(paid.into_iter().filter_map(|p| p.refund(company_id)));
        let n = sql.exec(&format!("SELECT count(*) AS n FROM {table} WHERE test = 1"), None)?.one::<Changes>()?.n;
        sql.exec(&format!("DELETE FROM {table} WHERE test = 1"), None)?;
        let n = u32::try_from(n).unwrap_or(0);
        if table == "bookings" {
            cleared.bookings = n;
        } else {
            cleared.seats = n;
        }
    }
    let now_ms = crate::clock::now_millis();
    for refund in &cleared.refunds {
        super::outbox::add(sql, refund, now_ms)?;
    }
    Ok(cleared)
}

/// The commands answer different types through one route.
fn to_json<T: Serialize>(value: &T) -> worker::Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| worker::Error::RustError(e.to_string()))
}
