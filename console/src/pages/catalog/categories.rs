//! Categories: the groups of the widget's service list, in the order clients see them. Renamed
//! and reordered together (one `PATCH` of the list); a deleted category leaves its services
//! uncategorised.

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::catalog::{Category, Company};
use homeslot_core::onboarding::id_from_name;

use super::{delete_item, may, use_catalog};
use crate::api::{self, Problem};
use crate::pages::{FormProblem, WithCatalog};

#[component]
pub fn CategoriesPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><CategoryList catalog/></WithCatalog> }
}

#[component]
fn CategoryList(catalog: Company) -> impl IntoView {
    let data = use_catalog();
    let may_edit = may(Action::EditServices, None);
    let list = RwSignal::new(catalog.categories.clone());
    let saved = catalog.categories.clone();
    let company = catalog.id.clone();
    let (problem, set_problem) = signal(None::<Problem>);
    // How many services each category holds, as saved.
    let used: Vec<(String, usize)> = catalog
        .categories
        .iter()
        .map(|c| {
            (c.id.clone(), catalog.services.iter().filter(|s| s.category_id.as_deref() == Some(c.id.as_str())).count())
        })
        .collect();
    let save = leptos::prelude::Action::new_local({
        let company = company.clone();
        move |categories: &Vec<Category>| {
            let patch = serde_json::json!({ "categories": categories });
            let company = company.clone();
            async move { api::patch_company(company, patch).await }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(())) => data.catalog.refetch(),
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let swap = move |i: usize, j: usize| {
        list.update(|l| {
            if j < l.len() {
                l.swap(i, j)
            }
        })
    };
    let rows = move || {
        let count = list.with(|l| l.len());
        (0..count)
            .map(|i| {
                let category = list.with(|l| l[i].clone());
                let uses = used.iter().find(|(id, _)| *id == category.id).map_or(0, |(_, n)| *n);
                let name = category.name.clone();
                let id = category.id.clone();
                let company = company.clone();
                view! {
                    <li class="row">
                        <label for=format!("category-{i}")>{format!("Category {} ({uses} services)", i + 1)}</label>
                        <input id=format!("category-{i}") prop:value=category.name.clone() disabled=!may_edit
                            on:input=move |ev| list.update(|l| l[i].name = event_target_value(&ev))/>
                        {may_edit.then(|| view! {
                            <div class="actions">
                                <button type="button" class="secondary" disabled=i == 0 on:click=move |_| swap(i - 1, i)>
                                    {format!("Move {name} up")}</button>
                                <button type="button" class="secondary" disabled=i + 1 == count on:click=move |_| swap(i, i + 1)>
                                    {format!("Move {name} down")}</button>
                                <button type="button" class="secondary danger" on:click={
                                    let (id, name) = (id.clone(), category.name.clone());
                                    move |_| delete_item(data, company.clone(), "categories", id.clone(), &name, set_problem)
                                }>{format!("Delete {}", category.name)}</button>
                            </div>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    let add = move |_| {
        list.update(|l| {
            let taken: Vec<String> = l.iter().map(|c| c.id.clone()).collect();
            l.push(Category { id: id_from_name("category", &taken), name: String::new() });
        })
    };
    view! {
        <section class="card" aria-labelledby="categories-title">
            <h1 id="categories-title">"Categories"</h1>
            <p class="hint">"The groups of your service list, in this order. Choose a service's category on its form."</p>
            <ul class="rows">{rows}</ul>
            <FormProblem problem/>
            {may_edit.then(|| view! {
                <div class="actions">
                    <button type="button" class="secondary" on:click=add>"Add a category"</button>
                    <button type="button" disabled=move || list.get() == saved
                        on:click=move |_| { save.dispatch(list.get_untracked()); }>"Save the order and names"</button>
                </div>
            })}
        </section>
    }
}
