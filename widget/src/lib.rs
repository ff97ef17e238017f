//! Homeslot's booking widget: a Leptos client-side app compiled to WebAssembly.
//!
//! The host page's loader (`embed-snippets/loader.js`) creates a shadow root, loads this module
//! and calls [`mount`]. Everything the client sees is rendered inside that shadow root, so the
//! host's CSS cannot break the widget and the widget cannot break the host.
//!
//! - [`flow`]: the booking flow as plain data (tested natively), [`analytics`]: the events it
//!   means to the page's trackers (delivered by `components/tracker.rs`),
//! - [`api`]: the one module that talks to the edge, [`decode`]: its JSON readers,
//! - [`format`]: prices and dates through the browser's `Intl`, `remembered`: the client's
//!   details kept on this device,
//! - `components`: what is drawn for each step; the steps after the first screen are wasm chunks
//!   of their own, fetched when needed (`components/lazy.rs`).

pub mod analytics;
pub mod api;
mod components;
pub mod decode;
pub mod flow;
pub mod format;
mod remembered;
pub mod strings;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Mounts a booking widget into `target` (an element inside the `<homeslot-widget>` element's
/// shadow root). `options` is a plain object of strings: `edge` (the business's edge origin),
/// `company`, and what the page preselected: `location`, `service`, `specialist` (an id or
/// `any`), `date` (`YYYY-MM-DD`) and `step-order` (`service_first`, `specialist_first`,
/// `date_first`); `manage` (a client's manage token: their booking is shown instead) and `page`
/// (the host page's address, for the manage link).
/// `strings` is the edge's answer to `GET /v1/companies/{c}/strings?part=first` (the first
/// screen's words in the page's language) with `later`, a function the loader adds that fetches
/// the later steps' words into it (see [`strings`]). `catalog` is the loader's `fetch` of the catalog, started while this code loaded
/// (anything else: the widget fetches it). Several widgets may be mounted on one page.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, options: JsValue, strings: JsValue, catalog: JsValue) {
    let option = |name: &str| {
        js_sys::Reflect::get(&options, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
            .filter(|v| !v.is_empty())
    };
    let api = api::Api {
        base: option("edge").unwrap_or_default().trim_end_matches('/').to_string(),
        company: option("company").unwrap_or_default(),
    };
    let preset = flow::Preset {
        location: option("location"),
        service: option("service"),
        specialist: option("specialist"),
        date: option("date"),
        order: option("step-order"),
        manage: option("manage"),
        page: option("page"),
    };
    let strings = strings::Strings::from_js(strings);
    let catalog = catalog.dyn_into::<js_sys::Promise>().ok();
    leptos::mount::mount_to(target, move || components::app(api, preset, strings, catalog)).forget();
}
