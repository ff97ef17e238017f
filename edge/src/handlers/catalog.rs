//! `GET /v1/companies/{company}`: the public catalog the widget starts from.

use worker::{Env, Request, Response};

use homeslot_core::availability::{local_date, parse_date, zone};
use homeslot_core::catalog::{Company, Service};
use homeslot_core::pricing::{self, Occasion};
use homeslot_core::settings::StepOrder;
use homeslot_core::wire::{
    AppliedDiscount, CatalogResponse, CompanyView, FirstSlots, LocationView, Money, Offer, PublicCatalog, ServiceView,
    SpecialistView, STRIP_DAYS,
};

use crate::checkout::pricing::{channel, occasion};
use crate::error::AppResult;
use crate::handlers::{bookable_service, slots, Query};
use crate::{clock, http, store};

/// The catalog with the prices of the request's channel (the app's with one of its app keys).
pub async fn get(req: &Request, env: &Env, company: &Company) -> AppResult<Response> {
    let channel = channel(req, env, company).await?;
    // Discounts are valid by date: the first location's (a chain's locations share a date but
    // for hours around midnight; a booking is priced by its own location's date again).
    let today = match company.locations.first() {
        Some(location) => Some(occasion(location, channel, false)?),
        None => None,
    };
    let now = clock::now();
    let mut catalog = view(company, now, today.as_ref());
    catalog.first_slots = first_slots(req, env, company, now).await;
    let mut response = http::json(&catalog, 200)?;
    response.headers_mut().set("vary", "Homeslot-App-Key")?;
    Ok(response)
}

/// The free times the page's first screen will show, when the page opens on the times: the
/// widget's loader sends the page's preselection (`location`, `service`, `specialist`, `date`,
/// `step-order`), and the first screen is the times when a service is chosen with a specialist
/// (or "any"), or with the date first. Asked as the widget would ask: the page's date if it is
/// a valid one from today, else today; the specialist, unless "any" or the date comes first.
///
/// These are hints, read as leniently as the widget reads the page's attributes: an unknown or
/// malformed one (a service the owner removed) means no `first_slots`, never an error, and the
/// widget then asks for the times itself. So does a failure to read them.
async fn first_slots(req: &Request, env: &Env, company: &Company, now: i64) -> Option<FirstSlots> {
    let query = Query::of(req).ok()?;
    let hint = |key: &str| query.get(key).filter(|value| !value.is_empty());
    let service_id = hint("service")?;
    let location = match hint("location") {
        Some(id) => company.location(&id)?,
        None => match company.locations.as_slice() {
            [only] => only,
            _ => return None, // a chain opens on its locations
        },
    };
    let order = match hint("step-order") {
        Some(order) => serde_json::from_value(serde_json::Value::String(order)).ok()?,
        None => company.widget.step_order,
    };
    let specialist = match (order, hint("specialist")) {
        (StepOrder::DateFirst, _) => None,
        (_, Some(id)) if id == "any" => None,
        (_, Some(id)) => Some(id),
        (_, None) => return None, // the first screen is the specialists
    };
    let service = bookable_service(company, location, &service_id, "service").ok()?;
    let schedule = slots::schedule_of(company, location, service, specialist.as_deref()).ok()?;
    let today = local_date(&zone(&location.time_zone, "time_zone").ok()?, now);
    let date = hint("date").and_then(|d| parse_date(&d, "date").ok()).filter(|d| *d >= today).unwrap_or(today);
    let answer =
        store::location::slots(env, &company.id, &location.id, &schedule, date, STRIP_DAYS, true).await.ok()?;
    Some(FirstSlots {
        date: date.to_string(),
        specialist_id: specialist,
        answer: slots::response(location, service, answer),
    })
}

/// What `service` costs on `occasion` if a discount applies.
fn offer(company: &Company, service: &Service, occasion: &Occasion) -> Option<Offer> {
    let priced = pricing::price(service, service.price_minor, &company.discounts, occasion);
    let rule = priced.rule?;
    Some(Offer {
        price: Money::of(priced.final_minor, &company.currency),
        discount: AppliedDiscount { id: rule.id.clone(), name: rule.name.clone() },
    })
}

/// The public view: no working hours, no internal fields, only what a client needs to choose;
/// with `today`'s occasion, each service's offers (the owner's rules are not shown as such).
fn view(company: &Company, now: i64, today: Option<&Occasion>) -> PublicCatalog {
    let service_view = |s: &Service| {
        let every = today.and_then(|o| offer(company, s, o));
        let first = today.and_then(|o| offer(company, s, &Occasion { first_booking: true, ..*o }));
        let cheapest = every.as_ref().map_or(s.price_minor, |o| o.price.amount_minor);
        ServiceView {
            id: s.id.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            category_id: s.category_id.clone(),
            duration_minutes: s.duration_minutes,
            price: Money::of(s.price_minor, &company.currency),
            specialist_ids: s.specialist_ids.clone(),
            first_booking_offer: first.filter(|o| o.price.amount_minor < cheapest),
            members_only: s.members_only,
            offer: every,
        }
    };
    let catalog = CatalogResponse {
        company: CompanyView {
            id: company.id.clone(),
            name: company.name.clone(),
            currency: company.currency.clone(),
            logo_url: company.logo_url.clone(),
            test_bookings: company.test_bookings,
        },
        locations: company
            .locations
            .iter()
            .map(|l| LocationView {
                id: l.id.clone(),
                name: l.name.clone(),
                address: l.address.clone(),
                city: l.city.clone(),
                phone: l.phone.clone(),
                email: l.email.clone(),
                time_zone: l.time_zone.clone(),
                today: zone(&l.time_zone, "time_zone").map(|z| local_date(&z, now).to_string()).unwrap_or_default(),
                horizon_days: l.policy.horizon_days,
            })
            .collect(),
        services: company.services.iter().filter(|s| s.class.is_none()).map(service_view).collect(),
        classes: company.services.iter().filter(|s| s.class.is_some()).map(service_view).collect(),
        specialists: company
            .specialists
            .iter()
            .map(|s| SpecialistView {
                id: s.id.clone(),
                name: s.name.clone(),
                position: s.position.clone(),
                photo_url: s.photo_url.clone(),
                location_id: s.location_id.clone(),
            })
            .collect(),
    };
    // Promos running today; ended and future ones stay private to the owner.
    let promos =
        today.map_or_else(Vec::new, |o| company.promos.iter().filter(|p| p.runs_on(o.today)).cloned().collect());
    PublicCatalog {
        catalog,
        categories: company.categories.clone(),
        widget: company.widget.clone(),
        promos,
        first_slots: None,
    }
}
