//! Which language the widget speaks to a client: the page's choice, else the owner's, else the
//! browser's first language the widget has, else English. A tag with a region (`pt-BR`, `es-MX`,
//! `fr-CA`) speaks its language's words and writes dates, times and prices for the region. Pure,
//! so the edge and the tests agree.

use crate::settings::LANGUAGES;

/// A language the widget speaks and the locale it writes for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// One of [`LANGUAGES`]: whose words.
    pub language: &'static str,
    /// The BCP 47 tag for `Intl` and `lang` (`pt-BR`; `pt` when no region was asked for).
    pub locale: String,
}

/// Reads a BCP 47 tag — a language the widget speaks (lower case), then optionally a script
/// (`Latn`) and a region (`BR`, `419`), with `-` or `_` — and writes it back in its canonical case
/// (`pt-br` is `pt-BR`). An extension after them (`-u-ca-gregory`, `-x-…`) is allowed and not kept.
/// `None` for any other language or subtag (a variant): the tags [`tag_pattern`] matches.
pub fn read(tag: &str) -> Option<Choice> {
    let mut subtags = tag.split(['-', '_']);
    let primary = subtags.next()?;
    let language = LANGUAGES.iter().copied().find(|l| *l == primary)?;
    let mut locale = language.to_string();
    let mut next = subtags.next();
    if let Some(script) = next.filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic())) {
        locale.push('-');
        locale.push_str(&script[..1].to_ascii_uppercase());
        locale.push_str(&script[1..].to_ascii_lowercase());
        next = subtags.next();
    }
    if let Some(region) = next.filter(|r| {
        (r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
            || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
    }) {
        locale.push('-');
        locale.push_str(&region.to_ascii_uppercase());
        next = subtags.next();
    }
    if let Some(singleton) = next {
        let alphanumeric = |s: &str| !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric());
        let rest: Vec<&str> = subtags.collect();
        if singleton.len() != 1 || !alphanumeric(singleton) || rest.is_empty() || !rest.iter().all(|s| alphanumeric(s))
        {
            return None;
        }
    }
    Some(Choice { language, locale })
}

/// The tags [`read`] reads, as a regular expression (the API document's pattern).
pub fn tag_pattern() -> String {
    format!(
        "^({})([-_][A-Za-z]{{4}})?([-_]([A-Za-z]{{2}}|[0-9]{{3}}))?([-_][A-Za-z0-9]([-_][A-Za-z0-9]{{1,8}})+)?$",
        LANGUAGES.join("|")
    )
}

/// The widget's language for a page that asked for `page` (the element's `language` attribute),
/// a business whose owner set `owner`, and a browser that sent `accept_language` (the HTTP
/// `Accept-Language` header, e.g. `"pt-BR,pt;q=0.9,en;q=0.8"`). Each counts only if [`read`]
/// reads it; the first that counts keeps its region.
pub fn negotiate(page: Option<&str>, owner: Option<&str>, accept_language: Option<&str>) -> Choice {
    if let Some(choice) = page.and_then(read).or_else(|| owner.and_then(read)) {
        return choice;
    }
    // The browser's preferences by weight; equal weights keep the header's order.
    let mut wanted: Vec<(u16, usize, Choice)> = accept_language
        .unwrap_or_default()
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            // Browsers send tags in any case (`HE-il`).
            let choice = read(&pieces.next()?.trim().to_ascii_lowercase())?;
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16))?;
            (weight > 0).then_some((weight, i, choice))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    wanted.into_iter().next().map_or(Choice { language: "en", locale: "en".into() }, |w| w.2)
}

/// Whether `language` (a tag, with or without a region) is written right to left.
pub fn is_right_to_left(language: &str) -> bool {
    matches!(language.split(['-', '_']).next(), Some("ar" | "he"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(page: Option<&str>, owner: Option<&str>, accept: Option<&str>) -> &'static str {
        negotiate(page, owner, accept).language
    }

    #[test]
    fn the_page_wins_then_the_owner_then_the_browser_then_english() {
        assert_eq!(language(Some("de"), Some("fr"), Some("es")), "de");
        assert_eq!(language(None, Some("fr"), Some("es")), "fr");
        assert_eq!(language(None, None, Some("es-ES,es;q=0.9")), "es");
        assert_eq!(language(None, None, None), "en");
        // What the widget does not speak does not count.
        assert_eq!(language(Some("xx"), Some("ja"), Some("pl")), "pl");
        assert_eq!(language(Some("kk"), None, None), "kk");
    }

    #[test]
    fn the_browser_list_is_read_by_weight() {
        assert_eq!(language(None, None, Some("ja,pt-BR;q=0.8,uk;q=0.9")), "uk");
        assert_eq!(language(None, None, Some("HE-il")), "he");
        assert_eq!(language(None, None, Some("fr;q=0,de;q=0.1")), "de");
        assert_eq!(language(None, None, Some("*;q=0.5, ;;, q=")), "en");
        assert_eq!(language(None, None, Some("es;q=0.5,pl;q=0.5")), "es");
    }

    #[test]
    fn a_region_keeps_its_language_and_formats_for_itself() {
        let choice = negotiate(None, None, Some("pt-br,pt;q=0.9"));
        assert_eq!((choice.language, choice.locale.as_str()), ("pt", "pt-BR"));
        let owner = negotiate(None, Some("es_mx"), Some("de"));
        assert_eq!((owner.language, owner.locale.as_str()), ("es", "es-MX"));
        assert_eq!(read("es-419").unwrap().locale, "es-419");
        assert_eq!(read("uz-latn-uz").unwrap().locale, "uz-Latn-UZ");
        assert_eq!(read("fr-CA-u-ca-gregory").unwrap().locale, "fr-CA");
        assert_eq!(read("de").unwrap().locale, "de");
        // Not a region: refused rather than half read.
        assert_eq!(read("pt-Brazil"), None);
        assert_eq!(read("pt-B"), None);
        assert_eq!(read("pt-BR-x-salon"), Some(Choice { language: "pt", locale: "pt-BR".into() }));
        assert_eq!(read("pt-BR-x-"), None);
        assert_eq!(read("PT"), None, "a page or an owner writes the language in lower case");
        assert_eq!(read("ja-JP"), None);
    }

    /// The API document names the tags `read` reads with the same pattern, wherever it takes one.
    #[test]
    fn the_api_document_has_the_same_pattern() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../edge/openapi.json")).unwrap();
        let quoted = serde_json::to_string(&tag_pattern()).unwrap();
        assert_eq!(text.matches(&format!("\"pattern\": {quoted}")).count(), 5, "{quoted}");
    }

    #[test]
    fn arabic_and_hebrew_are_right_to_left() {
        assert!(is_right_to_left("ar") && is_right_to_left("he-IL") && !is_right_to_left("uk"));
    }
}
