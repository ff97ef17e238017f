//! Waiting and failure: a skeleton while loading, a plain explanation and a retry on failure.

use leptos::prelude::*;

use crate::api::Failure;

/// Grey placeholders of the final layout, so nothing jumps when the content arrives.
pub fn skeleton() -> impl IntoView {
    view! {
        <div class="hs-skeleton" aria-busy="true" aria-label="Loading">
            <div class="hs-bone hs-bone-title"></div>
            <div class="hs-bone"></div>
            <div class="hs-bone"></div>
            <div class="hs-bone"></div>
        </div>
    }
}

/// What went wrong, in words a client understands.
pub fn explain(failure: &Failure) -> String {
    match failure {
        // A refused cross-origin call looks exactly like a network failure to the page.
        Failure::Network if is_online() => {
            "Online booking cannot be reached right now. Please try again in a moment.".into()
        }
        Failure::Network => "You seem to be offline. Check your connection and try again.".into(),
        Failure::Api(detail) => detail.message.clone(),
        Failure::Unexpected => "Something went wrong on our side. Please try again.".into(),
    }
}

/// A failure with a retry button.
pub fn problem(failure: Failure, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="hs-problem" role="alert">
            <p>{explain(&failure)}</p>
            <button type="button" class="hs-button" on:click=move |_| retry()>"Try again"</button>
        </div>
    }
}

fn is_online() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}
