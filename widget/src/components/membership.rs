//! The membership a members-only booking is paid with. In the details step the client types its
//! number and checks it with the phone of the form; the widget then shows the membership's name,
//! what is left on it and until when, before the client commits. The success screen shows what
//! is left after the booking. The edge decides every time (`POST …/memberships/check`, and again
//! when confirming): the widget only shows its answers.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{feedback, Booking};
use crate::format;
use crate::strings::Strings;
use homeslot_core::wire::MembershipView;

/// The field's problem, as the details step keeps it: the field at fault and what to say.
pub(super) type Problem = RwSignal<Option<(Option<String>, String)>>;

/// The field the details step files every membership refusal under (the edge names
/// `membership` or `membership.number`).
pub(super) const FIELD: &str = "membership";

/// The number field, its "check" button, and the membership as its holder sees it once checked.
/// A refusal (each with its own words: expired, no balance, not for this service, …) is filed in
/// `problem` under [`FIELD`] and shown under the number.
pub(super) fn field(booking: &Booking, problem: Problem) -> impl IntoView {
    let (flow, client, strings) = (booking.flow, booking.client, booking.strings.clone());
    let checked = RwSignal::new(None::<MembershipView>);
    let checking = RwSignal::new(false);
    let api = booking.api.clone();
    let check_strings = strings.clone();
    let check = move |_| {
        let (number, services, date) =
            flow.with_untracked(|f| (f.membership.clone().unwrap_or_default(), f.service_ids(), f.date.clone()));
        let phone = client.with_untracked(|c| c.phone.clone());
        let (api, strings) = (api.clone(), check_strings.clone());
        checking.set(true);
        checked.set(None);
        problem.set(None);
        spawn_local(async move {
            match api.membership(&number, &phone, &services, &date.unwrap_or_default()).await {
                Ok(membership) => {
                    checked.try_set(Some(membership));
                }
                Err(failure) => {
                    problem.try_set(Some((Some(FIELD.into()), feedback::explain(&strings, &failure))));
                }
            }
            checking.try_set(false);
        });
    };
    let message =
        move || problem.with(|p| p.as_ref().filter(|(f, _)| f.as_deref() == Some(FIELD)).map(|(_, m)| m.clone()));
    let card_strings = strings.clone();
    let card = move || {
        checked.get().map(|m| {
            view! {
                <p class="hs-membership-card" role="status">
                    <strong>{m.name.clone()}</strong> <span>{left(&card_strings, &m)}</span> <span>{until(&card_strings, &m)}</span>
                </p>
            }
        })
    };
    view! {
        <fieldset class="hs-membership">
            <legend>{strings.get("membership")}</legend>
            <p class="hs-sub">{strings.get("membership_hint")}</p>
            <div class="hs-field">
                <label class="hs-label" for="hs-membership-number">{strings.get("membership_number")}</label>
                <div class="hs-membership-row">
                    <input id="hs-membership-number" name="membership" autocomplete="off" maxlength="40"
                        aria-invalid=move || message().is_some().to_string()
                        aria-describedby=move || message().map(|_| "hs-error-membership")
                        prop:value=move || flow.with(|f| f.membership.clone().unwrap_or_default())
                        on:input=move |ev| {
                            checked.set(None);
                            flow.update(|f| f.membership = Some(event_target_value(&ev)));
                        } />
                    <button type="button" class="hs-button hs-check" disabled=move || checking.get() on:click=check>
                        {strings.get("check_membership")}
                    </button>
                </div>
                {move || message().map(|m| view! { <span class="hs-field-error" id="hs-error-membership" role="alert">{m}</span> })}
            </div>
            {card}
        </fieldset>
    }
}

/// What is left on a membership: "7 visits left", "Balance: £40.00", or "Unlimited".
pub(super) fn left(strings: &Strings, membership: &MembershipView) -> String {
    match (membership.visits_left, &membership.balance) {
        (Some(count), _) => strings.count("membership_visits_left", count),
        (None, Some(money)) => {
            strings.fill("membership_balance", &[("amount", &format::price(money, &strings.language))])
        }
        (None, None) => strings.get("membership_unlimited"),
    }
}

/// "Valid until 31 May 2027", or nothing for a membership without an end.
pub(super) fn until(strings: &Strings, membership: &MembershipView) -> Option<String> {
    let date = membership.valid_until.as_deref()?;
    Some(strings.fill("membership_valid_until", &[("date", &format::day_of_year(date, &strings.language))]))
}
