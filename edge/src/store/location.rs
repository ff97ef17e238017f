//! The location object: one per location, holding its bookings. It lists free slots and confirms
//! bookings with the same core function, so a shown slot fails only if someone took it between.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use worker::{durable_object, DurableObject, Env, Request, Response, SqlStorage, State};

use homeslot_core::availability::{
    choose_specialist, day_bounds, format_instant, free_slots, free_slots_by_day, local_date, local_time, parse_date,
    range_bounds, zone, Busy, Instant, ServiceSchedule,
};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::wire::SlotView;

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
}

#[derive(Serialize, Deserialize)]
struct DatesCommand {
    schedule: ServiceSchedule,
    from: String,
    days: u32,
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

/// Free slots of a service on a local date.
pub async fn slots(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    date: homeslot_core::availability::Date,
) -> AppResult<Vec<SlotView>> {
    let command = SlotsCommand { schedule: schedule.clone(), date: date.to_string() };
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
                let zone = zone(&command.schedule.time_zone, "time_zone")?;
                let date = parse_date(&command.date, "date")?;
                let (from, to) = day_bounds(&zone, date);
                let busy = busy_between(&sql, from, to)?;
                let schedule = &command.schedule;
                let slots: Vec<SlotView> = free_slots(schedule, &zone, date, &busy, clock::now())
                    .into_iter()
                    .map(|slot| SlotView {
                        start: format_instant(slot.start),
                        local_time: local_time(&zone, slot.start),
                        specialist_ids: slot.free.iter().map(|&i| schedule.specialists[i].id.clone()).collect(),
                    })
                    .collect();
                Ok(http::json(&slots, 200)?)
            }
            "/dates" => {
                let command: DatesCommand = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
                let zone = zone(&command.schedule.time_zone, "time_zone")?;
                let from = parse_date(&command.from, "from")?;
                let days = command.days.clamp(1, MAX_CALENDAR_DAYS);
                let (start, end) = range_bounds(&zone, from, days);
                let busy = busy_between(&sql, start, end)?;
                let dates: Vec<String> = free_slots_by_day(&command.schedule, &zone, from, days, &busy, clock::now())
                    .into_iter()
                    .filter(|(_, slots)| !slots.is_empty())
                    .map(|(date, _)| date.to_string())
                    .collect();
                Ok(http::json(&dates, 200)?)
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
        let busy = busy_between(sql, from, to)?;
        let now = clock::now();
        let chosen = choose_specialist(schedule, &zone, booking.start, booking.specialist_id.as_deref(), &busy, now)?;
        let specialist_id = schedule.specialists[chosen].id.clone();
        let end = booking.start + i64::from(schedule.duration_minutes) * 60;
        let booking_id = new_booking_id()?;
        sql.exec(
            "INSERT INTO bookings (id, service_id, specialist_id, start_s, end_s, client_name, client_phone, status, created_at_ms)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'confirmed', ?)",
            vec![
                booking_id.as_str().into(),
                booking.service_id.as_str().into(),
                specialist_id.as_str().into(),
                booking.start.into(),
                end.into(),
                booking.client_name.as_str().into(),
                booking.client_phone.as_str().into(),
                clock::now_millis().into(),
            ],
        )
        .map_err(|e| {
            if e.to_string().contains("UNIQUE") {
                ApiError::new(ErrorCode::SlotUnavailable, "Sorry, this time has just been taken. Please pick another.").into()
            } else {
                crate::error::AppError::Platform(e)
            }
        })?;
        Ok(Booked { booking_id, specialist_id, start: booking.start, end })
    }
}

/// Confirmed bookings overlapping `[from, to)`, as busy time of their specialists.
fn busy_between(sql: &SqlStorage, from: Instant, to: Instant) -> worker::Result<Vec<Busy>> {
    sql.exec(
        "SELECT specialist_id, start_s AS start, end_s AS end FROM bookings
         WHERE status = 'confirmed' AND end_s > ? AND start_s < ?
         ORDER BY start_s",
        vec![from.into(), to.into()],
    )?
    .to_array()
}

/// An unguessable booking id: it will appear in the client's manage link.
fn new_booking_id() -> worker::Result<String> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?.unchecked_into::<web_sys::Crypto>();
    Ok(format!("bk_{}", crypto.random_uuid().replace('-', "")))
}
