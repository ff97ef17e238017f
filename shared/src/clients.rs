//! A client of the chain as the business's staff see them: their card (every visit at the
//! locations the person's role covers, what they spent, no-shows, memberships, the staff's note,
//! marketing consent), merging two records of one person, and the JSON of those endpoints.

use serde::{Deserialize, Serialize};

use crate::agenda::FoundClient;
use crate::membership::Membership;
use crate::wire::Money;

/// The longest note the staff keep about a client, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// `GET /v1/admin/companies/{company}/clients/{client}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientCard {
    #[serde(flatten)]
    pub client: FoundClient,
    /// When the chain first knew them (RFC 3339).
    pub since: String,
    /// What the staff keep about them ("prefers Kim", "allergic to latex"); never shown to the
    /// client.
    pub note: Option<String>,
    /// Whether they agreed to hear from the business, as their latest booking said.
    pub marketing_consent: bool,
    /// Their visits at the locations the caller's role covers, latest first (test bookings left
    /// out).
    pub visits: Vec<ClientVisit>,
    /// Visits that took place (not cancelled, not a no-show, begun before now), and what they
    /// were worth at their confirmed prices.
    pub visited: u32,
    pub spent: Money,
    pub no_shows: u32,
    pub cancelled: u32,
    /// Their memberships (by their phone).
    pub memberships: Vec<Membership>,
}

/// One booking or class seat on a client's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientVisit {
    pub booking_id: String,
    pub location_id: String,
    pub location_name: String,
    /// The location's local date and time.
    pub date: String,
    pub time: String,
    pub service_name: String,
    /// None for a class seat.
    pub specialist_name: Option<String>,
    /// `confirmed`, `cancelled` (a class seat: `booked`, `waitlisted`, `cancelled`).
    pub status: String,
    pub attendance: Option<String>,
    pub price: Option<Money>,
    pub channel: String,
}

/// `PUT …/clients/{client}/note`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientNote {
    /// Empty: no note.
    pub note: String,
}

/// `POST …/clients/merge`: `merge` is another record of the person `keep` is; its bookings at
/// every location and its memberships become `keep`'s, and its record goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeClients {
    pub keep: String,
    pub merge: String,
}
