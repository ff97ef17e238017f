//! A booking opened from the calendar: the client and how to reach them, their comment and
//! consents, what they pay and how, where they came from, and every change since it was made,
//! with who made it, and the e-mails it owes with what became of each. And what the business can do: mark the client arrived or a no-show, move
//! the booking (the keyboard's way to drag it; an owner or a manager also outside the rules), or
//! cancel it with a reason.

use leptos::prelude::*;

use homeslot_core::agenda::{Attendance, BookingDetail, MoveBooking};
use homeslot_core::report::channel_name;

use super::outside_rules::{ConfirmOutsideRules, OutsideRulesChoice};
use super::use_place;
use crate::api::{self, Problem};
use crate::dates::{instant_in, when};
use crate::pages::{money_text, FormProblem};

#[component]
pub fn BookingPanel(id: String, opened: RwSignal<Option<String>>, may_change: bool) -> impl IntoView {
    let place = use_place();
    let (company, location) = (place.company.get_untracked(), place.location.get_untracked());
    let (detail, set_detail) = signal(None::<Result<BookingDetail, Problem>>);
    let (problem, set_problem) = signal(None::<Problem>);
    {
        let (company, location, id) = (company.clone(), location.clone(), id.clone());
        leptos::task::spawn_local(async move { set_detail.set(Some(api::booking(company, location, id).await)) });
    }
    // Every change answers the booking as it is now: shown at once, and the day asked again.
    let changed = move |answer: Result<BookingDetail, Problem>| match answer {
        Ok(now) => {
            set_problem.set(None);
            set_detail.set(Some(Ok(now)));
            place.reload.run(());
        }
        Err(error) => set_problem.set(Some(error)),
    };
    let ids = StoredValue::new((company, location, id));
    let mark = Action::new_local(move |attendance: &Option<Attendance>| {
        let (company, location, id) = ids.get_value();
        api::mark(company, location, id, *attendance)
    });
    let cancel = Action::new_local(move |reason: &String| {
        let (company, location, id) = ids.get_value();
        api::cancel_booking(company, location, id, reason.clone())
    });
    let move_to = Action::new_local(move |to: &MoveBooking| {
        let (company, location, id) = ids.get_value();
        api::move_booking(company, location, id, to.clone())
    });
    Effect::new(move |_| mark.value().get().map(changed));
    Effect::new(move |_| cancel.value().get().map(changed));
    Effect::new(move |_| move_to.value().get().map(changed));
    let (reason, set_reason) = signal(String::new());
    let (moving, set_moving) = signal(false);

    let shown = move || {
        detail.get().map(|answer| match answer {
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            Ok(d) => {
                let b = &d.booking;
                let live = b.status == "confirmed";
                let paid = match (&b.price, &b.membership_number) {
                    (_, Some(number)) => format!("Membership {number}"),
                    (Some(price), None) => money_text(price),
                    (None, None) => "Catalog price".into(),
                };
                let discount = d.discount.clone().map(|name| {
                    let before = d.original_price.as_ref().map(money_text).unwrap_or_default();
                    format!("{name} (was {before})")
                });
                let source = d.attribution.as_ref().map(|a| {
                    a.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
                });
                let channel = channel_name(&b.channel);
                let made = match &d.made_by {
                    Some(name) => format!("{channel}, by {name}, {}", when(&d.created_at)),
                    None => format!("{channel}, {}", when(&d.created_at)),
                };
                let status = match (b.status.as_str(), b.attendance.as_deref()) {
                    ("cancelled", _) => "Cancelled",
                    (_, Some("arrived")) => "Arrived",
                    (_, Some("no_show")) => "No-show",
                    _ => "Expected",
                };
                view! {
                    <h2 id="booking-title">{format!("{} — {}", b.client_name, b.service_name)}</h2>
                    <dl class="facts">
                        <dt>"When"</dt><dd>{format!("{} {}–{}", d.date, b.span.local_start, b.span.local_end)}</dd>
                        <dt>"With"</dt><dd>{d.specialist_name.clone()}</dd>
                        <dt>"Status"</dt><dd>{status}{d.cancel_reason.clone().map(|r| format!(": {r}"))}</dd>
                        <dt>"Phone"</dt><dd><a href=format!("tel:{}", b.client_phone)>{b.client_phone.clone()}</a></dd>
                        {b.comment.clone().map(|c| view! { <dt>"Comment"</dt><dd>{c}</dd> })}
                        <dt>"Pays"</dt><dd>{paid}{discount.map(|d| format!(" · {d}"))}</dd>
                        <dt>"Consents"</dt><dd>{consents(&d)}</dd>
                        <dt>"Booked"</dt><dd>{made}</dd>
                        {b.r#override.then(|| view! { <dt>"Rules"</dt><dd>"Booked or moved outside the rules (an override)"</dd> })}
                        {source.map(|s| view! { <dt>"Came from"</dt><dd>{s}</dd> })}
                    </dl>
                    {(!d.history.is_empty()).then(|| view! {
                        <h3>"History"</h3>
                        <ul class="history">
                            {d.history.iter().map(|c| view! { <li>{change_text(c)}</li> }).collect_view()}
                        </ul>
                    })}
                    {(!d.messages.is_empty()).then(|| view! {
                        <h3>"E-mails"</h3>
                        <ul class="history">
                            {d.messages.iter().map(|m| view! { <li>{message_text(m)}</li> }).collect_view()}
                        </ul>
                    })}
                    {(may_change && live).then(|| view! {
                        <div class="actions">
                            <button type="button" on:click=move |_| { mark.dispatch(Some(Attendance::Arrived)); }>"Arrived"</button>
                            <button type="button" class="secondary" on:click=move |_| { mark.dispatch(Some(Attendance::NoShow)); }>"No-show"</button>
                            <button type="button" class="secondary" on:click=move |_| { mark.dispatch(None); }>"Expected"</button>
                            <button type="button" class="secondary" aria-expanded=move || moving.get().to_string()
                                on:click=move |_| set_moving.update(|m| *m = !*m)>"Move…"</button>
                        </div>
                    })}
                    {(may_change && live).then(|| view! {
                        <form class="cancel" on:submit=move |ev| {
                            ev.prevent_default();
                            cancel.dispatch(reason.get_untracked());
                        }>
                            <label for="cancel-reason">"Why is it cancelled?"</label>
                            <input id="cancel-reason" prop:value=reason on:input=move |ev| set_reason.set(event_target_value(&ev))/>
                            <button type="submit" class="secondary danger">"Cancel booking"</button>
                        </form>
                    })}
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="card booking-panel" aria-labelledby="booking-title">
            {shown}
            // Only a live booking moves: the form goes once it is cancelled.
            {move || moving.get().then(|| detail.get().and_then(|d| d.ok()).filter(|d| d.booking.status == "confirmed").map(|d| view! {
                <MoveForm location_id=d.location_id service_id=d.booking.service_id specialist_id=d.booking.specialist_id move_to/>
            }))}
            <FormProblem problem/>
            <button type="button" class="link" on:click=move |_| opened.set(None)>"Close"</button>
        </section>
    }
}

/// Another time (and specialist) for the open booking: the free starts of its service that day,
/// the very ones the widget offers, with its own specialist first when they are free.
#[component]
fn MoveForm(
    location_id: String,
    service_id: String,
    specialist_id: String,
    move_to: Action<MoveBooking, Result<BookingDetail, Problem>>,
) -> impl IntoView {
    let place = use_place();
    let (date, set_date) = signal(place.date.get_untracked());
    let (chosen, set_chosen) = signal(None::<MoveBooking>);
    // Outside the rules: a time typed freely, with the booking's own specialist, confirmed first.
    let outside = RwSignal::new(false);
    let (time, set_time) = signal(String::new());
    let (confirming, set_confirming) = signal(None::<MoveBooking>);
    // The booking's own location: the calendar may be switching to another meanwhile.
    let starts = LocalResource::new(move || {
        let (company, location, service) = (place.company.get_untracked(), location_id.clone(), service_id.clone());
        api::free_starts(company, location, service, None, date.get())
    });
    let own = StoredValue::new(specialist_id);
    let options = move || {
        starts.get().map(|answer| match answer {
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            Ok(slots) if slots.is_empty() => view! { <p>"No free time that day."</p> }.into_any(),
            Ok(slots) => {
                // Each free start with who would take it: the booking's own specialist when free.
                let choices: Vec<(String, String, String)> = slots
                    .into_iter()
                    .filter_map(|slot| {
                        let who = own
                            .with_value(|own| slot.specialist_ids.iter().find(|s| *s == own).cloned())
                            .or_else(|| slot.specialist_ids.first().cloned())?;
                        Some((slot.start, slot.local_time, who))
                    })
                    .collect();
                view! {
                    <label for="move-time">"Free times"</label>
                    <select id="move-time" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        set_chosen.set(value.split_once(' ').map(|(start, who)| MoveBooking {
                            start: start.to_string(), specialist_id: Some(who.to_string()), r#override: false,
                        }));
                    }>
                        <option value="">"Choose a time"</option>
                        {choices.into_iter().map(|(start, local, who)| {
                            let name = place.name_of(&who);
                            view! { <option value=format!("{start} {who}")>{format!("{local} with {name}")}</option> }
                        }).collect_view()}
                    </select>
                }
                .into_any()
            }
        })
    };
    let typed = move || {
        let start = instant_in(&place.zone.get_untracked(), &date.get_untracked(), &time.get_untracked())?;
        Some(MoveBooking { start, specialist_id: Some(own.get_value()), r#override: true })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if outside.get_untracked() {
            set_confirming.set(typed());
        } else if let Some(to) = chosen.get_untracked() {
            move_to.dispatch(to);
        }
    };
    let ready = move || if outside.get() { time.get().len() == 5 } else { chosen.get().is_some() };
    view! {
        <form on:submit=submit>
            <h3>"Move to"</h3>
            <label for="move-date">"Date"</label>
            <input id="move-date" type="date" prop:value=date on:change=move |ev| set_date.set(event_target_value(&ev))/>
            {place.may_override.get_untracked().then(|| view! { <OutsideRulesChoice id="move-outside" outside/> })}
            {move || if outside.get() {
                view! {
                    <label for="move-outside-time">{move || format!("Time, with {}", place.name_of(&own.get_value()))}</label>
                    <input id="move-outside-time" type="time" prop:value=time on:input=move |ev| set_time.set(event_target_value(&ev))/>
                }.into_any()
            } else {
                view! { <Transition fallback=|| view! { <p>"Loading…"</p> }>{options}</Transition> }.into_any()
            }}
            {move || confirming.get().map(|to| {
                let what = format!(
                    "Move this booking to {} {} with {} outside the rules? It will be marked as an override.",
                    date.get_untracked(), time.get_untracked(), place.name_of(&own.get_value()),
                );
                let confirm = Callback::new(move |()| { set_confirming.set(None); move_to.dispatch(to.clone()); });
                let back = Callback::new(move |()| set_confirming.set(None));
                view! { <ConfirmOutsideRules what confirm back/> }
            })}
            <button type="submit" disabled=move || !ready() || confirming.get().is_some()>"Move booking"</button>
        </form>
    }
}

fn consents(d: &BookingDetail) -> String {
    let mut said = Vec::new();
    if d.privacy_accepted {
        said.push("accepted the privacy policy");
    }
    if d.marketing_consent {
        said.push("agreed to hear from you");
    }
    if said.is_empty() {
        "None given".into()
    } else {
        said.join(", ")
    }
}

fn change_text(c: &homeslot_core::agenda::Change) -> String {
    let detail = |key: &str| c.detail.as_ref().and_then(|d| d.get(key)).cloned().unwrap_or_default();
    let what = match c.change.as_str() {
        "moved" => format!("Moved from {} to {}", when(&detail("from")), when(&detail("to"))),
        "cancelled" if !detail("reason").is_empty() => format!("Cancelled: {}", detail("reason")),
        "cancelled" => "Cancelled".into(),
        "arrived" => "Marked arrived".into(),
        "no_show" => "Marked a no-show".into(),
        _ => "Marked expected".into(),
    };
    format!("{what} — {}, {}", c.by, when(&c.at))
}

/// One e-mail the booking owes, for the panel: what, when, and what became of it for each reader.
fn message_text(line: &homeslot_core::messages::LogLine) -> String {
    let what = match line.event.as_str() {
        "booked" => "Confirmation",
        "moved" => "Moved",
        "cancelled" => "Cancelled (by the client)",
        "cancelled_by_business" => "Cancelled (by the business)",
        _ => "Reminder",
    };
    if line.deliveries.is_empty() {
        let state = if line.notice_state == "scheduled" { "due" } else { "queued" };
        return format!("{what} — {state} {}", when(&line.due_at));
    }
    let outcomes: Vec<String> = line
        .deliveries
        .iter()
        .map(|d| {
            let reader = if d.recipient == "client" { "client" } else { "business" };
            let state = match d.state.as_str() {
                "sent" => "sent",
                "skipped" => "not sent",
                "retry" => "to be tried again",
                "failed" => "failed",
                _ => "handed to the server, no answer recorded",
            };
            match d.detail.as_str() {
                "" => format!("{reader}: {state}"),
                detail => format!("{reader}: {state} ({detail})"),
            }
        })
        .collect();
    format!("{what} — {}, {}", outcomes.join("; "), when(&line.due_at))
}
