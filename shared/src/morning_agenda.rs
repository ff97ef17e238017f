//! The morning agenda: when each location's specialists are sent their day. The owner picks one
//! time of day (`MailSettings::agenda_time`); at that time on the location's clock, each
//! specialist with something booked that day gets the day's visits and classes by e-mail.
//!
//! A day's agenda goes out once, at its time or, if the edge could not send it then (it was down,
//! the setting was turned on a little later), up to [`LATE_BY_S`] after it; later than that the
//! day has begun and the agenda is left out. On a daylight-saving day whose clock skips the time,
//! it goes at the jump (the rule of working hours, see `availability`).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::availability::{add_days, day_bounds, local_date, local_instant, Instant};
use crate::time::MinuteOfDay;

/// How late a day's agenda may still be sent: two hours after its time.
pub const LATE_BY_S: i64 = 2 * 3600;

/// A day's agenda whose time has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The location's date the agenda is of.
    pub date: Date,
    /// When it fell due.
    pub at: Instant,
    /// The day's local midnights: what it lists starts in `[from, until)`.
    pub from: Instant,
    pub until: Instant,
}

/// When `date`'s agenda falls due at a location whose clock is `zone`.
pub fn due_on(zone: &TimeZone, date: Date, time: MinuteOfDay) -> Instant {
    local_instant(zone, date, time)
}

/// The agenda to send at `now`, if a day's time has come within the last [`LATE_BY_S`] (today's,
/// or yesterday's when its time was late in the evening).
pub fn due_now(zone: &TimeZone, time: MinuteOfDay, now: Instant) -> Option<Due> {
    let today = local_date(zone, now);
    [add_days(today, -1), today].into_iter().find_map(|date| {
        let at = due_on(zone, date, time);
        (at <= now && now < at + LATE_BY_S).then(|| {
            let (from, until) = day_bounds(zone, date);
            Due { date, at, from, until }
        })
    })
}

/// When the next agenda after `now` falls due: today's if its time is still ahead, else
/// tomorrow's.
pub fn next_after(zone: &TimeZone, time: MinuteOfDay, now: Instant) -> Instant {
    let today = local_date(zone, now);
    [today, add_days(today, 1), add_days(today, 2)]
        .into_iter()
        .map(|date| due_on(zone, date, time))
        .find(|&at| at > now)
        .unwrap_or(now + 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ZONES: [&str; 6] =
        ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Apia"];

    /// The first minute of each local date at which the clock reads `time` or later, minute by
    /// minute over `[from, to)`: the obviously correct reading of "the agenda's time that day".
    fn reference_dues(zone: &TimeZone, time: MinuteOfDay, from: Instant, to: Instant) -> Vec<(Date, Instant)> {
        let reads = |at: Instant| {
            let local = jiff::Timestamp::from_second(at).unwrap().to_zoned(zone.clone());
            (local.date(), u16::try_from(local.hour()).unwrap() * 60 + u16::try_from(local.minute()).unwrap())
        };
        let mut dues: Vec<(Date, Instant)> = Vec::new();
        let mut at = from - from.rem_euclid(60);
        while at < to {
            let (date, minute) = reads(at);
            let before = reads(at - 60);
            let reached = minute >= time.minutes() && (before.0 != date || before.1 < time.minutes());
            if reached && dues.last().is_none_or(|(d, _)| *d != date) {
                dues.push((date, at));
            }
            at += 60;
        }
        dues
    }

    proptest! {
        /// Against the minute-by-minute reference, around any instant in any of a set of zones
        /// (daylight-saving jumps of an hour and of half an hour, a quarter-hour offset).
        #[test]
        fn due_and_next_match_a_minute_by_minute_reference(
            zone_at in 0usize..ZONES.len(),
            now_min in 27_000_000i64..29_000_000,
            time_min in 0u16..1440,
        ) {
            let zone = TimeZone::get(ZONES[zone_at]).unwrap();
            let time = MinuteOfDay::new(time_min).unwrap();
            let now = now_min * 60;
            let dues = reference_dues(&zone, time, now - 2 * 86_400, now + 3 * 86_400);
            let expected_now = dues.iter().find(|(_, at)| *at <= now && now < at + LATE_BY_S).map(|(d, at)| (*d, *at));
            prop_assert_eq!(due_now(&zone, time, now).map(|due| (due.date, due.at)), expected_now);
            let expected_next = dues.iter().find(|(_, at)| *at > now).map(|(_, at)| *at);
            prop_assert_eq!(Some(next_after(&zone, time, now)), expected_next);
        }
    }

    #[test]
    fn an_agenda_lists_its_whole_local_day() {
        let zone = TimeZone::get("Europe/London").unwrap();
        // 2026-03-29: the clocks go forward at 01:00 UTC; the day is 23 hours long.
        let eight = MinuteOfDay::parse("08:00").unwrap();
        let half_past_six_utc = 1_774_765_800; // 07:30 in London
        assert!(due_now(&zone, eight, half_past_six_utc).is_none());
        assert_eq!(next_after(&zone, eight, half_past_six_utc), half_past_six_utc + 1800);
        let due = due_now(&zone, eight, half_past_six_utc + 3600).unwrap();
        assert_eq!(due.date.to_string(), "2026-03-29");
        assert_eq!(due.until - due.from, 23 * 3600);
    }
}
