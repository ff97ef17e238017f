//! `GET /v1/companies/{company}/locations/{location}/dates?service=…&from=YYYY-MM-DD&days=N`: the
//! dates with at least one free slot, for the widget's calendar. `from` defaults to the location's
//! today, `days` to 31 (at most 62).

use worker::{Env, Request, Response};

use homeslot_core::availability::{local_date, parse_date, zone, ServiceSchedule};
use homeslot_core::catalog::Company;
use homeslot_core::wire::DatesResponse;

use crate::error::AppResult;
use crate::handlers::{bookable_service, location, Query};
use crate::store::location::MAX_CALENDAR_DAYS;
use crate::{clock, http, store};

pub async fn list(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let query = Query::of(req)?;
    let service_id = query.required("service")?;
    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &service_id, "service")?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let from = match query.get("from") {
        Some(text) => parse_date(&text, "from")?,
        None => local_date(&zone, clock::now()),
    };
    let days = query.number("days", 1..=MAX_CALENDAR_DAYS, 31)?;
    let schedule = ServiceSchedule::new(company, location, service);
    let dates = store::location::dates(env, &company.id, &location.id, &schedule, from, days).await?;
    Ok(http::json(
        &DatesResponse {
            location_id: location.id.clone(),
            service_id: service.id.clone(),
            from: from.to_string(),
            days,
            time_zone: location.time_zone.clone(),
            dates,
        },
        200,
    )?)
}
