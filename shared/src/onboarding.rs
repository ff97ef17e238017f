//! What a new business starts from, so its owner edits a sensible draft instead of an empty form:
//! the currency and phone country of its country, usual opening hours, and the services of its
//! trade. Everything here is a suggestion the owner changes; the catalog's rules
//! ([`crate::catalog::Company::validate`]) judge the result.

use std::str::FromStr;

use crate::catalog::{is_valid_id, Service, WeeklyHours};
use crate::time::{MinuteOfDay, TimeRange};

/// Every country, as `(ISO 3166 alpha-2 code, English name)`, sorted by name: the console's list.
pub fn countries() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&'static str, &'static str)> =
        iso_country::data::all().into_iter().map(|c| (c.alpha2, c.name)).collect();
    all.sort_by(|a, b| a.1.cmp(b.1));
    all
}

/// The currency a business in `country` (an alpha-2 code) prices in: the country's first ISO 4217
/// currency that has a minor unit, or `None` for an unknown code or a country without one
/// (Antarctica).
///
/// ```
/// use homeslot_core::onboarding::currency_of;
/// assert_eq!(currency_of("GB"), Some("GBP"));
/// assert_eq!(currency_of("DE"), Some("EUR"));
/// assert_eq!(currency_of("JP"), Some("JPY"));
/// assert_eq!(currency_of("XX"), None);
/// ```
pub fn currency_of(country: &str) -> Option<&'static str> {
    let country = iso_currency::Country::from_str(country).ok()?;
    iso_currency::Currency::from_country(country).into_iter().find(|c| c.exponent().is_some()).map(|c| c.code())
}

/// A business's trade: which services it starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trade {
    HairSalon,
    Barber,
    BeautyAndNails,
    Clinic,
    FitnessStudio,
    CarService,
}

impl Trade {
    /// Every trade with a template, in the order the console offers them.
    pub const ALL: [Trade; 6] = [
        Trade::HairSalon,
        Trade::Barber,
        Trade::BeautyAndNails,
        Trade::Clinic,
        Trade::FitnessStudio,
        Trade::CarService,
    ];

    /// A stable name for forms and tests (`hair_salon`).
    pub fn as_str(self) -> &'static str {
        match self {
            Trade::HairSalon => "hair_salon",
            Trade::Barber => "barber",
            Trade::BeautyAndNails => "beauty_and_nails",
            Trade::Clinic => "clinic",
            Trade::FitnessStudio => "fitness_studio",
            Trade::CarService => "car_service",
        }
    }

    /// The trade named `name` ([`Trade::as_str`]).
    pub fn from_name(name: &str) -> Option<Trade> {
        Trade::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The trade as an owner says it.
    pub fn label(self) -> &'static str {
        match self {
            Trade::HairSalon => "Hair salon",
            Trade::Barber => "Barber",
            Trade::BeautyAndNails => "Beauty and nails",
            Trade::Clinic => "Clinic",
            Trade::FitnessStudio => "Fitness studio",
            Trade::CarService => "Car service",
        }
    }

    /// What such a business usually sells: `(name, minutes, price in whole units of the currency,
    /// minutes of clean-up after)`. Prices are round numbers for the owner to replace.
    fn templates(self) -> &'static [(&'static str, u32, i64, u32)] {
        match self {
            Trade::HairSalon => &[
                ("Women's cut & finish", 60, 55, 0),
                ("Men's cut", 30, 30, 0),
                ("Blow-dry", 45, 35, 0),
                ("Full colour", 90, 95, 15),
                ("Highlights", 120, 120, 15),
                ("Children's cut", 30, 20, 0),
            ],
            Trade::Barber => &[
                ("Haircut", 30, 25, 0),
                ("Skin fade", 45, 30, 0),
                ("Beard trim", 20, 15, 0),
                ("Haircut & beard", 50, 38, 0),
                ("Hot towel shave", 30, 25, 0),
            ],
            Trade::BeautyAndNails => &[
                ("Manicure", 45, 30, 0),
                ("Gel manicure", 60, 40, 0),
                ("Pedicure", 60, 40, 0),
                ("Brow shape & tint", 30, 22, 0),
                ("Lash lift", 60, 50, 0),
            ],
            Trade::Clinic => &[
                ("First consultation", 30, 80, 10),
                ("Follow-up appointment", 20, 50, 10),
                ("Physiotherapy session", 45, 65, 15),
                ("Sports massage", 60, 60, 15),
            ],
            Trade::FitnessStudio => &[
                ("Introductory session", 30, 0, 0),
                ("Personal training", 60, 50, 0),
                ("Nutrition consultation", 45, 40, 0),
            ],
            Trade::CarService => &[
                ("Diagnostics", 60, 70, 0),
                ("Oil and filter change", 45, 80, 0),
                ("Tyre change", 60, 60, 0),
                ("Wheel alignment", 45, 55, 0),
                ("Full service", 180, 180, 0),
            ],
        }
    }

    /// The trade's services for a catalog priced in a currency with `exponent` minor digits,
    /// performed by `specialist_ids`.
    pub fn services(self, exponent: u8, specialist_ids: &[String]) -> Vec<Service> {
        let mut taken = Vec::new();
        self.templates()
            .iter()
            .map(|&(name, minutes, price, after)| {
                let id = id_from_name(name, &taken);
                taken.push(id.clone());
                let mut service =
                    new_service(id, name, minutes, price * 10_i64.pow(u32::from(exponent)), specialist_ids);
                service.buffer_after_minutes = after;
                service
            })
            .collect()
    }
}

/// A service with nothing but its name, length, price (minor units) and who performs it: what the
/// owner fills in first; the rest keeps the catalog's defaults.
pub fn new_service(id: String, name: &str, minutes: u32, price_minor: i64, specialist_ids: &[String]) -> Service {
    Service {
        id,
        name: name.to_string(),
        description: String::new(),
        category_id: None,
        duration_minutes: minutes,
        price_minor,
        specialist_ids: specialist_ids.to_vec(),
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        resource_ids: Vec::new(),
        variants: Vec::new(),
        class: None,
        members_only: false,
    }
}

/// Usual opening hours to start from: 09:00–18:00 on weekdays, 10:00–16:00 on Saturdays.
pub fn usual_hours() -> WeeklyHours {
    let range = |start: u16, end: u16| {
        vec![TimeRange {
            start: MinuteOfDay::new(start * 60).expect("a time of day"),
            end: MinuteOfDay::new(end * 60).expect("a time of day"),
        }]
    };
    WeeklyHours {
        mon: range(9, 18),
        tue: range(9, 18),
        wed: range(9, 18),
        thu: range(9, 18),
        fri: range(9, 18),
        sat: range(10, 16),
        sun: Vec::new(),
    }
}

/// An id for something named `name` ("Women's cut & finish" → `womens-cut-finish`), made unique
/// among `taken` with a number (`-2`, `-3`, …). Names of no Latin letters or digits get `item`.
///
/// ```
/// use homeslot_core::onboarding::id_from_name;
/// assert_eq!(id_from_name("Women's cut & finish", &[]), "womens-cut-finish");
/// assert_eq!(id_from_name("Anna", &["anna".to_string()]), "anna-2");
/// assert_eq!(id_from_name("Стрижка", &[]), "item");
/// ```
pub fn id_from_name(name: &str, taken: &[String]) -> String {
    let mut base = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if (c.is_whitespace() || "-&/".contains(c)) && !base.is_empty() && !base.ends_with('-') {
            base.push('-');
        }
    }
    let mut base: String = base.trim_end_matches('-').chars().take(56).collect();
    base = base.trim_end_matches('-').to_string();
    if base.is_empty() {
        base = "item".into();
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    debug_assert!(is_valid_id(&id));
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_listed_is_named_and_most_have_a_currency() {
        let all = countries();
        assert!(all.len() > 240);
        assert!(all.windows(2).all(|w| w[0].1 <= w[1].1));
        let priced = all.iter().filter(|(code, _)| currency_of(code).is_some()).count();
        assert!(priced > 230, "{priced} of {}", all.len());
        for (code, _) in &all {
            if let Some(currency) = currency_of(code) {
                assert!(crate::currency::exponent(currency).is_some(), "{code}: {currency}");
            }
        }
    }

    #[test]
    fn each_trades_services_make_a_valid_catalog_in_any_currency() {
        for trade in Trade::ALL {
            for (currency, exponent) in [("GBP", 2), ("JPY", 0), ("KWD", 3)] {
                let specialists = vec!["anna".to_string()];
                let services = trade.services(exponent, &specialists);
                let company: crate::catalog::Company = serde_json::from_value(serde_json::json!({
                    "id": "new", "name": "New", "currency": currency,
                    "locations": [{ "id": "main", "name": "Main", "time_zone": "Europe/London",
                        "opening_hours": usual_hours() }],
                    "services": services,
                    "specialists": [{ "id": "anna", "name": "Anna", "location_id": "main",
                        "working_hours": usual_hours() }],
                }))
                .unwrap();
                company.validate().unwrap_or_else(|e| panic!("{trade:?} {currency}: {e:?}"));
                assert!(Trade::from_name(trade.as_str()) == Some(trade));
            }
        }
        let yen = Trade::HairSalon.services(0, &[]);
        let pounds = Trade::HairSalon.services(2, &[]);
        assert_eq!((yen[0].price_minor, pounds[0].price_minor), (55, 5500));
    }

    #[test]
    fn ids_from_names_are_valid_and_unique() {
        let mut taken = Vec::new();
        for name in ["Cut", "cut", "CUT!", "  ", "a".repeat(100).as_str(), "x - y", "Ünïcode"] {
            let id = id_from_name(name, &taken);
            assert!(is_valid_id(&id), "{id}");
            assert!(!taken.contains(&id));
            taken.push(id);
        }
        assert_eq!(taken[..3], ["cut", "cut-2", "cut-3"]);
    }
}
