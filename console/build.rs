//! The console's screens are split into wasm chunks after linking (see `src/app.rs`, `screen!`,
//! and `scripts/lib.sh`): the splitter needs the linker's relocations to move code between chunks.

use std::env;

fn main() {
    if env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=--emit-relocs");
    }
}
