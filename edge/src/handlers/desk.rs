//! The front desk, under `/v1/admin/companies/{company}/locations/{location}`: book for a client
//! on the phone or at the desk — one service (`POST …/bookings`), a visit of several
//! (`POST …/visits`) or a class seat (`POST …/class-bookings`), through the one checkout on the
//! `front_desk` channel — open a booking (`GET …/bookings/{booking}`), and change it: `…/move`,
//! `…/cancel` with a reason, `…/attendance` — or cancel a whole class session
//! (`POST …/class-sessions/cancel`). Each change is recorded in the booking's history with who
//! made it; sent with an `Idempotency-Key`, it is made once.
//!
//! Owners, managers and front desks act on every booking of their locations; a specialist only on
//! their own (another's is `404`, as if it did not exist).

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::agenda::{
    BookingDetail, CancelBooking, CancelSession as CancelSessionRequest, Change, DeskBooking, DeskSeat, DeskVisit,
    MarkAttendance, MoveBooking, SessionCancelled, MAX_REASON_CHARS,
};
use homeslot_core::audit::AuditAction;
use homeslot_core::availability::{format_instant, local_date, local_time, parse_instant, sessions_between, zone};
use homeslot_core::catalog::{Company, Location};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::Money;

use crate::checkout::{self, Item, Order};
use crate::console::session::Caller;
use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::calendar::{entry, Day};
use crate::handlers::{bookable_service, booked, classes, idempotency_key, location, schedule_for, visits};
use crate::store::audit::{self, Record};
use crate::store::location::{CancelSession, StaffAnswer, StaffChange};
use crate::{http, store};

/// `POST …/locations/{location}/bookings`: a booking for a client, made by the caller.
pub async fn book(mut req: Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: DeskBooking = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let service = bookable_service(&company, location, &request.service_id, "service_id")?;
    // A specialist books into their own day only.
    let specialist_id = match (caller.own_specialist(), request.specialist_id) {
        (Some(own), Some(asked)) if own != asked => return Err(own_only().into()),
        (Some(own), _) => Some(own.to_string()),
        (None, asked) => asked,
    };
    if request.r#override {
        may_override(&caller, location_id)?;
        if specialist_id.is_none() {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "specialist_id",
                "Name the specialist: a booking outside the rules is for one specialist.",
            )
            .into());
        }
    }
    let schedule = schedule_for(&company, location, service, specialist_id.as_deref())?;
    let start = parse_instant(&request.start, "start")?;
    let item = Item::Booking { service, schedule, specialist_id, hold_id: None };
    let client = (&request.client, request.membership);
    let mut order = Order::at_desk(&req, (&company, location), item, start, client, caller.actor())?;
    order.r#override = request.r#override;
    let receipt = checkout::place(env, order).await?;
    let answer = booked(&company, location, service, receipt)?;
    // The booking's id, service and time: never the client's details (the trail is not a
    // client list).
    let record =
        Record::new(&caller, AuditAction::BookingMade, format!("booking {} at {}", answer.booking_id, location.id))
            .detail(format!(
                "{} with {}, {} {}{}",
                answer.service_name,
                answer.specialist_name,
                answer.local_date,
                answer.local_time,
                if request.r#override { ", outside the rules" } else { "" }
            ))
            .keyed(idempotency_key(&req)?.as_deref());
    audit::record(env, company_id, record).await;
    Ok(http::json(&answer, 201)?)
}

/// `POST …/locations/{location}/visits`: a visit of several services for a client, made by the
/// caller (a specialist: with themselves for every part).
pub async fn book_visit(mut req: Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: DeskVisit = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let service_ids: Vec<String> = request.parts.iter().map(|p| p.service_id.clone()).collect();
    let wanted = request
        .parts
        .iter()
        .map(|part| match (caller.own_specialist(), &part.specialist_id) {
            (Some(own), Some(asked)) if own != asked => Err(own_only()),
            (Some(own), _) => Ok(Some(own.to_string())),
            (None, asked) => Ok(asked.clone()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let field = |k| format!("parts[{k}].service_id");
    let (services, parts) = visits::parts(&company, location, &service_ids, &wanted, field)?;
    let start = parse_instant(&request.start, "start")?;
    let item = Item::Visit { services: services.clone(), parts, wanted };
    let client = (&request.client, request.membership);
    let order = Order::at_desk(&req, (&company, location), item, start, client, caller.actor())?;
    let receipt = checkout::place(env, order).await?;
    let answer = visits::answer(&company, location, &services, start, receipt)?;
    let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
    let record =
        Record::new(&caller, AuditAction::BookingMade, format!("visit {} at {}", answer.visit_id, location.id))
            .detail(format!("{}, {} {}", names.join(" + "), answer.local_date, answer.local_time))
            .keyed(idempotency_key(&req)?.as_deref());
    audit::record(env, company_id, record).await;
    Ok(http::json(&answer, 201)?)
}

/// `POST …/locations/{location}/class-bookings`: a seat in a class session (or a waitlist place)
/// for a client, made by the caller (a specialist: in a session they lead).
pub async fn book_seat(mut req: Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: DeskSeat = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let (service, class) = classes::bookable_class(&company, location, &request.service_id, "service_id")?;
    let start = parse_instant(&request.start, "start")?;
    if let Some(own) = caller.own_specialist() {
        // Whose session it is; a start that is no session is refused by the checkout.
        let zone = zone(&location.time_zone, "time_zone")?;
        let session =
            sessions_between(&class, &zone, local_date(&zone, start), 1).into_iter().find(|s| s.start == start);
        if session.is_some_and(|session| session.specialist_id != own) {
            return Err(own_only().into());
        }
    }
    let item = Item::Seat { service, class, join_waitlist: request.join_waitlist };
    let client = (&request.client, request.membership);
    let order = Order::at_desk(&req, (&company, location), item, start, client, caller.actor())?;
    let receipt = checkout::place(env, order).await?;
    let answer = classes::answer(&company, location, service, receipt)?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let waiting = if answer.status == "waitlisted" { ", on the waitlist" } else { "" };
    let record = Record::new(
        &caller,
        AuditAction::BookingMade,
        format!("seat {} at {}", answer.booking.booking_id, location.id),
    )
    .detail(format!("{}, {} {}{waiting}", service.name, local_date(&zone, start), local_time(&zone, start)))
    .keyed(idempotency_key(&req)?.as_deref());
    audit::record(env, company_id, record).await;
    Ok(http::json(&answer, 201)?)
}

/// `GET …/bookings/{booking}`: the booking with everything the business may see, and its history.
pub async fn open(req: &Request, env: &Env, company_id: &str, location_id: &str, id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::SeeCalendar, Some(location_id)).await?;
    let company = store::company::load(env, company_id).await?;
    change(req, env, &caller, (&company, location(&company, location_id)?), id, StaffChange::View).await
}

/// `POST …/bookings/{booking}/move` with `{"start", "specialist_id"?}`: to a free start, checked
/// as a new booking is, with the same specialist unless another is named.
pub async fn move_to(
    mut req: Request,
    env: &Env,
    company_id: &str,
    location_id: &str,
    id: &str,
) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: MoveBooking = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    if request.r#override {
        may_override(&caller, location_id)?;
    }
    let start = parse_instant(&request.start, "start")?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    // The booking's service decides the new time's schedule: read it first (narrowed to the
    // caller's own bookings for a specialist); the object re-checks everything at the move.
    let current = staff_change(env, &caller, (&company, location), id, StaffChange::View, None).await?.booking;
    let specialist_id = request.specialist_id.unwrap_or(current.specialist_id);
    if caller.own_specialist().is_some_and(|own| own != specialist_id) {
        return Err(own_only().into());
    }
    let service = company.service(&current.service_id).filter(|s| company.offers(s, location)).ok_or_else(|| {
        ApiError::new(
            ErrorCode::ServiceUnavailable,
            "This booking's service is no longer offered here: cancel it and book again.",
        )
    })?;
    let schedule = schedule_for(&company, location, service, Some(&specialist_id))?;
    let change_to = StaffChange::Move { schedule, start, specialist_id, r#override: request.r#override };
    change(&req, env, &caller, (&company, location), id, change_to).await
}

/// `POST …/bookings/{booking}/cancel` with `{"reason"}`: the whole visit, if it is one; what a
/// membership paid goes back to it.
pub async fn cancel(mut req: Request, env: &Env, company_id: &str, location_id: &str, id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: CancelBooking = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let reason = checked_reason(&request.reason)?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    change(&req, env, &caller, (&company, location), id, StaffChange::Cancel { reason }).await
}

/// A cancellation's reason, trimmed; checked raw, as the OpenAPI document reads it (a trailing
/// vertical tab is a control character, not just space to trim).
fn checked_reason(raw: &str) -> Result<String, ApiError> {
    let reason = raw.trim().to_string();
    if reason.is_empty() || raw.chars().count() > MAX_REASON_CHARS || raw.chars().any(char::is_control) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "reason",
            "reason must be 1–200 characters, without control characters: the history keeps it",
        ));
    }
    Ok(reason)
}

/// `POST …/locations/{location}/class-sessions/cancel` with `{"service_id", "start", "reason"}`:
/// the business cancels one session of a class, until it begins. Every seat and waitlist place in
/// it is cancelled with the reason in its history, each client is told by e-mail, the business's
/// systems by webhook, and what memberships paid goes back. The session leaves the public list
/// and takes no more seats. A specialist cancels only sessions they lead. Cancelling it again
/// cancels nothing more.
pub async fn cancel_session(mut req: Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: CancelSessionRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let reason = checked_reason(&request.reason)?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let (service, class) = classes::bookable_class(&company, location, &request.service_id, "service_id")?;
    let start = parse_instant(&request.start, "start")?;
    let zone = zone(&location.time_zone, "time_zone")?;
    if let Some(own) = caller.own_specialist() {
        let session =
            sessions_between(&class, &zone, local_date(&zone, start), 1).into_iter().find(|s| s.start == start);
        if session.is_some_and(|session| session.specialist_id != own) {
            return Err(own_only().into());
        }
    }
    let command = CancelSession {
        company_id: company.id.clone(),
        class,
        start,
        reason: reason.clone(),
        actor: caller.actor().to_string(),
    };
    let cancelled = store::location::cancel_session(env, company_id, location_id, &command).await?;
    if let Err(error) = store::location::deliver_outbox(env, &location.id, &cancelled.refunds).await {
        // The cancellation stands; the location's alarm gives the refunds back shortly.
        worker::console_error!("refund left to the outbox: {error:?}");
    }
    let at = format!("{} {}", local_date(&zone, start), local_time(&zone, start));
    let record = Record::new(&caller, AuditAction::BookingCancelled, format!("class session {at} at {}", location.id))
        .detail(format!("{}: {reason} ({} seats, {} waiting)", service.name, cancelled.seats, cancelled.waitlisted));
    audit::record(env, company_id, record).await;
    let answer = SessionCancelled {
        service_id: service.id.clone(),
        start: format_instant(cancelled.start),
        seats_cancelled: cancelled.seats,
        waitlist_cancelled: cancelled.waitlisted,
    };
    Ok(http::json(&answer, 200)?)
}

/// `POST …/bookings/{booking}/attendance` with `{"attendance": "arrived" | "no_show" | null}`.
pub async fn attendance(
    mut req: Request,
    env: &Env,
    company_id: &str,
    location_id: &str,
    id: &str,
) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageBookings, Some(location_id)).await?;
    let request: MarkAttendance = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let mark = request.attendance.map(|a| a.as_str().to_string());
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    change(&req, env, &caller, (&company, location), id, StaffChange::Attendance { mark }).await
}

/// Makes `change` (once per the request's `Idempotency-Key`), gives back what a cancellation owes
/// a membership, and answers the booking as it is now.
async fn change(
    req: &Request,
    env: &Env,
    caller: &Caller,
    (company, location): (&Company, &Location),
    id: &str,
    change: StaffChange,
) -> AppResult<Response> {
    let key = idempotency_key(req)?;
    let record = recorded(caller, company, location, id, &change).map(|r| r.keyed(key.as_deref()));
    let answer = staff_change(env, caller, (company, location), id, change, key).await?;
    if let Some(record) = record {
        audit::record(env, &company.id, record).await;
    }
    if let Err(error) = store::location::deliver_outbox(env, &location.id, &answer.refunds).await {
        // The change stands; the location's alarm gives the refund back shortly.
        worker::console_error!("refund left to the outbox: {error:?}");
    }
    Ok(http::json(&detail(env, company, location, answer).await?, 200)?)
}

/// The audit trail's entry for a change (none for only reading the booking).
fn recorded(caller: &Caller, company: &Company, location: &Location, id: &str, change: &StaffChange) -> Option<Record> {
    let subject = format!("booking {id} at {}", location.id);
    let (action, detail) = match change {
        StaffChange::View => return None,
        StaffChange::Move { start, specialist_id, r#override, .. } => {
            let zone = zone(&location.time_zone, "time_zone").ok()?;
            let who = company.specialist(specialist_id).map_or(specialist_id.as_str(), |s| s.name.as_str());
            let at = format!("{} {}", local_date(&zone, *start), local_time(&zone, *start));
            let outside = if *r#override { ", outside the rules" } else { "" };
            (AuditAction::BookingMoved, format!("to {at} with {who}{outside}"))
        }
        StaffChange::Cancel { reason } => (AuditAction::BookingCancelled, reason.clone()),
        StaffChange::Attendance { mark } => {
            (AuditAction::AttendanceMarked, mark.clone().unwrap_or_else(|| "expected".into()).replace('_', "-"))
        }
    };
    Some(Record::new(caller, action, subject).detail(detail))
}

async fn staff_change(
    env: &Env,
    caller: &Caller,
    (company, location): (&Company, &Location),
    id: &str,
    change: StaffChange,
    key: Option<String>,
) -> AppResult<StaffAnswer> {
    // Booking ids are `bk_` and 32 hex digits; anything else names no booking.
    let well_formed =
        id.strip_prefix("bk_").is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Err(ApiError::new(ErrorCode::NotFound, "No booking with this id at this location.").into());
    }
    let (actor, own) = (caller.actor(), caller.own_specialist());
    store::location::staff_change(env, &company.id, &location.id, id, actor, own, change, key).await
}

/// The booking as the business sees it, with names for the people in its history.
async fn detail(env: &Env, company: &Company, location: &Location, answer: StaffAnswer) -> AppResult<BookingDetail> {
    let zone = zone(&location.time_zone, "time_zone")?;
    let b = answer.booking;
    // The staff list is read only when a person (not the client or an integration) is named.
    let is_person = |actor: &str| !matches!(actor, "client" | "token" | "platform" | "google");
    let named = b.made_by.as_deref().is_some_and(is_person) || answer.history.iter().any(|h| is_person(&h.actor));
    let people = if named { store::staff::list(env, &company.id).await?.people } else { Vec::new() };
    let name_of = |actor: &str| match actor {
        "client" => "the client".to_string(),
        "google" => "the client, on Google".to_string(),
        "token" | "platform" => "an integration".to_string(),
        person => people
            .iter()
            .find(|p| p.person_id == person)
            .map_or_else(|| "a former member of staff".into(), |p| p.name.clone()),
    };
    let money = |minor: Option<i64>| minor.map(|m| Money::of(m, &company.currency));
    let discount = b
        .discount_id
        .as_ref()
        .map(|id| company.discounts.iter().find(|d| d.id == *id).map_or_else(|| id.clone(), |d| d.name.clone()));
    Ok(BookingDetail {
        location_id: location.id.clone(),
        date: local_date(&zone, b.start).to_string(),
        specialist_name: company
            .specialist(&b.specialist_id)
            .map_or_else(|| b.specialist_id.clone(), |s| s.name.clone()),
        created_at: format_instant(b.created_at_ms / 1000),
        made_by: b.made_by.as_deref().map(name_of),
        privacy_accepted: b.privacy_accepted,
        marketing_consent: b.marketing_consent,
        original_price: money(b.original_price_minor).filter(|_| b.discount_id.is_some()),
        discount,
        attribution: b.attribution.clone().and_then(strings),
        cancel_reason: b.cancel_reason.clone(),
        history: answer
            .history
            .into_iter()
            .map(|h| Change {
                at: format_instant(h.at_ms / 1000),
                by: name_of(&h.actor),
                change: h.change,
                detail: h.detail.and_then(strings),
            })
            .collect(),
        booking: entry(company, &Day::of(&zone, b.start), b),
        messages: answer.messages,
    })
}

/// A stored JSON object of strings (an attribution, a change's detail) as the wire's map.
fn strings(value: serde_json::Value) -> Option<std::collections::BTreeMap<String, String>> {
    serde_json::from_value(value).ok()
}

/// `forbidden` unless the caller may book outside the rules at the location (owners, managers and
/// the admin API's tokens).
fn may_override(caller: &Caller, location_id: &str) -> Result<(), ApiError> {
    caller.require(Action::BookOutsideRules, Some(location_id)).map_err(|_| {
        ApiError::field(
            ErrorCode::Forbidden,
            "override",
            "Only an owner or a manager books outside the rules: pick a free time, or ask one of them.",
        )
    })
}

fn own_only() -> ApiError {
    ApiError::field(ErrorCode::Forbidden, "specialist_id", "A specialist books and moves only in their own day.")
}
