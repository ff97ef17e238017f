//! Checks of what a client types. Each returns the cleaned value or an error naming the field.

use crate::error::{ApiError, ErrorCode};

/// Longest name we store; longer input is almost certainly not a name.
pub const MAX_NAME_CHARS: usize = 100;

/// Trims the client's name and checks it is present, not too long and free of control characters.
///
/// # Errors
/// `name_required` when empty, `validation_failed` when too long or containing control characters.
pub fn client_name(raw: &str) -> Result<String, ApiError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ApiError::field(ErrorCode::NameRequired, "client.name", "Enter your name."));
    }
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "client.name",
            format!("The name must be at most {MAX_NAME_CHARS} characters, without control characters."),
        ));
    }
    Ok(name.to_string())
}

/// Normalises a phone number to E.164 (`+` and 8–15 digits). Spaces, dashes, dots and brackets are
/// ignored; `00` works as the international prefix. Numbers without a country code are refused,
/// since a chain's locations may be in different countries.
///
/// ```
/// use homeslot_core::validation::phone;
/// assert_eq!(phone("+44 (0)7700-900 123").unwrap(), "+447700900123");
/// assert_eq!(phone("0044 7700 900123").unwrap(), "+447700900123");
/// assert!(phone("07700 900123").is_err());
/// ```
///
/// # Errors
/// `invalid_phone` with a message that says how to write it.
pub fn phone(raw: &str) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::field(
            ErrorCode::InvalidPhone,
            "client.phone",
            "Enter the phone number with its country code, e.g. +44 7700 900123.",
        )
    };
    let trimmed = raw.trim();
    let rest = if let Some(rest) = trimmed.strip_prefix('+') {
        rest
    } else if let Some(rest) = trimmed.strip_prefix("00") {
        rest
    } else {
        return Err(invalid());
    };
    // "+44 (0)7700…": the national trunk prefix written in brackets is not dialled internationally.
    let rest = rest.replacen("(0)", "", 1);
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(invalid()),
        }
    }
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(invalid());
    }
    Ok(format!("+{digits}"))
}

/// An e-mail address, trimmed and lower-cased so one person has one form of it.
///
/// ```
/// use homeslot_core::validation::email;
/// assert_eq!(email(" Ana@Example.COM ").unwrap(), "ana@example.com");
/// assert!(email("ana@").is_err() && email("ana example@x.org").is_err());
/// ```
///
/// # Errors
/// `validation_failed` on `client.email`.
pub fn email(raw: &str) -> Result<String, ApiError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        });
    if valid {
        Ok(email)
    } else {
        Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "client.email",
            "Enter an e-mail address such as ana@example.com.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(client_name("  Ana Lima ").unwrap(), "Ana Lima");
        assert_eq!(client_name("   ").unwrap_err().code, ErrorCode::NameRequired);
        assert_eq!(client_name("a\u{7}b").unwrap_err().code, ErrorCode::ValidationFailed);
        assert_eq!(client_name(&"x".repeat(101)).unwrap_err().code, ErrorCode::ValidationFailed);
        assert!(client_name("Zoë Ångström-Ł").is_ok());
    }

    #[test]
    fn phones_are_normalised_or_refused() {
        assert_eq!(phone("+1 (415) 555-0100").unwrap(), "+14155550100");
        for bad in ["", "+", "+44 abc", "+0 7700 900123", "+1234567", "+1234567890123456", "7700900123"] {
            let err = phone(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidPhone, "{bad}");
            assert_eq!(err.field.as_deref(), Some("client.phone"));
        }
    }
}
