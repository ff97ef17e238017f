//! Paying with a membership at checkout. The membership lives in the company object and the
//! booking in the location object, so paying is two steps, made recoverable:
//!
//! 1. the company object debits the membership and records a **pending payment** (with its
//!    idempotency key, so a retried confirmation finds the same payment instead of paying twice);
//! 2. the location object writes the booking, naming the payment;
//! 3. the checkout settles the payment: what the booking did not use is given back.
//!
//! If the checkout stops between 1 and 3 (the Worker dies, a platform error), the payment stays
//! pending, and the company object's alarm settles it later by asking the location what the
//! payment bought ([`crate::store::location::resolve_payment`]), which also makes an unused
//! payment void there, so a late booking can never use money that was given back.

use homeslot_core::availability::{civil_date, local_date, zone, Instant};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::Use;
use homeslot_core::wire::{MembershipRef, MembershipView};

use crate::error::AppResult;
use crate::handlers::memberships::view;
use crate::store::location::{self, Charge, MembershipPay, Placed};
use crate::store::memberships::{self, Payment, Visit};

/// A members-only service booked without a membership is `membership_required`: checked with the
/// rest of the request, before anything is written.
pub fn required(services: &[&Service], membership: Option<&MembershipRef>) -> Result<(), ApiError> {
    match services.iter().find(|s| s.members_only) {
        Some(service) if membership.is_none() => Err(ApiError::field(
            ErrorCode::MembershipRequired,
            "membership",
            format!("{} is for members: enter your membership number.", service.name),
        )),
        _ => Ok(()),
    }
}

/// One visit to pay for: the service, its start at the location, and its charges with each
/// specialist who could take it (a money balance is debited the highest, and the difference given
/// back once the location object has chosen).
pub struct Part<'a> {
    pub service: &'a Service,
    pub start: Instant,
    pub charges: &'a [Charge],
}

/// The visits `parts` are at `location`, as the company object checks them.
fn visits(location: &Location, parts: &[Part<'_>]) -> Result<Vec<Visit>, ApiError> {
    let zone = zone(&location.time_zone, "time_zone")?;
    parts
        .iter()
        .map(|part| {
            let date = civil_date(local_date(&zone, part.start));
            let price_minor = part.charges.iter().map(|c| c.price_minor).max().unwrap_or(part.service.price_minor);
            Ok(Visit { service: part.service.clone(), date, price_minor })
        })
        .collect()
}

/// Whether membership `reference` of `phone` could pay for `parts` (at their list prices): asked
/// before anything is written, so a wrong number or an expired membership writes nothing. The
/// debit checks again, with the final prices, in the same step as it pays.
///
/// A confirmation with an idempotency key (`keyed`) is only checked for its holder: it may be the
/// retry of one that already paid, whose balance no longer covers it, and whose answer is the
/// first one's (the keyed payment knows).
pub async fn precheck(
    env: &worker::Env,
    company: &Company,
    location: &Location,
    reference: &MembershipRef,
    phone: &str,
    parts: &[Part<'_>],
    keyed: bool,
) -> AppResult<()> {
    let membership = memberships::holder(env, &company.id, &reference.number, phone).await?;
    if keyed {
        return Ok(());
    }
    let visits = visits(location, parts)?;
    let uses: Vec<Use> = visits.iter().map(Visit::as_use).collect();
    membership.pays_for(&uses)?;
    Ok(())
}

/// Debits membership `reference` of `phone` for `parts` at `location`, all together, as a pending
/// payment (once per idempotency `key`: a retried confirmation finds the first one's payment).
pub async fn pay(
    env: &worker::Env,
    company: &Company,
    location: &Location,
    reference: &MembershipRef,
    phone: &str,
    parts: &[Part<'_>],
    key: Option<&str>,
) -> AppResult<Payment> {
    let visits = visits(location, parts)?;
    let key = key.map(|key| format!("{}/{key}", location.id));
    memberships::pay(env, &company.id, &location.id, &reference.number, phone, &visits, key).await
}

/// What the location object needs to know of a payment: which rows name it and what they take.
pub fn membership_pay(payment: &Payment) -> MembershipPay {
    MembershipPay {
        number: payment.membership.number.clone(),
        payment_id: payment.id.clone(),
        visits: payment.membership.visits_left.is_some(),
        money: payment.membership.balance_minor.is_some(),
    }
}

/// Settles `payment` once the placement is done, and answers the membership as the client should
/// see it. On success, what the booking did not use is given back. On failure the location object
/// is asked what the payment bought (nothing, for any refusal; for a platform error it may have
/// written the booking before the answer was lost) and the payment is settled by that, which
/// makes an unused payment void there. If even that fails, the payment stays pending and the
/// company object's alarm settles it later: the placement's own error is what the client sees.
pub async fn settle(
    env: &worker::Env,
    company: &Company,
    location: &Location,
    payment: &Payment,
    placed: &AppResult<Placed>,
) -> AppResult<Option<MembershipView>> {
    let used = match placed {
        Ok(placed) => placed.paid(),
        Err(_) => match location::resolve_payment(env, &company.id, &location.id, &payment.id).await {
            Ok(used) => used,
            Err(_) => return Ok(None),
        },
    };
    let settled = memberships::settle(env, &company.id, &payment.id, used).await;
    match (placed, settled) {
        (Ok(_), Ok(after)) => Ok(Some(view(company, after.as_ref().unwrap_or(&payment.membership)))),
        // Booked, and the settlement did not arrive: the alarm gives the difference back later.
        (Ok(_), Err(_)) => Ok(Some(view(company, &payment.membership))),
        (Err(_), _) => Ok(None),
    }
}
