//! A booking for a client on the phone or at the desk: a service with a specialist (or whoever is
//! free), several services back to back in one visit, or a seat in a class session; a free time
//! from the very lists the widget shows; and the client's name and phone. It goes through the same
//! checkout as the widget's, so the prices, memberships, holds and overlaps behave the same; a
//! click again after a lost answer books once. An owner or a manager may book one service
//! outside the rules instead: a time typed freely, confirmed before it goes.

use leptos::prelude::*;

use homeslot_core::agenda::{DeskBooking as One, DeskSeat, DeskVisit};
use homeslot_core::catalog::Company;
use homeslot_core::wire::{ClassSessionView, ClientDetails, MembershipRef, SlotView, VisitPartRequest, VisitSlotView};

use super::outside_rules::{ConfirmOutsideRules, OutsideRulesChoice};
use super::{use_place, Place};
use crate::api::{self, Problem};
use crate::components::client_finder::ClientFinder;
use crate::components::fields::{optional, TextField};
use crate::dates::instant_in;
use crate::pages::{problem_at, FormProblem};

/// The most services one visit holds (the edge's limit).
const MAX_PARTS: usize = 5;

/// What the desk books.
#[derive(Clone)]
enum Desk {
    One(One),
    Visit(DeskVisit),
    Seat(DeskSeat),
}

/// The times to choose from, as the widget would offer them.
#[derive(Clone)]
enum Offer {
    /// Nothing to offer yet (no service chosen).
    Nothing,
    Slots(Vec<SlotView>),
    Visits(Vec<VisitSlotView>),
    Sessions(Vec<ClassSessionView>),
}

#[component]
pub fn DeskBooking(catalog: Company, own: Option<String>, may_search: bool) -> impl IntoView {
    let place = use_place();
    let catalog = StoredValue::new(catalog);
    let (service, set_service) = signal(String::new());
    let (specialist, set_specialist) = signal(own.clone().unwrap_or_default());
    // The visit's further services, each with a specialist ("" for whoever is free).
    let more = RwSignal::new(Vec::<(String, String)>::new());
    let (date, set_date) = signal(place.date.get_untracked());
    let (start, set_start) = signal(String::new());
    let (name, set_name) = signal(String::new());
    let (phone, set_phone) = signal(String::new());
    let (email, set_email) = signal(String::new());
    let (comment, set_comment) = signal(String::new());
    let (membership, set_membership) = signal(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let (done, set_done) = signal(None::<String>);
    // Outside the rules: a time typed freely, with a named specialist, confirmed first.
    let outside = RwSignal::new(false);
    let (time, set_time) = signal(String::new());
    let (confirming, set_confirming) = signal(None::<One>);
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
            more.set(Vec::new());
            set_start.set(String::new());
        }
        location
    });

    // Only how many further parts there are redraws their rows (a change inside one keeps focus).
    let parts_after = Memo::new(move |_| more.with(Vec::len));
    let is_class = move || catalog.with_value(|c| c.service(&service.get()).is_some_and(|s| s.class.is_some()));
    let is_visit = move || !more.with(Vec::is_empty) && !is_class();
    // The services offered at the location: one-to-one ones, then classes.
    let services = move |classes: bool| {
        let location = place.location.get();
        catalog.with_value(|c| {
            let Some(location) = c.location(&location) else { return Vec::new() };
            c.services
                .iter()
                .filter(|s| s.class.is_some() == classes && c.offers(s, location))
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let performers = move |service: String| {
        let location = place.location.get();
        catalog.with_value(|c| {
            c.service(&service)
                .map(|s| c.performers(s, &location).map(|p| (p.id.clone(), p.name.clone())).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let offer = LocalResource::new(move || {
        let (company, location, service, specialist, date) =
            (place.company.get(), place.location.get(), service.get(), specialist.get(), date.get());
        let further = more.get();
        async move {
            let offered = catalog
                .with_value(|c| c.location(&location).zip(c.service(&service)).is_some_and(|(l, s)| c.offers(s, l)));
            if !offered || date.len() != 10 {
                return Ok(Offer::Nothing);
            }
            if catalog.with_value(|c| c.service(&service).is_some_and(|s| s.class.is_some())) {
                return api::class_sessions(company, location, service, date).await.map(Offer::Sessions);
            }
            if !further.is_empty() {
                if further.iter().any(|(s, _)| s.is_empty()) {
                    return Ok(Offer::Nothing);
                }
                let parts = std::iter::once((service, specialist)).chain(further).collect();
                return api::visit_starts(company, location, parts, date).await.map(Offer::Visits);
            }
            let who = Some(specialist).filter(|s| !s.is_empty());
            api::free_starts(company, location, service, who, date).await.map(Offer::Slots)
        }
    });
    let book = Action::new_local(move |request: &Desk| {
        let (company, location) = (place.company.get_untracked(), place.location.get_untracked());
        let request = request.clone();
        async move { booked_text(request, company, location).await }
    });
    Effect::new(move |_| match book.value().get() {
        Some(Ok(text)) => {
            set_problem.set(None);
            set_done.set(Some(text));
            set_start.set(String::new());
            set_time.set(String::new());
            outside.set(false);
            set_name.set(String::new());
            set_phone.set(String::new());
            set_email.set(String::new());
            set_comment.set(String::new());
            set_membership.set(String::new());
            offer.refetch();
            place.reload.run(());
        }
        Some(Err(error)) => {
            set_done.set(None);
            set_problem.set(Some(error));
        }
        None => {}
    });
    let client = move || ClientDetails {
        name: name.get_untracked(),
        phone: phone.get_untracked(),
        email: optional(email.get_untracked()),
        comment: optional(comment.get_untracked()),
        ..ClientDetails::default()
    };
    let paying = move || optional(membership.get_untracked()).map(|number| MembershipRef { number });
    // The request the form makes, or the problem that stops it.
    let request = move || -> Result<Desk, Problem> {
        let service_id = service.get_untracked();
        let chosen = start.get_untracked();
        if is_class() {
            let (at, waitlist) = chosen.split_once(' ').ok_or_else(|| Problem::at("start", "Choose a session."))?;
            return Ok(Desk::Seat(DeskSeat {
                service_id,
                start: at.to_string(),
                join_waitlist: waitlist == "waitlist",
                client: client(),
                membership: paying(),
            }));
        }
        if is_visit() {
            // The visit's start and who the list said takes each part, so it books what it showed.
            let mut words = chosen.split(' ');
            let at =
                words.next().filter(|at| !at.is_empty()).ok_or_else(|| Problem::at("start", "Choose a free time."))?;
            let ids = std::iter::once(service_id).chain(more.get_untracked().into_iter().map(|(s, _)| s));
            let parts = ids
                .zip(words)
                .map(|(service_id, who)| VisitPartRequest { service_id, specialist_id: Some(who.to_string()) })
                .collect();
            return Ok(Desk::Visit(DeskVisit { start: at.to_string(), parts, client: client(), membership: paying() }));
        }
        let r#override = outside.get_untracked();
        let (at, who) = if r#override {
            let who = specialist.get_untracked();
            if who.is_empty() {
                return Err(Problem::at(
                    "specialist_id",
                    "Choose the specialist: outside the rules, a booking is for one specialist.",
                ));
            }
            let at = place.zone.with_untracked(|zone| instant_in(zone, &date.get_untracked(), &time.get_untracked()));
            (at.ok_or_else(|| Problem::at("start", "Type the time, as 20:30."))?, who)
        } else {
            let (at, who) = chosen.split_once(' ').ok_or_else(|| Problem::at("start", "Choose a free time."))?;
            (at.to_string(), who.to_string())
        };
        Ok(Desk::One(One {
            service_id,
            start: at,
            specialist_id: Some(who),
            client: client(),
            membership: paying(),
            r#override,
        }))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match request() {
            Err(problem) => set_problem.set(Some(problem)),
            Ok(Desk::One(one)) if one.r#override => {
                set_problem.set(None);
                set_confirming.set(Some(one));
            }
            Ok(desk) => {
                book.dispatch(desk);
            }
        }
    };
    let question = move |request: &One| {
        format!(
            "Book {} for {} on {} at {} with {}, outside the rules? It will be marked as an override.",
            catalog.with_value(|c| c.service(&request.service_id).map(|s| s.name.clone())).unwrap_or_default(),
            request.client.name,
            date.get_untracked(),
            time.get_untracked(),
            place.name_of(request.specialist_id.as_deref().unwrap_or_default()),
        )
    };
    let times = move || {
        offer.get().map(|answer| match answer {
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            Ok(Offer::Nothing) => view! { <p class="hint">"Choose a service to see its free times."</p> }.into_any(),
            Ok(Offer::Slots(slots)) if slots.is_empty() => view! { <p>"No free time that day."</p> }.into_any(),
            Ok(Offer::Visits(visits)) if visits.is_empty() => {
                view! { <p>"No free time that day for these services together."</p> }.into_any()
            }
            Ok(Offer::Sessions(sessions)) if sessions.is_empty() => {
                view! { <p>"No session of this class that day."</p> }.into_any()
            }
            Ok(offer) => {
                let (label, choices) = choices(place, offer);
                view! {
                    <label for="desk-time">{label}</label>
                    <select id="desk-time" on:change=move |ev| set_start.set(event_target_value(&ev))>
                        <option value="" selected=move || start.get().is_empty()>"Choose a time"</option>
                        {choices.into_iter().map(|(value, text, usable)| view! {
                            <option value=value disabled=!usable>{text}</option>
                        }).collect_view()}
                    </select>
                }
                .into_any()
            }
        })
    };
    let fixed = own.is_some();
    let own = StoredValue::new(own);
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
                            {move || services(false).into_iter().map(|(id, label)| {
                                let mine = id.clone();
                                view! { <option value=id selected=move || service.get() == mine>{label}</option> }
                            }).collect_view()}
                            {move || {
                                let classes = services(true);
                                (!classes.is_empty()).then(|| view! {
                                    <optgroup label="Classes">
                                        {classes.into_iter().map(|(id, label)| {
                                            let mine = id.clone();
                                            view! { <option value=id selected=move || service.get() == mine>{label}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                })
                            }}
                        </select>
                    </div>
                    {move || (!is_class()).then(|| view! {
                        <div>
                            <label for="desk-specialist">"Specialist"</label>
                            <select id="desk-specialist" disabled=fixed on:change=move |ev| { set_specialist.set(event_target_value(&ev)); set_start.set(String::new()); }>
                                {(!fixed).then(|| view! { <option value="" selected=move || specialist.get().is_empty()>"Whoever is free"</option> })}
                                {move || performers(service.get()).into_iter()
                                    .filter(|(id, _)| !fixed || own.with_value(|own| own.as_ref() == Some(id)))
                                    .map(|(id, label)| {
                                        let mine = id.clone();
                                        view! { <option value=id selected=move || specialist.get() == mine>{label}</option> }
                                    }).collect_view()}
                            </select>
                        </div>
                    })}
                </div>
                <p class="field-problem">{move || problem_at(problem, "specialist_id").get()}</p>
                // Further services of one visit, back to back after the first.
                {move || (!is_class() && !outside.get()).then(|| view! {
                    {move || (0..parts_after.get()).map(|k| view! {
                        <VisitPart k more performers=Callback::new(performers) services=Callback::new(move |()| services(false)) fixed own=own.get_value() set_start/>
                    }).collect_view()}
                    {move || (more.with(Vec::len) + 1 < MAX_PARTS).then(|| view! {
                        <button type="button" class="secondary" on:click=move |_| {
                            more.update(|m| m.push((String::new(), own.get_value().unwrap_or_default())));
                            set_start.set(String::new());
                        }>"Add a service to this visit"</button>
                    })}
                })}
                <label for="desk-date">"Date"</label>
                <input id="desk-date" type="date" prop:value=date on:change=move |ev| { set_date.set(event_target_value(&ev)); set_start.set(String::new()); }/>
                {move || (place.may_override.get() && !is_class() && !is_visit()).then(|| view! { <OutsideRulesChoice id="desk-outside" outside/> })}
                {move || if outside.get() && !is_class() && !is_visit() {
                    view! {
                        <label for="desk-outside-time">"Time"</label>
                        <input id="desk-outside-time" type="time" prop:value=time on:input=move |ev| set_time.set(event_target_value(&ev))/>
                    }.into_any()
                } else {
                    view! { <Transition fallback=|| view! { <p>"Loading…"</p> }>{times}</Transition> }.into_any()
                }}
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
                {move || confirming.get().map(|request| {
                    let what = question(&request);
                    let confirm = Callback::new(move |()| { set_confirming.set(None); book.dispatch(Desk::One(request.clone())); });
                    let back = Callback::new(move |()| set_confirming.set(None));
                    view! { <ConfirmOutsideRules what confirm back/> }
                })}
                <button type="submit" disabled=move || book.pending().get() || confirming.get().is_some()>"Book"</button>
            </form>
            <FormProblem problem/>
            <p role="status" class="done">{move || done.get()}</p>
        </section>
    }
}

/// The `k`-th further service of a visit (the second is `k` = 0), with its specialist.
#[component]
fn VisitPart(
    k: usize,
    more: RwSignal<Vec<(String, String)>>,
    performers: Callback<String, Vec<(String, String)>>,
    services: Callback<(), Vec<(String, String)>>,
    fixed: bool,
    own: Option<String>,
    set_start: WriteSignal<String>,
) -> impl IntoView {
    let part = move || more.with(|m| m.get(k).cloned().unwrap_or_default());
    let set = move |service: Option<String>, specialist: Option<String>| {
        more.update(|m| {
            if let Some((s, p)) = m.get_mut(k) {
                if let Some(service) = service {
                    *s = service;
                }
                if let Some(specialist) = specialist {
                    *p = specialist;
                }
            }
        });
        set_start.set(String::new());
    };
    let own = StoredValue::new(own);
    let (service_id, specialist_id) = (format!("desk-service-{}", k + 2), format!("desk-specialist-{}", k + 2));
    view! {
        <div class="pair">
            <div>
                <label for=service_id.clone()>{format!("Then, service {}", k + 2)}</label>
                <select id=service_id on:change=move |ev| set(Some(event_target_value(&ev)), None)>
                    <option value="" selected=move || part().0.is_empty()>"Choose a service"</option>
                    {move || services.run(()).into_iter().map(|(id, label)| {
                        let mine = id.clone();
                        view! { <option value=id selected=move || part().0 == mine>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for=specialist_id.clone()>{format!("Specialist for service {}", k + 2)}</label>
                <select id=specialist_id disabled=fixed on:change=move |ev| set(None, Some(event_target_value(&ev)))>
                    {(!fixed).then(|| view! { <option value="" selected=move || part().1.is_empty()>"Whoever is free"</option> })}
                    {move || performers.run(part().0).into_iter()
                        .filter(|(id, _)| !fixed || own.with_value(|own| own.as_ref() == Some(id)))
                        .map(|(id, label)| {
                            let mine = id.clone();
                            view! { <option value=id selected=move || part().1 == mine>{label}</option> }
                        }).collect_view()}
                </select>
            </div>
        </div>
        <button type="button" class="link" on:click=move |_| {
            more.update(|m| { if k < m.len() { m.remove(k); } });
            set_start.set(String::new());
        }>{format!("Remove service {}", k + 2)}</button>
    }
}

/// The list's label and its choices (`value`, `text`, whether it can be chosen).
fn choices(place: Place, offer: Offer) -> (&'static str, Vec<(String, String, bool)>) {
    match offer {
        Offer::Nothing => ("Free time", Vec::new()),
        Offer::Slots(slots) => (
            "Free time",
            slots
                .into_iter()
                .filter_map(|slot| {
                    let who = slot.specialist_ids.first()?.clone();
                    let text = format!("{} with {}", slot.local_time, place.name_of(&who));
                    Some((format!("{} {who}", slot.start), text, true))
                })
                .collect(),
        ),
        Offer::Visits(visits) => (
            "Free time",
            visits
                .into_iter()
                .map(|visit| {
                    let who: Vec<String> = visit.parts.iter().map(|p| p.specialist_id.clone()).collect();
                    let names: Vec<String> = who.iter().map(|id| place.name_of(id)).collect();
                    let text = format!("{} with {}", visit.local_time, names.join(", then "));
                    (format!("{} {}", visit.start, who.join(" ")), text, true)
                })
                .collect(),
        ),
        Offer::Sessions(sessions) => (
            "Session",
            sessions
                .into_iter()
                .map(|s| {
                    let with = place.name_of(&s.specialist_id);
                    let (text, value, usable) = match (s.seats_left, s.waitlist_open) {
                        (0, true) => {
                            (format!("{} with {with} — full: join the waitlist", s.local_time), "waitlist", true)
                        }
                        (0, false) => (format!("{} with {with} — full", s.local_time), "seat", false),
                        (1, _) => (format!("{} with {with} — 1 seat left", s.local_time), "seat", true),
                        (n, _) => (format!("{} with {with} — {n} seats left", s.local_time), "seat", true),
                    };
                    (format!("{} {value}", s.start), text, usable)
                })
                .collect(),
        ),
    }
}

/// Books `request` and says what was booked.
async fn booked_text(request: Desk, company: String, location: String) -> Result<String, Problem> {
    Ok(match request {
        Desk::One(one) => {
            let b = api::book_at_desk(company, location, one).await?;
            format!("Booked: {} {} with {}, {}.", b.local_date, b.local_time, b.specialist_name, b.service_name)
        }
        Desk::Visit(visit) => {
            let v = api::book_visit_at_desk(company, location, visit).await?;
            let parts: Vec<String> =
                v.parts.iter().map(|p| format!("{} with {}", p.service_name, p.specialist_name)).collect();
            format!("Booked: {} {}, {}.", v.local_date, v.local_time, parts.join(", then "))
        }
        Desk::Seat(seat) => {
            let s = api::book_seat_at_desk(company, location, seat).await?;
            let b = &s.booking;
            match s.waitlist_position {
                Some(n) => format!(
                    "On the waitlist (number {n}): {} {} with {}, {}.",
                    b.local_date, b.local_time, b.specialist_name, b.service_name
                ),
                None => format!(
                    "Booked a seat: {} {} with {}, {}.",
                    b.local_date, b.local_time, b.specialist_name, b.service_name
                ),
            }
        }
    })
}
