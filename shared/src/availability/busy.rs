//! Busy time as the engine reads it. A location's bookings and holds name their specialist and
//! resources by id; reading thousands of separately allocated id strings was most of the cost of a
//! large request, so the table keeps each distinct id once and spans refer to it by index.

use std::collections::HashMap;

use super::Instant;

/// One span of busy time, as written by hand or in tests: a specialist, and the resources listed,
/// are taken `[start, end)` (a booking or a live hold, with its buffers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    pub specialist_id: String,
    pub resource_ids: Vec<String>,
    pub start: Instant,
    pub end: Instant,
}

/// A location's busy spans, with ids interned.
#[derive(Debug, Clone, Default)]
pub struct BusyTable {
    specialist_ids: Vec<String>,
    resource_ids: Vec<String>,
    specialist_index: HashMap<String, u32>,
    resource_index: HashMap<String, u32>,
    /// `(index into specialist_ids, start, end)`, in the order added.
    spans: Vec<(u32, Instant, Instant)>,
    /// `(index into resource_ids, start, end)`: one entry per resource a span uses.
    resource_uses: Vec<(u32, Instant, Instant)>,
}

impl BusyTable {
    pub fn new() -> Self {
        BusyTable::default()
    }

    /// Adds a span during which `specialist_id` and each of `resource_ids` are taken.
    pub fn add<'r>(
        &mut self,
        specialist_id: &str,
        resource_ids: impl IntoIterator<Item = &'r str>,
        start: Instant,
        end: Instant,
    ) {
        let specialist = self.intern(false, specialist_id);
        self.spans.push((specialist, start, end));
        for resource in resource_ids {
            let resource = self.intern(true, resource);
            self.resource_uses.push((resource, start, end));
        }
    }

    fn intern(&mut self, is_resource: bool, id: &str) -> u32 {
        let (ids, index_of) = if is_resource {
            (&mut self.resource_ids, &mut self.resource_index)
        } else {
            (&mut self.specialist_ids, &mut self.specialist_index)
        };
        // Most rows repeat an id already seen; only a new id is copied.
        if let Some(&index) = index_of.get(id) {
            return index;
        }
        let index = ids.len() as u32;
        ids.push(id.to_owned());
        index_of.insert(id.to_owned(), index);
        index
    }

    /// The same table without the specialists' spans: what the resources alone leave free.
    pub(super) fn resources_only(&self) -> BusyTable {
        BusyTable { spans: Vec::new(), ..self.clone() }
    }

    pub(super) fn specialist_ids(&self) -> &[String] {
        &self.specialist_ids
    }

    pub(super) fn resource_ids(&self) -> &[String] {
        &self.resource_ids
    }

    pub(super) fn spans(&self) -> &[(u32, Instant, Instant)] {
        &self.spans
    }

    pub(super) fn resource_uses(&self) -> &[(u32, Instant, Instant)] {
        &self.resource_uses
    }
}

impl From<&[Busy]> for BusyTable {
    fn from(spans: &[Busy]) -> Self {
        let mut table = BusyTable::new();
        for b in spans {
            table.add(&b.specialist_id, b.resource_ids.iter().map(String::as_str), b.start, b.end);
        }
        table
    }
}
