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
    let Some(day) = Day::new(schedule, zone, date, busy, now) else { return Vec::new() };
    let mut out = Vec::new();
    for i in 0..schedule.specialists.len() {
        let minutes = day.specialist(i);
        let mut t = day.start;
        while t < day.end {
            match schedule.policy.slot_mode {
                SlotMode::Fixed => {
                    if minutes.worked(t) && !minutes.worked(t - 60) {
                        let mut stretch_end = t;
                        while minutes.worked(stretch_end) {
                            stretch_end += 60;
                        }
                        let step = i64::from(schedule.policy.slot_step_minutes) * 60;
                        let mut start = t;
                        while start < stretch_end {
                            if minutes.free(start) {
                                out.push((start, i));
                            }
                            start += step;
                        }
                    }
                }
                SlotMode::Optimal => {
                    if minutes.free(t) && (minutes.touches_before(t) || minutes.touches_after(t)) {
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

/// Every start of a visit of several services one after another (`parts`, each the schedule of
/// one service at the location), sorted. A start is offered when the first part can start then
/// ([`free_starts`]) and some choice of specialists lets each later part start, at any minute, the
/// moment the one before ends. `wanted[k]`, if given, is the only specialist allowed for part `k`.
/// The parts are checked against the location's busy time, never against each other.
pub fn visit_starts(
    parts: &[ServiceSchedule],
    wanted: &[Option<&str>],
    zone: &TimeZone,
    date: Date,
    busy: &[Busy],
    now: Instant,
) -> Vec<Instant> {
    let Some(first) = parts.first() else { return Vec::new() };
    let allowed =
        |k: usize, i: usize| wanted.get(k).copied().flatten().is_none_or(|id| parts[k].specialists[i].id == id);
    // Each later part's specialists, minute by minute.
    let later: Vec<Vec<(usize, SpecialistMinutes)>> = parts[1..]
        .iter()
        .enumerate()
        .map(|(k, part)| match Day::new(part, zone, date, busy, now) {
            Some(day) => {
                (0..part.specialists.len()).filter(|&i| allowed(k + 1, i)).map(|i| (i, day.specialist(i))).collect()
            }
            None => Vec::new(),
        })
        .collect();
    fn chain(parts: &[ServiceSchedule], later: &[Vec<(usize, SpecialistMinutes)>], k: usize, t: Instant) -> bool {
        let Some(choices) = later.get(k - 1) else { return true };
        choices.iter().any(|(i, minutes)| {
            minutes.free(t) && chain(parts, later, k + 1, t + i64::from(parts[k].specialists[*i].duration_minutes) * 60)
        })
    }
    let mut starts: Vec<Instant> = free_starts(first, zone, date, busy, now)
        .into_iter()
        .filter(|&(start, i)| {
            allowed(0, i) && chain(parts, &later, 1, start + i64::from(first.specialists[i].duration_minutes) * 60)
        })
        .map(|(start, _)| start)
        .collect();
    starts.dedup();
    starts
}

/// The runs of minutes specialist `i` of `schedule` works on `date` (holidays, time off, the
/// date's override or weekly hours, opening hours), as `[start, end)` intervals: the reference for
/// [`super::working_time`].
pub fn worked_minutes(schedule: &ServiceSchedule, i: usize, zone: &TimeZone, date: Date) -> Vec<(Instant, Instant)> {
    let (start, end) = day_bounds(zone, date);
    let mut open = schedule.clone();
    open.policy.horizon_days = 1;
    open.policy.minimum_notice_minutes = 0;
    let Some(day) = Day::new(&open, zone, date, &[], start) else { return Vec::new() };
    let minutes = day.specialist(i);
    let mut runs: Vec<(Instant, Instant)> = Vec::new();
    let mut t = start;
    while t < end {
        if minutes.worked(t) {
            match runs.last_mut() {
                Some(run) if run.1 == t => run.1 = t + 60,
                _ => runs.push((t, t + 60)),
            }
        }
        t += 60;
    }
    runs
}

/// One bookable date of one service, minute by minute.
struct Day<'a> {
    schedule: &'a ServiceSchedule,
    date: Date,
    weekday: u8,
    earliest: Instant,
    start: Instant,
    end: Instant,
    /// `reading[k]`: the highest clock reading (minute of day) seen from day start to minute k.
    reading: Vec<u16>,
    busy: &'a [Busy],
}

impl<'a> Day<'a> {
    /// `None` when nobody can book the date: before today, beyond the horizon, a holiday.
    fn new(schedule: &'a ServiceSchedule, zone: &TimeZone, date: Date, busy: &'a [Busy], now: Instant) -> Option<Self> {
        let policy = &schedule.policy;
        let today = local_date(zone, now);
        if date < today || date > add_days(today, i64::from(policy.horizon_days) - 1) {
            return None;
        }
        if schedule.holidays.iter().any(|&holiday| civil(holiday) == date) {
            return None;
        }
        let (start, end) = day_bounds(zone, date);
        let mut reading = Vec::new();
        let mut so_far = 0u16;
        let mut minute = start;
        while minute < end {
            let local = timestamp(minute).to_zoned(zone.clone());
            if local.date() == date {
                so_far = so_far.max(local.hour() as u16 * 60 + local.minute() as u16);
            }
            reading.push(so_far);
            minute += 60;
        }
        Some(Day {
            schedule,
            date,
            weekday: date.weekday().to_monday_zero_offset() as u8,
            earliest: now + i64::from(policy.minimum_notice_minutes) * 60,
            start,
            end,
            reading,
            busy,
        })
    }

    /// Specialist `i`'s minutes: worked or not, busy or not.
    fn specialist(&self, i: usize) -> SpecialistMinutes {
        let schedule = self.schedule;
        let s = &schedule.specialists[i];
        let date = self.date;
        let in_ranges = |ranges: &[TimeRange], reading: u16| {
            ranges.iter().any(|r| {
                let ended = r.end.minutes() != 1440 && reading >= r.end.minutes();
                reading >= r.start.minutes() && !ended
            })
        };
        let away = s.time_off.iter().any(|t| civil(t.from) <= date && date <= civil(t.until));
        let hours = match s.date_overrides.iter().find(|o| civil(o.date) == date) {
            Some(day) => &day.hours[..],
            None => s.working_hours.day(self.weekday),
        };
        let works_at = |m: Instant| {
            if m < self.start || m >= self.end || away {
                return false;
            }
            let now_reads = self.reading[((m - self.start) / 60) as usize];
            in_ranges(hours, now_reads)
                && schedule.opening_hours.as_ref().is_none_or(|week| in_ranges(week.day(self.weekday), now_reads))
        };
        let resource_full_at = |m: Instant| {
            schedule.resources.iter().any(|need| {
                let in_use =
                    self.busy.iter().filter(|b| b.resource_ids.contains(&need.id) && b.start <= m && m < b.end).count();
                in_use >= need.capacity as usize
            })
        };
        let busy_at = |m: Instant| {
            self.busy.iter().any(|b| b.specialist_id == s.id && b.start <= m && m < b.end) || resource_full_at(m)
        };
        let (before, after) =
            (i64::from(schedule.buffer_before_minutes) * 60, i64::from(schedule.buffer_after_minutes) * 60);
        let duration = i64::from(s.duration_minutes) * 60;
        // The two answers, once per minute of a window wide enough for any visit of the day and
        // its buffers (a cache: the values are exactly the closures').
        let window_start = self.start - before - 60;
        let window_end = self.end + duration + after + 60;
        let minutes = |f: &dyn Fn(Instant) -> bool| -> Vec<bool> {
            (0..(window_end - window_start) / 60).map(|j| f(window_start + j * 60)).collect()
        };
        SpecialistMinutes {
            window_start,
            worked: minutes(&works_at),
            busy: minutes(&busy_at),
            earliest: self.earliest,
            duration,
            before,
            after,
        }
    }
}

/// One specialist's day, minute by minute.
struct SpecialistMinutes {
    window_start: Instant,
    worked: Vec<bool>,
    busy: Vec<bool>,
    earliest: Instant,
    duration: Instant,
    before: Instant,
    after: Instant,
}

impl SpecialistMinutes {
    fn worked(&self, m: Instant) -> bool {
        self.worked.get(((m - self.window_start) / 60) as usize).copied().unwrap_or(false)
    }

    fn blocked(&self, m: Instant) -> bool {
        self.busy.get(((m - self.window_start) / 60) as usize).copied().unwrap_or(false)
    }

    /// Whether a visit may start at `t`: not before the notice, every minute of it worked, no
    /// minute of it with its buffers busy.
    fn free(&self, t: Instant) -> bool {
        t >= self.earliest
            && (0..self.duration / 60).all(|j| self.worked(t + j * 60))
            && (0..(self.before + self.duration + self.after) / 60).all(|j| !self.blocked(t - self.before + j * 60))
    }

    /// Whether the visit starting at `t` begins a stretch, or its buffer begins right after a busy minute.
    fn touches_before(&self, t: Instant) -> bool {
        !self.worked(t - 60) || self.blocked(t - self.before - 60)
    }

    /// Whether the visit starting at `t` ends a stretch, or its buffer ends right before a busy minute.
    fn touches_after(&self, t: Instant) -> bool {
        !self.worked(t + self.duration) || self.blocked(t + self.duration + self.after)
    }
}
