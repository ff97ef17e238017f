//! `GET /v1/companies/{company}/locations/{location}/slots?service=…&date=YYYY-MM-DD[&calendar=N]`:
//! the free slots of a date, and with `calendar` the dates from today (N days) that have one.

use worker::{Env, Request, Response};

use homeslot_core::availability::{parse_date, ServiceSchedule};
use homeslot_core::catalog::Company;
use homeslot_core::wire::SlotsResponse;

use crate::error::AppResult;
use crate::handlers::{bookable_service, location, Query};
use crate::store::location::MAX_CALENDAR_DAYS;
use crate::{http, store};

pub async fn list(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let query = Query::of(req)?;
    let service_id = query.required("service")?;
    let date = parse_date(&query.required("date")?, "date")?;

    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &service_id, "service")?;
    let schedule = ServiceSchedule::new(company, location, service);
    let calendar_days = query.number("calendar", 0..=MAX_CALENDAR_DAYS, 0)?;
    let answer = store::location::slots(env, &company.id, &location.id, &schedule, date, calendar_days).await?;
    Ok(http::json(
        &SlotsResponse {
            location_id: location.id.clone(),
            service_id: service.id.clone(),
            date: date.to_string(),
            time_zone: location.time_zone.clone(),
            slots: answer.slots,
            open_dates: answer.open_dates,
        },
        200,
    )?)
}
