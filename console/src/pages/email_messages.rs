//! The e-mails' words (owners): each message on or off, and the owner's own subject and opening
//! per language, with variables, previewed as the client or the staff will read it — written by
//! the same core function the edge sends with (`homeslot_core::messages::compose`), so the
//! preview is the message. The preview shows its plain-text part (the HTML part says the same,
//! styled; its inline styles would need the console's own policy loosened to be shown here).

use leptos::prelude::*;

use homeslot_core::catalog::Company;
use homeslot_core::mail::MailSettings;
use homeslot_core::messages::{
    all_messages, compose, compose_agenda, default_words, message_key, words_for, AgendaLine, Event, Facts,
    MessageSetting, Recipient,
};
use homeslot_core::settings::LANGUAGES;

use crate::components::fields::optional;

/// The messages of `draft` (saved with the rest of the e-mail settings).
#[component]
pub fn MessagesEditor(catalog: Company, draft: RwSignal<MailSettings>) -> impl IntoView {
    let owner_language = catalog.widget.language.clone().unwrap_or_else(|| "en".into());
    let facts = StoredValue::new(sample(&catalog));
    view! {
        <fieldset>
            <legend>"Messages"</legend>
            <p class="hint">"Turn a message off, or write its subject and first lines in your own words. \
                Variables: {client}, {service}, {specialist}, {location}, {business}, {date}, {time}."</p>
            {all_messages().into_iter().map(|(event, to)| {
                view! { <MessageRow event to draft facts language=owner_language.clone()/> }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn MessageRow(
    event: Event,
    to: Recipient,
    draft: RwSignal<MailSettings>,
    facts: StoredValue<Facts>,
    language: String,
) -> impl IntoView {
    let id = format!("message-{}-{}", event.name(), to.name());
    let (open, set_open) = signal(false);
    let language = RwSignal::new(language);
    // Copy, so every closure below may hold it.
    let key = StoredValue::new(message_key(event, to));
    let setting = move || draft.with(|d| key.with_value(|k| d.messages.get(k).cloned()));
    // Changes this message's setting; one that says nothing (on, the messages' own words) goes.
    let change = move |f: &dyn Fn(&mut MessageSetting)| {
        let key = key.get_value();
        draft.update(|d| {
            let setting = d.messages.entry(key.clone()).or_default();
            f(setting);
            setting.words.retain(|_, w| w.subject.is_some() || w.opening.is_some());
            if setting.enabled && setting.words.is_empty() {
                d.messages.remove(&key);
            }
        })
    };
    let own = move |subject: bool| {
        setting()
            .and_then(|s| s.words.get(&language.get()).cloned())
            .and_then(|w| if subject { w.subject } else { w.opening })
            .unwrap_or_default()
    };
    let default_of = move |part: &str| {
        default_words(&language.get())
            .get(&format!("{}{}_{part}", to.prefix(), event.name()))
            .cloned()
            .unwrap_or_default()
    };
    let letter = Memo::new(move |_| {
        let settings = draft.with(|d| d.messages.clone());
        let lang = language.get();
        let words = words_for(&settings, event, to, &lang);
        facts.with_value(|f| match event {
            Event::Agenda => compose_agenda(&lang, &words, f, &sample_day(f)),
            _ => compose(event, to, &lang, &words, f),
        })
    });
    let title = message_name(event, to);
    view! {
        <div class="message-row">
            <label class="check">
                <input type="checkbox" prop:checked=move || setting().is_none_or(|s| s.enabled)
                    on:change=move |ev| { let on = event_target_checked(&ev); change(&|s| s.enabled = on); }/>
                {format!("Send: {title}")}
            </label>
            <button type="button" class="link" aria-expanded=move || open.get().to_string()
                aria-controls=id.clone() on:click=move |_| set_open.update(|o| *o = !*o)>
                {format!("Words of “{title}”…")}
            </button>
            <div id=id.clone() hidden=move || !open.get()>
                <label for=format!("{id}-language")>"Language"</label>
                <select id=format!("{id}-language") on:change=move |ev| language.set(event_target_value(&ev))>
                    {LANGUAGES.iter().map(|l| view! { <option value=*l selected=move || language.get() == *l>{*l}</option> }).collect_view()}
                </select>
                <label for=format!("{id}-subject")>"Subject"</label>
                <input id=format!("{id}-subject") prop:value=move || own(true) placeholder=move || default_of("subject")
                    on:input=move |ev| {
                        let (text, lang) = (optional(event_target_value(&ev)), language.get_untracked());
                        change(&|s| s.words.entry(lang.clone()).or_default().subject = text.clone());
                    }/>
                <label for=format!("{id}-opening")>"First lines"</label>
                <textarea id=format!("{id}-opening") rows="3" prop:value=move || own(false) placeholder=move || default_of("opening")
                    on:input=move |ev| {
                        let (text, lang) = (optional(event_target_value(&ev)), language.get_untracked());
                        change(&|s| s.words.entry(lang.clone()).or_default().opening = text.clone());
                    }></textarea>
                <figure class="message-preview">
                    <figcaption>{format!("Preview of “{title}”")}</figcaption>
                    <p>"Subject: " <strong>{move || letter.get().subject}</strong></p>
                    <pre>{move || letter.get().text}</pre>
                </figure>
            </div>
        </div>
    }
}

/// A message as the owner knows it.
fn message_name(event: Event, to: Recipient) -> String {
    let what = match event {
        Event::Booked => "booking confirmed",
        Event::Moved => "booking moved",
        Event::Cancelled => "cancelled by the client",
        Event::CancelledByBusiness => "cancelled by you",
        Event::Reminder => "reminder",
        Event::SeatGranted => "a class seat from the waitlist",
        Event::SessionCancelled => "a class session you cancelled",
        Event::Agenda => "morning agenda",
    };
    let whom = match to {
        Recipient::Client => "to the client",
        Recipient::Business => "to your staff",
        Recipient::Specialist => "to each specialist",
    };
    format!("{what}, {whom}")
}

/// What the preview shows: the business's own names, a sample client and time.
fn sample(catalog: &Company) -> Facts {
    let location = catalog.locations.first();
    Facts {
        business: catalog.name.clone(),
        client: "Alex Sample".into(),
        service: catalog.services.first().map(|s| s.name.clone()).unwrap_or_default(),
        specialist: catalog.specialists.first().map(|s| s.name.clone()).unwrap_or_default(),
        location: location.map(|l| l.name.clone()).unwrap_or_default(),
        address: location.map(|l| l.address.clone()).unwrap_or_default(),
        date: crate::dates::long_date(&crate::dates::add_days(&crate::dates::today(), 3)),
        time: "10:00".into(),
        reference: "bk_sample".into(),
        manage_url: Some(format!("{}/b/{}#homeslot-manage=…", crate::api::edge_origin(), catalog.id)),
        phone: Some("+44 7400 123456".into()),
        email: Some("alex@example.com".into()),
        comment: Some("First visit".into()),
    }
}

/// What the agenda's preview lists: the sample client's visit and a class.
fn sample_day(facts: &Facts) -> Vec<AgendaLine> {
    vec![
        AgendaLine {
            time: "10:00–10:45".into(),
            service: facts.service.clone(),
            client: Some(facts.client.clone()),
            phone: facts.phone.clone(),
            comment: facts.comment.clone(),
            seats: None,
        },
        AgendaLine { time: "18:00–19:00".into(), service: "Yoga".into(), seats: Some(6), ..AgendaLine::default() },
    ]
}
