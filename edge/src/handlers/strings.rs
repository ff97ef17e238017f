//! `GET /v1/companies/{company}/strings?language=xx`: the widget's words in one language, as
//! `{"language": "de", "direction": "ltr", "strings": {…}}`. The language is the page's choice
//! (`language`), else the owner's (`widget.language`), else the browser's (`Accept-Language`),
//! else English (`homeslot_core::language::negotiate`). The loader fetches it while the widget's
//! code loads, so a page downloads only the language it shows.
//!
//! The words are data files in `widget/i18n/`, one per language with the same keys; they are
//! compiled into the Worker.

use worker::{Headers, Request, Response};

use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::language::{is_right_to_left, negotiate};
use homeslot_core::settings::LANGUAGES;

use crate::error::AppResult;
use crate::handlers::Query;

const FILES: &[(&str, &str)] = &[
    ("en", include_str!("../../../widget/i18n/en.json")),
    ("es", include_str!("../../../widget/i18n/es.json")),
    ("pt", include_str!("../../../widget/i18n/pt.json")),
    ("de", include_str!("../../../widget/i18n/de.json")),
    ("fr", include_str!("../../../widget/i18n/fr.json")),
    ("pl", include_str!("../../../widget/i18n/pl.json")),
    ("uk", include_str!("../../../widget/i18n/uk.json")),
    ("ar", include_str!("../../../widget/i18n/ar.json")),
    ("he", include_str!("../../../widget/i18n/he.json")),
];

pub fn get(req: &Request, company: &Company) -> AppResult<Response> {
    let query = Query::of(req)?;
    let page = query.get("language");
    if let Some(asked) = page.as_deref().filter(|l| !LANGUAGES.contains(l)) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "language",
            format!("The widget does not speak \"{asked}\"; it speaks {}.", LANGUAGES.join(", ")),
        )
        .into());
    }
    let accept = req.headers().get("accept-language").ok().flatten();
    let language = negotiate(page.as_deref(), company.widget.language.as_deref(), accept.as_deref());
    let strings = FILES.iter().find(|(l, _)| *l == language).map_or(FILES[0].1, |(_, text)| text);
    let direction = if is_right_to_left(language) { "rtl" } else { "ltr" };
    // The files are our own JSON objects (a native test reads each), so they go in as they are.
    let body = format!(r#"{{"language":"{language}","direction":"{direction}","strings":{}}}"#, strings.trim());
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    // Cached briefly, and per browser language, since the answer depends on it.
    headers.set("cache-control", "public, max-age=300")?;
    headers.set("vary", "Accept-Language")?;
    Ok(Response::ok(body)?.with_headers(headers))
}
