//! Step 1: the services of the business, with duration and price.

use leptos::prelude::*;

use super::Booking;
use crate::format;

pub fn view(booking: Booking) -> impl IntoView {
    let flow = booking.flow;
    let today = booking.first_date.clone();
    // Services someone at this location performs; with a specialist chosen first, theirs only.
    let chosen = flow.with_untracked(|f| f.specialist.clone().flatten());
    let here: Vec<&str> = booking
        .catalog
        .specialists
        .iter()
        .filter(|p| p.location_id == booking.location.id)
        .map(|p| p.id.as_str())
        .collect();
    let items = booking
        .catalog
        .services
        .iter()
        .filter(|s| s.specialist_ids.iter().any(|p| here.contains(&p.as_str())))
        .filter(|s| chosen.as_ref().is_none_or(|id| s.specialist_ids.contains(id)))
        .map(|service| {
            let id = service.id.clone();
            let today = today.clone();
            let meta = format!(
                "{} · {}",
                format::duration(&booking.strings, service.duration_minutes),
                format::price(&service.price, &booking.strings.language)
            );
            view! {
                <li>
                    <button type="button" class="hs-item" on:click=move |_| flow.update(|f| f.choose_service(&id, &today))>
                        <span class="hs-item-name">{service.name.clone()}</span>
                        <span class="hs-item-meta">{meta}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        {super::back(&booking)}
        {super::title(booking.focus, booking.strings.get("choose_service"))}
        <ul class="hs-list">{items}</ul>
    }
}
