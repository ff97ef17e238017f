//! `GET /v1/companies/{company}/strings?language=xx&part=first|later|all`: the widget's words in one
//! language, as `{"language": "pt", "locale": "pt-BR", "direction": "ltr", "strings": {…}}`: the
//! words of `language`, dates, times and prices for `locale`. The language is the page's choice
//! (`language`), else the owner's (`widget.language`), else the browser's (`Accept-Language`),
//! else English (`homeslot_core::language::negotiate`). The loader fetches it while the widget's
//! code loads, so a page downloads only the language it shows.
//!
//! `part=first` is the first screen's words (the keys in `widget/i18n/first-screen.json`), which
//! the loader awaits before it mounts the widget; `part=later` is all the others, which it fetches
//! once the first screen is shown; `part=all` (or no `part`) is every word, which it fetches at
//! once for a page that opens past the first screen.
//!
//! The words are data files in `widget/i18n/`, one per language with the same keys; they are
//! compiled into the Worker. A word that counts is an object of its plural forms, one per CLDR
//! category the language has (`{"one": …, "few": …, "many": …, "other": …}`); the widget picks
//! the form with the browser's `Intl.PluralRules`.

use worker::{Headers, Request, Response};

use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::language::{is_right_to_left, negotiate, read, Choice};
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
    ("it", include_str!("../../../widget/i18n/it.json")),
    ("nl", include_str!("../../../widget/i18n/nl.json")),
    ("tr", include_str!("../../../widget/i18n/tr.json")),
    ("ru", include_str!("../../../widget/i18n/ru.json")),
    ("kk", include_str!("../../../widget/i18n/kk.json")),
    ("uz", include_str!("../../../widget/i18n/uz.json")),
    ("az", include_str!("../../../widget/i18n/az.json")),
    ("ka", include_str!("../../../widget/i18n/ka.json")),
    ("hy", include_str!("../../../widget/i18n/hy.json")),
    ("ro", include_str!("../../../widget/i18n/ro.json")),
    ("cs", include_str!("../../../widget/i18n/cs.json")),
    ("sk", include_str!("../../../widget/i18n/sk.json")),
    ("hu", include_str!("../../../widget/i18n/hu.json")),
    ("el", include_str!("../../../widget/i18n/el.json")),
    ("bg", include_str!("../../../widget/i18n/bg.json")),
    ("lt", include_str!("../../../widget/i18n/lt.json")),
    ("lv", include_str!("../../../widget/i18n/lv.json")),
    ("et", include_str!("../../../widget/i18n/et.json")),
    ("fi", include_str!("../../../widget/i18n/fi.json")),
    ("sv", include_str!("../../../widget/i18n/sv.json")),
];

const FIRST_SCREEN: &str = include_str!("../../../widget/i18n/first-screen.json");

/// Which of a language's words an answer carries.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    All,
    First,
    Later,
}

/// The words of `part` from one language's file, as a JSON object's text.
fn words(file: &str, part: Part) -> String {
    if part == Part::All {
        // The files are our own JSON objects (a native test reads each), so they go in as they are.
        return file.trim().to_string();
    }
    let first: Vec<String> = serde_json::from_str(FIRST_SCREEN).unwrap_or_default();
    let all: serde_json::Map<String, serde_json::Value> = serde_json::from_str(file).unwrap_or_default();
    let chosen: serde_json::Map<String, serde_json::Value> =
        all.into_iter().filter(|(key, _)| first.contains(key) == (part == Part::First)).collect();
    serde_json::Value::Object(chosen).to_string()
}

pub fn get(req: &Request, company: &Company) -> AppResult<Response> {
    let query = Query::of(req)?;
    let page = query.get("language");
    if let Some(asked) = page.as_deref().filter(|l| read(l).is_none()) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "language",
            format!(
                "The widget does not speak \"{asked}\"; it speaks {}, each with a region if you like (pt-BR).",
                LANGUAGES.join(", ")
            ),
        )
        .into());
    }
    let part = match query.get("part").as_deref() {
        None | Some("all") => Part::All,
        Some("first") => Part::First,
        Some("later") => Part::Later,
        Some(other) => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "part",
                format!("\"{other}\" is not a part of the words: use \"first\", \"later\" or \"all\" (the default)."),
            )
            .into());
        }
    };
    let accept = req.headers().get("accept-language").ok().flatten();
    let Choice { language, locale } = negotiate(page.as_deref(), company.widget.language.as_deref(), accept.as_deref());
    let file = FILES.iter().find(|(l, _)| *l == language).map_or(FILES[0].1, |(_, text)| text);
    let direction = if is_right_to_left(language) { "rtl" } else { "ltr" };
    // `locale` is a tag `read` wrote from letters and digits, so it needs no escaping.
    let body = format!(
        r#"{{"language":"{language}","locale":"{locale}","direction":"{direction}","strings":{}}}"#,
        words(file, part)
    );
    let headers = Headers::new();
    headers.set("content-type", "application/json; charset=utf-8")?;
    // Cached briefly, and per browser language, since the answer depends on it.
    headers.set("cache-control", "public, max-age=300")?;
    headers.set("vary", "Accept-Language")?;
    Ok(Response::ok(body)?.with_headers(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_parts_are_every_word_once() {
        let parse = |text: &str| serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).unwrap();
        for (language, file) in FILES {
            let (all, first, later) =
                (parse(&words(file, Part::All)), parse(&words(file, Part::First)), parse(&words(file, Part::Later)));
            assert!(first.len() > 10, "{language}: the first screen's words");
            assert_eq!(first.len() + later.len(), all.len(), "{language}");
            assert!(first.keys().chain(later.keys()).all(|k| all.contains_key(k)), "{language}");
        }
    }
}
