//! `GET /v1/companies/{company}/locations/{location}/slots?service=…&date=YYYY-MM-DD[&calendar=N][&next_open=true][&specialist=…]`:
//! the free slots of a date, and with `calendar` the dates from today (N days) that have one; with
//! `next_open` (and a calendar), a date without a free slot is answered for the calendar's first
//! later date that has one; with `specialist`, only that specialist's.

use worker::{Env, Request, Response};

use homeslot_core::availability::{parse_date, ServiceSchedule};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::SlotsResponse;

use crate::error::AppResult;
use crate::handlers::{bookable_service, location, schedule_for, Query};
use crate::store::location::{DaySlotsAnswer, MAX_CALENDAR_DAYS};
use crate::{http, store};

pub async fn list(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let query = Query::of(req)?;
    let service_id = query.required("service")?;
    let date = parse_date(&query.required("date")?, "date")?;

    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &service_id, "service")?;
    let specialist = query.get("specialist");
    let schedule = schedule_of(company, location, service, specialist.as_deref())
        .map_err(|e| ApiError { field: Some("specialist".into()), ..e })?;
    let calendar_days = query.number("calendar", 0..=MAX_CALENDAR_DAYS, 0)?;
    let next_open = query.flag("next_open")?;
    if next_open && calendar_days == 0 {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "next_open",
            "next_open looks for the next open date within the calendar: add calendar=N.",
        )
        .into());
    }
    let answer =
        store::location::slots(env, &company.id, &location.id, &schedule, date, calendar_days, next_open).await?;
    Ok(http::json(&response(location, service, answer), 200)?)
}

/// The schedule this endpoint reads: with `specialist`, only their times (and calendar); the
/// other specialists' bookings still count where they share a resource, since busy time is read
/// for everyone. The catalog's first times read the same.
pub fn schedule_of(
    company: &Company,
    location: &Location,
    service: &Service,
    specialist: Option<&str>,
) -> Result<ServiceSchedule, ApiError> {
    let mut schedule = schedule_for(company, location, service, specialist)?;
    if let Some(wanted) = specialist {
        schedule.specialists.retain(|s| s.id == wanted);
    }
    Ok(schedule)
}

/// The answer of this endpoint for `service` at `location`: the catalog's first times too.
pub fn response(location: &Location, service: &Service, answer: DaySlotsAnswer) -> SlotsResponse {
    SlotsResponse {
        location_id: location.id.clone(),
        service_id: service.id.clone(),
        date: answer.date,
        time_zone: location.time_zone.clone(),
        slots: answer.slots,
        open_dates: answer.open_dates,
    }
}
