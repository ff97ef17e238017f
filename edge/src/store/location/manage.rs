//! A client's own booking, through the link in their confirmation: view it, cancel it, or move it
//! to another free time, until the location's cancellation notice. The link carries a random
//! 122-bit secret; only its SHA-256 is stored, so the database alone cannot produce a link, and a
//! forged or guessed link finds nothing.
//!
//! A class seat has a link too: it can be viewed and cancelled (not moved: the client books
//! another session). A cancelled seat goes to the first client on the session's waitlist in the
//! same synchronous step; leaving the waitlist is possible at any time.
//!
//! Google's booking server acts for the users of the bookings made through it, by the same
//! rules, with the booking's own channel as its proof instead of the link's secret ([`Proof`]).

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{Instant, ServiceSchedule};
use homeslot_core::error::{ApiError, ErrorCode};

use super::bookings::{cancel_confirmed, move_confirmed, ChangedBy};
use super::history;
use super::idempotency::{self, Idempotency};
use super::outbox::{self, Refund};
use super::{events, notices, stub, Charge};
use crate::clock;
use crate::error::AppResult;
use crate::store::{call, random_hex, same_secret, sha256_hex, transaction_sync};
use homeslot_core::membership::Debit;
use homeslot_core::webhooks::EventType;

/// What a client may do with their booking.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Change {
    View,
    /// Cancel, if at least `notice_minutes` before the visit. A class seat given up goes to the
    /// first client waiting, whose reminders are the location's `leads`.
    Cancel {
        notice_minutes: u32,
        #[serde(default)]
        leads: Vec<u32>,
    },
    /// Move to `start` with the same specialist, if at least `notice_minutes` before the visit.
    Reschedule {
        schedule: ServiceSchedule,
        start: Instant,
        notice_minutes: u32,
    },
    /// Turn the e-mail reminders of the visit on or off (on again: the location's `leads`).
    Reminders {
        on: bool,
        leads: Vec<u32>,
    },
}

/// A booking (or class seat) as its client may see it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredBooking {
    pub booking_id: String,
    pub service_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
    /// `"confirmed"`, `"waitlisted"` (class seats) or `"cancelled"`.
    pub status: String,
    pub waitlist_position: Option<u32>,
    pub in_visit: bool,
    /// Whether the client gets e-mail reminders of it (they may turn them off); none when they
    /// gave no e-mail address.
    #[serde(default)]
    pub reminders: Option<bool>,
    /// What the client pays, as confirmed; `None` for bookings older than stored prices.
    pub charge: Option<Charge>,
    /// The front desk's mark (`arrived`, `no_show`) on a visit, if any.
    #[serde(default)]
    pub attendance: Option<String>,
    /// What the cancellation that just happened gives back to the membership that paid (for a
    /// visit, every part's), recorded in the location's outbox with the cancellation: the
    /// caller delivers it ([`super::outbox::deliver`]), or the location's alarm does.
    #[serde(default)]
    pub refunds: Vec<Refund>,
}

/// A row a membership paid for, and what it took.
#[derive(Deserialize)]
pub(super) struct Paid {
    id: String,
    membership_number: Option<String>,
    visits: Option<i64>,
    minor: Option<i64>,
}

impl Paid {
    /// The row's id.
    pub(super) fn id(&self) -> &str {
        &self.id
    }

    /// What cancelling (or clearing) the row gives back to the membership.
    pub(super) fn refund(self, company_id: &str) -> Option<Refund> {
        let visits = u32::try_from(self.visits.unwrap_or(0)).unwrap_or(0);
        Some(Refund {
            id: self.id,
            company_id: company_id.to_string(),
            number: self.membership_number?,
            debit: Debit { visits, minor: self.minor.unwrap_or(0) },
        })
    }
}

/// The charge kept in a row's price columns (none in rows older than them).
fn stored_charge(
    specialist_id: &str,
    price_minor: Option<i64>,
    original_minor: Option<i64>,
    discount_id: Option<String>,
) -> Option<Charge> {
    let price_minor = price_minor?;
    Some(Charge {
        specialist_id: specialist_id.to_string(),
        price_minor,
        original_minor: original_minor.unwrap_or(price_minor),
        discount_id,
    })
}

/// What lets a caller act for a booking's client: the secret of the client's manage link, or the
/// channel that made the booking acting for its user (Google's booking server, after its own
/// authentication: only bookings made through it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Proof {
    Secret(String),
    Channel(String),
}

impl Proof {
    /// Who the booking's history says made the change.
    fn actor(&self) -> &str {
        match self {
            Proof::Secret(_) => "client",
            Proof::Channel(channel) => channel,
        }
    }

    /// Who the booking's webhook event says changed it.
    fn changed_by(&self) -> ChangedBy<'_> {
        match self {
            Proof::Secret(_) => ChangedBy::Client,
            Proof::Channel(channel) => ChangedBy::Channel(channel),
        }
    }

    /// Whether it opens a row with this stored secret hash and channel.
    fn opens(&self, manage_hash: Option<&str>, channel: &str) -> bool {
        match self {
            Proof::Secret(secret) => manage_hash.is_some_and(|stored| same_secret(stored, &hash(secret))),
            Proof::Channel(made_by) => made_by == channel,
        }
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct ManageCommand {
    company_id: String,
    booking_id: String,
    proof: Proof,
    change: Change,
    /// A change's `Idempotency-Key`: its retry is answered as the first time.
    idempotency: Option<Idempotency>,
}

impl ManageCommand {
    /// Whether it stores an idempotency record (to forget later).
    pub(super) fn remembers_key(&self) -> bool {
        self.idempotency.is_some()
    }
}

/// Views or changes the booking the link names; `not_found` unless the proof opens it. A change
/// sent with an idempotency `key` is made once: its retry gets the first answer.
pub async fn manage(
    env: &Env,
    company_id: &str,
    location_id: &str,
    booking_id: &str,
    proof: Proof,
    change: Change,
    key: Option<String>,
) -> AppResult<StoredBooking> {
    // The key's hash covers which booking and what change (not the schedule of a move, which the
    // catalog decides and may change between a request and its retry).
    let idempotency = key.map(|key| {
        let what = match &change {
            Change::View => "view".to_string(),
            Change::Cancel { .. } => "cancel".to_string(),
            Change::Reschedule { start, .. } => format!("reschedule {start}"),
            Change::Reminders { on, .. } => format!("reminders {on}"),
        };
        Idempotency::new(key, &(booking_id, what))
    });
    let command =
        ManageCommand { company_id: company_id.into(), booking_id: booking_id.into(), proof, change, idempotency };
    call(&stub(env, company_id, location_id)?, "/manage", &command).await
}

/// A new manage-link secret: random, as hex.
pub(super) fn new_secret() -> worker::Result<String> {
    random_hex()
}

/// The stored form of a secret.
pub(super) fn hash(secret: &str) -> String {
    sha256_hex(secret)
}

#[derive(Deserialize)]
struct BookingRow {
    service_id: String,
    specialist_id: String,
    start_s: Instant,
    end_s: Instant,
    status: String,
    visit_id: Option<String>,
    manage_hash: Option<String>,
    client_name: String,
    client_phone: String,
    price_minor: Option<i64>,
    original_price_minor: Option<i64>,
    discount_id: Option<String>,
    reminders_off: i64,
    client_email: Option<String>,
    channel: String,
    attendance: Option<String>,
}

/// `/manage`: one synchronous step from the secret's check to the write, in one transaction with
/// the refund it owes and the answer remembered under its key.
pub(super) fn act(storage: &worker::Storage, sql: &SqlStorage, command: ManageCommand) -> AppResult<StoredBooking> {
    let sql = sql.clone();
    transaction_sync(storage, move || {
        idempotency::once(&sql, command.idempotency.as_ref(), clock::now_millis(), || act_now(&sql, &command))
    })
}

fn act_now(sql: &SqlStorage, command: &ManageCommand) -> AppResult<StoredBooking> {
    if let Some(seat) = find_seat(sql, &command.booking_id, &command.proof)? {
        return act_on_seat(sql, command, seat);
    }
    let row = find(sql, &command.booking_id, &command.proof)?;
    let mut refunds = Vec::new();
    let now = clock::now();
    let too_late = |notice_minutes: u32| now + i64::from(notice_minutes) * 60 > row.start_s;
    match &command.change {
        Change::View => {}
        Change::Cancel { notice_minutes, .. } => {
            if row.status == "confirmed" {
                if too_late(*notice_minutes) {
                    return Err(ApiError::new(
                        ErrorCode::TooLateToCancel,
                        "This visit is too close to cancel online. Please call the business.",
                    )
                    .into());
                }
                let by = command.proof.changed_by();
                refunds = cancel_confirmed(sql, &command.company_id, &command.booking_id, row.visit_id.as_deref(), by)?;
                history::record(sql, &command.booking_id, command.proof.actor(), "cancelled", None)?;
            }
        }
        Change::Reschedule { schedule, start, notice_minutes } => {
            // The booking, not the request, is what cannot be moved: a conflict with its state.
            let refuse = |message: &str| ApiError::new(ErrorCode::NotMovable, message);
            if row.status != "confirmed" {
                return Err(refuse("This booking was cancelled: please book a new time.").into());
            }
            if row.visit_id.is_some() {
                return Err(
                    refuse("A visit of several services cannot be moved online; cancel it and book again.").into()
                );
            }
            if too_late(*notice_minutes) {
                return Err(ApiError::new(
                    ErrorCode::TooLateToReschedule,
                    "This visit is too close to move online. Please call the business.",
                )
                .into());
            }
            if *start == row.start_s {
                // Already there (a retry of the move): nothing changes, and nobody hears of it again.
                return answer(sql, command, refunds);
            }
            let client = (row.client_name.as_str(), row.client_phone.as_str());
            let to = (*start, row.specialist_id.as_str());
            move_confirmed(sql, &command.booking_id, client, schedule, to, false, command.proof.changed_by())?;
            let detail = moved(row.start_s, *start, &row.specialist_id, &row.specialist_id);
            history::record(sql, &command.booking_id, command.proof.actor(), "moved", Some(detail))?;
        }
        Change::Reminders { on, leads } => {
            let was_on = row.reminders_off == 0;
            if row.status == "confirmed" && *on != was_on {
                notices::reminders(sql, &command.booking_id, *on, row.start_s, leads)?;
                let change = if *on { "reminders_on" } else { "reminders_off" };
                history::record(sql, &command.booking_id, command.proof.actor(), change, None)?;
            }
        }
    }
    answer(sql, command, refunds)
}

/// The booking as it is after `command`, with the refunds it owes recorded in the outbox.
fn answer(sql: &SqlStorage, command: &ManageCommand, refunds: Vec<Refund>) -> AppResult<StoredBooking> {
    record(sql, &refunds)?;
    let row = find(sql, &command.booking_id, &command.proof)?;
    Ok(StoredBooking {
        booking_id: command.booking_id.clone(),
        charge: stored_charge(&row.specialist_id, row.price_minor, row.original_price_minor, row.discount_id),
        refunds,
        service_id: row.service_id,
        specialist_id: row.specialist_id,
        start: row.start_s,
        end: row.end_s,
        status: if row.status == "confirmed" { "confirmed" } else { "cancelled" }.into(),
        waitlist_position: None,
        in_visit: row.visit_id.is_some(),
        reminders: row.client_email.as_ref().map(|_| row.reminders_off == 0),
        attendance: row.attendance,
    })
}

#[derive(Deserialize)]
struct SeatRow {
    service_id: String,
    specialist_id: Option<String>,
    session_start_s: Instant,
    session_end_s: Option<Instant>,
    status: String,
    created_at_ms: i64,
    manage_hash: Option<String>,
    price_minor: Option<i64>,
    original_price_minor: Option<i64>,
    discount_id: Option<String>,
    membership_number: Option<String>,
    membership_visits: Option<i64>,
    membership_minor: Option<i64>,
    client_email: Option<String>,
    reminders_off: i64,
    channel: String,
}

/// The class seat with this id, if there is one; `not_found` if the proof does not open it.
fn find_seat(sql: &SqlStorage, booking_id: &str, proof: &Proof) -> AppResult<Option<SeatRow>> {
    let rows: Vec<SeatRow> = sql
        .exec(
            "SELECT service_id, specialist_id, session_start_s, session_end_s, status, created_at_ms, manage_hash,
                    price_minor, original_price_minor, discount_id,
                    membership_number, membership_visits, membership_minor, client_email, reminders_off, channel
             FROM class_bookings WHERE id = ?",
            vec![booking_id.into()],
        )?
        .to_array()?;
    let Some(row) = rows.into_iter().next() else { return Ok(None) };
    if proof.opens(row.manage_hash.as_deref(), &row.channel) {
        Ok(Some(row))
    } else {
        Err(ApiError::new(ErrorCode::NotFound, "No booking for this link.").into())
    }
}

fn act_on_seat(sql: &SqlStorage, command: &ManageCommand, seat: SeatRow) -> AppResult<StoredBooking> {
    let id = command.booking_id.as_str();
    // What a membership paid for the seat, given back if it is left now.
    let paid = Paid {
        id: command.booking_id.clone(),
        membership_number: seat.membership_number.clone(),
        visits: seat.membership_visits,
        minor: seat.membership_minor,
    };
    let mut refunds = Vec::new();
    match &command.change {
        Change::View => {}
        Change::Cancel { notice_minutes, leads } => match seat.status.as_str() {
            "booked" => {
                if clock::now() + i64::from(*notice_minutes) * 60 > seat.session_start_s {
                    return Err(ApiError::new(
                        ErrorCode::TooLateToCancel,
                        "This class is too close to cancel online. Please call the business.",
                    )
                    .into());
                }
                sql.exec("UPDATE class_bookings SET status = 'cancelled' WHERE id = ?", vec![id.into()])?;
                refunds.extend(paid.refund(&command.company_id));
                history::record(sql, id, command.proof.actor(), "cancelled", None)?;
                events::seat(sql, EventType::ClassSeatCancelled, id, command.proof.changed_by().data(false))?;
                notices::cancelled(sql, id, None, false)?;
                // The freed seat goes to whoever has waited longest for this session.
                #[derive(Deserialize)]
                struct Next {
                    id: String,
                }
                let next: Vec<Next> = sql
                    .exec(
                        "SELECT id FROM class_bookings WHERE service_id = ? AND session_start_s = ? AND status = 'waitlisted'
                         ORDER BY created_at_ms, id LIMIT 1",
                        vec![seat.service_id.as_str().into(), seat.session_start_s.into()],
                    )?
                    .to_array()?;
                for Next { id: promoted } in next {
                    sql.exec(
                        "UPDATE class_bookings SET status = 'booked' WHERE id = ?",
                        vec![promoted.as_str().into()],
                    )?;
                    events::seat(sql, EventType::WaitlistPromoted, &promoted, serde_json::json!({}))?;
                    notices::seat_granted(sql, &promoted, seat.session_start_s, leads)?;
                }
            }
            // Leaving the waitlist frees nobody's seat: allowed until the end.
            "waitlisted" => {
                sql.exec("UPDATE class_bookings SET status = 'cancelled' WHERE id = ?", vec![id.into()])?;
                refunds.extend(paid.refund(&command.company_id));
            }
            _ => {}
        },
        Change::Reminders { on, leads } => {
            // A seat's reminders, like a visit's: only a seat held by a client who gave an e-mail.
            let was_on = seat.reminders_off == 0;
            if seat.client_email.is_some() && seat.status == "booked" && was_on != *on {
                notices::reminders(sql, id, *on, seat.session_start_s, leads)?;
                let change = if *on { "reminders_on" } else { "reminders_off" };
                history::record(sql, id, command.proof.actor(), change, None)?;
            }
        }
        Change::Reschedule { .. } => {
            return Err(ApiError::new(
                ErrorCode::NotMovable,
                "A class seat cannot be moved: cancel it and book another session.",
            )
            .into());
        }
    }
    record(sql, &refunds)?;
    let seat = find_seat(sql, id, &command.proof)?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No booking for this link."))?;
    let waitlist_position = if seat.status == "waitlisted" {
        #[derive(Deserialize)]
        struct Ahead {
            n: i64,
        }
        let ahead = sql
            .exec(
                "SELECT count(*) AS n FROM class_bookings WHERE service_id = ? AND session_start_s = ?
                 AND status = 'waitlisted' AND (created_at_ms < ? OR (created_at_ms = ? AND id < ?))",
                vec![
                    seat.service_id.as_str().into(),
                    seat.session_start_s.into(),
                    seat.created_at_ms.into(),
                    seat.created_at_ms.into(),
                    id.into(),
                ],
            )?
            .one::<Ahead>()?
            .n;
        Some(u32::try_from(ahead + 1).unwrap_or(u32::MAX))
    } else {
        None
    };
    let specialist_id = seat.specialist_id.unwrap_or_default();
    Ok(StoredBooking {
        booking_id: command.booking_id.clone(),
        charge: stored_charge(&specialist_id, seat.price_minor, seat.original_price_minor, seat.discount_id),
        refunds,
        service_id: seat.service_id,
        specialist_id,
        start: seat.session_start_s,
        end: seat.session_end_s.unwrap_or(seat.session_start_s),
        status: match seat.status.as_str() {
            "booked" => "confirmed",
            "waitlisted" => "waitlisted",
            _ => "cancelled",
        }
        .into(),
        reminders: seat.client_email.as_ref().filter(|_| seat.status == "booked").map(|_| seat.reminders_off == 0),
        waitlist_position,
        in_visit: false,
        attendance: None,
    })
}

/// A move's detail for the history: from when and whom, to when and whom.
pub(super) fn moved(from: Instant, to: Instant, from_specialist: &str, to_specialist: &str) -> serde_json::Value {
    use homeslot_core::availability::format_instant;
    serde_json::json!({
        "from": format_instant(from), "to": format_instant(to),
        "from_specialist_id": from_specialist, "to_specialist_id": to_specialist,
    })
}

/// Records what a cancellation gives back, in its transaction (see `outbox`).
pub(super) fn record(sql: &SqlStorage, refunds: &[Refund]) -> AppResult<()> {
    let now_ms = clock::now_millis();
    refunds.iter().try_for_each(|refund| outbox::add(sql, refund, now_ms))
}

/// The booking with this id, if the proof opens it.
fn find(sql: &SqlStorage, booking_id: &str, proof: &Proof) -> AppResult<BookingRow> {
    let rows: Vec<BookingRow> = sql
        .exec(
            "SELECT service_id, specialist_id, start_s, end_s, status, visit_id, manage_hash, client_name, client_phone,
                    price_minor, original_price_minor, discount_id, reminders_off, client_email, channel, attendance
             FROM bookings WHERE id = ?",
            vec![booking_id.into()],
        )?
        .to_array()?;
    match rows.into_iter().next() {
        Some(row) if proof.opens(row.manage_hash.as_deref(), &row.channel) => Ok(row),
        _ => Err(ApiError::new(ErrorCode::NotFound, "No booking for this link.").into()),
    }
}
