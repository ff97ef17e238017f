//! The catalog without JSON: services, the team, locations and categories, each in forms. A
//! change is checked by the same rules as the edge (`Company::edited`, the whole catalog after
//! the change) before it is sent as one item (`PUT …/{kind}/{id}`), and is live for clients as
//! soon as the edge answers. Deleting something still in use says what uses it (`in_use`).

pub mod categories;
pub mod locations;
pub mod services;
pub mod team;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, A};

use homeslot_core::access::Action;
use homeslot_core::catalog::edit::{Edit, Item};
use homeslot_core::catalog::Company;

use crate::api::{self, Problem};
use crate::pages::business::use_company;
use crate::session::use_session;

/// The catalog, read once for the catalog's screens and read again after each change.
#[derive(Clone, Copy)]
pub struct CatalogData {
    pub catalog: LocalResource<Result<Company, Problem>>,
}

fn use_catalog() -> CatalogData {
    expect_context::<CatalogData>()
}

/// Whether the signed-in person may do `action` (at `location`) in this business.
fn may(action: Action, location: Option<&str>) -> bool {
    let company = use_company();
    use_session().business(&company.get_untracked()).is_some_and(|b| b.grant.allows(action, location))
}

/// The catalog's screens under one heading, each a tab.
#[component]
pub fn CatalogFrame() -> impl IntoView {
    let company = use_company();
    provide_context(CatalogData { catalog: LocalResource::new(move || api::catalog(company.get())) });
    let base = move || format!("/console/b/{}/catalog", company.get());
    view! {
        <nav class="tabs" aria-label="Catalog">
            <A href=base exact=true>"Services"</A>
            <A href=move || format!("{}/team", base())>"Team"</A>
            <A href=move || format!("{}/locations", base())>"Locations"</A>
            <A href=move || format!("{}/categories", base())>"Categories"</A>
        </nav>
        <Outlet/>
    }
}

/// Saving one item: checked against the whole catalog by the core's rules first (the edge's
/// own check), then sent; the catalog is read again once the edge has it.
fn save_item(
    data: CatalogData,
    catalog: &Company,
    item: Item,
    set_problem: WriteSignal<Option<Problem>>,
    done: Callback<()>,
) {
    if let Err(error) = catalog.edited(&Edit::Put { item: item.clone() }) {
        set_problem.set(Some(Problem::from(error)));
        return;
    }
    let company = catalog.id.clone();
    let (kind, id, body) = match &item {
        Item::Services(s) => ("services", s.id.clone(), serde_json::to_value(s)),
        Item::Specialists(s) => ("specialists", s.id.clone(), serde_json::to_value(s)),
        Item::Locations(l) => ("locations", l.id.clone(), serde_json::to_value(l)),
        Item::Categories(c) => ("categories", c.id.clone(), serde_json::to_value(c)),
    };
    let Ok(body) = body else { return };
    spawn_local(async move {
        match api::put_item(company, kind, &id, &body).await {
            Ok(()) => {
                set_problem.set(None);
                data.catalog.refetch();
                done.run(());
            }
            Err(error) => set_problem.set(Some(error)),
        }
    });
}

/// Deleting one item, after the person confirms; what still uses it is said in `set_problem`.
fn delete_item(
    data: CatalogData,
    company: String,
    kind: &'static str,
    id: String,
    name: &str,
    set_problem: WriteSignal<Option<Problem>>,
) {
    let asked = format!("Delete {name}? Clients will no longer see it.");
    if !web_sys::window().and_then(|w| w.confirm_with_message(&asked).ok()).unwrap_or(false) {
        return;
    }
    spawn_local(async move {
        match api::delete_item(company, kind, id).await {
            Ok(()) => {
                set_problem.set(None);
                data.catalog.refetch();
            }
            Err(error) => set_problem.set(Some(error)),
        }
    });
}

/// One item as its list shows it.
pub struct Row {
    pub id: String,
    pub name: String,
    /// A line about it: length and price, position and location…
    pub summary: String,
    /// Whether the signed-in person may edit it.
    pub may_edit: bool,
}

/// Which form of a list is open: none, a new item's (`Some(None)`) or item `id`'s (`Some(Some(id))`).
pub type Editing = RwSignal<Option<Option<String>>>;

/// A list of the catalog's items of one kind: each with an edit button that opens its form in
/// place, and a button that opens an empty form for a new one. `form` draws the form of an item
/// (`None`: a new one); it closes the form through `Editing` once saved or cancelled.
#[component]
fn ItemList(
    title: &'static str,
    add: &'static str,
    fresh: &'static str,
    empty: &'static str,
    rows: Vec<Row>,
    may_add: bool,
    form: Callback<(Option<String>, Editing), AnyView>,
) -> impl IntoView {
    let editing: Editing = RwSignal::new(None);
    let heading = format!("{}-title", title.to_lowercase());
    let labelled_by = heading.clone();
    let none = rows.is_empty();
    let items = rows
        .into_iter()
        .map(|Row { id, name, summary, may_edit }| {
            let open = {
                let id = id.clone();
                move || editing.get() == Some(Some(id.clone()))
            };
            let edit = {
                let id = id.clone();
                move |_| editing.set(Some(Some(id.clone())))
            };
            view! {
                <li class="item">
                    <div class="item-line">
                        <span class="item-name">{name.clone()}</span>
                        <span class="hint">{summary}</span>
                        {may_edit.then(|| view! {
                            <button type="button" class="link" aria-label=format!("Edit {name}") on:click=edit>"Edit"</button>
                        })}
                    </div>
                    <Show when=open>{
                        let id = id.clone();
                        move || form.run((Some(id.clone()), editing))
                    }</Show>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h1 id=heading>{title}</h1>
            {none.then(|| view! { <p>{empty}</p> })}
            <ul class="items">{items}</ul>
            {may_add.then(|| view! {
                <Show when=move || editing.get() == Some(None)
                    fallback=move || view! { <button type="button" on:click=move |_| editing.set(Some(None))>{add}</button> }>
                    <h2>{fresh}</h2>
                    {move || form.run((None, editing))}
                </Show>
            })}
        </section>
    }
}
