//! Bookings the business places outside its own rules (an *override*): an owner or a manager,
//! after confirming, books or moves a visit to a time the rules do not offer — outside working or
//! opening hours, on a day off or a holiday, over a buffer, inside the minimum notice, beyond the
//! horizon, off the slot grid.
//!
//! What no override may do is put two visits in one place at once: the specialist's other
//! bookings, holds and class sessions, and a resource already used by as many visits as it holds,
//! still stop it. Buffers are the rules' margin between visits, so they are what an override may
//! cross: the check reads the other visits' own times, not their spans with buffers. Whatever the
//! rules would offer, an override allows too (the property tests hold both).

use super::{BusyTable, Instant, ServiceSchedule, Visit};
use crate::error::{ApiError, ErrorCode};

/// The visit of `schedule`'s specialist number `specialist` starting at `start`, placed outside
/// the rules. `taken` holds the location's visits, holds and class sessions by their own times
/// (without buffers).
///
/// # Errors
/// `start_in_past` before `now`; `validation_failed` off a whole minute; `slot_unavailable` when
/// the visit would overlap another of the specialist's, or a resource it needs is full then.
pub fn check_outside_rules(
    schedule: &ServiceSchedule,
    specialist: usize,
    start: Instant,
    taken: &BusyTable,
    now: Instant,
) -> Result<Visit, ApiError> {
    if start < now {
        return Err(ApiError::field(
            ErrorCode::StartInPast,
            "start",
            "This time has passed: a booking outside the rules still starts from now on.",
        ));
    }
    if start % 60 != 0 {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "start", "start must be on a whole minute"));
    }
    let Some(person) = schedule.specialists.get(specialist) else {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "specialist_id",
            "This specialist does not perform this service here.",
        ));
    };
    let visit = schedule.visit(specialist, start);
    let overlaps = |from: Instant, until: Instant| from < visit.end && until > visit.start;
    let own = taken.specialist_ids().iter().position(|id| *id == person.id);
    let clash = own.is_some_and(|own| {
        taken.spans().iter().any(|&(who, from, until)| who as usize == own && overlaps(from, until))
    });
    if clash {
        return Err(ApiError::new(
            ErrorCode::SlotUnavailable,
            "The specialist already has a booking, a hold or a class then: even outside the rules, two visits never overlap.",
        ));
    }
    for need in &schedule.resources {
        let Some(resource) = taken.resource_ids().iter().position(|id| *id == need.id) else { continue };
        let uses: Vec<(Instant, Instant)> = taken
            .resource_uses()
            .iter()
            .filter(|&&(r, from, until)| r as usize == resource && overlaps(from, until))
            .map(|&(_, from, until)| (from, until))
            .collect();
        // The most visits using it at once during this one: the count only rises where a use
        // begins, so it is enough to count at the visit's start and at each use's start inside it.
        let moments = std::iter::once(visit.start).chain(uses.iter().map(|u| u.0).filter(|&t| t > visit.start));
        let peak = moments.map(|t| uses.iter().filter(|u| u.0 <= t && t < u.1).count()).max().unwrap_or(0);
        if peak >= need.capacity as usize {
            return Err(ApiError::new(
                ErrorCode::SlotUnavailable,
                "A room or a piece of equipment this service needs is fully in use then.",
            ));
        }
    }
    Ok(visit)
}
