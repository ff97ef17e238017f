//! Group classes: scheduled sessions with a number of seats. A client books a seat, not a free
//! time; once the seats are gone the session can keep a waitlist. A session's instructor is busy
//! for one-to-one services while it runs, whether or not anyone has booked it yet.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::clock::{add_days, civil, local_date, local_instant};
use super::{BusyTable, Instant};
use crate::catalog::{BookingPolicy, ClassSession, Company, Location, Service};
use crate::error::{ApiError, ErrorCode};
use crate::time::CivilDate;

/// A class at one location, as the engine needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassSchedule {
    pub service_id: String,
    pub time_zone: String,
    pub policy: BookingPolicy,
    pub holidays: Vec<CivilDate>,
    pub duration_minutes: u32,
    pub capacity: u32,
    pub waitlist_capacity: u32,
    /// This location's sessions only.
    pub sessions: Vec<ClassSession>,
}

/// One meeting of a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTime {
    pub start: Instant,
    pub end: Instant,
    pub specialist_id: String,
}

/// Where a client ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seat {
    Booked,
    /// On the waitlist, `position` 1 being next in line.
    Waitlisted {
        position: u32,
    },
}

impl ClassSchedule {
    /// The class `service` at `location`, or `None` if it is not a class or has no session there.
    pub fn new(location: &Location, service: &Service) -> Option<Self> {
        let class = service.class.as_ref()?;
        let sessions: Vec<ClassSession> =
            class.sessions.iter().filter(|s| s.location_id == location.id).cloned().collect();
        (!sessions.is_empty()).then(|| ClassSchedule {
            service_id: service.id.clone(),
            time_zone: location.time_zone.clone(),
            policy: location.policy.clone(),
            holidays: location.holidays.clone(),
            duration_minutes: service.duration_minutes,
            capacity: class.capacity,
            waitlist_capacity: class.waitlist_capacity,
            sessions,
        })
    }

    /// Every class held at `location`.
    pub fn all_at(company: &Company, location: &Location) -> Vec<Self> {
        company.services.iter().filter_map(|service| ClassSchedule::new(location, service)).collect()
    }
}

/// Every session held on the `days` dates from `from`, in time order (none on a holiday). A
/// session's local start becomes an instant by the same rule as working hours (the first instant
/// the clock reaches it), so a session in a skipped hour starts at the jump.
pub fn sessions_between(class: &ClassSchedule, zone: &TimeZone, from: Date, days: u32) -> Vec<SessionTime> {
    let holidays: Vec<Date> = class.holidays.iter().map(|&d| civil(d)).collect();
    let mut out = Vec::new();
    for offset in 0..i64::from(days) {
        let date = add_days(from, offset);
        if holidays.contains(&date) {
            continue;
        }
        let weekday = date.weekday().to_monday_zero_offset() as u8;
        for session in &class.sessions {
            let meets = match (session.days_from_monday(), session.date) {
                (Some(day), _) => day == weekday,
                (None, Some(day)) => civil(day) == date,
                (None, None) => false,
            };
            if meets {
                let start = local_instant(zone, date, session.start);
                let end = start + i64::from(class.duration_minutes) * 60;
                out.push(SessionTime { start, end, specialist_id: session.specialist_id.clone() });
            }
        }
    }
    out.sort_by(|a, b| (a.start, &a.specialist_id).cmp(&(b.start, &b.specialist_id)));
    out
}

/// The sessions clients may book: those of [`sessions_between`] not before now plus the minimum
/// notice and on dates up to the end of the horizon.
pub fn bookable_sessions(
    class: &ClassSchedule,
    zone: &TimeZone,
    from: Date,
    days: u32,
    now: Instant,
) -> Vec<SessionTime> {
    let last_day = add_days(local_date(zone, now), i64::from(class.policy.horizon_days.max(1)) - 1);
    let earliest = now + i64::from(class.policy.minimum_notice_minutes) * 60;
    sessions_between(class, zone, from, days)
        .into_iter()
        .filter(|s| s.start >= earliest && local_date(zone, s.start) <= last_day)
        .collect()
}

/// Adds every session of `classes` overlapping `[from, to)` to `busy` as time its instructor is
/// taken, so one-to-one services are not offered over a class.
pub fn add_class_busy(classes: &[ClassSchedule], zone: &TimeZone, from: Instant, to: Instant, busy: &mut BusyTable) {
    let first = add_days(local_date(zone, from), -1);
    let days = u32::try_from((to - from) / 86_400 + 3).unwrap_or(u32::MAX).min(800);
    for class in classes {
        for session in sessions_between(class, zone, first, days) {
            if session.start < to && session.end > from {
                busy.add(&session.specialist_id, [], session.start, session.end);
            }
        }
    }
}

/// Decides where a client joining a session goes, given how many seats are `booked` and how many
/// clients are `waiting`: a seat while there is one; else the waitlist if they asked for it and it
/// has room.
///
/// # Errors
/// `class_full` when there is no seat and no waitlist place for them.
pub fn take_seat(class: &ClassSchedule, booked: u32, waiting: u32, join_waitlist: bool) -> Result<Seat, ApiError> {
    if booked < class.capacity {
        return Ok(Seat::Booked);
    }
    if join_waitlist && waiting < class.waitlist_capacity {
        return Ok(Seat::Waitlisted { position: waiting + 1 });
    }
    let message = if class.waitlist_capacity > waiting && !join_waitlist {
        "This class is full. You can join the waitlist."
    } else {
        "This class is full."
    };
    Err(ApiError::new(ErrorCode::ClassFull, message))
}

/// The session of `class` starting exactly at `start`, if clients may book it now.
///
/// # Errors
/// `start_in_past` when it has begun or is inside the notice; `slot_unavailable` when no session
/// starts then.
pub fn session_at(
    class: &ClassSchedule,
    zone: &TimeZone,
    start: Instant,
    now: Instant,
) -> Result<SessionTime, ApiError> {
    if start < now + i64::from(class.policy.minimum_notice_minutes) * 60 {
        return Err(ApiError::field(
            ErrorCode::StartInPast,
            "start",
            "This session has started or is too soon to book online. Please pick a later one.",
        ));
    }
    bookable_sessions(class, zone, local_date(zone, start), 1, now)
        .into_iter()
        .find(|s| s.start == start)
        .ok_or_else(|| ApiError::field(ErrorCode::SlotUnavailable, "start", "No session of this class starts then."))
}
