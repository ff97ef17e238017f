//! The location object's half of the checkout: every booking, visit and class seat is checked and
//! written here, in one SQLite transaction with the answer remembered under its idempotency key,
//! and with no `.await` from the first read to the commit, so no other request to the location
//! can interleave.
//!
//! A membership payment is made by the company object before the placement arrives. So that the
//! pair can always be reconciled, every written row names its payment, and a payment the checkout
//! gave up on is made void here ([`resolve_payment`]): a placement that arrives later with it is
//! refused, so the company object may give the money back knowing no booking will ever use it.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{ClassSchedule, ServiceSchedule};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::Debit;

use super::bookings::{self, Booked, BookedVisit, NewBooking, NewVisit};
use super::classes::{self, NewClassBooking, TakenSeat};
use super::idempotency::{self, Idempotency};
use super::stub;
use crate::clock;
use crate::error::AppResult;
use crate::store::{call, transaction_sync};

/// What is being placed, with everything the object needs to check it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Order {
    /// One service, one specialist (or any).
    Booking { schedule: ServiceSchedule, booking: NewBooking },
    /// Several services back to back, all or none.
    Visit { parts: Vec<ServiceSchedule>, visit: NewVisit },
    /// A seat in a class session, or a place on its waitlist.
    Seat { class: ClassSchedule, seat: NewClassBooking },
}

/// An order and the key its answer is remembered under.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Placement {
    pub order: Order,
    pub idempotency: Option<Idempotency>,
}

/// What the object wrote for an order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Placed {
    Booking(Booked),
    Visit(BookedVisit),
    Seat(TakenSeat),
}

impl Placed {
    /// What the paying membership's rows took, all parts together.
    pub fn paid(&self) -> Option<Debit> {
        match self {
            Placed::Booking(booked) => booked.paid,
            Placed::Visit(visit) => visit.paid,
            Placed::Seat(seat) => seat.paid,
        }
    }
}

impl Order {
    /// The membership payment the order's rows will name, if a membership pays.
    fn payment_id(&self) -> Option<&str> {
        let pay = match self {
            Order::Booking { booking, .. } => booking.membership.as_ref(),
            Order::Visit { visit, .. } => visit.membership.as_ref(),
            Order::Seat { seat, .. } => seat.membership.as_ref(),
        };
        pay.map(|pay| pay.payment_id.as_str())
    }
}

/// Checks and writes `placement` at the location, atomically with every other booking there.
pub async fn place(env: &Env, company_id: &str, location_id: &str, placement: &Placement) -> AppResult<Placed> {
    call(&stub(env, company_id, location_id)?, "/place", placement).await
}

/// What membership payment `payment_id` paid for here: the sum of what its rows took, or `None`
/// if no row names it, in which case it is made void in the same step, so no later placement can
/// use it. The answer is final either way: the company object settles the payment by it.
pub async fn resolve_payment(
    env: &Env,
    company_id: &str,
    location_id: &str,
    payment_id: &str,
) -> AppResult<Option<Debit>> {
    call(&stub(env, company_id, location_id)?, "/payments/resolve", &payment_id).await
}

/// `/place`: refuses a void payment, then runs the order once per idempotency key, the write and
/// the remembered answer in one transaction.
pub(super) fn place_now(storage: &worker::Storage, sql: &SqlStorage, placement: Placement) -> AppResult<Placed> {
    if let Some(payment_id) = placement.order.payment_id() {
        if is_void(sql, payment_id)? {
            return Err(ApiError::new(
                ErrorCode::PaymentExpired,
                "Your confirmation took too long and was not booked; your membership was not charged. Please confirm again.",
            )
            .into());
        }
    }
    let sql = sql.clone();
    transaction_sync(storage, move || {
        let Placement { order, idempotency } = placement;
        idempotency::once(&sql, idempotency.as_ref(), clock::now_millis(), || match &order {
            Order::Booking { schedule, booking } => bookings::book_now(&sql, schedule, booking).map(Placed::Booking),
            Order::Visit { parts, visit } => bookings::book_visit_now(&sql, parts, visit).map(Placed::Visit),
            Order::Seat { class, seat } => classes::join_class_now(&sql, class, seat).map(Placed::Seat),
        })
    })
}

#[derive(Deserialize)]
struct PaidRows {
    n: i64,
    visits: Option<i64>,
    minor: Option<i64>,
}

/// `/payments/resolve` (see [`resolve_payment`]). Rows keep what they took whatever happened to
/// them since (a cancelled booking's refund is given back apart), so the sum is what was used.
pub(super) fn resolve_now(sql: &SqlStorage, payment_id: &str) -> AppResult<Option<Debit>> {
    let rows = sql
        .exec(
            "SELECT count(*) AS n, sum(visits) AS visits, sum(minor) AS minor FROM (
                SELECT membership_visits AS visits, membership_minor AS minor FROM bookings WHERE payment_id = ?
                UNION ALL
                SELECT membership_visits, membership_minor FROM class_bookings WHERE payment_id = ?)",
            vec![payment_id.into(), payment_id.into()],
        )?
        .one::<PaidRows>()?;
    if rows.n > 0 {
        let visits = u32::try_from(rows.visits.unwrap_or(0)).unwrap_or(0);
        return Ok(Some(Debit { visits, minor: rows.minor.unwrap_or(0) }));
    }
    sql.exec(
        "INSERT OR IGNORE INTO void_payments (id, voided_at_ms) VALUES (?, ?)",
        vec![payment_id.into(), clock::now_millis().into()],
    )?;
    Ok(None)
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

fn is_void(sql: &SqlStorage, payment_id: &str) -> AppResult<bool> {
    let n =
        sql.exec("SELECT count(*) AS n FROM void_payments WHERE id = ?", vec![payment_id.into()])?.one::<Count>()?.n;
    Ok(n > 0)
}

/// Forgets void payments as old as idempotency keys (no placement can be in flight that long);
/// answers when the oldest remaining one is due (Unix ms).
pub(super) fn clear_old_voids(sql: &SqlStorage, now_ms: i64) -> worker::Result<Option<i64>> {
    #[derive(Deserialize)]
    struct Oldest {
        oldest: Option<i64>,
    }
    sql.exec("DELETE FROM void_payments WHERE voided_at_ms <= ?", vec![(now_ms - idempotency::KEEP_MS).into()])?;
    let oldest = sql.exec("SELECT min(voided_at_ms) AS oldest FROM void_payments", None)?.one::<Oldest>()?.oldest;
    Ok(oldest.map(|voided| voided + idempotency::KEEP_MS))
}
