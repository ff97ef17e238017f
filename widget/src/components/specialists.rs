//! The specialist step: "any specialist" first, then each specialist who can take the visit,
//! with photo, position and their nearest free time. Who is listed depends on the step order:
//! before the service, everyone at the location; after it, those who perform it (with their
//! nearest time); after the time (date first), those free at that time.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::fetched::Fetched;
use super::Booking;
use crate::format;
use crate::strings::Strings;
use homeslot_core::wire::{SoonestResponse, SpecialistView};

/// This step's rules, shipped with its chunk (the first screen does not carry them).
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/specialists.css"));

#[wasm_split(steps, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let strings = booking.strings.clone();
    let (services, free_then) = flow.with_untracked(|f| (f.service_ids(), f.slot.clone()));
    // For a visit of several services, those who perform every one of them.
    let performs = |person: &str| {
        services.iter().all(|id| {
            booking.catalog.services.iter().any(|s| s.id == *id && s.specialist_ids.iter().any(|p| p == person))
        })
    };
    let people: Vec<SpecialistView> = booking
        .catalog
        .specialists
        .iter()
        .filter(|p| p.location_id == booking.location.id)
        .filter(|p| performs(&p.id))
        .filter(|p| free_then.as_ref().is_none_or(|slot| slot.specialist_ids.contains(&p.id)))
        .cloned()
        .collect();
    // Nearest free times, when one service is known and the time is not chosen yet.
    let soonest = Fetched::<SoonestResponse>::new();
    if let ([service], None) = (services.as_slice(), &free_then) {
        let (api, location, service) = (booking.api.clone(), booking.location.id.clone(), service.clone());
        soonest.load(async move { api.soonest(&location, &service).await });
    }
    let nearest = move |who: Option<String>, strings: Strings| {
        move || {
            let answer = soonest.get()?.ok()?;
            let slot = answer
                .specialists
                .iter()
                .filter(|s| who.as_ref().is_none_or(|id| *id == s.specialist_id))
                .filter_map(|s| s.slots.first())
                .min_by(|a, b| a.start.cmp(&b.start));
            Some(match slot {
                Some(slot) => strings.fill(
                    "nearest",
                    &[(
                        "when",
                        &format!("{}, {}", format::date(&slot.local_date, false, &strings.language), slot.local_time),
                    )],
                ),
                None => strings.get("no_nearest"),
            })
        }
    };
    let card = move |who: Option<SpecialistView>| {
        let id = who.as_ref().map(|p| p.id.clone());
        let (name, position) = match &who {
            Some(p) => (p.name.clone(), p.position.clone()),
            None => (strings.get("any_specialist"), strings.get("any_specialist_hint")),
        };
        // A photo is decoration next to the name (empty alt); without one, the initials ("any
        // specialist": a star).
        let picture = match who.as_ref().and_then(|p| p.photo_url.clone()) {
            Some(url) => {
                view! { <img class="hs-avatar" src=url alt="" width="48" height="48" loading="lazy"/> }.into_any()
            }
            None => {
                let mark = if who.is_some() { initials(&name) } else { "✱".to_string() };
                view! { <span class="hs-avatar" aria-hidden="true">{mark}</span> }.into_any()
            }
        };
        let when = nearest(id.clone(), strings.clone());
        view! {
            <li>
                <button type="button" class="hs-item hs-person" on:click=move |_| flow.update(|f| f.choose_specialist(id.as_deref()))>
                    {picture}
                    <span class="hs-person-text">
                        <span class="hs-item-name">{name}</span>
                        <span class="hs-item-meta">{position}</span>
                        <span class="hs-item-meta">{when}</span>
                    </span>
                </button>
            </li>
        }
    };
    let items = std::iter::once(None).chain(people.into_iter().map(Some)).map(card).collect_view();
    Ok(view! {
        <style>{STYLE}</style>
        {super::back(&booking)}
        {super::title(booking.focus, booking.strings.get("choose_specialist"))}
        <ul class="hs-list">{items}</ul>
    }
    .into_any())
}

/// "Anna Kowalska" → "AK".
fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|word| word.chars().next()).take(2).collect()
}
