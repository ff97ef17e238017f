//! The location's busy time as the engine reads it: confirmed bookings and live holds (with
//! their buffers and resources), and the sessions of classes.

use serde::Deserialize;
use worker::SqlStorage;

use homeslot_core::availability::{add_class_busy, zone, BusyTable, ClassSchedule, Instant, ServiceSchedule};

use crate::clock;

#[derive(Deserialize)]
struct BusyRow {
    specialist_id: String,
    resource_ids: String,
    start: Instant,
    end: Instant,
}

/// The busy spans of every confirmed booking and live hold of the location (all services: they
/// share specialists and resources) that can matter to visits of `services` between `from` and
/// `to`: those overlapping the range widened by the services' buffers. In start order.
/// `except` is the hold a confirmation consumes, or the booking being moved: it must not block
/// itself.
///
/// `only_for`: when the question is about one named specialist, the other specialists' spans
/// cannot change the answer unless they use a resource, so they are left in the database rather
/// than read (most of a busy day's rows). The other specialists then look free: use it only to
/// check that one specialist.
pub(super) fn busy_around(
    sql: &SqlStorage,
    services: &[ServiceSchedule],
    from: Instant,
    to: Instant,
    except: Option<&str>,
    only_for: Option<&str>,
) -> worker::Result<BusyTable> {
    let before = services.iter().map(|s| s.buffer_before_minutes).max().unwrap_or(0);
    let after = services.iter().map(|s| s.buffer_after_minutes).max().unwrap_or(0);
    let (from, to) = (from - i64::from(before) * 60, to + i64::from(after) * 60);
    let rows: Vec<BusyRow> = sql
        .exec(
            "SELECT specialist_id, resource_ids, busy_from_s AS start, busy_until_s AS end FROM bookings
             WHERE status = 'confirmed' AND id != ?1 AND busy_until_s > ?2 AND busy_from_s < ?3
               AND (?5 = '' OR specialist_id = ?5 OR resource_ids != '')
             UNION ALL
             SELECT specialist_id, resource_ids, busy_from_s AS start, busy_until_s AS end FROM holds
             WHERE expires_at_s > ?4 AND id != ?1 AND busy_until_s > ?2 AND busy_from_s < ?3
               AND (?5 = '' OR specialist_id = ?5 OR resource_ids != '')
             ORDER BY start",
            vec![
                except.unwrap_or("").into(),
                from.into(),
                to.into(),
                clock::now().into(),
                only_for.unwrap_or("").into(),
            ],
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

/// The location's visits, live holds and class sessions by their own times (without buffers)
/// that overlap `[from, to)`: what a booking outside the rules must not overlap (see
/// `availability::check_outside_rules`). `except` is the hold a booking consumes, or the booking being moved.
pub(super) fn taken_around(
    sql: &SqlStorage,
    schedule: &ServiceSchedule,
    from: Instant,
    to: Instant,
    except: Option<&str>,
) -> worker::Result<BusyTable> {
    let rows: Vec<BusyRow> = sql
        .exec(
            "SELECT specialist_id, resource_ids, start_s AS start, end_s AS end FROM bookings
             WHERE status = 'confirmed' AND id != ?1 AND end_s > ?2 AND start_s < ?3
             UNION ALL
             SELECT specialist_id, resource_ids, start_s AS start, end_s AS end FROM holds
             WHERE expires_at_s > ?4 AND id != ?1 AND end_s > ?2 AND start_s < ?3",
            vec![except.unwrap_or("").into(), from.into(), to.into(), clock::now().into()],
        )?
        .to_array()?;
    let mut taken = BusyTable::new();
    for row in &rows {
        taken.add(&row.specialist_id, row.resource_ids.split_whitespace(), row.start, row.end);
    }
    let zone = zone(&schedule.time_zone, "time_zone").map_err(|e| worker::Error::RustError(e.message))?;
    add_class_busy(&schedule.classes, &zone, from, to, &mut taken);
    Ok(taken)
}
