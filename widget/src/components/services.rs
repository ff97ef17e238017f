//! Step 1: the services of the business, with duration and price.

use leptos::prelude::*;

use super::Booking;
use crate::format;

pub fn view(booking: Booking) -> impl IntoView {
    let flow = booking.flow;
    let today = booking.first_date.clone();
    let items = booking
        .catalog
        .services
        .iter()
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
        {super::title(booking.focus, booking.strings.get("choose_service"))}
        <ul class="hs-list">{items}</ul>
    }
}
