//! What the client sees, one module per step. Components render the [`Flow`] and call its
//! transitions; they never build URLs (that is [`crate::api`]).

mod details;
mod done;
mod feedback;
mod fetched;
mod lazy;
mod services;
mod times;

use leptos::prelude::*;

use crate::api::Api;
use crate::flow::{Flow, Step};
use homeslot_core::wire::{CatalogResponse, LocationView};

/// The theme's tokens, then the widget's own rules (which only read tokens), minified by build.rs.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.css"));

/// What every step needs: the edge, the catalog, the location, the flow, and the client's
/// details (kept here so they survive going back to pick another time).
#[derive(Clone)]
pub(crate) struct Booking {
    pub api: Api,
    pub catalog: CatalogResponse,
    pub location: LocationView,
    pub flow: RwSignal<Flow>,
    pub name: RwSignal<String>,
    pub phone: RwSignal<String>,
}

/// The root view: loads the catalog, then shows the step the flow is on.
pub fn app(api: Api, location: Option<String>) -> impl IntoView {
    let catalog = fetched::Fetched::new();
    let load_catalog = {
        let api = api.clone();
        move || {
            let api = api.clone();
            catalog.load(async move { api.catalog().await });
        }
    };
    load_catalog();
    view! {
        <style>{STYLE}</style>
        <section class="hs" aria-label="Online booking">
            {move || match catalog.get() {
                None => feedback::skeleton().into_any(),
                Some(Err(failure)) => feedback::problem(failure, load_catalog.clone()).into_any(),
                Some(Ok(catalog)) => {
                    let chosen = location.as_deref().and_then(|id| catalog.locations.iter().find(|l| l.id == id));
                    match chosen.or(catalog.locations.first()).cloned() {
                        Some(location) => steps(Booking {
                            api: api.clone(),
                            catalog,
                            location,
                            flow: RwSignal::new(Flow::default()),
                            name: RwSignal::new(String::new()),
                            phone: RwSignal::new(String::new()),
                        })
                        .into_any(),
                        None => view! { <p class="hs-problem" role="alert">"Online booking is not available for this business yet."</p> }.into_any(),
                    }
                }
            }}
        </section>
    }
}

fn steps(booking: Booking) -> impl IntoView {
    let flow = booking.flow;
    // A memo, so a step is rebuilt only when the step changes, not on every choice within it.
    let step = Memo::new(move |_| flow.with(Flow::step));
    let company = booking.catalog.company.name.clone();
    // The later steps' chunks, fetched one after the other while the client reads the first
    // screen, so each step is there the moment it is chosen.
    leptos::task::spawn_local(async {
        let _ = times::load().await;
        let _ = details::load().await;
        let _ = done::load().await;
    });
    view! {
        <header class="hs-header">
            <p class="hs-company">{company}</p>
            <p class="hs-location">{booking.location.name.clone()}</p>
        </header>
        {move || {
            let booking = booking.clone();
            match step.get() {
                Step::Service => services::view(booking).into_any(),
                Step::Time => lazy::step(times::load, move || times::view(booking.clone())).into_any(),
                Step::Details => lazy::step(details::load, move || details::view(booking.clone())).into_any(),
                Step::Done => lazy::step(done::load, move || done::view(booking.clone())).into_any(),
            }
        }}
    }
}
