//! The calendar's day at a location, as the edge answers it
//! (`GET /v1/admin/companies/{company}/locations/{location}/day`) and the console draws it: a
//! column per specialist with their working time, and on it the bookings, the holds of clients
//! still choosing and the class sessions. Every time comes as an instant, a local time and
//! minutes from the local midnight, so the console needs no time-zone database; a day is 1380
//! or 1500 minutes long on a clock change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::wire::Money;

/// A stretch of the day: its instants, local times, and minutes from the local midnight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySpan {
    pub start_at: String,
    pub end_at: String,
    pub local_start: String,
    pub local_end: String,
    pub from_minute: i64,
    pub to_minute: i64,
}

/// A specialist's column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayColumn {
    pub specialist_id: String,
    pub name: String,
    /// When they work: the gaps between are breaks; none is a day off.
    pub working: Vec<DaySpan>,
}

/// A booking as the business sees it on the calendar (with the client's details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayBooking {
    pub booking_id: String,
    pub visit_id: Option<String>,
    pub service_id: String,
    pub service_name: String,
    pub specialist_id: String,
    #[serde(flatten)]
    pub span: DaySpan,
    /// `confirmed` or `cancelled`.
    pub status: String,
    /// `arrived`, `no_show`, or none while expected.
    pub attendance: Option<String>,
    pub client_name: String,
    pub client_phone: String,
    pub comment: Option<String>,
    pub price: Option<Money>,
    pub channel: String,
    pub membership_number: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test: bool,
    /// Booked or moved outside the rules by an owner or a manager (an override).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub r#override: bool,
}

/// A time kept for a client who is still choosing (no client details: there are none yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHold {
    pub hold_id: String,
    pub service_id: String,
    pub service_name: String,
    pub specialist_id: String,
    #[serde(flatten)]
    pub span: DaySpan,
    pub expires_at: String,
}

/// A class session with its seats taken and its waitlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySession {
    pub service_id: String,
    pub service_name: String,
    pub specialist_id: String,
    #[serde(flatten)]
    pub span: DaySpan,
    pub capacity: u32,
    pub booked: u32,
    pub waitlisted: u32,
    /// Cancelled by the business: it takes no more seats.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cancelled: bool,
}

/// A full local hour, for the day's scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayHour {
    pub minute: i64,
    pub label: String,
}

/// The whole day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub location_id: String,
    pub date: String,
    pub time_zone: String,
    /// The instant of the day's local midnight: minute `m` of the day is this plus `m` minutes.
    pub day_start_at: String,
    /// The day's length in minutes: 1440, or 1380 / 1500 on a clock change.
    pub minutes: i64,
    /// Each full local hour of the day, where it falls.
    pub hours: Vec<DayHour>,
    /// When the location is open; `null` when it sets no opening hours, empty when it is closed.
    pub open: Option<Vec<DaySpan>>,
    pub slot_step_minutes: u32,
    pub specialists: Vec<DayColumn>,
    pub bookings: Vec<DayBooking>,
    pub holds: Vec<DayHold>,
    pub classes: Vec<DaySession>,
}

/// The front desk's booking for a client on the phone or at the desk
/// (`POST /v1/admin/companies/{company}/locations/{location}/bookings`), placed by the same
/// checkout as the widget's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskBooking {
    #[serde(default)]
    pub service_id: String,
    /// A free start, as the slots endpoint gives it.
    #[serde(default)]
    pub start: String,
    /// A specialist, or none for whoever is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialist_id: Option<String>,
    #[serde(default)]
    pub client: crate::wire::ClientDetails,
    /// The membership that pays, if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<crate::wire::MembershipRef>,
    /// Book outside the rules (owners and managers, with a named specialist): see
    /// [`crate::availability::check_outside_rules`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub r#override: bool,
}

/// A visit of several services booked by the business (`POST …/locations/{location}/visits`):
/// back to back, all or nothing, through the one checkout on the `front_desk` channel.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskVisit {
    /// A start of the visit, as the visit-slots endpoint gives it.
    #[serde(default)]
    pub start: String,
    /// The services in order, each with a specialist or none for whoever is free.
    #[serde(default)]
    pub parts: Vec<crate::wire::VisitPartRequest>,
    #[serde(default)]
    pub client: crate::wire::ClientDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<crate::wire::MembershipRef>,
}

/// A seat in a class session booked by the business (`POST …/locations/{location}/class-bookings`),
/// or a waitlist place when it is full and `join_waitlist` says so.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeskSeat {
    #[serde(default)]
    pub service_id: String,
    /// The session's start, as the class sessions endpoint gives it.
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub join_waitlist: bool,
    #[serde(default)]
    pub client: crate::wire::ClientDetails,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<crate::wire::MembershipRef>,
}

/// Move a booking (`POST …/bookings/{booking}/move`): to a free start, with another specialist
/// or (none) the same; or, as an override, to any time the specialist has no other visit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveBooking {
    #[serde(default)]
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialist_id: Option<String>,
    /// Move outside the rules (owners and managers).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub r#override: bool,
}

/// Cancel a booking for the business (`POST …/bookings/{booking}/cancel`), saying why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelBooking {
    #[serde(default)]
    pub reason: String,
}

/// The business cancels one session of a class
/// (`POST /v1/admin/companies/{company}/locations/{location}/class-sessions/cancel`): every seat
/// and waitlist place in it, each client told.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelSession {
    #[serde(default)]
    pub service_id: String,
    /// The session's start, as the class sessions endpoint gives it.
    #[serde(default)]
    pub start: String,
    /// Why, for the seats' history (1–200 characters).
    #[serde(default)]
    pub reason: String,
}

/// What cancelling a session did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCancelled {
    pub service_id: String,
    pub start: String,
    /// Seats cancelled, and places on its waitlist.
    pub seats_cancelled: u32,
    pub waitlist_cancelled: u32,
}

/// The longest cancellation reason, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// Whether the client came (`POST …/bookings/{booking}/attendance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Arrived,
    NoShow,
}

impl Attendance {
    /// The wire form, as bookings store it.
    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Arrived => "arrived",
            Attendance::NoShow => "no_show",
        }
    }
}

/// The front desk's mark: arrived, a no-show, or (`null`) expected again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkAttendance {
    #[serde(default)]
    pub attendance: Option<Attendance>,
}

/// One booking opened from the calendar: everything the business may see of it
/// (`GET …/bookings/{booking}`, and the answer to every change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingDetail {
    #[serde(flatten)]
    pub booking: DayBooking,
    pub location_id: String,
    /// The local date of the visit.
    pub date: String,
    pub specialist_name: String,
    pub created_at: String,
    /// Who booked it: a member of staff's name, or none when the client did.
    pub made_by: Option<String>,
    pub privacy_accepted: bool,
    pub marketing_consent: bool,
    /// The price before the automatic discount, and the discount's name, when one applied.
    pub original_price: Option<Money>,
    pub discount: Option<String>,
    /// UTM parameters and click ids the booking came with.
    pub attribution: Option<BTreeMap<String, String>>,
    /// Why the business cancelled it.
    pub cancel_reason: Option<String>,
    /// Every change since it was made, oldest first.
    pub history: Vec<Change>,
    /// The e-mails it owes and what became of each (`messages::LogLine`), oldest first.
    #[serde(default)]
    pub messages: Vec<crate::messages::LogLine>,
}

/// One change to a booking: when, by whom, and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub at: String,
    /// A member of staff's name, `the client` (their manage link), `the client, on Google` (Reserve
    /// with Google), or `an integration` (a token).
    pub by: String,
    /// `moved`, `cancelled`, `arrived`, `no_show` or `expected`.
    pub change: String,
    pub detail: Option<BTreeMap<String, String>>,
}

/// The longest client search, in characters.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A client of the chain found by a search (`GET /v1/admin/companies/{company}/clients?q=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundClient {
    pub client_id: String,
    pub name: String,
    /// E.164.
    pub phone: String,
    pub email: Option<String>,
}

/// What a client search answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundClients {
    pub clients: Vec<FoundClient>,
}
