//! The business's own changes to a booking, from the console's calendar or the admin API: view
//! it with its history, move it (another time, another specialist), cancel it with a reason, mark
//! the client arrived or a no-show. Each change is checked and written in one synchronous step,
//! recorded in the booking's history with who made it, and, sent with an idempotency key, made
//! once: a retry gets the first answer.
//!
//! A specialist's commands carry their own id: another specialist's booking is `not_found` to
//! them, as if it did not exist, and they cannot hand their own to someone else.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{Instant, ServiceSchedule};
use homeslot_core::error::{ApiError, ErrorCode};

use super::admin::{AdminBooking, BOOKING_COLUMNS};
use super::bookings::{cancel_confirmed, move_confirmed, ChangedBy};
use super::history::{self, HistoryEntry};
use super::idempotency::{self, Idempotency};
use super::manage::{moved, record};
use super::outbox::Refund;
use super::stub;
use crate::clock;
use crate::error::AppResult;
use crate::store::{call, transaction_sync};

/// What the business does to a booking.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum StaffChange {
    /// Only read it, with its history.
    View,
    /// To `start` with `specialist_id`, checked against `schedule` as a new booking would be, or
    /// outside its rules (`override`), never over another visit.
    Move {
        schedule: ServiceSchedule,
        start: Instant,
        specialist_id: String,
        #[serde(default)]
        r#override: bool,
    },
    /// Cancel it (a visit of several services whole), saying why.
    Cancel { reason: String },
    /// Mark the client `arrived` or a `no_show`, or take the mark back (`None`).
    Attendance { mark: Option<String> },
}

#[derive(Serialize, Deserialize)]
pub(super) struct StaffCommand {
    company_id: String,
    booking_id: String,
    /// Who is changing it: a person id, or `token`.
    actor: String,
    /// A specialist's own id: only their bookings are theirs to see and change.
    only_specialist: Option<String>,
    change: StaffChange,
    idempotency: Option<Idempotency>,
}

impl StaffCommand {
    /// Whether it stores an idempotency record (to forget later).
    pub(super) fn remembers_key(&self) -> bool {
        self.idempotency.is_some()
    }
}

/// The booking after the change, its history, and what its cancellation gives back to the
/// membership that paid (recorded in the outbox with the change: the caller delivers it, or the
/// location's alarm does).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaffAnswer {
    pub booking: AdminBooking,
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
    /// Its message log.
    #[serde(default)]
    pub messages: Vec<homeslot_core::messages::LogLine>,
}

/// Makes `change` to `booking_id` as `actor` (narrowed to `only_specialist`'s bookings, for a
/// specialist), once per idempotency `key`.
#[allow(clippy::too_many_arguments)]
pub async fn change(
    env: &Env,
    company_id: &str,
    location_id: &str,
    booking_id: &str,
    actor: &str,
    only_specialist: Option<&str>,
    change: StaffChange,
    key: Option<String>,
) -> AppResult<StaffAnswer> {
    // The key's hash covers which booking and what change (not a move's schedule, which the
    // catalog decides and may change between a request and its retry).
    let idempotency = key.map(|key| {
        let what = match &change {
            StaffChange::View => "view".to_string(),
            StaffChange::Move { start, specialist_id, r#override, .. } => {
                format!("move {start} {specialist_id}{}", if *r#override { " override" } else { "" })
            }
            StaffChange::Cancel { reason } => format!("cancel {reason}"),
            StaffChange::Attendance { mark } => format!("mark {mark:?}"),
        };
        Idempotency::new(key, &(booking_id, what))
    });
    let command = StaffCommand {
        company_id: company_id.into(),
        booking_id: booking_id.into(),
        actor: actor.into(),
        only_specialist: only_specialist.map(Into::into),
        change,
        idempotency,
    };
    call(&stub(env, company_id, location_id)?, "/desk", &command).await
}

/// `/desk`: the check and the write, the history and the outbox, and the answer remembered under
/// its key, in one transaction.
pub(super) fn act(storage: &worker::Storage, sql: &SqlStorage, command: StaffCommand) -> AppResult<StaffAnswer> {
    let sql = sql.clone();
    transaction_sync(storage, move || {
        idempotency::once(&sql, command.idempotency.as_ref(), clock::now_millis(), || act_now(&sql, &command))
    })
}

fn act_now(sql: &SqlStorage, command: &StaffCommand) -> AppResult<StaffAnswer> {
    let id = command.booking_id.as_str();
    let row = find(sql, id, command.only_specialist.as_deref())?;
    let not_changeable = |message: &str| ApiError::new(ErrorCode::NotChangeable, message);
    let cancelled = row.status != "confirmed";
    let mut refunds = Vec::new();
    match &command.change {
        StaffChange::View => {}
        StaffChange::Move { schedule, start, specialist_id, r#override } => {
            if cancelled {
                return Err(not_changeable("This booking was cancelled: book a new one instead.").into());
            }
            if command.only_specialist.as_deref().is_some_and(|own| own != specialist_id) {
                return Err(ApiError::field(
                    ErrorCode::Forbidden,
                    "specialist_id",
                    "A specialist moves their own bookings only within their own day.",
                )
                .into());
            }
            let client = (row.client_name.as_str(), row.client_phone.as_str());
            move_confirmed(sql, id, client, schedule, (*start, specialist_id), *r#override, ChangedBy::Business)?;
            let mut detail = moved(row.start, *start, &row.specialist_id, specialist_id);
            if *r#override {
                detail["override"] = "outside the rules".into();
            }
            history::record(sql, id, &command.actor, "moved", Some(detail))?;
        }
        StaffChange::Cancel { reason } => {
            if cancelled {
                return Err(not_changeable("This booking is already cancelled.").into());
            }
            // The reason first: the cancellation's webhook event carries it.
            sql.exec(
                "UPDATE bookings SET cancel_reason = ? WHERE id = ? OR (visit_id IS NOT NULL AND visit_id = ?)",
                vec![reason.as_str().into(), id.into(), row.visit_id.as_deref().unwrap_or("").into()],
            )?;
            refunds = cancel_confirmed(sql, &command.company_id, id, row.visit_id.as_deref(), ChangedBy::Business)?;
            let detail = serde_json::json!({ "reason": reason });
            history::record(sql, id, &command.actor, "cancelled", Some(detail))?;
        }
        StaffChange::Attendance { mark } => {
            if cancelled {
                return Err(not_changeable("A cancelled booking cannot be marked.").into());
            }
            if mark.as_deref() == Some("no_show") && clock::now() < row.start {
                return Err(not_changeable("A client can be marked a no-show once their visit has begun.").into());
            }
            if row.attendance != *mark {
                sql.exec("UPDATE bookings SET attendance = ? WHERE id = ?", vec![mark.as_deref().into(), id.into()])?;
                history::record(sql, id, &command.actor, mark.as_deref().unwrap_or("expected"), None)?;
                if mark.as_deref() == Some("no_show") {
                    let no_show = homeslot_core::webhooks::EventType::BookingNoShow;
                    super::events::booking(sql, no_show, id, false, serde_json::json!({}))?;
                }
            }
        }
    }
    record(sql, &refunds)?;
    let booking = find(sql, id, None)?;
    Ok(StaffAnswer { booking, history: history::of(sql, id)?, refunds, messages: super::notices::log(sql, id)? })
}

/// The booking `id`, or `not_found` (also when it is not `only_specialist`'s).
fn find(sql: &SqlStorage, id: &str, only_specialist: Option<&str>) -> AppResult<AdminBooking> {
    let rows: Vec<AdminBooking> =
        sql.exec(&format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = ?"), vec![id.into()])?.to_array()?;
    rows.into_iter()
        .next()
        .filter(|b| only_specialist.is_none_or(|own| own == b.specialist_id))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No booking with this id at this location.").into())
}
