//! Passkeys: a signed-in person adds one (the browser makes a key pair on their device; the edge
//! keeps the public half), then signs in with it — no password typed, nothing to guess or phish,
//! since a passkey only ever answers the site it was made for. The checks are in
//! [`super::webauthn`]; the keys live in the person's object.

use serde::Deserialize;
use worker::{Env, Request, Response};

use homeslot_core::error::{ApiError, ErrorCode};

use crate::console::session;
use crate::console::webauthn::{self, decode, encode};
use crate::error::AppResult;
use crate::store::person;
use crate::{clock, http, limits};

/// The origin the browser says the request comes from (same-origin checked) and its relying
/// party id: a passkey is bound to it.
fn origin_and_rp_id(req: &Request) -> Result<(String, String), ApiError> {
    session::same_origin(req)?;
    let origin = req.headers().get("origin").ok().flatten().unwrap_or_default();
    let rp_id = webauthn::rp_id(&origin)
        .ok_or_else(|| ApiError::new(ErrorCode::CrossSiteRequest, "Passkeys need the page's origin."))?;
    Ok((origin, rp_id))
}

/// The deployment's secret the stateless sign-in challenges are signed with.
fn challenge_secret(env: &Env) -> Result<String, ApiError> {
    env.secret("PLATFORM_TOKEN")
        .map(|s| s.to_string())
        .ok()
        .filter(|s| s.len() >= 16)
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "Passkeys need the deployment's PLATFORM_TOKEN secret."))
}

/// `POST /v1/console/passkeys/options`: what the browser needs to make a passkey for the
/// signed-in person (`navigator.credentials.create({publicKey})`, binary fields in base64url).
pub async fn options(req: &Request, env: &Env) -> AppResult<Response> {
    let me = session::signed_in(req, env).await?;
    let (_, rp_id) = origin_and_rp_id(req)?;
    let enrolment = person::passkey_challenge(env, &me.person_id).await?;
    let options = serde_json::json!({
        "challenge": enrolment.challenge,
        "rp": { "id": rp_id, "name": "Homeslot" },
        "user": { "id": encode(me.person_id.as_bytes()), "name": me.email, "displayName": me.name },
        "pubKeyCredParams": [{ "type": "public-key", "alg": webauthn::ES256 }],
        "excludeCredentials": enrolment.existing.iter().map(|id| serde_json::json!({ "type": "public-key", "id": id })).collect::<Vec<_>>(),
        "authenticatorSelection": { "residentKey": "required", "userVerification": "preferred" },
        "attestation": "none",
        "timeout": webauthn::CHALLENGE_MS,
    });
    Ok(http::json(&options, 200)?)
}

#[derive(Deserialize)]
struct NewPasskey {
    id: String,
    client_data_json: String,
    attestation_object: String,
    #[serde(default)]
    name: Option<String>,
}

/// `POST /v1/console/passkeys`: stores the passkey the browser made for the options above.
pub async fn add(mut req: Request, env: &Env) -> AppResult<Response> {
    let me = session::signed_in(&req, env).await?;
    let (origin, rp_id) = origin_and_rp_id(&req)?;
    let body: NewPasskey = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let raw = body.name.as_deref().unwrap_or_default();
    if raw.chars().count() > 100 || raw.chars().any(char::is_control) {
        return Err(
            ApiError::field(ErrorCode::ValidationFailed, "name", "a passkey's name, at most 100 characters").into()
        );
    }
    let name = Some(raw.trim()).filter(|n| !n.is_empty()).unwrap_or("Passkey");
    let (client, _) =
        webauthn::client_data(&decode(&body.client_data_json, "the client data")?, "webauthn.create", &origin)?;
    let auth =
        webauthn::authenticator_data(&webauthn::attested_data(&decode(&body.attestation_object, "the attestation")?)?)?;
    if auth.rp_id_hash != webauthn::rp_id_hash(&rp_id) || !auth.user_present {
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "This passkey was not made for this site.").into());
    }
    let (id, cose) = auth
        .credential
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidCredentials, "The browser sent no new passkey."))?;
    if encode(&id) != body.id.trim_end_matches('=') {
        return Err(
            ApiError::field(ErrorCode::InvalidCredentials, "id", "The passkey's id does not match its data.").into()
        );
    }
    let point = webauthn::es256_point(&cose)?;
    let stored = person::add_passkey(
        env,
        &me.person_id,
        &serde_json::json!({ "challenge": client.challenge, "id": encode(&id), "public_key": encode(&point),
                             "sign_count": auth.sign_count, "name": name }),
    )
    .await?;
    Ok(http::json(&stored, 201)?)
}

/// `GET /v1/console/passkeys`: the signed-in person's passkeys.
pub async fn list(req: &Request, env: &Env) -> AppResult<Response> {
    let me = session::signed_in(req, env).await?;
    Ok(http::json(&person::passkeys(env, &me.person_id).await?, 200)?)
}

/// `DELETE /v1/console/passkeys/{id}`.
pub async fn remove(req: &Request, env: &Env, id: &str) -> AppResult<Response> {
    let me = session::signed_in(req, env).await?;
    if !person::remove_passkey(env, &me.person_id, id).await? {
        return Err(ApiError::new(ErrorCode::NotFound, "No passkey of yours with this id.").into());
    }
    Ok(http::json(&serde_json::json!({ "id": id, "status": "removed" }), 200)?)
}

/// `POST /v1/console/passkeys/sign-in-options`: a challenge for `navigator.credentials.get`.
/// Nothing is written: the challenge carries its own expiry and signature.
pub async fn sign_in_options(req: &Request, env: &Env) -> AppResult<Response> {
    let (_, rp_id) = origin_and_rp_id(req)?;
    // 122 random bits from the platform's CSPRNG (a v4 UUID's), as 16 bytes.
    let random = u128::from_str_radix(&crate::store::random_hex()?, 16)
        .map_err(|e| worker::Error::RustError(e.to_string()))?
        .to_be_bytes();
    let challenge = webauthn::new_challenge(&challenge_secret(env)?, &random, clock::now_millis());
    let options = serde_json::json!({
        "challenge": challenge, "rpId": rp_id, "userVerification": "preferred", "timeout": webauthn::CHALLENGE_MS,
    });
    Ok(http::json(&options, 200)?)
}

#[derive(Deserialize)]
struct SignInAssertion {
    id: String,
    client_data_json: String,
    authenticator_data: String,
    signature: String,
    user_handle: String,
}

/// `POST /v1/console/passkeys/sign-in`: the browser's answer to the challenge → a session
/// cookie, as a password sign-in gives. Limited per IP like password sign-ins.
pub async fn sign_in(mut req: Request, env: &Env) -> AppResult<Response> {
    limits::check_sign_in(&req, env).await?;
    let (origin, rp_id) = origin_and_rp_id(&req)?;
    let body: SignInAssertion = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let (client, client_hash) =
        webauthn::client_data(&decode(&body.client_data_json, "the client data")?, "webauthn.get", &origin)?;
    let expires = webauthn::check_challenge(&challenge_secret(env)?, &client.challenge, clock::now_millis())?;
    let authenticator_data = decode(&body.authenticator_data, "the authenticator data")?;
    let auth = webauthn::authenticator_data(&authenticator_data)?;
    if auth.rp_id_hash != webauthn::rp_id_hash(&rp_id) || !auth.user_present {
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "This passkey was not made for this site.").into());
    }
    let person_id = String::from_utf8(decode(&body.user_handle, "the user handle")?).unwrap_or_default();
    if person_id.len() != 64 || !person_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::new(ErrorCode::InvalidCredentials, "This passkey is not one of ours.").into());
    }
    let mut signed = authenticator_data;
    signed.extend_from_slice(&client_hash);
    let assertion = serde_json::json!({
        "id": body.id.trim_end_matches('='),
        "challenge_hash": crate::store::sha256_hex(&client.challenge),
        "challenge_expires_at_ms": expires,
        "signed": encode(&signed),
        "signature": body.signature,
        "sign_count": auth.sign_count,
    });
    let new = person::passkey_sign_in(env, &person_id, &assertion).await?;
    super::accounts::signed_in_answer(env, &person_id, &new).await
}
