//! Several services in one visit, booked back to back and all or nothing:
//! `GET …/locations/{location}/visit-slots?services=a,b&date=YYYY-MM-DD[&specialists=anna,]` lists
//! the starts, `POST …/locations/{location}/visits` books one.

use worker::{Env, Request, Response};

use homeslot_core::availability::{
    format_instant, local_date, local_time, parse_date, parse_instant, zone, Instant, ServiceSchedule,
};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::{
    BookingConfirmation, Money, VisitConfirmation, VisitPartView, VisitRequest, VisitSlotView, VisitSlotsResponse,
};

use crate::checkout::{self, Asked, Item, Order};
use crate::error::AppResult;
use crate::handlers::{bookable_service, confirmation, location, manage, Query};
use crate::store::location::Placed;
use crate::{http, store};

/// How many services one visit may hold.
const MAX_PARTS: usize = 5;

pub async fn slots(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let query = Query::of(req)?;
    let service_ids: Vec<String> = query.required("services")?.split(',').map(str::to_owned).collect();
    let wanted: Vec<Option<String>> = match query.get("specialists") {
        Some(list) => list.split(',').map(|id| (!id.is_empty()).then(|| id.to_owned())).collect(),
        None => vec![None; service_ids.len()],
    };
    if wanted.len() != service_ids.len() {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "specialists",
            "specialists must list one specialist id (or nothing, for any) per service.",
        )
        .into());
    }
    let date = parse_date(&query.required("date")?, "date")?;
    let location = location(company, location_id)?;
    let (services, parts) = parts(company, location, &service_ids, &wanted, |k| format!("services[{k}]"))?;
    let found = store::location::visit_starts(env, &company.id, &location.id, &parts, &wanted, date).await?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let slots = found
        .into_iter()
        .map(|visit| VisitSlotView {
            start: format_instant(visit.start),
            local_time: local_time(&zone, visit.start),
            end: format_instant(visit.legs.last().map_or(visit.start, |leg| leg.end)),
            parts: visit
                .legs
                .iter()
                .map(|leg| VisitPartView {
                    service_id: services[leg.part].id.clone(),
                    specialist_id: leg.specialist_id.clone(),
                    start: format_instant(leg.start),
                    end: format_instant(leg.end),
                    local_time: local_time(&zone, leg.start),
                })
                .collect(),
        })
        .collect();
    Ok(http::json(
        &VisitSlotsResponse {
            location_id: location.id.clone(),
            service_ids: services.iter().map(|s| s.id.clone()).collect(),
            date: date.to_string(),
            time_zone: location.time_zone.clone(),
            slots,
        },
        200,
    )?)
}

pub async fn create(mut req: Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let request: VisitRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let location = location(company, location_id)?;
    let service_ids: Vec<String> = request.parts.iter().map(|p| p.service_id.clone()).collect();
    let wanted: Vec<Option<String>> = request.parts.iter().map(|p| p.specialist_id.clone()).collect();
    let (services, parts) = parts(company, location, &service_ids, &wanted, |k| format!("parts[{k}].service_id"))?;
    let start = parse_instant(&request.start, "start")?;
    let asked =
        Asked { client: &request.client, attribution: request.attribution.as_ref(), membership: request.membership };
    let item = Item::Visit { services: services.clone(), parts, wanted };
    let order = Order::read(&req, env, (company, location), item, start, asked).await?;
    let receipt = checkout::place(env, order).await?;
    Ok(http::json(&answer(company, location, &services, start, receipt)?, 201)?)
}

/// The confirmation of a booked visit: one booking per part, with its manage token, and the whole
/// visit's times and price.
pub(crate) fn answer(
    company: &Company,
    location: &Location,
    services: &[&Service],
    start: Instant,
    receipt: checkout::Receipt,
) -> AppResult<VisitConfirmation> {
    let Placed::Visit(booked) = receipt.placed else { return Err(checkout::unexpected()) };
    let membership = receipt.membership;

    let zone = zone(&location.time_zone, "time_zone")?;
    let money = |amount_minor| Money::of(amount_minor, &company.currency);
    let confirmations: Vec<BookingConfirmation> = booked
        .legs
        .iter()
        .map(|leg| {
            let booking_id = leg.booking_id.clone().unwrap_or_default();
            let secret = leg.manage_secret.clone().unwrap_or_default();
            let token = manage::token(&company.id, &location.id, &booking_id, &secret);
            let specialist_id = leg.specialist_id.clone();
            let service = services[leg.part];
            let charge = leg.charge.as_ref();
            let mut part =
                confirmation(company, location, service, booking_id, specialist_id, leg.start, leg.end, charge)?;
            part.manage_token = Some(token);
            Ok(part)
        })
        .collect::<Result<_, ApiError>>()?;
    let end = booked.legs.last().map_or(start, |leg| leg.end);
    let confirmation = VisitConfirmation {
        visit_id: booked.visit_id,
        location_id: location.id.clone(),
        start: format_instant(start),
        end: format_instant(end),
        local_date: local_date(&zone, start).to_string(),
        local_time: local_time(&zone, start),
        time_zone: location.time_zone.clone(),
        price: money(confirmations.iter().map(|c| c.price.amount_minor).sum()),
        original_price: confirmations.iter().any(|c| c.original_price.is_some()).then(|| {
            money(confirmations.iter().map(|c| c.original_price.as_ref().unwrap_or(&c.price).amount_minor).sum())
        }),
        membership,
        parts: confirmations,
    };
    Ok(confirmation)
}

/// The visit's services and their schedules at `location`, checking each service is offered there
/// and each wanted specialist performs it. `field(k)` names part `k`'s service in errors.
pub(crate) fn parts<'a>(
    company: &'a Company,
    location: &Location,
    service_ids: &[String],
    wanted: &[Option<String>],
    field: impl Fn(usize) -> String,
) -> Result<(Vec<&'a Service>, Vec<ServiceSchedule>), ApiError> {
    if service_ids.is_empty() || service_ids.len() > MAX_PARTS {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            if field(0).starts_with("parts") { "parts" } else { "services" },
            format!("A visit has 1 to {MAX_PARTS} services."),
        ));
    }
    let mut services = Vec::with_capacity(service_ids.len());
    let mut schedules = Vec::with_capacity(service_ids.len());
    for (k, id) in service_ids.iter().enumerate() {
        let service = bookable_service(company, location, id, &field(k))?;
        let schedule = ServiceSchedule::new(company, location, service);
        if let Some(Some(wanted)) = wanted.get(k) {
            if !schedule.specialists.iter().any(|s| &s.id == wanted) {
                return Err(ApiError::field(
                    ErrorCode::SpecialistUnavailable,
                    field(k).replace("service_id", "specialist_id").replace("services", "specialists"),
                    "This specialist does not perform this service at this location.",
                ));
            }
        }
        services.push(service);
        schedules.push(schedule);
    }
    Ok((services, schedules))
}
