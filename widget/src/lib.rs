//! Homeslot's booking widget: a Leptos client-side app compiled to WebAssembly.
//!
//! The host page's loader (`embed-snippets/loader.js`) creates a shadow root, loads this module
//! and calls [`mount`]. Everything the client sees is rendered inside that shadow root, so the
//! host's CSS cannot break the widget and the widget cannot break the host.
//!
//! - [`flow`]: the booking flow as plain data (tested natively),
//! - [`api`]: the one module that talks to the edge, [`decode`]: its JSON readers,
//! - [`format`]: prices and dates through the browser's `Intl`,
//! - `components`: what is drawn for each step; the steps after the first screen are wasm chunks
//!   of their own, fetched when needed (`components/lazy.rs`).

pub mod api;
mod components;
pub mod decode;
pub mod flow;
pub mod format;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts a booking widget for `company` into `target` (an element inside the loader's shadow
/// root). `location` preselects a location ("" for the company's first); `api_base` is the
/// origin of the business's edge. Several widgets may be mounted on one page.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, company: String, location: String, api_base: String) {
    let api = api::Api { base: api_base.trim_end_matches('/').to_string(), company };
    let location = (!location.is_empty()).then_some(location);
    leptos::mount::mount_to(target, move || components::app(api, location)).forget();
}
