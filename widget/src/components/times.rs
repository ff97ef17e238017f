//! Step 2: a date strip (only dates with a free time can be chosen) and the free times of the
//! chosen date.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::fetched::Fetched;
use super::{feedback, Booking};
use crate::flow::{date_strip, nearest};
use crate::format;
use crate::strings::Strings;
use homeslot_core::wire::SlotView;

/// How many days the strip shows at once.
const STRIP_DAYS: u32 = 14;

#[wasm_split(times, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let strings = booking.strings.clone();
    let service_id = flow.with_untracked(|f| f.service_id.clone()).unwrap_or_default();
    let service_name =
        booking.catalog.services.iter().find(|s| s.id == service_id).map(|s| s.name.clone()).unwrap_or_default();
    let slots = Fetched::new();
    // Loads the times of the date the flow is on; called on entry, on a date change and on retry.
    // Each answer also says which of the strip's dates have a free time (the others are disabled);
    // on entry, if the flow's date has none, it moves on to the first date that has.
    let load = {
        let (api, location, service_id) = (booking.api.clone(), booking.location.id.clone(), service_id.clone());
        move || {
            let date = flow.with_untracked(|f| f.date.clone()).unwrap_or_default();
            let (api, location, service_id) = (api.clone(), location.clone(), service_id.clone());
            slots.load(async move {
                let entering = flow.with_untracked(|f| f.open_dates.is_empty());
                let specialist = flow.with_untracked(|f| f.times_for().map(str::to_string));
                let mut answer = api.slots(&location, &service_id, &date, specialist.as_deref()).await;
                if let Ok(day) = &answer {
                    flow.update(|f| f.open_dates.clone_from(&day.open_dates));
                    let next = day.open_dates.first().filter(|_| entering && day.slots.is_empty()).cloned();
                    if let Some(next) = next {
                        flow.update(|f| f.choose_date(&next));
                        answer = api.slots(&location, &service_id, &next, specialist.as_deref()).await;
                    }
                }
                answer
            });
        }
    };
    load();
    let dates = date_strip(&booking.location.today, booking.location.horizon_days, STRIP_DAYS)
        .into_iter()
        .map(|date| {
            let label = format::date(&date, false, &booking.strings.language);
            let chosen = {
                let date = date.clone();
                move || flow.with(|f| f.date.as_deref() == Some(date.as_str()))
            };
            let load = load.clone();
            let closed = {
                let date = date.clone();
                move || flow.with(|f| !f.is_open(&date))
            };
            view! {
                <button type="button" class="hs-date" aria-pressed=move || chosen().to_string()
                    disabled=closed
                    on:click=move |_| {
                        flow.update(|f| f.choose_date(&date));
                        load();
                    }>{label}</button>
            }
        })
        .collect_view();
    Ok(view! {
        {super::back(&booking)}
        {super::title(booking.focus, strings.get("choose_time"))}
        <p class="hs-sub">{service_name}</p>
        {move || flow.with(|f| f.notice.clone()).map(|notice| view! { <p class="hs-notice" role="alert">{notice}</p> })}
        <div class="hs-dates" role="group" aria-label=strings.get("date")>{dates}</div>
        <div class="hs-times" aria-live="polite">
            // Loading a date clears the previous answer, so the previous date's times are never
            // shown under the new date (a client could pick one believing it is on the new date).
            {move || match slots.get() {
                None => feedback::skeleton(&strings).into_any(),
                Some(Err(failure)) => feedback::problem(&strings, failure, load.clone()).into_any(),
                Some(Ok(day)) if day.slots.is_empty() => {
                    view! { <p class="hs-empty">{strings.get("no_times")}</p> }.into_any()
                }
                Some(Ok(day)) => {
                    // After a lost time, the free times nearest to it first.
                    let lost = flow.with_untracked(|f| f.lost.clone());
                    let near = lost.map(|lost| nearest(&day.slots, &lost, 3)).filter(|n| !n.is_empty());
                    let alternatives = near.map(|near| {
                        view! {
                            <div class="hs-nearest">
                                <p class="hs-sub">{strings.get("alternatives")}</p>
                                {grid(flow, &strings, String::new(), near)}
                            </div>
                        }
                    });
                    view! { {alternatives} {grid(flow, &strings, day.date, day.slots)} }.into_any()
                }
            }}
        </div>
    }
    .into_any())
}

fn grid(flow: RwSignal<crate::flow::Flow>, strings: &Strings, date: String, slots: Vec<SlotView>) -> impl IntoView {
    let buttons = slots
        .into_iter()
        .map(|slot| {
            let label = slot.local_time.clone();
            view! {
                <button type="button" class="hs-time" data-start=slot.start.clone()
                    on:click=move |_| flow.update(|f| f.choose_slot(slot.clone()))>{label}</button>
            }
        })
        .collect_view();
    view! { <div class="hs-grid" role="group" aria-label=strings.get("time") data-date=date>{buttons}</div> }
}
