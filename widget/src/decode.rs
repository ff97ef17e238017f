//! Reads the API's JSON (parsed by the browser's own `Response.json()`) into the shared wire types
//! of `homeslot_core::wire`, and writes a booking request.
//!
//! Why not serde: serde-wasm-bindgen and serde's error paths (which format floats) cost the
//! widget ~40 KB of wasm, about a sixth of it. These readers construct the shared structs with
//! struct literals, so a field added to a wire type fails to compile here until it is read: the
//! widget and the edge still cannot drift.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use homeslot_core::wire::{
    BookingConfirmation, BookingRequest, CatalogResponse, CompanyView, ErrorDetail, LocationView, Money, ServiceView,
    SlotView, SlotsResponse, SpecialistView,
};

/// The answer did not have the shape of the wire type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

type Result<T> = core::result::Result<T, Malformed>;

/// A JSON object from the API.
pub struct Json(JsValue);

impl Json {
    pub fn new(value: JsValue) -> Self {
        Json(value)
    }

    fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn string(&self, key: &str) -> Result<String> {
        self.get(key).as_string().ok_or(Malformed)
    }

    fn optional_string(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    fn integer(&self, key: &str) -> Result<i64> {
        let number = self.get(key).as_f64().ok_or(Malformed)?;
        if number.fract() == 0.0 && number.abs() <= 9_007_199_254_740_991.0 {
            Ok(number as i64)
        } else {
            Err(Malformed)
        }
    }

    fn count(&self, key: &str) -> Result<u32> {
        u32::try_from(self.integer(key)?).map_err(|_| Malformed)
    }

    fn object(&self, key: &str) -> Result<Json> {
        let value = self.get(key);
        if value.is_object() {
            Ok(Json(value))
        } else {
            Err(Malformed)
        }
    }

    fn list<T>(&self, key: &str, item: impl Fn(&Json) -> Result<T>) -> Result<Vec<T>> {
        let value = self.get(key);
        if !Array::is_array(&value) {
            return Err(Malformed);
        }
        Array::from(&value).iter().map(|v| item(&Json(v))).collect()
    }

    fn strings(&self, key: &str) -> Result<Vec<String>> {
        let value = self.get(key);
        if !Array::is_array(&value) {
            return Err(Malformed);
        }
        Array::from(&value).iter().map(|v| v.as_string().ok_or(Malformed)).collect()
    }
}

/// A wire type the widget reads.
pub trait Decode: Sized {
    fn decode(json: &Json) -> Result<Self>;
}

fn money(json: &Json) -> Result<Money> {
    Ok(Money { amount_minor: json.integer("amount_minor")?, currency: json.string("currency")? })
}

impl Decode for CatalogResponse {
    fn decode(json: &Json) -> Result<Self> {
        let company = json.object("company")?;
        Ok(CatalogResponse {
            company: CompanyView {
                id: company.string("id")?,
                name: company.string("name")?,
                currency: company.string("currency")?,
            },
            locations: json.list("locations", |l| {
                Ok(LocationView {
                    id: l.string("id")?,
                    name: l.string("name")?,
                    address: l.string("address")?,
                    time_zone: l.string("time_zone")?,
                    today: l.string("today")?,
                    horizon_days: l.count("horizon_days")?,
                })
            })?,
            services: json.list("services", |s| {
                Ok(ServiceView {
                    id: s.string("id")?,
                    name: s.string("name")?,
                    duration_minutes: s.count("duration_minutes")?,
                    price: money(&s.object("price")?)?,
                })
            })?,
            // The widget does not book classes yet.
            classes: Vec::new(),
            specialists: json.list("specialists", |s| {
                Ok(SpecialistView {
                    id: s.string("id")?,
                    name: s.string("name")?,
                    position: s.string("position")?,
                    location_id: s.string("location_id")?,
                })
            })?,
        })
    }
}

impl Decode for SlotsResponse {
    fn decode(json: &Json) -> Result<Self> {
        Ok(SlotsResponse {
            location_id: json.string("location_id")?,
            service_id: json.string("service_id")?,
            date: json.string("date")?,
            time_zone: json.string("time_zone")?,
            slots: json.list("slots", |s| {
                Ok(SlotView {
                    start: s.string("start")?,
                    local_time: s.string("local_time")?,
                    specialist_ids: s.strings("specialist_ids")?,
                })
            })?,
        })
    }
}

impl Decode for BookingConfirmation {
    fn decode(json: &Json) -> Result<Self> {
        Ok(BookingConfirmation {
            booking_id: json.string("booking_id")?,
            location_id: json.string("location_id")?,
            service_id: json.string("service_id")?,
            service_name: json.string("service_name")?,
            specialist_id: json.string("specialist_id")?,
            specialist_name: json.string("specialist_name")?,
            start: json.string("start")?,
            end: json.string("end")?,
            local_date: json.string("local_date")?,
            local_time: json.string("local_time")?,
            time_zone: json.string("time_zone")?,
            price: money(&json.object("price")?)?,
        })
    }
}

/// The `error` member of an error answer.
pub fn error_detail(json: &Json) -> Result<ErrorDetail> {
    let error = json.object("error")?;
    Ok(ErrorDetail {
        code: error.string("code")?,
        message: error.string("message")?,
        field: error.optional_string("field"),
    })
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
    if !ok {
        return None;
    }
    js_sys::JSON::stringify(&body).ok().map(String::from)
}
