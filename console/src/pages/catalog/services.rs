//! Services: what clients book. Each in a form: name, description, category, length, price in the
//! currency's units, buffers, who performs it (with a specialist's own length or price),
//! resources it needs, members only, and for a group class its seats and sessions.

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::catalog::edit::Item;
use homeslot_core::catalog::{ClassSession, ClassSettings, Company, Service, ServiceVariant};
use homeslot_core::currency::{decimal, exponent, parse_decimal};
use homeslot_core::onboarding::{id_from_name, new_service};
use homeslot_core::time::MinuteOfDay;

use super::{delete_item, may, save_item, use_catalog, Editing, ItemList, Row};
use crate::api::Problem;
use crate::components::fields::{ChoiceField, NumberField, SelectField, TextField};
use crate::pages::{problem_at, FormProblem, WithCatalog};

const WEEKDAYS: [(&str, &str); 7] = [
    ("mon", "Mondays"),
    ("tue", "Tuesdays"),
    ("wed", "Wednesdays"),
    ("thu", "Thursdays"),
    ("fri", "Fridays"),
    ("sat", "Saturdays"),
    ("sun", "Sundays"),
];

#[component]
pub fn ServicesPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><ServiceList catalog/></WithCatalog> }
}

#[component]
fn ServiceList(catalog: Company) -> impl IntoView {
    let may_edit = may(Action::EditServices, None);
    let exp = exponent(&catalog.currency).unwrap_or(2);
    let rows = catalog
        .services
        .iter()
        .map(|s| {
            let category = s.category_id.as_ref().and_then(|id| catalog.categories.iter().find(|x| &x.id == id));
            let kind = if s.class.is_some() { "class · " } else { "" };
            let mut summary =
                format!("{kind}{} min · {} {}", s.duration_minutes, decimal(s.price_minor, exp), catalog.currency);
            if let Some(category) = category {
                summary.push_str(&format!(" · {}", category.name));
            }
            Row { id: s.id.clone(), name: s.name.clone(), summary, may_edit }
        })
        .collect();
    let form = Callback::new(move |(id, editing): (Option<String>, Editing)| {
        view! { <ServiceForm catalog=catalog.clone() id editing/> }.into_any()
    });
    view! {
        <ItemList title="Services" add="Add a service" fresh="New service" empty="No services yet." rows may_add=may_edit form/>
    }
}

/// A specialist's own length and price for the service, as typed (empty: the service's).
#[derive(Clone, PartialEq)]
struct VariantText {
    minutes: String,
    price: String,
}

/// The form of service `id` (a new one when `None`).
#[component]
fn ServiceForm(catalog: Company, id: Option<String>, editing: Editing) -> impl IntoView {
    let data = use_catalog();
    let exp = exponent(&catalog.currency).unwrap_or(2);
    let original = id.as_ref().and_then(|id| catalog.service(id).cloned());
    let is_new = original.is_none();
    let start = original.unwrap_or_else(|| new_service(String::new(), "", 30, 0, &[]));
    let service = RwSignal::new(start.clone());
    let price = RwSignal::new(decimal(start.price_minor, exp));
    let variants = RwSignal::new(
        catalog
            .specialists
            .iter()
            .map(|s| {
                let own = start.variants.iter().find(|v| v.specialist_id == s.id);
                (
                    s.id.clone(),
                    VariantText {
                        minutes: own.and_then(|v| v.duration_minutes).map(|m| m.to_string()).unwrap_or_default(),
                        price: own.and_then(|v| v.price_minor).map(|p| decimal(p, exp)).unwrap_or_default(),
                    },
                )
            })
            .collect::<Vec<_>>(),
    );
    let (problem, set_problem) = signal(None::<Problem>);
    let key = StoredValue::new(id.clone().unwrap_or_else(|| "new".into()));
    let field = move |name: &str| key.with_value(|key| format!("service-{key}-{name}"));
    let catalog = StoredValue::new(catalog);
    let currency = catalog.with_value(|c| c.currency.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut s = service.get_untracked();
        let Some(minor) = parse_decimal(&price.get_untracked(), exp) else {
            set_problem.set(Some(Problem::at("price_minor", "A price such as 45 or 45.50.")));
            return;
        };
        s.price_minor = minor;
        let mut own = Vec::new();
        for (specialist, text) in variants.get_untracked() {
            if !s.specialist_ids.contains(&specialist) || (text.minutes.is_empty() && text.price.is_empty()) {
                continue;
            }
            let minutes = if text.minutes.trim().is_empty() { None } else { text.minutes.trim().parse().ok() };
            let price = if text.price.trim().is_empty() { None } else { parse_decimal(&text.price, exp) };
            if minutes.is_none() && !text.minutes.trim().is_empty() || price.is_none() && !text.price.trim().is_empty()
            {
                set_problem.set(Some(Problem::at(
                    "variants",
                    "A specialist's own length (minutes) or price is not a number.",
                )));
                return;
            }
            own.push(ServiceVariant { specialist_id: specialist, duration_minutes: minutes, price_minor: price });
        }
        s.variants = own;
        if s.id.is_empty() {
            let taken: Vec<String> = catalog.with_value(|c| c.services.iter().map(|x| x.id.clone()).collect());
            s.id = id_from_name(&s.name, &taken);
        }
        catalog.with_value(|c| {
            save_item(data, c, Item::Services(s), set_problem, Callback::new(move |()| editing.set(None)))
        });
    };
    let delete = move |_| {
        let s = service.get_untracked();
        catalog.with_value(|c| delete_item(data, c.id.clone(), "services", s.id.clone(), &s.name, set_problem));
    };

    let text = move |get: fn(&Service) -> String, put: fn(&mut Service, String)| {
        (Signal::derive(move || service.with(get)), Callback::new(move |v: String| service.update(|s| put(s, v))))
    };
    let number = move |get: fn(&Service) -> u32, put: fn(&mut Service, u32)| {
        (Signal::derive(move || service.with(get)), Callback::new(move |v: u32| service.update(|s| put(s, v))))
    };
    let (name, set_name) = text(|s| s.name.clone(), |s, v| s.name = v);
    let (description, set_description) = text(|s| s.description.clone(), |s, v| s.description = v);
    let (minutes, set_minutes) = number(|s| s.duration_minutes, |s, v| s.duration_minutes = v);
    let (before, set_before) = number(|s| s.buffer_before_minutes, |s, v| s.buffer_before_minutes = v);
    let (after, set_after) = number(|s| s.buffer_after_minutes, |s, v| s.buffer_after_minutes = v);
    let categories: Vec<(String, String)> =
        catalog.with_value(|c| c.categories.iter().map(|x| (x.id.clone(), x.name.clone())).collect());
    let specialists = catalog.with_value(|c| c.specialists.clone());
    let resources: Vec<(String, String)> = catalog.with_value(|c| {
        let mut all: Vec<(String, String)> =
            c.locations.iter().flat_map(|l| l.resources.iter().map(|r| (r.id.clone(), r.name.clone()))).collect();
        all.dedup_by(|a, b| a.0 == b.0);
        all
    });

    view! {
        <form class="edit" on:submit=submit>
            <TextField id=field("name") label="Name" value=name set=set_name problem=problem_at(problem, "name") required=true/>
            <label for=field("description")>"Description (optional)"</label>
            <textarea id=field("description") rows="2" prop:value=description
                on:input=move |ev| set_description.run(event_target_value(&ev))></textarea>
            <ChoiceField id=field("category") label="Category" none="None" options=categories
                value=Signal::derive(move || service.with(|s| s.category_id.clone()))
                set=Callback::new(move |v| service.update(|s| s.category_id = v))/>
            <div class="pair">
                <div><NumberField id=field("minutes") label="Length (minutes)" value=minutes set=set_minutes
                    problem=problem_at(problem, "duration_minutes")/></div>
                <div><TextField id=field("price") label=format!("Price ({currency})") value=price
                    set=Callback::new(move |v| price.set(v)) problem=problem_at(problem, "price_minor")/></div>
            </div>
            <div class="pair">
                <div><NumberField id=field("before") label="Preparation before (minutes)" value=before set=set_before
                    problem=problem_at(problem, "buffer_before_minutes")/></div>
                <div><NumberField id=field("after") label="Clean-up after (minutes)" value=after set=set_after
                    problem=problem_at(problem, "buffer_after_minutes")/></div>
            </div>
            <fieldset>
                <legend>"Who performs it (and their own length or price, if different)"</legend>
                <p class="field-problem">{move || problem_at(problem, "specialist_ids").get().or_else(|| problem_at(problem, "variants").get())}</p>
                {specialists.into_iter().enumerate().map(|(i, person)| {
                    let pid = person.id.clone();
                    let performs = {
                        let pid = pid.clone();
                        move || service.with(|s| s.specialist_ids.contains(&pid))
                    };
                    let toggle = {
                        let pid = pid.clone();
                        move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            service.update(|s| {
                                s.specialist_ids.retain(|x| x != &pid);
                                if on {
                                    s.specialist_ids.push(pid.clone());
                                }
                            });
                        }
                    };
                    let variant = move |get: fn(&VariantText) -> String, put: fn(&mut VariantText, String)| {
                        (
                            move || variants.with(|v| v.get(i).map(|(_, t)| get(t)).unwrap_or_default()),
                            move |ev: leptos::ev::Event| variants.update(|v| if let Some((_, t)) = v.get_mut(i) { put(t, event_target_value(&ev)) }),
                        )
                    };
                    let (own_minutes, set_own_minutes) = variant(|t| t.minutes.clone(), |t, v| t.minutes = v);
                    let (own_price, set_own_price) = variant(|t| t.price.clone(), |t, v| t.price = v);
                    view! {
                        <div class="performer">
                            <label class="check">
                                <input type="checkbox" prop:checked=performs.clone() on:change=toggle/>
                                {person.name.clone()}
                            </label>
                            <Show when=performs.clone()>
                                <div class="pair">
                                    <label>{format!("{}'s minutes", person.name)}
                                        <input inputmode="numeric" placeholder="same" prop:value=own_minutes on:input=set_own_minutes/>
                                    </label>
                                    <label>{format!("{}'s price", person.name)}
                                        <input inputmode="decimal" placeholder="same" prop:value=own_price on:input=set_own_price/>
                                    </label>
                                </div>
                            </Show>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {(!resources.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Resources it needs (a room, a bay, a device)"</legend>
                    {resources.into_iter().map(|(rid, rname)| {
                        let checked = { let rid = rid.clone(); move || service.with(|s| s.resource_ids.contains(&rid)) };
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    service.update(|s| { s.resource_ids.retain(|x| x != &rid); if on { s.resource_ids.push(rid.clone()); } });
                                }/>
                                {rname}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
            <label class="check">
                <input type="checkbox" prop:checked=move || service.with(|s| s.members_only)
                    on:change=move |ev| service.update(|s| s.members_only = event_target_checked(&ev))/>
                "Members only (booked with a membership that covers it)"
            </label>
            <ClassFields service catalog=catalog.get_value() problem key=field("class")/>
            <FormProblem problem/>
            <div class="actions">
                <button type="submit">{if is_new { "Add the service" } else { "Save" }}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                {(!is_new).then(|| view! { <button type="button" class="secondary danger" on:click=delete>"Delete"</button> })}
            </div>
        </form>
    }
}

/// A group class's seats and sessions (a service becomes a class when it has them).
#[component]
fn ClassFields(
    service: RwSignal<Service>,
    catalog: Company,
    problem: ReadSignal<Option<Problem>>,
    key: String,
) -> impl IntoView {
    let is_class = move || service.with(|s| s.class.is_some());
    let class = move |f: &mut dyn FnMut(&mut ClassSettings)| {
        service.update(|s| {
            if let Some(class) = &mut s.class {
                f(class)
            }
        })
    };
    let locations: Vec<(String, String)> = catalog.locations.iter().map(|l| (l.id.clone(), l.name.clone())).collect();
    let people: Vec<(String, String)> = catalog.specialists.iter().map(|s| (s.id.clone(), s.name.clone())).collect();
    let first = StoredValue::new((
        locations.first().map(|l| l.0.clone()).unwrap_or_default(),
        people.first().map(|p| p.0.clone()).unwrap_or_default(),
    ));
    let key = StoredValue::new(key);
    let id = move |name: &str| key.with_value(|key| format!("{key}-{name}"));
    let sessions = move || service.with(|s| s.class.as_ref().map(|c| c.sessions.len()).unwrap_or(0));
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=is_class on:change=move |ev| {
                let on = event_target_checked(&ev);
                service.update(|s| s.class = on.then(|| ClassSettings { capacity: 8, waitlist_capacity: 0, sessions: Vec::new() }));
            }/>
            "A group class (clients book a seat in a scheduled session)"
        </label>
        <Show when=is_class>
            <div class="pair">
                <div><NumberField id=id("capacity") label="Seats per session"
                    value=Signal::derive(move || service.with(|s| s.class.as_ref().map_or(0, |c| c.capacity)))
                    set=Callback::new(move |n| class(&mut |c| c.capacity = n)) problem=problem_at(problem, "class.capacity")/></div>
                <div><NumberField id=id("waitlist") label="Waiting list places"
                    value=Signal::derive(move || service.with(|s| s.class.as_ref().map_or(0, |c| c.waitlist_capacity)))
                    set=Callback::new(move |n| class(&mut |c| c.waitlist_capacity = n))/></div>
            </div>
            <p class="field-problem">{move || problem_at(problem, "class.sessions").get()}</p>
            <ul class="rows">
                {
                    let locations = locations.clone();
                    let people = people.clone();
                    move || (0..sessions()).map(|i| {
                        let session = move || service.with(|s| s.class.as_ref().and_then(|c| c.sessions.get(i).cloned()));
                        let edit = move |f: &mut dyn FnMut(&mut ClassSession)| class(&mut |c| if let Some(x) = c.sessions.get_mut(i) { f(x) });
                        let when = move || session().map(|s| s.date.map(|d| d.to_string()).or(s.weekday).unwrap_or_default()).unwrap_or_default();
                        let mut whens: Vec<(String, String)> = WEEKDAYS.iter().map(|(d, n)| (d.to_string(), format!("Every week, {n}"))).collect();
                        if let Some(date) = session().and_then(|s| s.date) { whens.push((date.to_string(), format!("Once, on {date}"))); }
                        view! {
                            <li class="row">
                                <div class="pair">
                                    <div><SelectField id=id(&format!("s{i}-when")) label=format!("Session {} meets", i + 1) options=whens
                                        value=Signal::derive(when) set=Callback::new(move |v: String| edit(&mut |x| { x.weekday = Some(v.clone()); x.date = None; }))/></div>
                                    <div><TextField id=id(&format!("s{i}-start")) label="At" kind="time"
                                        value=Signal::derive(move || session().map(|s| s.start.to_string()).unwrap_or_default())
                                        set=Callback::new(move |v: String| if let Some(t) = MinuteOfDay::parse(&v) { edit(&mut |x| x.start = t) })/></div>
                                </div>
                                <div class="pair">
                                    <div><SelectField id=id(&format!("s{i}-location")) label="Where" options=locations.clone()
                                        value=Signal::derive(move || session().map(|s| s.location_id).unwrap_or_default())
                                        set=Callback::new(move |v: String| edit(&mut |x| x.location_id = v.clone()))/></div>
                                    <div><SelectField id=id(&format!("s{i}-teacher")) label="Led by" options=people.clone()
                                        value=Signal::derive(move || session().map(|s| s.specialist_id).unwrap_or_default())
                                        set=Callback::new(move |v: String| edit(&mut |x| x.specialist_id = v.clone()))/></div>
                                </div>
                                <button type="button" class="link" on:click=move |_| class(&mut |c| { c.sessions.remove(i); })>
                                    {format!("Remove session {}", i + 1)}
                                </button>
                            </li>
                        }
                    }).collect_view()
                }
            </ul>
            <button type="button" class="secondary" on:click=move |_| {
                let (location_id, specialist_id) = first.get_value();
                class(&mut |c| c.sessions.push(ClassSession {
                    location_id: location_id.clone(), specialist_id: specialist_id.clone(), weekday: Some("mon".into()),
                    date: None, start: MinuteOfDay::parse("18:00").unwrap_or(MinuteOfDay::MIDNIGHT),
                }));
            }>"Add a session"</button>
        </Show>
    }
}
