//! Steps whose code lives in a wasm chunk of its own, fetched when the client first needs it, so
//! the first screen does not pay for the screens after it.
//!
//! A step module marks its `view` with
//! `#[wasm_split(NAME, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]`. After
//! linking, `wasm-split-cli` (run by `scripts/lib.sh`) moves everything only the functions of
//! that NAME reach into `split_NAME.wasm` (code two names share goes to a `chunk_N.wasm` both
//! load); `load()` fetches it, and `view(…)` becomes async. Natively (the flow's unit tests) both
//! are plain calls.
//!
//! The booking steps after the first screen (specialist, time, details, success) share one name,
//! `steps`: one request and one compile instead of a fan-out of about twenty small chunks, which
//! on a slow phone cost more than the bytes (measured: see docs/development.md). The manage view
//! is `manage`, loaded only from a manage link.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;

use super::feedback;
use crate::api::Failure;
use crate::strings::Strings;

/// A chunk on its way: what a step's `load` returns.
pub(crate) type Loading = Pin<Box<dyn Future<Output = Result<(), SplitLoaderError>>>>;
/// A step's view, built once its chunk is there.
pub(crate) type Building = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

/// Shows the view `build` makes once `load` has fetched its chunk: a skeleton while it comes, and
/// the network problem with a retry if it cannot be fetched.
///
/// The view is built synchronously, inside this reactive closure, exactly as an unsplit step
/// would be: its signals and effects belong to the step and go with it. (Leptos's `Suspend`
/// builds the view in a task of its own, where its effects could outlive the step's signals.)
///
/// Not generic on purpose: every step shares this one copy in the first screen's code (a
/// generic copy per step cost about 1 KB brotli each).
pub(crate) fn step(
    strings: Strings,
    load: fn() -> Loading,
    build: Box<dyn Fn() -> Building + Send + Sync>,
) -> impl IntoView {
    drawn(strings, load, build, false)
}

/// Like [`step`], but shows nothing while the chunk comes or if it cannot be fetched: for what a
/// screen can do without, such as its promo.
pub(crate) fn quietly(
    strings: Strings,
    load: fn() -> Loading,
    build: Box<dyn Fn() -> Building + Send + Sync>,
) -> impl IntoView {
    drawn(strings, load, build, true)
}

/// [`step`] and [`quietly`]: one copy for both in the first screen's code.
fn drawn(
    strings: Strings,
    load: fn() -> Loading,
    build: Box<dyn Fn() -> Building + Send + Sync>,
    quiet: bool,
) -> impl IntoView {
    // `Some(true)`: loaded; `Some(false)`: the fetch failed; `None`: on its way. A chunk loaded
    // before (or preloaded) answers at once, so the step shows without a skeleton in between.
    // The later steps' words come with their code: a step is built only once both are here.
    let ready = at_once(load()).and_then(Result::ok).filter(|()| strings.complete());
    let loaded = RwSignal::new(ready.map(|()| true));
    let words = StoredValue::new(strings.clone());
    let fetch = move || {
        loaded.set(None);
        let words = words.get_value();
        spawn_local(async move {
            let ok = load().await.is_ok() && words.arrived().await;
            loaded.try_set(Some(ok));
        });
    };
    if loaded.get_untracked().is_none() {
        fetch();
    }
    move || match (loaded.get(), quiet) {
        (Some(true), _) => match at_once(build()) {
            Some(Ok(view)) => view,
            _ if quiet => ().into_any(),
            _ => feedback::problem(&strings, Failure::Network, fetch).into_any(),
        },
        (_, true) => ().into_any(),
        (None, false) => feedback::skeleton(&strings).into_any(),
        (Some(false), false) => feedback::problem(&strings, Failure::Network, fetch).into_any(),
    }
}

/// Polls a future once. A split function whose chunk is already loaded completes on its first
/// poll; `None` means it has to wait.
fn at_once<T>(mut future: Pin<Box<dyn Future<Output = T>>>) -> Option<T> {
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}
