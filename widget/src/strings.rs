//! The widget's words in the client's language. They are data (`widget/i18n/*.json`, one file per
//! language with the same keys), not code: the loader fetches the one language the page shows
//! from the edge (`GET /v1/companies/{c}/strings`) while the widget's code loads, and hands it to
//! [`crate::mount`]. Nothing here knows any language.

use std::sync::Arc;

use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

/// One language's words: cheap to clone, shared by every step of one widget (two widgets on a
/// page may speak different languages).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Strings {
    /// The BCP 47 language, also the locale of dates, times and prices (`Intl`).
    pub language: String,
    /// Written right to left (Arabic, Hebrew).
    pub rtl: bool,
    words: Arc<Vec<(String, String)>>,
}

impl Strings {
    /// Builds the words from pairs (tests, and [`Strings::from_js`]).
    pub fn new(language: &str, rtl: bool, words: Vec<(String, String)>) -> Self {
        Strings { language: language.to_string(), rtl, words: Arc::new(words) }
    }

    /// Reads the edge's answer: `{"language", "direction", "strings": {key: text}}`.
    pub fn from_js(answer: &JsValue) -> Self {
        let field = |name: &str| js_sys::Reflect::get(answer, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        let words = Object::entries(&Object::from(field("strings")))
            .iter()
            .filter_map(|pair| {
                let pair = Array::from(&pair);
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect();
        let language = field("language").as_string().unwrap_or_else(|| "en".into());
        Strings::new(&language, field("direction").as_string().as_deref() == Some("rtl"), words)
    }

    /// The text for `key`; the key itself if the file lacks it (a test checks every file has every
    /// key, so a client never sees one).
    pub fn get(&self, key: &str) -> String {
        self.words.iter().find(|(k, _)| k == key).map_or_else(|| key.to_string(), |(_, text)| text.clone())
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        // Scanned by hand: `str::replace` with a string pattern brings a substring searcher
        // into the widget for nothing.
        let template = self.get(key);
        let mut out = String::with_capacity(template.len());
        let mut rest = template.as_str();
        while let Some((before, after)) = rest.split_once('{') {
            out.push_str(before);
            let Some((name, tail)) = after.split_once('}') else {
                out.push('{');
                rest = after;
                break;
            };
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = tail;
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &str)] = &[
        ("en", include_str!("../i18n/en.json")),
        ("es", include_str!("../i18n/es.json")),
        ("pt", include_str!("../i18n/pt.json")),
        ("de", include_str!("../i18n/de.json")),
        ("fr", include_str!("../i18n/fr.json")),
        ("pl", include_str!("../i18n/pl.json")),
        ("uk", include_str!("../i18n/uk.json")),
        ("ar", include_str!("../i18n/ar.json")),
        ("he", include_str!("../i18n/he.json")),
    ];

    fn parse(text: &str) -> Vec<(String, String)> {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).expect("a JSON object");
        map.into_iter().map(|(k, v)| (k, v.as_str().expect("every value is text").to_string())).collect()
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|p| p.0)).collect();
        names.sort();
        names
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let english = parse(FILES[0].1);
        assert!(english.len() > 20);
        for (language, text) in FILES {
            let words = parse(text);
            let keys = |w: &[(String, String)]| w.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
            assert_eq!(keys(&words), keys(&english), "{language}: the same keys as English");
            for ((key, text), (_, english)) in words.iter().zip(&english) {
                assert!(!text.trim().is_empty(), "{language}.{key} is empty");
                assert_eq!(placeholders(text), placeholders(english), "{language}.{key}: placeholders");
            }
        }
        // The edge serves exactly the languages the catalog accepts.
        let served: Vec<&str> = FILES.iter().map(|(l, _)| *l).collect();
        assert_eq!(served, homeslot_core::settings::LANGUAGES);
    }

    #[test]
    fn fill_replaces_named_placeholders_and_a_missing_key_shows_itself() {
        let strings = Strings::new("en", false, parse(FILES[0].1));
        assert_eq!(strings.fill("with", &[("service", "Men's cut"), ("specialist", "Marco")]), "Men's cut with Marco");
        assert_eq!(strings.get("no_such_key"), "no_such_key");
        let odd = Strings::new("en", false, vec![("t".into(), "{a} {b} {a} {".into())]);
        assert_eq!(odd.fill("t", &[("a", "1")]), "1 {b} 1 {");
    }
}
