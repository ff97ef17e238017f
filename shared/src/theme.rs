//! Themes: the presets in `themes/` (design tokens as CSS custom properties) and the owner's
//! overrides of colour, radius and font, checked for WCAG AA contrast before they are stored, so a
//! business cannot make its booking form unreadable by accident.

use serde::{Deserialize, Serialize};

use crate::catalog::invalid;
use crate::error::ApiError;

/// The presets, by name, with their stylesheets (the widget bundles `default`; the others load
/// only when chosen).
pub const PRESETS: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.css")),
    ("dark", include_str!("../../themes/dark.css")),
    ("blush", include_str!("../../themes/blush.css")),
    ("forest", include_str!("../../themes/forest.css")),
];

/// WCAG 2.x AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// Text and the background it sits on, as the widget's stylesheet uses them: each pair must reach
/// [`MIN_CONTRAST`].
pub const TEXT_PAIRS: &[(&str, &str)] = &[
    ("text", "bg"),
    ("text", "surface"),
    ("muted", "bg"),
    ("muted", "surface"),
    ("accent", "bg"),
    ("accent_text", "accent"),
    ("danger", "bg"),
];

/// The owner's changes to a preset. Colours are `#rgb` or `#rrggbb`; absent fields keep the
/// preset's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bg: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surface: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub border: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accent_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub danger: Option<String>,
    /// Corner radius in pixels (0–32).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub radius_px: Option<u32>,
    /// A CSS font-family list, e.g. `"Inter, sans-serif"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub font: Option<String>,
}

impl ThemeOverrides {
    fn colours(&self) -> [(&'static str, Option<&String>); 8] {
        [
            ("bg", self.bg.as_ref()),
            ("text", self.text.as_ref()),
            ("muted", self.muted.as_ref()),
            ("surface", self.surface.as_ref()),
            ("border", self.border.as_ref()),
            ("accent", self.accent.as_ref()),
            ("accent_text", self.accent_text.as_ref()),
            ("danger", self.danger.as_ref()),
        ]
    }

    /// The owner's value for one colour token (`accent`, `accent_text`, …), if they set it.
    pub fn colour(&self, name: &str) -> Option<&String> {
        self.colours().into_iter().find(|(n, _)| *n == name).and_then(|(_, value)| value)
    }

    /// Sets (or, with `None`, removes) the owner's value for colour token `name`; an unknown name
    /// changes nothing.
    pub fn set_colour(&mut self, name: &str, value: Option<String>) {
        let slot = match name {
            "bg" => &mut self.bg,
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "surface" => &mut self.surface,
            "border" => &mut self.border,
            "accent" => &mut self.accent,
            "accent_text" => &mut self.accent_text,
            "danger" => &mut self.danger,
            _ => return,
        };
        *slot = value;
    }
}

/// The colour token `name` as the widget paints it: the owner's value, else the preset's.
pub fn effective_colour(preset: &str, overrides: Option<&ThemeOverrides>, name: &str) -> Option<String> {
    overrides.and_then(|o| o.colour(name)).cloned().or_else(|| preset_token(preset, name))
}

/// A preset's token value by its short name (`accent_text` for `--hs-accent-text`).
pub fn preset_token(preset: &str, token: &str) -> Option<String> {
    // Comments may show tokens as examples: only the rules count.
    let css = without_comments(PRESETS.iter().find(|(name, _)| *name == preset)?.1);
    let property = format!("--hs-{}:", token.replace('_', "-"));
    let start = css.find(&property)? + property.len();
    Some(css[start..].split([';', '}']).next()?.trim().to_owned())
}

/// The stylesheet without its `/* … */` comments.
fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..].split_once("*/").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// Checks a preset with the owner's overrides: known preset, well-formed values, and every text
/// colour readable on its background.
///
/// # Errors
/// `validation_failed` on `{field}.…`: the bad value, or the first pair below AA with its ratio.
pub fn check(field: &str, preset: &str, overrides: Option<&ThemeOverrides>) -> Result<(), ApiError> {
    if !PRESETS.iter().any(|(name, _)| *name == preset) {
        let names: Vec<&str> = PRESETS.iter().map(|(name, _)| *name).collect();
        return Err(invalid(&format!("{field}.theme"), &format!("must be one of {}", names.join(", "))));
    }
    let empty = ThemeOverrides::default();
    let overrides = overrides.unwrap_or(&empty);
    let at = |name: &str| format!("{field}.theme_overrides.{name}");
    for (name, value) in overrides.colours() {
        if let Some(value) = value {
            if parse_hex(value).is_none() {
                return Err(invalid(&at(name), "must be a colour such as #5b2e91 or #fff"));
            }
        }
    }
    if overrides.radius_px.is_some_and(|r| r > 32) {
        return Err(invalid(&at("radius_px"), "must be 0–32 (pixels)"));
    }
    if let Some(font) = &overrides.font {
        let allowed = |c: char| c.is_ascii_alphanumeric() || " ,-'\"".contains(c);
        if font.trim().is_empty() || font.len() > 200 || !font.chars().all(allowed) {
            return Err(invalid(&at("font"), "must be a font-family list such as \"Inter, sans-serif\""));
        }
    }
    let colour = |name: &str| parse_hex(&effective_colour(preset, Some(overrides), name)?);
    for (fore, back) in TEXT_PAIRS {
        let (Some(f), Some(b)) = (colour(fore), colour(back)) else { continue };
        let ratio = contrast(f, b);
        if ratio < MIN_CONTRAST {
            // Name the override that made the pair unreadable (the text colour if both are own).
            let blamed = if overrides.colour(fore).is_some() { fore } else { back };
            return Err(invalid(
                &at(blamed),
                &format!(
                    "makes {fore} on {back} too hard to read: contrast {ratio:.2}:1, WCAG AA needs {MIN_CONTRAST}:1"
                ),
            ));
        }
    }
    Ok(())
}

/// The tokens of `preset` with the owner's `overrides`, as one `:host { … }` rule: what the edge
/// serves as a company's theme stylesheet. Values come from a preset or passed [`check`].
pub fn stylesheet(preset: &str, overrides: Option<&ThemeOverrides>) -> String {
    let preset = if PRESETS.iter().any(|(name, _)| *name == preset) { preset } else { "default" };
    let empty = ThemeOverrides::default();
    let overrides = overrides.unwrap_or(&empty);
    // `--hs-themed` shows the widget (widget/src/style.css keeps it hidden until its tokens are
    // here, so the first screen does not move when they come).
    let mut css = String::from(":host{--hs-themed:visible;");
    for (name, own) in overrides.colours() {
        if let Some(value) = own.cloned().or_else(|| preset_token(preset, name)) {
            css.push_str(&format!("--hs-{}:{value};", name.replace('_', "-")));
        }
    }
    let radius = overrides.radius_px.map(|r| format!("{r}px")).or_else(|| preset_token(preset, "radius"));
    let font = overrides.font.clone().or_else(|| preset_token(preset, "font"));
    for (name, value) in [("radius", radius), ("font", font)] {
        if let Some(value) = value {
            css.push_str(&format!("--hs-{name}:{value};"));
        }
    }
    css.push('}');
    css
}

/// `#rgb` or `#rrggbb` as red, green, blue.
pub fn parse_hex(text: &str) -> Option<[u8; 3]> {
    let hex = text.strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
    match hex.len() {
        3 => Some([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17]),
        6 => Some([
            u8::from_str_radix(&hex[0..2], 16).ok()?,
            u8::from_str_radix(&hex[2..4], 16).ok()?,
            u8::from_str_radix(&hex[4..6], 16).ok()?,
        ]),
        _ => None,
    }
}

/// WCAG 2.x contrast ratio of two sRGB colours, from 1 (none) to 21 (black on white).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic "just passes AA" grey: 4.54:1.
        let grey = parse_hex("#767676").unwrap();
        assert!((contrast(grey, [255, 255, 255]) - 4.54).abs() < 0.01);
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        for bad in ["fff", "#ffff", "#12345g", "", "#", "red"] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn tokens_come_from_the_rules_not_from_examples_in_comments() {
        // default.css's comment shows `--hs-accent: #0a7d5a` as an example of an override.
        assert_eq!(preset_token("default", "accent").as_deref(), Some("#5b2e91"));
        for (name, _) in PRESETS {
            let css = stylesheet(name, None);
            assert!(!css.contains("/*") && !css.contains('`') && !css.contains('\n'), "{name}: {css}");
            for token in ["bg", "text", "muted", "surface", "border", "accent", "accent_text", "danger"] {
                let value = preset_token(name, token).unwrap_or_default();
                assert!(parse_hex(&value).is_some(), "{name} {token}: {value:?}");
            }
        }
    }

    #[test]
    fn every_preset_passes_aa_on_every_pair() {
        for (name, _) in PRESETS {
            for token in
                ["bg", "text", "muted", "surface", "border", "accent", "accent_text", "danger", "radius", "font"]
            {
                assert!(preset_token(name, token).is_some(), "{name} defines {token}");
            }
            check("widget", name, None).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        }
    }

    #[test]
    fn an_unreadable_override_is_refused_naming_it_and_the_ratio() {
        let pale = ThemeOverrides { accent: Some("#f5d0fe".into()), ..Default::default() };
        let err = check("widget", "default", Some(&pale)).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("widget.theme_overrides.accent"));
        assert!(err.message.contains("WCAG AA needs 4.5:1"), "{}", err.message);
        // The same accent is fine on the dark preset, whose accent text is dark.
        let dark_ok = ThemeOverrides {
            accent: Some("#f5d0fe".into()),
            accent_text: Some("#1d1130".into()),
            ..Default::default()
        };
        assert!(check("widget", "dark", Some(&dark_ok)).is_ok());
        let grey_text = ThemeOverrides { text: Some("#999".into()), ..Default::default() };
        let err = check("widget", "default", Some(&grey_text)).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("widget.theme_overrides.text"));
    }

    #[test]
    fn the_stylesheet_is_the_preset_with_the_overrides() {
        let css = stylesheet(
            "dark",
            Some(&ThemeOverrides { accent: Some("#f5d0fe".into()), radius_px: Some(0), ..Default::default() }),
        );
        assert!(css.starts_with(":host{") && css.ends_with('}'));
        assert!(
            css.contains("--hs-bg:#17151b;")
                && css.contains("--hs-accent:#f5d0fe;")
                && css.contains("--hs-radius:0px;")
        );
        assert!(css.contains("--hs-accent-text:#1d1130;"));
        assert_eq!(stylesheet("nonexistent", None), stylesheet("default", None));
    }

    #[test]
    fn overrides_must_be_well_formed() {
        let cases = [
            (ThemeOverrides { bg: Some("white".into()), ..Default::default() }, "bg"),
            (ThemeOverrides { radius_px: Some(99), ..Default::default() }, "radius_px"),
            (ThemeOverrides { font: Some("x; } body { display:none".into()), ..Default::default() }, "font"),
        ];
        for (overrides, field) in cases {
            let err = check("widget", "default", Some(&overrides)).unwrap_err();
            assert_eq!(err.field.unwrap(), format!("widget.theme_overrides.{field}"));
        }
        assert_eq!(check("widget", "neon", None).unwrap_err().field.as_deref(), Some("widget.theme"));
        let ok = ThemeOverrides {
            accent: Some("#0a5c3b".into()),
            radius_px: Some(4),
            font: Some("\"Inter\", sans-serif".into()),
            ..Default::default()
        };
        check("widget", "forest", Some(&ok)).unwrap();
    }
}
