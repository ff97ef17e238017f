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
//! Its code is in the later steps' chunk: on the services screen the block appears once that
//! chunk has loaded (fetched with the first screen).

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use super::Booking;
use crate::{decode, remembered};
use homeslot_core::promo::{for_screen, Promo, PromoScreen};
use homeslot_core::time::CivilDate;

/// This block's rules, shipped with its chunk.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/promo.css"));

/// The services screen's promo, drawn by the first screen's code once the chunk is here (the
/// later screens, in the chunk, call [`block`]).
#[wasm_split(steps, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking, screen: PromoScreen) -> Result<AnyView, SplitLoaderError> {
    Ok(block(&booking, screen).into_any())
}

/// The screen's promo, if it has one.
pub(super) fn block(booking: &Booking, screen: PromoScreen) -> Option<impl IntoView> {
    let promos = decode::promos(&booking.published);
    let today = CivilDate::parse(&booking.location.today)?;
    let returning = returning(&booking.api.company);
    let promo = for_screen(&promos, screen, &booking.location.id, returning, today)?.clone();
    let button = button(booking, &promo);
    let Promo { id, title, description, image_url, .. } = promo;
    let (id, labelled) = (format!("hs-promo-{id}"), format!("hs-promo-{id}"));
    if description.is_empty() && image_url.is_none() {
        return Some(
            view! {
                <style>{STYLE}</style>
                <aside class="hs-promo" aria-labelledby=labelled>
                    <p class="hs-promo-title" id=id>{title}</p>
                    {button}
                </aside>
            }
            .into_any(),
        );
    }
    // An image is decoration next to the title and text (empty alt); it is fetched from the
    // owner's address without telling it which page it is on.
    let image =
        image_url.map(|src| view! { <img class="hs-promo-image" src=src alt="" referrerpolicy="no-referrer" /> });
    let description = (!description.is_empty()).then(|| view! { <p class="hs-promo-text">{description}</p> });
    Some(
        view! {
            <style>{STYLE}</style>
            <aside class="hs-promo" aria-labelledby=labelled>
                <details>
                    <summary class="hs-promo-title" id=id>{title}</summary>
                    {image}
                    {description}
                    {button}
                </details>
            </aside>
        }
        .into_any(),
    )
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

/// The promo's button: a link to the owner's address, or a button that opens the booking on one
/// of the business's services.
fn button(booking: &Booking, promo: &Promo) -> Option<AnyView> {
    let text = promo.button_text.clone()?;
    let link = promo.button_link.clone()?;
    let Some(service) = link.strip_prefix("service:").map(str::to_string) else {
        return Some(
            view! { <a class="hs-button hs-promo-link" href=link target="_blank" rel="noopener">{text}</a> }.into_any(),
        );
    };
    let (flow, first_date) = (booking.flow, booking.first_date.clone());
    let class = booking.catalog.classes.iter().any(|c| c.id == service);
    let open = move |_| {
        flow.update(|f| {
            f.restart();
            if class {
                f.choose_class(&service, &first_date);
            } else {
                f.choose_visit(std::slice::from_ref(&service), &first_date);
            }
        })
    };
    Some(view! { <button type="button" class="hs-button hs-promo-link" on:click=open>{text}</button> }.into_any())
}
