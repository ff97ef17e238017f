//! The console: its page (every address under `/console`) and its own endpoints, under
//! `/v1/console/`: accounts (invites, sign-in, sessions) and a
//! business's staff. Everything else the console does goes through the admin API, which accepts a
//! signed-in person's session as well as tokens and checks their role on every endpoint
//! (`handlers::admin::caller`).

pub mod accounts;
pub mod page;
pub mod passkeys;
pub mod session;
pub mod staff;
pub mod webauthn;
