//! `POST /v1/companies/{company}/locations/{location}/bookings`: confirm a booking.
//!
//! Everything that can be checked without the location's bookings is checked here, before the
//! location object is touched, so bad input writes nothing. The object then re-checks the slot and
//! writes the booking in one synchronous step.

use worker::{Env, Request, Response};

use homeslot_core::availability::parse_instant;
use homeslot_core::catalog::Company;
use homeslot_core::wire::BookingRequest;

use crate::error::AppResult;
use crate::handlers::{
    bookable_service, client_input, confirmation, idempotency_key, identify, location, manage, memberships, pricing,
    schedule_for,
};
use crate::store::location::{Idempotency, NewBooking};
use crate::{http, store};

pub async fn create(mut req: Request, env: &Env, company: &Company, location_id: &str) -> AppResult<Response> {
    let key = idempotency_key(&req)?;
    let request: BookingRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let location = location(company, location_id)?;
    let service = bookable_service(company, location, &request.service_id, "service_id")?;
    let schedule = schedule_for(company, location, service, request.specialist_id.as_deref())?;
    let start = parse_instant(&request.start, "start")?;
    let client = client_input(&request.client, request.attribution.as_ref(), company)?;
    memberships::required(&[service], request.membership.as_ref())?;
    if let Some(reference) = &request.membership {
        let part = memberships::Part { service, start, charges: &[] };
        memberships::precheck(env, company, location, reference, &client.phone, &[part], key.is_some()).await?;
    }
    let channel = pricing::channel(&req, env, company).await?;
    let mut booking = NewBooking {
        service_id: service.id.clone(),
        start,
        specialist_id: request.specialist_id.clone(),
        client_id: String::new(),
        hold_id: request.hold_id.clone(),
        client_name: client.name.clone(),
        client_phone: client.phone.clone(),
        note: client.note.clone(),
        charges: Vec::new(),
        membership: None,
    };
    let identity = identify(env, company, &client).await?;
    booking.client_id = identity.client_id.clone();
    // The hash covers the validated booking, so the same request sent again is recognised; not
    // its prices, which a retry finds changed (its first booking is already claimed) while the
    // stored answer keeps the first one's, nor its payment (a retry's debit is the first one's).
    let idempotency = key.map(|key| Idempotency::new(key, &booking));
    let occasion = pricing::occasion(location, channel, identity.first_booking.is_some())?;
    booking.charges = pricing::charges(company, service, schedule.specialists.iter().map(|s| s.id.as_str()), &occasion);
    let part = memberships::Part { service, start, charges: &booking.charges };
    let paying = memberships::pay_named(
        env,
        company,
        location,
        &identity,
        request.membership.as_ref().map(|reference| (reference, client.phone.as_str())),
        &[part],
        idempotency.as_ref().map(|i| i.key.as_str()),
    )
    .await?;
    booking.membership = paying.as_ref().map(|paying| paying.pay.clone());

    let (booked, membership) = memberships::book(
        env,
        company,
        &identity,
        paying.as_ref(),
        store::location::book(env, &company.id, &location.id, &schedule, &booking, idempotency),
        |booked| booked.paid,
    )
    .await?;

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
    confirmation.membership = membership;
    Ok(http::json(&confirmation, 201)?)
}
