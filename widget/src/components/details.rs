//! The details step: a summary, the client's details as the owner's contact step asks (name,
//! phone starting with the owner's country code, e-mail and comment each hidden, optional or
//! required, the privacy policy to accept, an optional marketing consent), and the confirm
//! button. Details remembered on this device fill the form, with "not you?" to forget them. The
//! chosen time is held for the client while they type; a time lost before or after the hold
//! goes back to the times with the nearest free ones.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use wasm_bindgen::JsValue;

use super::{feedback, membership, tracker, Booking};
use crate::api::Failure;
use crate::decode::ContactSettings;
use crate::{analytics, flow, format, remembered};
use homeslot_core::validation::calling_code;
use homeslot_core::wire::{BookingRequest, ClientDetails, HoldRequest, Money};

/// The codes that mean "this time was just taken" (for the chosen specialist, or for everyone).
fn is_gone(code: &str) -> bool {
    matches!(code, "slot_unavailable" | "no_free_specialist" | "class_full")
}

/// This step's rules, shipped with its chunk (the first screen does not carry them).
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/details.css"));

#[wasm_split(steps, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let strings = booking.strings.clone();
    let client = booking.client;
    let contact = ContactSettings::read(&booking.published);
    let company = booking.api.company.clone();
    let forget_company = company.clone();
    // An empty form starts with what this device remembers, else the owner's country code.
    let starting_phone = contact.phone_country.as_deref().and_then(calling_code).map(|code| format!("+{code} "));
    let remembered = RwSignal::new(false);
    if client.with_untracked(|c| c.name.is_empty() && c.phone.is_empty()) {
        match remembered::load(&company) {
            Some(saved) => {
                client.set(saved);
                remembered.set(true);
            }
            None => client.update(|c| c.phone = starting_phone.clone().unwrap_or_default()),
        }
    }
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
    // The visit's whole price with the edge's offers, the list price struck through (the edge's
    // confirmation has the final one: a first booking may pay less still).
    let chosen = booking.catalog.services.iter().chain(&booking.catalog.classes).filter(|s| services.contains(&s.id));
    let total = |offered: bool| {
        chosen.clone().next().map(|first| Money {
            amount_minor: chosen
                .clone()
                .map(|s| s.offer.as_ref().filter(|_| offered).map_or(&s.price, |o| &o.price).amount_minor)
                .sum(),
            ..first.price.clone()
        })
    };
    let price = total(true).map(|now| super::price_tag(&strings, &now, total(false).as_ref()));
    // Where the client came from goes with the booking, for the owner (never to the trackers).
    let came_from = booking.page.as_deref().and_then(flow::attribution);
    flow.update_untracked(|f| f.attribution = came_from);
    // A members-only service is booked with a membership, which the client checks here first.
    let members_only = chosen.clone().any(|s| s.members_only);
    let membership = members_only.then(|| membership::field(&booking, error));

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
    let tracked = booking.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() || flow.with_untracked(|f| f.slot.is_none()) {
            return;
        }
        // The client's e-mails are written in the language they booked in.
        let details = ClientDetails { language: Some(submit_strings.language.clone()), ..client.get_untracked() };
        let company = company.clone();
        let node = ev.target().map(JsValue::from).unwrap_or_default();
        tracker::send(&tracked, &node, &|context| flow.with_untracked(|f| analytics::contacts_sent(context, f)));
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
                crate::api::pause(50).await;
            }
            // The hold may have arrived meanwhile: send it (or learn the time is gone).
            let requests = flow.try_with_untracked(|f| {
                f.slot.as_ref()?;
                Some((f.booking_request(&details), f.visit_request(&details), f.class_request(&details)))
            });
            let answer = match requests.flatten() {
                Some((_, _, Some(request))) if class => match api.class_booking(&location, &request).await {
                    Ok(seat) if seat.status == "waitlisted" => {
                        let place = seat.waitlist_position.unwrap_or(1);
                        remembered::save(&company, &details);
                        client.try_set(ClientDetails::default());
                        flow.try_update(|f| f.waiting(seat.booking, place));
                        sending.try_set(false);
                        return;
                    }
                    answer => answer.map(|seat| seat.booking),
                },
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
                    // Kept on the device for next time; the form starts from it again (a
                    // comment and consents are for this booking only).
                    remembered::save(&company, &details);
                    client.try_set(ClientDetails::default());
                    flow.try_update(|f| f.confirmed(confirmation));
                }
                // The time is gone: for the chosen specialist, or for everyone ("any specialist").
                Err(Failure::Api(detail)) if is_gone(&detail.code) => {
                    flow.try_update(|f| f.slot_lost(&strings.get("slot_taken")));
                }
                Err(failure) => {
                    let field = if let Failure::Api(detail) = &failure { detail.field.clone() } else { None };
                    // Every membership refusal is shown under the membership's number.
                    let field =
                        field.map(|f| if f.starts_with(membership::FIELD) { membership::FIELD.into() } else { f });
                    // A malformed e-mail is `validation_failed` on its field: said in the
                    // client's words, not the edge's English.
                    let words = match &failure {
                        Failure::Api(d)
                            if d.code == "validation_failed" && field.as_deref() == Some("client.email") =>
                        {
                            strings.get("error_invalid_email")
                        }
                        _ => feedback::explain(&strings, &failure),
                    };
                    error.try_set(Some((field, words)));
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
            let shown = |f: &str| FIELDS.contains(&f) || (members_only && f == membership::FIELD);
            e.as_ref().filter(|(f, _)| !f.as_deref().is_some_and(shown)).map(|(_, m)| m.clone())
        })
    };
    // "E-mail" or "E-mail (optional)".
    let label = |text: String, mode: &str| {
        if mode == "required" {
            text
        } else {
            strings.fill("optional", &[("field", &text)])
        }
    };
    let email = (contact.email_field != "hidden").then(|| {
        let text = label(strings.get("email"), &contact.email_field);
        text_field(client, field_error("client.email"), text, "email", "email", EMAIL, "hs-error-email")
    });
    let comment = (contact.comment_field != "hidden").then(|| {
        let name = contact.comment_label.clone().unwrap_or_else(|| strings.get("comment"));
        let text = label(name, &contact.comment_field);
        let problem = field_error("client.comment");
        view! {
            <div class="hs-field">
                <label class="hs-label">
                    <span>{text}</span>
                    <textarea name="comment" rows="3" maxlength="500" aria-invalid=move || problem().is_some().to_string()
                        aria-describedby=move || problem().map(|_| "hs-error-comment")
                        prop:value=move || client.with(|c| c.comment.clone().unwrap_or_default())
                        on:input=move |ev| client.update(|c| c.comment = Some(event_target_value(&ev)))></textarea>
                </label>
                {explained(problem, "hs-error-comment")}
            </div>
        }
    });
    let privacy = contact.privacy_text.clone().map(|text| {
        let problem = field_error("client.privacy_accepted");
        let link = contact.privacy_url.clone().map(|url| {
            view! { " " <a href=url target="_blank" rel="noopener">{strings.get("privacy_link")}</a> }
        });
        view! {
            <div class="hs-consent">
                <label>
                    <input type="checkbox" name="privacy" aria-invalid=move || problem().is_some().to_string()
                        aria-describedby=move || problem().map(|_| "hs-error-privacy_accepted")
                        prop:checked=move || client.with(|c| c.privacy_accepted)
                        on:change=move |ev| client.update(|c| c.privacy_accepted = event_target_checked(&ev)) />
                    <span>{text}</span>
                </label>
                {link}
                {explained(problem, "hs-error-privacy_accepted")}
            </div>
        }
    });
    let marketing = contact.marketing_consent.then(|| {
        let text = strings.fill("marketing", &[("business", &booking.catalog.company.name)]);
        view! {
            <label class="hs-consent">
                <input type="checkbox" name="marketing" prop:checked=move || client.with(|c| c.marketing_consent)
                    on:change=move |ev| client.update(|c| c.marketing_consent = event_target_checked(&ev)) />
                <span>{text}</span>
            </label>
        }
    });
    // Remembered details: say whose they are, and let someone else book on this device.
    let not_me = {
        let strings = strings.clone();
        move || {
            remembered.get().then(|| {
                let whose = strings.fill("booking_as", &[("name", &client.with_untracked(|c| c.name.clone()))]);
                let (starting_phone, company) = (starting_phone.clone(), forget_company.clone());
                let forget = move |_| {
                    remembered::forget(&company);
                    client
                        .set(ClientDetails { phone: starting_phone.clone().unwrap_or_default(), ..Default::default() });
                    remembered.set(false);
                };
                view! {
                    <p class="hs-sub hs-remembered">{whose} " "
                        <button type="button" class="hs-link" on:click=forget>{strings.get("not_me")}</button>
                    </p>
                }
            })
        }
    };

    Ok(view! {
        <style>{STYLE}</style>
        {back}
        {super::title(booking.focus, strings.get("your_details"))}
        <p class="hs-summary">{summary}<span class="hs-total">{price}</span></p>
        {held}
        {not_me}
        <form class="hs-form" on:submit=submit novalidate>
            {text_field(client, field_error("client.name"), strings.get("name"), "name", "text", NAME, "hs-error-name")}
            {text_field(client, field_error("client.phone"), strings.get("phone"), "tel", "tel", PHONE, "hs-error-phone")}
            {membership}
            {email}
            {comment}
            {privacy}
            {marketing}
            {move || general_error().map(|m| view! { <p class="hs-problem" role="alert">{m}</p> })}
            <button type="submit" class="hs-button hs-confirm" disabled=move || sending.get()>
                {
                    let key = if flow.with_untracked(|f| f.waitlist) { "join_waitlist" } else { "confirm" };
                    let (busy, confirm) = (strings.get("booking_now"), strings.get(key));
                    move || if sending.get() { busy.clone() } else { confirm.clone() }
                }
            </button>
        </form>
    }
    .into_any())
}

/// How a text field reads and writes its detail.
type Detail = (fn(&ClientDetails) -> String, fn(&mut ClientDetails, String));
const NAME: Detail = (|c| c.name.clone(), |c, v| c.name = v);
const PHONE: Detail = (|c| c.phone.clone(), |c, v| c.phone = v);
const EMAIL: Detail = (|c| c.email.clone().unwrap_or_default(), |c, v| c.email = Some(v));

/// The fields whose errors are shown next to them; others are shown above the button.
const FIELDS: [&str; 5] = ["client.name", "client.phone", "client.email", "client.comment", "client.privacy_accepted"];

/// A labelled text input bound to one of the client's details (`autocomplete` also names it),
/// with the edge's error for it underneath.
fn text_field(
    client: RwSignal<ClientDetails>,
    problem: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
    label: String,
    autocomplete: &'static str,
    kind: &'static str,
    (get, set): Detail,
    error_id: &'static str,
) -> impl IntoView {
    view! {
        <div class="hs-field">
            <label class="hs-label">
                <span>{label}</span>
                <input type=kind name=autocomplete autocomplete=autocomplete maxlength="254"
                    aria-invalid=move || problem().is_some().to_string()
                    aria-describedby=move || problem().map(|_| error_id)
                    prop:value=move || client.with(get)
                    on:input=move |ev| client.update(|c| set(c, event_target_value(&ev))) />
            </label>
            {explained(problem, error_id)}
        </div>
    }
}

/// The edge's word on a field, under it (outside its label, so it is not part of the field's
/// name; the field points to it with `aria-describedby`). Ids are unique within the widget's
/// shadow root.
fn explained(problem: impl Fn() -> Option<String> + Send + Sync + 'static, id: &'static str) -> impl IntoView {
    move || problem().map(|m| view! { <span class="hs-field-error" id=id role="alert">{m}</span> })
}
