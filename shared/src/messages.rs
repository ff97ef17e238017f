//! The e-mails a booking sends: what happened (an [`Event`]), who hears of it (a [`Recipient`]),
//! when reminders fall due, and each message's words — a subject, an opening and the visit's
//! facts, as plain text and as HTML with every value escaped.
//!
//! The words come from the language's file (`mail_words/`), or the owner's own for a message
//! ([`MessageSetting`]); the facts (dates and times already written for the reader's language and
//! the location's clock) from the edge. Nothing here sends, reads the clock or knows SMTP.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};

/// What happened to a booking, each worth one message to each recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Booked (online, by the front desk, through any channel).
    Booked,
    /// Moved to another time (or specialist).
    Moved,
    /// Cancelled by the client.
    Cancelled,
    /// Cancelled by the business.
    CancelledByBusiness,
    /// A reminder, some time before the visit.
    Reminder,
    /// A seat in a class session, freed by another client, given to the first client waiting
    /// (told to that client only: the business sees its class fill on the calendar).
    SeatGranted,
    /// The business cancelled a class session: each client with a seat (or waiting) is told.
    SessionCancelled,
    /// A specialist's morning agenda: their day's visits and classes (`crate::morning_agenda`),
    /// when the owner turned it on.
    Agenda,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::Booked,
        Event::Moved,
        Event::Cancelled,
        Event::CancelledByBusiness,
        Event::Reminder,
        Event::SeatGranted,
        Event::SessionCancelled,
        Event::Agenda,
    ];

    /// Its name in ids and logs.
    pub fn name(self) -> &'static str {
        match self {
            Event::Booked => "booked",
            Event::Moved => "moved",
            Event::Cancelled => "cancelled",
            Event::CancelledByBusiness => "cancelled_by_business",
            Event::Reminder => "reminder",
            Event::SeatGranted => "seat_granted",
            Event::SessionCancelled => "session_cancelled",
            Event::Agenda => "agenda",
        }
    }

    /// Whom it is told to: the client always; the business of every change, never of reminders;
    /// the agenda, to its specialist only.
    pub fn recipients(self) -> &'static [Recipient] {
        match self {
            Event::Agenda => &[Recipient::Specialist],
            // The business knows of a session it cancelled.
            Event::Reminder | Event::SeatGranted | Event::SessionCancelled => &[Recipient::Client],
            _ => &[Recipient::Client, Recipient::Business],
        }
    }
}

/// Who a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The client, at the address they gave, in the language they booked in.
    Client,
    /// The business: the specialist's address and the location's (whichever the owner set), in
    /// the business's language.
    Business,
    /// One specialist, at their own address only, in the business's language.
    Specialist,
}

impl Recipient {
    pub fn name(self) -> &'static str {
        match self {
            Recipient::Client => "client",
            Recipient::Business => "business",
            Recipient::Specialist => "specialist",
        }
    }

    /// What its messages' words start with in a language's file (`business_booked_subject`).
    pub fn prefix(self) -> &'static str {
        match self {
            Recipient::Client => "",
            Recipient::Business => "business_",
            Recipient::Specialist => "specialist_",
        }
    }
}

/// One message a booking owes, as its log shows it (the console's booking, the admin API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub notice_id: String,
    /// `booked`, `moved`, `cancelled`, `cancelled_by_business`, `reminder`, `seat_granted` or
    /// `session_cancelled`.
    pub event: String,
    /// When it falls (or fell) due.
    pub due_at: String,
    /// `scheduled` (waiting for its time) or `queued` (handed to the sender).
    pub notice_state: String,
    /// One per recipient once the sender took it.
    pub deliveries: Vec<DeliveryLine>,
}

/// What became of one recipient's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLine {
    /// `client` or `business`.
    pub recipient: String,
    /// `sending` (handed over, no answer recorded: never sent again), `sent`, `skipped`, `retry`
    /// (not sent; tried again) or `failed`.
    pub state: String,
    /// The mail server's reply, or why it was skipped or failed.
    pub detail: String,
    pub at: String,
    pub attempts: i64,
}

/// The most reminders a location may send before a visit.
pub const MAX_REMINDERS: usize = 3;
/// The longest lead time of a reminder: two weeks, in minutes.
pub const MAX_LEAD_MINUTES: u32 = 14 * 24 * 60;

/// Checks a location's reminder lead times (minutes before the visit): at most
/// [`MAX_REMINDERS`], each from 1 minute to [`MAX_LEAD_MINUTES`], no two alike.
pub fn check_leads(leads: &[u32], field: &str) -> Result<(), ApiError> {
    let bad = |why: &str| Err(ApiError::field(ErrorCode::ValidationFailed, field, why));
    if leads.len() > MAX_REMINDERS {
        return bad("at most 3 reminders");
    }
    if leads.iter().any(|&lead| lead == 0 || lead > MAX_LEAD_MINUTES) {
        return bad("each between 1 minute and 14 days (20160 minutes) before the visit");
    }
    let mut sorted = leads.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.len() != leads.len() {
        return bad("no two reminders at the same lead time");
    }
    Ok(())
}

/// When a visit starting at `start_s` gets its reminders (Unix seconds, earliest first), for a
/// booking made or moved at `now_s`, with the location's lead times in minutes.
///
/// The rule for a booking made (or moved) inside a lead time: a reminder whose moment has already
/// come is not sent — the confirmation (or the message about the move) the client has just been
/// sent says the same, and a reminder right after it would be noise. The others are sent at
/// their moment. A visit already begun gets none.
pub fn reminder_times(start_s: i64, now_s: i64, leads_minutes: &[u32]) -> Vec<i64> {
    let mut times: Vec<i64> =
        leads_minutes.iter().map(|&lead| start_s - i64::from(lead) * 60).filter(|&due| due > now_s).collect();
    times.sort_unstable();
    times.dedup();
    times
}

/// Every message the owner may turn off or word differently: each event to each of its recipients.
pub fn all_messages() -> Vec<(Event, Recipient)> {
    Event::ALL.iter().flat_map(|&event| event.recipients().iter().map(move |&to| (event, to))).collect()
}

#[cfg(feature = "mail")]
const DEFAULT_WORDS: [(&str, &str); 29] = [
    ("en", include_str!("mail_words/en.json")),
    ("es", include_str!("mail_words/es.json")),
    ("pt", include_str!("mail_words/pt.json")),
    ("de", include_str!("mail_words/de.json")),
    ("fr", include_str!("mail_words/fr.json")),
    ("pl", include_str!("mail_words/pl.json")),
    ("uk", include_str!("mail_words/uk.json")),
    ("ar", include_str!("mail_words/ar.json")),
    ("he", include_str!("mail_words/he.json")),
    ("it", include_str!("mail_words/it.json")),
    ("nl", include_str!("mail_words/nl.json")),
    ("tr", include_str!("mail_words/tr.json")),
    ("ru", include_str!("mail_words/ru.json")),
    ("kk", include_str!("mail_words/kk.json")),
    ("uz", include_str!("mail_words/uz.json")),
    ("az", include_str!("mail_words/az.json")),
    ("ka", include_str!("mail_words/ka.json")),
    ("hy", include_str!("mail_words/hy.json")),
    ("ro", include_str!("mail_words/ro.json")),
    ("cs", include_str!("mail_words/cs.json")),
    ("sk", include_str!("mail_words/sk.json")),
    ("hu", include_str!("mail_words/hu.json")),
    ("el", include_str!("mail_words/el.json")),
    ("bg", include_str!("mail_words/bg.json")),
    ("lt", include_str!("mail_words/lt.json")),
    ("lv", include_str!("mail_words/lv.json")),
    ("et", include_str!("mail_words/et.json")),
    ("fi", include_str!("mail_words/fi.json")),
    ("sv", include_str!("mail_words/sv.json")),
];

/// The messages' own words in `language` (a tag; its region is not the words' business), English
/// for a language they are not written in. A word that counts (`{"one": …, "other": …}` in the
/// file) is kept as one entry per plural category, `seats_booked.one`, … (see [`count`]).
#[cfg(feature = "mail")]
pub fn default_words(language: &str) -> Words {
    let language = crate::language::read(language).map_or("en", |choice| choice.language);
    let text = DEFAULT_WORDS.iter().find(|(tag, _)| *tag == language).unwrap_or(&DEFAULT_WORDS[0]).1;
    let file: BTreeMap<String, serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
    let mut words = Words::new();
    for (key, value) in file {
        match value {
            serde_json::Value::String(text) => {
                words.insert(key, text);
            }
            serde_json::Value::Object(forms) => {
                for (category, text) in forms {
                    words.insert(format!("{key}.{category}"), text.as_str().unwrap_or_default().to_string());
                }
            }
            _ => {}
        }
    }
    words
}

/// The CLDR plural rules (ICU4X's compiled data) of `locale`, a tag; English's when the tag does
/// not read. `pt` and `pt-PT` differ, so the region counts.
#[cfg(feature = "mail")]
fn plural_rules(locale: &str) -> icu_plurals::PluralRules {
    let parsed = icu_locale_core::Locale::try_from_str(locale).unwrap_or(icu_locale_core::locale!("en"));
    icu_plurals::PluralRules::try_new_cardinal((&parsed).into())
        .or_else(|_| icu_plurals::PluralRules::try_new_cardinal(icu_locale_core::locale!("en").into()))
        .expect("the compiled data has English")
}

#[cfg(feature = "mail")]
fn category_name(category: icu_plurals::PluralCategory) -> &'static str {
    use icu_plurals::PluralCategory as C;
    match category {
        C::Zero => "zero",
        C::One => "one",
        C::Two => "two",
        C::Few => "few",
        C::Many => "many",
        C::Other => "other",
    }
}

/// The CLDR plural category (`zero`, `one`, `two`, `few`, `many`, `other`) of the whole number `n`
/// in `locale`.
#[cfg(feature = "mail")]
pub fn plural_category(locale: &str, n: u64) -> &'static str {
    category_name(plural_rules(locale).category_for(n))
}

/// Every plural category `locale` has (`other` always), in CLDR's order: the forms a word that
/// counts needs in its file.
#[cfg(feature = "mail")]
pub fn plural_categories(locale: &str) -> Vec<&'static str> {
    plural_rules(locale).categories().map(category_name).collect()
}

/// The word `key` for `n` things in `locale`: the form of `n`'s plural category (`other` when the
/// words have no such form) with `{count}` replaced by `n`.
#[cfg(feature = "mail")]
pub fn count(words: &Words, locale: &str, key: &str, n: u64) -> String {
    let form = words
        .get(&format!("{key}.{}", plural_category(locale, n)))
        .or_else(|| words.get(&format!("{key}.other")))
        .map_or("", String::as_str);
    form.replace("{count}", &n.to_string())
}

/// The key of a message in the owner's settings: `booked.client`, `reminder.client`,
/// `moved.business`, …
pub fn message_key(event: Event, to: Recipient) -> String {
    format!("{}.{}", event.name(), to.name())
}

/// The owner's choices per message (`MailSettings::messages`), by [`message_key`].
pub type MessageSettings = BTreeMap<String, MessageSetting>;

/// The owner's choice for one message: whether it is sent, and their own subject and opening per
/// language (the others keep the messages' own words). Both may use the variables `{business}`,
/// `{client}`, `{service}`, `{specialist}`, `{location}`, `{date}`, `{time}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageSetting {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// By language tag (one the widget speaks).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub words: BTreeMap<String, OwnWords>,
}

impl Default for MessageSetting {
    fn default() -> Self {
        MessageSetting { enabled: true, words: BTreeMap::new() }
    }
}

fn yes() -> bool {
    true
}

/// The owner's subject and opening for a message in one language; none keeps that part's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnWords {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
}

/// The longest subject, and the longest opening, in characters.
pub const MAX_SUBJECT_CHARS: usize = 150;
pub const MAX_OPENING_CHARS: usize = 1000;

/// Checks the owner's message settings: messages that exist, languages the widget speaks, a
/// subject of 1–150 characters on one line, an opening of 1–1,000 characters.
pub fn check_settings(settings: &MessageSettings) -> Result<(), ApiError> {
    let bad = |why: String| Err(ApiError::field(ErrorCode::ValidationFailed, "messages", why));
    let known: Vec<String> = all_messages().into_iter().map(|(event, to)| message_key(event, to)).collect();
    for (key, setting) in settings {
        if !known.contains(key) {
            return bad(format!("{key}: there is no such message"));
        }
        for (language, own) in &setting.words {
            if !crate::settings::LANGUAGES.contains(&language.as_str()) {
                return bad(format!("{key}: {language} is not a language the messages are written in"));
            }
            if let Some(subject) = &own.subject {
                let n = subject.chars().count();
                if n == 0 || n > MAX_SUBJECT_CHARS || subject.chars().any(char::is_control) {
                    return bad(format!("{key}: a subject of 1–{MAX_SUBJECT_CHARS} characters on one line"));
                }
            }
            if let Some(opening) = &own.opening {
                let n = opening.chars().count();
                if n == 0 || n > MAX_OPENING_CHARS {
                    return bad(format!("{key}: an opening of 1–{MAX_OPENING_CHARS} characters"));
                }
            }
        }
    }
    Ok(())
}

/// Whether the owner sends `event` to `to` (every message is on unless turned off).
pub fn is_on(settings: &MessageSettings, event: Event, to: Recipient) -> bool {
    settings.get(&message_key(event, to)).is_none_or(|s| s.enabled)
}

/// The words for `event` to `to` in `language`: the messages' own, with the owner's subject and
/// opening where they wrote them.
#[cfg(feature = "mail")]
pub fn words_for(settings: &MessageSettings, event: Event, to: Recipient, language: &str) -> Words {
    let mut words = default_words(language);
    if let Some(own) = settings.get(&message_key(event, to)).and_then(|s| s.words.get(language)) {
        let prefix = to.prefix();
        if let Some(subject) = &own.subject {
            words.insert(format!("{prefix}{}_subject", event.name()), subject.clone());
        }
        if let Some(opening) = &own.opening {
            words.insert(format!("{prefix}{}_opening", event.name()), opening.clone());
        }
    }
    words
}

/// One language's words for the messages: `{event}_subject`, `{event}_opening` (the client's),
/// `business_{event}_subject` / `_opening`, and the labels (`what`, `when`, `where`, `with`,
/// `reference`, `manage`, `calendar_note`, `footer`, `comment`, `phone`, `email`).
pub type Words = BTreeMap<String, String>;

/// What a message says about the visit, written for its reader (dates in their language, times at
/// the location's clock). Every value may come from a client and is escaped in HTML.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub business: String,
    pub client: String,
    pub service: String,
    pub specialist: String,
    pub location: String,
    /// The location's address, if the catalog has one.
    pub address: String,
    pub date: String,
    pub time: String,
    pub reference: String,
    /// The client's manage link (client messages, when known).
    pub manage_url: Option<String>,
    /// Shown to the business only: the client's phone, e-mail and comment.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub comment: Option<String>,
}

/// A message ready for MIME: its subject and its two bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The message `event` sends `to`, in `words` of `language` (its HTML marked with the language
/// and, for Arabic and Hebrew, written right to left).
pub fn compose(event: Event, to: Recipient, language: &str, words: &Words, facts: &Facts) -> Letter {
    let prefix = to.prefix();
    let word = |key: &str| words.get(key).map(String::as_str).unwrap_or("");
    let subject = fill(word(&format!("{prefix}{}_subject", event.name())), facts);
    let opening = fill(word(&format!("{prefix}{}_opening", event.name())), facts);

    let mut rows: Vec<(&str, String)> = vec![
        (word("what"), facts.service.clone()),
        (word("when"), format!("{}, {}", facts.date, facts.time)),
        (word("with"), facts.specialist.clone()),
        (
            word("where"),
            [facts.location.as_str(), facts.address.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    if to != Recipient::Client {
        rows.insert(0, (word("client"), facts.client.clone()));
        for (key, value) in [("phone", &facts.phone), ("email", &facts.email), ("comment", &facts.comment)] {
            if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
                rows.push((word(key), value.clone()));
            }
        }
    }
    rows.push((word("reference"), facts.reference.clone()));

    let manage = facts.manage_url.as_deref().filter(|_| {
        to == Recipient::Client
            && !matches!(event, Event::Cancelled | Event::CancelledByBusiness | Event::SessionCancelled)
    });
    let calendar = to == Recipient::Client && matches!(event, Event::Booked | Event::Moved | Event::SeatGranted);
    let footer = fill(word("footer"), facts);

    let mut text = format!("{opening}\n\n");
    for (label, value) in &rows {
        text.push_str(&format!("{label}: {value}\n"));
    }
    if let Some(url) = manage {
        text.push_str(&format!("\n{}:\n{url}\n", word("manage")));
    }
    if calendar {
        text.push_str(&format!("\n{}\n", word("calendar_note")));
    }
    text.push_str(&format!("\n-- \n{footer}\n"));

    let dir = if crate::language::is_right_to_left(language) { "rtl" } else { "ltr" };
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328\">",
        escape(language)
    );
    html.push_str(&format!(
        "<p>{}</p><table role=\"presentation\" style=\"border-collapse:collapse\">",
        escape(&opening)
    ));
    for (label, value) in &rows {
        html.push_str(&format!(
            "<tr><th scope=\"row\" style=\"text-align:start;padding:2px 12px 2px 0;font-weight:600\">{}</th><td>{}</td></tr>",
            escape(label),
            escape(value)
        ));
    }
    html.push_str("</table>");
    if let Some(url) = manage {
        html.push_str(&format!("<p><a href=\"{}\">{}</a></p>", escape(url), escape(word("manage"))));
    }
    if calendar {
        html.push_str(&format!("<p>{}</p>", escape(word("calendar_note"))));
    }
    html.push_str(&format!("<p style=\"color:#59636e;font-size:0.875em\">{}</p></body></html>", escape(&footer)));
    Letter { subject: one_line(&subject), text, html }
}

/// One line of a specialist's day: a visit (its client's name, phone and comment), or a class
/// session (how many seats are booked). Times already written for the reader.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaLine {
    /// `09:00–09:45`.
    pub time: String,
    pub service: String,
    /// The client's name (a visit), or none (a class).
    pub client: Option<String>,
    pub phone: Option<String>,
    pub comment: Option<String>,
    /// The seats booked (a class).
    pub seats: Option<u32>,
}

/// A specialist's morning agenda: the opening, then the day's lines in order of time, as plain
/// text and as an HTML table (every value escaped). `facts` gives the variables (`{specialist}`,
/// `{date}`, `{business}`, `{location}`).
#[cfg(feature = "mail")]
pub fn compose_agenda(language: &str, words: &Words, facts: &Facts, lines: &[AgendaLine]) -> Letter {
    let (event, to) = (Event::Agenda, Recipient::Specialist);
    let word = |key: &str| words.get(key).map(String::as_str).unwrap_or("");
    let subject = fill(word(&format!("{}{}_subject", to.prefix(), event.name())), facts);
    let opening = fill(word(&format!("{}{}_opening", to.prefix(), event.name())), facts);
    let footer = fill(word("footer"), facts);
    let who = |line: &AgendaLine| match (line.seats, &line.client) {
        (Some(seats), _) => count(words, language, "seats_booked", u64::from(seats)),
        (None, Some(client)) => client.clone(),
        (None, None) => String::new(),
    };
    let more = |line: &AgendaLine| {
        [(word("phone"), &line.phone), (word("comment"), &line.comment)]
            .into_iter()
            .filter_map(|(label, value)| value.as_ref().filter(|v| !v.is_empty()).map(|v| (label, one_line(v))))
            .collect::<Vec<_>>()
    };

    let mut text = format!("{opening}\n\n");
    for line in lines {
        text.push_str(&format!("{}  {} — {}\n", line.time, line.service, who(line)));
        for (label, value) in more(line) {
            text.push_str(&format!("    {label}: {value}\n"));
        }
    }
    text.push_str(&format!("\n{}: {}\n\n-- \n{footer}\n", word("where"), facts.location));

    let dir = if crate::language::is_right_to_left(language) { "rtl" } else { "ltr" };
    let cell = "style=\"text-align:start;padding:4px 12px 4px 0;vertical-align:top\"";
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328\"><p>{}</p>",
        escape(language),
        escape(&opening)
    );
    html.push_str(&format!(
        "<table style=\"border-collapse:collapse\"><thead><tr><th scope=\"col\" {cell}>{}</th><th scope=\"col\" {cell}>{}</th><th scope=\"col\" {cell}>{}</th></tr></thead><tbody>",
        escape(word("when")),
        escape(word("what")),
        escape(word("client"))
    ));
    for line in lines {
        let details: String = more(line)
            .into_iter()
            .map(|(label, value)| format!("<br><small>{}: {}</small>", escape(label), escape(&value)))
            .collect();
        html.push_str(&format!(
            "<tr><td {cell}>{}</td><td {cell}>{}</td><td {cell}>{}{details}</td></tr>",
            escape(&line.time),
            escape(&line.service),
            escape(&who(line))
        ));
    }
    html.push_str(&format!(
        "</tbody></table><p>{}: {}</p><p style=\"color:#59636e;font-size:0.875em\">{}</p></body></html>",
        escape(word("where")),
        escape(&facts.location),
        escape(&footer)
    ));
    Letter { subject: one_line(&subject), text, html }
}

/// `template` with `{business}`, `{client}`, `{service}`, `{specialist}`, `{location}`, `{date}`
/// and `{time}` replaced by the facts (plain text: the HTML part escapes the result).
pub fn fill(template: &str, facts: &Facts) -> String {
    let values: [(&str, &str); 7] = [
        ("{business}", &facts.business),
        ("{client}", &facts.client),
        ("{service}", &facts.service),
        ("{specialist}", &facts.specialist),
        ("{location}", &facts.location),
        ("{date}", &facts.date),
        ("{time}", &facts.time),
    ];
    // One pass, so a value that itself contains `{client}` is never replaced again.
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        match values.iter().find(|(name, _)| tail.starts_with(name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &tail[name.len()..];
            }
            None => {
                out.push('{');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text made safe inside HTML elements and quoted attributes.
pub fn escape(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// A subject on one line: a client's name with a line break cannot add a header.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words() -> Words {
        serde_json::from_str(
            r#"{"booked_subject":"Booked at {business}: {date}, {time}","booked_opening":"Hello {client}, you are booked.",
            "business_booked_subject":"New booking: {service}","business_booked_opening":"{client} booked {service}.",
            "what":"What","when":"When","where":"Where","with":"With","reference":"Reference","client":"Client",
            "phone":"Phone","email":"E-mail","comment":"Comment","manage":"Change or cancel","calendar_note":"Attached.",
            "footer":"Sent for {business}."}"#,
        )
        .unwrap()
    }

    fn facts() -> Facts {
        Facts {
            business: "Salon".into(),
            client: "<script>alert(1)</script> {business}".into(),
            service: "Cut & colour".into(),
            specialist: "Kim".into(),
            location: "Main".into(),
            address: "".into(),
            date: "Monday 7 December".into(),
            time: "10:00".into(),
            reference: "bk_1".into(),
            manage_url: Some("https://x.example/manage?a=1&b=\"2\"".into()),
            phone: Some("+44 7400 123456".into()),
            email: None,
            comment: Some("Line one\r\nBcc: evil@example.com".into()),
        }
    }

    #[test]
    fn values_are_escaped_in_html_and_never_filled_twice() {
        let letter = compose(Event::Booked, Recipient::Client, "en", &words(), &facts());
        assert!(letter.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; {business}"));
        assert!(!letter.html.contains("<script>"));
        assert!(letter.html.contains("Cut &amp; colour"));
        assert!(letter.html.contains("href=\"https://x.example/manage?a=1&amp;b=&quot;2&quot;\""));
        assert!(letter.text.contains("Hello <script>alert(1)</script> {business}, you are booked."));
        assert_eq!(letter.subject, "Booked at Salon: Monday 7 December, 10:00");
        // The client's message never carries what only the business sees.
        assert!(!letter.text.contains("+44 7400") && !letter.text.contains("Bcc"));
    }

    #[test]
    fn the_business_sees_contact_and_comment_and_no_manage_link() {
        let letter = compose(Event::Booked, Recipient::Business, "en", &words(), &facts());
        assert!(letter.text.contains("Phone: +44 7400 123456"));
        assert!(letter.text.contains("Comment: Line one"));
        assert!(!letter.text.contains("manage?"));
        let mut facts = facts();
        facts.service = "Cut\r\nBcc: evil@example.com".into();
        let letter = compose(Event::Booked, Recipient::Business, "he", &words(), &facts);
        assert_eq!(letter.subject, "New booking: Cut Bcc: evil@example.com");
        assert!(letter.html.starts_with("<!doctype html><html lang=\"he\" dir=\"rtl\">"));
    }

    #[cfg(feature = "mail")]
    #[test]
    fn every_language_has_every_word_with_the_same_variables() {
        let english = default_words("en");
        let variables = |text: &str| {
            let mut found: Vec<String> =
                text.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(v, _)| v.to_string()).collect();
            found.sort();
            found
        };
        // A word that counts is `key.category`; the others are plain.
        let plain = |words: &Words| words.keys().filter(|k| !k.contains('.')).cloned().collect::<Vec<_>>();
        let counted = |words: &Words| {
            let mut keys: Vec<String> =
                words.keys().filter_map(|k| k.split_once('.')).map(|(key, _)| key.to_string()).collect();
            keys.dedup();
            keys
        };
        assert_eq!(counted(&english), ["seats_booked"]);
        for (language, _) in DEFAULT_WORDS {
            let words = default_words(language);
            assert_eq!(plain(&words), plain(&english), "{language}");
            assert_eq!(counted(&words), counted(&english), "{language}");
            for (key, text) in &words {
                assert!(!text.trim().is_empty(), "{language} {key}");
                match key.split_once('.') {
                    // A form may leave the number out ("one place" in Arabic), never add a variable.
                    Some((word, _)) => {
                        let allowed = variables(&english[&format!("{word}.other")]);
                        assert!(variables(text).iter().all(|v| allowed.contains(v)), "{language} {key}");
                    }
                    None => assert_eq!(variables(text), variables(&english[key]), "{language} {key}"),
                }
            }
            // Every plural category the language has (CLDR), and no other.
            let mut categories = plural_categories(language);
            categories.sort_unstable();
            for word in counted(&words) {
                let mut forms: Vec<&str> = words.keys().filter_map(|k| k.strip_prefix(&format!("{word}."))).collect();
                forms.sort_unstable();
                assert_eq!(forms, categories, "{language} {word}");
            }
            for (event, to) in all_messages() {
                assert!(words.contains_key(&format!("{}{}_subject", to.prefix(), event.name())), "{language}");
            }
        }
        assert_eq!(DEFAULT_WORDS.map(|(language, _)| language), crate::settings::LANGUAGES);
    }

    #[cfg(feature = "mail")]
    #[test]
    fn counts_take_each_languages_plural_forms() {
        let polish = default_words("pl");
        let seats = |n| count(&polish, "pl", "seats_booked", n);
        assert_eq!(
            [seats(1), seats(3), seats(5), seats(22)],
            [
                "1 zarezerwowane miejsce",
                "3 zarezerwowane miejsca",
                "5 zarezerwowanych miejsc",
                "22 zarezerwowane miejsca"
            ]
        );
        // Brazilian Portuguese counts zero as one; Portugal's does not.
        assert_eq!((plural_category("pt-BR", 0), plural_category("pt-PT", 0)), ("one", "other"));
        assert_eq!(plural_categories("ar"), ["zero", "one", "two", "few", "many", "other"]);
        assert_eq!(plural_category("xx-nonsense!", 1), "one");
    }

    #[cfg(feature = "mail")]
    #[test]
    fn the_owners_words_replace_the_messages_own_in_their_language_only() {
        let own = MessageSetting {
            enabled: true,
            words: BTreeMap::from([(
                "en".to_string(),
                OwnWords { subject: Some("See you, {client}!".into()), opening: None },
            )]),
        };
        let settings = MessageSettings::from([("booked.client".to_string(), own.clone())]);
        assert!(check_settings(&settings).is_ok());
        let words = words_for(&settings, Event::Booked, Recipient::Client, "en");
        let letter = compose(Event::Booked, Recipient::Client, "en", &words, &facts());
        assert_eq!(letter.subject, "See you, <script>alert(1)</script> {business}!");
        let german = words_for(&settings, Event::Booked, Recipient::Client, "de");
        assert_eq!(german["booked_subject"], default_words("de")["booked_subject"]);
        assert!(is_on(&settings, Event::Booked, Recipient::Client));
        assert!(is_on(&MessageSettings::new(), Event::Reminder, Recipient::Client));
        let off =
            MessageSettings::from([("booked.client".to_string(), MessageSetting { enabled: false, ..own.clone() })]);
        assert!(!is_on(&off, Event::Booked, Recipient::Client));
        for bad in ["reminder.business", "booked.somebody", "nothing"] {
            assert!(check_settings(&MessageSettings::from([(bad.to_string(), own.clone())])).is_err(), "{bad}");
        }
        let klingon = MessageSetting { words: BTreeMap::from([("tlh".to_string(), OwnWords::default())]), ..own };
        assert!(check_settings(&MessageSettings::from([("booked.client".to_string(), klingon)])).is_err());
    }

    #[cfg(feature = "mail")]
    #[test]
    fn an_agenda_lists_the_day_with_every_value_escaped() {
        let mut words = words();
        words.insert("specialist_agenda_subject".into(), "Your day at {business}: {date}".into());
        words.insert("specialist_agenda_opening".into(), "Good morning {specialist}.".into());
        words.insert("seats_booked.one".into(), "{count} place booked".into());
        words.insert("seats_booked.other".into(), "{count} places booked".into());
        let lines = [
            AgendaLine {
                time: "09:00–09:30".into(),
                service: "Cut & colour".into(),
                client: Some("<b>Ann</b>".into()),
                phone: Some("+44 7400 123456".into()),
                comment: Some("Allergic\r\nto dye".into()),
                seats: None,
            },
            AgendaLine {
                time: "18:00–19:00".into(), service: "Yoga".into(), seats: Some(5), ..AgendaLine::default()
            },
        ];
        let letter = compose_agenda("en", &words, &facts(), &lines);
        assert_eq!(letter.subject, "Your day at Salon: Monday 7 December");
        assert!(letter.text.starts_with("Good morning Kim.\n\n09:00–09:30  Cut & colour — <b>Ann</b>\n"));
        assert!(letter.text.contains("    Comment: Allergic to dye\n18:00–19:00  Yoga — 5 places booked\n"));
        assert!(letter.html.contains(
            "<td style=\"text-align:start;padding:4px 12px 4px 0;vertical-align:top\">&lt;b&gt;Ann&lt;/b&gt;<br>"
        ));
        assert!(letter.html.contains("Cut &amp; colour") && !letter.html.contains("<b>Ann"));
    }

    #[test]
    fn lead_times_are_checked() {
        assert!(check_leads(&[1440, 120], "f").is_ok());
        assert!(check_leads(&[], "f").is_ok());
        assert!(check_leads(&[0], "f").is_err());
        assert!(check_leads(&[MAX_LEAD_MINUTES + 1], "f").is_err());
        assert!(check_leads(&[60, 60], "f").is_err());
        assert!(check_leads(&[1, 2, 3, 4], "f").is_err());
    }

    #[test]
    fn a_booking_inside_a_lead_time_skips_that_reminder() {
        let start = 100_000;
        // Booked 3 hours ahead with reminders 24 h and 2 h before: only the 2 h one.
        assert_eq!(reminder_times(start, start - 3 * 3600, &[1440, 120]), vec![start - 7200]);
        // Booked 1 hour ahead: none.
        assert!(reminder_times(start, start - 3600, &[1440, 120]).is_empty());
        // A visit already begun: none.
        assert!(reminder_times(start, start + 1, &[1]).is_empty());
    }

    proptest! {
        /// Against the rule read minute by minute: a reminder is due at each minute of the lead
        /// times before the start that is still ahead of now, once.
        #[test]
        fn reminders_match_a_minute_by_minute_reference(
            start_min in 0i64..50_000, now_min in 0i64..50_000, leads in proptest::collection::vec(1u32..3000, 0..3)
        ) {
            let (start, now) = (start_min * 60, now_min * 60);
            let mut reference = Vec::new();
            for minute in (now_min + 1)..=start_min {
                if leads.iter().any(|&lead| start_min - i64::from(lead) == minute) {
                    reference.push(minute * 60);
                }
            }
            prop_assert_eq!(reminder_times(start, now, &leads), reference);
        }
    }
}
