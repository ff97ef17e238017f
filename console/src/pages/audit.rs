//! The audit trail (`/console/b/{company}/audit`, owners): who changed what in the business and
//! when — the catalog, the staff, keys, memberships, bookings made or changed by staff, clients'
//! data exported or erased — latest first, older pages on request.

use leptos::prelude::*;

use homeslot_core::audit::AuditEntry;

use crate::api::{self, Problem};
use crate::dates::when;
use crate::pages::business::use_company;
use crate::pages::FormProblem;

#[component]
pub fn AuditPage() -> impl IntoView {
    let company = use_company();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    // The `before` of the next older page; `None` once the oldest is shown.
    let more = RwSignal::new(None::<i64>);
    let loaded = RwSignal::new(false);
    let (problem, set_problem) = signal(None::<Problem>);
    let load = move |before: Option<i64>| {
        leptos::task::spawn_local(async move {
            match api::audit_trail(company.get_untracked(), before).await {
                Ok(page) => {
                    entries.update(|all| all.extend(page.entries));
                    more.set(page.more);
                    loaded.set(true);
                }
                Err(p) => set_problem.set(Some(p)),
            }
        });
    };
    load(None);
    view! {
        <section class="card" aria-labelledby="audit-title">
            <h1 id="audit-title">"Audit trail"</h1>
            <p class="hint">"Who changed what, and when: the catalog, the staff, keys, memberships, bookings made or changed by your staff, clients' data exported or erased."</p>
            <FormProblem problem/>
            {move || (loaded.get() && entries.with(Vec::is_empty)).then(|| view! { <p>"Nothing has been changed yet."</p> })}
            <table>
                <caption class="visually-hidden">"Changes, latest first"</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Details"</th></tr></thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.seq let:e>
                        <tr>
                            <td><time datetime=e.at.clone()>{when(&e.at)}</time></td>
                            <td>{e.by}</td>
                            <td>{format!("{}: {}", e.action.label(), e.subject)}</td>
                            <td>{e.detail.unwrap_or_default()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || more.get().map(|before| view! {
                <button type="button" class="secondary" on:click=move |_| load(Some(before))>"Show older changes"</button>
            })}
        </section>
    }
}
