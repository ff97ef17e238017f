//! Calendar feeds (anyone who sees the calendar): a secret address per location or specialist
//! that a phone's or a desk's calendar app subscribes to, showing the bookings without the
//! console. The address is shown once, when made or renewed; a specialist's feed is their own.

use leptos::prelude::*;

use homeslot_core::access::Action as Right;
use homeslot_core::catalog::Company;
use homeslot_core::feeds::{FeedView, NewFeed};

use crate::api::{self, Problem};
use crate::components::fields::{ChoiceField, CopyButton, SelectField};
use crate::dates::when;
use crate::pages::business::use_company;
use crate::pages::{FormProblem, WithCatalog};
use crate::session::use_session;

#[component]
pub fn FeedsPage() -> impl IntoView {
    view! {
        <WithCatalog children=|catalog| view! { <Feeds catalog/> }/>
    }
}

#[component]
fn Feeds(catalog: Company) -> impl IntoView {
    let company = use_company();
    let session = use_session();
    let grant = session.business(&company.get_untracked()).map(|b| b.grant);
    let own = grant.as_ref().and_then(|g| g.own_specialist().map(str::to_string));
    let locations: Vec<(String, String)> = catalog
        .locations
        .iter()
        .filter(|l| grant.as_ref().is_some_and(|g| g.allows(Right::SeeCalendar, Some(&l.id))))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let catalog = StoredValue::new(catalog);
    let listed = LocalResource::new(move || api::feeds(company.get()));
    let (problem, set_problem) = signal(None::<Problem>);
    // The address just made or renewed, shown once with the feed it belongs to.
    let (shown, set_shown) = signal(None::<FeedView>);
    let location = RwSignal::new(locations.first().map(|l| l.0.clone()).unwrap_or_default());
    let specialist = RwSignal::new(own.clone());
    let answered = move |answer: Result<FeedView, Problem>| match answer {
        Ok(feed) => {
            set_problem.set(None);
            set_shown.set(Some(feed));
            listed.refetch();
        }
        Err(error) => set_problem.set(Some(error)),
    };
    let create = Action::new_local(move |feed: &NewFeed| api::create_feed(company.get_untracked(), feed.clone()));
    let rotate = Action::new_local(move |id: &String| api::rotate_feed(company.get_untracked(), id.clone()));
    let delete = Action::new_local(move |id: &String| api::delete_feed(company.get_untracked(), id.clone()));
    Effect::new(move |_| create.value().get().map(answered));
    Effect::new(move |_| rotate.value().get().map(answered));
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            set_shown.set(None);
            listed.refetch();
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let specialists = move || {
        let at = location.get();
        catalog.with_value(|c| {
            c.specialists
                .iter()
                .filter(|s| s.location_id == at)
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let name_of = move |feed: &FeedView| {
        catalog.with_value(|c| {
            let place = c.location(&feed.location_id).map_or_else(|| feed.location_id.clone(), |l| l.name.clone());
            match &feed.specialist_id {
                Some(id) => format!("{} at {place}", c.specialist(id).map_or_else(|| id.clone(), |s| s.name.clone())),
                None => format!("{place}, every specialist"),
            }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(NewFeed { location_id: location.get_untracked(), specialist_id: specialist.get_untracked() });
    };
    view! {
        <section class="card" aria-labelledby="feeds-title">
            <h1 id="feeds-title">"Calendar feeds"</h1>
            <p class="hint">"Follow a day in any calendar app: subscribe to the address (Google Calendar: Other \
                calendars, From URL; Apple Calendar: New Calendar Subscription; Outlook: Subscribe from web). \
                It shows each booking's service and client name, never their phone. Anyone with the address \
                can read it: renew it if it was shared by mistake."</p>
            <form class="stack" on:submit=submit>
                <SelectField id="feed-location" label="Location" options=locations.clone()
                    value=Signal::derive(move || location.get()) set=Callback::new(move |id| location.set(id))/>
                {own.is_none().then(|| view! {
                    {move || {
                        let options = specialists();
                        view! {
                            <ChoiceField id="feed-specialist" label="Whose bookings" none="Every specialist" options
                                value=Signal::derive(move || specialist.get())
                                set=Callback::new(move |id| specialist.set(id))/>
                        }
                    }}
                })}
                <button type="submit" disabled=create.pending()>"Make a feed"</button>
            </form>
            {move || shown.get().and_then(|feed| {
                let url = feed.url.clone()?;
                let webcal = url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                let copied = url.clone();
                Some(view! {
                    <div class="notice" role="status">
                        <p>{format!("The address of {} (shown only now):", name_of(&feed))}</p>
                        <p><code class="address">{url.clone()}</code></p>
                        <CopyButton text=Signal::derive(move || copied.clone()) label="Copy the address"/>
                        " "
                        <a href=webcal>"Open in your calendar app"</a>
                    </div>
                })
            })}
            <FormProblem problem/>
        </section>
        <section class="card" aria-labelledby="feeds-list-title">
            <h2 id="feeds-list-title">"Your feeds"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || listed.get().map(|answer| match answer {
                    Ok(feeds) if feeds.is_empty() => view! { <p>"No feeds yet."</p> }.into_any(),
                    Ok(feeds) => view! {
                        <table>
                            <thead><tr><th scope="col">"Feed"</th><th scope="col">"Made by"</th><th scope="col">"Made"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {feeds.into_iter().map(|feed| {
                                    let (renew_id, end_id) = (feed.feed_id.clone(), feed.feed_id.clone());
                                    let name = name_of(&feed);
                                    view! {
                                        <tr>
                                            <td>{name.clone()}</td>
                                            <td>{feed.created_by.clone()}</td>
                                            <td>{when(&feed.created_at)}</td>
                                            <td>
                                                <button type="button" class="secondary" aria-label=format!("New address for {name}")
                                                    on:click=move |_| { rotate.dispatch(renew_id.clone()); }>"New address"</button>
                                                " "
                                                <button type="button" class="secondary danger" aria-label=format!("End {name}")
                                                    on:click=move |_| { delete.dispatch(end_id.clone()); }>"End"</button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
