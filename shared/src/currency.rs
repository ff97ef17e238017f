//! ISO 4217 currencies: which codes a business may price in, and how many digits each one's
//! minor unit has (its *exponent*: JPY 0, EUR 2, KWD 3). Amounts are always integers of the minor
//! unit; the exponent is what turns them into the number a person reads (`5000` JPY is ¥5,000,
//! `5000` EUR is €50.00, `5000` KWD is 5.000 KD). The table is the `iso_currency` crate's (the
//! ISO 4217 list, kept up to date there), not a list typed here.
//!
//! Only the edge looks codes up: every [`crate::wire::Money`] it sends carries its exponent, so
//! the widget ships no table.

/// The largest amount a price, a discount or a balance may be, in minor units: a trillion, far
/// above any real price in any currency, and well inside what every JSON reader (and GA4) holds
/// exactly.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000;

/// The exponent of currency `code` (an upper-case ISO 4217 code), or `None` for a code that is not
/// a currency one can price in (unknown, or one of the special codes without a minor unit such as
/// `XAU`, gold, or `XXX`).
///
/// ```
/// use homeslot_core::currency::exponent;
/// assert_eq!((exponent("JPY"), exponent("EUR"), exponent("KWD"), exponent("CLF")), (Some(0), Some(2), Some(3), Some(4)));
/// assert_eq!((exponent("XAU"), exponent("ABC"), exponent("eur")), (None, None, None));
/// ```
pub fn exponent(code: &str) -> Option<u8> {
    let currency = iso_currency::Currency::from_code(code)?;
    currency.exponent().and_then(|e| u8::try_from(e).ok())
}

/// An amount of minor units as a plain decimal number with the currency's digits, for people and
/// spreadsheets: `decimal(5000, 0)` is `5000`, `decimal(5000, 2)` is `50.00`, `decimal(-5, 3)` is
/// `-0.005`. Integer arithmetic only (no float can round a price).
///
/// ```
/// use homeslot_core::currency::decimal;
/// assert_eq!(decimal(5000, 0), "5000");
/// assert_eq!(decimal(1250, 2), "12.50");
/// assert_eq!(decimal(1250, 3), "1.250");
/// assert_eq!(decimal(-5, 2), "-0.05");
/// ```
pub fn decimal(amount_minor: i64, exponent: u8) -> String {
    // By hand rather than with `format!`'s padding, which would cost the widget (it writes prices
    // with this where the browser has no `Intl`) about 3 KB.
    let mut text = amount_minor.unsigned_abs().to_string();
    let places = usize::from(exponent);
    while text.len() <= places {
        text.insert(0, '0');
    }
    if places > 0 {
        text.insert(text.len() - places, '.');
    }
    if amount_minor < 0 {
        text.insert(0, '-');
    }
    text
}

/// An amount of minor units as a number of major units (what GA4's `value` and Meta's `value`
/// take): `5000` JPY is `5000.0`, `5000` EUR is `50.0`, `5000` KWD is `5.0`.
pub fn major(amount_minor: i64, exponent: u8) -> f64 {
    amount_minor as f64 / 10f64.powi(i32::from(exponent))
}

/// What a person typed as a price (`"55"`, `"55.5"`, `"1 250,00"`), read in minor units of a
/// currency with `exponent` digits: the inverse of [`decimal`]. A comma is read as the decimal
/// point, spaces are ignored. `None` for anything else, a negative amount, more digits than the
/// currency has, or more than [`MAX_AMOUNT_MINOR`].
///
/// ```
/// use homeslot_core::currency::parse_decimal;
/// assert_eq!(parse_decimal("55", 2), Some(5500));
/// assert_eq!(parse_decimal("55,5", 2), Some(5550));
/// assert_eq!(parse_decimal("5000", 0), Some(5000));
/// assert_eq!(parse_decimal("1.250", 3), Some(1250));
/// assert_eq!((parse_decimal("5.5", 0), parse_decimal("-1", 2), parse_decimal("", 2)), (None, None, None));
/// ```
pub fn parse_decimal(text: &str, exponent: u8) -> Option<i64> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).map(|c| if c == ',' { '.' } else { c }).collect();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let places = usize::from(exponent);
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 13 || !digits(whole) || !digits(fraction) || fraction.len() > places {
        return None;
    }
    let mut minor: i64 = whole.parse().ok()?;
    for i in 0..places {
        let digit = fraction.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        minor = minor.checked_mul(10)?.checked_add(digit)?;
    }
    (minor <= MAX_AMOUNT_MINOR).then_some(minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prices_read_back_what_decimal_writes() {
        for exponent in 0..=4 {
            for minor in [0, 1, 9, 10, 1250, 5500, 123_456_789, MAX_AMOUNT_MINOR] {
                assert_eq!(parse_decimal(&decimal(minor, exponent), exponent), Some(minor), "{minor} e{exponent}");
            }
        }
        for bad in ["", ".", "1.2.3", "abc", "1e3", "+5", "-5", "12.345", "99999999999999"] {
            assert_eq!(parse_decimal(bad, 2), None, "{bad}");
        }
    }

    #[test]
    fn the_currencies_businesses_price_in_have_their_own_digits() {
        for (code, digits) in [("JPY", 0), ("KRW", 0), ("CLP", 0), ("ISK", 0), ("EUR", 2), ("GBP", 2), ("USD", 2)] {
            assert_eq!(exponent(code), Some(digits), "{code}");
        }
        for (code, digits) in [("KWD", 3), ("BHD", 3), ("JOD", 3), ("OMR", 3), ("TND", 3), ("CLF", 4)] {
            assert_eq!(exponent(code), Some(digits), "{code}");
        }
    }

    #[test]
    fn codes_without_a_minor_unit_or_that_are_not_currencies_are_refused() {
        for code in ["XAU", "XAG", "XXX", "XTS", "XDR", "ABC", "", "EURO", "gbp"] {
            assert_eq!(exponent(code), None, "{code}");
        }
    }

    #[test]
    fn the_api_document_lists_exactly_the_currencies_a_company_may_use() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../edge/openapi.json")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let listed = &doc["components"]["schemas"]["Company"]["properties"]["currency"]["enum"];
        let mut listed: Vec<&str> = listed.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        listed.sort_unstable();
        let mut accepted: Vec<String> = <iso_currency::Currency as iso_currency::IntoEnumIterator>::iter()
            .map(|c| c.code().to_string())
            .filter(|code| exponent(code).is_some())
            .collect();
        accepted.sort_unstable();
        assert_eq!(listed, accepted, "edge/openapi.json's currency enum");
    }

    #[test]
    fn decimals_and_major_units_follow_the_exponent() {
        assert_eq!(decimal(0, 2), "0.00");
        assert_eq!(decimal(7, 3), "0.007");
        assert_eq!(decimal(123_456, 3), "123.456");
        assert_eq!(decimal(i64::MIN, 2), "-92233720368547758.08");
        assert_eq!(major(5000, 0), 5000.0);
        assert_eq!(major(5000, 2), 50.0);
        assert_eq!(major(5250, 3), 5.25);
    }
}
