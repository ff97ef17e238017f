//! The location step of a chain: its locations, grouped by city when they are in more than one.
//! Part of the first screen for a chain, so it stays small.

use leptos::prelude::*;

use crate::strings::Strings;
use homeslot_core::wire::LocationView;

/// Lists `locations`; a click sets `chosen` (and lets the next heading take the focus).
pub fn view(
    locations: &[LocationView],
    chosen: RwSignal<Option<LocationView>>,
    focus: StoredValue<bool>,
    strings: &Strings,
) -> impl IntoView {
    let mut cities: Vec<&str> = Vec::new();
    for location in locations {
        if !cities.contains(&location.city.as_str()) {
            cities.push(&location.city);
        }
    }
    let grouped = cities.len() > 1;
    let groups = cities
        .into_iter()
        .map(|city| {
            let items = locations
                .iter()
                .filter(|l| l.city == city)
                .map(|location| {
                    let picked = location.clone();
                    view! {
                        <li>
                            <button type="button" class="hs-item" on:click=move |_| {
                                focus.set_value(true);
                                chosen.set(Some(picked.clone()));
                            }>
                                <span class="hs-item-name">{location.name.clone()}</span>
                                <span class="hs-item-meta">{location.address.clone()}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            // A city's heading names its group for screen readers too (aria-labelledby would
            // need ids unique across several widgets on a page; the heading order does it).
            let heading = (grouped && !city.is_empty()).then(|| view! { <h3 class="hs-group">{city.to_string()}</h3> });
            view! { {heading} <ul class="hs-list">{items}</ul> }
        })
        .collect_view();
    view! {
        {super::title(focus, strings.get("choose_location"))}
        {groups}
    }
}
