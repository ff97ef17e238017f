//! JSON types of the public API (`/v1`). The edge serialises them, the widget deserialises them:
//! one definition, so the two cannot drift. Instants are RFC 3339 UTC strings; the API also gives
//! the local date and time to display, so the browser needs no time-zone data.

use serde::{Deserialize, Serialize};

use crate::catalog::Category;
use crate::settings::WidgetSettings;

/// An amount of money in minor units (pence, cents, yen) with its ISO 4217 currency and the
/// number of digits of that currency's minor unit (`exponent`: JPY 0, EUR 2, KWD 3), so a client
/// shows `{"amount_minor": 5000, "currency": "JPY", "exponent": 0}` as ¥5,000 without a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount_minor: i64,
    pub currency: String,
    pub exponent: u8,
}

impl Money {
    /// `amount_minor` of `currency`, with the currency's exponent (2 for a code the table does not
    /// know: catalogs are validated, so only a catalog stored before that check can have one).
    pub fn of(amount_minor: i64, currency: &str) -> Self {
        let exponent = crate::currency::exponent(currency).unwrap_or(2);
        Money { amount_minor, currency: currency.to_string(), exponent }
    }

    /// The amount in major units (GA4's and Meta's `value`).
    pub fn major(&self) -> f64 {
        crate::currency::major(self.amount_minor, self.exponent)
    }
}

/// `GET /v1/companies/{company}`: what a client can book.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogResponse {
    pub company: CompanyView,
    pub locations: Vec<LocationView>,
    /// One-to-one services: booked at a free time.
    pub services: Vec<ServiceView>,
    /// Group classes: booked by seat in a session (`…/classes`).
    #[serde(default)]
    pub classes: Vec<ServiceView>,
    pub specialists: Vec<SpecialistView>,
}

/// The whole answer of `GET /v1/companies/{company}`: the catalog with the service categories and
/// the owner's widget settings. Kept apart from [`CatalogResponse`] so the widget pays (in bytes)
/// only for the parts its screens read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCatalog {
    #[serde(flatten)]
    pub catalog: CatalogResponse,
    /// The service categories, in the owner's order.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// How the owner wants the widget to look and ask.
    #[serde(default)]
    pub widget: WidgetSettings,
    /// The owner's promos running today, in the owner's order: the widget shows, on each screen,
    /// the first for that screen, location and audience ([`crate::promo::for_screen`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promos: Vec<crate::promo::Promo>,
    /// For a page that opens on the times (`?service=…` with a specialist or "any", or the date
    /// first): the free times its first screen shows, so the widget draws them without asking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_slots: Option<FirstSlots>,
}

/// The days of the widget's date strip: what its times step asks for (`…/slots?calendar=`), and
/// so what the catalog's [`FirstSlots`] answer for (the edge must ask as the widget would).
pub const STRIP_DAYS: u32 = 14;

/// The free times of a page's first screen, carried by the catalog: what
/// `…/locations/{location}/slots?service=…&date=…&calendar={STRIP_DAYS}&next_open=true[&specialist=…]`
/// answers, with what was asked (the answer's date may be a later one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstSlots {
    /// The date asked: the page's, or the location's today.
    pub date: String,
    /// The specialist asked; none for "any specialist".
    #[serde(default)]
    pub specialist_id: Option<String>,
    pub answer: SlotsResponse,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanyView {
    pub id: String,
    pub name: String,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// The owner is trying the form: bookings are tests, and the widget sends no analytics event.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test_bookings: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationView {
    pub id: String,
    pub name: String,
    pub address: String,
    #[serde(default)]
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub time_zone: String,
    /// Today's date at the location (`YYYY-MM-DD`), where the date picker starts.
    pub today: String,
    /// How many days ahead, counting today, can be booked.
    pub horizon_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<String>,
    pub duration_minutes: u32,
    pub price: Money,
    /// Who performs it (at any location: a specialist's own `location_id` says where).
    #[serde(default)]
    pub specialist_ids: Vec<String>,
    /// The price every client pays today through this channel after the owner's automatic
    /// discount, when one applies (`price` is then shown struck through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<Offer>,
    /// What a client pays on their first booking with the chain, when that is less still.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_booking_offer: Option<Offer>,
    /// Booked only with a membership that covers it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub members_only: bool,
}

/// A discounted price and the discount that makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub price: Money,
    pub discount: AppliedDiscount,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpecialistView {
    pub id: String,
    pub name: String,
    pub position: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    pub location_id: String,
}

/// `GET /v1/companies/{company}/locations/{location}/slots?service=…&date=YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotsResponse {
    pub location_id: String,
    pub service_id: String,
    pub date: String,
    pub time_zone: String,
    pub slots: Vec<SlotView>,
    /// With `calendar=N`: the dates from the location's today, for N days, that have a free slot,
    /// so a date picker can offer only those without a second request. Empty otherwise.
    #[serde(default)]
    pub open_dates: Vec<String>,
}

/// `GET /v1/companies/{company}/locations/{location}/dates?service=…&from=YYYY-MM-DD&days=N`:
/// the dates of the range that have at least one free slot (for a calendar).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatesResponse {
    pub location_id: String,
    pub service_id: String,
    pub from: String,
    pub days: u32,
    pub time_zone: String,
    /// Local dates `YYYY-MM-DD`, ascending.
    pub dates: Vec<String>,
}

/// One bookable start time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlotView {
    /// The instant, e.g. `2026-11-24T09:00:00Z`; send it back unchanged to book.
    pub start: String,
    /// Local wall-clock time at the location, `HH:MM`, for display.
    pub local_time: String,
    /// Who is free at that time, in the order "any specialist" would choose them.
    pub specialist_ids: Vec<String>,
}

/// `POST /v1/companies/{company}/locations/{location}/bookings`.
///
/// Every field defaults to empty so that a missing one is reported by validation with its own
/// code (`name_required`, …) instead of a generic parse error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BookingRequest {
    #[serde(default)]
    pub service_id: String,
    /// The slot's `start`, as the slots endpoint gave it.
    #[serde(default)]
    pub start: String,
    /// A specific specialist, or none for "any specialist".
    #[serde(default)]
    pub specialist_id: Option<String>,
    #[serde(default)]
    pub client: ClientDetails,
    /// The hold placed on this time, if any: the booking consumes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_id: Option<String>,
    /// The membership that pays (its holder is `client.phone`); required for a members-only service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipRef>,
    /// Where the client came from (the UTM parameters and ad click ids of the page's address),
    /// stored with the booking for the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClientDetails {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// Optional; identifies the client across the chain when the phone is new. Hidden, optional
    /// or required by the owner's `widget.email_field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A note for the business (at most 500 characters), as the owner's `widget.comment_field`
    /// asks: hidden (dropped), optional or required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The client accepted the owner's privacy policy (required when the owner set one).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub privacy_accepted: bool,
    /// The client agreed to hear from the business (only kept when the owner offers it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub marketing_consent: bool,
    /// The language the client's e-mails are written in (one the widget speaks; the widget sends
    /// its own). None, or one it does not speak: the request's `Accept-Language`, else the
    /// owner's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The answer to a successful booking (201). Holds only what the booking client already knows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookingConfirmation {
    pub booking_id: String,
    pub location_id: String,
    pub service_id: String,
    pub service_name: String,
    pub specialist_id: String,
    pub specialist_name: String,
    pub start: String,
    pub end: String,
    pub local_date: String,
    pub local_time: String,
    pub time_zone: String,
    /// What the client pays: after the automatic discount, when one applied.
    pub price: Money,
    /// The price before the discount, when one applied (shown struck through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<Money>,
    /// The automatic discount that applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<AppliedDiscount>,
    /// The membership that paid, with its balance after this booking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipView>,
    /// The client's own link to view, cancel or move this booking (`/v1/manage/{token}`). Only in
    /// the confirmation: it is never stored in the clear, so it cannot be shown again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_token: Option<String>,
}

/// Where a client came from: the UTM parameters and the ad click ids (Google's `gclid`, Meta's
/// `fbclid`) of the page the widget is on. Each at most 200 characters (see
/// [`crate::validation::attribution`]); an unknown key is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gclid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbclid: Option<String>,
}

impl Attribution {
    /// Every field with its wire name: the one list the edge's check, the widget's reading of the
    /// page's address and its request body go through.
    pub fn fields_mut(&mut self) -> [(&'static str, &mut Option<String>); 7] {
        [
            ("utm_source", &mut self.utm_source),
            ("utm_medium", &mut self.utm_medium),
            ("utm_campaign", &mut self.utm_campaign),
            ("utm_term", &mut self.utm_term),
            ("utm_content", &mut self.utm_content),
            ("gclid", &mut self.gclid),
            ("fbclid", &mut self.fbclid),
        ]
    }
}

/// The membership a client names when booking: its number (the holder is the booking's phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipRef {
    pub number: String,
}

/// A membership as its holder sees it: `POST …/memberships/check`, and in a confirmation it paid
/// for (the balance after the booking).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipView {
    pub number: String,
    pub name: String,
    /// `active` or `issued` (the statuses that book); a check answers others with their code.
    pub status: String,
    /// Visits left, for a visits balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits_left: Option<u32>,
    /// Money left, for a money balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance: Option<Money>,
    /// The last date a visit may be on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

/// An automatic discount as the client sees it: its id and the owner's name for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedDiscount {
    pub id: String,
    pub name: String,
}

/// Every error response: `{"error": {"code": "…", "message": "…", "field": "…"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Each specialist's nearest free starts, for a "soonest" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoonestResponse {
    pub location_id: String,
    pub service_id: String,
    pub time_zone: String,
    /// In catalog order; a specialist with no free start in the window has an empty list.
    pub specialists: Vec<SpecialistSoonest>,
}

/// One specialist's nearest free starts, earliest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialistSoonest {
    pub specialist_id: String,
    pub slots: Vec<SoonestSlot>,
}

/// A free start with the local date and time to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoonestSlot {
    /// RFC 3339 UTC instant, what the booking request sends back.
    pub start: String,
    pub local_date: String,
    pub local_time: String,
}

/// `GET …/locations/{location}/visit-slots?services=a,b&date=…`: the starts of a visit of several
/// services one after another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSlotsResponse {
    pub location_id: String,
    pub service_ids: Vec<String>,
    pub date: String,
    pub time_zone: String,
    pub slots: Vec<VisitSlotView>,
}

/// One visit start and who would do each part ("any specialist" already decided).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSlotView {
    pub start: String,
    pub local_time: String,
    /// When the last part ends.
    pub end: String,
    pub parts: Vec<VisitPartView>,
}

/// One part of a visit: service, specialist and times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitPartView {
    pub service_id: String,
    pub specialist_id: String,
    pub start: String,
    pub end: String,
    pub local_time: String,
}

/// `POST …/locations/{location}/visits`: book several services in one visit, all or nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitRequest {
    /// The visit slot's `start`.
    #[serde(default)]
    pub start: String,
    /// The services in order, each with a specialist or none for "any specialist".
    #[serde(default)]
    pub parts: Vec<VisitPartRequest>,
    #[serde(default)]
    pub client: ClientDetails,
    /// The membership that pays (its holder is `client.phone`); required for a members-only service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipRef>,
    /// Where the client came from (the UTM parameters and ad click ids of the page's address),
    /// stored with the booking for the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitPartRequest {
    #[serde(default)]
    pub service_id: String,
    #[serde(default)]
    pub specialist_id: Option<String>,
}

/// The answer to a booked visit (201): one booking per part, and the whole visit's times and price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitConfirmation {
    pub visit_id: String,
    pub location_id: String,
    pub start: String,
    pub end: String,
    pub local_date: String,
    pub local_time: String,
    pub time_zone: String,
    /// The sum of the parts' prices.
    pub price: Money,
    /// The sum before discounts, when a part was discounted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<Money>,
    /// The membership that paid for the parts, with its balance after them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipView>,
    pub parts: Vec<BookingConfirmation>,
}

/// `GET …/locations/{location}/classes?service=…&from=…&days=…`: a class's bookable sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSessionsResponse {
    pub location_id: String,
    pub service_id: String,
    pub time_zone: String,
    /// Seats per session.
    pub capacity: u32,
    pub sessions: Vec<ClassSessionView>,
}

/// One session and how full it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSessionView {
    pub start: String,
    pub end: String,
    pub local_date: String,
    pub local_time: String,
    pub specialist_id: String,
    /// "3 spots left"; 0 when full.
    pub seats_left: u32,
    /// Whether a client may still join the waitlist (the session is full and the list has room).
    pub waitlist_open: bool,
}

/// `POST …/locations/{location}/class-bookings`: a seat in a session, or a waitlist place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassBookingRequest {
    #[serde(default)]
    pub service_id: String,
    /// The session's `start`.
    #[serde(default)]
    pub start: String,
    /// Join the waitlist if the session is full (otherwise a full session answers `class_full`).
    #[serde(default)]
    pub join_waitlist: bool,
    #[serde(default)]
    pub client: ClientDetails,
    /// The membership that pays (its holder is `client.phone`); required for a members-only service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipRef>,
    /// Where the client came from (the UTM parameters and ad click ids of the page's address),
    /// stored with the booking for the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
}

/// The answer to a class booking (201): the seat's details as for any booking, and whether the
/// client got a seat or a waitlist place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassBookingConfirmation {
    /// `"booked"` or `"waitlisted"`.
    pub status: String,
    /// 1 = next in line; only when waitlisted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<u32>,
    #[serde(flatten)]
    pub booking: BookingConfirmation,
}

/// `POST …/locations/{location}/holds`: keep a time for a few minutes while the client types.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HoldRequest {
    #[serde(default)]
    pub service_id: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub specialist_id: Option<String>,
}

/// A placed hold (201). The confirmation names it in `hold_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldView {
    pub hold_id: String,
    pub service_id: String,
    pub specialist_id: String,
    pub start: String,
    pub end: String,
    /// When the time is released if not confirmed (RFC 3339 UTC).
    pub expires_at: String,
}

/// `GET /v1/manage/{token}`: a client's own booking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedBooking {
    /// `"confirmed"` or `"cancelled"`; for a class seat also `"waitlisted"`.
    pub status: String,
    /// A waitlisted class seat's place in the queue (1 is next).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<u32>,
    /// Until when it may be cancelled or moved online (RFC 3339 UTC).
    pub changeable_until: String,
    /// Part of a visit of several services: cancelling cancels the whole visit, and it cannot be
    /// moved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_visit: bool,
    /// Whether the client gets e-mail reminders of the visit (`POST …/reminders` turns them off);
    /// absent when they gave no e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<bool>,
    #[serde(flatten)]
    pub booking: BookingConfirmation,
}

/// `POST /v1/manage/{token}/reminders`: the visit's e-mail reminders on or off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemindersChoice {
    #[serde(default)]
    pub on: Option<bool>,
}

/// `POST /v1/manage/{token}/reschedule`: move the booking to another free start.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RescheduleRequest {
    #[serde(default)]
    pub start: String,
}
