//! The morning agenda's schedule, kept by the company object beside the catalog and the mail
//! settings it follows (`homeslot_core::morning_agenda`). The object's alarm wakes at the next
//! location's agenda time, asks that location to send its specialists their day
//! (`store::location::agenda_at`, once per specialist and day there too), and records the day
//! as handed over: whatever wakes the alarm, a location's day is handed over once.

use serde::Deserialize;
use worker::{Env, SqlStorage};

use homeslot_core::availability::{zone, Instant};
use homeslot_core::morning_agenda::{due_now, next_after};
use homeslot_core::time::MinuteOfDay;

use crate::clock;
use crate::error::AppResult;
use crate::store::location::{agenda_at, AgendaDay};

/// The company object's table of days handed over (appended to its migrations).
pub const TABLE: &str = "CREATE TABLE agenda_days (
    location_id TEXT NOT NULL,
    date TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (location_id, date)
)";

/// How soon a location that could not be reached is asked again.
const RETRY_MS: i64 = 5_000;
/// How long a handed-over day is remembered: past the latest it could still be sent.
const KEEP_MS: i64 = 3 * 86_400_000;

/// What the schedule reads of the stored catalog: the locations' clocks.
#[derive(Deserialize)]
struct Located {
    id: String,
    #[serde(default)]
    locations: Vec<Clock>,
}

#[derive(Deserialize)]
struct Clock {
    id: String,
    time_zone: String,
}

/// Whether the business wants a morning agenda (the alarm must then come back for it).
pub fn wanted(sql: &SqlStorage) -> AppResult<bool> {
    Ok(agenda_time(sql)?.is_some())
}

/// The agenda's time of day, if e-mail is on and the owner chose one.
fn agenda_time(sql: &SqlStorage) -> AppResult<Option<MinuteOfDay>> {
    Ok(crate::store::mail::read(sql)?.filter(|stored| stored.settings.enabled).and_then(|s| s.settings.agenda_time))
}

/// Hands over each location's day whose agenda has come (`document` is the stored catalog);
/// answers when the alarm should come back (Unix ms): the next location's agenda time, or soon
/// when a location could not be reached. None: no agenda.
pub async fn run(env: &Env, sql: &SqlStorage, document: &str) -> AppResult<Option<i64>> {
    let now_ms = clock::now_millis();
    sql.exec("DELETE FROM agenda_days WHERE at_ms < ?", vec![(now_ms - KEEP_MS).into()])?;
    let Some(time) = agenda_time(sql)? else { return Ok(None) };
    let catalog: Located =
        serde_json::from_str(document).map_err(|e| worker::Error::RustError(format!("stored catalog: {e}")))?;
    let now: Instant = now_ms / 1000;
    let mut next: Option<i64> = None;
    for location in &catalog.locations {
        let Ok(clock) = zone(&location.time_zone, "time_zone") else { continue };
        if let Some(due) = due_now(&clock, time, now) {
            let date = due.date.to_string();
            if !handed_over(sql, &location.id, &date)? {
                let day = AgendaDay { date: date.clone(), from_s: due.from, until_s: due.until };
                match agenda_at(env, &catalog.id, &location.id, &day).await {
                    Ok(_) => {
                        sql.exec(
                            "INSERT OR IGNORE INTO agenda_days (location_id, date, at_ms) VALUES (?, ?, ?)",
                            vec![location.id.as_str().into(), date.into(), now_ms.into()],
                        )?;
                    }
                    Err(error) => {
                        worker::console_error!("handing the morning agenda to {}: {error:?}", location.id);
                        next = Some(next.map_or(now_ms + RETRY_MS, |n| n.min(now_ms + RETRY_MS)));
                    }
                }
            }
        }
        let at_ms = next_after(&clock, time, now) * 1000;
        next = Some(next.map_or(at_ms, |n| n.min(at_ms)));
    }
    Ok(next)
}

fn handed_over(sql: &SqlStorage, location_id: &str, date: &str) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    let count: Count = sql
        .exec(
            "SELECT count(*) AS n FROM agenda_days WHERE location_id = ? AND date = ?",
            vec![location_id.into(), date.into()],
        )?
        .one()?;
    Ok(count.n > 0)
}
