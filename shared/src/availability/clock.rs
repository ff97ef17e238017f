//! Local wall-clock time at a location, and the instants it maps to. Everything that needs the
//! time-zone database lives here.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ToSpan};

use super::Instant;
use crate::catalog::Company;
use crate::error::{ApiError, ErrorCode};
use crate::time::{CivilDate, MinuteOfDay, TimeRange};

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
/// `days` dates.
pub fn range_bounds(zone: &TimeZone, from: Date, days: u32) -> (Instant, Instant) {
    (day_bounds(zone, from).0, day_bounds(zone, add_days(from, i64::from(days.max(1)) - 1)).1)
}

/// `date` plus `days` (saturating at the ends of the calendar).
pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(days.days()).unwrap_or(date)
}

/// A catalog date as a calendar date.
pub fn civil(date: CivilDate) -> Date {
    let (y, m, d) = date.ymd();
    // CivilDate only holds valid dates; years beyond jiff's ±9999 cannot come from a catalog.
    Date::new(y.clamp(-9999, 9999) as i16, m as i8, d as i8).unwrap_or(Date::MIN)
}

/// The inverse of [`civil`]: a jiff date as the core's `CivilDate` (every jiff date is one).
pub fn civil_date(date: Date) -> CivilDate {
    CivilDate::from_ymd(i32::from(date.year()), date.month() as u32, date.day() as u32)
        .unwrap_or_else(|| CivilDate::from_ymd(1970, 1, 1).expect("a valid date"))
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

pub(super) fn timestamp(at: Instant) -> Timestamp {
    Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The instant a location's clock first reads wall-clock time `at` on `date` ("24:00" is the next
/// day's midnight). That one rule settles daylight-saving days: a time skipped by a jump forward
/// is reached at the jump itself (so "work until 01:30" on a day whose clock jumps from 01:00 to
/// 02:00 ends at the jump), and a repeated time counts its first occurrence.
pub fn local_instant(zone: &TimeZone, date: Date, at: MinuteOfDay) -> Instant {
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

/// Turns the local wall-clock times of one date into instants. On a day without a clock change
/// (almost every day) that is arithmetic from local midnight; on a day with one, each time goes
/// through [`local_instant`].
pub(super) struct DayClock<'a> {
    zone: &'a TimeZone,
    pub date: Date,
    pub midnight: Instant,
    pub next_midnight: Instant,
    uniform: bool,
}

impl<'a> DayClock<'a> {
    pub fn new(zone: &'a TimeZone, date: Date) -> Self {
        let (midnight, next_midnight) = day_bounds(zone, date);
        let no_transition_today =
            zone.following(timestamp(midnight)).next().is_none_or(|t| t.timestamp().as_second() >= next_midnight);
        let uniform = next_midnight - midnight == 86_400 && no_transition_today;
        DayClock { zone, date, midnight, next_midnight, uniform }
    }

    /// Every clock change from this day's midnight to `days` days later, for [`DayClock::next_day`].
    pub fn changes(&self, days: u32) -> Vec<Instant> {
        let range_end = self.midnight + (i64::from(days) + 2) * 86_400;
        self.zone
            .following(timestamp(self.midnight))
            .map(|t| t.timestamp().as_second())
            .take_while(|&t| t <= range_end)
            .collect()
    }

    /// The next date's clock. Its midnight is this day's next midnight; without a clock change in
    /// `changes` during it, the rest is arithmetic.
    pub fn next_day(&self, changes: &[Instant]) -> DayClock<'a> {
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

    /// Whether the day has 24 hours and no clock change: then every local time is an offset from
    /// midnight.
    pub fn is_uniform(&self) -> bool {
        self.uniform
    }

    pub fn at(&self, time: MinuteOfDay) -> Instant {
        if self.uniform {
            self.midnight + i64::from(time.minutes()) * 60
        } else {
            local_instant(self.zone, self.date, time)
        }
    }

    /// The real-time intervals of local `ranges` on this day, sorted, with touching intervals
    /// joined: back-to-back ranges (09:00–13:00, 13:00–17:00) and ranges whose gap falls in a
    /// skipped daylight-saving hour are one stretch of time. Fills `out`.
    pub fn intervals(&self, ranges: &[TimeRange], out: &mut Vec<(Instant, Instant)>) {
        out.clear();
        out.extend(ranges.iter().map(|range| (self.at(range.start), self.at(range.end))));
        join(out);
    }
}

/// Sorts intervals and joins those that overlap or touch; drops empty ones.
pub(super) fn join(intervals: &mut Vec<(Instant, Instant)>) {
    intervals.retain(|(open, close)| open < close);
    if !intervals.is_sorted() {
        intervals.sort_unstable();
    }
    intervals.dedup_by(|next, kept| {
        if next.0 <= kept.1 {
            kept.1 = kept.1.max(next.1);
            true
        } else {
            false
        }
    });
}
