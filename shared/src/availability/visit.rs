//! Several services in one visit (a cut, then a colour): the parts follow each other without a
//! gap, possibly with different specialists, and the visit is booked whole or not at all.
//!
//! A visit is offered at a start when its first part is (by the location's slot mode) and some
//! choice of specialists lets every later part start, at any minute, the moment the previous part
//! ends. Each part is checked, with its own buffers and resources, against the location's busy
//! time; the parts of one visit never block each other (the same specialist may do two parts
//! back to back). Among the choices the first wins, trying specialists part by part in the "any
//! specialist" order (least booked that day, then catalog order), so the answer is deterministic.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::clock::{local_date, DayClock};
use super::plan::{Plan, Scratch};
use super::{check_notice, slot_taken, BusyTable, Instant, ServiceSchedule};
use crate::error::ApiError;

/// Each specialist's free intervals for one part, and the order to try them in.
type FreeIntervals = (Vec<Vec<(Instant, Instant)>>, Vec<u32>);

/// One part of a visit: which service (an index into the visit's parts), who, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    pub part: usize,
    /// An index into that part's [`ServiceSchedule::specialists`].
    pub specialist: usize,
    pub start: Instant,
    pub end: Instant,
}

/// An offered visit start and the specialists it would get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitSlot {
    pub start: Instant,
    pub legs: Vec<Leg>,
}

/// Every start of a visit of `parts` (the schedules of its services at one location, in order) on
/// local `date`, each with the specialists it would get. `wanted[k]`, if given, is the only
/// specialist allowed for part `k`.
pub fn visit_slots(
    parts: &[ServiceSchedule],
    wanted: &[Option<&str>],
    zone: &TimeZone,
    date: Date,
    busy: &BusyTable,
    now: Instant,
) -> Vec<VisitSlot> {
    let Some(first) = parts.first() else { return Vec::new() };
    let clock = DayClock::new(zone, date);
    // A scratch belongs to one plan (its cursors point into that plan's spans): one each.
    let starts = Plan::new(first, zone, busy, now).day(&clock, &mut Scratch::default());
    // For each later part: each specialist's free intervals, and the order to try them in.
    let later: Vec<FreeIntervals> = parts[1..]
        .iter()
        .map(|part| Plan::new(part, zone, busy, now).free_intervals(&clock, &mut Scratch::default()))
        .collect();
    let allowed =
        |k: usize, i: usize| wanted.get(k).copied().flatten().is_none_or(|id| parts[k].specialists[i].id == id);
    let mut out = Vec::new();
    let mut legs = Vec::with_capacity(parts.len());
    for slot in starts.iter() {
        for &i in slot.free.iter().filter(|&&i| allowed(0, i as usize)) {
            legs.clear();
            legs.push(leg(parts, 0, i as usize, slot.start));
            if extend(parts, &later, &allowed, &mut legs) {
                out.push(VisitSlot { start: slot.start, legs: legs.clone() });
                break;
            }
        }
    }
    out
}

/// Decides, at commit time, who does each part of a visit starting at `start`.
///
/// # Errors
/// `start_in_past` when `start` is before now plus the minimum notice; `slot_unavailable` when no
/// choice of specialists (among the wanted ones) fits every part.
pub fn choose_visit(
    parts: &[ServiceSchedule],
    wanted: &[Option<&str>],
    zone: &TimeZone,
    start: Instant,
    busy: &BusyTable,
    now: Instant,
) -> Result<Vec<Leg>, ApiError> {
    if let Some(first) = parts.first() {
        check_notice(&first.policy, start, now)?;
    }
    visit_slots(parts, wanted, zone, local_date(zone, start), busy, now)
        .into_iter()
        .find(|slot| slot.start == start)
        .map(|slot| slot.legs)
        .ok_or_else(slot_taken)
}

fn leg(parts: &[ServiceSchedule], part: usize, specialist: usize, start: Instant) -> Leg {
    let visit = parts[part].visit(specialist, start);
    Leg { part, specialist, start, end: visit.end }
}

/// Adds the remaining parts after `legs`, trying specialists in order; false if none fits.
fn extend(
    parts: &[ServiceSchedule],
    later: &[FreeIntervals],
    allowed: &impl Fn(usize, usize) -> bool,
    legs: &mut Vec<Leg>,
) -> bool {
    let k = legs.len();
    if k == parts.len() {
        return true;
    }
    let at = legs[k - 1].end;
    let (free, order) = &later[k - 1];
    for &i in order {
        let i = i as usize;
        if !allowed(k, i) || !free_at(&free[i], at) {
            continue;
        }
        legs.push(leg(parts, k, i, at));
        if extend(parts, later, allowed, legs) {
            return true;
        }
        legs.pop();
    }
    false
}

/// Whether `at` lies in one of the sorted closed intervals.
fn free_at(intervals: &[(Instant, Instant)], at: Instant) -> bool {
    let after = intervals.partition_point(|&(lo, _)| lo <= at);
    after > 0 && intervals[after - 1].1 >= at
}
