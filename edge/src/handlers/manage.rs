//! A client's own booking through the link in their confirmation:
//! `GET /v1/manage/{token}`, `POST /v1/manage/{token}/cancel`,
//! `POST /v1/manage/{token}/reschedule` with `{"start": …}`, and the booking for the client's
//! calendar: `GET /v1/manage/{token}/calendar.ics` and `GET /v1/manage/{token}/google-calendar`
//! (a redirect to Google Calendar's "add event" page).
//!
//! The token is `{company}.{location}.{booking}.{secret}`: the first three say where the booking
//! lives, the secret proves the holder is its client. Anything that does not check out — a
//! malformed token, an unknown company, location or booking, a wrong secret — is `404`, the same
//! for every case, so a token cannot be probed part by part.

use worker::{Env, Request, Response};

use homeslot_core::availability::{format_instant, parse_instant, zone, Instant};
use homeslot_core::calendar::{self, CalendarEvent};
use homeslot_core::catalog::{is_valid_id, Company, Location};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::messages::{fill, Facts};
use homeslot_core::wire::{ManagedBooking, RemindersChoice, RescheduleRequest};

use crate::checkout::Faults;
use crate::error::AppResult;
use crate::handlers::{confirmation, idempotency_key, schedule_for};
use crate::store::location::{Change, Proof, StoredBooking};
use crate::{clock, http, store};

/// A parsed manage token.
pub struct Token<'a> {
    pub company_id: &'a str,
    pub location_id: &'a str,
    booking_id: &'a str,
    secret: &'a str,
}

/// The token a confirmation gives for a booking.
pub fn token(company_id: &str, location_id: &str, booking_id: &str, secret: &str) -> String {
    format!("{company_id}.{location_id}.{booking_id}.{secret}")
}

/// Reads a token; `not_found` if it cannot be one.
pub fn parse(token: &str) -> Result<Token<'_>, ApiError> {
    let hex32 = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(company_id), Some(location_id), Some(booking_id), Some(secret), None)
            if is_valid_id(company_id)
                && is_valid_id(location_id)
                && booking_id.strip_prefix("bk_").is_some_and(hex32)
                && hex32(secret) =>
        {
            Ok(Token { company_id, location_id, booking_id, secret })
        }
        _ => Err(not_found()),
    }
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No booking for this link.")
}

pub async fn view(env: &Env, company: &Company, token: &Token<'_>) -> AppResult<Response> {
    let location = location(company, token)?;
    let stored = look(env, company, location, token).await?;
    answer(company, location, stored)
}

/// Cancels the booking, once per `Idempotency-Key`. Cancelled within the policy, the membership
/// that paid gets its visits (or money) back: recorded with the cancellation, delivered now (or
/// by the location's alarm, should this stop first).
pub async fn cancel(req: &Request, env: &Env, company: &Company, token: &Token<'_>) -> AppResult<Response> {
    let key = idempotency_key(req)?;
    let location = location(company, token)?;
    let change = Change::Cancel {
        notice_minutes: location.policy.cancellation_notice_minutes,
        leads: location.policy.reminder_minutes.clone(),
    };
    let stored = store::location::manage(
        env,
        &company.id,
        &location.id,
        token.booking_id,
        Proof::Secret(token.secret.into()),
        change,
        key,
    )
    .await?;
    Faults::of(req).at("after-cancel")?;
    if let Err(error) = store::location::deliver_outbox(env, &location.id, &stored.refunds).await {
        // The cancellation stands; the alarm gives the refund back shortly.
        worker::console_error!("refund left to the outbox: {error:?}");
    }
    answer(company, location, stored)
}

/// `POST …/reminders` with `{"on": bool}`: the client's e-mail reminders of the visit, off or on
/// again (the location's lead times from now on).
pub async fn reminders(mut req: Request, env: &Env, company: &Company, token: &Token<'_>) -> AppResult<Response> {
    let key = idempotency_key(&req)?;
    let choice: RemindersChoice = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let on = choice.on.ok_or_else(|| ApiError::field(ErrorCode::ValidationFailed, "on", "true or false"))?;
    let location = location(company, token)?;
    let change = Change::Reminders { on, leads: location.policy.reminder_minutes.clone() };
    let (id, secret) = (token.booking_id, token.secret);
    let stored =
        store::location::manage(env, &company.id, &location.id, id, Proof::Secret(secret.into()), change, key).await?;
    answer(company, location, stored)
}

/// Moves the booking, once per `Idempotency-Key`.
pub async fn reschedule(mut req: Request, env: &Env, company: &Company, token: &Token<'_>) -> AppResult<Response> {
    let key = idempotency_key(&req)?;
    let request: RescheduleRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let start = parse_instant(&request.start, "start")?;
    let location = location(company, token)?;
    // Which service it is, to check the new time against that service's rules.
    let current = look(env, company, location, token).await?;
    let service = company.service(&current.service_id).ok_or_else(not_found)?;
    let schedule = schedule_for(company, location, service, None)?;
    let change = Change::Reschedule { schedule, start, notice_minutes: location.policy.cancellation_notice_minutes };
    let (id, secret) = (token.booking_id, token.secret);
    let stored =
        store::location::manage(env, &company.id, &location.id, id, Proof::Secret(secret.into()), change, key).await?;
    answer(company, location, stored)
}

/// The booking as it is, changing nothing.
async fn look(env: &Env, company: &Company, location: &Location, token: &Token<'_>) -> AppResult<StoredBooking> {
    store::location::manage(
        env,
        &company.id,
        &location.id,
        token.booking_id,
        Proof::Secret(token.secret.into()),
        Change::View,
        None,
    )
    .await
}

/// The booking as a calendar entry: an `.ics` file in the location's time zone, or (`google`) a
/// redirect to Google Calendar with the same event. The entry names the service, specialist,
/// business and address, never the manage link (calendars get shared). It is written in the
/// link's `language` (the widget's), else the owner's, else the browser's.
pub async fn calendar(
    req: &Request,
    env: &Env,
    company: &Company,
    token: &Token<'_>,
    google: bool,
) -> AppResult<Response> {
    let asked = crate::handlers::Query::of(req)?.get("language");
    if asked.as_deref().is_some_and(|tag| homeslot_core::language::read(tag).is_none()) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "language",
            "a language the widget speaks, with a region if you like (pt-BR)",
        )
        .into());
    }
    let accept = req.headers().get("accept-language").ok().flatten();
    let language =
        homeslot_core::language::negotiate(asked.as_deref(), company.widget.language.as_deref(), accept.as_deref());
    let location = location(company, token)?;
    let stored = look(env, company, location, token).await?;
    let times = (stored.start, stored.end);
    let ids = (stored.booking_id.as_str(), stored.service_id.as_str(), stored.specialist_id.as_str());
    let event = visit_event(company, location, ids, times, (stored.status == "cancelled", language.language))
        .ok_or_else(not_found)?;
    if google {
        let url = calendar::google_calendar_url(&event, &location.time_zone);
        let url = worker::Url::parse(&url).map_err(|e| worker::Error::RustError(e.to_string()))?;
        return Ok(Response::redirect(url)?);
    }
    let zone = zone(&location.time_zone, "time_zone")?;
    let ics = calendar::ics(&event, &location.time_zone, &zone, clock::now());
    let headers = worker::Headers::new();
    headers.set("content-type", "text/calendar; charset=utf-8")?;
    headers.set("content-disposition", "attachment; filename=\"booking.ics\"")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(ics)?.with_headers(headers))
}

/// A booking as a calendar entry (the manage link's `.ics`, the confirmation's attachment): the
/// service, specialist, business and address, never the manage link (calendars get shared), in
/// `language`'s words (the e-mails'). `ids` are the booking's, its service's and its
/// specialist's. None if the catalog no longer has its service.
pub fn visit_event(
    company: &Company,
    location: &Location,
    (booking_id, service_id, specialist_id): (&str, &str, &str),
    (start, end): (Instant, Instant),
    (cancelled, language): (bool, &str),
) -> Option<CalendarEvent> {
    let service = company.service(service_id)?;
    let words = homeslot_core::messages::default_words(language);
    let facts = Facts {
        business: company.name.clone(),
        service: service.name.clone(),
        specialist: company.specialist(specialist_id).map(|s| s.name.clone()).unwrap_or_default(),
        ..Facts::default()
    };
    let word = |key: &str| fill(words.get(key).map_or("", String::as_str), &facts);
    let title = match company.specialist(specialist_id) {
        Some(_) => word("calendar_title"),
        None => format!("{} · {}", service.name, company.name),
    };
    let place: Vec<&str> =
        [location.name.as_str(), location.address.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    Some(CalendarEvent {
        uid: format!("{booking_id}@homeslot"),
        title,
        location: place.join(", "),
        description: word("calendar_description"),
        start,
        end,
        cancelled,
    })
}

fn location<'a>(company: &'a Company, token: &Token<'_>) -> Result<&'a Location, ApiError> {
    company.location(token.location_id).ok_or_else(not_found)
}

fn answer(company: &Company, location: &Location, stored: StoredBooking) -> AppResult<Response> {
    let service = company.service(&stored.service_id).ok_or_else(not_found)?;
    let changeable_until = stored.start - i64::from(location.policy.cancellation_notice_minutes) * 60;
    let booking = confirmation(
        company,
        location,
        service,
        stored.booking_id,
        stored.specialist_id,
        stored.start,
        stored.end,
        stored.charge.as_ref(),
    )?;
    let view = ManagedBooking {
        status: stored.status,
        waitlist_position: stored.waitlist_position,
        changeable_until: format_instant(changeable_until),
        in_visit: stored.in_visit,
        reminders: stored.reminders,
        booking,
    };
    Ok(http::json(&view, 200)?)
}
