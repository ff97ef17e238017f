//! Step 4: the booking is confirmed.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::Booking;
use crate::format;

#[wasm_split(done, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let Some(done) = flow.with_untracked(|f| f.confirmation.clone()) else {
        return Ok(().into_any());
    };
    let when = format!("{}, {}", format::date(&done.local_date, true), done.local_time);
    // The edge builds both from the client's manage link: nothing to compute here. Written as
    // markup (the token is hex and ids, the base is the edge's origin): typed attributes for two
    // links cost the widget about 900 bytes.
    let calendar = done.manage_token.clone().map(|token| {
        let link = format!("{}/v1/manage/{token}", booking.api.base);
        let html = format!(
            r#"<a href="{link}/google-calendar" target="_blank" rel="noopener">Add to Google Calendar</a> <a href="{link}/calendar.ics" download="booking.ics">Download for your calendar (.ics)</a>"#
        );
        view! { <p class="hs-calendar" inner_html=html></p> }
    });
    Ok(view! {
        <div class="hs-done" role="status">
            <h2 class="hs-title">"You're booked!"</h2>
            <p class="hs-done-what">{format!("{} with {}", done.service_name, done.specialist_name)}</p>
            <p class="hs-done-when">{when}</p>
            <p class="hs-done-where">{booking.location.name.clone()} <br/> {booking.location.address.clone()}</p>
            <p class="hs-done-price">{format::price(&done.price)}</p>
            {calendar}
            <p class="hs-ref">"Reference: " <code>{done.booking_id.clone()}</code></p>
            <button type="button" class="hs-button" on:click=move |_| flow.update(|f| f.restart())>"Book another visit"</button>
        </div>
    }
    .into_any())
}
