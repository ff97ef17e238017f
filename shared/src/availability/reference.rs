//! The slow, obviously correct reference for [`super::free_slots`], used by the property tests and
//! by the benchmark (`cargo bench -p homeslot-core --features tz`). It shares no logic with the
//! engine beyond turning a working range's start into an instant (the grid origin).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{day_bounds, local_instant, timestamp, Busy, Instant, ServiceSchedule};

/// The slow, obviously correct reference: every free `(start, specialist index)` pair, sorted. It walks the location's clock minute by minute through
/// the local day. A specialist works in a minute when, for one of their ranges, the clock has
/// already reached the range's start and has not yet reached its end ("reached" = the highest
/// reading so far, so a jump forward reaches every skipped time at once and a repeated hour does
/// not reopen a range that has ended). A start on the grid is free when every minute of the visit
/// is worked and outside the specialist's bookings, and the start respects the notice.
pub fn free_starts(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    date: Date,
    busy: &[Busy],
    now: Instant,
) -> Vec<(Instant, usize)> {
    let weekday = date.weekday().to_monday_zero_offset() as u8;
    let earliest = now + i64::from(schedule.policy.minimum_notice_minutes) * 60;
    let (day_start, day_end) = day_bounds(zone, date);
    // highest[k]: the highest clock reading (minute of day) seen from day start to minute k.
    let mut highest = Vec::new();
    let mut so_far = 0u16;
    let mut minute = day_start;
    while minute < day_end {
        let local = timestamp(minute).to_zoned(zone.clone());
        if local.date() == date {
            so_far = so_far.max(local.hour() as u16 * 60 + local.minute() as u16);
        }
        highest.push(so_far);
        minute += 60;
    }
    let mut out = Vec::new();
    for (i, s) in schedule.specialists.iter().enumerate() {
        let ranges = s.working_hours.day(weekday);
        let works_at = |m: Instant| {
            let k = (m - day_start) / 60;
            m >= day_start
                && (k as usize) < highest.len()
                && ranges.iter().any(|r| {
                    let reading = highest[k as usize];
                    let ended = r.end.minutes() != 1440 && reading >= r.end.minutes();
                    reading >= r.start.minutes() && !ended
                })
        };
        for r in ranges {
            let mut start = local_instant(zone, date, r.start);
            let close = local_instant(zone, date, r.end);
            while start < close {
                let mut minutes = (0..schedule.duration_minutes as i64).map(|m| start + m * 60);
                let free = minutes
                    .all(|m| works_at(m) && !busy.iter().any(|b| b.specialist_id == s.id && b.start <= m && m < b.end));
                if free && start >= earliest {
                    out.push((start, i));
                }
                start += i64::from(schedule.policy.slot_step_minutes) * 60;
            }
        }
    }
    out.sort();
    out
}
