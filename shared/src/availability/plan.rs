//! What one request's answer needs, prepared once (today, the bookings grouped by specialist, when
//! the resources are fully used), and the computation of one day's free starts from it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::clock::{add_days, civil, join, local_date, DayClock};
use super::day_slots::DaySlots;
use super::{BusyTable, Instant, ServiceSchedule};
use crate::catalog::SlotMode;
use crate::time::TimeRange;

/// `(start, end)` of a busy span.
type Span = (Instant, Instant);

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
    /// Every busy span of the schedule's specialists, grouped by specialist, each group sorted.
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

/// A specialist's hours on one date.
enum Hours<'a> {
    /// Time off: none.
    Away,
    /// The date's override.
    Override(&'a [TimeRange]),
    /// The weekly hours of the date's weekday.
    Weekly,
}

/// Buffers reused from day to day and specialist to specialist, so a month costs a few allocations.
/// A scratch belongs to one plan: its cursors and weekly offsets describe that plan's specialists.
#[derive(Default)]
pub(super) struct Scratch {
    opening: Vec<(Instant, Instant)>,
    hours: Vec<(Instant, Instant)>,
    stretches: Vec<(Instant, Instant)>,
    blocked: Vec<(Instant, Instant)>,
    pairs: Vec<(Instant, u32)>,
    order: Vec<u32>,
    /// For a range of days: each specialist's weekly hours as seconds from midnight, joined, for
    /// days without a clock change (almost all). `week[i][weekday]` is a range of `week_offsets`.
    week: Vec<[(u32, u32); 7]>,
    week_offsets: Vec<(Instant, Instant)>,
    /// Per specialist: where the last day's busy spans were in their run.
    cursors: Vec<Option<(usize, usize)>>,
    load: Vec<i64>,
}

impl<'a> Plan<'a> {
    pub fn new(schedule: &'a ServiceSchedule, zone: &TimeZone, busy: &BusyTable, now: Instant) -> Self {
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
            longest_busy: taken.iter().map(|&(start, end)| end - start).max().unwrap_or(0),
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
        self.prepare_week(&mut scratch);
        (0..days).map(move |i| {
            if i > 0 {
                clock = clock.next_day(&changes);
            }
            self.day(&clock, &mut scratch)
        })
    }

    /// Fills the scratch's weekly offsets (worth it for a range of days, not for one).
    fn prepare_week(&self, scratch: &mut Scratch) {
        let Scratch { week, week_offsets, hours: day, .. } = scratch;
        for s in &self.schedule.specialists {
            week.push(core::array::from_fn(|weekday| {
                day.clear();
                day.extend(
                    s.working_hours
                        .day(weekday as u8)
                        .iter()
                        .map(|r| (i64::from(r.start.minutes()) * 60, i64::from(r.end.minutes()) * 60)),
                );
                join(day);
                let first = week_offsets.len() as u32;
                week_offsets.extend_from_slice(day);
                (first, week_offsets.len() as u32)
            }));
        }
    }

    /// The free starts of the day `clock` describes.
    pub fn day(&self, clock: &DayClock, scratch: &mut Scratch) -> DaySlots {
        // Taken out of the scratch so the walk can borrow the rest while starts are collected.
        let mut pairs = std::mem::take(&mut scratch.pairs);
        pairs.clear();
        // Pairs carry the specialist's rank in the "any specialist" order, so sorting them by
        // (start, rank) keeps each start's specialists in order without a stable sort (which
        // allocates).
        self.walk(clock, scratch, &mut |rank, _, open, lo, hi, touches| {
            self.offer(open, lo, hi, touches, &mut |start| pairs.push((start, rank)));
        });
        let day = DaySlots::group(clock.date, &mut pairs, &scratch.order);
        scratch.pairs = pairs;
        day
    }

    /// Each specialist's free intervals on the day: the closed ranges `[lo, hi]` of instants at
    /// which their visit could start (ignoring the slot grid), and the "any specialist" order.
    pub fn free_intervals(&self, clock: &DayClock, scratch: &mut Scratch) -> (Vec<Vec<(Instant, Instant)>>, Vec<u32>) {
        let mut free = vec![Vec::new(); self.schedule.specialists.len()];
        self.walk(clock, scratch, &mut |_, i, _, lo, hi, _| free[i as usize].push((lo, hi)));
        (free, scratch.order.clone())
    }

    /// Walks the day specialist by specialist, in the "any specialist" order it leaves in
    /// `scratch.order`, calling `each(rank, specialist, stretch start, lo, hi, touches)` for every
    /// free interval of starts (see [`Plan::starts_in`]).
    fn walk(
        &self,
        clock: &DayClock,
        scratch: &mut Scratch,
        each: &mut impl FnMut(u32, u32, Instant, Instant, Instant, bool),
    ) {
        let date = clock.date;
        scratch.order.clear();
        if date < self.today || date > self.last_day || self.holidays.binary_search(&date).is_ok() {
            return;
        }
        let Scratch { opening, hours, stretches, blocked, order, load, cursors, week, week_offsets, .. } = scratch;
        let weekday = date.weekday().to_monday_zero_offset() as u8;
        let opening = match &self.schedule.opening_hours {
            Some(week) => {
                clock.intervals(week.day(weekday), opening);
                if opening.is_empty() {
                    return;
                }
                Some(&*opening)
            }
            None => None,
        };
        let n = self.schedule.specialists.len();
        // Each specialist's busy spans that can rule out a start on this day (given the buffers and
        // the visit), found once (the cursors keep where), and their load: the busy seconds that day.
        load.clear();
        cursors.resize(n, None);
        for (i, cursor) in cursors.iter_mut().enumerate() {
            let (from, to) = self.window(clock, i);
            let spans = self.spans(i, from - self.longest_busy, to, cursor);
            load.push(
                spans
                    .iter()
                    .map(|&(start, end)| (end.min(clock.next_midnight) - start.max(clock.midnight)).max(0))
                    .sum::<i64>(),
            );
        }
        // "Any specialist" goes to whoever is least booked that day, catalog order breaking ties:
        // visiting specialists in that order leaves each start's list in that order.
        order.clear();
        order.extend(0..n as u32);
        order.sort_unstable_by_key(|&i| (load[i as usize], i));
        for (rank, &i) in order.iter().enumerate() {
            match self.hours_on(i as usize, date) {
                Hours::Away => continue,
                Hours::Weekly if clock.is_uniform() && !week.is_empty() => {
                    let (first, last) = week[i as usize][weekday as usize];
                    hours.clear();
                    hours.extend(
                        week_offsets[first as usize..last as usize]
                            .iter()
                            .map(|&(open, close)| (clock.midnight + open, clock.midnight + close)),
                    );
                }
                Hours::Weekly => {
                    clock.intervals(self.schedule.specialists[i as usize].working_hours.day(weekday), hours)
                }
                Hours::Override(ranges) => clock.intervals(ranges, hours),
            }
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
            let (from, to) = self.window(clock, i as usize);
            let full = &self.resources_full;
            let full =
                &full[full.partition_point(|&(_, end)| end <= from)..full.partition_point(|&(start, _)| start < to)];
            let (first, _) = self.runs[i as usize];
            let (lo, hi) = cursors[i as usize].unwrap_or((0, 0));
            merge_blocked(&self.taken[first + lo..first + hi], full, blocked);
            for &(open, close) in stretches {
                self.starts_in(open, close, duration, blocked, &mut |lo, hi, touches| {
                    each(rank as u32, i, open, lo, hi, touches)
                });
            }
        }
    }

    /// The times whose busy spans can rule out a start of specialist `i` on this day.
    fn window(&self, clock: &DayClock, i: usize) -> (Instant, Instant) {
        (clock.midnight - self.before, clock.next_midnight + self.durations[i] + self.after)
    }

    /// Specialist `i`'s busy spans that start in `[from, to)`. Days are asked in order, so a
    /// cursor per specialist moves forward through their spans instead of searching each day.
    fn spans(&self, i: usize, from: Instant, to: Instant, cursor: &mut Option<(usize, usize)>) -> &[Span] {
        let (first, last) = self.runs[i];
        let all = &self.taken[first..last];
        // A cursor is reused only if it fits this run and lies before `from` (days go forward).
        let (mut lo, mut hi) = match *cursor {
            Some((lo, hi)) if lo <= all.len() && hi <= all.len() && (lo == 0 || all[lo - 1].0 < from) => (lo, hi),
            _ => (all.partition_point(|&(start, _)| start < from), 0),
        };
        while lo < all.len() && all[lo].0 < from {
            lo += 1;
        }
        hi = hi.max(lo);
        while hi < all.len() && all[hi].0 < to {
            hi += 1;
        }
        while hi > lo && all[hi - 1].0 >= to {
            hi -= 1;
        }
        *cursor = Some((lo, hi));
        &all[lo..hi]
    }

    /// Which hours specialist `i` works on `date`.
    fn hours_on(&self, i: usize, date: Date) -> Hours<'a> {
        if self.time_off[i].iter().any(|&(from, until)| from <= date && date <= until) {
            return Hours::Away;
        }
        match self.overrides[i].iter().find(|&&(day, _)| day == date) {
            Some(&(_, hours)) => Hours::Override(hours),
            None => Hours::Weekly,
        }
    }

    /// Finds the free starts of a visit of `duration` within the stretch of working time
    /// `[open, close)`, given the specialist's `blocked` spans (sorted, disjoint), and reports
    /// them as closed intervals `[lo, hi]` with whether `lo` touches the stretch's start or a
    /// blocked span (`hi` always touches the stretch's end or a blocked span).
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
        interval: &mut impl FnMut(Instant, Instant, bool),
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
                interval(lo, ruled_out_after, touches);
            }
            lo = ruled_out_before;
            touches = true;
            if lo > last {
                return;
            }
        }
        interval(lo, last, touches);
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
/// loads spans in start order, so usually it is). The table's few distinct ids are matched to
/// the schedule's specialists once; spans of anyone else are left out.
fn group_by_specialist(schedule: &ServiceSchedule, busy: &BusyTable) -> (Vec<Span>, Vec<(usize, usize)>) {
    let index_of: Vec<Option<u32>> = busy
        .specialist_ids()
        .iter()
        .map(|id| schedule.specialists.iter().position(|s| &s.id == id).map(|i| i as u32))
        .collect();
    let n = schedule.specialists.len();
    let mut next = vec![0usize; n];
    for &(who, _, _) in busy.spans() {
        if let Some(i) = index_of[who as usize] {
            next[i as usize] += 1;
        }
    }
    let mut runs = Vec::with_capacity(n);
    let mut at = 0;
    for count in &mut next {
        runs.push((at, at + *count));
        at += *count;
        *count = at - *count; // from now on: the next free place in this specialist's run
    }
    let mut taken = vec![(0, 0); at];
    for &(who, start, end) in busy.spans() {
        if let Some(i) = index_of[who as usize] {
            taken[next[i as usize]] = (start, end);
            next[i as usize] += 1;
        }
    }
    for &(first, last) in &runs {
        let run = &mut taken[first..last];
        if !run.is_sorted() {
            run.sort_unstable();
        }
    }
    (taken, runs)
}

/// When the resources the service needs are fully in use: for each, the times its uses' count
/// reaches its capacity; then the union of those, sorted and disjoint.
///
/// Uses arrive in start order (the location object loads them so); a sweep keeps the ends of the
/// uses in progress in a small heap (at most capacity + 1 of them), instead of sorting every start
/// and end event.
fn resources_full(schedule: &ServiceSchedule, busy: &BusyTable) -> Vec<(Instant, Instant)> {
    let mut full = Vec::new();
    let mut uses: Vec<(Instant, Instant)> = Vec::new();
    let mut in_progress: BinaryHeap<Reverse<Instant>> = BinaryHeap::new();
    for need in &schedule.resources {
        let Some(resource) = busy.resource_ids().iter().position(|id| *id == need.id) else { continue };
        uses.clear();
        uses.extend(
            busy.resource_uses()
                .iter()
                .filter(|&&(r, start, end)| r as usize == resource && start < end)
                .map(|&(_, start, end)| (start, end)),
        );
        if !uses.is_sorted() {
            uses.sort_unstable();
        }
        let capacity = need.capacity.max(1) as usize;
        let mut since = 0;
        in_progress.clear();
        // Ends up to `until` finish (ends before starts at the same instant: back to back is fine).
        let mut finish = |until: Instant, in_progress: &mut BinaryHeap<Reverse<Instant>>, since: Instant| {
            while let Some(&Reverse(end)) = in_progress.peek() {
                if end > until {
                    break;
                }
                in_progress.pop();
                if in_progress.len() + 1 == capacity && since < end {
                    full.push((since, end));
                }
            }
        };
        for &(start, end) in &uses {
            finish(start, &mut in_progress, since);
            in_progress.push(Reverse(end));
            if in_progress.len() == capacity {
                since = start;
            }
        }
        finish(Instant::MAX, &mut in_progress, since);
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
pub(super) fn intersect(a: &[(Instant, Instant)], b: &[(Instant, Instant)], out: &mut Vec<(Instant, Instant)>) {
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
            (Some(&(start, end)), Some(&(full_start, _))) if start <= full_start => {
                p += 1;
                (start, end)
            }
            (_, Some(&span)) => {
                q += 1;
                span
            }
            (Some(&(start, end)), None) => {
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
