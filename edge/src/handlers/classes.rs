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

use crate::error::AppResult;
use crate::handlers::{client_input, confirmation, identify, location, manage, memberships, pricing, Query};
use crate::store::location::{NewClassBooking, MAX_CALENDAR_DAYS};
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
    let client = client_input(&request.client, request.attribution.as_ref(), company)?;
    memberships::required(&[service], request.membership.as_ref())?;
    if let Some(reference) = &request.membership {
        let part = memberships::Part { service, start, charges: &[] };
        memberships::precheck(env, company, location, reference, &client.phone, &[part], false).await?;
    }
    let channel = pricing::channel(&req, env, company).await?;
    let identity = identify(env, company, &client).await?;
    let occasion = pricing::occasion(location, channel, identity.first_booking.is_some())?;
    let mut booking = NewClassBooking {
        start,
        join_waitlist: request.join_waitlist,
        client_id: identity.client_id.clone(),
        client_name: client.name,
        client_phone: client.phone,
        note: client.note,
        // Priced with each instructor of the class here (the session decides which).
        charges: pricing::charges(company, service, class.sessions.iter().map(|s| s.specialist_id.as_str()), &occasion),
        membership: None,
    };
    // A seat, or a place on the waiting list, is paid when taken and given back when left.
    let part = memberships::Part { service, start, charges: &booking.charges };
    let paying = memberships::pay_named(
        env,
        company,
        location,
        &identity,
        request.membership.as_ref().map(|reference| (reference, booking.client_phone.as_str())),
        &[part],
        None,
    )
    .await?;
    booking.membership = paying.as_ref().map(|paying| paying.pay.clone());

    let (taken, membership) = memberships::book(
        env,
        company,
        &identity,
        paying.as_ref(),
        store::location::join_class(env, &company.id, &location.id, &class, &booking),
        |taken| taken.paid,
    )
    .await?;

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
    let confirmation = ClassBookingConfirmation { status: status.into(), waitlist_position, booking };
    Ok(http::json(&confirmation, 201)?)
}

/// The class with this id and its schedule at `location`, or `service_unavailable`.
fn bookable_class<'a>(
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
