//! `GET /v1/companies/{company}`: the public catalog the widget starts from.

use worker::Response;

use homeslot_core::availability::{local_date, zone};
use homeslot_core::catalog::{Company, Service};
use homeslot_core::wire::{
    CatalogResponse, CompanyView, LocationView, Money, PublicCatalog, ServiceView, SpecialistView,
};

use crate::error::AppResult;
use crate::{clock, http};

pub fn get(company: &Company) -> AppResult<Response> {
    Ok(http::json(&view(company, clock::now()), 200)?)
}

/// The public view: no working hours, no internal fields, only what a client needs to choose.
fn view(company: &Company, now: i64) -> PublicCatalog {
    let service_view = |s: &Service| ServiceView {
        id: s.id.clone(),
        name: s.name.clone(),
        description: s.description.clone(),
        category_id: s.category_id.clone(),
        duration_minutes: s.duration_minutes,
        price: Money { amount_minor: s.price_minor, currency: company.currency.clone() },
        specialist_ids: s.specialist_ids.clone(),
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
    PublicCatalog { catalog, categories: company.categories.clone(), widget: company.widget.clone() }
}
