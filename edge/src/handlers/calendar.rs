//! `GET /v1/admin/companies/{company}/locations/{location}/day?date=YYYY-MM-DD`: the calendar's
//! day at a location, for the console's day view: a column per specialist with their working
//! time (the core's `working_time`: hours, overrides, time off, opening hours, holidays), and on
//! it the bookings (cancelled ones too), the holds of clients still choosing, and the class
//! sessions with their seats taken. Every time is given as an instant, a local time and minutes
//! from the local midnight, so the console draws the day (23 or 25 hours long on a clock change)
//! without a time-zone database.
//!
//! A specialist sees only their own column. The answer carries an `ETag` made of the location
//! object's version (it changes with every write there), the catalog's version, and what was
//! asked (the date, the caller's narrowing): the console polls with `If-None-Match`, and while
//! nothing changed the object reads nothing and the answer is `304` with no body.

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::agenda::{CalendarDay, DayBooking, DayColumn, DayHold, DayHour, DaySession, DaySpan};
use homeslot_core::availability::{
    day_bounds, format_instant, local_time, opening_time, parse_date, sessions_between, working_time, zone,
    ClassSchedule, Instant, SpecialistHours, TimeZone,
};
use homeslot_core::catalog::{Company, Location};
use homeslot_core::wire::Money;

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::{location, Query};
use crate::store::location::AdminBooking;
use crate::{http, store};

/// The day's clock: where each instant falls on the drawn day.
pub(crate) struct Day<'z> {
    zone: &'z TimeZone,
    midnight: Instant,
}

impl<'z> Day<'z> {
    /// The local day `at` falls on.
    pub(crate) fn of(zone: &'z TimeZone, at: Instant) -> Self {
        Day { zone, midnight: day_bounds(zone, homeslot_core::availability::local_date(zone, at)).0 }
    }

    fn span(&self, start: Instant, end: Instant) -> DaySpan {
        DaySpan {
            start_at: format_instant(start),
            end_at: format_instant(end),
            local_start: local_time(self.zone, start),
            local_end: local_time(self.zone, end),
            from_minute: (start - self.midnight) / 60,
            to_minute: (end - self.midnight) / 60,
        }
    }
}

/// `GET …/locations/{location}/day?date=`.
pub async fn day(req: &Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::SeeCalendar, Some(location_id)).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let date = parse_date(&Query::of(req)?.required("date")?, "date")?;
    let (midnight, next_midnight) = day_bounds(&zone, date);
    let own = caller.own_specialist();
    // What the answer depends on besides the location's data.
    let asked = format!(
        "{}.{}.{}",
        store::company::loaded_version(company_id).unwrap_or(0),
        date,
        &store::sha256_hex(own.unwrap_or(""))[..8]
    );
    let known = known_version(req, &asked);
    let answer = store::location::day(env, company_id, &location.id, (midnight, next_midnight), known).await?;
    let etag = format!("\"{}.{asked}\"", answer.version);
    let Some(sheet) = answer.sheet else {
        let response = not_modified(&etag)?;
        response.headers().set("cache-control", "no-store")?;
        return Ok(response);
    };
    let mine = |specialist_id: &str| own.is_none_or(|own| own == specialist_id);
    let day = Day { zone: &zone, midnight };
    let service_name = |id: &str| company.service(id).map_or_else(|| id.to_string(), |s| s.name.clone());
    let day_answer = CalendarDay {
        location_id: location.id.clone(),
        date: date.to_string(),
        time_zone: location.time_zone.clone(),
        day_start_at: format_instant(midnight),
        minutes: (next_midnight - midnight) / 60,
        hours: hours(&day, next_midnight),
        open: opening_time(location.opening_hours.as_ref(), &location.holidays, &zone, date)
            .map(|open| open.into_iter().map(|(from, to)| day.span(from, to)).collect()),
        slot_step_minutes: location.policy.slot_step_minutes,
        specialists: columns(&company, location, &sheet.bookings, &zone, date, &day)
            .into_iter()
            .filter(|column| mine(&column.specialist_id))
            .collect(),
        bookings: sheet
            .bookings
            .into_iter()
            .filter(|b| mine(&b.specialist_id))
            .map(|b| entry(&company, &day, b))
            .collect(),
        holds: sheet
            .holds
            .into_iter()
            .filter(|h| mine(&h.specialist_id))
            .map(|h| DayHold {
                service_name: service_name(&h.service_id),
                span: day.span(h.start, h.end),
                expires_at: format_instant(h.expires_at),
                hold_id: h.hold_id,
                service_id: h.service_id,
                specialist_id: h.specialist_id,
            })
            .collect(),
        classes: ClassSchedule::all_at(&company, location)
            .iter()
            .flat_map(|class| sessions_between(class, &zone, date, 1).into_iter().map(move |s| (class, s)))
            .filter(|(_, session)| mine(&session.specialist_id))
            .map(|(class, session)| {
                let seats = sheet
                    .sessions
                    .iter()
                    .find(|s| s.service_id == class.service_id && s.session_start == session.start);
                DaySession {
                    service_id: class.service_id.clone(),
                    service_name: service_name(&class.service_id),
                    specialist_id: session.specialist_id.clone(),
                    span: day.span(session.start, session.end),
                    capacity: class.capacity,
                    booked: seats.map_or(0, |s| s.booked),
                    waitlisted: seats.map_or(0, |s| s.waitlisted),
                    cancelled: sheet
                        .cancelled_sessions
                        .iter()
                        .any(|c| c.service_id == class.service_id && c.start == session.start),
                }
            })
            .collect(),
    };
    let response = http::json(&day_answer, 200)?;
    response.headers().set("etag", &etag)?;
    Ok(response)
}

/// The location object's version the caller already has, from its `If-None-Match`. Tags are
/// `"{location version}.{asked}"`, `asked` being what else the answer depends on (the catalog's
/// version, the date, who asks): a tag of another question names no version, and the object is
/// asked only whether it is still at the one named.
pub(crate) fn known_version(req: &Request, asked: &str) -> Option<String> {
    let given = req.headers().get("if-none-match").ok().flatten()?;
    let (version, rest) = given.trim_matches('"').split_once('.')?;
    (rest == asked).then(|| version.to_string())
}

/// `304 Not Modified`, with the tag the caller has.
pub(crate) fn not_modified(etag: &str) -> worker::Result<Response> {
    let response = Response::empty()?.with_status(304);
    response.headers().set("etag", etag)?;
    Ok(response)
}

/// A booking as the calendar shows it, placed on `day`.
pub(crate) fn entry(company: &Company, day: &Day, b: AdminBooking) -> DayBooking {
    DayBooking {
        service_name: company.service(&b.service_id).map_or_else(|| b.service_id.clone(), |s| s.name.clone()),
        span: day.span(b.start, b.end),
        price: b.price_minor.map(|minor| Money::of(minor, &company.currency)),
        booking_id: b.booking_id,
        visit_id: b.visit_id,
        service_id: b.service_id,
        specialist_id: b.specialist_id,
        status: b.status,
        attendance: b.attendance,
        client_name: b.client_name,
        client_phone: b.client_phone,
        comment: b.comment,
        channel: b.channel,
        membership_number: b.membership_number,
        test: b.test,
        r#override: b.r#override,
    }
}

/// Every full local hour of the day, with the minute it falls on (a repeated hour twice, a
/// skipped one not at all).
fn hours(day: &Day, next_midnight: Instant) -> Vec<DayHour> {
    (0..)
        .map(|h| day.midnight + h * 3600)
        .take_while(|&at| at < next_midnight)
        .map(|at| DayHour { minute: (at - day.midnight) / 60, label: local_time(day.zone, at) })
        .collect()
}

/// A column for each specialist of the location, in catalog order, then for anyone else with a
/// booking that day (moved elsewhere since): their working time that date.
fn columns(
    company: &Company,
    location: &Location,
    bookings: &[AdminBooking],
    zone: &TimeZone,
    date: homeslot_core::availability::Date,
    day: &Day,
) -> Vec<DayColumn> {
    let mut columns: Vec<DayColumn> = company
        .specialists
        .iter()
        .filter(|s| s.location_id == location.id)
        .map(|s| {
            // Working time only: no visit is placed, so no duration.
            let hours = SpecialistHours::of(s, 0);
            let working = working_time(&hours, location.opening_hours.as_ref(), &location.holidays, zone, date);
            DayColumn {
                specialist_id: s.id.clone(),
                name: s.name.clone(),
                working: working.into_iter().map(|(from, to)| day.span(from, to)).collect(),
            }
        })
        .collect();
    for booking in bookings {
        if !columns.iter().any(|c| c.specialist_id == booking.specialist_id) {
            let name = company
                .specialist(&booking.specialist_id)
                .map_or_else(|| booking.specialist_id.clone(), |s| s.name.clone());
            columns.push(DayColumn { specialist_id: booking.specialist_id.clone(), name, working: Vec::new() });
        }
    }
    columns
}
