//! Homeslot's pure domain core, shared by the edge (Worker) and the widget (browser).
//!
//! Nothing here performs I/O or reads the clock: the current time is always a parameter, so every
//! rule is deterministic and testable natively.
//!
//! - [`access`]: the roles of a business's staff and what each may see and change;
//!   [`accounts`]: the JSON of the console's accounts and staff endpoints; [`audit`]: the
//!   business-wide trail of who changed what.
//! - [`catalog`]: what a business is made of (locations, services, specialists, working hours) and
//!   how an owner's catalog document is validated.
//! - [`settings`]: how the owner wants the widget to look and ask; [`theme`]: the theme presets
//!   and the WCAG AA check of the owner's colours.
//! - [`clients`]: a client's card as the staff see it, and merging two records of one person.
//! - [`embed`]: the code an owner pastes into their site, and the hosted page's link.
//! - [`currency`]: ISO 4217 codes and their minor units' digits.
//! - [`pricing`]: what a client pays: prices with the owner's automatic discounts.
//! - [`membership`]: passes and subscriptions, and whether one pays for a booking.
//! - [`mail`]: the business's SMTP provider and addresses; [`messages`]: the e-mails a booking sends (events, recipients, reminders' times, words).
//! - [`links`]: short links per source (`/s/{company}/{name}`) with the owner's UTM parameters.
//! - [`onboarding`]: what a new business starts from: its country's currency, its trade's services.
//! - [`promo`]: the promo block the widget shows, one per screen.
//! - [`report`]: what a location's bookings add up to over a range of dates.
//! - [`reserve`]: Reserve with Google's booking server messages (proto3 JSON) and ids.
//! - [`validation`]: checks of what a client types (name, phone).
//! - [`error`]: the one API error shape with stable machine codes.
//! - [`webhooks`]: Standard Webhooks' event types, endpoints' addresses, the retry schedule.
//! - [`wire`]: the JSON types of the public API, so the widget and the edge cannot drift.
//! - `calendar` (feature `tz`): a booking as an iCalendar file and a Google Calendar link;
//!   `morning_agenda` (feature `tz`): when each location's specialists are sent their day.
//! - `availability` (feature `tz`, edge only): free slots from working hours minus bookings, in the
//!   location's time zone.

pub mod access;
pub mod accounts;
pub mod agenda;
pub mod audit;
pub mod catalog;
pub mod clients;
pub mod currency;
pub mod embed;
pub mod error;
pub mod feeds;
pub mod google_feeds;
pub mod language;
pub mod links;
pub mod mail;
pub mod membership;
pub mod messages;
pub mod onboarding;
pub mod pricing;
pub mod promo;
pub mod report;
pub mod reserve;
pub mod settings;
pub mod theme;
pub mod time;
pub mod validation;
pub mod webhooks;
pub mod wire;

#[cfg(feature = "tz")]
pub mod availability;
#[cfg(feature = "tz")]
pub mod calendar;
#[cfg(feature = "tz")]
pub mod google_updates;
#[cfg(feature = "tz")]
pub mod morning_agenda;
