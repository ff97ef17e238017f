//! QR codes as PNG files, for print shops and apps that take no SVG (the drawing is in
//! `js/qr.js`: a canvas is simplest to reach from JS).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/qr.js")]
extern "C" {
    #[wasm_bindgen(js_name = downloadPng)]
    fn download_png(svg_address: &str, file_name: &str) -> js_sys::Promise;
}

/// Downloads the SVG QR code at `svg_address` as a 1024 px PNG named `file_name`.
pub fn download(svg_address: &str, file_name: &str) {
    let promise = download_png(svg_address, file_name);
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}
