//! The promo block: what the owner advertises inside the widget (a new service, a season's offer,
//! the business's app). The owner lists promos in the catalog; the edge answers those running
//! today; the widget shows at most one per screen (see docs/promos.md).

use serde::{Deserialize, Serialize};

use crate::catalog::{invalid, is_valid_https_url};
use crate::error::ApiError;
use crate::time::CivilDate;

/// A promo as the owner defines it (the catalog's `promos`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Promo {
    pub id: String,
    /// 1–50 characters. A promo with only a title is a banner.
    pub title: String,
    /// Up to 220 characters; with it (or an image), the banner opens a detail view.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// An `https://` image for the detail view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// The button's words (1–20 characters), with `button_link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_text: Option<String>,
    /// Where the button goes: an `https://` address, or `service:{id}` to open the booking on
    /// that service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_link: Option<String>,
    pub screen: PromoScreen,
    /// The locations it shows at; empty: every location of the company.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location_ids: Vec<String>,
    /// The first and last dates (the location's) it shows, both included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_on: Option<CivilDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<CivilDate>,
    #[serde(default)]
    pub audience: Audience,
}

/// The widget screen a promo appears on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromoScreen {
    Services,
    Specialists,
    Times,
    Success,
}

/// Who sees a promo. The widget judges it on the device (a client it remembers from a booking
/// there is returning), never by asking the edge about a phone number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    #[default]
    Everyone,
    NewClients,
    ReturningClients,
}

impl Promo {
    /// Checks the promo against the catalog; `at` is its JSON path.
    ///
    /// # Errors
    /// `validation_failed` naming the field, with the limit in the message.
    pub(crate) fn validate(&self, at: &str, service_ids: &[&str], location_ids: &[&str]) -> Result<(), ApiError> {
        let field = |f: &str| format!("{at}.{f}");
        // A control character counts as too many: none is ever wanted on a client's screen.
        let chars =
            |text: &str| if text.chars().any(char::is_control) { usize::MAX } else { text.trim().chars().count() };
        if chars(&self.title) == 0 || chars(&self.title) > 50 {
            return Err(invalid(&field("title"), "must be 1–50 characters, without control characters"));
        }
        if self.description.chars().count() > 220 || self.description.chars().any(char::is_control) {
            return Err(invalid(&field("description"), "must be at most 220 characters, without control characters"));
        }
        if let Some(url) = &self.image_url {
            if !is_valid_https_url(url) {
                return Err(invalid(&field("image_url"), "must be an https:// address of at most 500 characters"));
            }
        }
        match (&self.button_text, &self.button_link) {
            (None, None) => {}
            (Some(text), Some(link)) => {
                if chars(text) == 0 || chars(text) > 20 {
                    return Err(invalid(&field("button_text"), "must be 1–20 characters, without control characters"));
                }
                let to_service = link.strip_prefix("service:");
                let link_ok = match to_service {
                    Some(id) => service_ids.contains(&id),
                    None => is_valid_https_url(link),
                };
                if !link_ok {
                    return Err(invalid(
                        &field("button_link"),
                        "must be an https:// address or service:{id} naming a service of the company",
                    ));
                }
            }
            (None, Some(_)) => return Err(invalid(&field("button_text"), "is required with button_link")),
            (Some(_), None) => return Err(invalid(&field("button_link"), "is required with button_text")),
        }
        for (i, id) in self.location_ids.iter().enumerate() {
            if !location_ids.contains(&id.as_str()) {
                return Err(invalid(&field(&format!("location_ids[{i}]")), "is not a location of the company"));
            }
        }
        if let (Some(from), Some(until)) = (self.starts_on, self.ends_on) {
            if until < from {
                return Err(invalid(&field("ends_on"), "must not be before starts_on"));
            }
        }
        Ok(())
    }

    /// Whether it runs on `today` (the location's date).
    pub fn runs_on(&self, today: CivilDate) -> bool {
        self.starts_on.is_none_or(|from| from <= today) && self.ends_on.is_none_or(|until| today <= until)
    }
}

/// The promo a screen shows: the first, in the owner's order, for that screen, location and
/// audience that runs today. At most one per screen.
pub fn for_screen<'a>(
    promos: &'a [Promo],
    screen: PromoScreen,
    location_id: &str,
    returning: bool,
    today: CivilDate,
) -> Option<&'a Promo> {
    promos.iter().find(|p| {
        let audience = match p.audience {
            Audience::Everyone => true,
            Audience::NewClients => !returning,
            Audience::ReturningClients => returning,
        };
        p.screen == screen
            && (p.location_ids.is_empty() || p.location_ids.iter().any(|l| l == location_id))
            && audience
            && p.runs_on(today)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::day;

    fn promo(id: &str, screen: PromoScreen) -> Promo {
        Promo {
            id: id.into(),
            title: "Try our new spa".into(),
            description: String::new(),
            image_url: None,
            button_text: None,
            button_link: None,
            screen,
            location_ids: vec![],
            starts_on: None,
            ends_on: None,
            audience: Audience::Everyone,
        }
    }

    #[test]
    fn limits_are_refused_with_the_field_named() {
        let check = |p: &Promo| p.validate("promos[0]", &["cut"], &["soho"]).map_err(|e| (e.field.unwrap(), e.message));
        assert!(check(&promo("ok", PromoScreen::Services)).is_ok());
        let long = |f: fn(&mut Promo)| {
            let mut p = promo("x", PromoScreen::Services);
            f(&mut p);
            check(&p).unwrap_err()
        };
        assert_eq!(long(|p| p.title = "x".repeat(51)).0, "promos[0].title");
        assert!(long(|p| p.title = "x".repeat(51)).1.contains("1–50"));
        assert_eq!(long(|p| p.description = "x".repeat(221)).0, "promos[0].description");
        assert_eq!(
            long(|p| {
                p.button_text = Some("x".repeat(21));
                p.button_link = Some("service:cut".into());
            })
            .0,
            "promos[0].button_text"
        );
        assert_eq!(
            long(|p| {
                p.button_text = Some("Book".into());
                p.button_link = Some("service:perm".into());
            })
            .0,
            "promos[0].button_link"
        );
        assert_eq!(long(|p| p.button_link = Some("https://x.example".into())).0, "promos[0].button_text");
        assert_eq!(long(|p| p.image_url = Some("http://x.example/a.png".into())).0, "promos[0].image_url");
        assert_eq!(long(|p| p.location_ids = vec!["camden".into()]).0, "promos[0].location_ids[0]");
        assert_eq!(
            long(|p| {
                p.starts_on = Some(day("2026-12-02"));
                p.ends_on = Some(day("2026-12-01"));
            })
            .0,
            "promos[0].ends_on"
        );
    }

    #[test]
    fn a_screen_shows_the_first_promo_that_fits() {
        let mut later = promo("later", PromoScreen::Services);
        later.starts_on = Some(day("2026-12-10"));
        let mut new = promo("new", PromoScreen::Services);
        new.audience = Audience::NewClients;
        let mut camden = promo("camden", PromoScreen::Services);
        camden.location_ids = vec!["camden".into()];
        let everyone = promo("everyone", PromoScreen::Services);
        let success = promo("success", PromoScreen::Success);
        let promos = [later, camden, new, everyone, success];
        let shown = |screen, location, returning, today| {
            for_screen(&promos, screen, location, returning, day(today)).map(|p| p.id.as_str())
        };
        assert_eq!(shown(PromoScreen::Services, "soho", false, "2026-12-01"), Some("new"));
        assert_eq!(shown(PromoScreen::Services, "soho", true, "2026-12-01"), Some("everyone"));
        assert_eq!(shown(PromoScreen::Services, "camden", true, "2026-12-01"), Some("camden"));
        assert_eq!(shown(PromoScreen::Services, "soho", true, "2026-12-10"), Some("later"));
        assert_eq!(shown(PromoScreen::Success, "soho", true, "2026-12-01"), Some("success"));
        assert_eq!(shown(PromoScreen::Times, "soho", true, "2026-12-01"), None);
    }
}
