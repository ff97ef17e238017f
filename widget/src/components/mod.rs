//! What the client sees, one module per step. Components render the [`Flow`] and call its
//! transitions; they never build URLs (that is [`crate::api`]).

mod details;
mod done;
mod feedback;
mod fetched;
mod lazy;
mod locations;
mod manage;
mod membership;
mod promo;
mod services;
mod specialists;
mod times;
mod tracker;

use leptos::prelude::*;

use crate::api::Api;
use crate::flow::{Flow, Preset, Step};
use crate::format;
use crate::strings::Strings;
use homeslot_core::catalog::Category;
use homeslot_core::wire::{CatalogResponse, ClientDetails, LocationView, Money};

/// The widget's own rules (which only read the theme's tokens, from the company's `theme.css`),
/// minified by build.rs.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

/// What every step needs: the edge, the catalog, the location, the flow, and the client's
/// details (kept here so they survive going back to pick another time).
#[derive(Clone)]
pub(crate) struct Booking {
    pub api: Api,
    pub catalog: CatalogResponse,
    /// The service categories, in the owner's order.
    pub categories: Vec<Category>,
    pub location: LocationView,
    pub flow: RwSignal<Flow>,
    /// What the client typed in the details step.
    pub client: RwSignal<ClientDetails>,
    pub strings: Strings,
    /// The date the calendar opens on: today, or the date the page preselected.
    pub first_date: String,
    /// Whether a step's heading takes the focus when shown: only once the client has moved
    /// between steps, never on the page's first load (that would scroll the host page).
    pub focus: StoredValue<bool>,
    /// For a chain, the chosen location: clearing it goes back to the list of locations.
    pub chain: Option<RwSignal<Option<LocationView>>>,
    /// The host page's address, for the client's manage link.
    pub page: Option<String>,
    /// The catalog as the edge published it, as JSON text: the details step reads its contact
    /// settings, the promo block its promos.
    pub published: String,
    /// When the client moves a booking they have: true while they choose its new time; "back"
    /// clears it and returns to the booking.
    pub moving: Option<RwSignal<bool>>,
}

impl Booking {
    /// The chosen services' names, joined: "Cut + Colour".
    pub fn names(&self, services: &[String]) -> String {
        // Joined by hand: `join` brings a generic copier into the first screen.
        let mut names = String::new();
        for service in services
            .iter()
            .filter_map(|id| self.catalog.services.iter().chain(&self.catalog.classes).find(|s| s.id == *id))
        {
            if !names.is_empty() {
                names.push_str(" + ");
            }
            names.push_str(&service.name);
        }
        names
    }
}

/// The "back" button, named for the step it returns to; nothing on the first step.
pub(crate) fn back(booking: &Booking) -> impl IntoView {
    let (flow, chain, moving) = (booking.flow, booking.chain, booking.moving);
    let key = match (moving, flow.with_untracked(Flow::previous_step)) {
        (Some(_), _) => "back_booking",
        (None, Some(Step::Service)) => "back_services",
        (None, Some(Step::Specialist)) => "back_specialists",
        (None, Some(_)) => "back_times",
        (None, None) => {
            chain?;
            "back_locations"
        }
    };
    let back = move |_| match (moving, flow.with_untracked(Flow::previous_step), chain) {
        (Some(moving), _, _) => moving.set(false),
        (None, None, Some(chain)) => chain.set(None),
        _ => flow.update(|f| f.back()),
    };
    Some(view! { <button type="button" class="hs-back" on:click=back>{booking.strings.get(key)}</button> })
}

/// What the client pays, and before it the price a discount lowered, struck through. A screen
/// reader hears "was £20.00" instead of a number it cannot see crossed out.
pub(crate) fn price_tag(strings: &Strings, now: &Money, was: Option<&Money>) -> impl IntoView {
    let language = &strings.language;
    let was = was.filter(|was| was.amount_minor > now.amount_minor).map(|was| {
        let text = format::price(was, language);
        let spoken = strings.fill("was_price", &[("price", &text)]);
        view! { <s class="hs-was" aria-hidden="true">{text}</s> <span class="hs-sr">{spoken}</span> " " }
    });
    view! { {was} <span class="hs-price">{format::price(now, language)}</span> }
}

/// A step's heading. After a move between steps it takes the focus, so a keyboard or screen
/// reader user continues at the top of the new step, not at the start of the page.
pub(crate) fn title(focus: StoredValue<bool>, text: String) -> impl IntoView {
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            if focus.get_value() {
                let _ = heading.focus();
            }
        }
    });
    view! { <h2 class="hs-title" tabindex="-1" node_ref=heading>{text}</h2> }
}

/// The root view: loads the catalog, then shows the step the flow is on, starting from what the
/// page preselected.
pub fn app(api: Api, preset: Preset, strings: Strings, prefetched: Option<js_sys::Promise>) -> impl IntoView {
    let catalog = fetched::Fetched::new();
    // The first answer usually comes from the loader's own request (started with the code's
    // download); a retry asks again. (One loader for both: each `load` future type costs the
    // first screen a copy of the loading code.)
    let load = {
        let api = api.clone();
        move |response: Option<js_sys::Promise>| {
            let api = api.clone();
            catalog.load(async move {
                match response {
                    Some(response) => api.prefetched_catalog(response).await,
                    None => api.catalog().await,
                }
            });
        }
    };
    load(prefetched);
    let load_catalog = move || load(None);
    // The later steps' code (one chunk for all of them, so one request and one compile), fetched
    // now, with the catalog: the step the client or the page's preselection goes to next is
    // usually there when it is needed. A client's manage link loads its own view instead.
    if preset.manage.is_none() {
        leptos::task::spawn_local(async {
            let _ = times::load().await;
        });
    }
    let managing = RwSignal::new(preset.manage.clone());
    let (label, language) = (strings.get("booking"), strings.language.clone());
    let direction = if strings.rtl { "rtl" } else { "ltr" };
    view! {
        <style>{STYLE}</style>
        <section class="hs" aria-label=label lang=language dir=direction>
            {move || match catalog.get() {
                None => feedback::skeleton(&strings).into_any(),
                Some(Err(failure)) => feedback::problem(&strings, failure, load_catalog.clone()).into_any(),
                Some(Ok(crate::decode::WidgetCatalog { catalog, categories, step_order, published })) => {
                    if catalog.locations.is_empty() {
                        return view! { <p class="hs-problem" role="alert">{strings.get("not_available")}</p> }.into_any();
                    }
                    // A client's manage link shows their booking; they may then book anew.
                    if let Some(token) = managing.get() {
                        let (api, strings, focus) = (api.clone(), strings.clone(), StoredValue::new(false));
                        let (catalog, page) = (catalog.clone(), preset.page.clone());
                        return lazy::step(strings.clone(), || Box::pin(manage::load()), Box::new(move || {
                            Box::pin(manage::view(manage::Managing {
                                api: api.clone(),
                                catalog: catalog.clone(),
                                strings: strings.clone(),
                                token: token.clone(),
                                page: page.clone(),
                                focus,
                                done: managing,
                            }))
                        }))
                        .into_any();
                    }
                    // A chain starts with its locations, unless the page chose one.
                    let chain = catalog.locations.len() > 1;
                    let preselected = preset.location.as_deref().and_then(|id| catalog.locations.iter().find(|l| l.id == id));
                    let start = preselected.or(catalog.locations.first().filter(|_| !chain)).cloned();
                    let chosen = RwSignal::new(start);
                    let (api, preset, strings, focus) = (api.clone(), preset.clone(), strings.clone(), StoredValue::new(false));
                    (move || match chosen.get() {
                        None => locations::view(&catalog.locations, chosen, focus, &strings).into_any(),
                        Some(location) => {
                            let flow = Flow::preset(&preset, &catalog, &location.id, &location.today, &step_order);
                            steps(Booking {
                                api: api.clone(),
                                catalog: catalog.clone(),
                                categories: categories.clone(),
                                flow: RwSignal::new(flow),
                                client: RwSignal::new(ClientDetails::default()),
                                strings: strings.clone(),
                                first_date: preset.first_date(&location.today),
                                focus,
                                chain: chain.then_some(chosen),
                                moving: None,
                                page: preset.page.clone(),
                                published: published.clone(),
                                location,
                            })
                            .into_any()
                        }
                    })
                    .into_any()
                }
            }}
        </section>
    }
}

fn steps(booking: Booking) -> impl IntoView {
    let flow = booking.flow;
    // A memo, so a step is rebuilt only when the step changes, not on every choice within it.
    let step = Memo::new(move |_| flow.with(Flow::step));
    let drawn = StoredValue::new(false);
    let company = booking.catalog.company.name.clone();
    // The analytics and the promo above the steps: their code is the later steps' chunk's, so they
    // start once it is here (`tracker.rs`).
    let tracker = {
        let (booking, strings) = (booking.clone(), booking.strings.clone());
        let build = Box::new(move || Box::pin(tracker::view(booking.clone())) as lazy::Building);
        lazy::quietly(strings, || Box::pin(tracker::load()), build)
    };
    view! {
        <header class="hs-header">
            <p class="hs-company">{company}</p>
            <p class="hs-location">{booking.location.name.clone()}</p>
        </header>
        {tracker}
        {move || {
            let (booking, strings) = (booking.clone(), booking.strings.clone());
            // The first run draws the first step; every later run is a move between steps.
            if drawn.get_value() {
                booking.focus.set_value(true);
            }
            drawn.set_value(true);
            match step.get() {
                Step::Service => services::view(booking).into_any(),
                Step::Specialist => lazy::step(
                    strings,
                    || Box::pin(specialists::load()),
                    Box::new(move || Box::pin(specialists::view(booking.clone()))),
                )
                .into_any(),
                Step::Time => lazy::step(
                    strings,
                    || Box::pin(times::load()),
                    Box::new(move || Box::pin(times::view(booking.clone()))),
                )
                .into_any(),
                Step::Details => lazy::step(
                    strings,
                    || Box::pin(details::load()),
                    Box::new(move || Box::pin(details::view(booking.clone()))),
                )
                .into_any(),
                Step::Done => lazy::step(
                    strings,
                    || Box::pin(done::load()),
                    Box::new(move || Box::pin(done::view(booking.clone()))),
                )
                .into_any(),
            }
        }}
    }
}
