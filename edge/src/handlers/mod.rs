//! One module per resource. Each handler parses and validates its input, calls the core and the
//! store, and shapes the answer; none holds business rules of its own.

pub mod admin;
pub mod admin_catalog;
pub mod admin_memberships;
pub mod audit;
pub mod bookings;
pub mod calendar;
pub mod catalog;
pub mod classes;
pub mod clients;
pub mod dates;
pub mod desk;
pub mod feeds;
pub mod google_feeds;
pub mod holds;
pub mod hosted;
pub mod links;
pub mod mail;
pub mod manage;
pub mod memberships;
pub mod reports;
pub mod reserve;
pub mod slots;
pub mod soonest;
pub mod strings;
pub mod theme;
pub mod visits;
pub mod webhooks;

use crate::checkout::pricing;
use crate::store::location::Charge;
use homeslot_core::availability::{format_instant, local_date, local_time, zone, Instant, ServiceSchedule};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::BookingConfirmation;

/// The query parameters of a request.
pub struct Query(worker::Url);

impl Query {
    pub fn of(req: &worker::Request) -> worker::Result<Self> {
        Ok(Query(req.url()?))
    }

    /// The parameter's value, if present.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
    }

    /// A whole-number parameter within `allowed`, or `default` when absent.
    pub fn number(&self, key: &str, allowed: std::ops::RangeInclusive<u32>, default: u32) -> Result<u32, ApiError> {
        let Some(text) = self.get(key) else { return Ok(default) };
        text.parse::<u32>().ok().filter(|n| allowed.contains(n)).ok_or_else(|| {
            ApiError::field(
                ErrorCode::ValidationFailed,
                key,
                format!("{key} must be a whole number from {} to {}.", allowed.start(), allowed.end()),
            )
        })
    }

    /// A yes/no parameter: `true` or `false`, and no when absent.
    pub fn flag(&self, key: &str) -> Result<bool, ApiError> {
        match self.get(key).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(_) => Err(ApiError::field(ErrorCode::ValidationFailed, key, format!("{key} must be true or false."))),
        }
    }

    /// The parameter's value, or `validation_failed` naming it.
    pub fn required(&self, key: &str) -> Result<String, ApiError> {
        self.get(key).ok_or_else(|| {
            ApiError::field(ErrorCode::ValidationFailed, key, format!("The {key} query parameter is required."))
        })
    }
}

/// The location with this id, or `not_found`.
pub fn location<'a>(company: &'a Company, id: &str) -> Result<&'a Location, ApiError> {
    company
        .location(id)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("No location {id:?} in this company.")))
}

/// The one-to-one service with this id if `location` offers it (someone there performs it and the
/// location has the resources it needs), or `service_unavailable`. Classes are booked by session.
pub fn bookable_service<'a>(
    company: &'a Company,
    location: &Location,
    id: &str,
    field: &str,
) -> Result<&'a Service, ApiError> {
    let service = company.service(id).filter(|service| company.offers(service, location));
    match service {
        Some(service) if service.class.is_some() => Err(ApiError::field(
            ErrorCode::ServiceUnavailable,
            field,
            "This is a class: book a seat in one of its sessions (…/classes, …/class-bookings).",
        )),
        Some(service) => Ok(service),
        None => Err(ApiError::field(
            ErrorCode::ServiceUnavailable,
            field,
            "This service cannot be booked at this location.",
        )),
    }
}

/// What the client sees of one booked visit: the service, the specialist, the price confirmed
/// with it (see [`pricing::shown`]) and the times, local ones included.
#[allow(clippy::too_many_arguments)]
pub fn confirmation(
    company: &Company,
    location: &Location,
    service: &Service,
    booking_id: String,
    specialist_id: String,
    start: Instant,
    end: Instant,
    charge: Option<&Charge>,
) -> Result<BookingConfirmation, ApiError> {
    let zone = zone(&location.time_zone, "time_zone")?;
    let (price, original_price, discount) = pricing::shown(company, service, &specialist_id, charge);
    Ok(BookingConfirmation {
        booking_id,
        location_id: location.id.clone(),
        service_id: service.id.clone(),
        service_name: service.name.clone(),
        specialist_name: company.specialist(&specialist_id).map(|s| s.name.clone()).unwrap_or_default(),
        price,
        original_price,
        discount,
        membership: None,
        specialist_id,
        start: format_instant(start),
        end: format_instant(end),
        local_date: local_date(&zone, start).to_string(),
        local_time: local_time(&zone, start),
        time_zone: location.time_zone.clone(),
        manage_token: None,
    })
}

/// The confirmation of a booking the checkout placed: what the client sees of it, its manage link
/// and the paying membership as it is afterwards.
pub fn booked(
    company: &Company,
    location: &Location,
    service: &Service,
    receipt: crate::checkout::Receipt,
) -> crate::error::AppResult<BookingConfirmation> {
    let crate::store::location::Placed::Booking(booked) = receipt.placed else {
        return Err(crate::checkout::unexpected());
    };
    let token = manage::token(&company.id, &location.id, &booked.booking_id, &booked.manage_secret);
    let mut answer = confirmation(
        company,
        location,
        service,
        booked.booking_id,
        booked.specialist_id,
        booked.start,
        booked.end,
        booked.charge.as_ref(),
    )?;
    answer.manage_token = Some(token);
    answer.membership = receipt.membership;
    Ok(answer)
}

/// The request's `Idempotency-Key` header, if sent: 1–255 visible ASCII characters (a UUID is
/// the usual choice).
pub fn idempotency_key(req: &worker::Request) -> Result<Option<String>, ApiError> {
    let Ok(Some(key)) = req.headers().get("Idempotency-Key") else { return Ok(None) };
    if (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(Some(key))
    } else {
        Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "Idempotency-Key",
            "The Idempotency-Key header must be 1–255 visible ASCII characters, such as a UUID.",
        ))
    }
}

/// The one-to-one service's schedule at `location`, refusing a specialist who does not perform it.
pub fn schedule_for(
    company: &Company,
    location: &Location,
    service: &Service,
    specialist_id: Option<&str>,
) -> Result<ServiceSchedule, ApiError> {
    let schedule = ServiceSchedule::new(company, location, service);
    if let Some(wanted) = specialist_id {
        if !schedule.specialists.iter().any(|s| s.id == wanted) {
            return Err(ApiError::field(
                ErrorCode::SpecialistUnavailable,
                "specialist_id",
                "This specialist does not perform this service at this location.",
            ));
        }
    }
    Ok(schedule)
}
