//! Data fetched from the edge into a signal. Deliberately smaller than Leptos's `LocalResource`:
//! the widget only needs "load, then show", and the async-derived machinery behind resources
//! costs the widget bytes it does not need.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Failure;

/// `None` while loading; the answer once it arrived.
pub(crate) struct Fetched<T: Send + Sync + 'static> {
    value: RwSignal<Option<Result<T, Failure>>>,
    /// The latest request: an older answer arriving late must not replace a newer one.
    latest: StoredValue<u32>,
}

impl<T: Send + Sync + 'static> Clone for Fetched<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetched<T> {}

impl<T: Clone + Send + Sync + 'static> Fetched<T> {
    pub fn new() -> Self {
        Fetched { value: RwSignal::new(None), latest: StoredValue::new(0) }
    }

    /// Starts loading (again): shows "loading" until `request` answers.
    pub fn load(self, request: impl Future<Output = Result<T, Failure>> + 'static) {
        let ticket = self.latest.get_value().wrapping_add(1);
        self.latest.set_value(ticket);
        self.value.set(None);
        spawn_local(async move {
            let answer = request.await;
            if self.latest.try_get_value() == Some(ticket) {
                self.value.try_set(Some(answer));
            }
        });
    }

    /// The current state, tracked by the surrounding reactive view.
    pub fn get(self) -> Option<Result<T, Failure>> {
        self.value.get()
    }
}
