//! Standard Webhooks' signature (<https://www.standardwebhooks.com>): `v1,` and the base64 of an
//! HMAC-SHA256, keyed by the secret's bytes (the base64 after `whsec_`), of
//! `{webhook-id}.{webhook-timestamp}.{body}`. Hand-written on `hmac` and `base64`, which the edge
//! already has: the few lines the convention takes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of every signing secret.
pub const PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` and the base64 of 32 random bytes (244 bits of randomness).
pub fn new_secret() -> worker::Result<String> {
    let hex = format!("{}{}", crate::store::random_hex()?, crate::store::random_hex()?);
    let bytes: Vec<u8> =
        (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()).collect();
    Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
}

/// The signature of one attempt by one secret (`v1,…`); none for a secret that is not one.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` header: one signature per secret, space-separated (during a rotation's
/// overlap, the new secret's and the old one's).
pub fn header(secrets: &[String], id: &str, timestamp: i64, body: &str) -> String {
    secrets.iter().filter_map(|secret| signature(secret, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks reference libraries' own test vector.
    #[test]
    fn signs_as_the_reference_libraries_do() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let signed = signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, r#"{"test": 2432232314}"#);
        assert_eq!(signed.as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        assert_eq!(signature("not-a-secret", "msg", 1, "{}"), None);
        let both = header(&[secret.to_string(), secret.to_string()], "msg_1", 1, "{}");
        assert_eq!(both.split(' ').count(), 2);
    }
}
