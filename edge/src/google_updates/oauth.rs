//! An access token for Google's Maps Booking API from the operator's service account
//! (`GOOGLE_SERVICE_ACCOUNT`, the JSON key Google's Cloud console gives): a JWT asserting the
//! account, signed RS256 with its private key by WebCrypto, exchanged at the key's `token_uri`
//! (OAuth 2.0's JWT bearer grant, RFC 7523). The token is kept by the isolate until shortly before
//! it expires.

use std::cell::RefCell;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{Env, Headers, Method, RequestInit};

use crate::{clock, webcrypto};

/// What the Maps Booking API asks for.
const SCOPE: &str = "https://www.googleapis.com/auth/mapsbooking";

/// The fields of the service account's key that matter here.
#[derive(Deserialize)]
struct ServiceAccount {
    client_email: String,
    private_key: String,
    token_uri: String,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
    #[serde(default = "an_hour")]
    expires_in: i64,
}

fn an_hour() -> i64 {
    3600
}

thread_local! {
    /// The token and when to stop using it (Unix seconds).
    static TOKEN: RefCell<Option<(String, i64)>> = const { RefCell::new(None) };
}

/// A valid access token: the isolate's, or a new one.
pub async fn token(env: &Env) -> Result<String, String> {
    let now = clock::now();
    if let Some(token) = TOKEN.with(|t| t.borrow().clone().filter(|(_, until)| *until > now).map(|(token, _)| token)) {
        return Ok(token);
    }
    let key = crate::http::setting(env, "GOOGLE_SERVICE_ACCOUNT").ok_or("GOOGLE_SERVICE_ACCOUNT is not set")?;
    let account: ServiceAccount =
        serde_json::from_str(&key).map_err(|e| format!("GOOGLE_SERVICE_ACCOUNT is not a service account key: {e}"))?;
    let assertion = assertion(&account, now).await?;
    let form = format!("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}");
    let headers = Headers::new();
    headers.set("content-type", "application/x-www-form-urlencoded").map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(form.into()));
    let request = worker::Request::new_with_init(&account.token_uri, &init).map_err(|e| e.to_string())?;
    let mut response = worker::Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
    let text = response.text().await.map_err(|e| e.to_string())?;
    if !(200..300).contains(&response.status_code()) {
        return Err(format!("the token endpoint answered {}: {}", response.status_code(), text));
    }
    let token: Token = serde_json::from_str(&text).map_err(|e| format!("the token endpoint's answer: {e}"))?;
    // A minute early: a token is never used as it expires.
    let until = now + token.expires_in - 60;
    TOKEN.with(|t| *t.borrow_mut() = Some((token.access_token.clone(), until)));
    Ok(token.access_token)
}

/// The signed JWT asserting the service account, for an hour from `now`.
async fn assertion(account: &ServiceAccount, now: i64) -> Result<String, String> {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = serde_json::json!({
        "iss": account.client_email,
        "scope": SCOPE,
        "aud": account.token_uri,
        "iat": now,
        "exp": now + 3600,
    });
    let claims = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signed = format!("{header}.{claims}");
    let signature = sign_rs256(&pkcs8(&account.private_key)?, signed.as_bytes()).await?;
    Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The DER of a PEM `PRIVATE KEY` (PKCS #8).
fn pkcs8(pem: &str) -> Result<Vec<u8>, String> {
    let body: String =
        pem.lines().map(str::trim).filter(|line| !line.starts_with("-----") && !line.is_empty()).collect();
    STANDARD.decode(body).map_err(|_| "the service account's private_key is not a PEM key".to_string())
}

/// RSASSA-PKCS1-v1_5 with SHA-256 over `data`, by WebCrypto.
async fn sign_rs256(der: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
    let failed = |e: JsValue| format!("WebCrypto: {e:?}");
    let algorithm = webcrypto::algorithm(&[("name", "RSASSA-PKCS1-v1_5"), ("hash", "SHA-256")]).map_err(failed)?;
    let usages: js_sys::Array = [JsValue::from_str("sign")].iter().collect();
    let der = js_sys::Uint8Array::from(der);
    let key =
        webcrypto::call("importKey", &["pkcs8".into(), der.into(), algorithm.clone(), false.into(), usages.into()])
            .await
            .map_err(|e| format!("the service account's private key cannot be used: {e:?}"))?;
    let signature =
        webcrypto::call("sign", &[algorithm, key, js_sys::Uint8Array::from(data).into()]).await.map_err(failed)?;
    Ok(js_sys::Uint8Array::new(&signature).to_vec())
}
