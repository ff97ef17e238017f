//! What one request's answer needs, prepared once (today, the bookings grouped by specialist, when
//! the resources are fully used), and the computation of one day's free starts from it.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::clock::{add_days, civil, local_date, DayClock};
use super::day_slots::DaySlots;
use super::{Busy, Instant, ServiceSchedule};
use crate::catalog::SlotMode;
use crate::time::TimeRange;

/// `(specialist index, start, end)` of a busy span.
type Span = (u32, Instant, Instant);

pub(super) struct Plan<'a> {
    schedule: &'a ServiceSchedule,
    today: Date,
    last_day: Date,
    /// The earliest bookable start (now plus the minimum notice), rounded up to a whole minute.
    earliest: Instant,
    before: i64,
    after: i64,
    step: i64,
    optimal: bool,
    /// Each specialist's visit length, in seconds.
    durations: Vec<i64>,
    /// `(specialist, start, end)` of every busy span, grouped by specialist, each group sorted.
    taken: Vec<Span>,
    /// Where each specialist's group is in `taken`.
    runs: Vec<(usize, usize)>,
    /// The longest busy span, which bounds how early a span touching a day can start.
    longest_busy: i64,
    /// When some resource the service needs is fully in use: sorted, disjoint.
    resources_full: Vec<(Instant, Instant)>,
    /// Dates the location is closed, sorted.
    holidays: Vec<Date>,
    /// Per specialist: `(date, hours)` overrides and `(from, until)` days away.
    overrides: Vec<Vec<(Date, &'a [TimeRange])>>,
    time_off: Vec<Vec<(Date, Date)>>,
}

/// Buffers reused from day to day and specialist to specialist, so a month costs a few allocations.
#[derive(Default)]
pub(super) struct Scratch {
    opening: Vec<(Instant, Instant)>,
    hours: Vec<(Instant, Instant)>,
    stretches: Vec<(Instant, Instant)>,
    blocked: Vec<(Instant, Instant)>,
    pairs: Vec<(Instant, u32)>,
    order: Vec<u32>,
    load: Vec<i64>,
}

impl<'a> Plan<'a> {
    pub fn new(schedule: &'a ServiceSchedule, zone: &TimeZone, busy: &[Busy], now: Instant) -> Self {
        let policy = &schedule.policy;
        let today = local_date(zone, now);
        let last_day = add_days(today, i64::from(policy.horizon_days.max(1)) - 1);
        let earliest = now + i64::from(policy.minimum_notice_minutes) * 60;
        let earliest = earliest + (60 - earliest.rem_euclid(60)) % 60;
        let durations: Vec<i64> =
            schedule.specialists.iter().map(|s| i64::from(s.duration_minutes.max(1)) * 60).collect();
        let (taken, runs) = group_by_specialist(schedule, busy);
        Plan {
            schedule,
            today,
            last_day,
            earliest,
            before: i64::from(schedule.buffer_before_minutes) * 60,
            after: i64::from(schedule.buffer_after_minutes) * 60,
            step: i64::from(policy.slot_step_minutes.max(1)) * 60,
            optimal: policy.slot_mode == SlotMode::Optimal,
            durations,
            longest_busy: taken.iter().map(|&(_, start, end)| end - start).max().unwrap_or(0),
            taken,
            runs,
            resources_full: resources_full(schedule, busy),
            holidays: {
                let mut dates: Vec<Date> = schedule.holidays.iter().map(|&d| civil(d)).collect();
                dates.sort_unstable();
                dates
            },
            overrides: schedule
                .specialists
                .iter()
                .map(|s| s.date_overrides.iter().map(|o| (civil(o.date), o.hours.as_slice())).collect())
                .collect(),
            time_off: schedule
                .specialists
                .iter()
                .map(|s| s.time_off.iter().map(|t| (civil(t.from), civil(t.until))).collect())
                .collect(),
        }
    }

    /// The free starts of `days` consecutive dates from `from`, one date at a time.
    pub fn days(&'a self, zone: &'a TimeZone, from: Date, days: u32) -> impl Iterator<Item = DaySlots> + 'a {
        let mut clock = DayClock::new(zone, from);
        // Every clock change in the range, found once; the days between are plain arithmetic.
        let changes = clock.changes(days);
        let mut scratch = Scratch::default();
        (0..days).map(move |i| {
            if i > 0 {
                clock = clock.next_day(&changes);
            }
            self.day(&clock, &mut scratch)
        })
    }

    /// The free starts of the day `clock` describes.
    pub fn day(&self, clock: &DayClock, scratch: &mut Scratch) -> DaySlots {
        let date = clock.date;
        if date < self.today || date > self.last_day || self.holidays.binary_search(&date).is_ok() {
            return DaySlots::empty(date);
        }
        let Scratch { opening, hours, stretches, blocked, pairs, order, load } = scratch;
        let mut own: Vec<&[Span]> = Vec::with_capacity(self.schedule.specialists.len());
        let weekday = date.weekday().to_monday_zero_offset() as u8;
        let opening = match &self.schedule.opening_hours {
            Some(week) => {
                clock.intervals(week.day(weekday), opening);
                if opening.is_empty() {
                    return DaySlots::empty(date);
                }
                Some(&*opening)
            }
            None => None,
        };
        let n = self.schedule.specialists.len();
        // Each specialist's busy spans that can rule out a start on this day (given the buffers and
        // the visit), found once, and their load: the busy seconds within the day.
        own.clear();
        load.clear();
        for i in 0..n {
            let (from, to) = self.window(clock, i);
            let spans = self.spans(i, from - self.longest_busy, to);
            own.push(spans);
            load.push(
                spans
                    .iter()
                    .map(|&(_, start, end)| (end.min(clock.next_midnight) - start.max(clock.midnight)).max(0))
                    .sum::<i64>(),
            );
        }
        // "Any specialist" goes to whoever is least booked that day, catalog order breaking ties:
        // visiting specialists in that order leaves each start's list in that order.
        order.clear();
        order.extend(0..n as u32);
        order.sort_unstable_by_key(|&i| (load[i as usize], i));
        pairs.clear();
        for &i in order.iter() {
            let Some(ranges) = self.hours_on(i as usize, date, weekday) else { continue };
            clock.intervals(ranges, hours);
            let stretches: &[(Instant, Instant)] = match opening {
                Some(opening) => {
                    intersect(hours, opening, stretches);
                    stretches
                }
                None => hours,
            };
            if stretches.is_empty() {
                continue;
            }
            let duration = self.durations[i as usize];
            // Busy spans that can rule out a start on this day, given the buffers and the visit.
            let (from, to) = (clock.midnight - self.before, clock.next_midnight + duration + self.after);
            let own = self.spans(i as usize, from - self.longest_busy, to);
            let full = &self.resources_full;
            let full =
                &full[full.partition_point(|&(_, end)| end <= from)..full.partition_point(|&(start, _)| start < to)];
            merge_blocked(own, full, blocked);
            for &(open, close) in stretches {
                self.starts_in(open, close, duration, blocked, &mut |start| pairs.push((start, i)));
            }
        }
        DaySlots::group(date, pairs)
    }

    /// The times whose busy spans can rule out a start of specialist `i` on this day.
    fn window(&self, clock: &DayClock, i: usize) -> (Instant, Instant) {
        (clock.midnight - self.before, clock.next_midnight + self.durations[i] + self.after)
    }

    /// Specialist `i`'s busy spans that start in `[from, to)`.
    fn spans(&self, i: usize, from: Instant, to: Instant) -> &[Span] {
        let (first, last) = self.runs[i];
        let all = &self.taken[first..last];
        &all[all.partition_point(|&(_, start, _)| start < from)..all.partition_point(|&(_, start, _)| start < to)]
    }

    /// Specialist `i`'s working ranges on `date`: none on a day off, an override's hours, or the
    /// weekly hours.
    fn hours_on(&self, i: usize, date: Date, weekday: u8) -> Option<&'a [TimeRange]> {
        if self.time_off[i].iter().any(|&(from, until)| from <= date && date <= until) {
            return None;
        }
        match self.overrides[i].iter().find(|&&(day, _)| day == date) {
            Some(&(_, hours)) => Some(hours),
            None => Some(self.schedule.specialists[i].working_hours.day(weekday)),
        }
    }

    /// Offers the free starts of a visit of `duration` within the stretch of working time
    /// `[open, close)`, given the specialist's `blocked` spans (sorted, disjoint).
    ///
    /// The visit must fit the stretch; the visit with its buffers must not overlap a blocked span.
    /// So the free starts are `[open, close - duration]` minus, for each blocked `[x, y)`, the open
    /// interval `(x - duration - after, y + before)`: a few closed intervals, found in one sweep.
    fn starts_in(
        &self,
        open: Instant,
        close: Instant,
        duration: Instant,
        blocked: &[(Instant, Instant)],
        offer: &mut impl FnMut(Instant),
    ) {
        let last = close - duration;
        if last < open || last < self.earliest {
            return;
        }
        let (before, after) = (self.before, self.after);
        let mut lo = open.max(self.earliest);
        // Whether `lo` touches the stretch's start or a blocked span (for the optimal mode).
        let mut touches = lo == open;
        let first = blocked.partition_point(|&(_, end)| end + before < lo);
        for &(x, y) in &blocked[first..] {
            let (ruled_out_after, ruled_out_before) = (x - duration - after, y + before);
            if ruled_out_before <= lo {
                touches |= ruled_out_before == lo;
                continue;
            }
            if ruled_out_after >= last {
                break;
            }
            if ruled_out_after >= lo {
                self.offer(open, lo, ruled_out_after, touches, offer);
            }
            lo = ruled_out_before;
            touches = true;
            if lo > last {
                return;
            }
        }
        self.offer(open, lo, last, touches, offer);
    }

    /// Offers starts from the free interval `[lo, hi]` of the stretch beginning at `open`. Its end
    /// always touches a blocked span or the stretch's end; its beginning does when `touches`.
    fn offer(&self, open: Instant, lo: Instant, hi: Instant, touches: bool, offer: &mut impl FnMut(Instant)) {
        if self.optimal {
            if touches {
                offer(lo);
            }
            if hi > lo || !touches {
                offer(hi);
            }
        } else {
            let step = self.step;
            let mut start = open + (lo - open + step - 1) / step * step;
            while start <= hi {
                offer(start);
                start += step;
            }
        }
    }
}

/// Every busy span placed with its specialist once: grouped with a counting sort (linear, keeps
/// the input order), then each group sorted by start unless it already is (the location object
/// loads spans in start order, so usually it is).
fn group_by_specialist(schedule: &ServiceSchedule, busy: &[Busy]) -> (Vec<Span>, Vec<(usize, usize)>) {
    let ids = IdTable::new(schedule);
    let mut located: Vec<Span> = Vec::with_capacity(busy.len());
    located.extend(busy.iter().filter_map(|b| Some((ids.find(&b.specialist_id)?, b.start, b.end))));
    let n = schedule.specialists.len();
    let mut next = vec![0usize; n];
    for &(i, _, _) in &located {
        next[i as usize] += 1;
    }
    let mut runs = Vec::with_capacity(n);
    let mut at = 0;
    for count in &mut next {
        runs.push((at, at + *count));
        at += *count;
        *count = at - *count; // from now on: the next free place in this specialist's run
    }
    let mut taken = vec![(0, 0, 0); located.len()];
    for span in located {
        taken[next[span.0 as usize]] = span;
        next[span.0 as usize] += 1;
    }
    for &(first, last) in &runs {
        let run = &mut taken[first..last];
        if !run.is_sorted_by_key(|&(_, start, end)| (start, end)) {
            run.sort_unstable_by_key(|&(_, start, end)| (start, end));
        }
    }
    (taken, runs)
}

/// When the resources the service needs are fully in use: for each, the times its bookings'
/// count reaches its capacity; then the union of those, sorted and disjoint.
fn resources_full(schedule: &ServiceSchedule, busy: &[Busy]) -> Vec<(Instant, Instant)> {
    let mut full = Vec::new();
    let mut events: Vec<(Instant, i32)> = Vec::new();
    for need in &schedule.resources {
        events.clear();
        for b in busy.iter().filter(|b| b.start < b.end && b.resource_ids.contains(&need.id)) {
            events.push((b.start, 1));
            events.push((b.end, -1));
        }
        // Ends before starts at the same instant: back-to-back visits do not overlap.
        events.sort_unstable();
        let (mut in_use, mut since) = (0i64, 0);
        for &(at, change) in &events {
            let was_full = in_use >= i64::from(need.capacity);
            in_use += i64::from(change);
            let is_full = in_use >= i64::from(need.capacity);
            if is_full && !was_full {
                since = at;
            } else if was_full && !is_full && since < at {
                full.push((since, at));
            }
        }
    }
    full.sort_unstable();
    full.dedup_by(|next, kept| {
        if next.0 <= kept.1 {
            kept.1 = kept.1.max(next.1);
            true
        } else {
            false
        }
    });
    full
}

/// The intersection of two sorted lists of disjoint intervals, into `out`.
fn intersect(a: &[(Instant, Instant)], b: &[(Instant, Instant)], out: &mut Vec<(Instant, Instant)>) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (lo, hi) = (a[i].0.max(b[j].0), a[i].1.min(b[j].1));
        if lo < hi {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// A specialist's own busy spans and the resources' full times, merged into sorted, disjoint spans
/// (touching spans joined).
fn merge_blocked(own: &[Span], full: &[(Instant, Instant)], out: &mut Vec<(Instant, Instant)>) {
    out.clear();
    let (mut p, mut q) = (0, 0);
    loop {
        let span = match (own.get(p), full.get(q)) {
            (Some(&(_, start, end)), Some(&(full_start, _))) if start <= full_start => {
                p += 1;
                (start, end)
            }
            (_, Some(&span)) => {
                q += 1;
                span
            }
            (Some(&(_, start, end)), None) => {
                p += 1;
                (start, end)
            }
            (None, None) => break,
        };
        if span.0 >= span.1 {
            continue; // an empty span blocks nothing
        }
        match out.last_mut() {
            Some(last) if span.0 <= last.1 => last.1 = last.1.max(span.1),
            _ => out.push(span),
        }
    }
}

/// Specialist ids to indices, by open addressing: a location's bookings name their specialists by
/// id, and finding each one was most of the cost of preparing a month (a sorted list with binary
/// search took ~185 instructions a booking).
struct IdTable<'a> {
    schedule: &'a ServiceSchedule,
    /// `u32::MAX` marks an empty place; the table is at least twice as big as the ids.
    places: Vec<u32>,
    mask: usize,
}

impl<'a> IdTable<'a> {
    fn new(schedule: &'a ServiceSchedule) -> Self {
        let size = (schedule.specialists.len() * 2).next_power_of_two().max(8);
        let mut table = IdTable { schedule, places: vec![u32::MAX; size], mask: size - 1 };
        for (i, specialist) in schedule.specialists.iter().enumerate() {
            let mut place = id_hash(&specialist.id) as usize & table.mask;
            while table.places[place] != u32::MAX {
                place = (place + 1) & table.mask;
            }
            table.places[place] = i as u32;
        }
        table
    }

    fn find(&self, id: &str) -> Option<u32> {
        let mut place = id_hash(id) as usize & self.mask;
        loop {
            let i = self.places[place];
            if i == u32::MAX {
                return None;
            }
            // Ids are short: comparing bytes in place beats a call to memcmp.
            let known = self.schedule.specialists[i as usize].id.as_bytes();
            if known.len() == id.len() && known.iter().zip(id.as_bytes()).all(|(a, b)| a == b) {
                return Some(i);
            }
            place = (place + 1) & self.mask;
        }
    }
}

/// FNV-1a: a fast, fixed hash of a specialist id, used only to find it quickly (never trusted
/// alone: a match is confirmed by comparing the ids).
fn id_hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}
