//! Free slots for one service at one location on one local date: weekly working hours minus
//! existing bookings, under the location's booking policy, in its IANA time zone.
//!
//! Instants are Unix seconds (UTC) and intervals are half-open `[start, end)`. Working hours are
//! local wall-clock times; they become instants through the time zone, so a daylight-saving day
//! has 23 or 25 real hours and a service always lasts its real minutes.
//!
//! The edge lists slots with [`free_slots`] and the location object re-runs the very same
//! function at commit time through [`choose_specialist`], so a slot the API showed can only fail
//! to book if someone else took it in between.

use jiff::civil::{DateTime, Time};
use jiff::tz::AmbiguousOffset;

/// A local calendar date and an IANA time zone, re-exported so callers need not depend on jiff.
pub use jiff::{civil::Date, tz::TimeZone};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::catalog::{BookingPolicy, Company, Location, Service, WeeklyHours};
use crate::error::{ApiError, ErrorCode};
use crate::time::MinuteOfDay;

/// Unix seconds, UTC.
pub type Instant = i64;

/// What the engine needs to know about one service at one location: the location's zone and
/// policy, the service's duration and the working hours of everyone who performs it there.
/// The edge builds it from the catalog and hands it to the location object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceSchedule {
    pub time_zone: String,
    pub policy: BookingPolicy,
    pub duration_minutes: u32,
    /// In catalog order, which breaks ties when choosing "any specialist".
    pub specialists: Vec<SpecialistHours>,
}

/// One specialist's weekly working hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecialistHours {
    pub id: String,
    pub working_hours: WeeklyHours,
}

impl ServiceSchedule {
    /// The schedule of `service` at `location`: only specialists of that location who perform it.
    pub fn new(company: &Company, location: &Location, service: &Service) -> Self {
        ServiceSchedule {
            time_zone: location.time_zone.clone(),
            policy: location.policy,
            duration_minutes: service.duration_minutes,
            specialists: company
                .performers(service, &location.id)
                .map(|s| SpecialistHours { id: s.id.clone(), working_hours: s.working_hours.clone() })
                .collect(),
        }
    }
}

/// Time a specialist is already taken (a booking), `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Busy {
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
}

/// A bookable start and who is free then, best choice for "any specialist" first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub start: Instant,
    /// Indices into [`ServiceSchedule::specialists`].
    pub free: Vec<usize>,
}

/// Looks up an IANA time zone.
///
/// # Errors
/// `validation_failed` on `field` when the name is unknown.
pub fn zone(name: &str, field: &str) -> Result<TimeZone, ApiError> {
    TimeZone::get(name)
        .map_err(|_| ApiError::field(ErrorCode::ValidationFailed, field, format!("{name:?} is not an IANA time zone")))
}

/// Checks every location's time zone in a catalog (the part of validation that needs tz data).
///
/// # Errors
/// `validation_failed` naming the first bad `locations[i].time_zone`.
pub fn validate_zones(company: &Company) -> Result<(), ApiError> {
    for (i, location) in company.locations.iter().enumerate() {
        zone(&location.time_zone, &format!("locations[{i}].time_zone"))?;
    }
    Ok(())
}

/// The local date at the location at instant `at`.
pub fn local_date(zone: &TimeZone, at: Instant) -> Date {
    timestamp(at).to_zoned(zone.clone()).date()
}

/// Local wall-clock time at `at`, as `HH:MM`.
pub fn local_time(zone: &TimeZone, at: Instant) -> String {
    let time = timestamp(at).to_zoned(zone.clone()).time();
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// The UTC instants of local midnight starting `date` and of the next local midnight.
pub fn day_bounds(zone: &TimeZone, date: Date) -> (Instant, Instant) {
    (local_instant(zone, date, MinuteOfDay::MIDNIGHT), local_instant(zone, date, MinuteOfDay::END_OF_DAY))
}

/// The UTC instants of local midnight starting `from` and of the midnight ending the range of
/// `days` dates: the window of bookings [`free_slots_by_day`] needs.
pub fn range_bounds(zone: &TimeZone, from: Date, days: u32) -> (Instant, Instant) {
    let last = from.checked_add((i64::from(days.max(1)) - 1).days()).unwrap_or(from);
    (day_bounds(zone, from).0, day_bounds(zone, last).1)
}

/// Every free start of the service on local `date`, in time order.
///
/// A start is offered when some performer works without a gap for the whole visit (starts step
/// through each working range from its beginning), none of their bookings overlaps it, it is at
/// least the minimum notice after `now`, and `date` lies within the booking horizon.
pub fn free_slots(schedule: &ServiceSchedule, zone: &TimeZone, date: Date, busy: &[Busy], now: Instant) -> Vec<Slot> {
    Plan::new(schedule, zone, busy, now).day(&DayClock::new(zone, date))
}

/// [`free_slots`] for `days` consecutive dates from `from` (the calendar), sharing the work that
/// does not depend on the day: today, the bookings grouped by specialist, the clock changes in
/// the range. `busy` holds the bookings of the whole range.
pub fn free_slots_by_day(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    from: Date,
    days: u32,
    busy: &[Busy],
    now: Instant,
) -> Vec<(Date, Vec<Slot>)> {
    let plan = Plan::new(schedule, zone, busy, now);
    let mut clock = DayClock::new(zone, from);
    // Every clock change in the range (and a day beyond), found once.
    let range_end = clock.midnight + (i64::from(days) + 2) * 86_400;
    let changes: Vec<Instant> = zone
        .following(timestamp(clock.midnight))
        .map(|t| t.timestamp().as_second())
        .take_while(|&t| t <= range_end)
        .collect();
    let mut out = Vec::with_capacity(days as usize);
    for i in 0..days {
        if i > 0 {
            clock = clock.next_day(&changes);
        }
        out.push((clock.date, plan.day(&clock)));
    }
    out
}

/// What a request's answer needs that does not depend on the day.
struct Plan<'a> {
    schedule: &'a ServiceSchedule,
    today: Date,
    last_day: Date,
    earliest: Instant,
    duration: i64,
    step: i64,
    /// `(specialist index, start, end)`, sorted: each specialist's bookings in time order.
    taken: Vec<(usize, Instant, Instant)>,
    /// Where each specialist's bookings are in `taken`.
    runs: Vec<(usize, usize)>,
    /// The longest booking, which bounds how early a booking touching a day can start.
    longest: i64,
}

impl<'a> Plan<'a> {
    fn new(schedule: &'a ServiceSchedule, zone: &TimeZone, busy: &[Busy], now: Instant) -> Self {
        let today = local_date(zone, now);
        let last_day = today.checked_add((schedule.policy.horizon_days.max(1) as i64 - 1).days()).unwrap_or(today);
        // Each booking goes to its specialist once. Ids are found by a cheap hash first (comparing
        // strings was a third of the engine's time), then confirmed.
        let mut ids: Vec<(u64, usize)> =
            schedule.specialists.iter().enumerate().map(|(i, s)| (id_hash(&s.id), i)).collect();
        ids.sort_unstable();
        let specialist_of = |id: &str| {
            let hash = id_hash(id);
            let from = ids.partition_point(|&(h, _)| h < hash);
            ids[from..]
                .iter()
                .take_while(|&&(h, _)| h == hash)
                .map(|&(_, i)| i)
                .find(|&i| schedule.specialists[i].id == id)
        };
        let located: Vec<(usize, Instant, Instant)> =
            busy.iter().filter_map(|b| Some((specialist_of(&b.specialist_id)?, b.start, b.end))).collect();
        // Grouped by specialist with a counting sort (linear, keeps the input order), then each
        // specialist's bookings sorted by start unless they already are (the location object
        // loads them in start order, so usually they are).
        let n = schedule.specialists.len();
        let mut ends = vec![0usize; n];
        for &(i, _, _) in &located {
            ends[i] += 1;
        }
        let mut runs = Vec::with_capacity(n);
        let mut at = 0;
        for count in &mut ends {
            runs.push((at, at + *count));
            at += *count;
            *count = at - *count; // from now on: the next free place in this specialist's run
        }
        let mut taken = vec![(0, 0, 0); located.len()];
        for booking in located {
            taken[ends[booking.0]] = booking;
            ends[booking.0] += 1;
        }
        for &(first, last) in &runs {
            let run = &mut taken[first..last];
            if !run.is_sorted_by_key(|&(_, start, end)| (start, end)) {
                run.sort_unstable_by_key(|&(_, start, end)| (start, end));
            }
        }
        let longest = taken.iter().map(|&(_, start, end)| end - start).max().unwrap_or(0);
        Plan {
            schedule,
            today,
            last_day,
            earliest: now + i64::from(schedule.policy.minimum_notice_minutes) * 60,
            duration: i64::from(schedule.duration_minutes) * 60,
            step: i64::from(schedule.policy.slot_step_minutes.max(1)) * 60,
            taken,
            runs,
            longest,
        }
    }

    /// The free slots of the day `clock` describes.
    fn day(&self, clock: &DayClock) -> Vec<Slot> {
        if clock.date < self.today || clock.date > self.last_day {
            return Vec::new();
        }
        let (duration, step, earliest) = (self.duration, self.step, self.earliest);
        let weekday = clock.date.weekday().to_monday_zero_offset() as u8;
        let mut load = vec![0_i64; self.schedule.specialists.len()];
        let mut free: Vec<(Instant, usize)> = Vec::with_capacity(128);
        let mut intervals = Vec::with_capacity(4);
        for (index, specialist) in self.schedule.specialists.iter().enumerate() {
            let (first, last) = self.runs[index];
            let all = &self.taken[first..last];
            // Only bookings that can touch this day.
            let from = all.partition_point(|&(_, start, _)| start < clock.midnight - self.longest);
            let to = all.partition_point(|&(_, start, _)| start < clock.next_midnight);
            let theirs = &all[from..to];
            load[index] =
                theirs.iter().map(|&(_, s, e)| (e.min(clock.next_midnight) - s.max(clock.midnight)).max(0)).sum();
            working_intervals(clock, specialist.working_hours.day(weekday), &mut intervals);
            for &(open, close, continues_until) in &intervals {
                // Starts only grow within an interval, so one pointer sweeps the bookings: those
                // that ended by `start` can never overlap a later start either.
                let mut next = 0;
                let mut start = open;
                // The first grid start at or after `at` (the grid is `open + k * step`).
                let first_on_grid_from = |from: Instant, at: Instant| from + (at - from + step - 1) / step * step;
                while start < close && start + duration <= continues_until {
                    if start < earliest {
                        start = first_on_grid_from(start, earliest);
                        continue;
                    }
                    let end = start + duration;
                    while next < theirs.len() && theirs[next].2 <= start {
                        next += 1;
                    }
                    // Of the bookings not yet ended (sorted by start), those starting before `end`
                    // overlap this start; every grid start before the last of them ends overlaps too.
                    let blocked_until = theirs[next..]
                        .iter()
                        .take_while(|&&(_, b_start, _)| b_start < end)
                        .filter(|&&(_, _, b_end)| b_end > start)
                        .map(|&(_, _, b_end)| b_end)
                        .max();
                    match blocked_until {
                        Some(until) => start = first_on_grid_from(start, until),
                        None => {
                            free.push((start, index));
                            start += step;
                        }
                    }
                }
            }
        }
        free.sort_unstable();
        let mut slots: Vec<Slot> = Vec::new();
        for (start, index) in free {
            match slots.last_mut() {
                Some(slot) if slot.start == start => slot.free.push(index),
                _ => slots.push(Slot { start, free: vec![index] }),
            }
        }
        for slot in &mut slots {
            // "Any specialist" goes to whoever is least booked that day; catalog order breaks ties.
            slot.free.sort_by_key(|&i| (load[i], i));
        }
        slots
    }
}

/// FNV-1a: a fast, fixed hash of a specialist id, used only to find it quickly (never trusted
/// alone: a match is confirmed by comparing the ids).
fn id_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Turns the local wall-clock times of one date into instants. On a day without a clock change
/// (almost every day) that is arithmetic from local midnight; on a day with one, each time goes
/// through [`local_instant`].
struct DayClock<'a> {
    zone: &'a TimeZone,
    date: Date,
    midnight: Instant,
    next_midnight: Instant,
    uniform: bool,
}

impl<'a> DayClock<'a> {
    fn new(zone: &'a TimeZone, date: Date) -> Self {
        let (midnight, next_midnight) = day_bounds(zone, date);
        let no_transition_today =
            zone.following(timestamp(midnight)).next().is_none_or(|t| t.timestamp().as_second() >= next_midnight);
        let uniform = next_midnight - midnight == 86_400 && no_transition_today;
        DayClock { zone, date, midnight, next_midnight, uniform }
    }

    /// The next date's clock. Its midnight is this day's next midnight; without a clock change in
    /// `changes` during it, the rest is arithmetic.
    fn next_day(&self, changes: &[Instant]) -> DayClock<'a> {
        let Ok(date) = self.date.tomorrow() else {
            return DayClock::new(self.zone, self.date);
        };
        let midnight = self.next_midnight;
        let first_change = changes.partition_point(|&t| t < midnight);
        if changes.get(first_change).is_some_and(|&t| t <= midnight + 86_400) {
            return DayClock::new(self.zone, date);
        }
        DayClock { zone: self.zone, date, midnight, next_midnight: midnight + 86_400, uniform: true }
    }

    fn at(&self, time: MinuteOfDay) -> Instant {
        if self.uniform {
            self.midnight + i64::from(time.minutes()) * 60
        } else {
            local_instant(self.zone, self.date, time)
        }
    }
}

/// The real-time intervals `[open, close)` of one day's working ranges, each with the instant up to
/// which work continues without a gap (`continues_until`). Starts step through each range from its
/// own beginning, but a visit may run on into a range that follows without a break: back-to-back
/// ranges (09:00–13:00, 13:00–17:00), or ranges whose break falls in a skipped daylight-saving hour.
/// Fills `intervals` (a buffer reused across specialists).
fn working_intervals(
    clock: &DayClock,
    ranges: &[crate::time::TimeRange],
    intervals: &mut Vec<(Instant, Instant, Instant)>,
) {
    intervals.clear();
    intervals.extend(
        ranges
            .iter()
            .map(|range| (clock.at(range.start), clock.at(range.end)))
            .filter(|(open, close)| open < close)
            .map(|(open, close)| (open, close, close)),
    );
    intervals.sort_unstable();
    // Walk backwards so each interval learns how far the work continues after it.
    for i in (0..intervals.len().saturating_sub(1)).rev() {
        let (next_open, _, next_until) = intervals[i + 1];
        if next_open <= intervals[i].2 {
            intervals[i].2 = intervals[i].2.max(next_until);
        }
    }
}

/// Decides, at commit time, who takes a booking starting at `start`: the `wanted` specialist if
/// they are free, otherwise (for "any specialist") the first free one in [`free_slots`] order.
/// Returns an index into [`ServiceSchedule::specialists`].
///
/// # Errors
/// `start_in_past` when `start` is before `now` plus the minimum notice; `slot_unavailable` when
/// the start is not a free slot (taken, outside working hours, off the slot grid or the horizon).
pub fn choose_specialist(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    start: Instant,
    wanted: Option<&str>,
    busy: &[Busy],
    now: Instant,
) -> Result<usize, ApiError> {
    if start < now + i64::from(schedule.policy.minimum_notice_minutes) * 60 {
        return Err(ApiError::field(
            ErrorCode::StartInPast,
            "start",
            "This time has passed or is too soon to book online. Please pick a later time.",
        ));
    }
    let slots = free_slots(schedule, zone, local_date(zone, start), busy, now);
    let taken =
        || ApiError::new(ErrorCode::SlotUnavailable, "Sorry, this time has just been taken. Please pick another.");
    let slot = slots.iter().find(|s| s.start == start).ok_or_else(taken)?;
    match wanted {
        None => slot.free.first().copied().ok_or_else(taken),
        Some(id) => slot.free.iter().copied().find(|&i| schedule.specialists[i].id == id).ok_or_else(taken),
    }
}

/// Parses an RFC 3339 instant such as `2026-11-24T09:00:00Z`.
///
/// # Errors
/// `validation_failed` on `field`.
pub fn parse_instant(text: &str, field: &str) -> Result<Instant, ApiError> {
    text.parse::<Timestamp>().map(|t| t.as_second()).map_err(|_| {
        ApiError::field(
            ErrorCode::ValidationFailed,
            field,
            format!("{field} must be an RFC 3339 instant such as 2026-11-24T09:00:00Z"),
        )
    })
}

/// Formats an instant as RFC 3339 UTC, the form [`parse_instant`] reads.
pub fn format_instant(at: Instant) -> String {
    timestamp(at).to_string()
}

/// Parses a local date `YYYY-MM-DD`.
///
/// # Errors
/// `validation_failed` on `field`.
pub fn parse_date(text: &str, field: &str) -> Result<Date, ApiError> {
    text.parse::<Date>().map_err(|_| {
        ApiError::field(ErrorCode::ValidationFailed, field, format!("{field} must be a date such as 2026-11-24"))
    })
}

fn timestamp(at: Instant) -> Timestamp {
    Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The instant a location's clock first reads wall-clock time `at` on `date` ("24:00" is the next
/// day's midnight). That one rule settles daylight-saving days: a time skipped by a jump forward
/// is reached at the jump itself (so "work until 01:30" on a day whose clock jumps from 01:00 to
/// 02:00 ends at the jump), and a repeated time counts its first occurrence.
fn local_instant(zone: &TimeZone, date: Date, at: MinuteOfDay) -> Instant {
    let (hour, minute) = at.hour_minute();
    let datetime = if hour == 24 {
        date.tomorrow().map(|d| d.to_datetime(Time::midnight()))
    } else {
        Time::new(hour as i8, minute as i8, 0, 0).map(|t| DateTime::from_parts(date, t))
    };
    let Ok(datetime) = datetime else {
        return 0; // only at the ends of jiff's range (years ±9999), never for a real booking date
    };
    let ambiguous = zone.to_ambiguous_timestamp(datetime);
    let instant = match ambiguous.offset() {
        AmbiguousOffset::Gap { after, .. } => after
            .to_timestamp(datetime)
            .ok()
            .and_then(|before_jump| zone.following(before_jump).next())
            .map(|transition| transition.timestamp())
            .ok_or(()),
        _ => ambiguous.earlier().map_err(|_| ()),
    };
    instant.map(|t| t.as_second()).unwrap_or(0)
}

pub mod reference;
#[cfg(test)]
mod tests;
