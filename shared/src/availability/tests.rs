use super::reference::free_starts as reference;
use super::*;
use crate::catalog::tests::demo;
use crate::time::TimeRange;
use proptest::prelude::*;

const LONDON: &str = "Europe/London";

fn at(text: &str) -> Instant {
    parse_instant(text, "t").unwrap()
}

fn date(text: &str) -> Date {
    parse_date(text, "d").unwrap()
}

fn range(start: &str, end: &str) -> TimeRange {
    TimeRange { start: MinuteOfDay::parse(start).unwrap(), end: MinuteOfDay::parse(end).unwrap() }
}

fn schedule(service: &str) -> ServiceSchedule {
    let company = demo();
    ServiceSchedule::new(&company, &company.locations[0], company.service(service).unwrap())
}

fn only(mut schedule: ServiceSchedule, ids: &[&str]) -> ServiceSchedule {
    schedule.specialists.retain(|s| ids.contains(&s.id.as_str()));
    schedule
}

fn times(zone: &TimeZone, slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| local_time(zone, s.start)).collect()
}

fn busy(specialist: &str, start: &str, end: &str) -> Busy {
    Busy { specialist_id: specialist.into(), start: at(start), end: at(end) }
}

// Monday 30 November 2026; London is on GMT, so local time equals UTC.
const MONDAY: &str = "2026-11-30";
const A_WEEK_BEFORE: &str = "2026-11-23T00:00:00Z";

#[test]
fn working_hours_with_a_break_give_starts_that_fit_the_whole_visit() {
    let zone = zone(LONDON, "z").unwrap();
    let slots = free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &[], at(A_WEEK_BEFORE));
    let shown = times(&zone, &slots);
    assert_eq!(shown.len(), 26);
    assert_eq!(shown.first().unwrap(), "09:00");
    assert!(shown.contains(&"12:00".to_string()) && !shown.contains(&"12:15".to_string()), "must end by the break");
    assert!(!shown.contains(&"13:00".to_string()) && shown.contains(&"14:00".to_string()));
    assert_eq!(shown.last().unwrap(), "17:00");
}

#[test]
fn a_booking_blocks_every_start_that_would_overlap_it() {
    let zone = zone(LONDON, "z").unwrap();
    let taken = [busy("anna", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z")];
    let slots = free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &taken, at(A_WEEK_BEFORE));
    let shown = times(&zone, &slots);
    assert_eq!(shown.len(), 26 - 7);
    assert!(shown.contains(&"09:00".to_string()) && shown.contains(&"11:00".to_string()));
    for gone in ["09:15", "10:00", "10:45"] {
        assert!(!shown.contains(&gone.to_string()), "{gone}");
    }
}

#[test]
fn another_specialists_booking_does_not_block() {
    let zone = zone(LONDON, "z").unwrap();
    let taken = [busy("sofia", "2026-11-30T09:00:00Z", "2026-11-30T17:00:00Z")];
    let slots = free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &taken, at(A_WEEK_BEFORE));
    assert_eq!(slots.len(), 26);
}

#[test]
fn minimum_notice_hides_starts_that_are_too_soon() {
    let zone = zone(LONDON, "z").unwrap();
    let now = at("2026-11-30T10:20:00Z"); // notice is 60 minutes: the first start is 11:30
    let slots = free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &[], now);
    assert_eq!(times(&zone, &slots).first().unwrap(), "11:30");
}

#[test]
fn only_dates_from_today_to_the_horizon_have_slots() {
    let zone = zone(LONDON, "z").unwrap();
    let schedule = schedule("womens-cut");
    let now = at(A_WEEK_BEFORE); // Monday 23rd; horizon 60 days: the last bookable day is 21 January
    assert!(free_slots(&schedule, &zone, date("2026-11-22"), &[], now).is_empty(), "yesterday");
    assert!(!free_slots(&schedule, &zone, date("2027-01-21"), &[], now).is_empty());
    assert!(free_slots(&schedule, &zone, date("2027-01-22"), &[], now).is_empty());
}

#[test]
fn any_specialist_goes_to_the_least_booked_that_day() {
    let zone = zone(LONDON, "z").unwrap();
    let schedule = only(schedule("womens-cut"), &["anna", "sofia"]);
    let free = free_slots(&schedule, &zone, date(MONDAY), &[], at(A_WEEK_BEFORE));
    assert_eq!(free[0].free, vec![0, 1], "catalog order breaks ties");
    let taken = [busy("anna", "2026-11-30T15:00:00Z", "2026-11-30T16:00:00Z")];
    let start = at("2026-11-30T09:00:00Z");
    let chosen = choose_specialist(&schedule, &zone, start, None, &taken, at(A_WEEK_BEFORE)).unwrap();
    assert_eq!(schedule.specialists[chosen].id, "sofia");
}

#[test]
fn commit_check_refuses_taken_past_and_off_grid_starts() {
    let zone = zone(LONDON, "z").unwrap();
    let schedule = schedule("womens-cut");
    let now = at(A_WEEK_BEFORE);
    let taken = [busy("anna", "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z")];
    let nine = at("2026-11-30T09:00:00Z");
    let code = |r: Result<usize, ApiError>| r.unwrap_err().code;
    assert_eq!(code(choose_specialist(&schedule, &zone, nine, Some("anna"), &taken, now)), ErrorCode::SlotUnavailable);
    let sofia = choose_specialist(&schedule, &zone, nine, Some("sofia"), &taken, now).unwrap();
    assert_eq!(schedule.specialists[sofia].id, "sofia");
    let off_grid = at("2026-11-30T09:07:00Z");
    assert_eq!(code(choose_specialist(&schedule, &zone, off_grid, None, &[], now)), ErrorCode::SlotUnavailable);
    let night = at("2026-11-30T23:00:00Z");
    assert_eq!(code(choose_specialist(&schedule, &zone, night, None, &[], now)), ErrorCode::SlotUnavailable);
    assert_eq!(
        code(choose_specialist(&schedule, &zone, at("2026-11-22T09:00:00Z"), None, &[], now)),
        ErrorCode::StartInPast
    );
}

fn night_owl(zone: &str, hours: TimeRange, duration: u32, step: u32) -> ServiceSchedule {
    let working_hours = WeeklyHours { sun: vec![hours], ..WeeklyHours::default() };
    ServiceSchedule {
        time_zone: zone.into(),
        policy: BookingPolicy { slot_step_minutes: step, minimum_notice_minutes: 0, horizon_days: 730 },
        duration_minutes: duration,
        specialists: vec![SpecialistHours { id: "owl".into(), working_hours }],
    }
}

#[test]
fn a_visit_may_run_across_back_to_back_ranges() {
    let zone = zone(LONDON, "z").unwrap();
    let working_hours =
        WeeklyHours { mon: vec![range("09:00", "13:00"), range("13:00", "17:00")], ..WeeklyHours::default() };
    let schedule = ServiceSchedule {
        time_zone: LONDON.into(),
        policy: BookingPolicy { slot_step_minutes: 30, minimum_notice_minutes: 0, horizon_days: 60 },
        duration_minutes: 60,
        specialists: vec![SpecialistHours { id: "anna".into(), working_hours }],
    };
    let shown = times(&zone, &free_slots(&schedule, &zone, date(MONDAY), &[], at(A_WEEK_BEFORE)));
    assert!(shown.contains(&"12:30".to_string()), "12:30–13:30 is continuous work: {shown:?}");
    assert_eq!(shown.last().unwrap(), "16:00");
}

#[test]
fn a_break_inside_a_skipped_hour_is_no_break() {
    // New York, 8 March 2026: 02:00 jumps to 03:00, so 00:00–02:00 and 02:01–03:02 touch in real
    // time (both meet at the jump) and a visit may run from one into the other.
    let zone = zone("America/New_York", "z").unwrap();
    let working_hours =
        WeeklyHours { sun: vec![range("00:00", "02:00"), range("02:01", "03:02")], ..WeeklyHours::default() };
    let schedule = ServiceSchedule {
        time_zone: "America/New_York".into(),
        policy: BookingPolicy { slot_step_minutes: 5, minimum_notice_minutes: 0, horizon_days: 730 },
        duration_minutes: 71,
        specialists: vec![SpecialistHours { id: "owl".into(), working_hours }],
    };
    let slots = free_slots(&schedule, &zone, date("2026-03-08"), &[], at("2026-03-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots).last().unwrap(), "00:50", "00:50 EST + 71 min = 03:01 EDT");
}

#[test]
fn spring_forward_day_has_no_slot_in_the_missing_hour() {
    // London, Sunday 28 March 2027: 01:00 GMT jumps to 02:00 BST. 00:00–04:00 is 3 real hours.
    let zone = zone(LONDON, "z").unwrap();
    let schedule = night_owl(LONDON, range("00:00", "04:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2027-03-28"), &[], at("2027-03-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots), ["00:00", "02:00", "03:00"]);
    assert_eq!(slots[1].start - slots[0].start, 3600, "a visit lasts its real minutes");
}

#[test]
fn fall_back_day_keeps_both_repeated_hours() {
    // London, Sunday 25 October 2026: 02:00 BST falls back to 01:00 GMT. 00:00–04:00 is 5 real hours.
    let zone = zone(LONDON, "z").unwrap();
    let schedule = night_owl(LONDON, range("00:00", "04:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2026-10-25"), &[], at("2026-10-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots), ["00:00", "01:00", "01:00", "02:00", "03:00"]);
}

#[test]
fn times_are_local_to_the_location() {
    let zone = zone("America/New_York", "z").unwrap();
    let schedule = night_owl("America/New_York", range("09:00", "10:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2026-11-29"), &[], at("2026-11-01T00:00:00Z"));
    assert_eq!(format_instant(slots[0].start), "2026-11-29T14:00:00Z");
    assert_eq!(local_time(&zone, slots[0].start), "09:00");
}

#[test]
fn range_bounds_span_whole_local_days_across_a_clock_change() {
    let zone = zone(LONDON, "z").unwrap();
    // 24–30 October 2026 holds the 25-hour Sunday: seven days are 7 × 24 h + 1 h.
    let (start, end) = range_bounds(&zone, date("2026-10-24"), 7);
    assert_eq!(format_instant(start), "2026-10-23T23:00:00Z", "midnight BST");
    assert_eq!(format_instant(end), "2026-10-31T00:00:00Z", "midnight GMT");
    assert_eq!(range_bounds(&zone, date("2026-11-30"), 1), day_bounds(&zone, date("2026-11-30")));
}

#[test]
fn unknown_time_zone_is_a_validation_error() {
    let mut company = demo();
    company.locations[0].time_zone = "Mars/Olympus_Mons".into();
    assert_eq!(validate_zones(&company).unwrap_err().field.as_deref(), Some("locations[0].time_zone"));
}

/// A day's working ranges: in order, not overlapping, often back to back (a gap of 0), up to 24:00.
fn arb_ranges() -> impl Strategy<Value = Vec<TimeRange>> {
    let gap = prop_oneof![Just(0u16), 1u16..180];
    (0u16..1440, proptest::collection::vec((gap, 1u16..480), 0..4)).prop_map(|(first, parts)| {
        let mut ranges = Vec::new();
        let mut at = first;
        for (i, (gap, length)) in parts.into_iter().enumerate() {
            let start = if i == 0 { at } else { at + gap };
            let end = (start + length).min(1440);
            if start >= end {
                break;
            }
            ranges.push(TimeRange { start: MinuteOfDay::new(start).unwrap(), end: MinuteOfDay::new(end).unwrap() });
            at = end;
        }
        ranges
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn engine_matches_minute_by_minute_reference(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"]),
        // Days around several daylight-saving changes, and ordinary days.
        day in prop::sample::select(vec!["2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2026-11-30"]),
        hours in proptest::collection::vec(arb_ranges(), 1..4),
        bookings in proptest::collection::vec((0usize..3, 0i64..(26 * 60), 1i64..240), 0..6),
        duration in 5u32..180,
        step in prop::sample::select(vec![5u32, 10, 15, 20, 30, 60]),
        notice_minutes in 0u32..600,
        now_offset_minutes in -600i64..600,
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let date = date(day);
        let specialists: Vec<SpecialistHours> = hours.into_iter().enumerate().map(|(i, ranges)| {
            let working_hours = WeeklyHours { mon: ranges.clone(), tue: ranges.clone(), wed: ranges.clone(), thu: ranges.clone(), fri: ranges.clone(), sat: ranges.clone(), sun: ranges };
            SpecialistHours { id: format!("s{i}"), working_hours }
        }).collect();
        let schedule = ServiceSchedule {
            time_zone: zone_name.into(),
            policy: BookingPolicy { slot_step_minutes: step, minimum_notice_minutes: notice_minutes, horizon_days: 730 },
            duration_minutes: duration,
            specialists,
        };
        let (day_start, _) = day_bounds(&zone, date);
        let busy: Vec<Busy> = bookings.into_iter().map(|(who, offset, length)| Busy {
            specialist_id: format!("s{who}"),
            start: day_start + offset * 60 - 3600,
            end: day_start + (offset + length) * 60 - 3600,
        }).collect();
        let now = day_start - 86_400 + now_offset_minutes * 60 + 86_400 / 2;
        let engine: Vec<(Instant, usize)> = {
            let mut pairs: Vec<_> = free_slots(&schedule, &zone, date, &busy, now)
                .into_iter()
                .flat_map(|slot| slot.free.into_iter().map(move |i| (slot.start, i)))
                .collect();
            pairs.sort();
            pairs
        };
        prop_assert_eq!(engine, reference(&schedule, &zone, date, &busy, now));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The calendar's range answer equals asking day by day, across clock changes.
    #[test]
    fn range_answer_equals_day_by_day(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"]),
        first in prop::sample::select(vec!["2026-03-05", "2026-03-26", "2026-04-02", "2026-10-01", "2026-10-22", "2026-10-29", "2026-11-26"]),
        days in 1u32..12,
        hours in proptest::collection::vec(arb_ranges(), 1..4),
        bookings in proptest::collection::vec((0usize..3, 0i64..(12 * 24 * 60), 1i64..600), 0..30),
        notice_minutes in 0u32..2000,
        now_offset_minutes in -3000i64..3000,
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let first = date(first);
        let specialists: Vec<SpecialistHours> = hours.into_iter().enumerate().map(|(i, ranges)| {
            let working_hours = WeeklyHours { mon: ranges.clone(), tue: ranges.clone(), wed: vec![], thu: ranges.clone(), fri: ranges.clone(), sat: ranges.clone(), sun: ranges };
            SpecialistHours { id: format!("s{i}"), working_hours }
        }).collect();
        let schedule = ServiceSchedule {
            time_zone: zone_name.into(),
            policy: BookingPolicy { slot_step_minutes: 15, minimum_notice_minutes: notice_minutes, horizon_days: 9 },
            duration_minutes: 45,
            specialists,
        };
        let (start_of_range, _) = day_bounds(&zone, first);
        let busy: Vec<Busy> = bookings.into_iter().map(|(who, offset, length)| Busy {
            specialist_id: format!("s{who}"),
            start: start_of_range + offset * 60,
            end: start_of_range + (offset + length) * 60,
        }).collect();
        let now = start_of_range + now_offset_minutes * 60;
        let by_day = free_slots_by_day(&schedule, &zone, first, days, &busy, now);
        prop_assert_eq!(by_day.len(), days as usize);
        for (i, (day, slots)) in by_day.into_iter().enumerate() {
            let expected_day = first.checked_add((i as i64).days()).unwrap();
            prop_assert_eq!(day, expected_day);
            prop_assert_eq!(slots, free_slots(&schedule, &zone, day, &busy, now));
        }
    }
}
