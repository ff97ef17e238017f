//! Short links, one per place the business is advertised: `/s/{company}/{name}` (an Instagram
//! bio's `instagram`, a Google Maps profile's `google-maps`, a printed `flyer`) opens the hosted
//! booking page with the owner's UTM parameters, so each source's bookings are told apart in the
//! owner's analytics and in the bookings' attribution. The edge counts each link's visits.

use serde::{Deserialize, Serialize};

use crate::catalog::{invalid, is_valid_id};
use crate::error::ApiError;

/// The most short links a business keeps (one per source, not one per post).
pub const MAX_LINKS: usize = 50;

/// One short link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortLink {
    /// The link's last segment, `a–z 0–9 -` (at most 40): `instagram`.
    pub name: String,
    /// `utm_source`: where the link is placed (`instagram`).
    pub utm_source: String,
    /// `utm_medium`, e.g. `social`, `print`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    /// `utm_campaign`, e.g. `spring-2027`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
    /// The location the page opens at (else the client chooses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The service the page opens on (else the client chooses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
}

/// A UTM value: 1–100 of `A–Z a–z 0–9 - _ .`, which an address carries as they are (no encoding
/// to get wrong, nothing for a report to split on).
fn is_valid_utm(value: &str) -> bool {
    (1..=100).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

impl ShortLink {
    /// The hosted page's path (with its query) this link opens:
    /// `/b/{company}[/{location}]?[service=…&]utm_source=…[&utm_medium=…][&utm_campaign=…]`.
    ///
    /// ```
    /// use homeslot_core::links::ShortLink;
    /// let link = ShortLink { name: "flyer".into(), utm_source: "flyer".into(), utm_medium: Some("print".into()),
    ///     utm_campaign: None, location_id: Some("soho".into()), service_id: Some("mens-cut".into()) };
    /// assert_eq!(link.target("demo"), "/b/demo/soho?service=mens-cut&utm_source=flyer&utm_medium=print");
    /// ```
    pub fn target(&self, company: &str) -> String {
        let mut path = format!("/b/{company}");
        if let Some(location) = &self.location_id {
            path.push('/');
            path.push_str(location);
        }
        let mut query = Vec::new();
        if let Some(service) = &self.service_id {
            query.push(format!("service={service}"));
        }
        query.push(format!("utm_source={}", self.utm_source));
        if let Some(medium) = &self.utm_medium {
            query.push(format!("utm_medium={medium}"));
        }
        if let Some(campaign) = &self.utm_campaign {
            query.push(format!("utm_campaign={campaign}"));
        }
        format!("{path}?{}", query.join("&"))
    }
}

/// Checks a business's short links against its catalog; problems name the field
/// (`short_links[2].utm_source`).
///
/// # Errors
/// `validation_failed` for a bad or repeated name, a bad UTM value, or a location or service the
/// catalog does not have.
pub fn validate(links: &[ShortLink], location_ids: &[&str], service_ids: &[&str]) -> Result<(), ApiError> {
    if links.len() > MAX_LINKS {
        return Err(invalid("short_links", &format!("may hold at most {MAX_LINKS} links")));
    }
    for (i, link) in links.iter().enumerate() {
        let at = |field: &str| format!("short_links[{i}].{field}");
        if !is_valid_id(&link.name) || link.name.len() > 40 {
            return Err(invalid(&at("name"), "must be 1–40 characters of a–z, 0–9 and -"));
        }
        if links[..i].iter().any(|other| other.name == link.name) {
            return Err(invalid(&at("name"), "is already the name of another link"));
        }
        for (field, value) in [
            ("utm_source", Some(&link.utm_source)),
            ("utm_medium", link.utm_medium.as_ref()),
            ("utm_campaign", link.utm_campaign.as_ref()),
        ] {
            if value.is_some_and(|v| !is_valid_utm(v)) {
                return Err(invalid(&at(field), "must be 1–100 characters of letters, digits, - _ and ."));
            }
        }
        if link.location_id.as_deref().is_some_and(|id| !location_ids.contains(&id)) {
            return Err(invalid(&at("location_id"), "is not a location of this business"));
        }
        if link.service_id.as_deref().is_some_and(|id| !service_ids.contains(&id)) {
            return Err(invalid(&at("service_id"), "is not a service of this business"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(name: &str, source: &str) -> ShortLink {
        ShortLink {
            name: name.into(),
            utm_source: source.into(),
            utm_medium: None,
            utm_campaign: None,
            location_id: None,
            service_id: None,
        }
    }

    #[test]
    fn links_open_the_hosted_page_with_their_campaign() {
        assert_eq!(link("instagram", "instagram").target("demo"), "/b/demo?utm_source=instagram");
        let mut flyer = link("flyer", "flyer");
        flyer.utm_campaign = Some("spring-2027".into());
        assert_eq!(flyer.target("demo"), "/b/demo?utm_source=flyer&utm_campaign=spring-2027");
    }

    #[test]
    fn bad_links_are_refused_at_their_field() {
        let ok = [link("instagram", "instagram"), link("google-maps", "google.maps")];
        validate(&ok, &["soho"], &["cut"]).unwrap();
        let field = |links: &[ShortLink]| validate(links, &["soho"], &["cut"]).unwrap_err().field.unwrap();
        assert_eq!(field(&[link("Insta", "x")]), "short_links[0].name");
        assert_eq!(field(&[link("a", "x"), link("a", "y")]), "short_links[1].name");
        assert_eq!(field(&[link("a", "two words")]), "short_links[0].utm_source");
        assert_eq!(field(&[link("a", "x&y=z")]), "short_links[0].utm_source");
        let mut elsewhere = link("a", "x");
        elsewhere.location_id = Some("camden".into());
        assert_eq!(field(&[elsewhere]), "short_links[0].location_id");
        let mut unknown = link("a", "x");
        unknown.service_id = Some("perm".into());
        assert_eq!(field(&[unknown]), "short_links[0].service_id");
        let many: Vec<ShortLink> = (0..=MAX_LINKS).map(|i| link(&format!("l{i}"), "x")).collect();
        assert_eq!(field(&many), "short_links");
    }
}
