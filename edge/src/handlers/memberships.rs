//! Memberships at booking time. `POST /v1/companies/{company}/memberships/check` lets the widget
//! show a client their membership (name, balance, expiry) before they commit; bookings, visits and
//! class seats pay with one here: the company object checks and debits it, then the location
//! object books, and if the booking fails the debit is given back.
//!
//! Paying is two objects, so it is two steps: a debit that is not followed by a booking (the
//! Worker stopping in between) costs the client that visit until an admin adjusts it. The reverse,
//! a booking without its debit, cannot happen.

use serde::Deserialize;
use worker::{Env, Request, Response};

use homeslot_core::availability::{local_date, zone, Instant};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::{Debit, Membership, MembershipStatus, Use};
use homeslot_core::time::CivilDate;
use homeslot_core::validation;
use homeslot_core::wire::{MembershipRef, MembershipView, Money};

use crate::error::AppResult;
use crate::handlers::pricing;
use crate::store::company::Identity;
use crate::store::location::{Charge, MembershipPay};
use crate::store::memberships::{self, Paid, Visit};
use crate::{clock, http};

#[derive(Deserialize)]
struct CheckRequest {
    number: String,
    phone: String,
    /// With services (and optionally the visit's date), also whether it pays for them.
    #[serde(default)]
    service_ids: Vec<String>,
    #[serde(default)]
    date: Option<String>,
}

/// `POST …/memberships/check` with `{"number", "phone"[, "service_ids", "date"]}`: the membership
/// if it is this phone's (else `membership_not_found`, the same for a wrong number and a wrong
/// phone), and with services, the reason it could not pay for them if it could not.
pub async fn check(mut req: Request, env: &Env, company: &Company) -> AppResult<Response> {
    let request: CheckRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let phone = validation::phone(&request.phone).map_err(|e| ApiError { field: Some("phone".into()), ..e })?;
    let membership = memberships::holder(env, &company.id, &request.number, &phone).await?;
    if !request.service_ids.is_empty() {
        let date = match &request.date {
            Some(text) => CivilDate::parse(text)
                .ok_or_else(|| ApiError::field(ErrorCode::ValidationFailed, "date", "date must be YYYY-MM-DD."))?,
            None => today(company.locations.first())?,
        };
        let services = request
            .service_ids
            .iter()
            .map(|id| {
                company
                    .service(id)
                    .ok_or_else(|| ApiError::field(ErrorCode::ServiceUnavailable, "service_ids", "No such service."))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let uses: Vec<Use> =
            services.iter().map(|service| Use { service, date, price_minor: service.price_minor }).collect();
        membership.pays_for(&uses)?;
    }
    Ok(http::json(&view(company, &membership), 200)?)
}

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

/// One visit to pay for: the service, its start at `location`, and its charges with each
/// specialist who could take it (a money balance is debited the highest, and the difference given
/// back once the object has chosen).
pub struct Part<'a> {
    pub service: &'a Service,
    pub start: Instant,
    pub charges: &'a [Charge],
}

/// A membership debited for a booking, until the booking is settled.
pub struct Paying {
    pub number: String,
    pub pay: MembershipPay,
    pub paid: Paid,
    /// The debit's idempotency key, if the confirmation had one.
    key: Option<String>,
}

/// The visits `parts` are at `location`, as the company object checks them.
fn visits(location: &Location, parts: &[Part<'_>]) -> Result<Vec<Visit>, ApiError> {
    let zone = zone(&location.time_zone, "time_zone")?;
    parts
        .iter()
        .map(|part| {
            let date = CivilDate::parse(&local_date(&zone, part.start).to_string())
                .ok_or_else(|| ApiError::new(ErrorCode::Internal, "A visit's date could not be read."))?;
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
/// first one's (the keyed debit knows).
pub async fn precheck(
    env: &Env,
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

/// The membership a booking names (with the client's phone), debited for `parts` at `location`
/// (see [`pay`]); `None` when it names none. A refused debit gives back the client's first-booking
/// claim, as a failed booking does.
pub async fn pay_named(
    env: &Env,
    company: &Company,
    location: &Location,
    identity: &Identity,
    named: Option<(&MembershipRef, &str)>,
    parts: &[Part<'_>],
    key: Option<&str>,
) -> AppResult<Option<Paying>> {
    let Some((reference, phone)) = named else { return Ok(None) };
    let paying = pay(env, company, location, reference, phone, parts, key);
    pricing::giving_back_claim(env, company, identity, paying).await.map(Some)
}

/// Runs a booking for `identity`, paid by `paying` if a membership pays: if it fails, the debit
/// and the first-booking claim are given back; if it succeeds, the debit is settled to what the
/// booking took. Answers the booking and the membership after it.
pub async fn book<T>(
    env: &Env,
    company: &Company,
    identity: &Identity,
    paying: Option<&Paying>,
    booking: impl std::future::Future<Output = AppResult<T>>,
    used: impl Fn(&T) -> Option<Debit>,
) -> AppResult<(T, Option<MembershipView>)> {
    pricing::giving_back_claim(env, company, identity, booking_paid(env, company, paying, booking, used)).await
}

/// Debits membership `reference` of `phone` for `parts` at `location`, all together (once per
/// idempotency `key`: a retried confirmation does not pay twice).
async fn pay(
    env: &Env,
    company: &Company,
    location: &Location,
    reference: &MembershipRef,
    phone: &str,
    parts: &[Part<'_>],
    key: Option<&str>,
) -> AppResult<Paying> {
    let visits = visits(location, parts)?;
    let key = key.map(|key| format!("{}/{key}", location.id));
    let paid = memberships::debit(env, &company.id, &reference.number, phone, &visits, key.clone()).await?;
    let pay = MembershipPay {
        number: paid.membership.number.clone(),
        visits: paid.membership.visits_left.is_some(),
        money: paid.membership.balance_minor.is_some(),
    };
    Ok(Paying { number: paid.membership.number.clone(), pay, paid, key })
}

/// Settles a debit once the booking is done: all of it back if the booking failed (`used` is
/// `None`), else what was debited beyond what the booking took. The membership as it now is.
pub async fn settle(env: &Env, company: &Company, paying: &Paying, used: Option<Debit>) -> AppResult<Membership> {
    let debited = paying.paid.debit;
    let (back, key) = match used {
        None => (debited, paying.key.clone()),
        Some(used) => {
            let back = Debit {
                visits: debited.visits.saturating_sub(used.visits),
                minor: (debited.minor - used.minor).max(0),
            };
            (back, None)
        }
    };
    if back == Debit::default() && key.is_none() {
        return Ok(paying.paid.membership.clone());
    }
    let after = memberships::credit(env, &company.id, &paying.number, back, key).await?;
    Ok(after.unwrap_or_else(|| paying.paid.membership.clone()))
}

/// Runs a booking paid by `paying` (if any): settles the debit whether it succeeds or fails, and
/// answers the booking with the membership after it.
async fn booking_paid<T>(
    env: &Env,
    company: &Company,
    paying: Option<&Paying>,
    booking: impl std::future::Future<Output = AppResult<T>>,
    used: impl Fn(&T) -> Option<Debit>,
) -> AppResult<(T, Option<MembershipView>)> {
    let outcome = booking.await;
    let Some(paying) = paying else { return outcome.map(|booked| (booked, None)) };
    match outcome {
        Ok(booked) => {
            let after = settle(env, company, paying, used(&booked)).await?;
            Ok((booked, Some(view(company, &after))))
        }
        Err(error) => {
            // Best effort: the booking's own error is what the client needs to see.
            let _ = settle(env, company, paying, None).await;
            Err(error)
        }
    }
}

/// Gives a cancelled booking's debit back to its membership.
pub async fn refund(env: &Env, company: &Company, refund: Option<&(String, Debit)>) -> AppResult<()> {
    if let Some((number, debit)) = refund {
        memberships::credit(env, &company.id, number, *debit, None).await?;
    }
    Ok(())
}

/// What the holder sees of a membership.
pub fn view(company: &Company, membership: &Membership) -> MembershipView {
    MembershipView {
        number: membership.number.clone(),
        name: membership.name.clone(),
        status: match membership.status {
            MembershipStatus::Active => "active",
            MembershipStatus::Issued => "issued",
            MembershipStatus::Frozen => "frozen",
            MembershipStatus::Expired => "expired",
            MembershipStatus::Cancelled => "cancelled",
        }
        .into(),
        visits_left: membership.visits_left,
        balance: membership
            .balance_minor
            .map(|amount_minor| Money { amount_minor, currency: company.currency.clone() }),
        valid_until: membership.valid_until.map(|d| d.to_string()),
    }
}

fn today(location: Option<&Location>) -> Result<CivilDate, ApiError> {
    let zone = zone(location.map_or("UTC", |l| l.time_zone.as_str()), "time_zone")?;
    CivilDate::parse(&local_date(&zone, clock::now()).to_string())
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "Today's date could not be read."))
}
