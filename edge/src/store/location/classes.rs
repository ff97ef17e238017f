//! Seats in group classes, and the waitlist once a session is full.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{
    bookable_sessions, parse_date, session_at, take_seat, zone, ClassSchedule, Date, Instant, Seat, SessionTime,
    TimeZone,
};

use super::{manage, new_booking_id, stub, MAX_CALENDAR_DAYS};
use crate::clock;
use crate::error::AppResult;
use crate::store::call;
use homeslot_core::error::{ApiError, ErrorCode};

#[derive(Serialize, Deserialize)]
pub(super) struct ClassSessionsCommand {
    class: ClassSchedule,
    from: String,
    days: u32,
}

/// A bookable session and how many seats and waitlist places are taken.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionCount {
    pub start: Instant,
    pub end: Instant,
    pub specialist_id: String,
    pub booked: u32,
    pub waiting: u32,
}

/// A seat request that passed the edge's validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewClassBooking {
    pub start: Instant,
    pub join_waitlist: bool,
    pub client_name: String,
    pub client_phone: String,
    /// The client's identity across the chain.
    pub client_id: String,
    /// The client's comment and consents.
    pub note: super::Note,
    /// The seat's price with each instructor of the class (the session's is stored).
    pub charges: Vec<super::Charge>,
    /// The membership that pays, if any (already debited by the edge).
    pub membership: Option<super::MembershipPay>,
}

/// What the location object wrote for a seat request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TakenSeat {
    pub booking_id: String,
    pub seat: Seat,
    pub start: Instant,
    pub end: Instant,
    pub specialist_id: String,
    /// The secret of the client's manage link (only its hash is stored with the seat).
    pub manage_secret: String,
    /// What the client pays for the seat.
    pub charge: Option<super::Charge>,
    /// What the membership paid for it.
    pub paid: Option<homeslot_core::membership::Debit>,
}

/// A class's bookable sessions from `from` for `days` dates, with their seat counts.
pub async fn class_sessions(
    env: &Env,
    company_id: &str,
    location_id: &str,
    class: &ClassSchedule,
    from: Date,
    days: u32,
) -> AppResult<Vec<SessionCount>> {
    let command = ClassSessionsCommand { class: class.clone(), from: from.to_string(), days };
    call(&stub(env, company_id, location_id)?, "/class-sessions", &command).await
}

/// `/class-sessions`: bookable sessions with their seat counts.
pub(super) fn sessions_now(sql: &SqlStorage, command: ClassSessionsCommand) -> AppResult<Vec<SessionCount>> {
    let zone = zone(&command.class.time_zone, "time_zone")?;
    let from = parse_date(&command.from, "from")?;
    let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
    Ok(counted_sessions(sql, &command.class, &zone, from, days, clock::now())?)
}

/// The class's sessions bookable at `now` from `from` for `days` dates, without those the
/// business cancelled, with their seat counts.
pub(super) fn counted_sessions(
    sql: &SqlStorage,
    class: &ClassSchedule,
    zone: &TimeZone,
    from: Date,
    days: u32,
    now: Instant,
) -> worker::Result<Vec<SessionCount>> {
    let mut counted = Vec::new();
    for session in bookable_sessions(class, zone, from, days, now) {
        if is_cancelled(sql, &class.service_id, session.start)? {
            continue;
        }
        let (booked, waiting) = seats_taken(sql, &class.service_id, session.start)?;
        counted.push(SessionCount {
            start: session.start,
            end: session.end,
            specialist_id: session.specialist_id,
            booked,
            waiting,
        });
    }
    Ok(counted)
}

/// The business cancels one session of a class (`/class-sessions/cancel`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CancelSession {
    pub company_id: String,
    pub class: ClassSchedule,
    pub start: Instant,
    pub reason: String,
    /// Who (a person's name, an integration), for each seat's history.
    pub actor: String,
}

/// What cancelling a session did.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CancelledSession {
    pub start: Instant,
    /// Seats cancelled, and places on its waitlist.
    pub seats: u32,
    pub waitlisted: u32,
    /// What the memberships that paid get back (in the outbox with the cancellation).
    pub refunds: Vec<super::outbox::Refund>,
}

/// Cancels a session of a class at this location: every seat and waitlist place in it, each
/// client told (and the business's systems), the memberships that paid refunded.
pub async fn cancel_session(
    env: &Env,
    company_id: &str,
    location_id: &str,
    command: &CancelSession,
) -> AppResult<CancelledSession> {
    call(&stub(env, company_id, location_id)?, "/class-sessions/cancel", command).await
}

/// `/class-sessions/cancel`, in one transaction: the session is marked cancelled (no seat can be
/// taken in it any more, and it leaves the public list), then each seat and place in it goes.
/// Cancelling it again changes nothing.
pub(super) fn cancel_session_now(sql: &SqlStorage, command: &CancelSession) -> AppResult<CancelledSession> {
    let zone = zone(&command.class.time_zone, "time_zone")?;
    // The business may cancel a session until it begins, inside the clients' notice too.
    let mut class = command.class.clone();
    class.policy.minimum_notice_minutes = 0;
    let session = session_at(&class, &zone, command.start, clock::now())?;
    let service_id = command.class.service_id.as_str();
    sql.exec(
        "INSERT OR IGNORE INTO cancelled_sessions (service_id, start_s, reason, by_actor, at_ms) VALUES (?, ?, ?, ?, ?)",
        vec![
            service_id.into(),
            session.start.into(),
            command.reason.as_str().into(),
            command.actor.as_str().into(),
            clock::now_millis().into(),
        ],
    )?;
    #[derive(Deserialize)]
    struct Taken {
        status: String,
        #[serde(flatten)]
        paid: manage::Paid,
    }
    let taken: Vec<Taken> = sql
        .exec(
            "SELECT id, status, membership_number, membership_visits AS visits, membership_minor AS minor
             FROM class_bookings WHERE service_id = ? AND session_start_s = ? AND status IN ('booked', 'waitlisted')
             ORDER BY created_at_ms, id",
            vec![service_id.into(), session.start.into()],
        )?
        .to_array()?;
    let mut cancelled = CancelledSession { start: session.start, seats: 0, waitlisted: 0, refunds: Vec::new() };
    let why = serde_json::json!({ "reason": command.reason });
    for Taken { status, paid } in taken {
        let id = paid.id().to_string();
        sql.exec("UPDATE class_bookings SET status = 'cancelled' WHERE id = ?", vec![id.as_str().into()])?;
        super::history::record(sql, &id, &command.actor, "cancelled", Some(why.clone()))?;
        if status == "booked" {
            cancelled.seats += 1;
            let extra = serde_json::json!({ "cancelled_by": "business", "cancel_reason": command.reason });
            super::events::seat(sql, homeslot_core::webhooks::EventType::ClassSeatCancelled, &id, extra)?;
        } else {
            cancelled.waitlisted += 1;
        }
        super::notices::session_cancelled(sql, &id)?;
        cancelled.refunds.extend(paid.refund(&command.company_id));
    }
    super::manage::record(sql, &cancelled.refunds)?;
    Ok(cancelled)
}

/// Whether the business cancelled the session of `service_id` starting at `start`.
fn is_cancelled(sql: &SqlStorage, service_id: &str, start: Instant) -> worker::Result<bool> {
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    let n = sql
        .exec(
            "SELECT count(*) AS n FROM cancelled_sessions WHERE service_id = ? AND start_s = ?",
            vec![service_id.into(), start.into()],
        )?
        .one::<N>()?
        .n;
    Ok(n > 0)
}

/// A seat request's critical section, synchronous from the count to the write (inside the
/// placement's transaction, see `placement`): two clients can never both get the last seat.
pub(super) fn join_class_now(
    sql: &SqlStorage,
    class: &ClassSchedule,
    booking: &NewClassBooking,
) -> AppResult<TakenSeat> {
    let zone = zone(&class.time_zone, "time_zone")?;
    let SessionTime { start, end, specialist_id } = session_at(class, &zone, booking.start, clock::now())?;
    if is_cancelled(sql, &class.service_id, start)? {
        let message = "This session was cancelled by the business. Please pick another one.";
        return Err(ApiError::field(ErrorCode::SlotUnavailable, "start", message).into());
    }
    let (booked, waiting) = seats_taken(sql, &class.service_id, start)?;
    let seat = take_seat(class, booked, waiting, booking.join_waitlist)?;
    let booking_id = new_booking_id()?;
    let manage_secret = manage::new_secret()?;
    let charge = super::Charge::of(&booking.charges, &specialist_id).cloned();
    let paid = booking.membership.as_ref().map(|m| m.debit(charge.as_ref()));
    let status = match seat {
        Seat::Booked => "booked",
        Seat::Waitlisted { .. } => "waitlisted",
    };
    sql.exec(
        "INSERT INTO class_bookings (id, service_id, session_start_s, status, client_name, client_phone, created_at_ms,
                                     client_id, manage_hash, session_end_s, specialist_id,
                                     comment, privacy_accepted, marketing_consent,
                                     price_minor, original_price_minor, discount_id,
                                     membership_number, membership_visits, membership_minor, attribution,
                                     payment_id, test, channel, made_by, client_email, language)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            booking_id.as_str().into(),
            class.service_id.as_str().into(),
            start.into(),
            status.into(),
            booking.client_name.as_str().into(),
            booking.client_phone.as_str().into(),
            clock::now_millis().into(),
            booking.client_id.as_str().into(),
            manage::hash(&manage_secret).into(),
            end.into(),
            specialist_id.as_str().into(),
            booking.note.comment.as_deref().into(),
            i64::from(booking.note.privacy_accepted).into(),
            i64::from(booking.note.marketing_consent).into(),
            charge.as_ref().map(|c| c.price_minor).into(),
            charge.as_ref().map(|c| c.original_minor).into(),
            charge.as_ref().and_then(|c| c.discount_id.as_deref()).into(),
            booking.membership.as_ref().map(|m| m.number.as_str()).into(),
            i64::from(paid.map_or(0, |d| d.visits)).into(),
            paid.map_or(0, |d| d.minor).into(),
            booking.note.attribution.as_deref().into(),
            booking.membership.as_ref().map(|m| m.payment_id.as_str()).into(),
            i64::from(booking.note.test).into(),
            booking.note.channel.as_str().into(),
            booking.note.made_by.as_deref().into(),
            booking.note.email.as_deref().into(),
            booking.note.language.as_deref().into(),
        ],
    )?;
    if status == "booked" {
        super::events::seat(
            sql,
            homeslot_core::webhooks::EventType::ClassSeatBooked,
            &booking_id,
            serde_json::json!({}),
        )?;
        // The seat's confirmation (with the manage link) and its reminders.
        let leads = &class.policy.reminder_minutes;
        super::notices::booked(sql, &booking_id, start, leads, &booking.note, &manage_secret)?;
    }
    Ok(TakenSeat { booking_id, seat, start, end, specialist_id, manage_secret, charge, paid })
}

#[derive(Deserialize)]
struct SeatCount {
    booked: Option<i64>,
    waiting: Option<i64>,
}

/// Seats booked and clients waiting in one session.
fn seats_taken(sql: &SqlStorage, service_id: &str, start: Instant) -> worker::Result<(u32, u32)> {
    let count = sql
        .exec(
            "SELECT sum(status = 'booked') AS booked, sum(status = 'waitlisted') AS waiting FROM class_bookings
             WHERE service_id = ? AND session_start_s = ?",
            vec![service_id.into(), start.into()],
        )?
        .one::<SeatCount>()?;
    let clamp = |n: Option<i64>| u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX);
    Ok((clamp(count.booked), clamp(count.waiting)))
}
