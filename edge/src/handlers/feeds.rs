//! Staff calendar feeds ([`homeslot_core::feeds`]): made, listed, rotated and deleted under
//! `/v1/admin/companies/{company}/feeds` by anyone who sees the calendar (a specialist: only
//! their own), and read by calendar apps at `GET /v1/feeds/{company}/{feed}/{secret}` — an
//! address that is its own key. The feed answers from the location object's day query over the
//! window, with an `ETag` of the object's version: a calendar app that asks again while nothing
//! changed gets `304` and the object reads nothing.

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::availability::{add_days, day_bounds, format_instant, local_date, zone};
use homeslot_core::calendar::{self, CalendarEvent};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::feeds::{self as core_feeds, FeedView, Feeds, NewFeed};

use crate::console::session::Caller;
use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::calendar::{known_version, not_modified};
use crate::handlers::location;
use crate::store::feeds::{self, FeedRow};
use crate::{clock, http, store};

/// `POST …/feeds` with `{"location_id", "specialist_id"?}`: a new feed and, once, its address.
pub async fn create(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::SeeCalendar, None).await?;
    let request: NewFeed = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let company = store::company::load(env, company_id).await?;
    // An unknown location or specialist is an answer about the data (`404`, `409`), not the shape.
    let location =
        location(&company, &request.location_id).map_err(|e| ApiError { field: Some("location_id".into()), ..e })?;
    caller.require(Action::SeeCalendar, Some(&location.id))?;
    // A specialist's feed is their own day; anyone else's shows what they named.
    let specialist_id = match (caller.own_specialist(), request.specialist_id) {
        (Some(own), Some(asked)) if own != asked => {
            return Err(
                ApiError::field(ErrorCode::Forbidden, "specialist_id", "A specialist's feed is their own.").into()
            )
        }
        (Some(own), _) => Some(own.to_string()),
        (None, asked) => asked,
    };
    if let Some(id) = &specialist_id {
        if !company.specialists.iter().any(|s| s.id == *id && s.location_id == location.id) {
            return Err(ApiError::field(
                ErrorCode::SpecialistUnavailable,
                "specialist_id",
                "No such specialist works at this location.",
            )
            .into());
        }
    }
    let secret = store::random_hex()?;
    let row = FeedRow {
        id: format!("fd_{}", store::random_hex()?),
        secret_hash: store::sha256_hex(&secret),
        location_id: location.id.clone(),
        specialist_id,
        created_by: caller.actor().to_string(),
        created_by_name: caller.display_name(),
        created_at_ms: clock::now_millis(),
    };
    feeds::create(env, company_id, &row).await?;
    let url = address(&req, company_id, &row.id, &secret)?;
    Ok(http::json(&view(&row, Some(url)), 201)?)
}

/// `GET …/feeds`: the business's feeds (the owner and integrations: all; anyone else: their own),
/// without their addresses.
pub async fn list(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::SeeCalendar, None).await?;
    let rows = feeds::list(env, company_id).await?;
    let feeds = rows.iter().filter(|row| may_manage(&caller, row)).map(|row| view(row, None)).collect();
    Ok(http::json(&Feeds { feeds }, 200)?)
}

/// `POST …/feeds/{feed}/rotate`: a new address; the old one stops at once.
pub async fn rotate(req: &Request, env: &Env, company_id: &str, feed_id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::SeeCalendar, None).await?;
    let row = own_feed(env, &caller, company_id, feed_id).await?;
    let secret = store::random_hex()?;
    feeds::rotate(env, company_id, &row.id, store::sha256_hex(&secret)).await?;
    let url = address(req, company_id, &row.id, &secret)?;
    Ok(http::json(&view(&row, Some(url)), 200)?)
}

/// `DELETE …/feeds/{feed}`.
pub async fn delete(req: &Request, env: &Env, company_id: &str, feed_id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::SeeCalendar, None).await?;
    let row = own_feed(env, &caller, company_id, feed_id).await?;
    feeds::delete(env, company_id, &row.id).await?;
    Ok(Response::empty()?.with_status(204))
}

/// `GET /v1/feeds/{company}/{feed}/{secret}`: the feed as iCalendar. Any part wrong is the same
/// `404`, so the answer says nothing about which feeds exist.
pub async fn read(req: &Request, env: &Env, company_id: &str, feed_id: &str, secret: &str) -> AppResult<Response> {
    let not_found = || ApiError::new(ErrorCode::NotFound, "No such calendar feed.");
    let well_formed = |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit());
    let id_ok = feed_id.strip_prefix("fd_").is_some_and(|hex| well_formed(hex, 32));
    if !id_ok || !well_formed(secret, 32) {
        return Err(not_found().into());
    }
    let company = store::company::load(env, company_id).await.map_err(|_| not_found())?;
    let row = feeds::find(env, company_id, feed_id).await?.ok_or_else(not_found)?;
    if !store::same_secret(&row.secret_hash, &store::sha256_hex(secret)) {
        return Err(not_found().into());
    }
    let location = location(&company, &row.location_id).map_err(|_| not_found())?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let today = local_date(&zone, clock::now());
    let (from, _) = day_bounds(&zone, add_days(today, -core_feeds::PAST_DAYS));
    let (until, _) = day_bounds(&zone, add_days(today, core_feeds::AHEAD_DAYS));
    // The window moves each day and the catalog's names may change: both are in the tag.
    let asked = format!("{}.{today}", store::company::loaded_version(company_id).unwrap_or(0));
    let known = known_version(req, &asked);
    let answer = store::location::day(env, company_id, &location.id, (from, until), known).await?;
    let etag = format!("\"{}.{asked}\"", answer.version);
    let Some(sheet) = answer.sheet else { return Ok(not_modified(&etag)?) };
    let service_name = |id: &str| company.service(id).map_or_else(|| id.to_string(), |s| s.name.clone());
    let specialist_name = |id: &str| company.specialist(id).map_or_else(|| id.to_string(), |s| s.name.clone());
    let events: Vec<CalendarEvent> = sheet
        .bookings
        .into_iter()
        .filter(|b| b.status == "confirmed" && !b.test)
        .filter(|b| row.specialist_id.as_ref().is_none_or(|only| *only == b.specialist_id))
        .map(|b| {
            let service = service_name(&b.service_id);
            let specialist = specialist_name(&b.specialist_id);
            CalendarEvent {
                uid: format!("{}@{company_id}.homeslot", b.booking_id),
                title: core_feeds::title(&service, &b.client_name),
                location: location.name.clone(),
                description: format!("With {specialist}."),
                start: b.start,
                end: b.end,
                cancelled: false,
            }
        })
        .collect();
    // No comma: apps read X-WR-CALNAME as raw text and would show the escape.
    let calendar_name = match &row.specialist_id {
        Some(id) => format!("{} · {}", specialist_name(id), location.name),
        None => format!("{} · {}", company.name, location.name),
    };
    let body = calendar::feed(&calendar_name, &events, &location.time_zone, &zone, (clock::now(), from, until));
    let response = Response::ok(body)?;
    response.headers().set("content-type", "text/calendar; charset=utf-8")?;
    response.headers().set("etag", &etag)?;
    response.headers().set("cache-control", "private, no-cache")?;
    Ok(response)
}

/// The feed `feed_id`, if the caller may manage it (`404` otherwise, as if it did not exist).
async fn own_feed(env: &Env, caller: &Caller, company_id: &str, feed_id: &str) -> AppResult<FeedRow> {
    feeds::find(env, company_id, feed_id)
        .await?
        .filter(|row| may_manage(caller, row))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No such calendar feed.").into())
}

/// The owner and integrations manage every feed; anyone else the feeds they made.
fn may_manage(caller: &Caller, row: &FeedRow) -> bool {
    match caller {
        Caller::Platform | Caller::Token => true,
        Caller::Person { grant, person } => {
            grant.role == homeslot_core::access::Role::Owner || person.person_id == row.created_by
        }
    }
}

fn view(row: &FeedRow, url: Option<String>) -> FeedView {
    FeedView {
        feed_id: row.id.clone(),
        location_id: row.location_id.clone(),
        specialist_id: row.specialist_id.clone(),
        created_by: row.created_by_name.clone(),
        created_at: format_instant(row.created_at_ms / 1000),
        url,
    }
}

/// The feed's address on this edge.
fn address(req: &Request, company_id: &str, feed_id: &str, secret: &str) -> worker::Result<String> {
    Ok(format!("{}/v1/feeds/{company_id}/{feed_id}/{secret}", crate::http::origin(req)?))
}
