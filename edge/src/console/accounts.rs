//! Accounts: accepting an invite (which creates the account, or adds the business to an existing
//! one), signing in and out, and who is signed in.

use serde::Deserialize;
use worker::{Env, Request, Response};

use homeslot_core::access;
use homeslot_core::accounts::{AcceptInvite, Business, InviteOffer, Me, SignIn};
use homeslot_core::error::{ApiError, ErrorCode};

use crate::console::session;
use crate::error::AppResult;
use crate::store::person::{self, NewSession, Person};
use crate::store::{company, staff};
use crate::{http, limits};

#[derive(Deserialize)]
struct InviteBody {
    invite: String,
}

/// `{company}.{secret}` split, or `invite_unusable` for anything else.
fn split_invite(invite: &str) -> Result<(&str, &str), ApiError> {
    let unusable = || ApiError::new(ErrorCode::InviteUnusable, "This is not an invite link of ours.");
    let (company, secret) = invite.split_once('.').ok_or_else(unusable)?;
    let valid = homeslot_core::catalog::is_valid_id(company)
        && secret.len() == 64
        && secret.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then_some((company, secret)).ok_or_else(unusable)
}

/// `POST /v1/console/invites/offer`: what an invite offers (the business, the e-mail, the role),
/// shown before it is accepted. The invite travels in the body, never in a URL.
pub async fn offer(mut req: Request, env: &Env) -> AppResult<Response> {
    let body: InviteBody = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let (company_id, secret) = split_invite(&body.invite)?;
    let offer = staff::offer(env, company_id, secret).await?;
    let answer = InviteOffer {
        company_id: company_id.to_owned(),
        company_name: company::load(env, company_id).await?.name.clone(),
        email: offer.email,
        role: offer.grant.role,
        locations: offer.grant.locations,
    };
    Ok(http::json(&answer, 200)?)
}

/// `POST /v1/console/invites/accept`: accepts an invite with a name and a password: creates the
/// account (or, for an e-mail that has one, checks its password), joins the business with the
/// invite's role, and signs in.
pub async fn accept(mut req: Request, env: &Env) -> AppResult<Response> {
    let body: AcceptInvite = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let name = body.name.trim();
    if name.is_empty() || body.name.chars().count() > 100 || body.name.chars().any(char::is_control) {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "name", "your name, 1–100 characters").into());
    }
    access::check_password(&body.password)?;
    let (company_id, secret) = split_invite(&body.invite)?;
    // Checked first, so a dead invite creates no account.
    let offer = staff::offer(env, company_id, secret).await?;
    let person_id = person::register(env, &offer.email, name, &body.password).await?;
    staff::accept(env, company_id, secret, &person_id, name).await?;
    person::set_business(env, &person_id, company_id, true).await?;
    let session = person::open_session(env, &person_id).await?;
    signed_in_answer(env, &person_id, &session).await
}

/// `POST /v1/console/sign-in`: e-mail and password → a session cookie. Limited per IP (10 a
/// minute) and per account (5 wrong passwords in 15 minutes).
pub async fn sign_in(mut req: Request, env: &Env) -> AppResult<Response> {
    limits::check_sign_in(&req, env).await?;
    let body: SignIn = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    // A malformed e-mail cannot have an account: the same answer as a wrong password.
    let email = access::normalize_email(&body.email).map_err(|_| person::wrong_credentials())?;
    if body.password.chars().count() > access::MAX_PASSWORD_CHARS {
        return Err(person::wrong_credentials().into());
    }
    let session = person::sign_in(env, &email, &body.password).await?;
    signed_in_answer(env, &session.person_id, &session).await
}

/// The answer to any sign-in: who the person is, with the new session's cookie.
pub(crate) async fn signed_in_answer(env: &Env, person_id: &str, session: &NewSession) -> AppResult<Response> {
    let person = person::session(env, person_id, &session.secret).await?;
    let response = http::json(&me(env, person).await?, 200)?;
    session::set_cookie(response.headers(), session)?;
    Ok(response)
}

/// `POST /v1/console/sign-out` (this session) and `…/sign-out-everywhere` (every session of the
/// person, on every device).
pub async fn sign_out(req: &Request, env: &Env, everywhere: bool) -> AppResult<Response> {
    session::signed_in(req, env).await?;
    if let Some((person_id, secret)) = session::current(req) {
        person::sign_out(env, &person_id, &secret, everywhere).await?;
    }
    let response = http::json(&serde_json::json!({ "signed_out": true }), 200)?;
    session::clear_cookie(response.headers())?;
    Ok(response)
}

/// `GET /v1/console/me`: the signed-in person and their businesses, each with their role.
pub async fn get_me(req: &Request, env: &Env) -> AppResult<Response> {
    let person = session::signed_in(req, env).await?;
    Ok(http::json(&me(env, person).await?, 200)?)
}

async fn me(env: &Env, person: Person) -> AppResult<Me> {
    let mut businesses = Vec::new();
    for company_id in &person.businesses {
        // A business that removed the person is left out (their own list catches up lazily).
        let Some(grant) = staff::grant_of(env, company_id, &person.person_id).await? else { continue };
        let name = company::load(env, company_id).await.map(|c| c.name.clone()).unwrap_or_default();
        businesses.push(Business { company_id: company_id.clone(), name, grant });
    }
    Ok(Me { person_id: person.person_id, email: person.email, name: person.name, businesses })
}
