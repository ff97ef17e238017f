//! A company's catalog as its owner defines it: locations, services, specialists and their weekly
//! working hours, and the booking policy of each location. Raw documents become a validated
//! [`Company`] in one place, [`Company::validate`].

pub mod edit;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::links::ShortLink;
use crate::pricing::DiscountRule;
use crate::promo::Promo;
use crate::settings::WidgetSettings;
use crate::time::{CivilDate, MinuteOfDay, TimeRange};
use crate::validation;

/// A business: one location or a chain of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    pub id: String,
    pub name: String,
    /// ISO 4217 code of every price in the catalog, e.g. `"GBP"`.
    pub currency: String,
    /// The owner's logo (an `https://` address), shown on the hosted booking page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Origins of the owner's sites that embed the widget, e.g. `"https://salon.example"`. The
    /// public API answers browsers on exactly these origins (CORS); any other site is refused.
    #[serde(default)]
    pub site_origins: Vec<String>,
    pub locations: Vec<Location>,
    /// Groups of services, in the order the widget lists them (e.g. "Cuts", "Colour").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<Category>,
    pub services: Vec<Service>,
    pub specialists: Vec<Specialist>,
    /// How the booking widget looks and what it asks.
    #[serde(default)]
    pub widget: WidgetSettings,
    /// Automatic discounts for online and app bookings (see [`crate::pricing`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<DiscountRule>,
    /// What the widget advertises, at most one per screen (see [`crate::promo`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promos: Vec<Promo>,
    /// While on, every booking is marked as a test: kept out of analytics, exports and reports,
    /// and cleared in one request (the owner tries the form on their own site).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test_bookings: bool,
    /// Short links per source, opening the hosted page with UTM parameters (see [`crate::links`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short_links: Vec<ShortLink>,
    /// What kind of business this is, in Google's words for it (`hair_salon`, `beauty_salon`,
    /// `spa`, `dentist`, `gym`, `car_repair`…): Google matches the locations to its places by it.
    /// Unset, the business is not listed on Google.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_category: Option<String>,
}

/// A group of services in the widget's service list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name: String,
}

/// A place where clients are served, with its own time zone and booking policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// The city, by which the widget groups a chain's many locations.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    /// The rest of the postal address: postal code, region (a state, county or province) and
    /// country (ISO 3166-1 alpha-2, e.g. `GB`). With the street address, the city and the
    /// business's [`Company::business_category`], the location is listed on Google (see
    /// [`crate::google_feeds`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postal_code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    /// Where the location is on the map, so Google matches it to its place exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<Geo>,
    /// How clients reach the location: phone (E.164) and e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// IANA time zone, e.g. `"Europe/London"`. Working hours are local wall-clock times in it.
    pub time_zone: String,
    #[serde(default)]
    pub policy: BookingPolicy,
    /// When the doors are open. A specialist works only inside them; `None` leaves each
    /// specialist's own hours as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<WeeklyHours>,
    /// Dates the location is closed (public holidays): nobody works there then.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<CivilDate>,
    /// Rooms, bays and devices that services need, each with how many can be in use at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
}

/// A point on the map, in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Geo {
    pub latitude: f64,
    pub longitude: f64,
}

/// Something at a location that a service occupies besides the specialist: a treatment room, a
/// car bay, a laser. `capacity` units can be in use at the same time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub id: String,
    pub name: String,
    #[serde(default = "one")]
    pub capacity: u32,
}

fn one() -> u32 {
    1
}

/// When clients may book at a location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingPolicy {
    /// Distance between offered start times, in minutes.
    pub slot_step_minutes: u32,
    /// How long before a visit it must be booked, in minutes.
    pub minimum_notice_minutes: u32,
    /// How many days ahead (counting today, in local dates) clients may book.
    pub horizon_days: u32,
    /// Which free starts are offered.
    #[serde(default)]
    pub slot_mode: SlotMode,
    /// How long a hold keeps a picked time for the client who picked it, in minutes.
    #[serde(default = "default_hold_minutes")]
    pub hold_minutes: u32,
    /// Until how long before the visit a client may cancel or move it online, in minutes.
    #[serde(default = "default_cancellation_notice")]
    pub cancellation_notice_minutes: u32,
    /// When clients are reminded of their visit by e-mail, in minutes before it (at most 3; none:
    /// no reminders). A reminder whose moment has passed when the booking is made is not sent
    /// (`messages::reminder_times`).
    #[serde(default = "default_reminders")]
    pub reminder_minutes: Vec<u32>,
}

fn default_reminders() -> Vec<u32> {
    vec![24 * 60]
}

fn default_hold_minutes() -> u32 {
    5
}

fn default_cancellation_notice() -> u32 {
    24 * 60
}

impl Default for BookingPolicy {
    fn default() -> Self {
        BookingPolicy {
            slot_step_minutes: 15,
            minimum_notice_minutes: 60,
            horizon_days: 60,
            slot_mode: SlotMode::Fixed,
            hold_minutes: default_hold_minutes(),
            cancellation_notice_minutes: default_cancellation_notice(),
            reminder_minutes: default_reminders(),
        }
    }
}

/// How free time becomes offered start times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotMode {
    /// Every `slot_step_minutes` from the beginning of each stretch of working time.
    #[default]
    Fixed,
    /// Only starts that touch a booking or the edge of working time (the first and last start of
    /// each free gap), so the day fills up without gaps too short to sell.
    Optimal,
}

/// Something a client books.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// A sentence or two for the client: what the visit includes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The category the widget lists it under; none lists it after the categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_id: Option<String>,
    pub duration_minutes: u32,
    /// Price in minor units of the company's currency (pence, cents).
    pub price_minor: i64,
    /// Who performs it.
    pub specialist_ids: Vec<String>,
    /// Preparation time the specialist (and the resources) need before the visit, in minutes.
    #[serde(default)]
    pub buffer_before_minutes: u32,
    /// Clean-up time after the visit, in minutes.
    #[serde(default)]
    pub buffer_after_minutes: u32,
    /// Resources of the location the visit occupies, one unit of each. A location without one of
    /// them does not offer the service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_ids: Vec<String>,
    /// Specialists whose duration or price differ from the service's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<ServiceVariant>,
    /// Set for a group class: clients book a seat in a scheduled session instead of a free time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<ClassSettings>,
    /// Booked only with a membership that covers it (see [`crate::membership`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub members_only: bool,
}

/// A group class: scheduled sessions that several clients attend, each lasting the service's
/// duration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSettings {
    /// Seats per session.
    pub capacity: u32,
    /// How many clients may wait for a seat once a session is full (0: no waitlist).
    #[serde(default)]
    pub waitlist_capacity: u32,
    pub sessions: Vec<ClassSession>,
}

/// When a class meets: every week on `weekday`, or once on `date`, at local time `start`, at a
/// location, led by a specialist (who is busy for other services meanwhile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSession {
    pub location_id: String,
    pub specialist_id: String,
    /// `"mon"` … `"sun"` for a weekly session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday: Option<String>,
    /// The date of a one-off session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<CivilDate>,
    pub start: MinuteOfDay,
}

impl ClassSession {
    /// The weekday (Monday = 0) of a weekly session.
    pub fn days_from_monday(&self) -> Option<u8> {
        let day = self.weekday.as_deref()?;
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].iter().position(|d| *d == day).map(|i| i as u8)
    }
}

/// One specialist's own duration or price for a service (a senior stylist charges more; a
/// trainee takes longer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceVariant {
    pub specialist_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_minor: Option<i64>,
}

impl Service {
    /// How long the visit lasts with this specialist.
    pub fn duration_with(&self, specialist_id: &str) -> u32 {
        self.variant(specialist_id).and_then(|v| v.duration_minutes).unwrap_or(self.duration_minutes)
    }

    /// What the visit costs with this specialist, in minor units.
    pub fn price_with(&self, specialist_id: &str) -> i64 {
        self.variant(specialist_id).and_then(|v| v.price_minor).unwrap_or(self.price_minor)
    }

    fn variant(&self, specialist_id: &str) -> Option<&ServiceVariant> {
        self.variants.iter().find(|v| v.specialist_id == specialist_id)
    }
}

/// A person who performs services at one location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Specialist {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub position: String,
    /// A photo (an `https://` address) for the widget's specialist step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    pub location_id: String,
    pub working_hours: WeeklyHours,
    /// Dates on which the specialist works other hours than the weekly ones (no ranges: a day off).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub date_overrides: Vec<DateOverride>,
    /// Whole days away (vacations, sick leave).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_off: Vec<TimeOff>,
}

/// Working hours for one date, replacing the weekly ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateOverride {
    pub date: CivilDate,
    #[serde(default)]
    pub hours: Vec<TimeRange>,
}

/// Days away, from `from` to `until`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeOff {
    pub from: CivilDate,
    pub until: CivilDate,
}

/// Working hours for each day of the week, as local half-open ranges (breaks are the gaps).
/// A day under any other name (`monday`, `Mon`) is refused, not read as a day off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    #[serde(default)]
    pub mon: Vec<TimeRange>,
    #[serde(default)]
    pub tue: Vec<TimeRange>,
    #[serde(default)]
    pub wed: Vec<TimeRange>,
    #[serde(default)]
    pub thu: Vec<TimeRange>,
    #[serde(default)]
    pub fri: Vec<TimeRange>,
    #[serde(default)]
    pub sat: Vec<TimeRange>,
    #[serde(default)]
    pub sun: Vec<TimeRange>,
}

impl WeeklyHours {
    /// The ranges of one weekday, counted from Monday = 0.
    pub fn day(&self, days_from_monday: u8) -> &[TimeRange] {
        match days_from_monday {
            0 => &self.mon,
            1 => &self.tue,
            2 => &self.wed,
            3 => &self.thu,
            4 => &self.fri,
            5 => &self.sat,
            _ => &self.sun,
        }
    }

    /// The ranges of one weekday, counted from Monday = 0, to change.
    pub fn day_mut(&mut self, days_from_monday: u8) -> &mut Vec<TimeRange> {
        match days_from_monday {
            0 => &mut self.mon,
            1 => &mut self.tue,
            2 => &mut self.wed,
            3 => &mut self.thu,
            4 => &mut self.fri,
            5 => &mut self.sat,
            _ => &mut self.sun,
        }
    }

    fn days(&self) -> [(&'static str, &[TimeRange]); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }
}

impl Company {
    /// The location with this id.
    pub fn location(&self, id: &str) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id == id)
    }

    /// The specialist with this id.
    pub fn specialist(&self, id: &str) -> Option<&Specialist> {
        self.specialists.iter().find(|s| s.id == id)
    }

    /// Specialists of `location_id` who perform `service`, in catalog order.
    pub fn performers<'a>(
        &'a self,
        service: &'a Service,
        location_id: &'a str,
    ) -> impl Iterator<Item = &'a Specialist> + 'a {
        self.specialists.iter().filter(move |s| s.location_id == location_id && service.specialist_ids.contains(&s.id))
    }

    /// Whether `location` offers `service`: someone there performs it and the location has every
    /// resource it needs; for a class, it has sessions there.
    pub fn offers(&self, service: &Service, location: &Location) -> bool {
        if let Some(class) = &service.class {
            return class.sessions.iter().any(|s| s.location_id == location.id);
        }
        self.performers(service, &location.id).next().is_some()
            && service.resource_ids.iter().all(|id| location.resources.iter().any(|r| &r.id == id))
    }

    /// Checks everything that does not need a time-zone database. The edge additionally checks
    /// each location's `time_zone` (see `availability::zone`).
    ///
    /// # Errors
    /// The first problem found, with `validation_failed` and the JSON path of the field.
    pub fn validate(&self) -> Result<(), ApiError> {
        check_id("id", &self.id)?;
        check_text("name", &self.name, 100)?;
        if crate::currency::exponent(&self.currency).is_none() {
            return Err(invalid("currency", "must be an ISO 4217 currency code such as GBP, EUR or JPY"));
        }
        if let Some(url) = &self.logo_url {
            check_url("logo_url", url)?;
        }
        self.widget.validate()?;
        for (i, origin) in self.site_origins.iter().enumerate() {
            // "null" is the origin of a sandboxed frame: a site builder that runs pasted code in
            // one (Google Sites) needs it, and an owner may add it (docs/embedding.md).
            if origin != "null" && !is_valid_origin(origin) {
                return Err(invalid(
                    &format!("site_origins[{i}]"),
                    "must be an origin such as https://salon.example (scheme, host and optional port; no path), or \"null\"",
                ));
            }
        }
        if let Some(category) = &self.business_category {
            let word = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_';
            if category.is_empty() || category.len() > 60 || !category.bytes().all(word) {
                return Err(invalid(
                    "business_category",
                    "must be Google's name for the kind of business, such as hair_salon (a–z, 0–9 and _)",
                ));
            }
        }
        if self.locations.is_empty() {
            return Err(invalid("locations", "a company needs at least one location"));
        }
        for (i, location) in self.locations.iter().enumerate() {
            let at = |f: &str| format!("locations[{i}].{f}");
            check_id(&at("id"), &location.id)?;
            check_text(&at("name"), &location.name, 100)?;
            check_optional_text(&at("address"), &location.address, 200, false)?;
            check_optional_text(&at("city"), &location.city, 100, false)?;
            check_optional_text(&at("postal_code"), &location.postal_code, 20, false)?;
            check_optional_text(&at("region"), &location.region, 100, false)?;
            if !location.country.is_empty() && !iso_country::data::all().iter().any(|c| c.alpha2 == location.country) {
                return Err(invalid(&at("country"), "must be an ISO 3166-1 alpha-2 code such as GB"));
            }
            if let Some(geo) = &location.geo {
                if !(-90.0..=90.0).contains(&geo.latitude) || !(-180.0..=180.0).contains(&geo.longitude) {
                    return Err(invalid(&at("geo"), "latitude within ±90 and longitude within ±180 degrees"));
                }
            }
            if let Some(phone) = &location.phone {
                if !validation::is_e164(phone) {
                    return Err(invalid(&at("phone"), "must be an E.164 number such as +442071234567"));
                }
            }
            if let Some(email) = &location.email {
                if validation::email(email).as_deref() != Ok(email.as_str()) {
                    return Err(invalid(
                        &at("email"),
                        "must be a lower-case e-mail address such as soho@salon.example",
                    ));
                }
            }
            if location.time_zone.is_empty() {
                return Err(invalid(&at("time_zone"), "is required (an IANA name such as Europe/London)"));
            }
            let policy = &location.policy;
            if !(1..=240).contains(&policy.slot_step_minutes) {
                return Err(invalid(&at("policy.slot_step_minutes"), "must be between 1 and 240"));
            }
            if policy.minimum_notice_minutes > 60 * 24 * 365 {
                return Err(invalid(&at("policy.minimum_notice_minutes"), "must be at most a year"));
            }
            if !(1..=730).contains(&policy.horizon_days) {
                return Err(invalid(&at("policy.horizon_days"), "must be between 1 and 730"));
            }
            if policy.cancellation_notice_minutes > 60 * 24 * 365 {
                return Err(invalid(&at("policy.cancellation_notice_minutes"), "must be at most a year"));
            }
            if !(1..=30).contains(&policy.hold_minutes) {
                return Err(invalid(&at("policy.hold_minutes"), "must be between 1 and 30"));
            }
            crate::messages::check_leads(&policy.reminder_minutes, &at("policy.reminder_minutes"))?;
            if let Some(hours) = &location.opening_hours {
                check_week(&at("opening_hours"), hours)?;
            }
            for (r, resource) in location.resources.iter().enumerate() {
                check_id(&at(&format!("resources[{r}].id")), &resource.id)?;
                check_text(&at(&format!("resources[{r}].name")), &resource.name, 100)?;
                if !(1..=1000).contains(&resource.capacity) {
                    return Err(invalid(&at(&format!("resources[{r}].capacity")), "must be between 1 and 1000"));
                }
            }
            check_unique(&at("resources"), location.resources.iter().map(|r| r.id.as_str()))?;
        }
        check_unique("locations", self.locations.iter().map(|l| l.id.as_str()))?;
        for (i, s) in self.specialists.iter().enumerate() {
            let at = |f: &str| format!("specialists[{i}].{f}");
            check_id(&at("id"), &s.id)?;
            check_text(&at("name"), &s.name, 100)?;
            check_optional_text(&at("position"), &s.position, 100, false)?;
            if let Some(url) = &s.photo_url {
                check_url(&at("photo_url"), url)?;
            }
            if self.location(&s.location_id).is_none() {
                return Err(invalid(&at("location_id"), "names no location of this company"));
            }
            check_week(&at("working_hours"), &s.working_hours)?;
            for (k, day) in s.date_overrides.iter().enumerate() {
                check_ranges(&at(&format!("date_overrides[{k}].hours")), &day.hours)?;
            }
            for (k, away) in s.time_off.iter().enumerate() {
                if away.from > away.until {
                    return Err(invalid(&at(&format!("time_off[{k}].until")), "must not be before from"));
                }
            }
        }
        check_unique("specialists", self.specialists.iter().map(|s| s.id.as_str()))?;
        for (i, category) in self.categories.iter().enumerate() {
            check_id(&format!("categories[{i}].id"), &category.id)?;
            check_text(&format!("categories[{i}].name"), &category.name, 100)?;
        }
        check_unique("categories", self.categories.iter().map(|c| c.id.as_str()))?;
        for (i, service) in self.services.iter().enumerate() {
            let at = |f: &str| format!("services[{i}].{f}");
            check_id(&at("id"), &service.id)?;
            check_text(&at("name"), &service.name, 100)?;
            check_optional_text(&at("description"), &service.description, 500, true)?;
            if let Some(category) = &service.category_id {
                if !self.categories.iter().any(|c| &c.id == category) {
                    return Err(invalid(&at("category_id"), "names no category of this company"));
                }
            }
            check_duration(&at("duration_minutes"), service.duration_minutes)?;
            check_price(&at("price_minor"), service.price_minor)?;
            for (k, id) in service.specialist_ids.iter().enumerate() {
                if self.specialist(id).is_none() {
                    return Err(invalid(&at(&format!("specialist_ids[{k}]")), "names no specialist of this company"));
                }
            }
            for (name, minutes) in [
                ("buffer_before_minutes", service.buffer_before_minutes),
                ("buffer_after_minutes", service.buffer_after_minutes),
            ] {
                if minutes > 24 * 60 {
                    return Err(invalid(&at(name), "must be at most 1440"));
                }
            }
            for (k, id) in service.resource_ids.iter().enumerate() {
                if !self.locations.iter().any(|l| l.resources.iter().any(|r| &r.id == id)) {
                    return Err(invalid(&at(&format!("resource_ids[{k}]")), "names no resource of any location"));
                }
            }
            if let Some(k) =
                (1..service.resource_ids.len()).find(|&k| service.resource_ids[..k].contains(&service.resource_ids[k]))
            {
                return Err(invalid(&at(&format!("resource_ids[{k}]")), "is listed twice"));
            }
            if let Some(class) = &service.class {
                if !(1..=10_000).contains(&class.capacity) {
                    return Err(invalid(&at("class.capacity"), "must be between 1 and 10000"));
                }
                if class.waitlist_capacity > 10_000 {
                    return Err(invalid(&at("class.waitlist_capacity"), "must be at most 10000"));
                }
                for (k, session) in class.sessions.iter().enumerate() {
                    let field = |f: &str| at(&format!("class.sessions[{k}].{f}"));
                    if self.location(&session.location_id).is_none() {
                        return Err(invalid(&field("location_id"), "names no location of this company"));
                    }
                    match self.specialist(&session.specialist_id) {
                        Some(s) if s.location_id == session.location_id => {}
                        _ => return Err(invalid(&field("specialist_id"), "names no specialist of that location")),
                    }
                    match (&session.weekday, &session.date) {
                        (Some(_), None) if session.days_from_monday().is_some() => {}
                        (None, Some(_)) => {}
                        (Some(_), None) => {
                            return Err(invalid(&field("weekday"), "must be mon, tue, wed, thu, fri, sat or sun"))
                        }
                        _ => return Err(invalid(&field("weekday"), "give either a weekday or a date")),
                    }
                    if session.start == MinuteOfDay::END_OF_DAY {
                        return Err(invalid(&field("start"), "must be a time of day before 24:00"));
                    }
                }
            }
            for (k, variant) in service.variants.iter().enumerate() {
                let field = |f: &str| at(&format!("variants[{k}].{f}"));
                if !service.specialist_ids.contains(&variant.specialist_id) {
                    return Err(invalid(&field("specialist_id"), "names no specialist of this service"));
                }
                if let Some(minutes) = variant.duration_minutes {
                    check_duration(&field("duration_minutes"), minutes)?;
                }
                if let Some(price) = variant.price_minor {
                    check_price(&field("price_minor"), price)?;
                }
            }
        }
        check_unique("services", self.services.iter().map(|s| s.id.as_str()))?;
        let service_ids: Vec<&str> = self.services.iter().map(|s| s.id.as_str()).collect();
        let category_ids: Vec<&str> = self.categories.iter().map(|c| c.id.as_str()).collect();
        for (i, rule) in self.discounts.iter().enumerate() {
            check_id(&format!("discounts[{i}].id"), &rule.id)?;
            rule.validate(&format!("discounts[{i}]"), &service_ids, &category_ids)?;
        }
        check_unique("discounts", self.discounts.iter().map(|d| d.id.as_str()))?;
        let location_ids: Vec<&str> = self.locations.iter().map(|l| l.id.as_str()).collect();
        for (i, promo) in self.promos.iter().enumerate() {
            check_id(&format!("promos[{i}].id"), &promo.id)?;
            promo.validate(&format!("promos[{i}]"), &service_ids, &location_ids)?;
        }
        check_unique("promos", self.promos.iter().map(|p| p.id.as_str()))?;
        crate::links::validate(&self.short_links, &location_ids, &service_ids)?;
        Ok(())
    }
}

/// Whether `service` is among the services named by id or by category; both lists empty: every
/// service. Discounts and memberships name what they cover this way.
pub fn in_scope(service: &Service, service_ids: &[String], category_ids: &[String]) -> bool {
    (service_ids.is_empty() && category_ids.is_empty())
        || service_ids.contains(&service.id)
        || service.category_id.as_ref().is_some_and(|c| category_ids.contains(c))
}

/// Checks that a scope (`service_ids`, `category_ids`) names only the catalog's `known` services
/// and categories; `field` makes a field's JSON path.
pub(crate) fn check_scope(
    field: &dyn Fn(&str) -> String,
    (service_ids, category_ids): (&[String], &[String]),
    (known_services, known_categories): (&[&str], &[&str]),
) -> Result<(), ApiError> {
    for (list, ids, known, what) in [
        ("service_ids", service_ids, known_services, "service"),
        ("category_ids", category_ids, known_categories, "category"),
    ] {
        if let Some(i) = ids.iter().position(|id| !known.contains(&id.as_str())) {
            return Err(invalid(&field(&format!("{list}[{i}]")), &format!("is not a {what} of the company")));
        }
    }
    Ok(())
}

/// Checks that `valid_until` is not before `valid_from`, when both are set.
pub(crate) fn check_validity(
    field: &dyn Fn(&str) -> String,
    from: Option<CivilDate>,
    until: Option<CivilDate>,
) -> Result<(), ApiError> {
    match (from, until) {
        (Some(from), Some(until)) if until < from => {
            Err(invalid(&field("valid_until"), "must not be before valid_from"))
        }
        _ => Ok(()),
    }
}

/// Ids travel in URLs and name Durable Objects: keep them short, lowercase and unambiguous.
pub fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// An `https://` address to link or load (a logo, a photo, a policy): at most 500 characters, no
/// spaces, quotes or angle brackets, so it is safe inside an HTML attribute.
///
/// ```
/// use homeslot_core::catalog::is_valid_https_url;
/// assert!(is_valid_https_url("https://salon.example/ana.jpg"));
/// assert!(!is_valid_https_url("http://salon.example/ana.jpg"));
/// assert!(!is_valid_https_url("https://x.example/\"onload=\"x"));
/// ```
pub fn is_valid_https_url(url: &str) -> bool {
    url.len() <= 500
        && url.strip_prefix("https://").is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && url.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`'))
}

fn check_url(field: &str, url: &str) -> Result<(), ApiError> {
    if is_valid_https_url(url) {
        Ok(())
    } else {
        Err(invalid(field, "must be an https:// address of at most 500 characters"))
    }
}

/// A web origin as browsers send it in `Origin`: `http(s)://host[:port]`, lowercase, no path.
///
/// ```
/// use homeslot_core::catalog::is_valid_origin;
/// assert!(is_valid_origin("https://salon.example"));
/// assert!(is_valid_origin("http://localhost:8787"));
/// assert!(!is_valid_origin("https://salon.example/"));
/// assert!(!is_valid_origin("*"));
/// ```
pub fn is_valid_origin(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://")) else {
        return false;
    };
    let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host.len() <= 253
        && host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    let port_ok = port.is_empty() || (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    host_ok && port_ok && !(rest.contains(':') && port.is_empty())
}

fn check_week(field: &str, week: &WeeklyHours) -> Result<(), ApiError> {
    for (day, ranges) in week.days() {
        check_ranges(&format!("{field}.{day}"), ranges)?;
    }
    Ok(())
}

fn check_ranges(field: &str, ranges: &[TimeRange]) -> Result<(), ApiError> {
    let mut previous_end = 0;
    for (r, range) in ranges.iter().enumerate() {
        let field = format!("{field}[{r}]");
        if range.start >= range.end {
            return Err(invalid(&field, "start must be before end"));
        }
        if range.start.minutes() < previous_end {
            return Err(invalid(&field, "ranges must be in order and must not overlap"));
        }
        previous_end = range.end.minutes();
    }
    Ok(())
}

fn check_duration(field: &str, minutes: u32) -> Result<(), ApiError> {
    if (1..=24 * 60).contains(&minutes) {
        Ok(())
    } else {
        Err(invalid(field, "must be between 1 and 1440"))
    }
}

fn check_price(field: &str, minor: i64) -> Result<(), ApiError> {
    if (0..=crate::currency::MAX_AMOUNT_MINOR).contains(&minor) {
        Ok(())
    } else {
        Err(invalid(field, "must be from 0 to a trillion minor units"))
    }
}

fn check_id(field: &str, id: &str) -> Result<(), ApiError> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(invalid(field, "must be 1–64 characters of a–z, 0–9 and '-'"))
    }
}

/// A name: 1–`max_chars` characters once trimmed, without control characters.
fn check_text(field: &str, text: &str, max_chars: usize) -> Result<(), ApiError> {
    let chars = text.trim().chars().count();
    if chars == 0 || chars > max_chars || text.chars().any(char::is_control) {
        return Err(invalid(field, &format!("must be 1–{max_chars} characters, without control characters")));
    }
    Ok(())
}

/// An optional text (an address, a description): at most `max_chars` characters, without control
/// characters but line breaks where `lines` allows them.
fn check_optional_text(field: &str, text: &str, max_chars: usize, lines: bool) -> Result<(), ApiError> {
    let control = |c: char| c.is_control() && !(lines && c == '\n');
    if text.chars().count() > max_chars || text.chars().any(control) {
        return Err(invalid(field, &format!("must be at most {max_chars} characters, without control characters")));
    }
    Ok(())
}

fn check_unique<'a>(list: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), ApiError> {
    let mut seen = std::collections::HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(invalid(&format!("{list}[{i}].id"), "is used twice"));
        }
    }
    Ok(())
}

pub(crate) fn invalid(field: &str, problem: &str) -> ApiError {
    ApiError::field(ErrorCode::ValidationFailed, field, format!("{field} {problem}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A 30-minute service at 10.00, in `category` (the pricing and membership tests' subject).
    pub(crate) fn service(id: &str, category: Option<&str>) -> Service {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": id, "duration_minutes": 30, "price_minor": 1000, "specialist_ids": [],
            "category_id": category,
        }))
        .unwrap()
    }

    pub(crate) fn day(text: &str) -> CivilDate {
        CivilDate::parse(text).unwrap()
    }

    pub(crate) fn demo() -> Company {
        serde_json::from_str(include_str!("../../../edge/demo/company.json")).expect("demo catalog parses")
    }

    #[test]
    fn demo_catalog_is_valid() {
        demo().validate().unwrap();
    }

    #[test]
    fn performers_are_the_location_specialists_doing_the_service() {
        let company = demo();
        let service = &company.services[0];
        let names: Vec<_> = company.performers(service, &company.locations[0].id).map(|s| s.id.clone()).collect();
        assert!(!names.is_empty());
        assert!(names.iter().all(|id| service.specialist_ids.contains(id)));

        // Someone who performs the service at another location of the chain is not a performer here.
        let mut chain = company.clone();
        let mut elsewhere = chain.locations[0].clone();
        elsewhere.id = "camden".into();
        chain.locations.push(elsewhere);
        let mut visitor = chain.specialists[0].clone();
        visitor.id = "visitor".into();
        visitor.location_id = "camden".into();
        chain.specialists.push(visitor);
        chain.services[0].specialist_ids.push("visitor".into());
        chain.validate().unwrap();
        let here: Vec<_> = chain.performers(&chain.services[0], "soho").map(|s| s.id.as_str()).collect();
        let there: Vec<_> = chain.performers(&chain.services[0], "camden").map(|s| s.id.as_str()).collect();
        assert!(!here.contains(&"visitor"));
        assert_eq!(there, ["visitor"]);
    }

    #[test]
    fn rejects_unknown_specialist_with_its_path() {
        let mut company = demo();
        company.services[1].specialist_ids.push("nobody".into());
        let err = company.validate().unwrap_err();
        assert_eq!(err.code, ErrorCode::ValidationFailed);
        assert!(err.field.unwrap().starts_with("services[1].specialist_ids["));
    }

    #[test]
    fn rejects_overlapping_working_hours() {
        let mut company = demo();
        let hours = &mut company.specialists[0].working_hours.mon;
        hours.clear();
        hours.push(TimeRange {
            start: crate::time::MinuteOfDay::parse("09:00").unwrap(),
            end: crate::time::MinuteOfDay::parse("13:00").unwrap(),
        });
        hours.push(TimeRange {
            start: crate::time::MinuteOfDay::parse("12:00").unwrap(),
            end: crate::time::MinuteOfDay::parse("18:00").unwrap(),
        });
        assert_eq!(company.validate().unwrap_err().field.as_deref(), Some("specialists[0].working_hours.mon[1]"));
    }

    #[test]
    fn a_misspelt_day_or_range_field_is_refused_not_read_as_a_day_off() {
        let read = |hours: serde_json::Value| serde_json::from_value::<WeeklyHours>(hours);
        assert!(read(serde_json::json!({"mon": [{"start": "09:00", "end": "17:00"}]})).is_ok());
        let misspelt_day = read(serde_json::json!({"monday": [{"start": "09:00", "end": "17:00"}]}));
        assert!(misspelt_day.unwrap_err().to_string().contains("unknown field `monday`"));
        let extra = read(serde_json::json!({"mon": [{"start": "09:00", "end": "17:00", "until": "18:00"}]}));
        assert!(extra.unwrap_err().to_string().contains("unknown field `until`"));
    }

    #[test]
    fn rejects_site_origins_that_are_not_origins() {
        for bad in [
            "salon.example",
            "https://salon.example/book",
            "https://Salon.example",
            "https://salon.example:",
            "ftp://x",
            "*",
        ] {
            let mut company = demo();
            company.site_origins = vec!["https://ok.example".into(), bad.into()];
            assert_eq!(company.validate().unwrap_err().field.as_deref(), Some("site_origins[1]"), "{bad}");
        }
    }

    #[test]
    fn checks_categories_contacts_and_addresses() {
        let mut company = demo();
        company.services[0].category_id = Some("nails".into());
        assert_eq!(company.validate().unwrap_err().field.as_deref(), Some("services[0].category_id"));
        company.categories.push(Category { id: "nails".into(), name: "Nails".into() });
        company.validate().unwrap();
        company.categories.push(Category { id: "nails".into(), name: "More nails".into() });
        assert_eq!(company.validate().unwrap_err().field.as_deref(), Some("categories[1].id"));

        type Spoil = (fn(&mut Company), &'static str);
        let cases: [Spoil; 9] = [
            (|c| c.locations[0].phone = Some("020 7123 4567".into()), "locations[0].phone"),
            (|c| c.locations[0].country = "gb".into(), "locations[0].country"),
            (|c| c.locations[0].geo = Some(Geo { latitude: 91.0, longitude: 0.0 }), "locations[0].geo"),
            (|c| c.locations[0].postal_code = "W1F 0".repeat(5), "locations[0].postal_code"),
            (|c| c.business_category = Some("Hair Salon".into()), "business_category"),
            (|c| c.locations[0].email = Some("Soho@Salon.example".into()), "locations[0].email"),
            (|c| c.specialists[0].photo_url = Some("javascript:alert(1)".into()), "specialists[0].photo_url"),
            (|c| c.logo_url = Some("https://x.example/a b.png".into()), "logo_url"),
            (|c| c.widget.language = Some("klingon".into()), "widget.language"),
        ];
        for (spoil, field) in cases {
            let mut company = demo();
            spoil(&mut company);
            assert_eq!(company.validate().unwrap_err().field.as_deref(), Some(field));
        }
    }

    #[test]
    fn the_api_document_lists_exactly_the_countries_a_location_may_be_in() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../edge/openapi.json")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let listed = &doc["components"]["schemas"]["Location"]["properties"]["country"]["enum"];
        let mut listed: Vec<&str> = listed.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        listed.sort_unstable();
        let mut known: Vec<&str> = iso_country::data::all().iter().map(|c| c.alpha2).collect();
        known.sort_unstable();
        assert_eq!(listed, known, "edge/openapi.json's country enum");
    }

    #[test]
    fn rejects_bad_ids_and_duplicates() {
        let mut company = demo();
        company.services[0].id = "Has Spaces".into();
        assert_eq!(company.validate().unwrap_err().field.as_deref(), Some("services[0].id"));
        let mut company = demo();
        company.services[1].id = company.services[0].id.clone();
        assert_eq!(company.validate().unwrap_err().field.as_deref(), Some("services[1].id"));
    }
}
