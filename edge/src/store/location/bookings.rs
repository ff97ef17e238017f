//! Booking one-to-one services: a single visit, or several services back to back in one visit;
//! and moving or cancelling a confirmed booking, as its client or the business does.
//! Each check and its write run without an `.await` between them, so two requests for one slot
//! can never interleave.

use serde::{Deserialize, Serialize};

use homeslot_core::error::{ApiError, ErrorCode};
use worker::{Env, SqlStorage};

use homeslot_core::availability::{
    check_outside_rules, choose_specialist, choose_visit, day_bounds, format_instant, local_date, parse_date,
    slot_taken, visit_slots, zone, Instant, Leg, ServiceSchedule, Visit,
};

use super::busy::{busy_around, taken_around};
use super::{events, holds, manage, notices};
use super::{new_booking_id, stub, Charge, MembershipPay, Note};
use crate::clock;
use crate::error::AppResult;
use crate::store::call;
use homeslot_core::membership::Debit;
use homeslot_core::webhooks::EventType;
use serde_json::json;

/// A booking that passed the edge's validation, for the location object to check and write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewBooking {
    pub service_id: String,
    pub start: Instant,
    pub specialist_id: Option<String>,
    pub client_name: String,
    pub client_phone: String,
    /// The client's identity across the chain.
    pub client_id: String,
    /// The client's comment and consents.
    pub note: Note,
    /// The hold this booking consumes, if the client placed one.
    pub hold_id: Option<String>,
    /// The price with each specialist who could take it (the object stores the chosen one's).
    pub charges: Vec<Charge>,
    /// The membership that pays, if any (already debited by the edge).
    pub membership: Option<MembershipPay>,
}

/// What the location object wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Booked {
    pub booking_id: String,
    pub specialist_id: String,
    pub start: Instant,
    pub end: Instant,
    /// The secret of the client's manage link (only its hash is stored with the booking).
    pub manage_secret: String,
    /// What the client pays (the chosen specialist's charge).
    pub charge: Option<Charge>,
    /// What the membership paid for it.
    pub paid: Option<Debit>,
}

#[derive(Serialize, Deserialize)]
pub(super) struct VisitSlotsCommand {
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
    /// The secret of this part's manage link, set once written.
    pub manage_secret: Option<String>,
    /// What the client pays for this part, set once written.
    #[serde(default)]
    pub charge: Option<Charge>,
}

/// A visit that passed the edge's validation, for the location object to check and write.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewVisit {
    pub service_ids: Vec<String>,
    pub start: Instant,
    pub wanted: Vec<Option<String>>,
    pub client_name: String,
    pub client_phone: String,
    /// The client's identity across the chain.
    pub client_id: String,
    /// The client's comment and consents (kept with every part).
    pub note: Note,
    /// Each part's price with each specialist who could take it.
    pub charges: Vec<Vec<Charge>>,
    /// The membership that pays for every part, if any.
    pub membership: Option<MembershipPay>,
}

/// What the location object wrote for a visit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BookedVisit {
    pub visit_id: String,
    pub legs: Vec<BookedLeg>,
    /// What the membership paid for all the parts together.
    #[serde(default)]
    pub paid: Option<Debit>,
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

/// The critical section of one booking: synchronous from the first read to the write, inside
/// the placement's transaction (see `placement`), so the check cannot go stale.
pub(super) fn book_now(sql: &SqlStorage, schedule: &ServiceSchedule, booking: &NewBooking) -> AppResult<Booked> {
    let now = clock::now();
    // A hold decides the specialist and stops blocking the time it kept for this very booking.
    let wanted = match &booking.hold_id {
        Some(hold_id) => Some(holds::held_specialist(sql, hold_id, &booking.service_id, booking.start, now)?),
        None => booking.specialist_id.clone(),
    };
    let hold = booking.hold_id.as_deref();
    let (chosen, visit) = land(sql, schedule, (booking.start, wanted.as_deref()), hold, booking.note.r#override, now)?;
    let specialist_id = schedule.specialists[chosen].id.clone();
    client_is_free(sql, &booking.client_name, &booking.client_phone, visit.start, visit.end, None)?;
    let booking_id = new_booking_id()?;
    let manage_secret = manage::new_secret()?;
    let charge = Charge::of(&booking.charges, &specialist_id).cloned();
    let row = Row {
        id: booking_id.clone(),
        manage_hash: manage::hash(&manage_secret),
        client_id: booking.client_id.clone(),
        visit_id: None,
        service_id: booking.service_id.clone(),
        specialist_id: specialist_id.clone(),
        visit,
        resource_ids: schedule.resources.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" "),
        client_name: booking.client_name.clone(),
        client_phone: booking.client_phone.clone(),
        note: booking.note.clone(),
        membership: booking.membership.as_ref().map(|m| (m.number.clone(), m.debit(charge.as_ref()))),
        payment_id: booking.membership.as_ref().map(|m| m.payment_id.clone()),
        charge: charge.clone(),
    };
    insert(sql, &row, clock::now_millis())?;
    notices::booked(sql, &booking_id, visit.start, &schedule.policy.reminder_minutes, &booking.note, &manage_secret)?;
    events::booking(sql, EventType::BookingCreated, &booking_id, false, json!({}))?;
    if let Some(hold_id) = &booking.hold_id {
        holds::release(sql, hold_id)?;
    }
    let paid = row.membership.map(|(_, debit)| debit);
    Ok(Booked { booking_id, specialist_id, start: visit.start, end: visit.end, manage_secret, charge, paid })
}

/// `/visit-slots`: the starts of a visit of several services.
pub(super) fn visit_starts_now(sql: &SqlStorage, command: VisitSlotsCommand) -> AppResult<Vec<FoundVisit>> {
    let zone = zone(&command.parts.first().map(|p| p.time_zone.clone()).unwrap_or_default(), "time_zone")?;
    let date = parse_date(&command.date, "date")?;
    let (from, to) = day_bounds(&zone, date);
    let busy = busy_around(sql, &command.parts, from, to, None, None)?;
    let wanted: Vec<Option<&str>> = command.wanted.iter().map(Option::as_deref).collect();
    let found: Vec<FoundVisit> = visit_slots(&command.parts, &wanted, &zone, date, &busy, clock::now())
        .into_iter()
        .map(|slot| FoundVisit { start: slot.start, legs: booked_legs(&command.parts, &slot.legs) })
        .collect();
    Ok(found)
}

/// The critical section of a visit: every part is checked, then every row written, inside the
/// placement's transaction, so a visit is booked whole or not at all.
pub(super) fn book_visit_now(sql: &SqlStorage, parts: &[ServiceSchedule], visit: &NewVisit) -> AppResult<BookedVisit> {
    let zone = zone(&parts.first().map(|p| p.time_zone.clone()).unwrap_or_default(), "time_zone")?;
    let (from, to) = day_bounds(&zone, local_date(&zone, visit.start));
    let busy = busy_around(sql, parts, from, to, None, None)?;
    let wanted: Vec<Option<&str>> = visit.wanted.iter().map(Option::as_deref).collect();
    let legs = choose_visit(parts, &wanted, &zone, visit.start, &busy, clock::now())?;
    if let (Some(first), Some(last)) = (legs.first(), legs.last()) {
        client_is_free(sql, &visit.client_name, &visit.client_phone, first.start, last.end, None)?;
    }
    let visit_id = format!("vs_{}", new_booking_id()?.trim_start_matches("bk_"));
    let mut booked = booked_legs(parts, &legs);
    let mut rows = Vec::with_capacity(legs.len());
    for (leg, out) in legs.iter().zip(&mut booked) {
        let schedule = &parts[leg.part];
        let id = new_booking_id()?;
        let secret = manage::new_secret()?;
        out.booking_id = Some(id.clone());
        out.charge = visit.charges.get(leg.part).and_then(|c| Charge::of(c, &out.specialist_id)).cloned();
        rows.push(Row {
            id,
            manage_hash: manage::hash(&secret),
            client_id: visit.client_id.clone(),
            visit_id: Some(visit_id.clone()),
            service_id: visit.service_ids.get(leg.part).cloned().unwrap_or_default(),
            specialist_id: out.specialist_id.clone(),
            visit: schedule.visit(leg.specialist, leg.start),
            resource_ids: schedule.resources.iter().map(|r| r.id.as_str()).collect::<Vec<_>>().join(" "),
            client_name: visit.client_name.clone(),
            client_phone: visit.client_phone.clone(),
            note: visit.note.clone(),
            membership: visit.membership.as_ref().map(|m| (m.number.clone(), m.debit(out.charge.as_ref()))),
            payment_id: visit.membership.as_ref().map(|m| m.payment_id.clone()),
            charge: out.charge.clone(),
        });
        out.manage_secret = Some(secret);
    }
    let paid = visit.membership.as_ref().map(|_| {
        rows.iter()
            .filter_map(|row| row.membership.as_ref())
            .fold(Debit::default(), |sum, (_, d)| Debit { visits: sum.visits + d.visits, minor: sum.minor + d.minor })
    });
    let now_ms = clock::now_millis();
    rows.iter().try_for_each(|row| insert(sql, row, now_ms))?;
    for row in &rows {
        events::booking(sql, EventType::BookingCreated, &row.id, false, json!({}))?;
    }
    // The visit's messages are its first part's: one confirmation and one set of reminders.
    if let (Some(first), Some(leg)) = (rows.first(), booked.first()) {
        let leads = &parts[leg.part].policy.reminder_minutes;
        notices::booked(
            sql,
            &first.id,
            first.visit.start,
            leads,
            &visit.note,
            leg.manage_secret.as_deref().unwrap_or(""),
        )?;
    }
    Ok(BookedVisit { visit_id, legs: booked, paid })
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

/// Who changes a booking, as its webhook event says: the business, or the client — through their
/// manage link, or through the channel that made the booking (Google), which then needs no word
/// of the change it made itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChangedBy<'a> {
    Business,
    Client,
    Channel(&'a str),
}

impl ChangedBy<'_> {
    /// The event's data for it: `cancelled_by` (for a cancellation) and `through` (a channel).
    pub(super) fn data(self, cancelled: bool) -> serde_json::Value {
        let mut data = serde_json::Map::new();
        if cancelled {
            let by = if self == ChangedBy::Business { "business" } else { "client" };
            data.insert("cancelled_by".into(), by.into());
        }
        if let ChangedBy::Channel(channel) = self {
            data.insert("through".into(), channel.into());
        }
        serde_json::Value::Object(data)
    }
}

/// Cancels the confirmed booking `booking_id`, with every part of its visit if it is one (a visit
/// is cancelled whole, and its membership paid for all): what the memberships that paid get back,
/// for the caller to record in the outbox in the same transaction (`manage::record`). Its
/// reminders go, and the message about the cancellation is scheduled (by the business or by the
/// client).
pub(super) fn cancel_confirmed(
    sql: &SqlStorage,
    company_id: &str,
    booking_id: &str,
    visit_id: Option<&str>,
    by: ChangedBy<'_>,
) -> AppResult<Vec<super::outbox::Refund>> {
    let paid: Vec<super::manage::Paid> = sql
        .exec(
            "SELECT id, membership_number, membership_visits AS visits, membership_minor AS minor
             FROM bookings WHERE status = 'confirmed' AND membership_number IS NOT NULL
               AND (id = ? OR (visit_id IS NOT NULL AND visit_id = ?))",
            vec![booking_id.into(), visit_id.unwrap_or("").into()],
        )?
        .to_array()?;
    sql.exec(
        "UPDATE bookings SET status = 'cancelled' WHERE id = ? OR (visit_id IS NOT NULL AND visit_id = ?)",
        vec![booking_id.into(), visit_id.unwrap_or("").into()],
    )?;
    notices::cancelled(sql, booking_id, visit_id, by == ChangedBy::Business)?;
    events::booking(sql, EventType::BookingCancelled, booking_id, true, by.data(true))?;
    Ok(paid.into_iter().filter_map(|paid| paid.refund(company_id)).collect())
}

/// Moves the confirmed booking `booking_id` of `client` (name, phone) to `start` with
/// `specialist_id`, as `by` asks: the new time is checked as a new booking's is (working hours,
/// the notice, the specialist's and the resources' other visits, the client's own), and the
/// booking does not block itself. The message about the move is scheduled, and the reminders of
/// the new time.
pub(super) fn move_confirmed(
    sql: &SqlStorage,
    booking_id: &str,
    (name, phone): (&str, &str),
    schedule: &ServiceSchedule,
    (start, specialist_id): (Instant, &str),
    outside_rules: bool,
    by: ChangedBy<'_>,
) -> AppResult<()> {
    let moving = Some(booking_id);
    let (_, visit) = land(sql, schedule, (start, Some(specialist_id)), moving, outside_rules, clock::now())?;
    client_is_free(sql, name, phone, visit.start, visit.end, moving)?;
    #[derive(Deserialize)]
    struct Before {
        start_s: i64,
        end_s: i64,
        specialist_id: String,
    }
    let before = sql
        .exec("SELECT start_s, end_s, specialist_id FROM bookings WHERE id = ?", vec![booking_id.into()])?
        .one::<Before>()?;
    sql.exec(
        "UPDATE bookings SET start_s = ?, end_s = ?, busy_from_s = ?, busy_until_s = ?, specialist_id = ?,
                             is_override = ?
         WHERE id = ?",
        vec![
            visit.start.into(),
            visit.end.into(),
            visit.busy_from.into(),
            visit.busy_until.into(),
            specialist_id.into(),
            i64::from(outside_rules).into(),
            booking_id.into(),
        ],
    )?;
    let mut data = by.data(false);
    data["previous"] = json!({
        "start_at": format_instant(before.start_s),
        "end_at": format_instant(before.end_s),
        "specialist_id": before.specialist_id,
    });
    events::booking(sql, EventType::BookingRescheduled, booking_id, false, data)?;
    notices::moved(sql, booking_id, visit.start, &schedule.policy.reminder_minutes)
}

/// Where a visit of `schedule` at `start` lands: who takes it (an index into the schedule's
/// specialists; `wanted`, or for none whoever is free) and its times; by the schedule's rules, or
/// `outside_rules` (an owner's or a manager's override), never over another visit. `except` is
/// the hold the booking consumes or the booking being moved: it does not block itself.
fn land(
    sql: &SqlStorage,
    schedule: &ServiceSchedule,
    (start, wanted): (Instant, Option<&str>),
    except: Option<&str>,
    outside_rules: bool,
    now: Instant,
) -> AppResult<(usize, Visit)> {
    let zone = zone(&schedule.time_zone, "time_zone")?;
    let (from, to) = day_bounds(&zone, local_date(&zone, start));
    if !outside_rules {
        let busy = busy_around(sql, std::slice::from_ref(schedule), from, to, except, wanted)?;
        let chosen = choose_specialist(schedule, &zone, start, wanted, &busy, now)?;
        return Ok((chosen, schedule.visit(chosen, start)));
    }
    // Outside the rules a visit may run past the day's end: read what it could overlap.
    let longest = schedule.specialists.iter().map(|s| i64::from(s.duration_minutes) * 60).max().unwrap_or(0);
    let taken = taken_around(sql, schedule, from.min(start), to.max(start + longest), except)?;
    let chosen = wanted.and_then(|id| schedule.specialists.iter().position(|s| s.id == id)).ok_or_else(|| {
        ApiError::field(
            ErrorCode::ValidationFailed,
            "specialist_id",
            "Name the specialist: a booking outside the rules is for one specialist who performs the service here.",
        )
    })?;
    let visit = check_outside_rules(schedule, chosen, start, &taken, now)?;
    Ok((chosen, visit))
}

/// `overlapping_appointments` if this client (the same phone and name: a parent booking two
/// children shares a phone, not a name) already has a confirmed visit here overlapping
/// `[start, end)`. A client cannot be in two chairs at once.
/// `except` is a booking being moved, which does not overlap itself.
pub(super) fn client_is_free(
    sql: &SqlStorage,
    name: &str,
    phone: &str,
    start: Instant,
    end: Instant,
    except: Option<&str>,
) -> AppResult<()> {
    let overlapping = sql
        .exec(
            "SELECT count(*) AS n FROM bookings WHERE status = 'confirmed' AND client_phone = ?
             AND lower(client_name) = lower(?) AND start_s < ? AND end_s > ? AND id != ?",
            vec![phone.into(), name.into(), end.into(), start.into(), except.unwrap_or("").into()],
        )?
        .one::<Count>()?
        .n;
    if overlapping > 0 {
        return Err(
            ApiError::new(ErrorCode::OverlappingAppointments, "You already have a visit booked at this time.").into()
        );
    }
    Ok(())
}

/// One bookings row.
struct Row {
    id: String,
    manage_hash: String,
    client_id: String,
    visit_id: Option<String>,
    service_id: String,
    specialist_id: String,
    visit: Visit,
    resource_ids: String,
    client_name: String,
    client_phone: String,
    note: Note,
    charge: Option<Charge>,
    /// The paying membership's number, what it took and the payment (see `placement`).
    membership: Option<(String, Debit)>,
    payment_id: Option<String>,
}

/// Writes a confirmed booking. The unique index is the last line of defence against a double
/// booking; hitting it reads as the slot being taken.
fn insert(sql: &SqlStorage, row: &Row, now_ms: i64) -> AppResult<()> {
    sql.exec(
        "INSERT INTO bookings (id, visit_id, service_id, specialist_id, start_s, end_s, busy_from_s, busy_until_s,
                               resource_ids, client_name, client_phone, status, created_at_ms, manage_hash, client_id,
                               comment, privacy_accepted, marketing_consent,
                               price_minor, original_price_minor, discount_id,
                               membership_number, membership_visits, membership_minor, attribution, payment_id, test,
                               channel, made_by, is_override, client_email, language)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            row.manage_hash.as_str().into(),
            row.client_id.as_str().into(),
            row.note.comment.as_deref().into(),
            i64::from(row.note.privacy_accepted).into(),
            i64::from(row.note.marketing_consent).into(),
            row.charge.as_ref().map(|c| c.price_minor).into(),
            row.charge.as_ref().map(|c| c.original_minor).into(),
            row.charge.as_ref().and_then(|c| c.discount_id.as_deref()).into(),
            row.membership.as_ref().map(|(number, _)| number.as_str()).into(),
            i64::from(row.membership.as_ref().map_or(0, |(_, d)| d.visits)).into(),
            row.membership.as_ref().map_or(0, |(_, d)| d.minor).into(),
            row.note.attribution.as_deref().into(),
            row.payment_id.as_deref().into(),
            i64::from(row.note.test).into(),
            row.note.channel.as_str().into(),
            row.note.made_by.as_deref().into(),
            i64::from(row.note.r#override).into(),
            row.note.email.as_deref().into(),
            row.note.language.as_deref().into(),
        ],
    )
    .map_err(|e| {
        if e.to_string().contains("UNIQUE") {
            slot_taken().into()
        } else {
            crate::error::AppError::Platform(e)
        }
    })?;
    Ok(())
}

fn booked_legs(parts: &[ServiceSchedule], legs: &[Leg]) -> Vec<BookedLeg> {
    legs.iter()
        .map(|leg| BookedLeg {
            part: leg.part,
            specialist_id: parts[leg.part].specialists[leg.specialist].id.clone(),
            start: leg.start,
            end: leg.end,
            booking_id: None,
            manage_secret: None,
            charge: None,
        })
        .collect()
}
