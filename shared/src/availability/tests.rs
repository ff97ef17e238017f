use super::reference::free_starts as reference;
use super::*;
use crate::catalog::tests::demo;
use crate::catalog::{DateOverride, SlotMode, TimeOff};
use crate::time::{CivilDate, MinuteOfDay, TimeRange};
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

fn times(zone: &TimeZone, slots: &DaySlots) -> Vec<String> {
    slots.iter().map(|s| local_time(zone, s.start)).collect()
}

fn busy(specialist: &str, start: &str, end: &str) -> Busy {
    Busy { specialist_id: specialist.into(), resource_ids: vec![], start: at(start), end: at(end) }
}

fn table(spans: &[Busy]) -> BusyTable {
    BusyTable::from(spans)
}

fn none() -> BusyTable {
    BusyTable::new()
}

fn policy(step: u32, notice: u32, horizon: u32) -> BookingPolicy {
    BookingPolicy {
        slot_step_minutes: step,
        minimum_notice_minutes: notice,
        horizon_days: horizon,
        ..BookingPolicy::default()
    }
}

fn person(id: &str, working_hours: WeeklyHours, duration_minutes: u32) -> SpecialistHours {
    SpecialistHours { id: id.into(), working_hours, date_overrides: vec![], time_off: vec![], duration_minutes }
}

/// A schedule with no buffers, opening hours, holidays or resources.
fn plain(zone: &str, policy: BookingPolicy, specialists: Vec<SpecialistHours>) -> ServiceSchedule {
    ServiceSchedule {
        time_zone: zone.into(),
        policy,
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        opening_hours: None,
        holidays: vec![],
        resources: vec![],
        specialists,
        classes: vec![],
    }
}

// Monday 30 November 2026; London is on GMT, so local time equals UTC.
const MONDAY: &str = "2026-11-30";
const A_WEEK_BEFORE: &str = "2026-11-23T00:00:00Z";

#[test]
fn working_hours_with_a_break_give_starts_that_fit_the_whole_visit() {
    let zone = zone(LONDON, "z").unwrap();
    let slots = free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &none(), at(A_WEEK_BEFORE));
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
    let slots =
        free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &table(&taken), at(A_WEEK_BEFORE));
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
    let slots =
        free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &table(&taken), at(A_WEEK_BEFORE));
    assert_eq!(slots.len(), 26);
}

#[test]
fn minimum_notice_hides_starts_that_are_too_soon() {
    let zone = zone(LONDON, "z").unwrap();
    let now = at("2026-11-30T10:20:00Z"); // notice is 60 minutes: the first start is 11:30
    let slots = free_slots(&only(schedule("womens-cut"), &["anna"]), &zone, date(MONDAY), &none(), now);
    assert_eq!(times(&zone, &slots).first().unwrap(), "11:30");
}

#[test]
fn only_dates_from_today_to_the_horizon_have_slots() {
    let zone = zone(LONDON, "z").unwrap();
    let schedule = schedule("womens-cut");
    let now = at(A_WEEK_BEFORE); // Monday 23rd; horizon 60 days: the last bookable day is 21 January
    assert!(free_slots(&schedule, &zone, date("2026-11-22"), &none(), now).is_empty(), "yesterday");
    assert!(!free_slots(&schedule, &zone, date("2027-01-21"), &none(), now).is_empty());
    assert!(free_slots(&schedule, &zone, date("2027-01-22"), &none(), now).is_empty());
}

#[test]
fn any_specialist_goes_to_the_least_booked_that_day() {
    let zone = zone(LONDON, "z").unwrap();
    let schedule = only(schedule("womens-cut"), &["anna", "sofia"]);
    let free = free_slots(&schedule, &zone, date(MONDAY), &none(), at(A_WEEK_BEFORE));
    assert_eq!(free.iter().next().unwrap().free, [0, 1], "catalog order breaks ties");
    let taken = [busy("anna", "2026-11-30T15:00:00Z", "2026-11-30T16:00:00Z")];
    let start = at("2026-11-30T09:00:00Z");
    let chosen = choose_specialist(&schedule, &zone, start, None, &table(&taken), at(A_WEEK_BEFORE)).unwrap();
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
    assert_eq!(
        code(choose_specialist(&schedule, &zone, nine, Some("anna"), &table(&taken), now)),
        ErrorCode::SlotUnavailable
    );
    let sofia = choose_specialist(&schedule, &zone, nine, Some("sofia"), &table(&taken), now).unwrap();
    assert_eq!(schedule.specialists[sofia].id, "sofia");
    let off_grid = at("2026-11-30T09:07:00Z");
    assert_eq!(code(choose_specialist(&schedule, &zone, off_grid, None, &none(), now)), ErrorCode::SlotUnavailable);
    let night = at("2026-11-30T23:00:00Z");
    assert_eq!(code(choose_specialist(&schedule, &zone, night, None, &none(), now)), ErrorCode::SlotUnavailable);
    assert_eq!(
        code(choose_specialist(&schedule, &zone, at("2026-11-22T09:00:00Z"), None, &none(), now)),
        ErrorCode::StartInPast
    );
}

fn night_owl(zone: &str, hours: TimeRange, duration: u32, step: u32) -> ServiceSchedule {
    let working_hours = WeeklyHours { sun: vec![hours], ..WeeklyHours::default() };
    plain(zone, policy(step, 0, 730), vec![person("owl", working_hours, duration)])
}

#[test]
fn a_visit_may_run_across_back_to_back_ranges() {
    let zone = zone(LONDON, "z").unwrap();
    let working_hours =
        WeeklyHours { mon: vec![range("09:00", "13:00"), range("13:00", "17:00")], ..WeeklyHours::default() };
    let schedule = plain(LONDON, policy(30, 0, 60), vec![person("anna", working_hours, 60)]);
    let shown = times(&zone, &free_slots(&schedule, &zone, date(MONDAY), &none(), at(A_WEEK_BEFORE)));
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
    let schedule = plain("America/New_York", policy(5, 0, 730), vec![person("owl", working_hours, 71)]);
    let slots = free_slots(&schedule, &zone, date("2026-03-08"), &none(), at("2026-03-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots).last().unwrap(), "00:50", "00:50 EST + 71 min = 03:01 EDT");
}

#[test]
fn spring_forward_day_has_no_slot_in_the_missing_hour() {
    // London, Sunday 28 March 2027: 01:00 GMT jumps to 02:00 BST. 00:00–04:00 is 3 real hours.
    let zone = zone(LONDON, "z").unwrap();
    let schedule = night_owl(LONDON, range("00:00", "04:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2027-03-28"), &none(), at("2027-03-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots), ["00:00", "02:00", "03:00"]);
    let starts: Vec<Instant> = slots.iter().map(|s| s.start).collect();
    assert_eq!(starts[1] - starts[0], 3600, "a visit lasts its real minutes");
}

#[test]
fn fall_back_day_keeps_both_repeated_hours() {
    // London, Sunday 25 October 2026: 02:00 BST falls back to 01:00 GMT. 00:00–04:00 is 5 real hours.
    let zone = zone(LONDON, "z").unwrap();
    let schedule = night_owl(LONDON, range("00:00", "04:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2026-10-25"), &none(), at("2026-10-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots), ["00:00", "01:00", "01:00", "02:00", "03:00"]);
}

#[test]
fn times_are_local_to_the_location() {
    let zone = zone("America/New_York", "z").unwrap();
    let schedule = night_owl("America/New_York", range("09:00", "10:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2026-11-29"), &none(), at("2026-11-01T00:00:00Z"));
    let first = slots.iter().next().unwrap().start;
    assert_eq!(format_instant(first), "2026-11-29T14:00:00Z");
    assert_eq!(local_time(&zone, first), "09:00");
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

fn every_day(ranges: Vec<TimeRange>) -> WeeklyHours {
    WeeklyHours {
        mon: ranges.clone(),
        tue: ranges.clone(),
        wed: ranges.clone(),
        thu: ranges.clone(),
        fri: ranges.clone(),
        sat: ranges.clone(),
        sun: ranges,
    }
}

fn civil_date(text: &str) -> CivilDate {
    CivilDate::parse(text).unwrap()
}

/// Anna alone, 09:00–17:00 every day, a 60-minute visit every 30 minutes, booked a week ahead.
fn anna_alone() -> ServiceSchedule {
    plain(LONDON, policy(30, 0, 60), vec![person("anna", every_day(vec![range("09:00", "17:00")]), 60)])
}

fn shown(schedule: &ServiceSchedule, day: &str, busy: &[Busy]) -> Vec<String> {
    let zone = zone(&schedule.time_zone, "z").unwrap();
    times(&zone, &free_slots(schedule, &zone, date(day), &table(busy), at(A_WEEK_BEFORE)))
}

#[test]
fn a_date_override_replaces_the_weekly_hours_and_an_empty_one_is_a_day_off() {
    let mut schedule = anna_alone();
    schedule.specialists[0].date_overrides = vec![
        DateOverride { date: civil_date(MONDAY), hours: vec![range("12:00", "14:00")] },
        DateOverride { date: civil_date("2026-12-01"), hours: vec![] },
    ];
    assert_eq!(shown(&schedule, MONDAY, &[]), ["12:00", "12:30", "13:00"]);
    assert!(shown(&schedule, "2026-12-01", &[]).is_empty());
    assert_eq!(shown(&schedule, "2026-12-02", &[]).len(), 15, "other days keep the weekly hours");
}

#[test]
fn time_off_removes_whole_days_including_both_ends() {
    let mut schedule = anna_alone();
    schedule.specialists[0].time_off = vec![TimeOff { from: civil_date(MONDAY), until: civil_date("2026-12-02") }];
    for day in [MONDAY, "2026-12-01", "2026-12-02"] {
        assert!(shown(&schedule, day, &[]).is_empty(), "{day}");
    }
    assert!(!shown(&schedule, "2026-12-03", &[]).is_empty());
}

#[test]
fn opening_hours_bound_every_specialist_and_holidays_close_the_location() {
    let mut schedule = anna_alone();
    schedule.opening_hours = Some(every_day(vec![range("10:00", "12:00"), range("13:00", "20:00")]));
    let times = shown(&schedule, MONDAY, &[]);
    assert_eq!(times.first().unwrap(), "10:00", "the grid starts when the doors open");
    assert!(times.contains(&"11:00".to_string()) && !times.contains(&"11:30".to_string()));
    assert_eq!(times.last().unwrap(), "16:00", "and ends with Anna's hours");
    schedule.holidays = vec![civil_date(MONDAY)];
    assert!(shown(&schedule, MONDAY, &[]).is_empty());
}

#[test]
fn buffers_keep_distance_from_other_visits_but_may_run_outside_working_hours() {
    let mut schedule = anna_alone();
    schedule.buffer_before_minutes = 15;
    schedule.buffer_after_minutes = 30;
    // A visit 12:00–13:00 stored with its own buffers: busy 11:45–13:30.
    let taken = [busy("anna", "2026-11-30T11:45:00Z", "2026-11-30T13:30:00Z")];
    let times = shown(&schedule, MONDAY, &taken);
    // 10:00 + 60 min + 30 min clean-up ends 11:30, before 11:45; 10:30 would end 12:00.
    assert!(times.contains(&"10:00".to_string()) && !times.contains(&"10:30".to_string()), "{times:?}");
    // After 13:30 the 15 minutes of preparation come first: 13:45 is the first start, 14:00 on the grid.
    assert!(!times.contains(&"13:30".to_string()) && times.contains(&"14:00".to_string()), "{times:?}");
    assert_eq!(times.first().unwrap(), "09:00", "preparation before opening is allowed");
    assert_eq!(times.last().unwrap(), "16:00", "clean-up after closing is allowed");
    let visit = schedule.visit(0, at("2026-11-30T09:00:00Z"));
    assert_eq!(
        (format_instant(visit.busy_from), format_instant(visit.busy_until)),
        ("2026-11-30T08:45:00Z".into(), "2026-11-30T10:30:00Z".into())
    );
}

#[test]
fn each_specialist_takes_their_own_duration() {
    let mut schedule = anna_alone();
    schedule.specialists.push(person("trainee", every_day(vec![range("09:00", "17:00")]), 120));
    let zone = zone(LONDON, "z").unwrap();
    let day = free_slots(&schedule, &zone, date(MONDAY), &none(), at(A_WEEK_BEFORE));
    let last_for = |who: u32| day.iter().filter(|s| s.free.contains(&who)).last().map(|s| local_time(&zone, s.start));
    assert_eq!(last_for(0).as_deref(), Some("16:00"));
    assert_eq!(last_for(1).as_deref(), Some("15:00"), "a two-hour visit must end by 17:00");
    assert_eq!(schedule.visit(1, at("2026-11-30T09:00:00Z")).end, at("2026-11-30T11:00:00Z"));
}

#[test]
fn a_resource_in_use_by_as_many_visits_as_its_capacity_blocks_everyone() {
    let mut schedule = anna_alone();
    schedule.specialists.push(person("marco", every_day(vec![range("09:00", "17:00")]), 60));
    schedule.resources = vec![ResourceNeed { id: "room".into(), capacity: 2 }];
    let in_room =
        |who: &str, start: &str, end: &str| Busy { resource_ids: vec!["room".into()], ..busy(who, start, end) };
    // Two visits by someone who does not perform this service hold both units 10:00–11:00.
    let one = [in_room("sofia", "2026-11-30T10:00:00Z", "2026-11-30T11:00:00Z")];
    let two = [one[0].clone(), in_room("sofia", "2026-11-30T10:30:00Z", "2026-11-30T11:00:00Z")];
    let zone = zone(LONDON, "z").unwrap();
    let free_at = |busy: &[Busy], time: &str| {
        free_slots(&schedule, &zone, date(MONDAY), &table(busy), at(A_WEEK_BEFORE))
            .find(at(&format!("2026-11-30T{time}:00Z")))
            .map(|slot| slot.free.len())
            .unwrap_or(0)
    };
    assert_eq!(free_at(&one, "10:00"), 2, "one unit is left");
    assert_eq!(free_at(&two, "09:30"), 2, "09:30–10:30 meets only one visit in the room");
    assert_eq!(free_at(&two, "10:00"), 0, "10:30–11:00 has no unit left, for anyone");
    assert_eq!(free_at(&two, "10:30"), 0);
    assert_eq!(free_at(&two, "11:00"), 2, "back to back with the visits is fine");
    // At commit time: a room with no unit left is `slot_unavailable`, even for "any specialist";
    // a free room with everyone busy is `no_free_specialist`.
    let code = |busy: &[Busy], time: &str| {
        let start = at(&format!("2026-11-30T{time}:00Z"));
        choose_specialist(&schedule, &zone, start, None, &table(busy), at(A_WEEK_BEFORE)).unwrap_err().code
    };
    assert_eq!(code(&two, "10:30"), ErrorCode::SlotUnavailable);
    let staff_busy = [
        busy("anna", "2026-11-30T13:00:00Z", "2026-11-30T14:00:00Z"),
        busy("marco", "2026-11-30T13:00:00Z", "2026-11-30T14:00:00Z"),
    ];
    assert_eq!(code(&staff_busy, "13:00"), ErrorCode::NoFreeSpecialist);
    let named = choose_specialist(
        &schedule,
        &zone,
        at("2026-11-30T13:00:00Z"),
        Some("anna"),
        &table(&staff_busy),
        at(A_WEEK_BEFORE),
    );
    assert_eq!(named.unwrap_err().code, ErrorCode::SlotUnavailable, "a named specialist's time is simply taken");
    // A location without the resource cannot offer the service at all.
    let company = demo();
    let mut service = company.services[0].clone();
    service.resource_ids = vec!["laser".into()];
    assert!(ServiceSchedule::new(&company, &company.locations[0], &service).specialists.is_empty());
}

#[test]
fn optimal_mode_offers_only_starts_that_touch_bookings_or_the_edges_of_work() {
    let mut schedule = anna_alone();
    schedule.policy.slot_mode = SlotMode::Optimal;
    assert_eq!(shown(&schedule, MONDAY, &[]), ["09:00", "16:00"]);
    let taken = [busy("anna", "2026-11-30T12:10:00Z", "2026-11-30T13:00:00Z")];
    assert_eq!(shown(&schedule, MONDAY, &taken), ["09:00", "11:10", "13:00", "16:00"]);
    // A gap exactly one visit long is offered once.
    let taken = [busy("anna", "2026-11-30T10:00:00Z", "2026-11-30T17:00:00Z")];
    assert_eq!(shown(&schedule, MONDAY, &taken), ["09:00"]);
}

#[test]
fn optimal_mode_at_the_notice_edge() {
    let zone = zone(LONDON, "z").unwrap();
    let mut schedule = anna_alone();
    schedule.policy.slot_mode = SlotMode::Optimal;
    schedule.policy.minimum_notice_minutes = 60;
    let show =
        |busy: &[Busy], now: &str| times(&zone, &free_slots(&schedule, &zone, date(MONDAY), &table(busy), at(now)));
    // The notice ends exactly when a booking does: 10:00 still touches the booking.
    let morning = [busy("anna", "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z")];
    assert_eq!(show(&morning, "2026-11-30T09:00:00Z"), ["10:00", "16:00"]);
    // The notice leaves a single start, which touches the end of the day.
    let most_of_the_day = [busy("anna", "2026-11-30T09:00:00Z", "2026-11-30T15:00:00Z")];
    assert_eq!(show(&most_of_the_day, "2026-11-30T15:00:00Z"), ["16:00"]);
}

#[test]
fn preparation_after_midnight_keeps_clear_of_a_visit_the_evening_before() {
    let zone = zone(LONDON, "z").unwrap();
    let mut schedule = night_owl(LONDON, range("00:00", "04:00"), 60, 20);
    schedule.buffer_before_minutes = 30;
    let late = [busy("owl", "2026-11-28T22:00:00Z", "2026-11-28T23:50:00Z")];
    let slots = free_slots(&schedule, &zone, date("2026-11-29"), &table(&late), at(A_WEEK_BEFORE));
    assert_eq!(times(&zone, &slots).first().unwrap(), "00:20", "preparation 23:50–00:20 just clears it");
}

#[test]
fn a_live_hold_blocks_like_a_booking() {
    // Holds reach the engine as busy spans, exactly like bookings: the store decides which are live.
    let schedule = anna_alone();
    let hold = [busy("anna", "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z")];
    assert!(!shown(&schedule, MONDAY, &hold).contains(&"09:00".to_string()));
}

#[test]
fn soonest_lists_each_specialists_next_free_starts() {
    let mut schedule = anna_alone();
    schedule.specialists.push(person("marco", every_day(vec![range("09:00", "17:00")]), 60));
    schedule.specialists[1].time_off = vec![TimeOff { from: civil_date(MONDAY), until: civil_date(MONDAY) }];
    let zone = zone(LONDON, "z").unwrap();
    let now = at("2026-11-30T15:10:00Z");
    let found = soonest(&schedule, &zone, date(MONDAY), 7, &none(), now, 3);
    let local = |starts: &Vec<Instant>| {
        starts.iter().map(|&s| format!("{} {}", local_date(&zone, s), local_time(&zone, s))).collect::<Vec<_>>()
    };
    assert_eq!(local(&found[0]), ["2026-11-30 15:30", "2026-11-30 16:00", "2026-12-01 09:00"]);
    assert_eq!(local(&found[1]), ["2026-12-01 09:00", "2026-12-01 09:30", "2026-12-01 10:00"], "Marco is away today");
}

#[test]
fn sao_paulo_spring_forward_day_begins_at_one_in_the_morning() {
    // Brazil's last daylight-saving change forward, 4 November 2018: midnight never happened, the
    // clock went from 23:59:59 to 01:00. A night owl working 00:00–03:00 works two real hours.
    let zone = zone("America/Sao_Paulo", "z").unwrap();
    let schedule = night_owl("America/Sao_Paulo", range("00:00", "03:00"), 60, 60);
    let slots = free_slots(&schedule, &zone, date("2018-11-04"), &none(), at("2018-11-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots), ["01:00", "02:00"]);
}

#[test]
fn sao_paulo_fall_back_repeats_the_last_hour_of_the_day() {
    // 16 February 2019: at 24:00 the clock went back to 23:00, so 23:00–24:00 happened twice.
    let zone = zone("America/Sao_Paulo", "z").unwrap();
    let mut schedule = night_owl("America/Sao_Paulo", range("22:00", "24:00"), 60, 60);
    schedule.specialists[0].working_hours = every_day(vec![range("22:00", "24:00")]);
    let slots = free_slots(&schedule, &zone, date("2019-02-16"), &none(), at("2019-02-01T00:00:00Z"));
    assert_eq!(times(&zone, &slots), ["22:00", "23:00", "23:00"]);
}

#[test]
fn lord_howe_shifts_by_half_an_hour() {
    // Lord Howe Island, 4 October 2026: 02:00 jumps to 02:30. 00:00–04:00 is 3½ real hours.
    let zone = zone("Australia/Lord_Howe", "z").unwrap();
    let schedule = night_owl("Australia/Lord_Howe", range("00:00", "04:00"), 30, 30);
    let spring = free_slots(&schedule, &zone, date("2026-10-04"), &none(), at("2026-09-01T00:00:00Z"));
    assert_eq!(times(&zone, &spring), ["00:00", "00:30", "01:00", "01:30", "02:30", "03:00", "03:30"]);
    // 5 April 2026: 02:00 goes back to 01:30, so 01:30–02:00 happens twice: 4½ real hours.
    let fall = free_slots(&schedule, &zone, date("2026-04-05"), &none(), at("2026-03-01T00:00:00Z"));
    assert_eq!(times(&zone, &fall), ["00:00", "00:30", "01:00", "01:30", "01:30", "02:00", "02:30", "03:00", "03:30"]);
}

#[test]
fn a_visit_of_several_services_runs_back_to_back_and_is_all_or_nothing() {
    let zone = zone(LONDON, "z").unwrap();
    let cut = schedule("womens-cut"); // anna, marco, sofia: 60 minutes
    let colour = schedule("colour"); // anna only: 90 minutes
    let parts = [cut.clone(), colour.clone()];
    let monday = |time: &str| at(&format!("2026-11-30T{time}:00Z"));
    let local = |slot: &VisitSlot| -> Vec<(String, String)> {
        slot.legs
            .iter()
            .map(|leg| (parts[leg.part].specialists[leg.specialist].id.clone(), local_time(&zone, leg.start)))
            .collect()
    };
    let visits = visit_slots(&parts, &[None, None], &zone, date(MONDAY), &none(), at(A_WEEK_BEFORE));
    let at_nine = visits.iter().find(|v| v.start == monday("09:00")).expect("09:00 is offered");
    assert_eq!(local(at_nine), [("anna".into(), "09:00".into()), ("anna".into(), "10:00".into())]);
    assert_eq!(at_nine.legs[1].end, monday("11:30"));
    // Anna's colour must end by her 13:00 break: a cut at 11:00 leaves no room, at 10:30 it does.
    assert!(visits.iter().all(|v| v.start != monday("11:00")));
    assert!(visits.iter().any(|v| v.start == monday("10:30")));
    // If Anna is busy at 09:00, Marco cuts and Anna colours from 10:00.
    let taken = [busy("anna", "2026-11-30T09:00:00Z", "2026-11-30T10:00:00Z")];
    let visits = visit_slots(&parts, &[None, None], &zone, date(MONDAY), &table(&taken), at(A_WEEK_BEFORE));
    let at_nine = visits.iter().find(|v| v.start == monday("09:00")).expect("still offered");
    assert_eq!(local(at_nine)[1], ("anna".into(), "10:00".into()));
    assert_ne!(local(at_nine)[0].0, "anna");
    // Asking for Anna for the cut too makes 09:00 impossible; the commit check agrees.
    let wanted = [Some("anna"), None];
    assert!(visit_slots(&parts, &wanted, &zone, date(MONDAY), &table(&taken), at(A_WEEK_BEFORE))
        .iter()
        .all(|v| v.start != monday("09:00")));
    let refused = choose_visit(&parts, &wanted, &zone, monday("09:00"), &table(&taken), at(A_WEEK_BEFORE));
    assert_eq!(refused.unwrap_err().code, ErrorCode::SlotUnavailable);
    let legs = choose_visit(&parts, &[None, None], &zone, monday("09:00"), &table(&taken), at(A_WEEK_BEFORE)).unwrap();
    assert_eq!(legs.len(), 2);
}

#[test]
fn a_visit_tries_the_next_specialist_when_the_first_leads_nowhere() {
    // Part two: Pia (30 minutes) comes first in catalog order, Quinn takes 60. Part three's only
    // specialist starts at 11:00, so only Quinn's longer part two lets the visit continue.
    let zone = zone(LONDON, "z").unwrap();
    let day = || every_day(vec![range("09:00", "17:00")]);
    let policy = policy(60, 0, 60);
    let parts = [
        plain(LONDON, policy.clone(), vec![person("xena", day(), 60)]),
        plain(LONDON, policy.clone(), vec![person("pia", day(), 30), person("quinn", day(), 60)]),
        plain(LONDON, policy, vec![person("zoe", every_day(vec![range("11:00", "12:00")]), 60)]),
    ];
    let visits = visit_slots(&parts, &[None, None, None], &zone, date(MONDAY), &none(), at(A_WEEK_BEFORE));
    assert_eq!(visits.len(), 1, "{visits:?}");
    assert_eq!(local_time(&zone, visits[0].start), "09:00");
    assert_eq!(parts[1].specialists[visits[0].legs[1].specialist].id, "quinn");
}

fn yoga(capacity: u32, waitlist_capacity: u32) -> ClassSchedule {
    let session = |weekday: Option<&str>, date: Option<&str>, start: &str| crate::catalog::ClassSession {
        location_id: "soho".into(),
        specialist_id: "sofia".into(),
        weekday: weekday.map(str::to_owned),
        date: date.map(civil_date),
        start: MinuteOfDay::parse(start).unwrap(),
    };
    ClassSchedule {
        service_id: "yoga".into(),
        time_zone: LONDON.into(),
        policy: policy(15, 60, 60),
        holidays: vec![civil_date("2026-12-07")],
        duration_minutes: 60,
        capacity,
        waitlist_capacity,
        sessions: vec![session(Some("mon"), None, "18:00"), session(None, Some("2026-12-03"), "07:30")],
    }
}

#[test]
fn class_sessions_meet_weekly_and_once_but_not_on_holidays() {
    let zone = zone(LONDON, "z").unwrap();
    let sessions = sessions_between(&yoga(8, 2), &zone, date(MONDAY), 15);
    let shown: Vec<String> =
        sessions.iter().map(|s| format!("{} {}", local_date(&zone, s.start), local_time(&zone, s.start))).collect();
    assert_eq!(shown, ["2026-11-30 18:00", "2026-12-03 07:30", "2026-12-14 18:00"], "7 December is a holiday");
    assert_eq!(sessions[0].end - sessions[0].start, 3600);
    // Only sessions outside the notice can be booked: at 17:30 on Monday the 18:00 one is too soon.
    let bookable = bookable_sessions(&yoga(8, 2), &zone, date(MONDAY), 15, at("2026-11-30T17:30:00Z"));
    assert_eq!(bookable.len(), 2);
    let code = session_at(&yoga(8, 2), &zone, at("2026-11-30T18:00:00Z"), at("2026-11-30T17:30:00Z")).unwrap_err().code;
    assert_eq!(code, ErrorCode::StartInPast);
    let code = session_at(&yoga(8, 2), &zone, at("2026-12-03T08:00:00Z"), at(A_WEEK_BEFORE)).unwrap_err().code;
    assert_eq!(code, ErrorCode::SlotUnavailable, "no session starts at 08:00");
}

#[test]
fn a_session_in_a_skipped_hour_starts_at_the_jump() {
    let zone = zone(LONDON, "z").unwrap();
    let mut class = yoga(8, 0);
    class.sessions[1].date = Some(civil_date("2027-03-28"));
    class.sessions[1].start = MinuteOfDay::parse("01:30").unwrap();
    let sessions = sessions_between(&class, &zone, date("2027-03-28"), 1);
    assert_eq!(format_instant(sessions[0].start), "2027-03-28T01:00:00Z", "01:00 GMT is when the clock jumps to 02:00");
}

#[test]
fn a_full_class_takes_a_waitlist_until_that_is_full_too() {
    let class = yoga(2, 1);
    assert_eq!(take_seat(&class, 0, 0, false).unwrap(), Seat::Booked);
    assert_eq!(take_seat(&class, 1, 0, false).unwrap(), Seat::Booked);
    assert_eq!(take_seat(&class, 2, 0, false).unwrap_err().code, ErrorCode::ClassFull, "only if asked");
    assert_eq!(take_seat(&class, 2, 0, true).unwrap(), Seat::Waitlisted { position: 1 });
    assert_eq!(take_seat(&class, 2, 1, true).unwrap_err().code, ErrorCode::ClassFull);
}

#[test]
fn a_class_keeps_its_instructor_busy_for_other_services() {
    let zone = zone(LONDON, "z").unwrap();
    let mut busy = BusyTable::new();
    let (from, to) = day_bounds(&zone, date(MONDAY));
    add_class_busy(&[yoga(8, 2)], &zone, from, to, &mut busy);
    let cut = only(schedule("womens-cut"), &["sofia"]);
    let shown = times(&zone, &free_slots(&cut, &zone, date(MONDAY), &busy, at(A_WEEK_BEFORE)));
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|t| t.as_str() <= "17:00" || t.as_str() >= "19:00"), "{shown:?}");
}

proptest! {
    /// However clients arrive, a session never has more seats booked than its capacity nor more
    /// clients waiting than its waitlist holds, and nobody waits while a seat is free.
    #[test]
    fn seats_and_waitlist_never_overflow(
        capacity in 1u32..6,
        waitlist_capacity in 0u32..4,
        arrivals in proptest::collection::vec(any::<bool>(), 0..20),
    ) {
        let class = yoga(capacity, waitlist_capacity);
        let (mut booked, mut waiting) = (0u32, 0u32);
        for join_waitlist in arrivals {
            match take_seat(&class, booked, waiting, join_waitlist) {
                Ok(Seat::Booked) => booked += 1,
                Ok(Seat::Waitlisted { position }) => {
                    prop_assert_eq!(booked, capacity, "waits only when full");
                    waiting += 1;
                    prop_assert_eq!(position, waiting);
                }
                Err(e) => {
                    prop_assert_eq!(e.code, ErrorCode::ClassFull);
                    prop_assert_eq!(booked, capacity);
                    prop_assert!(!join_waitlist || waiting == waitlist_capacity);
                }
            }
            prop_assert!(booked <= capacity && waiting <= waitlist_capacity);
        }
    }
}

/// A day's working ranges: in order, not overlapping, often back to back (a gap of 0), often from
/// midnight or up to 24:00 (the edges of the day are where off-by-one errors live).
fn arb_ranges() -> impl Strategy<Value = Vec<TimeRange>> {
    let gap = prop_oneof![Just(0u16), 1u16..180];
    let first = prop_oneof![1 => Just(0u16), 4 => 0u16..1440];
    let length = prop_oneof![1 => Just(1440u16), 6 => 1u16..480];
    (first, proptest::collection::vec((gap, length), 0..4)).prop_map(|(first, parts)| {
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

/// Weekly hours, the tested date's override, away that day, duration.
type DrawnSpecialist = (Vec<TimeRange>, Option<Vec<TimeRange>>, bool, u32);

/// One specialist as the property tests draw them: weekly hours, maybe a different day or a day
/// off on the tested date, their own duration.
fn arb_specialist() -> impl Strategy<Value = DrawnSpecialist> {
    let duration = prop_oneof![5u32..180, (1u32..36).prop_map(|k| k * 5)];
    (arb_ranges(), prop::option::weighted(0.2, arb_ranges()), prop::bool::weighted(0.1), duration)
}

/// Everything about a schedule except the zone and the dates.
#[derive(Debug, Clone)]
struct Drawn {
    specialists: Vec<DrawnSpecialist>,
    opening: Option<Vec<TimeRange>>,
    holiday: bool,
    buffers: (u32, u32),
    capacities: Vec<u32>,
    step: u32,
    optimal: bool,
    notice: u32,
}

fn arb_drawn() -> impl Strategy<Value = Drawn> {
    (
        proptest::collection::vec(arb_specialist(), 1..4),
        prop::option::weighted(0.3, arb_ranges()),
        prop::bool::weighted(0.05),
        (prop_oneof![Just(0u32), 1u32..45, Just(15)], prop_oneof![Just(0u32), 1u32..45, Just(10)]),
        proptest::collection::vec(1u32..3, 0..3),
        prop::sample::select(vec![5u32, 10, 15, 20, 30, 60]),
        prop::bool::weighted(0.3),
        prop_oneof![0u32..600, (0u32..120).prop_map(|k| k * 5)],
    )
        .prop_map(|(specialists, opening, holiday, buffers, capacities, step, optimal, notice)| Drawn {
            specialists,
            opening,
            holiday,
            buffers,
            capacities,
            step,
            optimal,
            notice,
        })
}

impl Drawn {
    /// The schedule, with overrides and time off falling on `date`.
    fn schedule(&self, zone: &str, date: Date, horizon: u32) -> ServiceSchedule {
        let date = CivilDate::parse(&date.to_string()).unwrap();
        ServiceSchedule {
            time_zone: zone.into(),
            policy: BookingPolicy {
                slot_step_minutes: self.step,
                minimum_notice_minutes: self.notice,
                horizon_days: horizon,
                slot_mode: if self.optimal { SlotMode::Optimal } else { SlotMode::Fixed },
                ..BookingPolicy::default()
            },
            buffer_before_minutes: self.buffers.0,
            buffer_after_minutes: self.buffers.1,
            opening_hours: self.opening.clone().map(every_day),
            holidays: if self.holiday { vec![date] } else { vec![] },
            resources: self
                .capacities
                .iter()
                .enumerate()
                .map(|(r, &capacity)| ResourceNeed { id: format!("r{r}"), capacity })
                .collect(),
            specialists: self
                .specialists
                .iter()
                .enumerate()
                .map(|(i, (weekly, override_hours, away, duration))| SpecialistHours {
                    id: format!("s{i}"),
                    working_hours: every_day(weekly.clone()),
                    date_overrides: override_hours
                        .iter()
                        .map(|hours| DateOverride { date, hours: hours.clone() })
                        .collect(),
                    time_off: if *away { vec![TimeOff { from: date, until: date }] } else { vec![] },
                    duration_minutes: *duration,
                })
                .collect(),
            classes: vec![],
        }
    }
}

/// Busy spans: `(who, offset minutes, length minutes, resource bits)`; `who` 3 is someone who does
/// not perform the service but shares the resources.
/// Half the time on a 5-minute grid, so spans meet each other, the notice and the working edges
/// exactly.
fn arb_busy(max_offset: i64, max_length: i64, count: usize) -> impl Strategy<Value = Vec<(usize, i64, i64, u8)>> {
    let fine = proptest::collection::vec((0usize..4, 0i64..max_offset, 1i64..max_length, 0u8..8), 0..count);
    let coarse = proptest::collection::vec((0usize..4, 0i64..max_offset / 5, 1i64..max_length / 5, 0u8..8), 0..count)
        .prop_map(|spans| {
            spans.into_iter().map(|(who, offset, length, bits)| (who, offset * 5, length * 5, bits)).collect()
        });
    prop_oneof![fine, coarse]
}

fn busy_from(drawn: &[(usize, i64, i64, u8)], origin: Instant) -> Vec<Busy> {
    drawn
        .iter()
        .map(|&(who, offset, length, bits)| Busy {
            specialist_id: format!("s{who}"),
            resource_ids: (0..3).filter(|r| bits & (1 << r) != 0).map(|r| format!("r{r}")).collect(),
            start: origin + offset * 60,
            end: origin + (offset + length) * 60,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn engine_matches_minute_by_minute_reference(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"]),
        // Days around daylight-saving changes (Sao Paulo's last ones were in 2018 and 2019), and ordinary days.
        day in prop::sample::select(vec!["2018-11-04", "2019-02-16", "2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2026-11-30"]),
        drawn in arb_drawn(),
        bookings in arb_busy(26 * 60, 240, 8),
        now_offset_minutes in prop_oneof![-600i64..600, (-120i64..120).prop_map(|k| k * 5)],
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let date = date(day);
        let schedule = drawn.schedule(zone_name, date, 730);
        let (day_start, _) = day_bounds(&zone, date);
        let busy = busy_from(&bookings, day_start - 3600);
        let now = day_start - 86_400 + now_offset_minutes * 60 + 86_400 / 2;
        let engine: Vec<(Instant, usize)> = {
            let mut pairs: Vec<_> = free_slots(&schedule, &zone, date, &table(&busy), now)
                .iter()
                .flat_map(|slot| slot.free.iter().map(move |&i| (slot.start, i as usize)))
                .collect();
            pairs.sort();
            pairs
        };
        prop_assert_eq!(engine, reference(&schedule, &zone, date, &busy, now));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// Visits of two or three services: the engine offers exactly the starts the reference finds,
    /// and the specialists it picks make a visit the reference accepts.
    #[test]
    fn visits_match_the_reference(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "Australia/Lord_Howe", "UTC"]),
        day in prop::sample::select(vec!["2026-03-08", "2026-03-29", "2026-10-04", "2026-11-30"]),
        drawn in proptest::collection::vec(arb_drawn(), 2..4),
        bookings in arb_busy(26 * 60, 240, 8),
        now_offset_minutes in -600i64..600,
        wanted in proptest::collection::vec(prop::option::weighted(0.2, 0usize..4), 3),
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let date = date(day);
        // The parts share the location: its policy, opening hours and holidays are the first part's.
        let first = drawn[0].schedule(zone_name, date, 730);
        // Each part is performed by other people, in another order: part k's i-th specialist is
        // s((i + k) mod 4), so the same index means different people in different parts.
        let parts: Vec<ServiceSchedule> = drawn
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let mut part = ServiceSchedule {
                    policy: first.policy.clone(),
                    opening_hours: first.opening_hours.clone(),
                    holidays: first.holidays.clone(),
                    ..d.schedule(zone_name, date, 730)
                };
                for (i, s) in part.specialists.iter_mut().enumerate() {
                    s.id = format!("s{}", (i + k) % 4);
                }
                part
            })
            .collect();
        let ids: Vec<String> = (0..4).map(|i| format!("s{i}")).collect();
        let wanted: Vec<Option<&str>> = wanted.iter().map(|w| w.map(|i| ids[i].as_str())).collect();
        let (day_start, _) = day_bounds(&zone, date);
        let busy = busy_from(&bookings, day_start - 3600);
        let now = day_start - 86_400 + now_offset_minutes * 60 + 86_400 / 2;
        let engine = visit_slots(&parts, &wanted, &zone, date, &table(&busy), now);
        let starts: Vec<Instant> = engine.iter().map(|v| v.start).collect();
        prop_assert_eq!(&starts, &super::reference::visit_starts(&parts, &wanted, &zone, date, &busy, now));
        for visit in &engine {
            let chosen: Vec<Option<&str>> = visit.legs.iter().map(|leg| Some(parts[leg.part].specialists[leg.specialist].id.as_str())).collect();
            prop_assert!(super::reference::visit_starts(&parts, &chosen, &zone, date, &busy, now).contains(&visit.start));
            for pair in visit.legs.windows(2) {
                prop_assert_eq!(pair[0].end, pair[1].start);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The calendar's range answer equals asking day by day, across clock changes.
    #[test]
    fn range_answer_equals_day_by_day(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"]),
        first in prop::sample::select(vec!["2018-11-01", "2026-03-05", "2026-03-26", "2026-04-02", "2026-10-01", "2026-10-22", "2026-10-29", "2026-11-26"]),
        days in 1u32..12,
        drawn in arb_drawn(),
        bookings in arb_busy(12 * 24 * 60, 600, 30),
        now_offset_minutes in -3000i64..3000,
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let first = date(first);
        let schedule = drawn.schedule(zone_name, add_days(first, 2), 9);
        let (start_of_range, _) = day_bounds(&zone, first);
        let busy = busy_from(&bookings, start_of_range);
        let now = start_of_range + now_offset_minutes * 60;
        let busy_table = table(&busy);
        let by_day = free_slots_by_day(&schedule, &zone, first, days, &busy_table, now);
        prop_assert_eq!(by_day.len(), days as usize);
        for (i, slots) in by_day.into_iter().enumerate() {
            let expected_day = add_days(first, i as i64);
            prop_assert_eq!(slots.date, expected_day);
            prop_assert_eq!(slots, free_slots(&schedule, &zone, expected_day, &busy_table, now));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    /// The calendar's working time is the reference's worked minutes, on ordinary and
    /// daylight-saving days, with overrides, time off, opening hours and holidays.
    #[test]
    fn working_time_matches_minute_by_minute_reference(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "UTC"]),
        day in prop::sample::select(vec!["2018-11-04", "2019-02-16", "2026-03-08", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01", "2026-11-30"]),
        drawn in arb_drawn(),
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let date = date(day);
        let schedule = drawn.schedule(zone_name, date, 730);
        for (i, person) in schedule.specialists.iter().enumerate() {
            let shown = working_time(person, schedule.opening_hours.as_ref(), &schedule.holidays, &zone, date);
            prop_assert_eq!(shown, super::reference::worked_minutes(&schedule, i, &zone, date), "specialist {}", i);
        }
    }
}

#[test]
fn working_time_shows_breaks_days_off_and_closures() {
    let anna = person("anna", every_day(vec![range("09:00", "13:00"), range("14:00", "17:00")]), 60);
    let zone = zone(LONDON, "z").unwrap();
    let anna = &anna;
    let day = date("2026-12-07");
    let shown = |opening: Option<&WeeklyHours>| -> Vec<(String, String)> {
        working_time(anna, opening, &[], &zone, day)
            .into_iter()
            .map(|(from, to)| (local_time(&zone, from), local_time(&zone, to)))
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(shown(None), vec![pair("09:00", "13:00"), pair("14:00", "17:00")], "a lunch break");
    let opening = every_day(vec![range("10:00", "16:00")]);
    assert_eq!(shown(Some(&opening)), vec![pair("10:00", "13:00"), pair("14:00", "16:00")], "only while open");
    let holiday = civil_date("2026-12-07");
    assert!(working_time(anna, None, &[holiday], &zone, day).is_empty(), "a holiday closes the location");
    assert_eq!(opening_time(None, &[], &zone, day), None, "no opening hours: the specialists' own bound the day");
    assert_eq!(opening_time(None, &[holiday], &zone, day), Some(vec![]));
}

/// Visits taken, by their own times, and the same visits as the rules read them: each widened by
/// buffers of its own (another service's), drawn per span.
fn widened(taken: &[Busy], widths: &[(i64, i64)]) -> Vec<Busy> {
    taken
        .iter()
        .zip(widths.iter().chain(std::iter::repeat(&(0, 0))))
        .map(|(b, &(before, after))| Busy { start: b.start - before * 60, end: b.end + after * 60, ..b.clone() })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]
    /// Outside the rules, a visit is placed exactly when, minute by minute, its specialist has no
    /// other visit and every resource it needs has a unit free; and whatever the rules offer, an
    /// override allows.
    #[test]
    fn overrides_never_overlap_and_allow_what_the_rules_allow(
        zone_name in prop::sample::select(vec!["Europe/London", "America/New_York", "Australia/Lord_Howe", "UTC"]),
        day in prop::sample::select(vec!["2026-03-29", "2026-10-25", "2026-11-30"]),
        drawn in arb_drawn(),
        bookings in arb_busy(26 * 60, 240, 8),
        widths in proptest::collection::vec((0i64..40, 0i64..40), 8),
        who in 0usize..3,
        start_minute in 0i64..(26 * 60),
        offered in prop::option::weighted(0.5, any::<prop::sample::Index>()),
        now_offset_minutes in -600i64..600,
    ) {
        let zone = zone(zone_name, "z").unwrap();
        let date = date(day);
        let schedule = drawn.schedule(zone_name, date, 730);
        prop_assume!(who < schedule.specialists.len());
        let (day_start, _) = day_bounds(&zone, date);
        let taken = busy_from(&bookings, day_start - 3600);
        let busy = widened(&taken, &widths);
        let now = day_start + now_offset_minutes * 60;
        // Half the time a start the rules offer this specialist, when there is one.
        let by_rules: Vec<Instant> = free_slots(&schedule, &zone, date, &table(&busy), now)
            .iter()
            .filter(|slot| slot.free.contains(&(who as u32)))
            .map(|slot| slot.start)
            .collect();
        let start = match offered {
            Some(index) if !by_rules.is_empty() => by_rules[index.index(by_rules.len())],
            _ => day_start - 3600 + start_minute * 60,
        };
        let placed = check_outside_rules(&schedule, who, start, &table(&taken), now);

        // The reference: minute by minute over the visit.
        let visit = schedule.visit(who, start);
        let id = &schedule.specialists[who].id;
        let free_minute = |t: Instant| {
            let own_free = !taken.iter().any(|b| &b.specialist_id == id && b.start <= t && t < b.end);
            let resources_free = schedule.resources.iter().all(|need| {
                let in_use = taken.iter().filter(|b| b.resource_ids.contains(&need.id) && b.start <= t && t < b.end).count();
                in_use < need.capacity as usize
            });
            own_free && resources_free
        };
        let fits = (0..(visit.end - visit.start) / 60).all(|m| free_minute(visit.start + m * 60));
        match &placed {
            Ok(v) => {
                prop_assert!(fits && start >= now);
                prop_assert_eq!(*v, visit);
            }
            Err(e) if e.code == ErrorCode::StartInPast => prop_assert!(start < now),
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::SlotUnavailable);
                prop_assert!(!fits, "refused a visit that fits");
            }
        }

        // The rules read the same visits with buffers; any start they offer the override takes.
        if choose_specialist(&schedule, &zone, start, Some(id), &table(&busy), now).is_ok() {
            prop_assert!(placed.is_ok(), "the rules offer it, the override refused: {:?}", placed);
        }
    }
}
