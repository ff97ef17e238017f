//! The chain's memberships for its admins, under `/v1/admin/companies/{company}/memberships`:
//! list, read, create or replace one, adjust one, and import many from JSON or CSV (every row or
//! none, each problem named by its row).

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::audit::AuditAction;
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::{ImportPreview, Imported, Membership, PreviewRow, RowProblem, MAX_REASON_CHARS};
use homeslot_core::validation;

use crate::checkout::Faults;
use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::store::audit::{self, Record};
use crate::{http, store};

/// The most rows one import takes.
const MAX_IMPORT: usize = 5000;

/// `GET …/memberships`.
pub async fn list(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::ManageMemberships, None).await?;
    let memberships = store::memberships::list(env, company_id).await?;
    Ok(http::json(&serde_json::json!({ "memberships": memberships }), 200)?)
}

/// `GET …/memberships/{number}`.
pub async fn get(req: &Request, env: &Env, company_id: &str, number: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::ManageMemberships, None).await?;
    let found = store::memberships::get(env, company_id, number).await?.ok_or_else(not_found)?;
    Ok(http::json(&found, 200)?)
}

/// `PUT …/memberships/{number}`: creates (201) or replaces (200) one membership.
pub async fn put(mut req: Request, env: &Env, company_id: &str, number: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageMemberships, None).await?;
    let company = store::company::load(env, company_id).await?;
    let membership: Membership = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    if !membership.number.eq_ignore_ascii_case(number) {
        return Err(
            ApiError::field(ErrorCode::ValidationFailed, "number", "number must be the one in the address.").into()
        );
    }
    let membership = validated(&company, membership, "", &Faults::of(&req))?;
    let new = store::memberships::put(env, company_id, std::slice::from_ref(&membership)).await?;
    let subject = format!("membership {}", membership.number);
    audit::record(env, company_id, Record::new(&caller, AuditAction::MembershipSaved, subject)).await;
    Ok(http::json(&membership, if new.first() == Some(&true) { 201 } else { 200 })?)
}

/// `PATCH …/memberships/{number}`: changes the fields it names (a balance, the status, the
/// dates…); the number stays. An optional `reason` (why it was changed by hand) goes into the
/// audit trail with the fields changed.
pub async fn adjust(mut req: Request, env: &Env, company_id: &str, number: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageMemberships, None).await?;
    let company = store::company::load(env, company_id).await?;
    let mut patch: serde_json::Map<String, serde_json::Value> =
        http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let reason = match patch.remove("reason") {
        None => None,
        Some(serde_json::Value::String(reason))
            if !reason.trim().is_empty()
                && reason.chars().count() <= MAX_REASON_CHARS
                && !reason.chars().any(char::is_control) =>
        {
            Some(reason.trim().to_string())
        }
        Some(_) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "reason",
                "reason must be 1–200 characters, without control characters: the audit trail keeps it",
            )
            .into())
        }
    };
    let fields = patch.keys().cloned().collect::<Vec<_>>().join(", ");
    if patch.contains_key("number") {
        return Err(
            ApiError::field(ErrorCode::ValidationFailed, "number", "A membership's number cannot change.").into()
        );
    }
    let current = store::memberships::get(env, company_id, number).await?.ok_or_else(not_found)?;
    let mut document = serde_json::to_value(&current).map_err(|e| worker::Error::RustError(e.to_string()))?;
    if let Some(fields) = document.as_object_mut() {
        for (key, value) in patch {
            // `null` removes an optional field (a balance becomes unlimited, a date open).
            if value.is_null() {
                fields.remove(&key);
            } else {
                fields.insert(key, value);
            }
        }
    }
    let changed: Membership = serde_json::from_value(document).map_err(|e| {
        ApiError::new(ErrorCode::InvalidJson, format!("The request body is not valid for a membership: {e}"))
    })?;
    // A phone the change leaves as stored is kept as it is (one stored before the numbering
    // plans may not pass them; the rewrite of stored phones deals with it).
    let changed = if changed.phone == current.phone {
        let (services, categories) = scope(&company);
        changed.validated("", &services, &categories)?
    } else {
        validated(&company, changed, "", &Faults::of(&req))?
    };
    store::memberships::put(env, company_id, std::slice::from_ref(&changed)).await?;
    let detail = match reason {
        Some(reason) => format!("{fields}: {reason}"),
        None => fields,
    };
    let record = Record::new(&caller, AuditAction::MembershipAdjusted, format!("membership {}", changed.number));
    audit::record(env, company_id, record.detail(detail)).await;
    Ok(http::json(&changed, 200)?)
}

/// `POST …/memberships/import`: a JSON array of memberships, or CSV (`content-type: text/csv`)
/// with a header row of the same field names (`service_ids` and `category_ids` separated by
/// spaces). Imports every row or, if any row has a problem, none: `422 validation_failed` with
/// `rows`, each problem with its row. With `?preview=true` it checks the same way and writes
/// nothing: `200` with what each row would do.
pub async fn import(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageMemberships, None).await?;
    let preview = crate::handlers::Query::of(&req)?.flag("preview")?;
    let company = store::company::load(env, company_id).await?;
    let csv = req.headers().get("content-type").ok().flatten().is_some_and(|t| t.starts_with("text/csv"));
    let text = http::read_text(&mut req, http::MAX_CATALOG_BODY).await?;
    let rows: Vec<Result<Membership, ApiError>> = if csv {
        csv_rows(&text)?
    } else {
        let values: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
            ApiError::new(ErrorCode::InvalidJson, format!("The body must be a JSON array of memberships: {e}"))
        })?;
        values
            .into_iter()
            .map(|v| serde_json::from_value(v).map_err(|e| ApiError::new(ErrorCode::ValidationFailed, e.to_string())))
            .collect()
    };
    if rows.is_empty() {
        return Err(
            ApiError::new(ErrorCode::ValidationFailed, "The import has no memberships: nothing was imported.").into()
        );
    }
    if rows.len() > MAX_IMPORT {
        return Err(
            ApiError::new(ErrorCode::PayloadTooLarge, format!("Import at most {MAX_IMPORT} rows at once.")).into()
        );
    }
    let faults = Faults::of(&req);
    let mut valid = Vec::with_capacity(rows.len());
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, row) in rows.into_iter().enumerate() {
        let checked = row.and_then(|m| validated(&company, m, "", &faults)).and_then(|m| {
            if seen.insert(m.number.to_uppercase()) {
                Ok(m)
            } else {
                Err(ApiError::field(ErrorCode::ValidationFailed, "number", "number appears twice in this import"))
            }
        });
        match checked {
            Ok(m) => valid.push(m),
            Err(e) => problems.push(RowProblem { row: i + 1, field: e.field, message: e.message }),
        }
    }
    if !problems.is_empty() {
        let body = serde_json::json!({
            "error": {
                "code": "validation_failed",
                "message": format!("{} of the rows have problems; nothing was imported.", problems.len()),
            },
            "rows": problems,
        });
        return Ok(http::json(&body, 422)?);
    }
    if preview {
        let stored: std::collections::HashSet<String> =
            store::memberships::list(env, company_id).await?.into_iter().map(|m| m.number.to_uppercase()).collect();
        let rows: Vec<PreviewRow> = valid
            .into_iter()
            .enumerate()
            .map(|(i, m)| PreviewRow {
                row: i + 1,
                new: !stored.contains(&m.number.to_uppercase()),
                number: m.number,
                name: m.name,
                phone: m.phone,
            })
            .collect();
        let created = rows.iter().filter(|r| r.new).count();
        return Ok(http::json(&ImportPreview { preview: true, created, replaced: rows.len() - created, rows }, 200)?);
    }
    let new = store::memberships::put(env, company_id, &valid).await?;
    let created = new.iter().filter(|n| **n).count();
    let record = Record::new(&caller, AuditAction::MembershipsImported, format!("{} memberships", valid.len()))
        .detail(format!("{created} new, {} replaced", valid.len() - created));
    audit::record(env, company_id, record).await;
    Ok(http::json(&Imported { imported: valid.len(), created, replaced: valid.len() - created }, 200)?)
}

/// The memberships of a CSV body, one result per data row.
fn csv_rows(text: &str) -> Result<Vec<Result<Membership, ApiError>>, ApiError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::new(ErrorCode::ValidationFailed, format!("The CSV header row cannot be read: {e}")))?
        .clone();
    let lists = ["service_ids", "category_ids"];
    let numbers = ["visits_left", "balance_minor"];
    Ok(reader
        .records()
        .map(|record| {
            let record =
                record.map_err(|e| ApiError::new(ErrorCode::ValidationFailed, format!("unreadable row: {e}")))?;
            let mut fields = serde_json::Map::new();
            for (name, value) in headers.iter().zip(record.iter()).filter(|(_, v)| !v.is_empty()) {
                let value = if lists.contains(&name) {
                    serde_json::json!(value.split_whitespace().collect::<Vec<_>>())
                } else if numbers.contains(&name) {
                    match value.parse::<i64>() {
                        Ok(n) => serde_json::json!(n),
                        Err(_) => {
                            return Err(ApiError::field(
                                ErrorCode::ValidationFailed,
                                name,
                                format!("{name} must be a whole number"),
                            ))
                        }
                    }
                } else {
                    serde_json::json!(value)
                };
                fields.insert(name.to_string(), value);
            }
            serde_json::from_value(serde_json::Value::Object(fields))
                .map_err(|e| ApiError::new(ErrorCode::ValidationFailed, e.to_string()))
        })
        .collect())
}

/// The membership checked against the catalog's services and categories, its phone read as the
/// owner wrote it (national numbers in the owner's `phone_country`) and kept in E.164.
fn validated(company: &Company, mut membership: Membership, at: &str, faults: &Faults) -> Result<Membership, ApiError> {
    let field = if at.is_empty() { "phone".to_string() } else { format!("{at}.phone") };
    let phone = validation::phone(&membership.phone, company.widget.phone_country.as_deref());
    // A test build may store it as versions before the numbering plans did.
    #[cfg(feature = "faults")]
    let phone = match crate::checkout::faults::legacy_phone(&membership.phone) {
        Some(legacy) if faults.legacy_phone() => Ok(legacy),
        _ => phone,
    };
    #[cfg(not(feature = "faults"))]
    let _ = faults;
    membership.phone = phone.map_err(|e| ApiError::field(ErrorCode::ValidationFailed, field, e.message))?;
    let (services, categories) = scope(company);
    membership.validated(at, &services, &categories)
}

/// The ids a membership may cover: the catalog's services and categories.
fn scope(company: &Company) -> (Vec<&str>, Vec<&str>) {
    let services = company.services.iter().map(|s| s.id.as_str()).collect();
    let categories = company.categories.iter().map(|c| c.id.as_str()).collect();
    (services, categories)
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No membership with this number.")
}
