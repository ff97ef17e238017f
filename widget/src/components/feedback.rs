//! Waiting and failure: a skeleton while loading, a plain explanation and a retry on failure.

use leptos::prelude::*;

use crate::api::Failure;
use crate::strings::Strings;

/// Grey placeholders of the final layout, so nothing jumps when the content arrives.
pub fn skeleton(strings: &Strings) -> impl IntoView {
    view! {
        <div class="hs-skeleton" aria-busy="true" aria-label=strings.get("loading")>
            <div class="hs-bone hs-bone-title"></div>
            <div class="hs-bone"></div>
            <div class="hs-bone"></div>
            <div class="hs-bone"></div>
        </div>
    }
}

/// What went wrong, in words a client understands, in their language. The edge's own message
/// (English) is the fallback for a code the widget has no words for.
pub fn explain(strings: &Strings, failure: &Failure) -> String {
    match failure {
        // A refused cross-origin call looks exactly like a network failure to the page.
        Failure::Network if is_online() => strings.get("unreachable"),
        Failure::Network => strings.get("offline"),
        Failure::Api(detail) => {
            let key = format!("error_{}", detail.code);
            let words = strings.get(&key);
            if words == key {
                detail.message.clone()
            } else {
                words
            }
        }
        Failure::Unexpected => strings.get("unexpected"),
    }
}

/// A failure with a retry button.
pub fn problem(strings: &Strings, failure: Failure, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="hs-problem" role="alert">
            <p>{explain(strings, &failure)}</p>
            <button type="button" class="hs-button" on:click=move |_| retry()>{strings.get("try_again")}</button>
        </div>
    }
}

fn is_online() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}
