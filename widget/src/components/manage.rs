//! The client's own booking, opened from their manage link: what, when and where, and its status;
//! within the owner's notice they may cancel it, or move it to another free time with the same
//! specialist (the times step again, then a confirmation). After the notice, the view says so.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::fetched::Fetched;
use super::{feedback, lazy, times, Booking};
use crate::api::{Api, Failure};
use crate::flow::Flow;
use crate::format;
use crate::strings::Strings;
use homeslot_core::wire::{CatalogResponse, ManagedBooking};

/// What the manage view needs.
#[derive(Clone)]
pub(crate) struct Managing {
    pub api: Api,
    pub catalog: CatalogResponse,
    pub strings: Strings,
    /// The client's manage token: the only key to their booking.
    pub token: String,
    /// The host page's address, passed on to a new booking's manage link.
    pub page: Option<String>,
    pub focus: StoredValue<bool>,
    /// Cleared when the client leaves their booking to make a new one.
    pub done: RwSignal<Option<String>>,
}

/// The manage view's rules and the success screen's (a booking is shown the same way), shipped
/// with its chunk.
const STYLE: &str =
    concat!(include_str!(concat!(env!("OUT_DIR"), "/done.css")), include_str!(concat!(env!("OUT_DIR"), "/manage.css")));

#[wasm_split(manage, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(managing: Managing) -> Result<AnyView, SplitLoaderError> {
    let booking = Fetched::<ManagedBooking>::new();
    let load = {
        let (api, token) = (managing.api.clone(), managing.token.clone());
        move || {
            let (api, token) = (api.clone(), token.clone());
            booking.load(async move { api.managed(&token).await });
        }
    };
    load();
    // True while the client chooses a new time.
    let moving = RwSignal::new(false);
    let strings = managing.strings.clone();
    let shown = move || match booking.get() {
        None => feedback::skeleton(&strings).into_any(),
        // The same answer for a mistyped, forged or erased link: nothing to retry.
        Some(Err(Failure::Api(detail))) if detail.code == "not_found" => {
            let leave = managing.done;
            view! {
                <p class="hs-problem" role="alert">{strings.get("manage_not_found")}</p>
                <button type="button" class="hs-back" on:click=move |_| leave.set(None)>{strings.get("new_booking")}</button>
            }
            .into_any()
        }
        Some(Err(failure)) => feedback::problem(&strings, failure, load.clone()).into_any(),
        Some(Ok(managed)) if moving.get() => new_time(&managing, booking, moving, &managed).into_any(),
        Some(Ok(managed)) => card(&managing, booking, moving, managed).into_any(),
    };
    Ok(view! { <style>{STYLE}</style> {shown} }.into_any())
}

/// The booking as it stands, and what the client may do with it.
fn card(
    managing: &Managing,
    booking: Fetched<ManagedBooking>,
    moving: RwSignal<bool>,
    managed: ManagedBooking,
) -> impl IntoView {
    let strings = managing.strings.clone();
    let done = &managed.booking;
    let location = managing.catalog.locations.iter().find(|l| l.id == done.location_id);
    let when = format!("{}, {}", format::date(&done.local_date, true, &strings.language), done.local_time);
    let status = match (managed.status.as_str(), managed.waitlist_position) {
        ("cancelled", _) => strings.get("status_cancelled"),
        ("waitlisted", Some(position)) => strings.fill("status_waitlisted", &[("position", &position.to_string())]),
        _ => strings.get("status_confirmed"),
    };
    let open = managed.status != "cancelled";
    // Within the notice the edge refuses a change anyway; the view says so up front.
    let now = String::from(js_sys::Date::new_0().to_iso_string());
    let changeable = open && now.get(..19) < managed.changeable_until.get(..19);
    // Only a one-to-one booking at a location still offered can move (not a class seat, nor a
    // part of a visit of several services).
    let movable = changeable
        && !managed.in_visit
        && managed.status == "confirmed"
        && location.is_some()
        && managing.catalog.services.iter().any(|s| s.id == done.service_id);
    let until = format::moment(&managed.changeable_until, &done.time_zone, &strings.language);
    let rules = if changeable {
        strings.fill("changeable_until", &[("time", &until)])
    } else if open {
        strings.get("too_late")
    } else {
        String::new()
    };

    // Cancelling asks once more first.
    let asking = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let cancel = {
        let (api, token, strings) = (managing.api.clone(), managing.token.clone(), strings.clone());
        move |_| {
            let (api, token, strings) = (api.clone(), token.clone(), strings.clone());
            sending.set(true);
            spawn_local(async move {
                match api.cancel(&token).await {
                    Ok(cancelled) => booking.load(async move { Ok(cancelled) }),
                    Err(failure) => {
                        error.try_set(Some(feedback::explain(&strings, &failure)));
                        sending.try_set(false);
                    }
                }
            });
        }
    };
    let actions = changeable.then(|| {
        let strings = strings.clone();
        view! {
            <div class="hs-actions">
                {movable.then(|| view! {
                    <button type="button" class="hs-button hs-move" on:click=move |_| moving.set(true)>{strings.get("change_time")}</button>
                })}
                {move || if asking.get() {
                    view! {
                        <p class="hs-sub">{strings.get("cancel_confirm")}</p>
                        <button type="button" class="hs-button hs-cancel-yes" disabled=move || sending.get()
                            on:click=cancel.clone()>{strings.get("cancel_yes")}</button>
                        <button type="button" class="hs-back" on:click=move |_| asking.set(false)>{strings.get("keep")}</button>
                    }
                    .into_any()
                } else {
                    view! {
                        <button type="button" class="hs-back hs-cancel" on:click=move |_| asking.set(true)>{strings.get("cancel_booking")}</button>
                    }
                    .into_any()
                }}
            </div>
        }
    });
    // Reminders by e-mail, when the client gave an address: theirs to turn off (and on again).
    let reminders = managed.reminders.filter(|_| open && managed.status == "confirmed").map(|on| {
        let (api, token, strings) = (managing.api.clone(), managing.token.clone(), strings.clone());
        let label = strings.get("remind_me");
        view! {
            <label class="hs-remind">
                <input type="checkbox" prop:checked=on disabled=move || sending.get() on:change=move |ev| {
                    let (api, token, strings) = (api.clone(), token.clone(), strings.clone());
                    let wanted = event_target_checked(&ev);
                    sending.set(true);
                    spawn_local(async move {
                        match api.reminders(&token, wanted).await {
                            Ok(changed) => booking.load(async move { Ok(changed) }),
                            Err(failure) => {
                                error.try_set(Some(feedback::explain(&strings, &failure)));
                                sending.try_set(false);
                            }
                        }
                    });
                }/>
                {label}
            </label>
        }
    });
    let leave = managing.done;
    view! {
        <div class="hs-done hs-manage">
            {super::title(managing.focus, strings.get("your_booking"))}
            <p class="hs-status" data-status=managed.status.clone() role="status">{status}</p>
            <p class="hs-done-what">{strings.fill("with", &[("service", &done.service_name), ("specialist", &done.specialist_name)])}</p>
            <p class="hs-done-when">{when}</p>
            {location.map(|l| view! { <p class="hs-done-where">{l.name.clone()} <br/> {l.address.clone()}</p> })}
            <p class="hs-done-price">{super::price_tag(&strings, &done.price, done.original_price.as_ref())}</p>
            {done.discount.as_ref().map(|d| view! { <p class="hs-offer">{d.name.clone()}</p> })}
            {managed.in_visit.then(|| view! { <p class="hs-sub">{strings.get("visit_part")}</p> })}
            <p class="hs-sub">{rules}</p>
            {reminders}
            {actions}
            {move || error.get().map(|m| view! { <p class="hs-problem" role="alert">{m}</p> })}
            <button type="button" class="hs-back" on:click=move |_| leave.set(None)>{strings.get("new_booking")}</button>
        </div>
    }
}

/// Choosing the booking's new time: the times of its service with its specialist, then "move to
/// …?". A time taken meanwhile goes back to the times with the nearest free ones.
fn new_time(
    managing: &Managing,
    booking: Fetched<ManagedBooking>,
    moving: RwSignal<bool>,
    managed: &ManagedBooking,
) -> impl IntoView {
    let done = &managed.booking;
    let Some(location) = managing.catalog.locations.iter().find(|l| l.id == done.location_id).cloned() else {
        return ().into_any();
    };
    let strings = managing.strings.clone();
    let flow = RwSignal::new(Flow::reschedule(&done.service_id, &done.specialist_id, &done.local_date));
    let times = Booking {
        api: managing.api.clone(),
        catalog: managing.catalog.clone(),
        categories: Vec::new(),
        flow,
        client: RwSignal::new(Default::default()),
        strings: strings.clone(),
        first_date: location.today.clone(),
        // The client has moved within the widget: the times' heading takes the focus.
        focus: StoredValue::new(true),
        chain: None,
        moving: Some(moving),
        page: managing.page.clone(),
        published: String::new(),
        location,
    };
    let chosen = Memo::new(move |_| flow.with(|f| f.slot.clone()));
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let (api, token) = (managing.api.clone(), managing.token.clone());
    (move || match chosen.get() {
        None => {
            let times = times.clone();
            lazy::step(strings.clone(), || Box::pin(times::load()), Box::new(move || Box::pin(times::view(times.clone()))))
                .into_any()
        }
        Some(slot) => {
            let date = flow.with_untracked(|f| f.date.clone()).unwrap_or_default();
            let when = format!("{}, {}", format::date(&date, true, &strings.language), slot.local_time);
            let (api, token, strings) = (api.clone(), token.clone(), strings.clone());
            let confirm_strings = strings.clone();
            let confirm = move |_| {
                let (api, token, strings, start) = (api.clone(), token.clone(), confirm_strings.clone(), slot.start.clone());
                sending.set(true);
                error.set(None);
                spawn_local(async move {
                    match api.reschedule(&token, &start).await {
                        Ok(moved) => {
                            moving.try_set(false);
                            booking.load(async move { Ok(moved) });
                        }
                        Err(Failure::Api(detail)) if detail.code == "slot_unavailable" => {
                            flow.try_update(|f| f.slot_lost(&strings.get("slot_taken")));
                        }
                        Err(failure) => {
                            error.try_set(Some(feedback::explain(&strings, &failure)));
                        }
                    }
                    sending.try_set(false);
                });
            };
            view! {
                <button type="button" class="hs-back" on:click=move |_| flow.update(Flow::back)>{strings.get("back_times")}</button>
                {super::title(StoredValue::new(true), strings.fill("move_to", &[("when", &when)]))}
                {move || error.get().map(|m| view! { <p class="hs-problem" role="alert">{m}</p> })}
                <button type="button" class="hs-button hs-move-confirm" disabled=move || sending.get() on:click=confirm>
                    {strings.get("move")}
                </button>
            }
            .into_any()
        }
    })
    .into_any()
}
