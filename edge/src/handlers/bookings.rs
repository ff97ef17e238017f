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
use crate::handlers::{bookable_service, confirmation, location, manage, schedule_for};
use crate::http;
use crate::store::location::Placed;

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
    let Placed::Booking(booked) = receipt.placed else { return Err(checkout::unexpected()) };
    let token = manage::token(&company.id, &location.id, &booked.booking_id, &booked.manage_secret);
    let mut confirmation = confirmation(
        company,
        location,
        service,
        booked.booking_id,
        booked.specialist_id,
        booked.start,
        booked.end,
        booked.charge.as_ref(),
    )?;
    confirmation.manage_token = Some(token);
    confirmation.membership = receipt.membership;
    Ok(http::json(&confirmation, 201)?)
}
