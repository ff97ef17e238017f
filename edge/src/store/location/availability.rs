//! Free time: a date's slots (with a calendar's open dates on request), the dates of a range
//! with a free slot, and each specialist's soonest starts.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{
    day_bounds, format_instant, free_slots, free_slots_by_day, local_date, local_time, parse_date, range_bounds,
    soonest, zone, Date, Instant, ServiceSchedule, TimeZone,
};
use homeslot_core::wire::{SlotView, SoonestSlot, SpecialistSoonest};

use super::busy::busy_around;
use super::{stub, MAX_CALENDAR_DAYS};
use crate::clock;
use crate::error::AppResult;
use crate::store::call;

#[derive(Serialize, Deserialize)]
pub(super) struct SlotsCommand {
    schedule: ServiceSchedule,
    date: String,
    /// Also list the dates with a free slot from today for this many days (0: none).
    calendar_days: u32,
    /// When the date has no free slot, answer for the calendar's first later date that has.
    next_open: bool,
}

/// A date's free slots, and optionally the open dates of a calendar.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DaySlotsAnswer {
    /// The date the slots are of: the one asked, or with `next_open` the one moved to.
    pub date: String,
    pub slots: Vec<SlotView>,
    pub open_dates: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct DatesCommand {
    schedule: ServiceSchedule,
    from: String,
    days: u32,
}

#[derive(Serialize, Deserialize)]
pub(super) struct StartsCommand {
    schedule: ServiceSchedule,
    from: String,
    days: u32,
}

/// A date's free starts, each with who is free then (best choice first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayStarts {
    pub date: String,
    pub starts: Vec<(Instant, Vec<String>)>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct SoonestCommand {
    schedule: ServiceSchedule,
    days: u32,
    count: usize,
}

/// Free slots of a service on a local date, and with `calendar_days` > 0 the dates from today
/// (for that many days) that have a free slot. With `next_open`, a date without a free slot is
/// answered with the slots of the calendar's first later date that has one (a picker opening on
/// today, late in the day, shows tomorrow's times without asking twice).
pub async fn slots(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    date: Date,
    calendar_days: u32,
    next_open: bool,
) -> AppResult<DaySlotsAnswer> {
    let command = SlotsCommand { schedule: schedule.clone(), date: date.to_string(), calendar_days, next_open };
    call(&stub(env, company_id, location_id)?, "/slots", &command).await
}

/// The dates from `from` (for `days` days) that have at least one free slot of the service.
pub async fn dates(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    from: Date,
    days: u32,
) -> AppResult<Vec<String>> {
    let command = DatesCommand { schedule: schedule.clone(), from: from.to_string(), days };
    call(&stub(env, company_id, location_id)?, "/dates", &command).await
}

/// The free starts of each of `days` dates from `from` (a date without one included, empty): the
/// widget's slots of a range in one call.
pub async fn starts(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    from: Date,
    days: u32,
) -> AppResult<Vec<DayStarts>> {
    let command = StartsCommand { schedule: schedule.clone(), from: from.to_string(), days };
    call(&stub(env, company_id, location_id)?, "/starts", &command).await
}

/// Each specialist's `count` nearest free starts in the next `days` dates.
pub async fn soonest_slots(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    days: u32,
    count: usize,
) -> AppResult<Vec<SpecialistSoonest>> {
    let command = SoonestCommand { schedule: schedule.clone(), days, count };
    call(&stub(env, company_id, location_id)?, "/soonest", &command).await
}

/// `/slots`: a date's free slots, and the open dates of a calendar if asked.
pub(super) fn day_slots(sql: &SqlStorage, command: SlotsCommand) -> AppResult<DaySlotsAnswer> {
    let schedule = &command.schedule;
    let zone = zone(&schedule.time_zone, "time_zone")?;
    let mut date = parse_date(&command.date, "date")?;
    let now = clock::now();
    let mut slots = slots_of(sql, schedule, &zone, date, now)?;
    let open_dates = match command.calendar_days.min(MAX_CALENDAR_DAYS) {
        0 => Vec::new(),
        days => open_dates(sql, schedule, &zone, local_date(&zone, now), days, now)?,
    };
    let later = date.to_string();
    // Dates are `YYYY-MM-DD`, so their text order is their calendar order.
    if let Some(next) = open_dates.iter().find(|d| **d > later).filter(|_| command.next_open && slots.is_empty()) {
        date = parse_date(next, "date")?;
        slots = slots_of(sql, schedule, &zone, date, now)?;
    }
    Ok(DaySlotsAnswer { date: date.to_string(), slots, open_dates })
}

/// A date's free slots as the API shows them.
fn slots_of(
    sql: &SqlStorage,
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    date: Date,
    now: Instant,
) -> worker::Result<Vec<SlotView>> {
    let (from, to) = day_bounds(zone, date);
    let busy = busy_around(sql, std::slice::from_ref(schedule), from, to, None, None)?;
    Ok(free_slots(schedule, zone, date, &busy, now)
        .iter()
        .map(|slot| SlotView {
            start: format_instant(slot.start),
            local_time: local_time(zone, slot.start),
            specialist_ids: slot.free.iter().map(|&i| schedule.specialists[i as usize].id.clone()).collect(),
        })
        .collect())
}

/// `/dates`: the dates of a range with a free slot.
pub(super) fn dates_with_slots(sql: &SqlStorage, command: DatesCommand) -> AppResult<Vec<String>> {
    let zone = zone(&command.schedule.time_zone, "time_zone")?;
    let from = parse_date(&command.from, "from")?;
    let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
    let dates = open_dates(sql, &command.schedule, &zone, from, days, clock::now())?;
    Ok(dates)
}

/// `/starts`: the free starts of a range of dates.
pub(super) fn starts_now(sql: &SqlStorage, command: StartsCommand) -> AppResult<Vec<DayStarts>> {
    let schedule = &command.schedule;
    let zone = zone(&schedule.time_zone, "time_zone")?;
    let from = parse_date(&command.from, "from")?;
    let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
    let (start, end) = range_bounds(&zone, from, days);
    let busy = busy_around(sql, std::slice::from_ref(schedule), start, end, None, None)?;
    Ok(free_slots_by_day(schedule, &zone, from, days, &busy, clock::now())
        .into_iter()
        .map(|day| DayStarts {
            date: day.date.to_string(),
            starts: day
                .iter()
                .map(|slot| {
                    let who = slot.free.iter().map(|&i| schedule.specialists[i as usize].id.clone()).collect();
                    (slot.start, who)
                })
                .collect(),
        })
        .collect())
}

/// `/soonest`: each specialist's nearest free starts.
pub(super) fn soonest_starts(sql: &SqlStorage, command: SoonestCommand) -> AppResult<Vec<SpecialistSoonest>> {
    let schedule = &command.schedule;
    let zone = zone(&schedule.time_zone, "time_zone")?;
    let now = clock::now();
    let today = local_date(&zone, now);
    let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
    let (start, end) = range_bounds(&zone, today, days);
    let busy = busy_around(sql, std::slice::from_ref(schedule), start, end, None, None)?;
    let found = soonest(schedule, &zone, today, days, &busy, now, command.count);
    let answer: Vec<SpecialistSoonest> = schedule
        .specialists
        .iter()
        .zip(found)
        .map(|(specialist, starts)| SpecialistSoonest {
            specialist_id: specialist.id.clone(),
            slots: starts
                .into_iter()
                .map(|at| SoonestSlot {
                    start: format_instant(at),
                    local_date: local_date(&zone, at).to_string(),
                    local_time: local_time(&zone, at),
                })
                .collect(),
        })
        .collect();
    Ok(answer)
}

/// The dates from `from`, for `days` days, with at least one free slot of the service.
fn open_dates(
    sql: &SqlStorage,
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    from: Date,
    days: u32,
    now: Instant,
) -> worker::Result<Vec<String>> {
    let (start, end) = range_bounds(zone, from, days);
    let busy = busy_around(sql, std::slice::from_ref(schedule), start, end, None, None)?;
    Ok(free_slots_by_day(schedule, zone, from, days, &busy, now)
        .into_iter()
        .filter(|day| !day.is_empty())
        .map(|day| day.date.to_string())
        .collect())
}
