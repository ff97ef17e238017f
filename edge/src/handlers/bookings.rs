//! `POST /v1/companies/{company}/locations/{location}/bookings`: confirm a booking.
//!
//! Reads the request into a checkout order (everything that can be checked without the location's
//! bookings is checked first, so bad input writes nothing), and answers what the checkout placed.

use worker::{Env, Request, Response};

use homeslot_core::availability::parse_instant;
use homeslot_core::catalog::Company;
use homeslot_core::wire::BookingRequest;

use crate::checkout::{self, Asked, Item, Order};
use crate::error::AppResult;
use crate::handlers::{bookable_service, booked, location, schedule_for};
use crate::http;

pub async fn create(mut req: Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let request: BookingRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &request.service_id, "service_id")?;
    let schedule = schedule_for(company, location, service, request.specialist_id.as_deref())?;
    let start = parse_instant(&request.start, "start")?;
    let asked =
        Asked { client: &request.client, attribution: request.attribution.as_ref(), membership: request.membership };
    let item = Item::Booking { service, schedule, specialist_id: request.specialist_id, hold_id: request.hold_id };
    let order = Order::read(&req, env, (company, location), item, start, asked).await?;
    let receipt = checkout::place(env, order).await?;
    let confirmation = booked(company, location, service, receipt)?;
    Ok(http::json(&confirmation, 201)?)
}
