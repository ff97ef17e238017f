//! Promos and automatic discounts (`/console/b/{company}/promos`, owners): each list edited as a
//! draft and saved whole (`PATCH` of `promos` or `discounts`: their order is meaningful — the
//! first promo for a screen is the one it shows, the first of equal discounts wins), checked as
//! the owner types by the same rules as the edge (`Company::edited`), with the limits said at
//! each field. The promo being edited is shown on the screen it targets in the real widget (the
//! preview frame, fed the draft); a discount says what it takes off each service it covers.

use leptos::prelude::*;

use homeslot_core::catalog::edit::{CompanyPatch, Edit};
use homeslot_core::catalog::Company;
use homeslot_core::currency::{decimal, exponent, parse_decimal};
use homeslot_core::pricing::{Channel, DiscountRule, Eligibility};
use homeslot_core::promo::{Audience, Promo, PromoScreen};
use homeslot_core::time::CivilDate;

use crate::api::{self, Problem};
use crate::components::fields::{optional, SelectField, TextField};
use crate::components::preview::{Scene, WidgetPreview};
use crate::pages::business::use_company;
use crate::pages::{problem_at, FormProblem, WithCatalog};

#[component]
pub fn PromosPage() -> impl IntoView {
    view! {
        <WithCatalog let:catalog>
            <div class="look">
                <Promos catalog=catalog.clone()/>
                <Discounts catalog/>
            </div>
        </WithCatalog>
    }
}

/// A draft list saved whole, checked by the edge's rules against the rest of the catalog.
struct Draft<T: Clone + PartialEq + Send + Sync + 'static> {
    list: RwSignal<Vec<T>>,
    saved: RwSignal<Vec<T>>,
    problem: ReadSignal<Option<Problem>>,
    status: ReadSignal<String>,
    save: Action<Vec<T>, Result<Vec<T>, Problem>>,
    checked: Memo<Result<(), Problem>>,
}

impl<T: Clone + PartialEq + Send + Sync + serde::Serialize + 'static> Draft<T> {
    /// `patch` puts the list into a company patch under its name (`promos`, `discounts`).
    fn new(catalog: &Company, saved: Vec<T>, field: &'static str, patch: fn(Vec<T>) -> CompanyPatch) -> Self {
        let company = use_company();
        let list = RwSignal::new(saved.clone());
        let saved = RwSignal::new(saved);
        let (problem, set_problem) = signal(None::<Problem>);
        let (status, set_status) = signal(String::new());
        let catalog = StoredValue::new(catalog.clone());
        let checked = Memo::new(move |_| {
            let edit = Edit::Patch { patch: patch(list.get()) };
            catalog.with_value(|c| c.edited(&edit).map(|_| ()).map_err(Problem::from))
        });
        Effect::new(move |_| set_problem.set(checked.get().err()));
        let save = Action::new_local(move |items: &Vec<T>| {
            let body = serde_json::json!({ field: items });
            let items = items.clone();
            async move { api::patch_company(company.get_untracked(), body).await.map(|()| items) }
        });
        Effect::new(move |_| match save.value().get() {
            Some(Ok(items)) => {
                saved.set(items);
                set_status.set("Saved: clients see it within a minute.".into());
            }
            Some(Err(error)) => set_problem.set(Some(error)),
            None => {}
        });
        Draft { list, saved, problem, status, save, checked }
    }
}

impl<T: Clone + PartialEq + Send + Sync + 'static> Clone for Draft<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Clone + PartialEq + Send + Sync + 'static> Copy for Draft<T> {}

/// Saving a draft list or undoing its changes, and what is not saved yet.
#[component]
fn DraftActions<T: Clone + PartialEq + Send + Sync + 'static>(draft: Draft<T>, what: &'static str) -> impl IntoView {
    let changed = move || draft.list.get() != draft.saved.get();
    view! {
        <FormProblem problem=draft.problem/>
        <p role="status" class="hint">{move || if changed() { "Not saved yet.".to_string() } else { draft.status.get() }}</p>
        <div class="actions">
            <button type="button" disabled=move || draft.save.pending().get() || draft.checked.get().is_err() || !changed()
                on:click=move |_| { draft.save.dispatch(draft.list.get_untracked()); }>{format!("Save {what}")}</button>
            <button type="button" class="secondary" disabled=move || !changed()
                on:click=move |_| draft.list.set(draft.saved.get_untracked())>"Undo changes"</button>
        </div>
    }
}

/// Up, down and remove for item `i` of `list`, named `name` for screen readers.
#[component]
fn Order<T: Clone + Send + Sync + 'static>(
    list: RwSignal<Vec<T>>,
    i: usize,
    name: Signal<String>,
    open: RwSignal<Option<usize>>,
) -> impl IntoView {
    let count = move || list.with(Vec::len);
    let swap = move |a: usize, b: usize| {
        list.update(|l| {
            if b < l.len() {
                l.swap(a, b)
            }
        });
        open.set(None);
    };
    view! {
        <div class="actions">
            <button type="button" class="secondary" disabled=i == 0 on:click=move |_| swap(i - 1, i)>{move || format!("Move {} up", name.get())}</button>
            <button type="button" class="secondary" disabled={move || i + 1 >= count()} on:click=move |_| swap(i, i + 1)>{move || format!("Move {} down", name.get())}</button>
            <button type="button" class="secondary danger" on:click=move |_| { list.update(|l| { if i < l.len() { l.remove(i); } }); open.set(None); }>{move || format!("Remove {}", name.get())}</button>
        </div>
    }
}

/// The rows of a draft list: each item's name and a line about it, an Edit button that opens its
/// `form` in place (one at a time), and its place in the list.
#[component]
fn Rows<T: Clone + PartialEq + Send + Sync + 'static>(
    draft: Draft<T>,
    open: RwSignal<Option<usize>>,
    line: fn(&T) -> (String, String),
    form: Callback<usize, AnyView>,
) -> impl IntoView {
    // Only how many items there are redraws the rows: a change inside one (typing in its open
    // form) keeps the form and its focus.
    let count = Memo::new(move |_| draft.list.with(Vec::len));
    move || {
        let rows = (0..count.get())
            .map(|i| {
                let text = Memo::new(move |_| draft.list.with(|l| l.get(i).map(line).unwrap_or_default()));
                let name = Signal::derive(move || text.get().0);
                let editing = move || open.get() == Some(i);
                view! {
                    <li class="item">
                        <div class="item-line">
                            <span class="item-name">{name}</span>
                            <span class="hint">{move || text.get().1}</span>
                            <button type="button" class="link" aria-expanded=move || editing().to_string()
                                aria-label=move || format!("Edit {}", name.get())
                                on:click=move |_| open.set(if editing() { None } else { Some(i) })>"Edit"</button>
                        </div>
                        {move || editing().then(|| form.run(i))}
                        <Order list=draft.list i name open/>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="items">{rows}</ul> }
    }
}

fn screen_name(screen: PromoScreen) -> &'static str {
    match screen {
        PromoScreen::Services => "the services",
        PromoScreen::Specialists => "the specialists",
        PromoScreen::Times => "the times",
        PromoScreen::Success => "the confirmation",
    }
}

const SCREENS: [(PromoScreen, &str); 4] = [
    (PromoScreen::Services, "services"),
    (PromoScreen::Specialists, "specialists"),
    (PromoScreen::Times, "times"),
    (PromoScreen::Success, "success"),
];

const AUDIENCES: [(Audience, &str, &str); 3] = [
    (Audience::Everyone, "everyone", "Everyone"),
    (Audience::NewClients, "new_clients", "New clients (never booked on this device)"),
    (Audience::ReturningClients, "returning_clients", "Returning clients"),
];

#[component]
fn Promos(catalog: Company) -> impl IntoView {
    let company = use_company();
    let draft = Draft::new(&catalog, catalog.promos.clone(), "promos", |promos| CompanyPatch {
        promos: Some(promos),
        ..CompanyPatch::default()
    });
    let open = RwSignal::new(None::<usize>);
    let catalog = StoredValue::new(catalog);
    let add = move |_| {
        let taken: Vec<String> = draft.list.with(|l| l.iter().map(|p| p.id.clone()).collect());
        let id = (1..).map(|n| format!("promo-{n}")).find(|id| !taken.contains(id)).unwrap_or_default();
        draft.list.update(|l| {
            l.push(Promo {
                id,
                title: "Something new".into(),
                description: String::new(),
                image_url: None,
                button_text: None,
                button_link: None,
                screen: PromoScreen::Services,
                location_ids: Vec::new(),
                starts_on: None,
                ends_on: None,
                audience: Audience::Everyone,
            })
        });
        open.set(Some(draft.list.with_untracked(Vec::len) - 1));
    };
    // The widget at the open promo's screen: at its first location, on a service (and a
    // specialist) that leads there; shown whoever looks, on any date.
    let scene = Signal::derive(move || {
        let promo = open.get().and_then(|i| draft.list.with(|l| l.get(i).cloned()))?;
        Some(catalog.with_value(|c| scene_for(c, promo)))
    });
    let showing = Memo::new(move |_| scene.with(Option::is_some));
    let after_booking = Memo::new(move |_| {
        open.get().and_then(|i| draft.list.with(|l| l.get(i).map(|p| p.screen))) == Some(PromoScreen::Success)
    });
    let line = |p: &Promo| (p.title.clone(), format!("on {}", screen_name(p.screen)));
    let form = Callback::new(move |i| view! { <PromoForm draft i catalog=catalog.get_value()/> }.into_any());
    view! {
        <section class="card" aria-labelledby="promos-title">
            <h1 id="promos-title">"Promos"</h1>
            <p class="hint">"What the booking form advertises: a banner on one of its screens, opening to a picture, words and a button. Each screen shows the first promo in this list that fits."</p>
            {move || draft.list.with(Vec::is_empty).then(|| view! { <p>"No promos yet."</p> })}
            <Rows draft open line form/>
            <button type="button" class="secondary" on:click=add>"Add a promo"</button>
            <DraftActions draft what="promos"/>
        </section>
        <div class="card">
            // The frame stays while a promo is open: each change of the draft is posted to it.
            {move || if showing.get() {
                view! { <WidgetPreview company settings=Signal::derive(move || catalog.with_value(|c| c.widget.clone())) scene/> }.into_any()
            } else {
                view! { <p class="hint">"Open a promo to see it in your booking form."</p> }.into_any()
            }}
            {move || after_booking.get().then(|| view! {
                <p class="hint">"The confirmation shows once a time is booked: book one in the preview to see it there (with test bookings on, in the Overview, it stays out of your figures and is cleared in one go)."</p>
            })}
        </div>
    }
}

/// Where the preview shows `promo`: the widget preset to reach its screen.
fn scene_for(catalog: &Company, promo: Promo) -> Scene {
    let location = promo.location_ids.first().cloned().or_else(|| catalog.locations.first().map(|l| l.id.clone()));
    let service = catalog
        .services
        .iter()
        .find(|s| location.as_ref().and_then(|l| catalog.location(l)).is_some_and(|l| catalog.offers(s, l)))
        .map(|s| s.id.clone());
    let specialist = service
        .as_ref()
        .and_then(|s| catalog.service(s))
        .and_then(|s| location.as_ref().and_then(|l| catalog.performers(s, l).next().map(|p| p.id.clone())));
    let (service, specialist) = match promo.screen {
        PromoScreen::Services => (None, None),
        PromoScreen::Specialists => (service, None),
        PromoScreen::Times | PromoScreen::Success => (service, specialist),
    };
    // Shown to whoever looks, whatever today is: the preview is of the promo, not of who sees it.
    let shown = Promo { audience: Audience::Everyone, starts_on: None, ends_on: None, ..promo };
    Scene { promos: vec![shown], location, service, specialist }
}

/// The form of promo `i` of the draft.
#[component]
fn PromoForm(draft: Draft<Promo>, i: usize, catalog: Company) -> impl IntoView {
    let field = move |name: &str| problem_at(draft.problem, format!("promos[{i}].{name}"));
    let get =
        move |f: fn(&Promo) -> String| Signal::derive(move || draft.list.with(|l| l.get(i).map(f).unwrap_or_default()));
    let set = move |f: fn(&mut Promo, String)| {
        Callback::new(move |value: String| {
            draft.list.update(|l| {
                if let Some(p) = l.get_mut(i) {
                    f(p, value)
                }
            })
        })
    };
    let id = move |name: &str| format!("promo-{i}-{name}");
    // The button: none, to a web address, or to book a service.
    // A memo: typing in the button's fields changes the draft, not which fields are shown.
    let link_kind = Memo::new(move |_| {
        draft.list.with(|l| match l.get(i).and_then(|p| p.button_link.as_deref()) {
            None => "none".to_string(),
            Some(link) if link.starts_with("service:") => "service".into(),
            Some(_) => "url".into(),
        })
    });
    let set_link_kind = Callback::new(move |kind: String| {
        draft.list.update(|l| {
            if let Some(p) = l.get_mut(i) {
                match kind.as_str() {
                    "none" => (p.button_text, p.button_link) = (None, None),
                    "service" => {
                        p.button_text.get_or_insert_with(|| "Book now".into());
                        p.button_link = Some("service:".into());
                    }
                    _ => {
                        p.button_text.get_or_insert_with(|| "Find out more".into());
                        p.button_link = Some("https://".into());
                    }
                }
            }
        })
    });
    let services: Vec<(String, String)> =
        catalog.services.iter().map(|s| (format!("service:{}", s.id), s.name.clone())).collect();
    let locations: Vec<(String, String)> = catalog.locations.iter().map(|l| (l.id.clone(), l.name.clone())).collect();
    let date = |f: fn(&Promo) -> Option<CivilDate>| get_date(draft.list, i, f);
    view! {
        <div class="form">
            <TextField id=id("title") label="Title (1–50 characters)" value=get(|p| p.title.clone())
                set=set(|p, v| p.title = v) problem=field("title") required=true/>
            <label for=id("description")>"Text (up to 220 characters)"</label>
            <textarea id=id("description") rows="3" prop:value=get(|p| p.description.clone())
                on:input=move |ev| draft.list.update(|l| if let Some(p) = l.get_mut(i) { p.description = event_target_value(&ev) })></textarea>
            <p class="field-problem">{field("description")}</p>
            <TextField id=id("image") label="Picture (an https:// address, optional)" kind="url" value=get(|p| p.image_url.clone().unwrap_or_default())
                set=set(|p, v| p.image_url = optional(v)) problem=field("image_url")/>
            <SelectField id=id("button") label="Button" value=link_kind set=set_link_kind
                options=vec![("none".into(), "No button".into()), ("url".into(), "To a web address".into()), ("service".into(), "To book a service".into())]/>
            {move || (link_kind.get() != "none").then(|| view! {
                <TextField id=id("button-text") label="The button's words (1–20 characters)" value=get(|p| p.button_text.clone().unwrap_or_default())
                    set=set(|p, v| p.button_text = Some(v)) problem=field("button_text")/>
            })}
            {
                let services = services.clone();
                move || match link_kind.get().as_str() {
                    "url" => view! {
                        <TextField id=id("button-link") label="Its address (https://…)" kind="url" value=get(|p| p.button_link.clone().unwrap_or_default())
                            set=set(|p, v| p.button_link = Some(v)) problem=field("button_link")/>
                    }.into_any(),
                    "service" => view! {
                        <SelectField id=id("button-service") label="The service it books" value=get(|p| p.button_link.clone().unwrap_or_default())
                            set=set(|p, v| p.button_link = Some(v)) options=std::iter::once(("service:".to_string(), "Choose a service".to_string())).chain(services.clone()).collect()/>
                        <p class="field-problem">{field("button_link")}</p>
                    }.into_any(),
                    _ => ().into_any(),
                }
            }
            <SelectField id=id("screen") label="Shown on" value=get(|p| SCREENS.iter().find(|(s, _)| *s == p.screen).map_or("services", |(_, w)| w).to_string())
                set=set(|p, v| if let Some((s, _)) = SCREENS.iter().find(|(_, w)| *w == v) { p.screen = *s })
                options=SCREENS.iter().map(|(s, w)| (w.to_string(), format!("The screen of {}", screen_name(*s)))).collect()/>
            <SelectField id=id("audience") label="Who sees it" value=get(|p| AUDIENCES.iter().find(|(a, _, _)| *a == p.audience).map_or("everyone", |(_, w, _)| w).to_string())
                set=set(|p, v| if let Some((a, _, _)) = AUDIENCES.iter().find(|(_, w, _)| *w == v) { p.audience = *a })
                options=AUDIENCES.iter().map(|(_, w, name)| (w.to_string(), name.to_string())).collect()/>
            <fieldset>
                <legend>"Where (none ticked: every location)"</legend>
                {locations.into_iter().map(|(location, name)| {
                    let mine = location.clone();
                    let ticked = move || draft.list.with(|l| l.get(i).is_some_and(|p| p.location_ids.contains(&mine)));
                    view! {
                        <label class="check"><input type="checkbox" prop:checked=ticked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.list.update(|l| if let Some(p) = l.get_mut(i) {
                                p.location_ids.retain(|x| *x != location);
                                if on { p.location_ids.push(location.clone()) }
                            });
                        }/>{name}</label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="pair">
                <div><TextField id=id("from") label="From (optional)" kind="date" value=date(|p| p.starts_on)
                    set=Callback::new(move |v: String| draft.list.update(|l| if let Some(p) = l.get_mut(i) { p.starts_on = CivilDate::parse(&v) })) problem=field("starts_on")/></div>
                <div><TextField id=id("until") label="Until (optional)" kind="date" value=date(|p| p.ends_on)
                    set=Callback::new(move |v: String| draft.list.update(|l| if let Some(p) = l.get_mut(i) { p.ends_on = CivilDate::parse(&v) })) problem=field("ends_on")/></div>
            </div>
        </div>
    }
}

fn get_date<T: Send + Sync + 'static>(
    list: RwSignal<Vec<T>>,
    i: usize,
    f: fn(&T) -> Option<CivilDate>,
) -> Signal<String> {
    Signal::derive(move || list.with(|l| l.get(i).and_then(f).map(|d| d.to_string()).unwrap_or_default()))
}

const CHANNELS: [(Channel, &str, &str); 2] = [
    (Channel::Online, "online", "Every online booking (the site, the hosted page, the app)"),
    (Channel::App, "app", "Only bookings in the business's app"),
];

#[component]
fn Discounts(catalog: Company) -> impl IntoView {
    let draft = Draft::new(&catalog, catalog.discounts.clone(), "discounts", |discounts| CompanyPatch {
        discounts: Some(discounts),
        ..CompanyPatch::default()
    });
    let open = RwSignal::new(None::<usize>);
    let catalog = StoredValue::new(catalog);
    let add = move |_| {
        let taken: Vec<String> = draft.list.with(|l| l.iter().map(|d| d.id.clone()).collect());
        let id = (1..).map(|n| format!("discount-{n}")).find(|id| !taken.contains(id)).unwrap_or_default();
        draft.list.update(|l| {
            l.push(DiscountRule {
                id,
                name: "Online booking −10%".into(),
                channel: Channel::Online,
                eligibility: Eligibility::EveryBooking,
                service_ids: Vec::new(),
                category_ids: Vec::new(),
                percent: Some(10),
                amount_minor: None,
                valid_from: None,
                valid_until: None,
            })
        });
        open.set(Some(draft.list.with_untracked(Vec::len) - 1));
    };
    let line = |r: &DiscountRule| (r.name.clone(), String::new());
    let form = Callback::new(move |i| view! { <DiscountForm draft i catalog=catalog.get_value()/> }.into_any());
    view! {
        <section class="card" aria-labelledby="discounts-title">
            <h1 id="discounts-title">"Automatic discounts"</h1>
            <p class="hint">"Taken off online bookings by themselves (never at the front desk). When several fit a booking, the client gets the largest; on a tie, the first in this list."</p>
            {move || draft.list.with(Vec::is_empty).then(|| view! { <p>"No automatic discounts."</p> })}
            <Rows draft open line form/>
            <button type="button" class="secondary" on:click=add>"Add a discount"</button>
            <DraftActions draft what="discounts"/>
        </section>
    }
}

/// The form of discount `i` of the draft, with what it takes off each service it covers.
#[component]
fn DiscountForm(draft: Draft<DiscountRule>, i: usize, catalog: Company) -> impl IntoView {
    let field = move |name: &str| problem_at(draft.problem, format!("discounts[{i}].{name}"));
    let get = move |f: fn(&DiscountRule) -> String| {
        Signal::derive(move || draft.list.with(|l| l.get(i).map(f).unwrap_or_default()))
    };
    let update = move |f: Box<dyn Fn(&mut DiscountRule) + Send + Sync>| {
        draft.list.update(|l| {
            if let Some(r) = l.get_mut(i) {
                f(r)
            }
        })
    };
    let id = move |name: &str| format!("discount-{i}-{name}");
    let exp = exponent(&catalog.currency).unwrap_or(2);
    let currency = catalog.currency.clone();
    // The amount as typed: a percentage, or money in the currency's units.
    let by_percent = Signal::derive(move || draft.list.with(|l| l.get(i).is_none_or(|r| r.amount_minor.is_none())));
    let (amount, set_amount) = signal(draft.list.with_untracked(|l| {
        l.get(i).map_or_else(String::new, |r| match (r.percent, r.amount_minor) {
            (Some(p), _) => p.to_string(),
            (None, Some(a)) => decimal(a, exp),
            _ => String::new(),
        })
    }));
    let apply_amount = move |text: String, percent: bool| {
        set_amount.set(text.clone());
        update(Box::new(move |r| {
            if percent {
                r.amount_minor = None;
                r.percent = Some(text.trim().parse().unwrap_or(0));
            } else {
                r.percent = None;
                r.amount_minor = Some(parse_decimal(&text, exp).unwrap_or(0));
            }
        }));
    };
    let services = StoredValue::new(
        catalog
            .services
            .iter()
            .map(|s| (s.id.clone(), s.name.clone(), s.price_minor, s.category_id.clone()))
            .collect::<Vec<_>>(),
    );
    let categories: Vec<(String, String)> = catalog.categories.iter().map(|c| (c.id.clone(), c.name.clone())).collect();
    let ticks =
        move |ids: fn(&mut DiscountRule) -> &mut Vec<String>, id: String, read: fn(&DiscountRule) -> &Vec<String>| {
            let mine = id.clone();
            let ticked = move || draft.list.with(|l| l.get(i).is_some_and(|r| read(r).contains(&mine)));
            let change = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                let id = id.clone();
                draft.list.update(|l| {
                    if let Some(r) = l.get_mut(i) {
                        let list = ids(r);
                        list.retain(|x| *x != id);
                        if on {
                            list.push(id)
                        }
                    }
                });
            };
            (ticked, change)
        };
    // What it takes off each service it covers, at the catalog's price.
    let examples = move || {
        let rule = draft.list.with(|l| l.get(i).cloned())?;
        let lines: Vec<String> = services.with_value(|all| {
            all.iter()
                .filter(|(id, _, _, category)| {
                    (rule.service_ids.is_empty() && rule.category_ids.is_empty())
                        || rule.service_ids.contains(id)
                        || category.as_ref().is_some_and(|c| rule.category_ids.contains(c))
                })
                .map(|(_, name, price, _)| {
                    let after = price - rule.discount(*price);
                    format!("{name}: {} → {} {currency}", decimal(*price, exp), decimal(after, exp))
                })
                .collect()
        });
        Some(view! { <ul class="hint">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> })
    };
    view! {
        <div class="form">
            <TextField id=id("name") label="What clients are told (1–50 characters)" value=get(|r| r.name.clone())
                set=Callback::new(move |v: String| update(Box::new(move |r| r.name = v.clone()))) problem=field("name") required=true/>
            <SelectField id=id("channel") label="For" value=get(|r| CHANNELS.iter().find(|(c, _, _)| *c == r.channel).map_or("online", |(_, w, _)| w).to_string())
                set=Callback::new(move |v: String| update(Box::new(move |r| if let Some((c, _, _)) = CHANNELS.iter().find(|(_, w, _)| *w == v) { r.channel = *c })))
                options=CHANNELS.iter().map(|(_, w, name)| (w.to_string(), name.to_string())).collect()/>
            <p class="field-problem">{field("channel")}</p>
            <SelectField id=id("eligibility") label="Which bookings" value=get(|r| match r.eligibility { Eligibility::EveryBooking => "every".to_string(), Eligibility::FirstBooking => "first".to_string() })
                set=Callback::new(move |v: String| update(Box::new(move |r| r.eligibility = if v == "first" { Eligibility::FirstBooking } else { Eligibility::EveryBooking })))
                options=vec![("every".into(), "Every booking".into()), ("first".into(), "A client's first booking with you".into())]/>
            <SelectField id=id("kind") label="Takes off" value=Signal::derive(move || if by_percent.get() { "percent".to_string() } else { "amount".to_string() })
                set=Callback::new(move |v: String| apply_amount(amount.get_untracked(), v == "percent"))
                options=vec![("percent".into(), "A percentage".into()), ("amount".into(), format!("An amount ({})", catalog.currency))]/>
            <TextField id=id("amount") label="How much"
                value=amount set=Callback::new(move |v: String| apply_amount(v, by_percent.get_untracked()))
                problem=Signal::derive(move || field("percent").get().or_else(|| field("amount_minor").get()))/>
            <fieldset>
                <legend>"Services (none ticked: every service)"</legend>
                {services.get_value().into_iter().map(|(sid, name, _, _)| {
                    let (ticked, change) = ticks(|r| &mut r.service_ids, sid, |r| &r.service_ids);
                    view! { <label class="check"><input type="checkbox" prop:checked=ticked on:change=change/>{name}</label> }
                }).collect_view()}
                {categories.into_iter().map(|(cid, name)| {
                    let (ticked, change) = ticks(|r| &mut r.category_ids, cid, |r| &r.category_ids);
                    view! { <label class="check"><input type="checkbox" prop:checked=ticked on:change=change/>{format!("Every service in {name}")}</label> }
                }).collect_view()}
            </fieldset>
            <div class="pair">
                <div><TextField id=id("from") label="From (optional)" kind="date" value=get_date(draft.list, i, |r| r.valid_from)
                    set=Callback::new(move |v: String| update(Box::new(move |r| r.valid_from = CivilDate::parse(&v)))) problem=field("valid_from")/></div>
                <div><TextField id=id("until") label="Until (optional)" kind="date" value=get_date(draft.list, i, |r| r.valid_until)
                    set=Callback::new(move |v: String| update(Box::new(move |r| r.valid_until = CivilDate::parse(&v)))) problem=field("valid_until")/></div>
            </div>
            <h3>"At today's prices"</h3>
            {examples}
        </div>
    }
}
