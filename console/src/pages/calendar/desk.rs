//! A booking for a client on the phone or at the desk: the service, the specialist (or whoever is
//! free), a free time from the very list the widget shows, and the client's name and phone. It
//! goes through the same checkout as the widget's, so the prices, memberships, holds and overlaps
//! behave the same; a click again after a lost answer books once.

use leptos::prelude::*;

use homeslot_core::agenda::DeskBooking as Request;
use homeslot_core::catalog::Company;
use homeslot_core::wire::{ClientDetails, MembershipRef};

use super::use_place;
use crate::api::{self, Problem};
use crate::components::client_finder::ClientFinder;
use crate::components::fields::{optional, TextField};
use crate::pages::{problem_at, FormProblem};

#[component]
pub fn DeskBooking(catalog: Company, own: Option<String>, may_search: bool) -> impl IntoView {
    let place = use_place();
    let catalog = StoredValue::new(catalog);
    let (service, set_service) = signal(String::new());
    let (specialist, set_specialist) = signal(own.clone().unwrap_or_default());
    let (date, set_date) = signal(place.date.get_untracked());
    let (start, set_start) = signal(String::new());
    let (name, set_name) = signal(String::new());
    let (phone, set_phone) = signal(String::new());
    let (email, set_email) = signal(String::new());
    let (comment, set_comment) = signal(String::new());
    let (membership, set_membership) = signal(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let (done, set_done) = signal(None::<String>);
    // A known client, found by a part of their name, phone or e-mail, fills the fields.
    let pick = move |client: homeslot_core::agenda::FoundClient| {
        set_name.set(client.name);
        set_phone.set(client.phone);
        set_email.set(client.email.unwrap_or_default());
    };
    // The calendar's day is where the desk books unless it picks another; another location has
    // other services and people.
    Effect::new(move |_| set_date.set(place.date.get()));
    let fixed_specialist = own.clone();
    Effect::new(move |previous: Option<String>| {
        let location = place.location.get();
        if previous.is_some_and(|p| p != location) {
            set_service.set(String::new());
            set_specialist.set(fixed_specialist.clone().unwrap_or_default());
            set_start.set(String::new());
        }
        location
    });

    // The one-to-one services offered at the location, and who performs the chosen one there.
    let services = move || {
        let location = place.location.get();
        catalog.with_value(|c| {
            let Some(location) = c.location(&location) else { return Vec::new() };
            c.services
                .iter()
                .filter(|s| s.class.is_none() && c.offers(s, location))
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let performers = move || {
        let (location, service) = (place.location.get(), service.get());
        catalog.with_value(|c| {
            c.service(&service)
                .map(|s| c.performers(s, &location).map(|p| (p.id.clone(), p.name.clone())).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let starts = LocalResource::new(move || {
        let (company, location, service, specialist, date) =
            (place.company.get(), place.location.get(), service.get(), specialist.get(), date.get());
        async move {
            let offered = catalog
                .with_value(|c| c.location(&location).zip(c.service(&service)).is_some_and(|(l, s)| c.offers(s, l)));
            if !offered || date.len() != 10 {
                return Ok(Vec::new());
            }
            api::free_starts(company, location, service, Some(specialist).filter(|s| !s.is_empty()), date).await
        }
    });
    let book = Action::new_local(move |request: &Request| {
        api::book_at_desk(place.company.get_untracked(), place.location.get_untracked(), request.clone())
    });
    Effect::new(move |_| match book.value().get() {
        Some(Ok(booked)) => {
            set_problem.set(None);
            set_done.set(Some(format!(
                "Booked: {} {} with {}, {}.",
                booked.local_date, booked.local_time, booked.specialist_name, booked.service_name
            )));
            set_start.set(String::new());
            set_name.set(String::new());
            set_phone.set(String::new());
            set_email.set(String::new());
            set_comment.set(String::new());
            set_membership.set(String::new());
            starts.refetch();
            place.reload.run(());
        }
        Some(Err(error)) => {
            set_done.set(None);
            set_problem.set(Some(error));
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = start.get_untracked();
        let Some((at, who)) = chosen.split_once(' ') else {
            set_problem.set(Some(Problem::at("start", "Choose a free time.")));
            return;
        };
        book.dispatch(Request {
            service_id: service.get_untracked(),
            start: at.to_string(),
            specialist_id: Some(who.to_string()),
            client: ClientDetails {
                name: name.get_untracked(),
                phone: phone.get_untracked(),
                email: optional(email.get_untracked()),
                comment: optional(comment.get_untracked()),
                ..ClientDetails::default()
            },
            membership: optional(membership.get_untracked()).map(|number| MembershipRef { number }),
        });
    };
    let times = move || {
        starts.get().map(|answer| match answer {
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            Ok(slots) if service.get().is_empty() => {
                let _ = slots;
                view! { <p class="hint">"Choose a service to see its free times."</p> }.into_any()
            }
            Ok(slots) if slots.is_empty() => view! { <p>"No free time that day."</p> }.into_any(),
            Ok(slots) => view! {
                <label for="desk-time">"Free time"</label>
                <select id="desk-time" on:change=move |ev| set_start.set(event_target_value(&ev))>
                    <option value="" selected=move || start.get().is_empty()>"Choose a time"</option>
                    {slots.into_iter().filter_map(|slot| {
                        let who = slot.specialist_ids.first()?.clone();
                        let name = place.name_of(&who);
                        Some(view! { <option value=format!("{} {who}", slot.start)>{format!("{} with {name}", slot.local_time)}</option> })
                    }).collect_view()}
                </select>
            }
            .into_any(),
        })
    };
    let fixed = own.is_some();
    view! {
        <section class="card" aria-labelledby="desk-title">
            <h2 id="desk-title">"Book for a client"</h2>
            <p class="hint">"For a client on the phone or at the desk: the same times and prices as online, without the online discounts."</p>
            <form on:submit=submit>
                <div class="pair">
                    <div>
                        <label for="desk-service">"Service"</label>
                        <select id="desk-service" on:change=move |ev| { set_service.set(event_target_value(&ev)); set_start.set(String::new()); }>
                            <option value="" selected=move || service.get().is_empty()>"Choose a service"</option>
                            {move || services().into_iter().map(|(id, label)| {
                                let mine = id.clone();
                                view! { <option value=id selected=move || service.get() == mine>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="desk-specialist">"Specialist"</label>
                        <select id="desk-specialist" disabled=fixed on:change=move |ev| { set_specialist.set(event_target_value(&ev)); set_start.set(String::new()); }>
                            {(!fixed).then(|| view! { <option value="">"Whoever is free"</option> })}
                            {move || performers().into_iter().filter(|(id, _)| !fixed || Some(id) == own.as_ref()).map(|(id, label)| {
                                let mine = id.clone();
                                view! { <option value=id selected=move || specialist.get() == mine>{label}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <label for="desk-date">"Date"</label>
                <input id="desk-date" type="date" prop:value=date on:change=move |ev| { set_date.set(event_target_value(&ev)); set_start.set(String::new()); }/>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>{times}</Transition>
                <p class="field-problem">{move || problem_at(problem, "start").get()}</p>
                {may_search.then(|| view! {
                    <ClientFinder id="desk-find" label="Find a client (name, phone or e-mail)"
                        none="No client found: type their details below." pick/>
                })}
                <div class="pair">
                    <div><TextField id="desk-name" label="Client's name" value=name set=move |v| set_name.set(v) problem=problem_at(problem, "client.name") required=true/></div>
                    <div><TextField id="desk-phone" label="Phone" kind="tel" value=phone set=move |v| set_phone.set(v) problem=problem_at(problem, "client.phone") required=true/></div>
                </div>
                <div class="pair">
                    <div><TextField id="desk-email" label="E-mail (optional)" kind="email" value=email set=move |v| set_email.set(v) problem=problem_at(problem, "client.email")/></div>
                    <div><TextField id="desk-membership" label="Membership number (optional)" value=membership set=move |v| set_membership.set(v) problem=problem_at(problem, "membership")/></div>
                </div>
                <TextField id="desk-comment" label="Note for the visit (optional)" value=comment set=move |v| set_comment.set(v) problem=problem_at(problem, "client.comment")/>
                <button type="submit" disabled=move || book.pending().get()>"Book"</button>
            </form>
            <FormProblem problem/>
            <p role="status" class="done">{move || done.get()}</p>
        </section>
    }
}
