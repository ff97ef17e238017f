//! Short links per source (`/s/{company}/{name}`): each opens the hosted page with the owner's
//! UTM parameters, with its QR code (SVG and PNG) and how many visits it had. Saved as the whole
//! list (`PATCH short_links`), checked first by the core's rules.

use leptos::prelude::*;

use homeslot_core::access;
use homeslot_core::catalog::Company;
use homeslot_core::links::{self, ShortLink};

use crate::api::{self, ListedLink, Problem};
use crate::components::fields::{optional, ChoiceField, TextField};
use crate::pages::business::use_company;
use crate::pages::FormProblem;
use crate::session::use_session;

/// The usual sources, offered as a start.
const SOURCES: [(&str, &str, &str); 4] = [
    ("instagram", "instagram", "social"),
    ("google-maps", "google", "maps"),
    ("facebook", "facebook", "social"),
    ("flyer", "flyer", "print"),
];

#[component]
pub fn ShortLinks(catalog: Company) -> impl IntoView {
    let company = use_company();
    let session = use_session();
    let may_edit =
        session.business(&company.get_untracked()).is_some_and(|b| b.grant.allows(access::Action::EditCompany, None));
    let listed = LocalResource::new(move || api::short_links(company.get()));
    let (problem, set_problem) = signal(None::<Problem>);
    let catalog = StoredValue::new(catalog);
    let save = Action::new_local(move |links: &Vec<ShortLink>| {
        let patch = serde_json::json!({ "short_links": links });
        async move { api::patch_company(company.get_untracked(), patch).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => {
            set_problem.set(None);
            listed.refetch();
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    // The list as saved, with one change: checked by the core's rules, then saved whole.
    let change = move |f: &dyn Fn(&mut Vec<ShortLink>)| {
        let mut links: Vec<ShortLink> =
            listed.get_untracked().and_then(|l| l.ok()).unwrap_or_default().into_iter().map(|l| l.link).collect();
        f(&mut links);
        let checked = catalog.with_value(|c| {
            let locations: Vec<&str> = c.locations.iter().map(|l| l.id.as_str()).collect();
            let services: Vec<&str> = c.services.iter().map(|s| s.id.as_str()).collect();
            links::validate(&links, &locations, &services)
        });
        match checked {
            Ok(()) => {
                save.dispatch(links);
            }
            Err(error) => set_problem.set(Some(Problem::from(error))),
        }
    };

    let rows = move || {
        listed.get().map(|answer| match answer {
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p>"No short links yet."</p> }.into_any(),
            Ok(list) => view! {
                <ul class="items">
                    {list.into_iter().map(|ListedLink { link, url, target, visits }| {
                        let name = link.name.clone();
                        let qr = url.replacen("/s/", "/qr/s/", 1);
                        let png = (qr.clone(), format!("qr-{name}.png"));
                        view! {
                            <li class="item">
                                <div class="item-line">
                                    <span class="item-name">{name.clone()}</span>
                                    <span class="hint">{format!("{visits} visits")}</span>
                                </div>
                                <p><a href=url.clone() target="_blank" rel="noopener">{url.clone()}</a></p>
                                <p class="hint">"Opens " {target}</p>
                                <p class="actions">
                                    <a href=qr download=format!("qr-{name}.svg")>{format!("QR code of {name} (SVG)")}</a>
                                    <button type="button" class="link" on:click=move |_| crate::qr::download(&png.0, &png.1)>
                                        {format!("QR code of {name} (PNG)")}
                                    </button>
                                    {may_edit.then(|| view! {
                                        <button type="button" class="link danger" on:click=move |_| {
                                            let gone = name.clone();
                                            change(&|links| links.retain(|l| l.name != gone));
                                        }>{format!("Delete {}", link.name)}</button>
                                    })}
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
        })
    };

    // The new link's form.
    let (name, set_name) = signal(String::new());
    let (source, set_source) = signal(String::new());
    let (medium, set_medium) = signal(String::new());
    let (campaign, set_campaign) = signal(String::new());
    let (location, set_location) = signal(None::<String>);
    let (service, set_service) = signal(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let link = ShortLink {
            name: name.get_untracked().trim().to_string(),
            utm_source: source.get_untracked().trim().to_string(),
            utm_medium: optional(medium.get_untracked()),
            utm_campaign: optional(campaign.get_untracked()),
            location_id: location.get_untracked(),
            service_id: service.get_untracked(),
        };
        change(&|links| links.push(link.clone()));
    };
    let pick = move |(n, s, m): (&str, &str, &str)| {
        set_name.set(n.into());
        set_source.set(s.into());
        set_medium.set(m.into());
    };
    let field = move |name: &'static str| {
        Signal::derive(move || {
            problem.get().filter(|p| p.field.as_deref().is_some_and(|f| f.ends_with(name))).map(|p| p.message)
        })
    };
    let locations: Vec<(String, String)> =
        catalog.with_value(|c| c.locations.iter().map(|l| (l.id.clone(), l.name.clone())).collect());
    let services: Vec<(String, String)> =
        catalog.with_value(|c| c.services.iter().map(|s| (s.id.clone(), s.name.clone())).collect());

    view! {
        <section class="card" aria-labelledby="links-title">
            <h2 id="links-title">"Short links"</h2>
            <p class="hint">"One link per place you advertise: bookings from each are told apart in your analytics."</p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>{rows}</Transition>
            <FormProblem problem/>
            {may_edit.then(|| view! {
                <form on:submit=add>
                    <h3>"New short link"</h3>
                    <p class="actions">
                        {SOURCES.into_iter().map(|s| view! {
                            <button type="button" class="secondary" on:click=move |_| pick(s)>{format!("For {}", s.0)}</button>
                        }).collect_view()}
                    </p>
                    <div class="pair">
                        <div><TextField id="link-name" label="Name (in the address)" value=name
                            set=Callback::new(move |v| set_name.set(v)) problem=field(".name") required=true/></div>
                        <div><TextField id="link-source" label="Source (utm_source)" value=source
                            set=Callback::new(move |v| set_source.set(v)) problem=field("utm_source") required=true/></div>
                    </div>
                    <div class="pair">
                        <div><TextField id="link-medium" label="Medium (utm_medium, optional)" value=medium
                            set=Callback::new(move |v| set_medium.set(v)) problem=field("utm_medium")/></div>
                        <div><TextField id="link-campaign" label="Campaign (utm_campaign, optional)" value=campaign
                            set=Callback::new(move |v| set_campaign.set(v)) problem=field("utm_campaign")/></div>
                    </div>
                    <div class="pair">
                        <div><ChoiceField id="link-location" label="Location it opens at" none="Let the client choose" options=locations.clone()
                            value=location set=Callback::new(move |v| set_location.set(v))/></div>
                        <div><ChoiceField id="link-service" label="Service it opens on" none="Let the client choose" options=services.clone()
                            value=service set=Callback::new(move |v| set_service.set(v))/></div>
                    </div>
                    <button type="submit" disabled=save.pending()>"Add the short link"</button>
                </form>
            })}
        </section>
    }
}
