//! The hosted booking page and its QR code, for clients who do not come from the owner's site: an
//! Instagram bio, the "Book" button of a Google Business Profile, a printed QR code, or a site
//! builder that only takes an iframe.
//!
//! - `GET /b/{company}[/{location}][?service=…&specialist=…|any&date=…&language=…&theme=…]`: the
//!   page, branded with the company's name, logo and theme, with OpenGraph tags so a shared link
//!   previews well. Its widget opens on what the link preselects.
//! - `…&frame=1&parent={origin}`: the same page as the inside of the loader's iframe mode: only
//!   the widget, which tells the parent (one of the company's registered sites, named exactly)
//!   its height and its analytics events through `postMessage`.
//! - `GET /qr/{company}[/{location}][?…]`: the page's link as a QR code (SVG).
//!
//! The page runs no inline script: its Content-Security-Policy allows scripts from this edge
//! (and WebAssembly) only, plus the owner's GA4 and Meta Pixel when the widget settings name
//! them. Everything the page shows comes from the catalog and is escaped.

use qrcodegen::{QrCode, QrCodeEcc};
use worker::{Headers, Request, Response};

use homeslot_core::catalog::Company;
use homeslot_core::theme;

/// What a link asks the widget to open on, each value checked against the catalog.
#[derive(Default)]
struct Link {
    location: Option<String>,
    /// `(attribute, value)` pairs for the widget element, in a fixed order.
    preselect: Vec<(&'static str, String)>,
    /// The page's language and theme preset, when the link names them.
    language: Option<String>,
    theme: Option<String>,
}

/// The parameters a link may carry. Anything else (an ad's `utm_*`, Instagram's own) is left to
/// the widget, which reads the campaign parameters from the address itself.
const PRESELECT: [&str; 5] = ["service", "specialist", "date", "language", "theme"];

/// A human-readable refusal: the page is for people, so the answer is a small page that says
/// what is wrong with the link in the reader's language, with the right status: its sentence (a
/// word of `mail_words`: `no_page`, `link_out_of_date` or `link_mistake`) and what in the link
/// it is about, as the link writes it (`service "haircut-deluxe"`).
struct Refusal {
    status: u16,
    word: &'static str,
    detail: Option<String>,
}

impl Refusal {
    fn new(status: u16, word: &'static str, detail: Option<String>) -> Self {
        Refusal { status, word, detail }
    }
}

fn link(company: &Company, location: Option<&str>, url: &worker::Url) -> Result<Link, Refusal> {
    let out_of_date =
        |what: &str, value: &str| Refusal::new(404, "link_out_of_date", Some(format!("{what} \"{value}\"")));
    let mut link = Link::default();
    if let Some(id) = location {
        let found = company.location(id).ok_or_else(|| out_of_date("location", id))?;
        link.location = Some(found.id.clone());
    }
    for (key, value) in url.query_pairs() {
        let Some(&key) = PRESELECT.iter().find(|k| **k == key) else { continue };
        let value = value.into_owned();
        let known = match key {
            "service" => company.service(&value).is_some(),
            "specialist" => value == "any" || company.specialist(&value).is_some(),
            "date" => homeslot_core::availability::parse_date(&value, "date").is_ok(),
            "language" => homeslot_core::language::read(&value).is_some(),
            _ => theme::PRESETS.iter().any(|(name, _)| *name == value),
        };
        if !known {
            return Err(match key {
                "service" | "specialist" => out_of_date(key, &value),
                _ => Refusal::new(400, "link_mistake", Some(format!("{key} \"{value}\""))),
            });
        }
        match key {
            "language" => link.language = Some(value),
            "theme" => link.theme = Some(value),
            _ if link.preselect.iter().any(|(k, _)| *k == key) => {}
            _ => link.preselect.push((key, value)),
        }
    }
    Ok(link)
}

/// `GET /b/{company}[/{location}]`.
pub fn page(req: &Request, company: &Company, location: Option<&str>) -> worker::Result<Response> {
    let url = req.url()?;
    let link = match link(company, location, &url) {
        Ok(link) => link,
        Err(refusal) => return refused(req, Some(company), refusal),
    };
    let query = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned());
    // Framed by the loader's iframe mode, the page posts its height and the client's steps to
    // its parent: only to one of the company's registered sites, named exactly. Any other parent
    // (a site builder's frame on a host the owner never registered) still gets a working form,
    // of the height its frame gives it, and hears nothing.
    let framed = query("frame").as_deref() == Some("1");
    let parent = query("parent").filter(|origin| framed && origin != "null" && company.site_origins.contains(origin));
    let accept = req.headers().get("accept-language").ok().flatten();
    let html = render(company, &link, (&url, accept.as_deref()), framed, parent.as_deref());
    let headers = Headers::new();
    headers.set("content-type", "text/html; charset=utf-8")?;
    headers.set("content-security-policy", &policy(company, framed))?;
    headers.set("referrer-policy", "strict-origin-when-cross-origin")?;
    headers.set("x-content-type-options", "nosniff")?;
    // A catalog change (a new logo, a renamed service) shows within a minute; the page's language
    // may be the browser's.
    headers.set("cache-control", "public, max-age=60")?;
    headers.set("vary", "Accept-Language")?;
    Ok(Response::ok(html)?.with_headers(headers))
}

/// `GET /qr/{company}[/{location}]`: the QR code of the same link on `/b/`.
pub fn qr(req: &Request, company: &Company, location: Option<&str>) -> worker::Result<Response> {
    let url = req.url()?;
    if let Err(refusal) = link(company, location, &url) {
        return refused(req, Some(company), refusal);
    }
    let mut target = url.clone();
    let path = url.path().replacen("/qr/", "/b/", 1);
    target.set_path(&path);
    // Only what the link means goes into the code: a shorter link is a coarser, easier-read code.
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| PRESELECT.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    target.set_query(None);
    if !kept.is_empty() {
        target.query_pairs_mut().extend_pairs(kept);
    }
    qr_of(req, company, target.as_str())
}

/// The QR code of `address`, a link of `company`'s, as an SVG answer.
pub fn qr_of(req: &Request, company: &Company, address: &str) -> worker::Result<Response> {
    let Ok(code) = QrCode::encode_text(address, QrCodeEcc::Medium) else {
        let detail = format!("{} characters: too long for a QR code", address.len());
        return refused(req, Some(company), Refusal::new(400, "link_mistake", Some(detail)));
    };
    let headers = Headers::new();
    headers.set("content-type", "image/svg+xml")?;
    headers.set("cache-control", "public, max-age=3600")?;
    headers.set("access-control-allow-origin", "*")?;
    Ok(Response::ok(svg(&code))?.with_headers(headers))
}

/// The code as an SVG: one path of dark modules, with the standard quiet zone of four modules
/// around it, black on white whatever the theme (scanners need the contrast).
fn svg(code: &QrCode) -> String {
    let size = code.size();
    let side = size + 8;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + 4, y + 4));
            }
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

/// The owner's trackers the page loads: none while the owner tries the form (test bookings).
fn trackers(company: &Company) -> homeslot_core::settings::AnalyticsIds {
    if company.test_bookings {
        Default::default()
    } else {
        company.widget.analytics.clone()
    }
}

/// The page's Content-Security-Policy: no inline script, scripts and connections to this edge
/// only, and the owner's trackers when the settings name them (never when framed: the host page
/// has its own, and the events are relayed to it).
fn policy(company: &Company, framed: bool) -> String {
    let ids = &trackers(company);
    let (mut script, mut connect) = (String::from("'self' 'wasm-unsafe-eval'"), String::from("'self'"));
    if !framed && (ids.ga4_measurement_id.is_some() || ids.gtm_container_id.is_some()) {
        script.push_str(" https://www.googletagmanager.com");
        connect.push_str(
            " https://*.google-analytics.com https://*.analytics.google.com https://www.googletagmanager.com",
        );
    }
    if !framed && ids.meta_pixel_id.is_some() {
        script.push_str(" https://connect.facebook.net");
        connect.push_str(" https://www.facebook.com");
    }
    // Any site may frame the page (a site builder's frames live on hosts the owner cannot know);
    // what the page says to its parent goes only to a registered origin, named exactly.
    format!(
        "default-src 'none'; script-src {script}; connect-src {connect}; img-src 'self' https: data:; \
         style-src 'self' 'unsafe-inline'; font-src https: data:; base-uri 'none'; form-action 'none'; \
         frame-ancestors *"
    )
}

fn render(
    company: &Company,
    link: &Link,
    (url, accept_language): (&worker::Url, Option<&str>),
    framed: bool,
    parent: Option<&str>,
) -> String {
    let widget = &company.widget;
    // The page speaks as its widget will (`homeslot_core::language::negotiate`).
    let language =
        homeslot_core::language::negotiate(link.language.as_deref(), widget.language.as_deref(), accept_language)
            .locale;
    let language = language.as_str();
    let location = link.location.as_deref().and_then(|id| company.location(id));
    let place = location.or(if company.locations.len() == 1 { company.locations.first() } else { None });
    let name = escape(&company.name);
    let title = match location {
        Some(l) if company.locations.len() > 1 => format!("{name} — {}", escape(&l.name)),
        _ => name.clone(),
    };
    let service = link
        .preselect
        .iter()
        .find(|(k, _)| *k == "service")
        .and_then(|(_, id)| company.service(id))
        .map(|s| escape(&s.name));
    let description = match (&service, place) {
        (Some(service), Some(p)) => format!("{service} · {} · {}", escape(&p.name), escape(&p.address)),
        (Some(service), None) => service.clone(),
        (None, Some(p)) if !p.address.is_empty() => format!("{} · {}", escape(&p.name), escape(&p.address)),
        (None, Some(p)) => escape(&p.name),
        (None, None) => company.locations.iter().map(|l| escape(&l.name)).collect::<Vec<_>>().join(" · "),
    };
    // The canonical link: the page's own address without campaign or frame parameters.
    let mut canonical = url.clone();
    canonical.set_query(None);
    let preselected: Vec<(&str, &str)> = link.preselect.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if !preselected.is_empty() {
        canonical.query_pairs_mut().extend_pairs(preselected);
    }
    let canonical = escape(canonical.as_str());
    let logo = company.logo_url.as_deref().map(escape);

    // The company's theme as page tokens, so the page around the widget wears the same colours.
    let preset = link.theme.as_deref().or(widget.theme.as_deref()).unwrap_or("default");
    let tokens = theme::stylesheet(preset, widget.theme_overrides.as_ref()).replacen(":host{", ":root{", 1);
    let tokens = if tokens.contains('<') { String::new() } else { tokens };

    let mut attributes = format!(" company=\"{}\"", escape(&company.id));
    if let Some(location) = &link.location {
        attributes.push_str(&format!(" location=\"{}\"", escape(location)));
    }
    for (key, value) in &link.preselect {
        attributes.push_str(&format!(" {key}=\"{}\"", escape(value)));
    }
    for (key, value) in [("language", &link.language), ("theme", &link.theme)] {
        if let Some(value) = value {
            attributes.push_str(&format!(" {key}=\"{}\"", escape(value)));
        }
    }
    if let Some(parent) = parent {
        attributes.push_str(&format!(" parent-origin=\"{}\"", escape(parent)));
    }

    let mut class = String::from(if framed { " class=\"framed\"" } else { "" });
    // The page around the widget reads the same way as the widget (Arabic, Hebrew: right to left).
    if homeslot_core::language::is_right_to_left(language) {
        class.push_str(" dir=\"rtl\"");
    }
    let mut head = format!(
        "<!doctype html><html lang=\"{language}\"{class}><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><meta name=\"description\" content=\"{description}\">\
         <link rel=\"canonical\" href=\"{canonical}\">\
         <meta property=\"og:type\" content=\"website\"><meta property=\"og:title\" content=\"{title}\">\
         <meta property=\"og:description\" content=\"{description}\"><meta property=\"og:url\" content=\"{canonical}\">\
         <meta property=\"og:site_name\" content=\"{name}\"><meta name=\"twitter:card\" content=\"summary\">"
    );
    match &logo {
        Some(logo) => head
            .push_str(&format!("<meta property=\"og:image\" content=\"{logo}\"><link rel=\"icon\" href=\"{logo}\">")),
        None => head.push_str("<link rel=\"icon\" href=\"data:,\">"),
    }
    head.push_str(&format!("<style>{tokens}{STYLE}</style></head>"));

    // The page's own script: the owner's trackers (not when framed), the frame's height.
    let ids = &trackers(company);
    let mut script = String::from("<script async src=\"/embed/hosted.js\"");
    if let (false, Some(id)) = (framed, &ids.ga4_measurement_id) {
        script.push_str(&format!(" data-ga4=\"{}\"", escape(id)));
    }
    if let (false, Some(id)) = (framed, &ids.gtm_container_id) {
        script.push_str(&format!(" data-gtm=\"{}\"", escape(id)));
    }
    if let (false, Some(id)) = (framed, &ids.meta_pixel_id) {
        script.push_str(&format!(" data-pixel=\"{}\"", escape(id)));
    }
    if let Some(parent) = parent {
        script.push_str(&format!(" data-parent=\"{}\"", escape(parent)));
    }
    script.push_str("></script>");

    let header = if framed {
        String::new()
    } else {
        let logo = logo.map(|l| format!("<img src=\"{l}\" alt=\"\" width=\"56\" height=\"56\">")).unwrap_or_default();
        let address = place.filter(|p| !p.address.is_empty()).map(|p| format!("<p>{}</p>", escape(&p.address)));
        format!("<header>{logo}<div><h1>{title}</h1>{}</div></header>", address.unwrap_or_default())
    };
    format!(
        "{head}<body>{header}<main><homeslot-widget{attributes}></homeslot-widget></main>\
         <script async src=\"/embed/loader.js\"></script>{script}</body></html>"
    )
}

/// The page around the widget: the theme's background and text, the logo and name on top, the
/// widget in a phone-wide column, its box following its steps (nothing of the page is below it
/// to move; the rule wins over the box the loader would reserve). When framed, only the widget, on a transparent background.
const STYLE: &str = "html{background:var(--hs-surface,#f4f2f7);color:var(--hs-text,#1d1b20);\
font-family:var(--hs-font,system-ui,sans-serif)}body{margin:0}\
header{display:flex;gap:12px;align-items:center;max-width:560px;margin:0 auto;padding:20px 16px 8px}\
header img{border-radius:var(--hs-radius,12px);object-fit:cover}h1{font-size:1.35rem;margin:0}\
header p{margin:2px 0 0;color:var(--hs-muted,#5b5763)}\
main{max-width:560px;margin:0 auto 24px;padding:0 8px}\
homeslot-widget{height:auto!important}\
.framed{background:transparent}.framed main{margin:0;max-width:none;padding:0}";

/// The page of a company that does not exist (or no longer does).
pub fn missing(req: &Request) -> worker::Result<Response> {
    refused(req, None, Refusal::new(404, "no_page", None))
}

/// The page of a short link the business no longer has.
pub fn unknown_link(req: &Request, company: &Company) -> worker::Result<Response> {
    refused(req, Some(company), Refusal::new(404, "link_out_of_date", None))
}

/// The refusal's page in the language the page would have spoken: the link's, else the owner's,
/// else the browser's.
fn refused(req: &Request, company: Option<&Company>, refusal: Refusal) -> worker::Result<Response> {
    let asked = req.url()?.query_pairs().find(|(k, _)| k == "language").map(|(_, v)| v.into_owned());
    let owner = company.and_then(|c| c.widget.language.as_deref());
    let accept = req.headers().get("accept-language").ok().flatten();
    let choice = homeslot_core::language::negotiate(asked.as_deref(), owner, accept.as_deref());
    let words = homeslot_core::messages::default_words(choice.language);
    let facts = homeslot_core::messages::Facts {
        business: company.map(|c| c.name.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let word = |key: &str| escape(&homeslot_core::messages::fill(words.get(key).map_or("", String::as_str), &facts));
    let (title, message) = (word("page_title"), word(refusal.word));
    let detail = refusal.detail.map(|d| format!("<p><code>{}</code></p>", escape(&d))).unwrap_or_default();
    let dir = if homeslot_core::language::is_right_to_left(choice.language) { " dir=\"rtl\"" } else { "" };
    let html = format!(
        "<!doctype html><html lang=\"{}\"{dir}><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:560px;margin:40px auto;padding:0 16px}}</style>\
         </head><body><h1>{title}</h1><p role=\"alert\">{message}</p>{detail}</body></html>",
        choice.locale
    );
    let headers = Headers::new();
    headers.set("content-type", "text/html; charset=utf-8")?;
    headers.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *")?;
    headers.set("cache-control", "no-store")?;
    headers.set("content-language", &choice.locale)?;
    Ok(Response::ok(html)?.with_status(refusal.status).with_headers(headers))
}

/// Text for HTML content and quoted attributes: the widget's `format::escape`, and `'` too. (Not
/// one function in `shared/`: called across the crate, the widget's copy cost its first screen
/// 89 B, measured.)
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}
