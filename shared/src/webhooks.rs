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
}
