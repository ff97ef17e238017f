//! Putting the form on the owner's site: the site's address registered (the edge answers only
//! browsers on registered sites), the code to paste for each way of showing the form, with what it
//! opens on, and the hosted page's link with its QR code.

use leptos::prelude::*;

use homeslot_core::access;
use homeslot_core::catalog::{is_valid_origin, Company};
use homeslot_core::embed::{hosted_link, snippet, Mode, Preselect};

use crate::api::{self, edge_origin, Problem};
use crate::components::fields::{ChoiceField, CopyButton};
use crate::pages::business::use_company;
use crate::pages::links::ShortLinks;
use crate::pages::{at_field, FormProblem};
use crate::session::use_session;

#[component]
pub fn EmbedPage() -> impl IntoView {
    let company = use_company();
    let catalog = LocalResource::new(move || api::catalog(company.get()));
    let saved = Callback::new(move |()| catalog.refetch());
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || catalog.get().map(|answer| match answer {
                Ok(catalog) => view! {
                    <Sites origins=catalog.site_origins.clone() saved/>
                    <Code catalog=catalog.clone()/>
                    <ShortLinks catalog/>
                }.into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The sites the form may be used on, and adding one (owner).
#[component]
fn Sites(origins: Vec<String>, saved: Callback<()>) -> impl IntoView {
    let company = use_company();
    let session = use_session();
    let may_edit =
        move || session.business(&company.get()).is_some_and(|b| b.grant.allows(access::Action::EditCompany, None));
    let (site, set_site) = signal(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let listed = origins.clone();
    let add = Action::new_local(move |origins: &Vec<String>| {
        let patch = serde_json::json!({ "site_origins": origins });
        async move { api::patch_company(company.get_untracked(), patch).await }
    });
    Effect::new(move |_| match add.value().get() {
        Some(Ok(())) => {
            set_site.set(String::new());
            set_problem.set(None);
            saved.run(());
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // An address as people copy it from the address bar: its origin is what counts.
        let typed = site.get_untracked().trim().trim_end_matches('/').to_lowercase();
        if !is_valid_origin(&typed) {
            set_problem.set(Some(Problem {
                code: "validation_failed".into(),
                message: "Your site's address, like https://salon.example (no path).".into(),
                field: Some("site".into()),
            }));
            return;
        }
        let mut origins = origins.clone();
        if !origins.contains(&typed) {
            origins.push(typed);
        }
        add.dispatch(origins);
    };
    view! {
        <section class="card" aria-labelledby="sites">
            <h1 id="sites">"Your website"</h1>
            <p class="hint">"The form works on the sites listed here (and on your hosted page)."</p>
            {if listed.is_empty() {
                view! { <p>"No site yet."</p> }.into_any()
            } else {
                view! { <ul>{listed.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}</ul> }.into_any()
            }}
            <Show when=may_edit fallback=|| view! { <p class="hint">"The owner adds sites."</p> }>
                <form on:submit=submit.clone()>
                    <label for="site">"Add your site's address"</label>
                    <input id="site" type="url" placeholder="https://salon.example" required
                        prop:value=site on:input=move |ev| set_site.set(event_target_value(&ev))/>
                    <p class="field-problem">{at_field(problem, "site")}</p>
                    <FormProblem problem/>
                    <button type="submit" disabled=add.pending()>"Add the site"</button>
                </form>
            </Show>
        </section>
    }
}

/// The code to paste, for a mode and what the form opens on.
#[component]
fn Code(catalog: Company) -> impl IntoView {
    let mode = RwSignal::new(Mode::Inline);
    let location = RwSignal::new(None::<String>);
    let service = RwSignal::new(None::<String>);
    let specialist = RwSignal::new(None::<String>);
    let company = catalog.id.clone();
    let preselect =
        move || Preselect { location: location.get(), service: service.get(), specialist: specialist.get() };
    let code = {
        let company = company.clone();
        Memo::new(move |_| snippet(&edge_origin(), &company, mode.get(), &preselect()).unwrap_or_default())
    };
    let frame = {
        let company = company.clone();
        Memo::new(move |_| snippet(&edge_origin(), &company, Mode::Iframe, &preselect()).unwrap_or_default())
    };
    let link = Memo::new(move |_| hosted_link(&edge_origin(), &company, &preselect()).unwrap_or_default());
    let qr = move || link.get().replacen("/b/", "/qr/", 1);
    let mut specialists: Vec<(String, String)> = vec![("any".into(), "Any specialist".into())];
    specialists.extend(catalog.specialists.iter().map(|s| (s.id.clone(), s.name.clone())));
    let describe = |mode: Mode| match mode {
        Mode::Inline => "In the page, where you paste it",
        Mode::Floating => "A floating “Book” button in the corner",
        Mode::Popup => "Your own button, opening it in a popup",
        Mode::Iframe => "In a frame (for sites that allow no scripts of others, e.g. Wix)",
    };
    view! {
        <section class="card" aria-labelledby="code">
            <h2 id="code">"The code to paste"</h2>
            <fieldset>
                <legend>"How the form appears"</legend>
                {Mode::ALL.into_iter().map(|m| view! {
                    <label class="check">
                        <input type="radio" name="mode" value=m.as_str() prop:checked=move || mode.get() == m
                            on:change=move |_| mode.set(m)/>
                        {describe(m)}
                    </label>
                }).collect_view()}
            </fieldset>
            <ChoiceField id="pre-location" label="Opens at the location" none="Let the client choose"
                options=catalog.locations.iter().map(|l| (l.id.clone(), l.name.clone())).collect()
                value=location set=Callback::new(move |v| location.set(v))/>
            <ChoiceField id="pre-service" label="Opens on the service" none="Let the client choose"
                options=catalog.services.iter().map(|s| (s.id.clone(), s.name.clone())).collect()
                value=service set=Callback::new(move |v| service.set(v))/>
            <ChoiceField id="pre-specialist" label="With the specialist" none="Let the client choose"
                options=specialists value=specialist set=Callback::new(move |v| specialist.set(v))/>
            <label for="snippet">"Code to paste"</label>
            <textarea id="snippet" readonly rows="4" prop:value=code></textarea>
            <CopyButton text=code label="Copy the code"/>
            <h2>"Your booking page"</h2>
            <p class="hint">"For your Instagram bio, Google Business Profile or an e-mail; the QR code for print."</p>
            <p><a href=link target="_blank" rel="noopener">{link}</a></p>
            <p class="actions">
                <a href=qr download="booking-qr.svg">"Download the QR code (SVG)"</a>
                <button type="button" class="link" on:click=move |_| crate::qr::download(&qr(), "booking-qr.png")>
                    "Download the QR code (PNG)"
                </button>
            </p>
            <Platforms inline=code iframe=frame link/>
        </section>
    }
}

/// Step by step, for the site builders owners use: where the code goes in each.
#[component]
fn Platforms(inline: Memo<String>, iframe: Memo<String>, link: Memo<String>) -> impl IntoView {
    let copyable = move |id: &'static str, label: &'static str, code: Memo<String>| {
        view! {
            <label for=id>{label}</label>
            <textarea id=id readonly rows="3" prop:value=code></textarea>
        }
    };
    view! {
        <h2>"Step by step, on your site builder"</h2>
        <details>
            <summary>"WordPress"</summary>
            <ol>
                <li><a href="/downloads/homeslot-wordpress.zip" download>"Download the Homeslot plugin (zip)"</a></li>
                <li>"In WordPress: Plugins → Add New → Upload Plugin, choose the zip, Install, then Activate."</li>
                <li>{format!("Settings → Homeslot: your edge's address is {} and your company id is {}.", edge_origin(), use_company().get_untracked())}</li>
                <li>"In any page or post, add the block “Homeslot booking”, or type the shortcode "
                    <code>"[homeslot]"</code> " (options: " <code>"service=\"…\" specialist=\"…\" mode=\"popup\""</code> ")."</li>
            </ol>
        </details>
        <details>
            <summary>"Wix"</summary>
            <ol>
                <li>"In the editor: Add → Embed code → Embed HTML, choose “Code”."</li>
                <li>"Paste the code below (the form in a frame, which Wix needs), then drag the box to the form's height."</li>
            </ol>
            {copyable("wix-code", "Code for Wix", iframe)}
        </details>
        <details>
            <summary>"Tilda"</summary>
            <ol>
                <li>"Add a block → Other → T123 (HTML code)."</li>
                <li>"Paste the code below into the block and publish the page."</li>
            </ol>
            {copyable("tilda-code", "Code for Tilda", inline)}
        </details>
        <details>
            <summary>"Google Sites"</summary>
            <ol>
                <li>"Insert → Embed → By URL."</li>
                <li>"Paste your booking page's link below, choose “Whole page”, and drag the box to the form's height."</li>
            </ol>
            {copyable("google-sites-code", "Link for Google Sites", link)}
        </details>
    }
}
