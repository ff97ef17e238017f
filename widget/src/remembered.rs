//! The client's details remembered on this device (the host page's `localStorage`, one entry per
//! business), so a returning client does not type them again. Only the name, phone and e-mail
//! are kept, and only after a booking went through; "not you?" forgets them. A browser that
//! refuses storage (private mode, blocked) simply remembers nothing.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

use homeslot_core::wire::ClientDetails;

fn key(company: &str) -> String {
    format!("homeslot.{company}.client")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What this device remembers for `company`, if anything usable.
pub fn load(company: &str) -> Option<ClientDetails> {
    let text = storage()?.get_item(&key(company)).ok()??;
    let saved = JSON::parse(&text).ok()?;
    let field = |name: &str| Reflect::get(&saved, &JsValue::from_str(name)).ok()?.as_string();
    let (name, phone) = (field("name")?, field("phone")?);
    (!name.is_empty()).then(|| ClientDetails { name, phone, email: field("email"), ..ClientDetails::default() })
}

/// Remembers the name, phone and e-mail of a booking that went through.
pub fn save(company: &str, client: &ClientDetails) {
    let saved = Object::new();
    let set = |name: &str, value: &str| Reflect::set(&saved, &JsValue::from_str(name), &JsValue::from_str(value));
    let _ = set("name", client.name.trim());
    let _ = set("phone", client.phone.trim());
    if let Some(email) = client.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        let _ = set("email", email);
    }
    if let (Some(storage), Ok(text)) = (storage(), JSON::stringify(&saved)) {
        let _ = storage.set_item(&key(company), &String::from(text));
    }
}

/// Forgets what this device remembers for `company`.
pub fn forget(company: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(company));
    }
}
