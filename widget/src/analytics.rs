//! The analytics events of a booking, as plain data: which events a change of the flow (or a
//! click) means, with their parameters. Delivering them to the page's trackers is
//! `components/tracker.rs`; this module holds no browser types, so it is tested natively.
//!
//! Three kinds of event (docs/analytics.md lists every one):
//!
//! - the **widget's own**, named as the reference product names them (`service_selected`,
//!   `booked`, …), so a business that migrates keeps its goals;
//! - **GA4 recommended** ecommerce events alongside them (`view_item_list`, `select_item`,
//!   `view_promotion`, `select_promotion`, `begin_checkout`, `purchase`), with `items`, `value`
//!   and `currency`;
//! - **Meta standard** events (`Schedule`, `Purchase`) on a confirmed booking.
//!
//! Parameters carry ids and names of the company, location, service and specialist, prices, and
//! the booking's id: never the client's name, phone or e-mail, which no function here is given.

use homeslot_core::promo::{Promo, PromoScreen};
use homeslot_core::wire::{BookingConfirmation, CatalogResponse, LocationView, Money, ServiceView};

use crate::flow::{Flow, Step};

/// Which trackers an event is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The widget's own event: every channel (Meta as a custom event).
    Widget,
    /// A GA4 recommended event: the owner's callback, the element's event, Tag Manager and gtag.
    Ga4,
    /// A Meta standard event: the Pixel only (`fbq('track', …)`).
    Meta,
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// Money in the currency's units (`25.5`), as GA4 and Meta want it.
    Number(f64),
    /// GA4's `items`.
    Items(Vec<Item>),
}

/// A service as a GA4 item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub name: String,
    /// In the currency's units.
    pub price: f64,
    /// The location it is booked at (GA4's `affiliation`).
    pub location: String,
}

/// One event for the trackers.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: Kind,
    pub name: &'static str,
    pub params: Vec<(&'static str, Value)>,
}

impl Event {
    /// The text of parameter `key`, if it has one (tests, and the tracker's checks).
    pub fn text(&self, key: &str) -> Option<&str> {
        self.params.iter().find_map(|(k, v)| match v {
            Value::Text(text) if *k == key => Some(text.as_str()),
            _ => None,
        })
    }
}

/// What every event is about: the business and the location the client books at.
pub struct Context<'a> {
    pub catalog: &'a CatalogResponse,
    pub location: &'a LocationView,
}

fn text(value: &str) -> Value {
    Value::Text(value.to_string())
}

/// An amount in the currency's major units (¥5,000 is 5000, €50.00 is 50, 5.000 KD is 5): what
/// GA4's and Meta's `value` mean. The edge's minor units and the currency's exponent say it.
fn units(money: &Money) -> Value {
    Value::Number(money.major())
}

impl Context<'_> {
    fn service(&self, id: &str) -> Option<&ServiceView> {
        self.catalog.services.iter().chain(&self.catalog.classes).find(|s| s.id == id)
    }

    fn specialist_name(&self, id: &str) -> String {
        self.catalog.specialists.iter().find(|p| p.id == id).map(|p| p.name.clone()).unwrap_or_default()
    }

    /// The widget's own event with the company's and the location's ids and names. `companyId`
    /// and `companyName` are the reference product's names: its "company" is one location.
    fn widget(&self, name: &'static str, mut params: Vec<(&'static str, Value)>) -> Event {
        let mut all = vec![
            ("company_id", text(&self.catalog.company.id)),
            ("company_name", text(&self.catalog.company.name)),
            ("location_id", text(&self.location.id)),
            ("location_name", text(&self.location.name)),
            ("companyId", text(&self.location.id)),
            ("companyName", text(&self.location.name)),
        ];
        all.append(&mut params);
        Event { kind: Kind::Widget, name, params: all }
    }

    /// A service as GA4 sees it: what this channel's client pays today (the edge's offer).
    fn item(&self, service: &ServiceView) -> Item {
        let price = service.offer.as_ref().map_or(&service.price, |o| &o.price);
        Item {
            id: service.id.clone(),
            name: service.name.clone(),
            price: price.major(),
            location: self.location.name.clone(),
        }
    }

    fn ga4(&self, name: &'static str, items: Vec<Item>) -> Event {
        let value = items.iter().map(|i| i.price).sum::<f64>();
        let params = vec![
            ("currency", text(&self.catalog.company.currency)),
            ("value", Value::Number(value)),
            ("items", Value::Items(items)),
        ];
        Event { kind: Kind::Ga4, name, params }
    }

    fn services(&self, flow: &Flow) -> Vec<&ServiceView> {
        flow.service_ids().iter().filter_map(|id| self.service(id)).collect()
    }

    /// The chosen services' ids and names (several, for a visit: joined by `,` and ` + `).
    fn service_params(&self, flow: &Flow) -> Vec<(&'static str, Value)> {
        let services = self.services(flow);
        let ids: Vec<&str> = services.iter().map(|s| s.id.as_str()).collect();
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        vec![("service_id", text(&ids.join(","))), ("service_name", text(&names.join(" + ")))]
    }
}

/// The events of a widget showing its first screen: loaded, the location's page open, and what
/// the first screen shows.
pub fn opened(context: &Context, flow: &Flow) -> Vec<Event> {
    let mut events = vec![context.widget("widget_loaded", vec![]), context.widget("company_page_open", vec![])];
    events.extend(screen(context, flow, flow.step()));
    events
}

/// The events of the client's choices between two states of the flow, in the order they
/// happened: what was chosen, then the screen it led to.
pub fn between(context: &Context, before: &Flow, after: &Flow) -> Vec<Event> {
    let mut events = Vec::new();
    if after.confirmation.is_some() {
        if before.confirmation.is_none() {
            events.extend(booked(context, after));
        }
        return events;
    }
    // A new booking after one (or a promo's button on the success screen): its choices are new
    // even if they repeat the last booking's.
    let fresh = Flow { order: after.order, ..Flow::default() };
    let before = if before.confirmation.is_some() { &fresh } else { before };
    if after.service_id.is_some() && after.service_ids() != before.service_ids() {
        let mut params = context.service_params(after);
        let name = if after.class { "group_activity_selected" } else { "service_selected" };
        let prices: Vec<&Money> =
            context.services(after).iter().map(|s| s.offer.as_ref().map_or(&s.price, |o| &o.price)).collect();
        if let Some(first) = prices.first() {
            let sum = Money { amount_minor: prices.iter().map(|p| p.amount_minor).sum(), ..(*first).clone() };
            params.push(("price", units(&sum)));
        }
        params.push(("currency", text(&context.catalog.company.currency)));
        events.push(context.widget(name, params));
        let items = context.services(after).into_iter().map(|s| context.item(s)).collect();
        events.push(context.ga4("select_item", items));
    }
    // A class's instructor is fixed: nobody was chosen.
    let specialist = after.specialist.as_ref().filter(|s| !after.class && before.specialist.as_ref() != Some(*s));
    if let Some(chosen) = specialist {
        let (id, name) = match chosen {
            Some(id) => (id.clone(), context.specialist_name(id)),
            None => ("any".to_string(), String::new()),
        };
        events.push(context.widget(
            "master_selected",
            vec![
                ("specialist_id", text(&id)),
                ("specialist_name", text(&name)),
                ("masterId", text(&id)),
                ("master", text(&name)),
            ],
        ));
    }
    if let Some(slot) = after.slot.as_ref().filter(|s| before.slot.as_ref().map(|b| &b.start) != Some(&s.start)) {
        let mut params = context.service_params(after);
        params.push(("date", text(after.date.as_deref().unwrap_or_default())));
        params.push(("time", text(&slot.local_time)));
        events.push(context.widget("time_selected", params));
    }
    let step = after.step();
    if step != before.step() {
        events.extend(screen(context, after, step));
    }
    events
}

/// What opening `step` means to the trackers.
fn screen(context: &Context, flow: &Flow, step: Step) -> Vec<Event> {
    match step {
        Step::Service => {
            let items =
                context.catalog.services.iter().chain(&context.catalog.classes).map(|s| context.item(s)).collect();
            vec![context.ga4("view_item_list", items)]
        }
        Step::Specialist => vec![context.widget("screen_open_staff", context.service_params(flow))],
        Step::Time => vec![context.widget("screen_open_date", context.service_params(flow))],
        Step::Details => {
            let items = context.services(flow).into_iter().map(|s| context.item(s)).collect();
            vec![context.ga4("begin_checkout", items)]
        }
        Step::Done => vec![],
    }
}

/// The client picked a date in the date strip (the first open date the widget shows is not a
/// choice).
pub fn date_selected(context: &Context, flow: &Flow, date: &str) -> Vec<Event> {
    let name = if flow.class { "group_events_date_clicked" } else { "date_selected" };
    let mut params = context.service_params(flow);
    params.push(("date", text(date)));
    vec![context.widget(name, params)]
}

/// The client sent their details (confirming): only that they did, never what they typed.
pub fn contacts_sent(context: &Context, flow: &Flow) -> Vec<Event> {
    let name = if flow.class { "group_personal_data_filled" } else { "send_contacts" };
    vec![context.widget(name, context.service_params(flow))]
}

/// A booking the edge confirmed: the widget's event, GA4's `purchase` with the price the edge
/// charged (after discounts), and Meta's `Schedule` and `Purchase`. A place on a waiting list is
/// no booking yet.
fn booked(context: &Context, flow: &Flow) -> Vec<Event> {
    let Some(done) = flow.confirmation.as_ref().filter(|_| flow.waitlisted.is_none()) else {
        return vec![context.widget("waitlist_joined", context.service_params(flow))];
    };
    let BookingConfirmation { booking_id, price, specialist_id, specialist_name, local_date, local_time, .. } = done;
    let value = units(price);
    let currency = text(&price.currency);
    let name = if flow.class { "group_record_created" } else { "booked" };
    let mut params = context.service_params(flow);
    params.extend([
        ("booking_id", text(booking_id)),
        ("event_id", text(booking_id)),
        ("specialist_id", text(specialist_id)),
        ("specialist_name", text(specialist_name)),
        ("date", text(local_date)),
        ("time", text(local_time)),
        ("value", value.clone()),
        ("currency", currency.clone()),
    ]);
    if let Some(discount) = &done.discount {
        params.push(("discount_id", text(&discount.id)));
        params.push(("discount_name", text(&discount.name)));
    }
    // GA4's items at the prices charged: the whole charge spread over the services in list-price
    // proportion would be a guess, so one item per service, the charge on the first.
    let services = context.services(flow);
    let mut items: Vec<Item> = services.iter().map(|s| Item { price: 0.0, ..context.item(s) }).collect();
    if let Some(first) = items.first_mut() {
        first.price = price.major();
    }
    let purchase = vec![
        ("transaction_id", text(booking_id)),
        ("value", value.clone()),
        ("currency", currency.clone()),
        ("items", Value::Items(items)),
    ];
    let meta = |name| Event {
        kind: Kind::Meta,
        name,
        params: vec![
            ("value", value.clone()),
            ("currency", currency.clone()),
            ("content_ids", text(&flow.service_ids().join(","))),
            ("event_id", text(booking_id)),
        ],
    };
    vec![
        context.widget(name, params),
        Event { kind: Kind::Ga4, name: "purchase", params: purchase },
        meta("Schedule"),
        meta("Purchase"),
    ]
}

/// A promo shown on a screen: GA4's `view_promotion`.
pub fn promo_shown(context: &Context, promo: &Promo) -> Vec<Event> {
    vec![promotion(context, "view_promotion", promo)]
}

/// A click on a promo's button: the reference product's `clicked_promo_link` and GA4's
/// `select_promotion`.
pub fn promo_clicked(context: &Context, promo: &Promo) -> Vec<Event> {
    let link = promo.button_link.clone().unwrap_or_default();
    let event = context.widget(
        "clicked_promo_link",
        vec![("promo_id", text(&promo.id)), ("promo_name", text(&promo.title)), ("link", text(&link))],
    );
    vec![event, promotion(context, "select_promotion", promo)]
}

fn promotion(context: &Context, name: &'static str, promo: &Promo) -> Event {
    let params = vec![
        ("promotion_id", text(&promo.id)),
        ("promotion_name", text(&promo.title)),
        ("creative_slot", text(screen_name(promo.screen))),
        ("location_id", text(&context.location.id)),
    ];
    Event { kind: Kind::Ga4, name, params }
}

/// A promo screen's name, as the catalog spells it.
fn screen_name(screen: PromoScreen) -> &'static str {
    match screen {
        PromoScreen::Services => "services",
        PromoScreen::Specialists => "specialists",
        PromoScreen::Times => "times",
        PromoScreen::Success => "success",
    }
}

/// A click on "add to Google Calendar" on the success screen.
pub fn calendar_clicked(context: &Context, flow: &Flow) -> Vec<Event> {
    let booking = flow.confirmation.as_ref().map(|c| c.booking_id.clone()).unwrap_or_default();
    vec![context.widget("google_calendar_button_clicked", vec![("booking_id", text(&booking))])]
}

/// The client closed the popup or panel the widget was in (the loader says so), with the step
/// they left on: a funnel's drop-off point.
pub fn closed(context: &Context, flow: &Flow) -> Vec<Event> {
    let step = match flow.step() {
        Step::Service => "service",
        Step::Specialist => "specialist",
        Step::Time => "time",
        Step::Details => "details",
        Step::Done => "done",
    };
    vec![context.widget("widget_closed", vec![("step", text(step))])]
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeslot_core::wire::{AppliedDiscount, CompanyView, Money, Offer, SlotView, SpecialistView};

    fn money(amount_minor: i64) -> Money {
        Money::of(amount_minor, "GBP")
    }

    fn catalog() -> CatalogResponse {
        let service = |id: &str, name: &str, price: i64| ServiceView {
            id: id.into(),
            name: name.into(),
            duration_minutes: 30,
            price: money(price),
            description: String::new(),
            category_id: None,
            specialist_ids: vec!["marco".into()],
            offer: None,
            first_booking_offer: None,
            members_only: false,
        };
        let mut cut = service("cut", "Men's cut", 2500);
        cut.offer = Some(Offer {
            price: money(2250),
            discount: AppliedDiscount { id: "web10".into(), name: "Online −10%".into() },
        });
        CatalogResponse {
            company: CompanyView {
                id: "demo".into(),
                name: "Demo Salon".into(),
                currency: "GBP".into(),
                logo_url: None,
                test_bookings: false,
            },
            locations: Vec::new(),
            services: vec![cut, service("beard", "Beard trim", 1500)],
            classes: vec![service("yoga", "Yoga", 1000)],
            specialists: vec![SpecialistView { id: "marco".into(), name: "Marco".into(), ..Default::default() }],
        }
    }

    fn location() -> LocationView {
        LocationView { id: "soho".into(), name: "Soho".into(), today: "2026-11-23".into(), ..Default::default() }
    }

    fn names(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(|e| e.name).collect()
    }

    fn confirmation(price: i64) -> BookingConfirmation {
        BookingConfirmation {
            booking_id: "bk_1".into(),
            location_id: "soho".into(),
            service_id: "cut".into(),
            service_name: "Men's cut".into(),
            specialist_id: "marco".into(),
            specialist_name: "Marco".into(),
            start: "2026-11-25T10:00:00Z".into(),
            end: "2026-11-25T10:30:00Z".into(),
            local_date: "2026-11-25".into(),
            local_time: "10:00".into(),
            time_zone: "Europe/London".into(),
            price: money(price),
            original_price: Some(money(2500)),
            discount: Some(AppliedDiscount { id: "web10".into(), name: "Online −10%".into() }),
            membership: None,
            manage_token: None,
        }
    }

    /// Walks a whole booking as the widget's steps change the flow, collecting the events.
    #[test]
    fn a_whole_booking_is_one_ordered_list_of_events() {
        let (catalog, location) = (catalog(), location());
        let context = Context { catalog: &catalog, location: &location };
        let mut flow = Flow::default();
        let mut events = opened(&context, &flow);
        let mut step = |events: &mut Vec<Event>, change: &dyn Fn(&mut Flow)| {
            let before = flow.clone();
            change(&mut flow);
            events.extend(between(&context, &before, &flow));
        };
        step(&mut events, &|f| f.choose_service("cut", "2026-11-23"));
        step(&mut events, &|f| f.choose_specialist(Some("marco")));
        step(&mut events, &|f| f.choose_date("2026-11-25"));
        step(&mut events, &|f| {
            f.choose_slot(SlotView {
                start: "2026-11-25T10:00:00Z".into(),
                local_time: "10:00".into(),
                specialist_ids: vec![],
            })
        });
        step(&mut events, &|f| f.held("h1", "2026-11-25T09:50:00Z"));
        step(&mut events, &|f| f.confirmed(confirmation(2250)));
        // Booking the same service again from the success screen (a promo's button) is chosen anew.
        let done = flow.clone();
        flow.restart();
        flow.choose_service("cut", "2026-11-23");
        assert_eq!(names(&between(&context, &done, &flow))[..2], ["service_selected", "select_item"]);
        assert_eq!(
            names(&events),
            [
                "widget_loaded",
                "company_page_open",
                "view_item_list",
                "service_selected",
                "select_item",
                "screen_open_staff",
                "master_selected",
                "screen_open_date",
                "time_selected",
                "begin_checkout",
                "booked",
                "purchase",
                "Schedule",
                "Purchase",
            ]
        );
        let kinds: Vec<Kind> = events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds[2], Kind::Ga4);
        assert_eq!(kinds[12..], [Kind::Meta, Kind::Meta]);
        let booked = events.iter().find(|e| e.name == "booked").unwrap();
        assert_eq!(booked.text("service_name"), Some("Men's cut"));
        assert_eq!(booked.text("specialist_name"), Some("Marco"));
        assert_eq!(booked.text("companyId"), Some("soho"));
        // The purchase is what the edge charged, after the discount.
        let purchase = events.iter().find(|e| e.name == "purchase").unwrap();
        assert!(purchase.params.contains(&("value", Value::Number(22.5))));
        assert_eq!(purchase.text("transaction_id"), Some("bk_1"));
        let master = events.iter().find(|e| e.name == "master_selected").unwrap();
        assert_eq!((master.text("masterId"), master.text("master")), (Some("marco"), Some("Marco")));
        // The list shows what a client pays today through this channel.
        let list = events.iter().find(|e| e.name == "view_item_list").unwrap();
        let Some((_, Value::Items(items))) = list.params.iter().find(|(k, _)| *k == "items") else { panic!("items") };
        assert_eq!((items[0].price, items[1].price, items.len()), (22.5, 15.0, 3));
    }

    #[test]
    fn values_are_in_each_currencys_own_units() {
        for (currency, minor, value) in [
            ("JPY", 5000, 5000.0),
            ("KRW", 45000, 45000.0),
            ("CLP", 12990, 12990.0),
            ("EUR", 5000, 50.0),
            ("KWD", 5250, 5.25),
        ] {
            let mut catalog = catalog();
            catalog.company.currency = currency.into();
            catalog.services[0].offer = None;
            catalog.services[0].price = Money::of(minor, currency);
            let location = location();
            let context = Context { catalog: &catalog, location: &location };
            let mut flow = Flow::default();
            let before = flow.clone();
            flow.choose_service("cut", "2026-11-23");
            let chosen = between(&context, &before, &flow);
            let selected = chosen.iter().find(|e| e.name == "service_selected").unwrap();
            assert!(selected.params.contains(&("price", Value::Number(value))), "{currency}: {:?}", selected.params);
            let before = flow.clone();
            flow.choose_specialist(Some("marco"));
            flow.choose_date("2026-11-25");
            flow.choose_slot(SlotView {
                start: "2026-11-25T10:00:00Z".into(),
                local_time: "10:00".into(),
                specialist_ids: vec![],
            });
            let mut done = confirmation(minor);
            done.price = Money::of(minor, currency);
            done.original_price = None;
            done.discount = None;
            flow.confirmed(done);
            let events = between(&context, &before, &flow);
            for name in ["booked", "purchase", "Purchase"] {
                let event = events.iter().find(|e| e.name == name).unwrap();
                assert!(
                    event.params.contains(&("value", Value::Number(value))),
                    "{currency} {name}: {:?}",
                    event.params
                );
                assert_eq!(event.text("currency"), Some(currency));
            }
            let purchase = events.iter().find(|e| e.name == "purchase").unwrap();
            let Some((_, Value::Items(items))) = purchase.params.iter().find(|(k, _)| *k == "items") else { panic!() };
            assert_eq!(items[0].price, value, "{currency}: the item's price");
        }
    }

    #[test]
    fn no_event_carries_what_the_client_typed() {
        // The functions are never given the client's details; a booking's events carry its
        // ids, names of the business's things, prices and times only.
        let (catalog, location) = (catalog(), location());
        let context = Context { catalog: &catalog, location: &location };
        let mut flow = Flow { service_id: Some("cut".into()), ..Flow::default() };
        let before = flow.clone();
        flow.confirmed(confirmation(2250));
        let keys: Vec<&str> =
            between(&context, &before, &flow).iter().flat_map(|e| e.params.iter().map(|(k, _)| *k)).collect();
        assert!(keys.iter().all(|k| !["name", "phone", "email", "client", "comment"].contains(k)), "{keys:?}");
    }

    #[test]
    fn classes_have_the_group_names_and_a_waiting_list_is_no_purchase() {
        let (catalog, location) = (catalog(), location());
        let context = Context { catalog: &catalog, location: &location };
        let mut flow = Flow::default();
        let before = flow.clone();
        flow.choose_class("yoga", "2026-11-23");
        assert_eq!(
            names(&between(&context, &before, &flow)),
            ["group_activity_selected", "select_item", "screen_open_date"]
        );
        assert_eq!(names(&date_selected(&context, &flow, "2026-11-26")), ["group_events_date_clicked"]);
        assert_eq!(names(&contacts_sent(&context, &flow)), ["group_personal_data_filled"]);
        let before = flow.clone();
        flow.confirmed(confirmation(1000));
        assert_eq!(
            names(&between(&context, &before, &flow)),
            ["group_record_created", "purchase", "Schedule", "Purchase"]
        );
        let mut waiting = before.clone();
        waiting.waiting(confirmation(1000), 2);
        assert_eq!(names(&between(&context, &before, &waiting)), ["waitlist_joined"]);
    }

    #[test]
    fn a_visit_names_its_services_together_and_going_back_reopens_a_screen() {
        let (catalog, location) = (catalog(), location());
        let context = Context { catalog: &catalog, location: &location };
        let mut flow = Flow::default();
        let before = flow.clone();
        flow.choose_visit(&["cut".into(), "beard".into()], "2026-11-23");
        let events = between(&context, &before, &flow);
        let selected = &events[0];
        assert_eq!(
            (selected.text("service_id"), selected.text("service_name")),
            (Some("cut,beard"), Some("Men's cut + Beard trim"))
        );
        assert!(selected.params.contains(&("price", Value::Number(37.5))));
        let before = flow.clone();
        flow.choose_specialist(None);
        let any = between(&context, &before, &flow);
        assert_eq!(any[0].text("masterId"), Some("any"));
        let before = flow.clone();
        flow.back();
        assert_eq!(names(&between(&context, &before, &flow)), ["screen_open_staff"]);
    }

    #[test]
    fn closing_says_on_which_step() {
        let (catalog, location) = (catalog(), location());
        let context = Context { catalog: &catalog, location: &location };
        let mut flow = Flow::default();
        let closed_on = |flow: &Flow| closed(&context, flow)[0].text("step").map(str::to_string);
        assert_eq!(names(&closed(&context, &flow)), ["widget_closed"]);
        assert_eq!(closed_on(&flow).as_deref(), Some("service"));
        flow.choose_service("cut", "2026-11-23");
        flow.choose_specialist(None);
        assert_eq!(closed_on(&flow).as_deref(), Some("time"));
        assert_eq!(closed(&context, &flow)[0].text("companyId"), Some(location.id.as_str()));
    }
}
