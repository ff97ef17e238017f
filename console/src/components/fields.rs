//! Labelled form fields bound to a draft: the value shown, each change handed back, and the
//! problem about the field (from the core's rules or the edge) shown under it and tied to it for
//! screen readers.

use leptos::prelude::*;

/// A text field (or `kind` = `url`, `email`, `tel`, `date`, `time`).
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(optional, into)] problem: Option<Signal<Option<String>>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let described = format!("{id}-problem");
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id type=kind required=required prop:value=value aria-describedby=described.clone()
            on:input=move |ev| set.run(event_target_value(&ev))/>
        <p class="field-problem" id=described>{move || problem.and_then(|p| p.get())}</p>
    }
}

/// A whole number of something (minutes, days, seats). What is not a number is not handed on.
#[component]
pub fn NumberField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<u32>,
    #[prop(into)] set: Callback<u32>,
    #[prop(optional, into)] problem: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let described = format!("{id}-problem");
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id inputmode="numeric" prop:value=move || value.get().to_string() aria-describedby=described.clone()
            on:input=move |ev| if let Ok(n) = event_target_value(&ev).trim().parse() { set.run(n) }/>
        <p class="field-problem" id=described>{move || problem.and_then(|p| p.get())}</p>
    }
}

/// A choice of `(value, name)` pairs.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id on:change=move |ev| set.run(event_target_value(&ev))>
            {options.into_iter().map(|(v, name)| {
                let shown = v.clone();
                view! { <option value=v selected=move || value.get() == shown>{name}</option> }
            }).collect_view()}
        </select>
    }
}

/// A choice of `(value, name)` pairs after a first one meaning "none" (`none` is how it reads):
/// `None` when that one is chosen.
#[component]
pub fn ChoiceField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    none: &'static str,
    options: Vec<(String, String)>,
    #[prop(into)] value: Signal<Option<String>>,
    #[prop(into)] set: Callback<Option<String>>,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id on:change=move |ev| set.run(optional(event_target_value(&ev)))>
            <option value="" selected=move || value.get().is_none()>{none}</option>
            {options.into_iter().map(|(v, name)| {
                let shown = v.clone();
                view! { <option value=v selected=move || value.get().as_deref() == Some(shown.as_str())>{name}</option> }
            }).collect_view()}
        </select>
    }
}

/// What was typed, trimmed, or nothing for an empty field.
pub fn optional(text: String) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// A button that copies `text` to the clipboard and says so until the text changes.
#[component]
pub fn CopyButton(#[prop(into)] text: Signal<String>, label: &'static str) -> impl IntoView {
    let (copied, set_copied) = signal(false);
    Effect::new(move |_| {
        text.track();
        set_copied.set(false);
    });
    let copy = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().clipboard().write_text(&text.get_untracked());
            set_copied.set(true);
        }
    };
    view! { <button type="button" on:click=copy>{move || if copied.get() { "Copied" } else { label }}</button> }
}
