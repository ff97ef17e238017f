//! Reserve with Google's feeds: what a partner uploads so Google knows its merchants, their
//! services and their free slots — the `ext.maps.booking.feeds` messages (`MerchantFeed`,
//! `ServiceFeed`, `AvailabilityFeed`) in proto3 JSON, as [`crate::reserve`] writes the booking
//! server's. Each file is one shard of a complete snapshot (`PROCESS_AS_COMPLETE`).
//!
//! A merchant is a location of a business that says what kind of business it is
//! ([`Company::business_category`]) and has a full postal address ([`listed`]). Every merchant and
//! every service carries an action link to the hosted booking page, preselected on the location
//! and the service, with `utm_source=google` (Google's Appointments Redirect); the availability
//! feed lists the free slots the widget would offer, for booking inside Google.
//!
//! Nothing here reads the clock or the stores: the generation time is a parameter, and the edge
//! computes the slots (`edge/src/store/location/google.rs`).

use serde::{Deserialize, Serialize};

use crate::catalog::{Company, Location, Service};
use crate::links::ShortLink;
use crate::reserve::{self, Int64};

/// How many days of free slots the availability feed lists (fewer where a location's horizon is
/// shorter).
pub const FEED_DAYS: u32 = 90;

/// The `utm_medium` of the action links: a client who came through Google's "Book" button to the
/// hosted page (a booking made inside Google is `utm_medium=reserve`).
pub const REDIRECT_MEDIUM: &str = "redirect";

/// Which shard of which snapshot a file is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedMetadata {
    pub processing_instruction: &'static str,
    pub shard_number: i32,
    pub total_shards: i32,
    /// The same in every shard of one snapshot, and new with each snapshot.
    pub nonce: Int64,
    /// When the snapshot was made (Unix seconds).
    pub generation_timestamp: Int64,
}

impl FeedMetadata {
    /// Shard `shard_number` of `total_shards` of the complete snapshot `nonce`, made at
    /// `generated_s`.
    pub fn complete(shard_number: i32, total_shards: i32, nonce: i64, generated_s: i64) -> Self {
        FeedMetadata {
            processing_instruction: "PROCESS_AS_COMPLETE",
            shard_number,
            total_shards,
            nonce: Int64(nonce),
            generation_timestamp: Int64(generated_s),
        }
    }
}

/// `MerchantFeed`.
#[derive(Debug, Clone, Serialize)]
pub struct MerchantFeed {
    pub metadata: FeedMetadata,
    pub merchant: Vec<Merchant>,
}

/// A location as Google's `Merchant`: what Google matches to its place on Maps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merchant {
    pub merchant_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub telephone: String,
    /// The location's booking page.
    pub url: String,
    pub geo: GeoCoordinates,
    pub category: String,
    pub action_link: Vec<ActionLink>,
}

/// `GeoCoordinates`: the point when the owner gave it, and the postal address.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeoCoordinates {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    pub address: PostalAddress,
}

/// `PostalAddress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostalAddress {
    pub country: String,
    pub locality: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub region: String,
    pub postal_code: String,
    pub street_address: String,
}

/// `ActionLink`: where Google's "Book" button leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionLink {
    pub url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    pub action_link_type: &'static str,
}

/// `ServiceFeed`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceFeed {
    pub metadata: FeedMetadata,
    pub service: Vec<FeedService>,
}

/// A service at a location, as Google's `Service`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeedService {
    pub merchant_id: String,
    pub service_id: String,
    pub localized_service_name: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub localized_description: Option<Text>,
    pub price: Price,
    /// Paid at the business: Google takes no payment.
    pub prepayment_type: &'static str,
    pub action_link: Vec<ActionLink>,
}

/// `Text`: the owner's words, in the widget's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub value: String,
    pub localized_value: Vec<LocalizedString>,
}

/// `LocalizedString`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalizedString {
    pub locale: String,
    pub value: String,
}

/// `Price`: millionths of the currency's major unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Price {
    pub price_micros: Int64,
    pub currency_code: String,
}

/// `AvailabilityFeed`: one shard per merchant (see the edge's `store::location::google`).
#[derive(Debug, Clone, Serialize)]
pub struct AvailabilityFeed {
    pub metadata: FeedMetadata,
    pub service_availability: Vec<ServiceAvailability>,
}

/// `ServiceAvailability` of a complete feed: the slots only.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceAvailability {
    pub availability: Vec<Availability>,
}

/// A free slot, as Google's `Availability`: one per specialist free at a start (each with their
/// own length of the service), one per class session with its seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    pub merchant_id: String,
    pub service_id: String,
    pub start_sec: Int64,
    pub duration_sec: Int64,
    pub spots_total: Int64,
    pub spots_open: Int64,
    pub resources: Resources,
}

/// `Resources`: who performs it, and the room it takes when it takes one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room_name: String,
}

/// A location's availability snapshot, made: when, how many free slots, how much JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMade {
    pub location_id: String,
    pub merchant_id: String,
    /// Unix seconds.
    pub generated_s: i64,
    pub slots: u64,
    pub bytes: u64,
}

/// What `POST /v1/admin/companies/{company}/google-feeds` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotsMade {
    pub generated_at: String,
    /// How long making every snapshot took, end to end.
    pub elapsed_ms: i64,
    pub locations: Vec<SnapshotMade>,
}

/// What a location still needs to be listed on Google (field names), nothing when it is listed.
pub fn missing(company: &Company, location: &Location) -> Vec<&'static str> {
    let parts = [
        ("business_category", company.business_category.as_deref().unwrap_or("")),
        ("address", location.address.as_str()),
        ("city", location.city.as_str()),
        ("postal_code", location.postal_code.as_str()),
        ("country", location.country.as_str()),
    ];
    parts.iter().filter(|(_, value)| value.trim().is_empty()).map(|(field, _)| *field).collect()
}

/// Whether a location is listed on Google: its business says what kind it is, and the location
/// has a full postal address (street, city, postal code, country), which Google matches on.
pub fn listed(company: &Company, location: &Location) -> bool {
    missing(company, location).is_empty()
}

/// The locations listed on Google, in catalog order.
pub fn listed_locations(company: &Company) -> impl Iterator<Item = &Location> {
    company.locations.iter().filter(|location| listed(company, location))
}

/// The hosted page of `location` (`base_url`: this edge's origin), preselected on `service` if
/// given, with `utm_source=google` so attribution and reports see where the client came from.
///
/// ```
/// use homeslot_core::google_feeds::booking_page;
/// assert_eq!(booking_page("https://book.example", "demo", "soho", Some("mens-cut")),
///     "https://book.example/b/demo/soho?service=mens-cut&utm_source=google&utm_medium=redirect");
/// ```
pub fn booking_page(base_url: &str, company_id: &str, location_id: &str, service_id: Option<&str>) -> String {
    let link = ShortLink {
        name: "google".into(),
        utm_source: "google".into(),
        utm_medium: Some(REDIRECT_MEDIUM.into()),
        utm_campaign: None,
        location_id: Some(location_id.into()),
        service_id: service_id.map(str::to_string),
    };
    format!("{}{}", base_url.trim_end_matches('/'), link.target(company_id))
}

fn book_link(url: String, language: &str) -> Vec<ActionLink> {
    vec![ActionLink { url, language: language.to_string(), action_link_type: "ACTION_LINK_TYPE_BOOK_APPOINTMENT" }]
}

/// The widget's language, which the owner's words are in (English unless set).
fn language(company: &Company) -> &str {
    company.widget.language.as_deref().unwrap_or("en")
}

/// Every listed location as a `Merchant`.
pub fn merchants(company: &Company, base_url: &str) -> Vec<Merchant> {
    let category = company.business_category.clone().unwrap_or_default();
    listed_locations(company)
        .map(|location| {
            let page = booking_page(base_url, &company.id, &location.id, None);
            Merchant {
                merchant_id: reserve::merchant_id(&company.id, &location.id),
                name: location_name(company, location),
                telephone: location.phone.clone().unwrap_or_default(),
                url: page.clone(),
                geo: GeoCoordinates {
                    latitude: location.geo.map(|g| g.latitude),
                    longitude: location.geo.map(|g| g.longitude),
                    address: PostalAddress {
                        country: location.country.clone(),
                        locality: location.city.clone(),
                        region: location.region.clone(),
                        postal_code: location.postal_code.clone(),
                        street_address: location.address.clone(),
                    },
                },
                category: category.clone(),
                action_link: book_link(page, language(company)),
            }
        })
        .collect()
}

/// A chain's location is known on Maps by the business's name and the location's.
fn location_name(company: &Company, location: &Location) -> String {
    if company.locations.len() == 1 || location.name == company.name {
        company.name.clone()
    } else {
        format!("{} {}", company.name, location.name)
    }
}

/// Whether Google's users may book `service` at `location`: the location offers it, to anyone
/// (a service for members only needs a membership Google cannot show).
pub fn on_google(company: &Company, service: &Service, location: &Location) -> bool {
    !service.members_only && company.offers(service, location)
}

/// Every service each listed location offers on Google ([`on_google`]), as a `Service`.
pub fn services(company: &Company, base_url: &str) -> Vec<FeedService> {
    let language = language(company);
    let text = |value: &str| Text {
        value: value.to_string(),
        localized_value: vec![LocalizedString { locale: language.to_string(), value: value.to_string() }],
    };
    let mut all = Vec::new();
    for location in listed_locations(company) {
        for service in company.services.iter().filter(|s| on_google(company, s, location)) {
            let Some(price_micros) = price_micros(service.price_minor, &company.currency) else { continue };
            all.push(FeedService {
                merchant_id: reserve::merchant_id(&company.id, &location.id),
                service_id: service.id.clone(),
                localized_service_name: text(&service.name),
                localized_description: (!service.description.trim().is_empty()).then(|| text(&service.description)),
                price: Price { price_micros: Int64(price_micros), currency_code: company.currency.clone() },
                prepayment_type: "NOT_SUPPORTED",
                action_link: book_link(booking_page(base_url, &company.id, &location.id, Some(&service.id)), language),
            });
        }
    }
    all
}

/// A price in minor units as millionths of the major unit, exactly: `None` for a currency without
/// minor units in ISO 4217 or an amount too large.
///
/// ```
/// use homeslot_core::google_feeds::price_micros;
/// assert_eq!(price_micros(4500, "GBP"), Some(45_000_000));
/// assert_eq!(price_micros(5000, "JPY"), Some(5_000_000_000));
/// assert_eq!(price_micros(1250, "KWD"), Some(1_250_000));
/// assert_eq!(price_micros(100, "XAU"), None);
/// ```
pub fn price_micros(amount_minor: i64, currency: &str) -> Option<i64> {
    let exponent = crate::currency::exponent(currency)?;
    let scale = 10_i64.checked_pow(6_u32.checked_sub(u32::from(exponent))?)?;
    amount_minor.checked_mul(scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Geo;

    fn listed_demo() -> Company {
        let mut company = crate::catalog::tests::demo();
        company.business_category = Some("hair_salon".into());
        let first = &mut company.locations[0];
        first.address = "1 Old Compton St".into();
        first.city = "London".into();
        first.postal_code = "W1D 5JA".into();
        first.country = "GB".into();
        first.geo = Some(Geo { latitude: 51.5134, longitude: -0.1318 });
        company
    }

    #[test]
    fn only_locations_with_a_full_address_of_a_categorised_business_are_merchants() {
        let company = listed_demo();
        let merchants = merchants(&company, "https://book.example/");
        assert_eq!(merchants.len(), 1);
        let soho = &merchants[0];
        assert_eq!(soho.merchant_id, format!("{}.{}", company.id, company.locations[0].id));
        assert_eq!(soho.geo.address.postal_code, "W1D 5JA");
        assert_eq!(soho.geo.latitude, Some(51.5134));
        assert!(soho.action_link[0].url.starts_with("https://book.example/b/"));
        assert!(soho.action_link[0].url.ends_with("utm_source=google&utm_medium=redirect"));

        let mut unlisted = company.clone();
        unlisted.business_category = None;
        assert!(super::merchants(&unlisted, "https://book.example").is_empty());
        let mut no_postcode = company;
        no_postcode.locations[0].postal_code.clear();
        assert!(super::merchants(&no_postcode, "https://book.example").is_empty());
    }

    #[test]
    fn services_carry_prices_in_micros_and_links_to_their_page() {
        let company = listed_demo();
        let services = services(&company, "https://book.example");
        let first = &company.services[0];
        let feed = services.iter().find(|s| s.service_id == first.id).unwrap();
        assert_eq!(feed.price.price_micros, Int64(first.price_minor * 10_000));
        assert!(feed.action_link[0].url.contains(&format!("service={}", first.id)));
        let json = serde_json::to_value(feed).unwrap();
        assert!(json["price"]["price_micros"].is_string(), "int64 is a string in proto3 JSON");
    }
}
