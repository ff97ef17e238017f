//! Working time on one date, as the calendar shows it: when a specialist works at a location and
//! when the location is open. The rules are the engine's (see the module's docs): a specialist
//! works in their weekly hours or the date's override, not on a day of time off or a holiday,
//! and only while the location is open. `reference::worked_minutes` is the minute-by-minute
//! reference the property test holds this to.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::clock::{civil, join, DayClock};
use super::plan::intersect;
use super::{Instant, SpecialistHours};
use crate::catalog::WeeklyHours;
use crate::time::CivilDate;

/// When the person works on local `date`: sorted, disjoint `[start, end)` stretches (touching
/// ranges joined, as the engine books them), empty on a day off. A break is the gap between two
/// stretches.
pub fn working_time(
    person: &SpecialistHours,
    opening_hours: Option<&WeeklyHours>,
    holidays: &[CivilDate],
    zone: &TimeZone,
    date: Date,
) -> Vec<(Instant, Instant)> {
    let away = person.time_off.iter().any(|t| civil(t.from) <= date && date <= civil(t.until));
    let Some(open) = opening_time(opening_hours, holidays, zone, date).filter(|_| !away) else {
        return if away { Vec::new() } else { hours(person, zone, date) };
    };
    let mut out = Vec::new();
    intersect(&hours(person, zone, date), &open, &mut out);
    out
}

/// When the location is open on local `date`: `None` when it sets no opening hours (its
/// specialists' own hours bound the day), `Some` of nothing on a holiday or a closed weekday.
pub fn opening_time(
    opening_hours: Option<&WeeklyHours>,
    holidays: &[CivilDate],
    zone: &TimeZone,
    date: Date,
) -> Option<Vec<(Instant, Instant)>> {
    if holidays.iter().any(|&holiday| civil(holiday) == date) {
        return Some(Vec::new());
    }
    let week = opening_hours?;
    let mut out = Vec::new();
    DayClock::new(zone, date).intervals(week.day(weekday(date)), &mut out);
    Some(out)
}

/// The person's own hours that date (the override, else the weekday's), before the location's.
fn hours(person: &SpecialistHours, zone: &TimeZone, date: Date) -> Vec<(Instant, Instant)> {
    let ranges = match person.date_overrides.iter().find(|o| civil(o.date) == date) {
        Some(day) => &day.hours[..],
        None => person.working_hours.day(weekday(date)),
    };
    let mut out = Vec::new();
    DayClock::new(zone, date).intervals(ranges, &mut out);
    join(&mut out);
    out
}

fn weekday(date: Date) -> u8 {
    date.weekday().to_monday_zero_offset() as u8
}
