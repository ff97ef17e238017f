//! How the owner wants the booking widget to look and ask: the order of its steps, its theme and
//! language, which contact fields it shows, the privacy-policy consent, and the owner's own
//! analytics ids. Part of the company's catalog (`Company::widget`); the public catalog carries
//! it so the widget needs no second request.

use serde::{Deserialize, Serialize};

use crate::catalog::{invalid, is_valid_https_url};
use crate::error::ApiError;
use crate::theme::{self, ThemeOverrides};

/// The languages the widget, the hosted page, the e-mails and the calendar files speak (BCP 47
/// primary subtags). A tag with a region (`pt-BR`) speaks its language and writes dates, times and
/// prices for the region (`crate::language`).
pub const LANGUAGES: &[&str] = &[
    "en", "es", "pt", "de", "fr", "pl", "uk", "ar", "he", "it", "nl", "tr", "ru", "kk", "uz", "az", "ka", "hy", "ro",
    "cs", "sk", "hu", "el", "bg", "lt", "lv", "et", "fi", "sv",
];

/// The widget's settings. Every field has a default, so `{}` is a complete value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetSettings {
    /// What the client chooses first after the location.
    pub step_order: StepOrder,
    /// A theme from `themes/` (`"default"`, `"dark"`, `"blush"`, `"forest"`); `None` is the
    /// default theme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// The owner's colours, radius and font on top of the theme; refused unless every text stays
    /// readable (WCAG AA).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme_overrides: Option<ThemeOverrides>,
    /// The widget's language when the page does not choose one; `None` follows the browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The country whose code the phone field starts with (ISO 3166-1 alpha-2, e.g. `"GB"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_country: Option<String>,
    /// Whether the contact step asks for an e-mail address.
    pub email_field: FieldMode,
    /// Whether the contact step asks for a comment, and what the comment field is called.
    pub comment_field: FieldMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment_label: Option<String>,
    /// When set, the client must accept it before booking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_policy: Option<PrivacyPolicy>,
    /// Whether the contact step offers an (optional) marketing-consent box.
    pub marketing_consent: bool,
    /// The owner's own trackers, loaded by the hosted booking page.
    pub analytics: AnalyticsIds,
}

/// The order of the steps after the location.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOrder {
    /// Service, then specialist, then date and time.
    #[default]
    ServiceFirst,
    /// Specialist, then service, then date and time.
    SpecialistFirst,
    /// The service, then a date and time with anyone free, then who of those free then. (The
    /// service comes first because its length decides which times are free.)
    DateFirst,
}

/// Whether a contact field is shown, and whether it must be filled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldMode {
    Hidden,
    #[default]
    Optional,
    Required,
}

/// The text the client accepts, with a link to the full policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyPolicy {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Tracker ids of the owner's own accounts. Empty means none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyticsIds {
    /// A GA4 measurement id, `G-` and letters or digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ga4_measurement_id: Option<String>,
    /// A Tag Manager container id, `GTM-` and letters or digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gtm_container_id: Option<String>,
    /// A Meta Pixel id: digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta_pixel_id: Option<String>,
}

impl WidgetSettings {
    /// Checks every field; errors name the field under `widget.`.
    ///
    /// # Errors
    /// `validation_failed` with the path of the first bad field.
    pub fn validate(&self) -> Result<(), ApiError> {
        theme::check("widget", self.theme.as_deref().unwrap_or("default"), self.theme_overrides.as_ref())?;
        if let Some(language) = &self.language {
            if crate::language::read(language).is_none() {
                return Err(invalid(
                    "widget.language",
                    &format!("must be one of {}, with a region if you like (pt-BR)", LANGUAGES.join(", ")),
                ));
            }
        }
        if let Some(country) = &self.phone_country {
            if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(invalid("widget.phone_country", "must be a two-letter country code such as GB"));
            }
        }
        if let Some(label) = &self.comment_label {
            check_chars("widget.comment_label", label, 40)?;
        }
        if let Some(policy) = &self.privacy_policy {
            check_chars("widget.privacy_policy.text", &policy.text, 500)?;
            if let Some(url) = &policy.url {
                if !is_valid_https_url(url) {
                    return Err(invalid("widget.privacy_policy.url", "must be an https:// address"));
                }
            }
        }
        let ids = &self.analytics;
        check_tracker("widget.analytics.ga4_measurement_id", ids.ga4_measurement_id.as_deref(), "G-", "G-ABC123XYZ9")?;
        check_tracker("widget.analytics.gtm_container_id", ids.gtm_container_id.as_deref(), "GTM-", "GTM-AB12CD3")?;
        if let Some(pixel) = &ids.meta_pixel_id {
            if !(5..=20).contains(&pixel.len()) || !pixel.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(
                    "widget.analytics.meta_pixel_id",
                    "must be the pixel's digits, such as 1234567890",
                ));
            }
        }
        Ok(())
    }
}

fn check_chars(field: &str, text: &str, max: usize) -> Result<(), ApiError> {
    let chars = text.trim().chars().count();
    if chars == 0 || chars > max || text.chars().any(char::is_control) {
        return Err(invalid(field, &format!("must be 1–{max} characters, without control characters")));
    }
    Ok(())
}

fn check_tracker(field: &str, id: Option<&str>, prefix: &str, example: &str) -> Result<(), ApiError> {
    let Some(id) = id else { return Ok(()) };
    let ok = id.strip_prefix(prefix).is_some_and(|rest| {
        (4..=20).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(invalid(field, &format!("must look like {example}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_object_is_the_default() {
        let settings: WidgetSettings = serde_json::from_str("{}").unwrap();
        assert_eq!(settings, WidgetSettings::default());
        assert_eq!(settings.email_field, FieldMode::Optional);
        settings.validate().unwrap();
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (r#"{"theme":"Dark Blue"}"#, "widget.theme"),
            (r##"{"theme_overrides":{"accent":"#eeeeee"}}"##, "widget.theme_overrides.accent"),
            (r#"{"language":"xx"}"#, "widget.language"),
            (r#"{"language":"pt-Brazil"}"#, "widget.language"),
            (r#"{"phone_country":"gb"}"#, "widget.phone_country"),
            (r#"{"comment_label":""}"#, "widget.comment_label"),
            (r#"{"privacy_policy":{"text":"I agree","url":"http://x.example"}}"#, "widget.privacy_policy.url"),
            (r#"{"analytics":{"ga4_measurement_id":"UA-1234-1"}}"#, "widget.analytics.ga4_measurement_id"),
            (r#"{"analytics":{"gtm_container_id":"GTM-"}}"#, "widget.analytics.gtm_container_id"),
            (r#"{"analytics":{"meta_pixel_id":"12ab"}}"#, "widget.analytics.meta_pixel_id"),
        ];
        for (json, field) in cases {
            let settings: WidgetSettings = serde_json::from_str(json).unwrap();
            assert_eq!(settings.validate().unwrap_err().field.as_deref(), Some(field), "{json}");
        }
        let good: WidgetSettings = serde_json::from_str(
            r#"{"step_order":"specialist_first","theme":"dark","language":"es-MX","phone_country":"GB",
                "email_field":"required","comment_field":"hidden","comment_label":"Notes for your stylist",
                "privacy_policy":{"text":"I accept the privacy policy","url":"https://salon.example/privacy"},
                "analytics":{"ga4_measurement_id":"G-ABC123XYZ9","gtm_container_id":"GTM-AB12CD3","meta_pixel_id":"1234567890"}}"#,
        )
        .unwrap();
        good.validate().unwrap();
    }
}
