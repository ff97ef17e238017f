//! WebAuthn (passkeys), the parts the edge checks itself: the client's data (type, challenge,
//! origin), the authenticator's data (the relying party's hash, the user-present flag, the
//! signature counter, a new credential's public key in COSE form) and ES256 signatures, verified
//! by WebCrypto. Attestation is not asked for (`"none"`): a business needs to know that the person
//! holds the key, not which maker built it.
//!
//! Sign-in challenges are stateless: 16 random bytes, an expiry and an HMAC of both under a key
//! derived from the deployment's secret, so asking for one writes nothing; the person's object
//! remembers the ones used until they expire, so each works once.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use wasm_bindgen::JsValue;

use homeslot_core::error::{ApiError, ErrorCode};

use crate::webcrypto;

/// How long a challenge can be answered (5 minutes).
pub const CHALLENGE_MS: i64 = 5 * 60 * 1000;

/// The COSE algorithm of ES256 (ECDSA on P-256 with SHA-256), the only one asked for: every
/// platform authenticator offers it.
pub const ES256: i64 = -7;

fn refused(message: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidCredentials, format!("This passkey could not be used: {message}."))
}

/// base64url without padding, as WebAuthn's JSON writes bytes.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Bytes from base64url (padding tolerated), or a refusal naming `what`.
pub fn decode(text: &str, what: &str) -> Result<Vec<u8>, ApiError> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| refused(&format!("{what} is not base64url")))
}

/// What the browser says it signed (`clientDataJSON`).
#[derive(Deserialize)]
pub struct ClientData {
    #[serde(rename = "type")]
    pub kind: String,
    pub challenge: String,
    pub origin: String,
}

/// Reads the client data and checks its type and origin; answers it with its SHA-256.
pub fn client_data(raw: &[u8], kind: &str, origin: &str) -> Result<(ClientData, [u8; 32]), ApiError> {
    let data: ClientData = serde_json::from_slice(raw).map_err(|_| refused("its client data does not parse"))?;
    if data.kind != kind {
        return Err(refused("it answered another ceremony"));
    }
    if data.origin != origin {
        return Err(refused("it was made for another site"));
    }
    Ok((data, Sha256::digest(raw).into()))
}

/// The parts of the authenticator's data the edge checks.
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub user_present: bool,
    pub sign_count: u32,
    /// For a new credential: its id and COSE public key.
    pub credential: Option<(Vec<u8>, Vec<u8>)>,
}

const USER_PRESENT: u8 = 0x01;
const ATTESTED: u8 = 0x40;

/// Reads `authenticatorData`: the relying party's hash, flags, counter and, when the attested
/// flag is set, the new credential's id and public key (the COSE key is the rest of the data,
/// as we ask for no extensions).
pub fn authenticator_data(raw: &[u8]) -> Result<AuthenticatorData, ApiError> {
    if raw.len() < 37 {
        return Err(refused("its authenticator data is too short"));
    }
    let rp_id_hash: [u8; 32] = raw[..32].try_into().expect("32 bytes");
    let flags = raw[32];
    let sign_count = u32::from_be_bytes(raw[33..37].try_into().expect("4 bytes"));
    let credential = if flags & ATTESTED != 0 {
        // aaguid (16) and the id's length (2), then the id and the key.
        let rest = &raw[37..];
        if rest.len() < 18 {
            return Err(refused("its credential data is too short"));
        }
        let length = u16::from_be_bytes([rest[16], rest[17]]) as usize;
        let id = rest.get(18..18 + length).ok_or_else(|| refused("its credential id is cut short"))?;
        Some((id.to_vec(), rest[18 + length..].to_vec()))
    } else {
        None
    };
    Ok(AuthenticatorData { rp_id_hash, user_present: flags & USER_PRESENT != 0, sign_count, credential })
}

/// The `authData` of an `attestationObject` (CBOR: `{fmt, attStmt, authData}`).
pub fn attested_data(attestation_object: &[u8]) -> Result<Vec<u8>, ApiError> {
    let value: ciborium::Value =
        ciborium::de::from_reader(attestation_object).map_err(|_| refused("its attestation does not parse"))?;
    let map = value.as_map().ok_or_else(|| refused("its attestation is not a map"))?;
    map.iter()
        .find(|(key, _)| key.as_text() == Some("authData"))
        .and_then(|(_, value)| value.as_bytes().cloned())
        .ok_or_else(|| refused("its attestation has no authenticator data"))
}

/// An ES256 COSE key (`{1: 2, 3: -7, -1: 1, -2: x, -3: y}`) as the uncompressed point
/// `04 ‖ x ‖ y` WebCrypto imports.
pub fn es256_point(cose: &[u8]) -> Result<Vec<u8>, ApiError> {
    let value: ciborium::Value = ciborium::de::from_reader(cose).map_err(|_| refused("its key does not parse"))?;
    let map = value.as_map().ok_or_else(|| refused("its key is not a map"))?;
    let get = |label: i64| {
        map.iter().find(|(key, _)| key.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(label)).map(|(_, v)| v)
    };
    let int = |label: i64| get(label).and_then(|v| v.as_integer()).and_then(|i| i64::try_from(i).ok());
    if int(1) != Some(2) || int(3) != Some(ES256) || int(-1) != Some(1) {
        return Err(refused("only ES256 keys on P-256 are accepted"));
    }
    let coordinate = |label: i64| {
        get(label).and_then(|v| v.as_bytes()).filter(|b| b.len() == 32).ok_or_else(|| refused("its key is malformed"))
    };
    let mut point = vec![0x04];
    point.extend_from_slice(coordinate(-2)?);
    point.extend_from_slice(coordinate(-3)?);
    Ok(point)
}

/// An ASN.1 DER ECDSA signature (`SEQUENCE { r INTEGER, s INTEGER }`, what authenticators send)
/// as the 64-byte `r ‖ s` WebCrypto verifies.
pub fn raw_signature(der: &[u8]) -> Result<Vec<u8>, ApiError> {
    let bad = || refused("its signature is malformed");
    let mut at = 0;
    let mut take = |n: usize| -> Result<&[u8], ApiError> {
        let part = der.get(at..at + n).ok_or_else(bad)?;
        at += n;
        Ok(part)
    };
    if take(1)? != [0x30] {
        return Err(bad());
    }
    take(1)?;
    let mut out = Vec::with_capacity(64);
    for _ in 0..2 {
        if take(1)? != [0x02] {
            return Err(bad());
        }
        let length = take(1)?[0] as usize;
        let int = take(length)?;
        // DER may prefix a zero byte (sign) or drop leading zeros: make it exactly 32 bytes.
        let int = &int[int.iter().take_while(|b| **b == 0).count().min(int.len())..];
        if int.len() > 32 {
            return Err(bad());
        }
        out.extend(std::iter::repeat_n(0u8, 32 - int.len()));
        out.extend_from_slice(int);
    }
    Ok(out)
}

/// Whether `signature` (DER) over `data` verifies with the P-256 `point`, by WebCrypto.
pub async fn verify_es256(point: &[u8], data: &[u8], signature: &[u8]) -> Result<bool, ApiError> {
    let raw = raw_signature(signature)?;
    let platform = |e: JsValue| ApiError::new(ErrorCode::Internal, format!("WebCrypto: {e:?}"));
    let algorithm = webcrypto::algorithm(&[("name", "ECDSA"), ("namedCurve", "P-256")]).map_err(platform)?;
    let usages: js_sys::Array = [JsValue::from_str("verify")].iter().collect();
    let raw_key = js_sys::Uint8Array::from(point);
    let key = webcrypto::call("importKey", &["raw".into(), raw_key.into(), algorithm, false.into(), usages.into()])
        .await
        .map_err(|_| refused("its key cannot be used"))?;
    let params = webcrypto::algorithm(&[("name", "ECDSA"), ("hash", "SHA-256")]).map_err(platform)?;
    let (signature, data) = (js_sys::Uint8Array::from(&raw[..]), js_sys::Uint8Array::from(data));
    let verified = webcrypto::call("verify", &[params, key, signature.into(), data.into()]).await.map_err(platform)?;
    Ok(verified.as_bool() == Some(true))
}

/// The relying party id for an origin: its host, without scheme or port.
pub fn rp_id(origin: &str) -> Option<String> {
    let host_port = origin.split_once("://")?.1;
    let host = host_port.rsplit_once(':').map_or(host_port, |(host, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            host
        } else {
            host_port
        }
    });
    (!host.is_empty()).then(|| host.to_owned())
}

/// SHA-256 of the relying party id, as authenticators put it first in their data.
pub fn rp_id_hash(rp_id: &str) -> [u8; 32] {
    Sha256::digest(rp_id.as_bytes()).into()
}

type HmacSha256 = Hmac<Sha256>;

fn challenge_key(secret: &str) -> HmacSha256 {
    let key = Sha256::digest(format!("homeslot passkey sign-in challenge\n{secret}").as_bytes());
    HmacSha256::new_from_slice(&key).expect("HMAC takes any key length")
}

/// A new sign-in challenge valid until `now + CHALLENGE_MS`: random ‖ expiry ‖ HMAC.
pub fn new_challenge(secret: &str, random: &[u8; 16], now_ms: i64) -> String {
    let mut bytes = random.to_vec();
    bytes.extend_from_slice(&(now_ms + CHALLENGE_MS).to_be_bytes());
    let mut mac = challenge_key(secret);
    mac.update(&bytes);
    bytes.extend_from_slice(&mac.finalize().into_bytes()[..16]);
    encode(&bytes)
}

/// Whether a sign-in challenge is one of ours and not expired; answers its expiry.
pub fn check_challenge(secret: &str, challenge: &str, now_ms: i64) -> Result<i64, ApiError> {
    let bytes = decode(challenge, "the challenge")?;
    if bytes.len() != 40 {
        return Err(refused("its challenge is not ours"));
    }
    let mut mac = challenge_key(secret);
    mac.update(&bytes[..24]);
    mac.verify_truncated_left(&bytes[24..]).map_err(|_| refused("its challenge is not ours"))?;
    let expires = i64::from_be_bytes(bytes[16..24].try_into().expect("8 bytes"));
    if expires < now_ms {
        return Err(refused("it took too long; try again"));
    }
    Ok(expires)
}
