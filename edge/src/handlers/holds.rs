//! `POST /v1/companies/{company}/locations/{location}/holds`: keeps a picked time for the client
//! for the location's `hold_minutes` while they type their details. The confirmation names the
//! hold in `hold_id` and consumes it; unconfirmed, it expires by itself.

use worker::{Env, Request, Response};

use homeslot_core::availability::{format_instant, parse_instant};
use homeslot_core::catalog::Company;
use homeslot_core::wire::{HoldRequest, HoldView};

use crate::error::AppResult;
use crate::handlers::{bookable_service, location, schedule_for};
use crate::store::location::NewHold;
use crate::{http, store};

pub async fn create(mut req: Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let request: HoldRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &request.service_id, "service_id")?;
    let schedule = schedule_for(company, location, service, request.specialist_id.as_deref())?;
    let hold = NewHold {
        service_id: service.id.clone(),
        start: parse_instant(&request.start, "start")?,
        specialist_id: request.specialist_id.clone(),
    };
    let held = store::location::place_hold(env, &company.id, &location.id, &schedule, &hold).await?;
    let view = HoldView {
        hold_id: held.hold_id,
        service_id: service.id.clone(),
        specialist_id: held.specialist_id,
        start: format_instant(held.start),
        end: format_instant(held.end),
        expires_at: format_instant(held.expires_at),
    };
    Ok(http::json(&view, 201)?)
}
