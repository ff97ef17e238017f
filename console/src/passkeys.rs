//! Passkeys in the browser: the edge's options in, the authenticator's answer out (the calls
//! themselves are in `js/webauthn.js`: WebAuthn's binary fields are simplest to carry in JS).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use homeslot_core::accounts::Me;

use crate::api::{self, Problem};

#[wasm_bindgen(module = "/js/webauthn.js")]
extern "C" {
    #[wasm_bindgen(js_name = createPasskey)]
    fn create_passkey(options: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = getPasskey)]
    fn get_passkey(options: &str) -> js_sys::Promise;
}

fn cancelled() -> Problem {
    Problem {
        code: "passkey_cancelled".into(),
        message: "No passkey was used: the request was cancelled or timed out.".into(),
        field: None,
    }
}

async fn ask(promise: js_sys::Promise) -> Result<serde_json::Value, Problem> {
    let answer = JsFuture::from(promise).await.map_err(|_| cancelled())?;
    serde_json::from_str(&answer.as_string().unwrap_or_default()).map_err(|_| cancelled())
}

/// Makes a passkey on this device for the signed-in person and adds it to their account.
pub async fn add(name: String) -> Result<api::Passkey, Problem> {
    let options = api::passkey_options().await?;
    let mut answer = ask(create_passkey(&options.to_string())).await?;
    answer["name"] = name.into();
    api::add_passkey(answer).await
}

/// Signs in with a passkey of this device (the browser asks which one).
pub async fn sign_in() -> Result<Me, Problem> {
    let options = api::passkey_sign_in_options().await?;
    let answer = ask(get_passkey(&options.to_string())).await?;
    api::passkey_sign_in(answer).await
}
