//! Step 2: a date strip (only dates with a free time can be chosen) and the free times of the
//! chosen date.

use std::time::Duration;

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use wasm_bindgen::JsValue;

use super::fetched::Fetched;
use super::{feedback, tracker, Booking};
use crate::analytics;
use crate::api::{Api, Failure};
use crate::decode;
use crate::flow::{date_strip, nearest, part_of_day, Flow};
use crate::format;
use crate::strings::Strings;
use homeslot_core::wire::{FirstSlots, SlotView, SlotsResponse, STRIP_DAYS};

/// This step's rules, shipped with its chunk (the first screen does not carry them).
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/times.css"));

#[wasm_split(steps, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let strings = booking.strings.clone();
    let (services, class) = flow.with_untracked(|f| (f.service_ids(), f.class));
    let service_name = booking.names(&services);
    let slots = Fetched::new();
    // Loads the times of the date the flow is on; called on entry, on a date change and on retry.
    // Each answer also says which of the strip's dates have a free time (the others are disabled);
    // on entry, if the flow's date has none, it moves on to the first date that has.
    let load = {
        let asked = Asked {
            api: booking.api.clone(),
            location: booking.location.id.clone(),
            today: booking.location.today.clone(),
            services: services.clone(),
            class,
            // On the page's first screen, the times the catalog carries for it (the edge reads
            // the page's preselection): drawn at once, without a request and a frame of skeleton.
            first: StoredValue::new(
                (!booking.focus.get_value()).then(|| decode::first_slots(&booking.published)).flatten(),
            ),
        };
        move || {
            let (date, entering, specialist) = flow.with_untracked(|f| {
                (f.date.clone().unwrap_or_default(), f.open_dates.is_empty(), f.times_for().map(str::to_string))
            });
            // Asked now, so the answer travels while the view is built; on entry, an answer for the
            // next open date if this one has none (one request, not two).
            let day = asked.free_times(&date, specialist.as_deref(), entering);
            slots.load(async move {
                let answer = day.await;
                if let Ok((day, _)) = &answer {
                    flow.update(|f| {
                        f.open_dates.clone_from(&day.open_dates);
                        if day.date != date {
                            f.choose_date(&day.date);
                        }
                    });
                }
                answer
            });
        }
    };
    load();
    let tracked = StoredValue::new(booking.clone());
    // The strip's labels come from the browser's Intl, whose first formatter on a page loads its
    // locale data: ~20 ms of a laptop's main thread, ~100 ms of a phone's. On the page's first
    // screen the times come first, and the strip once they are painted, in a box kept at its
    // height by a hidden button of the same style, so nothing moves. (For such a page the loader
    // does not warm Intl up, which would hold the times back as long.)
    let labelled = RwSignal::new(booking.focus.get_value());
    if !labelled.get_untracked() {
        request_animation_frame(move || set_timeout(move || _ = labelled.try_set(true), Duration::ZERO));
    }
    let strip = {
        let (booking, load) = (booking.clone(), load.clone());
        move || {
            if !labelled.get() {
                return view! {
                    <button type="button" class="hs-date" disabled tabindex="-1" aria-hidden="true"
                        style="visibility:hidden">"\u{a0}"</button>
                }
                .into_any();
            }
            date_strip(&booking.location.today, booking.location.horizon_days, STRIP_DAYS)
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
                            on:click=move |ev| {
                                flow.update(|f| f.choose_date(&date));
                                tracked.with_value(|booking| {
                                    let node = ev.target().map(JsValue::from).unwrap_or_default();
                                    tracker::send(booking, &node, &|context| flow.with_untracked(|f| analytics::date_selected(context, f, &date)));
                                });
                                load();
                            }>{label}</button>
                    }
                })
                .collect_view()
                .into_any()
        }
    };
    Ok(view! {
        <style>{STYLE}</style>
        {super::back(&booking)}
        {super::title(booking.focus, strings.get("choose_time"))}
        <p class="hs-sub">{service_name}</p>
        {move || flow.with(|f| f.notice.clone()).map(|notice| view! { <p class="hs-notice" role="alert">{notice}</p> })}
        <div class="hs-dates" role="group" aria-label=strings.get("date")>{strip}</div>
        <div class="hs-times" aria-live="polite">
            // Loading a date clears the previous answer, so the previous date's times are never
            // shown under the new date (a client could pick one believing it is on the new date).
            {move || match slots.get() {
                None => feedback::skeleton(&strings).into_any(),
                Some(Err(failure)) => feedback::problem(&strings, failure, load.clone()).into_any(),
                Some(Ok((day, _))) if day.slots.is_empty() => {
                    view! { <p class="hs-empty">{strings.get("no_times")}</p> }.into_any()
                }
                Some(Ok((day, seats))) => {
                    // After a lost time, the free times nearest to it first.
                    let lost = flow.with_untracked(|f| f.lost.clone());
                    let near = lost.map(|lost| nearest(&day.slots, &lost, 3)).filter(|n| !n.is_empty());
                    let alternatives = near.map(|near| {
                        let near = near.into_iter().map(|slot| (slot, None)).collect();
                        view! {
                            <div class="hs-nearest">
                                <p class="hs-sub">{strings.get("alternatives")}</p>
                                <div class="hs-grid">{slots_of(flow, &strings, strings.get("alternatives"), near)}</div>
                            </div>
                        }
                    });
                    let times = day.slots.into_iter().zip(seats.into_iter().map(Some).chain(std::iter::repeat(None)));
                    view! { {alternatives} {grid(flow, &strings, day.date, times.collect())} }.into_any()
                }
            }}
        </div>
    }
    .into_any())
}

/// What the times are asked for: the location, its today (a class's sessions are read for the
/// strip's days at once), and the service, the visit's services, or the class.
#[derive(Clone)]
struct Asked {
    api: Api,
    location: String,
    today: String,
    services: Vec<String>,
    class: bool,
    /// The first screen's times from the catalog, used (if they are what is asked) by the first
    /// request only: a later one, even of the same date, asks the edge again.
    first: StoredValue<Option<FirstSlots>>,
}

impl Asked {
    /// The free times of one date, and for a class the seats left in each session (same order):
    /// of the service; of the visit's services one after another (whose answer has no calendar:
    /// every date of the strip stays open); or the class's sessions with a seat. With `next_open`,
    /// a service's or a class's date without a free time is answered for the next date that has
    /// one (the answer's `date`). The request is sent when this is called, not when awaited.
    fn free_times(&self, date: &str, specialist: Option<&str>, next_open: bool) -> FreeTimes {
        let (api, location, date) = (&self.api, self.location.as_str(), date.to_string());
        match self.services.as_slice() {
            [class] if self.class => {
                let found = api.classes(location, class, &self.today, STRIP_DAYS);
                Box::pin(async move {
                    let found = found.await?;
                    // Sessions with a seat, and full ones whose waiting list has room.
                    let open: Vec<_> =
                        found.sessions.into_iter().filter(|s| s.seats_left > 0 || s.waitlist_open).collect();
                    let mut open_dates: Vec<String> = open.iter().map(|s| s.local_date.clone()).collect();
                    open_dates.dedup();
                    let date = match open_dates.iter().find(|d| **d >= date) {
                        Some(next) if next_open => next.clone(),
                        _ => date,
                    };
                    let (slots, seats) = open
                        .into_iter()
                        .filter(|s| s.local_date == date)
                        .map(|s| {
                            let slot = SlotView {
                                start: s.start,
                                local_time: s.local_time,
                                specialist_ids: vec![s.specialist_id],
                            };
                            (slot, s.seats_left)
                        })
                        .unzip();
                    let day = SlotsResponse {
                        location_id: found.location_id,
                        service_id: found.service_id,
                        date,
                        time_zone: found.time_zone,
                        slots,
                        open_dates,
                    };
                    Ok((day, seats))
                })
            }
            [service] => {
                let first = self.first.try_update_value(Option::take).flatten().filter(|first| {
                    let answer = &first.answer;
                    next_open
                        && (first.date.as_str(), first.specialist_id.as_deref()) == (date.as_str(), specialist)
                        && (answer.service_id.as_str(), answer.location_id.as_str()) == (service.as_str(), location)
                });
                if let Some(first) = first {
                    return Box::pin(async move { Ok((first.answer, Vec::new())) });
                }
                let day = api.slots(location, service, &date, specialist, next_open);
                Box::pin(async move { Ok((day.await?, Vec::new())) })
            }
            services => {
                let visit = api.visit_slots(location, services, &date, specialist);
                let services = services.join(",");
                Box::pin(async move {
                    let visit = visit.await?;
                    let slots = visit
                        .slots
                        .into_iter()
                        .map(|s| SlotView {
                            start: s.start,
                            local_time: s.local_time,
                            specialist_ids: s.parts.into_iter().map(|p| p.specialist_id).collect(),
                        })
                        .collect();
                    let day = SlotsResponse {
                        location_id: visit.location_id,
                        service_id: services,
                        date: visit.date,
                        time_zone: visit.time_zone,
                        slots,
                        open_dates: Vec::new(),
                    };
                    Ok((day, Vec::new()))
                })
            }
        }
    }
}

/// A date's free times on their way (see [`Asked::free_times`]).
type FreeTimes = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(SlotsResponse, Vec<u32>), Failure>>>>;

/// A date's times in morning, afternoon and evening groups (by the location's clock), each
/// named for a screen reader and on screen.
fn grid(flow: RwSignal<Flow>, strings: &Strings, date: String, times: Vec<(SlotView, Option<u32>)>) -> impl IntoView {
    let mut parts: [Vec<(SlotView, Option<u32>)>; 3] = Default::default();
    for time in times {
        parts[part_of_day(&time.0.local_time)].push(time);
    }
    let groups = ["morning", "afternoon", "evening"]
        .into_iter()
        .zip(parts)
        .filter(|(_, times)| !times.is_empty())
        .map(|(key, times)| {
            let name = strings.get(key);
            view! {
                <p class="hs-part" aria-hidden="true">{name.clone()}</p>
                {slots_of(flow, strings, name, times)}
            }
        })
        .collect_view();
    view! { <div class="hs-grid" data-date=date>{groups}</div> }
}

/// One group of time buttons; a class session also says how many spots are left.
fn slots_of(
    flow: RwSignal<Flow>,
    strings: &Strings,
    name: String,
    times: Vec<(SlotView, Option<u32>)>,
) -> impl IntoView {
    let buttons = times
        .into_iter()
        .map(|(slot, seats)| {
            let label = slot.local_time.clone();
            // A class session says how many spots are left; a full one offers its waiting list.
            let full = seats == Some(0);
            let seats = seats.map(|n| {
                let text = if full { strings.get("waitlist_open") } else { strings.count("spots_left", n) };
                view! { <span class="hs-seats">{text}</span> }
            });
            view! {
                <button type="button" class="hs-time" data-start=slot.start.clone()
                    on:click=move |_| flow.update(|f| if full { f.choose_waitlist(slot.clone()) } else { f.choose_slot(slot.clone()) })>
                    {label}{seats}
                </button>
            }
        })
        .collect_view();
    view! { <div class="hs-slots" role="group" aria-label=name>{buttons}</div> }
}
