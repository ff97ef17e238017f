//! The booking form as clients will see it, from settings not yet saved: the real widget (this
//! deployment's build) in a frame of its own (`console/preview.html`), which mounts it with the
//! draft settings the console posts to it. Phone and desktop widths, left-to-right and
//! right-to-left (in Arabic).

use leptos::html::Iframe;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use homeslot_core::promo::Promo;
use homeslot_core::settings::WidgetSettings;
use homeslot_core::theme;

/// What the preview advertises and where it opens, for a promo being edited: the draft promos in
/// place of the published ones, and the widget started at a location, a service and a specialist
/// (as a page's attributes would), so it opens on the screen the promo targets.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Scene {
    pub promos: Vec<Promo>,
    pub location: Option<String>,
    pub service: Option<String>,
    pub specialist: Option<String>,
}

/// What the frame needs to mount the widget: the settings, the theme's stylesheet as the edge
/// would serve it (`theme.css`, written by the same function), the language to show, and the
/// scene, if any.
fn message(settings: &WidgetSettings, rtl: bool, scene: Option<&Scene>) -> String {
    let preset = settings.theme.as_deref().unwrap_or("default");
    // Colours the edge would refuse are still shown (the owner sees why they are refused).
    let css = theme::stylesheet(preset, settings.theme_overrides.as_ref());
    let language = if rtl { Some("ar".to_string()) } else { settings.language.clone() };
    serde_json::json!({ "settings": settings, "css": css, "language": language, "scene": scene }).to_string()
}

/// The live preview of `settings` for `company`.
#[component]
pub fn WidgetPreview(
    #[prop(into)] company: Signal<String>,
    #[prop(into)] settings: Signal<WidgetSettings>,
    #[prop(optional, into)] scene: Option<Signal<Option<Scene>>>,
) -> impl IntoView {
    let frame = NodeRef::<Iframe>::new();
    let (loaded, set_loaded) = signal(false);
    let desktop = RwSignal::new(false);
    let rtl = RwSignal::new(false);
    // Every change of the draft goes to the frame as it happens (colours repaint at once; other
    // settings mount the widget again).
    Effect::new(move |_| {
        let scene = scene.and_then(|s| s.get());
        let text = message(&settings.get(), rtl.get(), scene.as_ref());
        if !loaded.get() {
            return;
        }
        if let Some(window) = frame.get().and_then(|f| f.content_window()) {
            let _ = window.post_message(&JsValue::from_str(&text), &crate::api::edge_origin());
        }
    });
    let src = move || format!("/console-app/preview#company={}", company.get());
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">"Preview"</h2>
            <div class="preview-switches" role="group" aria-label="Preview options">
                <label class="check"><input type="checkbox" prop:checked=desktop
                    on:change=move |ev| desktop.set(event_target_checked(&ev))/>"Desktop width"</label>
                <label class="check"><input type="checkbox" prop:checked=rtl
                    on:change=move |ev| rtl.set(event_target_checked(&ev))/>"Right to left (Arabic)"</label>
            </div>
            <div class="preview-frame" class:desktop=desktop>
                <iframe node_ref=frame title="Preview of your booking form" src=src
                    on:load=move |_| set_loaded.set(true)></iframe>
            </div>
            <p class="hint">"This is your real form: a booking made here is real, unless test bookings are on (Overview)."</p>
        </section>
    }
}
