//! Secrets the edge must use again, at rest (a business's SMTP password; webhook signing secrets):
//! sealed with AES-256-GCM under a key derived (SHA-256) from the Worker secret `SEAL_KEY`, with a
//! fresh random nonce each time. A copy of an object's storage alone yields none of them; a wrong
//! key or a changed byte fails to open.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};
use worker::Env;

use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;

fn cipher(env: &Env) -> AppResult<Aes256Gcm> {
    let secret = env.secret("SEAL_KEY").map(|s| s.to_string()).unwrap_or_default();
    if secret.len() < 16 {
        // Without the secret no password can be kept: say so, rather than store it in the clear.
        return Err(ApiError::new(
            ErrorCode::SecretsUnavailable,
            "This deployment cannot keep secrets: its SEAL_KEY secret is missing.",
        )
        .into());
    }
    let key = Sha256::digest(secret.as_bytes());
    Aes256Gcm::new_from_slice(&key).map_err(|e| worker::Error::RustError(e.to_string()).into())
}

/// `plain` sealed: base64 of the 12-byte nonce and the ciphertext with its tag.
pub fn seal(env: &Env, plain: &str) -> AppResult<String> {
    let random = crate::store::random_hex()?;
    let nonce_bytes: Vec<u8> =
        (0..12).map(|i| u8::from_str_radix(&random[i * 2..i * 2 + 2], 16).unwrap_or(0)).collect();
    let sealed = cipher(env)?
        .encrypt(Nonce::from_slice(&nonce_bytes), plain.as_bytes())
        .map_err(|_| worker::Error::RustError("sealing failed".into()))?;
    Ok(STANDARD.encode([nonce_bytes, sealed].concat()))
}

/// The text `sealed` holds; an error if it was sealed under another key or changed.
pub fn open(env: &Env, sealed: &str) -> AppResult<String> {
    let bytes = STANDARD.decode(sealed).map_err(|e| worker::Error::RustError(e.to_string()))?;
    if bytes.len() < 12 + 16 {
        return Err(worker::Error::RustError("a sealed secret too short".into()).into());
    }
    let (nonce, body) = bytes.split_at(12);
    let plain = cipher(env)?
        .decrypt(Nonce::from_slice(nonce), body)
        .map_err(|_| worker::Error::RustError("the secret cannot be opened with this SEAL_KEY".into()))?;
    String::from_utf8(plain).map_err(|e| worker::Error::RustError(e.to_string()).into())
}
