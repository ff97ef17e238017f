//! Booking and moving outside the rules, for owners and managers: a time typed freely (outside
//! working hours, over a buffer, sooner than the minimum notice) instead of one of the free
//! times, and an explicit confirmation before it goes. The edge still refuses a time the
//! specialist has another visit at; the booking is marked as an override.

use leptos::html;
use leptos::prelude::*;

/// The switch between the free times and a time typed freely, with what it means.
#[component]
pub fn OutsideRulesChoice(id: &'static str, outside: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check">
            <input id=id type="checkbox" prop:checked=outside on:change=move |ev| outside.set(event_target_checked(&ev))/>
            "Outside the rules"
        </label>
        {move || outside.get().then(|| view! {
            <p class="hint">"Any time the specialist has no other visit: outside working hours, over a buffer, sooner than the minimum notice. It is marked as an override."</p>
        })}
    }
}

/// What is about to be booked outside the rules, and the two ways on: confirm or go back.
#[component]
pub fn ConfirmOutsideRules(what: String, confirm: Callback<()>, back: Callback<()>) -> impl IntoView {
    let button = NodeRef::<html::Button>::new();
    // The question takes the focus, so a keyboard (and a screen reader) is at it at once.
    Effect::new(move |_| {
        if let Some(button) = button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="confirm" role="group" aria-labelledby="outside-rules-question">
            <p id="outside-rules-question"><strong>{what}</strong></p>
            <div class="actions">
                <button type="button" node_ref=button on:click=move |_| confirm.run(())>"Yes, outside the rules"</button>
                <button type="button" class="secondary" on:click=move |_| back.run(())>"Back"</button>
            </div>
        </div>
    }
}
