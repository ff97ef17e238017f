//! Finding a known client of the chain by a part of their name, phone or e-mail (at least two
//! characters; the edge answers at most 20), for the screens that book for, open or merge one.

use leptos::prelude::*;

use homeslot_core::agenda::FoundClient;

use crate::api;
use crate::pages::business::use_company;

/// A search field and the clients it finds, each a button that hands the client to `pick` (and
/// empties the search). `none` is what to say when nobody matches.
#[component]
pub fn ClientFinder(
    id: &'static str,
    #[prop(into)] label: String,
    none: &'static str,
    #[prop(into)] pick: Callback<FoundClient>,
) -> impl IntoView {
    let company = use_company();
    let (search, set_search) = signal(String::new());
    let found = LocalResource::new(move || {
        let (company, text) = (company.get(), search.get());
        async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            api::find_clients(company, text).await
        }
    });
    let list = move || {
        found.get().map(|answer| match answer {
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            Ok(list) if list.is_empty() && search.get().trim().chars().count() >= 2 => {
                view! { <p class="hint">{none}</p> }.into_any()
            }
            Ok(list) => view! {
                <ul class="found" aria-label="Clients found">
                    {list.into_iter().map(|client| {
                        let label = format!("{} · {}", client.name, client.phone);
                        view! {
                            <li>
                                <button type="button" class="link" on:click=move |_| {
                                    pick.run(client.clone());
                                    set_search.set(String::new());
                                }>{label}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
        })
    };
    view! {
        <label for=id>{label}</label>
        <input id=id type="search" prop:value=search on:input=move |ev| set_search.set(event_target_value(&ev))/>
        <Transition fallback=|| ()>{list}</Transition>
    }
}
