//! The location object: one per location, holding its bookings. It lists free slots and confirms
//! bookings with the same core function, so a shown slot fails only if someone took it between.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use worker::{durable_object, DurableObject, Env, Request, Response, SqlStorage, State};

use homeslot_core::availability::{
    add_class_busy, bookable_sessions, choose_specialist, choose_visit, day_bounds, format_instant, free_slots,
    free_slots_by_day, local_date, local_time, parse_date, range_bounds, session_at, soonest, take_seat, visit_slots,
    zone, BusyTable, ClassSchedule, Instant, Leg, Seat, ServiceSchedule, SessionTime,
};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::{SlotView, SoonestSlot, SpecialistSoonest};

use crate::error::AppResult;
use crate::store::{answer, call, migrations::Schema};
use crate::{clock, http};

const MIGRATIONS: &[&str] = &[
    "CREATE TABLE bookings (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        specialist_id TEXT NOT NULL,
        start_s INTEGER NOT NULL,
        end_s INTEGER NOT NULL,
        client_name TEXT NOT NULL,
        client_phone TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX bookings_by_start ON bookings (start_s)",
    // A second line of defence behind the availability check: one confirmed start per specialist.
    "CREATE UNIQUE INDEX one_confirmed_start_per_specialist ON bookings (specialist_id, start_s) WHERE status = 'confirmed'",
    // Buffers and resources: a booking keeps its specialist and resources busy from `busy_from_s`
    // to `busy_until_s` (the visit with its buffers) and uses the resources listed.
    "ALTER TABLE bookings ADD COLUMN busy_from_s INTEGER",
    "ALTER TABLE bookings ADD COLUMN busy_until_s INTEGER",
    "ALTER TABLE bookings ADD COLUMN resource_ids TEXT NOT NULL DEFAULT ''",
    "UPDATE bookings SET busy_from_s = start_s, busy_until_s = end_s WHERE busy_from_s IS NULL",
    "CREATE INDEX bookings_by_busy_from ON bookings (busy_from_s)",
    // The parts of a visit of several services share a visit id.
    "ALTER TABLE bookings ADD COLUMN visit_id TEXT",
    // Seats in class sessions (and waitlist places), apart from `bookings`: many clients share
    // one session and its instructor.
    "CREATE TABLE class_bookings (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        session_start_s INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'waitlisted', 'cancelled')),
        client_name TEXT NOT NULL,
        client_phone TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX class_bookings_by_session ON class_bookings (service_id, session_start_s)",
];

/// The longest range the calendar answers at once.
pub const MAX_CALENDAR_DAYS: u32 = 62;

/// A booking that passed the edge's validation, for the location object to check and write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewBooking {
    pub service_id: String,
    pub start: Instant,
    pub specialist_id: Option<String>,
    pub client_name: String,
    pub client_phone: String,
}

/// What the location object wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Booked {
    pub booking_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
}

#[derive(Serialize, Deserialize)]
struct SlotsCommand {
    schedule: ServiceSchedule,
    date: String,
    /// Also list the dates with a free slot from today for this many days (0: none).
    calendar_days: u32,
}

/// A date's free slots, and optionally the open dates of a calendar.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DaySlotsAnswer {
    pub slots: Vec<SlotView>,
    pub open_dates: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct DatesCommand {
    schedule: ServiceSchedule,
    from: String,
    days: u32,
}

#[derive(Serialize, Deserialize)]
struct SoonestCommand {
    schedule: ServiceSchedule,
    days: u32,
    count: usize,
}

#[derive(Serialize, Deserialize)]
struct VisitSlotsCommand {
    parts: Vec<ServiceSchedule>,
    wanted: Vec<Option<String>>,
    date: String,
}

/// A visit start, as the location object found it: each part's specialist and times.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FoundVisit {
    pub start: Instant,
    pub legs: Vec<BookedLeg>,
}

/// One part of a visit: which part, the specialist's id and the visit's times.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookedLeg {
    pub part: usize,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
    /// Set once written.
    pub booking_id: Option<String>,
}

/// A visit that passed the edge's validation, for the location object to check and write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewVisit {
    pub service_ids: Vec<String>,
    pub start: Instant,
    pub wanted: Vec<Option<String>>,
    pub client_name: String,
    pub client_phone: String,
}

/// What the location object wrote for a visit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookedVisit {
    pub visit_id: String,
    pub legs: Vec<BookedLeg>,
}

#[derive(Serialize, Deserialize)]
struct VisitCommand {
    parts: Vec<ServiceSchedule>,
    visit: NewVisit,
}

#[derive(Serialize, Deserialize)]
struct ClassSessionsCommand {
    class: ClassSchedule,
    from: String,
    days: u32,
}

/// A bookable session and how many seats and waitlist places are taken.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionCount {
    pub start: Instant,
    pub end: Instant,
    pub specialist_id: String,
    pub booked: u32,
    pub waiting: u32,
}

/// A seat request that passed the edge's validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewClassBooking {
    pub start: Instant,
    pub join_waitlist: bool,
    pub client_name: String,
    pub client_phone: String,
}

/// What the location object wrote for a seat request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TakenSeat {
    pub booking_id: String,
    pub seat: Seat,
    pub start: Instant,
    pub end: Instant,
    pub specialist_id: String,
}

#[derive(Serialize, Deserialize)]
struct JoinClassCommand {
    class: ClassSchedule,
    booking: NewClassBooking,
}

#[derive(Serialize, Deserialize)]
struct BookCommand {
    schedule: ServiceSchedule,
    booking: NewBooking,
}

fn stub(env: &Env, company_id: &str, location_id: &str) -> AppResult<worker::Stub> {
    let name = format!("{company_id}/{location_id}");
    Ok(env.durable_object("LOCATION")?.id_from_name(&name)?.get_stub()?)
}

/// Free slots of a service on a local date, and with `calendar_days` > 0 the dates from today
/// (for that many days) that have a free slot.
pub async fn slots(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    date: homeslot_core::availability::Date,
    calendar_days: u32,
) -> AppResult<DaySlotsAnswer> {
    let command = SlotsCommand { schedule: schedule.clone(), date: date.to_string(), calendar_days };
    call(&stub(env, company_id, location_id)?, "/slots", &command).await
}

/// The dates from `from` (for `days` days) that have at least one free slot of the service.
pub async fn dates(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    from: homeslot_core::availability::Date,
    days: u32,
) -> AppResult<Vec<String>> {
    let command = DatesCommand { schedule: schedule.clone(), from: from.to_string(), days };
    call(&stub(env, company_id, location_id)?, "/dates", &command).await
}

/// Each specialist's `count` nearest free starts in the next `days` dates.
pub async fn soonest_slots(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    days: u32,
    count: usize,
) -> AppResult<Vec<SpecialistSoonest>> {
    let command = SoonestCommand { schedule: schedule.clone(), days, count };
    call(&stub(env, company_id, location_id)?, "/soonest", &command).await
}

/// The starts of a visit of several services on a local date.
pub async fn visit_starts(
    env: &Env,
    company_id: &str,
    location_id: &str,
    parts: &[ServiceSchedule],
    wanted: &[Option<String>],
    date: homeslot_core::availability::Date,
) -> AppResult<Vec<FoundVisit>> {
    let command = VisitSlotsCommand { parts: parts.to_vec(), wanted: wanted.to_vec(), date: date.to_string() };
    call(&stub(env, company_id, location_id)?, "/visit-slots", &command).await
}

/// Checks every part of a visit and writes them all, or none.
pub async fn book_visit(
    env: &Env,
    company_id: &str,
    location_id: &str,
    parts: &[ServiceSchedule],
    visit: &NewVisit,
) -> AppResult<BookedVisit> {
    let command = VisitCommand { parts: parts.to_vec(), visit: visit.clone() };
    call(&stub(env, company_id, location_id)?, "/book-visit", &command).await
}

/// A class's bookable sessions from `from` for `days` dates, with their seat counts.
pub async fn class_sessions(
    env: &Env,
    company_id: &str,
    location_id: &str,
    class: &ClassSchedule,
    from: homeslot_core::availability::Date,
    days: u32,
) -> AppResult<Vec<SessionCount>> {
    let command = ClassSessionsCommand { class: class.clone(), from: from.to_string(), days };
    call(&stub(env, company_id, location_id)?, "/class-sessions", &command).await
}

/// Takes a seat (or a waitlist place) in a session, atomically with every other request.
pub async fn join_class(
    env: &Env,
    company_id: &str,
    location_id: &str,
    class: &ClassSchedule,
    booking: &NewClassBooking,
) -> AppResult<TakenSeat> {
    let command = JoinClassCommand { class: class.clone(), booking: booking.clone() };
    call(&stub(env, company_id, location_id)?, "/join-class", &command).await
}

/// Checks the slot and writes the booking, atomically with respect to every other booking of the
/// location.
pub async fn book(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    booking: &NewBooking,
) -> AppResult<Booked> {
    let command = BookCommand { schedule: schedule.clone(), booking: booking.clone() };
    call(&stub(env, company_id, location_id)?, "/book", &command).await
}

#[durable_object]
pub struct LocationStore {
    state: State,
    schema: Schema,
}

impl DurableObject for LocationStore {
    fn new(state: State, _env: Env) -> Self {
        LocationStore { state, schema: Schema::default() }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        answer(self.handle(req)).await
    }
}

impl LocationStore {
    async fn handle(&self, mut req: Request) -> AppResult<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        match req.path().as_str() {
            "/slots" => {
                let command: SlotsCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let schedule = &command.schedule;
                let zone = zone(&schedule.time_zone, "time_zone")?;
                let date = parse_date(&command.date, "date")?;
                let now = clock::now();
                let (from, to) = day_bounds(&zone, date);
                let busy = busy_around(&sql, std::slice::from_ref(schedule), from, to)?;
                let slots: Vec<SlotView> = free_slots(schedule, &zone, date, &busy, now)
                    .iter()
                    .map(|slot| SlotView {
                        start: format_instant(slot.start),
                        local_time: local_time(&zone, slot.start),
                        specialist_ids: slot
                            .free
                            .iter()
                            .map(|&i| schedule.specialists[i as usize].id.clone())
                            .collect(),
                    })
                    .collect();
                let open_dates = match command.calendar_days.min(MAX_CALENDAR_DAYS) {
                    0 => Vec::new(),
                    days => open_dates(&sql, schedule, &zone, local_date(&zone, now), days, now)?,
                };
                Ok(http::json(&DaySlotsAnswer { slots, open_dates }, 200)?)
            }
            "/dates" => {
                let command: DatesCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let zone = zone(&command.schedule.time_zone, "time_zone")?;
                let from = parse_date(&command.from, "from")?;
                let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
                let dates = open_dates(&sql, &command.schedule, &zone, from, days, clock::now())?;
                Ok(http::json(&dates, 200)?)
            }
            "/soonest" => {
                let command: SoonestCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let schedule = &command.schedule;
                let zone = zone(&schedule.time_zone, "time_zone")?;
                let now = clock::now();
                let today = local_date(&zone, now);
                let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
                let (start, end) = range_bounds(&zone, today, days);
                let busy = busy_around(&sql, std::slice::from_ref(schedule), start, end)?;
                let found = soonest(schedule, &zone, today, days, &busy, now, command.count);
                let answer: Vec<SpecialistSoonest> = schedule
                    .specialists
                    .iter()
                    .zip(found)
                    .map(|(specialist, starts)| SpecialistSoonest {
                        specialist_id: specialist.id.clone(),
                        slots: starts
                            .into_iter()
                            .map(|at| SoonestSlot {
                                start: format_instant(at),
                                local_date: local_date(&zone, at).to_string(),
                                local_time: local_time(&zone, at),
                            })
                            .collect(),
                    })
                    .collect();
                Ok(http::json(&answer, 200)?)
            }
            "/visit-slots" => {
                let command: VisitSlotsCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let zone = zone(&command.parts.first().map(|p| p.time_zone.clone()).unwrap_or_default(), "time_zone")?;
                let date = parse_date(&command.date, "date")?;
                let (from, to) = day_bounds(&zone, date);
                let busy = busy_around(&sql, &command.parts, from, to)?;
                let wanted: Vec<Option<&str>> = command.wanted.iter().map(Option::as_deref).collect();
                let found: Vec<FoundVisit> = visit_slots(&command.parts, &wanted, &zone, date, &busy, clock::now())
                    .into_iter()
                    .map(|slot| FoundVisit { start: slot.start, legs: booked_legs(&command.parts, &slot.legs) })
                    .collect();
                Ok(http::json(&found, 200)?)
            }
            "/book-visit" => {
                let command: VisitCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let booked = self.check_and_write_visit(&sql, &command)?;
                Ok(http::json(&booked, 200)?)
            }
            "/class-sessions" => {
                let command: ClassSessionsCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let zone = zone(&command.class.time_zone, "time_zone")?;
                let from = parse_date(&command.from, "from")?;
                let sessions = bookable_sessions(
                    &command.class,
                    &zone,
                    from,
                    command.days.clamp(1, MAX_CALENDAR_DAYS),
                    clock::now(),
                );
                let counted: Vec<SessionCount> = sessions
                    .into_iter()
                    .map(|session| {
                        let (booked, waiting) = seats_taken(&sql, &command.class.service_id, session.start)?;
                        Ok(SessionCount {
                            start: session.start,
                            end: session.end,
                            specialist_id: session.specialist_id,
                            booked,
                            waiting,
                        })
                    })
                    .collect::<worker::Result<_>>()?;
                Ok(http::json(&counted, 200)?)
            }
            "/join-class" => {
                let command: JoinClassCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let taken = join_class_now(&sql, &command)?;
                Ok(http::json(&taken, 200)?)
            }
            "/book" => {
                let command: BookCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let booked = self.check_and_write(&sql, &command)?;
                Ok(http::json(&booked, 200)?)
            }
            _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
        }
    }

    /// The critical section. Synchronous from the first read to the write: no other request to
    /// this location can run in between, so the check cannot go stale.
    fn check_and_write(&self, sql: &SqlStorage, command: &BookCommand) -> AppResult<Booked> {
        let schedule = &command.schedule;
        let booking = &command.booking;
        let zone = zone(&schedule.time_zone, "time_zone")?;
        let (from, to) = day_bounds(&zone, local_date(&zone, booking.start));
        let busy = busy_around(sql, std::slice::from_ref(schedule), from, to)?;
        let now = clock::now();
        let chosen = choose_specialist(schedule, &zone, booking.start, booking.specialist_id.as_deref(), &busy, now)?;
        let specialist_id = schedule.specialists[chosen].id.clone();
        let visit = schedule.visit(chosen, booking.start);
        let booking_id = new_booking_id()?;
        let row = Row {
            id: booking_id.clone(),
            visit_id: None,
            service_id: booking.service_id.clone(),
            specialist_id: specialist_id.clone(),
            visit,
            resource_ids: schedule.resources.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" "),
            client_name: booking.client_name.clone(),
            client_phone: booking.client_phone.clone(),
        };
        insert(sql, &row, clock::now_millis())?;
        Ok(Booked { booking_id, specialist_id, start: visit.start, end: visit.end })
    }
}

impl LocationStore {
    /// The visit's critical section: every part is checked, then every row written in one SQLite
    /// transaction, so a visit is booked whole or not at all.
    fn check_and_write_visit(&self, sql: &SqlStorage, command: &VisitCommand) -> AppResult<BookedVisit> {
        let parts = &command.parts;
        let visit = &command.visit;
        let zone = zone(&parts.first().map(|p| p.time_zone.clone()).unwrap_or_default(), "time_zone")?;
        let (from, to) = day_bounds(&zone, local_date(&zone, visit.start));
        let busy = busy_around(sql, parts, from, to)?;
        let wanted: Vec<Option<&str>> = visit.wanted.iter().map(Option::as_deref).collect();
        let legs = choose_visit(parts, &wanted, &zone, visit.start, &busy, clock::now())?;
        let visit_id = format!("vs_{}", new_booking_id()?.trim_start_matches("bk_"));
        let mut booked = booked_legs(parts, &legs);
        let mut rows = Vec::with_capacity(legs.len());
        for (leg, out) in legs.iter().zip(&mut booked) {
            let schedule = &parts[leg.part];
            let id = new_booking_id()?;
            out.booking_id = Some(id.clone());
            rows.push(Row {
                id,
                visit_id: Some(visit_id.clone()),
                service_id: visit.service_ids.get(leg.part).cloned().unwrap_or_default(),
                specialist_id: out.specialist_id.clone(),
                visit: schedule.visit(leg.specialist, leg.start),
                resource_ids: schedule.resources.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" "),
                client_name: visit.client_name.clone(),
                client_phone: visit.client_phone.clone(),
            });
        }
        let now_ms = clock::now_millis();
        let sql_in_transaction = sql.clone();
        transaction_sync(&self.state.storage(), move || {
            rows.iter().try_for_each(|row| insert(&sql_in_transaction, row, now_ms))
        })?;
        Ok(BookedVisit { visit_id, legs: booked })
    }
}

/// One bookings row.
struct Row {
    id: String,
    visit_id: Option<String>,
    service_id: String,
    specialist_id: String,
    visit: homeslot_core::availability::Visit,
    resource_ids: String,
    client_name: String,
    client_phone: String,
}

/// Writes a confirmed booking. The unique index is the last line of defence against a double
/// booking; hitting it reads as the slot being taken.
fn insert(sql: &SqlStorage, row: &Row, now_ms: i64) -> AppResult<()> {
    sql.exec(
        "INSERT INTO bookings (id, visit_id, service_id, specialist_id, start_s, end_s, busy_from_s, busy_until_s,
                               resource_ids, client_name, client_phone, status, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?)",
        vec![
            row.id.as_str().into(),
            row.visit_id.as_deref().into(),
            row.service_id.as_str().into(),
            row.specialist_id.as_str().into(),
            row.visit.start.into(),
            row.visit.end.into(),
            row.visit.busy_from.into(),
            row.visit.busy_until.into(),
            row.resource_ids.as_str().into(),
            row.client_name.as_str().into(),
            row.client_phone.as_str().into(),
            now_ms.into(),
        ],
    )
    .map_err(|e| {
        if e.to_string().contains("UNIQUE") {
            ApiError::new(ErrorCode::SlotUnavailable, "Sorry, this time has just been taken. Please pick another.")
                .into()
        } else {
            crate::error::AppError::Platform(e)
        }
    })?;
    Ok(())
}

/// Runs `work` inside the object's `transactionSync`: if it fails, every write it made is rolled
/// back and its error returned. (workers-rs does not wrap this storage call.)
fn transaction_sync(storage: &worker::Storage, work: impl FnOnce() -> AppResult<()> + 'static) -> AppResult<()> {
    let raw: &wasm_bindgen::JsValue = storage.as_raw().as_ref();
    let run: js_sys::Function = js_sys::Reflect::get(raw, &"transactionSync".into())
        .map_err(worker::Error::from)?
        .dyn_into()
        .map_err(worker::Error::from)?;
    let failure = std::rc::Rc::new(std::cell::RefCell::new(None));
    let failed = failure.clone();
    let closure = wasm_bindgen::closure::Closure::once(move || -> Result<(), wasm_bindgen::JsValue> {
        work().map_err(|error| {
            *failed.borrow_mut() = Some(error);
            wasm_bindgen::JsValue::from_str("rolled back")
        })
    });
    let outcome = run.call1(raw, closure.as_ref());
    if let Some(error) = failure.borrow_mut().take() {
        return Err(error);
    }
    outcome.map_err(worker::Error::from)?;
    Ok(())
}

/// A seat request's critical section, synchronous from the count to the write: two clients can
/// never both get the last seat.
fn join_class_now(sql: &SqlStorage, command: &JoinClassCommand) -> AppResult<TakenSeat> {
    let class = &command.class;
    let booking = &command.booking;
    let zone = zone(&class.time_zone, "time_zone")?;
    let SessionTime { start, end, specialist_id } = session_at(class, &zone, booking.start, clock::now())?;
    let (booked, waiting) = seats_taken(sql, &class.service_id, start)?;
    let seat = take_seat(class, booked, waiting, booking.join_waitlist)?;
    let booking_id = new_booking_id()?;
    let status = match seat {
        Seat::Booked => "booked",
        Seat::Waitlisted { .. } => "waitlisted",
    };
    sql.exec(
        "INSERT INTO class_bookings (id, service_id, session_start_s, status, client_name, client_phone, created_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        vec![
            booking_id.as_str().into(),
            class.service_id.as_str().into(),
            start.into(),
            status.into(),
            booking.client_name.as_str().into(),
            booking.client_phone.as_str().into(),
            clock::now_millis().into(),
        ],
    )?;
    Ok(TakenSeat { booking_id, seat, start, end, specialist_id })
}

#[derive(Deserialize)]
struct SeatCount {
    booked: Option<i64>,
    waiting: Option<i64>,
}

/// Seats booked and clients waiting in one session.
fn seats_taken(sql: &SqlStorage, service_id: &str, start: Instant) -> worker::Result<(u32, u32)> {
    let count = sql
        .exec(
            "SELECT sum(status = 'booked') AS booked, sum(status = 'waitlisted') AS waiting FROM class_bookings
             WHERE service_id = ? AND session_start_s = ?",
            vec![service_id.into(), start.into()],
        )?
        .one::<SeatCount>()?;
    let clamp = |n: Option<i64>| u32::try_from(n.unwrap_or(0)).unwrap_or(u32::MAX);
    Ok((clamp(count.booked), clamp(count.waiting)))
}

/// The dates from `from`, for `days` days, with at least one free slot of the service.
fn open_dates(
    sql: &SqlStorage,
    schedule: &ServiceSchedule,
    zone: &homeslot_core::availability::TimeZone,
    from: homeslot_core::availability::Date,
    days: u32,
    now: Instant,
) -> worker::Result<Vec<String>> {
    let (start, end) = range_bounds(zone, from, days);
    let busy = busy_around(sql, std::slice::from_ref(schedule), start, end)?;
    Ok(free_slots_by_day(schedule, zone, from, days, &busy, now)
        .into_iter()
        .filter(|day| !day.is_empty())
        .map(|day| day.date.to_string())
        .collect())
}

fn booked_legs(parts: &[ServiceSchedule], legs: &[Leg]) -> Vec<BookedLeg> {
    legs.iter()
        .map(|leg| BookedLeg {
            part: leg.part,
            specialist_id: parts[leg.part].specialists[leg.specialist].id.clone(),
            start: leg.start,
            end: leg.end,
            booking_id: None,
        })
        .collect()
}

#[derive(Deserialize)]
struct BusyRow {
    specialist_id: String,
    resource_ids: String,
    start: Instant,
    end: Instant,
}

/// The busy spans of every confirmed booking of the location (all services: they share
/// specialists and resources) that can matter to visits of `services` between `from` and `to`:
/// those overlapping the range widened by the services' buffers. In start order.
fn busy_around(
    sql: &SqlStorage,
    services: &[ServiceSchedule],
    from: Instant,
    to: Instant,
) -> worker::Result<BusyTable> {
    let before = services.iter().map(|s| s.buffer_before_minutes).max().unwrap_or(0);
    let after = services.iter().map(|s| s.buffer_after_minutes).max().unwrap_or(0);
    let (from, to) = (from - i64::from(before) * 60, to + i64::from(after) * 60);
    let rows: Vec<BusyRow> = sql
        .exec(
            "SELECT specialist_id, resource_ids, busy_from_s AS start, busy_until_s AS end FROM bookings
             WHERE status = 'confirmed' AND busy_until_s > ? AND busy_from_s < ?
             ORDER BY busy_from_s",
            vec![from.into(), to.into()],
        )?
        .to_array()?;
    let mut busy = BusyTable::new();
    for row in &rows {
        busy.add(&row.specialist_id, row.resource_ids.split_whitespace(), row.start, row.end);
    }
    // Class sessions keep their instructors busy (each class once, though several parts name it).
    let mut classes: Vec<ClassSchedule> = Vec::new();
    for class in services.iter().flat_map(|s| &s.classes) {
        if !classes.iter().any(|c| c.service_id == class.service_id) {
            classes.push(class.clone());
        }
    }
    if let Some(first) = services.first() {
        let zone = zone(&first.time_zone, "time_zone").map_err(|e| worker::Error::RustError(e.message))?;
        add_class_busy(&classes, &zone, from, to, &mut busy);
    }
    Ok(busy)
}

/// An unguessable booking id: it will appear in the client's manage link.
fn new_booking_id() -> worker::Result<String> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?.unchecked_into::<web_sys::Crypto>();
    Ok(format!("bk_{}", crypto.random_uuid().replace('-', "")))
}
