//! Editing a company's catalog, under `/v1/admin/companies/{company}` (platform or company admin
//! token, or a signed-in member whose role allows it; see [`super::admin::caller`]):
//!
//! - `PUT` the whole catalog (a company token exists only for an existing company, so only the
//!   platform token creates one), `GET` it back in
//!   the same shape, `PATCH` company-wide fields (name, currency, logo, site origins, categories,
//!   widget settings);
//! - `PUT` or `DELETE` one location, service, specialist or category at
//!   `…/{locations|services|specialists|categories}/{id}`.
//!
//! Every change is validated as a whole catalog and applied inside the company object, one at a
//! time (see `homeslot_core::catalog::edit`).

use serde::de::DeserializeOwned;
use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::availability::validate_zones;
use homeslot_core::catalog::edit::{CompanyPatch, Edit, Item, Kind, Outcome};
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};

use homeslot_core::audit::AuditAction;

use crate::console::session::Caller;
use crate::error::AppResult;
use crate::handlers::admin::{authorise, caller};
use crate::store::audit::{self, Record};
use crate::{http, store};

/// `PUT /v1/admin/companies/{company}`: create (platform) or replace the whole catalog.
pub async fn put_company(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::EditCompany, None).await?;
    let company: Company = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
    if company.id != company_id {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "id", "The id in the body must match the URL.").into());
    }
    company.validate()?;
    validate_zones(&company)?;
    let saved = store::company::save(env, &company).await?;
    audit::record(env, company_id, Record::new(&caller, AuditAction::CatalogReplaced, company_id)).await;
    answer(&company.id, None, saved.outcome)
}

/// `GET /v1/admin/companies/{company}`: the whole catalog, as `PUT` takes it.
pub async fn get_company(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::ReadCatalog, None).await?;
    let company = store::company::load(env, company_id).await?;
    Ok(http::json(&*company, 200)?)
}

/// `PATCH /v1/admin/companies/{company}`: changes the company-wide fields it names.
pub async fn patch_company(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::EditCompany, None).await?;
    let patch: CompanyPatch = http::read_json(&mut req, http::MAX_CATALOG_BODY).await?;
    // The fields it named, for the record.
    let fields = serde_json::to_value(&patch)
        .ok()
        .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>().join(", ")))
        .unwrap_or_default();
    let (company, outcome) = store::company::edit(env, company_id, &Edit::Patch { patch }).await?;
    audit::record(env, company_id, Record::new(&caller, AuditAction::SettingsChanged, company_id).detail(fields)).await;
    answer(&company.id, None, outcome)
}

/// `PUT /v1/admin/companies/{company}/{kind}/{id}`: creates or replaces one item.
pub async fn put_item(mut req: Request, env: &Env, company_id: &str, kind: Kind, id: &str) -> AppResult<Response> {
    let caller = caller(&req, env, company_id).await?;
    let item = match kind {
        Kind::Locations => Item::Locations(read(&mut req).await?),
        Kind::Services => Item::Services(read(&mut req).await?),
        Kind::Specialists => Item::Specialists(read(&mut req).await?),
        Kind::Categories => Item::Categories(read(&mut req).await?),
    };
    let body_id = match &item {
        Item::Locations(l) => &l.id,
        Item::Services(s) => &s.id,
        Item::Specialists(s) => &s.id,
        Item::Categories(c) => &c.id,
    };
    if body_id != id {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "id", "The id in the body must match the URL.").into());
    }
    // A specialist moved to another location is a change at both.
    if let Item::Specialists(specialist) = &item {
        caller.require(Action::EditLocation, Some(&specialist.location_id))?;
    }
    require_for_item(&caller, env, company_id, kind, id).await?;
    let (_, outcome) = store::company::edit(env, company_id, &Edit::Put { item }).await?;
    audit::record(env, company_id, Record::new(&caller, AuditAction::ItemSaved, format!("{}/{id}", kind.as_str())))
        .await;
    answer(id, Some(kind), outcome)
}

/// `DELETE /v1/admin/companies/{company}/{kind}/{id}`.
pub async fn delete_item(req: &Request, env: &Env, company_id: &str, kind: Kind, id: &str) -> AppResult<Response> {
    let caller = caller(req, env, company_id).await?;
    require_for_item(&caller, env, company_id, kind, id).await?;
    let (_, outcome) = store::company::edit(env, company_id, &Edit::Delete { kind, id: id.to_owned() }).await?;
    audit::record(env, company_id, Record::new(&caller, AuditAction::ItemDeleted, format!("{}/{id}", kind.as_str())))
        .await;
    answer(id, Some(kind), outcome)
}

/// What changing the item `id` of `kind` asks of the caller's role: services and categories are
/// the chain's (`edit_services`); a location, or a specialist where they work now, is that
/// location's (`edit_location`).
async fn require_for_item(caller: &Caller, env: &Env, company_id: &str, kind: Kind, id: &str) -> AppResult<()> {
    match kind {
        Kind::Services | Kind::Categories => caller.require(Action::EditServices, None)?,
        Kind::Locations => caller.require(Action::EditLocation, Some(id))?,
        Kind::Specialists => {
            caller.require(Action::EditLocation, None)?;
            if matches!(caller, Caller::Person { .. }) {
                let company = store::company::load(env, company_id).await?;
                if let Some(now) = company.specialists.iter().find(|s| s.id == id) {
                    caller.require(Action::EditLocation, Some(&now.location_id))?;
                }
            }
        }
    }
    Ok(())
}

async fn read<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    http::read_json(req, http::MAX_CATALOG_BODY).await
}

/// `{"id", "kind", "status": "created" | "replaced" | "updated" | "deleted"}`; 201 when created.
fn answer(id: &str, kind: Option<Kind>, outcome: Outcome) -> AppResult<Response> {
    let status = if outcome == Outcome::Created { 201 } else { 200 };
    Ok(http::json(&serde_json::json!({ "id": id, "kind": kind, "status": outcome }), status)?)
}
