//! The only module that talks to the network: the business's own edge, nothing else.
//! JSON is parsed by the browser (`Response.json()`) and read by [`crate::decode`].

use std::cell::RefCell;
use std::future::Future;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::decode::WidgetCatalog;
use crate::decode::{self, Decode};
use homeslot_core::wire::{
    BookingConfirmation, BookingRequest, ClassBookingConfirmation, ClassBookingRequest, ClassSessionsResponse,
    ErrorDetail, HoldRequest, HoldView, ManagedBooking, MembershipView, SlotsResponse, SoonestResponse,
    VisitConfirmation, VisitRequest, VisitSlotsResponse, STRIP_DAYS,
};

/// Why a call failed, in terms the widget can explain to a client.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer at all: offline, or the edge unreachable.
    Network,
    /// The edge answered with one of its error codes.
    Api(ErrorDetail),
    /// Anything else (an answer we could not read).
    Unexpected,
}

/// Where this widget's edge is and which business it books for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub base: String,
    pub company: String,
}

impl Api {
    /// The company's catalog.
    pub async fn catalog(&self) -> Result<WidgetCatalog, Failure> {
        send(&format!("{}/v1/companies/{}", self.base, encode(&self.company)), None).await
    }

    /// The company's catalog from a `fetch` the loader started while the widget's code loaded.
    pub async fn prefetched_catalog(&self, response: js_sys::Promise) -> Result<WidgetCatalog, Failure> {
        answer(JsFuture::from(patient(&response)).await).await
    }

    /// Free slots of a service on a local date (only `specialist`'s, if given), and which of the
    /// strip's days ([`STRIP_DAYS`] from today) have any; with `next_open`, a date without a free slot
    /// is answered for the strip's next open date (the answer's `date`). Asked at once, like every
    /// read of the times step: the step builds its view while the answer is on its way.
    pub fn slots(
        &self,
        location: &str,
        service: &str,
        date: &str,
        specialist: Option<&str>,
        next_open: bool,
    ) -> impl Future<Output = Result<SlotsResponse, Failure>> {
        let mut url = format!(
            "{}/v1/companies/{}/locations/{}/slots?calendar={STRIP_DAYS}&service={}&date={}",
            self.base,
            encode(&self.company),
            encode(location),
            encode(service),
            encode(date)
        );
        if next_open {
            url.push_str("&next_open=true");
        }
        if let Some(specialist) = specialist {
            url.push_str(&format!("&specialist={}", encode(specialist)));
        }
        send(&url, None)
    }

    /// The starts of a visit of several services one after another on a local date, every part
    /// by `specialist` (or anyone).
    pub fn visit_slots(
        &self,
        location: &str,
        services: &[String],
        date: &str,
        specialist: Option<&str>,
    ) -> impl Future<Output = Result<VisitSlotsResponse, Failure>> {
        let mut url = format!(
            "{}/v1/companies/{}/locations/{}/visit-slots?services={}&date={}",
            self.base,
            encode(&self.company),
            encode(location),
            encode(&services.join(",")),
            encode(date)
        );
        if let Some(specialist) = specialist {
            let each = vec![specialist; services.len()].join(",");
            url.push_str(&format!("&specialists={}", encode(&each)));
        }
        send(&url, None)
    }

    /// A class's sessions at a location for `days` days from the local date `from`, with the
    /// seats left in each.
    pub fn classes(
        &self,
        location: &str,
        class: &str,
        from: &str,
        days: u32,
    ) -> impl Future<Output = Result<ClassSessionsResponse, Failure>> {
        let url = format!(
            "{}/v1/companies/{}/locations/{}/classes?service={}&from={}&days={days}",
            self.base,
            encode(&self.company),
            encode(location),
            encode(class),
            encode(from)
        );
        send(&url, None)
    }

    /// Takes a seat in a class session.
    pub async fn class_booking(
        &self,
        location: &str,
        request: &ClassBookingRequest,
    ) -> Result<ClassBookingConfirmation, Failure> {
        let url = format!(
            "{}/v1/companies/{}/locations/{}/class-bookings",
            self.base,
            encode(&self.company),
            encode(location)
        );
        let body = decode::class_request(request).ok_or(Failure::Unexpected)?;
        confirm(url, body).await
    }

    /// Books a visit of several services, all or none.
    pub async fn visit(&self, location: &str, request: &VisitRequest) -> Result<VisitConfirmation, Failure> {
        let url = format!("{}/v1/companies/{}/locations/{}/visits", self.base, encode(&self.company), encode(location));
        let body = decode::visit_request(request).ok_or(Failure::Unexpected)?;
        confirm(url, body).await
    }

    /// Each specialist's nearest free start for a service, within two weeks.
    pub async fn soonest(&self, location: &str, service: &str) -> Result<SoonestResponse, Failure> {
        let url = format!(
            "{}/v1/companies/{}/locations/{}/soonest?count=1&days=14&service={}",
            self.base,
            encode(&self.company),
            encode(location),
            encode(service)
        );
        send(&url, None).await
    }

    /// Holds a time for this client while they type their details.
    pub async fn hold(&self, location: &str, request: &HoldRequest) -> Result<HoldView, Failure> {
        let url = format!("{}/v1/companies/{}/locations/{}/holds", self.base, encode(&self.company), encode(location));
        let body = decode::hold_request(request).ok_or(Failure::Unexpected)?;
        send(&url, Some(body)).await
    }

    /// A client's own booking, by their manage token.
    pub async fn managed(&self, token: &str) -> Result<ManagedBooking, Failure> {
        send(&format!("{}/v1/manage/{}", self.base, encode(token)), None).await
    }

    /// Cancels the client's booking (within the owner's notice).
    pub async fn cancel(&self, token: &str) -> Result<ManagedBooking, Failure> {
        confirm(format!("{}/v1/manage/{}/cancel", self.base, encode(token)), "{}".into()).await
    }

    /// Turns the e-mail reminders of the client's visit on or off.
    pub async fn reminders(&self, token: &str, on: bool) -> Result<ManagedBooking, Failure> {
        confirm(format!("{}/v1/manage/{}/reminders", self.base, encode(token)), format!("{{\"on\":{on}}}")).await
    }

    /// Moves the client's booking to another free `start` with the same specialist.
    pub async fn reschedule(&self, token: &str, start: &str) -> Result<ManagedBooking, Failure> {
        let body = js_sys::JSON::stringify(&JsValue::from_str(start)).map_err(|_| Failure::Unexpected)?;
        let body = format!("{{\"start\":{}}}", String::from(body));
        confirm(format!("{}/v1/manage/{}/reschedule", self.base, encode(token)), body).await
    }

    /// Confirms a booking.
    /// The client's membership as its holder sees it, and whether it pays for `service_ids` on
    /// `date` (a refusal is the edge's error, with its own code).
    pub async fn membership(
        &self,
        number: &str,
        phone: &str,
        service_ids: &[String],
        date: &str,
    ) -> Result<MembershipView, Failure> {
        let url = format!("{}/v1/companies/{}/memberships/check", self.base, encode(&self.company));
        let body = decode::membership_check(number, phone, service_ids, date).ok_or(Failure::Unexpected)?;
        send(&url, Some(body)).await
    }

    pub async fn book(&self, location: &str, request: &BookingRequest) -> Result<BookingConfirmation, Failure> {
        let url =
            format!("{}/v1/companies/{}/locations/{}/bookings", self.base, encode(&self.company), encode(location));
        let body = decode::booking_request(request).ok_or(Failure::Unexpected)?;
        confirm(url, body).await
    }
}

fn encode(part: &str) -> String {
    String::from(js_sys::encode_uri_component(part))
}

/// Sends the request now, when called, not when the answer is first awaited; the future reads it.
fn send<T: Decode>(url: &str, body: Option<String>) -> impl Future<Output = Result<T, Failure>> {
    let sent = start(url, body, None);
    async move { answer(JsFuture::from(sent?).await).await }
}

thread_local! {
    /// Confirmations whose outcome is unknown (the answer was lost, or was the edge's own
    /// failure), by what they sent, with the key they were sent with.
    static UNANSWERED: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

/// Sends a confirmation (a booking, a visit, a class seat, a cancellation, a move) with an
/// `Idempotency-Key`, made when the request is first sent and reused by every retry of the same
/// request until the edge has answered it: a client who tries again after a lost answer gets the
/// first booking, never a second one. An edge too busy to take it (`503 overloaded`) is asked
/// again, with the same key, after a pause (twice); then the client sees the problem and may try
/// again themselves.
async fn confirm<T: Decode>(url: String, body: String) -> Result<T, Failure> {
    let sent = format!("{url} {body}");
    let earlier = UNANSWERED.with_borrow(|all| all.iter().find(|(s, _)| *s == sent).map(|(_, key)| key.clone()));
    let key = earlier.unwrap_or_else(new_key);
    UNANSWERED.with_borrow_mut(|all| {
        all.retain(|(s, _)| *s != sent);
        all.push((sent.clone(), key.clone()));
    });
    let mut tries = 0;
    loop {
        let answer = answer(JsFuture::from(start(&url, Some(body.clone()), Some(&key))?).await).await;
        let unknown = match &answer {
            Err(Failure::Api(detail)) if detail.code == "overloaded" && tries < 2 => {
                tries += 1;
                pause(2000 * tries).await;
                continue;
            }
            Err(Failure::Api(detail)) => matches!(detail.code.as_str(), "overloaded" | "internal"),
            Err(_) => true,
            Ok(_) => false,
        };
        if !unknown {
            UNANSWERED.with_borrow_mut(|all| all.retain(|(s, _)| *s != sent));
        }
        return answer;
    }
}

/// A new idempotency key: a random UUID where the browser makes them (secure pages), else
/// random hex digits.
fn new_key() -> String {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).unwrap_or_default();
    let uuid = js_sys::Reflect::get(&crypto, &JsValue::from_str("randomUUID"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&crypto).ok())
        .and_then(|v| v.as_string());
    uuid.unwrap_or_else(|| {
        let part = || format!("{:x}", (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64);
        format!("{}{}{}", part(), part(), part())
    })
}

/// Waits `ms` milliseconds (a browser timer).
pub(crate) async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

#[wasm_bindgen(module = "/js/patience.js")]
extern "C" {
    /// `promise` (a `fetch`), or a rejection once 20 s pass without its answer: a stalled
    /// connection then fails like any lost request ([`Failure::Network`], which the client can
    /// retry) instead of leaving a skeleton on screen for ever.
    fn patient(promise: &js_sys::Promise) -> js_sys::Promise;
}

fn start(url: &str, body: Option<String>, key: Option<&str>) -> Result<js_sys::Promise, Failure> {
    let init = RequestInit::new();
    if let Some(body) = body {
        init.set_method("POST");
        init.set_body(&JsValue::from_str(&body));
        let headers = Headers::new().map_err(|_| Failure::Unexpected)?;
        headers.set("content-type", "application/json").map_err(|_| Failure::Unexpected)?;
        if let Some(key) = key {
            headers.set("idempotency-key", key).map_err(|_| Failure::Unexpected)?;
        }
        init.set_headers(&headers);
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(|_| Failure::Unexpected)?;
    let window = web_sys::window().ok_or(Failure::Unexpected)?;
    Ok(patient(&window.fetch_with_request(&request)))
}

/// Reads a `fetch`'s outcome: the wire type, the edge's error, or why there is no answer.
async fn answer<T: Decode>(fetched: Result<JsValue, JsValue>) -> Result<T, Failure> {
    let response: Response = fetched.map_err(|_| Failure::Network)?.dyn_into().map_err(|_| Failure::Unexpected)?;
    let json = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.unwrap_or(JsValue::NULL),
        Err(_) => JsValue::NULL,
    };
    if response.ok() {
        decode::read(json, T::decode).map_err(|_| Failure::Unexpected)
    } else {
        Err(decode::read(json, decode::error_detail).map(Failure::Api).unwrap_or(Failure::Unexpected))
    }
}
