//! `GET /v1/companies/{company}/locations/{location}/soonest?service=…&count=3&days=14`: each
//! specialist's nearest free starts from now, for a "soonest available" list. `count` is 1–10
//! (default 3), `days` 1–62 (default 14): the search stops at the end of that window.

use worker::{Env, Request, Response};

use homeslot_core::availability::ServiceSchedule;
use homeslot_core::catalog::Company;
use homeslot_core::wire::SoonestResponse;

use crate::error::AppResult;
use crate::handlers::{bookable_service, location, Query};
use crate::store::location::MAX_CALENDAR_DAYS;
use crate::{http, store};

const MAX_COUNT: u32 = 10;

pub async fn list(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let query = Query::of(req)?;
    let service_id = query.required("service")?;
    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &service_id, "service")?;
    let count = query.number("count", 1..=MAX_COUNT, 3)?;
    let days = query.number("days", 1..=MAX_CALENDAR_DAYS, 14)?;
    let schedule = ServiceSchedule::new(company, location, service);
    let specialists =
        store::location::soonest_slots(env, &company.id, &location.id, &schedule, days, count as usize).await?;
    Ok(http::json(
        &SoonestResponse {
            location_id: location.id.clone(),
            service_id: service.id.clone(),
            time_zone: location.time_zone.clone(),
            specialists,
        },
        200,
    )?)
}
