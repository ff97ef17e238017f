//! What a client pays: a service's price with the owner's automatic discounts. Decided by the
//! edge when it answers the catalog and again when it confirms a booking; the widget only shows
//! the answer.
//!
//! The rules, in one place (see docs/pricing.md):
//!
//! - A rule applies to a booking when its **channel** matches (`online`: any online booking, the
//!   business's app included; `app`: only bookings that carry one of the business's app keys),
//!   its **eligibility** matches (`every_booking`, or `first_booking`: the client has never had a
//!   confirmed booking anywhere in the chain), the service is in its **scope** (its services and
//!   categories; none listed: every service) and the **date the booking is made** (the location's
//!   today) is within its validity, both ends included.
//! - **Precedence:** discounts do not stack. Of the rules that apply, the one that takes the most
//!   off wins; on a tie, the one listed first.
//! - **Rounding:** a percentage is taken of the price in minor units and rounded half up to a
//!   whole minor unit (10% of 1,005 is 100.5, so 101 off). A fixed amount is taken off as it is.
//! - The price never goes below zero: a discount takes off at most the whole price.

use serde::{Deserialize, Serialize};

use crate::catalog::{check_scope, check_validity, in_scope, invalid, Service};
use crate::error::ApiError;
use crate::time::CivilDate;

/// An automatic discount, as the owner defines it in the catalog (`discounts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountRule {
    pub id: String,
    /// What the client is told, e.g. "Online booking −10%" (1–50 characters).
    pub name: String,
    #[serde(default)]
    pub channel: Channel,
    #[serde(default)]
    pub eligibility: Eligibility,
    /// Services the rule covers; with `category_ids`, both empty: every service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_ids: Vec<String>,
    /// Categories whose services the rule covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category_ids: Vec<String>,
    /// Percent off (1–100); exactly one of `percent` and `amount_minor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u32>,
    /// A fixed amount off, in minor units of the company's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_minor: Option<i64>,
    /// The first and last dates (the location's) on which a booking gets the discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<CivilDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<CivilDate>,
}

/// Where a booking comes from, as the edge decides it (never from a flag the browser sets).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Any online booking: the widget, the hosted page, the business's app. As a booking's own
    /// channel: the widget on the business's site (or another online client).
    #[default]
    Online,
    /// Booked in the widget on Homeslot's hosted booking page (`/b/{company}`). For discounts it
    /// is an online booking like any other: never a rule's channel.
    HostedPage,
    /// Only bookings from the business's own app (requests carrying one of its app keys).
    App,
    /// Booked by the business's staff for a client at the desk or on the phone (the console).
    /// Never a rule's channel: the automatic discounts are for online bookings.
    FrontDesk,
    /// Booked on Google (Reserve with Google's booking server). For discounts an online booking
    /// like the hosted page's: never a rule's channel.
    Google,
}

impl Channel {
    /// The wire form (`front_desk`), as bookings store it.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::HostedPage => "hosted_page",
            Channel::App => "app",
            Channel::FrontDesk => "front_desk",
            Channel::Google => "google",
        }
    }
}

/// Which clients a rule is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    #[default]
    EveryBooking,
    /// The client's first booking with the chain (judged by the client's identity).
    FirstBooking,
}

/// What the edge knows about a booking when it prices it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occasion {
    pub channel: Channel,
    /// Whether the client has never had a confirmed booking with the chain.
    pub first_booking: bool,
    /// The location's today: the date the booking is made.
    pub today: CivilDate,
}

/// A price with its discount: what the service costs, what the client pays, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced<'a> {
    pub original_minor: i64,
    pub final_minor: i64,
    /// The rule that took something off; `None` when the client pays the original price.
    pub rule: Option<&'a DiscountRule>,
}

impl DiscountRule {
    /// Whether the rule covers this booking of `service`.
    pub fn applies(&self, service: &Service, occasion: &Occasion) -> bool {
        let channel = match self.channel {
            Channel::Online => occasion.channel != Channel::FrontDesk,
            Channel::App => occasion.channel == Channel::App,
            Channel::HostedPage | Channel::FrontDesk | Channel::Google => false,
        };
        let eligible = match self.eligibility {
            Eligibility::EveryBooking => true,
            Eligibility::FirstBooking => occasion.first_booking,
        };
        let in_scope = in_scope(service, &self.service_ids, &self.category_ids);
        let valid = self.valid_from.is_none_or(|from| from <= occasion.today)
            && self.valid_until.is_none_or(|until| occasion.today <= until);
        channel && eligible && in_scope && valid
    }

    /// How much the rule takes off `price_minor` (never more than the price, never negative).
    pub fn discount(&self, price_minor: i64) -> i64 {
        let price = price_minor.max(0);
        let off = match (self.percent, self.amount_minor) {
            // Half up: (price × percent + 50) / 100, in i128 so no price can overflow.
            (Some(percent), _) => ((i128::from(price) * i128::from(percent) + 50) / 100) as i64,
            (None, Some(amount)) => amount,
            (None, None) => 0,
        };
        off.clamp(0, price)
    }

    /// Checks the rule against the catalog's services and categories; `at` is its JSON path.
    pub(crate) fn validate(&self, at: &str, service_ids: &[&str], category_ids: &[&str]) -> Result<(), ApiError> {
        let field = |f: &str| format!("{at}.{f}");
        if matches!(self.channel, Channel::FrontDesk | Channel::HostedPage | Channel::Google) {
            return Err(invalid(
                &field("channel"),
                "must be online or app: automatic discounts are for online bookings",
            ));
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 50 || self.name.chars().any(char::is_control) {
            return Err(invalid(&field("name"), "must be 1–50 characters, without control characters"));
        }
        match (self.percent, self.amount_minor) {
            (Some(percent), None) if (1..=100).contains(&percent) => {}
            (Some(_), None) => return Err(invalid(&field("percent"), "must be between 1 and 100")),
            (None, Some(amount)) if (1..=crate::currency::MAX_AMOUNT_MINOR).contains(&amount) => {}
            (None, Some(_)) => {
                return Err(invalid(&field("amount_minor"), "must be more than 0 and at most a trillion minor units"))
            }
            _ => return Err(invalid(at, "needs exactly one of percent and amount_minor")),
        }
        check_scope(&field, (&self.service_ids, &self.category_ids), (service_ids, category_ids))?;
        check_validity(&field, self.valid_from, self.valid_until)?;
        Ok(())
    }
}

/// The price of `service` at `price_minor` (its price with the chosen specialist) for this
/// booking: the best of the rules that apply, the first of equals.
pub fn price<'a>(service: &Service, price_minor: i64, rules: &'a [DiscountRule], occasion: &Occasion) -> Priced<'a> {
    let mut best: Option<(&DiscountRule, i64)> = None;
    for rule in rules.iter().filter(|rule| rule.applies(service, occasion)) {
        let off = rule.discount(price_minor);
        if off > 0 && best.is_none_or(|(_, most)| off > most) {
            best = Some((rule, off));
        }
    }
    Priced {
        original_minor: price_minor,
        final_minor: price_minor - best.map_or(0, |(_, off)| off),
        rule: best.map(|(rule, _)| rule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::{day, service};
    use proptest::prelude::*;

    fn rule(id: &str, percent: Option<u32>, amount: Option<i64>) -> DiscountRule {
        DiscountRule {
            id: id.into(),
            name: id.into(),
            channel: Channel::Online,
            eligibility: Eligibility::EveryBooking,
            service_ids: vec![],
            category_ids: vec![],
            percent,
            amount_minor: amount,
            valid_from: None,
            valid_until: None,
        }
    }

    fn online(today: &str) -> Occasion {
        Occasion { channel: Channel::Online, first_booking: false, today: day(today) }
    }

    #[test]
    fn percentages_round_half_up_to_a_whole_minor_unit() {
        let ten = rule("ten", Some(10), None);
        assert_eq!(ten.discount(1005), 101); // 100.5 → 101
        assert_eq!(ten.discount(1004), 100); // 100.4 → 100
        assert_eq!(ten.discount(1006), 101); // 100.6 → 101
        assert_eq!(ten.discount(4), 0); // 0.4 → 0
        assert_eq!(ten.discount(5), 1); // 0.5 → 1
        assert_eq!(rule("third", Some(33), None).discount(100), 33);
        assert_eq!(rule("all", Some(100), None).discount(4999), 4999);
        assert_eq!(ten.discount(i64::MAX), (i128::from(i64::MAX) / 10 + 1) as i64);
    }

    #[test]
    fn a_price_never_goes_below_zero() {
        let s = service("cut", None);
        let rules = [rule("big", None, Some(5000))];
        let priced = price(&s, 1200, &rules, &online("2026-12-01"));
        assert_eq!((priced.original_minor, priced.final_minor), (1200, 0));
        assert_eq!(price(&s, 0, &rules, &online("2026-12-01")).rule, None, "nothing off a free service");
    }

    #[test]
    fn the_rule_taking_most_off_wins_and_the_first_of_equals() {
        let s = service("cut", None);
        let rules = [rule("a", Some(10), None), rule("b", None, Some(150)), rule("c", Some(15), None)];
        // 10% of 1000 = 100, 150, 15% = 150: b and c tie, b is listed first.
        let priced = price(&s, 1000, &rules, &online("2026-12-01"));
        assert_eq!((priced.final_minor, priced.rule.map(|r| r.id.as_str())), (850, Some("b")));
        // At 2000: 200, 150, 300: c.
        assert_eq!(price(&s, 2000, &rules, &online("2026-12-01")).rule.map(|r| r.id.as_str()), Some("c"));
    }

    #[test]
    fn channel_eligibility_scope_and_dates_decide_whether_a_rule_applies() {
        let cut = service("cut", Some("hair"));
        let nails = service("nails", None);
        let mut app = rule("app", Some(10), None);
        app.channel = Channel::App;
        let from_app = Occasion { channel: Channel::App, ..online("2026-12-01") };
        assert!(!app.applies(&cut, &online("2026-12-01")));
        assert!(app.applies(&cut, &from_app));
        assert!(rule("web", Some(5), None).applies(&cut, &from_app), "an online rule covers the app too");
        let hosted = Occasion { channel: Channel::HostedPage, ..online("2026-12-01") };
        assert!(rule("web", Some(5), None).applies(&cut, &hosted), "and the hosted page");
        assert!(!app.applies(&cut, &hosted));
        let at_desk = Occasion { channel: Channel::FrontDesk, ..online("2026-12-01") };
        assert!(!rule("web", Some(5), None).applies(&cut, &at_desk), "the desk pays the catalog's price");
        assert!(!app.applies(&cut, &at_desk));
        for channel in [Channel::FrontDesk, Channel::HostedPage] {
            let mut only = rule("only", Some(5), None);
            only.channel = channel;
            assert_eq!(
                only.validate("discounts[0]", &["cut"], &[]).unwrap_err().field.as_deref(),
                Some("discounts[0].channel")
            );
        }

        let mut first = rule("first", Some(20), None);
        first.eligibility = Eligibility::FirstBooking;
        assert!(!first.applies(&cut, &online("2026-12-01")));
        assert!(first.applies(&cut, &Occasion { first_booking: true, ..online("2026-12-01") }));

        let mut hair = rule("hair", Some(10), None);
        hair.category_ids = vec!["hair".into()];
        assert!(hair.applies(&cut, &online("2026-12-01")) && !hair.applies(&nails, &online("2026-12-01")));
        let mut only_nails = rule("nails", Some(10), None);
        only_nails.service_ids = vec!["nails".into()];
        assert!(!only_nails.applies(&cut, &online("2026-12-01")) && only_nails.applies(&nails, &online("2026-12-01")));

        let mut december = rule("december", Some(10), None);
        december.valid_from = Some(day("2026-12-01"));
        december.valid_until = Some(day("2026-12-31"));
        assert!(!december.applies(&cut, &online("2026-11-30")));
        assert!(december.applies(&cut, &online("2026-12-01")));
        assert!(december.applies(&cut, &online("2026-12-31")));
        assert!(!december.applies(&cut, &online("2027-01-01")));
    }

    #[test]
    fn validation_names_the_field() {
        let services = ["cut"];
        let check = |r: &DiscountRule| r.validate("discounts[0]", &services, &["hair"]).map_err(|e| e.field.unwrap());
        assert_eq!(check(&rule("ok", Some(10), None)), Ok(()));
        assert_eq!(check(&rule("both", Some(10), Some(5))).unwrap_err(), "discounts[0]");
        assert_eq!(check(&rule("none", None, None)).unwrap_err(), "discounts[0]");
        assert_eq!(check(&rule("zero", Some(0), None)).unwrap_err(), "discounts[0].percent");
        assert_eq!(check(&rule("over", Some(101), None)).unwrap_err(), "discounts[0].percent");
        assert_eq!(check(&rule("free", None, Some(0))).unwrap_err(), "discounts[0].amount_minor");
        let mut long = rule("long", Some(10), None);
        long.name = "x".repeat(51);
        assert_eq!(check(&long).unwrap_err(), "discounts[0].name");
        let mut unknown = rule("unknown", Some(10), None);
        unknown.service_ids = vec!["perm".into()];
        assert_eq!(check(&unknown).unwrap_err(), "discounts[0].service_ids[0]");
        unknown.service_ids.clear();
        unknown.category_ids = vec!["nails".into()];
        assert_eq!(check(&unknown).unwrap_err(), "discounts[0].category_ids[0]");
        let mut backwards = rule("backwards", Some(10), None);
        backwards.valid_from = Some(day("2026-12-02"));
        backwards.valid_until = Some(day("2026-12-01"));
        assert_eq!(check(&backwards).unwrap_err(), "discounts[0].valid_until");
    }

    /// The reference: the amount off found by counting, the slow way. For a percentage, the whole
    /// number of minor units nearest to price × percent / 100, the larger one when two are as near.
    fn reference_off(rule: &DiscountRule, price: i64) -> i64 {
        let exact_hundredths = price * i64::from(rule.percent.unwrap_or(0));
        let off = match rule.percent {
            Some(_) => {
                (0..=price).min_by_key(|&n| ((n * 100 - exact_hundredths).abs(), std::cmp::Reverse(n))).unwrap_or(0)
            }
            None => rule.amount_minor.unwrap_or(0),
        };
        off.min(price)
    }

    fn arbitrary_rule() -> impl Strategy<Value = DiscountRule> {
        (
            prop_oneof![(1u32..=100).prop_map(|p| (Some(p), None)), (1i64..3000).prop_map(|a| (None, Some(a)))],
            any::<bool>(),
            any::<bool>(),
            prop::option::of(0u8..3),
            prop::option::of(-3i32..3),
            prop::option::of(-3i32..3),
        )
            .prop_map(|((percent, amount), app, first, scope, from, until)| {
                let mut r = rule("r", percent, amount);
                r.channel = if app { Channel::App } else { Channel::Online };
                r.eligibility = if first { Eligibility::FirstBooking } else { Eligibility::EveryBooking };
                match scope {
                    Some(0) => r.service_ids = vec!["cut".into()],
                    Some(1) => r.service_ids = vec!["nails".into()],
                    Some(_) => r.category_ids = vec!["hair".into()],
                    None => {}
                }
                r.valid_from = from.map(|d| day("2026-12-10").add_days(d));
                r.valid_until = until.map(|d| day("2026-12-10").add_days(d));
                r
            })
    }

    proptest! {
        /// The engine agrees with the reference: the final price is the original minus the largest
        /// amount off among the rules that apply, it is never negative, and the named rule is the
        /// first that takes that much.
        #[test]
        fn price_matches_the_reference(
            original in 0i64..5000,
            mut rules in prop::collection::vec(arbitrary_rule(), 0..6),
            app in any::<bool>(),
            first in any::<bool>(),
            today in -4i32..4,
        ) {
            for (i, r) in rules.iter_mut().enumerate() {
                r.id = format!("r{i}");
            }
            let cut = service("cut", Some("hair"));
            let occasion = Occasion {
                channel: if app { Channel::App } else { Channel::Online },
                first_booking: first,
                today: day("2026-12-10").add_days(today),
            };
            let priced = price(&cut, original, &rules, &occasion);

            let applicable: Vec<&DiscountRule> = rules.iter().filter(|r| {
                (r.channel == Channel::Online || app)
                    && (r.eligibility == Eligibility::EveryBooking || first)
                    && (r.service_ids.is_empty() && r.category_ids.is_empty()
                        || r.service_ids.iter().any(|s| s == "cut")
                        || r.category_ids.iter().any(|c| c == "hair"))
                    && r.valid_from.is_none_or(|d| d <= occasion.today)
                    && r.valid_until.is_none_or(|d| occasion.today <= d)
            }).collect();
            let most = applicable.iter().map(|r| reference_off(r, original)).max().unwrap_or(0);
            prop_assert_eq!(priced.original_minor, original);
            prop_assert_eq!(priced.final_minor, original - most);
            prop_assert!(priced.final_minor >= 0 && priced.final_minor <= original);
            let winner = applicable.iter().find(|r| most > 0 && reference_off(r, original) == most);
            prop_assert_eq!(priced.rule.map(|r| r.id.clone()), winner.map(|r| r.id.clone()));
        }
    }
}
