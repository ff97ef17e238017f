//! Homeslot's console: where the people of a business — its owner, managers, front desk and
//! specialists — sign in and run it, at `/console`. A Leptos client-side app, written the way our
//! Rust front ends should read: components, the router, resources under `Suspense`, and the same
//! rules and JSON types as the edge (`homeslot-core`), so nothing is written twice.
//!
//! - [`app`]: the routes;
//! - [`api`]: the edge's endpoints, typed, and their errors;
//! - [`session`]: who is signed in, shared by every page; [`dates`]: dates as the screens move and show them;
//! - [`passkeys`]: making and using passkeys in the browser; [`qr`]: QR codes as PNG files;
//! - [`pages`]: one module per screen; [`components`]: pieces several screens use.

pub mod api;
pub mod app;
pub mod components;
pub mod dates;
pub mod pages;
pub mod passkeys;
pub mod qr;
pub mod session;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the console into the page's `<body>`.
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(app::App);
}
