//! `GET /v1/companies/{company}`: the public catalog the widget starts from.

use worker::{Env, Request, Response};

use homeslot_core::availability::{local_date, zone};
use homeslot_core::catalog::{Company, Service};
use homeslot_core::pricing::{self, Occasion};
use homeslot_core::wire::{
    AppliedDiscount, CatalogResponse, CompanyView, LocationView, Money, Offer, PublicCatalog, ServiceView,
    SpecialistView,
};

use crate::error::AppResult;
use crate::handlers::pricing::{channel, occasion};
use crate::{clock, http};

/// The catalog with the prices of the request's channel (the app's with one of its app keys).
pub async fn get(req: &Request, env: &Env, company: &Company) -> AppResult<Response> {
    let channel = channel(req, env, company).await?;
    // Discounts are valid by date: the first location's (a chain's locations share a date but
    // for hours around midnight; a booking is priced by its own location's date again).
    let today = match company.locations.first() {
        Some(location) => Some(occasion(location, channel, false)?),
        None => None,
    };
    let mut response = http::json(&view(company, clock::now(), today.as_ref()), 200)?;
    response.headers_mut().set("vary", "Homeslot-App-Key")?;
    Ok(response)
}

/// What `service` costs on `occasion` if a discount applies.
fn offer(company: &Company, service: &Service, occasion: &Occasion) -> Option<Offer> {
    let priced = pricing::price(service, service.price_minor, &company.discounts, occasion);
    let rule = priced.rule?;
    Some(Offer {
        price: Money { amount_minor: priced.final_minor, currency: company.currency.clone() },
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
            price: Money { amount_minor: s.price_minor, currency: company.currency.clone() },
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
    PublicCatalog { catalog, categories: company.categories.clone(), widget: company.widget.clone(), promos }
}
