//! Availability benchmark: the engine against the minute-by-minute reference, in the same run.
//!
//! `cargo bench -p homeslot-core --features tz --bench availability`
//!
//! Each scenario is S specialists × D days of one location (Europe/London, 60-minute service,
//! 15-minute step) with realistic bookings: about 60% of working time taken by 30–90 minute
//! visits, from a fixed seed. One "run" computes the free slots of every day of the range: the
//! engine in one `free_slots_by_day` call (as the calendar does), the reference day by day. Prints medians and the ratio; budgets are in the handbook
//! (10 × 31 ≤ 50 µs native and ≥ 100× the reference; 50 × 90 ≤ 1 ms). Timing only, no asserts
//! on time; it does assert the engine and the reference agree.

use std::hint::black_box;
use std::time::{Duration, Instant as Clock};

use homeslot_core::availability::{
    day_bounds, free_slots, free_slots_by_day, parse_date, parse_instant, reference, zone, Busy, BusyTable, Date,
    Instant, ResourceNeed, ServiceSchedule, SpecialistHours,
};
use homeslot_core::catalog::{BookingPolicy, DateOverride, TimeOff, WeeklyHours};
use homeslot_core::time::{CivilDate, MinuteOfDay, TimeRange};

/// A small deterministic generator (xorshift64*), so every run books the same visits.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % below
    }
}

fn range(start: u16, end: u16) -> TimeRange {
    TimeRange { start: MinuteOfDay::new(start).unwrap(), end: MinuteOfDay::new(end).unwrap() }
}

struct Scenario {
    name: String,
    schedule: ServiceSchedule,
    zone: homeslot_core::availability::TimeZone,
    days: Vec<(Date, Vec<Busy>)>,
    /// Each day's bookings as the engine reads them.
    day_tables: Vec<BusyTable>,
    /// Every booking of the range, as the location object loads them for a calendar request.
    all_busy: BusyTable,
    now: Instant,
}

/// `every_rule` adds what a busy clinic has on top: 10/5-minute buffers (which the existing visits
/// respect), opening hours, a room of capacity 3 that about 3 visits in S use, a holiday, a week
/// of time off for every fourth specialist and a short day for each.
fn scenario(specialists: usize, day_count: usize, every_rule: bool) -> Scenario {
    let zone = zone("Europe/London", "bench").unwrap();
    let first = parse_date("2026-12-01", "bench").unwrap();
    let mut rng = Seeded(0x9E37_79B9_7F4A_7C15 ^ (specialists as u64 * 1000 + day_count as u64));
    let hours: Vec<WeeklyHours> = (0..specialists)
        .map(|i| {
            // Staggered shifts with a lunch break; Sunday off.
            let shift = (i % 3) as u16 * 30;
            let day = vec![range(540 + shift, 780 + shift), range(840 + shift, 1140 + shift)];
            WeeklyHours {
                mon: day.clone(),
                tue: day.clone(),
                wed: day.clone(),
                thu: day.clone(),
                fri: day.clone(),
                sat: day,
                sun: vec![],
            }
        })
        .collect();
    let civil = |offset: i64| CivilDate::parse(&first.checked_add(jiff_days(offset)).unwrap().to_string()).unwrap();
    let schedule = ServiceSchedule {
        time_zone: "Europe/London".into(),
        policy: BookingPolicy {
            slot_step_minutes: 15,
            minimum_notice_minutes: 60,
            horizon_days: 730,
            ..BookingPolicy::default()
        },
        buffer_before_minutes: if every_rule { 10 } else { 0 },
        buffer_after_minutes: if every_rule { 5 } else { 0 },
        opening_hours: every_rule.then(|| {
            let open = vec![range(540, 1170)];
            WeeklyHours {
                mon: open.clone(),
                tue: open.clone(),
                wed: open.clone(),
                thu: open.clone(),
                fri: open.clone(),
                sat: open,
                sun: vec![],
            }
        }),
        holidays: if every_rule { vec![civil(24)] } else { vec![] },
        resources: if every_rule { vec![ResourceNeed { id: "room".into(), capacity: 3 }] } else { vec![] },
        specialists: hours
            .iter()
            .enumerate()
            .map(|(i, h)| SpecialistHours {
                id: format!("s{i}"),
                working_hours: h.clone(),
                date_overrides: if every_rule {
                    vec![DateOverride { date: civil(i as i64 % 7), hours: vec![range(600, 840)] }]
                } else {
                    vec![]
                },
                time_off: if every_rule && i % 4 == 0 {
                    vec![TimeOff { from: civil(10), until: civil(16) }]
                } else {
                    vec![]
                },
                duration_minutes: if every_rule { [60, 45, 75][i % 3] } else { 60 },
            })
            .collect(),
        classes: vec![],
    };
    let days: Vec<(Date, Vec<Busy>)> = (0..day_count as i64)
        .map(|offset| {
            let date = first.checked_add(jiff_days(offset)).unwrap();
            let weekday = date.weekday().to_monday_zero_offset() as u8;
            let (midnight, _) = day_bounds(&zone, date);
            let mut busy = Vec::new();
            for (i, h) in hours.iter().enumerate() {
                for r in h.day(weekday) {
                    // Walk the range: a gap of 0–60 minutes, then a visit of 30–90 minutes.
                    let mut at = i64::from(r.start.minutes());
                    loop {
                        at += (rng.next(5) * 15) as i64 + if every_rule { 15 } else { 0 };
                        let length = [30, 45, 60, 90][rng.next(4) as usize];
                        if at + length > i64::from(r.end.minutes()) {
                            break;
                        }
                        busy.push(Busy {
                            specialist_id: format!("s{i}"),
                            resource_ids: if every_rule && rng.next(specialists as u64) < 3 {
                                vec!["room".into()]
                            } else {
                                vec![]
                            },
                            // Stored with the service's buffers, as the location object stores them.
                            start: midnight + at * 60 - if every_rule { 600 } else { 0 },
                            end: midnight + (at + length) * 60 + if every_rule { 300 } else { 0 },
                        });
                        at += length;
                    }
                }
            }
            (date, busy)
        })
        .collect();
    let now = parse_instant("2026-11-30T08:00:00Z", "bench").unwrap();
    let all: Vec<Busy> = days.iter().flat_map(|(_, busy)| busy.iter().cloned()).collect();
    let all_busy = BusyTable::from(all.as_slice());
    let day_tables = days.iter().map(|(_, busy)| BusyTable::from(busy.as_slice())).collect();
    let name = format!("{specialists} × {day_count}{}", if every_rule { " all rules" } else { "" });
    Scenario { name, schedule, zone, days, day_tables, all_busy, now }
}

fn jiff_days(n: i64) -> jiff::Span {
    jiff::Span::new().days(n)
}

/// The engine answers the whole range in one call, as the calendar endpoint does.
fn engine(s: &Scenario) -> usize {
    let first = s.days[0].0;
    free_slots_by_day(&s.schedule, &s.zone, first, s.days.len() as u32, &s.all_busy, s.now)
        .iter()
        .map(|slots| slots.len())
        .sum()
}

/// The engine asked day by day, as the slot list of one date does.
fn engine_per_day(s: &Scenario) -> usize {
    s.days
        .iter()
        .zip(&s.day_tables)
        .map(|((date, _), busy)| free_slots(&s.schedule, &s.zone, *date, busy, s.now).len())
        .sum()
}

fn slow(s: &Scenario) -> usize {
    s.days.iter().map(|(date, busy)| reference::free_starts(&s.schedule, &s.zone, *date, busy, s.now).len()).sum()
}

/// Median wall time of `f`, run at least `min_runs` times and for at least `min_time`.
fn median(min_runs: usize, min_time: Duration, mut f: impl FnMut() -> usize) -> Duration {
    let mut times = Vec::new();
    let started = Clock::now();
    while times.len() < min_runs || started.elapsed() < min_time {
        let t = Clock::now();
        black_box(f());
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn show(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.1} µs")
    } else {
        format!("{:.2} ms", micros / 1000.0)
    }
}

fn main() {
    println!("\nAvailability: free slots of every day in the range (medians of one run each)\n");
    println!(
        "{:<22} {:>14} {:>14} {:>14} {:>8} {:>12}",
        "spec × days", "engine: range", "engine: daily", "reference", "ratio", "slots found"
    );
    // `BENCH_ONLY=10x31` (or `10x31+` for all rules) runs one scenario; `BENCH_PROFILE=1` runs only
    // the engine's range call, for `valgrind --tool=callgrind`.
    let only = std::env::var("BENCH_ONLY").ok();
    for (specialists, days, every_rule) in
        [(1, 31, false), (10, 31, false), (50, 90, false), (10, 31, true), (50, 90, true)]
    {
        let key = format!("{specialists}x{days}{}", if every_rule { "+" } else { "" });
        if only.as_ref().is_some_and(|o| *o != key) {
            continue;
        }
        let s = scenario(specialists, days, every_rule);
        if std::env::var_os("BENCH_PROFILE").is_some() {
            // Only the engine's range call, 1,000 times: a clean profile for callgrind.
            let total: usize = (0..1000).map(|_| engine(&s)).sum();
            println!("{key}: {total} slots");
            continue;
        }
        // The engine (per day and per range) and the reference must agree before times mean anything.
        let by_day = free_slots_by_day(&s.schedule, &s.zone, s.days[0].0, s.days.len() as u32, &s.all_busy, s.now);
        for (((date, busy), table), ranged) in s.days.iter().zip(&s.day_tables).zip(&by_day) {
            // The day's own bookings suffice: none runs late enough to reach the next day.
            let single = free_slots(&s.schedule, &s.zone, *date, table, s.now);
            assert_eq!(&single, ranged, "range and single-day answers differ");
            let pairs: usize = single.iter().map(|x| x.free.len()).sum();
            assert_eq!(pairs, reference::free_starts(&s.schedule, &s.zone, *date, busy, s.now).len(), "{date}");
        }
        let fast = median(50, Duration::from_millis(500), || engine(&s));
        let daily = median(50, Duration::from_millis(500), || engine_per_day(&s));
        let reference = median(3, Duration::from_millis(300), || slow(&s));
        println!(
            "{:<22} {:>14} {:>14} {:>14} {:>7.0}× {:>12}",
            s.name,
            show(fast),
            show(daily),
            show(reference),
            reference.as_secs_f64() / fast.as_secs_f64(),
            engine(&s)
        );
    }
    println!("\nratio = reference / engine (range). Budgets: 10 × 31 ≤ 50 µs and ≥ 100× the reference;");
    println!("50 × 90 ≤ 1 ms (handbook/budgets.md).");
}
