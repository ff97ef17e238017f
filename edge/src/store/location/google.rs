//! The location's availability feed for Google ([`homeslot_core::google_feeds`]): its free slots
//! for the feed's days, made in the object from its own bookings (the same engine as the widget's
//! `/slots`) and kept as the last snapshot, which Google's upload reads.
//!
//! A snapshot of a busy location runs to megabytes, more than a row may hold, so it is kept in
//! parts of at most [`PART_BYTES`] of JSON, joined when read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{
    add_days, free_slots_by_day, local_date, parse_date, range_bounds, zone, ClassSchedule, Date, Instant,
    ServiceSchedule, TimeZone,
};
use homeslot_core::google_feeds::{Availability, FeedMetadata, Resources};
use homeslot_core::reserve::Int64;

use super::busy::busy_around;
use super::classes::counted_sessions;
use super::stub;
use crate::clock;
use crate::error::AppResult;
use crate::store::call;

/// The object's table of its last snapshot (appended to its migrations).
pub(super) const TABLE: &str = "CREATE TABLE google_availability (
    part INTEGER PRIMARY KEY,
    generated_s INTEGER NOT NULL,
    body TEXT NOT NULL
)";

/// The most JSON one row of a snapshot holds (a row may hold 2 MB).
const PART_BYTES: usize = 1 << 20;

/// What the object needs to list its free slots: the location's services as the widget books
/// them, with the room each takes and the names of who performs them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedPlan {
    pub merchant_id: String,
    pub time_zone: String,
    pub days: u32,
    pub services: Vec<FeedServicePlan>,
    pub classes: Vec<FeedClassPlan>,
    /// Specialists' names by id.
    pub staff: BTreeMap<String, String>,
}

/// A one-to-one service of the location.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedServicePlan {
    pub schedule: ServiceSchedule,
    pub service_id: String,
    pub room: Option<(String, String)>,
}

/// A class of the location.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedClassPlan {
    pub class: ClassSchedule,
    pub room: Option<(String, String)>,
}

/// A snapshot made: when, how many slots, how much JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub generated_s: i64,
    pub slots: u64,
    pub bytes: u64,
}

/// Which shard of which snapshot a read is, for its metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardOf {
    pub shard_number: i32,
    pub total_shards: i32,
    /// The same in every shard of one upload.
    pub nonce: i64,
}

/// Makes the location's snapshot now, replacing the last.
pub async fn make(env: &Env, company_id: &str, location_id: &str, plan: &FeedPlan) -> AppResult<Snapshot> {
    call(&stub(env, company_id, location_id)?, "/google/make", plan).await
}

/// The last snapshot as the availability feed's shard `of`; `None` if none was made yet.
pub async fn read(
    env: &Env,
    company_id: &str,
    location_id: &str,
    of: &ShardOf,
) -> AppResult<Option<Box<serde_json::value::RawValue>>> {
    call(&stub(env, company_id, location_id)?, "/google/read", of).await
}

/// JSON of slots, cut into parts a row holds.
struct Parts {
    done: Vec<String>,
    current: String,
    slots: u64,
}

impl Parts {
    fn push(&mut self, slot: &Availability) -> worker::Result<()> {
        let json = serde_json::to_string(slot).map_err(|e| worker::Error::RustError(e.to_string()))?;
        if !self.current.is_empty() && self.current.len() + json.len() + 1 > PART_BYTES {
            self.done.push(std::mem::take(&mut self.current));
        }
        if !self.current.is_empty() {
            self.current.push(',');
        }
        self.current.push_str(&json);
        self.slots += 1;
        Ok(())
    }
}

/// `/google/make`: lists every free slot of the plan's services and classes from today, and keeps
/// it as the snapshot.
pub(super) fn make_now(sql: &SqlStorage, plan: &FeedPlan) -> AppResult<Snapshot> {
    let zone = zone(&plan.time_zone, "time_zone")?;
    let now = clock::now();
    let mut parts = Parts { done: Vec::new(), current: String::new(), slots: 0 };
    list_slots(sql, plan, &zone, (local_date(&zone, now), plan.days), now, &mut |slot| parts.push(&slot))?;
    let generated_s = now;
    let mut all = parts.done;
    all.push(parts.current);
    let bytes = all.iter().map(|p| p.len() as u64).sum();
    sql.exec("DELETE FROM google_availability", None)?;
    for (part, body) in all.into_iter().enumerate() {
        sql.exec(
            "INSERT INTO google_availability (part, generated_s, body) VALUES (?, ?, ?)",
            vec![(part as i64).into(), generated_s.into(), body.into()],
        )?;
    }
    Ok(Snapshot { generated_s, slots: parts.slots, bytes })
}

/// A day of the plan's free slots, for a real-time update.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayOf {
    pub plan: FeedPlan,
    /// `YYYY-MM-DD`, the location's date.
    pub date: String,
}

/// The free slots of `day`, as the feed lists them.
pub async fn day(env: &Env, company_id: &str, location_id: &str, day: &DayOf) -> AppResult<Vec<Availability>> {
    call(&stub(env, company_id, location_id)?, "/google/day", day).await
}

/// `/google/day`: one date's free slots, listed as the snapshot lists them.
pub(super) fn day_now(sql: &SqlStorage, day: &DayOf) -> AppResult<Vec<Availability>> {
    let zone = zone(&day.plan.time_zone, "time_zone")?;
    let date = parse_date(&day.date, "date")?;
    let mut slots = Vec::new();
    list_slots(sql, &day.plan, &zone, (date, 1), clock::now(), &mut |slot| {
        slots.push(slot);
        Ok(())
    })?;
    Ok(slots)
}

/// Every free slot of the plan's services and classes on `days` dates from `from` (each service
/// within its horizon from today), as the widget would offer them at `now`: one per specialist
/// free at a start, with their own length; one per class session, with its seats.
fn list_slots(
    sql: &SqlStorage,
    plan: &FeedPlan,
    zone: &TimeZone,
    (from, days): (Date, u32),
    now: Instant,
    push: &mut dyn FnMut(Availability) -> worker::Result<()>,
) -> worker::Result<()> {
    let today = local_date(zone, now);
    // Within the feed's days and the service's horizon, both counted from today.
    let days_within = |horizon: u32| {
        let last = add_days(today, i64::from(plan.days.min(horizon).max(1)) - 1);
        let wanted = add_days(from, i64::from(days) - 1).min(last);
        u32::try_from((wanted - from).get_days() + 1).unwrap_or(0)
    };
    let resources = |staff_id: &str, room: &Option<(String, String)>| Resources {
        staff_id: staff_id.to_string(),
        staff_name: plan.staff.get(staff_id).cloned().unwrap_or_default(),
        room_id: room.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
        room_name: room.as_ref().map(|r| r.1.clone()).unwrap_or_default(),
    };
    let slot = |service_id: &str, start: Instant, length_s: i64, total: u32, open: u32, who: Resources| Availability {
        merchant_id: plan.merchant_id.clone(),
        service_id: service_id.to_string(),
        start_sec: Int64(start),
        duration_sec: Int64(length_s),
        spots_total: Int64(i64::from(total)),
        spots_open: Int64(i64::from(open)),
        resources: who,
    };
    for service in &plan.services {
        let schedule = &service.schedule;
        let days = days_within(schedule.policy.horizon_days);
        if days == 0 {
            continue;
        }
        let (start, end) = range_bounds(zone, from, days);
        let busy = busy_around(sql, std::slice::from_ref(schedule), start, end, None, None)?;
        for day in free_slots_by_day(schedule, zone, from, days, &busy, now) {
            for free in day.iter() {
                for &i in free.free {
                    let specialist = &schedule.specialists[i as usize];
                    let length_s = i64::from(specialist.duration_minutes) * 60;
                    let who = resources(&specialist.id, &service.room);
                    push(slot(&service.service_id, free.start, length_s, 1, 1, who))?;
                }
            }
        }
    }
    for class in &plan.classes {
        let schedule = &class.class;
        let days = days_within(schedule.policy.horizon_days);
        if days == 0 {
            continue;
        }
        let length_s = i64::from(schedule.duration_minutes) * 60;
        for session in counted_sessions(sql, schedule, zone, from, days, now)? {
            let open = schedule.capacity.saturating_sub(session.booked);
            let who = resources(&session.specialist_id, &class.room);
            push(slot(&schedule.service_id, session.start, length_s, schedule.capacity, open, who))?;
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct PartRow {
    generated_s: i64,
    body: String,
}

/// `/google/read`: the last snapshot as an `AvailabilityFeed` shard, written as JSON text.
pub(super) fn read_now(sql: &SqlStorage, of: &ShardOf) -> AppResult<Option<Box<serde_json::value::RawValue>>> {
    let rows: Vec<PartRow> =
        sql.exec("SELECT generated_s, body FROM google_availability ORDER BY part", None)?.to_array()?;
    let Some(first) = rows.first() else { return Ok(None) };
    let generated_s = first.generated_s;
    let metadata = FeedMetadata::complete(of.shard_number, of.total_shards, of.nonce, generated_s);
    let metadata = serde_json::to_string(&metadata).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let slots: Vec<&str> = rows.iter().map(|r| r.body.as_str()).filter(|b| !b.is_empty()).collect();
    let text =
        format!(r#"{{"metadata":{metadata},"service_availability":[{{"availability":[{}]}}]}}"#, slots.join(","));
    let raw = serde_json::value::RawValue::from_string(text).map_err(|e| worker::Error::RustError(e.to_string()))?;
    Ok(Some(raw))
}
