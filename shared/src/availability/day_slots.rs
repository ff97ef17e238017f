//! The free starts of one date, in a compact form: a month of slots for fifty specialists is a
//! few flat arrays, not thousands of small ones.

use jiff::civil::Date;

use super::Instant;

/// The free starts of one local date, in time order, each with the specialists free then (indices
/// into [`super::ServiceSchedule::specialists`], best choice for "any specialist" first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySlots {
    pub date: Date,
    /// Each start, and where its specialists end in `free` (they begin where the previous end).
    starts: Vec<(Instant, u32)>,
    free: Vec<u32>,
}

/// One offered start and who is free then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot<'a> {
    pub start: Instant,
    /// Indices into [`super::ServiceSchedule::specialists`], best choice first.
    pub free: &'a [u32],
}

impl DaySlots {
    /// Groups `(start, rank)` pairs by start, each start's specialists in rank order; `order[rank]`
    /// is the specialist.
    pub(super) fn group(date: Date, pairs: &mut [(Instant, u32)], order: &[u32]) -> Self {
        pairs.sort_unstable();
        let mut day = DaySlots { date, starts: Vec::with_capacity(pairs.len()), free: Vec::with_capacity(pairs.len()) };
        for &(start, rank) in pairs.iter() {
            day.free.push(order[rank as usize]);
            let end = day.free.len() as u32;
            match day.starts.last_mut() {
                Some(last) if last.0 == start => last.1 = end,
                _ => day.starts.push((start, end)),
            }
        }
        day
    }

    /// How many starts are offered.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether no start is offered.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The offered starts in time order.
    pub fn iter(&self) -> impl Iterator<Item = Slot<'_>> + '_ {
        (0..self.starts.len()).map(|i| self.slot(i))
    }

    /// The slot starting at `start`, if offered.
    pub fn find(&self, start: Instant) -> Option<Slot<'_>> {
        self.starts.binary_search_by_key(&start, |&(s, _)| s).ok().map(|i| self.slot(i))
    }

    fn slot(&self, i: usize) -> Slot<'_> {
        let begin = if i == 0 { 0 } else { self.starts[i - 1].1 as usize };
        let (start, end) = self.starts[i];
        Slot { start, free: &self.free[begin..end as usize] }
    }
}
