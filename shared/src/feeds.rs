//! Calendar feeds for staff: a secret subscription address (`webcal://`) per specialist or per
//! location, serving the bookings of a rolling window as RFC 5545 (`calendar::feed`), so a
//! specialist's phone calendar or the front desk's shows the day without the console. The
//! address is the only key: it can be rotated (the old one stops at once) or deleted.
//!
//! What a feed shows follows whoever made it: it covers only what their role may see when it is
//! made (a specialist: their own bookings), and each booking as a calendar entry carries the
//! service and the client's name, never their phone or e-mail (calendar apps copy entries to
//! servers the business does not choose).

use serde::{Deserialize, Serialize};

/// How far back a feed reaches, in days.
pub const PAST_DAYS: i64 = 31;
/// How far ahead, in days.
pub const AHEAD_DAYS: i64 = 366;

/// `POST /v1/admin/companies/{company}/feeds`: a feed of a location, or of one specialist there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFeed {
    #[serde(default)]
    pub location_id: String,
    /// One specialist's bookings; none: the whole location's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialist_id: Option<String>,
}

/// A feed as its list shows it; `url` only when it is made or rotated (the secret is shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedView {
    pub feed_id: String,
    pub location_id: String,
    pub specialist_id: Option<String>,
    /// Who made it: a member of staff's name, or an integration.
    pub created_by: String,
    pub created_at: String,
    /// The address to subscribe to (`https://…/feeds/…`; calendar apps also take it as `webcal://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `GET /v1/admin/companies/{company}/feeds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feeds {
    pub feeds: Vec<FeedView>,
}

/// A booking's calendar entry in a feed: the service and the client's name as its title.
pub fn title(service: &str, client: &str) -> String {
    format!("{service} — {client}")
}
