//! The messages a booking owes, scheduled next to it: each change of a booking (booked, moved,
//! cancelled) records a notice in the same transaction as the change, and so do its reminders,
//! so a cancelled booking never keeps one and a moved booking's are those of its new time. The
//! location's alarm (or the change itself, at once) puts each due notice on the message queue;
//! the Worker's consumer (`crate::mail`) claims each recipient's delivery here before it sends,
//! and reports what the server answered. A claim succeeds once per notice and recipient: whatever
//! the queue retries, a message is sent at most once (a delivery whose outcome was never reported
//! stays `sending`, and is never tried again). The notices and deliveries are the booking's log.
//!
//! A specialist's morning agenda is a notice too, of their day rather than of a booking: recorded
//! when the company object hands the location the day (`agenda`), and written from the day as it
//! is when it is claimed.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::availability::format_instant;
use homeslot_core::messages::{reminder_times, DeliveryLine, Event, LogLine, Recipient};

use super::Note;
use crate::clock;
use crate::error::AppResult;

/// A due notice, as it goes on the queue (and comes back to `claim`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub company_id: String,
    pub location_id: String,
    pub notice_id: String,
    pub event: Event,
}

/// What the manage link in the client's confirmation needs, kept with that notice only until
/// the message is through (the link's secret is otherwise kept only as a hash).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Links {
    /// The edge's public address the booking was made at.
    pub origin: Option<String>,
    pub secret: Option<String>,
}

/// Records that `booking_id` (starting at `start_s`) was booked, with its reminders.
pub(super) fn booked(
    sql: &SqlStorage,
    booking_id: &str,
    start_s: i64,
    leads: &[u32],
    note: &Note,
    secret: &str,
) -> AppResult<()> {
    let now_ms = clock::now_millis();
    let links = Links { origin: note.origin.clone(), secret: Some(secret.to_string()) };
    add(sql, &format!("{booking_id}:booked"), booking_id, Event::Booked, now_ms, start_s, Some(&links))?;
    remind(sql, booking_id, start_s, leads, now_ms)
}

/// Records that `booking_id` moved to `start_s`: its reminders are those of the new time. A visit
/// of several services has one set of reminders, its first part's (the one confirmed): a later
/// part moved on its own gets none.
pub(super) fn moved(sql: &SqlStorage, booking_id: &str, start_s: i64, leads: &[u32]) -> AppResult<()> {
    let now_ms = clock::now_millis();
    forget_reminders(sql, booking_id)?;
    add(sql, &format!("{booking_id}:moved:{now_ms}"), booking_id, Event::Moved, now_ms, start_s, None)?;
    #[derive(Deserialize)]
    struct Row {
        reminders_off: i64,
        later_part: i64,
    }
    let row = sql
        .exec(
            "SELECT reminders_off, visit_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM notices WHERE booking_id = b.id AND event = 'booked') AS later_part
             FROM bookings b WHERE id = ?",
            vec![booking_id.into()],
        )?
        .one::<Row>()?;
    if row.reminders_off == 0 && row.later_part == 0 {
        remind(sql, booking_id, start_s, leads, now_ms)?;
    }
    Ok(())
}

/// Records that `booking_id` was cancelled (with every part of its visit): no reminder is left.
pub(super) fn cancelled(
    sql: &SqlStorage,
    booking_id: &str,
    visit_id: Option<&str>,
    by_business: bool,
) -> AppResult<()> {
    let now_ms = clock::now_millis();
    sql.exec(
        "DELETE FROM notices WHERE state = 'scheduled' AND event = 'reminder'
           AND (booking_id = ?1 OR booking_id IN (SELECT id FROM bookings WHERE visit_id IS NOT NULL AND visit_id = ?2))",
        vec![booking_id.into(), visit_id.unwrap_or("").into()],
    )?;
    let event = if by_business { Event::CancelledByBusiness } else { Event::Cancelled };
    add(sql, &format!("{booking_id}:cancelled"), booking_id, event, now_ms, 0, None)
}

/// Records that the seat `seat_id` (of the session starting at `start_s`) went from the waitlist
/// to its client, with the seat's reminders (the location's `leads`).
pub(super) fn seat_granted(sql: &SqlStorage, seat_id: &str, start_s: i64, leads: &[u32]) -> AppResult<()> {
    let now_ms = clock::now_millis();
    add(sql, &format!("{seat_id}:seat_granted"), seat_id, Event::SeatGranted, now_ms, start_s, None)?;
    remind(sql, seat_id, start_s, leads, now_ms)
}

/// Records that the business cancelled the class session of the seat (or waitlist place)
/// `seat_id`: its client is told, and its reminders go.
pub(super) fn session_cancelled(sql: &SqlStorage, seat_id: &str) -> AppResult<()> {
    forget_reminders(sql, seat_id)?;
    let now_ms = clock::now_millis();
    add(sql, &format!("{seat_id}:session_cancelled"), seat_id, Event::SessionCancelled, now_ms, 0, None)
}

/// Turns the client's reminders of `booking_id` — a visit's or a class seat's (their ids never
/// meet) — starting at `start_s` off (its waiting ones go) or on again, with the location's `leads`
/// from now on.
pub(super) fn reminders(sql: &SqlStorage, booking_id: &str, on: bool, start_s: i64, leads: &[u32]) -> AppResult<()> {
    for table in ["bookings", "class_bookings"] {
        sql.exec(
            &format!("UPDATE {table} SET reminders_off = ? WHERE id = ?"),
            vec![i64::from(!on).into(), booking_id.into()],
        )?;
    }
    forget_reminders(sql, booking_id)?;
    if on {
        remind(sql, booking_id, start_s, leads, clock::now_millis())?;
    }
    Ok(())
}

fn remind(sql: &SqlStorage, booking_id: &str, start_s: i64, leads: &[u32], now_ms: i64) -> AppResult<()> {
    for due_s in reminder_times(start_s, now_ms / 1000, leads) {
        let id = format!("{booking_id}:reminder:{start_s}:{due_s}");
        add(sql, &id, booking_id, Event::Reminder, due_s * 1000, start_s, None)?;
    }
    Ok(())
}

fn forget_reminders(sql: &SqlStorage, booking_id: &str) -> AppResult<()> {
    sql.exec(
        "DELETE FROM notices WHERE booking_id = ? AND event = 'reminder' AND state = 'scheduled'",
        vec![booking_id.into()],
    )?;
    Ok(())
}

fn add(
    sql: &SqlStorage,
    id: &str,
    booking_id: &str,
    event: Event,
    due_ms: i64,
    start_s: i64,
    links: Option<&Links>,
) -> AppResult<()> {
    let links = links.map(|l| serde_json::to_string(l).unwrap_or_default());
    sql.exec(
        "INSERT OR IGNORE INTO notices (id, booking_id, event, due_at_ms, for_start_s, state, links, created_at_ms)
         VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?)",
        vec![
            id.into(),
            booking_id.into(),
            event.name().into(),
            due_ms.into(),
            start_s.into(),
            links.into(),
            clock::now_millis().into(),
        ],
    )?;
    Ok(())
}

#[derive(Deserialize)]
struct DueRow {
    id: String,
    event: String,
}

/// Puts every notice due by now on the message queue, and marks it queued. Two callers racing
/// may both queue one notice: the claim makes the second harmless. Answers when the next
/// scheduled notice falls due (Unix ms), if any.
pub(super) async fn queue_due(
    env: &Env,
    sql: &SqlStorage,
    company_id: &str,
    location_id: &str,
) -> AppResult<Option<i64>> {
    let now_ms = clock::now_millis();
    let due: Vec<DueRow> = sql
        .exec(
            "SELECT id, event FROM notices WHERE state = 'scheduled' AND due_at_ms <= ? ORDER BY due_at_ms LIMIT 100",
            vec![now_ms.into()],
        )?
        .to_array()?;
    if !due.is_empty() {
        let queue = env.queue("MESSAGES")?;
        let batch: Vec<Queued> = due
            .iter()
            .filter_map(|row| {
                let event = serde_json::from_value(serde_json::Value::String(row.event.clone())).ok()?;
                Some(Queued {
                    company_id: company_id.into(),
                    location_id: location_id.into(),
                    notice_id: row.id.clone(),
                    event,
                })
            })
            .collect();
        queue.send_batch(batch).await?;
        for row in &due {
            sql.exec(
                "UPDATE notices SET state = 'queued', queued_at_ms = ? WHERE id = ? AND state = 'scheduled'",
                vec![clock::now_millis().into(), row.id.as_str().into()],
            )?;
        }
    }
    next_due(sql)
}

/// When the next scheduled notice falls due (Unix ms).
pub(super) fn next_due(sql: &SqlStorage) -> AppResult<Option<i64>> {
    #[derive(Deserialize)]
    struct Next {
        next: Option<i64>,
    }
    Ok(sql.exec("SELECT min(due_at_ms) AS next FROM notices WHERE state = 'scheduled'", None)?.one::<Next>()?.next)
}

/// `/notices/claim`: a recipient's delivery of a queued notice.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claim {
    pub notice_id: String,
    pub recipient: Recipient,
}

/// What the consumer needs to write and address the message, when the claim is granted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claimed {
    pub booking_id: String,
    pub event: Event,
    pub service_id: String,
    pub specialist_id: String,
    pub start_s: i64,
    pub end_s: i64,
    pub client_name: String,
    pub client_phone: String,
    pub client_email: Option<String>,
    pub language: Option<String>,
    pub comment: Option<String>,
    pub status: String,
    /// For the manage link (the confirmation only).
    pub links: Option<Links>,
    /// A morning agenda's lines: the specialist's day (the fields above are then the
    /// specialist's and the day's: no booking, no client).
    #[serde(default)]
    pub day: Vec<DayLine>,
}

/// One line of a specialist's day, as stored: a visit (one booking: a visit of several services
/// is a line per part), or a class session with the seats booked in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DayLine {
    pub service_id: String,
    pub start_s: i64,
    pub end_s: i64,
    pub client_name: Option<String>,
    pub client_phone: Option<String>,
    pub comment: Option<String>,
    pub seats: Option<u32>,
}

/// What a morning agenda's notice id starts with (`agenda:{date}:{specialist}`), which is how a
/// claim tells it from a booking's.
const AGENDA: &str = "agenda:";

/// `/agenda`: a day at the location whose morning agenda has come
/// (`homeslot_core::morning_agenda`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgendaDay {
    /// The location's date, `YYYY-MM-DD`.
    pub date: String,
    /// Its local midnights (Unix seconds): the agenda lists what starts in `[from_s, until_s)`.
    pub from_s: i64,
    pub until_s: i64,
}

/// Records a morning agenda, due at once, for each specialist with a visit or a class seat booked
/// that day (test bookings left out): one per specialist and day, however often the day is
/// asked. What it lists is read when it is sent. Answers how many specialists have a day.
pub(super) fn agenda(sql: &SqlStorage, day: &AgendaDay) -> AppResult<u32> {
    #[derive(Deserialize)]
    struct Specialist {
        specialist_id: String,
    }
    let specialists: Vec<Specialist> = sql
        .exec(
            "SELECT specialist_id FROM bookings
               WHERE status = 'confirmed' AND test = 0 AND start_s >= ?1 AND start_s < ?2
             UNION
             SELECT specialist_id FROM class_bookings
               WHERE status = 'booked' AND test = 0 AND specialist_id IS NOT NULL
                 AND session_start_s >= ?1 AND session_start_s < ?2",
            vec![day.from_s.into(), day.until_s.into()],
        )?
        .to_array()?;
    let now_ms = clock::now_millis();
    let count = u32::try_from(specialists.len()).unwrap_or(u32::MAX);
    for specialist in specialists {
        let id = format!("{AGENDA}{}:{}", day.date, specialist.specialist_id);
        sql.exec(
            "INSERT OR IGNORE INTO notices (id, booking_id, event, due_at_ms, for_start_s, for_end_s, state, created_at_ms)
             VALUES (?, ?, ?, ?, ?, ?, 'scheduled', ?)",
            vec![
                id.into(),
                specialist.specialist_id.into(),
                Event::Agenda.name().into(),
                now_ms.into(),
                day.from_s.into(),
                day.until_s.into(),
                now_ms.into(),
            ],
        )?;
    }
    Ok(count)
}

/// A specialist's day from `from_s` to `until_s`, in order of time: their confirmed visits and
/// their class sessions with seats booked (test bookings left out).
fn day_of(sql: &SqlStorage, specialist_id: &str, from_s: i64, until_s: i64) -> AppResult<Vec<DayLine>> {
    let mut lines: Vec<DayLine> = sql
        .exec(
            "SELECT service_id, start_s, end_s, client_name, client_phone, comment, NULL AS seats FROM bookings
               WHERE specialist_id = ?1 AND status = 'confirmed' AND test = 0 AND start_s >= ?2 AND start_s < ?3
             UNION ALL
             SELECT service_id, session_start_s AS start_s, coalesce(session_end_s, session_start_s) AS end_s,
                    NULL, NULL, NULL, count(*) FROM class_bookings
               WHERE specialist_id = ?1 AND status = 'booked' AND test = 0
                 AND session_start_s >= ?2 AND session_start_s < ?3
               GROUP BY service_id, session_start_s
             ORDER BY start_s",
            vec![specialist_id.into(), from_s.into(), until_s.into()],
        )?
        .to_array()?;
    // An erased client keeps their visit, not their name.
    for line in &mut lines {
        if line.client_phone.as_deref() == Some("") {
            line.client_name = None;
            line.comment = None;
        }
    }
    Ok(lines)
}

#[derive(Deserialize)]
struct ClaimRow {
    booking_id: String,
    event: String,
    for_start_s: i64,
    links: Option<String>,
    service_id: String,
    specialist_id: String,
    start_s: i64,
    end_s: i64,
    client_name: String,
    client_phone: String,
    client_email: Option<String>,
    language: Option<String>,
    comment: Option<String>,
    status: String,
    reminders_off: i64,
}

/// Grants the delivery once: `None` when it was claimed before (sent, failed for good, or its
/// outcome unknown), or when the notice no longer holds (a reminder of a cancelled or moved
/// booking, recorded as skipped with why).
pub(super) fn claim(sql: &SqlStorage, claim: &Claim) -> AppResult<Option<Claimed>> {
    let id = delivery_id(&claim.notice_id, claim.recipient);
    #[derive(Deserialize)]
    struct State {
        state: String,
    }
    let before: Vec<State> =
        sql.exec("SELECT state FROM deliveries WHERE id = ?", vec![id.as_str().into()])?.to_array()?;
    if before.first().is_some_and(|d| d.state != "retry") {
        return Ok(None);
    }
    if claim.notice_id.starts_with(AGENDA) {
        return claim_agenda(sql, claim, &id);
    }
    // A notice is a booking's, or a class seat's (read as a booking: `booked` is `confirmed`).
    let rows: Vec<ClaimRow> = sql
        .exec(
            "SELECT n.booking_id, n.event, n.for_start_s, n.links, b.service_id, b.specialist_id, b.start_s, b.end_s,
                    b.client_name, b.client_phone, b.client_email, b.language, b.comment, b.status, b.reminders_off
             FROM notices n JOIN bookings b ON b.id = n.booking_id WHERE n.id = ?1
             UNION ALL
             SELECT n.booking_id, n.event, n.for_start_s, n.links, c.service_id, coalesce(c.specialist_id, ''),
                    c.session_start_s, coalesce(c.session_end_s, c.session_start_s), c.client_name, c.client_phone,
                    c.client_email, c.language, c.comment,
                    CASE c.status WHEN 'booked' THEN 'confirmed' ELSE c.status END, c.reminders_off
             FROM notices n JOIN class_bookings c ON c.id = n.booking_id WHERE n.id = ?1",
            vec![claim.notice_id.as_str().into()],
        )?
        .to_array()?;
    let Some(row) = rows.into_iter().next() else { return Ok(None) };
    let event: Event = serde_json::from_value(serde_json::Value::String(row.event.clone()))
        .map_err(|e| worker::Error::RustError(e.to_string()))?;
    let void = match event {
        Event::Reminder if row.status != "confirmed" => Some("the booking was cancelled"),
        Event::Reminder if row.start_s != row.for_start_s => Some("the booking moved"),
        Event::Reminder if row.reminders_off != 0 => Some("the client turned reminders off"),
        Event::SeatGranted if row.status != "confirmed" => Some("the client gave the seat up"),
        _ if row.client_phone.is_empty() => Some("the client was erased"),
        _ => None,
    };
    if let Some(why) = void {
        record(sql, &id, claim, "skipped", why)?;
        return Ok(None);
    }
    record(sql, &id, claim, "sending", "")?;
    let links: Option<Links> = row.links.as_deref().and_then(|l| serde_json::from_str(l).ok());
    Ok(Some(Claimed {
        booking_id: row.booking_id,
        event,
        service_id: row.service_id,
        specialist_id: row.specialist_id,
        start_s: row.start_s,
        end_s: row.end_s,
        client_name: row.client_name,
        client_phone: row.client_phone,
        client_email: row.client_email,
        language: row.language,
        comment: row.comment,
        status: row.status,
        links,
        day: Vec::new(),
    }))
}

/// Grants a morning agenda's delivery once, with the specialist's day as it is now; a day with
/// nothing left on it is skipped.
fn claim_agenda(sql: &SqlStorage, claim: &Claim, id: &str) -> AppResult<Option<Claimed>> {
    #[derive(Deserialize)]
    struct Notice {
        booking_id: String,
        for_start_s: i64,
        for_end_s: Option<i64>,
    }
    let notices: Vec<Notice> = sql
        .exec(
            "SELECT booking_id, for_start_s, for_end_s FROM notices WHERE id = ?",
            vec![claim.notice_id.as_str().into()],
        )?
        .to_array()?;
    let Some(notice) = notices.into_iter().next() else { return Ok(None) };
    let (from_s, until_s) = (notice.for_start_s, notice.for_end_s.unwrap_or(notice.for_start_s + 86_400));
    let day = day_of(sql, &notice.booking_id, from_s, until_s)?;
    if day.is_empty() {
        record(sql, id, claim, "skipped", "nothing is booked that day any more")?;
        return Ok(None);
    }
    record(sql, id, claim, "sending", "")?;
    Ok(Some(Claimed {
        booking_id: String::new(),
        event: Event::Agenda,
        service_id: String::new(),
        specialist_id: notice.booking_id,
        start_s: from_s,
        end_s: until_s,
        client_name: String::new(),
        client_phone: String::new(),
        client_email: None,
        language: None,
        comment: None,
        status: "confirmed".into(),
        links: None,
        day,
    }))
}

/// `/notices/done`: what became of a claimed delivery.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub notice_id: String,
    pub recipient: Recipient,
    /// `sent`, `skipped` (nobody to send it to, or turned off), `retry` (not sent; tried again),
    /// `failed` (not sent; given up).
    pub state: String,
    /// The server's reply, or why (never a client's details).
    pub detail: String,
}

pub(super) fn done(sql: &SqlStorage, outcome: &Outcome) -> AppResult<()> {
    let id = delivery_id(&outcome.notice_id, outcome.recipient);
    let claim = Claim { notice_id: outcome.notice_id.clone(), recipient: outcome.recipient };
    record(sql, &id, &claim, &outcome.state, &outcome.detail)?;
    // The manage link's secret is kept only until the client's message is through.
    if outcome.recipient == Recipient::Client && outcome.state != "retry" {
        sql.exec("UPDATE notices SET links = NULL WHERE id = ?", vec![outcome.notice_id.as_str().into()])?;
    }
    Ok(())
}

fn record(sql: &SqlStorage, id: &str, claim: &Claim, state: &str, detail: &str) -> AppResult<()> {
    sql.exec(
        // `attempts` counts the times it was handed to the server (each `sending`).
        "INSERT INTO deliveries (id, notice_id, recipient, state, detail, at_ms, attempts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?4 = 'sending')
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, detail = excluded.detail, at_ms = excluded.at_ms,
           attempts = attempts + (excluded.state = 'sending')",
        vec![
            id.into(),
            claim.notice_id.as_str().into(),
            claim.recipient.name().into(),
            state.into(),
            detail.into(),
            clock::now_millis().into(),
        ],
    )?;
    Ok(())
}

fn delivery_id(notice_id: &str, recipient: Recipient) -> String {
    format!("{notice_id}:{}", recipient.name())
}

/// The message log of `booking_id`, oldest first.
pub(super) fn log(sql: &SqlStorage, booking_id: &str) -> AppResult<Vec<LogLine>> {
    #[derive(Deserialize)]
    struct N {
        id: String,
        event: String,
        due_at_ms: i64,
        state: String,
    }
    #[derive(Deserialize)]
    struct D {
        recipient: String,
        state: String,
        detail: Option<String>,
        at_ms: i64,
        attempts: i64,
    }
    let notices: Vec<N> = sql
        .exec(
            "SELECT id, event, due_at_ms, state FROM notices WHERE booking_id = ? AND event != 'agenda'
             ORDER BY due_at_ms, created_at_ms",
            vec![booking_id.into()],
        )?
        .to_array()?;
    let mut lines = Vec::with_capacity(notices.len());
    for notice in notices {
        let deliveries: Vec<D> = sql
            .exec(
                "SELECT recipient, state, detail, at_ms, attempts FROM deliveries WHERE notice_id = ? ORDER BY recipient",
                vec![notice.id.as_str().into()],
            )?
            .to_array()?;
        lines.push(LogLine {
            event: notice.event,
            due_at: format_instant(notice.due_at_ms / 1000),
            notice_state: notice.state,
            deliveries: deliveries
                .into_iter()
                .map(|d| DeliveryLine {
                    recipient: d.recipient,
                    state: d.state,
                    detail: d.detail.unwrap_or_default(),
                    at: format_instant(d.at_ms / 1000),
                    attempts: d.attempts,
                })
                .collect(),
            notice_id: notice.id,
        });
    }
    Ok(lines)
}

/// Asks a location for the morning agenda of `day` (see [`agenda`]).
pub async fn agenda_at(env: &Env, company_id: &str, location_id: &str, day: &AgendaDay) -> AppResult<u32> {
    crate::store::call(&super::stub(env, company_id, location_id)?, "/agenda", day).await
}

/// Claims `claim` at its location (see [`claim`]).
pub async fn claim_at(env: &Env, company_id: &str, location_id: &str, claim: &Claim) -> AppResult<Option<Claimed>> {
    crate::store::call(&super::stub(env, company_id, location_id)?, "/notices/claim", claim).await
}

/// Records what became of a claimed delivery.
pub async fn done_at(env: &Env, company_id: &str, location_id: &str, outcome: &Outcome) -> AppResult<()> {
    crate::store::call(&super::stub(env, company_id, location_id)?, "/notices/done", outcome).await
}

/// After the queue gave up on a notice: its deliveries still waiting to be tried again failed.
pub async fn give_up_at(env: &Env, company_id: &str, location_id: &str, notice_id: &str) -> AppResult<()> {
    crate::store::call(&super::stub(env, company_id, location_id)?, "/notices/give-up", &notice_id).await
}

pub(super) fn give_up(sql: &SqlStorage, notice_id: &str) -> AppResult<()> {
    sql.exec(
        "UPDATE deliveries SET state = 'failed', detail = 'given up after the retries: ' || coalesce(detail, ''),
           at_ms = ? WHERE notice_id = ? AND state = 'retry'",
        vec![clock::now_millis().into(), notice_id.into()],
    )?;
    Ok(())
}
