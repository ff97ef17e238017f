//! Injected faults, for test builds only (`cargo build --features faults`, which `scripts/test`
//! uses): a request with `Homeslot-Fault: after-payment` (or `after-placement`) stops the checkout
//! at that point, as a Worker that dies there would, so the tests can prove that what such a crash
//! leaves behind is put right (and `after-cancel` stops a manage link's cancellation before its
//! refund is delivered); `Homeslot-Fault: overloaded` has the location object refuse the
//! placement as an overloaded object does; `legacy-phone` stores the client's phone as the
//! versions before the numbering plans did (by shape only), and tells the company object its
//! stored phones are written by the old rules, as after a deploy of this version over old data.
//! Release builds carry none of this: the header is ignored.

use crate::error::AppResult;

/// The fault a request asks for, if this build takes any.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    #[cfg(feature = "faults")]
    point: Option<String>,
}

impl Faults {
    /// The request's `Homeslot-Fault` header, in a test build.
    #[cfg_attr(not(feature = "faults"), allow(unused_variables))]
    pub fn of(req: &worker::Request) -> Self {
        #[cfg(feature = "faults")]
        {
            Faults { point: req.headers().get("homeslot-fault").ok().flatten() }
        }
        #[cfg(not(feature = "faults"))]
        {
            Faults {}
        }
    }

    /// A platform error if the request asked to stop at `point`.
    #[cfg_attr(not(feature = "faults"), allow(unused_variables))]
    pub fn at(&self, point: &str) -> AppResult<()> {
        #[cfg(feature = "faults")]
        if self.point.as_deref() == Some(point) {
            return Err(worker::Error::RustError(format!("fault injected {point}")).into());
        }
        Ok(())
    }
}

impl Faults {
    /// In place of the call to the location object: the platform's refusal of an overloaded object
    /// (a JS `Error` with `overloaded: true`, as the platform throws it), read the way every call
    /// reads it, if the request asked for `overloaded`.
    pub fn overloaded(&self) -> AppResult<()> {
        #[cfg(feature = "faults")]
        if self.point.as_deref() == Some("overloaded") {
            let error = js_sys::Error::new("Durable Object is overloaded. Too many requests queued.");
            let _ = js_sys::Reflect::set(&error, &"overloaded".into(), &true.into());
            return Err(crate::store::refused_or_failed(worker::Error::from(wasm_bindgen::JsValue::from(error))));
        }
        Ok(())
    }
}

#[cfg(feature = "faults")]
impl Faults {
    /// Whether the request asked for its phone to be stored as old versions did.
    pub fn legacy_phone(&self) -> bool {
        self.point.as_deref() == Some("legacy-phone")
    }
}

/// A phone as versions before the numbering plans stored it: `+` and the digits after `+` or
/// `00` (a bracketed trunk `(0)` dropped), by shape only, so `+81 090 1234 5678` was
/// `+8109012345678`. Test builds only, to write the data a deploy of this version finds.
#[cfg(feature = "faults")]
pub fn legacy_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let rest = trimmed.strip_prefix('+').or_else(|| trimmed.strip_prefix("00"))?;
    let digits: String = rest.replacen("(0)", "", 1).chars().filter(char::is_ascii_digit).collect();
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}
