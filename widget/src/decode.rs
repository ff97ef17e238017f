//! Reads the API's JSON (parsed by the browser's own `Response.json()`) into the shared wire types
//! of `homeslot_core::wire`, and writes the request bodies (holds, bookings, visits, seats).
//!
//! Why not serde: serde-wasm-bindgen and serde's error paths (which format floats) cost the
//! widget ~40 KB of wasm, about a sixth of it. These readers construct the shared structs with
//! struct literals, so a field added to a wire type fails to compile here until it is read: the
//! widget and the edge still cannot drift.

use std::cell::Cell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use homeslot_core::catalog::Category;
use homeslot_core::promo::{Audience, Promo, PromoScreen};
use homeslot_core::time::CivilDate;
use homeslot_core::wire::{
    AppliedDiscount, Attribution, BookingConfirmation, BookingRequest, CatalogResponse, ClassBookingConfirmation,
    ClassBookingRequest, ClassSessionView, ClassSessionsResponse, ClientDetails, CompanyView, ErrorDetail, FirstSlots,
    HoldRequest, HoldView, LocationView, ManagedBooking, MembershipRef, MembershipView, Money, Offer, ServiceView,
    SlotView, SlotsResponse, SoonestResponse, SoonestSlot, SpecialistSoonest, SpecialistView, VisitConfirmation,
    VisitPartView, VisitRequest, VisitSlotView, VisitSlotsResponse,
};

/// The public catalog as the widget reads it: the catalog, and the owner's step order from the
/// widget settings (`service_first` when unset). The rest (the other settings, the promos) is
/// kept as the edge's JSON text and read by the screens that show it ([`ContactSettings`] in the
/// details step, [`promos`]), so the first screen does not carry their readers.
#[derive(Clone)]
pub struct WidgetCatalog {
    pub catalog: CatalogResponse,
    /// The service categories, in the owner's order.
    pub categories: Vec<Category>,
    pub step_order: String,
    /// The whole catalog as the edge published it, as JSON text.
    pub published: String,
}

impl Decode for WidgetCatalog {
    fn decode(json: &Json) -> Self {
        let widget = json.object("widget");
        let step_order = widget.optional_string("step_order").unwrap_or_default();
        let published = js_sys::JSON::stringify(&json.value).map(String::from).unwrap_or_default();
        let categories = json.list("categories", |c| Category { id: c.string("id"), name: c.string("name") });
        WidgetCatalog { catalog: CatalogResponse::decode(json), categories, step_order, published }
    }
}

/// The owner's contact-step settings, as the edge sends them in `widget`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactSettings {
    /// `hidden`, `optional` or `required`.
    pub email_field: String,
    pub comment_field: String,
    /// The owner's name for the comment field.
    pub comment_label: Option<String>,
    /// The country whose calling code the phone field starts with (ISO 3166-1 alpha-2).
    pub phone_country: Option<String>,
    /// The privacy policy the client must accept, and its full text's address.
    pub privacy_text: Option<String>,
    pub privacy_url: Option<String>,
    /// Whether to offer the (optional) marketing-consent box.
    pub marketing_consent: bool,
}

impl ContactSettings {
    /// Reads them from the published catalog's `widget` (an empty or broken text: the defaults).
    pub fn read(published: &str) -> ContactSettings {
        let Some(value) = part_of(published, "widget") else {
            return ContactSettings::default();
        };
        let malformed = Cell::new(false);
        let json = Json { value, malformed: &malformed };
        let policy = json.get("privacy_policy");
        let policy = Json { value: policy, malformed: &malformed };
        ContactSettings {
            email_field: json.optional_string("email_field").unwrap_or_default(),
            comment_field: json.optional_string("comment_field").unwrap_or_default(),
            comment_label: json.optional_string("comment_label"),
            phone_country: json.optional_string("phone_country"),
            privacy_text: policy.optional_string("text"),
            privacy_url: policy.optional_string("url"),
            marketing_consent: json.get("marketing_consent").as_bool().unwrap_or(false),
        }
    }
}

/// One part of the published catalog's JSON text, if it has it.
fn part_of(published: &str, key: &str) -> Option<JsValue> {
    let value = js_sys::JSON::parse(published).ok()?;
    Reflect::get(&value, &JsValue::from_str(key)).ok().filter(JsValue::is_object)
}

/// The free times the catalog carries for the page's first screen (`first_slots`: the date and
/// specialist asked, and the answer), from the published catalog's JSON text.
pub fn first_slots(published: &str) -> Option<FirstSlots> {
    let value = part_of(published, "first_slots")?;
    read(value, |json| FirstSlots {
        date: json.string("date"),
        specialist_id: json.optional_string("specialist_id"),
        answer: SlotsResponse::decode(&json.object("answer")),
    })
    .ok()
}

/// The promos the edge published (those running today, in the owner's order), from the published
/// catalog's JSON text. A promo the widget cannot read is left out, not the others.
pub fn promos(published: &str) -> Vec<Promo> {
    let Some(list) = part_of(published, "promos") else {
        return Vec::new();
    };
    Array::from(&list).iter().filter_map(|value| read(value, promo).ok().flatten()).collect()
}

fn promo(p: &Json) -> Option<Promo> {
    let date = |key: &str| p.optional_string(key).as_deref().and_then(CivilDate::parse);
    Some(Promo {
        id: p.string("id"),
        title: p.string("title"),
        description: p.optional_string("description").unwrap_or_default(),
        image_url: p.optional_string("image_url"),
        button_text: p.optional_string("button_text"),
        button_link: p.optional_string("button_link"),
        screen: match p.string("screen").as_str() {
            "services" => PromoScreen::Services,
            "specialists" => PromoScreen::Specialists,
            "times" => PromoScreen::Times,
            "success" => PromoScreen::Success,
            _ => return None,
        },
        location_ids: p.optional_object("location_ids").map(|_| p.strings("location_ids")).unwrap_or_default(),
        starts_on: date("starts_on"),
        ends_on: date("ends_on"),
        audience: match p.optional_string("audience").as_deref() {
            Some("new_clients") => Audience::NewClients,
            Some("returning_clients") => Audience::ReturningClients,
            _ => Audience::Everyone,
        },
    })
}

impl Decode for SoonestResponse {
    fn decode(json: &Json) -> Self {
        SoonestResponse {
            location_id: json.string("location_id"),
            service_id: json.string("service_id"),
            time_zone: json.string("time_zone"),
            specialists: json.list("specialists", |s| SpecialistSoonest {
                specialist_id: s.string("specialist_id"),
                slots: s.list("slots", |slot| SoonestSlot {
                    start: slot.string("start"),
                    local_date: slot.string("local_date"),
                    local_time: slot.string("local_time"),
                }),
            }),
        }
    }
}

/// The answer did not have the shape of the wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

type Result<T> = core::result::Result<T, Malformed>;

/// A JSON value from the API, and the flag every read from it (or from values inside it) raises
/// when something is missing or of the wrong type.
///
/// Why a flag and not `?` on every field: each early return needs its own cleanup of the fields
/// read so far, which for a dozen fields is a lot of wasm. Reads give a placeholder instead
/// (`""`, `0`, empty), and the caller checks the flag once ([`read`]).
pub struct Json<'a> {
    value: JsValue,
    malformed: &'a Cell<bool>,
}

impl<'a> Json<'a> {
    fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn within(&self, value: JsValue) -> Json<'a> {
        Json { value, malformed: self.malformed }
    }

    fn bad<T: Default>(&self) -> T {
        self.malformed.set(true);
        T::default()
    }

    fn string(&self, key: &str) -> String {
        self.get(key).as_string().unwrap_or_else(|| self.bad())
    }

    fn optional_string(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    fn integer(&self, key: &str) -> i64 {
        match self.get(key).as_f64() {
            Some(number) if number.fract() == 0.0 && number.abs() <= 9_007_199_254_740_991.0 => number as i64,
            _ => self.bad(),
        }
    }

    fn count(&self, key: &str) -> u32 {
        u32::try_from(self.integer(key)).unwrap_or_else(|_| self.bad())
    }

    fn object(&self, key: &str) -> Json<'a> {
        let value = self.get(key);
        if !value.is_object() {
            self.malformed.set(true);
        }
        self.within(value)
    }

    /// The object under `key`, if there is one (absent or `null`: none).
    fn optional_object(&self, key: &str) -> Option<Json<'a>> {
        let value = self.get(key);
        value.is_object().then(|| self.within(value))
    }

    fn items(&self, key: &str) -> Array {
        let value = self.get(key);
        if Array::is_array(&value) {
            Array::from(&value)
        } else {
            self.bad()
        }
    }

    fn list<T>(&self, key: &str, item: impl Fn(&Json) -> T) -> Vec<T> {
        self.items(key).iter().map(|v| item(&self.within(v))).collect()
    }

    fn strings(&self, key: &str) -> Vec<String> {
        self.items(key).iter().map(|v| v.as_string().unwrap_or_else(|| self.bad())).collect()
    }
}

/// Reads `value` as `T`, or `Malformed` if any part of it was missing or of the wrong type.
pub fn read<T>(value: JsValue, decode: impl FnOnce(&Json) -> T) -> Result<T> {
    let malformed = Cell::new(false);
    let decoded = decode(&Json { value, malformed: &malformed });
    if malformed.get() {
        Err(Malformed)
    } else {
        Ok(decoded)
    }
}

/// A wire type the widget reads.
pub trait Decode: Sized {
    fn decode(json: &Json) -> Self;
}

fn money(json: &Json) -> Money {
    let exponent = u8::try_from(json.integer("exponent")).unwrap_or_else(|_| json.bad());
    Money { amount_minor: json.integer("amount_minor"), currency: json.string("currency"), exponent }
}

impl Decode for CatalogResponse {
    fn decode(json: &Json) -> Self {
        let company = json.object("company");
        CatalogResponse {
            company: CompanyView {
                id: company.string("id"),
                name: company.string("name"),
                currency: company.string("currency"),
                test_bookings: company.get("test_bookings").is_truthy(),
                ..Default::default()
            },
            locations: json.list("locations", |l| LocationView {
                id: l.string("id"),
                name: l.string("name"),
                address: l.string("address"),
                city: l.optional_string("city").unwrap_or_default(),
                time_zone: l.string("time_zone"),
                today: l.string("today"),
                horizon_days: l.count("horizon_days"),
                ..Default::default()
            }),
            services: json.list("services", service),
            classes: json.list("classes", service),
            specialists: json.list("specialists", |s| SpecialistView {
                id: s.string("id"),
                name: s.string("name"),
                position: s.string("position"),
                photo_url: s.optional_string("photo_url"),
                location_id: s.string("location_id"),
            }),
        }
    }
}

fn service(s: &Json) -> ServiceView {
    ServiceView {
        id: s.string("id"),
        name: s.string("name"),
        description: s.optional_string("description").unwrap_or_default(),
        category_id: s.optional_string("category_id"),
        duration_minutes: s.count("duration_minutes"),
        price: money(&s.object("price")),
        specialist_ids: s.strings("specialist_ids"),
        offer: s.optional_object("offer").map(|o| offer(&o)),
        first_booking_offer: s.optional_object("first_booking_offer").map(|o| offer(&o)),
        members_only: s.get("members_only").is_truthy(),
    }
}

fn offer(o: &Json) -> Offer {
    Offer { price: money(&o.object("price")), discount: discount(&o.object("discount")) }
}

fn discount(d: &Json) -> AppliedDiscount {
    AppliedDiscount { id: d.string("id"), name: d.string("name") }
}

impl Decode for ClassSessionsResponse {
    fn decode(json: &Json) -> Self {
        ClassSessionsResponse {
            location_id: json.string("location_id"),
            service_id: json.string("service_id"),
            time_zone: json.string("time_zone"),
            capacity: json.count("capacity"),
            sessions: json.list("sessions", |s| ClassSessionView {
                start: s.string("start"),
                end: s.string("end"),
                local_date: s.string("local_date"),
                local_time: s.string("local_time"),
                specialist_id: s.string("specialist_id"),
                seats_left: s.count("seats_left"),
                waitlist_open: s.get("waitlist_open").as_bool().unwrap_or_else(|| s.bad()),
            }),
        }
    }
}

impl Decode for ClassBookingConfirmation {
    fn decode(json: &Json) -> Self {
        ClassBookingConfirmation {
            status: json.string("status"),
            waitlist_position: json.get("waitlist_position").as_f64().map(|_| json.count("waitlist_position")),
            booking: BookingConfirmation::decode(json),
        }
    }
}

impl Decode for SlotsResponse {
    fn decode(json: &Json) -> Self {
        SlotsResponse {
            location_id: json.string("location_id"),
            service_id: json.string("service_id"),
            date: json.string("date"),
            time_zone: json.string("time_zone"),
            slots: json.list("slots", |s| SlotView {
                start: s.string("start"),
                local_time: s.string("local_time"),
                specialist_ids: s.strings("specialist_ids"),
            }),
            open_dates: json.strings("open_dates"),
        }
    }
}

impl Decode for BookingConfirmation {
    fn decode(json: &Json) -> Self {
        BookingConfirmation {
            booking_id: json.string("booking_id"),
            location_id: json.string("location_id"),
            service_id: json.string("service_id"),
            service_name: json.string("service_name"),
            specialist_id: json.string("specialist_id"),
            specialist_name: json.string("specialist_name"),
            start: json.string("start"),
            end: json.string("end"),
            local_date: json.string("local_date"),
            local_time: json.string("local_time"),
            time_zone: json.string("time_zone"),
            price: money(&json.object("price")),
            original_price: json.optional_object("original_price").map(|m| money(&m)),
            discount: json.optional_object("discount").map(|d| discount(&d)),
            membership: json.optional_object("membership").map(|m| MembershipView::decode(&m)),
            manage_token: json.optional_string("manage_token"),
        }
    }
}

impl Decode for VisitSlotsResponse {
    fn decode(json: &Json) -> Self {
        VisitSlotsResponse {
            location_id: json.string("location_id"),
            service_ids: json.strings("service_ids"),
            date: json.string("date"),
            time_zone: json.string("time_zone"),
            slots: json.list("slots", |s| VisitSlotView {
                start: s.string("start"),
                local_time: s.string("local_time"),
                end: s.string("end"),
                parts: s.list("parts", |p| VisitPartView {
                    service_id: p.string("service_id"),
                    specialist_id: p.string("specialist_id"),
                    start: p.string("start"),
                    end: p.string("end"),
                    local_time: p.string("local_time"),
                }),
            }),
        }
    }
}

impl Decode for MembershipView {
    fn decode(json: &Json) -> Self {
        MembershipView {
            number: json.string("number"),
            name: json.string("name"),
            status: json.string("status"),
            visits_left: json.get("visits_left").as_f64().map(|_| json.count("visits_left")),
            balance: json.optional_object("balance").map(|m| money(&m)),
            valid_until: json.optional_string("valid_until"),
        }
    }
}

impl Decode for VisitConfirmation {
    fn decode(json: &Json) -> Self {
        VisitConfirmation {
            visit_id: json.string("visit_id"),
            location_id: json.string("location_id"),
            start: json.string("start"),
            end: json.string("end"),
            local_date: json.string("local_date"),
            local_time: json.string("local_time"),
            time_zone: json.string("time_zone"),
            price: money(&json.object("price")),
            original_price: json.optional_object("original_price").map(|m| money(&m)),
            membership: json.optional_object("membership").map(|m| MembershipView::decode(&m)),
            parts: json.list("parts", BookingConfirmation::decode),
        }
    }
}

impl Decode for ManagedBooking {
    fn decode(json: &Json) -> Self {
        ManagedBooking {
            status: json.string("status"),
            waitlist_position: json.get("waitlist_position").as_f64().map(|_| json.count("waitlist_position")),
            changeable_until: json.string("changeable_until"),
            in_visit: json.get("in_visit").as_bool().unwrap_or(false),
            reminders: json.get("reminders").as_bool(),
            booking: BookingConfirmation::decode(json),
        }
    }
}

impl Decode for HoldView {
    fn decode(json: &Json) -> Self {
        HoldView {
            hold_id: json.string("hold_id"),
            service_id: json.string("service_id"),
            specialist_id: json.string("specialist_id"),
            start: json.string("start"),
            end: json.string("end"),
            expires_at: json.string("expires_at"),
        }
    }
}

/// A hold request as a JSON text for the request body.
pub fn hold_request(request: &HoldRequest) -> Option<String> {
    let body = Object::new();
    let ok = set(&body, "service_id", &text(&request.service_id))
        && set(&body, "start", &text(&request.start))
        && request.specialist_id.as_deref().is_none_or(|s| set(&body, "specialist_id", &text(s)));
    ok.then(|| stringify(&body)).flatten()
}

/// The `error` member of an error answer.
pub fn error_detail(json: &Json) -> ErrorDetail {
    let error = json.object("error");
    ErrorDetail { code: error.string("code"), message: error.string("message"), field: error.optional_string("field") }
}

/// Sets `key` on a request body being built; false if the browser refused.
fn set(object: &Object, key: &str, value: &JsValue) -> bool {
    Reflect::set(object, &JsValue::from_str(key), value).is_ok()
}

fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

/// The body's `client`: name and phone, and what the contact step gave (an e-mail and comment if
/// any, the consents if given).
fn client(details: &ClientDetails) -> Option<JsValue> {
    let client = Object::new();
    let mut ok = set(&client, "name", &text(&details.name)) && set(&client, "phone", &text(&details.phone));
    for (key, value) in [("email", &details.email), ("comment", &details.comment), ("language", &details.language)] {
        if let Some(value) = value {
            ok = ok && set(&client, key, &text(value));
        }
    }
    for (key, given) in
        [("privacy_accepted", details.privacy_accepted), ("marketing_consent", details.marketing_consent)]
    {
        if given {
            ok = ok && set(&client, key, &JsValue::TRUE);
        }
    }
    ok.then(|| client.into())
}

/// The body's `membership`, if the client pays with one.
fn paid_with(body: &Object, membership: &Option<MembershipRef>) -> bool {
    membership.as_ref().is_none_or(|m| {
        let named = Object::new();
        set(&named, "number", &text(&m.number)) && set(body, "membership", &named)
    })
}

/// The body's `attribution`, if the page's address had any.
fn came_from(body: &Object, attribution: &Option<Attribution>) -> bool {
    attribution.as_ref().is_none_or(|a| {
        let object = Object::new();
        let mut a = a.clone();
        a.fields_mut().iter().all(|(key, value)| value.as_deref().is_none_or(|v| set(&object, key, &text(v))))
            && set(body, "attribution", &object)
    })
}

/// A membership check (`POST …/memberships/check`) as a JSON text for the request body.
pub fn membership_check(number: &str, phone: &str, service_ids: &[String], date: &str) -> Option<String> {
    let (body, services) = (Object::new(), Array::new());
    for id in service_ids {
        services.push(&text(id));
    }
    let ok = set(&body, "number", &text(number.trim()))
        && set(&body, "phone", &text(phone.trim()))
        && set(&body, "service_ids", &services)
        && set(&body, "date", &text(date));
    ok.then(|| stringify(&body)).flatten()
}

fn stringify(body: &Object) -> Option<String> {
    js_sys::JSON::stringify(body).ok().map(String::from)
}

/// A class booking request as a JSON text for the request body.
pub fn class_request(request: &ClassBookingRequest) -> Option<String> {
    let body = Object::new();
    let ok = set(&body, "service_id", &text(&request.service_id))
        && set(&body, "start", &text(&request.start))
        && set(&body, "join_waitlist", &JsValue::from_bool(request.join_waitlist))
        && set(&body, "client", &client(&request.client)?)
        && paid_with(&body, &request.membership)
        && came_from(&body, &request.attribution);
    ok.then(|| stringify(&body)).flatten()
}

/// A visit request as a JSON text for the request body.
pub fn visit_request(request: &VisitRequest) -> Option<String> {
    let (body, parts) = (Object::new(), Array::new());
    let mut ok = set(&body, "start", &text(&request.start)) && set(&body, "client", &client(&request.client)?);
    for part in &request.parts {
        let item = Object::new();
        ok = ok
            && set(&item, "service_id", &text(&part.service_id))
            && part.specialist_id.as_deref().is_none_or(|s| set(&item, "specialist_id", &text(s)));
        parts.push(&item);
    }
    ok = ok
        && set(&body, "parts", &parts)
        && paid_with(&body, &request.membership)
        && came_from(&body, &request.attribution);
    ok.then(|| stringify(&body)).flatten()
}

/// A booking request as a JSON text for the request body.
pub fn booking_request(request: &BookingRequest) -> Option<String> {
    let body = Object::new();
    let ok = set(&body, "service_id", &text(&request.service_id))
        && set(&body, "start", &text(&request.start))
        && set(&body, "client", &client(&request.client)?)
        && request.specialist_id.as_deref().is_none_or(|s| set(&body, "specialist_id", &text(s)))
        && request.hold_id.as_deref().is_none_or(|h| set(&body, "hold_id", &text(h)))
        && paid_with(&body, &request.membership)
        && came_from(&body, &request.attribution);
    ok.then(|| stringify(&body)).flatten()
}
