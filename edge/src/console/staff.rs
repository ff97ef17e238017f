//! A business's staff in the console: who is on it with which role, the invites not yet used,
//! inviting someone (a link shown once), withdrawing an invite and removing a person. The owner's
//! (`manage_staff`); the operator's platform token may invite a business's first owner.

use worker::{Env, Request, Response};

use homeslot_core::access::{self, Action};
use homeslot_core::accounts::{InviteRequest, NewInvite};
use homeslot_core::error::{ApiError, ErrorCode};

use homeslot_core::audit::AuditAction;

use crate::error::AppResult;
use crate::handlers::admin::caller;
use crate::http;
use crate::store::audit::{self, Record};
use crate::store::{person, staff};

/// `GET /v1/console/companies/{company}/staff`: the people and the pending invites.
pub async fn list(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    caller(req, env, company_id).await?.require(Action::ManageStaff, None)?;
    Ok(http::json(&staff::list(env, company_id).await?, 200)?)
}

/// `POST /v1/console/companies/{company}/invites`: invites a person by e-mail with a role; answers
/// the invite link once (`/console/join#invite=…`: the secret stays out of every server's log).
pub async fn invite(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let who = caller(&req, env, company_id).await?;
    who.require(Action::ManageStaff, None)?;
    let body: InviteRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let email = access::normalize_email(&body.email)?;
    body.grant.validate()?;
    let company = crate::store::company::load(env, company_id).await?;
    for (i, id) in body.grant.locations.iter().enumerate() {
        if !company.locations.iter().any(|l| &l.id == id) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                format!("locations[{i}]"),
                format!("names no location {id}"),
            )
            .into());
        }
    }
    if let Some(id) = &body.grant.specialist_id {
        if !company.specialists.iter().any(|s| &s.id == id) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "specialist_id",
                format!("names no specialist {id}"),
            )
            .into());
        }
    }
    let new = staff::invite(env, company_id, &email, &body.grant, who.actor()).await?;
    let locations =
        if body.grant.locations.is_empty() { "every location".into() } else { body.grant.locations.join(", ") };
    let role = body.grant.role.as_str().replace('_', " ");
    let record = Record::new(&who, AuditAction::StaffInvited, &new.email).detail(format!("as {role}, {locations}"));
    audit::record(env, company_id, record).await;
    let invite = format!("{company_id}.{}", new.secret);
    let origin = req.url()?.origin().ascii_serialization();
    let answer = NewInvite {
        link: format!("{origin}/console/join#invite={invite}"),
        invite_id: new.invite_id,
        invite,
        email: new.email,
        expires_at_ms: new.expires_at_ms,
    };
    Ok(http::json(&answer, 201)?)
}

/// `DELETE /v1/console/companies/{company}/invites/{id}`: withdraws an invite not yet used.
pub async fn revoke_invite(req: &Request, env: &Env, company_id: &str, invite_id: &str) -> AppResult<Response> {
    let who = caller(req, env, company_id).await?;
    who.require(Action::ManageStaff, None)?;
    let invited = staff::list(env, company_id).await?.invites.into_iter().find(|i| i.invite_id == invite_id);
    if !staff::revoke_invite(env, company_id, invite_id).await? {
        return Err(ApiError::new(ErrorCode::NotFound, "No pending invite with this id.").into());
    }
    let subject = invited.map_or_else(|| invite_id.to_string(), |i| i.email);
    audit::record(env, company_id, Record::new(&who, AuditAction::InviteWithdrawn, subject)).await;
    Ok(http::json(&serde_json::json!({ "invite_id": invite_id, "status": "revoked" }), 200)?)
}

/// `DELETE /v1/console/companies/{company}/staff/{person}`: removes a person (never the last
/// owner). Their sessions stay, but open nothing of this business any more.
pub async fn remove(req: &Request, env: &Env, company_id: &str, person_id: &str) -> AppResult<Response> {
    let who = caller(req, env, company_id).await?;
    who.require(Action::ManageStaff, None)?;
    let member = staff::list(env, company_id).await?.people.into_iter().find(|p| p.person_id == person_id);
    if !staff::remove(env, company_id, person_id).await? {
        return Err(ApiError::new(ErrorCode::NotFound, "No one on the staff with this id.").into());
    }
    let subject = member.map_or_else(|| person_id.to_string(), |m| format!("{} ({})", m.name, m.email));
    audit::record(env, company_id, Record::new(&who, AuditAction::StaffRemoved, subject)).await;
    person::set_business(env, person_id, company_id, false).await?;
    Ok(http::json(&serde_json::json!({ "person_id": person_id, "status": "removed" }), 200)?)
}
