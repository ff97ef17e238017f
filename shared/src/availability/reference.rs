//! The slow, obviously correct reference for [`super::free_slots`], used by the property tests and
//! by the benchmark (`cargo bench -p homeslot-core --features tz`). It walks the location's clock
//! minute by minute and asks of each minute, for each specialist, "do they work now?" and "are they
//! busy now?". It shares nothing with the engine but the day's two midnights.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::clock::{add_days, civil, day_bounds, local_date, timestamp};
use super::{Busy, Instant, ServiceSchedule};
use crate::catalog::SlotMode;
use crate::time::TimeRange;

/// Every free `(start, specialist index)` pair of `date`, sorted.
///
/// A specialist works in a minute when the location is not on holiday, they are not away, and the
/// minute falls in one of their ranges for the date (the date's override, else the weekly hours)
/// and, if the location has opening hours, in one of those. A minute falls in a range when the
/// clock has already reached the range's start and has not yet reached its end ("reached" = the
/// highest reading so far, so a jump forward reaches every skipped time at once and a repeated hour
/// does not reopen a range that has ended). A stretch is a run of worked minutes.
///
/// A start is free when it is not before now plus the notice, every minute of the visit is worked,
/// and no minute of the visit with its buffers is busy: inside one of the specialist's busy spans,
/// or inside as many spans using a needed resource as the resource's capacity. "Fixed" offers the
/// free starts every slot step from each stretch's first minute; "optimal" offers the free starts
/// whose visit begins a stretch or whose buffer begins right after a busy minute, or whose visit
/// ends a stretch or whose buffer ends right before a busy minute.
pub fn free_starts(
    schedule: &ServiceSchedule,
    zone: &TimeZone,
    date: Date,
    busy: &[Busy],
    now: Instant,
) -> Vec<(Instant, usize)> {
    let policy = &schedule.policy;
    let today = local_date(zone, now);
    if date < today || date > add_days(today, i64::from(policy.horizon_days) - 1) {
        return Vec::new();
    }
    if schedule.holidays.iter().any(|&holiday| civil(holiday) == date) {
        return Vec::new();
    }
    let weekday = date.weekday().to_monday_zero_offset() as u8;
    let earliest = now + i64::from(policy.minimum_notice_minutes) * 60;
    let (before, after) =
        (i64::from(schedule.buffer_before_minutes) * 60, i64::from(schedule.buffer_after_minutes) * 60);
    let (day_start, day_end) = day_bounds(zone, date);
    // reading[k]: the highest clock reading (minute of day) seen from day start to minute k.
    let mut reading = Vec::new();
    let mut so_far = 0u16;
    let mut minute = day_start;
    while minute < day_end {
        let local = timestamp(minute).to_zoned(zone.clone());
        if local.date() == date {
            so_far = so_far.max(local.hour() as u16 * 60 + local.minute() as u16);
        }
        reading.push(so_far);
        minute += 60;
    }
    let in_ranges = |ranges: &[TimeRange], reading: u16| {
        ranges.iter().any(|r| {
            let ended = r.end.minutes() != 1440 && reading >= r.end.minutes();
            reading >= r.start.minutes() && !ended
        })
    };
    let resource_full_at = |m: Instant| {
        schedule.resources.iter().any(|need| {
            let in_use = busy.iter().filter(|b| b.resource_ids.contains(&need.id) && b.start <= m && m < b.end).count();
            in_use >= need.capacity as usize
        })
    };
    let mut out = Vec::new();
    for (i, s) in schedule.specialists.iter().enumerate() {
        let away = s.time_off.iter().any(|t| civil(t.from) <= date && date <= civil(t.until));
        let hours = match s.date_overrides.iter().find(|o| civil(o.date) == date) {
            Some(day) => &day.hours[..],
            None => s.working_hours.day(weekday),
        };
        let works_at = |m: Instant| {
            if m < day_start || m >= day_end || away {
                return false;
            }
            let now_reads = reading[((m - day_start) / 60) as usize];
            in_ranges(hours, now_reads)
                && schedule.opening_hours.as_ref().is_none_or(|week| in_ranges(week.day(weekday), now_reads))
        };
        let busy_at = |m: Instant| {
            busy.iter().any(|b| b.specialist_id == s.id && b.start <= m && m < b.end) || resource_full_at(m)
        };
        // The same two questions, answered once per minute of a window wide enough for any visit
        // and its buffers (a cache: the answers are exactly the closures').
        let window_start = day_start - before - 60;
        let window_end = day_end + i64::from(s.duration_minutes) * 60 + after + 60;
        let minutes = |f: &dyn Fn(Instant) -> bool| -> Vec<bool> {
            (0..(window_end - window_start) / 60).map(|j| f(window_start + j * 60)).collect()
        };
        let (worked_cache, busy_cache) = (minutes(&works_at), minutes(&busy_at));
        let worked = |m: Instant| worked_cache[((m - window_start) / 60) as usize];
        let blocked = |m: Instant| busy_cache[((m - window_start) / 60) as usize];
        let duration = i64::from(s.duration_minutes) * 60;
        let free = |t: Instant| {
            t >= earliest
                && (0..duration / 60).all(|j| worked(t + j * 60))
                && (0..(before + duration + after) / 60).all(|j| !blocked(t - before + j * 60))
        };
        let mut t = day_start;
        while t < day_end {
            match policy.slot_mode {
                SlotMode::Fixed => {
                    if worked(t) && !worked(t - 60) {
                        let mut stretch_end = t;
                        while worked(stretch_end) {
                            stretch_end += 60;
                        }
                        let step = i64::from(policy.slot_step_minutes) * 60;
                        let mut start = t;
                        while start < stretch_end {
                            if free(start) {
                                out.push((start, i));
                            }
                            start += step;
                        }
                    }
                }
                SlotMode::Optimal => {
                    let touches_before = !worked(t - 60) || blocked(t - before - 60);
                    let touches_after = !worked(t + duration) || blocked(t + duration + after);
                    if free(t) && (touches_before || touches_after) {
                        out.push((t, i));
                    }
                }
            }
            t += 60;
        }
    }
    out.sort();
    out
}
