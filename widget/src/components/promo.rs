//! The promo block: the owner's promo for the screen the client is on (services, specialists,
//! times or success), at most one per screen. A promo with only a title (and perhaps a button) is
//! a banner; one with a description or an image is a banner that opens to show them and the
//! button (a native `<details>`: keyboard and screen readers need nothing more).
//!
//! The button goes to the owner's `https://` address in a new tab, or, for `service:{id}`, opens
//! the booking on that service. The edge publishes only running promos; which one a screen shows
//! is `homeslot_core::promo::for_screen`, with the audience judged on this device: a client the
//! widget remembers from a booking here is returning, anyone else is new (judged once per page).
//!
//! Its code is in the later steps' chunk: the block above the services, specialists and times is
//! drawn by the tracker (`tracker.rs`, which also tells the trackers it was shown), and appears
//! once that chunk has loaded (fetched with the first screen). The success screen draws its own.

use leptos::prelude::*;

use super::{tracker, Booking};
use crate::format::escape;
use crate::{analytics, decode, remembered};
use homeslot_core::promo::{for_screen, Promo, PromoScreen};
use homeslot_core::time::CivilDate;

/// This block's rules, shipped with its chunk.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/promo.css"));

/// The promo `screen` shows, if any.
pub(super) fn chosen(booking: &Booking, screen: PromoScreen) -> Option<Promo> {
    let promos = decode::promos(&booking.published);
    let today = CivilDate::parse(&booking.location.today)?;
    let returning = returning(&booking.api.company);
    for_screen(&promos, screen, &booking.location.id, returning, today).cloned()
}

/// The screen's promo, if it has one.
///
/// Written as markup (every text and address in it escaped, the addresses checked `https://` by
/// the edge), with one click handler for its button: each distinct view costs the chunk bytes.
pub(super) fn block(booking: &Booking, screen: PromoScreen) -> Option<impl IntoView> {
    let promo = chosen(booking, screen)?;
    let Promo { id, title, description, image_url, button_text, button_link, .. } = promo.clone();
    let id = escape(&format!("hs-promo-{id}"));
    // The button: the owner's page in a new tab, or a service of the business (`data-service`,
    // handled below).
    let button = match (button_text, button_link) {
        (Some(text), Some(link)) => match link.strip_prefix("service:") {
            Some(service) => format!(
                r#"<button type="button" class="hs-button hs-promo-link" data-promo data-service="{}">{}</button>"#,
                escape(service),
                escape(&text)
            ),
            None => format!(
                r#"<a class="hs-button hs-promo-link" data-promo href="{}" target="_blank" rel="noopener">{}</a>"#,
                escape(&link),
                escape(&text)
            ),
        },
        _ => String::new(),
    };
    let title = escape(&title);
    let html = if description.is_empty() && image_url.is_none() {
        format!(r#"<p class="hs-promo-title" id="{id}">{title}</p>{button}"#)
    } else {
        // An image is decoration next to the title and text (empty alt); it is fetched from the
        // owner's address without telling it which page it is on.
        let image = image_url.map(|src| {
            format!(r#"<img class="hs-promo-image" src="{}" alt="" referrerpolicy="no-referrer">"#, escape(&src))
        });
        let text =
            (!description.is_empty()).then(|| format!(r#"<p class="hs-promo-text">{}</p>"#, escape(&description)));
        format!(
            r#"<details><summary class="hs-promo-title" id="{id}">{title}</summary>{}{}{button}</details>"#,
            image.unwrap_or_default(),
            text.unwrap_or_default()
        )
    };
    let (flow, first_date, classes) = (booking.flow, booking.first_date.clone(), booking.catalog.classes.clone());
    let clicked = booking.clone();
    // A click on the button tells the trackers; `service:{id}` then restarts the booking on that
    // service (or class). A link opens by itself.
    let open = move |ev: leptos::ev::MouseEvent| {
        let target = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok());
        let Some(target) = target.filter(|t| t.has_attribute("data-promo")) else {
            return;
        };
        tracker::send(&clicked, &target, &|context| analytics::promo_clicked(context, &promo));
        let Some(service) = target.get_attribute("data-service") else {
            return;
        };
        let class = classes.iter().any(|c| c.id == service);
        flow.update(|f| {
            f.restart();
            if class {
                f.choose_class(&service, &first_date);
            } else {
                f.choose_visit(std::slice::from_ref(&service), &first_date);
            }
        });
    };
    let labelled = id;
    Some(view! {
        <style>{STYLE}</style>
        <aside class="hs-promo" aria-labelledby=labelled on:click=open inner_html=html></aside>
    })
}

thread_local! {
    /// Per company, whether the client was returning when the widget first showed a screen with
    /// promos on this page.
    static RETURNING: std::cell::RefCell<Vec<(String, bool)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether the client is returning: this device remembers them from a booking here. Judged once
/// per page, so a new client who has just booked still sees the new clients' promo on the
/// success screen (the booking made the device remember them).
fn returning(company: &str) -> bool {
    RETURNING.with_borrow_mut(|known| match known.iter().find(|(c, _)| c == company) {
        Some((_, returning)) => *returning,
        None => {
            let returning = remembered::load(company).is_some();
            known.push((company.to_string(), returning));
            returning
        }
    })
}
