//! The widget's words in the client's language. They are data (`widget/i18n/*.json`, one file per
//! language with the same keys), not code, and come from the edge (`GET
//! /v1/companies/{c}/strings`) in two parts:
//!
//! - the first screen's words (`part=first`, the keys in `widget/i18n/first-screen.json`), which
//!   the loader fetches while the widget's code loads and hands to [`crate::mount`];
//! - the later steps' words (`part=later`), which the loader fetches once the first screen is
//!   shown, like the later steps' code. A later step is built only once they are here
//!   ([`Strings::arrived`]).
//!
//! A page downloads only the language it shows. Nothing here knows any language: a word that counts
//! is an object of its plural forms, and the browser's `Intl.PluralRules` picks the form
//! ([`Strings::count`]).

use js_sys::{Function, Promise, Reflect};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsValue;

/// One language's words: cheap to clone, shared by every step of one widget (two widgets on a
/// page may speak different languages).
///
/// The words stay the edge's JSON object, read key by key: the loader adds the later part to the
/// same object when it arrives, and no copy of it is built in wasm.
#[derive(Debug, Clone)]
pub struct Strings {
    /// The BCP 47 locale (`de`, `pt-BR`): the `lang` of the widget, and how `Intl` writes dates,
    /// times, prices and plurals.
    pub language: String,
    /// Written right to left (Arabic, Hebrew).
    pub rtl: bool,
    /// The loader's object: `{"language", "locale", "direction", "strings": {key: text}, "later": fn}`.
    answer: SendWrapper<JsValue>,
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

impl Strings {
    /// Reads the loader's object: the edge's answer, `{"language", "locale", "direction",
    /// "strings"}`, and `later`, a function whose promise resolves once the later steps' words are
    /// in `strings`.
    pub fn from_js(answer: JsValue) -> Self {
        let language = field(&answer, "locale").as_string().unwrap_or_else(|| "en".into());
        let rtl = field(&answer, "direction").as_string().as_deref() == Some("rtl");
        Strings { language, rtl, answer: SendWrapper::new(answer) }
    }

    /// Whether the later steps' words are here (the loader sets `complete`).
    pub fn complete(&self) -> bool {
        field(&self.answer, "complete").is_truthy()
    }

    /// Waits for the later steps' words; `false` if they could not be fetched (the next call asks
    /// again). At once when they are here.
    pub async fn arrived(&self) -> bool {
        if self.complete() {
            return true;
        }
        let later = field(&self.answer, "later");
        let Some(promise) = Function::from(later).call0(&self.answer).ok().map(Promise::from) else {
            return false;
        };
        wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
    }

    /// The text for `key`; the key itself if the words lack it (a test checks every file has every
    /// key, and that the first screen's code asks only for the first screen's words).
    pub fn get(&self, key: &str) -> String {
        field(&field(&self.answer, "strings"), key).as_string().unwrap_or_else(|| key.to_string())
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(&self.get(key), values)
    }

    /// The word `key` for `n` things (`{count}` replaced by `n`): the form of `n`'s plural category
    /// in the widget's locale, by the browser's `Intl.PluralRules` (CLDR's rules: Polish has
    /// `one`, `few`, `many` and `other`; every browser the widget supports has it), else the
    /// `other` form.
    pub fn count(&self, key: &str, n: u32) -> String {
        let forms = field(&field(&self.answer, "strings"), key);
        let form = crate::format::plural(n, &self.language)
            .and_then(|c| field(&forms, &c).as_string())
            .or_else(|| field(&forms, "other").as_string())
            .unwrap_or_else(|| key.to_string());
        fill(&form, &[("count", &n.to_string())])
    }
}

/// `template` with each `{name}` replaced by its value; an unknown name stays as it is.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // Scanned by hand: `str::replace` with a string pattern brings a substring searcher
    // into the widget for nothing.
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language's words, read from `widget/i18n/` (one file per language, named for it).
    fn files() -> Vec<(String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/i18n");
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .expect("widget/i18n")
            .map(|entry| entry.expect("a file").path())
            .filter(|path| path.file_name().is_some_and(|n| n != "first-screen.json"))
            .map(|path| {
                let language = path.file_stem().unwrap().to_string_lossy().into_owned();
                (language, std::fs::read_to_string(&path).expect("a readable file"))
            })
            .collect();
        files.sort_by_key(|(language, _)| {
            homeslot_core::settings::LANGUAGES.iter().position(|l| l == language).unwrap_or(usize::MAX)
        });
        files
    }

    /// A word: its text, or its plural forms by category.
    #[derive(Debug, PartialEq)]
    enum Word {
        Text(String),
        Forms(Vec<(String, String)>),
    }

    fn parse(text: &str) -> Vec<(String, Word)> {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).expect("a JSON object");
        map.into_iter()
            .map(|(key, value)| {
                let word = match value {
                    serde_json::Value::String(text) => Word::Text(text),
                    serde_json::Value::Object(forms) => Word::Forms(
                        forms.into_iter().map(|(c, t)| (c, t.as_str().expect("a form is text").to_string())).collect(),
                    ),
                    other => panic!("{key}: {other} is neither text nor plural forms"),
                };
                (key, word)
            })
            .collect()
    }

    fn placeholders(text: &str) -> Vec<&str> {
        let mut names: Vec<&str> =
            text.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|p| p.0)).collect();
        names.sort();
        names
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders_and_every_plural_form() {
        let files = files();
        // The edge serves exactly the languages the catalog accepts, each from its own file.
        let served: Vec<&str> = files.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(served, homeslot_core::settings::LANGUAGES);
        let english = parse(&files[0].1);
        assert!(english.len() > 20);
        for (language, text) in &files {
            let words = parse(text);
            let keys = |w: &[(String, Word)]| w.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
            assert_eq!(keys(&words), keys(&english), "{language}: the same keys as English");
            let mut categories = homeslot_core::messages::plural_categories(language);
            categories.sort_unstable();
            for ((key, word), (_, english)) in words.iter().zip(&english) {
                match (word, english) {
                    (Word::Text(text), Word::Text(english)) => {
                        assert!(!text.trim().is_empty(), "{language}.{key} is empty");
                        assert_eq!(placeholders(text), placeholders(english), "{language}.{key}: placeholders");
                    }
                    (Word::Forms(forms), Word::Forms(english)) => {
                        // Every CLDR category the language has, no other; a form may leave the
                        // number out ("one place" in Arabic), never add a placeholder.
                        let mut found: Vec<&str> = forms.iter().map(|(c, _)| c.as_str()).collect();
                        found.sort_unstable();
                        assert_eq!(found, categories, "{language}.{key}: plural forms");
                        let other = &english.iter().find(|(c, _)| c == "other").expect("English's other").1;
                        for (category, text) in forms {
                            assert!(!text.trim().is_empty(), "{language}.{key}.{category} is empty");
                            let allowed = placeholders(other);
                            assert!(
                                placeholders(text).iter().all(|p| allowed.contains(p)),
                                "{language}.{key}.{category}: placeholders"
                            );
                        }
                    }
                    _ => panic!("{language}.{key}: counts in one language and not in English, or the reverse"),
                }
            }
        }
    }

    #[test]
    fn fill_replaces_named_placeholders_and_leaves_unknown_ones() {
        let english = parse(&files()[0].1);
        let Word::Text(with) = &english.iter().find(|(k, _)| k == "with").unwrap().1 else { panic!("text") };
        assert_eq!(fill(with, &[("service", "Men's cut"), ("specialist", "Marco")]), "Men's cut with Marco");
        assert_eq!(fill("{a} {b} {a} {", &[("a", "1")]), "1 {b} 1 {");
    }

    /// The first screen's code (the modules not split into a later chunk) asks only for the first
    /// screen's words: the later ones may not have arrived when it draws.
    #[test]
    fn the_first_screen_asks_only_for_the_first_screens_words() {
        let first: Vec<String> =
            serde_json::from_str(include_str!("../i18n/first-screen.json")).expect("a list of keys");
        let english = parse(&files()[0].1);
        for key in &first {
            assert!(english.iter().any(|(k, _)| k == key), "{key} is not a word");
        }
        let sources = [
            include_str!("lib.rs"),
            include_str!("format.rs"),
            include_str!("components/mod.rs"),
            include_str!("components/lazy.rs"),
            include_str!("components/fetched.rs"),
            include_str!("components/feedback.rs"),
            include_str!("components/locations.rs"),
            include_str!("components/services.rs"),
        ];
        for source in sources {
            for call in ["get(\"", "fill(\"", "count(\""] {
                for rest in source.split(call).skip(1) {
                    let key = rest.split('"').next().unwrap();
                    assert!(
                        first.iter().any(|k| k == key),
                        "the first screen asks for \"{key}\": add it to first-screen.json"
                    );
                }
            }
        }
    }
}
