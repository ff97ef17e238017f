//! Homeslot's edge: a thin Cloudflare Worker.
//!
//! Requests under `/v1/` (the API, with the owner's console's own endpoints in [`console`]), `/b/` (the hosted booking page) and `/qr/` (its QR code)
//! reach [`router::route`]; everything else (the widget, the loader, the demo page) is served from
//! static assets without running Rust. Handlers parse and validate,
//! call the pure core (`homeslot-core`) and the origin store, and answer JSON. The store is two
//! Durable Object classes with SQLite: [`store::company::CompanyStore`] (the catalog) and
//! [`store::location::LocationStore`] (bookings; every check-and-write of a booking happens
//! there, serially).

mod checkout;
mod clock;
mod console;
mod cors;
mod error;
mod google_updates;
mod handlers;
mod http;
mod limits;
mod mail;
mod recovery;
mod router;
mod seal;
mod store;
mod webcrypto;
mod webhooks;

use worker::{event, Context, Env, Request, Response, Result};

pub use store::company::CompanyStore;
pub use store::google_user::GoogleUserStore;
pub use store::location::LocationStore;
pub use store::person::PersonStore;

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    router::route(req, &env).await
}

/// The queues' batches: e-mail (`homeslot-messages`, see `mail`) and webhooks
/// (`homeslot-webhooks`, see `webhooks`), each with its dead letters.
#[event(queue)]
async fn queue(batch: worker::MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    if batch.queue().starts_with("homeslot-webhooks") {
        webhooks::consume(batch, &env).await
    } else {
        mail::consume(batch, &env).await
    }
}
