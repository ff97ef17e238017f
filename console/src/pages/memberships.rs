//! Memberships (`/console/b/{company}/memberships`, owners and managers): the chain's passes and
//! subscriptions with a search, a change by hand with the reason the audit trail keeps, and an
//! import from a spreadsheet's CSV that shows what every row would do — or each row's problem —
//! before anything is written (the edge imports every row or none).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use homeslot_core::currency::{decimal, exponent, parse_decimal};
use homeslot_core::membership::{ImportPreview, Membership, MembershipStatus, RowProblem, MAX_REASON_CHARS};
use homeslot_core::wire::Money;

use crate::api::{self, Problem};
use crate::pages::business::use_company;
use crate::pages::{money_text, FormProblem, WithCatalog};

#[component]
pub fn MembershipsPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><Memberships currency=catalog.currency/></WithCatalog> }
}

#[component]
fn Memberships(currency: String) -> impl IntoView {
    let company = use_company();
    // Bumped after a change here: the list is read again.
    let changes = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        changes.track();
        api::memberships(company.get())
    });
    let search = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<Membership>);
    let said = RwSignal::new(None::<String>);
    let currency = StoredValue::new(currency);
    let table = move || {
        list.get().map(|answer| match answer {
            Ok(all) => {
                let wanted = search.get().trim().to_lowercase();
                let digits: String = wanted.chars().filter(char::is_ascii_digit).collect();
                let found: Vec<Membership> = all
                    .into_iter()
                    .filter(|m| {
                        wanted.is_empty()
                            || m.number.to_lowercase().contains(&wanted)
                            || m.name.to_lowercase().contains(&wanted)
                            || (digits.len() >= 3 && m.phone.contains(&digits))
                    })
                    .collect();
                view! { <MembershipTable memberships=found currency=currency.get_value() chosen/> }.into_any()
            }
            Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
        })
    };
    view! {
        <section class="card" aria-labelledby="memberships-title">
            <h1 id="memberships-title">"Memberships"</h1>
            <label for="membership-search">"Find a membership (number, type or phone)"</label>
            <input id="membership-search" type="search" prop:value=search
                on:input=move |ev| search.set(event_target_value(&ev))/>
            <p role="status" class="hint">{move || said.get()}</p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>{table}</Transition>
        </section>
        {move || chosen.get().map(|membership| view! {
            <Adjust membership currency=currency.get_value() chosen changes said/>
        })}
        <Import changes/>
    }
}

/// The memberships found, each with what is left on it and a way to change it.
#[component]
fn MembershipTable(
    memberships: Vec<Membership>,
    currency: String,
    chosen: RwSignal<Option<Membership>>,
) -> impl IntoView {
    if memberships.is_empty() {
        return view! { <p>"No memberships found."</p> }.into_any();
    }
    view! {
        <table>
            <thead><tr>
                <th scope="col">"Number"</th><th scope="col">"Type"</th><th scope="col">"Holder's phone"</th>
                <th scope="col">"Status"</th><th scope="col">"Left"</th><th scope="col">"Valid"</th><th scope="col"><span class="visually-hidden">"Change"</span></th>
            </tr></thead>
            <tbody>
                {memberships.into_iter().map(|m| {
                    let open = m.clone();
                    view! {
                        <tr>
                            <td>{m.number.clone()}</td>
                            <td>{m.name.clone()}</td>
                            <td>{m.phone.clone()}</td>
                            <td>{status_name(m.status)}</td>
                            <td>{left(&m, &currency)}</td>
                            <td>{valid(&m)}</td>
                            <td><button type="button" class="link" aria-label=format!("Adjust {}", m.number)
                                on:click=move |_| chosen.set(Some(open.clone()))>"Adjust"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A change by hand: the status, what is left, the last valid date, and why.
#[component]
fn Adjust(
    membership: Membership,
    currency: String,
    chosen: RwSignal<Option<Membership>>,
    changes: RwSignal<u32>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let company = use_company();
    let digits = exponent(&currency).unwrap_or(2);
    let status = RwSignal::new(membership.status);
    let visits = RwSignal::new(membership.visits_left.map(|n| n.to_string()).unwrap_or_default());
    let balance = RwSignal::new(membership.balance_minor.map(|m| decimal(m, digits)).unwrap_or_default());
    let until = RwSignal::new(membership.valid_until.map(|d| d.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let original = StoredValue::new(membership.clone());
    let title = format!("Adjust {} — {}", membership.number, membership.name);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let before = original.get_value();
        let mut patch = serde_json::Map::new();
        if status.get_untracked() != before.status {
            patch.insert("status".into(), serde_json::json!(status.get_untracked()));
        }
        if before.visits_left.is_some() {
            match visits.get_untracked().trim().parse::<u32>() {
                Ok(n) if Some(n) != before.visits_left => {
                    patch.insert("visits_left".into(), n.into());
                }
                Ok(_) => {}
                Err(_) => {
                    return set_problem.set(Some(Problem::at("visits_left", "Visits left must be a whole number.")))
                }
            }
        }
        if before.balance_minor.is_some() {
            match parse_decimal(&balance.get_untracked(), digits) {
                Some(m) if Some(m) != before.balance_minor => {
                    patch.insert("balance_minor".into(), m.into());
                }
                Some(_) => {}
                None => {
                    return set_problem
                        .set(Some(Problem::at("balance_minor", "The balance must be an amount, like 25.00.")))
                }
            }
        }
        let until_now = until.get_untracked();
        if until_now != before.valid_until.map(|d| d.to_string()).unwrap_or_default() {
            // An empty date: valid with no end.
            let value = if until_now.is_empty() { serde_json::Value::Null } else { until_now.into() };
            patch.insert("valid_until".into(), value);
        }
        if patch.is_empty() {
            return set_problem.set(Some(Problem::at("status", "Nothing is changed yet.")));
        }
        let why = reason.get_untracked().trim().to_string();
        if why.is_empty() || why.chars().count() > MAX_REASON_CHARS {
            return set_problem
                .set(Some(Problem::at("reason", "Say why, in up to 200 characters: the audit trail keeps it.")));
        }
        patch.insert("reason".into(), why.into());
        set_problem.set(None);
        let number = before.number.clone();
        leptos::task::spawn_local(async move {
            match api::adjust_membership(company.get_untracked(), number.clone(), patch.into()).await {
                Ok(_) => {
                    said.set(Some(format!("Membership {number} adjusted.")));
                    chosen.set(None);
                    changes.update(|n| *n += 1);
                }
                Err(problem) => set_problem.set(Some(problem)),
            }
        });
    };
    let statuses = [
        MembershipStatus::Active,
        MembershipStatus::Issued,
        MembershipStatus::Frozen,
        MembershipStatus::Expired,
        MembershipStatus::Cancelled,
    ];
    view! {
        <section class="card" aria-labelledby="adjust-title">
            <h2 id="adjust-title">{title}</h2>
            <form on:submit=submit>
                <label for="adjust-status">"Status"</label>
                <select id="adjust-status" on:change=move |ev| {
                    if let Some(s) = statuses.into_iter().find(|s| status_code(*s) == event_target_value(&ev)) { status.set(s) }
                }>
                    {statuses.into_iter().map(|s| view! {
                        <option value=status_code(s) selected=move || status.get() == s>{status_name(s)}</option>
                    }).collect_view()}
                </select>
                {membership.visits_left.is_some().then(|| view! {
                    <label for="adjust-visits">"Visits left"</label>
                    <input id="adjust-visits" inputmode="numeric" prop:value=visits on:input=move |ev| visits.set(event_target_value(&ev))/>
                })}
                {membership.balance_minor.is_some().then(|| view! {
                    <label for="adjust-balance">{format!("Balance ({currency})")}</label>
                    <input id="adjust-balance" inputmode="decimal" prop:value=balance on:input=move |ev| balance.set(event_target_value(&ev))/>
                })}
                <label for="adjust-until">"Valid until (empty: no end)"</label>
                <input id="adjust-until" type="date" prop:value=until on:change=move |ev| until.set(event_target_value(&ev))/>
                <label for="adjust-reason">"Why is it changed?"</label>
                <input id="adjust-reason" maxlength="200" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                <FormProblem problem/>
                <div class="actions">
                    <button type="submit">"Save adjustment"</button>
                    <button type="button" class="secondary" on:click=move |_| chosen.set(None)>"Close"</button>
                </div>
            </form>
        </section>
    }
}

/// An import from a CSV file: every row checked and shown before anything is written.
#[component]
fn Import(changes: RwSignal<u32>) -> impl IntoView {
    let company = use_company();
    let file = RwSignal::new(None::<String>);
    let checked = RwSignal::new(None::<Result<ImportPreview, Vec<RowProblem>>>);
    let (problem, set_problem) = signal(None::<Problem>);
    let done = RwSignal::new(None::<String>);
    let chosen = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(picked) = input.files().and_then(|files| files.get(0)) else { return };
        checked.set(None);
        done.set(None);
        set_problem.set(None);
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(picked.text()).await.ok().and_then(|t| t.as_string());
            let Some(text) = text else {
                return set_problem.set(Some(Problem::at("file", "This file could not be read.")));
            };
            file.set(Some(text.clone()));
            match api::preview_import(company.get_untracked(), text).await {
                Ok(answer) => checked.set(Some(answer)),
                Err(problem) => set_problem.set(Some(problem)),
            }
        });
    };
    let import = move |_| {
        let Some(text) = file.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match api::import_memberships(company.get_untracked(), text).await {
                Ok(Ok(imported)) => {
                    checked.set(None);
                    file.set(None);
                    done.set(Some(format!(
                        "Imported {} memberships: {} new, {} replaced.",
                        imported.imported, imported.created, imported.replaced
                    )));
                    changes.update(|n| *n += 1);
                }
                // Something changed since the preview (a catalog edit): show what it says now.
                Ok(Err(rows)) => checked.set(Some(Err(rows))),
                Err(problem) => set_problem.set(Some(problem)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="import-title">
            <h2 id="import-title">"Import from a spreadsheet"</h2>
            <p class="hint">
                "A CSV file with a header row: " <code>"number"</code> ", " <code>"name"</code> ", " <code>"phone"</code> ", "
                <code>"status"</code> " and any of " <code>"service_ids"</code> ", " <code>"category_ids"</code>
                " (separated by spaces), " <code>"visits_left"</code> ", " <code>"balance_minor"</code> " (in cents or pence), "
                <code>"valid_from"</code> ", " <code>"valid_until"</code> ". A row whose number exists replaces that \
                 membership. Every row is checked first and nothing is written until you confirm; a file with any \
                 problem imports nothing."
            </p>
            <label for="import-file">"CSV file"</label>
            <input id="import-file" type="file" accept=".csv,text/csv" on:change=chosen/>
            <FormProblem problem/>
            {move || checked.get().map(|answer| match answer {
                Err(rows) => view! { <RowProblems rows/> }.into_any(),
                Ok(preview) => view! {
                    <p role="status">{format!(
                        "{} memberships ready: {} new, {} replacing those with the same number. Nothing is imported yet.",
                        preview.rows.len(), preview.created, preview.replaced
                    )}</p>
                    <table>
                        <caption class="visually-hidden">"What each row will do"</caption>
                        <thead><tr><th scope="col">"Row"</th><th scope="col">"Number"</th><th scope="col">"Type"</th><th scope="col">"Phone"</th><th scope="col">"Will"</th></tr></thead>
                        <tbody>{preview.rows.iter().map(|r| view! {
                            <tr><td>{r.row}</td><td>{r.number.clone()}</td><td>{r.name.clone()}</td><td>{r.phone.clone()}</td>
                                <td>{if r.new { "Create" } else { "Replace" }}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    <button type="button" on:click=import>{format!("Import {} memberships", preview.rows.len())}</button>
                }.into_any(),
            })}
            <p role="status">{move || done.get()}</p>
        </section>
    }
}

/// Each row's problem, and that nothing was written.
#[component]
fn RowProblems(rows: Vec<RowProblem>) -> impl IntoView {
    view! {
        <p class="problem" role="alert">{match rows.len() {
            1 => "1 row has a problem. Nothing has been imported: correct it and choose the file again.".to_string(),
            n => format!("{n} rows have problems. Nothing has been imported: correct them and choose the file again."),
        }}</p>
        <table>
            <caption class="visually-hidden">"The rows' problems"</caption>
            <thead><tr><th scope="col">"Row"</th><th scope="col">"Field"</th><th scope="col">"Problem"</th></tr></thead>
            <tbody>{rows.into_iter().map(|r| view! {
                <tr><td>{r.row}</td><td>{r.field.unwrap_or_default()}</td><td>{r.message}</td></tr>
            }).collect_view()}</tbody>
        </table>
    }
}

fn status_code(status: MembershipStatus) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

fn status_name(status: MembershipStatus) -> &'static str {
    match status {
        MembershipStatus::Active => "Active",
        MembershipStatus::Issued => "Issued (not used yet)",
        MembershipStatus::Frozen => "Frozen",
        MembershipStatus::Expired => "Expired",
        MembershipStatus::Cancelled => "Cancelled",
    }
}

/// What is left on it: visits, money, or no limit.
fn left(m: &Membership, currency: &str) -> String {
    match (m.visits_left, m.balance_minor) {
        (Some(1), _) => "1 visit".into(),
        (Some(n), _) => format!("{n} visits"),
        (None, Some(minor)) => money_text(&Money::of(minor, currency)),
        (None, None) => "Unlimited".into(),
    }
}

fn valid(m: &Membership) -> String {
    match (m.valid_from, m.valid_until) {
        (Some(from), Some(until)) => format!("{from} to {until}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(until)) => format!("until {until}"),
        (None, None) => "No end".into(),
    }
}
