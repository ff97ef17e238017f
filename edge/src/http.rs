//! Small HTTP helpers shared by the handlers and the store objects.

use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{Headers, Request, Response};

use homeslot_core::error::{ApiError, ErrorCode};

/// A JSON response with `status`, never cached (availability changes by the second).
pub fn json<T: Serialize>(body: &T, status: u16) -> worker::Result<Response> {
    let text = serde_json::to_string(body).map_err(|e| worker::Error::RustError(e.to_string()))?;
    json_text(text, status)
}

/// A response with a body that is already JSON text.
pub fn json_text(text: String, status: u16) -> worker::Result<Response> {
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    headers.set("cache-control", "no-store")?;
    Ok(Response::ok(text)?.with_status(status).with_headers(headers))
}

/// Largest body of a booking request; real ones are a few hundred bytes.
pub const MAX_BOOKING_BODY: usize = 16 * 1024;
/// Largest catalog document (a chain with hundreds of locations and specialists fits).
pub const MAX_CATALOG_BODY: usize = 1024 * 1024;

/// Reads a JSON body of at most `max_bytes`: larger is `payload_too_large` (413), malformed JSON
/// or a wrong shape is `invalid_json` (400). A number written with a zero fraction (`30.0`) is the
/// integer it equals, as JSON and JSON Schema read it.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request, max_bytes: usize) -> Result<T, ApiError> {
    let text = read_text(req, max_bytes).await?;
    let shape = |e: serde_json::Error| {
        ApiError::new(ErrorCode::InvalidJson, format!("The request body is not valid JSON for this endpoint: {e}"))
    };
    let mut value: serde_json::Value = serde_json::from_str(&text).map_err(shape)?;
    // Every JSON body of the API is an object (serde would read an array as a struct's fields).
    if !value.is_object() {
        return Err(ApiError::new(ErrorCode::InvalidJson, "The request body must be a JSON object."));
    }
    whole_numbers(&mut value);
    T::deserialize(Strict(value)).map_err(shape)
}

/// Reads a command one of the Worker's own objects was sent (JSON the Worker wrote): parsed as it
/// is, without [`read_json`]'s extra pass, since a booking's command carries whole schedules.
pub async fn read_command<T: DeserializeOwned>(req: &mut Request, max_bytes: usize) -> Result<T, ApiError> {
    let text = read_text(req, max_bytes).await?;
    serde_json::from_str(&text).map_err(|e| {
        ApiError::new(ErrorCode::InvalidJson, format!("The command is not valid JSON for this object: {e}"))
    })
}

/// Writes every number with a zero fraction as an integer, so `{"capacity": 2.0}` reads as
/// `{"capacity": 2}` wherever a whole number is expected.
fn whole_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if number.is_f64() => {
            let float = number.as_f64().unwrap_or(f64::NAN);
            // Within ±2^53 a float holds every whole number exactly.
            if float.fract() == 0.0 && float.abs() <= 9_007_199_254_740_992.0 {
                *value = serde_json::Value::from(float as i64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Reads a body of at most `max_bytes` as text (larger is `payload_too_large`).
pub async fn read_text(req: &mut Request, max_bytes: usize) -> Result<String, ApiError> {
    let too_large = || {
        ApiError::new(ErrorCode::PayloadTooLarge, format!("The request body must be at most {} KiB.", max_bytes / 1024))
    };
    // Refuse by the declared length before reading anything, and by the real length after.
    let declared = req.headers().get("content-length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max_bytes) {
        return Err(too_large());
    }
    let text =
        req.text().await.map_err(|_| ApiError::new(ErrorCode::InvalidJson, "The request body could not be read."))?;
    if text.len() > max_bytes {
        return Err(too_large());
    }
    Ok(text)
}

/// A JSON value read as the API documents its bodies: an object is written as an object. Serde
/// would also fill a struct from an array of its fields in order (`"theme_overrides": [null,
/// null]`), which no client means and the OpenAPI document does not allow; this refuses it, at
/// every depth, and otherwise reads the value exactly as `serde_json::from_value` does.
struct Strict(serde_json::Value);

impl<'de> serde::Deserializer<'de> for Strict {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            serde_json::Value::Array(items) => visitor.visit_seq(StrictSeq(items.into_iter())),
            serde_json::Value::Object(fields) => visitor.visit_map(StrictMap(fields.into_iter(), None)),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            serde_json::Value::Object(_) => self.deserialize_any(visitor),
            serde_json::Value::Array(_) => {
                Err(serde::de::Error::invalid_type(serde::de::Unexpected::Seq, &"an object"))
            }
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            serde_json::Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

struct StrictSeq(std::vec::IntoIter<serde_json::Value>);

impl<'de> serde::de::SeqAccess<'de> for StrictSeq {
    type Error = serde_json::Error;

    fn next_element_seed<S: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        self.0.next().map(|value| seed.deserialize(Strict(value))).transpose()
    }
}

struct StrictMap(serde_json::map::IntoIter, Option<serde_json::Value>);

impl<'de> serde::de::MapAccess<'de> for StrictMap {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.0.next() else { return Ok(None) };
        self.1 = Some(value);
        seed.deserialize(serde_json::Value::String(key)).map(Some)
    }

    fn next_value_seed<S: serde::de::DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Self::Error> {
        let value = self.1.take().ok_or_else(|| serde::de::Error::custom("a value without its key"))?;
        seed.deserialize(Strict(value))
    }
}

/// An operator's setting: a secret, or a plain var (local stacks bind `.dev.vars` either way);
/// `None` when unset or empty.
pub fn setting(env: &worker::Env, name: &str) -> Option<String> {
    let value = env.secret(name).map(|s| s.to_string()).or_else(|_| env.var(name).map(|v| v.to_string())).ok()?;
    (!value.is_empty()).then_some(value)
}

/// The edge's own public address (`https://host`), as the request reached it: for links the edge
/// writes (feeds, short links, the manage link in messages).
pub fn origin(req: &worker::Request) -> worker::Result<String> {
    Ok(req.url()?.origin().ascii_serialization())
}
