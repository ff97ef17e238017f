//! Memberships: passes and subscriptions a client of the chain holds, and whether one pays for a
//! booking. Pure: the edge stores them in the company object and debits them when it confirms.
//!
//! Which statuses book (see docs/memberships.md): `active`, and `issued` (sold but not yet
//! activated: its first booking activates it). `frozen`, `expired` and `cancelled` do not.
//!
//! A membership pays for a booking only if every one of these holds, checked in this order, each
//! with its own error code:
//!
//! 1. its status books (`membership_frozen`, `membership_expired`, `membership_cancelled`);
//! 2. it covers every service booked (`membership_not_valid_for_service`);
//! 3. every visit's date is inside its validity (`membership_not_yet_valid`, `membership_expired`);
//! 4. its balance covers all the visits booked together (`membership_no_balance`): one visit per
//!    service from a visits balance, the price from a money balance; no balance is unlimited.

use serde::{Deserialize, Serialize};

use crate::catalog::{check_scope, check_validity, in_scope, invalid, Service};
use crate::error::{ApiError, ErrorCode};
use crate::time::CivilDate;
use crate::validation;

/// A membership as the owner issues it (admin API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// What the client types: 1–40 letters, digits and `-`, unique in the chain.
    pub number: String,
    /// The membership's type as the client knows it, e.g. "10-visit pass" (1–60 characters).
    pub name: String,
    /// The holder's phone (E.164 once stored): a booking must come from this phone.
    pub phone: String,
    /// Services it covers, by id or category; both empty: every service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category_ids: Vec<String>,
    pub status: MembershipStatus,
    /// A visits balance; at most one of `visits_left` and `balance_minor`; neither: unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visits_left: Option<u32>,
    /// A money balance, in minor units of the company's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_minor: Option<i64>,
    /// The first and last dates (the location's) a visit may be on, both included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<CivilDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<CivilDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Active,
    /// Sold, not yet activated: its first booking activates it.
    Issued,
    Frozen,
    Expired,
    Cancelled,
}

/// One visit a membership is asked to pay for: the service, the visit's local date, its price.
#[derive(Debug, Clone, Copy)]
pub struct Use<'a> {
    pub service: &'a Service,
    pub date: CivilDate,
    pub price_minor: i64,
}

/// What paying takes from a balance (and gives back when a booking is cancelled).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debit {
    pub visits: u32,
    pub minor: i64,
}

impl Membership {
    /// Checks the membership as the owner wrote it, its phone already in E.164; `at` is its JSON
    /// path.
    ///
    /// # Errors
    /// `validation_failed` naming the field.
    pub fn validated(self, at: &str, service_ids: &[&str], category_ids: &[&str]) -> Result<Self, ApiError> {
        let field = |f: &str| if at.is_empty() { f.to_string() } else { format!("{at}.{f}") };
        let number_ok = (1..=40).contains(&self.number.len())
            && self.number.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !number_ok {
            return Err(invalid(&field("number"), "must be 1–40 letters, digits and '-'"));
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 60 || self.name.chars().any(char::is_control) {
            return Err(invalid(&field("name"), "must be 1–60 characters, without control characters"));
        }
        // The edge reads the owner's writing of the number first (`validation::phone`).
        if !validation::is_e164(&self.phone) {
            return Err(invalid(&field("phone"), "must be a phone number with its country code, e.g. +447400123456"));
        }
        if self.visits_left.is_some() && self.balance_minor.is_some() {
            return Err(invalid(
                &field("balance_minor"),
                "cannot be set with visits_left: a balance is in visits or in money (neither: unlimited)",
            ));
        }
        if self.balance_minor.is_some_and(|b| !(0..=crate::currency::MAX_AMOUNT_MINOR).contains(&b)) {
            return Err(invalid(&field("balance_minor"), "must be from 0 to a trillion minor units"));
        }
        check_scope(&field, (&self.service_ids, &self.category_ids), (service_ids, category_ids))?;
        check_validity(&field, self.valid_from, self.valid_until)?;
        Ok(self)
    }

    /// Whether it covers `service`.
    pub fn covers(&self, service: &Service) -> bool {
        in_scope(service, &self.service_ids, &self.category_ids)
    }

    /// What paying for all of `uses` (booked together) takes from the balance, or why it cannot.
    ///
    /// # Errors
    /// The first failed rule, in the order of the module's list, with its own code.
    pub fn pays_for(&self, uses: &[Use]) -> Result<Debit, ApiError> {
        let refuse = |code, message: &str| Err(ApiError::field(code, "membership", message));
        match self.status {
            MembershipStatus::Active | MembershipStatus::Issued => {}
            MembershipStatus::Frozen => return refuse(ErrorCode::MembershipFrozen, "This membership is frozen."),
            MembershipStatus::Expired => return refuse(ErrorCode::MembershipExpired, "This membership has expired."),
            MembershipStatus::Cancelled => {
                return refuse(ErrorCode::MembershipCancelled, "This membership has been cancelled.")
            }
        }
        if uses.iter().any(|u| !self.covers(u.service)) {
            return refuse(ErrorCode::MembershipNotValidForService, "This membership does not cover this service.");
        }
        if uses.iter().any(|u| self.valid_from.is_some_and(|from| u.date < from)) {
            return refuse(ErrorCode::MembershipNotYetValid, "This membership is not valid yet on that date.");
        }
        if uses.iter().any(|u| self.valid_until.is_some_and(|until| u.date > until)) {
            return refuse(ErrorCode::MembershipExpired, "This membership has expired by that date.");
        }
        let debit = Debit {
            visits: if self.visits_left.is_some() { uses.len() as u32 } else { 0 },
            minor: if self.balance_minor.is_some() { uses.iter().map(|u| u.price_minor.max(0)).sum() } else { 0 },
        };
        let enough = self.visits_left.is_none_or(|left| debit.visits <= left)
            && self.balance_minor.is_none_or(|balance| debit.minor <= balance);
        if !enough {
            return refuse(ErrorCode::MembershipNoBalance, "This membership's balance does not cover this booking.");
        }
        Ok(debit)
    }

    /// The membership after paying `debit`: the balance lowered, and an issued one activated.
    pub fn debited(mut self, debit: Debit) -> Self {
        self.visits_left = self.visits_left.map(|left| left.saturating_sub(debit.visits));
        self.balance_minor = self.balance_minor.map(|balance| balance - debit.minor);
        if self.status == MembershipStatus::Issued {
            self.status = MembershipStatus::Active;
        }
        self
    }

    /// The membership after a cancelled booking gave `debit` back.
    pub fn credited(mut self, debit: Debit) -> Self {
        self.visits_left = self.visits_left.map(|left| left.saturating_add(debit.visits));
        self.balance_minor = self.balance_minor.map(|balance| balance + debit.minor);
        self
    }
}

/// The answer of `POST …/memberships/import`: how many rows were imported, and of them how many
/// created a membership and how many replaced one with the same number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub imported: usize,
    pub created: usize,
    pub replaced: usize,
}

/// The answer of `POST …/memberships/import?preview=true`: what each row would do. Nothing is
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub preview: bool,
    pub created: usize,
    pub replaced: usize,
    pub rows: Vec<PreviewRow>,
}

/// One row of an import's preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// 1 for the first membership (in a CSV, the line after the header).
    pub row: usize,
    pub number: String,
    pub name: String,
    /// As it would be stored (E.164).
    pub phone: String,
    /// No membership has this number yet: the row creates one (else it replaces it).
    pub new: bool,
}

/// One row's problem in an import (`422 validation_failed` carries them as `rows`, and nothing
/// is written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// 1 for the first membership (in a CSV, the line after the header).
    pub row: usize,
    pub field: Option<String>,
    pub message: String,
}

/// The longest reason given for changing a membership by hand.
pub const MAX_REASON_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::{day, service};
    use proptest::prelude::*;

    fn pass(visits: Option<u32>, money: Option<i64>) -> Membership {
        Membership {
            number: "M-1".into(),
            name: "Pass".into(),
            phone: "+447400900123".into(),
            service_ids: vec![],
            category_ids: vec![],
            status: MembershipStatus::Active,
            visits_left: visits,
            balance_minor: money,
            valid_from: None,
            valid_until: None,
        }
    }

    fn code(result: Result<Debit, ApiError>) -> &'static str {
        result.map_or_else(|e| e.code.as_str(), |_| "ok")
    }

    #[test]
    fn statuses_that_book_and_those_that_do_not() {
        let cut = service("cut", None);
        let visit = [Use { service: &cut, date: day("2026-12-01"), price_minor: 1000 }];
        let with = |status| Membership { status, ..pass(Some(3), None) };
        assert_eq!(code(with(MembershipStatus::Active).pays_for(&visit)), "ok");
        assert_eq!(code(with(MembershipStatus::Issued).pays_for(&visit)), "ok");
        assert_eq!(code(with(MembershipStatus::Frozen).pays_for(&visit)), "membership_frozen");
        assert_eq!(code(with(MembershipStatus::Expired).pays_for(&visit)), "membership_expired");
        assert_eq!(code(with(MembershipStatus::Cancelled).pays_for(&visit)), "membership_cancelled");
        let activated = with(MembershipStatus::Issued).debited(Debit { visits: 1, minor: 0 });
        assert_eq!((activated.status, activated.visits_left), (MembershipStatus::Active, Some(2)));
    }

    #[test]
    fn coverage_dates_and_balance_each_have_their_code() {
        let (cut, nails) = (service("cut", Some("hair")), service("nails", None));
        let on = |s, d| [Use { service: s, date: day(d), price_minor: 1500 }];
        let mut hair = pass(Some(1), None);
        hair.category_ids = vec!["hair".into()];
        assert_eq!(code(hair.pays_for(&on(&cut, "2026-12-01"))), "ok");
        assert_eq!(code(hair.pays_for(&on(&nails, "2026-12-01"))), "membership_not_valid_for_service");
        let mut december = pass(None, None);
        december.valid_from = Some(day("2026-12-01"));
        december.valid_until = Some(day("2026-12-31"));
        assert_eq!(code(december.pays_for(&on(&cut, "2026-11-30"))), "membership_not_yet_valid");
        assert_eq!(code(december.pays_for(&on(&cut, "2026-12-31"))), "ok");
        assert_eq!(code(december.pays_for(&on(&cut, "2027-01-01"))), "membership_expired");
        assert_eq!(code(pass(Some(0), None).pays_for(&on(&cut, "2026-12-01"))), "membership_no_balance");
        assert_eq!(code(pass(None, Some(1499)).pays_for(&on(&cut, "2026-12-01"))), "membership_no_balance");
        assert_eq!(pass(None, Some(1500)).pays_for(&on(&cut, "2026-12-01")).unwrap(), Debit { visits: 0, minor: 1500 });
        // A visit of two services counts both against the balance.
        let two = [on(&cut, "2026-12-01")[0], on(&cut, "2026-12-01")[0]];
        assert_eq!(code(pass(Some(1), None).pays_for(&two)), "membership_no_balance");
        assert_eq!(pass(Some(2), None).pays_for(&two).unwrap(), Debit { visits: 2, minor: 0 });
    }

    #[test]
    fn validation_names_the_field_and_takes_only_e164_phones() {
        let check = |m: Membership| m.validated("memberships[0]", &["cut"], &["hair"]).map_err(|e| e.field.unwrap());
        assert_eq!(check(pass(Some(1), None)).unwrap().phone, "+447400900123");
        let mut spaced = pass(Some(1), None);
        spaced.phone = "+44 7400 900123".into();
        assert_eq!(check(spaced).unwrap_err(), "memberships[0].phone", "the edge writes it in E.164 first");
        assert_eq!(
            check(Membership { number: "M 1".into(), ..pass(None, None) }).unwrap_err(),
            "memberships[0].number"
        );
        assert_eq!(check(Membership { name: "".into(), ..pass(None, None) }).unwrap_err(), "memberships[0].name");
        assert_eq!(check(Membership { phone: "12".into(), ..pass(None, None) }).unwrap_err(), "memberships[0].phone");
        assert_eq!(check(pass(Some(1), Some(1))).unwrap_err(), "memberships[0].balance_minor");
        assert_eq!(check(pass(None, Some(-1))).unwrap_err(), "memberships[0].balance_minor");
        let mut unknown = pass(None, None);
        unknown.service_ids = vec!["perm".into()];
        assert_eq!(check(unknown).unwrap_err(), "memberships[0].service_ids[0]");
    }

    proptest! {
        /// Against the rules written out the slow way: pays exactly when status, coverage, dates
        /// and balance all allow; what it takes never exceeds the balance; a credit undoes a debit.
        #[test]
        fn pays_for_matches_the_rules(
            status in 0u8..5,
            visits in prop::option::of(0u32..4),
            money in prop::option::of(0i64..5000),
            from in prop::option::of(-3i32..3),
            until in prop::option::of(-3i32..3),
            uses in prop::collection::vec((any::<bool>(), -4i32..4, 0i64..2000), 1..4),
        ) {
            let cut = service("cut", None);
            let nails = service("nails", None);
            let base = day("2026-12-10");
            let statuses = [MembershipStatus::Active, MembershipStatus::Issued, MembershipStatus::Frozen,
                MembershipStatus::Expired, MembershipStatus::Cancelled];
            let mut m = pass(visits, if visits.is_some() { None } else { money });
            m.status = statuses[status as usize];
            m.service_ids = vec!["cut".into()];
            m.valid_from = from.map(|d| base.add_days(d));
            m.valid_until = until.map(|d| base.add_days(d));
            let uses: Vec<Use> = uses.iter().map(|&(is_cut, d, price)| Use {
                service: if is_cut { &cut } else { &nails }, date: base.add_days(d), price_minor: price,
            }).collect();

            let books = status < 2;
            let covered = uses.iter().all(|u| u.service.id == "cut");
            let in_dates = uses.iter().all(|u| m.valid_from.is_none_or(|f| f <= u.date) && m.valid_until.is_none_or(|t| u.date <= t));
            let needed_visits = uses.len() as u32;
            let needed_money: i64 = uses.iter().map(|u| u.price_minor).sum();
            let balance_ok = match (m.visits_left, m.balance_minor) {
                (Some(left), _) => needed_visits <= left,
                (None, Some(balance)) => needed_money <= balance,
                (None, None) => true,
            };
            let answer = m.pays_for(&uses);
            prop_assert_eq!(answer.is_ok(), books && covered && in_dates && balance_ok);
            if let Ok(debit) = answer {
                let after = m.clone().debited(debit);
                prop_assert!(after.visits_left.is_none_or(|v| v <= m.visits_left.unwrap_or(u32::MAX)));
                prop_assert!(after.balance_minor.is_none_or(|b| b >= 0));
                let back = after.credited(debit);
                prop_assert_eq!(back.visits_left, m.visits_left);
                prop_assert_eq!(back.balance_minor, m.balance_minor);
            }
        }
    }
}
