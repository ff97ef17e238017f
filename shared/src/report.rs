//! Reports: what a location's stored bookings add up to over a range of dates — bookings and
//! revenue by channel and by source, new and returning clients, cancellations and no-shows, and
//! each specialist's utilisation (booked time over working time). Pure: the edge reads the
//! bookings and the working time, this counts them, and the console shows (and writes as CSV)
//! the very [`Table`]s this makes, so a screen and its download cannot disagree.
//!
//! How each booking counts (the same rules the export can be checked against):
//!
//! - A booking is in the report when it is at the location and starts on a local date in the
//!   range. Test bookings (made while the owner tried the form) never count; nor does a place on
//!   a class's waitlist. Each service of a visit, and each class seat, is one booking.
//! - **Bookings** are those not cancelled (no-shows included); **cancelled** and **no-shows**
//!   are counted apart. **Revenue** is the confirmed price of the bookings that were not
//!   cancelled and were not no-shows (a membership's visit counts at its price).
//! - A client is **new** when their first booking with the chain (any location, not cancelled,
//!   not a test, the earliest start) is in the report; **returning** otherwise. An erased client
//!   is no longer anyone: their bookings count as **unknown**.
//! - **Utilisation** is a specialist's booked minutes (each appointment, and each class session
//!   with at least one seat taken, once) over their working minutes in the range.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::currency::decimal;
use crate::error::{ApiError, ErrorCode};
use crate::time::CivilDate;
use crate::wire::Money;

/// The longest range one report covers, in days.
pub const MAX_DAYS: i32 = 366;

/// The channels a report always lists, in this order (others, if any, follow by name): the
/// widget on the business's own site, the hosted booking page, the business's app, the front desk.
/// Google's bookings (Reserve with Google) follow when there are any.
pub const CHANNELS: [&str; 4] = ["online", "hosted_page", "app", "front_desk"];

/// The local dates a report covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub from: CivilDate,
    pub to: CivilDate,
}

impl Range {
    /// `from` and `to` as `YYYY-MM-DD`: `validation_failed` naming the field when either is not a
    /// date, when `to` is before `from`, or when the range is longer than [`MAX_DAYS`].
    pub fn parse(from: &str, to: &str) -> Result<Range, ApiError> {
        let date = |text: &str, field: &str| {
            CivilDate::parse(text).ok_or_else(|| {
                ApiError::field(ErrorCode::ValidationFailed, field, format!("{field} must be a date (YYYY-MM-DD)"))
            })
        };
        let range = Range { from: date(from, "from")?, to: date(to, "to")? };
        if range.to < range.from {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "to", "to must not be before from"));
        }
        if range.days() > MAX_DAYS {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "to",
                format!("A report covers at most {MAX_DAYS} days"),
            ));
        }
        Ok(range)
    }

    /// How many dates the range covers.
    pub fn days(self) -> i32 {
        self.to.days_since_epoch() - self.from.days_since_epoch() + 1
    }

    /// Every date of the range, in order.
    pub fn dates(self) -> impl Iterator<Item = CivilDate> {
        (0..self.days()).map(move |d| self.from.add_days(d))
    }

    /// Whether `date` is in the range.
    pub fn contains(self, date: CivilDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// Where a stored booking or seat stands, as far as reports go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// A confirmed appointment or a class seat taken.
    Booked,
    Cancelled,
    /// A place on a class's waitlist: no booking yet.
    Waitlisted,
}

/// One stored booking or class seat, read for a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub booking_id: String,
    pub location_id: String,
    /// The chain's client record; none once the client was erased.
    pub client_id: Option<String>,
    /// The local date it starts on, at its location.
    pub local_date: CivilDate,
    /// When it starts (seconds since the epoch): a client's first booking is their earliest.
    pub start_s: i64,
    pub state: State,
    pub no_show: bool,
    pub test: bool,
    /// `online`, `hosted_page`, `app` or `front_desk`.
    pub channel: String,
    /// The UTM source and campaign it carried, if any.
    pub source: Option<String>,
    pub campaign: Option<String>,
    /// The confirmed price in minor units (none on bookings older than stored prices).
    pub price_minor: Option<i64>,
    /// The specialist's time it takes: an appointment's own, or its class session's (shared by
    /// every seat of the session, so counted once).
    pub busy: Option<BusyTime>,
}

/// A stretch of a specialist's time, named so that several seats of one session count it once.
#[derive(Debug, Clone, PartialEq)]
pub struct BusyTime {
    pub specialist_id: String,
    /// The appointment's id, or the class session's service and start.
    pub key: String,
    pub minutes: i64,
}

/// A specialist of the location and the minutes they work in the range (the core's
/// `availability::working_time`, summed over its dates).
#[derive(Debug, Clone, PartialEq)]
pub struct Working {
    pub specialist_id: String,
    pub name: String,
    pub minutes: i64,
}

/// Bookings, revenue, cancellations and no-shows of one line of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub bookings: u32,
    pub revenue: Money,
    pub cancelled: u32,
    pub no_shows: u32,
}

impl Tally {
    fn zero(currency: &str) -> Tally {
        Tally { bookings: 0, revenue: Money::of(0, currency), cancelled: 0, no_shows: 0 }
    }

    fn add(&mut self, entry: &Entry) {
        match entry.state {
            State::Cancelled => self.cancelled += 1,
            State::Booked => {
                self.bookings += 1;
                if entry.no_show {
                    self.no_shows += 1;
                } else {
                    self.revenue.amount_minor += entry.price_minor.unwrap_or(0);
                }
            }
            State::Waitlisted => {}
        }
    }
}

/// One channel's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChannelLine {
    pub channel: String,
    #[serde(flatten)]
    pub tally: Tally,
}

/// One source and campaign's line (both none: booked with no UTM parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceLine {
    pub source: Option<String>,
    pub campaign: Option<String>,
    #[serde(flatten)]
    pub tally: Tally,
}

/// New and returning clients among the report's bookings (see the module's rules).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientMix {
    pub new_clients: u32,
    pub returning_clients: u32,
    pub new_client_bookings: u32,
    pub returning_client_bookings: u32,
    /// Bookings of erased clients.
    pub unknown_bookings: u32,
}

/// A specialist's booked and working minutes in the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utilisation {
    pub specialist_id: String,
    pub name: String,
    pub booked_minutes: i64,
    pub working_minutes: i64,
    /// Booked over working, in percent to one decimal; none when they had no working time.
    pub percent: Option<f64>,
}

/// `GET /v1/admin/companies/{company}/reports?location=&from=&to=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub location_id: String,
    pub from: String,
    pub to: String,
    pub total: Tally,
    /// Every channel of [`CHANNELS`], then any other found.
    pub channels: Vec<ChannelLine>,
    /// Most bookings first.
    pub sources: Vec<SourceLine>,
    pub clients: ClientMix,
    /// The location's specialists in catalog order, then anyone else booked there in the range.
    pub utilisation: Vec<Utilisation>,
}

/// The report of `location_id` over `range`. `chain` is every stored booking and seat of the
/// chain (every location, every date: a client's first booking may be anywhere); `working` the
/// location's specialists with their working minutes in the range.
pub fn report(location_id: &str, range: Range, currency: &str, chain: &[Entry], working: &[Working]) -> Report {
    let counts = |e: &Entry| !e.test && e.state != State::Waitlisted;
    let inside: Vec<&Entry> =
        chain.iter().filter(|e| counts(e) && e.location_id == location_id && range.contains(e.local_date)).collect();

    let mut total = Tally::zero(currency);
    let mut channels: BTreeMap<(usize, &str), Tally> =
        CHANNELS.iter().enumerate().map(|(i, c)| ((i, *c), Tally::zero(currency))).collect();
    let mut sources: HashMap<(Option<&str>, Option<&str>), Tally> = HashMap::new();
    for e in &inside {
        total.add(e);
        let rank = CHANNELS.iter().position(|c| *c == e.channel).unwrap_or(CHANNELS.len());
        channels.entry((rank, e.channel.as_str())).or_insert_with(|| Tally::zero(currency)).add(e);
        sources.entry((e.source.as_deref(), e.campaign.as_deref())).or_insert_with(|| Tally::zero(currency)).add(e);
    }
    let mut sources: Vec<SourceLine> = sources
        .into_iter()
        .map(|((source, campaign), tally)| SourceLine {
            source: source.map(str::to_string),
            campaign: campaign.map(str::to_string),
            tally,
        })
        .collect();
    sources.sort_by(|a, b| {
        (b.tally.bookings, b.tally.cancelled)
            .cmp(&(a.tally.bookings, a.tally.cancelled))
            .then_with(|| (&a.source, &a.campaign).cmp(&(&b.source, &b.campaign)))
    });

    Report {
        location_id: location_id.to_string(),
        from: range.from.to_string(),
        to: range.to.to_string(),
        total,
        channels: channels
            .into_iter()
            .map(|((_, channel), tally)| ChannelLine { channel: channel.into(), tally })
            .collect(),
        sources,
        clients: client_mix(&inside, chain),
        utilisation: utilisation(&inside, working),
    }
}

/// New and returning clients among the report's booked entries `inside`.
fn client_mix(inside: &[&Entry], chain: &[Entry]) -> ClientMix {
    // Each client's first booking with the chain: the earliest start, then the smallest id.
    let mut first: HashMap<&str, (i64, &str)> = HashMap::new();
    for e in chain.iter().filter(|e| !e.test && e.state == State::Booked) {
        if let Some(client) = e.client_id.as_deref() {
            let candidate = (e.start_s, e.booking_id.as_str());
            first.entry(client).and_modify(|f| *f = (*f).min(candidate)).or_insert(candidate);
        }
    }
    let ids: HashSet<&str> = inside.iter().map(|e| e.booking_id.as_str()).collect();
    let mut mix = ClientMix::default();
    let (mut new, mut returning) = (HashSet::new(), HashSet::new());
    for e in inside.iter().filter(|e| e.state == State::Booked) {
        match e.client_id.as_deref() {
            None => mix.unknown_bookings += 1,
            Some(client) if first.get(client).is_some_and(|(_, id)| ids.contains(id)) => {
                mix.new_client_bookings += 1;
                new.insert(client);
            }
            Some(client) => {
                mix.returning_client_bookings += 1;
                returning.insert(client);
            }
        }
    }
    mix.new_clients = new.len() as u32;
    mix.returning_clients = returning.len() as u32;
    mix
}

/// Each specialist's booked minutes over their working minutes.
fn utilisation(inside: &[&Entry], working: &[Working]) -> Vec<Utilisation> {
    let mut booked: HashMap<&str, i64> = HashMap::new();
    let mut seen = HashSet::new();
    let mut others: Vec<&str> = Vec::new();
    for busy in inside.iter().filter(|e| e.state == State::Booked).filter_map(|e| e.busy.as_ref()) {
        if seen.insert((busy.specialist_id.as_str(), busy.key.as_str())) {
            *booked.entry(&busy.specialist_id).or_default() += busy.minutes;
            if !working.iter().any(|w| w.specialist_id == busy.specialist_id) && !others.contains(&&*busy.specialist_id)
            {
                others.push(&busy.specialist_id);
            }
        }
    }
    others.sort_unstable();
    let line = |id: &str, name: &str, working_minutes: i64| {
        let booked_minutes = booked.get(id).copied().unwrap_or(0);
        Utilisation {
            specialist_id: id.to_string(),
            name: name.to_string(),
            booked_minutes,
            working_minutes,
            percent: (working_minutes > 0)
                .then(|| (booked_minutes as f64 * 1000.0 / working_minutes as f64).round() / 10.0),
        }
    };
    working
        .iter()
        .map(|w| line(&w.specialist_id, &w.name, w.minutes))
        .chain(others.into_iter().map(|id| line(id, id, 0)))
        .collect()
}

/// One of a report's tables as the console shows it and writes it as CSV: a header and rows of
/// text (amounts as plain decimals in major units, `30.00`, for spreadsheets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// `channels`, `sources`, `clients` or `utilisation`: the CSV file's name.
    pub id: &'static str,
    pub title: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Report {
    /// The report's tables, in the order the console shows them.
    pub fn tables(&self) -> Vec<Table> {
        let tally = |t: &Tally| {
            vec![
                t.bookings.to_string(),
                decimal(t.revenue.amount_minor, t.revenue.exponent),
                t.cancelled.to_string(),
                t.no_shows.to_string(),
            ]
        };
        let with = |mut first: Vec<String>, t: &Tally| {
            first.extend(tally(t));
            first
        };
        let mut channels: Vec<Vec<String>> =
            self.channels.iter().map(|c| with(vec![channel_name(&c.channel).to_string()], &c.tally)).collect();
        channels.push(with(vec!["All channels".into()], &self.total));
        let c = &self.clients;
        vec![
            Table {
                id: "channels",
                title: "By channel",
                header: vec!["Channel", "Bookings", "Revenue", "Cancelled", "No-shows"],
                rows: channels,
            },
            Table {
                id: "sources",
                title: "By source",
                header: vec!["Source", "Campaign", "Bookings", "Revenue", "Cancelled", "No-shows"],
                rows: self
                    .sources
                    .iter()
                    .map(|s| {
                        let source = s.source.clone().unwrap_or_else(|| "(direct)".into());
                        with(vec![source, s.campaign.clone().unwrap_or_default()], &s.tally)
                    })
                    .collect(),
            },
            Table {
                id: "clients",
                title: "New and returning clients",
                header: vec!["Clients", "People", "Bookings"],
                rows: vec![
                    vec!["New".into(), c.new_clients.to_string(), c.new_client_bookings.to_string()],
                    vec!["Returning".into(), c.returning_clients.to_string(), c.returning_client_bookings.to_string()],
                    vec!["Erased".into(), String::new(), c.unknown_bookings.to_string()],
                ],
            },
            Table {
                id: "utilisation",
                title: "Utilisation",
                header: vec!["Specialist", "Booked hours", "Working hours", "Utilisation %"],
                rows: self
                    .utilisation
                    .iter()
                    .map(|u| {
                        vec![
                            u.name.clone(),
                            hours(u.booked_minutes),
                            hours(u.working_minutes),
                            u.percent.map(|p| format!("{p:.1}")).unwrap_or_default(),
                        ]
                    })
                    .collect(),
            },
        ]
    }
}

/// What the console calls a channel.
pub fn channel_name(channel: &str) -> &str {
    match channel {
        "online" => "Widget on your site",
        "hosted_page" => "Booking page",
        "app" => "Your app",
        "front_desk" => "Front desk",
        "google" => "Google",
        other => other,
    }
}

/// Minutes as hours to two decimals (`90` is `1.50`).
fn hours(minutes: i64) -> String {
    format!("{}.{:02}", minutes / 60, (minutes % 60) * 100 / 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> CivilDate {
        CivilDate::parse(text).unwrap()
    }

    fn entry(id: &str, client: Option<&str>, day: &str, state: State) -> Entry {
        Entry {
            booking_id: id.into(),
            location_id: "main".into(),
            client_id: client.map(str::to_string),
            local_date: date(day),
            start_s: i64::from(date(day).days_since_epoch()) * 86_400 + 36_000,
            state,
            no_show: false,
            test: false,
            channel: "online".into(),
            source: None,
            campaign: None,
            price_minor: Some(3000),
            busy: Some(BusyTime { specialist_id: "kim".into(), key: id.into(), minutes: 30 }),
        }
    }

    fn range(from: &str, to: &str) -> Range {
        Range::parse(from, to).unwrap()
    }

    fn kim(minutes: i64) -> Vec<Working> {
        vec![Working { specialist_id: "kim".into(), name: "Kim".into(), minutes }]
    }

    #[test]
    fn a_range_is_checked_and_names_its_field() {
        assert_eq!(range("2026-12-01", "2026-12-31").days(), 31);
        assert_eq!(Range::parse("2026-12-32", "2026-12-31").unwrap_err().field.as_deref(), Some("from"));
        assert_eq!(Range::parse("2026-12-02", "2026-12-01").unwrap_err().field.as_deref(), Some("to"));
        assert!(Range::parse("2026-01-01", "2026-12-31").is_ok());
        assert!(Range::parse("2026-01-01", "2027-01-02").is_err(), "367 days");
    }

    #[test]
    fn cancellations_no_shows_tests_and_waitlists_count_as_the_rules_say() {
        let mut no_show = entry("b2", Some("c2"), "2026-12-02", State::Booked);
        no_show.no_show = true;
        let mut test = entry("b4", Some("c4"), "2026-12-02", State::Booked);
        test.test = true;
        let mut desk = entry("b5", Some("c1"), "2026-12-03", State::Booked);
        desk.channel = "front_desk".into();
        desk.price_minor = Some(1250);
        let chain = vec![
            entry("b1", Some("c1"), "2026-12-01", State::Booked),
            no_show,
            entry("b3", Some("c3"), "2026-12-02", State::Cancelled),
            test,
            desk,
            entry("b6", Some("c6"), "2026-12-02", State::Waitlisted),
            entry("b7", Some("c7"), "2026-12-09", State::Booked),
        ];
        let r = report("main", range("2026-12-01", "2026-12-07"), "GBP", &chain, &kim(600));
        assert_eq!(
            (r.total.bookings, r.total.revenue.amount_minor, r.total.cancelled, r.total.no_shows),
            (3, 4250, 1, 1)
        );
        let channels: Vec<_> = r.channels.iter().map(|c| (c.channel.as_str(), c.tally.bookings)).collect();
        assert_eq!(channels, [("online", 2), ("hosted_page", 0), ("app", 0), ("front_desk", 1)]);
        assert_eq!(r.utilisation[0].booked_minutes, 90, "a no-show's time was booked all the same");
        assert_eq!(r.utilisation[0].percent, Some(15.0));
        let t = &r.tables()[0];
        assert_eq!(t.rows.last().unwrap(), &["All channels", "3", "42.50", "1", "1"]);
    }

    #[test]
    fn a_client_is_new_when_their_first_booking_with_the_chain_is_in_the_report() {
        let mut elsewhere = entry("b0", Some("c1"), "2026-11-01", State::Booked);
        elsewhere.location_id = "soho".into();
        let chain = vec![
            elsewhere,
            entry("b1", Some("c1"), "2026-12-01", State::Booked),
            // c2 cancelled a first booking: the next one is their first.
            entry("b2", Some("c2"), "2026-11-20", State::Cancelled),
            entry("b3", Some("c2"), "2026-12-02", State::Booked),
            entry("b4", Some("c2"), "2026-12-03", State::Booked),
            entry("b5", None, "2026-12-03", State::Booked),
        ];
        let r = report("main", range("2026-12-01", "2026-12-07"), "GBP", &chain, &kim(0));
        assert_eq!(
            r.clients,
            ClientMix {
                new_clients: 1,
                returning_clients: 1,
                new_client_bookings: 2,
                returning_client_bookings: 1,
                unknown_bookings: 1
            }
        );
        assert_eq!(r.utilisation[0].percent, None, "no working time");
    }

    #[test]
    fn seats_of_one_session_take_the_specialists_time_once() {
        let seat = |id: &str| {
            let mut e = entry(id, Some(id), "2026-12-01", State::Booked);
            e.busy = Some(BusyTime { specialist_id: "lee".into(), key: "yoga@1".into(), minutes: 60 });
            e
        };
        let r = report("main", range("2026-12-01", "2026-12-01"), "GBP", &[seat("s1"), seat("s2")], &kim(480));
        let lee = r.utilisation.iter().find(|u| u.specialist_id == "lee").unwrap();
        assert_eq!((lee.booked_minutes, lee.working_minutes), (60, 0), "booked here though not working here now");
    }

    #[test]
    fn hours_are_plain_decimals() {
        assert_eq!(hours(90), "1.50");
        assert_eq!(hours(7), "0.11");
    }

    fn arbitrary_entry() -> impl Strategy<Value = Entry> {
        (0..40u32, 0..6u32, 0..3usize, any::<bool>(), 0..5usize, 0..3usize, 0..5000i64, any::<bool>()).prop_map(
            |(id, client, state, no_show, channel, location, price, test)| {
                let day = date("2026-12-01").add_days((id % 20) as i32 - 5);
                let mut e = entry(
                    &format!("b{id}"),
                    (client > 0).then(|| format!("c{client}")).as_deref(),
                    "2026-12-01",
                    [State::Booked, State::Cancelled, State::Waitlisted][state],
                );
                e.local_date = day;
                e.start_s = i64::from(day.days_since_epoch()) * 86_400 + i64::from(id);
                e.no_show = no_show;
                e.channel = ["online", "hosted_page", "app", "front_desk", "google"][channel].into();
                e.location_id = ["main", "main", "soho"][location].into();
                e.price_minor = Some(price);
                e.test = test;
                e
            },
        )
    }

    proptest! {
        /// Against the slow, obvious count: every line adds up to the total, whichever way the
        /// bookings are cut.
        #[test]
        fn every_cut_adds_up_to_the_total(chain in prop::collection::vec(arbitrary_entry(), 0..40)) {
            let r = report("main", range("2026-12-01", "2026-12-10"), "GBP", &chain, &kim(600));
            let counted: Vec<&Entry> = chain.iter().filter(|e| !e.test && e.state != State::Waitlisted
                && e.location_id == "main" && range("2026-12-01", "2026-12-10").contains(e.local_date)).collect();
            let booked = counted.iter().filter(|e| e.state == State::Booked).count() as u32;
            let revenue: i64 = counted.iter().filter(|e| e.state == State::Booked && !e.no_show).map(|e| e.price_minor.unwrap()).sum();
            prop_assert_eq!(r.total.bookings, booked);
            prop_assert_eq!(r.total.revenue.amount_minor, revenue);
            for lines in [r.channels.iter().map(|c| &c.tally).collect::<Vec<_>>(), r.sources.iter().map(|s| &s.tally).collect()] {
                prop_assert_eq!(lines.iter().map(|t| t.bookings).sum::<u32>(), r.total.bookings);
                prop_assert_eq!(lines.iter().map(|t| t.revenue.amount_minor).sum::<i64>(), r.total.revenue.amount_minor);
                prop_assert_eq!(lines.iter().map(|t| t.cancelled).sum::<u32>(), r.total.cancelled);
                prop_assert_eq!(lines.iter().map(|t| t.no_shows).sum::<u32>(), r.total.no_shows);
            }
            let c = &r.clients;
            prop_assert_eq!(c.new_client_bookings + c.returning_client_bookings + c.unknown_bookings, booked);
            let people: HashSet<_> = counted.iter().filter(|e| e.state == State::Booked).filter_map(|e| e.client_id.as_deref()).collect();
            prop_assert_eq!((c.new_clients + c.returning_clients) as usize, people.len());
        }
    }
}
