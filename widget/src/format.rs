//! Prices and dates formatted for the client's locale by the browser's `Intl`, which costs the
//! widget no bytes of locale data.

use std::cell::RefCell;

use homeslot_core::wire::Money;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

fn locales(language: &str) -> Array {
    Array::of1(&JsValue::from_str(language))
}

thread_local! {
    /// Formatters (and plural rules) already built, by kind, language and options. Building an `Intl` formatter loads
    /// locale data and is slow (on a phone, ~5 ms each: a 14-day date strip built one per day
    /// cost ~150 ms before the first times showed); formatting with a built one is cheap.
    static FORMATTERS: RefCell<Vec<(String, Function)>> = const { RefCell::new(Vec::new()) };
}

/// The `format` function (`select` for `PluralRules`) of the `Intl` object of `kind` for
/// `language` and `pairs`, built on first use and bound to it; `None` where the browser has no
/// such `Intl` object or refuses the options (a currency it does not know): the caller then writes
/// the value itself.
fn formatter(kind: &str, language: &str, pairs: &[(&str, &str)]) -> Option<Function> {
    let mut key = format!("{kind};{language}");
    for (name, value) in pairs {
        key.extend([";", name, "=", value]);
    }
    if let Some(found) = FORMATTERS.with_borrow(|all| all.iter().find(|(k, _)| *k == key).map(|(_, f)| f.clone())) {
        return Some(found);
    }
    // Through `Reflect`, so that a missing `Intl` or a refused option is an answer, not a throw.
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let class: Function = Reflect::get(&intl, &JsValue::from_str(kind)).ok()?.dyn_into().ok()?;
    let built = Reflect::construct(&class, &Array::of2(&locales(language), &options(pairs))).ok()?;
    let method = if kind == "PluralRules" { "select" } else { "format" };
    let format: Function = Reflect::get(&built, &JsValue::from_str(method)).ok()?.dyn_into().ok()?;
    let format = format.bind0(&built);
    FORMATTERS.with_borrow_mut(|all| all.push((key, format.clone())));
    Some(format)
}

/// `format` applied to one value, or `None` when there is no formatter or it refuses the value.
fn apply(format: Option<Function>, value: &JsValue) -> Option<String> {
    format?.call1(&JsValue::NULL, value).ok().and_then(|v| v.as_string())
}

/// `£55.00`, `55,00 £`, `¥5,000`, `5.000 KWD`, … in the widget's language: the amount in the
/// currency's own units (its exponent, from the edge), with the digits the currency has.
pub fn price(money: &Money, language: &str) -> String {
    let digits = money.exponent.to_string();
    let format = formatter(
        "NumberFormat",
        language,
        &[
            ("style", "currency"),
            ("currency", &money.currency),
            ("minimumFractionDigits", &digits),
            ("maximumFractionDigits", &digits),
        ],
    );
    apply(format, &JsValue::from_f64(money.major())).unwrap_or_else(|| {
        // No `Intl` (or it refused the currency). Integer arithmetic on purpose: Rust's float
        // formatting would add ~15 KB to the widget.
        format!("{} {}", homeslot_core::currency::decimal(money.amount_minor, money.exponent), money.currency)
    })
}

/// A day that may be months away (a membership's last day) as e.g. `31 May 2027`: with its year.
pub fn day_of_year(date: &str, language: &str) -> String {
    let Some(parsed) = homeslot_core::time::CivilDate::parse(date) else {
        return date.to_string();
    };
    let (y, m, d) = parsed.ymd();
    let js_date = js_sys::Date::new(&JsValue::from_f64(
        js_sys::Date::utc(y as f64, (m - 1) as f64) + (d - 1) as f64 * 86_400_000.0,
    ));
    let format = formatter(
        "DateTimeFormat",
        language,
        &[("timeZone", "UTC"), ("day", "numeric"), ("month", "long"), ("year", "numeric")],
    );
    apply(format, &js_date).unwrap_or_else(|| date.to_string())
}

/// A local date `YYYY-MM-DD` as e.g. `Wed 25 Nov`. Formatted in UTC so the browser's own time
/// zone can never shift the day.
pub fn date(date: &str, long: bool, language: &str) -> String {
    let Some(parsed) = homeslot_core::time::CivilDate::parse(date) else {
        return date.to_string();
    };
    let (y, m, d) = parsed.ymd();
    let millis = js_sys::Date::utc(y as f64, (m - 1) as f64);
    let js_date = js_sys::Date::new(&JsValue::from_f64(millis + (d - 1) as f64 * 86_400_000.0));
    let month = if long { "long" } else { "short" };
    let weekday = if long { "long" } else { "short" };
    let format = formatter(
        "DateTimeFormat",
        language,
        &[("timeZone", "UTC"), ("weekday", weekday), ("day", "numeric"), ("month", month)],
    );
    apply(format, &js_date).unwrap_or_else(|| date.to_string())
}

/// The CLDR plural category (`one`, `few`, …) of `n` in `language`, by the browser's
/// `Intl.PluralRules` (built once per language, like the formatters); `None` without it.
pub fn plural(n: u32, language: &str) -> Option<String> {
    apply(formatter("PluralRules", language, &[]), &JsValue::from(n))
}

/// A duration such as `1 hour 30 minutes`, written by the browser's `Intl` in the widget's
/// locale: CLDR's unit patterns carry every plural form of each language (Polish `5 minut`,
/// `2 minuty`), so the words need none. `1 h 30 min` without `Intl`.
pub fn duration(minutes: u32, language: &str) -> String {
    let unit = |n: u32, unit: &str, short: &str| {
        let format = formatter("NumberFormat", language, &[("style", "unit"), ("unit", unit), ("unitDisplay", "long")]);
        apply(format, &JsValue::from(n)).unwrap_or_else(|| format!("{n} {short}"))
    };
    match (minutes / 60, minutes % 60) {
        (0, m) => unit(m, "minute", "min"),
        (h, 0) => unit(h, "hour", "h"),
        (h, m) => format!("{} {}", unit(h, "hour", "h"), unit(m, "minute", "min")),
    }
}

/// The wall-clock time of an RFC 3339 instant in the client's own time zone (e.g. when a hold
/// runs out), in the widget's language.
pub fn clock(instant: &str, language: &str) -> String {
    let js_date = js_sys::Date::new(&JsValue::from_str(instant));
    apply(formatter("DateTimeFormat", language, &[("hour", "numeric"), ("minute", "2-digit")]), &js_date)
        .unwrap_or_default()
}

/// An RFC 3339 instant as a date and time in `time_zone` (the location's), e.g. `Tue 24 Nov,
/// 10:00`, in the widget's language.
pub fn moment(instant: &str, time_zone: &str, language: &str) -> String {
    let js_date = js_sys::Date::new(&JsValue::from_str(instant));
    let format = formatter(
        "DateTimeFormat",
        language,
        &[
            ("timeZone", time_zone),
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ],
    );
    apply(format, &js_date).unwrap_or_default()
}

/// Text safe inside HTML markup (for the few views written as markup). The edge's hosted page
/// has its own copy: this one moved to `shared/` cost the first screen 89 B.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
