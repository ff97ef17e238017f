//! Checks of what a client types. Each returns the cleaned value or an error naming the field.

use crate::error::{ApiError, ErrorCode};
use crate::settings::{FieldMode, WidgetSettings};
use crate::wire::ClientDetails;

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

/// The longest attribution value kept (a UTM parameter or a click id).
pub const MAX_ATTRIBUTION_CHARS: usize = 200;

/// Checks where a client came from: each value trimmed, at most [`MAX_ATTRIBUTION_CHARS`], without
/// control characters; empty values dropped, and no attribution at all if none is left.
///
/// # Errors
/// `validation_failed` naming the field, e.g. `attribution.utm_source`.
pub fn attribution(given: &crate::wire::Attribution) -> Result<Option<crate::wire::Attribution>, ApiError> {
    let mut checked = given.clone();
    let mut any = false;
    for (name, value) in checked.fields_mut() {
        let Some(text) = value.as_deref().map(str::trim) else { continue };
        if text.chars().count() > MAX_ATTRIBUTION_CHARS || text.chars().any(char::is_control) {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                format!("attribution.{name}"),
                format!("attribution.{name} must be at most {MAX_ATTRIBUTION_CHARS} characters, without control characters."),
            ));
        }
        *value = (!text.is_empty()).then(|| text.to_string());
        any |= value.is_some();
    }
    Ok(any.then_some(checked))
}

/// Whether `text` is written as E.164: `+` and 8–15 digits, the first not 0. A shape check only
/// (what a stored phone looks like); [`phone`] decides whether a number exists.
///
/// ```
/// use homeslot_core::validation::is_e164;
/// assert!(is_e164("+447400123456"));
/// assert!(!is_e164("+44 7400 123456") && !is_e164("07400123456") && !is_e164("+0123456789"));
/// ```
pub fn is_e164(text: &str) -> bool {
    text.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
    })
}

/// A phone number as a client or an owner typed it, checked against the numbering plan of its
/// country (Google's libphonenumber metadata, through the `rlibphonenumber` crate) and written in
/// E.164, so that one person's number has one form however it was typed:
///
/// - `+44 7400 123456`, `+44 (0)7400-123 456`, `0044 7400 123456` and, for an owner whose
///   `phone_country` is `GB`, `07400 123456` are all `+447400123456`;
/// - `+81 090 1234 5678` (the trunk zero written after the country code) is `+819012345678`;
/// - a number that cannot exist (too short or long for its country, a range never allocated, an
///   unknown country code) is refused, and so is a national number without a `country` to read
///   it in.
///
/// Only the edge parses phones (feature `phones`): the metadata would weigh on the widget.
///
/// ```
/// use homeslot_core::validation::phone;
/// assert_eq!(phone("+44 (0)7400-123 456", None).unwrap(), "+447400123456");
/// assert_eq!(phone("07400 123456", Some("GB")).unwrap(), "+447400123456");
/// assert_eq!(phone("+81 090 1234 5678", None).unwrap(), "+819012345678");
/// assert!(phone("07400 123456", None).is_err());
/// assert!(phone("+8109012345678 ext", None).is_err());
/// ```
///
/// # Errors
/// `invalid_phone` (field `client.phone`) with a message that says how to write it.
#[cfg(feature = "phones")]
pub fn phone(raw: &str, country: Option<&str>) -> Result<String, ApiError> {
    use rlibphonenumber::{PhoneNumberFormat, Region, PHONE_NUMBER_UTIL};
    let invalid = |message: &str| ApiError::field(ErrorCode::InvalidPhone, "client.phone", message);
    let trimmed = raw.trim();
    // Only what people write in a phone number, and not much of it: the parser never sees more.
    let plain = trimmed.len() <= 40
        && trimmed.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '+'));
    if !plain || trimmed.chars().filter(char::is_ascii_digit).count() < 5 {
        return Err(invalid("Enter a phone number, with its country code, e.g. +44 7400 123456."));
    }
    // `00` is the international prefix in most of the world: read it as `+` whatever the country.
    let written = match trimmed.strip_prefix("00") {
        Some(rest) if !trimmed.starts_with("000") => format!("+{rest}"),
        _ => trimmed.to_string(),
    };
    let region = country.and_then(|code| Region::from_code(code).ok());
    let parsed = PHONE_NUMBER_UTIL.parse(&written, region).map_err(|_| match region {
        None if !written.starts_with('+') => {
            invalid("Enter the phone number with its country code, e.g. +44 7400 123456.")
        }
        _ => invalid("This phone number cannot exist. Check it, with its country code, e.g. +44 7400 123456."),
    })?;
    if !parsed.is_valid() {
        return Err(invalid("This phone number cannot exist. Check it, with its country code, e.g. +44 7400 123456."));
    }
    Ok(parsed.format_as(PhoneNumberFormat::E164).into_owned())
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

/// The international calling code of a country (ISO 3166-1 alpha-2), for the phone field's
/// starting `+CC`: the countries Homeslot's businesses are in so far (unknown ones start empty).
///
/// ```
/// use homeslot_core::validation::calling_code;
/// assert_eq!(calling_code("GB"), Some("44"));
/// assert_eq!(calling_code("ZZ"), None);
/// ```
pub fn calling_code(country: &str) -> Option<&'static str> {
    #[rustfmt::skip]
    const CODES: &[(&str, &str)] = &[
        ("AE", "971"), ("AR", "54"), ("AT", "43"), ("AU", "61"), ("BE", "32"), ("BG", "359"), ("BR", "55"),
        ("CA", "1"), ("CH", "41"), ("CL", "56"), ("CO", "57"), ("CY", "357"), ("CZ", "420"), ("DE", "49"),
        ("DK", "45"), ("EE", "372"), ("EG", "20"), ("ES", "34"), ("FI", "358"), ("FR", "33"), ("GB", "44"),
        ("GE", "995"), ("GR", "30"), ("HR", "385"), ("HU", "36"), ("IE", "353"), ("IL", "972"), ("IN", "91"),
        ("IS", "354"), ("IT", "39"), ("JO", "962"), ("JP", "81"), ("KR", "82"), ("KW", "965"), ("KZ", "7"),
        ("LB", "961"), ("LT", "370"), ("LU", "352"), ("LV", "371"), ("MA", "212"), ("MD", "373"), ("MT", "356"),
        ("MX", "52"), ("NL", "31"), ("NO", "47"), ("NZ", "64"), ("PE", "51"), ("PL", "48"), ("PT", "351"),
        ("QA", "974"), ("RO", "40"), ("RS", "381"), ("SA", "966"), ("SE", "46"), ("SG", "65"), ("SI", "386"),
        ("SK", "421"), ("TR", "90"), ("UA", "380"), ("US", "1"), ("UY", "598"), ("ZA", "27"),
    ];
    CODES.iter().find(|(c, _)| *c == country).map(|(_, code)| *code)
}

/// Longest comment we store.
pub const MAX_COMMENT_CHARS: usize = 500;

/// What the contact step adds to a booking beyond the name and phone, as the owner set it up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactStep {
    pub email: Option<String>,
    pub comment: Option<String>,
    pub privacy_accepted: bool,
    pub marketing_consent: bool,
}

/// Checks the e-mail, comment and consents against the owner's widget settings. A field the
/// owner hides is dropped (it is not theirs to keep), as is a marketing consent they do not ask
/// for; a required one must be there; a privacy policy must be accepted.
///
/// # Errors
/// `email_required`, `comment_required` or `consent_required` (each naming its field), or
/// `validation_failed` for a malformed e-mail or a comment that is too long.
pub fn contact_step(details: &ClientDetails, settings: &WidgetSettings) -> Result<ContactStep, ApiError> {
    let given = |value: &Option<String>| value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let email = match (settings.email_field, given(&details.email)) {
        (FieldMode::Hidden, _) => None,
        (FieldMode::Required, None) => {
            return Err(ApiError::field(ErrorCode::EmailRequired, "client.email", "Enter your e-mail address."));
        }
        (_, raw) => raw.as_deref().map(email).transpose()?,
    };
    let comment = match (settings.comment_field, given(&details.comment)) {
        (FieldMode::Hidden, _) => None,
        (FieldMode::Required, None) => {
            return Err(ApiError::field(ErrorCode::CommentRequired, "client.comment", "Please fill in this field."));
        }
        (_, Some(text))
            if text.chars().count() > MAX_COMMENT_CHARS || text.chars().any(|c| c.is_control() && c != '\n') =>
        {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "client.comment",
                format!("The comment must be at most {MAX_COMMENT_CHARS} characters."),
            ));
        }
        (_, text) => text,
    };
    if settings.privacy_policy.is_some() && !details.privacy_accepted {
        return Err(ApiError::field(
            ErrorCode::ConsentRequired,
            "client.privacy_accepted",
            "Please accept the privacy policy to book.",
        ));
    }
    Ok(ContactStep {
        email,
        comment,
        privacy_accepted: settings.privacy_policy.is_some() && details.privacy_accepted,
        marketing_consent: settings.marketing_consent && details.marketing_consent,
    })
}

/// The contact details a front desk takes on the phone or at the desk: the e-mail and comment are
/// optional whatever the widget asks (the client is not filling in the form), no privacy policy
/// is accepted on the client's behalf, and marketing consent is kept only when the owner asks
/// for it.
///
/// # Errors
/// `validation_failed` for a malformed e-mail or a comment that is too long.
pub fn desk_contact(details: &ClientDetails, settings: &WidgetSettings) -> Result<ContactStep, ApiError> {
    let desk = WidgetSettings {
        email_field: FieldMode::Optional,
        comment_field: FieldMode::Optional,
        privacy_policy: None,
        marketing_consent: settings.marketing_consent,
        ..WidgetSettings::default()
    };
    contact_step(details, &desk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::PrivacyPolicy;

    #[test]
    fn the_contact_step_follows_the_owners_settings() {
        let details = |email: Option<&str>, comment: Option<&str>, privacy: bool, marketing: bool| ClientDetails {
            name: "Ana".into(),
            phone: "+447700900123".into(),
            email: email.map(Into::into),
            comment: comment.map(Into::into),
            privacy_accepted: privacy,
            marketing_consent: marketing,
            language: None,
        };
        let settings = |email: FieldMode, comment: FieldMode, policy: bool, marketing: bool| WidgetSettings {
            email_field: email,
            comment_field: comment,
            privacy_policy: policy.then(|| PrivacyPolicy { text: "We keep your data safe.".into(), url: None }),
            marketing_consent: marketing,
            ..WidgetSettings::default()
        };
        let code = |r: Result<ContactStep, ApiError>| r.map_err(|e| (e.code, e.field)).err();
        let open = settings(FieldMode::Optional, FieldMode::Optional, false, false);

        // Optional fields: empty is fine, given ones are cleaned.
        assert_eq!(contact_step(&details(None, Some("  "), false, false), &open).unwrap(), ContactStep::default());
        let kept = contact_step(&details(Some(" Ana@X.org "), Some(" Left-handed "), false, false), &open).unwrap();
        assert_eq!((kept.email.as_deref(), kept.comment.as_deref()), (Some("ana@x.org"), Some("Left-handed")));
        // Hidden fields and an unoffered consent are dropped, never kept.
        let hidden = settings(FieldMode::Hidden, FieldMode::Hidden, false, false);
        assert_eq!(
            contact_step(&details(Some("bad"), Some("x"), true, true), &hidden).unwrap(),
            ContactStep::default()
        );
        // Required fields.
        let required = settings(FieldMode::Required, FieldMode::Required, false, true);
        assert_eq!(
            code(contact_step(&details(None, Some("x"), false, false), &required)),
            Some((ErrorCode::EmailRequired, Some("client.email".into())))
        );
        assert_eq!(
            code(contact_step(&details(Some("a@b.co"), Some(" "), false, false), &required)),
            Some((ErrorCode::CommentRequired, Some("client.comment".into())))
        );
        let all = contact_step(&details(Some("a@b.co"), Some("x"), false, true), &required).unwrap();
        assert!(all.marketing_consent && !all.privacy_accepted);
        // A malformed e-mail and a long comment are refused even when optional.
        assert_eq!(
            code(contact_step(&details(Some("a@"), None, false, false), &open)).unwrap().0,
            ErrorCode::ValidationFailed
        );
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            code(contact_step(&details(None, Some(&long), false, false), &open)).unwrap().1.as_deref(),
            Some("client.comment")
        );
        assert!(contact_step(&details(None, Some("two\nlines"), false, false), &open).is_ok());
        // A privacy policy must be accepted.
        let policy = settings(FieldMode::Optional, FieldMode::Optional, true, false);
        assert_eq!(
            code(contact_step(&details(None, None, false, false), &policy)),
            Some((ErrorCode::ConsentRequired, Some("client.privacy_accepted".into())))
        );
        assert!(contact_step(&details(None, None, true, false), &policy).unwrap().privacy_accepted);
    }

    #[test]
    fn names_are_trimmed_and_required() {
        assert_eq!(client_name("  Ana Lima ").unwrap(), "Ana Lima");
        assert_eq!(client_name("   ").unwrap_err().code, ErrorCode::NameRequired);
        assert_eq!(client_name("a\u{7}b").unwrap_err().code, ErrorCode::ValidationFailed);
        assert_eq!(client_name(&"x".repeat(101)).unwrap_err().code, ErrorCode::ValidationFailed);
        assert!(client_name("Zoë Ångström-Ł").is_ok());
    }

    #[cfg(feature = "phones")]
    #[test]
    fn one_number_has_one_form_however_it_is_typed() {
        let gb = "+447400123456";
        for typed in
            ["+44 7400 123456", "+44 (0)7400-123 456", "0044 7400 123456", " +447400123456 ", "+44.7400.123.456"]
        {
            assert_eq!(phone(typed, None).unwrap(), gb, "{typed}");
            assert_eq!(phone(typed, Some("FR")).unwrap(), gb, "{typed} from France");
        }
        assert_eq!(phone("07400 123456", Some("GB")).unwrap(), gb);
        // A trunk zero written after the country code is not part of the number.
        for typed in ["+81 90 1234 5678", "+81 090 1234 5678", "090-1234-5678"] {
            assert_eq!(phone(typed, Some("JP")).unwrap(), "+819012345678", "{typed}");
        }
        assert_eq!(phone("+1 (212) 555-0123", None).unwrap(), "+12125550123");
        assert_eq!(phone("8 701 123 4567", Some("KZ")).unwrap(), "+77011234567");
    }

    #[cfg(feature = "phones")]
    #[test]
    fn numbers_that_cannot_exist_are_refused() {
        let bad = [
            "",
            "+",
            "+44 abc",
            "+44 7400 1234567", // one digit too many for a UK mobile
            "+44 7400 12345",   // one too few
            "+44 7700 900123",  // a range never allocated (Ofcom keeps it for drama)
            "+999 1234 5678",   // no such country code
            "+0 7400 123456",
            "07400 123456",        // national, and no country to read it in
            "+44 7400 123456 x12", // letters
            "+44 7400 123456 +44 7400 123456 +44 7400 1",
        ];
        for typed in bad {
            let err = phone(typed, None).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidPhone, "{typed}");
            assert_eq!(err.field.as_deref(), Some("client.phone"));
        }
        assert_eq!(phone("+81 090 1234 567", None).unwrap_err().code, ErrorCode::InvalidPhone);
    }

    #[test]
    fn stored_phones_have_one_shape() {
        assert!(is_e164("+14155550100"));
        for bad in ["", "+", "+44 7400", "+0123456789", "+1234567", "+1234567890123456", "447400123456"] {
            assert!(!is_e164(bad), "{bad}");
        }
    }
}

#[cfg(test)]
mod attribution_tests {
    use super::*;
    use crate::wire::Attribution;

    #[test]
    fn attribution_is_trimmed_emptied_and_bounded() {
        let given =
            Attribution { utm_source: Some(" newsletter ".into()), gclid: Some("  ".into()), ..Default::default() };
        let kept = attribution(&given).unwrap().unwrap();
        assert_eq!((kept.utm_source.as_deref(), kept.gclid), (Some("newsletter"), None));
        assert_eq!(attribution(&Attribution { fbclid: Some(String::new()), ..Default::default() }).unwrap(), None);
        let long = Attribution { utm_campaign: Some("x".repeat(201)), ..Default::default() };
        assert_eq!(attribution(&long).unwrap_err().field.as_deref(), Some("attribution.utm_campaign"));
        let control = Attribution { gclid: Some("a\u{0}b".into()), ..Default::default() };
        assert_eq!(attribution(&control).unwrap_err().field.as_deref(), Some("attribution.gclid"));
        assert!(serde_json::from_str::<Attribution>(r#"{"utm_source":"a","email":"x@y"}"#).is_err(), "unknown keys");
    }
}
