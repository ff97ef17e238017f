//! Which language the widget speaks to a client: the page's choice, else the owner's, else the
//! browser's first language the widget has, else English. Pure, so the edge and the tests agree.

use crate::settings::LANGUAGES;

/// The widget's language for a page that asked for `page` (the element's `language` attribute),
/// a business whose owner set `owner`, and a browser that sent `accept_language` (the HTTP
/// `Accept-Language` header, e.g. `"pt-BR,pt;q=0.9,en;q=0.8"`). Each must be one of
/// [`LANGUAGES`] to count; region subtags are ignored (`pt-BR` is `pt`).
pub fn negotiate(page: Option<&str>, owner: Option<&str>, accept_language: Option<&str>) -> &'static str {
    let known = |tag: &str| {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().trim().to_ascii_lowercase();
        LANGUAGES.iter().copied().find(|l| *l == primary)
    };
    if let Some(language) = page.and_then(known).or_else(|| owner.and_then(known)) {
        return language;
    }
    // The browser's preferences by weight; equal weights keep the header's order.
    let mut wanted: Vec<(u16, usize, &'static str)> = accept_language
        .unwrap_or_default()
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.split(';');
            let language = known(pieces.next()?)?;
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), |q| q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16))?;
            (weight > 0).then_some((weight, i, language))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    wanted.first().map_or("en", |w| w.2)
}

/// Whether `language` is written right to left.
pub fn is_right_to_left(language: &str) -> bool {
    matches!(language, "ar" | "he")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_wins_then_the_owner_then_the_browser_then_english() {
        assert_eq!(negotiate(Some("de"), Some("fr"), Some("es")), "de");
        assert_eq!(negotiate(None, Some("fr"), Some("es")), "fr");
        assert_eq!(negotiate(None, None, Some("es-ES,es;q=0.9")), "es");
        assert_eq!(negotiate(None, None, None), "en");
        // What the widget does not speak does not count.
        assert_eq!(negotiate(Some("xx"), Some("ja"), Some("pl")), "pl");
    }

    #[test]
    fn the_browser_list_is_read_by_weight_and_region_is_ignored() {
        assert_eq!(negotiate(None, None, Some("ja,pt-BR;q=0.8,uk;q=0.9")), "uk");
        assert_eq!(negotiate(None, None, Some("HE-il")), "he");
        assert_eq!(negotiate(None, None, Some("fr;q=0,de;q=0.1")), "de");
        assert_eq!(negotiate(None, None, Some("*;q=0.5, ;;, q=")), "en");
        assert_eq!(negotiate(None, None, Some("es;q=0.5,pl;q=0.5")), "es");
    }

    #[test]
    fn arabic_and_hebrew_are_right_to_left() {
        assert!(is_right_to_left("ar") && is_right_to_left("he") && !is_right_to_left("uk"));
    }
}
