//! E-mail (owners): the business's own SMTP provider, the sender clients see, where the staff's
//! notices go, each message on or off in the owner's words (`email_messages`), and each
//! location's reminders. The password is sent only when typed and never shown
//! back; what each message says and when it goes is in docs/notifications.md.

use std::collections::BTreeMap;

use leptos::prelude::*;

use homeslot_core::catalog::Company;
use homeslot_core::mail::{MailSettings, MailSettingsView, Security};
use homeslot_core::time::MinuteOfDay;

use crate::api::{self, Problem};
use crate::components::fields::{optional, NumberField, SelectField, TextField};
use crate::pages::business::use_company;
use crate::pages::email_messages::MessagesEditor;
use crate::pages::{problem_at, FormProblem, WithCatalog};

#[component]
pub fn EmailPage() -> impl IntoView {
    view! {
        <WithCatalog children=|catalog| view! { <Email catalog/> }/>
    }
}

#[component]
fn Email(catalog: Company) -> impl IntoView {
    let company = use_company();
    let stored = LocalResource::new(move || api::mail_settings(company.get()));
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || stored.get().map(|answer| match answer {
                Ok(saved) => view! { <Provider catalog=catalog.clone() saved/> <Reminders catalog=catalog.clone()/> }.into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The provider, the sender and the staff's addresses: one form, saved whole.
#[component]
fn Provider(catalog: Company, saved: Option<MailSettingsView>) -> impl IntoView {
    let company = use_company();
    let password_set = RwSignal::new(saved.as_ref().is_some_and(|s| s.password_set));
    let draft = RwSignal::new(saved.map(|s| s.settings).unwrap_or_else(|| MailSettings {
        port: 587,
        from_name: Some(catalog.name.clone()),
        enabled: true,
        ..MailSettings::default()
    }));
    let (problem, set_problem) = signal(None::<Problem>);
    let (status, set_status) = signal(String::new());
    let save = Action::new_local(move |settings: &MailSettings| {
        api::save_mail_settings(company.get_untracked(), settings.clone())
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(view)) => {
            set_problem.set(None);
            password_set.set(view.password_set);
            // The password went with this save only: the field empties, the stored one stays.
            draft.update(|d| d.password = None);
            set_status.set("Saved: the next message goes through this provider.".into());
        }
        Some(Err(error)) => {
            set_status.set(String::new());
            set_problem.set(Some(error));
        }
        None => {}
    });
    let text = move |get: fn(&MailSettings) -> String| Signal::derive(move || draft.with(get));
    let set =
        move |put: fn(&mut MailSettings, String)| Callback::new(move |value: String| draft.update(|d| put(d, value)));
    let security = Signal::derive(move || match draft.with(|d| d.security) {
        Security::Tls => "tls".to_string(),
        Security::None => "none".to_string(),
        Security::Starttls => "starttls".to_string(),
    });
    let set_security = Callback::new(move |value: String| {
        draft.update(|d| {
            d.security = match value.as_str() {
                "tls" => Security::Tls,
                "none" => Security::None,
                _ => Security::Starttls,
            };
            // The usual port goes with it, unless the owner typed another.
            if [587, 465].contains(&d.port) {
                d.port = if d.security == Security::Tls { 465 } else { 587 };
            }
        })
    });
    let address_of = move |kind: &'static str, id: String| {
        let read_id = id.clone();
        let value =
            Signal::derive(move || draft.with(|d| addresses(d, kind).get(&read_id).cloned().unwrap_or_default()));
        let set = Callback::new(move |value: String| {
            draft.update(|d| {
                let map = addresses_mut(d, kind);
                match optional(value) {
                    Some(address) => map.insert(id.clone(), address),
                    None => map.remove(&id),
                };
            })
        });
        (value, set)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_status.set(String::new());
        save.dispatch(draft.get_untracked());
    };
    let password_label = move || {
        if password_set.get() {
            "Password (stored; type a new one to replace it)"
        } else {
            "Password"
        }
    };
    view! {
        <section class="card" aria-labelledby="email-title">
            <h1 id="email-title">"E-mail"</h1>
            <p class="hint">"Confirmations, reminders and the staff's notices go out through your own e-mail provider's \
                SMTP server (every transactional provider offers one). Nothing is sent anywhere else."</p>
            <form class="stack" on:submit=submit>
                <label class="check">
                    <input type="checkbox" prop:checked=move || draft.with(|d| d.enabled)
                        on:change=move |ev| draft.update(|d| d.enabled = event_target_checked(&ev))/>
                    "Send e-mail"
                </label>
                <TextField id="mail-host" label="SMTP server (host name)" value=text(|d| d.host.clone())
                    set=set(|d, v| d.host = v) problem=problem_at(problem, "host") required=true/>
                <SelectField id="mail-security" label="Security"
                    options=vec![
                        ("starttls".into(), "STARTTLS (usually port 587)".into()),
                        ("tls".into(), "TLS (usually port 465)".into()),
                        ("none".into(), "None (only the local test server)".into()),
                    ]
                    value=security set=set_security/>
                <p class="field-problem">{move || problem_at(problem, "security").get()}</p>
                <NumberField id="mail-port" label="Port" value=Signal::derive(move || u32::from(draft.with(|d| d.port)))
                    set=Callback::new(move |port: u32| draft.update(|d| d.port = u16::try_from(port).unwrap_or(0)))
                    problem=problem_at(problem, "port")/>
                <TextField id="mail-username" label="User name (if your provider asks for one)"
                    value=text(|d| d.username.clone().unwrap_or_default())
                    set=set(|d, v| d.username = optional(v)) problem=problem_at(problem, "username")/>
                <label for="mail-password">{password_label}</label>
                <input id="mail-password" type="password" autocomplete="new-password" aria-describedby="mail-password-problem"
                    prop:value=move || draft.with(|d| d.password.clone().unwrap_or_default())
                    on:input=move |ev| draft.update(|d| d.password = optional(event_target_value(&ev)))/>
                <p class="field-problem" id="mail-password-problem">{move || problem_at(problem, "password").get()}</p>
                <TextField id="mail-from" label="Sender address (one your provider lets you send as)" kind="email"
                    value=text(|d| d.from_address.clone()) set=set(|d, v| d.from_address = v)
                    problem=problem_at(problem, "from_address") required=true/>
                <TextField id="mail-from-name" label="Sender name" value=text(|d| d.from_name.clone().unwrap_or_default())
                    set=set(|d, v| d.from_name = optional(v)) problem=problem_at(problem, "from_name")/>
                <TextField id="mail-reply-to" label="Replies go to (if not the sender)" kind="email"
                    value=text(|d| d.reply_to.clone().unwrap_or_default())
                    set=set(|d, v| d.reply_to = optional(v)) problem=problem_at(problem, "reply_to")/>
                <fieldset>
                    <legend>"Who hears of new, moved and cancelled bookings"</legend>
                    <p class="hint">"Each location's address (else its public e-mail), and each specialist's own bookings at theirs."</p>
                    {catalog.locations.iter().map(|l| {
                        let (value, set) = address_of("location", l.id.clone());
                        view! { <TextField id=format!("mail-location-{}", l.id) label=l.name.clone() kind="email" value set/> }
                    }).collect_view()}
                    {catalog.specialists.iter().map(|s| {
                        let (value, set) = address_of("specialist", s.id.clone());
                        view! { <TextField id=format!("mail-specialist-{}", s.id) label=s.name.clone() kind="email" value set/> }
                    }).collect_view()}
                    <p class="field-problem">{move || {
                        problem_at(problem, "location_addresses").get().or_else(|| problem_at(problem, "specialist_addresses").get())
                    }}</p>
                </fieldset>
                <fieldset>
                    <legend>"Morning agenda"</legend>
                    <p class="hint">"Each specialist with an address above is sent their day — visits with the client's \
                        name, phone and comment, and classes with their seats — at this time on their location's \
                        clock, if anything is booked. Leave it empty to send none."</p>
                    <TextField id="mail-agenda" label="Send each specialist their day at" kind="time"
                        value=text(|d| d.agenda_time.map(|t| t.to_string()).unwrap_or_default())
                        set=set(|d, v| d.agenda_time = MinuteOfDay::parse(&v)) problem=problem_at(problem, "agenda_time")/>
                </fieldset>
                <MessagesEditor catalog=catalog.clone() draft/>
                <button type="submit" disabled=save.pending()>"Save e-mail settings"</button>
                <p role="status">{status}</p>
                <FormProblem problem/>
            </form>
        </section>
    }
}

fn addresses<'a>(settings: &'a MailSettings, kind: &str) -> &'a BTreeMap<String, String> {
    if kind == "location" {
        &settings.location_addresses
    } else {
        &settings.specialist_addresses
    }
}

fn addresses_mut<'a>(settings: &'a mut MailSettings, kind: &str) -> &'a mut BTreeMap<String, String> {
    if kind == "location" {
        &mut settings.location_addresses
    } else {
        &mut settings.specialist_addresses
    }
}

/// Each location's reminders, as hours before the visit (`policy.reminder_minutes`).
#[component]
fn Reminders(catalog: Company) -> impl IntoView {
    let company = use_company();
    view! {
        <section class="card" aria-labelledby="reminders-title">
            <h2 id="reminders-title">"Reminders"</h2>
            <p class="hint">"Clients are reminded of their visit this many hours before it (up to three times, \
                e.g. 24, 2). A reminder whose time has passed when the client books is not sent: their \
                confirmation says the same."</p>
            {catalog.locations.into_iter().map(|location| {
                let shown = location.policy.reminder_minutes.iter().map(|m| hours_text(*m)).collect::<Vec<_>>().join(", ");
                let (typed, set_typed) = signal(shown);
                let (problem, set_problem) = signal(None::<Problem>);
                let (status, set_status) = signal(String::new());
                let location = StoredValue::new(location);
                let save = Action::new_local(move |minutes: &Vec<u32>| {
                    let mut changed = location.get_value();
                    changed.policy.reminder_minutes = minutes.clone();
                    async move {
                        let id = changed.id.clone();
                        api::put_item(company.get_untracked(), "locations", &id, &changed).await.map(|()| changed)
                    }
                });
                Effect::new(move |_| match save.value().get() {
                    Some(Ok(saved)) => {
                        location.set_value(saved);
                        set_problem.set(None);
                        set_status.set("Saved.".into());
                    }
                    Some(Err(error)) => set_problem.set(Some(error)),
                    None => {}
                });
                let id = location.with_value(|l| format!("reminders-{}", l.id));
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    set_status.set(String::new());
                    match parse_hours(&typed.get_untracked()) {
                        Some(minutes) => {
                            save.dispatch(minutes);
                        }
                        None => set_problem.set(Some(Problem::at("reminders", "Hours like 24, 2 (or empty for none)."))),
                    }
                };
                view! {
                    <form class="inline" on:submit=submit>
                        <label for=id.clone()>{location.with_value(|l| format!("{}: hours before", l.name))}</label>
                        <input id=id inputmode="decimal" prop:value=typed on:input=move |ev| set_typed.set(event_target_value(&ev))/>
                        <button type="submit" class="secondary" disabled=save.pending()>"Save"</button>
                        <span role="status">{status}</span>
                        <FormProblem problem/>
                    </form>
                }
            }).collect_view()}
        </section>
    }
}

/// Minutes as hours for the field (`1440` → `24`, `90` → `1.5`).
fn hours_text(minutes: u32) -> String {
    if minutes.is_multiple_of(60) {
        (minutes / 60).to_string()
    } else {
        format!("{}", f64::from(minutes) / 60.0)
    }
}

/// `24, 2` → minutes; none for something that is not a list of hours.
fn parse_hours(text: &str) -> Option<Vec<u32>> {
    text.split([',', ' ', ';'])
        .filter(|part| !part.is_empty())
        .map(|part| part.replace(',', ".").parse::<f64>().ok().filter(|h| *h > 0.0).map(|h| (h * 60.0).round() as u32))
        .collect()
}
