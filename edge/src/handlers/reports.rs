//! `GET /v1/admin/companies/{company}/locations/{location}/report?from=&to=`: what the location's
//! stored bookings add up to over a range of local dates (`homeslot_core::report` counts; this
//! reads). Owners, and managers of the location.
//!
//! It reads every stored booking of every location the chain ever had (a client's first booking
//! may be at another location, or before the range), and each specialist's working time on each
//! date of the range: a report is asked for now and then, not polled, so it pays for exactness
//! rather than keeping running totals that could drift from the bookings.

use std::collections::HashMap;

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::availability::{
    civil, civil_date, local_date, sessions_between, working_time, ClassSchedule, SpecialistHours, TimeZone,
};
use homeslot_core::catalog::{Company, Location};
use homeslot_core::report::{self, BusyTime, Entry, Range, State, Working};

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::{location, Query};
use crate::store::location::{AdminBooking, AdminClassBooking};
use crate::{http, store};

/// `GET …/locations/{location}/report?from=&to=`.
pub async fn report(req: &Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::SeeReports, Some(location_id)).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let query = Query::of(req)?;
    let range = Range::parse(&query.required("from")?, &query.required("to")?)?;
    let zone = homeslot_core::availability::zone(&location.time_zone, "time_zone")?;
    let sessions = sessions(&company, location, &zone, range);

    let mut chain = Vec::new();
    for stored_at in store::company::known_locations(env, company_id).await? {
        // A location no longer in the catalog: its dates matter only to whose first booking it was.
        let own_zone = company
            .locations
            .iter()
            .find(|l| l.id == stored_at)
            .and_then(|l| homeslot_core::availability::zone(&l.time_zone, "time_zone").ok())
            .unwrap_or(TimeZone::UTC);
        let data = store::location::export(env, company_id, &stored_at).await?;
        let read = Reader { location_id: &stored_at, zone: &own_zone };
        chain.extend(data.bookings.iter().map(|b| read.booking(b)));
        chain.extend(data.class_bookings.iter().map(|b| read.seat(b, &sessions)));
    }
    let working = working_minutes(&company, location, &zone, range);
    Ok(http::json(&report::report(&location.id, range, &company.currency, &chain, &working), 200)?)
}

/// Reads one location's stored rows as report entries.
struct Reader<'a> {
    location_id: &'a str,
    zone: &'a TimeZone,
}

impl Reader<'_> {
    fn entry(&self, id: &str, client: &Option<String>, start: i64, attribution: &Option<serde_json::Value>) -> Entry {
        let utm =
            |name: &str| attribution.as_ref().and_then(|a| a.get(name)).and_then(|v| v.as_str()).map(str::to_string);
        Entry {
            booking_id: id.to_string(),
            location_id: self.location_id.to_string(),
            client_id: client.clone(),
            local_date: civil_date(local_date(self.zone, start)),
            start_s: start,
            state: State::Booked,
            no_show: false,
            test: false,
            channel: String::new(),
            source: utm("utm_source"),
            campaign: utm("utm_campaign"),
            price_minor: None,
            busy: None,
        }
    }

    fn booking(&self, b: &AdminBooking) -> Entry {
        Entry {
            state: if b.status == "cancelled" { State::Cancelled } else { State::Booked },
            no_show: b.attendance.as_deref() == Some("no_show"),
            test: b.test,
            channel: b.channel.clone(),
            price_minor: b.price_minor,
            busy: Some(BusyTime {
                specialist_id: b.specialist_id.clone(),
                key: b.booking_id.clone(),
                minutes: (b.end - b.start) / 60,
            }),
            ..self.entry(&b.booking_id, &b.client_id, b.start, &b.attribution)
        }
    }

    fn seat(&self, b: &AdminClassBooking, sessions: &HashMap<(String, i64), BusyTime>) -> Entry {
        Entry {
            state: match b.status.as_str() {
                "cancelled" => State::Cancelled,
                "waitlisted" => State::Waitlisted,
                _ => State::Booked,
            },
            test: b.test,
            channel: b.channel.clone(),
            price_minor: b.price_minor,
            busy: sessions.get(&(b.service_id.clone(), b.session_start)).cloned(),
            ..self.entry(&b.booking_id, &b.client_id, b.session_start, &b.attribution)
        }
    }
}

/// The class sessions held at `location` in the range, by service and start: the specialist's
/// time each takes.
fn sessions(company: &Company, location: &Location, zone: &TimeZone, range: Range) -> HashMap<(String, i64), BusyTime> {
    let from = civil(range.from);
    let mut out = HashMap::new();
    for class in ClassSchedule::all_at(company, location) {
        for session in sessions_between(&class, zone, from, range.days() as u32) {
            let busy = BusyTime {
                key: format!("{}@{}", class.service_id, session.start),
                minutes: (session.end - session.start) / 60,
                specialist_id: session.specialist_id,
            };
            out.insert((class.service_id.clone(), session.start), busy);
        }
    }
    out
}

/// Each specialist of the location and the minutes they work over the range.
fn working_minutes(company: &Company, location: &Location, zone: &TimeZone, range: Range) -> Vec<Working> {
    let dates: Vec<_> = range.dates().map(civil).collect();
    company
        .specialists
        .iter()
        .filter(|s| s.location_id == location.id)
        .map(|s| {
            let hours = SpecialistHours::of(s, 0);
            let minutes = dates
                .iter()
                .flat_map(|&date| working_time(&hours, location.opening_hours.as_ref(), &location.holidays, zone, date))
                .map(|(from, to)| (to - from) / 60)
                .sum();
            Working { specialist_id: s.id.clone(), name: s.name.clone(), minutes }
        })
        .collect()
}
