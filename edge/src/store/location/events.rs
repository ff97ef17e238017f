//! The webhook events a location's bookings make (`homeslot_core::webhooks`): each change of a
//! booking or a class seat records its event, with the booking as it stands then, in the same
//! transaction as the change — so an event is never lost nor made for a change that did not
//! happen. The alarm hands them to the company object (`store::webhooks`), which sends them to
//! the business's endpoints; handed over, they are deleted here.

use serde::Deserialize;
use serde_json::{json, Map, Value};
use worker::{Env, SqlStorage};

use homeslot_core::availability::format_instant;
use homeslot_core::webhooks::EventType;

use crate::clock;
use crate::error::AppResult;
use crate::store::webhooks::Emitted;

/// The table (appended to the location object's migrations). `client_phone` lets an erasure
/// find what is still waiting here about that client.
pub(super) const TABLE: &str = "CREATE TABLE events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    client_phone TEXT,
    at_ms INTEGER NOT NULL
)";

#[derive(Deserialize)]
struct BookingRow {
    id: String,
    visit_id: Option<String>,
    service_id: String,
    specialist_id: String,
    start_s: i64,
    end_s: i64,
    status: String,
    attendance: Option<String>,
    channel: String,
    test: i64,
    price_minor: Option<i64>,
    client_id: Option<String>,
    client_name: String,
    client_phone: String,
    client_email: Option<String>,
    language: Option<String>,
    comment: Option<String>,
    cancel_reason: Option<String>,
}

/// Records `event` for the booking `booking_id` and, when `whole_visit`, every other part of its
/// visit (a visit is cancelled whole); `extra` is merged into each one's data.
pub(super) fn booking(
    sql: &SqlStorage,
    event: EventType,
    booking_id: &str,
    whole_visit: bool,
    extra: Value,
) -> AppResult<()> {
    let rows: Vec<BookingRow> = sql
        .exec(
            "SELECT id, visit_id, service_id, specialist_id, start_s, end_s, status, attendance, channel, test,
                    price_minor, client_id, client_name, client_phone, client_email, language, comment, cancel_reason
             FROM bookings
             WHERE id = ?1 OR (?2 AND visit_id IS NOT NULL AND visit_id = (SELECT visit_id FROM bookings WHERE id = ?1))
             ORDER BY start_s",
            vec![booking_id.into(), i64::from(whole_visit).into()],
        )?
        .to_array()?;
    for row in rows {
        let mut data = json!({
            "booking_id": row.id,
            "visit_id": row.visit_id,
            "service_id": row.service_id,
            "specialist_id": row.specialist_id,
            "start_at": format_instant(row.start_s),
            "end_at": format_instant(row.end_s),
            "status": row.status,
            "attendance": row.attendance,
            "channel": row.channel,
            "test": row.test != 0,
            "price_minor": row.price_minor,
            "comment": row.comment,
            "cancel_reason": row.cancel_reason,
            "client": client(row.client_id, &row.client_name, &row.client_phone, row.client_email, row.language),
        });
        merge(&mut data, &extra);
        record(sql, event, &format!("{}:{}", row.id, event.name()), data, &row.client_phone)?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct SeatRow {
    id: String,
    service_id: String,
    specialist_id: Option<String>,
    session_start_s: i64,
    session_end_s: Option<i64>,
    status: String,
    channel: String,
    test: i64,
    price_minor: Option<i64>,
    client_id: Option<String>,
    client_name: String,
    client_phone: String,
    client_email: Option<String>,
    language: Option<String>,
}

/// Records `event` for the class seat (or waitlist place) `seat_id`; `extra` is merged into its
/// data.
pub(super) fn seat(sql: &SqlStorage, event: EventType, seat_id: &str, extra: Value) -> AppResult<()> {
    let rows: Vec<SeatRow> = sql
        .exec(
            "SELECT id, service_id, specialist_id, session_start_s, session_end_s, status, channel, test, price_minor,
                    client_id, client_name, client_phone, client_email, language
             FROM class_bookings WHERE id = ?",
            vec![seat_id.into()],
        )?
        .to_array()?;
    for row in rows {
        let mut data = json!({
            "seat_id": row.id,
            "service_id": row.service_id,
            "specialist_id": row.specialist_id,
            "session_start_at": format_instant(row.session_start_s),
            "session_end_at": row.session_end_s.map(format_instant),
            "status": row.status,
            "channel": row.channel,
            "test": row.test != 0,
            "price_minor": row.price_minor,
            "client": client(row.client_id, &row.client_name, &row.client_phone, row.client_email, row.language),
        });
        merge(&mut data, &extra);
        record(sql, event, &format!("{}:{}", row.id, event.name()), data, &row.client_phone)?;
    }
    Ok(())
}

fn client(id: Option<String>, name: &str, phone: &str, email: Option<String>, language: Option<String>) -> Value {
    json!({ "client_id": id, "name": name, "phone": phone, "email": email, "language": language })
}

fn merge(data: &mut Value, extra: &Value) {
    if let (Some(data), Some(extra)) = (data.as_object_mut(), extra.as_object()) {
        data.extend(extra.clone());
    }
}

/// One event, kept until the alarm hands it over. Its id names the change (`{booking}:{type}`,
/// with the time for changes that may repeat), so a change recorded twice is one event.
fn record(sql: &SqlStorage, event: EventType, key: &str, data: Value, client_phone: &str) -> AppResult<()> {
    let now_ms = clock::now_millis();
    let id = match event {
        EventType::BookingCreated | EventType::ClassSeatBooked | EventType::BookingCancelled => key.to_string(),
        _ => format!("{key}:{now_ms}"),
    };
    sql.exec(
        "INSERT OR IGNORE INTO events (id, type, data, client_phone, at_ms) VALUES (?, ?, ?, ?, ?)",
        vec![id.into(), event.name().into(), data.to_string().into(), client_phone.into(), now_ms.into()],
    )?;
    Ok(())
}

/// Whether any event waits to be handed over.
pub(super) fn pending(sql: &SqlStorage) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    Ok(sql.exec("SELECT count(*) AS n FROM (SELECT 1 FROM events LIMIT 1)", None)?.one::<N>()?.n > 0)
}

#[derive(Deserialize)]
struct EventRow {
    id: String,
    r#type: String,
    data: String,
    at_ms: i64,
}

/// Hands the waiting events (a few hundred at a time) to the company object, and forgets them
/// once it has them; answers whether more wait.
pub(super) async fn hand_over(env: &Env, sql: &SqlStorage, company_id: &str, location_id: &str) -> AppResult<bool> {
    const AT_ONCE: usize = 200;
    let rows: Vec<EventRow> = sql
        .exec("SELECT id, type, data, at_ms FROM events ORDER BY at_ms LIMIT ?", vec![(AT_ONCE as i64).into()])?
        .to_array()?;
    if rows.is_empty() {
        return Ok(false);
    }
    let events: Vec<Emitted> = rows
        .iter()
        .map(|row| {
            let mut data: Map<String, Value> = serde_json::from_str(&row.data).unwrap_or_default();
            data.insert("location_id".into(), location_id.into());
            Emitted {
                source: format!("{location_id}/{}", row.id),
                r#type: row.r#type.clone(),
                data: Value::Object(data),
                at_ms: row.at_ms,
            }
        })
        .collect();
    crate::store::webhooks::emit(env, company_id, &events).await?;
    for row in &rows {
        sql.exec("DELETE FROM events WHERE id = ?", vec![row.id.as_str().into()])?;
    }
    Ok(rows.len() == AT_ONCE)
}
