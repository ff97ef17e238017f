//! Webhooks (owners): the addresses of the business's other systems (a CRM, accounting, an
//! automation tool) that hear of its bookings, each with the events it subscribes to. The signing
//! secret is shown once, when an endpoint is added or its secret renewed; each endpoint's log
//! shows every attempt, and any message (or everything since a date) can be sent again.

use leptos::prelude::*;

use homeslot_core::webhooks::{DeliveryLog, Endpoint, EndpointEdit, EndpointSecret, EventType, NewEndpoint, Replay};

use crate::api::{self, Problem};
use crate::components::fields::{CopyButton, TextField};
use crate::dates::when;
use crate::pages::business::use_company;
use crate::pages::{problem_at, FormProblem};

/// What each event is, as the owner reads it.
fn event_label(event: EventType) -> &'static str {
    match event {
        EventType::BookingCreated => "A booking is made",
        EventType::BookingRescheduled => "A booking moves",
        EventType::BookingCancelled => "A booking is cancelled",
        EventType::BookingNoShow => "A client is marked a no-show",
        EventType::ClassSeatBooked => "A class seat is booked",
        EventType::ClassSeatCancelled => "A class seat is given up",
        EventType::WaitlistPromoted => "A waiting client gets a class seat",
        EventType::ClientErased => "A client is erased",
        EventType::MembershipDebited => "A membership pays for a booking",
        EventType::MembershipRefunded => "A membership is refunded",
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let company = use_company();
    let listed = LocalResource::new(move || api::webhooks(company.get()));
    // The secret just made or renewed, shown once with the endpoint it belongs to.
    let (secret, set_secret) = signal(None::<EndpointSecret>);
    let refetch = Callback::new(move |()| listed.refetch());
    let shown = Callback::new(move |made: EndpointSecret| {
        set_secret.set(Some(made));
        listed.refetch();
    });
    view! {
        <section class="card" aria-labelledby="webhooks-title">
            <h1 id="webhooks-title">"Webhooks"</h1>
            <p class="hint">"Your other systems (a CRM, your accounting, an automation tool) hear of what happens here: \
                add the address that receives the events, and choose which. Each message is signed in the Standard \
                Webhooks convention, tried again for three days while your system does not answer, and kept in the \
                log below with every answer. Addresses are https:// to a public server."</p>
            <NewEndpointForm shown/>
            {move || secret.get().map(|made| {
                let copied = made.secret.clone();
                view! {
                    <div class="notice" role="status">
                        <p>{format!("The signing secret of {} (shown only now: give it to the receiving system):", made.endpoint.url)}</p>
                        <p><code class="address">{made.secret.clone()}</code></p>
                        <CopyButton text=Signal::derive(move || copied.clone()) label="Copy the secret"/>
                    </div>
                }
            })}
        </section>
        <section class="card" aria-labelledby="webhooks-list-title">
            <h2 id="webhooks-list-title">"Your endpoints"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || listed.get().map(|answer| match answer {
                    Ok(endpoints) if endpoints.is_empty() => view! { <p>"No endpoints yet."</p> }.into_any(),
                    Ok(endpoints) => endpoints
                        .into_iter()
                        .map(|endpoint| view! { <EndpointCard endpoint refetch shown/> })
                        .collect_view()
                        .into_any(),
                    Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NewEndpointForm(shown: Callback<EndpointSecret>) -> impl IntoView {
    let company = use_company();
    let draft = RwSignal::new(NewEndpoint { events: vec![EventType::BookingCreated], ..NewEndpoint::default() });
    let (problem, set_problem) = signal(None::<Problem>);
    let create =
        Action::new_local(move |endpoint: &NewEndpoint| api::create_webhook(company.get_untracked(), endpoint.clone()));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(made)) => {
            set_problem.set(None);
            draft.set(NewEndpoint { events: vec![EventType::BookingCreated], ..NewEndpoint::default() });
            shown.run(made);
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(draft.get_untracked());
    };
    view! {
        <form class="stack" on:submit=submit>
            <TextField id="webhook-url" label="Address" kind="url" required=true
                value=Signal::derive(move || draft.with(|d| d.url.clone()))
                set=Callback::new(move |url| draft.update(|d| d.url = url)) problem=problem_at(problem, "url")/>
            <TextField id="webhook-description" label="What it is for (optional)"
                value=Signal::derive(move || draft.with(|d| d.description.clone().unwrap_or_default()))
                set=Callback::new(move |text: String| draft.update(|d| d.description = Some(text).filter(|t| !t.is_empty())))
                problem=problem_at(problem, "description")/>
            <fieldset>
                <legend>"Events"</legend>
                {EventType::ALL.into_iter().map(|event| {
                    let id = format!("webhook-event-{}", event.name().replace('.', "-"));
                    let input_id = id.clone();
                    view! {
                        <label class="check" for=id>
                            <input type="checkbox" id=input_id prop:checked=move || draft.with(|d| d.events.contains(&event))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| {
                                        d.events.retain(|e| *e != event);
                                        if on {
                                            d.events.push(event);
                                        }
                                    });
                                }/>
                            <span>{event_label(event)} " " <code>{event.name()}</code></span>
                        </label>
                    }
                }).collect_view()}
                <p class="field-problem">{move || problem_at(problem, "events").get()}</p>
            </fieldset>
            <button type="submit" disabled=create.pending()>"Add the endpoint"</button>
            <FormProblem problem/>
        </form>
    }
}

#[component]
fn EndpointCard(endpoint: Endpoint, refetch: Callback<()>, shown: Callback<EndpointSecret>) -> impl IntoView {
    let company = use_company();
    let id = StoredValue::new(endpoint.endpoint_id.clone());
    let (problem, set_problem) = signal(None::<Problem>);
    let (status, set_status) = signal(String::new());
    let (log_open, set_log_open) = signal(false);
    let deliveries = LocalResource::new(move || {
        let open = log_open.get();
        let (company, id) = (company.get(), id.get_value());
        async move {
            if open {
                api::webhook_deliveries(company, id).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let done = move |result: Result<String, Problem>| match result {
        Ok(said) => {
            set_problem.set(None);
            set_status.set(said);
            deliveries.refetch();
        }
        Err(error) => set_problem.set(Some(error)),
    };
    let test = Action::new_local(move |_: &()| api::test_webhook(company.get_untracked(), id.get_value()));
    let toggle = Action::new_local(move |on: &bool| {
        let edit = EndpointEdit { enabled: Some(*on), ..EndpointEdit::default() };
        api::edit_webhook(company.get_untracked(), id.get_value(), edit)
    });
    let rotate = Action::new_local(move |_: &()| api::rotate_webhook(company.get_untracked(), id.get_value()));
    let delete = Action::new_local(move |_: &()| api::delete_webhook(company.get_untracked(), id.get_value()));
    let replay = Action::new_local(move |replay: &Replay| {
        api::replay_webhook(company.get_untracked(), id.get_value(), replay.clone())
    });
    Effect::new(move |_| test.value().get().map(|r| done(r.map(|()| "The test event is on its way.".into()))));
    Effect::new(move |_| replay.value().get().map(|r| done(r.map(|n| format!("{n} message(s) will be sent again.")))));
    Effect::new(move |_| match toggle.value().get() {
        Some(Ok(_)) => refetch.run(()),
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match rotate.value().get() {
        Some(Ok(made)) => shown.run(made),
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => refetch.run(()),
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let since = RwSignal::new(String::new());
    let replay_since = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The day's start on this computer's clock, as an instant.
        let date = js_sys::Date::new(&format!("{}T00:00:00", since.get_untracked()).into());
        if date.get_time().is_nan() {
            set_problem.set(Some(Problem::at("since", "Choose a date.")));
            return;
        }
        let since = String::from(date.to_iso_string()).replace(".000Z", "Z");
        replay.dispatch(Replay { since: Some(since), ..Replay::default() });
    };
    let enabled = endpoint.enabled;
    let url = endpoint.url.clone();
    let heading = endpoint.description.clone().unwrap_or_else(|| endpoint.url.clone());
    let label = heading.clone();
    view! {
        <article class="subcard" aria-label=label>
            <h3>{heading}</h3>
            <p><code class="address">{url.clone()}</code></p>
            <p>{if enabled { "On".to_string() } else { format!("Off: {}", endpoint.disabled_reason.clone().unwrap_or_default()) }}
                {endpoint.failing_since.as_deref().map(|since| format!(" (failing since {})", when(since)))}</p>
            <p class="hint">{endpoint.events.iter().map(|e| e.name()).collect::<Vec<_>>().join(", ")}</p>
            {endpoint.previous_secret_until.as_deref().map(|until| view! {
                <p class="hint">{format!("The previous secret also signs until {}.", when(until))}</p>
            })}
            <div class="actions">
                <button type="button" class="secondary" on:click=move |_| { test.dispatch(()); }>"Send a test event"</button>
                <button type="button" class="secondary" on:click=move |_| { toggle.dispatch(!enabled); }>
                    {if enabled { "Turn off" } else { "Turn on" }}
                </button>
                <button type="button" class="secondary" on:click=move |_| { rotate.dispatch(()); }>"New secret"</button>
                <button type="button" class="secondary" aria-expanded=move || log_open.get().to_string()
                    on:click=move |_| set_log_open.update(|open| *open = !*open)>"Deliveries"</button>
                <button type="button" class="secondary danger" aria-label=format!("Delete {url}")
                    on:click=move |_| { delete.dispatch(()); }>"Delete"</button>
            </div>
            <p role="status">{move || status.get()}</p>
            <FormProblem problem/>
            {move || log_open.get().then(|| view! {
                <form class="inline" on:submit=replay_since>
                    <TextField id=format!("replay-since-{}", id.get_value()) label="Send again everything since" kind="date"
                        value=Signal::derive(move || since.get()) set=Callback::new(move |d| since.set(d))
                        problem=problem_at(problem, "since")/>
                    <button type="submit" class="secondary">"Send again"</button>
                </form>
                <Transition fallback=|| view! { <p>"Loading…"</p> }>
                    {move || deliveries.get().map(|answer| match answer {
                        Ok(Some(log)) => view! { <DeliveryTable log replay/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
                    })}
                </Transition>
            })}
        </article>
    }
}

#[component]
fn DeliveryTable(log: Vec<DeliveryLog>, replay: Action<Replay, Result<u32, Problem>>) -> impl IntoView {
    if log.is_empty() {
        return view! { <p>"Nothing sent yet."</p> }.into_any();
    }
    view! {
        <table>
            <caption class="visually-hidden">"Messages and their attempts, newest first"</caption>
            <thead><tr>
                <th scope="col">"Event"</th><th scope="col">"Made"</th><th scope="col">"State"</th>
                <th scope="col">"Attempts"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
            </tr></thead>
            <tbody>
                {log.into_iter().map(|delivery| {
                    let message_id = delivery.message_id.clone();
                    let attempts = delivery.attempts.iter().map(|a| {
                        let answer = match (a.status, &a.error) {
                            (Some(status), _) => format!("{status} {}", a.response.chars().take(60).collect::<String>()),
                            (None, Some(error)) => error.clone(),
                            (None, None) => "no answer".into(),
                        };
                        format!("{} ({}, {} ms): {answer}", when(&a.at), a.trigger, a.latency_ms)
                    }).collect::<Vec<_>>();
                    view! {
                        <tr>
                            <td><code>{delivery.event_type.clone()}</code></td>
                            <td>{when(&delivery.created_at)}</td>
                            <td>{delivery.state.clone()}</td>
                            <td><ul class="plain">{attempts.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul></td>
                            <td>
                                <button type="button" class="secondary" aria-label=format!("Send {} again", delivery.message_id)
                                    on:click=move |_| { replay.dispatch(Replay { message_id: Some(message_id.clone()), ..Replay::default() }); }>
                                    "Send again"
                                </button>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
