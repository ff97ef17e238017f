//! Step 4: the booking is confirmed.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use wasm_bindgen::JsValue;

use super::{membership, promo, tracker, Booking};
use crate::format::{self, escape};
use crate::{analytics, flow};
use homeslot_core::promo::PromoScreen;

/// This step's rules, shipped with its chunk (the first screen does not carry them).
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/done.css"));

#[wasm_split(steps, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let Some(done) = flow.with_untracked(|f| f.confirmation.clone()) else {
        return Ok(().into_any());
    };
    let strings = booking.strings.clone();
    // A place on a full session's waiting list: no seat yet, so nothing for a calendar.
    let waiting = flow.with_untracked(|f| f.waitlisted);
    let when = format!("{}, {}", format::date(&done.local_date, true, &strings.language), done.local_time);
    // The edge builds both from the client's manage link: nothing to compute here. Written as
    // markup (the token is hex and ids, the base is the edge's origin): typed attributes for two
    // links cost the widget about 900 bytes.
    let calendar = done.manage_token.clone().map(|token| {
        let link = format!("{}/v1/manage/{token}", booking.api.base);
        // The calendar entry in the widget's words (the locale is letters, digits and dashes).
        let language = &strings.language;
        // The two labels are ours (i18n files), escaped all the same.
        let (google, ics) = (escape(&strings.get("add_google")), escape(&strings.get("download_ics")));
        let html = if waiting.is_some() {
            String::new()
        } else {
            format!(
                r#"<a href="{link}/google-calendar?language={language}" target="_blank" rel="noopener" data-google>{google}</a> <a href="{link}/calendar.ics?language={language}" download="booking.ics">{ics}</a>"#
            )
        };
        // The client's own way back to this booking: this page, with the token in the fragment.
        let manage = booking.page.as_deref().map(|page| {
            let (href, label) = (escape(&flow::manage_link(page, &token)), escape(&strings.get("manage_booking")));
            format!(r#" <a class="hs-manage-link" href="{href}" target="_blank">{label}</a>"#)
        });
        let html = html + &manage.unwrap_or_default();
        // "Add to Google Calendar" tells the trackers (the link opens by itself).
        let tracked = booking.clone();
        let clicked = move |ev: leptos::ev::MouseEvent| {
            let target = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
            if target.is_some_and(|t| t.has_attribute("data-google")) {
                let node = ev.target().map(JsValue::from).unwrap_or_default();
                tracker::send(&tracked, &node, &|context| flow.with_untracked(|f| analytics::calendar_clicked(context, f)));
            }
        };
        view! { <p class="hs-calendar" on:click=clicked inner_html=html></p> }
    });
    Ok(view! {
        <style>{STYLE}</style>
        <div class="hs-done" role="status">
            {super::title(booking.focus, strings.get(if waiting.is_some() { "waitlisted_title" } else { "booked" }))}
            {waiting.map(|place| view! { <p class="hs-done-place">{strings.fill("waitlisted_place", &[("position", &place.to_string())])}</p> })}
            <p class="hs-done-what">{strings.fill("with", &[("service", &done.service_name), ("specialist", &done.specialist_name)])}</p>
            <p class="hs-done-when">{when}</p>
            <p class="hs-done-where">{booking.location.name.clone()} <br/> {booking.location.address.clone()}</p>
            <p class="hs-done-price">{super::price_tag(&strings, &done.price, done.original_price.as_ref())}</p>
            {done.discount.as_ref().map(|d| view! { <p class="hs-offer">{d.name.clone()}</p> })}
            {done.membership.as_ref().map(|m| {
                let paid = strings.fill("membership_paid", &[("name", &m.name)]);
                view! { <p class="hs-membership-card" role="status"><strong>{paid}</strong> <span>{membership::left(&strings, m)}</span> <span>{membership::until(&strings, m)}</span></p> }
            })}
            {calendar}
            <p class="hs-ref">{strings.get("reference")} " " <code>{done.booking_id.clone()}</code></p>
            <button type="button" class="hs-button" on:click=move |_| flow.update(|f| f.restart())>{strings.get("book_another")}</button>
        </div>
        {promo::block(&booking, PromoScreen::Success)}
    }
    .into_any())
}
