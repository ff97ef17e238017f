//! Group classes: `GET …/locations/{location}/classes?service=…&from=YYYY-MM-DD&days=N` lists the
//! bookable sessions with the seats left; `POST …/locations/{location}/class-bookings` takes a seat,
//! or a waitlist place when the session is full and the client asked for one.

use worker::{Env, Request, Response};

use homeslot_core::availability::{
    format_instant, local_date, local_time, parse_date, parse_instant, zone, ClassSchedule, Seat,
};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::{ClassBookingConfirmation, ClassBookingRequest, ClassSessionView, ClassSessionsResponse};

use crate::checkout::{self, Asked, Item, Order};
use crate::error::AppResult;
use crate::handlers::{confirmation, location, manage, Query};
use crate::store::location::{Placed, MAX_CALENDAR_DAYS};
use crate::{clock, http, store};

pub async fn sessions(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let query = Query::of(req)?;
    let service_id = query.required("service")?;
    let location = location(company, location_id)?;
    let (service, class) = bookable_class(company, location, &service_id, "service")?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let from = match query.get("from") {
        Some(text) => parse_date(&text, "from")?,
        None => local_date(&zone, clock::now()),
    };
    let days = query.number("days", 1..=MAX_CALENDAR_DAYS, 14)?;
    let counted = store::location::class_sessions(env, &company.id, &location.id, &class, from, days).await?;
    let sessions = counted
        .into_iter()
        .map(|session| ClassSessionView {
            start: format_instant(session.start),
            end: format_instant(session.end),
            local_date: local_date(&zone, session.start).to_string(),
            local_time: local_time(&zone, session.start),
            specialist_id: session.specialist_id,
            seats_left: class.capacity.saturating_sub(session.booked),
            waitlist_open: session.booked >= class.capacity && session.waiting < class.waitlist_capacity,
        })
        .collect();
    Ok(http::json(
        &ClassSessionsResponse {
            location_id: location.id.clone(),
            service_id: service.id.clone(),
            time_zone: location.time_zone.clone(),
            capacity: class.capacity,
            sessions,
        },
        200,
    )?)
}

pub async fn book(mut req: Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let request: ClassBookingRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let location = location(company, location_id)?;
    let (service, class) = bookable_class(company, location, &request.service_id, "service_id")?;
    let start = parse_instant(&request.start, "start")?;
    let asked =
        Asked { client: &request.client, attribution: request.attribution.as_ref(), membership: request.membership };
    let item = Item::Seat { service, class, join_waitlist: request.join_waitlist };
    let order = Order::read(&req, env, (company, location), item, start, asked).await?;
    let receipt = checkout::place(env, order).await?;
    Ok(http::json(&answer(company, location, service, receipt)?, 201)?)
}

/// The confirmation of a seat or a waitlist place, with its manage token.
pub(crate) fn answer(
    company: &Company,
    location: &Location,
    service: &Service,
    receipt: checkout::Receipt,
) -> AppResult<ClassBookingConfirmation> {
    let Placed::Seat(taken) = receipt.placed else { return Err(checkout::unexpected()) };
    let membership = receipt.membership;

    let (status, waitlist_position) = match taken.seat {
        Seat::Booked => ("booked", None),
        Seat::Waitlisted { position } => ("waitlisted", Some(position)),
    };
    let token = manage::token(&company.id, &location.id, &taken.booking_id, &taken.manage_secret);
    let charge = taken.charge.as_ref();
    let mut booking = confirmation(
        company,
        location,
        service,
        taken.booking_id,
        taken.specialist_id,
        taken.start,
        taken.end,
        charge,
    )?;
    booking.manage_token = Some(token);
    booking.membership = membership;
    Ok(ClassBookingConfirmation { status: status.into(), waitlist_position, booking })
}

/// The class with this id and its schedule at `location`, or `service_unavailable`.
pub(crate) fn bookable_class<'a>(
    company: &'a Company,
    location: &Location,
    id: &str,
    field: &str,
) -> Result<(&'a Service, ClassSchedule), ApiError> {
    company
        .service(id)
        .and_then(|service| Some((service, ClassSchedule::new(location, service)?)))
        .ok_or_else(|| ApiError::field(ErrorCode::ServiceUnavailable, field, "This location holds no such class."))
}
