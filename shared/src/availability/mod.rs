//! Free slots for one service at one location: working hours, date overrides and time off,
//! opening hours and holidays, minus bookings and holds (with their buffers) and the times the
//! resources the service needs are fully in use, under the location's booking policy, in its IANA
//! time zone.
//!
//! Instants are Unix seconds (UTC) and intervals are half-open `[start, end)`. Working hours are
//! local wall-clock times; they become instants through the time zone, so a daylight-saving day
//! has 23 or 25 real hours and a service always lasts its real minutes.
//!
//! The rules, in one place (docs/availability.md tells them to owners):
//! - A specialist works on a date in their weekly hours, or in the date's override instead; not at
//!   all on a day of time off or a holiday of the location; and only while the location is open,
//!   when it has opening hours. Touching ranges join into one stretch of working time.
//! - A visit lasts the specialist's duration for the service and must fit inside one stretch.
//!   With its buffers before and after, it must not overlap the specialist's busy spans (their
//!   bookings and holds, stored with their own buffers) nor a time when a resource it needs is in
//!   use by as many visits as the resource's capacity.
//! - A start is offered from the minimum notice after now, on dates from today (local) to the end
//!   of the horizon: every slot step from the stretch's beginning ("fixed"), or only the first and
//!   last start of each free gap that touch a booking or the stretch's edge ("optimal").
//! - "Any specialist" goes to whoever is free and least booked that day; catalog order breaks ties.
//!
//! The edge lists slots with [`free_slots`] and the location object re-runs the very same
//! computation at commit time through [`choose_specialist`], so a slot the API showed can only
//! fail to book if someone else took it in between.

use serde::{Deserialize, Serialize};

/// A local calendar date and an IANA time zone, re-exported so callers need not depend on jiff.
pub use jiff::{civil::Date, tz::TimeZone};

pub use busy::{Busy, BusyTable};
pub use classes::{
    add_class_busy, bookable_sessions, session_at, sessions_between, take_seat, ClassSchedule, Seat, SessionTime,
};
pub use clock::{
    add_days, civil, civil_date, day_bounds, format_instant, local_date, local_instant, local_time, parse_date,
    parse_instant, range_bounds, validate_zones, zone,
};
pub use day_slots::{DaySlots, Slot};
pub use outside_rules::check_outside_rules;
pub use visit::{choose_visit, visit_slots, Leg, VisitSlot};
pub use working::{opening_time, working_time};

use crate::catalog::{BookingPolicy, Company, DateOverride, Location, Service, TimeOff, WeeklyHours};
use crate::error::{ApiError, ErrorCode};
use crate::time::CivilDate;
use clock::DayClock;
use plan::{Plan, Scratch};

mod busy;
mod classes;
mod clock;
mod day_slots;
mod outside_rules;
mod plan;
pub mod reference;
#[cfg(test)]
mod tests;
mod visit;
mod working;

/// Unix seconds, UTC.
pub type Instant = i64;

/// What the engine needs to know about one service at one location: the location's zone, policy,
/// opening hours, holidays and resources, the service's buffers, and the hours and duration of
/// everyone who performs it there. The edge builds it from the catalog for the location object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceSchedule {
    pub time_zone: String,
    pub policy: BookingPolicy,
    #[serde(default)]
    pub buffer_before_minutes: u32,
    #[serde(default)]
    pub buffer_after_minutes: u32,
    /// `None`: the location sets no opening hours beyond its specialists' own.
    #[serde(default)]
    pub opening_hours: Option<WeeklyHours>,
    #[serde(default)]
    pub holidays: Vec<CivilDate>,
    /// Resources the visit occupies, one unit of each.
    #[serde(default)]
    pub resources: Vec<ResourceNeed>,
    /// In catalog order, which breaks ties when choosing "any specialist".
    pub specialists: Vec<SpecialistHours>,
    /// The location's classes led by these specialists: their sessions are busy time, which the
    /// location object adds to the bookings (see [`add_class_busy`]).
    #[serde(default)]
    pub classes: Vec<ClassSchedule>,
}

/// A resource a service needs and how many visits it can hold at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceNeed {
    pub id: String,
    pub capacity: u32,
}

/// One performer: their hours and how long the service takes with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecialistHours {
    pub id: String,
    pub working_hours: WeeklyHours,
    #[serde(default)]
    pub date_overrides: Vec<DateOverride>,
    #[serde(default)]
    pub time_off: Vec<TimeOff>,
    pub duration_minutes: u32,
}

impl SpecialistHours {
    /// `specialist`'s hours, with a visit of theirs lasting `duration_minutes`.
    pub fn of(specialist: &crate::catalog::Specialist, duration_minutes: u32) -> Self {
        SpecialistHours {
            id: specialist.id.clone(),
            working_hours: specialist.working_hours.clone(),
            date_overrides: specialist.date_overrides.clone(),
            time_off: specialist.time_off.clone(),
            duration_minutes,
        }
    }
}

/// The times a booked visit takes: the visit itself, and the span it keeps its specialist and
/// resources busy (with the buffers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub start: Instant,
    pub end: Instant,
    pub busy_from: Instant,
    pub busy_until: Instant,
}

impl ServiceSchedule {
    /// The schedule of `service` at `location`: only specialists of that location who perform it,
    /// and nobody when the location lacks a resource the service needs.
    pub fn new(company: &Company, location: &Location, service: &Service) -> Self {
        let resources: Option<Vec<ResourceNeed>> = service
            .resource_ids
            .iter()
            .map(|id| {
                let resource = location.resources.iter().find(|r| &r.id == id)?;
                Some(ResourceNeed { id: resource.id.clone(), capacity: resource.capacity })
            })
            .collect();
        let specialists = match resources {
            Some(_) => company
                .performers(service, &location.id)
                .map(|s| SpecialistHours::of(s, service.duration_with(&s.id)))
                .collect(),
            None => Vec::new(),
        };
        ServiceSchedule {
            time_zone: location.time_zone.clone(),
            policy: location.policy.clone(),
            buffer_before_minutes: service.buffer_before_minutes,
            buffer_after_minutes: service.buffer_after_minutes,
            opening_hours: location.opening_hours.clone(),
            holidays: location.holidays.clone(),
            resources: resources.unwrap_or_default(),
            classes: ClassSchedule::all_at(company, location)
                .into_iter()
                .filter(|class| class.sessions.iter().any(|s| specialists.iter().any(|p| p.id == s.specialist_id)))
                .collect(),
            specialists,
        }
    }

    /// The visit starting at `start` with specialist `index`.
    pub fn visit(&self, index: usize, start: Instant) -> Visit {
        let minutes = self.specialists.get(index).map_or(0, |s| s.duration_minutes);
        let end = start + i64::from(minutes) * 60;
        Visit {
            start,
            end,
            busy_from: start - i64::from(self.buffer_before_minutes) * 60,
            busy_until: end + i64::from(self.buffer_after_minutes) * 60,
        }
    }
}

/// Every free start of the service on local `date`, in time order. `busy` holds the location's
/// busy spans around that day (of all services: they share specialists and resources).
pub fn free_slots(schedule: &ServiceSchedule, zone: &TimeZone, date: Date, busy: &BusyTable, now: Instant) -> DaySlots {
    Plan::new(schedule, zone, busy, now).day(&DayClock::new(zone, date), &mut Scratch::default())
}

/// [`free_slots`] for `days` consecutive dates from `from` (the calendar), sharing the work that
/// does not depend on the day. `busy` holds the busy spans of the whole range.
pub fn free_slots_by_day(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    from: Date,
    days: u32,
    busy: &BusyTable,
    now: Instant,
) -> Vec<DaySlots> {
    let plan = Plan::new(schedule, zone, busy, now);
    plan.days(zone, from, days).collect()
}

/// Each specialist's first `count` free starts in the `days` dates from `from` (for a "soonest"
/// list), indexed like [`ServiceSchedule::specialists`]. Stops early once everyone has `count`.
pub fn soonest(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    from: Date,
    days: u32,
    busy: &BusyTable,
    now: Instant,
    count: usize,
) -> Vec<Vec<Instant>> {
    let mut found = vec![Vec::new(); schedule.specialists.len()];
    let mut missing = if count == 0 { 0 } else { found.len() };
    let plan = Plan::new(schedule, zone, busy, now);
    for day in plan.days(zone, from, days) {
        if missing == 0 {
            break;
        }
        for slot in day.iter() {
            for &i in slot.free {
                let starts = &mut found[i as usize];
                if starts.len() < count {
                    starts.push(slot.start);
                    missing -= usize::from(starts.len() == count);
                }
            }
        }
    }
    found
}

/// Decides, at commit time, who takes a booking starting at `start`: the `wanted` specialist if
/// they are free, otherwise (for "any specialist") the first free one in [`free_slots`] order.
/// Returns an index into [`ServiceSchedule::specialists`].
///
/// # Errors
/// `start_in_past` when `start` is before `now` plus the minimum notice; for "any specialist",
/// `no_free_specialist` when the time would be offered but for the specialists' own bookings and
/// holds (everyone who performs the service is busy then); otherwise `slot_unavailable` when the
/// start is not a free slot (taken, outside working hours, resources in use, not offered, beyond
/// the horizon).
pub fn choose_specialist(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    start: Instant,
    wanted: Option<&str>,
    busy: &BusyTable,
    now: Instant,
) -> Result<usize, ApiError> {
    check_notice(&schedule.policy, start, now)?;
    let date = local_date(zone, start);
    let day = free_slots(schedule, zone, date, busy, now);
    let Some(slot) = day.find(start) else {
        let open_but_for_staff =
            wanted.is_none() && free_slots(schedule, zone, date, &busy.resources_only(), now).find(start).is_some();
        return Err(if open_but_for_staff { no_free_specialist() } else { slot_taken() });
    };
    let chosen = match wanted {
        None => slot.free.first().copied(),
        Some(id) => slot.free.iter().copied().find(|&i| schedule.specialists[i as usize].id == id),
    };
    chosen.map(|i| i as usize).ok_or_else(slot_taken)
}

/// `start_in_past` unless `start` is at least the minimum notice after `now`.
///
/// # Errors
/// `start_in_past` on the field `start`.
pub fn check_notice(policy: &BookingPolicy, start: Instant, now: Instant) -> Result<(), ApiError> {
    if start < now + i64::from(policy.minimum_notice_minutes) * 60 {
        return Err(ApiError::field(
            ErrorCode::StartInPast,
            "start",
            "This time has passed or is too soon to book online. Please pick a later time.",
        ));
    }
    Ok(())
}

/// The answer when "any specialist" finds everyone busy at an otherwise open time.
pub fn no_free_specialist() -> ApiError {
    ApiError::new(
        ErrorCode::NoFreeSpecialist,
        "Sorry, this time has just been taken: every specialist is busy then. Please pick another.",
    )
}

/// The answer when a time shown as free can no longer be booked (someone took it in between).
pub fn slot_taken() -> ApiError {
    ApiError::new(ErrorCode::SlotUnavailable, "Sorry, this time has just been taken. Please pick another.")
}
