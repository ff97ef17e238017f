//! Bundles the widget's stylesheets: the first screen's (the default theme's tokens, then the
//! widget's own rules) and one per later step, with comments and needless whitespace removed
//! (every byte ships to a client's phone).

use std::{env, fs, path::PathBuf};

fn main() {
    // The widget is split into wasm chunks after linking (see `components/lazy.rs` and
    // `scripts/lib.sh`): the splitter needs the linker's relocations to move code between chunks.
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
    // The first screen's stylesheet; each later step's rules ship in its own chunk
    // (`components/STEP.css`, included by that step's view). The theme's tokens are not in it:
    // the loader links the company's `theme.css` (its preset, the default one included, with the
    // owner's colours) before the code arrives, so carrying the default's here was 0.2 KB twice.
    bundle("widget.css", &["src/style.css"]);
    for step in ["specialists", "times", "details", "done", "manage", "promo"] {
        bundle(&format!("{step}.css"), &[&format!("src/components/{step}.css")]);
    }
}

/// Writes `sources`, minified, to `OUT_DIR/name`.
fn bundle(name: &str, sources: &[&str]) {
    let mut css = String::new();
    for source in sources {
        println!("cargo:rerun-if-changed={source}");
        css.push_str(&fs::read_to_string(source).unwrap_or_else(|e| panic!("reading {source}: {e}")));
        css.push('\n');
    }
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(name);
    fs::write(out, minify(&css)).expect("writing a bundled stylesheet");
}

/// Removes `/* … */` comments, collapses whitespace, and drops the spaces next to `{ } ; ,`, where
/// CSS never needs them. Every other space stays (`.hs :where(…)` is a descendant combinator).
fn minify(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start + 2..].split_once("*/").map(|(_, after)| after).unwrap_or("");
    }
    without_comments.push_str(rest);

    let words: Vec<&str> = without_comments.split_whitespace().collect();
    let mut out = String::with_capacity(css.len());
    for (i, word) in words.iter().enumerate() {
        let joins = |c: Option<char>| c.is_some_and(|c| "{};,".contains(c));
        if i > 0 && !joins(out.chars().last()) && !joins(word.chars().next()) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
