//! The booking form's look and questions (owner): theme, colours with their contrast shown as
//! they change (pairs the edge would refuse are refused here, by the same check), corner radius,
//! font, language, step order, the contact step's fields, the privacy policy and the owner's
//! trackers — edited beside the real widget, mounted from the draft, before anything is saved.

use leptos::prelude::*;

use homeslot_core::settings::{AnalyticsIds, FieldMode, PrivacyPolicy, StepOrder, WidgetSettings, LANGUAGES};
use homeslot_core::theme::{self, ThemeOverrides, MIN_CONTRAST, PRESETS, TEXT_PAIRS};

use crate::api::{self, Problem};
use crate::components::preview::WidgetPreview;
use crate::pages::business::use_company;
use crate::pages::{at_field, FormProblem, WithCatalog};

/// The colours an owner sets, as the form names them.
const COLOURS: [(&str, &str); 4] = [
    ("accent", "Accent (buttons, chosen times)"),
    ("accent_text", "Text on the accent"),
    ("bg", "Background"),
    ("text", "Text"),
];

/// Font stacks that need no download, as people know them.
const FONTS: [(&str, &str); 4] = [
    ("", "The theme's"),
    ("system-ui, sans-serif", "System (like the phone's apps)"),
    ("Georgia, serif", "Serif"),
    ("\"Helvetica Neue\", Arial, sans-serif", "Helvetica / Arial"),
];

/// A colour as the settings have it, else the preset's (the same rule as the edge's check).
fn effective(settings: &WidgetSettings, name: &str) -> String {
    let preset = settings.theme.as_deref().unwrap_or("default");
    theme::effective_colour(preset, settings.theme_overrides.as_ref(), name).unwrap_or_else(|| "#000000".into())
}

/// `#abc` as `#aabbcc` (what a colour picker takes).
fn six_digits(colour: &str) -> String {
    theme::parse_hex(colour).map_or_else(|| "#000000".into(), |[r, g, b]| format!("#{r:02x}{g:02x}{b:02x}"))
}

#[component]
pub fn LookPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><Editor saved=catalog.widget/></WithCatalog> }
}

#[component]
fn Editor(saved: WidgetSettings) -> impl IntoView {
    let company = use_company();
    let draft = RwSignal::new(saved.clone());
    let saved = RwSignal::new(saved);
    let (problem, set_problem) = signal(None::<Problem>);
    // The same rules as the edge, as the owner types: a refused colour is said at once.
    let checked = Memo::new(move |_| draft.with(|d| d.validate().map_err(Problem::from)));
    Effect::new(move |_| set_problem.set(checked.get().err()));
    let save = Action::new_local(move |settings: &WidgetSettings| {
        let patch = serde_json::json!({ "widget": settings });
        let settings = settings.clone();
        async move { api::patch_company(company.get_untracked(), patch).await.map(|()| settings) }
    });
    let (status, set_status) = signal(String::new());
    Effect::new(move |_| match save.value().get() {
        Some(Ok(settings)) => {
            saved.set(settings);
            set_status.set("Saved: clients see it within a minute.".into());
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if checked.get_untracked().is_ok() {
            save.dispatch(draft.get_untracked());
        }
    };
    let changed = move || draft.get() != saved.get();
    let preview = Signal::derive(move || draft.get());
    view! {
        <div class="look">
            <form class="card" on:submit=submit aria-labelledby="look-title">
                <h1 id="look-title">"Your booking form"</h1>
                <Theme draft problem/>
                <Questions draft problem/>
                <Trackers draft problem/>
                <FormProblem problem/>
                <p role="status" class="hint">{move || if changed() { "Not saved yet.".to_string() } else { status.get() }}</p>
                <div class="actions">
                    <button type="submit" disabled=move || save.pending().get() || checked.get().is_err() || !changed()>"Save"</button>
                    <button type="button" class="secondary" disabled=move || !changed()
                        on:click=move |_| draft.set(saved.get_untracked())>"Undo changes"</button>
                </div>
            </form>
            <div class="card"><WidgetPreview company settings=preview/></div>
        </div>
    }
}

#[component]
fn Theme(draft: RwSignal<WidgetSettings>, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    let preset = move || draft.with(|d| d.theme.clone().unwrap_or_else(|| "default".into()));
    let overrides = move |f: &mut dyn FnMut(&mut ThemeOverrides)| {
        draft.update(|d| {
            let mut own = d.theme_overrides.take().unwrap_or_default();
            f(&mut own);
            d.theme_overrides = (own != ThemeOverrides::default()).then_some(own);
        });
    };
    let colours = COLOURS
        .into_iter()
        .map(|(name, label)| {
            let id = format!("colour-{name}");
            let field = format!("widget.theme_overrides.{name}");
            let value = move || six_digits(&draft.with(|d| effective(d, name)));
            let at = move || problem.get().filter(|p| p.field.as_deref() == Some(field.as_str())).map(|p| p.message);
            view! {
                <div class="colour">
                    <label for=id.clone()>{label}</label>
                    <input id=id type="color" prop:value=value
                        on:input=move |ev| overrides(&mut |o| o.set_colour(name, Some(event_target_value(&ev))))/>
                    <code>{value}</code>
                    <p class="field-problem">{at}</p>
                </div>
            }
        })
        .collect_view();
    // Each pair of text and background the widget uses, with its contrast now.
    let ratios = move || {
        draft.with(|d| {
            TEXT_PAIRS
                .iter()
                .filter_map(|(fore, back)| {
                    let ratio =
                        theme::contrast(theme::parse_hex(&effective(d, fore))?, theme::parse_hex(&effective(d, back))?);
                    Some((format!("{fore} on {back}").replace('_', " "), ratio))
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <fieldset>
            <legend>"Look"</legend>
            <label for="preset">"Theme"</label>
            <select id="preset" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                draft.update(|d| d.theme = (chosen != "default").then_some(chosen));
            }>
                {PRESETS.iter().map(|(name, _)| view! {
                    <option value=*name selected=move || preset() == *name>{*name}</option>
                }).collect_view()}
            </select>
            <div class="colours">{colours}</div>
            <table class="contrast">
                <caption>"Contrast (WCAG AA needs 4.5:1)"</caption>
                <tbody>
                    {move || ratios().into_iter().map(|(pair, ratio)| view! {
                        <tr class:too-low=ratio < MIN_CONTRAST>
                            <td>{pair}</td>
                            <td>{format!("{ratio:.2}:1")}</td>
                            <td>{if ratio < MIN_CONTRAST { "too hard to read" } else { "readable" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <label for="radius">{move || format!("Corner radius: {} px", draft.with(|d| d.theme_overrides.as_ref().and_then(|o| o.radius_px).unwrap_or(12)))}</label>
            <input id="radius" type="range" min="0" max="32"
                prop:value=move || draft.with(|d| d.theme_overrides.as_ref().and_then(|o| o.radius_px).unwrap_or(12)).to_string()
                on:input=move |ev| overrides(&mut |o| o.radius_px = event_target_value(&ev).parse().ok())/>
            <label for="font">"Font"</label>
            <select id="font" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                overrides(&mut |o| o.font = (!chosen.is_empty()).then(|| chosen.clone()));
            }>
                {FONTS.into_iter().map(|(stack, name)| view! {
                    <option value=stack selected=move || draft.with(|d| d.theme_overrides.as_ref().and_then(|o| o.font.clone()).unwrap_or_default() == stack)>{name}</option>
                }).collect_view()}
            </select>
            <button type="button" class="link" on:click=move |_| draft.update(|d| d.theme_overrides = None)>"Back to the theme's colours"</button>
        </fieldset>
    }
}

fn language_name(code: &str) -> &'static str {
    match code {
        "en" => "English",
        "es" => "Español",
        "pt" => "Português",
        "de" => "Deutsch",
        "fr" => "Français",
        "pl" => "Polski",
        "uk" => "Українська",
        "ar" => "العربية",
        _ => "עברית",
    }
}

#[component]
fn Questions(draft: RwSignal<WidgetSettings>, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    let orders = [
        (StepOrder::ServiceFirst, "Service, then specialist, then time"),
        (StepOrder::SpecialistFirst, "Specialist, then service, then time"),
        (StepOrder::DateFirst, "Service, then time, then who is free"),
    ];
    let modes = [(FieldMode::Hidden, "hidden"), (FieldMode::Optional, "optional"), (FieldMode::Required, "required")];
    let mode_select = move |id: &'static str, label: &'static str, comment: bool| {
        let current = move || draft.with(|d| if comment { d.comment_field } else { d.email_field });
        view! {
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| {
                let chosen = event_target_value(&ev);
                let mode = modes.iter().find(|(_, name)| *name == chosen).map_or(FieldMode::Optional, |(m, _)| *m);
                draft.update(|d| if comment { d.comment_field = mode } else { d.email_field = mode });
            }>
                {modes.into_iter().map(|(mode, name)| view! { <option value=name selected=move || current() == mode>{name}</option> }).collect_view()}
            </select>
        }
    };
    let policy = move || draft.with(|d| d.privacy_policy.clone());
    let set_policy = move |text: Option<String>, url: Option<Option<String>>| {
        draft.update(|d| {
            let mut own = d.privacy_policy.take().unwrap_or(PrivacyPolicy { text: String::new(), url: None });
            if let Some(text) = text {
                own.text = text;
            }
            if let Some(url) = url {
                own.url = url;
            }
            d.privacy_policy = (!own.text.is_empty() || own.url.is_some()).then_some(own);
        });
    };
    view! {
        <fieldset>
            <legend>"Questions"</legend>
            <label for="language">"Language"</label>
            <select id="language" on:change=move |ev| {
                let chosen = event_target_value(&ev);
                draft.update(|d| d.language = (!chosen.is_empty()).then_some(chosen));
            }>
                <option value="" selected=move || draft.with(|d| d.language.is_none())>"The client's browser's"</option>
                {LANGUAGES.iter().map(|code| view! {
                    <option value=*code selected=move || draft.with(|d| d.language.as_deref() == Some(*code))>{language_name(code)}</option>
                }).collect_view()}
            </select>
            <fieldset>
                <legend>"Order of the steps"</legend>
                {orders.into_iter().map(|(order, label)| view! {
                    <label class="check">
                        <input type="radio" name="step-order" prop:checked=move || draft.with(|d| d.step_order == order)
                            on:change=move |_| draft.update(|d| d.step_order = order)/>
                        {label}
                    </label>
                }).collect_view()}
            </fieldset>
            {mode_select("email-field", "E-mail field", false)}
            {mode_select("comment-field", "Comment field", true)}
            <label for="comment-label">"The comment field's name (optional)"</label>
            <input id="comment-label" prop:value=move || draft.with(|d| d.comment_label.clone().unwrap_or_default())
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    draft.update(|d| d.comment_label = (!text.is_empty()).then_some(text));
                }/>
            <p class="field-problem">{at_field(problem, "widget.comment_label")}</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || draft.with(|d| d.marketing_consent)
                    on:change=move |ev| draft.update(|d| d.marketing_consent = event_target_checked(&ev))/>
                "Offer clients to hear about offers (an optional box)"
            </label>
            <label for="privacy-text">"Privacy policy clients accept before booking (optional)"</label>
            <textarea id="privacy-text" rows="2" prop:value=move || policy().map(|p| p.text).unwrap_or_default()
                on:input=move |ev| set_policy(Some(event_target_value(&ev)), None)></textarea>
            <p class="field-problem">{at_field(problem, "widget.privacy_policy.text")}</p>
            <label for="privacy-url">"Link to the full policy"</label>
            <input id="privacy-url" type="url" placeholder="https://salon.example/privacy"
                prop:value=move || policy().and_then(|p| p.url).unwrap_or_default()
                on:input=move |ev| {
                    let url = event_target_value(&ev);
                    set_policy(None, Some((!url.is_empty()).then_some(url)));
                }/>
            <p class="field-problem">{at_field(problem, "widget.privacy_policy.url")}</p>
        </fieldset>
    }
}

#[component]
fn Trackers(draft: RwSignal<WidgetSettings>, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    let tracker = move |id: &'static str, label: &'static str, placeholder: &'static str, field: &'static str| {
        let get = move |ids: &AnalyticsIds| match id {
            "ga4" => ids.ga4_measurement_id.clone(),
            "gtm" => ids.gtm_container_id.clone(),
            _ => ids.meta_pixel_id.clone(),
        };
        view! {
            <label for=id>{label}</label>
            <input id=id placeholder=placeholder prop:value=move || draft.with(|d| get(&d.analytics).unwrap_or_default())
                on:input=move |ev| {
                    let text = event_target_value(&ev).trim().to_string();
                    let value = (!text.is_empty()).then_some(text);
                    draft.update(|d| match id {
                        "ga4" => d.analytics.ga4_measurement_id = value,
                        "gtm" => d.analytics.gtm_container_id = value,
                        _ => d.analytics.meta_pixel_id = value,
                    });
                }/>
            <p class="field-problem">{at_field(problem, field)}</p>
        }
    };
    view! {
        <fieldset>
            <legend>"Your analytics (optional)"</legend>
            <p class="hint">"Bookings are reported to your own accounts; nothing else is loaded."</p>
            {tracker("ga4", "Google Analytics 4 measurement id", "G-ABC123XYZ9", "widget.analytics.ga4_measurement_id")}
            {tracker("gtm", "Google Tag Manager container id", "GTM-AB12CD3", "widget.analytics.gtm_container_id")}
            {tracker("meta", "Meta Pixel id", "123456789012345", "widget.analytics.meta_pixel_id")}
        </fieldset>
    }
}
