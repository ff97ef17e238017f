//! Reads the API's JSON (parsed by the browser's own `Response.json()`) into the shared wire types
//! of `homeslot_core::wire`, and writes a booking request.
//!
//! Why not serde: serde-wasm-bindgen and serde's error paths (which format floats) cost the
//! widget ~40 KB of wasm, about a sixth of it. These readers construct the shared structs with
//! struct literals, so a field added to a wire type fails to compile here until it is read: the
//! widget and the edge still cannot drift.

use std::cell::Cell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use homeslot_core::wire::{
    BookingConfirmation, BookingRequest, CatalogResponse, ClassBookingConfirmation, ClassBookingRequest,
    ClassSessionView, ClassSessionsResponse, CompanyView, ErrorDetail, HoldRequest, HoldView, LocationView,
    ManagedBooking, Money, ServiceView, SlotView, SlotsResponse, SoonestResponse, SoonestSlot, SpecialistSoonest,
    SpecialistView, VisitConfirmation, VisitPartView, VisitRequest, VisitSlotView, VisitSlotsResponse,
};

/// The public catalog as the widget reads it: the catalog, and the owner's step order from the
/// widget settings (`service_first` when unset). The other settings are read when a screen shows
/// them.
#[derive(Clone)]
pub struct WidgetCatalog {
    pub catalog: CatalogResponse,
    pub step_order: String,
}

impl Decode for WidgetCatalog {
    fn decode(json: &Json) -> Self {
        let step_order = json.object("widget").optional_string("step_order").unwrap_or_default();
        WidgetCatalog { catalog: CatalogResponse::decode(json), step_order }
    }
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
    Money { amount_minor: json.integer("amount_minor"), currency: json.string("currency") }
}

impl Decode for CatalogResponse {
    fn decode(json: &Json) -> Self {
        let company = json.object("company");
        CatalogResponse {
            company: CompanyView {
                id: company.string("id"),
                name: company.string("name"),
                currency: company.string("currency"),
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
        // Not shown yet, like categories, contacts and the owner's other widget settings
        // (`PublicCatalog`): read when the screen that shows them is built.
        description: String::new(),
        category_id: None,
        duration_minutes: s.count("duration_minutes"),
        price: money(&s.object("price")),
        specialist_ids: s.strings("specialist_ids"),
    }
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
    let set = |key: &str, value: &str| Reflect::set(&body, &JsValue::from_str(key), &JsValue::from_str(value)).is_ok();
    let ok = set("service_id", &request.service_id)
        && set("start", &request.start)
        && request.specialist_id.as_deref().is_none_or(|s| set("specialist_id", s));
    ok.then(|| js_sys::JSON::stringify(&body).ok().map(String::from)).flatten()
}

/// The `error` member of an error answer.
pub fn error_detail(json: &Json) -> ErrorDetail {
    let error = json.object("error");
    ErrorDetail { code: error.string("code"), message: error.string("message"), field: error.optional_string("field") }
}

/// A class booking request as a JSON text for the request body.
pub fn class_request(request: &ClassBookingRequest) -> Option<String> {
    let set =
        |object: &Object, key: &str, value: &JsValue| Reflect::set(object, &JsValue::from_str(key), value).is_ok();
    let text = |value: &str| JsValue::from_str(value);
    let (body, client) = (Object::new(), Object::new());
    let ok = set(&body, "service_id", &text(&request.service_id))
        && set(&body, "start", &text(&request.start))
        && set(&body, "join_waitlist", &JsValue::from_bool(request.join_waitlist))
        && set(&client, "name", &text(&request.client.name))
        && set(&client, "phone", &text(&request.client.phone))
        && set(&body, "client", &client);
    ok.then(|| js_sys::JSON::stringify(&body).ok().map(String::from)).flatten()
}

/// A visit request as a JSON text for the request body.
pub fn visit_request(request: &VisitRequest) -> Option<String> {
    let set =
        |object: &Object, key: &str, value: &JsValue| Reflect::set(object, &JsValue::from_str(key), value).is_ok();
    let text = |value: &str| JsValue::from_str(value);
    let (body, client, parts) = (Object::new(), Object::new(), Array::new());
    let mut ok = set(&body, "start", &text(&request.start))
        && set(&client, "name", &text(&request.client.name))
        && set(&client, "phone", &text(&request.client.phone))
        && set(&body, "client", &client);
    for part in &request.parts {
        let item = Object::new();
        ok = ok
            && set(&item, "service_id", &text(&part.service_id))
            && part.specialist_id.as_deref().is_none_or(|s| set(&item, "specialist_id", &text(s)));
        parts.push(&item);
    }
    ok = ok && set(&body, "parts", &parts);
    ok.then(|| js_sys::JSON::stringify(&body).ok().map(String::from)).flatten()
}

/// A booking request as a JSON text for the request body.
pub fn booking_request(request: &BookingRequest) -> Option<String> {
    let set = |object: &Object, key: &str, value: &str| {
        Reflect::set(object, &JsValue::from_str(key), &JsValue::from_str(value)).is_ok()
    };
    let body = Object::new();
    let client = Object::new();
    let mut ok = set(&body, "service_id", &request.service_id)
        && set(&body, "start", &request.start)
        && set(&client, "name", &request.client.name)
        && set(&client, "phone", &request.client.phone)
        && Reflect::set(&body, &JsValue::from_str("client"), &client).is_ok();
    if let Some(specialist) = &request.specialist_id {
        ok = ok && set(&body, "specialist_id", specialist);
    }
    if let Some(hold) = &request.hold_id {
        ok = ok && set(&body, "hold_id", hold);
    }
    if !ok {
        return None;
    }
    js_sys::JSON::stringify(&body).ok().map(String::from)
}
