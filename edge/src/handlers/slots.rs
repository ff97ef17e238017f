//! `GET /v1/companies/{company}/locations/{location}/slots?service=…&date=YYYY-MM-DD`.

use worker::{Env, Request, Response};

use homeslot_core::availability::{parse_date, ServiceSchedule};
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::SlotsResponse;

use crate::error::AppResult;
use crate::handlers::{bookable_service, location};
use crate::{http, store};

pub async fn list(req: &Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let url = req.url()?;
    let query = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    let service_id = query("service").ok_or_else(|| {
        ApiError::field(ErrorCode::ValidationFailed, "service", "The service query parameter is required.")
    })?;
    let date_text = query("date")
        .ok_or_else(|| ApiError::field(ErrorCode::ValidationFailed, "date", "The date query parameter is required."))?;
    let date = parse_date(&date_text, "date")?;

    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &service_id, "service")?;
    let schedule = ServiceSchedule::new(company, location, service);
    let slots = store::location::slots(env, &company.id, &location.id, &schedule, date).await?;
    Ok(http::json(
        &SlotsResponse {
            location_id: location.id.clone(),
            service_id: service.id.clone(),
            date: date.to_string(),
            time_zone: location.time_zone.clone(),
            slots,
        },
        200,
    )?)
}
