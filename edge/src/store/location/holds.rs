//! Holds: a client who picked a time keeps it for a few minutes (the location's `hold_minutes`)
//! while typing their details. A live hold is busy time like a booking; a confirmation naming it
//! consumes it; an expired one blocks nothing and is cleared by the object's alarm.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{choose_specialist, day_bounds, local_date, zone, Instant, ServiceSchedule};
use homeslot_core::error::{ApiError, ErrorCode};

use super::busy::busy_around;
use super::{new_booking_id, stub};
use crate::clock;
use crate::error::AppResult;
use crate::store::call;

/// A hold that passed the edge's validation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewHold {
    pub service_id: String,
    pub start: Instant,
    pub specialist_id: Option<String>,
}

/// A placed hold.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Held {
    pub hold_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
    pub expires_at: Instant,
}

#[derive(Serialize, Deserialize)]
pub(super) struct HoldCommand {
    schedule: ServiceSchedule,
    hold: NewHold,
}

/// Places a hold: the same check as a booking, then the time is kept until it expires.
pub async fn place_hold(
    env: &Env,
    company_id: &str,
    location_id: &str,
    schedule: &ServiceSchedule,
    hold: &NewHold,
) -> AppResult<Held> {
    let command = HoldCommand { schedule: schedule.clone(), hold: hold.clone() };
    call(&stub(env, company_id, location_id)?, "/hold", &command).await
}

/// `/hold`: checks the time as a booking would and keeps it. Synchronous from check to write.
pub(super) fn place(sql: &SqlStorage, command: &HoldCommand) -> AppResult<Held> {
    let schedule = &command.schedule;
    let hold = &command.hold;
    let zone = zone(&schedule.time_zone, "time_zone")?;
    let (from, to) = day_bounds(&zone, local_date(&zone, hold.start));
    let busy = busy_around(sql, std::slice::from_ref(schedule), from, to, None, hold.specialist_id.as_deref())?;
    let now = clock::now();
    let chosen = choose_specialist(schedule, &zone, hold.start, hold.specialist_id.as_deref(), &busy, now)?;
    let visit = schedule.visit(chosen, hold.start);
    let specialist_id = schedule.specialists[chosen].id.clone();
    let hold_id = format!("hd_{}", new_booking_id()?.trim_start_matches("bk_"));
    let expires_at = now + i64::from(schedule.policy.hold_minutes.max(1)) * 60;
    sql.exec(
        "INSERT INTO holds (id, service_id, specialist_id, start_s, end_s, busy_from_s, busy_until_s, resource_ids, expires_at_s)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            hold_id.as_str().into(),
            hold.service_id.as_str().into(),
            specialist_id.as_str().into(),
            visit.start.into(),
            visit.end.into(),
            visit.busy_from.into(),
            visit.busy_until.into(),
            schedule.resources.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" ").into(),
            expires_at.into(),
        ],
    )?;
    Ok(Held { hold_id, specialist_id, start: visit.start, end: visit.end, expires_at })
}

#[derive(Deserialize)]
struct HoldRow {
    service_id: String,
    specialist_id: String,
    start_s: Instant,
}

/// The specialist a live hold keeps for this booking (same service, same start).
///
/// # Errors
/// `hold_expired` when no live hold has this id, or it was placed for another service or time.
pub(super) fn held_specialist(
    sql: &SqlStorage,
    hold_id: &str,
    service_id: &str,
    start: Instant,
    now: Instant,
) -> AppResult<String> {
    let rows: Vec<HoldRow> = sql
        .exec(
            "SELECT service_id, specialist_id, start_s FROM holds WHERE id = ? AND expires_at_s > ?",
            vec![hold_id.into(), now.into()],
        )?
        .to_array()?;
    match rows.into_iter().next() {
        Some(row) if row.service_id == service_id && row.start_s == start => Ok(row.specialist_id),
        _ => Err(ApiError::field(
            ErrorCode::HoldExpired,
            "hold_id",
            "The time kept for you has been released. Please pick a time again.",
        )
        .into()),
    }
}

/// Removes a consumed hold.
pub(super) fn release(sql: &SqlStorage, hold_id: &str) -> worker::Result<()> {
    sql.exec("DELETE FROM holds WHERE id = ?", vec![hold_id.into()])?;
    Ok(())
}

#[derive(Deserialize)]
struct NextExpiry {
    next: Option<Instant>,
}

/// Clears expired holds; returns when the next live one expires, if any.
pub(super) fn clear_expired(sql: &SqlStorage, now: Instant) -> worker::Result<Option<Instant>> {
    sql.exec("DELETE FROM holds WHERE expires_at_s <= ?", vec![now.into()])?;
    Ok(sql.exec("SELECT min(expires_at_s) AS next FROM holds", None)?.one::<NextExpiry>()?.next)
}
