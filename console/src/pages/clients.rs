//! Clients (`/console/b/{company}/clients`, owners, managers and front desks): find a client of
//! the chain and open their card — every visit at the locations the person's role covers, what
//! they spent, no-shows, memberships, marketing consent, and the staff's note. The owner also
//! merges two records of one person, downloads one client's data, and erases a client after a
//! confirmation that says what stays.

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::agenda::FoundClient;
use homeslot_core::clients::{ClientCard, MAX_NOTE_CHARS};
use homeslot_core::report::channel_name;

use crate::api::{self, Problem};
use crate::components::client_finder::ClientFinder;
use crate::dates::when;
use crate::pages::business::use_company;
use crate::pages::{money_text, FormProblem};
use crate::session::use_session;

#[component]
pub fn ClientsPage() -> impl IntoView {
    let company = use_company();
    let grant = use_session().business(&company.get_untracked()).map(|b| b.grant);
    let may = move |action| grant.as_ref().is_some_and(|g| g.allows(action, None));
    let rights = Rights { note: may(Action::ManageBookings), owner: may(Action::ClientData) };
    let chosen = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    // Bumped after a change here: the card is read again.
    let changes = RwSignal::new(0_u32);
    let card = LocalResource::new(move || {
        changes.track();
        let (company, id) = (company.get(), chosen.get());
        async move {
            match id {
                Some(id) => api::client_card(company, id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let pick = move |client: FoundClient| {
        said.set(None);
        chosen.set(Some(client.client_id));
    };
    let shown = move || {
        card.get().map(|answer| match answer {
            Ok(Some(card)) => view! { <Card card rights chosen changes said/> }.into_any(),
            Ok(None) => ().into_any(),
            Err(problem) => view! { <p class="problem card" role="alert">{problem.message}</p> }.into_any(),
        })
    };
    view! {
        <section class="card" aria-labelledby="clients-title">
            <h1 id="clients-title">"Clients"</h1>
            <ClientFinder id="client-find" label="Find a client (name, phone or e-mail)" none="No client found." pick/>
            <p role="status" class="hint">{move || said.get()}</p>
        </section>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>{shown}</Transition>
    }
}

/// What the person may do on a card.
#[derive(Clone, Copy)]
struct Rights {
    /// Keep the staff's note.
    note: bool,
    /// Merge, export, erase.
    owner: bool,
}

/// One client's card.
#[component]
fn Card(
    card: ClientCard,
    rights: Rights,
    chosen: RwSignal<Option<String>>,
    changes: RwSignal<u32>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let company = use_company();
    let client = card.client.clone();
    let consent = if card.marketing_consent { "Agreed to hear from you" } else { "Has not agreed to hear from you" };
    let memberships = card.memberships.clone();
    view! {
        <section class="card" aria-labelledby="client-name">
            <h2 id="client-name">{client.name.clone()}</h2>
            <dl class="facts">
                <dt>"Phone"</dt><dd>{client.phone.clone()}</dd>
                <dt>"E-mail"</dt><dd>{client.email.clone().unwrap_or_else(|| "None given".into())}</dd>
                <dt>"Client since"</dt><dd>{when(&card.since)}</dd>
                <dt>"Marketing"</dt><dd>{consent}</dd>
            </dl>
            <dl class="totals">
                <div><dt>"Visits"</dt><dd>{card.visited}</dd></div>
                <div><dt>"Spent"</dt><dd>{money_text(&card.spent)}</dd></div>
                <div><dt>"No-shows"</dt><dd>{card.no_shows}</dd></div>
                <div><dt>"Cancelled"</dt><dd>{card.cancelled}</dd></div>
            </dl>
            <Note id=client.client_id.clone() note=card.note.clone().unwrap_or_default() may=rights.note/>
            {(!memberships.is_empty()).then(|| view! {
                <h3>"Memberships"</h3>
                <ul>{memberships.into_iter().map(|m| {
                    let left = match (m.visits_left, m.balance_minor) {
                        (Some(n), _) => format!("{n} visits left"),
                        (None, Some(minor)) => format!("{} left", money_text(&homeslot_core::wire::Money::of(minor, &card.spent.currency))),
                        (None, None) => "unlimited".into(),
                    };
                    view! { <li>{format!("{} — {} ({left})", m.number, m.name)}</li> }
                }).collect_view()}</ul>
            })}
            <h3>"Visits"</h3>
            {if card.visits.is_empty() {
                view! { <p>"No visits yet."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption class="visually-hidden">"Visits, latest first"</caption>
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Where"</th><th scope="col">"What"</th><th scope="col">"Status"</th><th scope="col">"Price"</th><th scope="col">"Booked"</th></tr></thead>
                        <tbody>{card.visits.iter().map(|v| {
                            let what = match &v.specialist_name {
                                Some(who) => format!("{} with {who}", v.service_name),
                                None => v.service_name.clone(),
                            };
                            let status = match (v.status.as_str(), v.attendance.as_deref()) {
                                ("cancelled", _) => "Cancelled",
                                ("waitlisted", _) => "Waiting list",
                                (_, Some("no_show")) => "No-show",
                                (_, Some("arrived")) => "Arrived",
                                _ => "Booked",
                            };
                            view! {
                                <tr>
                                    <td>{format!("{} {}", v.date, v.time)}</td>
                                    <td>{v.location_name.clone()}</td>
                                    <td>{what}</td>
                                    <td>{status}</td>
                                    <td>{v.price.as_ref().map(money_text).unwrap_or_default()}</td>
                                    <td>{channel_name(&v.channel).to_string()}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        {rights.owner.then(|| view! {
            <OwnerActions client=client.clone() company=company.get_untracked() chosen changes said/>
        })}
    }
}

/// The staff's note: shown to everyone who may see the card, kept by those who book.
#[component]
fn Note(id: String, note: String, may: bool) -> impl IntoView {
    let company = use_company();
    let text = RwSignal::new(note.clone());
    let (problem, set_problem) = signal(None::<Problem>);
    let (saved, set_saved) = signal(None::<&'static str>);
    if !may {
        return view! {
            <h3>"Note"</h3>
            <p>{if note.is_empty() { "No note.".to_string() } else { note }}</p>
        }
        .into_any();
    }
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (company, id, note) = (company.get_untracked(), id.clone(), text.get_untracked());
        if note.chars().count() > MAX_NOTE_CHARS {
            return set_problem.set(Some(Problem::at("note", "A note has at most 1000 characters.")));
        }
        set_problem.set(None);
        leptos::task::spawn_local(async move {
            match api::save_client_note(company, id, note).await {
                Ok(kept) => {
                    text.set(kept.note);
                    set_saved.set(Some("Note saved."));
                }
                Err(problem) => set_problem.set(Some(problem)),
            }
        });
    };
    view! {
        <form on:submit=save>
            <label for="client-note">"Note (for your staff only)"</label>
            <textarea id="client-note" rows="3" maxlength="1000" prop:value=text
                on:input=move |ev| { set_saved.set(None); text.set(event_target_value(&ev)) }></textarea>
            <FormProblem problem/>
            <button type="submit" class="secondary">"Save note"</button>
            <p role="status" class="hint">{move || saved.get()}</p>
        </form>
    }
    .into_any()
}

/// What only the owner does with a client's data: merge two records, download it, erase it.
#[component]
fn OwnerActions(
    client: FoundClient,
    company: String,
    chosen: RwSignal<Option<String>>,
    changes: RwSignal<u32>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let (problem, set_problem) = signal(None::<Problem>);
    let other = RwSignal::new(None::<FoundClient>);
    let erasing = RwSignal::new(false);
    let (keep, name, phone) = (client.client_id.clone(), client.name.clone(), client.phone.clone());
    let pick = {
        let keep = keep.clone();
        move |found: FoundClient| {
            if found.client_id == keep {
                set_problem.set(Some(Problem::at("merge", "That is this client: choose their other record.")));
            } else {
                set_problem.set(None);
                other.set(Some(found));
            }
        }
    };
    let merge = {
        let (company, keep, name) = (company.clone(), keep.clone(), name.clone());
        move |_| {
            let Some(gone) = other.get_untracked() else { return };
            let (company, keep, name) = (company.clone(), keep.clone(), name.clone());
            leptos::task::spawn_local(async move {
                match api::merge_clients(company, keep, gone.client_id).await {
                    Ok(_) => {
                        other.set(None);
                        said.set(Some(format!("{} ({}) is now part of {name}.", gone.name, gone.phone)));
                        changes.update(|n| *n += 1);
                    }
                    Err(problem) => set_problem.set(Some(problem)),
                }
            });
        }
    };
    let erase = {
        let (company, name, phone) = (company.clone(), name.clone(), phone.clone());
        move |_| {
            let (company, name, phone) = (company.clone(), name.clone(), phone.clone());
            leptos::task::spawn_local(async move {
                match api::erase_client(company, phone).await {
                    Ok(()) => {
                        chosen.set(None);
                        said.set(Some(format!("{name}'s details are erased; their visits stay, anonymous.")));
                    }
                    Err(problem) => set_problem.set(Some(problem)),
                }
            });
        }
    };
    let confirm_merge = {
        let name = name.clone();
        move || {
            other.get().map(|gone| {
                let merge = merge.clone();
                view! {
                    <p>{format!(
                        "{} ({}) will become part of {name}: their bookings at every location and their memberships \
                         will be {name}'s, with {name}'s phone, and their record goes. This cannot be undone.",
                        gone.name, gone.phone
                    )}</p>
                    <div class="actions">
                        <button type="button" on:click=merge>"Merge the two records"</button>
                        <button type="button" class="secondary" on:click=move |_| other.set(None)>"Keep them apart"</button>
                    </div>
                }
            })
        }
    };
    let confirm_erase = move || {
        erasing.get().then(|| {
            let erase = erase.clone();
            view! {
                <p>{format!(
                    "Erasing removes {name}'s name, phone and e-mail, their comments and your note from every booking \
                     at every location and from your clients. The bookings stay, without anyone's details — dates, \
                     services, specialists and prices — so your calendar history and reports still add up. \
                     This cannot be undone."
                )}</p>
                <div class="actions">
                    <button type="button" class="secondary danger" on:click=erase>{format!("Erase {name} for good")}</button>
                    <button type="button" class="secondary" on:click=move |_| erasing.set(false)>"Keep them"</button>
                </div>
            }
        })
    };
    view! {
        <section class="card" aria-labelledby="client-data">
            <h2 id="client-data">"Their data"</h2>
            <p><a href=api::client_export_link(&company, &keep) download=format!("client-{keep}.json")>"Download everything stored about them (JSON)"</a></p>
            <h3>"Merge with another record of them"</h3>
            <ClientFinder id="merge-find" label="Find their other record (name, phone or e-mail)" none="No client found." pick/>
            {confirm_merge}
            <h3>"Erase"</h3>
            <button type="button" class="secondary" on:click=move |_| erasing.set(true)>"Erase this client…"</button>
            {confirm_erase}
            <FormProblem problem/>
        </section>
    }
}
