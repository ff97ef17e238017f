//! Step 1: the services of the business under the owner's categories, with description,
//! duration and price, and its group classes. A tap on a service takes it and goes on; its
//! checkbox ("+") adds it to a visit of several services (done one after another), and
//! "continue" goes on with those added.

use leptos::prelude::*;

use super::Booking;
use crate::format::{self, escape};
use homeslot_core::wire::{Money, ServiceView};

/// How many services one visit may hold (the edge's limit).
const MAX_VISIT: usize = 5;

pub fn view(booking: Booking) -> impl IntoView {
    let flow = booking.flow;
    let today = StoredValue::new(booking.first_date.clone());
    // The services added to the visit so far, in the order added.
    let visit = RwSignal::new(Vec::<String>::new());
    let go = move |tapped: Option<&str>| {
        let mut ids = visit.get_untracked();
        if let Some(id) = tapped.filter(|id| !ids.iter().any(|i| i == id)) {
            ids.push(id.to_string());
        }
        flow.update(|f| today.with_value(|today| f.choose_visit(&ids, today)));
    };
    // Services someone at this location performs; with a specialist chosen first, theirs only.
    let chosen = flow.with_untracked(|f| f.specialist.clone().flatten());
    let here: Vec<&str> = booking
        .catalog
        .specialists
        .iter()
        .filter(|p| p.location_id == booking.location.id)
        .map(|p| p.id.as_str())
        .collect();
    let offered: Vec<&ServiceView> = booking
        .catalog
        .services
        .iter()
        .filter(|s| s.specialist_ids.iter().any(|p| here.contains(&p.as_str())))
        .filter(|s| chosen.as_ref().is_none_or(|id| s.specialist_ids.contains(id)))
        .collect();
    let row = |service: &ServiceView| {
        let id = service.id.clone();
        // A native checkbox keeps its own state: no reactive attributes on the first screen.
        let toggle = {
            let id = id.clone();
            move |ev: leptos::ev::Event| {
                let added = event_target_checked(&ev);
                // A visit holds at most five: a sixth box unticks itself.
                if added && visit.with_untracked(Vec::len) >= MAX_VISIT {
                    event_target::<web_sys::HtmlInputElement>(&ev).set_checked(false);
                    return;
                }
                visit.update(|v| if added { v.push(id.clone()) } else { v.retain(|i| *i != id) })
            }
        };
        let label = booking.strings.fill("add_to_visit", &[("service", &service.name)]);
        view! {
            <li class="hs-row">
                <button type="button" class="hs-item" on:click=move |_| go(Some(&id)) inner_html=item(&booking, service)></button>
                <input type="checkbox" class="hs-add" aria-label=label on:change=toggle />
            </li>
        }
        .into_any()
    };
    // The owner's categories in their order, each under its heading; then the services without
    // one (or with none defined), without a heading.
    let known = |s: &&&ServiceView| booking.categories.iter().any(|c| s.category_id.as_ref() == Some(&c.id));
    let mut groups: Vec<AnyView> = booking
        .categories
        .iter()
        .filter_map(|category| {
            let items: Vec<AnyView> =
                offered.iter().filter(|s| s.category_id.as_ref() == Some(&category.id)).map(|s| row(s)).collect();
            (!items.is_empty()).then(|| {
                view! { <h3 class="hs-group">{category.name.clone()}</h3> <ul class="hs-list">{items}</ul> }.into_any()
            })
        })
        .collect();
    let rest: Vec<AnyView> = offered.iter().filter(|s| !known(s)).map(|s| row(s)).collect();
    groups.push(view! { <ul class="hs-list">{rest}</ul> }.into_any());
    // Group classes (a seat in a session with its own instructor), unless a specialist was chosen
    // first. The sessions step shows those at this location.
    let classes = booking.catalog.classes.iter().filter(|_| chosen.is_none()).map(|class| {
        let id = class.id.clone();
        let choose = move |_| flow.update(|f| today.with_value(|today| f.choose_class(&id, today)));
        view! {
            <li>
                <button type="button" class="hs-item" on:click=choose inner_html=item(&booking, class)></button>
            </li>
        }
        .into_any()
    });
    let classes: Vec<_> = classes.collect();
    let classes = (!classes.is_empty()).then(|| {
        view! {
            <h3 class="hs-group">{booking.strings.get("classes")}</h3>
            <ul class="hs-list">{classes}</ul>
        }
    });
    view! {
        {super::back(&booking)}
        {super::title(booking.focus, booking.strings.get("choose_service"))}
        {groups}
        {classes}
        {move || {
            let names = booking.names(&visit.get());
            (!names.is_empty()).then(|| {
                let label = booking.strings.fill("continue_with", &[("services", &names)]);
                view! { <button type="button" class="hs-button hs-continue" on:click=move |_| go(None)>{label}</button> }
            })
        }}
    }
}

/// A service's button: its name; "30 min · £25.00", with the edge's offers: "30 min · ~~£25.00~~
/// £22.50" and the discount's name, and what a first booking would pay; "Members only" for a
/// service booked with a membership (the edge decides them; the confirmation charges); and its
/// description.
///
/// Written as markup (every text in it escaped): one element whatever it holds, since each
/// distinct view costs the first screen bytes.
fn item(booking: &Booking, service: &ServiceView) -> String {
    let strings = &booking.strings;
    let price = |money: &Money| escape(&format::price(money, &strings.language));
    let mut html = format!("<span class=hs-item-name>{}</span><span class=hs-item-meta>", escape(&service.name));
    html += &escape(&format::duration(service.duration_minutes, &strings.language));
    html += " · ";
    if let Some(offer) = &service.offer {
        // Struck through for the eye; "was £25.00" in words for a screen reader.
        let was = price(&service.price);
        let spoken = escape(&strings.fill("was_price", &[("price", &was)]));
        html += &format!("<s aria-hidden=true>{was}</s><span class=hs-sr>{spoken}</span> {}", price(&offer.price));
        html += &format!("<span class=hs-offer>{}</span>", escape(&offer.discount.name));
    } else {
        html += &price(&service.price);
    }
    if service.members_only {
        html += &format!("<span class=hs-offer>{}</span>", escape(&strings.get("members_only")));
    }
    if let Some(first) = &service.first_booking_offer {
        let text = strings.fill("first_booking_price", &[("price", &format::price(&first.price, &strings.language))]);
        html += &format!("<span class=hs-offer>{}</span>", escape(&text));
    }
    html += "</span>";
    if !service.description.is_empty() {
        html += &format!("<span class=hs-item-desc>{}</span>", escape(&service.description));
    }
    html
}
