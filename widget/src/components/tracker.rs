//! The tracker: tells the page's trackers what the client does, and draws the promo above the
//! services, specialists and times. It is drawn once per booking, above the steps, from the later
//! steps' chunk (so the first screen carries none of it): it then sends the first screen's events
//! and every later change of the flow's events (`analytics.rs` says which).
//!
//! One emitter, every channel (docs/analytics.md), each of which the owner can switch off with
//! the element's `analytics-off` attribute (`callback event datalayer gtag fbq message`):
//!
//! - the owner's callback: the global function named by `analytics-callback`, called with the
//!   event's name and parameters;
//! - a `homeslot-event` `CustomEvent` on the `<homeslot-widget>` element, bubbling to the page
//!   (`detail`: `{name, params}`);
//! - `window.dataLayer.push` (Tag Manager; GA4 ecommerce events under `ecommerce`);
//! - `gtag('event', …)` and `fbq('trackCustom' | 'track', …)` when the page has them;
//! - `postMessage` to the parent window when the widget runs framed and the element names the
//!   parent's exact origin (`parent-origin`).
//!
//! Consent: with `analytics-consent="required"`, nothing is sent until the page grants it through
//! Google Consent Mode (`analytics_storage` for every channel but Meta's, `ad_storage` for Meta),
//! or the owner sets `analytics-consent="granted"`. Without it, Meta gets nothing while
//! `ad_storage` is denied, and Google's tags apply their own Consent Mode to what they receive.

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use wasm_bindgen::{JsCast, JsValue};

use super::{promo, Booking};
use crate::analytics::{self, Context, Event, Kind, Value};
use crate::flow::{Flow, Step};
use homeslot_core::promo::PromoScreen;

/// Drawn once per booking, above its steps.
#[wasm_split(steps, fallible, preload(load), wasm_split_path = ::leptos::wasm_split)]
pub fn view(booking: Booking) -> Result<AnyView, SplitLoaderError> {
    let flow = booking.flow;
    let node = NodeRef::<leptos::html::Div>::new();
    let watched = booking.clone();
    let watched_close = booking.clone();
    // The first run with the element there sends the first screen's events, and what the client
    // chose since it was shown (a tap on a service before this code arrived); each later one,
    // what changed.
    Effect::new(move |before: Option<Option<Flow>>| {
        let now = flow.get();
        let element = node.get()?;
        let before = before.flatten();
        send(&watched, &element, &|context| match &before {
            None => {
                let shown = now.as_on(first_step(&watched, &element));
                let mut events = analytics::opened(context, &shown);
                events.extend(analytics::between(context, &shown, &now));
                events
            }
            Some(before) => analytics::between(context, before, &now),
        });
        if before.as_ref().is_none_or(|b| b.step() != now.step()) {
            if let Some(shown) = screen(now.step()).and_then(|s| promo::chosen(&watched, s)) {
                send(&watched, &element, &|context| analytics::promo_shown(context, &shown));
            }
        }
        Some(now)
    });
    let step = Memo::new(move |_| flow.with(Flow::step));
    let promo =
        move || screen(step.get()).filter(|s| *s != PromoScreen::Success).and_then(|s| promo::block(&booking, s));
    // The loader says when the client closes the popup or panel the widget is in (a
    // `homeslot-close` on this element): the funnel's drop-off, with the step it happened on.
    let closed = move |event: web_sys::Event| {
        let node = event.target().map(JsValue::from).unwrap_or_default();
        send(&watched_close, &node, &|context| flow.with_untracked(|f| analytics::closed(context, f)));
    };
    Ok(leptos::html::div()
        .class("hs-tracker")
        .node_ref(node)
        .on(leptos::ev::Custom::new("homeslot-close"), closed)
        .child(promo)
        .into_any())
}

/// The step the widget's first screen showed. Only the services list is in the first screen's
/// code: every other step waits for this chunk, like the tracker, so a client can choose before
/// the tracker is here only on the services, and only when the page did not preselect a service
/// (the widget then opens past them). (Read here, from the element's attributes, rather than
/// kept by the first screen's code, whose every byte counts.)
fn first_step(booking: &Booking, node: &JsValue) -> Step {
    let preselected = host(node)
        .and_then(|host| call(&host, "getAttribute", &["service".into()]))
        .and_then(|id| id.as_string())
        .is_some_and(|id| booking.catalog.services.iter().chain(&booking.catalog.classes).any(|s| s.id == id));
    if preselected {
        booking.flow.with_untracked(Flow::step)
    } else {
        Step::Service
    }
}

/// The promo screen a step is.
fn screen(step: Step) -> Option<PromoScreen> {
    match step {
        Step::Service => Some(PromoScreen::Services),
        Step::Specialist => Some(PromoScreen::Specialists),
        Step::Time => Some(PromoScreen::Times),
        Step::Details => None,
        Step::Done => Some(PromoScreen::Success),
    }
}

/// Sends the events `events` makes to every channel the element allows. `node` is any node in
/// the widget: the element (and with it, the owner's settings) is the host of its shadow root.
///
/// Not generic on purpose: one copy of the emitter for every caller.
pub(super) fn send(booking: &Booking, node: &JsValue, events: &dyn Fn(&Context) -> Vec<Event>) {
    // The owner's test bookings are no client's: no tracker hears of them.
    if booking.catalog.company.test_bookings {
        return;
    }
    let Some(host) = host(node) else { return };
    let setting =
        |name: &str| call(&host, "getAttribute", &[name.into()]).and_then(|v| v.as_string()).unwrap_or_default();
    let off = setting("analytics-off");
    let on = |channel: &str| !off.split_whitespace().any(|c| c.eq_ignore_ascii_case(channel));
    let window = js_sys::global();
    let (analytics_storage, ad_storage) = consent(&window);
    let (analytics_ok, ads_ok) = match setting("analytics-consent").as_str() {
        "granted" => (true, true),
        "required" => (analytics_storage == Some(true), ad_storage == Some(true)),
        _ => (true, ad_storage != Some(false)),
    };
    if !analytics_ok && !ads_ok {
        return;
    }
    let context = Context { catalog: &booking.catalog, location: &booking.location };
    let (callback, parent) = (setting("analytics-callback"), setting("parent-origin"));
    for event in events(&context) {
        let params = params(&event);
        let name = JsValue::from_str(event.name);
        if event.kind != Kind::Meta && analytics_ok {
            if on("callback") && !callback.is_empty() {
                call(&window, &callback, &[name.clone(), params.clone()]);
            }
            if on("event") {
                dispatch(&host, &name, &params);
            }
            if on("message") {
                post(&window, &parent, &name, &params, event.kind == Kind::Ga4);
            }
            if on("datalayer") {
                data_layer(&window, &event, &name, &params);
            }
            if on("gtag") {
                call(&window, "gtag", &["event".into(), name.clone(), params.clone()]);
            }
        }
        if event.kind != Kind::Ga4 && ads_ok && on("fbq") {
            // Meta's standard events are `track`ed with the booking's id for deduplication; the
            // widget's own are custom events, with their parameters.
            let (command, options) = match event.kind {
                Kind::Meta => ("track", object(&[("eventID", field(&params, "event_id"))])),
                _ => ("trackCustom", JsValue::UNDEFINED),
            };
            call(&window, "fbq", &[command.into(), name.clone(), params.clone(), options]);
        }
    }
}

/// The `<homeslot-widget>` element `node` (any node in the widget) belongs to: its shadow root's
/// host, which holds the page's settings.
fn host(node: &JsValue) -> Option<JsValue> {
    call(node, "getRootNode", &[]).map(|root| field(&root, "host")).filter(JsValue::is_object)
}

/// Google Consent Mode's latest `analytics_storage` and `ad_storage`, from the page's
/// `dataLayer` (`gtag('consent', 'default' | 'update', {...})`): `Some(true)` granted,
/// `Some(false)` denied, `None` never said.
fn consent(window: &JsValue) -> (Option<bool>, Option<bool>) {
    let (mut analytics, mut ads) = (None, None);
    let layer = field(window, "dataLayer");
    if !Array::is_array(&layer) {
        return (None, None);
    }
    for entry in Array::from(&layer).iter() {
        if field(&entry, "0").as_string().as_deref() != Some("consent") {
            continue;
        }
        let state = field(&entry, "2");
        let granted = |key: &str| field(&state, key).as_string().map(|v| v == "granted");
        analytics = granted("analytics_storage").or(analytics);
        ads = granted("ad_storage").or(ads);
    }
    (analytics, ads)
}

/// The event's parameters as a plain object (money as numbers, `items` as GA4's item objects).
fn params(event: &Event) -> JsValue {
    let params = Object::new();
    for (key, value) in &event.params {
        let value = match value {
            Value::Text(text) => JsValue::from_str(text),
            Value::Number(number) => JsValue::from_f64(*number),
            Value::Items(items) => items
                .iter()
                .map(|item| {
                    object(&[
                        ("item_id", item.id.as_str().into()),
                        ("item_name", item.name.as_str().into()),
                        ("price", item.price.into()),
                        ("quantity", 1.into()),
                        ("affiliation", item.location.as_str().into()),
                    ])
                })
                .collect::<Array>()
                .into(),
        };
        let _ = Reflect::set(&params, &JsValue::from_str(key), &value);
    }
    params.into()
}

/// Tag Manager's `dataLayer`: the widget's events as `{event, ...params}`, GA4's ecommerce
/// events as `{event, ecommerce}` after clearing the previous `ecommerce` (Google's advice).
fn data_layer(window: &JsValue, event: &Event, name: &JsValue, params: &JsValue) {
    let mut layer = field(window, "dataLayer");
    if !Array::is_array(&layer) {
        layer = Array::new().into();
        let _ = Reflect::set(window, &"dataLayer".into(), &layer);
    }
    // The page's own array (Tag Manager replaces its `push`), not a copy (`Array::from`).
    let layer: Array = layer.unchecked_into();
    if event.kind == Kind::Ga4 {
        layer.push(&object(&[("ecommerce", JsValue::NULL)]));
        layer.push(&object(&[("event", name.clone()), ("ecommerce", params.clone())]));
    } else {
        let pushed = Object::assign(&Object::new(), &Object::from(params.clone()));
        let _ = Reflect::set(&pushed, &"event".into(), name);
        layer.push(&pushed);
    }
}

/// A `homeslot-event` on the `<homeslot-widget>` element, bubbling to the page. Made with
/// `createEvent` (every browser has it) rather than `new CustomEvent`, which would cost the first
/// screen's glue one more import.
fn dispatch(host: &JsValue, name: &JsValue, params: &JsValue) {
    let document = field(&js_sys::global(), "document");
    let Some(event) = call(&document, "createEvent", &["CustomEvent".into()]) else {
        return;
    };
    let detail = object(&[("name", name.clone()), ("params", params.clone())]);
    call(&event, "initCustomEvent", &["homeslot-event".into(), true.into(), false.into(), detail]);
    call(host, "dispatchEvent", &[event]);
}

/// To the parent window, when framed, at the exact origin the element names (never `*`).
fn post(window: &JsValue, origin: &str, name: &JsValue, params: &JsValue, ga4: bool) {
    let parent = field(window, "parent");
    if origin.is_empty() || origin == "*" || parent.is_undefined() || parent == *window {
        return;
    }
    // `ga4` tells the loader's relay how Tag Manager takes it (see `data_layer`).
    let message = object(&[
        ("source", "homeslot".into()),
        ("name", name.clone()),
        ("params", params.clone()),
        ("ga4", ga4.into()),
    ]);
    call(&parent, "postMessage", &[message, origin.into()]);
}

fn object(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

fn field(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `target[method](...args)` if it is a function; a function that throws (a page's broken
/// tracker) is the page's problem, not the booking's.
fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let function = field(target, method).dyn_into::<Function>().ok()?;
    Reflect::apply(&function, target, &args.iter().collect::<Array>()).ok()
}
