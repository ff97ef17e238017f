//! Webhooks in the Standard Webhooks convention (<https://www.standardwebhooks.com>): the event
//! types a business's systems subscribe to, the endpoints they register, which addresses an
//! endpoint may have, and when a failed delivery is tried again. Signing and sending are the
//! edge's; this is the part with rules.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};

/// What happened, as an endpoint subscribes to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    #[serde(rename = "booking.created")]
    BookingCreated,
    #[serde(rename = "booking.rescheduled")]
    BookingRescheduled,
    #[serde(rename = "booking.cancelled")]
    BookingCancelled,
    #[serde(rename = "booking.no_show")]
    BookingNoShow,
    #[serde(rename = "class_seat.booked")]
    ClassSeatBooked,
    #[serde(rename = "class_seat.cancelled")]
    ClassSeatCancelled,
    #[serde(rename = "waitlist.promoted")]
    WaitlistPromoted,
    #[serde(rename = "client.erased")]
    ClientErased,
    #[serde(rename = "membership.debited")]
    MembershipDebited,
    #[serde(rename = "membership.refunded")]
    MembershipRefunded,
}

impl EventType {
    pub const ALL: [EventType; 10] = [
        EventType::BookingCreated,
        EventType::BookingRescheduled,
        EventType::BookingCancelled,
        EventType::BookingNoShow,
        EventType::ClassSeatBooked,
        EventType::ClassSeatCancelled,
        EventType::WaitlistPromoted,
        EventType::ClientErased,
        EventType::MembershipDebited,
        EventType::MembershipRefunded,
    ];

    /// Its name on the wire (`booking.created`).
    pub fn name(self) -> &'static str {
        match self {
            EventType::BookingCreated => "booking.created",
            EventType::BookingRescheduled => "booking.rescheduled",
            EventType::BookingCancelled => "booking.cancelled",
            EventType::BookingNoShow => "booking.no_show",
            EventType::ClassSeatBooked => "class_seat.booked",
            EventType::ClassSeatCancelled => "class_seat.cancelled",
            EventType::WaitlistPromoted => "waitlist.promoted",
            EventType::ClientErased => "client.erased",
            EventType::MembershipDebited => "membership.debited",
            EventType::MembershipRefunded => "membership.refunded",
        }
    }
}

/// The test event (`POST …/webhooks/{endpoint}/test`): sent to that endpoint only, whatever it
/// subscribes to, so a receiver can be checked before anything real happens.
pub const TEST_EVENT: &str = "webhook.test";

/// How long a rotated-out secret still signs (beside the new one): a day, for the receiver to
/// take the new secret without missing a delivery.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 60 * 60 * 1000;

/// The longest description of an endpoint, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;

/// The most of a receiver's answer kept in the attempt log, in characters.
pub const EXCERPT_CHARS: usize = 500;

/// The most deliveries one replay of a time range sends again.
pub const MAX_REPLAY: usize = 1000;

/// The most endpoints a business may have.
pub const MAX_ENDPOINTS: usize = 20;

/// `POST /v1/admin/companies/{company}/webhooks`: an endpoint and what it subscribes to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEndpoint {
    #[serde(default)]
    pub url: String,
    /// At least one event type.
    #[serde(default)]
    pub events: Vec<EventType>,
    /// What it is for ("the CRM").
    #[serde(default)]
    pub description: Option<String>,
}

impl NewEndpoint {
    /// Checks the endpoint: an address [`check_url`] allows, at least one event type (each once,
    /// kept in order), a description of at most [`MAX_DESCRIPTION_CHARS`].
    pub fn checked(mut self, loopback_allowed: bool) -> Result<NewEndpoint, ApiError> {
        check_url(&self.url, loopback_allowed)?;
        self.events = check_events(self.events)?;
        self.description = check_description(self.description)?;
        Ok(self)
    }
}

fn check_events(mut events: Vec<EventType>) -> Result<Vec<EventType>, ApiError> {
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "events", "at least one event type"));
    }
    Ok(events)
}

fn check_description(description: Option<String>) -> Result<Option<String>, ApiError> {
    let description = description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS || d.chars().any(char::is_control))
    {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "description", "at most 200 characters on one line"));
    }
    Ok(description)
}

/// `PATCH …/webhooks/{endpoint}`: what changes (what is left out stays). `enabled: true` turns a
/// disabled endpoint on again, and it starts afresh (nothing it missed is sent: replay that).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointEdit {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub events: Option<Vec<EventType>>,
    /// An empty description removes it.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
}

impl EndpointEdit {
    /// Checks what is given, as [`NewEndpoint::checked`] does.
    pub fn checked(mut self, loopback_allowed: bool) -> Result<EndpointEdit, ApiError> {
        if let Some(url) = &self.url {
            check_url(url, loopback_allowed)?;
        }
        self.events = self.events.map(check_events).transpose()?;
        if let Some(description) = self.description.take() {
            self.description = Some(check_description(Some(description))?.unwrap_or_default());
        }
        Ok(self)
    }
}

/// An endpoint as the admin API shows it: never its secret (shown once, on creation and rotation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub endpoint_id: String,
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    /// Whether deliveries are made; an endpoint that answered `410 Gone` or kept failing for a day
    /// is turned off, with why.
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// Since when every attempt has failed (none while deliveries succeed).
    pub failing_since: Option<String>,
    pub created_at: String,
    /// Until when the secret before the last rotation also signs.
    pub previous_secret_until: Option<String>,
}

/// An endpoint with its signing secret (`whsec_…`): the answer to creating one and to rotating its
/// secret, the only times the secret is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointSecret {
    #[serde(flatten)]
    pub endpoint: Endpoint,
    pub secret: String,
}

/// `GET …/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
    pub endpoints: Vec<Endpoint>,
}

/// One try to deliver a message to an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    pub at: String,
    /// `event` (the first try), `retry`, `replay` or `test`.
    pub trigger: String,
    /// The receiver's HTTP status; none when no answer came (see `error`).
    pub status: Option<u16>,
    pub latency_ms: i64,
    /// The first [`EXCERPT_CHARS`] characters of the receiver's answer.
    pub response: String,
    /// Why no answer came (a timeout, a refused connection).
    pub error: Option<String>,
}

/// A message and what became of it at one endpoint (`GET …/webhooks/{endpoint}/deliveries`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLog {
    /// The message's id: the `webhook-id` of every attempt.
    pub message_id: String,
    pub event_type: String,
    pub created_at: String,
    /// `queued`, `retrying`, `delivered` or `failed`.
    pub state: String,
    /// Oldest first.
    pub attempts: Vec<Attempt>,
}

/// `GET …/webhooks/{endpoint}/deliveries`: newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliveries {
    pub deliveries: Vec<DeliveryLog>,
}

/// `POST …/webhooks/{endpoint}/replay`: one message again, or every message of the endpoint's
/// event types made in a time range (`since` ≤ made < `until`, RFC 3339), at most [`MAX_REPLAY`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    #[serde(default)]
    pub message_id: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
}

/// How many deliveries a replay queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replayed {
    pub replayed: u32,
}

/// The first [`EXCERPT_CHARS`] characters of an answer, for the attempt log.
pub fn excerpt(body: &str) -> String {
    body.chars().take(EXCERPT_CHARS).collect()
}

/// Where a delivery may go: `https://` to a public host; on a local deployment also `http://` to a
/// loopback host. Refused everywhere: user names and passwords in the address, a fragment, and
/// (in production) a host that names this machine, a private, link-local or otherwise internal
/// address written as an IP literal, or an internal name (`localhost`, `*.local`, `*.internal`).
/// A public name that resolves to a private address is the platform's to refuse: a Worker's
/// `fetch` never reaches private networks.
pub fn check_url(url: &str, loopback_allowed: bool) -> Result<(), ApiError> {
    let bad = |why: &str| Err(ApiError::field(ErrorCode::ValidationFailed, "url", why));
    if url.len() > 2048 || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return bad("an address of at most 2048 characters, without spaces");
    }
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => return bad("an https:// address"),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') || url.contains('#') {
        return bad("an address without a user name, password or fragment");
    }
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default().to_ascii_lowercase(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h).to_ascii_lowercase(),
    };
    if host.is_empty() {
        return bad("an address with a host");
    }
    let loopback = is_loopback(&host);
    match scheme.as_str() {
        "https" => {}
        "http" if loopback && loopback_allowed => {}
        _ => return bad("an https:// address (http:// only to this machine, on a local deployment)"),
    }
    if loopback && !loopback_allowed {
        return bad("a public address, not this machine");
    }
    if !loopback && is_internal(&host) {
        return bad("a public address, not a private or internal one");
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host == "::1" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn is_internal(host: &str) -> bool {
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, ..] = ip.octets();
        return ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_broadcast()
            || ip.is_documentation()
            || a == 0
            || (a == 100 && (64..128).contains(&b))
            || a >= 224;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv6Addr>() {
        let first = ip.segments()[0];
        return ip.is_unspecified()
            || ip.is_loopback()
            || (first & 0xfe00) == 0xfc00
            || (first & 0xffc0) == 0xfe80
            || ip.to_ipv4_mapped().is_some_and(|v4| is_internal(&v4.to_string()) || v4.is_loopback());
    }
    !host.contains('.') || host.ends_with(".local") || host.ends_with(".internal") || host.ends_with(".localhost")
}

/// How long after attempt `attempt` (1 is the first) failed the next one is made, in seconds; none
/// after the last. Standard Webhooks' schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h) continued
/// every 12 hours (the longest a queue may hold a message back) until about three days have
/// passed: 12 attempts over 3 days and 5½ hours.
pub fn retry_after(attempt: u32) -> Option<u32> {
    const SCHEDULE: [u32; 11] = [5, 300, 1800, 7200, 18000, 36000, 43200, 43200, 43200, 43200, 43200];
    SCHEDULE.get(usize::try_from(attempt).ok()?.checked_sub(1)?).copied()
}

/// How long an endpoint may keep failing before it is turned off (and the owner told): a day.
pub const DISABLE_AFTER_FAILING_MS: i64 = 24 * 60 * 60 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_public_https_unless_local() {
        for ok in ["https://crm.example.com/hooks", "https://93.184.216.34:8443/x?y=1", "https://[2606:4700::1111]/h"] {
            assert!(check_url(ok, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://crm.example.com/hooks",
            "https://localhost/x",
            "https://127.0.0.1/x",
            "https://10.0.0.8/x",
            "https://192.168.1.1/x",
            "https://172.16.5.4/x",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/x",
            "https://0.0.0.0/x",
            "https://[::1]/x",
            "https://[fd00::1]/x",
            "https://[fe80::1]/x",
            "https://[::ffff:10.0.0.1]/x",
            "https://intranet/x",
            "https://printer.local/x",
            "https://db.internal/x",
            "https://user:pw@crm.example.com/x",
            "https://crm.example.com/x#frag",
            "ftp://crm.example.com/x",
            "crm.example.com",
            "https:///x",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("http://localhost:9000/hook", true).is_ok());
        assert!(check_url("http://10.0.0.8/hook", true).is_err());
    }

    #[test]
    fn retries_span_about_three_days() {
        let total: u32 = (1..).map_while(retry_after).sum();
        assert!((3 * 86_400..4 * 86_400).contains(&total), "{total}");
        assert_eq!(retry_after(1), Some(5));
        assert_eq!(retry_after(0), None);
        assert_eq!((1..).map_while(retry_after).count(), 11);
        assert!((1..).map_while(retry_after).all(|s| s <= 43_200));
    }

    #[test]
    fn event_names_are_their_wire_names() {
        for event in EventType::ALL {
            assert_eq!(serde_json::to_value(event).unwrap(), serde_json::Value::String(event.name().into()));
        }
    }

    #[test]
    fn endpoints_are_checked() {
        let endpoint = NewEndpoint {
            url: "https://crm.example.com/hooks".into(),
            events: vec![EventType::BookingCancelled, EventType::BookingCreated, EventType::BookingCancelled],
            description: Some("  the CRM ".into()),
        };
        let checked = endpoint.clone().checked(false).unwrap();
        assert_eq!(checked.events, vec![EventType::BookingCreated, EventType::BookingCancelled]);
        assert_eq!(checked.description.as_deref(), Some("the CRM"));
        assert!(NewEndpoint { events: vec![], ..endpoint.clone() }.checked(false).is_err());
        assert!(NewEndpoint { description: Some("x".repeat(201)), ..endpoint.clone() }.checked(false).is_err());
        assert!(NewEndpoint { url: "http://127.0.0.1:9/h".into(), ..endpoint }.checked(false).is_err());
        let edit = EndpointEdit { description: Some(" ".into()), ..EndpointEdit::default() }.checked(false).unwrap();
        assert_eq!(edit.description.as_deref(), Some(""), "an empty description removes it");
    }
}
