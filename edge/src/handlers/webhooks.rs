//! `/v1/admin/companies/{company}/webhooks…`: the business's webhook endpoints
//! (`homeslot_core::webhooks`), the owner's (and integrations'). A signing secret is made here,
//! shown once (on creation and rotation) and stored sealed; every delivery's attempts are in the
//! endpoint's log, from which one message or a time range is sent again.

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::audit::AuditAction;
use homeslot_core::availability::parse_instant;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::webhooks::{
    Deliveries, Endpoint, EndpointEdit, EndpointSecret, Endpoints, NewEndpoint, Replay, Replayed,
};

use crate::console::session::Caller;
use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::store::audit::{self, Record};
use crate::store::webhooks::{self, EditRow, NewRow, ReplayRow};
use crate::webhooks::sign;
use crate::{http, seal};

async fn owner(req: &Request, env: &Env, company_id: &str) -> AppResult<Caller> {
    authorise(req, env, company_id, Action::EditCompany, None).await
}

fn loopback_allowed(env: &Env) -> bool {
    env.var("LOOPBACK_ALLOWED").is_ok_and(|v| v.to_string() == "1")
}

/// `GET …/webhooks`: every endpoint, oldest first.
pub async fn list(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    owner(req, env, company_id).await?;
    let endpoints = webhooks::list(env, company_id).await?;
    Ok(http::json(&Endpoints { endpoints }, 200)?)
}

/// `POST …/webhooks`: a new endpoint, with its secret (the only time it is shown).
pub async fn create(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = owner(&req, env, company_id).await?;
    let asked: NewEndpoint = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let endpoint = asked.checked(loopback_allowed(env))?;
    // The company must exist: an answer about the data, not the request.
    crate::store::company::load(env, company_id).await?;
    let secret = sign::new_secret()?;
    let row = NewRow {
        url: endpoint.url,
        events: endpoint.events,
        description: endpoint.description,
        sealed_secret: seal::seal(env, &secret)?,
    };
    let endpoint = webhooks::create(env, company_id, &row).await?;
    let subject = format!("webhook {}", endpoint.endpoint_id);
    audit::record(env, company_id, Record::new(&caller, AuditAction::WebhookSaved, subject).detail(&endpoint.url))
        .await;
    Ok(http::json(&EndpointSecret { endpoint, secret }, 201)?)
}

/// `GET …/webhooks/{endpoint}`.
pub async fn get(req: &Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    owner(req, env, company_id).await?;
    let endpoint = webhooks::list(env, company_id)
        .await?
        .into_iter()
        .find(|e| e.endpoint_id == endpoint_id)
        .ok_or_else(not_found)?;
    Ok(http::json(&endpoint, 200)?)
}

/// `PATCH …/webhooks/{endpoint}`: its address, events, description; turned off or on again.
pub async fn edit(mut req: Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    let caller = owner(&req, env, company_id).await?;
    let asked: EndpointEdit = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let edit = asked.checked(loopback_allowed(env))?;
    let row = EditRow {
        endpoint_id: endpoint_id.into(),
        url: edit.url,
        events: edit.events,
        description: edit.description,
        enabled: edit.enabled,
        sealed_secret: None,
    };
    let endpoint = webhooks::edit(env, company_id, &row).await?.ok_or_else(not_found)?;
    let detail = match row.enabled {
        Some(true) => "turned on",
        Some(false) => "turned off",
        None => "changed",
    };
    let record = Record::new(&caller, AuditAction::WebhookSaved, format!("webhook {endpoint_id}")).detail(detail);
    audit::record(env, company_id, record).await;
    Ok(http::json(&endpoint, 200)?)
}

/// `DELETE …/webhooks/{endpoint}`: it and its log go.
pub async fn delete(req: &Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    let caller = owner(req, env, company_id).await?;
    if !webhooks::delete(env, company_id, endpoint_id).await? {
        return Err(not_found().into());
    }
    audit::record(env, company_id, Record::new(&caller, AuditAction::WebhookDeleted, format!("webhook {endpoint_id}")))
        .await;
    Ok(Response::empty()?.with_status(204))
}

/// `POST …/webhooks/{endpoint}/secret`: a new secret (shown once); the old one signs too for a
/// day, so the receiver can change over without missing a delivery.
pub async fn rotate(req: &Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    let caller = owner(req, env, company_id).await?;
    let secret = sign::new_secret()?;
    let row = EditRow {
        endpoint_id: endpoint_id.into(),
        url: None,
        events: None,
        description: None,
        enabled: None,
        sealed_secret: Some(seal::seal(env, &secret)?),
    };
    let endpoint: Endpoint = webhooks::edit(env, company_id, &row).await?.ok_or_else(not_found)?;
    let subject = format!("webhook {endpoint_id}");
    audit::record(env, company_id, Record::new(&caller, AuditAction::WebhookSecretRotated, subject)).await;
    Ok(http::json(&EndpointSecret { endpoint, secret }, 200)?)
}

/// `POST …/webhooks/{endpoint}/test`: the test event, to this endpoint only; answers its message id.
pub async fn test(req: &Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    owner(req, env, company_id).await?;
    let message_id = webhooks::test(env, company_id, endpoint_id).await?.ok_or_else(not_found)?;
    Ok(http::json(&serde_json::json!({ "message_id": message_id }), 202)?)
}

/// `GET …/webhooks/{endpoint}/deliveries`: the last 100 messages and every attempt at each.
pub async fn deliveries(req: &Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    owner(req, env, company_id).await?;
    let deliveries = webhooks::deliveries(env, company_id, endpoint_id).await?.ok_or_else(not_found)?;
    Ok(http::json(&Deliveries { deliveries }, 200)?)
}

/// `POST …/webhooks/{endpoint}/replay`: one message again, or those of a time range.
pub async fn replay(mut req: Request, env: &Env, company_id: &str, endpoint_id: &str) -> AppResult<Response> {
    let caller = owner(&req, env, company_id).await?;
    let asked: Replay = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let row = match (&asked.message_id, &asked.since, &asked.until) {
        (Some(id), None, None) => {
            ReplayRow { endpoint_id: endpoint_id.into(), message_id: Some(id.clone()), since_ms: 0, until_ms: 0 }
        }
        (None, Some(since), until) => {
            let since_s = parse_instant(since, "since")?;
            let until_s = until.as_deref().map(|u| parse_instant(u, "until")).transpose()?.unwrap_or(i64::MAX / 1000);
            if until_s <= since_s {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "until", "since must be before until").into());
            }
            ReplayRow {
                endpoint_id: endpoint_id.into(),
                message_id: None,
                since_ms: since_s * 1000,
                until_ms: until_s * 1000,
            }
        }
        _ => {
            let why = "either message_id, or since (and optionally until)";
            return Err(ApiError::field(ErrorCode::ValidationFailed, "message_id", why).into());
        }
    };
    let replayed = webhooks::replay(env, company_id, &row).await?.ok_or_else(|| match &asked.message_id {
        Some(_) => ApiError::field(ErrorCode::NotFound, "message_id", "No such message (or its client was erased)."),
        None => not_found(),
    })?;
    let detail = format!("{replayed} to webhook {endpoint_id}");
    audit::record(
        env,
        company_id,
        Record::new(&caller, AuditAction::WebhooksReplayed, format!("webhook {endpoint_id}")).detail(detail),
    )
    .await;
    Ok(http::json(&Replayed { replayed }, 202)?)
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No such webhook endpoint.")
}
