//! WebCrypto's `crypto.subtle`, which workers-rs does not wrap: one call of one of its methods,
//! awaited. For signatures the Rust crates here do not make (passkeys' ES256, the Google service
//! account's RS256).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An algorithm's parameters: `{"name": …, …}` as `(key, value)` pairs.
pub fn algorithm(pairs: &[(&str, &str)]) -> Result<JsValue, JsValue> {
    let object = js_sys::Object::new();
    for (key, value) in pairs {
        js_sys::Reflect::set(&object, &(*key).into(), &(*value).into())?;
    }
    Ok(object.into())
}

/// `crypto.subtle[name](...args)`, awaited.
pub async fn call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let subtle = js_sys::Reflect::get(&js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?, &"subtle".into())?;
    let function: js_sys::Function = js_sys::Reflect::get(&subtle, &name.into())?.dyn_into()?;
    let args: js_sys::Array = args.iter().collect();
    let promise: js_sys::Promise = function.apply(&subtle, &args)?.dyn_into()?;
    JsFuture::from(promise).await
}
