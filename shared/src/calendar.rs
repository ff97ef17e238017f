//! A booking as a calendar entry: an iCalendar file (RFC 5545) in the location's own time zone,
//! with that zone's rules written out (`VTIMEZONE`) so every calendar app shows the visit at the
//! right local time, and an "add to Google Calendar" address. Pure: the time is a parameter.

use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::availability::Instant;

/// What a calendar entry shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Globally unique and stable for the booking, so a second download updates the entry.
    pub uid: String,
    pub title: String,
    pub location: String,
    pub description: String,
    pub start: Instant,
    pub end: Instant,
    pub cancelled: bool,
}

/// The event as an iCalendar document, its times in `zone_name` (an IANA name, with `zone` its
/// rules), stamped at `now`.
pub fn ics(event: &CalendarEvent, zone_name: &str, zone: &TimeZone, now: Instant) -> String {
    let lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Homeslot//Booking//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
    ];
    document(lines, std::slice::from_ref(event), zone_name, zone, (now, event.start, event.end))
}

/// A calendar to subscribe to (a staff member's feed): every event of a window, under the
/// calendar's `name`, with the zone's rules over the whole window (`from`–`until`), and a hint to
/// calendar apps to fetch it again every 15 minutes.
pub fn feed(
    name: &str,
    events: &[CalendarEvent],
    zone_name: &str,
    zone: &TimeZone,
    (now, from, until): (Instant, Instant, Instant),
) -> String {
    let lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Homeslot//Calendar feed//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", text(name)),
        format!("X-WR-TIMEZONE:{zone_name}"),
        "REFRESH-INTERVAL;VALUE=DURATION:PT15M".to_owned(),
        "X-PUBLISHED-TTL:PT15M".to_owned(),
    ];
    document(lines, events, zone_name, zone, (now, from, until))
}

/// `head`, the zone's rules from `from` to `until`, each event, and the end, folded.
fn document(
    mut lines: Vec<String>,
    events: &[CalendarEvent],
    zone_name: &str,
    zone: &TimeZone,
    (now, from, until): (Instant, Instant, Instant),
) -> String {
    lines.extend(vtimezone(zone_name, zone, from, until));
    for event in events {
        lines.extend([
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", text(&event.uid)),
            format!("DTSTAMP:{}", utc(now)),
            format!("DTSTART;TZID={zone_name}:{}", local(zone, event.start)),
            format!("DTEND;TZID={zone_name}:{}", local(zone, event.end)),
            format!("SUMMARY:{}", text(&event.title)),
            format!("LOCATION:{}", text(&event.location)),
            format!("DESCRIPTION:{}", text(&event.description)),
            format!("STATUS:{}", if event.cancelled { "CANCELLED" } else { "CONFIRMED" }),
            "END:VEVENT".to_owned(),
        ]);
    }
    lines.push("END:VCALENDAR".to_owned());
    lines.iter().map(|line| fold(line)).collect::<Vec<_>>().join("")
}

/// The "add to Google Calendar" address for the event.
pub fn google_calendar_url(event: &CalendarEvent, zone_name: &str) -> String {
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&ctz={}&location={}&details={}",
        url_encode(&event.title),
        utc(event.start),
        utc(event.end),
        url_encode(zone_name),
        url_encode(&event.location),
        url_encode(&event.description),
    )
}

/// The zone's offsets around the visit: every transition from a year before it to a year after,
/// each as its own `STANDARD` or `DAYLIGHT` observance. A zone without transitions (UTC) gets one
/// observance with its fixed offset.
fn vtimezone(zone_name: &str, zone: &TimeZone, start: Instant, end: Instant) -> Vec<String> {
    const YEAR: i64 = 366 * 24 * 3600;
    let from = ts(start - YEAR);
    let until = ts(end + YEAR);
    let mut lines = vec!["BEGIN:VTIMEZONE".to_owned(), format!("TZID:{zone_name}")];
    let mut before = zone.to_offset_info(from);
    let mut any = false;
    for transition in zone.following(from).take_while(|t| t.timestamp() <= until) {
        let kind = if transition.dst().is_dst() { "DAYLIGHT" } else { "STANDARD" };
        // DTSTART is the wall-clock time just before the change, in the offset being left.
        let wall = transition.timestamp().to_zoned(TimeZone::fixed(before.offset())).datetime();
        lines.extend([
            format!("BEGIN:{kind}"),
            format!("DTSTART:{}", wall.strftime("%Y%m%dT%H%M%S")),
            format!("TZOFFSETFROM:{}", offset(before.offset().seconds())),
            format!("TZOFFSETTO:{}", offset(transition.offset().seconds())),
            format!("TZNAME:{}", text(transition.abbreviation())),
            format!("END:{kind}"),
        ]);
        before = zone.to_offset_info(transition.timestamp());
        any = true;
    }
    if !any {
        let info = zone.to_offset_info(ts(start));
        let kind = if info.dst().is_dst() { "DAYLIGHT" } else { "STANDARD" };
        lines.extend([
            format!("BEGIN:{kind}"),
            "DTSTART:19700101T000000".to_owned(),
            format!("TZOFFSETFROM:{}", offset(info.offset().seconds())),
            format!("TZOFFSETTO:{}", offset(info.offset().seconds())),
            format!("TZNAME:{}", text(info.abbreviation())),
            format!("END:{kind}"),
        ]);
    }
    lines.push("END:VTIMEZONE".to_owned());
    lines
}

fn ts(at: Instant) -> Timestamp {
    Timestamp::from_second(at).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn local(zone: &TimeZone, at: Instant) -> String {
    ts(at).to_zoned(zone.clone()).datetime().strftime("%Y%m%dT%H%M%S").to_string()
}

fn utc(at: Instant) -> String {
    ts(at).strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// `+0100`, `-0330`; seconds are dropped (no zone in use has them).
fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}{:02}", minutes / 60, minutes % 60)
}

/// TEXT escaping (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (never inside a UTF-8 character), ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> CalendarEvent {
        CalendarEvent {
            uid: "bk_1@homeslot".into(),
            title: "Full colour with Anna; Lumière, Soho".into(),
            location: "12 Greek Street, London W1D 4DH".into(),
            description: "Change or cancel: https://edge.example/v1/manage/x".into(),
            // 2026-03-29 is the day London springs forward (01:00 UTC).
            start: 1_774_778_400, // 2026-03-29T10:00:00Z = 11:00 BST
            end: 1_774_783_800,
            cancelled: false,
        }
    }

    #[test]
    fn the_event_is_in_the_locations_zone_with_its_rules() {
        let zone = TimeZone::get("Europe/London").unwrap();
        let ics = ics(&event(), "Europe/London", &zone, 1_774_000_000);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("DTSTART;TZID=Europe/London:20260329T110000\r\n"), "{ics}");
        assert!(ics.contains("DTEND;TZID=Europe/London:20260329T123000\r\n"));
        // The spring-forward of that day: 01:00 GMT becomes 02:00 BST.
        assert!(ics.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"));
        assert!(ics.contains("SUMMARY:Full colour with Anna\\; Lumière\\, Soho\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 75), "folded");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn a_feed_holds_every_event_of_its_window_under_its_name() {
        let zone = TimeZone::get("Europe/London").unwrap();
        let later = CalendarEvent { uid: "bk_2@homeslot".into(), start: 1_790_000_000, end: 1_790_001_800, ..event() };
        let feed = feed("Kim, Soho", &[event(), later], "Europe/London", &zone, (0, 1_774_000_000, 1_790_001_800));
        assert!(feed.contains("X-WR-CALNAME:Kim\\, Soho\r\n"));
        assert_eq!(feed.matches("BEGIN:VEVENT").count(), 2);
        assert!(feed.contains("UID:bk_2@homeslot\r\n"));
        // Both of the window's clock changes: spring forward in March, back in October.
        assert!(feed.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T010000\r\n"));
        assert!(feed.contains("BEGIN:STANDARD\r\nDTSTART:20261025T020000\r\n"));
        assert!(feed.lines().all(|l| l.len() <= 75) && feed.ends_with("END:VCALENDAR\r\n"));
        let empty = super::feed("Kim", &[], "UTC", &TimeZone::UTC, (0, 0, 86_400));
        assert!(!empty.contains("BEGIN:VEVENT") && empty.contains("BEGIN:VTIMEZONE"));
    }

    #[test]
    fn a_zone_without_changes_gets_one_observance() {
        let ics = ics(&event(), "UTC", &TimeZone::UTC, 0);
        assert!(ics.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\n"));
        assert!(ics.contains("DTSTART;TZID=UTC:20260329T100000\r\n"));
    }

    #[test]
    fn long_lines_fold_without_splitting_characters() {
        let folded = fold(&format!("DESCRIPTION:{}", "é".repeat(60)));
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75);
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("DESCRIPTION:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn the_google_link_carries_utc_times_and_the_zone() {
        let url = google_calendar_url(&event(), "Europe/London");
        assert!(url.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Full%20colour"));
        assert!(url.contains("&dates=20260329T100000Z/20260329T113000Z&ctz=Europe%2FLondon&"));
    }
}
