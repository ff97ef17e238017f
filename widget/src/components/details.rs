//! The details step: a summary, the client's name and phone, and the confirm button. The chosen
//! time is held for the client while they type; a time lost before or after the hold goes back
//! to the times with the nearest free ones.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::{feedback, Booking};
use crate::api::Failure;
use crate::{flow, format};
use homeslot_core::wire::{BookingRequest, HoldRequest, Money};

/// The codes that mean "this time was just taken" (for the chosen specialist, or for everyone).
fn is_gone(code: &str) -> bool {
    matches!(code, "slot_unavailable" | "no_free_specialist" | "class_full")
}

#[wasm_split(details, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let strings = booking.strings.clone();
    let (name, phone) = (booking.name, booking.phone);
    // The field at fault (a JSON path such as "client.phone") and what to tell the client.
    let error = RwSignal::new(None::<(Option<String>, String)>);
    let sending = RwSignal::new(false);

    let (services, slot, date, visit, class) = flow.with_untracked(|f| {
        (f.service_ids(), f.slot.clone(), f.date.clone().unwrap_or_default(), f.is_visit(), f.class)
    });
    let summary = format!(
        "{} · {}, {}",
        booking.names(&services),
        format::date(&date, true, &strings.language),
        slot.as_ref().map(|s| s.local_time.as_str()).unwrap_or_default()
    );
    // The visit's whole price (the edge's confirmation has the final one).
    let chosen = booking.catalog.services.iter().chain(&booking.catalog.classes).filter(|s| services.contains(&s.id));
    let price = chosen.clone().next().map(|first| Money {
        amount_minor: chosen.map(|s| s.price.amount_minor).sum(),
        currency: first.price.currency.clone(),
    });
    let price = price.map(|p| format::price(&p, &strings.language)).unwrap_or_default();

    // Hold the time while the client types (one service: the edge holds one-to-one bookings). A
    // time already gone is said at once; a hold that cannot be placed for another reason
    // (offline) leaves the confirmation to decide.
    // Whether the hold request has answered: a confirmation waits for it, or it would race the
    // client's own hold (and lose to it).
    let hold_settled = RwSignal::new(true);
    if !visit && !class && flow.with_untracked(|f| f.hold.is_none()) {
        hold_settled.set(false);
        let request = flow.with_untracked(|f| HoldRequest {
            service_id: f.service_id.clone().unwrap_or_default(),
            start: f.slot.as_ref().map(|s| s.start.clone()).unwrap_or_default(),
            specialist_id: f.specialist.clone().flatten(),
        });
        let (api, location, strings) = (booking.api.clone(), booking.location.id.clone(), strings.clone());
        spawn_local(async move {
            match api.hold(&location, &request).await {
                Ok(hold) => {
                    flow.try_update(|f| f.held(&hold.hold_id, &hold.expires_at));
                }
                Err(Failure::Api(detail)) if is_gone(&detail.code) => {
                    flow.try_update(|f| f.slot_lost(&strings.get("slot_taken")));
                }
                Err(_) => {}
            }
            hold_settled.try_set(true);
        });
    }
    let held = {
        let strings = strings.clone();
        move || {
            flow.with(|f| f.hold.as_ref().map(|(_, until)| format::clock(until, &strings.language)))
                .map(|time| view! { <p class="hs-held">{strings.fill("held", &[("time", &time)])}</p> })
        }
    };

    let back = super::back(&booking);
    let submit_strings = strings.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() || flow.with_untracked(|f| f.slot.is_none()) {
            return;
        }
        let (name, phone) = (name.get_untracked(), phone.get_untracked());
        sending.set(true);
        error.set(None);
        let (api, location, strings) = (booking.api.clone(), booking.location.id.clone(), submit_strings.clone());
        spawn_local(async move {
            // A client quicker than the hold's answer: wait for it (a few hundred ms at most;
            // an unreachable edge answers the hold with an error just as fast).
            for _ in 0..200 {
                if hold_settled.try_get_untracked() != Some(false) {
                    break;
                }
                pause(50).await;
            }
            // The hold may have arrived meanwhile: send it (or learn the time is gone).
            let requests = flow.try_with_untracked(|f| {
                f.slot.as_ref()?;
                Some((f.booking_request(&name, &phone), f.visit_request(&name, &phone), f.class_request(&name, &phone)))
            });
            let answer = match requests.flatten() {
                Some((_, _, Some(request))) if class => {
                    api.class_booking(&location, &request).await.map(|seat| seat.booking)
                }
                Some((_, Some(request), _)) if visit => match api.visit(&location, &request).await {
                    Ok(booked) => flow::visit_confirmation(booked).ok_or(Failure::Unexpected),
                    Err(failure) => Err(failure),
                },
                Some((Some(request), _, _)) => {
                    let answer = api.book(&location, &request).await;
                    // The hold ran out while the client typed: the time may still be free.
                    if matches!(&answer, Err(Failure::Api(d)) if d.code == "hold_expired") {
                        api.book(&location, &BookingRequest { hold_id: None, ..request }).await
                    } else {
                        answer
                    }
                }
                _ => {
                    sending.try_set(false);
                    return;
                }
            };
            match answer {
                Ok(confirmation) => {
                    flow.try_update(|f| f.confirmed(confirmation));
                }
                // The time is gone: for the chosen specialist, or for everyone ("any specialist").
                Err(Failure::Api(detail)) if is_gone(&detail.code) => {
                    flow.try_update(|f| f.slot_lost(&strings.get("slot_taken")));
                }
                Err(failure) => {
                    let field = if let Failure::Api(detail) = &failure { detail.field.clone() } else { None };
                    error.try_set(Some((field, feedback::explain(&strings, &failure))));
                }
            }
            sending.try_set(false);
        });
    };

    let field_error = move |field: &'static str| {
        move || error.with(|e| e.as_ref().filter(|(f, _)| f.as_deref() == Some(field)).map(|(_, m)| m.clone()))
    };
    let general_error = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|(f, _)| !matches!(f.as_deref(), Some("client.name" | "client.phone")))
                .map(|(_, m)| m.clone())
        })
    };

    Ok(view! {
        {back}
        {super::title(booking.focus, strings.get("your_details"))}
        <p class="hs-summary">{summary}<span class="hs-price">{price}</span></p>
        {held}
        <form class="hs-form" on:submit=submit novalidate>
            <label class="hs-field">
                <span>{strings.get("name")}</span>
                <input type="text" name="name" autocomplete="name" required maxlength="100"
                    aria-invalid=move || field_error("client.name")().is_some().to_string()
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                {move || field_error("client.name")().map(|m| view! { <span class="hs-field-error" role="alert">{m}</span> })}
            </label>
            <label class="hs-field">
                <span>{strings.get("phone")}</span>
                <input type="tel" name="phone" autocomplete="tel" inputmode="tel" required placeholder="+44 7700 900123"
                    aria-invalid=move || field_error("client.phone")().is_some().to_string()
                    prop:value=phone on:input=move |ev| phone.set(event_target_value(&ev)) />
                {move || field_error("client.phone")().map(|m| view! { <span class="hs-field-error" role="alert">{m}</span> })}
            </label>
            {move || general_error().map(|m| view! { <p class="hs-problem" role="alert">{m}</p> })}
            <button type="submit" class="hs-button hs-confirm" disabled=move || sending.get()>
                {
                    let (busy, confirm) = (strings.get("booking_now"), strings.get("confirm"));
                    move || if sending.get() { busy.clone() } else { confirm.clone() }
                }
            </button>
        </form>
    }
    .into_any())
}

/// Waits `ms` milliseconds (a browser timer).
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
