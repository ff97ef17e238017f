//! The code an owner pastes into their site, and the hosted page's link, for each way of showing
//! the booking form (docs/embedding.md). The console's embed screen shows these; the snippets are
//! the ones the embedding tests load.
//!
//! Everything written into the HTML is checked first — the edge an origin (`https://host[:port]`),
//! ids the catalog's `[a-z0-9-]` — so nothing needs escaping, and nothing else is accepted.

use crate::catalog::{is_valid_id, is_valid_origin};

/// How the form appears on the owner's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// In the page, where the code is pasted.
    Inline,
    /// A floating "Book" button in a corner that opens a slide-in panel.
    Floating,
    /// The owner's own button opens it in a popup.
    Popup,
    /// In a frame served by the edge: for pages whose policy forbids WebAssembly, and builders
    /// that take only an iframe.
    Iframe,
}

impl Mode {
    pub const ALL: [Mode; 4] = [Mode::Inline, Mode::Floating, Mode::Popup, Mode::Iframe];

    /// The wire form (`data-mode`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Inline => "inline",
            Mode::Floating => "floating",
            Mode::Popup => "popup",
            Mode::Iframe => "iframe",
        }
    }
}

/// What the form opens on. `specialist` may also be `any`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preselect {
    pub location: Option<String>,
    pub service: Option<String>,
    pub specialist: Option<String>,
}

impl Preselect {
    /// `(name, value)` of each option set, checked.
    fn options(&self) -> Option<Vec<(&'static str, &str)>> {
        let mut options = Vec::new();
        for (name, value) in
            [("location", &self.location), ("service", &self.service), ("specialist", &self.specialist)]
        {
            if let Some(value) = value.as_deref() {
                if !is_valid_id(value) {
                    return None;
                }
                options.push((name, value));
            }
        }
        Some(options)
    }
}

/// The code to paste for `mode`, or `None` if an input is not what it should be.
pub fn snippet(edge: &str, company: &str, mode: Mode, preselect: &Preselect) -> Option<String> {
    if !is_valid_origin(edge) || !is_valid_id(company) {
        return None;
    }
    let options = preselect.options()?;
    let loader = format!("{edge}/embed/loader.js");
    let data: String = options.iter().map(|(name, value)| format!(" data-{name}=\"{value}\"")).collect();
    Some(match mode {
        Mode::Inline => {
            let attributes: String = options.iter().map(|(name, value)| format!(" {name}=\"{value}\"")).collect();
            format!(
                "<homeslot-widget company=\"{company}\"{attributes} style=\"display:block;height:560px\"></homeslot-widget>\n\
                 <script async src=\"{loader}\"></script>"
            )
        }
        Mode::Floating => format!(
            "<script async src=\"{loader}\" data-company=\"{company}\" data-mode=\"floating\"{data} data-button-text=\"Book now\"></script>"
        ),
        Mode::Popup => {
            let button: String =
                options.iter().map(|(name, value)| format!(" data-homeslot-{name}=\"{value}\"")).collect();
            format!(
                "<button type=\"button\"{button}>Book now</button>\n\
                 <script async src=\"{loader}\" data-company=\"{company}\" data-mode=\"popup\"></script>"
            )
        }
        Mode::Iframe => format!("<script async src=\"{loader}\" data-company=\"{company}\" data-mode=\"iframe\"{data}></script>"),
    })
}

/// The hosted booking page's link: `/b/{company}[/{location}]` with the service and specialist
/// as query options.
pub fn hosted_link(edge: &str, company: &str, preselect: &Preselect) -> Option<String> {
    if !is_valid_origin(edge) || !is_valid_id(company) {
        return None;
    }
    preselect.options()?;
    let mut link = format!("{edge}/b/{company}");
    if let Some(location) = &preselect.location {
        link.push('/');
        link.push_str(location);
    }
    let query: Vec<String> = [("service", &preselect.service), ("specialist", &preselect.specialist)]
        .into_iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={v}")))
        .collect();
    if !query.is_empty() {
        link.push('?');
        link.push_str(&query.join("&"));
    }
    Some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDGE: &str = "https://book.salon.example";

    fn chosen(service: Option<&str>, specialist: Option<&str>) -> Preselect {
        Preselect { location: None, service: service.map(Into::into), specialist: specialist.map(Into::into) }
    }

    #[test]
    fn each_mode_writes_the_documented_code() {
        let pre = chosen(Some("mens-cut"), Some("any"));
        assert_eq!(
            snippet(EDGE, "demo", Mode::Inline, &pre).unwrap(),
            "<homeslot-widget company=\"demo\" service=\"mens-cut\" specialist=\"any\" style=\"display:block;height:560px\"></homeslot-widget>\n\
             <script async src=\"https://book.salon.example/embed/loader.js\"></script>"
        );
        assert_eq!(
            snippet(EDGE, "demo", Mode::Popup, &pre).unwrap(),
            "<button type=\"button\" data-homeslot-service=\"mens-cut\" data-homeslot-specialist=\"any\">Book now</button>\n\
             <script async src=\"https://book.salon.example/embed/loader.js\" data-company=\"demo\" data-mode=\"popup\"></script>"
        );
        let floating = snippet(EDGE, "demo", Mode::Floating, &Preselect::default()).unwrap();
        assert!(floating.contains("data-mode=\"floating\"") && !floating.contains("data-service"));
        let iframe = snippet(EDGE, "demo", Mode::Iframe, &pre).unwrap();
        assert!(iframe.contains("data-mode=\"iframe\" data-service=\"mens-cut\" data-specialist=\"any\""));
    }

    #[test]
    fn the_hosted_link_carries_the_preselection() {
        let mut pre = chosen(Some("mens-cut"), Some("anna"));
        assert_eq!(
            hosted_link(EDGE, "demo", &pre).unwrap(),
            "https://book.salon.example/b/demo?service=mens-cut&specialist=anna"
        );
        pre.location = Some("soho".into());
        pre.service = None;
        assert_eq!(hosted_link(EDGE, "demo", &pre).unwrap(), "https://book.salon.example/b/demo/soho?specialist=anna");
    }

    #[test]
    fn nothing_that_would_need_escaping_gets_in() {
        assert!(snippet("javascript:alert(1)", "demo", Mode::Inline, &Preselect::default()).is_none());
        assert!(snippet("https://x.example\"><script>", "demo", Mode::Inline, &Preselect::default()).is_none());
        assert!(snippet(EDGE, "Demo\"", Mode::Inline, &Preselect::default()).is_none());
        assert!(snippet(EDGE, "demo", Mode::Inline, &chosen(Some("a\"b"), None)).is_none());
        assert!(hosted_link(EDGE, "demo", &chosen(None, Some("<x>"))).is_none());
        assert!(snippet("http://127.0.0.1:8787", "demo", Mode::Inline, &Preselect::default()).is_some());
    }
}
